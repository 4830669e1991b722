/**
 * IAM action wildcards (`*` any run of characters, `?` exactly one character), matched
 * case-insensitively. No regular expressions: a pattern is split at its stars into literal
 * segments, the first segment is anchored at the start, the last at the end, and each middle
 * segment is found at its leftmost position after the previous one. Taking the leftmost
 * occurrence is always safe for `*`-separated segments, so there is no backtracking; the
 * work is bounded by text length times pattern length, and a pattern with more literal
 * characters than the text has is rejected before any scanning (so a 5,000-character
 * `*a*a*...b` costs nothing against a 40-character action name).
 */

/** A compiled wildcard pattern. */
export interface ActionPatternMatcher {
  /** The pattern as given. */
  readonly pattern: string;
  /** True when the pattern contains no `*` and no `?`. */
  readonly literal: boolean;
  /** Does the pattern match the whole of `text` (case-insensitive)? */
  matches(text: string): boolean;
}

/** Compile an IAM action pattern into a matcher (case-insensitive). */
export function compileActionPattern(pattern: string): ActionPatternMatcher {
  const lower = pattern.toLowerCase();
  const parts = lower.split('*');
  const hasStar = parts.length > 1;
  const literal = !hasStar && !lower.includes('?');
  const minLength = parts.reduce((n, p) => n + p.length, 0);
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);

  const matches = (text: string): boolean => {
    const t = text.toLowerCase();
    if (literal) return t === lower;
    if (!hasStar) return t.length === lower.length && segmentAt(t, lower, 0);
    if (t.length < minLength) return false;
    if (!segmentAt(t, first, 0)) return false;
    const end = t.length - last.length;
    if (!segmentAt(t, last, end)) return false;
    let pos = first.length;
    for (const seg of middle) {
      const at = findSegment(t, seg, pos, end);
      if (at < 0) return false;
      pos = at + seg.length;
    }
    return pos <= end;
  };
  return { pattern, literal, matches };
}

/** Does `seg` (which may contain `?`) match `text` at `at`? */
function segmentAt(text: string, seg: string, at: number): boolean {
  if (at < 0 || at + seg.length > text.length) return false;
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Leftmost position >= from where `seg` matches and ends at or before `limit`; -1 if none. */
function findSegment(text: string, seg: string, from: number, limit: number): number {
  if (!seg.includes('?')) {
    const at = text.indexOf(seg, from);
    return at >= 0 && at + seg.length <= limit ? at : -1;
  }
  for (let at = from; at + seg.length <= limit; at++) if (segmentAt(text, seg, at)) return at;
  return -1;
}

/** True when `pattern` contains an IAM wildcard. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
