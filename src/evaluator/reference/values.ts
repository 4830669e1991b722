/**
 * Request context look-ups and policy text (Resource patterns, condition values) with
 * policy variables and unresolved template values, for the reference evaluator.
 */
import { isUnresolved } from '../../policy/symbolic';
import type { Dependency } from '../types';
import { HOLE, literalPattern, ONE, STAR, type Pattern, type Token } from './glob';

export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

/** What the request says about one key. `[]` in the context means "the key is absent". */
export type KeyLookup =
  | { readonly kind: 'unknown' } // the caller did not say: the key may be absent or hold any value
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly values: readonly string[] };

/** Key names are case-insensitive. */
export function lookupKey(context: RequestContext, key: string): KeyLookup {
  const wanted = key.toLowerCase();
  for (const name of Object.keys(context)) {
    if (name.toLowerCase() !== wanted) continue;
    const value = context[name];
    if (value === undefined) return { kind: 'unknown' };
    const values = typeof value === 'string' ? [value] : [...value];
    return values.length === 0 ? { kind: 'absent' } : { kind: 'present', values };
  }
  return { kind: 'unknown' };
}

export interface TextOptions {
  /** `*` and `?` are wildcards (Resource, StringLike, Arn operators). */
  readonly wildcards: boolean;
  /** `${...}` is a policy variable (only in documents with Version 2012-10-17). */
  readonly variables: boolean;
  readonly context: RequestContext;
}

/**
 * A policy value as a pattern. `null` when it can match nothing (a policy variable whose
 * key is absent from the request and has no default). Holes stand for unknown text; what
 * they depend on is pushed onto `deps`.
 */
export function policyPattern(value: unknown, options: TextOptions, deps: Dependency[]): Pattern | null {
  if (isUnresolved(value)) {
    deps.push({ kind: 'unresolvedValue', description: value.description });
    if (!value.parts) return [HOLE];
    const out: Token[] = [];
    for (const part of value.parts) {
      if (typeof part === 'string') {
        const tokens = textPattern(part, options, deps);
        if (tokens === null) return null;
        out.push(...tokens);
      } else {
        out.push(HOLE);
      }
    }
    return out;
  }
  if (typeof value === 'string') return textPattern(value, options, deps);
  if (typeof value === 'number' || typeof value === 'boolean') return textPattern(String(value), options, deps);
  return null; // not a value the grammar allows: matches nothing
}

function textPattern(text: string, options: TextOptions, deps: Dependency[]): Pattern | null {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (options.variables && text.startsWith('${', i)) {
      const close = text.indexOf('}', i + 2);
      if (close >= 0) {
        const substituted = substitute(text.slice(i + 2, close), options.context, deps);
        if (substituted === null) return null;
        if (substituted !== undefined) {
          out.push(...substituted);
          i = close + 1;
          continue;
        }
      }
    }
    const ch = text[i]!;
    out.push(options.wildcards && ch === '*' ? STAR : options.wildcards && ch === '?' ? ONE : ch);
    i++;
  }
  return out;
}

/**
 * The inside of `${...}`: `*`, `?` and `$` stand for themselves; otherwise a key with an
 * optional `, 'default'`. Returns undefined when it is not a variable at all (then the text
 * is literal), null when the variable has no value and no default.
 */
function substitute(inner: string, context: RequestContext, deps: Dependency[]): Pattern | null | undefined {
  const trimmed = inner.trim();
  if (trimmed === '*' || trimmed === '?' || trimmed === '$') return [trimmed];
  const m = /^([^,']+?)\s*(?:,\s*'((?:[^']|'')*)')?$/.exec(trimmed);
  if (!m) return undefined;
  const key = m[1]!.trim();
  const fallback = m[2]?.replace(/''/g, "'");
  const found = lookupKey(context, key);
  if (found.kind === 'unknown') {
    deps.push({ kind: 'policyVariable', variable: key });
    return [HOLE];
  }
  if (found.kind === 'present' && found.values.length === 1) return literalPattern(found.values[0]!);
  // absent, or a multivalued key (which cannot be a variable): the default, else nothing
  return fallback === undefined ? null : literalPattern(fallback);
}
