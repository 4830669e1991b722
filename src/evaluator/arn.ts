/**
 * Resource and NotResource patterns, read as AWS's page "IAM JSON policy elements: Resource"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html,
 * "Using wildcards in resource ARNs") describes them:
 *
 * - wildcards `*` and `?` go "within the individual segments of an ARN (the parts separated
 *   by colons)"; `*` is any combination of characters, `?` any single character;
 * - "If the `*` wildcard is the last character of a resource ARN segment, it can expand to
 *   match beyond the colon boundaries": a segment-final `*` (followed by `:` or ending the
 *   pattern) matches any text, colons included. `arn:aws:connect:*:instance/*` therefore
 *   matches `arn:aws:connect:us-east-1:123456789012:instance/abc` (its region `*` takes
 *   `us-east-1:123456789012`), and `*` alone matches everything.
 *
 * The page says nothing about a `*` in the middle of a segment (`instance/*c`, `*bucket`) or
 * a `?` being matched against a colon. Both readings are possible (the text stays inside its
 * segment, or it spans colons like any other character), so that case is UNKNOWN: a
 * pattern matches with certainty when it matches under the narrow reading (only
 * segment-final stars cross colons), certainly not when it does not match even with every
 * wildcard spanning colons, and `maybe` in between. For the patterns people write (every
 * `*` at the end of a segment, no `?`) the two readings are the same language and the
 * answer is always certain.
 *
 * This applies to every segment, the resource part after the fifth colon included (the
 * page's segments are all the colon-separated parts). The ARN condition operators are a
 * different rule (six parts matched separately, see condition/arn.ts).
 *
 * Representation: the narrow language as a list of segment globs (each matches exactly one
 * colon-free segment of the text) with EXPAND marks after segment-final stars (any number of
 * further `:segment`s); the same language as codes with non-colon wildcards (NSTAR/NANY,
 * for exact intersection); and the wide language as one whole-string glob.
 */
import { ANY, Glob, NANY, NSTAR, STAR, codesToString, contains, intersectCodes, type Coverage } from './wildcard';

const COLON = 58;

/** A segment glob, or `null`: "then any number of further `:segment`s" (a segment-final `*`). */
type Symbol = Glob | null;
const EXPAND = null;

export type ResourcePattern =
  | {
      readonly kind: 'segments';
      /** The narrow (certain) language, segment by segment. */
      readonly symbols: readonly Symbol[];
      /** The narrow language as codes (STAR crosses colons, NSTAR/NANY do not). */
      readonly narrow: readonly number[];
      /** True when the narrow and wide readings are the same language. */
      readonly exact: boolean;
      /** The wide reading: one glob over the whole string (every `*` and `?` spans colons). */
      readonly whole: Glob;
    }
  /** One glob over the whole string: only for over-approximations (unknown parts as `*`). */
  | { readonly kind: 'plain'; readonly whole: Glob };

export type MatchAnswer = 'yes' | 'maybe' | 'no';

interface RawSegment {
  readonly codes: readonly number[];
  /** Does the segment end with a `*` that may expand past colons? */
  readonly expands: boolean;
}

function build(segments: readonly RawSegment[]): ResourcePattern {
  const symbols: Symbol[] = [];
  const narrow: number[] = [];
  const whole: number[] = [];
  let exact = true;
  segments.forEach((s, k) => {
    if (k > 0) {
      narrow.push(COLON);
      whole.push(COLON);
    }
    symbols.push(new Glob(s.codes));
    if (s.expands) symbols.push(EXPAND);
    const last = s.codes.length - 1;
    s.codes.forEach((c, i) => {
      whole.push(c);
      if (c === STAR) {
        const crosses = s.expands && i === last;
        narrow.push(crosses ? STAR : NSTAR);
        if (!crosses) exact = false;
      } else if (c === ANY) {
        narrow.push(NANY);
        exact = false;
      } else narrow.push(c);
    });
  });
  return { kind: 'segments', symbols, narrow, exact, whole: new Glob(whole) };
}

/**
 * Build a resource pattern from glob codes as written (STAR/ANY wildcards, other codes
 * literal, a literal `:` separates segments). Not canonical codes: `*?` and `?*` differ here.
 */
export function resourcePattern(codes: readonly number[]): ResourcePattern {
  const segments: RawSegment[] = [];
  let current: number[] = [];
  const close = (): void => {
    segments.push({ codes: current, expands: current.length > 0 && current[current.length - 1] === STAR });
    current = [];
  };
  for (const c of codes) {
    if (c === COLON) close();
    else current.push(c);
  }
  close();
  return build(segments);
}

/** Parse a resource pattern string where `*` and `?` are wildcards. */
export function parseResourcePattern(text: string): ResourcePattern {
  // Not through Glob.parse: its codes are canonical (`*?` becomes `?*`), and which character
  // ends a segment matters here.
  const codes: number[] = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    codes[i] = c === 42 ? STAR : c === 63 ? ANY : c;
  }
  return resourcePattern(codes);
}

/**
 * The ARNs of a resource type from its IAM-data format
 * (`arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}`): `${Partition}` is
 * `partition`; every other placeholder is any text. A placeholder may hold colons only when
 * it ends its segment and names something a user names (an S3 `${ObjectName}`, a Lambda
 * `${FunctionName}` with its `:qualifier`), as a segment-final `*` does; `${Region}`,
 * `${Account}` and identifiers AWS generates (a name ending in `Id`: `${InstanceId}`,
 * `${KeyId}`, UUIDs and hex strings) never hold one.
 */
export function resourceTypePattern(format: string, partition: string): ResourcePattern {
  const segments = format
    .replace(/\$\{Partition\}/g, partition)
    .split(':')
    .map((seg): RawSegment => {
      const codes: number[] = [];
      let expands = false;
      let i = 0;
      while (i < seg.length) {
        const close = seg.startsWith('${', i) ? seg.indexOf('}', i) : -1;
        if (close > 0) {
          const name = seg.slice(i + 2, close);
          codes.push(STAR);
          i = close + 1;
          expands = i === seg.length && mayHoldColon(name);
        } else {
          codes.push(seg.charCodeAt(i));
          i++;
          expands = false;
        }
      }
      return { codes, expands };
    });
  return build(segments);
}

/** Can the value of placeholder `${name}` (at the end of a segment) contain a colon? */
export function mayHoldColon(name: string): boolean {
  return name !== 'Region' && name !== 'Account' && !name.endsWith('Id');
}

/**
 * Place `pattern`'s segment globs on `text`'s items, EXPAND marks taking any run of items:
 * the blocks between EXPAND marks are fixed-length, so each is taken at its leftmost fit
 * (the first anchored at the start, the last at the end). No backtracking.
 */
function align<T>(pattern: readonly Symbol[], text: readonly T[], fits: (g: Glob, t: T) => boolean): boolean {
  const blocks: Glob[][] = [[]];
  for (const s of pattern) {
    if (s === EXPAND) blocks.push([]);
    else blocks[blocks.length - 1]!.push(s);
  }
  const at = (block: readonly Glob[], pos: number): boolean => {
    if (pos < 0 || pos + block.length > text.length) return false;
    for (let i = 0; i < block.length; i++) if (!fits(block[i]!, text[pos + i]!)) return false;
    return true;
  };
  const first = blocks[0]!;
  if (blocks.length === 1) return text.length === first.length && at(first, 0);
  const last = blocks[blocks.length - 1]!;
  if (!at(first, 0)) return false;
  const end = text.length - last.length;
  if (end < first.length || !at(last, end)) return false;
  let pos = first.length;
  for (let k = 1; k < blocks.length - 1; k++) {
    const block = blocks[k]!;
    let found = -1;
    for (let p = pos; p + block.length <= end; p++) {
      if (at(block, p)) {
        found = p;
        break;
      }
    }
    if (found < 0) return false;
    pos = found + block.length;
  }
  return true;
}

/** Does the narrow reading of the pattern match `text`? */
function narrowMatches(symbols: readonly Symbol[], text: string): boolean {
  return align(symbols, text.split(':'), (g, segment) => g.matches(segment));
}

/** Does the pattern match the concrete resource string `text`: certainly, maybe (see the module comment), or not? */
export function resourceMatch(pattern: ResourcePattern, text: string): MatchAnswer {
  if (pattern.kind === 'plain') return pattern.whole.matches(text) ? 'yes' : 'no';
  if (pattern.exact) return pattern.whole.matches(text) ? 'yes' : 'no';
  if (narrowMatches(pattern.symbols, text)) return 'yes';
  return pattern.whole.matches(text) ? 'maybe' : 'no';
}

/** Does the pattern certainly match `text`? */
export function resourceMatches(pattern: ResourcePattern, text: string): boolean {
  return resourceMatch(pattern, text) === 'yes';
}

/** Is every string of the narrow language of `inner` in the narrow language of `outer`? (Sound.) */
function narrowContains(outer: readonly Symbol[], inner: readonly Symbol[]): boolean {
  return align(outer, inner, (g, t) => t !== EXPAND && contains(g, t));
}

/**
 * How the statement pattern relates to the resource set `asked` stands for (its narrow
 * reading: the set of ARNs it describes). 'covers': the pattern matches every one of them
 * with certainty; 'disjoint': it matches none of them under any reading; else 'overlaps'.
 */
export function resourceRelation(pattern: ResourcePattern, asked: ResourcePattern): Coverage {
  if (pattern.whole.universal) return 'covers';
  if (asked.whole.literal) {
    const m = resourceMatch(pattern, codesToString(asked.whole.codes));
    return m === 'yes' ? 'covers' : m === 'no' ? 'disjoint' : 'overlaps';
  }
  const askedCodes = asked.kind === 'segments' ? asked.narrow : asked.whole.codes;
  if (!intersectCodes(pattern.whole.codes, askedCodes)) return 'disjoint';
  if (pattern.kind === 'segments' && asked.kind === 'segments' && narrowContains(pattern.symbols, asked.symbols)) return 'covers';
  return 'overlaps';
}

/** Combine relations to several asked sets (all must be covered; disjoint only if all are). */
export function combineRelations(relations: readonly Coverage[]): Coverage {
  if (relations.length === 0) return 'disjoint';
  if (relations.every((r) => r === 'covers')) return 'covers';
  if (relations.every((r) => r === 'disjoint')) return 'disjoint';
  return 'overlaps';
}
