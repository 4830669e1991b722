/**
 * `jest-connect-iam drift --account dump.json --cwd repo` on the drift fixture pair
 * (test/fixtures/drift: repo/infra/connect.yaml and account.json, "the same" account after changes
 * made outside the repo): access added (connect-auditor), access removed (connect-storage-admin),
 * a role created outside the repo (connect-break-glass) and one deleted (connect-reporting), an
 * unknown repo value (connect-export, !ImportValue) that is unknown and not drift, an unchanged
 * role (connect-admin), a role without a static name paired by the name CloudFormation generates
 * (AnalyticsRole -> connect-stack-AnalyticsRole-<suffix>) and a service-linked role (listed, not compared).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import { bin, REPO_ROOT, tempDir, writeTree } from './helpers';
import { validateAgainstSchema } from '../../src/rules';

const PAIR = path.join(REPO_ROOT, 'test', 'fixtures', 'drift');
const DUMP = path.join(PAIR, 'account.json');
const REPO = path.join(PAIR, 'repo');

function run(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const sink = (f: (s: string) => void): Writable => new Writable({ write(chunk, _e, cb) { f(String(chunk)); cb(); } });
  const code = main(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  return { code, stdout, stderr };
}

describe('drift on the fixture pair', () => {
  let json: Record<string, unknown> & { pairs: Array<Record<string, unknown>> };
  beforeAll(() => {
    const r = run(['drift', '--account', DUMP, '--cwd', REPO, '--format', 'json']);
    expect(r.code).toBe(1);
    json = JSON.parse(r.stdout) as typeof json;
  });

  test('pairs by physical name and gives each pair a status', () => {
    expect(json.pairs.map((p) => [p.name, p.status])).toEqual([
      ['connect-admin', 'same'],
      ['connect-auditor', 'differs'],
      ['connect-storage-admin', 'differs'],
      ['connect-export', 'unknown'],
      ['connect-stack-AnalyticsRole-1A2B3C4D5E6F7', 'same'],
    ]);
    expect(json.pairs.map((p) => p.pairedBy)).toEqual(['name', 'name', 'name', 'name', 'generated-name']);
    expect(json.counts).toEqual({ pairs: 5, differs: 2, unknown: 1, same: 2, onlyInAccount: 1, onlyInRepo: 1, unnamed: 0 });
    expect(json.status).toBe('differs');
    expect(json.exitCode).toBe(1);
  });

  test('drift 1: access added in the account (console tasks, non-read actions, beyond the repo)', () => {
    const auditor = json.pairs.find((p) => p.name === 'connect-auditor') as Record<string, any>;
    expect(auditor.tasks.onlyInAccount.map((t: { task: string }) => t.task)).toEqual(['Telephony / Enable/disable telephony options', 'Flows / Update Amazon Polly option']);
    expect(auditor.nonRead.onlyInAccount).toEqual([{ action: 'connect:UpdateInstanceAttribute', repo: 'not allowed', account: 'allowed' }]);
    expect(auditor.beyondRepo).toEqual(['connect:UpdateInstanceAttribute']);
    expect(auditor.beyondAccount).toEqual([]);
    expect(auditor.policies.onlyInAccount).toEqual(['IncidentHotfix']);
  });

  test('drift 2: access removed in the account', () => {
    const storage = json.pairs.find((p) => p.name === 'connect-storage-admin') as Record<string, any>;
    expect(storage.tasks.onlyInRepo.map((t: { task: string }) => t.task)).toContain('Data storage / Edit call recording');
    expect(storage.nonRead.onlyInRepo).toEqual([{ action: 'kms:CreateGrant', repo: 'allowed', account: 'not allowed' }]);
    expect(storage.beyondAccount).toEqual(['kms:CreateGrant']);
  });

  test('drift 3: principals only in the account (service-linked roles listed apart) or only in the repo', () => {
    expect((json.onlyInAccount as Array<Record<string, unknown>>).map((p) => [p.name, p.serviceLinked ?? false])).toEqual([
      ['connect-break-glass', false],
      ['AWSServiceRoleForAmazonConnect_a1b2c3', true],
    ]);
    expect((json.onlyInRepo as Array<Record<string, unknown>>).map((p) => [p.name, p.file, p.line])).toEqual([['connect-reporting', 'infra/connect.yaml', 89]]);
  });

  test('an unknown repo value is shown as unknown, not as drift', () => {
    const exp = json.pairs.find((p) => p.name === 'connect-export') as Record<string, any>;
    expect(exp.status).toBe('unknown');
    expect(exp.nonRead.onlyInAccount).toEqual([]);
    expect(exp.beyondRepo).toEqual([]);
    // A write on a narrower resource with no condition is certain in the account; the repo's resource is unknown.
    expect(exp.nonRead.unknown).toEqual([{ action: 's3:PutObject', repo: 'conditional', account: 'allowed' }]);
    expect(exp.unresolved.repo[0].description).toMatch(/!Sub \$\{BucketArn\}\/exports\/\*/);
  });
});

describe('formats', () => {
  test('text names each pair, what differs, and the verdict', () => {
    const r = run(['drift', '--account', DUMP, '--cwd', REPO]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^DIFFERS role connect-auditor {2}repo ConnectAuditorRole \(infra\/connect\.yaml:32\), account arn:aws:iam::111122223333:role\/connect-auditor$/m);
    expect(r.stdout).toMatch(/console tasks only the account grants: Telephony \/ Enable\/disable telephony options/);
    expect(r.stdout).toMatch(/unknown \(not drift; one side is conditional or unknown\): s3:PutObject/);
    expect(r.stdout).toMatch(/Only in the account \(1; not defined in the repo\):\n {2}role connect-break-glass/);
    expect(r.stdout).toMatch(/Only in the repo \(1; .*\):\n {2}role connect-reporting \(infra\/connect\.yaml:89\)/);
    expect(r.stdout).toMatch(/Service-linked roles in the account \(AWS's, not compared\): AWSServiceRoleForAmazonConnect_a1b2c3/);
    expect(r.stdout).toMatch(/Result: the account differs from the repo\.\n$/);
  });

  test('markdown is a table with one row per principal', () => {
    const r = run(['drift', '--account', DUMP, '--cwd', REPO, '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\| status \| principal \| repo \| account \| differences \|$/m);
    expect(r.stdout).toMatch(/^\| differs \| role connect-auditor \| infra\/connect\.yaml:32 \|/m);
    expect(r.stdout).toMatch(/^\| only in account \| role connect-break-glass \|/m);
    expect(r.stdout).toMatch(/^\| only in repo \| role connect-reporting \|/m);
  });

  test('SARIF 2.1.0 with a result per difference at the repo file and line', () => {
    const r = run(['drift', '--account', DUMP, '--cwd', REPO, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }> }> }> };
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'report', 'schemas', 'sarif-2.1.0.subset.schema.json'), 'utf8')) as Record<string, unknown>;
    expect(validateAgainstSchema(log, schema)).toEqual([]);
    const results = log.runs[0]!.results;
    const task = results.find((x) => x.ruleId === 'drift/console-task' && /connect-auditor/.test(x.message.text))!;
    expect(task.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'infra/connect.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 32 } });
    const only = results.find((x) => x.ruleId === 'drift/only-in-account')!;
    expect(only.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/^file:\/\/\/.*test\/fixtures\/drift\/account\.json$/);
    expect(new Set(results.map((x) => x.ruleId))).toEqual(new Set(['drift/console-task', 'drift/non-read-action', 'drift/beyond-repo', 'drift/beyond-account', 'drift/unknown', 'drift/only-in-account', 'drift/only-in-repo']));
  });
});

describe('exit codes', () => {
  test('0 when nothing differs (only the unchanged role selected)', () => {
    const r = run(['drift', '--account', DUMP, '--cwd', REPO, '--principals', 'connect-admin']);
    expect(r.stdout).toMatch(/Result: the account matches the repo\./);
    expect(r.code).toBe(0);
  });

  test('unknown only: 1, or 0 with --allow-unknown', () => {
    expect(run(['drift', '--account', DUMP, '--cwd', REPO, '--principals', 'connect-export']).code).toBe(1);
    const r = run(['drift', '--account', DUMP, '--cwd', REPO, '--principals', 'connect-export', '--allow-unknown']);
    expect(r.stdout).toMatch(/no certain difference, but 1 comparison could not be decided \(allowed by --allow-unknown\)/);
    expect(r.code).toBe(0);
  });

  test('2 without --account, with an unreadable dump, with an unreadable repo file', () => {
    const noAccount = run(['drift', '--cwd', REPO]);
    expect(noAccount.code).toBe(2);
    expect(noAccount.stderr).toMatch(/'drift' needs --account <dump\.json>/);
    const dir = tempDir('jci-drift-');
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"RoleDetailList": [{"RoleName": 1}]}');
    const badDump = run(['drift', '--account', bad, '--cwd', REPO]);
    expect(badDump.code).toBe(2);
    expect(badDump.stderr).toMatch(/bad\.json:1:\d+: RoleDetailList\[0\]\.RoleName: RoleName must be a string/);
    const repo = writeTree(tempDir('jci-drift-repo-'), {
      'ok.yaml': fs.readFileSync(path.join(REPO, 'infra', 'connect.yaml'), 'utf8'),
      'broken.yaml': 'Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: [\n',
    });
    const badRepo = run(['drift', '--account', DUMP, '--cwd', repo]);
    expect(badRepo.code).toBe(2);
    expect(badRepo.stdout).toMatch(/error: broken\.yaml.*cannot be read/);
    // The other file is still compared.
    expect(badRepo.stdout).toMatch(/DIFFERS role connect-auditor/);
  });

  test('2 when the repo has no principal; an account dump inside the repo is not a repo principal', () => {
    const repo = writeTree(tempDir('jci-drift-empty-'), { 'account.json': fs.readFileSync(DUMP, 'utf8') });
    const r = run(['drift', '--account', path.join(repo, 'account.json'), '--cwd', repo]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/no role, user or group found/);
  });

  test('an unknown option or format suggests the right one', () => {
    expect(run(['drift', '--acount', DUMP]).stderr).toMatch(/did you mean --account/);
    expect(run(['drift', '--account', DUMP, '--format', 'sarf']).stderr).toMatch(/did you mean 'sarif'/);
    expect(run(['drif']).stderr).toMatch(/did you mean 'drift'/);
  });

  test('the built bin gives the same verdict (exit 1) and lists drift in --help', () => {
    const r = bin(['drift', '--account', DUMP, '--cwd', REPO, '--format', 'json']);
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { counts: { differs: number } }).counts.differs).toBe(2);
    expect(bin(['--help']).stdout).toMatch(/^ {2}drift {5}Compare the principals a repo defines with an account snapshot/m);
    expect(bin(['drift', '--help']).stdout).toMatch(/aws iam get-account-authorization-details --output json > account\.json/);
  });
});

describe('pairing a role without a static name', () => {
  test('two account roles CloudFormation could have generated for it (two stacks): unknown, with both named', () => {
    const { computeDrift } = jest.requireActual<typeof import('../../src/analysis/drift')>('../../src/analysis/drift');
    const repoRole = { kind: 'role' as const, id: 'AnalyticsRole', policies: [] };
    const acct = (name: string) => ({ kind: 'role' as const, id: `arn:aws:iam::111122223333:role/${name}`, name, arn: `arn:aws:iam::111122223333:role/${name}`, policies: [] });
    const two = computeDrift([repoRole], [acct('dev-AnalyticsRole-AAAAAAAAAAAA'), acct('prod-AnalyticsRole-BBBBBBBBBBBB')]);
    expect(two.pairs).toEqual([]);
    expect(two.unnamed[0]!.reason).toMatch(/2 account roles have names CloudFormation could have generated for it \(dev-AnalyticsRole-AAAAAAAAAAAA, prod-AnalyticsRole-BBBBBBBBBBBB\)/);
    expect(two.status).toBe('differs'); // the two account roles are only in the account
    const one = computeDrift([repoRole], [acct('prod-AnalyticsRole-BBBBBBBBBBBB'), acct('prod-OtherRole-CCCCCCCCCCCC')]);
    expect(one.pairs.map((p) => [p.name, p.pairedBy])).toEqual([['prod-AnalyticsRole-BBBBBBBBBBBB', 'generated-name']]);
  });
});
