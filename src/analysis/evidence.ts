/**
 * Evidence kept per offending action. An analysis can find thousands of offending actions,
 * each allowed by hundreds of statements (300 `NotAction` statements allow nearly every action):
 * keeping every deciding statement of every action would grow memory with actions x statements.
 * The decision is never changed; only the statements listed as evidence are capped, and the
 * result says how many were left out.
 */
import type { EvaluationResult } from '../evaluator/types';

/** Deciding statements kept per action (messages show at most three per action). */
export const MAX_STATEMENTS_KEPT = 5;

/** The result itself, or a copy with at most MAX_STATEMENTS_KEPT statements and a reason naming the rest. */
export function keptEvidence(result: EvaluationResult): EvaluationResult {
  if (result.statements.length <= MAX_STATEMENTS_KEPT) return result;
  return {
    ...result,
    statements: result.statements.slice(0, MAX_STATEMENTS_KEPT),
    reasons: [...result.reasons, omittedReason(result.statements.length - MAX_STATEMENTS_KEPT)],
  };
}

/** The reason keptEvidence adds for the statements it leaves out. */
export function omittedReason(omitted: number): string {
  return `${omitted} more statement${omitted === 1 ? '' : 's'} also decided it (not listed).`;
}
