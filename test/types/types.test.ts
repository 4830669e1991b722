/**
 * The compile-only type tests: both consumer styles (global @types/jest, and
 * `import { expect } from '@jest/globals'`) must compile, with every wrong call rejected
 * (each is marked @ts-expect-error, and an unneeded marker fails compilation).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const tsc = require.resolve('typescript/bin/tsc');

describe.each(['jest-global', 'jest-globals'])('type tests: %s', (style) => {
  test('tsc -p compiles (every wrong call is a type error)', () => {
    const project = path.join(__dirname, style);
    const run = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 150_000);
});
