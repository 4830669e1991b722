/**
 * The one message renderer of every matcher. A matcher computes its data (what was asked,
 * what the engine answered, the evidence) and the verdicts of both forms with `verdictsOf`
 * (src/verdict: the same function the rules, `check` and the presets use); this module turns
 * them into `pass` and renders the message lazily; the wording comes from `this.isNot`, never
 * from a second copied branch.
 *
 * Pass rule (security-relevant): an assertion passes only when its verdict is `pass`.
 *   positive (`expect(x).toX()`):  pass = verdicts.positive === 'pass'
 *   negative (`expect(x).not.toX()`): Jest fails a `.not` assertion when `pass` is true, so
 *   pass = verdicts.negative !== 'pass': a conditional answer fails both directions.
 * An unknown part of the subject counts where it can change the answer: the evaluator makes
 * exactly those actions `conditional` (an unknown Resource on a Lambda statement leaves
 * `connect:DeleteInstance` a certain implicitDeny), so the matchers add nothing of their own.
 */
import type { ExpectationResult, MatcherContext } from 'expect';
import type { AnalysisResult } from '../../src/analysis/types';
import { renderEvidenceList, type ActionEvidence, type EvidenceStyle } from '../../src/report/evidence';
import type { Verdict, Verdicts } from '../../src/verdict';

export interface MessageSpec {
  /** `matcherHint` line (from hintOf). */
  readonly hint: string;
  /** What the positive assertion requires, e.g. `console task "Data storage / Edit call recording" granted (every action allowed)`. */
  readonly want: string;
  /** What the negative assertion requires. */
  readonly wantNot: string;
  /** What the subject does, one line. */
  readonly received: string;
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
export function renderMessage(ctx: MatcherContext, spec: MessageSpec, verdict: Verdict): string {
  const isNot = ctx.isNot === true;
  const style = styleFor(ctx);
  const lines: string[] = [spec.hint, ''];
  lines.push(`Expected: ${ctx.utils.EXPECTED_COLOR(isNot ? spec.wantNot : spec.want)}`);
  lines.push(`Received: ${ctx.utils.RECEIVED_COLOR(spec.received)}`);
  if (verdict === 'conditional') {
    lines.push(
      ctx.utils.DIM_COLOR(
        `The answer is not certain, so this fails both with and without .not until what it depends on is pinned or resolved (see below).`,
      ),
    );
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

/** The matcher's return value: `pass` from the verdicts and direction, message rendered lazily. */
export function result(ctx: MatcherContext, verdicts: Verdicts, spec: () => MessageSpec): ExpectationResult {
  const verdict = ctx.isNot ? verdicts.negative : verdicts.positive;
  const pass = ctx.isNot ? verdict !== 'pass' : verdict === 'pass';
  return { pass, message: () => renderMessage(ctx, spec(), verdict) };
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
