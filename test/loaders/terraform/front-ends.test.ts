/**
 * Terraform through the front ends: loadFile detection (plan JSON of any size, Terraform root
 * directories), scans (one directory = one unit, the plan beside it folded in, local modules part
 * of their root), rules selecting by address, name and tag, SARIF at the .tf line, and the CLI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFile, prepareTerraform } from '../../../src';
import { renderSarif } from '../../../src/report/sarif';
import { parseRules, runRuleSet } from '../../../src/rules';
import { planScan } from '../../../src/scan';
import { cli, tempDir, writeTree } from '../../trust/helpers';
import { allow, constant, doc, planJson, ref, writePlan } from './plan-builder';

const ROLE = (address: string, name: string, tags: Record<string, string> | null = null): { address: string; values: Record<string, unknown>; unknown: Record<string, unknown> } => ({
  address,
  values: { name, path: '/', tags, tags_all: tags ?? {}, permissions_boundary: null },
  unknown: { arn: true, id: true, inline_policy: true, managed_policy_arns: true },
});

const MAIN_TF = [
  'resource "aws_iam_role" "auditor" {',
  '  name = "auditor"',
  '  tags = { access-level = "read-only" }',
  '}',
  '',
  'resource "aws_iam_role_policy" "auditor" {',
  '  role   = aws_iam_role.auditor.name',
  '  policy = jsonencode({ Version = "2012-10-17", Statement = [] })',
  '}',
  '',
  'module "agents" {',
  '  source = "./modules/agent"',
  '}',
].join('\n');

function terraformRepo(policy: string): string {
  const plan = planJson({
    resources: [
      ROLE('aws_iam_role.auditor', 'auditor', { 'access-level': 'read-only' }),
      { address: 'aws_iam_role_policy.auditor', values: { name: 'auditor', role: 'auditor', policy }, unknown: {}, expressions: { role: ref('aws_iam_role.auditor.name'), policy: constant(policy) } },
      ROLE('module.agents.aws_iam_role.agent', 'agent'),
    ],
    modules: { agents: { source: './modules/agent' } },
  });
  return writeTree(tempDir('jci-tf-repo-'), {
    'infra/tf/main.tf': MAIN_TF,
    'infra/tf/modules/agent/main.tf': 'resource "aws_iam_role" "agent" {\n  name = "agent"\n}\n',
    'infra/tf/plan.json': JSON.stringify(plan),
    'infra/tf/terraform.tfvars.json': '{"stage": "prod"}',
    'policies/viewer.json': doc(allow('connect:ListInstances')),
  });
}

describe('loadFile', () => {
  test('a plan JSON is detected by its first bytes, also beyond the 10 MB template limit', () => {
    const big = { address: 'aws_s3_object.blob', values: { content: 'x'.repeat(11 * 1024 * 1024) }, unknown: {} };
    const file = writePlan({ resources: [ROLE('aws_iam_role.r', 'r'), big] });
    expect(fs.statSync(file).size).toBeGreaterThan(10 * 1024 * 1024);
    const r = loadFile(file);
    expect(r.error).toBeUndefined();
    expect(r.kind).toBe('terraform-plan');
    expect(r.principals.map((p) => p.id)).toEqual(['aws_iam_role.r']);
    expect(r.terraform?.formatVersion).toBe('1.2');
  });

  test('a Terraform root directory with a plan beside it is one unit; the plan is authoritative, the .tf files give lines', () => {
    const dir = path.join(terraformRepo(doc(allow('connect:ListUsers'))), 'infra/tf');
    const r = loadFile(dir);
    expect(r.kind).toBe('terraform');
    expect(r.principals.map((p) => [p.id, p.file, p.source?.file, p.source?.line])).toEqual([
      ['aws_iam_role.auditor', dir, path.join(dir, 'main.tf'), 1],
      ['module.agents.aws_iam_role.agent', dir, path.join(dir, 'modules/agent/main.tf'), 1],
    ]);
  });

  test('a Terraform root without a plan: before prepareTerraform() the sync path says exactly what to call; after it, the .tf sources load', async () => {
    const dir = writeTree(tempDir('jci-tf-noplan-'), { 'main.tf': MAIN_TF, 'modules/agent/main.tf': 'resource "aws_iam_role" "agent" {\n  name = "agent"\n}\n' });
    const before = loadFile(dir);
    expect(before.kind).toBe('terraform');
    expect(before.principals).toEqual([]);
    expect(before.error?.message).toMatch(/call `await prepareTerraform\(\)` \(from 'jest-connect-iam'\) once before loadFile or a scan, or use `await loadTerraform\(dir\)`/);
    await prepareTerraform();
    const r = loadFile(dir);
    expect(r.error).toBeUndefined();
    expect(r.kind).toBe('terraform');
    expect(r.principals.map((p) => [p.id, p.name, p.source?.file, p.source?.line])).toEqual([
      ['aws_iam_role.auditor', 'auditor', path.join(dir, 'main.tf'), 1],
      ['module.agents.aws_iam_role.agent', 'agent', path.join(dir, 'modules/agent/main.tf'), 1],
    ]);
    expect(r.principals[0]!.tags).toEqual({ 'access-level': 'read-only' });
  });

  test('two plans in one root: which one applies is not guessed', () => {
    const plan = JSON.stringify(planJson({ resources: [ROLE('aws_iam_role.r', 'r')] }));
    const dir = writeTree(tempDir('jci-tf-two-'), { 'main.tf': MAIN_TF, 'a.json': plan, 'b.json': plan });
    expect(loadFile(dir).error?.message).toMatch(/several plan JSON files \(a\.json, b\.json\)/);
  });

  test('JSON that merely mentions format_version is not taken for a plan', () => {
    const dir = tempDir('jci-tf-not-');
    const f = path.join(dir, 'x.json');
    fs.writeFileSync(f, JSON.stringify({ format_version: '1', name: 'x', version: '1.0.0', dependencies: {} }));
    expect(loadFile(f).kind).toBe('not-a-template');
  });
});

describe('scans', () => {
  test('default globs: one unit per Terraform root, its plan folded in, its local modules part of it', () => {
    const repo = terraformRepo(doc(allow('connect:ListUsers')));
    const plan = planScan({ cwd: repo });
    expect(plan.entries.map((e) => [e.path, e.kind === 'file' && e.terraform === true])).toEqual([
      ['infra/tf', true],
      ['infra/tf/terraform.tfvars.json', false],
      ['policies/viewer.json', false],
    ]);
  });

  test('rules select Terraform principals by address, by role name and by tag; SARIF points at the .tf line', () => {
    const repo = terraformRepo(doc(allow(['connect:ListUsers', 'connect:UpdateUserHierarchy'])));
    const rules = parseRules(
      [
        'version: 1',
        'rules:',
        '  - name: by-tag',
        '    select: { files: "infra/**/*.tf", tags: { access-level: read-only } }',
        '    expect: { readOnly: true }',
        '  - name: by-address',
        '    select: { principals: ["module.agents.aws_iam_role.*"] }',
        '    expect: { notAllowActions: [connect:ListUsers] }',
        '  - name: by-name',
        '    select: { principals: [auditor] }',
        '    expect: { allowActions: [connect:ListUsers] }',
      ].join('\n'),
      'rules.yaml',
    );
    const report = runRuleSet(rules, { cwd: repo, loaderPath: (abs) => abs });
    expect(report.outcomes.map((o) => `${o.rule}:${o.principal.id}:${o.status}`).sort()).toEqual([
      'by-address:module.agents.aws_iam_role.agent:pass',
      'by-name:aws_iam_role.auditor:pass',
      'by-tag:aws_iam_role.auditor:fail',
    ]);
    const failed = report.outcomes.find((o) => o.status === 'fail')!;
    expect(failed.checks[0]!.findings[0]!.location).toMatchObject({ file: path.join(repo, 'infra/tf/main.tf'), line: 8, address: 'aws_iam_role_policy.auditor.policy' });
    const sarif = JSON.parse(renderSarif({ ...report, root: repo } as typeof report)) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }> }> }> };
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'by-tag')!;
    expect(result.locations[0]!.physicalLocation.region?.startLine).toBe(8);
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/infra\/tf\/main\.tf$/);
  });

  test('the CLI: check over a Terraform repo (exit 1 on the violation, file:line of the .tf), matrix and explain unchanged', () => {
    const repo = terraformRepo(doc(allow(['connect:ListUsers', 'connect:UpdateUserHierarchy'])));
    fs.writeFileSync(path.join(repo, 'jest-connect-iam.rules.yaml'), 'version: 1\nrules:\n  - name: ro\n    select: { tags: { access-level: read-only } }\n    expect: { readOnly: true }\n');
    const check = cli(['check', '--cwd', repo]);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/infra\/tf\/main\.tf:8/);
    expect(check.stdout).toMatch(/aws_iam_role_policy\.auditor\.policy/);
    const matrix = cli(['matrix', '--cwd', repo, '--format', 'json']);
    expect(matrix.stdout).toMatch(/module\.agents\.aws_iam_role\.agent/);
    const explain = cli(['explain', path.join(repo, 'infra/tf'), 'auditor', 'connect:UpdateUserHierarchy']);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toMatch(/role aws_iam_role\.auditor \(auditor\)/);
    expect(explain.stdout).toMatch(/main\.tf:8 aws_iam_role_policy\.auditor\.policy/);
  });
});
