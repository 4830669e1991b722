/**
 * `diff` on two directories: the fail-closed cases (new unknowns, conditions, unreadable files,
 * cross-file attachments), the ones that must not be reported (an unchanged condition or unknown),
 * and that a git ref is read without touching the work tree or the index.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiffInputError, diff, type DiffReport } from '../../src';
import { commit, git, tempRepo, write } from './fixture';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function trees(base: Record<string, string>, head: Record<string, string>): { base: string; head: string; root: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'jci-diff-dirs-')));
  made.push(root);
  write(path.join(root, 'base'), { '.keep': '', ...base });
  write(path.join(root, 'head'), { '.keep': '', ...head });
  return { base: path.join(root, 'base'), head: path.join(root, 'head'), root };
}

function run(base: Record<string, string>, head: Record<string, string>, opts: { failOn?: 'gained-any' | 'gained-write' | 'never' } = {}): DiffReport {
  const t = trees(base, head);
  return diff({ base: t.base, head: t.head, cwd: t.root, rules: false, ...opts });
}

const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
const VIEW = { Effect: 'Allow', Action: ['connect:Describe*', 'connect:List*', 'ds:DescribeDirectories'], Resource: '*' };
const TELEPHONY = { Effect: 'Allow', Action: 'connect:UpdateInstanceAttribute', Resource: '*' };

const role = (id: string, extra: string): string => `Resources:
  ${id}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ${id.toLowerCase()}
${extra}`;

test('a condition added to an allow: the task becomes conditional, counted as lost, with what it depends on', () => {
  const withCondition = { ...TELEPHONY, Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } } };
  const r = run({ 'p/admin.json': doc(VIEW, TELEPHONY) }, { 'p/admin.json': doc(VIEW, withCondition) });
  const d = r.principals[0]!;
  expect(d.gained).toBe(false);
  expect(d.lost).toBe(true);
  expect(d.tasks.lost.map((t) => [t.task, t.from, t.to])).toEqual(expect.arrayContaining([['Enable/disable telephony options', 'yes', 'conditional']]));
  const c = d.conditional.find((x) => x.subject === 'task' && x.name === 'Telephony / Enable/disable telephony options')!;
  expect(c).toMatchObject({ became: true, from: 'yes', to: 'conditional', dependsOn: ['condition key aws:RequestedRegion (StringEquals)'] });
  expect(r.exitCode).toBe(0);
});

test('a condition removed: the task stops being conditional and is gained (exit 1)', () => {
  const withCondition = { ...TELEPHONY, Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } } };
  const r = run({ 'p/admin.json': doc(VIEW, withCondition) }, { 'p/admin.json': doc(VIEW, TELEPHONY) });
  const d = r.principals[0]!;
  expect(d.tasks.gained.map((t) => [t.task, t.from, t.to])).toEqual(expect.arrayContaining([['Enable/disable telephony options', 'conditional', 'yes']]));
  expect(d.conditional.find((x) => x.name === 'connect:UpdateInstanceAttribute')).toMatchObject({ became: false, from: 'conditional', to: 'allowed' });
  expect(d.nonRead.gained.actions).toEqual(['connect:UpdateInstanceAttribute']);
  expect(r.exitCode).toBe(1);
});

test('an unchanged condition is not new access when something else in the principal changes', () => {
  const regional = { Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } } };
  const r = run({ 'p/a.json': doc(VIEW, regional, { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }) }, { 'p/a.json': doc(VIEW, regional) });
  const d = r.principals[0]!;
  expect(d.gained).toBe(false);
  expect(d.headWithinBase).toMatchObject({ pass: true, definite: 0, possible: 0 });
  expect(d.nonRead.lost.actions).toEqual(['sqs:SendMessage']);
  expect(r.exitCode).toBe(0);
});

test('the same condition key with another value is new access (the statements differ)', () => {
  const region = (r: string): unknown => ({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': r } } });
  const r = run({ 'p/a.json': doc(VIEW, region('eu-west-2')) }, { 'p/a.json': doc(VIEW, region('us-east-1')) });
  const d = r.principals[0]!;
  expect(d.gained).toBe(true);
  expect(d.headWithinBase).toMatchObject({ pass: false, first: ['s3:PutObject'] });
  expect(r.exitCode).toBe(1);
});

test('a new unknown (a managed policy from another stack) could grant anything: gained-write', () => {
  const base = role('AppRole', '      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess]\n');
  const head = role('AppRole', '      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess, !ImportValue shared-policy-arn]\n');
  const r = run({ 't.yaml': base }, { 't.yaml': head }, { failOn: 'gained-write' });
  const d = r.principals[0]!;
  expect(d.unresolved.gained).toHaveLength(1);
  expect(d.unresolved.gained[0]).toMatch(/shared-policy-arn/);
  expect(d).toMatchObject({ gained: true, gainedWrite: true });
  expect(r.exitCode).toBe(1);
});

test('an unknown both sides share is not reported again when an unrelated statement changes', () => {
  const arns = '      ManagedPolicyArns: [!ImportValue shared-policy-arn]\n';
  const pol = (actions: string): string => `      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [${actions}]
                Resource: '*'
`;
  const r = run({ 't.yaml': role('AppRole', arns + pol('s3:GetObject, sqs:SendMessage')) }, { 't.yaml': role('AppRole', arns + pol('s3:GetObject')) });
  const d = r.principals[0]!;
  expect(d.unresolved).toEqual({ gained: [], lost: [] });
  expect(d.gained).toBe(false);
  expect(r.exitCode).toBe(0);
});

test('a file the head cannot read is an input error (exit 2); at the base it is a warning and its principals count as added', () => {
  const bad = '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", ';
  const head = run({ 'p/a.json': doc(VIEW) }, { 'p/a.json': bad });
  expect(head.exitCode).toBe(2);
  expect(head.problems).toEqual(expect.arrayContaining([expect.objectContaining({ side: 'head', severity: 'error', kind: 'unreadable-file' })]));
  const base = run({ 'p/a.json': bad }, { 'p/a.json': doc(VIEW) });
  expect(base.problems).toEqual([expect.objectContaining({ side: 'base', severity: 'warning', kind: 'unreadable-file' })]);
  expect(base.principals[0]).toMatchObject({ change: 'added', gained: true });
  expect(base.exitCode).toBe(1);
});

test('a policy attaching to a role another file defines is reviewed by hand: exit 2 with the reason', () => {
  const policy = `Resources:
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [some-role-elsewhere]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - { Effect: Allow, Action: '*', Resource: '*' }
`;
  const r = run({}, { 'extra.yaml': policy });
  expect(r.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'external-attachment', side: 'head', severity: 'error' })]));
  expect(r.exitCode).toBe(2);
});

test('--fail-on never: access gained is reported, exit 0', () => {
  const r = run({ 'p/a.json': doc(VIEW) }, { 'p/a.json': doc(VIEW, TELEPHONY) }, { failOn: 'never' });
  expect(r.summary.gainedAny).toBe(true);
  expect(r.exitCode).toBe(0);
});

test('a name that is neither a directory nor a git ref is an input error naming both', () => {
  const t = trees({}, {});
  expect(() => diff({ base: 'no-such-thing', head: t.head, cwd: t.root })).toThrow(DiffInputError);
  expect(() => diff({ base: 'no-such-thing', head: t.head, cwd: t.root })).toThrow(/neither a directory nor a git ref|not in a git repository/);
});

test('git refs are read without touching the work tree or the index, also from a subdirectory', () => {
  const dir = tempRepo();
  made.push(dir);
  write(dir, { 'infra/p/a.json': doc(VIEW), 'other/x.json': doc(TELEPHONY) });
  const first = commit(dir, 'one');
  write(dir, { 'infra/p/a.json': doc(VIEW, TELEPHONY) });
  commit(dir, 'two');
  write(dir, { 'infra/p/a.json': doc(VIEW, TELEPHONY, { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }), 'infra/untracked.json': doc(VIEW) });
  git(dir, 'add', 'infra/p/a.json'); // staged, not committed
  const statusBefore = git(dir, 'status', '--porcelain=v1');
  const indexBefore = fs.readFileSync(path.join(dir, '.git', 'index'));
  const r = diff({ base: first, head: 'HEAD', cwd: path.join(dir, 'infra') });
  expect(git(dir, 'status', '--porcelain=v1')).toBe(statusBefore);
  expect(fs.readFileSync(path.join(dir, '.git', 'index')).equals(indexBefore)).toBe(true);
  // Only infra/ is scanned, paths are relative to it, and HEAD is the commit (not the staged edit).
  expect(r.principals.map((d) => d.head!.file)).toEqual(['p/a.json']);
  expect(r.principals[0]!.nonRead.gained.actions).toEqual(['connect:UpdateInstanceAttribute']);
  expect(r.base).toMatchObject({ kind: 'git', commit: first });
  // Without --head: the work tree as it is (the staged s3 write and the untracked file count).
  const w = diff({ base: 'HEAD', cwd: path.join(dir, 'infra') });
  expect(w.head.kind).toBe('dir');
  expect(w.principals.find((d) => d.head?.file === 'p/a.json')!.nonRead.gained.actions).toEqual(['s3:PutObject']);
  expect(w.principals.find((d) => d.head?.file === 'untracked.json')!.change).toBe('added');
  // Temporary checkouts are removed.
  expect(fs.existsSync(r.base.root)).toBe(false);
});

test('inputs that are not policy edits are named: the package version in package.json, the rules file', () => {
  const pkg = (v: string): string => JSON.stringify({ name: 'infra', devDependencies: { 'jest-connect-iam': v } });
  const t = trees(
    { 'package.json': pkg('0.1.0'), 'p/a.json': doc(VIEW) },
    { 'package.json': pkg('0.2.0'), 'p/a.json': doc(VIEW), 'jest-connect-iam.rules.yaml': 'version: 1\nrules:\n  - name: r\n    expect: { readOnly: true }\n' },
  );
  const r = diff({ base: t.base, head: t.head, cwd: t.root, version: '0.1.0' });
  expect(r.inputs.map((i) => i.kind)).toEqual(['package-version', 'rules-file']);
  expect(r.inputs[0]!.message).toMatch(/^package\.json: jest-connect-iam 0\.1\.0 -> 0\.2\.0; both sides were evaluated with the installed 0\.1\.0/);
  expect(r.inputs[1]!.message).toBe("jest-connect-iam.rules.yaml is new: the head's rules are applied to both sides");
  // Nothing about the principals changed: no entry, exit 0.
  expect(r.principals).toEqual([]);
  expect(r.exitCode).toBe(0);
});
