/**
 * A fast reader for the plain YAML most templates are written in, giving exactly what the
 * `yaml` path of `parseYaml` gives (the same values, the same positions for every container and
 * child, the same CloudFormation short tags), or `undefined` so that the caller reads the file
 * with `yaml` instead. It never decides an error: anything it does not fully understand, and
 * anything that could be invalid, makes it give up, and `yaml` then reads the file and words
 * the error. test/loaders/yaml-fast.test.ts checks it against the `yaml` path, value and
 * position, on every fixture, the corpus and generated documents.
 *
 * Read here: block mappings and sequences (compact `- Key: v` items, sequences at their key's
 * indentation), single-line flow or multi-line flow collections, single-line quoted and plain
 * scalars with the YAML 1.2 core schema (as the `yaml` path resolves them: numbers that would
 * not print back the same keep their text), comments, and the short tags of `CFN_TAGS`.
 * Given up on: tabs, carriage returns, control and other unusual characters, document markers
 * and directives, anchors and aliases, block scalars (`|`, `>`), multi-line plain or quoted
 * scalars, explicit keys, other tags, keys that are not strings, duplicate keys, empty items,
 * and nesting past `maxDepth`.
 */
import { SourceMap, setOwn, type NodeMeta, type PathKey } from '../source';
import { CFN_TAGS } from './yaml';

function giveUp(): symbol {
  if (DEBUG) console.error(new Error('give up').stack!.split('\n').slice(2, 4).join(' '));
  return GIVE_UP;
}

/** Thrown inside the reader to give up; never escapes it. */
const GIVE_UP: unique symbol = Symbol('give up');
const DEBUG = process.env.JCI_FAST_DEBUG === '1';

// Characters that make a file go to `yaml`: tabs, carriage returns, other C0/C1 controls, DEL,
// the Unicode line and paragraph separators, BOMs and surrogates (lone ones are `yaml`'s to judge).
const UNUSUAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/;
// Document markers and directives.
const MARKERS = /^(?:---|\.\.\.)(?:[ \n]|$)|^%/m;

const NULL_RE = /^(?:~|[Nn]ull|NULL)$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const NUMBER_RES = [
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

/** A plain scalar as the core schema and the `yaml` path's conversion give it. */
function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Fast exit: most scalars start with a letter other than those of null/true/false/.inf/.nan.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
    if (c === 110 || c === 78) return NULL_RE.test(s) ? null : s;
    if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL_RE.test(s) ? s.charCodeAt(0) === 116 || s.charCodeAt(0) === 84 : s;
    return s;
  }
  if (c === 126 && s.length === 1) return null;
  for (const re of NUMBER_RES) {
    if (re.test(s)) {
      const n = Number(s);
      return String(n) === s ? n : s;
    }
  }
  return s;
}

function isSpaceOrEnd(text: string, i: number): boolean {
  return i >= text.length || text.charCodeAt(i) === 32 || text.charCodeAt(i) === 10;
}

/** Characters a plain scalar may not start with (indicators); `-?:` are allowed only before a non-space, given up on here. */
function startsAsIndicator(c: number): boolean {
  // - ? : , [ ] { } # & * ! | > ' " % @ `
  return c === 45 || c === 63 || c === 58 || c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === 35 || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96;
}

/** Can a plain scalar start at `q`? (`-` only before a character that is not a space or, in flow, an indicator.) */
function canStartPlain(text: string, q: number, flow: boolean): boolean {
  const c = text.charCodeAt(q);
  if (!startsAsIndicator(c)) return true;
  if (c !== 45 || q + 1 >= text.length) return false;
  const d = text.charCodeAt(q + 1);
  return d !== 32 && d !== 10 && !(flow && (d === 44 || d === 91 || d === 93 || d === 123 || d === 125));
}

/**
 * A mapping's keys and their offsets, flat (`[key, offset, key, offset, ...]`): lighter than a
 * Map per mapping; a large mapping gets a Map index too.
 */
class MapKeys {
  readonly flat: Array<string | number> = [];
  private index?: Map<string, number>;

  has(key: string): boolean {
    return this.offsetOf(key) !== undefined;
  }

  add(key: string, offset: number): void {
    this.flat.push(key, offset);
    this.index?.set(key, offset);
  }

  offsetOf(key: string): number | undefined {
    const flat = this.flat;
    if (flat.length > 32) {
      if (!this.index) {
        this.index = new Map();
        for (let i = 0; i < flat.length; i += 2) this.index.set(flat[i] as string, flat[i + 1] as number);
      }
      return this.index.get(key);
    }
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === key) return flat[i + 1] as number;
    return undefined;
  }
}

function mapChildOffset(node: unknown, key: PathKey): number | undefined {
  return typeof key === 'string' ? (node as MapKeys).offsetOf(key) : undefined;
}

function seqChildOffset(node: unknown, key: PathKey): number | undefined {
  return typeof key === 'number' ? (node as number[])[key] : undefined;
}

function tagChildOffset(node: unknown, key: PathKey, _text: string, fallback: number): number | undefined {
  return key === node ? fallback : undefined;
}

class Reader {
  private pos = 0;
  private readonly n: number;

  constructor(
    private readonly text: string,
    private readonly map: SourceMap,
    private readonly maxDepth: number,
  ) {
    this.n = text.length;
  }

  read(): unknown {
    const start = this.nextContent(0);
    if (start >= this.n) throw giveUp(); // empty: `yaml` says what it is
    if (this.text.charCodeAt(start) === 32) throw giveUp(); // an indented document
    if (this.text.charCodeAt(start) !== 45 && this.keyColon(start) === -1) throw giveUp(); // a document that is not a collection
    const value = this.blockNode(start, 0, -1, 0, undefined, undefined, false);
    if (this.pos < this.n) throw giveUp();
    return value;
  }

  // ---- lines ----------------------------------------------------------------------------

  /** The start of the first line at or after `from` (a line start) with content other than a comment. */
  private nextContent(from: number): number {
    const t = this.text;
    let i = from;
    while (i < this.n) {
      let j = i;
      while (t.charCodeAt(j) === 32) j++;
      if (j >= this.n) return this.n;
      const c = t.charCodeAt(j);
      if (c === 10) {
        i = j + 1;
        continue;
      }
      if (c === 35) {
        const nl = t.indexOf('\n', j);
        if (nl === -1) return this.n;
        i = nl + 1;
        continue;
      }
      return i;
    }
    return this.n;
  }

  /** The start of the line after the one `i` is on. */
  private lineAfter(i: number): number {
    const nl = this.text.indexOf('\n', i);
    return nl === -1 ? this.n : nl + 1;
  }

  /** Where a node that starts at `q` (perhaps with a short tag) has its value: `yaml`'s range start. */
  private valueStart(q: number, flow: boolean): number {
    const t = this.text;
    if (t.charCodeAt(q) !== 33) return q;
    let j = q + 1;
    while (j < this.n && !/[ \n,[\]{}]/.test(t[j]!)) j++;
    while (t.charCodeAt(j) === 32 || (flow && t.charCodeAt(j) === 10)) j++;
    if (!flow && (j >= this.n || t.charCodeAt(j) === 10 || t.charCodeAt(j) === 35)) {
      const next = this.nextContent(this.lineAfter(j));
      return next + this.indentOf(next);
    }
    return j;
  }

  private indentOf(lineStart: number): number {
    let j = lineStart;
    while (this.text.charCodeAt(j) === 32) j++;
    return j - lineStart;
  }

  /** After a value that ends its line at `i`: only spaces and a comment may follow; returns the next line's start. */
  private endOfLine(i: number): number {
    const t = this.text;
    let j = i;
    while (t.charCodeAt(j) === 32) j++;
    if (j >= this.n) return this.n;
    const c = t.charCodeAt(j);
    if (c === 10) return j + 1;
    if (c === 35 && j > i) {
      const nl = t.indexOf('\n', j);
      return nl === -1 ? this.n : nl + 1;
    }
    throw giveUp();
  }

  private isSeqItem(p: number): boolean {
    return this.text.charCodeAt(p) === 45 && isSpaceOrEnd(this.text, p + 1);
  }

  /** Where the `:` of a block mapping key that starts at `p` is, or -1 when the line is not a key. */
  private keyColon(p: number): number {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 34 || c === 39) {
      const end = this.quotedEnd(p);
      if (end === -1) return -1;
      return t.charCodeAt(end + 1) === 58 && isSpaceOrEnd(t, end + 2) ? end + 1 : -1;
    }
    if (startsAsIndicator(c)) return -1;
    for (let j = p; j < this.n; j++) {
      const d = t.charCodeAt(j);
      if (d === 10) return -1;
      if (d === 58 && isSpaceOrEnd(t, j + 1)) return j;
      if (d === 32 && t.charCodeAt(j + 1) === 35) return -1;
    }
    return -1;
  }

  // ---- block nodes ----------------------------------------------------------------------

  /**
   * A node that starts on its own line (`lineStart`, content at column `indent`): a block
   * collection, or a value on that line alone (a tag, a flow collection, a scalar). `tagged`:
   * the node already has a tag (a second one is `yaml`'s to refuse).
   */
  private blockNode(lineStart: number, indent: number, parentIndent: number, depth: number, parent: NodeMeta | undefined, key: PathKey | undefined, tagged: boolean): unknown {
    if (depth > this.maxDepth) throw giveUp();
    if (indent <= parentIndent) throw giveUp();
    const p = lineStart + indent;
    if (this.isSeqItem(p)) return this.blockSeq(lineStart, indent, depth, parent, key);
    if (this.keyColon(p) !== -1) return this.blockMap(lineStart, indent, depth, parent, key);
    if (parent === undefined || key === undefined) throw giveUp();
    if (tagged) {
      if (this.text.charCodeAt(p) === 33) throw giveUp();
      return this.inlineUntagged(p, parentIndent, depth, parent, key, true);
    }
    return this.inlineValue(p, parentIndent, depth, parent, key);
  }

  private blockMap(lineStart: number, indent: number, depth: number, parent: NodeMeta | undefined, key: PathKey | undefined): Record<string, unknown> {
    const t = this.text;
    const obj: Record<string, unknown> = {};
    const children = new MapKeys();
    const meta: NodeMeta = { offset: lineStart + indent, parent, key, node: children, lookup: mapChildOffset };
    this.map.register(obj, meta);
    let line = lineStart;
    for (;;) {
      const p = line + indent;
      const colon = this.keyColon(p);
      if (colon === -1) throw giveUp();
      let k: string;
      const c = t.charCodeAt(p);
      if (c === 34 || c === 39) k = this.quoted(p, this.quotedEnd(p));
      else {
        if (t.charCodeAt(colon - 1) === 32) throw giveUp(); // `key :`
        const src = t.slice(p, colon);
        if (src.length > 1000 || /[[\]{},"']/.test(src) || src === '<<') throw giveUp();
        if (typeof resolvePlain(src) !== 'string') throw giveUp(); // numbers, booleans, null as keys: `yaml` compares them by value
        k = src;
      }
      if (children.has(k)) throw giveUp();
      children.add(k, p);
      setOwn(obj, k, this.valueAfterColon(colon + 1, indent, depth + 1, meta, k, true));
      // this.pos: the start of the next content line (or the end).
      if (this.pos >= this.n) return obj;
      const m = this.indentOf(this.pos);
      if (m < indent) return obj;
      if (m > indent) throw giveUp();
      if (this.isSeqItem(this.pos + m)) throw giveUp();
      line = this.pos;
    }
  }

  private blockSeq(lineStart: number, indent: number, depth: number, parent: NodeMeta | undefined, key: PathKey | undefined): unknown[] {
    const arr: unknown[] = [];
    const offsets: number[] = [];
    const meta: NodeMeta = { offset: lineStart + indent, parent, key, node: offsets, lookup: seqChildOffset };
    this.map.register(arr, meta);
    let line = lineStart;
    for (;;) {
      const dash = line + indent;
      if (!this.isSeqItem(dash)) throw giveUp();
      const idx = arr.length;
      arr.push(this.seqItem(dash, indent, depth + 1, meta, idx, offsets));
      if (this.pos >= this.n) return arr;
      const m = this.indentOf(this.pos);
      if (m < indent) return arr;
      if (m > indent) throw giveUp();
      if (!this.isSeqItem(this.pos + m)) return arr; // the parent mapping's next key (a sequence at its key's indentation)
      line = this.pos;
    }
  }

  private seqItem(dash: number, indent: number, depth: number, meta: NodeMeta, idx: number, offsets: number[]): unknown {
    const t = this.text;
    if (depth > this.maxDepth) throw giveUp();
    let q = dash + 1;
    while (t.charCodeAt(q) === 32) q++;
    const c = q < this.n ? t.charCodeAt(q) : 10;
    if (c === 10 || c === 35) {
      if (c === 35 && q === dash + 1) throw giveUp();
      // The item is on the lines below.
      const next = this.nextContent(this.lineAfter(q));
      if (next >= this.n) throw giveUp();
      const m = this.indentOf(next);
      if (m <= indent) throw giveUp(); // an empty item
      offsets.push(this.valueStart(next + m, false));
      return this.blockNode(next, m, indent, depth, meta, idx, false);
    }
    if (q === dash + 1) throw giveUp();
    offsets.push(this.valueStart(q, false));
    // A compact sequence (`- - a`) or mapping (`- Key: value`): its items or keys at the column of the first one.
    const lineStart = dash - indent;
    if (c === 45 && isSpaceOrEnd(t, q + 1)) return this.blockSeq(lineStart, indent + (q - dash), depth, meta, idx);
    if (this.keyColon(q) !== -1) return this.blockMap(lineStart, indent + (q - dash), depth, meta, idx);
    return this.inlineValue(q, indent, depth, meta, idx);
  }

  /**
   * The value of a mapping entry, after its `:`: on the same line (then nothing deeper may
   * follow), or the block collection on the lines below.
   */
  private valueAfterColon(i: number, indent: number, depth: number, meta: NodeMeta, key: string, allowSameIndentSeq: boolean): unknown {
    const t = this.text;
    if (depth > this.maxDepth) throw giveUp();
    let q = i;
    while (t.charCodeAt(q) === 32) q++;
    const c = q < this.n ? t.charCodeAt(q) : 10;
    if (c === 10 || c === 35) {
      if (c === 35 && q === i) throw giveUp();
      const next = this.nextContent(this.lineAfter(q));
      if (next < this.n) {
        const m = this.indentOf(next);
        if (m > indent) return this.blockNode(next, m, indent, depth, meta, key, false);
        if (m === indent && allowSameIndentSeq && this.isSeqItem(next + m)) return this.blockSeq(next, m, depth, meta, key);
      }
      this.pos = next;
      return null;
    }
    return this.inlineValue(q, indent, depth, meta, key);
  }

  /** A value that starts on the current line at `q` (a tag, a flow collection, a quoted or plain scalar). */
  private inlineValue(q: number, indent: number, depth: number, parent: NodeMeta, key: PathKey): unknown {
    const t = this.text;
    const c = t.charCodeAt(q);
    if (c === 33) {
      const { long, after } = this.tag(q);
      let r = after;
      while (t.charCodeAt(r) === 32) r++;
      const d = r < this.n ? t.charCodeAt(r) : 10;
      if (d === 10 || d === 35) {
        if (d === 35 && r === after) throw giveUp();
        // A tagged block collection on the lines below.
        const next = this.nextContent(this.lineAfter(r));
        if (next >= this.n) throw giveUp();
        const m = this.indentOf(next);
        if (m <= indent) throw giveUp();
        const off = next + m;
        return this.wrap(long, off, parent, key, (wm) => this.blockNode(next, m, indent, depth, wm, long, true));
      }
      if (r === after) throw giveUp();
      return this.wrap(long, r, parent, key, (wm) => this.inlineUntagged(r, indent, depth, wm, long, true));
    }
    return this.inlineUntagged(q, indent, depth, parent, key, false);
  }

  private inlineUntagged(q: number, indent: number, depth: number, parent: NodeMeta, key: PathKey, tagged: boolean): unknown {
    const t = this.text;
    const c = t.charCodeAt(q);
    if (c === 91 || c === 123) {
      this.pos = q;
      const v = this.flowCollection(indent, depth, parent, key);
      this.pos = this.nextContent(this.endOfLine(this.pos));
      this.checkNotDeeper(indent);
      return v;
    }
    if (c === 34 || c === 39) {
      const end = this.quotedEnd(q);
      if (end === -1) throw giveUp();
      const v = this.quoted(q, end);
      this.pos = this.nextContent(this.endOfLine(end + 1));
      this.checkNotDeeper(indent);
      return v;
    }
    if (c === 124 || c === 62) {
      const v = this.blockScalar(q, indent);
      this.checkNotDeeper(indent);
      return v;
    }
    if (!canStartPlain(t, q, false)) throw giveUp();
    // A plain scalar to the end of the line or a comment.
    let j = q;
    let end = q;
    for (; j < this.n; j++) {
      const d = t.charCodeAt(j);
      if (d === 10) break;
      if (d === 32) {
        if (t.charCodeAt(j + 1) === 35) break;
        continue;
      }
      if (d === 58 && isSpaceOrEnd(t, j + 1)) throw giveUp(); // a nested mapping on one line
      end = j + 1;
    }
    const src = t.slice(q, end);
    this.pos = this.nextContent(j >= this.n ? this.n : this.endOfLine(j));
    this.checkNotDeeper(indent);
    return tagged ? src : resolvePlain(src);
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose indicator is at `q`, under a node at
   * `indent`: clip or strip chomping (`|-`), the content's indentation from its first line.
   * Given up on: keep chomping, an indentation indicator, leading or over-indented empty lines,
   * folded lines that are more indented, a last line without a line break, no content.
   */
  private blockScalar(q: number, indent: number): string {
    const t = this.text;
    const folded = t.charCodeAt(q) === 62;
    let j = q + 1;
    let strip = false;
    if (t.charCodeAt(j) === 45) {
      strip = true;
      j++;
    }
    const h = j < this.n ? t.charCodeAt(j) : 10;
    if (h !== 32 && h !== 10) throw giveUp(); // `|+`, `|2`, `|x`
    let ls = this.endOfLine(j);
    const lines: string[] = [];
    let m = -1;
    while (ls < this.n) {
      let e = t.indexOf('\n', ls);
      if (e === -1) e = this.n;
      let sp = 0;
      while (t.charCodeAt(ls + sp) === 32) sp++;
      if (ls + sp === e) {
        if (m === -1 || sp > m || e === this.n) throw giveUp();
        lines.push('');
        ls = e + 1;
        continue;
      }
      if (m === -1) {
        if (sp <= indent) throw giveUp();
        m = sp;
      }
      if (sp < m) break;
      if (e === this.n) throw giveUp();
      const line = t.slice(ls + m, e);
      if (folded && line.charCodeAt(0) === 32) throw giveUp();
      lines.push(line);
      ls = e + 1;
    }
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    if (lines.length === 0) throw giveUp();
    let body: string;
    if (!folded) body = lines.join('\n');
    else {
      body = lines[0]!;
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i]!;
        if (line === '') body += '\n';
        else body += lines[i - 1] === '' ? line : ` ${line}`;
      }
    }
    this.pos = this.nextContent(ls);
    return strip ? body : `${body}\n`;
  }

  /** After a value on its line: a more indented line would continue it (or be an error). */
  private checkNotDeeper(indent: number): void {
    if (this.pos < this.n && this.indentOf(this.pos) > indent) throw giveUp();
  }

  private tag(q: number): { long: string; after: number } {
    const t = this.text;
    let j = q + 1;
    while (j < this.n) {
      const d = t.charCodeAt(j);
      if (d === 32 || d === 10 || d === 44 || d === 91 || d === 93 || d === 123 || d === 125) break;
      j++;
    }
    const long = CFN_TAGS[t.slice(q, j)];
    if (!long || !Object.prototype.hasOwnProperty.call(CFN_TAGS, t.slice(q, j))) throw giveUp();
    return { long, after: j };
  }

  /** A short tag's `{ 'Fn::X': inner }`, placed where the tagged node starts (as the `yaml` path does). */
  private wrap(long: string, off: number, parent: NodeMeta, key: PathKey, inner: (meta: NodeMeta) => unknown): Record<string, unknown> {
    const wrapperMeta: NodeMeta = { offset: off, parent, key, node: long, lookup: tagChildOffset };
    const value = inner(wrapperMeta);
    const wrapper: Record<string, unknown> = {};
    if (long === 'Fn::GetAtt' && typeof value === 'string') {
      const dot = value.indexOf('.');
      setOwn(wrapper, long, dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)]);
    } else setOwn(wrapper, long, value);
    this.map.register(wrapper, wrapperMeta);
    return wrapper;
  }

  // ---- quoted scalars -------------------------------------------------------------------

  /** The offset of the closing quote of a one-line quoted scalar at `p`, or -1. */
  private quotedEnd(p: number): number {
    const t = this.text;
    const q = t.charCodeAt(p);
    for (let j = p + 1; j < this.n; j++) {
      const d = t.charCodeAt(j);
      if (d === 10) return -1;
      if (q === 39) {
        if (d === 39) {
          if (t.charCodeAt(j + 1) === 39) {
            j++;
            continue;
          }
          return j;
        }
      } else {
        if (d === 92) {
          j++;
          if (t.charCodeAt(j) === 10) return -1;
          continue;
        }
        if (d === 34) return j;
      }
    }
    return -1;
  }

  private quoted(p: number, end: number): string {
    const t = this.text;
    const body = t.slice(p + 1, end);
    if (t.charCodeAt(p) === 39) return body.includes("''") ? body.replace(/''/g, "'") : body;
    if (!body.includes('\\')) return body;
    let out = '';
    for (let j = 0; j < body.length; j++) {
      const ch = body[j]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = body[++j];
      switch (e) {
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case '/': out += '/'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'u':
        case 'x': {
          const len = e === 'u' ? 4 : 2;
          const hex = body.slice(j + 1, j + 1 + len);
          if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw giveUp();
          const code = parseInt(hex, 16);
          if (code >= 0xd800 && code <= 0xdfff) throw giveUp();
          out += String.fromCharCode(code);
          j += len;
          break;
        }
        default:
          throw giveUp();
      }
    }
    return out;
  }

  // ---- flow collections -----------------------------------------------------------------

  /** Spaces and line breaks inside a flow collection; lines must stay deeper than `indent`; no comments. */
  private flowSpace(indent: number): void {
    const t = this.text;
    let i = this.pos;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32) i++;
      else if (c === 10) {
        i++;
        let m = 0;
        while (t.charCodeAt(i) === 32) {
          i++;
          m++;
        }
        if (t.charCodeAt(i) !== 10 && m <= indent) throw giveUp();
      } else break;
    }
    if (i >= this.n || t.charCodeAt(i) === 35) throw giveUp();
    this.pos = i;
  }

  private flowCollection(indent: number, depth: number, parent: NodeMeta, key: PathKey): unknown {
    if (depth > this.maxDepth) throw giveUp();
    const t = this.text;
    const open = this.pos;
    this.pos++;
    if (t.charCodeAt(open) === 91) {
      const arr: unknown[] = [];
      const offsets: number[] = [];
      const meta: NodeMeta = { offset: open, parent, key, node: offsets, lookup: seqChildOffset };
      this.map.register(arr, meta);
      this.flowSpace(indent);
      if (t.charCodeAt(this.pos) === 93) {
        this.pos++;
        return arr;
      }
      for (;;) {
        const idx = arr.length;
        offsets.push(this.valueStart(this.pos, true));
        arr.push(this.flowNode(indent, depth + 1, meta, idx, false));
        this.flowSpace(indent);
        const d = t.charCodeAt(this.pos);
        this.pos++;
        if (d === 93) return arr;
        if (d !== 44) throw giveUp();
        this.flowSpace(indent);
        if (t.charCodeAt(this.pos) === 93) throw giveUp(); // a trailing comma
      }
    }
    const obj: Record<string, unknown> = {};
    const children = new MapKeys();
    const meta: NodeMeta = { offset: open, parent, key, node: children, lookup: mapChildOffset };
    this.map.register(obj, meta);
    this.flowSpace(indent);
    if (t.charCodeAt(this.pos) === 125) {
      this.pos++;
      return obj;
    }
    for (;;) {
      const at = this.pos;
      const c = t.charCodeAt(at);
      let k: string;
      if (c === 34 || c === 39) {
        const end = this.quotedEnd(at);
        if (end === -1) throw giveUp();
        k = this.quoted(at, end);
        this.pos = end + 1;
      } else {
        const raw = this.flowPlain();
        if (raw.length > 1000 || raw === '<<' || typeof resolvePlain(raw) !== 'string') throw giveUp();
        k = raw;
      }
      if (children.has(k)) throw giveUp();
      if (t.charCodeAt(this.pos) !== 58 || !isSpaceOrEnd(t, this.pos + 1)) throw giveUp();
      this.pos++;
      this.flowSpace(indent);
      const d = t.charCodeAt(this.pos);
      if (d === 44 || d === 125) throw giveUp(); // an empty value
      children.add(k, at);
      setOwn(obj, k, this.flowNode(indent, depth + 1, meta, k, false));
      this.flowSpace(indent);
      const e = t.charCodeAt(this.pos);
      this.pos++;
      if (e === 125) return obj;
      if (e !== 44) throw giveUp();
      this.flowSpace(indent);
      if (t.charCodeAt(this.pos) === 125) throw giveUp(); // a trailing comma
    }
  }

  /** A node inside a flow collection, at this.pos. */
  private flowNode(indent: number, depth: number, parent: NodeMeta, key: PathKey, tagged: boolean): unknown {
    if (depth > this.maxDepth) throw giveUp();
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    if (c === 33 && !tagged) {
      const { long, after } = this.tag(this.pos);
      if (t.charCodeAt(after) !== 32) throw giveUp();
      this.pos = after;
      this.flowSpace(indent);
      const off = this.pos;
      return this.wrap(long, off, parent, key, (wm) => this.flowNode(indent, depth, wm, long, true));
    }
    if (c === 91 || c === 123) return this.flowCollection(indent, depth, parent, key);
    if (c === 34 || c === 39) {
      const end = this.quotedEnd(this.pos);
      if (end === -1) throw giveUp();
      const v = this.quoted(this.pos, end);
      this.pos = end + 1;
      this.afterFlowScalar();
      return v;
    }
    const raw = this.flowPlain();
    this.afterFlowScalar();
    return tagged ? raw : resolvePlain(raw);
  }

  /** After a scalar in a flow sequence item: `[a: b]` (a pair in a sequence) is `yaml`'s. */
  private afterFlowScalar(): void {
    const t = this.text;
    let i = this.pos;
    while (t.charCodeAt(i) === 32) i++;
    if (t.charCodeAt(i) === 58) throw giveUp();
  }

  /** A plain scalar inside a flow collection (one line), at this.pos. */
  private flowPlain(): string {
    const t = this.text;
    const q = this.pos;
    if (!canStartPlain(t, q, true)) throw giveUp();
    let end = q;
    let j = q;
    for (; j < this.n; j++) {
      const d = t.charCodeAt(j);
      if (d === 10 || d === 44 || d === 91 || d === 93 || d === 123 || d === 125) break;
      if (d === 32) {
        if (t.charCodeAt(j + 1) === 35) throw giveUp();
        continue;
      }
      if (d === 58) {
        const e = j + 1 < this.n ? t.charCodeAt(j + 1) : 10;
        if (e === 32 || e === 10 || e === 44 || e === 91 || e === 93 || e === 123 || e === 125) break;
      }
      end = j + 1;
    }
    if (end === q) throw giveUp();
    this.pos = end;
    if (t.charCodeAt(j) === 10) {
      // A plain scalar may go on on the next line: only an indicator may follow it there.
      let i = j;
      while (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 10) i++;
      const d = t.charCodeAt(i);
      if (d !== 44 && d !== 93 && d !== 125 && d !== 58) throw giveUp();
    }
    return t.slice(q, end);
  }
}

/** The file read the fast way, or undefined: then `yaml` reads it. */
export function parseYamlFast(text: string, map: SourceMap, maxDepth: number): { value: unknown } | undefined {
  if (UNUSUAL.test(text) || MARKERS.test(text)) return undefined;
  try {
    return { value: new Reader(text, map, maxDepth).read() };
  } catch (e) {
    if (e === GIVE_UP || e instanceof RangeError) {
      if (DEBUG) console.error(new Error('gave up').stack);
      return undefined;
    }
    throw e;
  }
}
