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

/**
 * Registering the matchers with `setupFilesAfterEnv: ['jest-connect-iam/matchers']` alone gives
 * TypeScript no reason to load their typings: a test file that does not import them gets TS2339
 * ("Property 'toGrantConsoleTask' does not exist"). Two ways that work with configuration only,
 * as the README documents them, compiled against the built package installed as npm would:
 * a `types` entry in tsconfig.json, or a `.d.ts` file the tsconfig includes.
 */
describe('type tests: matchers registered by setupFilesAfterEnv only (no import in the test file)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { consumerProject } = require('../trust/helpers') as typeof import('../trust/helpers');
  const repoRoot = path.resolve(__dirname, '../..');
  const usage = [
    "import type { PolicyDocument } from 'jest-connect-iam';",
    "const doc: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' }] } as const;",
    "test('reads', () => { expect(doc).toGrantConsoleTask('Home', 'List instance'); expect(doc).not.toAllowAction('connect:DeleteInstance'); });",
    '',
  ].join('\n');
  const tsconfig = (types: readonly string[], files: readonly string[], moduleResolution = 'node'): string =>
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: moduleResolution === 'node16' ? 'node16' : 'commonjs',
        moduleResolution,
        lib: ['ES2022'],
        types,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      },
      files,
    });
  const compile = (dir: string, config: string): { status: number | null; out: string } => {
    const run = spawnSync(process.execPath, [tsc, '-p', path.join(dir, config)], { encoding: 'utf8', timeout: 120_000 });
    return { status: run.status, out: run.stdout + run.stderr };
  };
  let dir = '';
  beforeAll(() => {
    dir = consumerProject({
      'jest.config.js': "module.exports = { setupFilesAfterEnv: ['jest-connect-iam/matchers'] };",
      'test/access.test.ts': usage,
      'jest-connect-iam.d.ts': "import 'jest-connect-iam/matchers';\n",
      'tsconfig.none.json': tsconfig(['node', 'jest'], ['test/access.test.ts']),
      'tsconfig.types.json': tsconfig(['node', 'jest', 'jest-connect-iam/matchers'], ['test/access.test.ts']),
      'tsconfig.types16.json': tsconfig(['node', 'jest', 'jest-connect-iam/matchers'], ['test/access.test.ts'], 'node16'),
      'tsconfig.include.json': tsconfig(['node', 'jest'], ['jest-connect-iam.d.ts', 'test/access.test.ts']),
    });
    // @types/jest and @types/node as the consumer would have them installed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('node:fs') as typeof import('node:fs')).symlinkSync(path.join(repoRoot, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'));
  });

  test('without either: TS2339 (the problem the README describes)', () => {
    const r = compile(dir, 'tsconfig.none.json');
    expect(r.out).toMatch(/TS2339: Property 'toGrantConsoleTask' does not exist/);
    expect(r.status).not.toBe(0);
  }, 150_000);

  test.each([
    ['"types": ["jest", "jest-connect-iam/matchers"] (moduleResolution node)', 'tsconfig.types.json'],
    ['"types": ["jest", "jest-connect-iam/matchers"] (moduleResolution node16)', 'tsconfig.types16.json'],
    ['a jest-connect-iam.d.ts with `import \'jest-connect-iam/matchers\'` that the tsconfig includes', 'tsconfig.include.json'],
  ])('%s compiles', (_name, config) => {
    const r = compile(dir, config);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  }, 150_000);
});
