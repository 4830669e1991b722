/**
 * The proof of `diff`: a fixture repository with a history of small commits (test/diff/fixture.ts),
 * each one a change a reviewer meets in an infra pull request, and for each step the diff
 * expected between that commit and the one before it, through the public entry point.
 *
 * Console tasks are the catalog's (AWS's page "Required permissions for using custom IAM policies
 * to manage access to the Amazon Connect console",
 * https://docs.aws.amazon.com/connect/latest/adminguide/security-iam-amazon-connect-permissions.html):
 * "Enable/disable telephony options" is connect:UpdateInstanceAttribute plus its View task;
 * "Create service-linked role" needs iam:PutRolePolicy on the service-linked role.
 */
import * as fs from 'node:fs';
import { diff, type DiffReport, type PrincipalDiff } from '../../src';
import { buildHistory, type Step } from './fixture';

let dir: string;
let steps: Step[];
const reports = new Map<string, DiffReport>();

beforeAll(() => {
  ({ dir, steps } = buildHistory());
  for (let i = 1; i < steps.length; i++) reports.set(steps[i]!.name, diff({ base: steps[i - 1]!.sha, head: steps[i]!.sha, cwd: dir }));
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function entry(report: DiffReport, id: string): PrincipalDiff {
  const found = report.principals.find((d) => (d.head ?? d.base)!.id === id);
  if (!found) throw new Error(`no diff entry for ${id}: ${report.principals.map((d) => (d.head ?? d.base)!.id).join(', ')}`);
  return found;
}

const tasks = (xs: PrincipalDiff['tasks']['gained']): string[] => xs.map((t) => `${t.page} / ${t.task}`).sort();

test('a role gains a task: AuditorRole can now switch telephony options (exit 1), and the read-only rule is newly violated', () => {
  const r = reports.get('gains a task')!;
  expect(r.principals).toHaveLength(1);
  const d = entry(r, 'AuditorRole');
  expect(d).toMatchObject({ change: 'changed', pairedBy: 'key', gained: true, gainedWrite: true, lost: false });
  // UpdateInstanceAttribute is the own action of both tasks (the catalog lists it for telephony and Polly).
  expect(tasks(d.tasks.gained)).toEqual(['Flows / Update Amazon Polly option', 'Telephony / Enable/disable telephony options']);
  expect(d.tasks.gained.every((t) => t.from === 'no' && t.to === 'yes')).toBe(true);
  expect(d.nonRead.gained).toMatchObject({ count: 1, actions: ['connect:UpdateInstanceAttribute'], byService: [{ service: 'connect', count: 1, conditional: 0 }] });
  expect(d.nonRead.lost.count).toBe(0);
  expect(d.headWithinBase).toMatchObject({ pass: false, definite: 1, possible: 0, first: ['connect:UpdateInstanceAttribute'] });
  expect(d.baseWithinHead).toMatchObject({ pass: true });
  expect(d.policies).toEqual({ attached: ['telephony'], detached: [], edited: [] });
  expect(d.locations[0]).toMatchObject({ file: 'infra/connect.yaml' });
  expect(r.rules!.changes).toEqual([expect.objectContaining({ rule: 'auditors-read-only', state: 'new', subjects: ['connect:UpdateInstanceAttribute'] })]);
  expect(r.summary).toMatchObject({ gainedAny: true, gainedWrite: true, tasksGained: 2, nonReadGained: 1, newlyViolated: 1 });
  expect(r.exitCode).toBe(1);
  // Both other roles of the file were loaded and found identical: not evaluated.
  expect(r.stats.principals).toEqual({ base: 3, head: 3, compared: 1, identical: 2 });
});

test('a role loses a task: StorageAdminRole can no longer create the service-linked role (nothing gained: exit 0)', () => {
  const r = reports.get('loses a task')!;
  const d = entry(r, 'StorageAdminRole');
  expect(d).toMatchObject({ gained: false, gainedWrite: false, lost: true });
  expect(tasks(d.tasks.lost)).toEqual(['Overview / Create service-linked role']);
  expect(d.tasks.gained).toEqual([]);
  // iam:PutRolePolicy was allowed on the service-linked role only (a write on a narrower resource
  // with no condition: the read-only analysis counts it as certainly allowed), now not at all.
  expect(d.nonRead.lost.actions).toEqual(['iam:PutRolePolicy']);
  expect(d.conditional.filter((c) => c.became)).toEqual([]);
  expect(d.headWithinBase!.pass).toBe(true);
  expect(d.baseWithinHead).toMatchObject({ pass: false, first: ['iam:PutRolePolicy'] });
  expect(r.rules!.changes.map((c) => c.state)).toEqual(['existing']);
  expect(r.exitCode).toBe(0);
});

test('a managed policy ARN changes: ReadOnlyAccess -> AmazonConnect_FullAccess shows the tasks and write actions it brings, with versions', () => {
  const r = reports.get('managed policy ARN')!;
  const d = entry(r, 'AuditorRole');
  expect(d.gained).toBe(true);
  expect(d.policies.attached).toEqual([expect.stringMatching(/^AmazonConnect_FullAccess \(v\d+\)$/)]);
  expect(d.policies.detached).toEqual([expect.stringMatching(/^AmazonConnectReadOnlyAccess \(v\d+\)$/)]);
  expect(tasks(d.tasks.gained)).toEqual(
    expect.arrayContaining(['Home / Delete instance', 'Federations / Admin/Emergency federation', 'Flows / Enable/disable flow log', 'Data streaming / Edit agent events']),
  );
  expect(tasks(d.tasks.gained)).not.toContain('Home / Create instance'); // FullAccess has no kms:CreateGrant
  expect(d.tasks.lost).toEqual([]);
  expect(d.nonRead.gained.byService[0]).toMatchObject({ service: 'connect' });
  expect(d.nonRead.gained.byService[0]!.first).toHaveLength(5);
  expect(d.nonRead.gained.count).toBeGreaterThan(100);
  // Conditional answers it brings, with what they depend on.
  const slr = d.conditional.find((c) => c.name === 'iam:CreateServiceLinkedRole')!;
  expect(slr).toMatchObject({ became: true, from: 'absent', to: 'conditional' });
  expect(slr.dependsOn).toEqual(expect.arrayContaining([expect.stringContaining('iam:AWSServiceName')]));
  expect(d.baseWithinHead!.pass).toBe(true);
  expect(r.rules!.changes).toEqual([expect.objectContaining({ rule: 'auditors-read-only', state: 'new' })]);
});

test('a !If flips a statement on through a parameter default: ReportRole gains s3 writes, and the input change is named', () => {
  const r = reports.get('!If flips on')!;
  expect(r.principals.map((d) => d.head!.id)).toEqual(['ReportRole']);
  const d = entry(r, 'ReportRole');
  expect(d.nonRead.gained).toMatchObject({ count: 2, actions: ['s3:DeleteObject', 's3:PutObject'] });
  expect(d.tasks.gained).toEqual([]);
  expect(d.gainedWrite).toBe(true);
  expect(d.inputs).toEqual(['infra/connect.yaml: parameter EnableWrites default false -> true', 'infra/connect.yaml: condition WritesOn false -> true']);
  expect(r.inputs).toEqual([
    expect.objectContaining({ kind: 'parameter-default', file: 'infra/connect.yaml', name: 'EnableWrites', from: 'false', to: 'true' }),
    expect.objectContaining({ kind: 'template-condition', name: 'WritesOn', from: 'false', to: 'true' }),
  ]);
  // AuditorRole still breaks the rule, as it did at the base: existing, not new.
  expect(r.rules!.changes.map((c) => c.state)).toEqual(['existing']);
  expect(r.exitCode).toBe(1);
});

test('a principal is added: its console tasks and non-read count; read-only access counts for gained-any, not for gained-write', () => {
  const r = reports.get('principal added')!;
  const d = entry(r, 'connect-viewer.json');
  expect(d).toMatchObject({ change: 'added', gained: true, gainedWrite: false, head: { kind: 'policy-file', file: 'policies/connect-viewer.json', key: 'policies/connect-viewer.json' } });
  expect(d.access!.tasks).toEqual(expect.arrayContaining(['Home / List instance', 'Data storage / View call recording']));
  expect(d.access!.tasks.some((t) => /Edit|Enable|Add\/remove|Update|Create|Delete/.test(t.split(' / ')[1]!))).toBe(false);
  expect(d.access!.nonRead.count).toBe(0);
  expect(d.access!.actions).toBeGreaterThan(50);
  expect(r.exitCode).toBe(1);
  expect(r.stats.files).toMatchObject({ unchanged: 1, added: 1, changed: 0 });
  const writeOnly = diff({ base: steps[4]!.sha, head: steps[5]!.sha, cwd: dir, failOn: 'gained-write' });
  expect(writeOnly.exitCode).toBe(0);
});

test('a rename: a logical id renamed (same RoleName) and a policy file moved pair with their old selves; no access change (exit 0)', () => {
  const r = reports.get('rename')!;
  expect(r.principals.map((d) => [d.change, d.pairedBy, d.base!.id, d.head!.id, d.gained, d.lost])).toEqual(
    expect.arrayContaining([
      ['changed', 'physical-name', 'ReportRole', 'ReportingRole', false, false],
      ['changed', 'content', 'connect-viewer.json', 'viewer.json', false, false],
    ]),
  );
  expect(r.principals).toHaveLength(2);
  expect(r.summary).toMatchObject({ gainedAny: false, lostAny: false, added: 0, removed: 0 });
  expect(r.exitCode).toBe(0);
});

test('unchanged files are not loaded: a diff of a commit with itself loads nothing', () => {
  const r = diff({ base: steps[5]!.sha, head: steps[5]!.sha, cwd: dir });
  expect(r.stats).toMatchObject({ loaded: 0, files: { unchanged: 2, changed: 0 } });
  expect(r.principals).toEqual([]);
  expect(r.exitCode).toBe(0);
});
