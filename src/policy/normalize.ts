/**
 * Normalisation helpers: `string | string[]` to lists, and template choices (`Fn::If` on
 * an unknown condition, `Choice`) expanded into the variants they allow.
 */
import { Choice, NO_VALUE, Unresolved } from './symbolic';

/** One way a value can turn out, and the template conditions that choose it. */
export interface Variant<T = unknown> {
  readonly value: T;
  /** Template condition name -> branch taken. Empty when no choice was involved. */
  readonly when: ReadonlyMap<string, boolean>;
}

/** Above this many variants a value counts as unknown (the caller treats it as unresolved). */
export const MAX_VARIANTS = 64;

/** True when a Choice occurs anywhere inside the value. */
export function containsChoice(value: unknown, depth = 0): boolean {
  if (value instanceof Choice) return true;
  if (depth > 64 || typeof value !== 'object' || value === null || value instanceof Unresolved) return false;
  if (Array.isArray(value)) return value.some((v) => containsChoice(v, depth + 1));
  for (const key of Object.keys(value)) if (containsChoice((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

function withBranch(when: ReadonlyMap<string, boolean>, condition: string, branch: boolean): ReadonlyMap<string, boolean> {
  const next = new Map(when);
  next.set(condition, branch);
  return next;
}

/**
 * Every variant of `value` with each Choice replaced by one branch (the same branch for
 * the same condition name throughout). A branch may be NO_VALUE: the array element or
 * object property disappears in that variant (the top-level value may be NO_VALUE).
 * Returns undefined when there are more than MAX_VARIANTS.
 */
export function expandChoices(value: unknown, when: ReadonlyMap<string, boolean> = new Map()): Variant[] | undefined {
  if (!containsChoice(value)) return [{ value, when }];
  const out = expand(value, when);
  return out && out.length <= MAX_VARIANTS ? out : undefined;
}

function expand(value: unknown, when: ReadonlyMap<string, boolean>): Variant[] | undefined {
  if (value instanceof Choice) {
    const fixed = when.get(value.condition);
    if (fixed !== undefined) return expand(fixed ? value.whenTrue : value.whenFalse, when);
    const a = expand(value.whenTrue, withBranch(when, value.condition, true));
    const b = expand(value.whenFalse, withBranch(when, value.condition, false));
    if (!a || !b) return undefined;
    return [...a, ...b];
  }
  if (typeof value !== 'object' || value === null || value instanceof Unresolved || !containsChoice(value)) {
    return [{ value, when }];
  }
  if (Array.isArray(value)) {
    let variants: Array<{ value: unknown[]; when: ReadonlyMap<string, boolean> }> = [{ value: [], when }];
    for (const element of value) {
      const next: Array<{ value: unknown[]; when: ReadonlyMap<string, boolean> }> = [];
      for (const v of variants) {
        const options = expand(element, v.when);
        if (!options) return undefined;
        for (const o of options) next.push({ value: o.value === NO_VALUE ? v.value : [...v.value, o.value], when: o.when });
        if (next.length > MAX_VARIANTS) return undefined;
      }
      variants = next;
    }
    return variants;
  }
  let variants: Array<{ value: Record<string, unknown>; when: ReadonlyMap<string, boolean> }> = [{ value: {}, when }];
  for (const key of Object.keys(value)) {
    const element = (value as Record<string, unknown>)[key];
    const next: Array<{ value: Record<string, unknown>; when: ReadonlyMap<string, boolean> }> = [];
    for (const v of variants) {
      const options = expand(element, v.when);
      if (!options) return undefined;
      for (const o of options) {
        const copy: Record<string, unknown> = { ...v.value };
        if (o.value !== NO_VALUE) Object.defineProperty(copy, key, { value: o.value, enumerable: true, writable: true, configurable: true });
        next.push({ value: copy, when: o.when });
      }
      if (next.length > MAX_VARIANTS) return undefined;
    }
    variants = next;
  }
  return variants;
}

/**
 * Only the outer choices of a value (a Choice whose branches may be Choices), leaving
 * choices nested inside arrays and objects for later: how a chosen Statement list is split
 * into its branches.
 */
export function expandOuterChoices(value: unknown, when: ReadonlyMap<string, boolean> = new Map()): Variant[] {
  if (!(value instanceof Choice)) return [{ value, when }];
  const fixed = when.get(value.condition);
  if (fixed !== undefined) return expandOuterChoices(fixed ? value.whenTrue : value.whenFalse, when);
  return [
    ...expandOuterChoices(value.whenTrue, withBranch(when, value.condition, true)),
    ...expandOuterChoices(value.whenFalse, withBranch(when, value.condition, false)),
  ];
}

/** `x` -> `[x]`, arrays unchanged, NO_VALUE elements dropped. */
export function toList(value: unknown): unknown[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v) => v !== NO_VALUE);
}

/** A short description of a value's type for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === NO_VALUE) return 'AWS::NoValue';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Unresolved) return `an unresolved value (${value.description})`;
  if (value instanceof Choice) return `a choice (Fn::If ${value.condition})`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
