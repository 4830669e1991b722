import { checkConsolePage } from '../src/evaluator';
import { resourcePinHint, type ActionEvidence } from '../src/report/evidence';
import { hintOf, optionsArg, stringArg, subjectArg } from './internal/args';
import { decisive, result } from './internal/message';
import { verdictsOf } from '../src/verdict';
import { CONSOLE_TASK_OPTIONS } from './toGrantConsoleTask';
import type { ConnectIamMatcherImplementations, ConsoleTaskOptions } from './types';

/**
 * Every task on the console page (all sections) is granted with certainty. `.not` is read
 * strictly: NO task on the page is granted or conditional (every task certainly not granted),
 * not merely "some task is missing", so a negative page assertion cannot pass while most of
 * the page is usable.
 */
export const toGrantConsolePage: ConnectIamMatcherImplementations['toGrantConsolePage'] = function (received, page, options) {
  const hint = hintOf(this, 'toGrantConsolePage', 'page', options === undefined ? undefined : 'options');
  stringArg(this, hint, page, 'page');
  const opts = optionsArg<ConsoleTaskOptions>(this, hint, options, CONSOLE_TASK_OPTIONS);
  const principal = subjectArg(this, hint, received);
  const tasks = checkConsolePage(principal, page, opts);
  const count = (g: 'yes' | 'no' | 'conditional'): number => tasks.filter((t) => t.granted === g).length;
  const yes = count('yes');
  const no = count('no');
  const pageName = tasks[0]?.page ?? page;
  return result(this, verdictsOf({ kind: 'consoleTasks', results: tasks }), () => {
    const isNot = this.isNot === true;
    // Actions of the tasks that decided the failure, each action once (prerequisites repeat).
    const seen = new Set<string>();
    const evidence: ActionEvidence[] = [];
    for (const t of tasks) {
      if (isNot ? t.granted === 'no' : t.granted === 'yes') continue;
      for (const a of t.actions) {
        const key = `${a.result.action}\u0000${a.result.resource}`;
        if (seen.has(key)) continue;
        seen.add(key);
        evidence.push({ result: a.result, role: a.role, from: a.from, task: t.task });
      }
    }
    const off = tasks.filter((t) => (isNot ? t.granted !== 'no' : t.granted !== 'yes')).map((t) => `${t.task} (${t.granted === 'yes' ? 'granted' : t.granted === 'no' ? 'not granted' : 'conditional'})`);
    // One resource hint for the page: the per-task hints merged by service.
    const merged: Record<string, string[]> = {};
    for (const t of tasks) {
      for (const [service, list] of Object.entries(t.resourcePin ?? {})) {
        const into = (merged[service] ??= []);
        for (const r of list) if (!into.includes(r)) into.push(r);
      }
    }
    const resourcePin = resourcePinHint(Object.keys(merged).length ? merged : undefined);
    return {
      ...(resourcePin !== undefined ? { resourcePin } : {}),
      hint: hint(),
      want: `every task on console page "${pageName}" granted with certainty (${tasks.length} tasks)`,
      wantNot: `no task on console page "${pageName}" granted: every task certainly not granted (${tasks.length} tasks)`,
      received: `${yes} granted, ${count('conditional')} conditional, ${no} not granted${off.length ? `; ${off.slice(0, 4).join(', ')}${off.length > 4 ? `, and ${off.length - 4} more` : ''}` : ''}`,
      evidence: decisive(evidence, isNot),
    };
  });
};
