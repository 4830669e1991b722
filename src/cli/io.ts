/**
 * Output plumbing for the CLI: results go to stdout (or --output), diagnostics to stderr,
 * and a progress line on stderr only when a scan takes longer than a second, stderr is a
 * terminal and --quiet is not given.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Streams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** Write the result to `output` (created with its directory) or to stdout. */
export function writeResult(streams: Streams, text: string, output: string | undefined): void {
  if (output === undefined) {
    streams.stdout.write(text);
    return;
  }
  ensureDir(path.dirname(output));
  fs.writeFileSync(output, text);
}

/**
 * Create a directory and its missing parents one level at a time (Node's recursive mkdir
 * can spin forever on some paths, e.g. under /proc).
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`not a directory: ${cur}`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing.reverse()) fs.mkdirSync(d);
}

export interface Progress {
  update(done: number, total: number, file: string): void;
  done(): void;
}

/** A throttled single-line progress indicator; inert unless enabled. */
export function createProgress(streams: Streams, enabled: boolean, label: string): Progress {
  const start = Date.now();
  // After how long the line appears (tests lower it; documented as internal).
  const after = Number(process.env.JEST_CONNECT_IAM_PROGRESS_AFTER_MS ?? 1000);
  let last = 0;
  let shown = false;
  const active = enabled && streams.stderr.isTTY === true;
  return {
    update(done, total, file) {
      if (!active) return;
      const now = Date.now();
      if (now - start < after || now - last < 100) return;
      last = now;
      shown = true;
      const width = Math.max(20, (streams.stderr.columns ?? 80) - 1);
      const line = `${label} ${done}/${total} files: ${file}`;
      streams.stderr.write(`\r${line.length > width ? line.slice(0, width - 1) + '…' : line.padEnd(width)}`);
    },
    done() {
      if (active && shown) streams.stderr.write(`\r${' '.repeat(Math.max(20, (streams.stderr.columns ?? 80) - 1))}\r`);
    },
  };
}
