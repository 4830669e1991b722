/**
 * checkStayWithin: the subject allows nothing the baseline does not allow, for every action
 * in the IAM action list and any resource (the idea of Access Analyzer's check-no-new-access,
 * offline and fail-closed).
 *
 * Only actions some Allow statement of the subject matches are evaluated (prefilter). For each,
 * S = the subject's decision on resource '*', B = the baseline's decision on resource '*':
 *
 * | S \ B         | allowed | conditional                       | implicitDeny / explicitDeny |
 * |---------------|---------|-----------------------------------|-----------------------------|
 * | deny (either) | ok      | ok                                | ok                          |
 * | allowed       | ok      | new access (possible)        [1]  | new access (definite)       |
 * | conditional   | ok  [2] | new access (possible) unless  [3] | new access (possible)   [3] |
 *
 * [1] The subject allows the action on every resource with no condition; the baseline only on
 *     part of them, under a condition, or depending on an unknown. Reported as `possible`
 *     because a condition may hold for every real request; it fails the check all the same.
 * [2] Whatever the subject's condition or narrower resource, the baseline allows more.
 * [3] Resource scope: the subject's possibly-applying Allow statements are read from its
 *     documents; when each has a plain `Resource` list (no NotResource, no unresolved value),
 *     the baseline is evaluated on each of those resource patterns (policy variables widened to
 *     `*`). If the baseline is `allowed` on every one, the subject is at least as narrow: ok.
 *     Otherwise (a condition on the subject that the baseline does not match, NotResource, a
 *     narrower baseline, anything unknown) it is new access. Conditions are never compared
 *     with each other: a conditional baseline never covers anything (closed).
 *
 * Speed: only the subject's Allow candidates are evaluated, and B is computed first: where
 * B is `allowed` the subject is not evaluated at all. For an action that no Allow statement
 * of the baseline can match (and a baseline without unknown parts), B is `implicitDeny`
 * without running the evaluator.
 */
import { evaluate } from '../evaluator';
import { checkRequest } from '../evaluator/evaluate';
import { hasGuardrails } from '../evaluator/guardrails/options';
import { validateSubject } from './validate';
import type { EvaluationResult, StatementExplain } from '../evaluator/types';
import type { IamAction } from '../iam/types';
import { managedPolicy } from '../managed';
import { isManagedPolicy } from '../managed/types';
import { NO_VALUE } from '../policy/symbolic';
import { isPrincipal, type Principal } from '../policy/types';
import { acceptedActions } from './accept';
import { allowCandidates, guardrailOptions } from './candidates';
import { groupByStatement } from './group';
import { principalOf } from './subject';
import type { NewAccess, StayWithinOptions, StayWithinResult } from './types';
import { blockingParts, describeUnresolvedPart, unresolvedParts } from './unresolved';
import { keptEvidence } from './evidence';
import { describeDependency } from '../report/evidence';
import { COVER_BUDGET, statementsCover, type CoverBudget } from './cover';
import { hasWildcard } from '../iam';
import type { EvaluateOptions } from '../evaluator/types';
import { verdictOf } from '../verdict';

/** The baseline as a principal plus a display name. A string is a managed policy name or ARN. */
export function resolveBaseline(baseline: unknown): { principal: Principal; name: string } {
  if (typeof baseline === 'string') {
    const policy = managedPolicy(baseline); // UnknownManagedPolicyError with suggestions
    return { principal: principalOf(policy), name: policy.name };
  }
  const principal = principalOf(baseline, 'baseline');
  const name = isManagedPolicy(baseline)
    ? baseline.name
    : isPrincipal(baseline) && baseline.kind !== 'documents'
      ? baseline.id
      : `the baseline (${principal.id})`;
  return { principal, name };
}

const candidateSets = new WeakMap<Principal, ReadonlySet<IamAction>>();

/** The baseline's Allow candidates as a set (cached per principal). */
function candidateSet(principal: Principal): ReadonlySet<IamAction> {
  let set = candidateSets.get(principal);
  if (!set) candidateSets.set(principal, (set = new Set(allowCandidates(principal).actions)));
  return set;
}

/**
 * The raw statement an explanation points at, or undefined (caller fails closed) when it
 * cannot be found for sure: a missing or ambiguous policy name, a Statement list holding
 * AWS::NoValue entries (indices could differ), or a statement whose Effect/Sid disagree.
 */
function statementAt(principal: Principal, explained: StatementExplain): Record<string, unknown> | undefined {
  const policies = principal.policies.filter((p) => p.name === explained.policy);
  if (policies.length !== 1) return undefined;
  const doc = policies[0]!.document;
  if (typeof doc !== 'object' || doc === null) return undefined;
  const st = (doc as { Statement?: unknown }).Statement;
  if (Array.isArray(st) && st.includes(NO_VALUE)) return undefined;
  const raw = Array.isArray(st) ? st[explained.index] : explained.index === 0 ? st : undefined;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const statement = raw as Record<string, unknown>;
  if (statement.Effect !== explained.effect || (explained.sid !== undefined && statement.Sid !== explained.sid)) return undefined;
  return statement;
}

/**
 * The resource patterns the subject's possibly-applying Allow statements grant the action on,
 * or undefined when they cannot be listed exactly (then nothing narrower can be shown).
 */
function subjectResourcePatterns(principal: Principal, result: EvaluationResult): string[] | undefined {
  const allows = result.statements.filter((s) => s.effect === 'Allow' && !s.boundary && s.applies !== 'no');
  if (!allows.length) return undefined;
  const out = new Set<string>();
  for (const s of allows) {
    const raw = statementAt(principal, s);
    if (!raw || raw.NotResource !== undefined) return undefined;
    const resource = raw.Resource;
    const list = typeof resource === 'string' ? [resource] : Array.isArray(resource) ? resource : undefined;
    if (!list || !list.every((r): r is string => typeof r === 'string')) return undefined;
    for (const r of list) out.add(r.replace(/\$\{[^}]*\}/g, '*'));
  }
  return [...out];
}

function dependsText(result: EvaluationResult): string {
  if (!result.dependsOn.length) return result.reasons[0] ?? result.decision;
  return result.dependsOn.map(describeDependency).join(', ');
}

/**
 * The baseline's result for an action none of its Allow statements can match (prefilter):
 * certainly not allowed, without running the evaluator. Only used when the baseline has no
 * unknown parts (otherwise the evaluator decides, and says `conditional`).
 */
function notMatchedByBaseline(action: string, baseline: string): EvaluationResult {
  return {
    action,
    resource: '*',
    decision: 'implicitDeny',
    reasons: [`No Allow statement of ${baseline} matches ${action}.`],
    statements: [],
    closest: [],
    dependsOn: [],
  };
}

export function checkStayWithin(subject: unknown, baseline: unknown, options: StayWithinOptions = {}): StayWithinResult {
  const accept = acceptedActions(options.allow);
  const base = resolveBaseline(baseline);
  const principal = principalOf(subject);
  const unresolved = blockingParts(principal);
  const { actions, unknownPatterns: allUnknownPatterns } = allowCandidates(principal, options.resourcePolicies);
  const asked: EvaluateOptions = { ...guardrailOptions(options), ...(options.context ? { context: options.context } : {}) };
  const budget: CoverBudget = { left: COVER_BUDGET };
  const baselineUnresolved = unresolvedParts(base.principal);
  const baseCandidates = baselineUnresolved.length ? undefined : candidateSet(base.principal);

  const subjectFirst = hasGuardrails(asked);

  const newAccess: NewAccess[] = [];
  const accepted: string[] = [];
  let evaluated = 0;
  for (const action of actions) {
    evaluated++;
    // The baseline first: where it allows the action on any resource, whatever the subject
    // says is within it (the table's first column), so the subject is not evaluated. Errors
    // come as before: the request is checked and the subject validated before the baseline is
    // asked anything; with guardrails the subject is evaluated first, as it always was.
    if (evaluated === 1 && !subjectFirst) {
      checkRequest(action.name, asked);
      validateSubject(principal);
    }
    let s = subjectFirst ? evaluate(principal, action.name, asked) : undefined;
    if (s && s.decision !== 'allowed' && s.decision !== 'conditional') continue;
    // No Allow of the baseline can match it: certainly not allowed, on any resource.
    const unmatched = baseCandidates !== undefined && !baseCandidates.has(action);
    const b = unmatched ? notMatchedByBaseline(action.name, base.name) : evaluate(base.principal, action.name, asked);
    if (b.decision === 'allowed') continue;
    s ??= evaluate(principal, action.name, asked);
    if (s.decision !== 'allowed' && s.decision !== 'conditional') continue;
    let found: Omit<NewAccess, 'action' | 'accessLevels'> | undefined;
    if (s.decision === 'allowed') {
      found =
        b.decision === 'conditional'
          ? { kind: 'possible', subject: s, baseline: b, why: `the subject allows it on any resource without a condition; the baseline only depending on ${dependsText(b)}` }
          : {
              kind: 'definite',
              subject: s,
              baseline: b,
              why: b.decision === 'explicitDeny' ? 'the baseline denies it explicitly' : 'the baseline does not allow it',
            };
    } else {
      const patterns = subjectResourcePatterns(principal, s);
      let uncovered: EvaluationResult | undefined = b;
      if (patterns) {
        uncovered = undefined;
        for (const p of patterns) {
          const bp = p === '*' || unmatched ? b : evaluate(base.principal, action.name, { ...asked, resource: p });
          if (bp.decision !== 'allowed') {
            uncovered = bp;
            break;
          }
        }
      }
      // Statement by statement: the same or weaker conditions on the same or broader resources.
      if (uncovered && !unmatched && baselineUnresolved.length === 0 && statementsCover(principal, base.principal, { name: action.name, literal: true }, budget)) {
        uncovered = undefined;
      }
      if (uncovered) {
        found = {
          kind: 'possible',
          subject: s,
          baseline: uncovered,
          why: `the subject may allow it (depending on ${dependsText(s)}); ${
            unmatched
              ? 'no Allow statement of the baseline matches it'
              : `the baseline ${
                  uncovered.decision === 'conditional' ? `only depending on ${dependsText(uncovered)}` : uncovered.decision === 'explicitDeny' ? 'denies it explicitly' : 'does not allow it'
                } on ${uncovered.resource}`
          }`,
        };
      }
    }
    if (!found) continue;
    if (accept.has(action.name.toLowerCase())) {
      accepted.push(action.name);
      continue;
    }
    newAccess.push({ action: action.name, accessLevels: action.accessLevels, ...found, subject: keptEvidence(found.subject), baseline: keptEvidence(found.baseline) });
  }

  // An Allow pattern the IAM data does not know is within the baseline when the baseline allows
  // the same literal (or a pattern matching it) under the same or weaker conditions.
  const unknownPatterns = allUnknownPatterns.filter(
    (u) => baselineUnresolved.length > 0 || !statementsCover(principal, base.principal, { name: u.pattern, literal: !hasWildcard(u.pattern) }, budget),
  );

  const reasons: string[] = [];
  const definite = newAccess.filter((n) => n.kind === 'definite').length;
  const possible = newAccess.length - definite;
  if (definite) reasons.push(`It allows ${definite} action${definite === 1 ? '' : 's'} that ${base.name} does not allow.`);
  if (possible) reasons.push(`It may allow ${possible} action${possible === 1 ? '' : 's'} beyond ${base.name} (conditions, resources or unknowns that cannot be shown to stay within it).`);
  for (const part of unresolved) reasons.push(`Unknown part, so nothing it grants can be ruled out: ${describeUnresolvedPart(part)}.`);
  for (const u of unknownPatterns) {
    reasons.push(`policy "${u.policy}" Statement[${u.index}] allows '${u.pattern}', which matches no action in the IAM action data: it cannot be compared with the baseline.`);
  }
  const pass = verdictOf({ kind: 'stayWithin', result: { newAccess, unresolved, unknownPatterns } }, 'positive') === 'pass';
  return {
    check: 'stayWithin',
    pass,
    reasons,
    baseline: base.name,
    unresolved,
    baselineUnresolved,
    unknownPatterns,
    newAccess,
    accepted,
    byStatement: groupByStatement(newAccess.map((n) => ({ action: n.action, decision: n.subject.decision === 'allowed' ? 'allowed' : 'conditional', result: n.subject }))),
    evaluated,
  };
}
