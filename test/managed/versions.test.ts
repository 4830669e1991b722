/**
 * Managed policy versions: every bundled version of the Amazon Connect managed policies and the
 * broad ones that grant console tasks, managedPolicy(name, { version }), managedPolicyVersions(),
 * the delta codec behind the bundle, managedPolicyVersions: pins in the rules file, and
 * `jest-connect-iam managed-policies --since`.
 *
 * Facts about the versions come from AWS's page "AWS managed policies for Amazon Connect" (its
 * "policy updates" table): https://docs.aws.amazon.com/connect/latest/adminguide/security-iam-awsmanpol.html
 * (AmazonConnect_FullAccess gained lex:ListBots/lex:ListBotAliases, then Customer Profiles
 * permissions, then iam:CreateServiceLinkedRole for profile.amazonaws.com).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import {
  PolicyValidationError,
  UnknownNameError,
  UsageError,
  evaluate,
  managedPolicy,
  managedPolicyVersions,
  policiesWithHistory,
  rules,
  versionHistoryInfo,
} from '../../src';
import { main } from '../../src/cli/main';
import { diff, patch } from '../../src/managed/delta';
import { parsePolicy } from '../../src/policy';
import { SHARED_POLICIES } from './shared';

const statements = (doc: unknown): Array<Record<string, unknown>> => (doc as { Statement: Array<Record<string, unknown>> }).Statement;
const actions = (doc: unknown): string[] => statements(doc).flatMap((s) => (Array.isArray(s.Action) ? (s.Action as string[]) : s.Action ? [s.Action as string] : []));

const INVALID_OLD_VERSIONS: string[] = [
  "ReadOnlyAccess v61: Statement[0].Action[11]: Action 'access-analyzer:ListTagsForResource ' contains white space (policy 'ReadOnlyAccess v61')",
  "ReadOnlyAccess v62: Statement[0].Action[11]: Action 'access-analyzer:ListTagsForResource ' contains white space (policy 'ReadOnlyAccess v62')",
  "SecurityAudit v5: Statement[0].Action[50]: Action 'lambda:ListFunctions ' contains white space (policy 'SecurityAudit v5')",
  "SecurityAudit v6: Statement[0].Action[51]: Action 'lambda:ListFunctions ' contains white space (policy 'SecurityAudit v6')",
  "ViewOnlyAccess v1: Statement[0].Action[29]: Action 'ec2: DescribeAccountAttributes' contains white space (policy 'ViewOnlyAccess v1')",
];

describe('managedPolicy(name, { version })', () => {
  test('AmazonConnect_FullAccess v1..v4: each version what AWS says it changed', () => {
    expect(managedPolicyVersions('AmazonConnect_FullAccess').map((v) => [v.versionId, v.isDefault])).toEqual([['v1', false], ['v2', false], ['v3', false], ['v4', true]]);
    const v1 = managedPolicy('AmazonConnect_FullAccess', { version: 'v1' });
    const v2 = managedPolicy('AmazonConnect_FullAccess', { version: 'v2' });
    const v3 = managedPolicy('AmazonConnect_FullAccess', { version: 'v3' });
    const v4 = managedPolicy('AmazonConnect_FullAccess');
    expect(actions(v1.document)).not.toContain('lex:ListBots');
    expect(actions(v2.document)).toEqual(expect.arrayContaining(['lex:ListBots', 'lex:ListBotAliases']));
    expect(actions(v2.document).some((a) => a.startsWith('profile:'))).toBe(false);
    expect(actions(v3.document)).toEqual(expect.arrayContaining(['profile:ListDomains', 'profile:CreateDomain']));
    expect(JSON.stringify(v3.document)).not.toContain('profile.amazonaws.com');
    expect(JSON.stringify(v4.document)).toContain('profile.amazonaws.com');
    expect(evaluate(v1, 'lex:ListBots').decision).toBe('implicitDeny');
    expect(evaluate(v2, 'lex:ListBots').decision).toBe('allowed');
    expect([v1.versionId, v1.createDate, v1.owner, v1.arn]).toEqual(['v1', '2020-11-20T19:54:21Z', 'aws', 'arn:aws:iam::aws:policy/AmazonConnect_FullAccess']);
    // The default version asked for by id is the very default object; others are frozen and cached.
    expect(managedPolicy('AmazonConnect_FullAccess', { version: 'v4' })).toBe(v4);
    expect(managedPolicy('AmazonConnect_FullAccess', { version: 'v1' })).toBe(v1);
    expect(Object.isFrozen(v1.document)).toBe(true);
  });

  test('every bundled version of every policy kept with its history is a valid policy; the last one is the default', () => {
    const info = versionHistoryInfo();
    expect(policiesWithHistory()).toEqual(expect.arrayContaining(['AmazonConnect_FullAccess', 'AmazonConnectReadOnlyAccess', 'AmazonConnectServiceLinkedRolePolicy', 'AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'ViewOnlyAccess', 'SecurityAudit']));
    let count = 0;
    const invalid: string[] = [];
    for (const name of policiesWithHistory()) {
      const versions = managedPolicyVersions(name);
      const def = managedPolicy(name);
      expect(versions[versions.length - 1]).toMatchObject({ versionId: def.versionId, isDefault: true });
      expect(versions[versions.length - 1]!.createDate).toBe(def.createDate);
      for (const v of versions) {
        const p = managedPolicy(name, { version: v.versionId });
        try {
          parsePolicy(p.document, { name: `${name} ${v.versionId}` });
        } catch (e) {
          expect(e).toBeInstanceOf(PolicyValidationError);
          invalid.push(`${name} ${v.versionId}: ${(e as Error).message}`);
        }
        count++;
      }
      expect(managedPolicy(name, { version: def.versionId! }).document).toEqual(def.document);
    }
    expect(count).toBe(info.versions);
    // Old versions AWS once published with a typo the grammar refuses: a typed error when evaluated, never a crash.
    expect(invalid).toEqual(INVALID_OLD_VERSIONS);
    // The budget the build enforces: 512 KB raw, 100 KB gzipped.
    expect(info.budget).toEqual({ raw: 512 * 1024, gzip: 100 * 1024 });
    expect(fs.statSync(info.file).size).toBeLessThanOrEqual(info.budget.raw);
  });

  test('dates: only plausible ones are given; the default version has the policy update date', () => {
    const slr = managedPolicyVersions('AmazonConnectServiceLinkedRolePolicy');
    expect(slr[0]).toMatchObject({ versionId: 'v1', createDate: '2018-09-07T00:21:43Z' });
    // The package gives v9 and later the policy's creation date: unknown, not wrong.
    expect(slr.find((v) => v.versionId === 'v9')!.createDate).toBeUndefined();
    expect(slr[slr.length - 1]).toMatchObject({ versionId: 'v55', createDate: '2026-05-27T21:57:16Z', isDefault: true });
  });

  test('unknown versions, policies without history and bad arguments are errors with suggestions', () => {
    expect(() => managedPolicy('AmazonConnect_FullAccess', { version: 'v9' })).toThrow(UnknownNameError);
    expect(() => managedPolicy('AmazonConnect_FullAccess', { version: 'v9' })).toThrow(/Unknown version of AmazonConnect_FullAccess 'v9'.*bundled versions: v1, v2, v3, v4/);
    expect(() => managedPolicy('AmazonS3FullAccess', { version: 'v1' })).toThrow(/Only the default version \(v2\) of AmazonS3FullAccess is bundled/);
    expect(() => managedPolicy('AmazonConnect_FullAccess', { version: '3' })).toThrow(UsageError);
    expect(() => managedPolicy('AmazonConnect_FullAccess', { versoin: 'v3' } as never)).toThrow(/options is \{ version\?: 'vN' \}.*versoin/);
    expect(() => managedPolicy('AmazonConect_FullAccess', { version: 'v3' })).toThrow(/did you mean 'AmazonConnect_FullAccess'/);
  });
});

describe('the delta codec (the build stores versions as deltas; it must reproduce every document)', () => {
  test('patch(a, diff(a, b)) is b, key order included (fast-check)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 5 })),
    })).value;
    fc.assert(
      fc.property(json, json, (a, b) => JSON.stringify(patch(a, diff(a, b))) === JSON.stringify(b)),
      { numRuns: 500, seed: 12 },
    );
  });

  test('a statement that changed is stored as a delta, not again in full', () => {
    const many = Array.from({ length: 40 }, (_, i) => `svc:Action${i}`);
    const a = { Statement: [{ Effect: 'Allow', Action: ['a:1', ...many], Resource: '*' }, { Effect: 'Deny', Action: 'x:Y', Resource: '*' }] };
    const b = { Statement: [{ Effect: 'Deny', Action: 'x:Y', Resource: '*' }, { Effect: 'Allow', Action: ['a:1', ...many.slice(0, 20), 'a:2b', ...many.slice(20)], Resource: '*' }] };
    const d = diff(a, b);
    expect(JSON.stringify(d)).not.toContain('"a:1"');
    expect(patch(a, d)).toEqual(b);
  });
});

describe('managedPolicyVersions: in the rules file', () => {
  const repo = (dir: string): void => {
    fs.mkdirSync(path.join(dir, 'infra'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'infra', 'admin.yaml'),
      'Resources:\n  AdminRole:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: admin\n      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }\n      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonConnect_FullAccess]\n' +
        '  LexRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }\n      Policies:\n        - PolicyName: lex\n          PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: lex:ListBots, Resource: "*" }] }\n',
    );
  };
  const tmp = (): string => fs.mkdtempSync(path.join(require('node:os').tmpdir() as string, 'jci-pins-'));

  test('a pinned version is what templates and baselines get', () => {
    const dir = tmp();
    repo(dir);
    const text = (pin: string): string => `version: 1\n${pin}rules:\n  - name: lex\n    select: { principals: [AdminRole] }\n    expect:\n      allowActions: [lex:ListBots]\n  - name: within\n    select: { principals: [LexRole] }\n    expect:\n      stayWithin: AmazonConnect_FullAccess\n`;
    const run = (pin: string): Array<[string, string]> => {
      fs.writeFileSync(path.join(dir, 'rules.yaml'), text(pin));
      const set = rules.loadRulesFile(path.join(dir, 'rules.yaml'));
      return rules.runRuleSet(set, { cwd: dir }).outcomes.map((o) => [o.rule, o.status]);
    };
    expect(run('')).toEqual([['lex', 'pass'], ['within', 'pass']]);
    // v1 has no lex:ListBots: the attached policy and the baseline are both v1 now.
    expect(run('managedPolicyVersions:\n  AmazonConnect_FullAccess: v1\n')).toEqual([['lex', 'fail'], ['within', 'fail']]);
  });

  test('an unknown policy or version in the pins is a rules-file error with its line and a suggestion', () => {
    const dir = tmp();
    repo(dir);
    fs.writeFileSync(path.join(dir, 'rules.yaml'), 'version: 1\nmanagedPolicyVersions:\n  AmazonConnect_FullAccess: v7\n  AmazonConect_ReadOnly: v1\nrules:\n  - name: r\n    expect: { readOnly: true }\n');
    expect(() => rules.loadRulesFile(path.join(dir, 'rules.yaml'))).toThrow(/rules\.yaml:3:\d+: .*Unknown version of AmazonConnect_FullAccess 'v7'/s);
    expect(() => rules.loadRulesFile(path.join(dir, 'rules.yaml'))).toThrow(/rules\.yaml:4:\d+: .*Unknown managed policy 'AmazonConect_ReadOnly'/s);
    fs.writeFileSync(path.join(dir, 'rules.yaml'), 'version: 1\nmanagedPolicyVersions:\n  AmazonConnect_FullAccess: 4\nrules:\n  - name: r\n    expect: { readOnly: true }\n');
    expect(() => rules.loadRulesFile(path.join(dir, 'rules.yaml'))).toThrow(/managedPolicyVersions/);
  });
});

describe('jest-connect-iam managed-policies --since', () => {
  const run = (args: readonly string[]): { code: number; out: string; err: string } => {
    let out = '';
    let err = '';
    const sink = (f: (s: string) => void): Writable => new Writable({ write(c, _e, cb) { f(String(c)); cb(); } });
    const code = main(['managed-policies', ...args], { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) });
    return { code, out, err };
  };
  const REPO = path.join(__dirname, '..', 'fixtures', 'drift', 'repo');

  test('since a date: the attached policies that changed, with what they gained, and who attaches them', () => {
    const r = run(['--since', '2021-01-01', '--cwd', REPO]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^AmazonConnect_FullAccess: v1 -> v4$/m);
    expect(r.out).toMatch(/changed only on some resources or under conditions \(not certain either way\): iam:CreateServiceLinkedRole/);
    expect(r.out).toMatch(/attached by: infra\/connect\.yaml#ConnectAdminRole/);
    expect(r.out).toMatch(/^AmazonConnectReadOnlyAccess: v3 -> v4$/m);
    const json = JSON.parse(run(['--since', '2021-01-01', '--cwd', REPO, '--format', 'json']).out) as { changes: Array<{ policy: string; then: string; current: string; exact: boolean; access: { nonReadGained: string[] } }> };
    expect(json.changes.find((c) => c.policy === 'AmazonConnect_FullAccess')).toMatchObject({ then: 'v1', current: 'v4', exact: true });
  });

  test('since a date after every change: nothing changed, exit 0', () => {
    const r = run(['--since', '2026-11-30', '--cwd', REPO]);
    expect(r.out).toMatch(/Unchanged: AmazonConnectReadOnlyAccess v4, AmazonConnect_FullAccess v4/);
    expect(r.code).toBe(0);
  });

  test('since a recorded release (this one): nothing changed; an unknown version suggests the recorded ones', () => {
    expect(run(['--since', '0.1.0', '--all']).code).toBe(0);
    const bad = run(['--since', '0.0.9']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Unknown jest-connect-iam version '0\.0\.9': did you mean '0\.1\.0'/);
    expect(run([]).err).toMatch(/needs --since/);
  });

  test('--all with dates some of which are unknown gives the range of versions in effect', () => {
    const r = run(['--since', '2026-01-01', '--all']);
    // The upper end of the range is the last version whose date is not known to be after the
    // date: which dates are known depends on the build (one comes from ../shared when it is
    // beside the repo), so the range is v8 to v42 or v53 with it and v8 to v54 without it.
    const m = /^AmazonConnectServiceLinkedRolePolicy: v8 -> v55 \(the version in effect then is v8 to v(\d+): some dates are unknown\)/m.exec(r.out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(8);
    expect(Number(m![1])).toBeLessThan(55);
  });
});

const sharedHistory = path.join(SHARED_POLICIES, 'history');
(fs.existsSync(sharedHistory) ? test : test.skip)(
  `the bundled old versions equal AWS's documents in ../shared/data/managed-policies/history${fs.existsSync(sharedHistory) ? '' : ' [skipped: needs ../shared next to the repo]'}`,
  () => {
    for (const [file, name, version] of [
      ['AmazonConnect_FullAccess.v1.json', 'AmazonConnect_FullAccess', 'v1'],
      ['AmazonConnect_FullAccess.v2.json', 'AmazonConnect_FullAccess', 'v2'],
      ['AmazonConnect_FullAccess.v3.json', 'AmazonConnect_FullAccess', 'v3'],
      ['AmazonConnectReadOnlyAccess.v3.json', 'AmazonConnectReadOnlyAccess', 'v3'],
    ] as const) {
      const theirs = JSON.parse(fs.readFileSync(path.join(sharedHistory, file), 'utf8')) as unknown;
      expect(managedPolicy(name, { version }).document).toEqual(theirs);
    }
  },
);
