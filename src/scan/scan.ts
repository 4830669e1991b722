/**
 * Find the files a check reads: fast-glob over a root directory, one pattern at a time so
 * a pattern that matches nothing can be reported, never leaving the root.
 *
 * Symbolic links: fast-glob runs with `followSymbolicLinks: false`, so a linked directory
 * is never entered (no loops, no walking out of the repo). A linked *file* that a pattern
 * matches is read only when its real path is inside the root; otherwise it is returned as
 * a `skipped` entry with the reason, so a scan can never silently leave a file out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fastGlob } from '../util/lazy';
import { UsageError } from '../errors';
import { planHeadOf } from '../loaders/terraform/detect';

/**
 * The usual places: policy files, templates and Terraform plan JSON anywhere, CDK output, and
 * Terraform `.tf` files (each directory of them is one unit: see `planScan`).
 */
export const DEFAULT_FILES: readonly string[] = ['**/*.{json,yaml,yml,template}', 'cdk.out/**/*.template.json', '**/*.tf'];

/** Never scanned, whatever the patterns say. */
export const ALWAYS_IGNORED: readonly string[] = ['**/node_modules/**', '**/.git/**'];

export interface ScanOptions {
  /** The root directory; nothing outside it is ever read. */
  readonly cwd: string;
  /**
   * Glob patterns relative to `cwd` (fast-glob syntax). A pattern starting with `!`
   * excludes. @default DEFAULT_FILES
   */
  readonly files?: readonly string[];
  /** Extra patterns to ignore (node_modules and .git are always ignored). */
  readonly ignore?: readonly string[];
}

/** A file the scan will read, or one it found but will not read (and why). */
export type ScanEntry =
  | { readonly kind: 'file'; readonly path: string; readonly absolute: string; /** A Terraform root directory (one unit). */ readonly terraform?: true }
  | { readonly kind: 'skipped'; readonly path: string; readonly absolute: string; readonly reason: string };

export interface ScanPlan {
  /** The real path of the root. */
  readonly root: string;
  /** Every matched entry, sorted by path, each once. */
  readonly entries: readonly ScanEntry[];
  /** How many entries each positive pattern matched (0 means probably a typo). */
  readonly patternCounts: ReadonlyMap<string, number>;
}

/** The root must exist and be a directory; the error says which path was tried. */
export function resolveRoot(cwd: string): string {
  let real: string;
  try {
    real = fs.realpathSync(path.resolve(cwd));
  } catch {
    throw new ScanRootError(`Directory not found: ${path.resolve(cwd)}`);
  }
  if (!fs.statSync(real).isDirectory()) throw new ScanRootError(`Not a directory: ${real}`);
  return real;
}

/** The directory to scan does not exist or is not a directory. */
export class ScanRootError extends UsageError {
  override name = 'ScanRootError';
}

/** Is `target` the root or below it? (Both real paths.) */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Why a pattern could reach outside the root (absolute, or a `..` segment), or undefined. */
export function patternEscapes(pattern: string): string | undefined {
  const p = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (path.isAbsolute(p) || /^[A-Za-z]:/.test(p)) return 'is absolute: patterns are relative to the scanned directory';
  if (p.split(/[\\/]/).includes('..')) return "has a '..' segment: a scan never leaves the scanned directory";
  return undefined;
}

/** List what the patterns match under the root (see the module comment for links). */
export function planScan(options: ScanOptions): ScanPlan {
  const root = resolveRoot(options.cwd);
  const patterns = options.files && options.files.length > 0 ? options.files : DEFAULT_FILES;
  for (const p of patterns) {
    const why = patternEscapes(p);
    if (why) throw new ScanRootError(`files pattern '${p}' ${why}`);
  }
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const ignore = [...ALWAYS_IGNORED, ...negative, ...(options.ignore ?? [])];
  const counts = new Map<string, number>();
  const found = new Map<string, ScanEntry>();
  for (const pattern of positive) {
    const matches = fastGlob().sync(pattern, {
      cwd: root,
      ignore,
      dot: false, // conventional glob semantics: hidden directories (.github, .vscode) are not scanned unless a pattern names them
      onlyFiles: false,
      followSymbolicLinks: false,
      unique: true,
      objectMode: true,
    });
    let n = 0;
    for (const m of matches) {
      const rel = m.path;
      const abs = path.join(root, rel);
      const entry = classify(root, rel, abs, m.dirent);
      if (!entry) continue;
      n++;
      if (!found.has(rel)) found.set(rel, entry);
    }
    counts.set(pattern, n);
  }
  const entries = [...terraformUnits(root, found).values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, entries, patternCounts: counts };
}

/**
 * Terraform: every directory with matched `.tf` files becomes one entry (the directory: a root
 * module is its directory, not a file), and a plan JSON in that directory is read as part of it
 * (the plan is authoritative, the sources give positions) instead of as a file of its own.
 */
function terraformUnits(root: string, found: Map<string, ScanEntry>): Map<string, ScanEntry> {
  const dirs = new Map<string, { path: string; absolute: string }>();
  for (const e of found.values()) {
    if (e.kind !== 'file' || !e.path.endsWith('.tf')) continue;
    const rel = path.posix.dirname(e.path.split(path.sep).join('/'));
    const abs = path.join(root, rel);
    if (!dirs.has(rel)) dirs.set(rel, { path: rel, absolute: abs });
  }
  if (dirs.size === 0) return found;
  // A directory that another one calls as a local module (`source = "./modules/x"`) is part of
  // that root, not a root of its own.
  for (const called of calledModules(root, dirs)) dirs.delete(called);
  const out = new Map<string, ScanEntry>();
  for (const [rel, e] of found) {
    if (e.kind === 'file' && e.path.endsWith('.tf')) continue;
    const dir = path.posix.dirname(rel.split(path.sep).join('/'));
    if (e.kind === 'file' && e.path.endsWith('.json') && dirs.has(dir) && planHeadOf(e.absolute)) continue;
    out.set(rel, e);
  }
  for (const [rel, d] of dirs) out.set(rel, { kind: 'file', path: rel, absolute: d.absolute, terraform: true });
  return out;
}

/** Directories (relative, posix) that the matched Terraform directories call as local modules. */
function calledModules(root: string, dirs: ReadonlyMap<string, { absolute: string }>): Set<string> {
  const out = new Set<string>();
  const source = /\bsource\s*=\s*"(\.\.?\/[^"]*)"/g;
  for (const [rel, d] of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(d.absolute).filter((n) => n.endsWith('.tf'));
    } catch {
      continue;
    }
    for (const n of names) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(d.absolute, n), 'utf8');
      } catch {
        continue;
      }
      for (const m of text.matchAll(source)) {
        const target = path.posix.normalize(path.posix.join(rel, m[1]!.replace(/\/+$/, '')));
        if (target !== rel && isInside(root, path.join(root, target))) out.add(target);
      }
    }
  }
  return out;
}

function classify(root: string, rel: string, abs: string, dirent: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): ScanEntry | undefined {
  if (dirent.isFile()) return { kind: 'file', path: rel, absolute: abs };
  if (dirent.isDirectory()) return undefined; // a directory named like a file pattern
  if (!dirent.isSymbolicLink()) {
    return { kind: 'skipped', path: rel, absolute: abs, reason: 'not a regular file' };
  }
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ELOOP' ? 'symbolic link loop' : 'broken symbolic link';
    return { kind: 'skipped', path: rel, absolute: abs, reason };
  }
  if (!isInside(root, real)) {
    return { kind: 'skipped', path: rel, absolute: abs, reason: `symbolic link leaves the scanned directory (to ${real})` };
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(real);
  } catch {
    return { kind: 'skipped', path: rel, absolute: abs, reason: 'broken symbolic link' };
  }
  if (stat.isDirectory()) return undefined; // linked directories are never entered
  if (!stat.isFile()) return { kind: 'skipped', path: rel, absolute: abs, reason: 'not a regular file' };
  return { kind: 'file', path: rel, absolute: real };
}
