import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRules, runRuleSet, type CheckReport } from '../../src/rules';

const REPOS = path.resolve(__dirname, '../fixtures/repos');

function tempRepo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-run-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function run(dir: string, rules: string): CheckReport {
  return runRuleSet(parseRules(rules, 'rules.yaml'), { cwd: dir });
}

function runFixture(name: string): CheckReport {
  const dir = path.join(REPOS, name);
  const text = fs.readFileSync(path.join(dir, 'jest-connect-iam.rules.yaml'), 'utf8');
  return runRuleSet(parseRules(text, 'jest-connect-iam.rules.yaml'), { cwd: dir });
}

const policy = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[], extra: Record<string, unknown> = {}): unknown => ({ Effect: 'Allow', Action: action, Resource: '*', ...extra });

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function repo(files: Record<string, string>): string {
  const d = tempRepo(files);
  made.push(d);
  return d;
}

describe('runRuleSet over the fixture repos', () => {
  test('all-good: every rule holds, exit 0', () => {
    const r = runFixture('all-good');
    expect(r.exitCode).toBe(0);
    expect(r.outcomes.map((o) => `${o.rule}:${o.principal.id}:${o.status}`).sort()).toEqual([
      'auditors-read-only:AuditorRole:pass',
      'storage-admin-edits-recording:StorageAdminRole:pass',
      'viewer-policy:agent-viewer.json:pass',
    ]);
    expect(r.problems.filter((p) => p.severity !== 'note')).toEqual([]);
  });

  test('readonly-violation: the role that gained connect:UpdateInstanceAttribute fails at the statement line; the suppressed one is suppressed', () => {
    const r = runFixture('readonly-violation');
    expect(r.exitCode).toBe(1);
    const fail = r.outcomes.find((o) => o.principal.id === 'AuditorRole')!;
    expect(fail.status).toBe('fail');
    const finding = fail.checks[0]!.findings[0]!;
    expect(finding.message).toMatch(/TweakInstance.*connect:UpdateInstanceAttribute/);
    expect(finding.location).toMatchObject({ file: expect.stringMatching(/readonly-violation\/infra\/connect\.yaml$/), line: 25 });
    const supp = r.outcomes.find((o) => o.principal.id === 'LegacyAuditorRole')!;
    expect(supp).toMatchObject({ status: 'suppressed', suppression: { reason: 'Legacy flow editor, removed in TICKET-123' } });
    expect(supp.checks.length).toBeGreaterThan(0);
  });

  test('broken-yaml: the other files are still checked; the broken one is an error with file:line; exit 2', () => {
    const r = runFixture('broken-yaml');
    expect(r.exitCode).toBe(2);
    expect(r.outcomes.filter((o) => o.status === 'pass').length).toBe(3);
    const p = r.problems.find((x) => x.kind === 'unreadable-file')!;
    expect(p.location).toMatchObject({ file: expect.stringMatching(/broken-yaml\/infra\/broken\.yaml$/), line: 12 });
    expect(r.stats).toMatchObject({ read: 2, unreadable: 1 });
  });

  test('glob-nothing: a files pattern that matches nothing is an error, exit 2', () => {
    const r = runFixture('glob-nothing');
    expect(r.exitCode).toBe(2);
    expect(r.outcomes).toEqual([]);
    expect(r.problems[0]).toMatchObject({ kind: 'no-files', severity: 'error', message: expect.stringMatching(/'infra\/\*\*\/\*\.yml' matched no file/) });
  });
});

describe('selection', () => {
  const files = {
    'a.json': policy([allow('connect:ListInstances')]),
    'b.json': policy([allow('connect:UpdateInstanceAttribute')]),
  };

  test('a principal name without wildcards that matches nothing is an error with the closest names', () => {
    const r = run(repo(files), 'rules:\n  - name: r\n    select: { principals: a.jsn }\n    expect: { readOnly: true }\n');
    expect(r.exitCode).toBe(2);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'unknown-principal', message: expect.stringMatching(/'a\.jsn'.*did you mean 'a\.json'/) })]);
  });

  test('a rule that selects no principal is an error (it would check nothing)', () => {
    const r = run(repo(files), "rules:\n  - name: r\n    select: { principals: 'zz*' }\n    expect: { readOnly: true }\n");
    expect(r.exitCode).toBe(2);
    expect(r.problems[0]).toMatchObject({ kind: 'no-principals' });
  });

  test('wildcards and tags select principals; only selected ones are checked', () => {
    const dir = repo({
      't.yaml': [
        'Resources:',
        '  ReaderRole:',
        '    Type: AWS::IAM::Role',
        '    Properties:',
        '      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }',
        '      Tags: [{ Key: tier, Value: reader }]',
        '      Policies: [{ PolicyName: p, PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "connect:List*", Resource: "*" }] } }]',
        '  WriterRole:',
        '    Type: AWS::IAM::Role',
        '    Properties:',
        '      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }',
        '      Policies: [{ PolicyName: p, PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "connect:*", Resource: "*" }] } }]',
      ].join('\n'),
    });
    const byTag = run(dir, 'rules:\n  - name: r\n    select: { tags: { tier: reader } }\n    expect: { readOnly: true }\n');
    expect(byTag.outcomes.map((o) => o.principal.id)).toEqual(['ReaderRole']);
    expect(byTag.exitCode).toBe(0);
    const byGlob = run(dir, "rules:\n  - name: r\n    select: { principals: '*role' }\n    expect: { readOnly: true }\n");
    expect(byGlob.outcomes.map((o) => `${o.principal.id}:${o.status}`)).toEqual(['ReaderRole:pass', 'WriterRole:fail']);
  });
});

describe('suppressions', () => {
  const files = { 'w.json': policy([allow('connect:UpdateInstanceAttribute')]), 'r.json': policy([allow('connect:ListInstances')]) };

  test('a suppression naming no principal its rule selects is an error (probably a typo) with suggestions', () => {
    const r = run(repo(files), 'rules:\n  - name: ro\n    expect: { readOnly: true }\nsuppressions:\n  - { rule: ro, principal: w.jsn, reason: x }\n');
    expect(r.exitCode).toBe(2);
    expect(r.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'unknown-suppression', message: expect.stringMatching(/'w\.jsn'.*did you mean 'w\.json'/) })]),
    );
    expect(r.outcomes.find((o) => o.principal.id === 'w.json')!.status).toBe('fail');
  });

  test('a suppression whose principal complies is a warning, not a failure', () => {
    const r = run(repo(files), 'rules:\n  - name: ro\n    select: { principals: r.json }\n    expect: { readOnly: true }\nsuppressions:\n  - { rule: ro, principal: r.json, reason: x }\n');
    expect(r.exitCode).toBe(0);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'unused-suppression', severity: 'warning' })]);
  });

  test('a suppressed violation exits 0 and stays visible as suppressed', () => {
    const r = run(repo(files), 'rules:\n  - name: ro\n    select: { principals: w.json }\n    expect: { readOnly: true }\nsuppressions:\n  - { rule: ro, principal: w.json, reason: accepted }\n');
    expect(r.exitCode).toBe(0);
    expect(r.outcomes[0]).toMatchObject({ status: 'suppressed', suppression: { reason: 'accepted' } });
  });
});

describe('suppressions with `only`', () => {
  test('accept exactly the listed violations: a new violation of the same rule still fails', () => {
    const dir = repo({
      'old.json': policy([allow('connect:UpdateContactFlowContent')]),
      'grown.json': policy([allow(['connect:UpdateContactFlowContent', 'connect:DeleteInstance'])]),
    });
    const rules = [
      'rules:',
      '  - name: ro',
      '    expect: { readOnly: true }',
      'suppressions:',
      '  - { rule: ro, principal: old.json, reason: legacy, only: [connect:UpdateContactFlowContent] }',
      '  - { rule: ro, principal: grown.json, reason: legacy, only: [connect:UpdateContactFlowContent] }',
    ].join('\n');
    const r = run(dir, rules);
    expect(r.outcomes.map((o) => `${o.principal.id}:${o.status}`).sort()).toEqual(['grown.json:fail', 'old.json:suppressed']);
    expect(r.exitCode).toBe(1);
    expect(r.problems).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/'grown\.json' did not apply: it accepts only connect:UpdateContactFlowContent, and the principal also breaks the rule with connect:DeleteInstance/) }),
    ]);
  });
});

describe('certainty: conditional never passes either way', () => {
  const cond = policy([allow('connect:UpdateInstanceAttribute', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops' } } })]);
  const dir = (): string => repo({ 'c.json': cond });

  test('notAllowActions fails on a conditional allow', () => {
    const r = run(dir(), 'rules:\n  - name: n\n    expect: { notAllowActions: [connect:UpdateInstanceAttribute] }\n');
    expect(r.exitCode).toBe(1);
    expect(r.outcomes[0]!.checks[0]!.findings[0]!.message).toMatch(/conditional/);
  });

  test('allowActions fails on a conditional allow', () => {
    const r = run(dir(), 'rules:\n  - name: n\n    expect: { allowActions: [connect:UpdateInstanceAttribute] }\n');
    expect(r.exitCode).toBe(1);
  });

  test('allowActions passes once the context pins the condition', () => {
    const r = run(dir(), "rules:\n  - name: n\n    expect: { allowActions: [connect:UpdateInstanceAttribute] }\n    context: { 'aws:PrincipalTag/team': ops }\n");
    expect(r.exitCode).toBe(0);
  });

  test('readOnly fails on a conditional write', () => {
    const r = run(dir(), 'rules:\n  - name: n\n    expect: { readOnly: true }\n');
    expect(r.exitCode).toBe(1);
  });

  test('notGrantConsoleTasks fails when the task is granted or conditional; passes when certainly not granted', () => {
    const admin = repo({ 'a.json': policy([allow('*')]), 'n.json': policy([allow('s3:GetObject')]) });
    const r = run(admin, "rules:\n  - name: n\n    expect: { notGrantConsoleTasks: ['Data storage / Edit call recording'] }\n");
    expect(r.outcomes.map((o) => `${o.principal.id}:${o.status}`).sort()).toEqual(['a.json:fail', 'n.json:pass']);
    const f = r.outcomes.find((o) => o.principal.id === 'a.json')!.checks[0]!;
    expect(f.findings[0]!.message).toBe("console task 'Data storage / Edit call recording' is granted");
    expect(f.evidence.join('\n')).toMatch(/connect:/);
  });

  test('a principal with an unresolved managed policy can never pass a negative rule', () => {
    const t = [
      'Resources:',
      '  R:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }',
      '      ManagedPolicyArns: [arn:aws:iam::123456789012:policy/SomeoneElses]',
    ].join('\n');
    const r = run(repo({ 't.yaml': t }), "rules:\n  - name: n\n    expect:\n      readOnly: true\n      notGrantConsoleTasks: ['Home / Create instance']\n      notAllowActions: ['connect:DeleteInstance']\n");
    expect(r.exitCode).toBe(1);
    expect(r.outcomes[0]!.checks.map((c) => c.check).sort()).toEqual(['notAllowActions', 'notGrantConsoleTasks', 'readOnly']);
  });
});

describe('a policy in another template that attaches to a checked role', () => {
  test('makes the verdict incomplete: an error naming both files (exit 2), and a loader warning', () => {
    const role = [
      'Resources:',
      '  AuditorRole:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      RoleName: connect-auditor',
      '      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }',
      '      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess]',
    ].join('\n');
    const extra = [
      'Resources:',
      '  SneakyPolicy:',
      '    Type: AWS::IAM::Policy',
      '    Properties:',
      '      PolicyName: sneaky',
      '      Roles: [connect-auditor]',
      '      PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "connect:*", Resource: "*" }] }',
    ].join('\n');
    const r = run(repo({ 'a.yaml': role, 'b.yaml': extra }), "rules:\n  - name: ro\n    select: { principals: AuditorRole }\n    expect: { readOnly: true }\n");
    expect(r.outcomes[0]!.status).toBe('pass'); // what a.yaml alone says...
    expect(r.exitCode).toBe(2); // ...is not the verdict
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'loader-warning', severity: 'warning' }),
        expect.objectContaining({ kind: 'external-attachment', severity: 'error', message: expect.stringMatching(/SneakyPolicy in .*b\.yaml attaches to role connect-auditor/) }),
      ]),
    );
  });
});

describe('files that are not policies or templates', () => {
  test('are counted and named with the loader reason (notes), never silently dropped', () => {
    const dir = repo({
      'p.json': policy([allow('connect:ListInstances')]),
      'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n',
    });
    const r = run(dir, 'rules:\n  - name: ro\n    expect: { readOnly: true }\n');
    expect(r.exitCode).toBe(0);
    expect(r.stats.notTemplates).toBe(1);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'not-a-template', severity: 'note', location: { file: expect.stringMatching(/k8s\/cm\.yaml$/) } })]);
  });
});
