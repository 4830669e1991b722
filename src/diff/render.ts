/**
 * The diff report as text (terminal), markdown (the pull-request comment), JSON and SARIF
 * (only what the head adds). All four render the same DiffReport.
 */
import type { SourceLocation } from '../policy/types';
import { toUri } from '../report/sarif';
import type { ActionChanges, DiffPrincipalRef, DiffReport, PrincipalDiff, RuleChange, TaskChange, WithinResult } from './types';

/** The hidden marker that identifies the one pull-request comment `diff` creates and updates. */
export const DIFF_COMMENT_MARKER = '<!-- jest-connect-iam:diff -->';

const TOOL_URI = 'https://www.npmjs.com/package/jest-connect-iam';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function sideText(s: DiffReport['base']): string {
  return s.kind === 'git' ? `${s.given} (${s.commit?.slice(0, 7)})` : s.given;
}

function who(d: PrincipalDiff): DiffPrincipalRef {
  return (d.head ?? d.base)!;
}

function refText(r: DiffPrincipalRef): string {
  const name = r.name !== undefined && r.name !== r.id ? ` "${r.name}"` : '';
  return `${r.kind} ${r.id}${name} (${r.file}${r.line !== undefined ? `:${r.line}` : ''})`;
}

function renameText(d: PrincipalDiff): string | undefined {
  if (d.change !== 'changed' || !d.pairedBy || d.pairedBy === 'key' || !d.base || !d.head) return undefined;
  const how = d.pairedBy === 'physical-name' ? `same physical name ${d.head.name ?? ''}`.trim() : d.pairedBy === 'id' ? 'same id, moved to another file' : 'same policies';
  return `renamed from ${d.base.id} (${d.base.file}): ${how}`;
}

export function taskText(t: TaskChange, side: 'gained' | 'lost'): string {
  const name = `${t.page} / ${t.task}`;
  const other = side === 'gained' ? t.from : t.to;
  const self = side === 'gained' ? t.to : t.from;
  const note = [self === 'conditional' ? (side === 'gained' ? 'possibly (conditional)' : 'was conditional') : undefined, other !== 'no' ? (side === 'gained' ? `was ${other}` : `now ${other}`) : undefined].filter(Boolean);
  if (t.deniedBy?.length) note.push(`${side === 'lost' ? 'now' : 'was'}: ${t.deniedBy.join(', ')}`);
  return `${name}${note.length ? ` (${note.join('; ')})` : ''}`;
}

export function actionsText(a: ActionChanges, max = 3): string {
  if (a.count === 0) return '';
  const groups = a.byService.slice(0, max).map((g) => `${g.service} ${g.count}${g.conditional ? ` (${g.conditional} conditional)` : ''}: ${g.first.map((n) => n.slice(n.indexOf(':') + 1)).join(', ')}${g.count > g.first.length ? ', ...' : ''}`);
  const more = a.byService.length > max ? `; ${plural(a.byService.length - max, 'more service')}` : '';
  return `${a.count}: ${groups.join('; ')}${more}`;
}

function withinText(w: WithinResult | undefined): string {
  if (!w) return 'n/a';
  if (w.definite + w.possible === 0) return 'yes';
  const parts = [w.definite ? `${w.definite} certainly` : '', w.possible ? `${w.possible} possibly` : ''].filter(Boolean).join(', ');
  return `no: ${plural(w.definite + w.possible, 'action')} beyond (${parts}): ${w.first.join(', ')}${w.definite + w.possible > w.first.length ? ', ...' : ''}`;
}

/** The one-line verdict, the same in every format. */
export function summaryLine(report: DiffReport): string {
  const s = report.summary;
  const gainers = report.principals.filter((d) => d.gained).length;
  const losers = report.principals.filter((d) => d.lost && !d.gained).length;
  const head = s.gainedAny ? `Access gained: ${plural(gainers, 'principal')} gain${gainers === 1 ? 's' : ''} access` : s.lostAny ? 'No access gained, some removed' : 'No access change';
  const bits = [
    s.gainedAny && losers ? `${losers} only lose${losers === 1 ? "s" : ""} access` : '',
    s.tasksGained || s.tasksLost ? `console tasks +${s.tasksGained} / -${s.tasksLost}` : '',
    s.nonReadGained || s.nonReadLost ? `non-read actions +${s.nonReadGained} / -${s.nonReadLost}` : '',
    s.added ? `${s.added} added` : '',
    s.removed ? `${s.removed} removed` : '',
    s.newlyViolated ? `${plural(s.newlyViolated, 'rule violation')} new` : '',
  ].filter(Boolean);
  const errors = report.problems.filter((p) => p.side === 'head' && p.severity === 'error').length;
  return `${head}${bits.length ? ` (${bits.join('; ')})` : ''}${errors ? `; ${plural(errors, 'input error')}: the verdict is incomplete` : ''}.`;
}

function detailLines(d: PrincipalDiff): string[] {
  const out: string[] = [];
  const rename = renameText(d);
  if (rename) out.push(rename);
  if (d.change === 'added' || d.change === 'removed') {
    const a = d.access!;
    out.push(`console tasks granted: ${a.tasks.length ? a.tasks.join(', ') : 'none'}`);
    if (a.conditionalTasks.length) out.push(`console tasks conditional: ${a.conditionalTasks.join(', ')}`);
    out.push(`non-read actions: ${a.nonRead.count ? actionsText(a.nonRead, 5) : 'none'}`);
    out.push(`actions in all (any access level): ${a.actions}`);
    for (const u of a.unresolved) out.push(`unknown part: ${u}`);
  } else {
    for (const t of d.tasks.gained) out.push(`+ console task ${taskText(t, 'gained')}`);
    for (const t of d.tasks.lost) out.push(`- console task ${taskText(t, 'lost')}`);
    if (d.nonRead.gained.count) out.push(`+ non-read actions ${actionsText(d.nonRead.gained, 6)}`);
    if (d.nonRead.lost.count) out.push(`- non-read actions ${actionsText(d.nonRead.lost, 6)}`);
    for (const u of d.unresolved.gained) out.push(`+ unknown part (could grant anything): ${u}`);
    for (const u of d.unresolved.lost) out.push(`- unknown part: ${u}`);
    if (d.headWithinBase) out.push(`head stays within base: ${withinText(d.headWithinBase)}`);
    if (d.baseWithinHead) out.push(`base stays within head: ${withinText(d.baseWithinHead)}`);
    const MAX_CONDITIONAL = 8;
    for (const c of d.conditional.slice(0, MAX_CONDITIONAL)) {
      out.push(`${c.became ? 'became' : 'no longer'} conditional: ${c.subject === 'task' ? 'console task ' : ''}${c.name} (${c.from} -> ${c.to})${c.dependsOn.length ? `; depends on ${c.dependsOn.join(', ')}` : ''}`);
    }
    if (d.conditional.length > MAX_CONDITIONAL) out.push(`and ${d.conditional.length - MAX_CONDITIONAL} more answers that became or stopped being conditional (JSON has them all)`);
  }
  const p = d.policies;
  const pol = [...p.attached.map((x) => `+ ${x}`), ...p.detached.map((x) => `- ${x}`), ...p.edited.map((x) => `edited ${x}`)];
  if (pol.length) out.push(`policies: ${pol.join(', ')}`);
  for (const i of d.inputs) out.push(`input changed: ${i}`);
  if (d.change === 'changed' && !d.gained && !d.lost && !rename) out.push('no access change');
  return out;
}

function ruleLine(r: RuleChange): string {
  return `${r.rule}: ${refText(r.principal)}: ${r.subjects.slice(0, 6).join(', ')}${r.subjects.length > 6 ? `, and ${r.subjects.length - 6} more` : ''}`;
}

function filesLine(report: DiffReport): string {
  const f = report.stats.files;
  return `Files: ${f.base} at base, ${f.head} at head; ${f.unchanged} unchanged (${report.stats.guardrailsChanged ? 'content hash equal, loaded and evaluated anyway: the guardrails differ' : 'content hash equal: not loaded, not evaluated'}), ${f.changed} changed, ${f.added} added, ${f.removed} removed; ${report.stats.loaded} loaded, ${report.stats.principals.compared} principal pairs evaluated, ${report.stats.principals.identical} identical.`;
}

export function renderDiffText(report: DiffReport): string {
  const out: string[] = [];
  out.push(`jest-connect-iam diff: base ${sideText(report.base)} -> head ${sideText(report.head)}`);
  out.push(summaryLine(report));
  for (const d of report.principals) {
    out.push('');
    out.push(`${d.change.padEnd(8)} ${refText(who(d))}${d.gained ? '  [gains access]' : d.lost ? '  [loses access]' : ''}`);
    for (const l of detailLines(d)) out.push(`  ${l}`);
  }
  if (report.rules) {
    const c = report.rules.changes;
    const news = c.filter((r) => r.state === 'new');
    const fixed = c.filter((r) => r.state === 'fixed');
    const existing = c.filter((r) => r.state === 'existing');
    out.push('');
    out.push(`Rules (${report.rules.file}): ${news.length} newly violated, ${fixed.length} fixed, ${existing.length} violated at both sides (in changed files)`);
    for (const r of news) out.push(`  new:      ${ruleLine(r)}`);
    for (const r of fixed) out.push(`  fixed:    ${ruleLine(r)}`);
    for (const r of existing) out.push(`  existing: ${ruleLine(r)}`);
  }
  if (report.inputs.length) {
    out.push('');
    out.push('Evaluation inputs that changed (not policy edits):');
    for (const i of report.inputs) out.push(`  ${i.message}`);
  }
  const problems = report.problems.filter((p) => p.severity !== 'note');
  if (problems.length) {
    out.push('');
    out.push('Problems:');
    for (const p of problems) out.push(`  ${p.side} ${p.severity}: ${p.location?.file ? `${p.location.file}${p.location.line !== undefined ? `:${p.location.line}` : ''}: ` : ''}${p.message}`);
  }
  out.push('');
  out.push(filesLine(report));
  return out.join('\n') + '\n';
}

/** Escape text for a markdown table cell or line (no HTML, no pipes, no line breaks). */
export function md(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/\r?\n/g, ' ')
    .replace(/^([+-])/, '\\$1') // not a list marker
    .replace(/^(\d+)([.)])/, '$1\\$2'); // not an ordered list
}

/** A code span; `|` is escaped because GFM splits table cells on it even inside code. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}

const MAX_ROWS = 40;
const MAX_BODY = 60_000; // GitHub's comment limit is 65,536 characters

function cellList(items: readonly string[], max = 4): string {
  if (!items.length) return '—';
  return items.slice(0, max).map(md).join('<br>') + (items.length > max ? `<br>and ${items.length - max} more` : '');
}

function cellActions(a: ActionChanges): string {
  if (!a.count) return '—';
  return `**${a.count}**: ${a.byService.slice(0, 3).map((g) => `${md(g.service)} ${g.count}`).join(', ')}${a.byService.length > 3 ? ', ...' : ''}`;
}

export function renderDiffMarkdown(report: DiffReport, options: { readonly version?: string } = {}): string {
  const s = report.summary;
  const out: string[] = [DIFF_COMMENT_MARKER, '### IAM access review (jest-connect-iam)', ''];
  out.push(`**${md(summaryLine(report))}**`);
  out.push('');
  const rows = report.principals;
  if (rows.length) {
    out.push('| Principal | Change | Console tasks gained | Console tasks lost | Non-read actions gained | Non-read actions lost |');
    out.push('| --- | --- | --- | --- | --- | --- |');
    for (const d of rows.slice(0, MAX_ROWS)) {
      const r = who(d);
      const change = d.change === 'changed' ? (renameText(d) ? 'renamed' : 'changed') : d.change;
      const flag = d.gained ? 'gains' : d.lost ? 'loses' : 'no access change';
      out.push(
        `| ${code(r.id)}<br><sub>${md(r.kind)} · ${md(r.file)}</sub> | ${change}, ${flag} | ${cellList(d.tasks.gained.map((t) => taskText(t, 'gained')))} | ${cellList(d.tasks.lost.map((t) => taskText(t, 'lost')))} | ${cellActions(d.nonRead.gained)} | ${cellActions(d.nonRead.lost)} |`,
      );
    }
    if (rows.length > MAX_ROWS) out.push(`| and ${rows.length - MAX_ROWS} more principals (see the job's text output) | | | | | |`);
    out.push('');
  }
  if (report.rules) {
    const news = report.rules.changes.filter((r) => r.state === 'new');
    const fixed = report.rules.changes.filter((r) => r.state === 'fixed');
    out.push(`**Rules** (${code(report.rules.file)}): ${news.length} newly violated, ${fixed.length} fixed.`);
    for (const r of news.slice(0, 20)) out.push(`- newly violated: ${md(ruleLine(r))}`);
    for (const r of fixed.slice(0, 20)) out.push(`- fixed: ${md(ruleLine(r))}`);
    out.push('');
  }
  const details = rows.filter((d) => detailLines(d).length > 0).slice(0, MAX_ROWS);
  for (const d of details) {
    out.push(`<details><summary>${md(who(d).id)}: details</summary>`);
    out.push('');
    for (const l of detailLines(d)) out.push(`- ${md(l)}`);
    out.push('');
    out.push('</details>');
    out.push('');
  }
  if (report.inputs.length) {
    out.push('<details><summary>Evaluation inputs that changed (not policy edits)</summary>');
    out.push('');
    for (const i of report.inputs) out.push(`- ${md(i.message)}`);
    out.push('');
    out.push('</details>');
    out.push('');
  }
  const problems = report.problems.filter((p) => p.severity !== 'note');
  if (problems.length) {
    out.push(`<details><summary>${plural(problems.length, 'problem')}</summary>`);
    out.push('');
    for (const p of problems.slice(0, 50)) out.push(`- ${p.side} ${p.severity}: ${md(`${p.location?.file ? `${p.location.file}: ` : ''}${p.message}`)}`);
    out.push('');
    out.push('</details>');
    out.push('');
  }
  const f = report.stats.files;
  out.push(
    `<sub>base ${md(sideText(report.base))} → head ${md(sideText(report.head))} · ${f.unchanged} of ${Math.max(f.base, f.head)} files unchanged (not re-evaluated) · ${s.changed} changed, ${s.added} added, ${s.removed} removed principals · jest-connect-iam${options.version ? ` ${md(options.version)}` : ''}</sub>`,
  );
  let body = out.join('\n') + '\n';
  if (body.length > MAX_BODY) body = body.slice(0, MAX_BODY) + '\n\n…(truncated: the full report is in the job log)\n';
  return body;
}

export function renderDiffJson(report: DiffReport, options: { readonly version?: string } = {}): string {
  return JSON.stringify({ tool: 'jest-connect-iam', ...(options.version ? { version: options.version } : {}), summaryLine: summaryLine(report), ...report }, null, 2) + '\n';
}

const SARIF_RULES = {
  'gained-console-task': 'A principal gains a console task',
  'gained-non-read-actions': 'A principal gains non-read (Write, Permissions management, Tagging) actions',
  'gained-access': 'A principal no longer stays within what it granted at the base',
  'gained-unknown': 'A principal gains an unknown part that could grant anything',
  'added-principal': 'A principal that grants access is added',
  'newly-violated': 'A rule that held at the base fails at the head',
  'input-error': 'The head could not be fully read',
} as const;
type SarifRule = keyof typeof SARIF_RULES;

function sarifLocation(loc: SourceLocation | undefined): unknown[] {
  if (!loc?.file) return [];
  return [{ physicalLocation: { artifactLocation: { uri: toUri(loc.file), uriBaseId: '%SRCROOT%' }, ...(loc.line !== undefined && loc.line >= 1 ? { region: { startLine: loc.line } } : {}) } }];
}

/** SARIF 2.1.0 with only what the head adds (baselineState "new"), at the head's file and line. */
export function renderDiffSarif(report: DiffReport, options: { readonly version?: string } = {}): string {
  const ids = Object.keys(SARIF_RULES) as SarifRule[];
  const results: unknown[] = [];
  const add = (rule: SarifRule, level: 'error' | 'warning', text: string, loc: SourceLocation | undefined, fingerprint: string): void => {
    results.push({
      ruleId: `jest-connect-iam/diff/${rule}`,
      ruleIndex: ids.indexOf(rule),
      level,
      baselineState: 'new',
      message: { text },
      locations: sarifLocation(loc),
      partialFingerprints: { 'jestConnectIamDiff/v1': fingerprint },
    });
  };
  for (const d of report.principals) {
    if (!d.gained || !d.head) continue;
    const r = d.head;
    const loc = d.locations[0] ?? { file: r.file, ...(r.line !== undefined ? { line: r.line } : {}) };
    const at = { file: r.file, ...(r.line !== undefined ? { line: r.line } : {}) };
    if (d.change === 'added') {
      const a = d.access!;
      add('added-principal', d.gainedWrite ? 'error' : 'warning', `${refText(r)} is added: ${plural(a.tasks.length, 'console task')}, ${plural(a.nonRead.count, 'non-read action')}${a.nonRead.count ? ` (${actionsText(a.nonRead)})` : ''}, ${plural(a.actions, 'action')} in all`, at, `added|${r.key}`);
      continue;
    }
    for (const t of d.tasks.gained) add('gained-console-task', 'warning', `${refText(r)} gains console task ${taskText(t, 'gained')}`, at, `task|${r.key}|${t.id}`);
    for (const g of d.nonRead.gained.byService) {
      add('gained-non-read-actions', 'error', `${refText(r)} gains ${plural(g.count, `non-read ${g.service} action`)}: ${g.first.join(', ')}${g.count > g.first.length ? ', ...' : ''}`, loc, `nonread|${r.key}|${g.service}`);
    }
    for (const u of d.unresolved.gained) add('gained-unknown', 'error', `${refText(r)} gains an unknown part: ${u}`, at, `unknown|${r.key}|${u}`);
    const w = d.headWithinBase;
    if (w && w.definite + w.possible > 0 && d.nonRead.gained.count === 0) {
      add('gained-access', 'warning', `${refText(r)} does not stay within the base: ${withinText(w)}`, loc, `within|${r.key}`);
    }
  }
  for (const c of report.rules?.changes ?? []) {
    if (c.state !== 'new') continue;
    add('newly-violated', 'error', `rule ${c.rule} newly violated by ${refText(c.principal)}: ${c.subjects.slice(0, 6).join(', ')}`, c.location ?? { file: c.principal.file }, `rule|${c.rule}|${c.principal.key}`);
  }
  for (const p of report.problems) {
    if (p.side !== 'head' || p.severity !== 'error') continue;
    add('input-error', 'error', p.message, p.location, `problem|${p.kind}|${p.location?.file ?? ''}|${p.message}`);
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'jest-connect-iam',
            informationUri: TOOL_URI,
            ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
            rules: ids.map((id) => ({ id: `jest-connect-iam/diff/${id}`, name: id, shortDescription: { text: SARIF_RULES[id] }, helpUri: TOOL_URI })),
          },
        },
        invocations: [{ executionSuccessful: report.exitCode !== 2, exitCode: report.exitCode }],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
