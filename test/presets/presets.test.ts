/**
 * The presets and `preset: 'jest-connect-iam'`, proven by running Jest on consumer projects
 * made in a temporary directory, with the BUILT package installed in their node_modules (a
 * copy of dist/, jest-preset.js and package.json, as npm would install it).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURE_REPOS, REPO_ROOT, tempDir, writeTree } from '../cli/helpers';

const JEST = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

interface JestJson {
  numFailedTests: number;
  numPassedTests: number;
  numPendingTests: number;
  numRuntimeErrorTestSuites: number;
  testResults: Array<{ name: string; message: string; assertionResults: Array<{ fullName: string; title: string; status: string; failureMessages: string[] }> }>;
}

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A consumer project with the built package installed. */
function consumer(files: Record<string, string>): string {
  const dir = tempDir('jci-consumer-');
  made.push(dir);
  writeTree(dir, { 'package.json': '{ "name": "consumer", "private": true }', ...files });
  const pkg = path.join(dir, 'node_modules', 'jest-connect-iam');
  fs.mkdirSync(pkg, { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(pkg, 'dist'), { recursive: true });
  for (const f of ['jest-preset.js', 'package.json']) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(pkg, f));
  // The package's own dependencies (yaml, fast-glob, IAM data) and Jest's node environment.
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
  return dir;
}

function copyFixture(name: string): Record<string, string> {
  const root = path.join(FIXTURE_REPOS, name);
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(root, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

function runJest(dir: string): { status: number | null; json: JestJson; stderr: string } {
  const out = path.join(dir, 'jest-result.json');
  const r = spawnSync(process.execPath, [JEST, '--ci', '--json', `--outputFile=${out}`], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (!fs.existsSync(out)) throw new Error(`jest produced no result: ${r.stderr}`);
  return { status: r.status, json: JSON.parse(fs.readFileSync(out, 'utf8')) as JestJson, stderr: r.stderr };
}

const results = (json: JestJson): Map<string, { status: string; failure: string }> =>
  new Map(json.testResults.flatMap((f) => f.assertionResults.map((a) => [a.title, { status: a.status, failure: a.failureMessages.join('\n') }] as const)));

describe("preset: 'jest-connect-iam' (no test file in the project)", () => {
  test('runs the rules file at the rootDir: one test per rule x principal; the violation fails with the statement line; the suppression is named', () => {
    const dir = consumer({ ...copyFixture('readonly-violation'), 'jest.config.js': "module.exports = { preset: 'jest-connect-iam' };\n" });
    const { status, json } = runJest(dir);
    expect(status).toBe(1);
    const byTitle = results(json);
    expect([...byTitle.keys()].sort()).toEqual([
      'auditors-read-only › role AuditorRole (infra/connect.yaml)',
      'auditors-read-only › role LegacyAuditorRole (infra/connect.yaml) [suppressed: Legacy flow editor, removed in TICKET-123]',
    ]);
    const fail = byTitle.get('auditors-read-only › role AuditorRole (infra/connect.yaml)')!;
    expect(fail.status).toBe('failed');
    expect(fail.failure).toContain('infra/connect.yaml:25');
    expect(fail.failure).toContain('TweakInstance');
    expect(json.testResults[0]!.name).toMatch(/node_modules\/jest-connect-iam\/dist\/bundle\/rules-file\.test\.js$/);
  });

  test('all good: every test passes (exit 0)', () => {
    const dir = consumer({ ...copyFixture('all-good'), 'jest.config.js': "module.exports = { preset: 'jest-connect-iam' };\n" });
    const { status, json } = runJest(dir);
    expect(json.numFailedTests).toBe(0);
    expect(json.numPassedTests).toBe(3);
    expect(status).toBe(0);
  });

  test('no rules file: a failing test that says where it looked', () => {
    const dir = consumer({ 'jest.config.js': "module.exports = { preset: 'jest-connect-iam' };\n" });
    const { status, json } = runJest(dir);
    expect(status).toBe(1);
    const [only] = [...results(json).values()];
    expect(only!.failure).toContain(path.join(fs.realpathSync(dir), 'jest-connect-iam.rules.yaml'));
  });
});

describe('presets called from a test file', () => {
  const policy = (actions: string[]): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
  const files = {
    'jest.config.js': "module.exports = { testEnvironment: 'node', transform: {}, testMatch: ['**/checks.test.js'] };\n",
    'policies/viewer.json': policy(['connect:ListInstances', 'connect:DescribeInstance', 'ds:DescribeDirectories']),
    'policies/editor.json': policy(['connect:UpdateInstanceAttribute']),
    'broken/bad.json': '{ "Version": "2012-10-17", "Statement": [ }',
    'checks.test.js': [
      "const { readOnlyRoles, noNewAccess, consoleTasks } = require('jest-connect-iam/presets');",
      "readOnlyRoles({ files: 'policies/*.json' });",
      "noNewAccess({ files: 'policies/viewer.json', baseline: 'AmazonConnectReadOnlyAccess' });",
      "consoleTasks({ files: 'policies/*.json', expectations: { 'viewer.json': { grant: ['Home / List instance'], notGrant: ['Home / Delete instance'] } } });",
      "readOnlyRoles({ files: 'broken/*.json' });",
      "readOnlyRoles({ files: 'infra/**/*.yml' });",
      "readOnlyRoles({ files: 'policies/*.json', principals: 'viewr.json' });",
    ].join('\n'),
  };

  test('one test per principal; a violation, an unreadable file, a glob that matches nothing and an unknown principal each fail', () => {
    const dir = consumer(files);
    const outside = tempDir('jci-outside-');
    made.push(outside);
    fs.writeFileSync(path.join(outside, 'secret.json'), policy(['connect:*']));
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(dir, 'policies', 'outside.json'));
    const { json } = runJest(dir);
    const byTitle = results(json);
    const status = (t: string): string | undefined => byTitle.get(t)?.status;
    expect(status('readOnlyRoles › policy-file viewer.json (policies/viewer.json)')).toBe('passed');
    expect(status('readOnlyRoles › policy-file editor.json (policies/editor.json)')).toBe('failed');
    expect(byTitle.get('readOnlyRoles › policy-file editor.json (policies/editor.json)')!.failure).toContain('connect:UpdateInstanceAttribute');
    expect(status('noNewAccess(AmazonConnectReadOnlyAccess) › policy-file viewer.json (policies/viewer.json)')).toBe('passed');
    expect(status('consoleTasks(viewer.json) › policy-file viewer.json (policies/viewer.json)')).toBe('passed');
    expect(status('broken/bad.json: cannot be read')).toBe('failed');
    expect(byTitle.get('broken/bad.json: cannot be read')!.failure).toMatch(/broken\/bad\.json:1:\d+/);
    const glob = [...byTitle].find(([t]) => t.includes("files pattern 'infra/**/*.yml' matched no file"));
    expect(glob?.[1].status).toBe('failed');
    const unknown = [...byTitle].find(([t]) => t.includes("no principal named 'viewr.json'"));
    expect(unknown?.[1].status).toBe('failed');
    expect(unknown?.[0]).toMatch(/did you mean 'viewer\.json'/);
    // The symbolic link out of the project is a skipped test that says why (one per preset scanning policies/).
    const skipped = [...byTitle].filter(([t]) => t.startsWith('policies/outside.json: not read (symbolic link leaves the scanned directory'));
    expect(skipped.length).toBeGreaterThan(0);
    for (const [, r] of skipped) expect(r.status).toBe('pending');
  });

  test('an unknown console task or action is an error when the file is collected, with suggestions', () => {
    const dir = consumer({
      ...files,
      'checks.test.js': [
        "const { consoleTasks } = require('jest-connect-iam/presets');",
        "consoleTasks({ files: 'policies/*.json', expectations: { 'viewer.json': { notGrant: ['Data storage / Edit call recordings'] } } });",
      ].join('\n'),
    });
    const { status, json } = runJest(dir);
    expect(status).toBe(1);
    expect(json.numRuntimeErrorTestSuites).toBe(1);
    expect(json.testResults[0]!.message).toMatch(/did you mean 'Edit call recording'/);
  });

  test('fromRules runs a rules file, or only some of its rules (to spread a big file over several test files); an unknown rule name is an error', () => {
    const rules = 'rules:\n  - name: viewer-reads\n    select: { files: policies/viewer.json }\n    expect: { readOnly: true }\n  - name: editor-reads\n    select: { files: policies/editor.json }\n    expect: { readOnly: true }\n';
    const dir = consumer({
      ...files,
      'jest-connect-iam.rules.yaml': rules,
      'checks.test.js': "const { fromRules } = require('jest-connect-iam/presets');\nfromRules(require('path').join(__dirname, 'jest-connect-iam.rules.yaml'), { rules: ['viewer-reads'] });\n",
    });
    const { status, json } = runJest(dir);
    expect([...results(json).keys()]).toEqual(['viewer-reads › policy-file viewer.json (policies/viewer.json)']);
    expect(status).toBe(0);
    fs.writeFileSync(path.join(dir, 'checks.test.js'), "const { fromRules } = require('jest-connect-iam/presets');\nfromRules(require('path').join(__dirname, 'jest-connect-iam.rules.yaml'), { rules: ['viewer-read'] });\n");
    const bad = runJest(dir);
    expect(bad.status).toBe(1);
    expect(bad.json.testResults[0]!.message).toMatch(/Unknown rule 'viewer-read': did you mean 'viewer-reads'/);
  });

  test('a suppression whose `only` does not cover a new violation fails; so does a role another template attaches a policy to', () => {
    const role = (id: string, name: string, actions: string[]): string =>
      `  ${id}:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: ${name}\n      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }\n      Policies: [{ PolicyName: p, PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: ${JSON.stringify(actions)}, Resource: "*" }] } }]\n`;
    const dir = consumer({
      'jest.config.js': "module.exports = { preset: 'jest-connect-iam' };\n",
      'infra/roles.yaml': `Resources:\n${role('LegacyRole', 'legacy', ['connect:UpdateContactFlowContent', 'connect:DeleteInstance'])}${role('AuditRole', 'audit', ['connect:ListInstances'])}`,
      'infra/other.yaml': 'Resources:\n  Extra:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: extra\n      Roles: [audit]\n      PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "connect:*", Resource: "*" }] }\n',
      'jest-connect-iam.rules.yaml': 'rules:\n  - name: ro\n    select: { principals: [LegacyRole, AuditRole] }\n    expect: { readOnly: true }\nsuppressions:\n  - { rule: ro, principal: LegacyRole, reason: old, only: [connect:UpdateContactFlowContent] }\n',
    });
    const { status, json } = runJest(dir);
    expect(status).toBe(1);
    const byTitle = results(json);
    const legacy = byTitle.get('ro › role LegacyRole (infra/roles.yaml) [suppression does not cover every violation]')!;
    expect(legacy.status).toBe('failed');
    expect(legacy.failure).toContain('connect:DeleteInstance');
    const audit = byTitle.get('ro › role AuditRole (infra/roles.yaml)')!;
    expect(audit.status).toBe('failed');
    expect(audit.failure).toMatch(/Extra in infra\/other\.yaml attaches to role audit/);
  });
});

describe('Terraform roots without a plan (the HCL parser loads asynchronously: the test environment prepares it)', () => {
  const TF = [
    'resource "aws_iam_role" "auditor" {',
    '  name = "auditor"',
    '  tags = { access-level = "read-only" }',
    '}',
    '',
    'resource "aws_iam_role_policy" "auditor" {',
    '  role = aws_iam_role.auditor.name',
    '  policy = jsonencode({',
    '    Version   = "2012-10-17"',
    '    Statement = [{ Effect = "Allow", Action = ["connect:ListUsers", "connect:UpdateUserHierarchy"], Resource = "*" }]',
    '  })',
    '}',
    '',
  ].join('\n');
  const RULES = 'version: 1\nrules:\n  - name: ro\n    select: { tags: { access-level: read-only } }\n    expect: { readOnly: true }\n';

  test("preset: 'jest-connect-iam' reads the .tf sources; the violation names the statement's .tf line", () => {
    const dir = consumer({ 'infra/main.tf': TF, 'jest-connect-iam.rules.yaml': RULES, 'jest.config.js': "module.exports = { preset: 'jest-connect-iam' };\n" });
    const { status, json } = runJest(dir);
    expect(status).toBe(1);
    const byTitle = results(json);
    expect([...byTitle.keys()]).toEqual(['ro › role aws_iam_role.auditor (infra)']);
    const only = [...byTitle.values()][0]!;
    expect(only.status).toBe('failed');
    expect(only.failure).toMatch(/infra\/main\.tf:10/);
    expect(only.failure).toContain('connect:UpdateUserHierarchy');
  });

  test("fromRules in a test file: with testEnvironment 'jest-connect-iam/environment' the root is checked; without it, a failing test that says what to set", () => {
    const test = "const { fromRules } = require('jest-connect-iam/presets');\nfromRules(require('path').join(__dirname, 'jest-connect-iam.rules.yaml'));\n";
    const withEnv = consumer({
      'infra/main.tf': TF,
      'jest-connect-iam.rules.yaml': RULES,
      'checks.test.js': test,
      'jest.config.js': "module.exports = { testEnvironment: 'jest-connect-iam/environment', transform: {}, testMatch: ['**/checks.test.js'] };\n",
    });
    const a = runJest(withEnv);
    expect([...results(a.json).entries()].map(([t, r]) => [t, r.status])).toEqual([['ro › role aws_iam_role.auditor (infra)', 'failed']]);
    const without = consumer({
      'infra/main.tf': TF,
      'jest-connect-iam.rules.yaml': RULES,
      'checks.test.js': test,
      'jest.config.js': "module.exports = { testEnvironment: 'node', transform: {}, testMatch: ['**/checks.test.js'] };\n",
    });
    const b = runJest(without);
    expect(b.status).toBe(1);
    const failures = [...results(b.json).values()].map((r) => r.failure).join('\n');
    expect(failures).toMatch(/prepareTerraform\(\)/);
    expect(failures).toMatch(/testEnvironment: 'jest-connect-iam\/environment'/);
  });
});
