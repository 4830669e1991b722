/**
 * Sets of actions as bitsets over the IAM action list: one stable numbering of every action
 * (its position in `allActions()`, the data order), and the set an Action or NotAction element
 * matches. The whole-action-list analyses (src/analysis) use them to decide which statements
 * can match which actions without matching every pattern against every action name.
 *
 * A set is a Uint32Array of ceil(actions / 32) words (about 2.8 KB for 22,000 actions).
 * Sets are shared and must not be modified by callers.
 */
import { allActions, expandActionPattern } from './index';
import type { IamAction } from './types';

export type ActionBits = Uint32Array;

let numbers: Map<IamAction, number> | undefined;

/** The action's number: its position in allActions() (data order), stable for the process. */
export function actionNumber(action: IamAction): number {
  if (!numbers) {
    const map = new Map<IamAction, number>();
    allActions().forEach((a, i) => map.set(a, i));
    numbers = map;
  }
  const n = numbers.get(action);
  if (n === undefined) throw new Error(`actionNumber: ${action.name} is not an action of the IAM action list`);
  return n;
}

/** Words in a set over the whole action list. */
export function actionBitsWords(): number {
  return (allActions().length + 31) >>> 5;
}

export function hasActionBit(bits: ActionBits, n: number): boolean {
  return (bits[n >>> 5]! & (1 << (n & 31))) !== 0;
}

/** Every action in the set, in data order. */
export function actionsOfBits(bits: ActionBits): IamAction[] {
  const all = allActions();
  const out: IamAction[] = [];
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const low = word & -word;
      out.push(all[(w << 5) + (31 - Math.clz32(low))]!);
      word ^= low;
    }
  }
  return out;
}

/** Bounded caches keyed by the patterns' text: the same managed-policy patterns recur across principals. */
const MAX_SETS = 1024;
const patternSets = new Map<string, ActionBits>();
const elementSets = new Map<string, ActionBits>();

function remember(cache: Map<string, ActionBits>, key: string, bits: ActionBits): ActionBits {
  if (cache.size >= MAX_SETS) cache.clear();
  cache.set(key, bits);
  return bits;
}

/** The actions one pattern matches (expandActionPattern's answer as a set). */
export function patternBits(pattern: string): ActionBits {
  const hit = patternSets.get(pattern);
  if (hit) return hit;
  const bits = new Uint32Array(actionBitsWords());
  for (const a of expandActionPattern(pattern)) {
    const n = actionNumber(a);
    bits[n >>> 5] = bits[n >>> 5]! | (1 << (n & 31));
  }
  return remember(patternSets, pattern, bits);
}

/**
 * The actions an Action element (`not` false: any pattern matches) or a NotAction element
 * (`not` true: no pattern matches) matches.
 */
export function elementBits(patterns: readonly string[], not: boolean): ActionBits {
  const key = `${not ? 'N' : 'A'}${JSON.stringify(patterns)}`;
  const hit = elementSets.get(key);
  if (hit) return hit;
  let bits: ActionBits;
  if (patterns.length === 1 && !not) bits = patternBits(patterns[0]!);
  else {
    bits = new Uint32Array(actionBitsWords());
    for (const p of patterns) orInto(bits, patternBits(p));
    if (not) {
      for (let w = 0; w < bits.length; w++) bits[w] = ~bits[w]!;
      const extra = (bits.length << 5) - allActions().length;
      if (extra > 0) bits[bits.length - 1] = bits[bits.length - 1]! & (0xffffffff >>> extra);
    }
  }
  return remember(elementSets, key, bits);
}

const emptiness = new WeakMap<ActionBits, boolean>();

/** True when the set holds no action (remembered per set). */
export function isEmptyBits(bits: ActionBits): boolean {
  let empty = emptiness.get(bits);
  if (empty === undefined) {
    empty = bits.every((w) => w === 0);
    emptiness.set(bits, empty);
  }
  return empty;
}

/** target |= source. */
export function orInto(target: ActionBits, source: ActionBits): void {
  for (let w = 0; w < target.length; w++) target[w] = target[w]! | source[w]!;
}
