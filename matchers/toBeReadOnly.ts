import { checkReadOnly } from '../src/analysis';
import { renderReadOnlyEvidence } from '../src/report/evidence';
import { GUARDRAIL_OPTIONS, hintOf, optionsArg, subjectArg } from './internal/args';
import { result, unknowns } from './internal/message';
import { verdictsOf } from '../src/verdict';
import type { ConnectIamMatcherImplementations, ReadOnlyMatcherOptions } from './types';

/**
 * The subject allows (or may allow) no Write, Permissions management or Tagging action on any
 * resource, over the whole IAM action list (wildcards and NotAction expanded, certain explicit
 * denies subtracted). `.not`: some non-read action is certainly allowed.
 */
export const toBeReadOnly: ConnectIamMatcherImplementations['toBeReadOnly'] = function (received, options) {
  const hint = hintOf(this, 'toBeReadOnly', options === undefined ? '' : 'options');
  const opts = optionsArg<ReadOnlyMatcherOptions>(this, hint, options, { allow: 'stringArray', ...GUARDRAIL_OPTIONS });
  const principal = subjectArg(this, hint, received);
  const check = checkReadOnly(principal, opts);
  const allowed = check.offending.filter((o) => o.decision === 'allowed').length;
  const conditional = check.offending.length - allowed;
  // The question asked is "is it read-only?": `.not` passes when some non-read action is certainly allowed.
  return result(this, verdictsOf({ kind: 'readOnly', result: check }), () => ({
    hint: hint(),
    want: 'read-only: no Write, Permissions management or Tagging action allowed or conditionally allowed',
    wantNot: 'not read-only: some Write, Permissions management or Tagging action allowed with certainty',
    received: check.pass
      ? `read-only (its Allow statements match ${check.evaluated} non-read actions; none is allowed)`
      : `${allowed} non-read action${allowed === 1 ? '' : 's'} allowed, ${conditional} conditional${unknowns(check)}`,
    detail: (style) => renderReadOnlyEvidence(check, { style }),
  }));
};
