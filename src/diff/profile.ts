/**
 * What one principal grants, as the diff compares it: the answer for every console task of
 * the catalog (src/evaluator/console.ts checkConsoleTask, prerequisites included), every
 * non-read action it allows or may allow (the read-only analysis over the whole IAM action
 * list), and its unknown parts. Computed only for principals whose fingerprint differs
 * between the two sides.
 */
import { checkReadOnly } from '../analysis/readOnly';
import { describeUnresolvedPart } from '../analysis/unresolved';
import { allowCandidates } from '../analysis/candidates';
import { checkConsoleTask, evaluate } from '../evaluator';
import type { Decision, EvaluationResult } from '../evaluator/types';
import type { GuardrailNote, GuardrailOptions } from '../evaluator/guardrails/types';
import type { Principal, SourceLocation } from '../policy/types';
import { describeDependency } from '../report/evidence';
import { matrixTasks, type MatrixTask } from '../rules/matrix';
import { parseTaskRef } from '../catalog';
import type { TaskAnswer } from './types';

export interface TaskProfile {
  readonly id: string;
  readonly page: string;
  readonly task: string;
  readonly ref: string;
  readonly answer: TaskAnswer;
  readonly dependsOn: readonly string[];
  /** The guardrails (SCP, RCP, resource policy) that deny or withhold an action of the task, in words. */
  readonly deniedBy: readonly string[];
}

export interface ActionProfile {
  readonly action: string;
  readonly decision: Extract<Decision, 'allowed' | 'conditional'>;
  readonly dependsOn: readonly string[];
  /** The first Allow statement that decided it (file and line), when known. */
  readonly location?: SourceLocation;
}

export interface AccessProfile {
  readonly tasks: ReadonlyMap<string, TaskProfile>;
  /** Non-read (Write, Permissions management, Tagging, or no level) actions allowed or possibly allowed. */
  readonly nonRead: ReadonlyMap<string, ActionProfile>;
  /** Unknown parts, in words ("policy \"X\": !ImportValue Shared-Arn"). */
  readonly unresolved: readonly string[];
}

let tasks: readonly MatrixTask[] | undefined;
function catalogTasks(): readonly MatrixTask[] {
  return (tasks ??= matrixTasks());
}

const MAX_DEPENDS = 4;

export function dependsOnText(results: readonly EvaluationResult[]): string[] {
  const out = new Set<string>();
  for (const r of results) {
    if (r.decision !== 'conditional') continue;
    for (const d of r.dependsOn) {
      out.add(describeDependency(d));
      if (out.size >= MAX_DEPENDS) return [...out];
    }
  }
  return [...out];
}

export function firstAllowLocation(result: EvaluationResult): SourceLocation | undefined {
  const st = result.statements.find((s) => s.effect === 'Allow' && s.location?.file !== undefined);
  return st?.location;
}

const KIND: Readonly<Record<GuardrailNote['kind'], string>> = { scp: 'SCP', rcp: 'RCP', session: 'session policy', resourcePolicy: 'resource policy' };
const WITHHOLDS: ReadonlySet<GuardrailNote['effect']> = new Set(['denied', 'allowsNothing', 'notGranted']);

/** The guardrails that deny or withhold any of these results ("SCP deny-connect.json at ou-prod denies"). */
export function deniedByText(results: readonly EvaluationResult[]): string[] {
  const out = new Set<string>();
  for (const r of results) {
    for (const n of r.guardrails ?? []) {
      if (!WITHHOLDS.has(n.effect)) continue;
      const what = n.effect === 'denied' ? 'denies' : n.effect === 'allowsNothing' ? 'allows nothing' : 'grants neither the principal nor the account';
      out.add(`${KIND[n.kind]}${n.policy ? ` ${n.policy}` : ''}${n.level ? ` at ${n.level}` : ''} ${what}`);
    }
  }
  return [...out];
}

/**
 * `guardrails`: the organization (SCP/RCP levels) and resource policies that apply to the
 * principal at its side (the rules file's sections, as `check` resolves them).
 */
export function profileOf(principal: Principal, guardrails?: GuardrailOptions): AccessProfile {
  const taskMap = new Map<string, TaskProfile>();
  for (const t of catalogTasks()) {
    const r = checkConsoleTask(principal, parseTaskRef(t.ref).page, t.id, { prerequisites: true, ...guardrails });
    taskMap.set(t.id, {
      id: t.id,
      page: t.page,
      task: t.task,
      ref: `${t.page} / ${t.task}`,
      answer: r.granted,
      dependsOn: r.granted === 'conditional' ? dependsOnText(r.actions.map((a) => a.result)) : [],
      deniedBy: r.granted === 'yes' ? [] : deniedByText(r.actions.map((a) => a.result)),
    });
  }
  const ro = checkReadOnly(principal, guardrails ?? {});
  const nonRead = new Map<string, ActionProfile>();
  for (const o of ro.offending) {
    const location = firstAllowLocation(o.result);
    nonRead.set(o.action, {
      action: o.action,
      decision: o.decision,
      dependsOn: o.decision === 'conditional' ? dependsOnText([o.result]) : [],
      ...(location ? { location } : {}),
    });
  }
  const unresolved = [
    ...ro.unresolved.map(describeUnresolvedPart),
    ...ro.unknownPatterns.map((u) => `policy "${u.policy}" Statement[${u.index}] allows '${u.pattern}', which matches no known action`),
  ];
  return { tasks: taskMap, nonRead, unresolved };
}

/**
 * How many actions (any access level) the principal allows or may allow on any resource, with
 * the guardrails of its side (an action an SCP denies is not counted, as in the task profile).
 */
export function countAllowedActions(principal: Principal, guardrails?: GuardrailOptions): number {
  let n = 0;
  for (const a of allowCandidates(principal).actions) {
    const d = evaluate(principal, a.name, guardrails ?? {}).decision;
    if (d === 'allowed' || d === 'conditional') n++;
  }
  return n;
}
