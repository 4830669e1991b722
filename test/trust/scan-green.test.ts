/**
 * A scan that read nothing, or skipped a file, can not end green without saying so:
 * `jest-connect-iam check` (the BUILT bin; exit code and every output format) and the presets
 * (a spawned Jest on consumer projects, including `preset: 'jest-connect-iam'`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, consumerProject, runJest, tempDir, writeTree, type JestRun } from './helpers';

const READ_ONLY_RULE = 'version: 1\nrules:\n  - name: ro\n    expect: { readOnly: true }\n';
const VIEWER = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' }] });
const ADMIN = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const NOT_TEMPLATES = {
  'k8s/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n',
  'serverless.yml': 'service: web\nprovider: { name: aws }\n',
  'data.json': '{ "colours": ["red"] }\n',
};

/** A repo whose only admin policy is a symbolic link to a file outside it (and a link loop). */
function repoWithLinks(): string {
  const base = tempDir();
  const dir = path.join(base, 'repo');
  writeTree(dir, { 'p.json': VIEWER, 'jest-connect-iam.rules.yaml': READ_ONLY_RULE });
  writeTree(base, { 'outside/admin.json': ADMIN });
  fs.symlinkSync(path.join(base, 'outside', 'admin.json'), path.join(dir, 'admin.json'));
  fs.symlinkSync(path.join(dir, 'loop-b.json'), path.join(dir, 'loop-a.json'));
  fs.symlinkSync(path.join(dir, 'loop-a.json'), path.join(dir, 'loop-b.json'));
  fs.symlinkSync(dir, path.join(dir, 'self'));
  return dir;
}

describe('a scan that read nothing, or skipped a file, can not end green without saying so: check', () => {
  test.each([
    ['an empty directory', {}],
    ['a directory of files that are not policies or templates', NOT_TEMPLATES],
  ] as const)('read nothing (%s): exit 2, the rule "checks nothing"', (_name, files) => {
    const dir = writeTree(tempDir(), { ...files, 'jest-connect-iam.rules.yaml': READ_ONLY_RULE });
    const r = cli(['check', '--cwd', dir, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/rule 'ro' selected no principal .*it checks nothing/);
    expect(r.stdout).toMatch(/0 read/);
    for (const format of ['json', 'junit', 'sarif']) {
      const m = cli(['check', '--cwd', dir, '--quiet', '--format', format]);
      expect(m.status).toBe(2);
      expect(m.stderr).toMatch(/selected no principal/);
    }
  });

  test('a rules file with no rule: exit 2', () => {
    const dir = writeTree(tempDir(), { 'p.json': VIEWER, 'jest-connect-iam.rules.yaml': 'version: 1\nrules: []\n' });
    const r = cli(['check', '--cwd', dir, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/at least 1/);
  });

  test('no rules file: exit 2, saying where it looked', () => {
    const dir = writeTree(tempDir(), { 'p.json': VIEWER });
    const r = cli(['check', '--cwd', dir, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(dir);
  });

  test('skipped files (a link out of the repo, a link loop): the link is never followed, and every format says which file was not read', () => {
    const dir = repoWithLinks();
    const text = cli(['check', '--cwd', dir, '--quiet']);
    // What was read holds; the admin policy outside is not read, and the result says so.
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/warning: admin\.json: not read: symbolic link leaves the scanned directory/);
    expect(text.stdout).toMatch(/warning: loop-a\.json: not read: symbolic link loop/);
    expect(text.stdout).toMatch(/1 read, .*\d+ skipped/);
    expect(text.stdout).not.toMatch(/Action "\*"/);
    const json = JSON.parse(cli(['check', '--cwd', dir, '--quiet', '--format', 'json']).stdout) as { problems: Array<{ kind: string; location?: { file?: string } }>; stats: { skipped: number } };
    expect(json.problems.filter((p) => p.kind === 'skipped-file').map((p) => p.location?.file).sort()).toEqual(['admin.json', 'loop-a.json', 'loop-b.json']);
    const junit = cli(['check', '--cwd', dir, '--quiet', '--format', 'junit']);
    expect(junit.stdout).toMatch(/skipped="3"/);
    expect(junit.stdout).toMatch(/skipped-file admin\.json/);
    expect(junit.stderr).toMatch(/not read: symbolic link leaves the scanned directory/);
    const sarif = cli(['check', '--cwd', dir, '--quiet', '--format', 'sarif']);
    expect(sarif.stdout).toMatch(/jest-connect-iam\/skipped-file/);
  });

  test('a rule that names the principal of a skipped file: exit 2 (it is not silently absent)', () => {
    const dir = repoWithLinks();
    fs.writeFileSync(path.join(dir, 'jest-connect-iam.rules.yaml'), 'version: 1\nrules:\n  - name: ro\n    select: { principals: [admin.json] }\n    expect: { readOnly: true }\n');
    const r = cli(['check', '--cwd', dir, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/no principal named 'admin\.json'/);
  });
});

describe('a scan that read nothing, or skipped a file, can not end green without saying so: presets', () => {
  const head = "const { readOnlyRoles } = require('jest-connect-iam/presets');\n";
  const runs: Record<string, JestRun> = {};
  beforeAll(() => {
    const config = { 'jest.config.js': "module.exports = { testEnvironment: 'node', testMatch: ['<rootDir>/test/*.test.js'] };\n" };
    const call = "readOnlyRoles({ cwd: require('path').join(__dirname, '..') });\n";
    runs.empty = runJest(consumerProject({ ...config, 'test/ro.test.js': head + call }));
    runs.notTemplates = runJest(consumerProject({ ...config, ...NOT_TEMPLATES, 'test/ro.test.js': head + call }));
    const linked = consumerProject({ ...config, 'test/ro.test.js': head + "readOnlyRoles({ cwd: require('path').join(__dirname, '..', 'repo') });\n" });
    const repo = repoWithLinks();
    fs.renameSync(repo, path.join(linked, 'repo'));
    // the links were absolute: re-point them from their new place
    for (const [link, target] of [['admin.json', path.join(path.dirname(repo), 'outside', 'admin.json')], ['loop-a.json', path.join(linked, 'repo', 'loop-b.json')], ['loop-b.json', path.join(linked, 'repo', 'loop-a.json')]] as const) {
      fs.rmSync(path.join(linked, 'repo', link));
      fs.symlinkSync(target, path.join(linked, 'repo', link));
    }
    fs.rmSync(path.join(linked, 'repo', 'self'));
    fs.symlinkSync(path.join(linked, 'repo'), path.join(linked, 'repo', 'self'));
    runs.linked = runJest(linked);
    runs.presetNoRules = runJest(consumerProject({ 'jest.config.js': "module.exports = { preset: 'jest-connect-iam' };\n", 'p.json': VIEWER }));
  });

  test.each([['empty'], ['notTemplates']] as const)('read nothing (%s): a failing test says so', (name) => {
    const run = runs[name]!;
    expect(run.status).toBe(1);
    const failed = [...run.tests].filter(([, t]) => t.status === 'failed').map(([n, t]) => `${n}\n${t.failure}`);
    expect(failed.join('\n')).toMatch(name === 'empty' ? /selected no principal|matched no file/ : /no policy or template among the 3 matched files|selected no principal/);
    expect(run.raw.numPassedTests).toBe(0);
  });

  test('skipped files: a skipped test names each file not read and why; nothing outside the project is checked', () => {
    const run = runs.linked!;
    const names = [...run.tests].map(([n, t]) => `${t.status} ${n}`);
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pending .*admin\.json: not read \(symbolic link leaves the scanned directory/),
        expect.stringMatching(/^pending .*loop-a\.json: not read \(symbolic link loop\)/),
        expect.stringMatching(/^passed .*p\.json/),
      ]),
    );
    expect(names.filter((n) => n.startsWith('failed'))).toEqual([]);
    expect(run.raw.numPendingTests).toBe(3);
  });

  test("preset: 'jest-connect-iam' with no rules file: the run fails, saying where it looked", () => {
    const run = runs.presetNoRules!;
    expect(run.status).toBe(1);
    expect([...run.suiteErrors.values(), ...[...run.tests.values()].map((t) => t.failure)].join('\n')).toMatch(/jest-connect-iam\.rules\.ya?ml/);
  });
});

describe('a negative assertion never passes when any input was unparsed: an invalid template is not "not a template"', () => {
  // A CloudFormation template in which one resource has no Type (a typo: `Typ:`). Its
  // AdministratorAccess role must not drop out of the scan as "not a policy or template".
  const files = {
    'infra/good.yaml': 'Resources:\n  Viewer:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess]\n',
    'infra/typo.yaml': 'Resources:\n  Admin:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]\n  Bucket:\n    Typ: AWS::S3::Bucket\n',
    // A policy file (Version 2012-10-17) whose Statement key is misspelt.
    'policies/statment.json': '{ "Version": "2012-10-17", "Statment": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }] }',
    'jest-connect-iam.rules.yaml': READ_ONLY_RULE,
  };
  test('check: exit 2 naming the file and the resource without a Type', () => {
    const dir = writeTree(tempDir(), files);
    const r = cli(['check', '--cwd', dir, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/typo\.yaml:7:\d+: cannot be read: the resource has no Type/);
    expect(r.stdout).toMatch(/statment\.json:1:1: cannot be read: not a policy document/);
  });
});
