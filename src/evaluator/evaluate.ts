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
import { askedResource, contextMap, type AskedResource } from './request';
import { dedupe, evaluateStatement, matchAction, type StatementOutcome, type Tri } from './statement';
import type { Dependency, EvaluateOptions, EvaluationResult, StatementExplain } from './types';
import type { Context } from './variables';

/** One statement's part in the decision, before rendering. */
export interface Finding {
  readonly attachment: CompiledAttachment;
  readonly group: CompiledGroup;
  readonly variant?: CompiledStatement;
  readonly outcome?: StatementOutcome;
  readonly effect: 'Allow' | 'Deny';
  readonly applies: Tri;
  readonly dependsOn: readonly Dependency[];
}

interface Tally {
  allow: Tri; // best allow state
  deny: Tri; // best deny state
  allowFindings: Finding[]; // yes/maybe allows
  denyFindings: Finding[]; // yes/maybe denies
  misses: Finding[]; // allow statements whose action matched but that do not apply (for closest)
  policies: CompiledAttachment[]; // known policies examined (for far near misses)
  boundaryOnlyIf?: Dependency; // the boundary is attached only under this template condition
}

const rank: Record<Tri, number> = { no: 0, maybe: 1, yes: 2 };
const best = (a: Tri, b: Tri): Tri => (rank[a] >= rank[b] ? a : b);

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
    const onlyIf: Dependency[] = att.attached.onlyIf !== undefined ? [{ kind: 'templateCondition', condition: att.attached.onlyIf }] : [];
    if (att.boundary && onlyIf.length) tally.boundaryOnlyIf = onlyIf[0];
    if (!att.policy) {
      const dep: Dependency = { kind: 'unresolvedPolicy', policy: att.attached.name, reason: att.unresolved ?? 'unknown' };
      const group: CompiledGroup = { index: 0, path: '', variants: [], partial: true, presenceDependsOn: [], location: att.attached.source ?? {} };
      for (const effect of ['Allow', 'Deny'] as const) {
        const f: Finding = { attachment: att, group, effect, applies: 'maybe', dependsOn: [dep, ...onlyIf] };
        if (effect === 'Allow') tally.allowFindings.push(f);
        else tally.denyFindings.push(f);
      }
      tally.allow = best(tally.allow, 'maybe');
      tally.deny = best(tally.deny, 'maybe');
      continue;
    }
    tally.policies.push(att);
    for (const c of candidatesFor(att.policy, action)) tallyGroup(att, c, asked, context, onlyIf, tally);
  }
}

function tallyGroup(
  att: CompiledAttachment,
  candidate: Candidate,
  asked: AskedResource,
  context: Context,
  onlyIf: readonly Dependency[],
  tally: Tally,
): void {
  const group = candidate.group;
  if (group.unresolved !== undefined) {
    for (const effect of ['Allow', 'Deny'] as const) {
      const f: Finding = { attachment: att, group, effect, applies: 'maybe', dependsOn: [...group.presenceDependsOn, ...onlyIf] };
      if (effect === 'Allow') tally.allowFindings.push(f);
      else tally.denyFindings.push(f);
    }
    tally.allow = best(tally.allow, 'maybe');
    tally.deny = best(tally.deny, 'maybe');
    return;
  }
  // Fast path: one variant, no template choices.
  if (candidate.hits.length === 1 && !group.partial) {
    const hit = candidate.hits[0]!;
    const v = hit.variant;
    const outcome = evaluateStatement(v, hit, asked, context, false);
    let applies = outcome.applies;
    let deps = outcome.dependsOn;
    if (applies !== 'no' && v.variantDependsOn.length) {
      applies = 'maybe';
      deps = [...deps, ...v.variantDependsOn];
    }
    // A policy attached only under a template condition may be absent: its Allow is not
    // certain, and neither is its Deny. For a permissions boundary, absence restricts
    // nothing, so its Allow stays certain (handled with boundaryOnlyIf in evaluateCompiled).
    const weakens = onlyIf.length > 0 && !(att.boundary && v.parsed.effect === 'Allow');
    if (applies === 'yes' && weakens) applies = 'maybe';
    if (applies !== 'no' && weakens) deps = [...deps, ...onlyIf];
    record(tally, { attachment: att, group, variant: v, outcome, effect: v.parsed.effect, applies, dependsOn: deps });
    return;
  }
  // Several variants: per effect, certain only if every variant applies with that effect.
  for (const effect of ['Allow', 'Deny'] as const) {
    let all = !group.partial && candidate.hits.length > 0;
    let any = false;
    let chosen: { v: CompiledStatement; o: StatementOutcome } | undefined;
    let missed: { v: CompiledStatement; o: StatementOutcome } | undefined;
    const deps: Dependency[] = [...group.presenceDependsOn];
    for (const hit of candidate.hits) {
      const v = hit.variant;
      if (v.parsed.effect !== effect) {
        all = false;
        continue;
      }
      const o = evaluateStatement(v, hit, asked, context, false);
      if (o.applies === 'no') {
        all = false;
        if (!missed || o.cost < missed.o.cost) missed = { v, o };
        continue;
      }
      any = true;
      if (o.applies === 'maybe') all = false;
      if (!chosen || rank[o.applies] > rank[chosen.o.applies]) chosen = { v, o };
      deps.push(...o.dependsOn, ...v.variantDependsOn);
    }
    if (!any) {
      if (missed && effect === 'Allow') {
        record(tally, { attachment: att, group, variant: missed.v, outcome: missed.o, effect, applies: 'no', dependsOn: [] });
      }
      continue;
    }
    let applies: Tri = all ? 'yes' : 'maybe';
    const weakens = onlyIf.length > 0 && !(att.boundary && effect === 'Allow');
    if (applies === 'yes' && weakens) applies = 'maybe';
    record(tally, {
      attachment: att,
      group,
      variant: chosen!.v,
      outcome: chosen!.o,
      effect,
      applies,
      dependsOn: applies === 'maybe' ? dedupe([...deps, ...(weakens ? onlyIf : [])]) : [],
    });
  }
}

function record(tally: Tally, f: Finding): void {
  if (f.effect === 'Allow') {
    tally.allow = best(tally.allow, f.applies);
    if (f.applies === 'no') tally.misses.push(f);
    else tally.allowFindings.push(f);
  } else {
    tally.deny = best(tally.deny, f.applies);
    if (f.applies !== 'no') tally.denyFindings.push(f);
  }
}

function newTally(): Tally {
  return { allow: 'no', deny: 'no', allowFindings: [], denyFindings: [], misses: [], policies: [] };
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

/** Refuse a request that is not one (a UsageError naming what was received). */
export function checkRequest(action: unknown, options: unknown): void {
  if (typeof action !== 'string' || action.trim() === '') {
    throw new UsageError(`evaluate: the action must be a non-empty string such as 'connect:DescribeInstance'; received ${describeType(action)}.`);
  }
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new UsageError(`evaluate: options must be an object { resource?, context? }; received ${describeType(options)}.`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!['resource', 'context', 'prerequisites'].includes(key)) {
      throw new UsageError(`evaluate: unknown option '${key}' (the options are resource and context).`);
    }
  }
  if (o['resource'] !== undefined && (typeof o['resource'] !== 'string' || o['resource'] === '')) {
    throw new UsageError(`evaluate: options.resource must be a non-empty string (an ARN or pattern, default '*'); received ${describeType(o['resource'])}.`);
  }
  const context = o['context'];
  if (context === undefined) return;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new UsageError(`evaluate: options.context must be an object of condition keys; received ${describeType(context)}.`);
  }
  for (const key of Object.keys(context)) {
    const v = (context as Record<string, unknown>)[key];
    const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!ok) {
      throw new UsageError(`evaluate: options.context['${key}'] must be a string or an array of strings; received ${describeType(v)}.`);
    }
  }
}

export function evaluateCompiled(compiled: CompiledPrincipal, action: string, options: EvaluateOptions = {}): EvaluationResult {
  const lowerAction = action.toLowerCase();
  const asked = askedResource(action, options.resource);
  const context = contextMap(options.context);

  const identity = newTally();
  tallyAttachments(compiled.policies, lowerAction, asked, context, identity);
  const boundary = compiled.boundary ? newTally() : undefined;
  if (compiled.boundary && boundary) tallyAttachments([compiled.boundary], lowerAction, asked, context, boundary);

  if (boundary?.boundaryOnlyIf && boundary.allow === 'no' && compiled.boundary) {
    // The boundary may not be attached, and then it restricts nothing.
    const att = compiled.boundary;
    const group: CompiledGroup = { index: 0, path: '', variants: [], partial: true, presenceDependsOn: [], location: att.attached.source ?? {} };
    boundary.allow = 'maybe';
    boundary.allowFindings.push({ attachment: att, group, effect: 'Allow', applies: 'maybe', dependsOn: [boundary.boundaryOnlyIf] });
  }
  const deny: Tri = boundary ? best(identity.deny, boundary.deny) : identity.deny;
  let allow: Tri = identity.allow;
  if (boundary) {
    if (boundary.allow === 'no') allow = 'no';
    else if (boundary.allow === 'maybe' && allow === 'yes') allow = 'maybe';
  }

  let decision: EvaluationResult['decision'];
  const statements: StatementExplain[] = [];
  const add = (findings: readonly Finding[] | undefined, isBoundary: boolean, only?: Tri): void => {
    if (!findings) return;
    for (const f of findings) if (only === undefined || f.applies === only) statements.push(buildExplain(f, isBoundary));
  };
  if (deny === 'yes') {
    decision = 'explicitDeny';
    add(identity.denyFindings, false, 'yes');
    add(boundary?.denyFindings, true, 'yes');
  } else if (allow === 'no') {
    decision = 'implicitDeny';
  } else if (allow === 'yes' && deny === 'no') {
    decision = 'allowed';
    add(identity.allowFindings, false, 'yes');
    add(boundary?.allowFindings, true, 'yes');
  } else {
    decision = 'conditional';
    add(identity.denyFindings, false);
    add(boundary?.denyFindings, true);
    add(identity.allowFindings, false);
    add(boundary?.allowFindings, true);
  }

  let dependsOn: readonly Dependency[] = NO_DEPENDENCIES;
  if (decision === 'conditional') {
    const all: Dependency[] = [];
    for (const st of statements) if (st.applies === 'maybe' && st.dependsOn) all.push(...st.dependsOn);
    dependsOn = dedupe(all);
  }
  const wantsClosest = allow !== 'yes' || identity.allow !== 'yes';
  const info = { identityAllow: identity.allow, boundaryAllow: boundary?.allow, hasBoundary: !!boundary };
  const closest: readonly StatementExplain[] = wantsClosest
    ? nearMisses([{ tally: identity, boundary: false }, ...(boundary ? [{ tally: boundary, boundary: true }] : [])], lowerAction, asked, context)
    : NO_STATEMENTS;
  const result = {
    action,
    resource: options.resource ?? '*',
    decision,
    reasons: NO_REASONS as readonly string[],
    statements,
    closest,
    dependsOn,
  };
  result.reasons = reasonsFor(result, asked, info);
  return result;
}

const NO_STATEMENTS: readonly StatementExplain[] = Object.freeze([]);
const NO_REASONS: readonly string[] = Object.freeze([]);
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
          far.push({ f: { attachment: att, group, variant: v, outcome, effect: 'Allow', applies: 'no', dependsOn: [] }, b: boundary, outcome });
          if (near.length + far.length >= MAX_CLOSEST) break outer;
        }
      }
    }
  }
  return [...near, ...far].slice(0, MAX_CLOSEST).map(({ f, b, outcome }) => describeStatement({ ...f, outcome }, b, outcome.cost));
}
