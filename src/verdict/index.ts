/**
 * The verdict of an expectation: `pass`, `fail` or `conditional`, for its positive and its
 * negative form, computed from result data by ONE function, `verdictOf`, that every front end
 * calls (the matchers, the rules engine behind `check`, and so the presets, which run rules).
 *
 * The rule (security-relevant): an expectation passes only when the engine's answer for what
 * it asks is certain. It fails when the answer certainly contradicts it, and is `conditional`
 * otherwise; `conditional` fails both the positive and the negative form.
 *
 * Unknowns count only where they can change the answer. The evaluator is sound per action:
 * an unknown makes an action `conditional` exactly when it could change that action's
 * decision (an unresolved policy document, Action or NotAction: any action; an unresolved
 * Effect, Resource, NotResource or condition: that statement's actions; a template condition:
 * what it guards; an unknown permissions boundary: the actions the policies allow). So the
 * verdict adds nothing of its own for the action questions. The whole-action-list analyses
 * evaluate only the actions some Allow statement may match; what they cannot evaluate per
 * action (a policy whose document is unknown, an Allow pattern that matches no known action)
 * they report as blocking unknowns, and those count here.
 */
import type { PrincipalDrift } from '../analysis/drift';
import type { ReadOnlyResult, StayWithinResult } from '../analysis/types';
import type { ConsoleTaskResult, Decision } from '../evaluator/types';

export type Verdict = 'pass' | 'fail' | 'conditional';

/** Positive: `expect(x).toX()`, a `grant`/`allow` rule. Negative: `.not.toX()`, a `notGrant`/`notAllow` rule. */
export type Form = 'positive' | 'negative';

/**
 * What an expectation asks about, with the result data the engine gave for it.
 *
 * | kind           | positive form passes when                  | negative form passes when                      |
 * |----------------|--------------------------------------------|------------------------------------------------|
 * | `actions`      | every action is `allowed`                  | every action is certainly denied (none allowed or conditional) |
 * | `consoleTask`  | every action of the task is `allowed`      | some action of the task is certainly denied    |
 * | `consoleTasks` | every task is granted (as above)           | every task is certainly not granted (as above) |
 * | `readOnly`     | no non-read action allowed or conditional, no blocking unknown | some non-read action is certainly allowed |
 * | `stayWithin`   | no new access, definite or possible, no blocking unknown       | some new access is definite               |
 *
 * `consoleTasks` is a console page (`toGrantConsolePage`) and a rule's list of tasks.
 */
export type Question =
  | { readonly kind: 'actions'; readonly results: readonly { readonly decision: Decision }[] }
  | { readonly kind: 'consoleTask'; readonly result: Pick<ConsoleTaskResult, 'actions'> }
  | { readonly kind: 'consoleTasks'; readonly results: readonly Pick<ConsoleTaskResult, 'actions'>[] }
  | { readonly kind: 'readOnly'; readonly result: Pick<ReadOnlyResult, 'offending' | 'unresolved' | 'unknownPatterns'> }
  | { readonly kind: 'stayWithin'; readonly result: Pick<StayWithinResult, 'newAccess' | 'unresolved' | 'unknownPatterns'> }
  /** toMatchAccount: positive passes when the pair is certainly the same, negative when it certainly differs. */
  | { readonly kind: 'drift'; readonly result: Pick<PrincipalDrift, 'status'> };

/** Both forms at once, for a front end that renders either. */
export interface Verdicts {
  readonly positive: Verdict;
  readonly negative: Verdict;
}

/** Is it so? 'unknown' when the engine's answer is conditional. */
type Tri = 'yes' | 'no' | 'unknown';

const allowedTri = (d: Decision): Tri => (d === 'allowed' ? 'yes' : d === 'conditional' ? 'unknown' : 'no');

/** "Every item is `want`": pass when all certainly are, fail when one certainly is not, else conditional. */
function every(items: Iterable<Tri>, want: 'yes' | 'no'): Verdict {
  let out: Verdict = 'pass';
  for (const t of items) {
    if (t === 'unknown') out = 'conditional';
    else if (t !== want) return 'fail';
  }
  return out;
}

/** "Some item is `want`": pass when one certainly is, fail when none can be, else conditional. */
function some(items: Iterable<Tri>, want: 'yes' | 'no'): Verdict {
  let out: Verdict = 'fail';
  for (const t of items) {
    if (t === want) return 'pass';
    if (t === 'unknown') out = 'conditional';
  }
  return out;
}

/** Combine per-part verdicts that must all pass. */
function all(verdicts: Iterable<Verdict>): Verdict {
  let out: Verdict = 'pass';
  for (const v of verdicts) {
    if (v === 'fail') return 'fail';
    if (v === 'conditional') out = 'conditional';
  }
  return out;
}

/**
 * Per action of the task: an action asked about several given resources (one entry per
 * resource) is 'yes' when allowed on each, 'no' only when denied on each, else 'unknown' (granted
 * on some of the resources only: neither form may pass, or `.not` would hide the others).
 */
function* taskActions(task: Pick<ConsoleTaskResult, 'actions'>): Generator<Tri> {
  const byAction = new Map<string, Tri>();
  for (const a of task.actions) {
    const key = `${a.action}\u0000${a.role}\u0000${a.from ?? ''}`;
    const t = allowedTri(a.result.decision);
    const prev = byAction.get(key);
    byAction.set(key, prev === undefined || prev === t ? t : 'unknown');
  }
  yield* byAction.values();
}

function taskVerdict(task: Pick<ConsoleTaskResult, 'actions'>, form: Form): Verdict {
  return form === 'positive' ? every(taskActions(task), 'yes') : some(taskActions(task), 'no');
}

/**
 * The analyses' items, as "is this a violation?": a certain one ('yes'), a possible one or a
 * blocking unknown ('unknown'). Actions that are not listed are certainly no violation.
 */
function* violations(result: Question & { kind: 'readOnly' | 'stayWithin' }): Generator<Tri> {
  if (result.kind === 'readOnly') for (const o of result.result.offending) yield o.decision === 'allowed' ? 'yes' : 'unknown';
  else for (const n of result.result.newAccess) yield n.kind === 'definite' ? 'yes' : 'unknown';
  for (const _ of result.result.unresolved) yield 'unknown';
  for (const _ of result.result.unknownPatterns) yield 'unknown';
}

/** The verdict of one expectation in one form. The only place a front end's pass/fail comes from. */
export function verdictOf(question: Question, form: Form): Verdict {
  switch (question.kind) {
    case 'actions': {
      const items = question.results.map((r) => allowedTri(r.decision));
      return every(items, form === 'positive' ? 'yes' : 'no');
    }
    case 'consoleTask':
      return taskVerdict(question.result, form);
    case 'consoleTasks':
      return all(question.results.map((t) => taskVerdict(t, form)));
    case 'readOnly':
    case 'stayWithin':
      return form === 'positive' ? every(violations(question), 'no') : some(violations(question), 'yes');
    case 'drift': {
      const s = question.result.status;
      if (s === 'unknown') return 'conditional';
      return (s === 'same') === (form === 'positive') ? 'pass' : 'fail';
    }
  }
}

/** Both forms' verdicts. */
export function verdictsOf(question: Question): Verdicts {
  return { positive: verdictOf(question, 'positive'), negative: verdictOf(question, 'negative') };
}
