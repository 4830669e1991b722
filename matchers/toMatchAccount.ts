import { comparePrincipals } from '../src/analysis/drift';
import { renderPairLines } from '../src/report/drift';
import { hintOf, subjectArg } from './internal/args';
import { result } from './internal/message';
import { verdictsOf } from '../src/verdict';
import type { ConnectIamMatcherImplementations } from './types';

/**
 * The repo principal (received) grants what the account principal (from
 * loadAccountAuthorizationDetails) grants: the same console tasks, the same non-read actions, and
 * neither allows an action beyond the other. Passes only when that is certain; `.not` passes only
 * when some difference is certain. A conditional answer or an unknown part on either side (an
 * unresolved intrinsic, a policy document missing from the dump) fails both.
 */
export const toMatchAccount: ConnectIamMatcherImplementations['toMatchAccount'] = function (received, account) {
  const hint = hintOf(this, 'toMatchAccount', 'accountPrincipal');
  const repo = subjectArg(this, hint, received);
  const other = subjectArg(this, hint, account, 'accountPrincipal');
  const drift = comparePrincipals(repo, other);
  const accountName = other.arn ?? other.id;
  return result(this, verdictsOf({ kind: 'drift', result: drift }), () => ({
    hint: hint(),
    want: `grants what ${accountName} grants in the account (console tasks, non-read actions, every action)`,
    wantNot: `differs from ${accountName} with certainty`,
    received:
      drift.status === 'same'
        ? drift.identicalDocuments
          ? 'the same policy documents as the account'
          : 'no difference in console tasks, non-read actions or any action'
        : drift.reasons.join(' '),
    detail: (style) => ['Differences:', ...renderPairLines(drift, { indent: '  ', style })],
  }));
};
