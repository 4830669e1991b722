/**
 * `check --baseline <git-ref>`: for a repo that is not clean yet, report only the violations a
 * change introduces. The head's rules run over the base tree too (only files whose content
 * differs: an unchanged file gives the same outcome at both sides); a violation at the head is
 * existing when the same rule failed for the same principal (paired as `diff` pairs them) at the
 * base with every violation it has now, new otherwise. Existing violations are listed apart, as
 * suppressed with the reason "already violated at <ref>", so every format shows them and exit
 * code 1 means a new violation.
 */
import type { CheckReport, RuleOutcome } from '../rules/types';
import { exitCodeOf } from '../rules/run';
import { diffTrees } from './run';
import { materialiseSide } from './tree';
import type { DiffSide } from './types';

export interface BaselineResult {
  readonly report: CheckReport;
  readonly baseline: {
    readonly ref: string;
    readonly commit?: string;
    /** Violations at the head that are new (not at the baseline). */
    readonly new: number;
    /** Violations at the head that the baseline has too (now listed as suppressed). */
    readonly existing: number;
    /** Violations of the baseline that the head no longer has. */
    readonly fixed: number;
  };
}

export function applyBaseline(report: CheckReport, ref: string, rulesFile: string): BaselineResult {
  const side = materialiseSide(ref, report.root);
  try {
    const base: DiffSide = { given: side.given, kind: side.kind, root: side.root, ...(side.commit ? { commit: side.commit } : {}) };
    const head: DiffSide = { given: '.', kind: 'dir', root: report.root };
    const d = diffTrees(base, head, { rules: rulesFile, compare: false });
    const changes = d.rules?.changes ?? [];
    const isNew = new Set(changes.filter((c) => c.state === 'new').map((c) => `${c.rule}\u0000${c.principal.file}\u0000${c.principal.id}`));
    const label = `${ref}${side.commit ? ` (${side.commit.slice(0, 7)})` : ''}`;
    let fresh = 0;
    let existing = 0;
    const outcomes: RuleOutcome[] = report.outcomes.map((o) => {
      if (o.status !== 'fail') return o;
      // Only files whose content differs were compared; a violation in any other file is the base's too.
      if (isNew.has(`${o.rule}\u0000${o.principal.file}\u0000${o.principal.id}`)) {
        fresh++;
        return o;
      }
      existing++;
      return { ...o, status: 'suppressed', suppression: { reason: `already violated at baseline ${label} (--baseline reports only new violations)` } };
    });
    const problems = [...report.problems, ...d.problems.filter((p) => p.side === 'base' && p.severity !== 'note').map((p) => ({ ...p, severity: 'warning' as const, message: `baseline ${label}: ${p.message}` }))];
    return {
      report: { ...report, outcomes, problems, exitCode: exitCodeOf(outcomes, problems) },
      baseline: { ref, ...(side.commit ? { commit: side.commit } : {}), new: fresh, existing, fixed: changes.filter((c) => c.state === 'fixed').length },
    };
  } finally {
    side.cleanup();
  }
}
