/**
 * Wildcard patterns for the reference evaluator, written the obvious way: a pattern is a
 * list of tokens (a literal character, `*`, `?`, or a hole standing for an unknown piece of
 * text), and every question is answered by plain recursion over the two token lists
 * (memoised only so that a long pattern does not take exponential time).
 */

export const STAR: unique symbol = Symbol('*');
export const ONE: unique symbol = Symbol('?');
/** An unknown piece of text (an unresolved template value or an unknown policy variable). */
export const HOLE: unique symbol = Symbol('hole');
/**
 * Any run of characters without ":": a `*` that is not the last character of its ARN
 * segment (read narrowly, see `narrowResourcePattern`), and the region and account
 * placeholders of resource-type ARN formats.
 */
export const SEG: unique symbol = Symbol('segment');
/** Exactly one character other than ":": a `?` inside an ARN segment, read narrowly. */
export const SEG1: unique symbol = Symbol('segment character');

export type Token = string | typeof STAR | typeof ONE | typeof HOLE | typeof SEG | typeof SEG1;

/** What one character must be for a token to accept it (undefined: anything). */
function accepts(t: Token): { only?: string; notColon?: boolean } {
  if (typeof t === 'string') return { only: t };
  if (t === SEG || t === SEG1) return { notColon: true };
  return {};
}

function oneCharFitsBoth(x: Token, y: Token): boolean {
  const a = accepts(x);
  const b = accepts(y);
  if (a.only !== undefined && b.only !== undefined) return a.only === b.only;
  const only = a.only ?? b.only;
  if (only !== undefined) return !((a.notColon || b.notColon) && only === ':');
  return true;
}

function isRun(t: Token | undefined): boolean {
  return t === STAR || t === SEG;
}
export type Pattern = readonly Token[];

/** Every character literal. */
export function literalPattern(text: string): Pattern {
  return Array.from(text);
}

/** `*` and `?` are wildcards, everything else literal. */
export function wildcardPattern(text: string): Pattern {
  return Array.from(text, (ch) => (ch === '*' ? STAR : ch === '?' ? ONE : ch));
}

export function hasHole(p: Pattern): boolean {
  return p.includes(HOLE);
}

/** The same pattern with each hole replaced by `*`: what the pattern could be at most. */
export function holesAsStars(p: Pattern): Pattern {
  return p.map((t) => (t === HOLE ? STAR : t));
}

export function lowerCasePattern(p: Pattern): Pattern {
  return p.map((t) => (typeof t === 'string' ? t.toLowerCase() : t));
}

/**
 * Rewrites each run of wildcards of one kind (`*` and `?`; or the colon-free SEG and SEG1)
 * as its single-character tokens followed by at most one run token (the same set of
 * strings: "at least k characters"), so the containment test below is not misled by order.
 */
export function normalise(p: Pattern): Pattern {
  const out: Token[] = [];
  let i = 0;
  while (i < p.length) {
    const t = p[i]!;
    const kind = t === STAR || t === ONE ? 'wide' : t === SEG || t === SEG1 ? 'narrow' : undefined;
    if (kind === undefined) {
      out.push(t);
      i++;
      continue;
    }
    const run = kind === 'wide' ? STAR : SEG;
    const one = kind === 'wide' ? ONE : SEG1;
    let ones = 0;
    let star = false;
    while (i < p.length && (p[i] === run || p[i] === one)) {
      if (p[i] === run) star = true;
      else ones++;
      i++;
    }
    for (let k = 0; k < ones; k++) out.push(one);
    if (star) out.push(run);
  }
  return out;
}

/** Does the (hole-free) pattern match the text? */
export function matches(pattern: Pattern, text: string): boolean {
  const p = normalise(pattern);
  const s = Array.from(text);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = i * (s.length + 1) + j;
    const known = memo.get(k);
    if (known !== undefined) return known;
    let r: boolean;
    if (i === p.length) r = j === s.length;
    else if (p[i] === STAR) r = go(i + 1, j) || (j < s.length && go(i, j + 1));
    else if (p[i] === SEG) r = go(i + 1, j) || (j < s.length && s[j] !== ':' && go(i, j + 1));
    else if (j === s.length) r = false;
    else if (p[i] === ONE) r = go(i + 1, j + 1);
    else if (p[i] === SEG1) r = s[j] !== ':' && go(i + 1, j + 1);
    else r = p[i] === s[j] && go(i + 1, j + 1);
    memo.set(k, r);
    return r;
  };
  return go(0, 0);
}

/** Is there at least one string that both (hole-free) patterns match? Exact. */
export function intersects(first: Pattern, second: Pattern): boolean {
  const a = normalise(first);
  const b = normalise(second);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = i * (b.length + 1) + j;
    const known = memo.get(k);
    if (known !== undefined) return known;
    let r = false;
    if (i === a.length && j === b.length) r = true;
    if (!r && isRun(a[i])) r = go(i + 1, j); // a run matches the empty string
    if (!r && isRun(b[j])) r = go(i, j + 1);
    if (!r && i < a.length && j < b.length && oneCharFitsBoth(a[i]!, b[j]!)) {
      // one character that both tokens accept; a run stays to take more
      const ni = isRun(a[i]) ? i : i + 1;
      const nj = isRun(b[j]) ? j : j + 1;
      if (ni !== i || nj !== j) r = go(ni, nj);
    }
    memo.set(k, r);
    return r;
  };
  return go(0, 0);
}

/**
 * Does every string the inner pattern matches also match the outer one? Sound (a `true`
 * is always right); it can answer `false` for some exotic pairs that are in fact
 * contained, which only makes the evaluator say "maybe" where it could say "yes".
 */
export function contains(outerPattern: Pattern, innerPattern: Pattern): boolean {
  const p = normalise(outerPattern);
  const q = normalise(innerPattern);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = i * (q.length + 1) + j;
    const known = memo.get(k);
    if (known !== undefined) return known;
    let r: boolean;
    if (i === p.length) r = j === q.length;
    else if (p[i] === STAR) r = go(i + 1, j) || (j < q.length && go(i, j + 1)); // outer * eats any inner token
    else if (p[i] === SEG) {
      // outer colon-free run eats inner colon-free literals and runs
      const eatable = j < q.length && (q[j] === SEG || q[j] === SEG1 || (typeof q[j] === 'string' && q[j] !== ':'));
      r = go(i + 1, j) || (eatable && go(i, j + 1));
    } else if (j === q.length) r = false;
    else if (p[i] === ONE) r = q[j] !== STAR && q[j] !== SEG && go(i + 1, j + 1); // outer ? eats one inner character, ? or SEG1
    else if (p[i] === SEG1) r = (q[j] === SEG1 || (typeof q[j] === 'string' && q[j] !== ':')) && go(i + 1, j + 1);
    else r = p[i] === q[j] && go(i + 1, j + 1); // a literal only covers the same literal
    memo.set(k, r);
    return r;
  };
  return go(0, 0);
}

/**
 * The narrow reading of a Resource/NotResource pattern, from the IAM page "IAM JSON policy
 * elements: Resource" (wildcards go "within the individual segments of an ARN (the parts
 * separated by colons)", and "If the `*` wildcard is the last character of a resource ARN
 * segment, it can expand to match beyond the colon boundaries"): a `*` followed by ":" or
 * ending the pattern matches anything; any other `*` stays inside its segment (SEG), and so
 * does a `?` (SEG1). The wide reading is the pattern itself (every wildcard spans colons);
 * the page does not say which of the two holds for a mid-segment wildcard, so resource.ts
 * treats a match under the wide reading only as "maybe".
 */
export function narrowResourcePattern(p: Pattern): Pattern {
  return p.map((t, i) => {
    if (t === STAR) return i + 1 === p.length || p[i + 1] === ':' ? STAR : SEG;
    if (t === ONE) return SEG1;
    return t;
  });
}

/** Does the pattern match every string at all? */
export function matchesEverything(p: Pattern): boolean {
  return p.length > 0 && p.every((t) => t === STAR);
}
