/**
 * The one message renderer of every matcher. A matcher computes its data (what was asked,
 * what the engine answered, the evidence), this module decides `pass` from it and renders the
 * message lazily; the wording comes from `this.isNot`, never from a second copied branch.
 *
 * Pass rule (security-relevant): an assertion passes only when its answer is certain.
 *   positive (`expect(x).toX()`):  pass = certainlyYes
 *   negative (`expect(x).not.toX()`): Jest fails a `.not` assertion when `pass` is true, so
 *   pass = !certainlyNot: a conditional answer fails both directions.
 * A subject with unknown parts is never certainly "no" (it could grant anything), and one
 * with a whole unknown policy is never certainly "yes" either (that policy could deny).
 */
import type { ExpectationResult, MatcherContext } from 'expect';
import type { AnalysisResult, UnresolvedPart } from '../../src/analysis/types';
import { renderEvidenceList, renderUnresolvedParts, type ActionEvidence, type EvidenceStyle } from '../../src/report/evidence';

/** The engine's answer to the positive question. 'partly' is only for sets (pages, patterns). */
export type Answer = 'yes' | 'no' | 'conditional' | 'partly';

export interface Verdict {
  readonly certainlyYes: boolean;
  readonly certainlyNot: boolean;
}

export function verdictOf(answer: Answer, unresolved: readonly UnresolvedPart[]): Verdict {
  return {
    certainlyYes: answer === 'yes' && !unresolved.some((p) => p.kind === 'unresolvedPolicy'),
    certainlyNot: answer === 'no' && unresolved.length === 0,
  };
}

export interface MessageSpec {
  /** `matcherHint` line (from hintOf). */
  readonly hint: string;
  /** What the positive assertion requires, e.g. `console task "Data storage / Edit call recording" granted (every action allowed)`. */
  readonly want: string;
  /** What the negative assertion requires. */
  readonly wantNot: string;
  /** What the subject does, one line. */
  readonly received: string;
  readonly answer: Answer;
  readonly unresolved: readonly UnresolvedPart[];
  /** Per-action evidence, most relevant first (the renderer keeps it within the line budget). */
  readonly evidence?: readonly ActionEvidence[];
  /**
   * Console tasks: the combined resource hint (from ConsoleTaskResult.resourcePin). When set,
   * the per-action hints leave `resource` out (one ARN for one action would drop the others).
   */
  readonly resourcePin?: string;
  /** Plain lines rendered by an engine renderer (analyses), given the style. */
  readonly detail?: (style: EvidenceStyle) => readonly string[];
}

function styleFor(ctx: MatcherContext): EvidenceStyle {
  return {
    action: ctx.utils.BOLD_WEIGHT,
    good: ctx.utils.EXPECTED_COLOR,
    bad: ctx.utils.RECEIVED_COLOR,
    dim: ctx.utils.DIM_COLOR,
  };
}

/** Build the message lines (no colour decisions beyond `ctx.utils`). */
export function renderMessage(ctx: MatcherContext, spec: MessageSpec): string {
  const isNot = ctx.isNot === true;
  const style = styleFor(ctx);
  const lines: string[] = [spec.hint, ''];
  lines.push(`Expected: ${ctx.utils.EXPECTED_COLOR(isNot ? spec.wantNot : spec.want)}`);
  lines.push(`Received: ${ctx.utils.RECEIVED_COLOR(spec.received)}`);
  if (spec.answer === 'conditional') {
    lines.push(
      ctx.utils.DIM_COLOR(
        `The answer is not certain, so this fails both with and without .not until what it depends on is pinned or resolved (see below).`,
      ),
    );
  }
  const blocking = isNot ? spec.unresolved : spec.unresolved.filter((p) => p.kind === 'unresolvedPolicy');
  if (blocking.length) {
    lines.push('', `Unknown parts of the received subject (${isNot ? 'a negative assertion never passes while any exists' : 'an unknown policy could deny'}):`);
    lines.push(...renderUnresolvedParts(blocking, { indent: '  ', style }));
  }
  if (spec.evidence?.length) {
    lines.push('', 'Evidence:');
    lines.push(
      ...renderEvidenceList(spec.evidence, {
        indent: '  ',
        style,
        maxLines: 28,
        wanted: isNot ? 'denied' : 'allowed',
        ...(spec.resourcePin !== undefined ? { omitResourcePin: true } : {}),
      }),
    );
  }
  if (spec.resourcePin !== undefined) lines.push('', `To pin the resources: ${spec.resourcePin}`);
  const detail = spec.detail?.(style) ?? [];
  if (detail.length) lines.push('', ...detail);
  return lines.join('\n');
}

/** The matcher's return value: `pass` from the verdict and direction, message rendered lazily. */
export function result(ctx: MatcherContext, verdict: Verdict, spec: () => MessageSpec): ExpectationResult {
  const pass = ctx.isNot ? !verdict.certainlyNot : verdict.certainlyYes;
  return { pass, message: () => renderMessage(ctx, spec()) };
}

/** Order evidence so the actions that decided the failure come first, and drop the rest. */
export function decisive(items: readonly ActionEvidence[], isNot: boolean): ActionEvidence[] {
  const rank: Record<string, number> = isNot
    ? { conditional: 0, allowed: 1, implicitDeny: 2, explicitDeny: 2 }
    : { explicitDeny: 0, implicitDeny: 1, conditional: 2, allowed: 3 };
  const relevant = items.filter((i) => (isNot ? i.result.decision === 'allowed' || i.result.decision === 'conditional' : i.result.decision !== 'allowed'));
  const list = relevant.length ? relevant : [...items];
  return list.map((item, n) => ({ item, n })).sort((a, b) => rank[a.item.result.decision]! - rank[b.item.result.decision]! || a.n - b.n).map((x) => x.item);
}

/** "3 allowed, 1 conditional, 2 not allowed" over a set of results. */
export function countDecisions(items: readonly ActionEvidence[]): string {
  const order = ['allowed', 'conditional', 'implicitDeny', 'explicitDeny'] as const;
  const words = { allowed: 'allowed', conditional: 'conditional', implicitDeny: 'not allowed', explicitDeny: 'explicitly denied' };
  return order
    .map((d) => [d, items.filter((i) => i.result.decision === d).length] as const)
    .filter(([, n]) => n > 0)
    .map(([d, n]) => `${n} ${words[d]}`)
    .join(', ');
}

/** `, 1 unknown part, 2 unknown action patterns` (empty when none): for analysis summaries. */
export function unknowns(result: AnalysisResult): string {
  const parts: string[] = [];
  const n = result.unresolved.length;
  const k = result.unknownPatterns.length;
  if (n) parts.push(`${n} unknown part${n === 1 ? '' : 's'}`);
  if (k) parts.push(`${k} unknown action pattern${k === 1 ? '' : 's'}`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}
