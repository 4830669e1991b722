/**
 * Access to ../shared (third-party data next to the repo, present in CI). Tests that need it
 * are marked skipped, with the reason in the test name, when it is absent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
export const SHARED_POLICIES = path.join(SHARED, 'data', 'managed-policies');

export function sharedFile(...parts: string[]): string {
  return path.join(SHARED_POLICIES, ...parts);
}

export function readShared<T>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(sharedFile(...parts), 'utf8')) as T;
}

/** `test` when the file exists, else a skipped test whose name says why. */
export function testWithShared(relative: string, name: string, fn: () => void): void {
  if (fs.existsSync(sharedFile(relative))) test(name, fn);
  else test.skip(`${name} [skipped: ../shared/data/managed-policies/${relative} is not present]`, fn);
}
