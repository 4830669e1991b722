import { checkStayWithin } from '../src/analysis';
import { renderStayWithinEvidence } from '../src/report/evidence';
import { GUARDRAIL_OPTIONS, hintOf, optionsArg, stringArg, subjectArg } from './internal/args';
import { result, unknowns } from './internal/message';
import { verdictsOf } from '../src/verdict';
import type { ConnectIamMatcherImplementations, StayWithinMatcherOptions } from './types';

/**
 * The subject allows nothing the baseline does not allow, for every action of the IAM action
 * list and any resource. `baseline`: a managed policy name or ARN (unknown: throws
 * UnknownManagedPolicyError with the closest names) or anything a matcher receives. `.not`:
 * some action is certainly allowed by the subject and certainly not by the baseline.
 */
export const toStayWithin: ConnectIamMatcherImplementations['toStayWithin'] = function (received, baseline, options) {
  const hint = hintOf(this, 'toStayWithin', 'baseline', options === undefined ? undefined : 'options');
  const opts = optionsArg<StayWithinMatcherOptions>(this, hint, options, { allow: 'stringArray', context: 'context', ...GUARDRAIL_OPTIONS });
  if (typeof baseline === 'string') stringArg(this, hint, baseline, 'baseline');
  else subjectArg(this, hint, baseline, 'baseline'); // validates (and caches the principal)
  const principal = subjectArg(this, hint, received);
  const check = checkStayWithin(principal, baseline, opts);
  const definite = check.newAccess.filter((n) => n.kind === 'definite').length;
  const possible = check.newAccess.length - definite;
  // The question asked is "does it stay within?": `.not` passes when some new access is certain.
  return result(this, verdictsOf({ kind: 'stayWithin', result: check }), () => ({
    hint: hint(),
    want: `allows nothing beyond ${check.baseline}, for every action and any resource`,
    wantNot: `allows some action that ${check.baseline} certainly does not allow`,
    received: check.pass
      ? `stays within ${check.baseline} (compared the ${check.evaluated} actions its Allow statements match)`
      : `${definite} action${definite === 1 ? '' : 's'} beyond ${check.baseline}, ${possible} possibly beyond${unknowns(check)}`,
    detail: (style) => renderStayWithinEvidence(check, { style }),
  }));
};
