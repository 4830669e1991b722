/**
 * The checks a rule can ask for, one pure function each: (principal, rule) -> tri-state
 * status, findings (what is wrong, where) and plain-text evidence. A registry keyed by
 * CheckId holds them (the rule/pack split): adding a check is adding one entry.
 *
 * Certainty: a check is compliant only when its verdict is `pass`. The verdict comes from
 * `verdictOf` (src/verdict), the one function the matchers use too, so a rule and the
 * matching assertion always agree; `conditional` is non-compliant both ways.
 */
import { checkReadOnly, checkStayWithin } from '../analysis';
import type { ReadOnlyResult, StayWithinResult } from '../analysis/types';
import { describeReach } from '../analysis/unresolved';
import { parseTaskRef } from '../catalog';
import type { CatalogTask } from '../catalog/types';
import { evaluate } from '../evaluator';
import { checkConsoleTaskOf } from '../evaluator/console';
import { givenResources, resourcesFor } from '../evaluator/resources';
import type { ConsoleTaskResult, EvaluateOptions, EvaluationResult, StatementExplain } from '../evaluator/types';
import { expandActionPattern } from '../iam';
import { managedPolicy } from '../managed';
import type { Principal, SourceLocation } from '../policy/types';
import {
  describeDecision,
  renderEvidenceList,
  renderReadOnlyEvidence,
  renderStayWithinEvidence,
  type ActionEvidence,
} from '../report/evidence';
import { resourceProblem } from './parse';
import type { CheckId, CheckResult, Finding, Rule } from './types';
import type { GuardrailOptions } from '../evaluator/guardrails/types';
import { verdictOf, type Verdict } from '../verdict';

export interface CheckDefinition {
  readonly id: CheckId;
  /** One line for reports: what the check asks. */
  readonly title: string;
  /** Runs only when the rule sets this expectation. */
  readonly applies: (rule: Rule) => boolean;
  readonly run: (principal: Principal, rule: Rule, guardrails?: GuardrailOptions) => Omit<CheckResult, 'check'>;
}

const MAX_ACTIONS_SHOWN = 12;

function contextOf(rule: Rule, guardrails?: GuardrailOptions): EvaluateOptions {
  return { ...guardrails, ...(rule.context !== undefined ? { context: rule.context } : {}) };
}

/** The evaluate options per resource the action is asked about: the rule's resources it fits, else any resource. */
function actionOptions(rule: Rule, action: string, guardrails?: GuardrailOptions): EvaluateOptions[] {
  const fitting = rule.resource === undefined ? [] : resourcesFor(givenResources(rule.resource, 'resource'), action);
  return fitting.length ? fitting.map((resource) => ({ ...contextOf(rule, guardrails), resource })) : [contextOf(rule, guardrails)];
}

/** Where a principal is written (for findings with no deciding statement). */
export function principalLocation(principal: Principal): SourceLocation | undefined {
  if (principal.source?.file) return principal.source;
  return principal.file ? { file: principal.file } : undefined;
}

function statementLocation(st: StatementExplain | undefined, principal: Principal): SourceLocation | undefined {
  return st?.location?.file ? st.location : principalLocation(principal);
}

function decidingLocation(result: EvaluationResult, principal: Principal): SourceLocation | undefined {
  return statementLocation(result.statements.find((s) => s.location?.file), principal);
}

function taskArgs(task: CatalogTask): [string, string] {
  return [task.page, task.id];
}

/** "Data storage / Edit call recording" as the user wrote it, resolved once per process. */
const taskCache = new Map<string, CatalogTask>();
function resolveTask(ref: string): CatalogTask {
  let t = taskCache.get(ref);
  if (!t) {
    t = parseTaskRef(ref);
    taskCache.set(ref, t);
  }
  return t;
}

function taskEvidence(result: ConsoleTaskResult, wanted: 'allowed' | 'denied'): string[] {
  const items: ActionEvidence[] = result.actions
    .filter((a) => (wanted === 'allowed' ? a.result.decision !== 'allowed' : a.result.decision === 'allowed' || a.result.decision === 'conditional'))
    .map((a) => ({ result: a.result, role: a.role, ...(a.from !== undefined ? { from: a.from } : {}) }));
  return renderEvidenceList(items, { indent: '  ', maxLines: 24, wanted, pinFor: 'rules' });
}

/** A rule built in code (presets) is not parsed: its resources are checked here, as the rules file does. */
const checkedResources = new WeakSet<Rule>();
function assertRuleResources(rule: Rule): void {
  if (rule.resource === undefined || checkedResources.has(rule)) return;
  const problem = resourceProblem(rule);
  if (problem) throw new Error(`rule '${rule.name}': resource ${problem}`);
  checkedResources.add(rule);
}

function consoleTasks(principal: Principal, rule: Rule, refs: readonly string[], want: 'granted' | 'not-granted', guardrails?: GuardrailOptions): Omit<CheckResult, 'check'> {
  assertRuleResources(rule);
  const check: CheckId = want === 'granted' ? 'grantConsoleTasks' : 'notGrantConsoleTasks';
  const findings: Finding[] = [];
  const evidence: string[] = [];
  // The rules file checked that each resource fits some action of the rule (not of every task).
  const results = refs.map((ref) => {
    const [page, name] = taskArgs(resolveTask(ref));
    return checkConsoleTaskOf(principal, page, name, {
      ...contextOf(rule, guardrails),
      ...(rule.resource !== undefined ? { resource: rule.resource } : {}),
      prerequisites: true,
    });
  });
  const form = want === 'granted' ? 'positive' : 'negative';
  const verdict = verdictOf({ kind: 'consoleTasks', results }, form);
  refs.forEach((ref, i) => {
    const result = results[i]!;
    if (verdictOf({ kind: 'consoleTask', result }, form) === 'pass') return;
    const wording =
      want === 'granted'
        ? result.granted === 'no' ? 'is not granted' : 'is only conditionally granted'
        : result.granted === 'yes' ? 'is granted' : 'may be granted (conditional)';
    const decisive =
      want === 'granted'
        ? result.actions.find((a) => a.result.decision !== 'allowed')
        : result.actions.find((a) => a.result.decision === 'allowed') ?? result.actions.find((a) => a.result.decision === 'conditional');
    findings.push({
      check,
      subject: ref,
      message: `console task '${ref}' ${wording}`,
      location: decisive ? decidingLocation(decisive.result, principal) : principalLocation(principal),
    });
    evidence.push(`console task '${ref}' ${wording}:`, ...taskEvidence(result, want === 'granted' ? 'allowed' : 'denied'));
  });
  return statusOf(verdict, { findings, evidence, subjects: findings.map((f) => f.subject) });
}

/** A check's result from its verdict (the only way a check becomes compliant). */
function statusOf(verdict: Verdict, rest: Omit<CheckResult, 'check' | 'status' | 'verdict'>): Omit<CheckResult, 'check'> {
  return verdict === 'pass' ? { status: 'compliant', verdict, findings: [], evidence: [] } : { status: 'non-compliant', verdict, ...rest };
}

function actions(principal: Principal, rule: Rule, patterns: readonly string[], want: 'allowed' | 'denied', guardrails?: GuardrailOptions): Omit<CheckResult, 'check'> {
  assertRuleResources(rule);
  const check: CheckId = want === 'allowed' ? 'allowActions' : 'notAllowActions';
  const bad: ActionEvidence[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const results: EvaluationResult[] = [];
  const form = want === 'allowed' ? 'positive' : 'negative';
  for (const pattern of patterns) {
    for (const action of expandActionPattern(pattern)) {
      if (seen.has(action.name)) continue;
      seen.add(action.name);
      // One result per resource of the rule the action fits (else any resource): all must pass.
      for (const options of actionOptions(rule, action.name, guardrails)) {
        const result = evaluate(principal, action.name, options);
        results.push(result);
        if (verdictOf({ kind: 'actions', results: [result] }, form) === 'pass') continue;
        bad.push({ result });
        findings.push({
          check,
          subject: action.name,
          message: `${action.name}${options.resource !== undefined ? ` on ${options.resource}` : ''} is ${describeDecision(result.decision)}` + (want === 'allowed' ? '' : ' (must not be allowed)'),
          location: decidingLocation(result, principal),
        });
      }
    }
  }
  const evidence = bad.length ? renderEvidenceList(bad.slice(0, MAX_ACTIONS_SHOWN * 4), { indent: '  ', maxLines: 24, wanted: want, pinFor: 'rules' }) : [];
  return statusOf(verdictOf({ kind: 'actions', results }, form), { findings, evidence, subjects: findings.map((f) => f.subject) });
}

/** What makes an analysis fail: the offending actions, unknown parts and unknown patterns. */
function analysisSubjects(result: ReadOnlyResult | StayWithinResult): string[] {
  const actions = result.check === 'readOnly' ? result.offending.map((o) => o.action) : result.newAccess.map((n) => n.action);
  const subjects = [...actions, ...result.unresolved.map((u) => `unresolved:${u.policy}`), ...result.unknownPatterns.map((u) => u.pattern)];
  return subjects.length ? [...new Set(subjects)] : [`${result.check}:failed`];
}

/** Findings for an analysis: one per offending statement group, one per unknown part. */
function analysisFindings(check: CheckId, principal: Principal, result: ReadOnlyResult | StayWithinResult, what: string): Finding[] {
  const findings: Finding[] = [];
  for (const g of result.byStatement) {
    findings.push({
      check,
      subject: g.actions[0] ?? what,
      message: `statement ${g.statement.sid ? `"${g.statement.sid}"` : `Statement[${g.statement.index}]`} of ${g.statement.policy} allows ${g.actions.length} ${g.actions.length === 1 ? what.replace('actions', 'action') : what}: ${g.actions.slice(0, 4).join(', ')}${g.actions.length > 4 ? ', ...' : ''}`,
      location: statementLocation(g.statement, principal),
    });
  }
  for (const u of result.unresolved) {
    findings.push({
      check,
      subject: u.policy,
      message: `${u.policy}${u.path ? ` ${u.path}` : ''}: ${u.description} is unknown, so ${describeReach(u)}`,
      location: principalLocation(principal),
    });
  }
  for (const u of result.unknownPatterns) {
    findings.push({
      check,
      subject: u.pattern,
      message: `${u.policy} Statement[${u.index}] allows '${u.pattern}', which matches no known action`,
      location: principalLocation(principal),
    });
  }
  if (findings.length === 0 && !result.pass) {
    findings.push({ check, subject: what, message: result.reasons[0] ?? `fails ${check}`, location: principalLocation(principal) });
  }
  return findings;
}

export const CHECKS: readonly CheckDefinition[] = [
  {
    id: 'readOnly',
    title: 'is read-only',
    applies: (rule) => rule.expect.readOnly !== undefined,
    run: (principal, rule, guardrails) => {
      const ro = rule.expect.readOnly;
      const allow = typeof ro === 'object' ? ro.allow : undefined;
      const result = checkReadOnly(principal, { ...guardrails, ...(allow ? { allow } : {}) });
      return statusOf(verdictOf({ kind: 'readOnly', result }, 'positive'), {
        findings: analysisFindings('readOnly', principal, result, 'non-read actions'),
        evidence: [...result.reasons.slice(0, 1), ...renderReadOnlyEvidence(result, { indent: '  ', pinFor: 'rules' })],
        subjects: analysisSubjects(result),
      });
    },
  },
  {
    id: 'stayWithin',
    title: 'stays within a baseline',
    applies: (rule) => rule.expect.stayWithin !== undefined,
    run: (principal, rule, guardrails) => {
      const named = managedPolicy(rule.expect.stayWithin!);
      const pinned = rule.managedPolicyVersions?.[named.name] ?? rule.managedPolicyVersions?.[rule.expect.stayWithin!];
      const baseline = pinned ? managedPolicy(named.name, { version: pinned }) : named;
      const result = checkStayWithin(principal, baseline, { ...guardrails, ...(rule.context ? { context: rule.context } : {}) });
      return statusOf(verdictOf({ kind: 'stayWithin', result }, 'positive'), {
        findings: analysisFindings('stayWithin', principal, result, `actions beyond ${result.baseline}`),
        evidence: [...result.reasons.slice(0, 1), ...renderStayWithinEvidence(result, { indent: '  ', pinFor: 'rules' })],
        subjects: analysisSubjects(result),
      });
    },
  },
  {
    id: 'grantConsoleTasks',
    title: 'grants console tasks',
    applies: (rule) => rule.expect.grantConsoleTasks !== undefined,
    run: (principal, rule, guardrails) => consoleTasks(principal, rule, rule.expect.grantConsoleTasks!, 'granted', guardrails),
  },
  {
    id: 'notGrantConsoleTasks',
    title: 'does not grant console tasks',
    applies: (rule) => rule.expect.notGrantConsoleTasks !== undefined,
    run: (principal, rule, guardrails) => consoleTasks(principal, rule, rule.expect.notGrantConsoleTasks!, 'not-granted', guardrails),
  },
  {
    id: 'allowActions',
    title: 'allows actions',
    applies: (rule) => rule.expect.allowActions !== undefined,
    run: (principal, rule, guardrails) => actions(principal, rule, rule.expect.allowActions!, 'allowed', guardrails),
  },
  {
    id: 'notAllowActions',
    title: 'does not allow actions',
    applies: (rule) => rule.expect.notAllowActions !== undefined,
    run: (principal, rule, guardrails) => actions(principal, rule, rule.expect.notAllowActions!, 'denied', guardrails),
  },
];

/**
 * Run every check a rule asks for on one principal. A check that throws becomes a result
 * with `error` (reported, never a pass).
 */
export function runChecks(principal: Principal, rule: Rule, guardrails?: GuardrailOptions): CheckResult[] {
  const out: CheckResult[] = [];
  for (const def of CHECKS) {
    if (!def.applies(rule)) {
      continue;
    }
    try {
      out.push({ check: def.id, ...def.run(principal, rule, guardrails) });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      out.push({
        check: def.id,
        status: 'non-compliant',
        findings: [{ check: def.id, subject: def.id, message: `the check failed: ${message}`, location: principalLocation(principal) }],
        evidence: [],
        error: message,
      });
    }
  }
  return out;
}
