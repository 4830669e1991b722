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
  const compiled = compilePrincipal(subject);
  return evaluateCompiled(compiled, action, options);
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

  const explain = (f: Finding, isBoundary: boolean): StatementExplain => buildExplain(f, isBoundary);
  const denies = [...identity.denyFindings.map((f) => explain(f, false)), ...(boundary?.denyFindings.map((f) => explain(f, true)) ?? [])];
  const allows = identity.allowFindings.map((f) => explain(f, false));
  const boundaryAllows = boundary?.allowFindings.map((f) => explain(f, true)) ?? [];

  let decision: EvaluationResult['decision'];
  let statements: StatementExplain[];
  if (deny === 'yes') {
    decision = 'explicitDeny';
    statements = denies.filter((d) => d.applies === 'yes');
  } else if (allow === 'no') {
    decision = 'implicitDeny';
    statements = [];
  } else if (allow === 'yes' && deny === 'no') {
    decision = 'allowed';
    statements = [...allows.filter((a) => a.applies === 'yes'), ...boundaryAllows.filter((a) => a.applies === 'yes')];
  } else {
    decision = 'conditional';
    statements = [...denies, ...allows, ...boundaryAllows];
  }

  let closest: StatementExplain[] = [];
  if (allow !== 'yes' || identity.allow !== 'yes') {
    closest = nearMisses([{ tally: identity, boundary: false }, ...(boundary ? [{ tally: boundary, boundary: true }] : [])], lowerAction, asked, context);
  }

  const dependsOn: readonly Dependency[] =
    decision === 'conditional' ? dedupe(statements.filter((s) => s.applies === 'maybe').flatMap((s) => s.dependsOn ?? [])) : [];
  const result = {
    action,
    resource: options.resource ?? '*',
    decision,
    statements,
    closest,
    dependsOn,
  };
  return { ...result, reasons: reasonsFor(result, asked, { identityAllow: identity.allow, boundaryAllow: boundary?.allow, hasBoundary: !!boundary }) };
}

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
    outer: for (const { tally, boundary } of sources) {
      for (const att of tally.policies) {
        const matched = new Set(candidatesFor(att.policy!, action).map((c) => c.group));
        for (const group of att.policy!.groups) {
          if (matched.has(group)) continue;
          const v = group.variants.find((x) => x.parsed.effect === 'Allow');
          if (!v) continue;
          const outcome = evaluateStatement(v, matchAction(v, action), asked, context, true);
          far.push({ f: { attachment: att, group, variant: v, outcome, effect: 'Allow', applies: 'no', dependsOn: [] }, b: boundary, outcome });
          if (far.length >= MAX_CLOSEST * 4) break outer;
        }
      }
    }
    far.sort((x, y) => x.outcome.cost - y.outcome.cost);
  }
  return [...near, ...far].slice(0, MAX_CLOSEST).map(({ f, b, outcome }) => describeStatement({ ...f, outcome }, b, outcome.cost));
}
