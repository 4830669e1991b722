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
import type { CompiledAttachment, CompiledGroup, CompiledPrincipal, CompiledStatement } from './compile';
import { compilePrincipal } from './compile';
import { buildExplain, describeStatement, reasonsFor } from './explain';
import { askedResource, contextMap, type AskedResource } from './request';
import { dedupe, evaluateStatement, type StatementOutcome, type Tri } from './statement';
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
  misses: Finding[]; // allow statements that do not apply (for closest)
}

const rank: Record<Tri, number> = { no: 0, maybe: 1, yes: 2 };
const best = (a: Tri, b: Tri): Tri => (rank[a] >= rank[b] ? a : b);

function tallyAttachments(
  attachments: readonly CompiledAttachment[],
  action: string,
  asked: AskedResource,
  context: Context,
  tally: Tally,
): void {
  for (const att of attachments) {
    const onlyIf: Dependency[] = att.attached.onlyIf !== undefined ? [{ kind: 'templateCondition', condition: att.attached.onlyIf }] : [];
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
    for (const group of att.policy.groups) tallyGroup(att, group, action, asked, context, onlyIf, tally);
  }
}

function tallyGroup(
  att: CompiledAttachment,
  group: CompiledGroup,
  action: string,
  asked: AskedResource,
  context: Context,
  onlyIf: readonly Dependency[],
  tally: Tally,
): void {
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
  if (group.variants.length === 1 && !group.partial) {
    const v = group.variants[0]!;
    const outcome = evaluateStatement(v, action, asked, context, false);
    let applies = outcome.applies;
    let deps = outcome.dependsOn;
    if (applies !== 'no' && v.variantDependsOn.length) {
      applies = 'maybe';
      deps = [...deps, ...v.variantDependsOn];
    }
    if (applies === 'yes' && onlyIf.length) applies = 'maybe';
    if (applies !== 'no' && onlyIf.length) deps = [...deps, ...onlyIf];
    record(tally, { attachment: att, group, variant: v, outcome, effect: v.parsed.effect, applies, dependsOn: deps });
    return;
  }
  // Several variants: per effect, certain only if every variant applies with that effect.
  for (const effect of ['Allow', 'Deny'] as const) {
    let all = !group.partial && group.variants.length > 0;
    let any = false;
    let chosen: { v: CompiledStatement; o: StatementOutcome } | undefined;
    let missed: { v: CompiledStatement; o: StatementOutcome } | undefined;
    const deps: Dependency[] = [...group.presenceDependsOn];
    for (const v of group.variants) {
      if (v.parsed.effect !== effect) {
        all = false;
        continue;
      }
      const o = evaluateStatement(v, action, asked, context, false);
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
    if (applies === 'yes' && onlyIf.length) applies = 'maybe';
    record(tally, {
      attachment: att,
      group,
      variant: chosen!.v,
      outcome: chosen!.o,
      effect,
      applies,
      dependsOn: applies === 'maybe' ? dedupe([...deps, ...onlyIf]) : [],
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
  return { allow: 'no', deny: 'no', allowFindings: [], denyFindings: [], misses: [] };
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
    const misses = [...identity.misses.map((f) => ({ f, b: false })), ...(boundary?.misses.map((f) => ({ f, b: true })) ?? [])];
    closest = nearMisses(misses, lowerAction, asked, context);
  }

  const dependsOn: Dependency[] =
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
  misses: ReadonlyArray<{ f: Finding; b: boolean }>,
  action: string,
  asked: AskedResource,
  context: Context,
): StatementExplain[] {
  // Statements whose action matched are the closest; explain them in detail. Statements
  // whose action did not match come after, in document order (only a few are examined).
  const near: Array<{ m: { f: Finding; b: boolean }; outcome: StatementOutcome }> = [];
  const far: Array<{ m: { f: Finding; b: boolean }; outcome: StatementOutcome }> = [];
  for (const m of misses) {
    if (!m.f.variant || !m.f.outcome) continue;
    if (m.f.outcome.cost < 100) near.push({ m, outcome: m.f.outcome });
    else if (far.length < MAX_CLOSEST * 4) far.push({ m, outcome: evaluateStatement(m.f.variant, action, asked, context, true) });
  }
  near.sort((x, y) => x.outcome.cost - y.outcome.cost);
  far.sort((x, y) => x.outcome.cost - y.outcome.cost);
  return [...near, ...far].slice(0, MAX_CLOSEST).map(({ m, outcome }) => describeStatement({ ...m.f, outcome }, m.b, outcome.cost));
}
