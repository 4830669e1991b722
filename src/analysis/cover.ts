/**
 * Statement coverage for checkStayWithin: can every request the subject may allow for one
 * action be shown to be allowed by the baseline, statement by statement?
 *
 * Used only where the decisions on "any resource" cannot show it (the subject is
 * `conditional`; an Allow pattern names an action the IAM data does not know). The subject
 * stays within the baseline for the action when
 *
 * 1. every Allow statement of the subject that may match the action is covered by one Allow
 *    statement of the baseline: it matches the action with certainty, its resources include
 *    the subject statement's (decided by the evaluator itself, on a one-statement document),
 *    and its conditions are the same or weaker: every (operator, key) of the baseline
 *    statement is in the subject statement too, with a superset of the subject's values for
 *    the positive Equals/Like operators (StringEquals, StringEqualsIgnoreCase, StringLike,
 *    ArnEquals, ArnLike, with or without IfExists and ForAnyValue:/ForAllValues:) and the same
 *    values for every other operator; and
 * 2. every Deny statement of the baseline that may match the action is also in the subject
 *    (the same statement, Sid aside), so it cannot take away from the baseline what the
 *    subject allows.
 *
 * Anything that is not plain data (an unresolved value, an Fn::If) in a statement that may
 * match the action, a baseline with unknown parts or a permissions boundary: not shown (the
 * caller keeps the action as possible new access). Each step only ever answers "covered"
 * when it is.
 */
import { evaluate } from '../evaluator';
import { compileActionPattern } from '../iam';
import { NO_VALUE, isChoice, isUnresolved } from '../policy/symbolic';
import type { Principal } from '../policy/types';

/** The action asked about: a name (known to the IAM data or a literal it does not know) or an unknown wildcard pattern. */
export interface ActionRef {
  readonly name: string;
  /** False for a wildcard pattern that matches no known action: only the same text or `*` match it. */
  readonly literal: boolean;
}

interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

interface Plain {
  readonly effect: 'Allow' | 'Deny';
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  /** `operator\0key`, lower-cased -> the condition. */
  readonly conditions: ReadonlyMap<string, Condition>;
  /** Canonical text (Sid left out), to compare statements. */
  readonly canonical: string;
  /** A one-statement document with this statement's resources, Action '*', no condition (for resource coverage). */
  readonly resourceDoc: object;
}

/** A statement that is not plain data; its actions when they are known. */
interface Opaque {
  readonly opaque: true;
  readonly effect?: 'Allow' | 'Deny';
  readonly action?: readonly string[];
}

type Statement = Plain | Opaque;

const isOpaque = (s: Statement): s is Opaque => 'opaque' in s;

function strings(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value.filter((v) => v !== NO_VALUE) : [value];
  return list.every((v): v is string => typeof v === 'string') ? list : undefined;
}

function conditionValues(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return undefined;
  return list.map(String);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .filter((k) => k !== 'Sid')
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function parseStatement(raw: unknown): Statement | undefined {
  if (raw === NO_VALUE) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || isUnresolved(raw) || isChoice(raw)) return { opaque: true };
  const st = raw as Record<string, unknown>;
  const effect = st.Effect === 'Allow' || st.Effect === 'Deny' ? st.Effect : undefined;
  const action = st.Action === undefined ? undefined : strings(st.Action);
  const notAction = st.NotAction === undefined ? undefined : strings(st.NotAction);
  const opaque = (): Opaque => ({ opaque: true, ...(effect ? { effect } : {}), ...(action ? { action } : {}) });
  if (!effect || (st.Action !== undefined && !action) || (st.NotAction !== undefined && !notAction) || (!action && !notAction)) return opaque();
  const resource = st.Resource === undefined ? undefined : strings(st.Resource);
  const notResource = st.NotResource === undefined ? undefined : strings(st.NotResource);
  if ((st.Resource !== undefined && !resource) || (st.NotResource !== undefined && !notResource) || (!resource && !notResource)) return opaque();
  const conditions = new Map<string, Condition>();
  if (st.Condition !== undefined) {
    const block = st.Condition;
    if (typeof block !== 'object' || block === null || Array.isArray(block) || isUnresolved(block) || isChoice(block)) return opaque();
    for (const [operator, entries] of Object.entries(block)) {
      if (typeof entries !== 'object' || entries === null || Array.isArray(entries) || isUnresolved(entries) || isChoice(entries)) return opaque();
      for (const [key, value] of Object.entries(entries)) {
        const values = conditionValues(value);
        if (!values) return opaque();
        conditions.set(`${operator.toLowerCase()}\u0000${key.toLowerCase()}`, { operator, key, values });
      }
    }
  }
  const resourceDoc = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', ...(resource ? { Resource: resource } : { NotResource: notResource }) }],
  };
  return {
    effect,
    ...(action ? { action } : {}),
    ...(notAction ? { notAction } : {}),
    ...(resource ? { resource } : {}),
    ...(notResource ? { notResource } : {}),
    conditions,
    canonical: canonical(st),
    resourceDoc,
  };
}

const parsed = new WeakMap<Principal, readonly Statement[] | null>();

/** Every statement of the principal's policies (not its boundary); null when a document is not plain data. */
function statementsOf(principal: Principal): readonly Statement[] | null {
  let found = parsed.get(principal);
  if (found !== undefined) return found;
  const out: Statement[] = [];
  found = out;
  for (const policy of principal.policies) {
    const doc = policy.document;
    if (policy.unresolved !== undefined || typeof doc !== 'object' || doc === null || Array.isArray(doc) || isUnresolved(doc) || isChoice(doc)) {
      found = null;
      break;
    }
    const st = (doc as { Statement?: unknown }).Statement;
    const list = Array.isArray(st) ? st : st === undefined ? [] : [st];
    for (const raw of list) {
      const s = parseStatement(raw);
      if (s) out.push(s);
    }
  }
  parsed.set(principal, found);
  return found;
}

const matchers = new Map<string, ReturnType<typeof compileActionPattern>>();

function patternMatches(pattern: string, action: ActionRef): boolean {
  if (action.literal) {
    let m = matchers.get(pattern);
    if (!m) {
      if (matchers.size > 20_000) matchers.clear(); // bounded: patterns come from the policies read
      matchers.set(pattern, (m = compileActionPattern(pattern)));
    }
    return m.matches(action.name);
  }
  return pattern === '*' || pattern.toLowerCase() === action.name.toLowerCase();
}

/** Does the statement's Action/NotAction match the action: 'yes', 'no', or 'maybe' (not known). */
function matchesAction(s: Statement, action: ActionRef): 'yes' | 'no' | 'maybe' {
  if (isOpaque(s)) return s.action && !s.action.some((p) => patternMatches(p, action)) ? 'no' : 'maybe';
  if (s.action) return s.action.some((p) => patternMatches(p, action)) ? 'yes' : 'no';
  const excluded = s.notAction!.some((p) => patternMatches(p, action));
  if (excluded) return 'no';
  // An unknown wildcard may overlap a NotAction pattern without being equal to it.
  return action.literal ? 'yes' : 'maybe';
}

const POSITIVE = /^(forallvalues:|foranyvalue:)?(stringequals|stringequalsignorecase|stringlike|arnequals|arnlike)(ifexists)?$/;

/** Are the baseline statement's conditions the same as or weaker than the subject statement's? */
function weakerConditions(base: Plain, subject: Plain): boolean {
  for (const [id, b] of base.conditions) {
    const s = subject.conditions.get(id);
    if (!s) return false;
    const bValues = new Set(b.values);
    if (!s.values.every((v) => bValues.has(v))) return false;
    if (!POSITIVE.test(b.operator.toLowerCase()) && bValues.size !== new Set(s.values).size) return false;
  }
  return true;
}

function covers(base: Plain, subject: Plain, action: ActionRef, resourceFor: (base: Plain, subject: Plain, pattern: string) => boolean): boolean {
  if (base.effect !== 'Allow' || matchesAction(base, action) !== 'yes') return false;
  if (!weakerConditions(base, subject)) return false;
  if (subject.resource) return subject.resource.every((p) => resourceFor(base, subject, p));
  // Subject NotResource: everything but its list. Covered by a baseline on every resource, or
  // by a baseline NotResource that excludes no more than the subject's does.
  if (base.resource) return base.resource.includes('*');
  const excluded = new Set(subject.notResource);
  return base.notResource!.every((p) => excluded.has(p));
}

/**
 * How much statement comparison one analysis may do (statements visited plus pairs compared).
 * A generated policy of 10,000 statements with 20,000 patterns the IAM data does not know
 * would otherwise compare every pattern with every statement.
 */
export interface CoverBudget {
  left: number;
}

export const COVER_BUDGET = 2_000_000;

/**
 * Does the baseline cover every request the subject may allow for this action? Resource
 * containment is the evaluator's own matching, asked with this action on a one-statement
 * document.
 */
export function statementsCover(subject: Principal, baseline: Principal, action: ActionRef, budget: CoverBudget): boolean {
  if (baseline.permissionsBoundary) return false;
  const mine = statementsOf(subject);
  const theirs = statementsOf(baseline);
  if (!mine || !theirs) return false;
  // Bounded work: past the budget nothing more is shown covered (the action stays possible new access).
  budget.left -= mine.length + theirs.length;
  if (budget.left < 0) return false;
  const resourceFor = (base: Plain, subjectStatement: Plain, pattern: string): boolean => {
    if (base.resource?.includes(pattern) || base.resource?.includes('*')) return true;
    if (!action.literal || pattern.includes('${')) return false;
    // A pattern of the subject's that cannot hold a resource of this action grants nothing here.
    const own = evaluate(subjectStatement.resourceDoc, action.name, { resource: pattern }).decision;
    if (own === 'implicitDeny' || own === 'explicitDeny') return true;
    return evaluate(base.resourceDoc, action.name, { resource: pattern }).decision === 'allowed';
  };
  // 2. Baseline denies that may match must be the subject's too.
  const subjectDenies = new Set(mine.filter((s): s is Plain => !isOpaque(s) && s.effect === 'Deny').map((s) => s.canonical));
  for (const d of theirs) {
    if (isOpaque(d)) {
      if (d.effect !== 'Allow' && matchesAction(d, action) !== 'no') return false;
      continue;
    }
    if (d.effect === 'Deny' && matchesAction(d, action) !== 'no' && !subjectDenies.has(d.canonical)) return false;
  }
  // 1. Every subject Allow that may match is covered by one baseline Allow.
  const allows = theirs.filter((s): s is Plain => !isOpaque(s) && s.effect === 'Allow');
  for (const s of mine) {
    if (isOpaque(s)) {
      if (s.effect !== 'Deny' && matchesAction(s, action) !== 'no') return false;
      continue;
    }
    if (s.effect !== 'Allow' || matchesAction(s, action) === 'no') continue;
    budget.left -= allows.length;
    if (budget.left < 0 || !allows.some((b) => covers(b, s, action, resourceFor))) return false;
  }
  return true;
}
