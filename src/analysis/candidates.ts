/**
 * The prefilter of the whole-action-list analyses: only an action that some Allow statement
 * of the principal's policies matches (Action patterns, or everything NotAction does not
 * list) can be allowed, so only those are evaluated. A statement whose Action or NotAction is
 * not plain strings (an unresolved value, an Fn::If) counts as matching every action; one whose
 * Effect is unknown counts as an Allow of its actions; one under Fn::If counts with both
 * branches: the prefilter may only ever over-approximate.
 */
import { allActions, expandActionPattern } from '../iam';
import { actionBitsWords, actionNumber, actionsOfBits, elementBits, orInto } from '../iam/action-bits';
import type { IamAction } from '../iam/types';
import { NO_VALUE, isChoice, isUnresolved } from '../policy/symbolic';
import type { Principal } from '../policy/types';
import type { UnknownActionPattern } from './types';
import { compiledResourcePolicies } from '../evaluator/guardrails/options';
import type { GuardrailOptions } from '../evaluator/guardrails/types';

export interface AllowCandidates {
  /** Actions some Allow statement may match, in IAM data order. */
  readonly actions: readonly IamAction[];
  /** Allow Action patterns that match no action in the data (NotAction entries are not listed). */
  readonly unknownPatterns: readonly UnknownActionPattern[];
}

const cache = new WeakMap<Principal, AllowCandidates>();

/**
 * Process-wide, keyed by pattern text: the same managed-policy patterns recur in every
 * principal of a scan. Bounded (cleared when full) so memory does not grow with the scan.
 */
const MAX_EXPANSIONS = 20_000;
const expansions = new Map<string, readonly IamAction[]>();
function expanded(pattern: string): readonly IamAction[] {
  let hit = expansions.get(pattern);
  if (!hit) {
    hit = expandActionPattern(pattern);
    if (expansions.size >= MAX_EXPANSIONS) expansions.clear();
    expansions.set(pattern, hit);
  }
  return hit;
}

/** Each action's position in the IAM data (built once): results keep data order without walking every action. */
let ordinals: Map<IamAction, number> | undefined;

function inDataOrder(chosen: ReadonlySet<IamAction>): readonly IamAction[] {
  const all = allActions();
  if (chosen.size * 8 > all.length) return all.filter((a) => chosen.has(a));
  if (!ordinals) {
    ordinals = new Map();
    all.forEach((a, i) => ordinals!.set(a, i));
  }
  const ord = ordinals;
  return [...chosen].sort((x, y) => ord.get(x)! - ord.get(y)!);
}

/**
 * `resourcePolicies`: a resource policy can allow on its own (same account), so its Allow
 * statements widen the candidates (guardrails only ever narrow: they need no prefilter).
 */
export function allowCandidates(principal: Principal, resourcePolicies?: unknown): AllowCandidates {
  let found = cache.get(principal);
  if (!found) {
    found = compute(principal);
    cache.set(principal, found);
  }
  if (resourcePolicies === undefined) return found;
  const extra = compute({ kind: 'documents', id: 'resource policies', policies: compiledResourcePolicies(resourcePolicies).map((r) => r.compiled.attached) });
  if (!extra.actions.length) return found;
  const set = new Set([...found.actions, ...extra.actions]);
  return { actions: inDataOrder(set), unknownPatterns: found.unknownPatterns };
}

/** The guardrail options of an analysis, as evaluate takes them. */
export function guardrailOptions(options: GuardrailOptions): GuardrailOptions {
  return {
    ...(options.organization !== undefined ? { organization: options.organization } : {}),
    ...(options.session !== undefined ? { session: options.session } : {}),
    ...(options.resourcePolicies !== undefined ? { resourcePolicies: options.resourcePolicies } : {}),
  };
}

/**
 * Values of an element as strings (`AWS::NoValue` entries dropped), or undefined when any
 * part is not a plain string.
 */
function strings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return undefined;
  const known = value.filter((v) => v !== NO_VALUE);
  return known.every((v): v is string => typeof v === 'string') ? known : undefined;
}

/** The statements of a plain document; undefined when its shape is not plain data (then: everything). */
function statementsOf(document: unknown): unknown[] | undefined {
  if (typeof document !== 'object' || document === null || Array.isArray(document) || isUnresolved(document) || isChoice(document)) return undefined;
  const statement = (document as { Statement?: unknown }).Statement;
  if (Array.isArray(statement)) return statement; // NO_VALUE entries are skipped below (indices stay as written)
  if (statement === undefined) return [];
  return typeof statement === 'object' && statement !== null && !isUnresolved(statement) && !isChoice(statement) ? [statement] : undefined;
}

function compute(principal: Principal): AllowCandidates {
  const chosen = new Set<IamAction>();
  // NotAction statements each match nearly the whole action list: their sets are bitsets over
  // it (src/iam/action-bits.ts), one OR per distinct list instead of one insert per action.
  let excluding: Uint32Array | undefined;
  const added = new Set<Uint32Array>();
  const unknownPatterns: UnknownActionPattern[] = [];
  let everything = false;
  for (const policy of principal.policies) {
    if (policy.document === undefined) continue; // unresolved: reported by unresolvedParts
    const statements = statementsOf(policy.document);
    if (!statements) {
      everything = true;
      break;
    }
    const visit = (raw: unknown, index: number): void => {
      if (everything || typeof raw !== 'object' || raw === null) return;
      // A statement under Fn::If: either branch may be the one deployed.
      if (isChoice(raw)) {
        visit(raw.whenTrue, index);
        visit(raw.whenFalse, index);
        return;
      }
      if (isUnresolved(raw)) {
        everything = true;
        return;
      }
      const st = raw as Record<string, unknown>;
      if (st.Effect === 'Deny') return;
      const action = st.Action === undefined ? undefined : strings(st.Action);
      const notAction = st.NotAction === undefined ? undefined : strings(st.NotAction);
      // An Effect that is not known may be Allow: its Action/NotAction still bound what it matches.
      if ((st.Action !== undefined && !action) || (st.NotAction !== undefined && !notAction)) {
        everything = true; // not plain data: assume it may match anything
        return;
      }
      if (action) {
        for (const pattern of action) {
          const matched = expanded(pattern);
          if (!matched.length) unknownPatterns.push({ policy: policy.name, index, pattern });
          for (const a of matched) chosen.add(a);
        }
      } else if (notAction) {
        const bits = elementBits(notAction, true);
        if (!added.has(bits)) {
          added.add(bits);
          orInto((excluding ??= new Uint32Array(actionBitsWords())), bits);
        }
      }
    };
    statements.forEach((raw, index) => visit(raw, index));
  }
  let actions: readonly IamAction[];
  if (everything) actions = allActions();
  else if (excluding) {
    for (const a of chosen) {
      const n = actionNumber(a);
      excluding[n >>> 5] = excluding[n >>> 5]! | (1 << (n & 31));
    }
    actions = actionsOfBits(excluding);
  } else actions = inDataOrder(chosen);
  return { actions, unknownPatterns };
}
