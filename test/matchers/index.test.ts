/** Completeness: every matcher file is exported, is a function, is typed, and is registered. */
import fs from 'node:fs';
import path from 'node:path';
import { matchers } from '../../matchers/matchers';

const dir = path.resolve(__dirname, '../../matchers');
const files = fs
  .readdirSync(dir)
  .filter((f) => /^to[A-Z]\w*\.ts$/.test(f))
  .map((f) => f.replace(/\.ts$/, ''));

describe('matchers/', () => {
  test('has matcher files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  test.each(files)('%s is exported by the barrel under its file name, as a function', (name) => {
    expect(typeof (matchers as Record<string, unknown>)[name]).toBe('function');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(path.join(dir, name)) as Record<string, unknown>;
    expect(module[name]).toBe((matchers as Record<string, unknown>)[name]);
  });

  test('the barrel exports nothing that has no file', () => {
    expect(Object.keys(matchers).sort()).toEqual([...files].sort());
  });

  test.each(files)('%s is declared in the ConnectIamMatchers typings interface', (name) => {
    const types = fs.readFileSync(path.join(dir, 'types.ts'), 'utf8');
    const body = /export interface ConnectIamMatchers<R[^>]*> \{([\s\S]*?)\n\}/.exec(types)?.[1] ?? '';
    expect(body).toMatch(new RegExp(`\\n\\s+${name}\\(`));
  });

  test.each(files)('%s is registered on the global expect (setupFilesAfterEnv)', (name) => {
    expect(typeof (expect as unknown as Record<string, unknown>)[name] === 'function' || typeof (expect(1) as unknown as Record<string, unknown>)[name] === 'function').toBe(true);
  });

  test('matchers/matchers.ts has no side effect: its source calls nothing at import time', () => {
    const code = fs
      .readFileSync(path.join(dir, 'matchers.ts'), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    // Only imports and one object literal of identifiers: no call expression at all.
    expect(code).not.toMatch(/\w\s*\(/);
    expect(code).toMatch(/export const matchers/);
  });
});
