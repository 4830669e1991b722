/**
 * The request as the evaluator sees it: the action (lower-cased), the resource set asked
 * about, and the context as a lower-cased map.
 */
import { getAction, resourceArnPatterns } from '../iam';
import { parseResourcePattern, resourceTypePattern, type ResourcePattern } from './arn';
import type { Context } from './variables';
import { Glob } from './wildcard';

/**
 * What the asked resource stands for:
 * - 'types': the default `*` for a known action: every ARN of the action's resource types
 *   (partition `aws`);
 * - 'noResource': the default `*` for a known action that takes no resource: only a
 *   statement Resource that matches the text `*` grants it;
 * - 'unknownAction': the default `*` for an action the IAM data does not know: any resource;
 * - 'given': the caller passed `resource`.
 */
export type AskedKind = 'types' | 'noResource' | 'unknownAction' | 'given';

export interface AskedResource {
  readonly kind: AskedKind;
  /** Cache key for relations. */
  readonly key: string;
  readonly text: string;
  /** The sets asked about: every one must be covered for a certain match. */
  readonly sets: readonly ResourcePattern[];
}

/** One object per action / resource text, so relations can be cached by object identity. */
const typeCache = new Map<string, AskedResource>();
const givenCache = new Map<string, AskedResource>();

/** The partition assumed for an action's resource types when no resource is given. */
export const DEFAULT_PARTITION = 'aws';

export function askedResource(action: string, resource: string | undefined): AskedResource {
  const byType = typeResource(action);
  // An action that takes no resource is authorised against "*" whatever ARN is asked about.
  if (byType.kind === 'noResource') return byType;
  if (resource !== undefined && resource !== '*') {
    let given = givenCache.get(resource);
    if (!given) {
      if (givenCache.size >= 2048) givenCache.clear();
      given = { kind: 'given', key: `given:${resource}`, text: resource, sets: [parseResourcePattern(resource)] };
      givenCache.set(resource, given);
    }
    return given;
  }
  return byType;
}

const lowered = new Map<string, string>();

/** The action lower-cased (remembered: the same catalog and test strings are asked again and again). */
export function lowerAction(action: string): string {
  let lower = lowered.get(action);
  if (lower === undefined) {
    lower = action.toLowerCase();
    if (lowered.size >= 4096) lowered.clear();
    lowered.set(action, lower);
  }
  return lower;
}

function typeResource(action: string): AskedResource {
  const lower = lowerAction(action);
  const cached = typeCache.get(lower);
  if (cached) return cached;
  let asked: AskedResource;
  const known = lower.includes('*') || lower.includes('?') ? undefined : getAction(action);
  if (!known) {
    asked = { kind: 'unknownAction', key: '*', text: '*', sets: [parseResourcePattern('*')] };
  } else if (known.resourceTypes.length === 0) {
    asked = { kind: 'noResource', key: 'literal:*', text: '*', sets: [literalStar()] };
  } else {
    const sets = resourceArnPatterns(known).map((p) => resourceTypePattern(p.arnFormat, DEFAULT_PARTITION));
    asked = { kind: 'types', key: `types:${known.name.toLowerCase()}`, text: '*', sets };
  }
  typeCache.set(lower, asked);
  return asked;
}

/** The text "*" itself (no wildcard): what a no-resource action is authorised against. */
function literalStar(): ResourcePattern {
  return { kind: 'plain', whole: Glob.literalOf('*') };
}

const EMPTY: Context = new Map();

/**
 * The context as a map from lower-cased key to values (arrays as given; a string as one
 * value). Built per call, not cached by object identity: callers may reuse and change a
 * context object between calls.
 */
export function contextMap(context: Readonly<Record<string, string | readonly string[]>> | undefined): Context {
  if (!context) return EMPTY;
  const map = new Map<string, readonly string[]>();
  for (const key of Object.keys(context)) {
    const v = context[key];
    if (v === undefined) continue;
    map.set(key.toLowerCase(), typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : [String(v)]);
  }
  return map;
}

/*
 * Interned contexts (issue 10): one map object per context content, with its memo key, so a
 * repeated question costs a comparison, not a map and a key string per call. A caller may reuse
 * and change a context object between calls: the object's last content is kept (names and
 * values as read) and compared on every call; any difference reads it again.
 */
interface Snapshot {
  readonly names: readonly string[];
  /** The raw values as read (arrays copied). */
  readonly values: readonly unknown[];
  readonly context: Context;
}

const snapshots = new WeakMap<object, Snapshot>();
const byKey = new Map<string, Context>();
const keys = new WeakMap<Context, string>();
const MAX_INTERNED = 1024;
keys.set(EMPTY, '');

function sameContent(raw: Record<string, unknown>, snap: Snapshot): boolean {
  const names = snap.names;
  let i = 0;
  for (const name in raw) {
    if (i >= names.length || name !== names[i]) return false;
    const v = raw[name];
    const was = snap.values[i];
    if (v !== was) {
      if (!Array.isArray(v) || !Array.isArray(was) || v.length !== was.length) return false;
      for (let j = 0; j < v.length; j++) if (v[j] !== was[j]) return false;
    }
    i++;
  }
  return i === names.length;
}

/**
 * The context's content as text: names in order, names and values as JSON strings, so no
 * two contexts share a key.
 */
function keyOf(context: Context): string {
  if (context.size === 0) return '';
  let names = [...context.keys()];
  for (let i = 1; i < names.length; i++) {
    if (names[i - 1]! > names[i]!) {
      names = names.sort();
      break;
    }
  }
  let k = '';
  for (const name of names) k += `${JSON.stringify(name)}:${JSON.stringify(context.get(name))};`;
  return k;
}

/** The one map of this content (its key registered for contextKey). */
export function internMap(context: Context): Context {
  if (context.size === 0) return EMPTY;
  const known = keys.get(context);
  if (known !== undefined) return context;
  const key = keyOf(context);
  const found = byKey.get(key);
  if (found) return found;
  if (byKey.size >= MAX_INTERNED) byKey.clear();
  byKey.set(key, context);
  keys.set(context, key);
  return context;
}

/** Like contextMap, but the same map object for the same content (never change it). */
export function internedContext(context: Readonly<Record<string, string | readonly string[]>> | undefined): Context {
  if (!context) return EMPTY;
  const raw = context as Record<string, unknown>;
  const proto = Object.getPrototypeOf(raw);
  const plain = proto === Object.prototype || proto === null;
  if (plain) {
    const snap = snapshots.get(raw);
    if (snap && sameContent(raw, snap)) return snap.context;
  }
  const interned = internMap(contextMap(context));
  if (plain) {
    const names = Object.keys(raw);
    const values = names.map((n) => {
      const v = raw[n];
      return Array.isArray(v) ? [...(v as unknown[])] : v;
    });
    snapshots.set(raw, { names, values, context: interned });
  }
  return interned;
}

/** The memo key of a context's content ('' when empty). */
export function contextKey(context: Context): string {
  let k = keys.get(context);
  if (k === undefined) {
    k = keyOf(context);
    keys.set(context, k);
  }
  return k;
}
