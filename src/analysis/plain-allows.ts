/**
 * The fast path of checkReadOnly for actions decided by plain Allow statements.
 *
 * An Allow statement on `Resource: "*"` (a list holding "*" counts) with no Condition applies
 * with certainty to every action its Action/NotAction matches. When no other statement of the
 * principal (a Deny, an Allow with a condition or a narrower resource) can match the action,
 * and there is no permissions boundary, no guardrail and no unknown part, the decision is
 * `allowed` and the deciding statements are exactly those plain Allows, in document order.
 * Which statements match which action is read from bitsets over the action list
 * (src/iam/action-bits.ts), one per statement, instead of evaluating every statement for
 * every action (300 `NotAction` statements x 12,500 write actions).
 *
 * The evidence is still the evaluator's: the action is evaluated on a copy of the principal
 * holding only the statements kept as evidence (the others replaced by AWS::NoValue, which the
 * parser skips with indices unchanged, so index, path, file and line stay the same). The count
 * of the rest goes into the same sentences the evaluator and keptEvidence write. Any answer
 * that does not have the expected shape falls back to evaluating the whole principal.
 */
import { evaluate } from '../evaluator';
import type { EvaluationResult } from '../evaluator/types';
import { actionBitsWords, actionNumber, elementBits, orInto, type ActionBits } from '../iam/action-bits';
import type { IamAction } from '../iam/types';
import { NO_VALUE, isChoice, isUnresolved } from '../policy/symbolic';
import type { Principal } from '../policy/types';
import { MAX_STATEMENTS_KEPT, keptEvidence, omittedReason } from './evidence';
import { unresolvedParts } from './unresolved';

interface PlainAllow {
  readonly policy: number;
  readonly index: number;
  readonly bits: ActionBits;
}

export interface PlainAllows {
  /** Allow statements on "*" without a condition, in evaluation order. */
  readonly allows: readonly PlainAllow[];
  /** Every action some other statement (a Deny, a conditional or narrower Allow) may match. */
  readonly others: ActionBits;
}

const cache = new WeakMap<Principal, PlainAllows | null>();

const KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
/** Patterns whose matching is the same in the IAM list expansion and the evaluator (letters, digits, `-_.:*?`). */
const CLEAN = /^[A-Za-z0-9_.:*?-]+$/;

function patterns(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!list || !list.every((v): v is string => typeof v === 'string' && CLEAN.test(v))) return undefined;
  return list;
}

/**
 * The principal's statements as plain Allows and the rest, or null when the fast path does
 * not apply (a boundary, an unknown part, a statement that is not plain data).
 */
export function plainAllows(principal: Principal): PlainAllows | null {
  const hit = cache.get(principal);
  if (hit !== undefined) return hit;
  const found = compute(principal);
  cache.set(principal, found);
  return found;
}

function compute(principal: Principal): PlainAllows | null {
  if (principal.permissionsBoundary !== undefined || unresolvedParts(principal).length) return null;
  const allows: PlainAllow[] = [];
  const others = new Uint32Array(actionBitsWords());
  const added = new Set<ActionBits>();
  for (let p = 0; p < principal.policies.length; p++) {
    const doc = principal.policies[p]!.document;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || isUnresolved(doc) || isChoice(doc)) return null;
    const st = (doc as { Statement?: unknown }).Statement;
    const list = Array.isArray(st) ? st : st === undefined ? [] : [st];
    for (let i = 0; i < list.length; i++) {
      const raw = list[i];
      if (raw === NO_VALUE) continue;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || isUnresolved(raw) || isChoice(raw)) return null;
      const s = raw as Record<string, unknown>;
      if (!Object.keys(s).every((k) => KEYS.has(k))) return null;
      if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return null;
      if ((s.Action === undefined) === (s.NotAction === undefined)) return null;
      const action = s.Action !== undefined ? patterns(s.Action) : patterns(s.NotAction);
      if (!action) return null;
      const bits = elementBits(action, s.Action === undefined);
      const onEverything = s.NotResource === undefined && (s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
      if (s.Effect === 'Allow' && onEverything && s.Condition === undefined) allows.push({ policy: p, index: i, bits });
      else if (!added.has(bits)) {
        added.add(bits);
        orInto(others, bits);
      }
    }
  }
  return { allows, others };
}

/** What a lazy result needs to build its evidence, and the group keys it gives without building. */
interface Lazy {
  readonly mask: Mask;
  readonly action: IamAction;
  readonly count: number;
  readonly full: () => EvaluationResult;
  data?: Record<string, unknown>;
}

interface Mask {
  readonly principal: Principal;
  readonly kept: readonly PlainAllow[];
  /** `P\0<policy>\0<index>` per kept statement, as groupByStatement writes them. */
  readonly keys: readonly string[];
}

const lazies = new WeakMap<object, Lazy>();

/**
 * For a result plainEvidence made: the group key of each statement it lists, in order, known
 * without building it.
 */
export function evidenceKeys(result: EvaluationResult): readonly string[] | undefined {
  return lazies.get(result)?.mask.keys;
}

function built(result: object): Record<string, unknown> {
  const lazy = lazies.get(result)!;
  return (lazy.data ??= { ...(evidenceOn(lazy.mask, lazy.action, lazy.count) ?? keptEvidence(lazy.full())) });
}

/** Own enumerable accessors, in the evaluator's key order: JSON.stringify, spread copies and toEqual read them like data. */
const LAZY_FIELDS: PropertyDescriptorMap = Object.fromEntries(
  (['reasons', 'statements', 'closest', 'dependsOn'] as const).map((k) => [
    k,
    {
      enumerable: true,
      configurable: true,
      get(this: object) {
        return built(this)[k];
      },
      set(this: object, value: unknown) {
        built(this)[k] = value;
      },
    },
  ]),
);

/** The result keys of an `allowed` answer with no guardrails, in the evaluator's order. */
const RESULT_KEYS = 'action,resource,decision,reasons,statements,closest,dependsOn';

/** Per analysis: reduced principals by the statements they keep; whether the evaluator's answers have the expected shape. */
export interface PlainState {
  readonly masks: Map<string, Mask>;
  checked?: boolean;
}

export function plainState(): PlainState {
  return { masks: new Map() };
}

/**
 * The kept evidence of checkReadOnly for an action only plain Allows can match ('none' when
 * none matches it either: not allowed), or undefined when another statement may match it
 * (the caller evaluates as usual). The decision is known here; the evidence is built when
 * first read.
 */
export function plainEvidence(
  principal: Principal,
  plain: PlainAllows,
  action: IamAction,
  state: PlainState,
  full: () => EvaluationResult,
): EvaluationResult | 'none' | undefined {
  const n = actionNumber(action);
  const word = n >>> 5;
  const bit = 1 << (n & 31);
  if ((plain.others[word]! & bit) !== 0) return undefined;
  const allows = plain.allows;
  let count = 0;
  let key = '';
  for (let i = 0; i < allows.length; i++) {
    if ((allows[i]!.bits[word]! & bit) === 0) continue;
    if (count++ < MAX_STATEMENTS_KEPT) key += `${i},`;
  }
  if (count === 0) return 'none';
  let mask = state.masks.get(key);
  if (!mask) {
    const kept = key.split(',').filter(Boolean).map((i) => allows[Number(i)]!);
    mask = { principal: maskedPrincipal(principal, kept), kept, keys: kept.map((k) => `P\u0000${principal.policies[k.policy]!.name}\u0000${k.index}`) };
    state.masks.set(key, mask);
  }
  const lazy: Lazy = { mask, action, count, full };
  if (!state.checked) {
    // Once per analysis: the evaluator's answer has the shape this result copies, else no fast path.
    const probe = evidenceOn(mask, action, count);
    if (!probe || Object.keys(probe).join(',') !== RESULT_KEYS || probe.action !== action.name || probe.resource !== '*') return undefined;
    state.checked = true;
    lazy.data = { ...probe };
  }
  const result = Object.defineProperties({ action: action.name, resource: '*', decision: 'allowed' }, LAZY_FIELDS) as EvaluationResult;
  lazies.set(result, lazy);
  return result;
}

/**
 * The evaluator's answer on the reduced principal, with the counts of the whole one: the
 * evaluator names three statements and counts the others; keptEvidence then says how many were
 * left out. Undefined when the answer is not the expected one.
 */
function evidenceOn(mask: Mask, action: IamAction, count: number): EvaluationResult | undefined {
  const kept = mask.kept.length;
  const r = evaluate(mask.principal, action.name, {});
  if (r.decision !== 'allowed' || r.statements.length !== kept) return undefined;
  if (count <= MAX_STATEMENTS_KEPT) return r;
  const reasons = r.reasons;
  const named = 3;
  if (reasons.length !== named + 2 || reasons[named] !== moreAllow(kept - named)) return undefined;
  return {
    ...r,
    statements: r.statements.slice(0, MAX_STATEMENTS_KEPT),
    reasons: [...reasons.slice(0, named), moreAllow(count - named), ...reasons.slice(named + 1), omittedReason(count - MAX_STATEMENTS_KEPT)],
  };
}

function moreAllow(n: number): string {
  return `${n} more statements allow it too.`;
}

function maskedPrincipal(principal: Principal, kept: readonly PlainAllow[]): Principal {
  return {
    ...principal,
    policies: principal.policies.map((policy, p) => {
      const doc = policy.document as { Statement?: unknown };
      const keep = new Set(kept.filter((k) => k.policy === p).map((k) => k.index));
      const st = doc.Statement;
      const Statement = Array.isArray(st) ? st.map((s, i) => (keep.has(i) ? s : NO_VALUE)) : st !== undefined && keep.has(0) ? st : [];
      return { ...policy, document: { ...doc, Statement } };
    }),
  };
}
