/**
 * Resource patterns. How an ARN pattern is matched (decided here, documented in README):
 *
 * - `arn:partition:service:region:account:resource`: the first five colon-separated
 *   segments are matched one by one (a wildcard in them never spans a colon) and the
 *   resource part, everything after the fifth colon, is one wildcard pattern in which a
 *   `*` may span colons and slashes.
 * - A pattern that starts with `arn:` but has fewer than six segments and ends with `*`
 *   (`arn:aws:s3*`, `arn:*`) lets that final star run over the remaining segments, as the
 *   AWS documentation says of a trailing `*`.
 * - Anything else (`*`, a pattern not starting with `arn:`, a short `arn:` pattern not
 *   ending in `*`) is matched as one wildcard pattern over the whole string.
 *
 * Relations between two patterns are computed segment by segment when both are ARN
 * patterns (exact for products of segment languages), otherwise over the joined string
 * with care to stay on the safe side: "covers" is only claimed when it holds.
 */
import { Glob, STAR, codesToString, contains, intersects, type Coverage } from './wildcard';

const COLON = 58;
const ARN_PREFIX = [97, 114, 110, COLON]; // "arn:"

export type ResourcePattern =
  | { readonly kind: 'arn'; readonly segments: readonly Glob[]; readonly whole: Glob }
  | { readonly kind: 'plain'; readonly whole: Glob };

/** Build a resource pattern from glob codes (STAR/ANY wildcards, other codes literal). */
export function resourcePattern(codes: readonly number[]): ResourcePattern {
  const whole = new Glob(codes);
  if (!ARN_PREFIX.every((c, i) => codes[i] === c)) return { kind: 'plain', whole };
  const parts: number[][] = [[]];
  for (const c of codes) {
    if (c === COLON && parts.length < 6) parts.push([]);
    else parts[parts.length - 1]!.push(c);
  }
  if (parts.length < 6) {
    const last = parts[parts.length - 1]!;
    if (last[last.length - 1] !== STAR) return { kind: 'plain', whole };
    while (parts.length < 6) parts.push([STAR]);
  }
  return { kind: 'arn', segments: parts.map((p) => new Glob(p)), whole };
}

/** Parse a resource pattern string where `*` and `?` are wildcards. */
export function parseResourcePattern(text: string): ResourcePattern {
  return resourcePattern(Glob.parse(text).codes);
}

function splitArn(text: string): string[] | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const out: string[] = [];
  let from = 0;
  for (let k = 0; k < 5; k++) {
    const at = text.indexOf(':', from);
    if (at < 0) return undefined;
    out.push(text.slice(from, at));
    from = at + 1;
  }
  out.push(text.slice(from));
  return out;
}

/** Does the pattern match the concrete resource string `text`? */
export function resourceMatches(pattern: ResourcePattern, text: string): boolean {
  if (pattern.kind === 'plain') return pattern.whole.matches(text);
  const parts = splitArn(text);
  if (!parts) return false;
  for (let i = 0; i < 6; i++) if (!pattern.segments[i]!.matches(parts[i]!)) return false;
  return true;
}

/** How the statement pattern relates to the resource set `asked` stands for. */
export function resourceRelation(pattern: ResourcePattern, asked: ResourcePattern): Coverage {
  if (pattern.whole.universal) return 'covers';
  if (asked.whole.literal) {
    return resourceMatches(pattern, codesToString(asked.whole.codes)) ? 'covers' : 'disjoint';
  }
  if (pattern.kind === 'arn' && asked.kind === 'arn') {
    let covers = true;
    for (let i = 0; i < 6; i++) {
      const p = pattern.segments[i]!;
      const a = asked.segments[i]!;
      if (!intersects(p, a)) return 'disjoint';
      if (covers && !contains(p, a)) covers = false;
    }
    return covers ? 'covers' : 'overlaps';
  }
  // Mixed kinds: the joined pattern of an ARN pattern matches a superset of it, so
  // disjointness of the joined patterns is exact enough, and containment is claimed only
  // when the statement pattern is plain (a superset of `asked` then contains `asked`).
  if (!intersects(pattern.whole, asked.whole)) return 'disjoint';
  if (pattern.kind === 'plain' && contains(pattern.whole, asked.whole)) return 'covers';
  return 'overlaps';
}

/** Combine relations to several asked sets (all must be covered; disjoint only if all are). */
export function combineRelations(relations: readonly Coverage[]): Coverage {
  if (relations.length === 0) return 'disjoint';
  if (relations.every((r) => r === 'covers')) return 'covers';
  if (relations.every((r) => r === 'disjoint')) return 'disjoint';
  return 'overlaps';
}
