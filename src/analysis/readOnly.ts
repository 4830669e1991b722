/**
 * checkReadOnly: does the subject allow (or possibly allow) any action whose access level
 * is Write, Permissions management or Tagging, on any resource?
 *
 * Steps: (1) prefilter the IAM action list to actions some Allow statement matches
 * (wildcards and NotAction expanded over the whole list); (2) keep the write-like ones
 * (access levels after the project's overrides; an action without any level counts as
 * write-like, closed) minus the user's `allow` list; (3) evaluate each on resource '*':
 * `allowed` or `conditional` offends, `explicitDeny`/`implicitDeny` does not (so a certain
 * explicit Deny subtracts it, an uncertain Deny does not). Any unresolved part of the
 * subject, and any Allow pattern that matches no known action (its access level is unknown),
 * fails the check.
 */
import { evaluate } from '../evaluator';
import { WRITE_LIKE_LEVELS } from '../iam';
import type { IamAction } from '../iam/types';
import { acceptedActions } from './accept';
import { allowCandidates } from './candidates';
import { groupByStatement } from './group';
import { principalOf } from './subject';
import type { OffendingAction, ReadOnlyOptions, ReadOnlyResult } from './types';
import { describeUnresolvedPart, unresolvedParts } from './unresolved';
import { keptEvidence } from './evidence';
import { guardrailOptions } from './candidates';

/** Write, Permissions management or Tagging (or no level known at all). */
export function isNonRead(action: IamAction): boolean {
  return action.accessLevels.length === 0 || action.accessLevels.some((l) => WRITE_LIKE_LEVELS.includes(l));
}

export function checkReadOnly(subject: unknown, options: ReadOnlyOptions = {}): ReadOnlyResult {
  const accept = acceptedActions(options.allow);
  const principal = principalOf(subject);
  const unresolved = unresolvedParts(principal);
  const { actions, unknownPatterns } = allowCandidates(principal, options.resourcePolicies);
  const guard = guardrailOptions(options);

  const offending: OffendingAction[] = [];
  const accepted: string[] = [];
  let evaluated = 0;
  for (const action of actions) {
    if (!isNonRead(action)) continue;
    evaluated++;
    const result = evaluate(principal, action.name, guard);
    if (result.decision !== 'allowed' && result.decision !== 'conditional') continue;
    if (accept.has(action.name.toLowerCase())) {
      accepted.push(action.name);
      continue;
    }
    offending.push({ action: action.name, accessLevels: action.accessLevels, decision: result.decision, result: keptEvidence(result) });
  }

  const reasons: string[] = [];
  const allowedCount = offending.filter((o) => o.decision === 'allowed').length;
  const conditionalCount = offending.length - allowedCount;
  if (allowedCount) reasons.push(`It allows ${allowedCount} non-read action${allowedCount === 1 ? '' : 's'} (Write, Permissions management or Tagging).`);
  if (conditionalCount) reasons.push(`It may allow ${conditionalCount} more, depending on conditions, resources or unresolved values.`);
  for (const part of unresolved) reasons.push(`Unknown part, so nothing it grants can be ruled out: ${describeUnresolvedPart(part)}.`);
  for (const u of unknownPatterns) {
    reasons.push(`policy "${u.policy}" Statement[${u.index}] allows '${u.pattern}', which matches no action in the IAM action data: its access level is unknown.`);
  }
  return {
    check: 'readOnly',
    pass: reasons.length === 0,
    reasons,
    unresolved,
    unknownPatterns,
    offending,
    accepted,
    byStatement: groupByStatement(offending),
    evaluated,
  };
}
