import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, FIXTURE_REPOS, bin, tempDir, writeTree } from './helpers';

const template = path.join(FIXTURE_REPOS, 'readonly-violation', 'infra', 'connect.yaml');

describe('explain', () => {
  test('an action: the decision and the deciding statement with file:line', () => {
    const r = bin(['explain', template, 'AuditorRole', 'connect:UpdateInstanceAttribute']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/connect:UpdateInstanceAttribute: allowed/);
    expect(r.stdout).toMatch(/policy "auditor-extras" \(.*connect\.yaml:25\) Statement\[1\] "TweakInstance"/);
  });

  test('a console task: granted or not, own actions and prerequisites with evidence; the physical name works too', () => {
    const r = bin(['explain', template, 'connect-auditor', 'Data storage / Edit call recording']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("console task 'Data storage / Edit call recording' (data-storage/call-recording/edit): not granted");
    expect(r.stdout).toMatch(/\(own\).*: not allowed \(implicit deny\)/);
    expect(r.stdout).toMatch(/prerequisite from data-storage\/call-recording\/view/);
  });

  test('--context pins a condition; --format json gives the result data', () => {
    const dir = writeTree(tempDir('jci-explain-'), {
      'p.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } } }] }),
    });
    try {
      const file = path.join(dir, 'p.json');
      expect(bin(['explain', file, 'p.json', 'connect:ListInstances']).stdout).toMatch(/conditional[\s\S]*aws:RequestedRegion/);
      const pinned = bin(['explain', file, 'p.json', 'connect:ListInstances', '--context', 'aws:RequestedRegion=eu-west-2', '--format', 'json']);
      expect(JSON.parse(pinned.stdout).results[0].decision).toBe('allowed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a wildcard explains every action it matches', () => {
    const r = bin(['explain', template, 'AuditorRole', 'connect:UpdateInstance*']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\d+ actions: .*allowed/);
  });

  test.each([
    [['AuditorRol', 'connect:ListInstances'], /Unknown principal 'AuditorRol': did you mean 'AuditorRole'/],
    [['AuditorRole', 'connect:UpdateInstanceAtribute'], /connect:UpdateInstanceAttribute/],
    [['AuditorRole', 'Data storage / Edit call recordings'], /did you mean 'Edit call recording'/],
  ])('unknown names are exit 2 with suggestions: %j', (args, message) => {
    const r = bin(['explain', template, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('a file that cannot be read is exit 2 with file:line', () => {
    const r = bin(['explain', path.join(FIXTURE_REPOS, 'broken-yaml', 'infra', 'broken.yaml'), 'BrokenRole', 'connect:ListInstances']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:12:\d+/);
  });
});

describe('progress line', () => {
  const run = (extra: string[], env: NodeJS.ProcessEnv): string => {
    // `script` gives the child a terminal, so stderr is a TTY as in an interactive shell.
    const cmd = [process.execPath, BIN, 'check', '--cwd', path.join(FIXTURE_REPOS, 'all-good'), ...extra].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, ...env } });
    return r.stdout;
  };
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  const maybe = hasScript ? test : (name: string, fn: () => void) => test.skip(`${name} [skipped: util-linux 'script' is not installed]`, fn);

  maybe('appears on a terminal once the scan runs longer than the threshold; --quiet silences it', () => {
    expect(run([], { JEST_CONNECT_IAM_PROGRESS_AFTER_MS: '0' })).toMatch(/checking \d+\/\d+ files/);
    expect(run(['--quiet'], { JEST_CONNECT_IAM_PROGRESS_AFTER_MS: '0' })).not.toMatch(/checking \d+\/\d+ files/);
    expect(run([], { JEST_CONNECT_IAM_PROGRESS_AFTER_MS: '600000' })).not.toMatch(/checking \d+\/\d+ files/); // shorter than the threshold: no line
  });

  test('never appears when stderr is not a terminal', () => {
    const r = bin(['check', '--cwd', path.join(FIXTURE_REPOS, 'all-good')], { env: { JEST_CONNECT_IAM_PROGRESS_AFTER_MS: '0' } });
    expect(r.stderr).toBe('');
  });
});
