/**
 * The orchestrator: explicit deny beats allow beats implicit deny, across every policy of
 * the principal, intersected with the permissions boundary.
 *
 * - `explicitDeny`: a Deny (identity policy or boundary) applies with certainty;
 * - `implicitDeny`: no Allow can apply (identity policies, or the boundary when there is
 *   one), and no Deny applies with certainty;
 * - `allowed`: an identity Allow applies with certainty, the boundary (if any) allows
 *   with certainty, and no Deny can apply;
 * - `conditional`: anything in between: an Allow or a Deny that applies only if something
 *   unknown holds, or an unresolved policy. A policy whose document is unknown may hold
 *   both allows and denies: the action is at best `conditional`, even when another policy
 *   allows it with certainty, unless a Deny applies with certainty.
 */
import { UsageError } from '../errors';
import { describeType } from '../policy/normalize';
import type { Candidate, CompiledAttachment, CompiledGroup, CompiledPolicy, CompiledPrincipal, CompiledStatement } from './compile';
import { compilePrincipal } from './compile';
import { buildExplain, describeStatement, reasonsFor } from './explain';
import { ownAccountAsked } from './own-account';
import { askedResource, contextKey, internedContext, lowerAction as lowerActionOf, type AskedResource } from './request';
import { dedupe, evaluateStatement, matchAction, statementApplies, type StatementOutcome, type Tri } from './statement';
import type { Dependency, EvaluateOptions, EvaluationResult, StatementExplain } from './types';
import type { Context } from './variables';
import { applyGuardrails, type IdentityStates } from './guardrails/compose';
import { hasGuardrails } from './guardrails/options';

/** One statement's part in the decision, before rendering. */
export interface Finding {
  readonly attachment: CompiledAttachment;
  readonly group: CompiledGroup;
  readonly variant?: CompiledStatement;
  readonly outcome?: StatementOutcome;
  readonly effect: 'Allow' | 'Deny';
  /** As shown: 'maybe' when the statement exists only under some template conditions. */
  readonly applies: Tri;
  /** Whether it applies when present (ignoring template conditions). */
  readonly base: Tri;
  /** Template conditions under which the statement exists (empty: always). */
  readonly when: ReadonlyMap<string, boolean>;
  /** As shown (template conditions included); `baseDependsOn` without them. */
  readonly dependsOn: readonly Dependency[];
  readonly baseDependsOn: readonly Dependency[];
}

interface Tally {
  /** Whether near misses and examined policies are collected (for closest). */
  readonly collect: boolean;
  /** Deciding only: findings without outcomes (no explanation built). */
  readonly lean: boolean;
  findings: Finding[]; // allows and denies that apply or may apply when present
  misses: Finding[]; // allow statements whose action matched but that do not apply (for closest)
  policies: CompiledAttachment[]; // known policies examined (for far near misses)
  onlyIf?: string; // the tallied policy set (boundary) is attached only under this condition
}

const rank: Record<Tri, number> = { no: 0, maybe: 1, yes: 2 };
const best = (a: Tri, b: Tri): Tri => (rank[a] >= rank[b] ? a : b);
const ALWAYS: ReadonlyMap<string, boolean> = new Map();

function finding(
  attachment: CompiledAttachment,
  group: CompiledGroup,
  effect: 'Allow' | 'Deny',
  base: Tri,
  when: ReadonlyMap<string, boolean>,
  baseDependsOn: readonly Dependency[],
  variant?: CompiledStatement,
  outcome?: StatementOutcome,
): Finding {
  const conditional = when.size > 0 && base !== 'no';
  const dependsOn = conditional
    ? dedupe([...baseDependsOn, ...[...when.keys()].map((condition) => ({ kind: 'templateCondition' as const, condition }))])
    : baseDependsOn;
  const f: { -readonly [K in keyof Finding]: Finding[K] } = { attachment, group, effect, base, when, applies: conditional ? 'maybe' : base, baseDependsOn, dependsOn };
  if (variant) f.variant = variant;
  if (outcome) f.outcome = outcome;
  return f;
}

function withCondition(when: ReadonlyMap<string, boolean>, condition: string | undefined): ReadonlyMap<string, boolean> {
  if (condition === undefined) return when;
  if (when.get(condition) === true) return when;
  const next = new Map(when);
  // A contradiction (the statement exists only when the condition is false, inside a policy
  // attached only when it is true) leaves a finding that no assignment accepts.
  next.set(condition, when.get(condition) === false ? (undefined as unknown as boolean) : true);
  return next;
}

const MAX_CANDIDATE_ACTIONS = 4096;

/** The groups of a policy whose action element may match `action` (memoised per policy). */
export function candidatesFor(policy: CompiledPolicy, action: string): readonly Candidate[] {
  const cached = policy.candidates.get(action);
  if (cached) return cached;
  return computeCandidates(policy, action);
}

const candidateGroups = new WeakMap<readonly Candidate[], ReadonlySet<CompiledGroup>>();

function candidateGroupSet(list: readonly Candidate[]): ReadonlySet<CompiledGroup> {
  let set = candidateGroups.get(list);
  if (!set) {
    set = new Set(list.map((c) => c.group));
    candidateGroups.set(list, set);
  }
  return set;
}

function computeCandidates(policy: CompiledPolicy, action: string): readonly Candidate[] {
  const out: Candidate[] = [];
  for (const group of policy.groups) {
    if (group.unresolved !== undefined) {
      out.push({ group, hits: [] });
      continue;
    }
    const hits = group.variants.map((v) => matchAction(v, action));
    if (hits.some((h) => h.tri !== 'no')) out.push({ group, hits });
  }
  if (policy.candidates.size >= MAX_CANDIDATE_ACTIONS) policy.candidates.clear();
  policy.candidates.set(action, out);
  return out;
}

function tallyAttachments(
  attachments: readonly CompiledAttachment[],
  action: string,
  asked: AskedResource,
  context: Context,
  tally: Tally,
): void {
  for (const att of attachments) {
    const onlyIf = att.attached.onlyIf;
    // A boundary attached only under a condition restricts nothing when absent: its
    // statements exist only when the condition holds (handled in decide()).
    if (att.boundary && onlyIf !== undefined) tally.onlyIf = onlyIf;
    const presence = onlyIf !== undefined ? new Map([[onlyIf, true]]) : ALWAYS;
    if (!att.policy) {
      const dep: Dependency = { kind: 'unresolvedPolicy', policy: att.attached.name, reason: att.unresolved ?? 'unknown' };
      const group: CompiledGroup = { index: 0, path: '', variants: [], partial: true, presenceDependsOn: [], location: att.attached.source ?? {} };
      tally.findings.push(finding(att, group, 'Allow', 'maybe', presence, [dep]), finding(att, group, 'Deny', 'maybe', presence, [dep]));
      continue;
    }
    if (tally.collect) tally.policies.push(att);
    for (const c of candidatesFor(att.policy, action)) tallyGroup(att, c, asked, context, presence, onlyIf, tally);
  }
}

function tallyGroup(
  att: CompiledAttachment,
  candidate: Candidate,
  asked: AskedResource,
  context: Context,
  presence: ReadonlyMap<string, boolean>,
  onlyIf: string | undefined,
  tally: Tally,
): void {
  const group = candidate.group;
  if (group.unresolved !== undefined) {
    const deps = group.presenceDependsOn;
    const when = group.when && group.when.size ? withCondition(group.when, onlyIf) : presence;
    tally.findings.push(finding(att, group, 'Allow', 'maybe', when, deps), finding(att, group, 'Deny', 'maybe', when, deps));
    return;
  }
  for (const hit of candidate.hits) {
    const v = hit.variant;
    // Deciding only (lean): whether it applies, without the explanation.
    const outcome = tally.lean ? statementApplies(v, hit, asked, context) : evaluateStatement(v, hit, asked, context, false);
    let base = outcome.applies;
    let deps = outcome.dependsOn;
    // An unresolved Effect: this variant (Allow or Deny) is only possible.
    if (base === 'yes' && v.parsed.effectUnresolved !== undefined) base = 'maybe';
    if (base !== 'no' && v.parsed.effectUnresolved !== undefined) deps = [...deps, { kind: 'unresolvedValue', description: v.parsed.effectUnresolved }];
    if (base === 'no' && !(tally.collect && v.parsed.effect === 'Allow' && (outcome as StatementOutcome).cost < 100)) continue;
    const when = v.parsed.when.size ? withCondition(v.parsed.when, onlyIf) : presence;
    const f = finding(att, group, v.parsed.effect, base, when, deps, v, tally.lean ? undefined : (outcome as StatementOutcome));
    if (base !== 'no') tally.findings.push(f);
    else tally.misses.push(f);
  }
}

function newTally(collect: boolean, lean = false): Tally {
  return { collect, lean, findings: [], misses: [], policies: [] };
}

/**
 * Evaluate whether `subject` may perform `action` (on `options.resource`, default `*`:
 * whatever resource the console acts on) with the request context `options.context`.
 */
export function evaluate(subject: unknown, action: string, options: EvaluateOptions = {}): EvaluationResult {
  checkRequest(action, options);
  const compiled = compilePrincipal(subject);
  return evaluateCompiled(compiled, action, options);
}

/**
 * A request names one action, so an action pattern is refused (matching the policy's
 * patterns against the literal text 'connect:List*' would answer a question nobody asked).
 * The message names the ways to ask about every action a pattern matches.
 */
export function actionPatternMessage(action: string): string {
  return (
    `evaluate: '${action}' is a pattern, but a request names one action. ` +
    `To check every action it matches use expect(subject).toAllowAction('${action}') (or .not.toAllowAction), ` +
    `or evaluate each of expandActionPattern('${action}').`
  );
}

/** Refuse a request that is not one (a UsageError naming what was received). */
export function checkRequest(action: unknown, options: unknown, withoutResource = false): void {
  if (typeof action !== 'string' || action.trim() === '') {
    throw new UsageError(`evaluate: the action must be a non-empty string such as 'connect:DescribeInstance'; received ${describeType(action)}.`);
  }
  if (action.includes('*') || action.includes('?')) throw new UsageError(actionPatternMessage(action));
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new UsageError(`evaluate: options must be an object { resource?, context? }; received ${describeType(options)}.`);
  }
  const o = options as Record<string, unknown>;
  // for-in with an own-property test: Object.keys' order without its array (a hot path).
  for (const key in o) {
    if (!Object.hasOwn(o, key) || (withoutResource && key === 'resource')) continue;
    if (!OPTION_NAMES.has(key)) {
      throw new UsageError(`evaluate: unknown option '${key}' (the options are resource, context, organization, session and resourcePolicies).`);
    }
  }
  if (!withoutResource && o['resource'] !== undefined && (typeof o['resource'] !== 'string' || o['resource'] === '')) {
    throw new UsageError(`evaluate: options.resource must be a non-empty string (an ARN or pattern, default '*'); received ${describeType(o['resource'])}.`);
  }
  const context = o['context'];
  if (context === undefined) return;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new UsageError(`evaluate: options.context must be an object of condition keys; received ${describeType(context)}.`);
  }
  const c = context as Record<string, unknown>;
  for (const key in c) {
    if (!Object.hasOwn(c, key)) continue;
    const v = c[key];
    if (!(typeof v === 'string' || (Array.isArray(v) && allStrings(v)))) {
      throw new UsageError(`evaluate: options.context['${key}'] must be a string or an array of strings; received ${describeType(v)}.`);
    }
  }
}

const OPTION_NAMES: ReadonlySet<string> = new Set(['resource', 'context', 'prerequisites', 'organization', 'session', 'resourcePolicies']);

function allStrings(list: readonly unknown[]): boolean {
  // As Array.prototype.every: holes are skipped.
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string' && i in list) return false;
  return true;
}

export function evaluateCompiled(
  compiled: CompiledPrincipal,
  action: string,
  options: EvaluateOptions = {},
  /** The context already as a lower-cased map (console checks build it once per call). */
  prebuilt?: Context,
): EvaluationResult {
  const context = prebuilt ?? internedContext(options.context);
  // Memo per compiled principal: the same (action, resource, context, other options) gives
  // the same (frozen) result object (a 45-task pass asks 413 questions, about 124 of them
  // distinct). Nested maps keyed by strings that are reused (catalog actions, the interned
  // context's key), so no key string is built per call.
  const requestKey = memoKey(options, context);
  const resource = options.resource;
  if (requestKey === undefined || (resource !== undefined && typeof resource !== 'string')) return frozen(computeResult(compiled, action, options, context));
  return memoised(compiled, requestKey, action, resource ?? '*', options, undefined, context);
}

/**
 * The memo key of the options besides resource and context ('' when there are none), or
 * undefined when they are not cacheable: console checks compute it once per call.
 */
export function optionsKey(options: EvaluateOptions): string | undefined {
  return memoKey(options, EMPTY_CONTEXT);
}

const EMPTY_CONTEXT: Context = new Map();

/**
 * evaluateCompiled for a caller that holds the parts of the request: `resource` (a string),
 * the context map, the other options without resource (`rest`) and their optionsKey. The
 * options object is built only when the answer is not in the memo.
 */
export function evaluateParts(compiled: CompiledPrincipal, action: string, resource: string, context: Context, rest: EvaluateOptions, restKey: string | undefined): EvaluationResult {
  if (restKey === undefined) return frozen(computeResult(compiled, action, { ...rest, resource }, context));
  const requestKey = restKey === '' ? contextKey(context) : `${contextKey(context)}${restKey}`;
  return memoised(compiled, requestKey, action, resource, undefined, rest, context);
}

function memoised(
  compiled: CompiledPrincipal,
  requestKey: string,
  action: string,
  r: string,
  options: EvaluateOptions | undefined,
  rest: EvaluateOptions | undefined,
  context: Context,
): EvaluationResult {
  const memo = memoOf(compiled);
  let byAction = memo.byRequest.get(requestKey);
  if (!byAction) {
    byAction = { star: new Map(), other: new Map() };
    memo.byRequest.set(requestKey, byAction);
  }
  // Most questions are about the default resource: one map by action for those.
  let byResource: Map<string, EvaluationResult> | undefined;
  if (r === '*') {
    const hit = byAction.star.get(action);
    if (hit) return hit;
  } else {
    byResource = byAction.other.get(action);
    const hit = byResource?.get(r);
    if (hit) return hit;
  }
  const result = frozen(computeResult(compiled, action, options ?? { ...rest, resource: r }, context));
  if (memo.size >= MAX_MEMO) {
    memo.byRequest.clear();
    memo.size = 0;
    byAction = { star: new Map(), other: new Map() };
    memo.byRequest.set(requestKey, byAction);
    byResource = undefined;
  }
  if (r === '*') byAction.star.set(action, result);
  else {
    if (!byResource) {
      byResource = new Map();
      byAction.other.set(action, byResource);
    }
    byResource.set(r, result);
  }
  memo.size++;
  return result;
}

/** Per compiled principal; cleared when full (whole-action-list analyses ask each action once). */
const MAX_MEMO = 2048;
interface Memo {
  /** Context and other options (as text) -> action -> result (resource `*`), or action -> resource -> result. */
  readonly byRequest: Map<string, { readonly star: Map<string, EvaluationResult>; readonly other: Map<string, Map<string, EvaluationResult>> }>;
  size: number;
  /** Console task results (src/evaluator/console.ts): task -> interned context -> the other options as text -> result. */
  readonly tasks: Map<object, Map<Context, Map<string, unknown>>>;
  taskCount: number;
}
const memos = new WeakMap<CompiledPrincipal, Memo>();

const MAX_TASK_MEMO = 1024;

/**
 * Whole console task results per compiled principal (src/evaluator/console.ts; dropped with
 * the decisions by forgetEvaluations), by task, interned context and the other options as text.
 */
export function memoisedTask<T>(compiled: CompiledPrincipal, task: object, context: Context, key: string): T | undefined {
  return memoOf(compiled).tasks.get(task)?.get(context)?.get(key) as T | undefined;
}

export function memoiseTask<T>(compiled: CompiledPrincipal, task: object, context: Context, key: string, value: T): void {
  const memo = memoOf(compiled);
  if (memo.taskCount >= MAX_TASK_MEMO) {
    memo.tasks.clear();
    memo.taskCount = 0;
  }
  let byContext = memo.tasks.get(task);
  if (!byContext) {
    byContext = new Map();
    memo.tasks.set(task, byContext);
  }
  let byKey = byContext.get(context);
  if (!byKey) {
    byKey = new Map();
    byContext.set(context, byKey);
  }
  byKey.set(key, value);
  memo.taskCount++;
}

/** Drop the memo of one compiled principal (benches measure uncached decisions with it). */
export function forgetEvaluations(compiled: CompiledPrincipal): void {
  memos.delete(compiled);
}

function memoOf(compiled: CompiledPrincipal): Memo {
  let memo = memos.get(compiled);
  if (!memo) {
    memo = { byRequest: new Map(), size: 0, tasks: new Map(), taskCount: 0 };
    memos.set(compiled, memo);
  }
  return memo;
}

/** The options the evaluator reads besides resource and context are keyed by content (plain data) or identity. */
const KNOWN_OPTIONS = new Set(['resource', 'context', 'prerequisites']);
const identities = new WeakMap<object, number>();
let nextIdentity = 0;

function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = ++nextIdentity;
    identities.set(value, id);
  }
  return id;
}

/** A stable serialisation: plain objects by sorted keys, arrays in order, anything else by identity. */
export function stableText(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (value === undefined) return 'u';
  if (typeof value === 'object' || typeof value === 'function') {
    if (depth > 20) return undefined;
    if (Array.isArray(value)) {
      const parts: string[] = [];
      for (const x of value) {
        const t = stableText(x, depth + 1);
        if (t === undefined) return undefined;
        parts.push(t);
      }
      return `[${parts.join(',')}]`;
    }
    const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    if (proto !== Object.prototype && proto !== null) return `#${identityOf(value as object)}`;
    const parts: string[] = [];
    for (const k of Object.keys(value as object).sort()) {
      const t = stableText((value as Record<string, unknown>)[k], depth + 1);
      if (t === undefined) return undefined;
      parts.push(`${JSON.stringify(k)}:${t}`);
    }
    return `{${parts.join(',')}}`;
  }
  return undefined; // symbol, bigint: not cached
}

/** The memo key of the context and the other options, or undefined when the request is not cacheable. */
function memoKey(options: EvaluateOptions, context: Context): string | undefined {
  let extra: string | undefined;
  const o = options as Record<string, unknown>;
  for (const k in o) {
    if (KNOWN_OPTIONS.has(k) || !Object.hasOwn(o, k)) continue;
    const t = stableText(o[k], 0);
    if (t === undefined) return undefined;
    extra = `${extra ?? ''}\u0000${k}=${t}`;
  }
  return extra === undefined ? contextKey(context) : `${contextKey(context)}${extra}`;
}

function computeResult(compiled: CompiledPrincipal, action: string, options: EvaluateOptions, context: Context): EvaluationResult {
  const lowerAction = lowerActionOf(action);
  // Same-account model (own-account.ts): a template principal's default `*` is its own account's resources.
  const asked = ownAccountAsked(askedResource(action, options.resource), compiled.principal.ownAccount, action);
  // The decision needs the statements that apply or may apply; near misses (for closest) are
  // collected again when closest is read (the same inputs give the same tally).
  const { identity, boundary } = talliesOf(compiled, lowerAction, asked, context, false, true);

  const guarded = hasGuardrails(options);
  const states: { -readonly [K in keyof IdentityStates]: IdentityStates[K] } | undefined = guarded ? { deny: 'no', allow: 'no', boundaryAllow: 'yes' } : undefined;
  const decision = decide(identity, boundary, states);

  // A conditional result's dependencies come from its statements: built now. Otherwise the
  // statements are built when first read (an implicit deny shows none).
  let statements: readonly StatementExplain[] | undefined = decision === 'implicitDeny' ? NO_STATEMENTS : undefined;
  let dependsOn: readonly Dependency[] = NO_DEPENDENCIES;
  if (decision === 'conditional') {
    const full = talliesOf(compiled, lowerAction, asked, context, false, false);
    statements = freezeAll(statementsOf(compiled, decision, full.identity, full.boundary));
    const all: Dependency[] = [];
    for (const st of statements) if (st.applies === 'maybe' && st.dependsOn) all.push(...st.dependsOn);
    dependsOn = dedupe(all);
  }
  let identityAllow: Tri = 'no';
  for (const f of identity.findings) if (f.effect === 'Allow') identityAllow = best(identityAllow, f.applies);
  let boundaryAllow: Tri | undefined;
  if (boundary) {
    boundaryAllow = 'no';
    for (const f of boundary.findings) if (f.effect === 'Allow') boundaryAllow = best(boundaryAllow, f.applies);
  }
  const wantsClosest = (decision === 'implicitDeny' || decision === 'conditional') && identityAllow !== 'yes';
  const info = { identityAllow, boundaryAllow, hasBoundary: !!boundary };
  // Statements, near misses and the sentences are built when first read (most callers read
  // only the decision). Enumerable accessors on the object itself: JSON.stringify, spread
  // copies, toEqual and snapshots read them like data properties. The result is shared
  // (memo) and frozen: an assignment fails as on any frozen property. The accessors are
  // shared functions reading the result's state (a non-enumerable symbol property): an
  // object literal with getters costs three closures and a dictionary-mode object per result.
  const result = { action, resource: options.resource ?? '*', decision } as { -readonly [K in keyof EvaluationResult]: EvaluationResult[K] };
  Object.defineProperty(result, 'reasons', REASONS);
  // Parts already known (an implicit deny's statements, a conditional one's, no near misses) are data.
  if (statements) result.statements = statements;
  else Object.defineProperty(result, 'statements', STATEMENTS);
  if (!wantsClosest) result.closest = NO_STATEMENTS;
  else Object.defineProperty(result, 'closest', CLOSEST);
  result.dependsOn = dependsOn;
  const state: LazyState = { compiled, lowerAction, asked, context, decision, wantsClosest, info, statements };
  Object.defineProperty(result, LAZY, { value: state });
  // Guardrail stages (SCPs, RCPs, session policies, resource policies): src/evaluator/guardrails/.
  if (states) return applyGuardrails(result, states, compiled.principal, lowerAction, asked, context, options);
  return result;
}

/**
 * The statements that apply or may apply, per policy set (identity, boundary). `collect`: also
 * the near misses (for closest); `lean`: deciding only (no explanations). The same inputs give
 * the same tally, so the parts of a result built when read tally again.
 */
function talliesOf(
  compiled: CompiledPrincipal,
  lowerAction: string,
  asked: AskedResource,
  context: Context,
  collect: boolean,
  lean: boolean,
): { identity: Tally; boundary: Tally | undefined } {
  const identity = newTally(collect, lean);
  tallyAttachments(compiled.policies, lowerAction, asked, context, identity);
  if (!compiled.boundary) return { identity, boundary: undefined };
  const boundary = newTally(collect, lean);
  tallyAttachments([compiled.boundary], lowerAction, asked, context, boundary);
  return { identity, boundary };
}

/** What a result's lazy parts are built from (and, once built, the parts). */
interface LazyState {
  readonly compiled: CompiledPrincipal;
  readonly lowerAction: string;
  readonly asked: AskedResource;
  readonly context: Context;
  readonly decision: EvaluationResult['decision'];
  readonly wantsClosest: boolean;
  readonly info: { identityAllow: Tri; boundaryAllow: Tri | undefined; hasBoundary: boolean };
  statements: readonly StatementExplain[] | undefined;
  reasons?: readonly string[];
  closest?: readonly StatementExplain[];
}

const LAZY = Symbol('jest-connect-iam.evaluation');

function lazyState(result: object): LazyState {
  return (result as { [LAZY]: LazyState })[LAZY];
}

const REASONS: PropertyDescriptor = {
  get(this: EvaluationResult): readonly string[] {
    const s = lazyState(this);
    return (s.reasons ??= Object.freeze(reasonsFor(this, s.asked, s.info)));
  },
  enumerable: true,
  configurable: true,
};

const STATEMENTS: PropertyDescriptor = {
  get(this: EvaluationResult): readonly StatementExplain[] {
    const s = lazyState(this);
    if (s.statements) return s.statements;
    const full = talliesOf(s.compiled, s.lowerAction, s.asked, s.context, false, false);
    return (s.statements = freezeAll(statementsOf(s.compiled, s.decision, full.identity, full.boundary)));
  },
  enumerable: true,
  configurable: true,
};

const CLOSEST: PropertyDescriptor = {
  get(this: EvaluationResult): readonly StatementExplain[] {
    const s = lazyState(this);
    if (s.closest) return s.closest;
    if (!s.wantsClosest) return (s.closest = NO_STATEMENTS);
    const t = talliesOf(s.compiled, s.lowerAction, s.asked, s.context, true, false);
    const sources = [{ tally: t.identity, boundary: false }, ...(t.boundary ? [{ tally: t.boundary, boundary: true }] : [])];
    return (s.closest = freezeAll(nearMisses(sources, s.lowerAction, s.asked, s.context)));
  },
  enumerable: true,
  configurable: true,
};

/** The statements shown for a decision: those that decided it (a conditional one: every one that may apply). */
function statementsOf(compiled: CompiledPrincipal, decision: EvaluationResult['decision'], identity: Tally, boundary: Tally | undefined): StatementExplain[] {
  const statements: StatementExplain[] = [];
  const certain = decision !== 'conditional';
  // One entry per statement as written and effect (template variants of it are alike).
  let shown: Set<string> | undefined;
  const once = (f: Finding): boolean => {
    if (f.group.variants.length <= 1 && f.group.unresolved === undefined) return true;
    const key = `${f.attachment.attached.name}\u0000${f.group.path}\u0000${f.group.index}\u0000${f.effect}\u0000${f.attachment.boundary}`;
    shown ??= new Set();
    if (shown.has(key)) return false;
    shown.add(key);
    return true;
  };
  const add = (t: Tally | undefined, isBoundary: boolean, effect: 'Allow' | 'Deny' | undefined): void => {
    if (!t) return;
    for (const f of t.findings) {
      if (effect !== undefined && (f.effect !== effect || f.base !== 'yes')) continue;
      if (!once(f)) continue;
      // In a certain decision, a statement that exists only under template conditions is
      // shown as it applies where it exists.
      statements.push(buildExplain(certain ? { ...f, applies: f.base, dependsOn: f.baseDependsOn } : f, isBoundary));
    }
  };
  if (decision === 'explicitDeny') {
    add(identity, false, 'Deny');
    add(boundary, true, 'Deny');
  } else if (decision === 'allowed') {
    add(identity, false, 'Allow');
    add(boundary, true, 'Allow');
  } else if (decision === 'conditional') {
    for (const effect of ['Deny', 'Allow'] as const) {
      for (const [t, b] of [[identity, false], [boundary, true]] as const) {
        if (!t) continue;
        for (const f of t.findings) if (f.effect === effect && once(f)) statements.push(buildExplain(f, b));
      }
    }
    if (boundary && compiled.boundary && boundary.onlyIf !== undefined && !boundary.findings.some((f) => f.effect === 'Allow')) {
      // The boundary allows nothing here, but it may not be attached (then it restricts nothing).
      const att = compiled.boundary;
      const group: CompiledGroup = { index: 0, path: '', variants: [], partial: true, presenceDependsOn: [], location: att.attached.source ?? {} };
      const dep: Dependency = { kind: 'templateCondition', condition: boundary.onlyIf };
      statements.push(buildExplain(finding(att, group, 'Allow', 'maybe', ALWAYS, [dep]), true));
    }
  }
  return statements;
}

/** Above this many template conditions in one decision, branches are not enumerated (the answer is conservative). */
const MAX_TEMPLATE_CONDITIONS = 10;

function consistent(when: ReadonlyMap<string, boolean>, assignment: ReadonlyMap<string, boolean> | undefined): boolean {
  if (!assignment || when.size === 0) return true;
  for (const [k, v] of when) if (assignment.get(k) !== v) return false;
  return true;
}

function stateOf(t: Tally, effect: 'Allow' | 'Deny', assignment: ReadonlyMap<string, boolean> | undefined): Tri {
  let state: Tri = 'no';
  for (const f of t.findings) {
    if (f.effect !== effect || !consistent(f.when, assignment)) continue;
    // Without an assignment (too many conditions), a statement that exists only under some
    // conditions is only possible.
    const v = assignment ? f.base : f.applies;
    state = best(state, v);
    if (state === 'yes') break;
  }
  return state;
}

/** Deny and effective Allow (identity intersected with the boundary) under one assignment. */
function statesUnder(identity: Tally, boundary: Tally | undefined, assignment: ReadonlyMap<string, boolean> | undefined): { deny: Tri; allow: Tri; bAllow: Tri } {
  let deny = stateOf(identity, 'Deny', assignment);
  let allow = stateOf(identity, 'Allow', assignment);
  let boundaryAllow: Tri = 'yes';
  if (boundary) {
    const absent = boundary.onlyIf !== undefined && (assignment ? assignment.get(boundary.onlyIf) === false : false);
    const uncertainPresence = boundary.onlyIf !== undefined && !assignment;
    if (!absent) {
      deny = best(deny, stateOf(boundary, 'Deny', assignment));
      let bAllow = stateOf(boundary, 'Allow', assignment);
      if (uncertainPresence && bAllow === 'no') bAllow = 'maybe';
      boundaryAllow = bAllow;
      if (bAllow === 'no') allow = 'no';
      else if (bAllow === 'maybe' && allow === 'yes') allow = 'maybe';
    }
  }
  return { deny, allow, bAllow: boundaryAllow };
}

/**
 * The decision over every assignment of the template conditions involved (issue 2's
 * definitions, read across branches): explicitDeny when a Deny applies with certainty in
 * every branch; implicitDeny when no Allow can apply in any branch; allowed when every
 * branch is allowed; conditional otherwise.
 */
function decide(
  identity: Tally,
  boundary: Tally | undefined,
  /** Filled with the identity stage's answer across branches, for the guardrail stages. */
  out?: { deny: Tri; allow: Tri; boundaryAllow: Tri },
): EvaluationResult['decision'] {
  // Most decisions involve no template condition: one branch, no set of names.
  let templated = boundary?.onlyIf !== undefined;
  for (const f of identity.findings) if (f.when.size) templated = true;
  if (boundary) for (const f of boundary.findings) if (f.when.size) templated = true;
  const names = new Set<string>();
  if (templated) {
    for (const t of [identity, boundary]) {
      if (!t) continue;
      for (const f of t.findings) for (const k of f.when.keys()) names.add(k);
    }
    if (boundary?.onlyIf !== undefined) names.add(boundary.onlyIf);
  }
  const assignments: Array<ReadonlyMap<string, boolean> | undefined> = [];
  if (names.size === 0) assignments.push(ALWAYS);
  else if (names.size > MAX_TEMPLATE_CONDITIONS) assignments.push(undefined);
  else {
    const list = [...names];
    for (let mask = 0; mask < 1 << list.length; mask++) assignments.push(new Map(list.map((n, i) => [n, (mask & (1 << i)) !== 0])));
  }
  let denyEverywhere = true;
  let allowSomewhere = false;
  let allowedEverywhere = true;
  // Across branches (for the guardrail stages): the one value every branch gives, else 'maybe'.
  let across: { deny: Tri; allow: Tri; bAllow: Tri } | undefined;
  const merge = (a: Tri, b: Tri): Tri => (a === b ? a : 'maybe');
  for (const a of assignments) {
    const { deny, allow, bAllow } = statesUnder(identity, boundary, a);
    if (out) across = across ? { deny: merge(across.deny, deny), allow: merge(across.allow, allow), bAllow: merge(across.bAllow, bAllow) } : { deny, allow, bAllow };
    if (deny !== 'yes') denyEverywhere = false;
    if (allow !== 'no') allowSomewhere = true;
    if (!(allow === 'yes' && deny === 'no')) allowedEverywhere = false;
  }
  if (out && across) {
    out.deny = across.deny;
    out.allow = across.allow;
    out.boundaryAllow = across.bAllow;
  }
  if (denyEverywhere) return 'explicitDeny';
  if (!allowSomewhere) return 'implicitDeny';
  if (allowedEverywhere) return 'allowed';
  return 'conditional';
}

const NO_STATEMENTS: readonly StatementExplain[] = Object.freeze([]);

/** Freeze a list of objects and the list (shallow per object: their parts are shared, built per result). */
function freezeAll<T extends object>(list: T[]): readonly T[] {
  for (const x of list) Object.freeze(x);
  return Object.freeze(list);
}

/** A result as the memo shares it: the object, its statements and dependencies frozen. */
function frozen(result: EvaluationResult): EvaluationResult {
  if (Object.isFrozen(result)) return result;
  Object.freeze(result.dependsOn);
  const guarded = result as { guardrails?: object[] };
  if (guarded.guardrails !== undefined) {
    // A guardrail stage's result has its explanations as data.
    freezeAll(guarded.guardrails);
    freezeAll(result.statements as StatementExplain[]);
    Object.freeze(result.reasons);
    Object.freeze(result.closest);
  }
  return Object.freeze(result);
}
const NO_DEPENDENCIES: readonly Dependency[] = Object.freeze([]);

const MAX_CLOSEST = 3;

function nearMisses(
  sources: ReadonlyArray<{ tally: Tally; boundary: boolean }>,
  action: string,
  asked: AskedResource,
  context: Context,
): StatementExplain[] {
  // Allow statements whose action matched are the closest; explain them in detail. Then
  // statements whose action did not match, in document order (only a few are examined).
  type Scored = { f: Finding; b: boolean; outcome: StatementOutcome };
  const near: Scored[] = [];
  const far: Scored[] = [];
  for (const { tally, boundary } of sources) {
    for (const f of tally.misses) if (f.outcome && f.variant) near.push({ f, b: boundary, outcome: f.outcome });
  }
  near.sort((x, y) => x.outcome.cost - y.outcome.cost);
  if (near.length < MAX_CLOSEST) {
    // Statements whose action does not match: the first few Allow statements, in document
    // order, without detail (they are far from applying anyway).
    outer: for (const { tally, boundary } of sources) {
      for (const att of tally.policies) {
        const matched = candidateGroupSet(candidatesFor(att.policy!, action));
        for (const group of att.policy!.groups) {
          if (matched.has(group)) continue;
          const v = group.variants.find((x) => x.parsed.effect === 'Allow');
          if (!v) continue;
          const outcome = evaluateStatement(v, matchAction(v, action), asked, context, false);
          far.push({ f: finding(att, group, 'Allow', 'no', ALWAYS, [], v, outcome), b: boundary, outcome });
          if (near.length + far.length >= MAX_CLOSEST) break outer;
        }
      }
    }
  }
  return [...near, ...far].slice(0, MAX_CLOSEST).map(({ f, b, outcome }) => describeStatement({ ...f, outcome }, b, outcome.cost));
}
