import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(__dirname, 'fixtures');
export const fixture = (...parts: string[]): string => path.join(FIXTURES, ...parts);

/** ../shared/corpus/templates relative to the repo root, or undefined when it is not there. */
export function corpusDir(): string | undefined {
  const dir = path.resolve(REPO_ROOT, '../shared/corpus/templates');
  return fs.existsSync(dir) ? dir : undefined;
}

/** `test`, or `test.skip` with the reason in the test's name when the corpus is absent. */
export function corpusTest(name: string, fn: (dir: string) => void): void {
  const dir = corpusDir();
  if (dir) test(name, () => fn(dir));
  else test.skip(`${name} [skipped: ../shared/corpus/templates is not present next to the repo]`, () => undefined);
}

let tmpRoot: string | undefined;
/** Write `content` to a fresh temporary file and return its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  tmpRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'jci-loaders-'));
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'f-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
