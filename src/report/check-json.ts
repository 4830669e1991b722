/** The `check` report as JSON (a stable, documented shape: `format: 'jest-connect-iam/check@1'`). */
import type { CheckReport } from '../rules/types';
import { summarize } from './check-text';

export function renderCheckJson(report: CheckReport): string {
  return JSON.stringify(
    {
      format: 'jest-connect-iam/check@1',
      root: report.root,
      rulesFile: report.rulesFile ?? null,
      exitCode: report.exitCode,
      summary: summarize(report),
      stats: report.stats,
      rules: report.rules.map((r) => ({ name: r.name, description: r.description ?? null, select: r.select, expect: r.expect })),
      outcomes: report.outcomes,
      problems: report.problems,
    },
    null,
    2,
  ) + '\n';
}
