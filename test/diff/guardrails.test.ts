/**
 * `diff` evaluates each side with that side's rules-file guardrails (the `organization:` SCP
 * levels, resolved per principal as `check` does), reports an SCP file added, edited or removed
 * as a change in evaluation inputs (issue 13: "A change in evaluation inputs that is not a
 * policy edit counts too: ... an SCP file"), and takes --param like `check`. Through the built bin.
 *
 * SCPs: an explicit Deny in any SCP that applies denies the action, whatever the identity
 * policies allow: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bin } from '../cli/helpers';
import { commit, tempRepo, template, write } from './fixture';

const scp = (action: string): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoThat', Effect: 'Deny', Action: action, Resource: '*' }] }, null, 2);

const rules = (withScp: boolean): string => `version: 1
organization:
  - name: prod
    scps:
      - name: root
        policies: [FullAWSAccess]
      - name: account
        policies: [FullAWSAccess${withScp ? ', org/deny.json' : ''}]
rules:
  - name: auditors-read-only
    select: { principals: [AuditorRole] }
    expect:
      readOnly: true
`;

const TELEPHONY = 'Telephony / Enable/disable telephony options';

let dir: string;
const sha: Record<string, string> = {};
beforeAll(() => {
  dir = tempRepo('jci-diff-scp-');
  write(dir, { 'infra/connect.yaml': template({ auditorTelephony: true }), 'jest-connect-iam.rules.yaml': rules(false) });
  sha.base = commit(dir, 'base: the auditor can switch telephony options; only FullAWSAccess');
  write(dir, { 'org/deny.json': scp('connect:UpdateInstanceAttribute'), 'jest-connect-iam.rules.yaml': rules(true) });
  sha.added = commit(dir, 'an SCP at the account denies connect:UpdateInstanceAttribute');
  write(dir, { 'org/deny.json': scp('ec2:TerminateInstances') });
  sha.edited = commit(dir, 'the SCP file alone edited: it now denies something else');
  write(dir, { 'org/deny.json': scp('connect:UpdateInstanceAttribute') });
  sha.reinstated = commit(dir, 'the SCP file alone edited back');
  fs.rmSync(path.join(dir, 'org'), { recursive: true });
  write(dir, { 'jest-connect-iam.rules.yaml': rules(false) });
  sha.removed = commit(dir, 'the SCP removed');
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Json {
  exitCode: number;
  summary: { gainedAny: boolean; lostAny: boolean };
  inputs: Array<{ kind: string; file?: string; message: string }>;
  principals: Array<{ head?: { id: string }; base?: { id: string }; tasks: { gained: Array<{ page: string; task: string; deniedBy?: string[] }>; lost: Array<{ page: string; task: string; deniedBy?: string[] }> }; inputs: string[] }>;
  stats: { files: { head: number; unchanged: number }; loaded: number };
}
const json = (base: string, head: string, extra: string[] = []): Json => {
  const r = bin(['diff', '--base', base, '--head', head, '--format', 'json', '-q', ...extra], { cwd: dir });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Json;
};
const auditor = (j: Json) => j.principals.find((p) => (p.head ?? p.base)!.id === 'AuditorRole')!;
const names = (l: ReadonlyArray<{ page: string; task: string }>): string[] => l.map((t) => `${t.page} / ${t.task}`);

test('an SCP added at the head that denies a task the role had: lost, naming the SCP; nothing gained, so exit 0 with gained-any', () => {
  const r = bin(['diff', '--base', sha.base!, '--head', sha.added!, '-q'], { cwd: dir });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`- console task ${TELEPHONY} (now: SCP deny at account denies)`);
  expect(r.stdout).toContain('org/deny.json: SCP now applies; every principal it applies to was re-evaluated');
  const j = json(sha.base!, sha.added!);
  expect(j).toMatchObject({ exitCode: 0, summary: { gainedAny: false, lostAny: true } });
  const lost = auditor(j).tasks.lost.find((t) => `${t.page} / ${t.task}` === TELEPHONY)!;
  expect(lost.deniedBy).toEqual(['SCP deny at account denies']);
  expect(auditor(j).inputs).toContain('org/deny.json: SCP now applies; every principal it applies to was re-evaluated');
  // The SCP file is a guardrail, not a principal.
  expect(j.principals.some((p) => (p.head ?? p.base)!.id.includes('deny'))).toBe(false);
});

test('an SCP file edited with no policy edit: an evaluation input that changed; every file re-evaluated despite equal content', () => {
  const regained = json(sha.added!, sha.edited!);
  expect(regained.exitCode).toBe(1);
  expect(regained.inputs).toEqual([expect.objectContaining({ kind: 'guardrail-file', file: 'org/deny.json', message: 'org/deny.json: SCP changed; every principal it applies to was re-evaluated' })]);
  expect(names(auditor(regained).tasks.gained)).toContain(TELEPHONY);
  // infra/connect.yaml is unchanged, yet loaded at both sides: the guardrail key differs.
  expect(regained.stats.files.unchanged).toBe(regained.stats.files.head);
  expect(regained.stats.loaded).toBe(2 * regained.stats.files.head);
  expect(bin(['diff', '--base', sha.added!, '--head', sha.edited!, '-q'], { cwd: dir }).stdout).toContain('unchanged (content hash equal, loaded and evaluated anyway: the guardrails differ)');

  const lost = json(sha.edited!, sha.reinstated!);
  expect(lost).toMatchObject({ exitCode: 0, summary: { gainedAny: false, lostAny: true } });
  expect(names(auditor(lost).tasks.lost)).toContain(TELEPHONY);

  // The same SCP content at both sides (added, then edited and edited back): nothing to re-evaluate, no change.
  const same = json(sha.added!, sha.reinstated!);
  expect(same).toMatchObject({ exitCode: 0, principals: [], inputs: [] });
  expect(same.stats.loaded).toBe(0);
});

test('an SCP removed at the head: the task is regained, exit 1', () => {
  const r = bin(['diff', '--base', sha.reinstated!, '--head', sha.removed!, '-q'], { cwd: dir });
  expect(r.status).toBe(1);
  expect(r.stdout).toContain(`+ console task ${TELEPHONY} (was: SCP deny at account denies)`);
  expect(r.stdout).toContain('org/deny.json: SCP no longer applies');
  const j = json(sha.reinstated!, sha.removed!);
  expect(j.summary.gainedAny).toBe(true);
  expect(names(auditor(j).tasks.gained)).toContain(TELEPHONY);
});

test('a read action only an SCP denied, regained with no console task: still a gain (head does not stay within base), two directories', () => {
  const base = fs.mkdtempSync(path.join(dir, '..', 'jci-diff-scp-read-base-'));
  const head = fs.mkdtempSync(path.join(dir, '..', 'jci-diff-scp-read-head-'));
  try {
    write(base, { 'connect.yaml': template(), 'org/deny.json': scp('s3:GetObject'), 'jest-connect-iam.rules.yaml': rules(true) });
    write(head, { 'connect.yaml': template(), 'jest-connect-iam.rules.yaml': rules(false) });
    const r = bin(['diff', '--base', base, '--head', head, '--format', 'json', '-q']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { principals: Array<{ head?: { id: string }; gained: boolean; headWithinBase?: { pass: boolean; first: string[] } }> };
    const report = j.principals.find((p) => p.head?.id === 'ReportRole')!;
    expect(report).toMatchObject({ gained: true, headWithinBase: { pass: false, first: ['s3:GetObject'] } });
    // The reverse, the SCP added: a loss only, exit 0.
    expect(bin(['diff', '--base', head, '--head', base, '-q']).status).toBe(0);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
    fs.rmSync(head, { recursive: true, force: true });
  }
});

describe('--param, --pseudo and --condition apply to both sides', () => {
  let base: string;
  let head: string;
  beforeAll(() => {
    base = fs.mkdtempSync(path.join(dir, '..', 'jci-diff-param-base-'));
    head = fs.mkdtempSync(path.join(dir, '..', 'jci-diff-param-head-'));
    write(base, { 'connect.yaml': template() });
    // Under the WritesOn condition (EnableWrites, default 'false'), the report role may now also set bucket policies.
    write(head, { 'connect.yaml': template().replace('Action: [s3:PutObject, s3:DeleteObject]', 'Action: [s3:PutObject, s3:DeleteObject, s3:PutBucketPolicy]') });
  });
  afterAll(() => {
    fs.rmSync(base, { recursive: true, force: true });
    fs.rmSync(head, { recursive: true, force: true });
  });

  test('with the default the edit grants nothing (exit 0); --param EnableWrites=true makes it a gain (exit 1)', () => {
    const off = bin(['diff', '--base', base, '--head', head, '--format', 'json', '-q']);
    expect(off.status).toBe(0);
    expect(JSON.parse(off.stdout).summary.gainedAny).toBe(false);
    const on = bin(['diff', '--base', base, '--head', head, '--format', 'json', '-q', '--param', 'EnableWrites=true']);
    expect(on.status).toBe(1);
    const j = JSON.parse(on.stdout) as { principals: Array<{ head: { id: string }; nonRead: { gained: { actions?: string[]; byService: Array<{ service: string; first: string[] }> } } }> };
    const report = j.principals.find((p) => p.head.id === 'ReportRole')!;
    expect(report.nonRead.gained.byService).toEqual([expect.objectContaining({ service: 's3', first: ['s3:PutBucketPolicy'] })]);
    // A --condition the parameters contradict is an input error at both sides, as for check (exit 2).
    const contradicted = bin(['diff', '--base', base, '--head', head, '-q', '--condition', 'WritesOn=true']);
    expect(contradicted.status).toBe(2);
    expect(contradicted.stdout).toContain("options.conditions gives condition 'WritesOn' the value true, but with these parameters it is false");
    // With the parameter that makes it true, the same --condition is consistent: the gain again.
    expect(bin(['diff', '--base', base, '--head', head, '-q', '--param', 'EnableWrites=true', '--condition', 'WritesOn=true']).status).toBe(1);
  });

  test('a parameter or condition no template declares is an input error with a suggestion (exit 2); bad values are usage errors', () => {
    const r = bin(['diff', '--base', base, '--head', head, '-q', '--param', 'EnableWrite=true']);
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain("template parameter 'EnableWrite' is given a value (--param), but no template at the head declares it: did you mean 'EnableWrites'?");
    expect(bin(['diff', '--base', base, '--head', head, '--condition', 'WritesOn=yes']).stderr).toContain('--condition WritesOn needs true or false');
    expect(bin(['diff', '--help']).stdout).toContain('--param <Name=Value>');
  });
});

describe('an added principal counts only the actions its side\'s SCPs let through', () => {
  // SCPs deny what they deny for every action counted, as for the console tasks:
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
  const policy = (actions: string[]): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }, null, 2);
  const orgRules = `version: 1
organization:
  - name: prod
    scps:
      - name: account
        policies: [FullAWSAccess, org/deny-s3.json]
rules:
  - name: nobody-deletes-instances
    expect: { notAllowActions: [connect:DeleteInstance] }
`;
  let repo: string;
  let base: string;
  let head: string;
  beforeAll(() => {
    repo = tempRepo('jci-diff-scp-count-');
    write(repo, { 'jest-connect-iam.rules.yaml': orgRules, 'org/deny-s3.json': scp('s3:*') });
    base = commit(repo, 'base: the organization only');
    write(repo, { 'policies/new-role.json': policy(['connect:DescribeInstance', 'connect:ListInstances', 's3:GetObject', 's3:PutObject']) });
    head = commit(repo, 'a policy file allowing 2 Connect and 2 S3 actions');
  }, 60_000);
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('"actions in all" is 2, not 4: the SCP denies the S3 ones', () => {
    const r = bin(['diff', '--base', base, '--head', head, '--format', 'json', '-q'], { cwd: repo });
    const j = JSON.parse(r.stdout) as { principals: Array<{ change: string; head?: { id: string }; access?: { actions: number } }> };
    const added = j.principals.find((p) => p.head?.id === 'new-role.json')!;
    expect(added).toMatchObject({ change: 'added', access: { actions: 2 } });
    expect(bin(['diff', '--base', base, '--head', head, '-q'], { cwd: repo }).stdout).toContain('actions in all (any access level): 2');
  });
});
