import { evaluate } from '../src/evaluator';
import { assertKnownAction } from '../src/iam';
import type { ActionEvidence } from '../src/report/evidence';
import { GUARDRAIL_OPTIONS, hintOf, optionsArg, stringArg, subjectArg } from './internal/args';
import { countDecisions, decisive, result } from './internal/message';
import { verdictsOf } from '../src/verdict';
import type { AllowActionOptions, ConnectIamMatcherImplementations } from './types';

/**
 * The action (a real IAM action; a wildcard pattern means every real action it matches) is
 * allowed with certainty: for a pattern, every matched action. `.not`: none of them is
 * allowed or conditional. An unknown action throws UnknownActionError with the closest names.
 */
export const toAllowAction: ConnectIamMatcherImplementations['toAllowAction'] = function (received, action, options) {
  const hint = hintOf(this, 'toAllowAction', 'action', options === undefined ? undefined : 'options');
  stringArg(this, hint, action, 'action');
  const opts = optionsArg<AllowActionOptions>(this, hint, options, { resource: 'string', context: 'context', ...GUARDRAIL_OPTIONS });
  const actions = assertKnownAction(action);
  const principal = subjectArg(this, hint, received);
  const evidence: ActionEvidence[] = actions.map((a) => ({ result: evaluate(principal, a.name, opts) }));
  const verdicts = verdictsOf({ kind: 'actions', results: evidence.map((e) => e.result) });
  const single = evidence.length === 1;
  const what = single ? `${evidence[0]!.result.action}` : `every one of the ${evidence.length} actions matching ${action}`;
  const whatNot = single ? `${evidence[0]!.result.action} certainly not allowed` : `none of the ${evidence.length} actions matching ${action} allowed or conditional`;
  const on = opts.resource === undefined ? 'on any resource' : `on ${opts.resource}`;
  return result(this, verdicts, () => ({
    hint: hint(),
    want: `${what} allowed ${on} with certainty`,
    wantNot: `${whatNot} ${on}`,
    received: single ? `${evidence[0]!.result.decision}` : countDecisions(evidence),
    evidence: decisive(evidence, this.isNot === true),
  }));
};
