/**
 * Reading source files safely (size limit, BOM, UTF-8 check) and mapping parsed values
 * back to their place in the file (line, column, JSON path).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PolicySourceError } from '../errors';
import type { SourceLocation } from '../policy/types';

/** Limits that keep hostile input from hanging or exhausting the process. */
export interface LoadLimits {
  /** Largest file read, in bytes. @default 10_485_760 (10 MB) */
  readonly maxFileBytes?: number;
  /** Deepest nesting of objects/arrays. @default 100 */
  readonly maxDepth?: number;
  /** YAML alias expansions (an alias counts once plus the aliases inside what it points to). @default 1000 */
  readonly maxAliasCount?: number;
  /** Statements in one policy document. @default 10_000 */
  readonly maxStatements?: number;
}

export const DEFAULT_LIMITS: Required<LoadLimits> = {
  maxFileBytes: 10 * 1024 * 1024,
  maxDepth: 100,
  maxAliasCount: 1000,
  maxStatements: 10_000,
};

export function limitsOf(options: LoadLimits | undefined): Required<LoadLimits> {
  return {
    maxFileBytes: options?.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes,
    maxDepth: options?.maxDepth ?? DEFAULT_LIMITS.maxDepth,
    maxAliasCount: options?.maxAliasCount ?? DEFAULT_LIMITS.maxAliasCount,
    maxStatements: options?.maxStatements ?? DEFAULT_LIMITS.maxStatements,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Where files may be read from: a file whose real path (symlinks followed) is outside is refused. */
export interface RootOption {
  /** Refuse files whose real path (after symlinks) is outside this directory. @default no restriction */
  readonly root?: string;
}

/** Read a file as UTF-8 text: size-limited, BOM removed, invalid UTF-8 refused, optionally confined to a root. */
export function readSourceFile(file: string, limits: Required<LoadLimits>, root?: string): string {
  let size: number;
  if (root !== undefined) checkInsideRoot(file, root);
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new PolicySourceError('is a directory, not a file', { file });
    size = st.size;
  } catch (e) {
    if (e instanceof PolicySourceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new PolicySourceError(code === 'ELOOP' ? 'symbolic link loop' : `cannot read file: ${code ?? String(e)}`, { file });
  }
  if (size > limits.maxFileBytes) {
    throw new PolicySourceError(`file is ${size} bytes, more than the limit of ${limits.maxFileBytes} bytes (option maxFileBytes)`, { file });
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new PolicySourceError(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file });
  }
  if (bytes.length > limits.maxFileBytes) {
    throw new PolicySourceError(`file is more than the limit of ${limits.maxFileBytes} bytes (option maxFileBytes)`, { file });
  }
  return decodeText(bytes, file);
}

function checkInsideRoot(file: string, root: string): void {
  let real: string;
  let realRoot: string;
  try {
    real = fs.realpathSync(file);
    realRoot = fs.realpathSync(root);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PolicySourceError(code === 'ELOOP' ? 'symbolic link loop' : `cannot read file: ${code ?? String(e)}`, { file });
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
    throw new PolicySourceError(`the file is a symbolic link to ${real}, outside ${realRoot}: not read`, { file });
  }
}

export function decodeText(bytes: Uint8Array, file?: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new PolicySourceError('file is UTF-16 encoded; save it as UTF-8', { file, line: 1, column: 1 });
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = Buffer.from(bytes.subarray(0, at)).toString('utf8');
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new PolicySourceError(`file is not valid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16)} at offset ${at})`, { file, line, column });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return Math.max(0, bytes.length - 1);
}

/** A key inside a parent container: a property name or an array index. */
export type PathKey = string | number;

/** Where a container (object or array) starts, who holds it, and where each child value starts. */
export interface NodeMeta {
  readonly offset: number;
  readonly parent?: NodeMeta;
  readonly key?: PathKey;
  /** Offsets of children: for maps the key's offset, for arrays the item's offset. */
  readonly children?: Map<PathKey, number>;
  /** Or the parser's node and a (shared) function that finds them on demand. */
  readonly node?: unknown;
  readonly lookup?: (node: unknown, key: PathKey, text: string, fallback: number) => number | undefined;
}

function childOffsetOf(m: NodeMeta, key: PathKey, text: string): number | undefined {
  return m.children ? m.children.get(key) : m.lookup?.(m.node, key, text, m.offset);
}

const IDENT = /^(?:[A-Za-z_$][\w$]*|Fn::[A-Za-z]+)$/;

export function formatPath(segments: readonly PathKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

export function joinPath(base: string, key: PathKey): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENT.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

/**
 * Maps parsed containers back to the source text. Containers produced later (by intrinsic
 * resolution) are linked to the container they came from with `link`.
 */
export class SourceMap {
  private lineStarts?: number[];
  private readonly meta = new WeakMap<object, NodeMeta>();

  constructor(
    readonly file: string | undefined,
    readonly text: string,
  ) {}

  register(node: object, meta: NodeMeta): void {
    this.meta.set(node, meta);
  }

  /** Say that `derived` (a resolved copy) stands where `original` is in the file. */
  link(derived: object, original: object): void {
    if (derived === original) return;
    const m = this.meta.get(original);
    if (m && !this.meta.has(derived)) this.meta.set(derived, m);
  }

  metaOf(node: unknown): NodeMeta | undefined {
    return typeof node === 'object' && node !== null ? this.meta.get(node) : undefined;
  }

  position(offset: number): { line: number; column: number } {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const s = this.lineStarts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - s[lo]! + 1 };
  }

  pathOfMeta(meta: NodeMeta | undefined): string {
    const segs: PathKey[] = [];
    for (let m = meta; m && m.key !== undefined; m = m.parent) segs.push(m.key);
    return formatPath(segs.reverse());
  }

  /** Location of a container. */
  locate(node: unknown): SourceLocation | undefined {
    const m = this.metaOf(node);
    if (!m) return undefined;
    return { file: this.file, ...this.position(m.offset), path: this.pathOfMeta(m) };
  }

  /** Locations of several children of one container (`locateChild` for each, its path found once). */
  locateChildren(node: unknown, keys: readonly PathKey[]): Array<SourceLocation | undefined> {
    const m = this.metaOf(node);
    if (!m) return keys.map(() => undefined);
    let base: string | undefined;
    return keys.map((key) => {
      const off = childOffsetOf(m, key, this.text);
      if (off === undefined) return undefined;
      base ??= this.pathOfMeta(m);
      return { file: this.file, ...this.position(off), path: joinPath(base, key) };
    });
  }

  /** Location of a child value (`key` of an object, index of an array). */
  locateChild(node: unknown, key: PathKey): SourceLocation | undefined {
    const m = this.metaOf(node);
    if (!m) return undefined;
    const off = childOffsetOf(m, key, this.text);
    if (off === undefined) return undefined;
    return { file: this.file, ...this.position(off), path: joinPath(this.pathOfMeta(m), key) };
  }
}

/** Own-property read: never reaches Object.prototype (a `constructor` key is data). */
export function own(obj: unknown, key: string): unknown {
  if (typeof obj !== 'object' || obj === null) return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

export function hasOwn(obj: unknown, key: string): boolean {
  return typeof obj === 'object' && obj !== null && Object.prototype.hasOwnProperty.call(obj, key);
}

/** Set a property as plain data, even `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}
