/**
 * The `check` report as text: violations grouped by principal with the evidence the
 * matchers show (file:line of the deciding statement), then problems, then a summary.
 */
import type { SourceLocation } from '../policy/types';
import type { CheckReport, CheckResult, Problem, RuleOutcome } from '../rules/types';

export interface TextReportOptions {
  /**
   * List passing principals one per line up to this many; past it, only their count.
   * @default 200
   */
  readonly maxPassingListed?: number;
}

/** `file:line:column`, leaving out what is unknown. */
export function locationText(loc: SourceLocation | undefined): string {
  if (!loc?.file) return loc?.path ?? '';
  return `${loc.file}${loc.line !== undefined ? `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}` : ''}`;
}

const MARK: Record<RuleOutcome['status'], string> = { pass: 'ok  ', fail: 'FAIL', suppressed: 'SUPP', error: 'ERR ' };

function principalHeader(o: RuleOutcome): string {
  const p = o.principal;
  const name = p.name && p.name !== p.id ? ` (${p.name})` : '';
  return `${p.kind} ${p.id}${name}  ${p.file}${p.line !== undefined ? `:${p.line}` : ''}`;
}

function problemLine(p: Problem): string {
  const where = locationText(p.location);
  const text = where ? `${where}: ${p.message}` : p.message;
  return `  ${p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'note'}: ${text}`;
}

export function summarize(report: CheckReport): { hold: number; violations: number; suppressed: number; errors: number } {
  let hold = 0;
  let violations = 0;
  let suppressed = 0;
  let errors = 0;
  for (const o of report.outcomes) {
    if (o.status === 'pass') hold++;
    else if (o.status === 'fail') violations++;
    else if (o.status === 'suppressed') suppressed++;
    else errors++;
  }
  errors += report.problems.filter((p) => p.severity === 'error').length;
  return { hold, violations, suppressed, errors };
}

/** One outcome: the mark and rule, then each finding (file:line) and the evidence lines. */
export function renderOutcomeLines(o: RuleOutcome, indent = '  '): string[] {
  const lines: string[] = [];
  const note = o.status === 'suppressed' ? `  (suppressed: ${o.suppression?.reason ?? ''})` : '';
  lines.push(`${indent}${MARK[o.status]} ${o.rule}${note}`);
  if (o.status === 'pass') return lines;
  for (const c of o.checks) lines.push(...findingLines(c, `${indent}     `));
  return lines;
}

/** A check's findings (at most `max`, then a count) and its evidence. */
export function findingLines(c: CheckResult, indent: string, max = 6): string[] {
  const lines: string[] = [];
  for (const f of c.findings.slice(0, max)) {
    const where = locationText(f.location);
    lines.push(`${indent}${c.check}: ${f.message}${where ? `  [${where}]` : ''}`);
  }
  if (c.findings.length > max) {
    const rest = c.findings.slice(max);
    lines.push(`${indent}${c.check}: ... and ${rest.length} more: ${rest.slice(0, 4).map((f) => f.subject).join(', ')}${rest.length > 4 ? ', ...' : ''}`);
  }
  for (const e of c.evidence) lines.push(`${indent}  ${e}`);
  return lines;
}

export { principalHeader };

export function renderCheckText(report: CheckReport, options: TextReportOptions = {}): string {
  const lines: string[] = [];
  const byPrincipal = new Map<string, RuleOutcome[]>();
  for (const o of report.outcomes) {
    const list = byPrincipal.get(o.principal.key) ?? [];
    list.push(o);
    byPrincipal.set(o.principal.key, list);
  }
  lines.push(`jest-connect-iam check: ${report.rulesFile ?? 'rules'} over ${report.root}`);
  lines.push('');

  const passing: string[] = [];
  for (const [, outcomes] of byPrincipal) {
    if (outcomes.every((o) => o.status === 'pass')) {
      passing.push(`  ${principalHeader(outcomes[0]!)}: ${outcomes.map((o) => o.rule).join(', ')}`);
      continue;
    }
    lines.push(principalHeader(outcomes[0]!));
    for (const o of outcomes) lines.push(...renderOutcomeLines(o));
    lines.push('');
  }
  if (passing.length) {
    const max = options.maxPassingListed ?? 200;
    lines.push(`Principals that satisfy every rule that selects them (${passing.length}):`);
    lines.push(...passing.slice(0, max));
    if (passing.length > max) lines.push(`  ... and ${passing.length - max} more`);
    lines.push('');
  }
  const shown = report.problems.filter((p) => p.severity !== 'note');
  if (shown.length) {
    lines.push('Problems:');
    lines.push(...shown.map(problemLine));
    lines.push('');
  }
  const notes = report.problems.filter((p) => p.kind === 'not-a-template');
  if (notes.length) {
    const more = report.stats.notTemplates - notes.length;
    lines.push(`Not policies or templates (${report.stats.notTemplates}, not checked):`);
    lines.push(...notes.slice(0, 10).map((p) => `  ${locationText(p.location)}: ${p.message}`));
    if (notes.length > 10 || more > 0) lines.push(`  ... and ${report.stats.notTemplates - Math.min(10, notes.length)} more`);
    lines.push('');
  }
  const s = summarize(report);
  const st = report.stats;
  lines.push(
    `Files: ${st.files} matched, ${st.read} read, ${st.notTemplates} not policies or templates, ${st.unreadable} unreadable, ${st.skipped} skipped; ${st.principals} principals.`,
  );
  lines.push(
    `Result: ${s.hold} hold, ${s.violations} violation${s.violations === 1 ? '' : 's'}, ${s.suppressed} suppressed, ${s.errors} error${s.errors === 1 ? '' : 's'} -> exit ${report.exitCode}`,
  );
  return lines.join('\n') + '\n';
}
