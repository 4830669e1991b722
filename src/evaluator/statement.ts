/**
 * One statement variant against one request: does it apply ('yes' / 'maybe' / 'no'), and
 * why. Three-valued throughout: an unknown condition key, a policy variable the context
 * does not give, an unresolved template value or a resource pattern covering only part of
 * the asked resource make the answer 'maybe', never a guess.
 */
import { resourcePattern, resourceRelation } from './arn';
import { OWN_ACCOUNT_HOLE, ownAccountRelation, ownAccountTemplate } from './own-account';
import type { ActionHit, CompiledActionPattern, CompiledResourcePattern, CompiledStatement } from './compile';
import { evaluateEntry } from './condition/modifiers';
import type { AskedResource } from './request';
import type { ConditionExplain, Dependency, MismatchReason } from './types';
import { substitute, type Context } from './variables';
import { Glob, type Coverage } from './wildcard';

export type Tri = 'yes' | 'maybe' | 'no';

export interface StatementOutcome {
  readonly applies: Tri;
  readonly action: { readonly element: 'Action' | 'NotAction'; readonly pattern?: string; readonly matched: boolean };
  readonly resource?: { readonly element: 'Resource' | 'NotResource'; readonly pattern?: string; readonly matched: boolean | 'partial' };
  readonly conditions?: readonly ConditionExplain[];
  readonly mismatch?: MismatchReason;
  readonly dependsOn: readonly Dependency[];
  /** Distance from applying (0 when it applies): 100 action, 10 resource, 1 per failing condition. */
  readonly cost: number;
}

/** How the statement's Action/NotAction relates to the (lower-cased) action. */
export function matchAction(s: CompiledStatement, action: string): ActionHit {
  const el = s.action;
  if (el.unresolved !== undefined) {
    return hit(s, 'maybe', undefined, [{ kind: 'unresolvedValue', description: el.unresolved }]);
  }
  let maybe: CompiledActionPattern | undefined;
  for (const p of el.patterns) {
    if (!p.glob.matches(action)) continue;
    if (p.holes && p.holes.length) {
      maybe ??= p;
      continue;
    }
    return hit(s, el.element === 'Action' ? 'yes' : 'no', p.source, NONE);
  }
  if (maybe) {
    return hit(s, 'maybe', maybe.source, maybe.holes!.map((h) => ({ kind: 'unresolvedValue' as const, description: h })));
  }
  return hit(s, el.element === 'Action' ? 'no' : 'yes', undefined, NONE);
}

function hit(variant: CompiledStatement, tri: Tri, pattern: string | undefined, dependsOn: readonly Dependency[]): ActionHit {
  const explain = Object.freeze({ element: variant.action.element, matched: tri !== 'no', ...(pattern !== undefined ? { pattern } : {}) });
  return { variant, tri, dependsOn, explain, ...(pattern !== undefined ? { pattern } : {}) };
}

const NONE: readonly Dependency[] = Object.freeze([]);
const NO_CONDITIONS: ConditionExplain[] = [];

type Rel = Coverage | 'unknown';

/** The symbolic own account met a literal one: the part depends on which account the stack is in. */
const OWN_ACCOUNT_DEPENDENCY: Dependency = Object.freeze({ kind: 'unresolvedValue', description: OWN_ACCOUNT_HOLE });

function relation(p: CompiledResourcePattern, asked: AskedResource, setIndex: number, context: Context, deps: Dependency[]): Rel {
  const set = asked.sets[setIndex]!;
  if (p.fixedCodes) {
    p.fixed ??= resourcePattern(p.fixedCodes);
    let rs = p.cache.get(asked) as Rel[] | undefined;
    if (rs === undefined) {
      if (p.cache.size >= 1024) p.cache.clear();
      const fixed = p.fixed;
      rs = asked.sets.map((set) => ownAccountRelation(fixed, set));
      p.cache.set(asked, rs as Coverage[]);
    }
    const r = rs[setIndex]!;
    if (r === 'unknown') deps.push(OWN_ACCOUNT_DEPENDENCY);
    return r;
  }
  // Same-account model: `${AWS::AccountId}` as a whole account segment is the principal's own account.
  const own = ownAccountTemplate(p.template!);
  if (own) {
    const o = substitute(own, context, true, false);
    if (!o.failed && o.unknownVariables.length === 0 && o.holes.length === 0) {
      const r = ownAccountRelation(resourcePattern(o.codes), set);
      if (r === 'unknown') deps.push(OWN_ACCOUNT_DEPENDENCY);
      return r;
    }
  }
  const s = substitute(p.template!, context, true, false);
  if (s.failed) return 'disjoint';
  if (s.unknownVariables.length === 0 && s.holes.length === 0) return ownAccountRelation(resourcePattern(s.codes), set);
  // Unknown parts became `*`: read as one pattern over the whole string (an unknown part
  // may hold colons), which can only rule a match out.
  const overPattern = { kind: 'plain' as const, whole: new Glob(s.codes) };
  if (ownAccountRelation(overPattern, set) === 'disjoint') return 'disjoint';
  for (const v of s.unknownVariables) deps.push({ kind: 'policyVariable', variable: v });
  for (const h of s.holes) deps.push({ kind: 'unresolvedValue', description: h });
  return 'unknown';
}

function matchResource(
  s: CompiledStatement,
  asked: AskedResource,
  context: Context,
  deps: Dependency[],
): { tri: Tri; pattern?: string; partial: boolean; mismatch?: MismatchReason } {
  const el = s.resource;
  if (!el) return { tri: 'yes', partial: false };
  if (el.unresolved !== undefined) {
    deps.push({ kind: 'unresolvedValue', description: el.unresolved });
    return { tri: 'maybe', partial: false };
  }
  const n = asked.sets.length;
  // For each asked set: is it covered by some pattern, disjoint from all, or neither?
  let allCovered = true;
  let allDisjoint = true;
  let coveringPattern: string | undefined;
  let partialPattern: string | undefined;
  const localDeps: Dependency[] = [];
  let partial = false;
  for (let k = 0; k < n; k++) {
    let covered = false;
    let disjoint = true;
    for (const p of el.patterns) {
      const r = relation(p, asked, k, context, localDeps);
      if (r === 'covers') {
        covered = true;
        disjoint = false;
        coveringPattern ??= p.source;
        break;
      }
      if (r !== 'disjoint') {
        disjoint = false;
        partialPattern ??= p.source;
        if (r === 'overlaps') partial = true;
      }
    }
    if (!covered) allCovered = false;
    if (!disjoint) allDisjoint = false;
  }
  const typeMismatch: MismatchReason =
    asked.kind === 'noResource' ? 'actionTakesNoResource' : asked.kind === 'types' ? 'resourceTypeMismatch' : 'resourceNotMatched';
  if (el.element === 'Resource') {
    if (allCovered) return { tri: 'yes', pattern: coveringPattern, partial: false };
    if (allDisjoint) return { tri: 'no', partial: false, mismatch: typeMismatch };
    deps.push(...localDeps);
    if (partial) deps.push({ kind: 'resource', pattern: partialPattern ?? coveringPattern ?? '' });
    return { tri: 'maybe', pattern: partialPattern ?? coveringPattern, partial };
  }
  // NotResource: applies to what no pattern covers.
  if (allCovered) return { tri: 'no', pattern: coveringPattern, partial: false, mismatch: 'resourceExcluded' };
  if (allDisjoint) return { tri: 'yes', partial: false };
  deps.push(...localDeps);
  if (partial) deps.push({ kind: 'resource', pattern: partialPattern ?? coveringPattern ?? '' });
  return { tri: 'maybe', pattern: partialPattern ?? coveringPattern, partial };
}

/** What a decision needs of one statement variant: whether it applies, and on what (explanations left out). */
export interface LeanOutcome {
  readonly applies: Tri;
  readonly dependsOn: readonly Dependency[];
}

const LEAN_YES: LeanOutcome = Object.freeze({ applies: 'yes' as const, dependsOn: NONE });
const LEAN_NO: LeanOutcome = Object.freeze({ applies: 'no' as const, dependsOn: NONE });

/**
 * evaluateStatement's `applies` and `dependsOn` without building the explanation (the
 * resource and condition parts, the mismatch): the same answer, for deciding.
 */
export function statementApplies(s: CompiledStatement, a: ActionHit, asked: AskedResource, context: Context): LeanOutcome {
  if (a.tri === 'no') return LEAN_NO;
  const deps: Dependency[] = a.dependsOn.length ? [...a.dependsOn] : [];
  const r = matchResource(s, asked, context, deps);
  if (r.tri === 'no') return LEAN_NO;
  let cond: Tri = 'yes';
  if (s.conditionsUnresolved !== undefined) {
    cond = 'maybe';
    deps.push({ kind: 'unresolvedValue', description: s.conditionsUnresolved });
  }
  for (const entry of s.conditions) {
    const e = evaluateEntry(entry, context);
    if (e.result === false) return LEAN_NO;
    if (e.result === 'unknown') {
      cond = 'maybe';
      deps.push(...e.dependsOn);
    }
  }
  if (a.tri === 'maybe' || r.tri === 'maybe' || cond === 'maybe') return { applies: 'maybe', dependsOn: dedupe(deps) };
  return LEAN_YES;
}

/**
 * Evaluate one statement variant. `detail`: also explain conditions when the action does
 * not match (for near misses); otherwise a statement whose action does not match stops early.
 */
export function evaluateStatement(
  s: CompiledStatement,
  a: ActionHit,
  asked: AskedResource,
  context: Context,
  detail: boolean,
): StatementOutcome {
  if (a.tri === 'no' && !detail && a.pattern === undefined) return s.actionMissOutcome;
  const actionExplain = a.explain;
  if (a.tri === 'no' && !detail) {
    return { applies: 'no', action: actionExplain, mismatch: s.action.element === 'Action' ? 'actionNotMatched' : 'actionExcluded', dependsOn: NONE, cost: 100 };
  }
  const deps: Dependency[] = [...a.dependsOn];
  const r = matchResource(s, asked, context, deps);
  let resourceExplain: StatementOutcome['resource'];
  if (s.resource) {
    const matched = r.tri === 'yes' ? true : r.tri === 'no' ? false : ('partial' as const);
    resourceExplain = r.pattern !== undefined ? { element: s.resource.element, pattern: r.pattern, matched } : { element: s.resource.element, matched };
  }
  let cond: Tri = 'yes';
  const conditions: ConditionExplain[] = s.conditions.length ? [] : NO_CONDITIONS;
  let failing = 0;
  if (s.conditionsUnresolved !== undefined) {
    cond = 'maybe';
    deps.push({ kind: 'unresolvedValue', description: s.conditionsUnresolved });
  }
  for (const entry of s.conditions) {
    const e = evaluateEntry(entry, context);
    conditions.push({
      operator: entry.operator.written,
      key: entry.key,
      values: entry.written,
      result: e.result,
      ...(e.contextValue !== undefined ? { contextValue: e.contextValue } : {}),
    });
    if (e.result === false) {
      cond = 'no';
      failing++;
    } else if (e.result === 'unknown') {
      if (cond !== 'no') cond = 'maybe';
      deps.push(...e.dependsOn);
    }
  }
  const applies: Tri =
    a.tri === 'no' || r.tri === 'no' || cond === 'no' ? 'no' : a.tri === 'maybe' || r.tri === 'maybe' || cond === 'maybe' ? 'maybe' : 'yes';
  let mismatch: MismatchReason | undefined;
  if (a.tri === 'no') mismatch = s.action.element === 'Action' ? 'actionNotMatched' : 'actionExcluded';
  else if (r.tri === 'no') mismatch = r.mismatch;
  else if (cond === 'no') mismatch = 'conditionFailed';
  const cost = (a.tri === 'no' ? 100 : 0) + (r.tri === 'no' ? 10 : 0) + failing;
  const out: { -readonly [K in keyof StatementOutcome]: StatementOutcome[K] } = {
    applies,
    action: actionExplain,
    dependsOn: applies === 'maybe' ? dedupe(deps) : NONE,
    cost,
  };
  if (resourceExplain) out.resource = resourceExplain;
  if (conditions.length) out.conditions = conditions;
  if (mismatch) out.mismatch = mismatch;
  return out;
}

/** Whether JSON.stringify(a) === JSON.stringify(b), for plain objects (flat string fields compared directly). */
function sameJson(a: object, b: object): boolean {
  if (a === b) return true;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra);
  const kb = Object.keys(rb);
  let i = 0;
  let j = 0;
  for (;;) {
    // JSON leaves out undefined (and function) values.
    while (i < ka.length && (ra[ka[i]!] === undefined || typeof ra[ka[i]!] === 'function')) i++;
    while (j < kb.length && (rb[kb[j]!] === undefined || typeof rb[kb[j]!] === 'function')) j++;
    if (i === ka.length || j === kb.length) return i === ka.length && j === kb.length;
    if (ka[i] !== kb[j]) return false;
    const va = ra[ka[i]!];
    const vb = rb[kb[j]!];
    if (typeof va === 'string' && typeof vb === 'string') {
      if (va !== vb) return false;
    } else if (JSON.stringify(va) !== JSON.stringify(vb)) return false;
    i++;
    j++;
  }
}

export function dedupe(deps: readonly Dependency[]): readonly Dependency[] {
  if (deps.length < 2) return deps;
  if (deps.length <= 16) {
    // Few: compare pairwise, as their JSON texts would compare, without building the texts.
    let out: Dependency[] | undefined;
    for (let i = 0; i < deps.length; i++) {
      const d = deps[i]!;
      let repeat = false;
      for (let j = 0; j < i; j++) {
        if (sameJson(deps[j]!, d)) {
          repeat = true;
          break;
        }
      }
      if (repeat) out ??= deps.slice(0, i);
      else out?.push(d);
    }
    return out ?? deps;
  }
  const seen = new Set<string>();
  const out: Dependency[] = [];
  for (const d of deps) {
    const k = JSON.stringify(d);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  }
  return out;
}
