import { checkConsoleTask } from '../src/evaluator';
import { resourcePinHint, type ActionEvidence } from '../src/report/evidence';
import { GUARDRAIL_OPTIONS, hintOf, optionsArg, stringArg, subjectArg } from './internal/args';
import { countDecisions, decisive, result } from './internal/message';
import { verdictsOf } from '../src/verdict';
import type { ConnectIamMatcherImplementations, ConsoleTaskOptions } from './types';

export const CONSOLE_TASK_OPTIONS = { prerequisites: 'boolean', context: 'context', resource: 'resources', ...GUARDRAIL_OPTIONS } as const;

/**
 * Every action of the console task, and of its prerequisites unless `prerequisites: false`,
 * is allowed with certainty. `.not`: some action is certainly not allowed. An unknown page or
 * task throws (with the closest names), in both directions.
 */
export const toGrantConsoleTask: ConnectIamMatcherImplementations['toGrantConsoleTask'] = function (received, page, task, options) {
  const hint = hintOf(this, 'toGrantConsoleTask', 'page', options === undefined ? 'task' : 'task, options');
  stringArg(this, hint, page, 'page');
  stringArg(this, hint, task, 'task');
  const opts = optionsArg<ConsoleTaskOptions>(this, hint, options, CONSOLE_TASK_OPTIONS);
  const principal = subjectArg(this, hint, received);
  const check = checkConsoleTask(principal, page, task, opts);
  // Everything below the verdicts is message text: built only when Jest asks for the message.
  return result(this, verdictsOf({ kind: 'consoleTask', result: check }), () => {
    const answer = check.granted;
    const evidence: ActionEvidence[] = check.actions.map((a) => ({ result: a.result, role: a.role, from: a.from }));
    const resourcePin = resourcePinHint(check.resourcePin);
    const label = `console task "${check.page} / ${check.task}"`;
    const scope = opts.prerequisites === false ? 'every own action' : 'every action, prerequisites included,';
    return {
      hint: hint(),
      want: `${label} granted: ${scope} allowed with certainty`,
      wantNot: `${label} not granted: some action certainly not allowed`,
      received:
        answer === 'yes'
          ? `granted: ${evidence.length} of ${evidence.length} actions allowed`
          : `${answer === 'no' ? 'not granted' : 'conditional'}: ${countDecisions(evidence)} (of ${evidence.length} actions)`,
      evidence: decisive(evidence, this.isNot === true),
      ...(resourcePin !== undefined ? { resourcePin } : {}),
    };
  });
};
