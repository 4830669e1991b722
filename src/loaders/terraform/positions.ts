/**
 * Where resource and data blocks are in `.tf` files: the line of `resource "aws_iam_role" "agent" {`
 * and of each of its top-level arguments (`policy = ...`, `inline_policy {`). A plan holds no
 * positions; when the configuration's sources sit beside it, evidence can still point at a line.
 *
 * This is a scanner, not an evaluator: it follows strings, comments, heredocs and braces well
 * enough to find block headers and argument names at the right nesting level.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../../policy/types';

export interface BlockPosition {
  readonly file: string;
  readonly line: number;
  /** Line of each top-level argument or nested block name inside the block. */
  readonly attributes: ReadonlyMap<string, number>;
}

/** `resource|data` + type + name -> position, for one directory (one module). */
export type DirectoryIndex = ReadonlyMap<string, BlockPosition>;

export function blockKey(mode: 'managed' | 'data', type: string, name: string): string {
  return `${mode === 'data' ? 'data' : 'resource'}.${type}.${name}`;
}

/** Scan one file's text for top-level blocks. `file` is how locations name it. */
export function scanBlocks(text: string, file: string, out: Map<string, BlockPosition>): void {
  const n = text.length;
  let i = 0;
  let line = 1;
  let depth = 0;
  // The block being read (depth >= 1) and the start of the current top-level statement.
  let current: { key: string; line: number; attributes: Map<string, number> } | undefined;
  let lineStart = true;
  let header: string[] = [];
  let headerLine = 1;
  let word = '';
  const flushWord = (): void => {
    if (!word) return;
    if (depth === 0) {
      if (header.length === 0) headerLine = line;
      header.push(word);
    } else if (depth === 1 && current && lineStart && !current.attributes.has(word)) current.attributes.set(word, line);
    word = '';
    lineStart = false;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      flushWord();
      line++;
      i++;
      lineStart = true;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      flushWord();
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      flushWord();
      i += 2;
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line++;
        i++;
      }
      i += 2;
      continue;
    }
    if (c === '"') {
      const start = i + 1;
      i++;
      let interp = 0;
      while (i < n) {
        const d = text[i]!;
        if (d === '\\') {
          i += 2;
          continue;
        }
        if (d === '\n') line++;
        if ((d === '$' || d === '%') && text[i + 1] === '{') {
          interp++;
          i += 2;
          continue;
        }
        if (interp > 0 && d === '}') interp--;
        else if (interp === 0 && d === '"') break;
        i++;
      }
      if (depth === 0) {
        if (header.length === 0) headerLine = line;
        header.push(text.slice(start, i));
      }
      lineStart = false;
      i++;
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (m) {
        flushWord();
        const marker = m[1]!;
        i += m[0].length;
        line++;
        for (;;) {
          const e = text.indexOf('\n', i);
          const l = text.slice(i, e < 0 ? n : e);
          i = e < 0 ? n : e + 1;
          if (l.trim() === marker || e < 0) break;
          line++;
        }
        line++;
        lineStart = true;
        continue;
      }
    }
    if (c === '{') {
      flushWord();
      if (depth === 0) {
        const kind = header[0];
        if ((kind === 'resource' || kind === 'data') && header.length >= 3) {
          current = { key: `${kind}.${header[1]}.${header[2]}`, line: headerLine, attributes: new Map() };
        } else current = undefined;
        header = [];
      }
      depth++;
      i++;
      continue;
    }
    if (c === '}') {
      flushWord();
      depth = Math.max(0, depth - 1);
      if (depth === 0 && current) {
        if (!out.has(current.key)) out.set(current.key, { file, line: current.line, attributes: current.attributes });
        current = undefined;
      }
      i++;
      continue;
    }
    if (/[A-Za-z0-9_-]/.test(c)) {
      word += c;
      i++;
      continue;
    }
    flushWord();
    if (depth === 0 && c === '=') header = []; // a top-level attribute (not valid HCL at the top, but do not confuse headers)
    i++;
  }
}

/** Every `*.tf` file of a directory (not its subdirectories), scanned. Missing directories give an empty index. */
export function indexDirectory(dir: string, maxFileBytes: number): DirectoryIndex {
  const out = new Map<string, BlockPosition>();
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  } catch {
    return out;
  }
  for (const f of names) {
    const full = path.join(dir, f);
    try {
      const st = fs.statSync(full);
      if (!st.isFile() || st.size > maxFileBytes) continue;
      scanBlocks(fs.readFileSync(full, 'utf8'), full, out);
    } catch {
      // An unreadable source only costs positions.
    }
  }
  return out;
}

/** Lazily built indexes of the module directories of a configuration. */
export class SourcePositions {
  private readonly cache = new Map<string, DirectoryIndex>();

  constructor(
    private readonly maxFileBytes: number,
    /** Module path (names joined by '.') -> directory, or undefined when the module's sources are not local. */
    private readonly dirOf: (modulePath: readonly string[]) => string | undefined,
  ) {}

  locate(modulePath: readonly string[], mode: 'managed' | 'data', type: string, name: string, attribute?: string): SourceLocation | undefined {
    const dir = this.dirOf(modulePath);
    if (dir === undefined) return undefined;
    let index = this.cache.get(dir);
    if (!index) {
      index = indexDirectory(dir, this.maxFileBytes);
      this.cache.set(dir, index);
    }
    const b = index.get(blockKey(mode, type, name));
    if (!b) return undefined;
    const line = (attribute !== undefined ? b.attributes.get(attribute) : undefined) ?? b.line;
    return { file: b.file, line };
  }
}
