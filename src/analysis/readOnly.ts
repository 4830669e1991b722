/**
 * checkReadOnly: does the subject allow (or possibly allow) any action whose access level
 * is Write, Permissions management or Tagging, on any resource?
 *
 * Steps: (1) prefilter the IAM action list to actions some Allow statement matches
 * (wildcards and NotAction expanded over the whole list); (2) keep the write-like ones
 * (access levels after the project's overrides; an action without any level counts as
 * write-like, closed) minus the user's `allow` list; (3) evaluate each on resource '*':
 * `allowed` or `conditional` offends, `explicitDeny`/`implicitDeny` does not (so a certain
 * explicit Deny subtracts it, an uncertain Deny does not). A `conditional` action that an
 * Allow statement grants with no condition on a narrower resource is re-evaluated on that
 * resource: `allowed` there is a certain violation ("allows s3:PutObject on arn:aws:s3:::b/*"),
 * not a conditional one. A policy whose document is unknown, and an Allow pattern that
 * matches no known action (its access level is unknown), fail the check; every other unknown
 * only makes the actions it can change `conditional`.
 */
import { evaluate } from '../evaluator';
import type { EvaluationResult } from '../evaluator/types';
import { WRITE_LIKE_LEVELS } from '../iam';
import type { IamAction } from '../iam/types';
import { acceptedActions } from './accept';
import { allowCandidates } from './candidates';
import { groupByStatement } from './group';
import { principalOf } from './subject';
import type { OffendingAction, ReadOnlyOptions, ReadOnlyResult } from './types';
import { blockingParts, describeUnresolvedPart } from './unresolved';
import { keptEvidence } from './evidence';
import { guardrailOptions } from './candidates';
import { verdictOf } from '../verdict';
import { hasGuardrails } from '../evaluator/guardrails/options';
import { plainAllows, plainEvidence, plainState } from './plain-allows';
import { validateSubject } from './validate';

/** Write, Permissions management or Tagging (or no level known at all). */
export function isNonRead(action: IamAction): boolean {
  return action.accessLevels.length === 0 || action.accessLevels.some((l) => WRITE_LIKE_LEVELS.includes(l));
}

/** Fewer Allow candidates than this are evaluated one by one (the action data of their services alone is loaded). */
const PLAIN_MIN_ACTIONS = 1000;

export function checkReadOnly(subject: unknown, options: ReadOnlyOptions = {}): ReadOnlyResult {
  const accept = acceptedActions(options.allow);
  const principal = principalOf(subject);
  const unresolved = blockingParts(principal);
  const { actions, unknownPatterns } = allowCandidates(principal, options.resourcePolicies);
  const guard = guardrailOptions(options);

  const offending: OffendingAction[] = [];
  const accepted: string[] = [];
  let evaluated = 0;
  // Plain Allow statements decide most actions without the evaluator (plain-allows.ts), when
  // there are many (the bitsets number the whole action list, so the whole list is loaded).
  // The first action is always evaluated in full: it validates the subject, as before.
  const plain = hasGuardrails(guard) || actions.length < PLAIN_MIN_ACTIONS ? null : plainAllows(principal);
  const state = plainState();
  for (const action of actions) {
    if (!isNonRead(action)) continue;
    evaluated++;
    if (plain && evaluated > 1) {
      const fast = plainEvidence(principal, plain, action, state, () => evaluate(principal, action.name, guard));
      if (fast === 'none') continue;
      if (fast) {
        if (accept.has(action.name.toLowerCase())) accepted.push(action.name);
        else offending.push({ action: action.name, accessLevels: action.accessLevels, decision: 'allowed', result: fast });
        continue;
      }
    }
    let result = evaluate(principal, action.name, guard);
    if (result.decision !== 'allowed' && result.decision !== 'conditional') continue;
    if (accept.has(action.name.toLowerCase())) {
      accepted.push(action.name);
      continue;
    }
    if (result.decision === 'conditional') result = onNarrowerResource(principal, action.name, result);
    offending.push({ action: action.name, accessLevels: action.accessLevels, decision: result.decision === 'allowed' ? 'allowed' : 'conditional', result: keptEvidence(result) });
  }

  // Nothing evaluated (no write-like action is allowed): the evaluator never compiled the
  // subject, so validate it here; an invalid document is an error, never a silent pass.
  if (evaluated === 0) validateSubject(principal);

  const reasons: string[] = [];
  const allowedCount = offending.filter((o) => o.decision === 'allowed').length;
  const conditionalCount = offending.length - allowedCount;
  if (allowedCount) reasons.push(`It allows ${allowedCount} non-read action${allowedCount === 1 ? '' : 's'} (Write, Permissions management or Tagging).`);
  if (conditionalCount) reasons.push(`It may allow ${conditionalCount} more, depending on conditions, resources or unresolved values.`);
  for (const part of unresolved) reasons.push(`Unknown part, so nothing it grants can be ruled out: ${describeUnresolvedPart(part)}.`);
  for (const u of unknownPatterns) {
    reasons.push(`policy "${u.policy}" Statement[${u.index}] allows '${u.pattern}', which matches no action in the IAM action data: its access level is unknown.`);
  }
  const pass = verdictOf({ kind: 'readOnly', result: { offending, unresolved, unknownPatterns } }, 'positive') === 'pass';
  return {
    check: 'readOnly',
    pass,
    reasons,
    unresolved,
    unknownPatterns,
    offending,
    accepted,
    byStatement: groupByStatement(offending),
    evaluated,
  };
}

/**
 * A conditional answer on "any resource" that comes from an Allow statement granting the
 * action with no condition on a narrower resource: the write is certainly allowed there. Only
 * resources written as plain text (no policy variable) count, and only when the answer depends
 * on a resource; the result is kept as is otherwise.
 *
 * For a conditional decision the evaluator lists every statement that applies or may apply.
 * With no Deny among them and no permissions boundary, nothing can take the Allow away on that
 * resource, so the decision there is `allowed` without asking again. Otherwise the evaluator is
 * asked on that resource (a Deny may or may not cover it).
 */
function onNarrowerResource(principal: ReturnType<typeof principalOf>, action: string, result: EvaluationResult): EvaluationResult {
  if (!result.dependsOn.some((d) => d.kind === 'resource')) return result;
  const nothingTakesAway = principal.permissionsBoundary === undefined && !result.statements.some((st) => st.effect === 'Deny' || st.boundary);
  const tried = new Set<string>();
  for (const st of result.statements) {
    if (st.effect !== 'Allow' || st.boundary || st.applies !== 'maybe' || st.resource?.element !== 'Resource') continue;
    if (st.conditions?.length || !st.dependsOn?.length || st.dependsOn.some((d) => d.kind !== 'resource')) continue;
    const pattern = st.resource.pattern;
    if (pattern === undefined || pattern === '*' || pattern.includes('${') || tried.has(pattern)) continue;
    tried.add(pattern);
    if (nothingTakesAway) {
      const { dependsOn: _unused, ...statement } = st;
      return {
        ...result,
        resource: pattern,
        decision: 'allowed',
        statements: [{ ...statement, applies: 'yes', resource: { element: 'Resource', pattern, matched: true } }],
        closest: [],
        dependsOn: [],
        reasons: [`Allowed on ${pattern}: an Allow statement grants it there with no condition, and no Deny or permissions boundary applies.`],
      };
    }
    const there = evaluate(principal, action, { resource: pattern });
    if (there.decision === 'allowed') return there;
  }
  return result;
}
