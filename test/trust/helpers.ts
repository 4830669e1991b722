/** Shared by the trust tests: temporary directories, the built bin, outcome of an assertion. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
/** The bin package.json ships (dist/bundle/cli.js). */
export const BIN = path.join(REPO_ROOT, (require(path.join(REPO_ROOT, 'package.json')) as { bin: Record<string, string> }).bin['jest-connect-iam']!);
export const JEST = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

const made: string[] = [];
/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix = 'jci-trust-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
process.once('exit', () => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

export function writeTree(dir: string, files: Readonly<Record<string, string | Buffer>>): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export interface BinResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the BUILT CLI (`npm test` builds first; run `npm run build` when running this file alone). */
export function cli(args: readonly string[], cwd = REPO_ROOT): BinResult {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does)`);
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export type Outcome = { readonly kind: 'pass' } | { readonly kind: 'fail'; readonly message: string } | { readonly kind: 'error'; readonly error: unknown; readonly message: string };

/** Did an `expect(...)` pass, fail as an assertion, or throw something else (a usage error)? */
export function outcomeOf(fn: () => void): Outcome {
  try {
    fn();
    return { kind: 'pass' };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e && typeof e === 'object' && 'matcherResult' in e) return { kind: 'fail', message };
    return { kind: 'error', error: e, message };
  }
}

/** The built package installed in a consumer project's node_modules, as npm would install it. */
export function consumerProject(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = tempDir('jci-trust-consumer-');
  writeTree(dir, { 'package.json': '{ "name": "consumer", "private": true }', ...files });
  const pkg = path.join(dir, 'node_modules', 'jest-connect-iam');
  fs.mkdirSync(pkg, { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(pkg, 'dist'), { recursive: true });
  for (const f of ['jest-preset.js', 'package.json']) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(pkg, f));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
  return dir;
}

export interface JestRun {
  readonly status: number | null;
  readonly stderr: string;
  /** `<test file basename> › <full test name>` -> status and failure text. */
  readonly tests: Map<string, { status: string; failure: string }>;
  /** Suites that failed to run at all (an exception while collecting), with their message. */
  readonly suiteErrors: Map<string, string>;
  readonly raw: { numFailedTests: number; numPassedTests: number; numPendingTests: number; numTotalTests: number };
}

/** Run Jest on a consumer project (its own config) and read its JSON result. */
export function runJest(dir: string, args: readonly string[] = []): JestRun {
  const out = path.join(dir, 'jest-result.json');
  const r = spawnSync(process.execPath, [JEST, '--ci', '--json', `--outputFile=${out}`, ...args], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
  if (!fs.existsSync(out)) throw new Error(`jest produced no result (status ${r.status}): ${r.stderr}`);
  const json = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    numFailedTests: number;
    numPassedTests: number;
    numPendingTests: number;
    numTotalTests: number;
    testResults: Array<{ name: string; message: string; status: string; assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
  };
  const tests = new Map<string, { status: string; failure: string }>();
  const suiteErrors = new Map<string, string>();
  for (const f of json.testResults) {
    if (f.assertionResults.length === 0 && f.message) suiteErrors.set(path.basename(f.name), f.message);
    for (const a of f.assertionResults) tests.set(`${path.basename(f.name)} › ${a.fullName}`, { status: a.status, failure: a.failureMessages.join('\n') });
  }
  return { status: r.status, stderr: r.stderr, tests, suiteErrors, raw: json };
}
