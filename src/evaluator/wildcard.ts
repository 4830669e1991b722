/**
 * IAM wildcards (`*` any run of characters, `?` exactly one character) as code arrays,
 * with matching, intersection and containment. No regular expressions and no
 * backtracking:
 *
 * - matching splits a pattern at its stars; the first segment is anchored at the start,
 *   the last at the end, and each middle segment is taken at its leftmost position (always
 *   safe for star-separated segments), so the work is bounded by text length times pattern
 *   length and a pattern with more fixed characters than the text is rejected at once;
 * - intersection ("can both match one string?") is a reachability search over pairs of
 *   positions, O(|a|·|b|);
 * - containment ("does every string `inner` matches also match `outer`?") matches `outer`
 *   against `inner`'s symbols, where an `outer` star absorbs anything, an `outer` `?`
 *   absorbs one fixed character or `?`, and an `outer` literal only the same literal. Runs
 *   of wildcards are first put in a canonical order (`?*` and `*?` mean the same). The
 *   check is sound: it never claims containment that does not hold; for a few exotic pairs
 *   it may answer "not contained" when the sets are in fact nested, which callers treat as
 *   a partial overlap (an uncertain answer), never as a grant.
 *
 * A literal `*` or `?` (written `${*}` / `${?}` in a policy) is an ordinary character code.
 */

/** Any run of characters. */
export const STAR = -1;
/** Exactly one character. */
export const ANY = -2;
/**
 * Any run of characters other than `:` (a `*` that is not the last character of an ARN
 * segment, see arn.ts). Only in code arrays given to `intersectCodes`, never in a Glob.
 */
export const NSTAR = -3;
/** Exactly one character other than `:` (a `?` inside an ARN segment). Only for `intersectCodes`. */
export const NANY = -4;

const COLON = 58;

interface Segment {
  /** The segment's characters (wildcard `?` kept as code ANY). */
  readonly codes: readonly number[];
  /** The segment as a string when it has no `?` (fast indexOf), else undefined. */
  readonly text: string | undefined;
}

/** A compiled wildcard pattern. */
export class Glob {
  /** Canonical codes: characters, STAR and ANY; wildcard runs as `?...?*`. */
  readonly codes: readonly number[];
  /** True when there is no wildcard at all. */
  readonly literal: boolean;
  /** True when the pattern is only stars (matches everything). */
  readonly universal: boolean;
  private readonly segments: readonly Segment[];
  private readonly hasStar: boolean;
  private readonly fixedLength: number;
  private readonly literalText: string | undefined;

  constructor(codes: readonly number[]) {
    this.codes = canonical(codes);
    this.hasStar = this.codes.includes(STAR);
    this.literal = !this.hasStar && !this.codes.includes(ANY);
    this.universal = this.codes.length > 0 && this.codes.every((c) => c === STAR);
    const segments: Segment[] = [];
    let current: number[] = [];
    for (const c of this.codes) {
      if (c === STAR) {
        segments.push(makeSegment(current));
        current = [];
      } else current.push(c);
    }
    segments.push(makeSegment(current));
    this.segments = segments;
    let fixed = 0;
    for (const c of this.codes) if (c !== STAR) fixed++;
    this.fixedLength = fixed;
    this.literalText = this.literal ? codesToString(this.codes) : undefined;
  }

  /** Parse a pattern where `*` and `?` are wildcards. `lowerCase` folds it for case-insensitive use. */
  static parse(pattern: string, lowerCase = false): Glob {
    const text = lowerCase ? pattern.toLowerCase() : pattern;
    const codes: number[] = new Array<number>(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      codes[i] = c === 42 ? STAR : c === 63 ? ANY : c;
    }
    return new Glob(codes);
  }

  /** A glob that matches exactly `text` (no wildcards). */
  static literalOf(text: string): Glob {
    const codes: number[] = new Array<number>(text.length);
    for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
    return new Glob(codes);
  }

  /** Does the pattern match the whole of `text`? (Case folding is the caller's job.) */
  matches(text: string): boolean {
    if (this.literalText !== undefined) return text === this.literalText;
    if (this.universal) return true;
    const segs = this.segments;
    if (!this.hasStar) return text.length === this.fixedLength && segmentAt(text, segs[0]!, 0);
    if (text.length < this.fixedLength) return false;
    const first = segs[0]!;
    const last = segs[segs.length - 1]!;
    if (!segmentAt(text, first, 0)) return false;
    const end = text.length - last.codes.length;
    if (end < first.codes.length || !segmentAt(text, last, end)) return false;
    let pos = first.codes.length;
    for (let k = 1; k < segs.length - 1; k++) {
      const seg = segs[k]!;
      if (seg.codes.length === 0) continue;
      const at = findSegment(text, seg, pos, end);
      if (at < 0) return false;
      pos = at + seg.codes.length;
    }
    return true;
  }

  /** The pattern as IAM writes it (a literal star or question mark shown as `${*}` / `${?}`). */
  toString(): string {
    let out = '';
    for (const c of this.codes) {
      if (c === STAR) out += '*';
      else if (c === ANY) out += '?';
      else if (c === 42) out += '${*}';
      else if (c === 63) out += '${?}';
      else out += String.fromCharCode(c);
    }
    return out;
  }
}

function makeSegment(codes: number[]): Segment {
  return { codes, text: codes.includes(ANY) ? undefined : codesToString(codes) };
}

/** Character codes (no wildcards) to a string, in chunks (no argument-count limit). */
export function codesToString(codes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode(...codes.slice(i, i + 8192));
  return out;
}

/** Reorder each run of wildcards to `?...?*` (one star) when it holds a star. */
function canonical(codes: readonly number[]): readonly number[] {
  // Already canonical (the usual case): no `*` followed by `?`, no `**`.
  let ok = true;
  for (let k = 1; k < codes.length; k++) {
    if (codes[k - 1] === STAR && (codes[k] === STAR || codes[k] === ANY)) {
      ok = false;
      break;
    }
  }
  if (ok) return codes;
  const out: number[] = [];
  let i = 0;
  while (i < codes.length) {
    const c = codes[i]!;
    if (c !== STAR && c !== ANY) {
      out.push(c);
      i++;
      continue;
    }
    let anys = 0;
    let star = false;
    while (i < codes.length && (codes[i] === STAR || codes[i] === ANY)) {
      if (codes[i] === STAR) star = true;
      else anys++;
      i++;
    }
    for (let k = 0; k < anys; k++) out.push(ANY);
    if (star) out.push(STAR);
  }
  return out;
}

function segmentAt(text: string, seg: Segment, at: number): boolean {
  const codes = seg.codes;
  if (at < 0 || at + codes.length > text.length) return false;
  if (seg.text !== undefined) return text.startsWith(seg.text, at);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c !== ANY && c !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

function findSegment(text: string, seg: Segment, from: number, limit: number): number {
  if (seg.text !== undefined) {
    const at = text.indexOf(seg.text, from);
    return at >= 0 && at + seg.codes.length <= limit ? at : -1;
  }
  for (let at = from; at + seg.codes.length <= limit; at++) if (segmentAt(text, seg, at)) return at;
  return -1;
}

/** Above this many position pairs the search gives up and answers "may intersect" (the safe side). */
const MAX_PAIRS = 4_000_000;

/** Can `a` and `b` match at least one common string? */
export function intersects(a: Glob, b: Glob): boolean {
  if (a.universal || b.universal) return true;
  if (a.literal && b.literal) return a.codes.length === b.codes.length && a.codes.every((c, i) => c === b.codes[i]);
  return intersectCodes(a.codes, b.codes);
}

/** A run token: it may match nothing and stays to take more. */
function isRun(c: number | undefined): boolean {
  return c === STAR || c === NSTAR;
}

/** Can the tokens `x` and `y` both accept one same character? */
function oneCharBoth(x: number, y: number): boolean {
  if (x >= 0 && y >= 0) return x === y;
  if (x >= 0) return x !== COLON || y === STAR || y === ANY;
  if (y >= 0) return y !== COLON || x === STAR || x === ANY;
  return true; // two wildcards: any character other than ":" fits both
}

/**
 * Can the code arrays `A` and `B` (characters, STAR, ANY, NSTAR, NANY) match one common
 * string? Exact: a reachability search over pairs of positions, O(|A|·|B|).
 */
export function intersectCodes(A: readonly number[], B: readonly number[]): boolean {
  const la = A.length;
  const lb = B.length;
  const width = lb + 1;
  if ((la + 1) * width > MAX_PAIRS) return true;
  const seen = new Uint8Array((la + 1) * width);
  const stack: number[] = [0];
  seen[0] = 1;
  const push = (i: number, j: number): void => {
    const s = i * width + j;
    if (!seen[s]) {
      seen[s] = 1;
      stack.push(s);
    }
  };
  while (stack.length) {
    const s = stack.pop()!;
    const i = Math.floor(s / width);
    const j = s - i * width;
    if (i === la && j === lb) return true;
    const ai = i < la ? A[i]! : undefined;
    const bj = j < lb ? B[j]! : undefined;
    if (isRun(ai)) push(i + 1, j);
    if (isRun(bj)) push(i, j + 1);
    if (ai === undefined || bj === undefined) continue;
    if (oneCharBoth(ai, bj)) {
      const ni = isRun(ai) ? i : i + 1;
      const nj = isRun(bj) ? j : j + 1;
      if (ni !== i || nj !== j) push(ni, nj);
    }
  }
  return false;
}

/** Does every string `inner` matches also match `outer`? (Sound; see the module comment.) */
export function contains(outer: Glob, inner: Glob): boolean {
  if (outer.universal) return true;
  if (inner.literal) return outer.matches(codesToString(inner.codes));
  return symbolMatch(outer.codes, inner.codes);
}

/** `outer` pattern matched against `inner`'s symbols (stars in `inner` only absorbed by stars in `outer`). */
function symbolMatch(pattern: readonly number[], text: readonly number[]): boolean {
  const eq = (p: number, t: number): boolean => (p === ANY ? t !== STAR : p === t);
  const segs: number[][] = [[]];
  for (const c of pattern) {
    if (c === STAR) segs.push([]);
    else segs[segs.length - 1]!.push(c);
  }
  const at = (seg: number[], pos: number): boolean => {
    if (pos < 0 || pos + seg.length > text.length) return false;
    for (let i = 0; i < seg.length; i++) if (!eq(seg[i]!, text[pos + i]!)) return false;
    return true;
  };
  if (segs.length === 1) return text.length === segs[0]!.length && at(segs[0]!, 0);
  const first = segs[0]!;
  const last = segs[segs.length - 1]!;
  if (!at(first, 0)) return false;
  const end = text.length - last.length;
  if (end < first.length || !at(last, end)) return false;
  let pos = first.length;
  for (let k = 1; k < segs.length - 1; k++) {
    const seg = segs[k]!;
    let found = -1;
    for (let p = pos; p + seg.length <= end; p++) {
      if (at(seg, p)) {
        found = p;
        break;
      }
    }
    if (found < 0) return false;
    pos = found + seg.length;
  }
  return true;
}

/** How a statement pattern relates to the resource (or action) asked about. */
export type Coverage = 'covers' | 'overlaps' | 'disjoint';

/** Relation of `pattern` to the set `asked` stands for. */
export function globRelation(pattern: Glob, asked: Glob): Coverage {
  if (contains(pattern, asked)) return 'covers';
  return intersects(pattern, asked) ? 'overlaps' : 'disjoint';
}
