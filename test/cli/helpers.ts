/** Run the BUILT bin (package.json's bin; `npm test` builds first). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
/** The bin package.json ships (dist/bundle/cli.js). */
export const BIN = path.join(REPO_ROOT, (require(path.join(REPO_ROOT, 'package.json')) as { bin: Record<string, string> }).bin['jest-connect-iam']!);
export const FIXTURE_REPOS = path.join(REPO_ROOT, 'test', 'fixtures', 'repos');

export interface BinResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function bin(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): BinResult {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does)`);
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
