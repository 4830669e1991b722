/**
 * examples/vitest: the pure `matchers` export registered with `expect.extend` in Vitest (over the
 * built package). Runs Vitest in a child process and requires every test there to pass.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '../..');

test('the Vitest example passes (4 tests)', () => {
  const vitest = require.resolve('vitest/vitest.mjs', { paths: [root] });
  // A child of a Jest worker inherits JEST_WORKER_ID; Vitest started on its own would not have it.
  const { JEST_WORKER_ID: _worker, ...env } = process.env;
  const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'examples/vitest/vitest.config.mjs', '--reporter=json'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...env, NO_COLOR: '1', CI: 'true' },
    timeout: 120_000,
  });
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as {
    numPassedTests: number;
    numFailedTests: number;
    success: boolean;
  };
  if (!report.success) throw new Error(`Vitest failed:\n${run.stdout}\n${run.stderr}`);
  expect(report).toMatchObject({ success: true, numPassedTests: 4, numFailedTests: 0 });
  expect(run.status).toBe(0);
});
