/**
 * The two sides of a diff: a directory as it is, or a git ref read without touching the work
 * tree or the index. A ref's tree (the part under the scanned directory) is written to a
 * temporary directory with `git read-tree` into a temporary index file and
 * `git checkout-index --prefix`, which, unlike `git archive`, does not drop files marked
 * `export-ignore` (a scan must not silently read less at one side).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../errors';
import type { DiffSide } from './types';

/** A ref that is not a directory and that git does not know, or git itself failed. */
export class DiffInputError extends UsageError {
  override name = 'DiffInputError';
}

export interface MaterialisedSide extends DiffSide {
  /** Remove the temporary checkout (no-op for a directory). */
  cleanup(): void;
}

function git(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new DiffInputError(code === 'ENOENT' ? 'git is not installed (needed to read a git ref)' : `git failed: ${r.error.message}`);
  }
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `given` is a directory (relative to `cwd`) when one exists with that name; otherwise a git
 * ref of the repository `cwd` is in, read at the path of `cwd` inside that repository.
 */
export function materialiseSide(given: string, cwd: string): MaterialisedSide {
  const asDir = path.resolve(cwd, given);
  let isDir = false;
  try {
    isDir = fs.statSync(asDir).isDirectory();
  } catch {
    isDir = false;
  }
  if (isDir) return { given, kind: 'dir', root: fs.realpathSync(asDir), cleanup: () => undefined };
  if (given.startsWith('-')) throw new DiffInputError(`'${given}' is neither a directory nor a git ref`);
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new DiffInputError(`'${given}' is not a directory, and ${cwd} is not in a git repository, so it cannot be a git ref either`);
  const prefix = git(cwd, ['rev-parse', '--show-prefix']).stdout.trim();
  const commit = git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${given}^{commit}`]);
  if (!commit.ok) {
    throw new DiffInputError(`'${given}' is neither a directory nor a git ref of the repository at ${top.stdout.trim()} (try a branch, a tag, a commit, or origin/<branch> after git fetch)`);
  }
  const sha = commit.stdout.trim();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-connect-iam-diff-'));
  const root = path.join(tmp, 'tree');
  fs.mkdirSync(root);
  const cleanup = (): void => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const treeish = prefix ? `${sha}:${prefix.replace(/\/$/, '')}` : `${sha}^{tree}`;
    const type = git(cwd, ['cat-file', '-t', treeish]);
    if (type.ok && type.stdout.trim() === 'tree') {
      const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
      const repoTop = top.stdout.trim();
      const read = git(repoTop, ['read-tree', treeish], env);
      if (!read.ok) throw new DiffInputError(`git read-tree ${given} failed: ${read.stderr.trim()}`);
      const out = git(repoTop, ['checkout-index', '--all', '--force', `--prefix=${root}${path.sep}`], env);
      if (!out.ok) throw new DiffInputError(`git checkout-index of ${given} failed: ${out.stderr.trim()}`);
    }
    // else: the scanned directory does not exist at that ref: an empty side (everything is added).
    return { given, kind: 'git', commit: sha, root: fs.realpathSync(root), cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}
