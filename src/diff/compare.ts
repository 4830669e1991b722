/**
 * Compare what a principal grants at the base and at the head.
 *
 * Answers are ordered no < conditional < yes (tasks) and absent < conditional < allowed
 * (non-read actions): a step up is a gain, a step down a loss, so "Edit call recording went
 * from no to conditional" is a possible gain and counts as gained (fail closed). `toStayWithin`
 * is run both ways over the whole IAM action list; an action it reports where both sides give
 * the same conditional answer from the same statements (an unchanged condition or unknown) is
 * not new access, everything else it reports is.
 */
import { checkStayWithin } from '../analysis/stayWithin';
import { allowCandidates } from '../analysis/candidates';
import { evaluate } from '../evaluator';
import type { GuardrailOptions } from '../evaluator/guardrails/types';
import { describeUnresolvedPart } from '../analysis/unresolved';
import type { NewAccess, StayWithinResult } from '../analysis/types';
import type { EvaluationResult } from '../evaluator/types';
import { WRITE_LIKE_LEVELS } from '../iam';
import { findManagedPolicy } from '../managed';
import type { AttachedPolicy, Principal, SourceLocation } from '../policy/types';
import { describeDependency } from '../report/evidence';
import { canonical, policyFingerprint } from './fingerprint';
import { countAllowedActions, firstAllowLocation, type AccessProfile, type ActionProfile, type TaskProfile } from './profile';
import type {
  AccessSummary,
  ActionChanges,
  ConditionalChange,
  DiffPrincipalRef,
  PairedBy,
  PrincipalDiff,
  TaskAnswer,
  TaskChange,
  WithinResult,
} from './types';

const FIRST = 5;
const TASK_RANK: Record<TaskAnswer, number> = { no: 0, conditional: 1, yes: 2 };
const ACTION_RANK = { absent: 0, conditional: 1, allowed: 2 } as const;

/** Group action names by service, largest group first, with the first few names of each. */
export function actionChanges(items: ReadonlyArray<{ readonly action: string; readonly conditional: boolean }>): ActionChanges {
  const by = new Map<string, { names: string[]; conditional: number }>();
  for (const it of items) {
    const service = it.action.includes(':') ? it.action.slice(0, it.action.indexOf(':')) : it.action;
    const g = by.get(service) ?? { names: [], conditional: 0 };
    g.names.push(it.action);
    if (it.conditional) g.conditional++;
    by.set(service, g);
  }
  const byService = [...by.entries()]
    .map(([service, g]) => {
      const names = [...g.names].sort();
      return { service, count: names.length, conditional: g.conditional, first: names.slice(0, FIRST) };
    })
    .sort((a, b) => b.count - a.count || a.service.localeCompare(b.service));
  return { count: items.length, byService, actions: items.map((i) => i.action).sort() };
}

function policyLabel(p: AttachedPolicy): string {
  if (p.origin === 'managed-arn' || p.origin === 'managed') {
    let version: string | undefined;
    try {
      version = findManagedPolicy(p.name)?.versionId;
    } catch {
      version = undefined;
    }
    return `${p.name}${version ? ` (${version})` : ''}`;
  }
  if (p.origin === 'permissions-boundary') return `${p.name} (permissions boundary)`;
  return p.name;
}

function policyChanges(base: Principal, head: Principal): PrincipalDiff['policies'] {
  const list = (pr: Principal): AttachedPolicy[] => [...pr.policies, ...(pr.permissionsBoundary ? [pr.permissionsBoundary] : [])];
  const keyed = (pr: Principal): Map<string, AttachedPolicy[]> => {
    const m = new Map<string, AttachedPolicy[]>();
    for (const p of list(pr)) {
      const k = `${p.origin}\u0000${p.name}`;
      m.set(k, [...(m.get(k) ?? []), p]);
    }
    return m;
  };
  const b = keyed(base);
  const h = keyed(head);
  const attached: string[] = [];
  const detached: string[] = [];
  const edited: string[] = [];
  for (const [k, ps] of h) {
    const old = b.get(k);
    if (!old) attached.push(...ps.map(policyLabel));
    else if (ps.map(policyFingerprint).sort().join() !== old.map(policyFingerprint).sort().join()) edited.push(policyLabel(ps[0]!));
  }
  for (const [k, ps] of b) if (!h.has(k)) detached.push(...ps.map(policyLabel));
  return { attached, detached, edited };
}

/** The raw statements an explanation names (all policies of that name), as canonical text. */
function statementTexts(principal: Principal, result: EvaluationResult): string {
  const out: string[] = [];
  for (const st of result.statements) {
    const policies = st.boundary
      ? principal.permissionsBoundary
        ? [principal.permissionsBoundary]
        : []
      : principal.policies.filter((p) => p.name === st.policy);
    for (const p of policies) {
      const doc = p.document as { Statement?: unknown } | undefined;
      const sts = doc && typeof doc === 'object' ? doc.Statement : undefined;
      const raw = Array.isArray(sts) ? sts[st.index] : st.index === 0 ? sts : undefined;
      // The statement matched the action at both sides (it is in the explanation), so what decides
      // the answer is the rest of it: Effect, Resource/NotResource, Condition.
      const rest = raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'Action' && k !== 'NotAction' && k !== 'Sid')) : raw;
      out.push(`${st.boundary ? 'B' : 'P'}:${st.applies}:${p.onlyIf ?? ''}:${canonical(rest ?? null)}`);
    }
  }
  return out.sort().join('\n');
}

/**
 * True when `stayWithin` reports the action only because both sides give the same conditional
 * answer from the same statements text and the same dependencies: nothing about it changed.
 */
function unchangedUnknown(item: NewAccess, subject: Principal, baseline: Principal): boolean {
  if (item.kind !== 'possible') return false;
  if (item.subject.decision !== 'conditional' || item.baseline.decision !== 'conditional') return false;
  const deps = (r: EvaluationResult): string => r.dependsOn.map(describeDependency).sort().join('\n');
  if (deps(item.subject) !== deps(item.baseline)) return false;
  // Evidence keeps at most 5 deciding statements per action: with that many, not all were seen.
  if (item.subject.statements.length >= 5 || item.baseline.statements.length >= 5) return false;
  return statementTexts(subject, item.subject) === statementTexts(baseline, item.baseline);
}

function isNonReadLevels(levels: readonly string[]): boolean {
  return levels.length === 0 || levels.some((l) => (WRITE_LIKE_LEVELS as readonly string[]).includes(l));
}

interface Within {
  readonly summary: WithinResult;
  readonly real: readonly NewAccess[];
}

/**
 * Actions the subject (under its guardrails) allows or may allow that the baseline allows under
 * the SUBJECT's guardrails but not under its own (an SCP removed at the head: the identity
 * policies are equal, the access is not). checkStayWithin asks both with one set of guardrails,
 * so these are added when the sides' guardrails differ.
 */
function guardrailOnlyAccess(subject: Principal, baseline: Principal, sg: GuardrailOptions, bg: GuardrailOptions, seen: ReadonlySet<string>): NewAccess[] {
  const out: NewAccess[] = [];
  for (const a of allowCandidates(subject, sg.resourcePolicies).actions) {
    if (seen.has(a.name)) continue;
    const s = evaluate(subject, a.name, sg);
    if (s.decision !== 'allowed' && s.decision !== 'conditional') continue;
    if (evaluate(baseline, a.name, sg).decision !== 'allowed') continue;
    const b = evaluate(baseline, a.name, bg);
    if (b.decision === 'allowed') continue;
    const definite = s.decision === 'allowed' && b.decision !== 'conditional';
    out.push({
      action: a.name,
      accessLevels: a.accessLevels,
      kind: definite ? 'definite' : 'possible',
      subject: s,
      baseline: b,
      why: `the other side's guardrails (SCP, RCP or resource policies) ${b.decision === 'conditional' ? `only allow it depending on ${b.dependsOn.map(describeDependency).join(', ')}` : b.decision === 'explicitDeny' ? 'deny it' : 'do not allow it'}`,
    });
  }
  return out;
}

function within(subject: Principal, baseline: Principal, sg?: GuardrailOptions, bg?: GuardrailOptions, sameGuardrails = true): Within {
  const r: StayWithinResult = checkStayWithin(subject, baseline, sg ?? {});
  const extra = sameGuardrails ? [] : guardrailOnlyAccess(subject, baseline, sg ?? {}, bg ?? {}, new Set(r.newAccess.map((n) => n.action)));
  const real = [...r.newAccess, ...extra].filter((n) => !unchangedUnknown(n, subject, baseline));
  const definite = real.filter((n) => n.kind === 'definite').length;
  // Unknown parts the other side has too are not new; new ones fail (they could grant anything).
  const known = new Set(r.baselineUnresolved.map(describeUnresolvedPart));
  const newUnknown = r.unresolved.filter((u) => !known.has(describeUnresolvedPart(u)));
  return {
    real,
    summary: {
      pass: real.length === 0 && newUnknown.length === 0 && r.unknownPatterns.length === 0,
      definite,
      possible: real.length - definite,
      first: real.map((n) => n.action).sort().slice(0, FIRST),
      reasons: r.reasons.slice(0, 3),
    },
  };
}

function taskChange(b: TaskProfile, h: TaskProfile): TaskChange {
  const dependsOn = [...new Set([...(h.answer === 'conditional' ? h.dependsOn : []), ...(b.answer === 'conditional' ? b.dependsOn : [])])];
  // Where the task is (less) granted: the head for a loss, the base for a gain.
  const rank = { yes: 2, conditional: 1, no: 0 } as const;
  const weaker = rank[h.answer] < rank[b.answer] ? h : b;
  const deniedBy = weaker.deniedBy ?? [];
  return { id: h.id, page: h.page, task: h.task, from: b.answer, to: h.answer, dependsOn, ...(deniedBy.length ? { deniedBy } : {}) };
}

export interface Side {
  readonly principal: Principal;
  readonly ref: DiffPrincipalRef;
  readonly profile: AccessProfile;
  /** The guardrails of its side that apply to it, and their hash ('-' when none). */
  readonly guardrails?: GuardrailOptions;
  readonly guardrailKey?: string;
}

/** The diff of one paired principal (whose fingerprints differ). */
export function comparePair(base: Side, head: Side, pairedBy: PairedBy, inputs: readonly string[]): PrincipalDiff {
  const gainedTasks: TaskChange[] = [];
  const lostTasks: TaskChange[] = [];
  const conditional: ConditionalChange[] = [];
  for (const [id, h] of head.profile.tasks) {
    const b = base.profile.tasks.get(id);
    if (!b || b.answer === h.answer) continue;
    const c = taskChange(b, h);
    if (TASK_RANK[h.answer] > TASK_RANK[b.answer]) gainedTasks.push(c);
    else lostTasks.push(c);
    if (h.answer === 'conditional' || b.answer === 'conditional') {
      conditional.push({ subject: 'task', name: `${h.page} / ${h.task}`, from: b.answer, to: h.answer, became: h.answer === 'conditional', dependsOn: c.dependsOn });
    }
  }
  const gained: ActionProfile[] = [];
  const lost: Array<{ action: string; conditional: boolean }> = [];
  for (const [name, h] of head.profile.nonRead) {
    const b = base.profile.nonRead.get(name);
    const from = b ? b.decision : 'absent';
    if (ACTION_RANK[h.decision] > ACTION_RANK[from]) gained.push(h);
    if (from !== h.decision && (from === 'conditional' || h.decision === 'conditional')) {
      conditional.push({ subject: 'action', name, from, to: h.decision, became: h.decision === 'conditional', dependsOn: [...new Set([...h.dependsOn, ...(b?.dependsOn ?? [])])] });
    }
    if (from === 'allowed' && h.decision === 'conditional') lost.push({ action: name, conditional: true });
  }
  for (const [name, b] of base.profile.nonRead) {
    if (head.profile.nonRead.has(name)) continue;
    lost.push({ action: name, conditional: b.decision === 'conditional' });
    if (b.decision === 'conditional') conditional.push({ subject: 'action', name, from: 'conditional', to: 'absent', became: false, dependsOn: b.dependsOn });
  }
  const baseUnknown = new Set(base.profile.unresolved);
  const headUnknown = new Set(head.profile.unresolved);
  const unresolved = {
    gained: [...headUnknown].filter((u) => !baseUnknown.has(u)),
    lost: [...baseUnknown].filter((u) => !headUnknown.has(u)),
  };
  const same = (base.guardrailKey ?? '-') === (head.guardrailKey ?? '-');
  const up = within(head.principal, base.principal, head.guardrails, base.guardrails, same);
  const down = within(base.principal, head.principal, base.guardrails, head.guardrails, same);
  const gainedWrite = gained.length > 0 || unresolved.gained.length > 0 || up.real.some((n) => isNonReadLevels(n.accessLevels));
  const locations: SourceLocation[] = [];
  for (const g of gained) if (g.location) locations.push(g.location);
  for (const n of up.real) {
    const loc = firstAllowLocation(n.subject);
    if (loc) locations.push(loc);
  }
  return {
    change: 'changed',
    base: base.ref,
    head: head.ref,
    pairedBy,
    gained: gainedTasks.length > 0 || gained.length > 0 || unresolved.gained.length > 0 || up.real.length > 0,
    gainedWrite,
    lost: lostTasks.length > 0 || lost.length > 0 || unresolved.lost.length > 0 || down.real.length > 0,
    tasks: { gained: gainedTasks, lost: lostTasks },
    nonRead: { gained: actionChanges(gained.map((g) => ({ action: g.action, conditional: g.decision === 'conditional' }))), lost: actionChanges(lost) },
    conditional,
    unresolved,
    headWithinBase: up.summary,
    baseWithinHead: down.summary,
    policies: policyChanges(base.principal, head.principal),
    inputs,
    locations: dedupeLocations(locations),
  };
}

function dedupeLocations(locs: readonly SourceLocation[]): SourceLocation[] {
  const seen = new Set<string>();
  const out: SourceLocation[] = [];
  for (const l of locs) {
    const k = `${l.file}:${l.line ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(l);
    if (out.length >= 10) break;
  }
  return out;
}

export function accessSummary(side: Side): AccessSummary {
  const tasks: string[] = [];
  const conditionalTasks: string[] = [];
  for (const t of side.profile.tasks.values()) {
    if (t.answer === 'yes') tasks.push(t.ref);
    else if (t.answer === 'conditional') conditionalTasks.push(t.ref);
  }
  return {
    tasks,
    conditionalTasks,
    nonRead: actionChanges([...side.profile.nonRead.values()].map((a) => ({ action: a.action, conditional: a.decision === 'conditional' }))),
    actions: countAllowedActions(side.principal, side.guardrails),
    unresolved: side.profile.unresolved,
  };
}

const NO_ACTIONS: ActionChanges = { count: 0, byService: [], actions: [] };

/** A principal only the head has (everything it grants is gained) or only the base has. */
export function oneSided(side: Side, change: 'added' | 'removed', inputs: readonly string[]): PrincipalDiff {
  const access = accessSummary(side);
  const some = access.tasks.length > 0 || access.conditionalTasks.length > 0 || access.actions > 0 || access.unresolved.length > 0;
  const write = access.nonRead.count > 0 || access.unresolved.length > 0;
  const taskList = (answer: TaskAnswer): TaskChange[] =>
    [...side.profile.tasks.values()]
      .filter((t) => t.answer === answer)
      .map((t) => ({ id: t.id, page: t.page, task: t.task, from: change === 'added' ? 'no' : answer, to: change === 'added' ? answer : 'no', dependsOn: t.dependsOn }));
  const granted = [...taskList('yes'), ...taskList('conditional')];
  const locations = [...side.profile.nonRead.values()].map((a) => a.location).filter((l): l is SourceLocation => l !== undefined);
  if (locations.length === 0 && side.ref.line !== undefined) locations.push({ file: side.ref.file, line: side.ref.line });
  return {
    change,
    ...(change === 'added' ? { head: side.ref } : { base: side.ref }),
    gained: change === 'added' && some,
    gainedWrite: change === 'added' && write,
    lost: change === 'removed' && some,
    tasks: change === 'added' ? { gained: granted, lost: [] } : { gained: [], lost: granted },
    nonRead: change === 'added' ? { gained: access.nonRead, lost: NO_ACTIONS } : { gained: NO_ACTIONS, lost: access.nonRead },
    conditional: [],
    unresolved: change === 'added' ? { gained: [...access.unresolved], lost: [] } : { gained: [], lost: [...access.unresolved] },
    policies: {
      attached: change === 'added' ? side.principal.policies.map(policyLabel) : [],
      detached: change === 'removed' ? side.principal.policies.map(policyLabel) : [],
      edited: [],
    },
    access,
    inputs,
    locations: change === 'added' ? dedupeLocations(locations) : [],
  };
}
