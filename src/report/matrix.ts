/**
 * Renderers for the console matrix (principal x console task): text, Markdown, JSON and a
 * single self-contained HTML page (inline CSS and script, no external assets) with a
 * coloured grid, a legend, and filters by page and by principal.
 */
import type { MatrixCell, MatrixData } from '../rules/matrix';
import type { Problem } from '../rules/types';
import { locationText } from './check-text';
import { xmlEscape } from './junit';

export interface MatrixRenderOptions {
  /**
   * How the scanned directory is shown (the CLI passes it relative to where it was run).
   * @default data.root
   */
  readonly root?: string;
  /**
   * Leave out principals that grant no console task, not even conditionally (every cell 'no').
   * The HTML page keeps them and starts with its "hide" toggle on.
   */
  readonly hideEmpty?: boolean;
}

/** A principal whose every cell is 'no': it grants no console task, not even conditionally. */
export function grantsNothing(data: MatrixData, i: number): boolean {
  return data.cells[i]!.every((c) => c === 'no');
}

/** The data with principals that grant nothing left out (and how many were). */
function visible(data: MatrixData, options: MatrixRenderOptions): { data: MatrixData; hidden: number } {
  if (!options.hideEmpty) return { data, hidden: 0 };
  const keep = data.principals.map((_, i) => !grantsNothing(data, i));
  const pick = <T>(list: readonly T[]): T[] => list.filter((_, i) => keep[i]);
  return {
    data: { ...data, principals: pick(data.principals), cells: pick(data.cells), why: pick(data.why) },
    hidden: keep.filter((k) => !k).length,
  };
}

function hiddenLine(hidden: number): string[] {
  return hidden ? [`${hidden} principal${hidden === 1 ? '' : 's'} that grant no console task (not even conditionally) left out (--hide-empty)`] : [];
}

const SYMBOL: Record<MatrixCell, string> = { yes: 'Y', conditional: '?', no: '.' };
const WORD: Record<MatrixCell, string> = { yes: 'granted', conditional: 'conditional', no: 'not granted' };

const IAM_ARN = /^arn:[^:]+:iam::(\d{12}):(role|user|group)\/(?:.*\/)?([^/]+)$/;

/**
 * A column's label: the principal's id, with its name when that differs. A principal read from
 * an account is identified by its ARN; it is labelled `role/name (account 111122223333)` (the
 * type, because a role and a user may share a name; the account, because two dumps may hold
 * the same name), the ARN staying in the text format's detail line and the JSON.
 */
function principalLabel(p: MatrixData['principals'][number]): string {
  const arn = IAM_ARN.exec(p.id);
  if (arn) return `${arn[2]}/${arn[3]} (account ${arn[1]})`;
  return `${p.id}${p.name && p.name !== p.id ? ` (${p.name})` : ''}`;
}

/**
 * An HTML column header in two parts, the distinguishing one first (the header is cut at its
 * end when long): an account principal's name, then its type and account; else the id (a
 * Terraform address whole: the module instance key is what tells two instances apart), then
 * the kind. The header's title keeps the whole id.
 */
function headerParts(p: MatrixData['principals'][number]): { main: string; detail: string } {
  const arn = IAM_ARN.exec(p.id);
  if (arn) return { main: arn[3]!, detail: `${arn[2]} · account ${arn[1]}` };
  return { main: p.id, detail: p.kind };
}

/** `error: infra/bad.yaml:12:5: cannot be read: ...`: severity, file:line where known, message. */
function problemLine(p: Problem): string {
  const where = locationText(p.location);
  return `${p.severity}: ${where ? `${where}: ` : ''}${p.message}`;
}

function problemLines(data: MatrixData): string[] {
  return data.problems.filter((p) => p.severity !== 'note').map(problemLine);
}

export function renderMatrixText(all: MatrixData, options: MatrixRenderOptions = {}): string {
  const { data, hidden } = visible(all, options);
  const lines: string[] = [`Console matrix for ${options.root ?? data.root}: ${data.principals.length} principals x ${data.tasks.length} tasks`, 'Legend: Y granted   ? conditional   . not granted', ...hiddenLine(hidden), ''];
  data.principals.forEach((p, i) => {
    const label = principalLabel(p);
    lines.push(`${label}  [${p.kind}, ${p.file}${p.line !== undefined ? `:${p.line}` : ''}${label.startsWith(p.id) ? '' : `, ${p.id}`}]`);
    let page = '';
    let row = '';
    data.tasks.forEach((t, j) => {
      if (t.page !== page) {
        if (row) lines.push(row);
        page = t.page;
        row = `  ${page.padEnd(24)} `;
      }
      row += SYMBOL[data.cells[i]![j]!];
    });
    if (row) lines.push(row);
    const granted = data.tasks.filter((_, j) => data.cells[i]![j] === 'yes').map((t) => t.ref);
    const cond = data.tasks.filter((_, j) => data.cells[i]![j] === 'conditional').map((t) => t.ref);
    lines.push(`  granted (${granted.length}): ${granted.length ? granted.join('; ') : '-'}`);
    if (cond.length) lines.push(`  conditional (${cond.length}): ${cond.join('; ')}`);
    lines.push('');
  });
  lines.push(...problemLines(data));
  return lines.join('\n') + '\n';
}

function mdEscape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMatrixMarkdown(all: MatrixData, options: MatrixRenderOptions = {}): string {
  const { data, hidden } = visible(all, options);
  const head = ['Page / Task', ...data.principals.map((p) => mdEscape(principalLabel(p)))];
  const mark: Record<MatrixCell, string> = { yes: '✅', conditional: '⚠️', no: '—' };
  const lines = [
    `# Amazon Connect console access`,
    '',
    `${data.principals.length} principals from \`${mdEscape(options.root ?? data.root)}\`. ✅ granted · ⚠️ conditional (depends on context or unknown values) · — not granted.`,
    ...hiddenLine(hidden).flatMap((l) => ['', l]),
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
  ];
  data.tasks.forEach((t, j) => {
    lines.push(`| ${mdEscape(t.ref)} | ${data.principals.map((_, i) => mark[data.cells[i]![j]!]).join(' | ')} |`);
  });
  const problems = problemLines(data);
  if (problems.length) lines.push('', '## Problems', '', ...problems.map((p) => `- ${mdEscape(p)}`));
  return lines.join('\n') + '\n';
}

export function renderMatrixJson(all: MatrixData, options: MatrixRenderOptions = {}): string {
  const { data, hidden } = visible(all, options);
  return JSON.stringify(
    {
      format: 'jest-connect-iam/matrix@1',
      root: data.root,
      ...(options.hideEmpty ? { hiddenPrincipals: hidden } : {}),
      tasks: data.tasks,
      principals: data.principals.map((p, i) => ({
        ...p,
        tasks: Object.fromEntries(data.tasks.map((t, j) => [t.ref, { granted: data.cells[i]![j]!, ...(data.why[i]![j] ? { why: data.why[i]![j] } : {}) }])),
      })),
      problems: data.problems,
      stats: data.stats,
    },
    null,
    2,
  ) + '\n';
}

const CSS = `
:root { --yes:#1a7f37; --yes-bg:#dafbe1; --cond:#9a6700; --cond-bg:#fff8c5; --no:#6e7781; --no-bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1f2328; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sub { color: #57606a; margin: 0 0 16px; }
.bar { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; margin-bottom: 12px; }
.bar label { font-weight: 600; }
.bar select, .bar input { font: inherit; padding: 4px 6px; border: 1px solid #d0d7de; border-radius: 6px; }
.legend { flex-basis: 100%; }
.legend span { display: inline-flex; align-items: center; gap: 6px; margin-right: 14px; }
.sw { width: 14px; height: 14px; border-radius: 3px; display: inline-block; border: 1px solid rgba(0,0,0,.1); }
.wrap { overflow: auto; max-height: 80vh; border: 1px solid #d0d7de; border-radius: 6px; }
table { border-collapse: separate; border-spacing: 0; }
th, td { border-bottom: 1px solid #eaeef2; border-right: 1px solid #eaeef2; padding: 0; }
thead th { position: sticky; top: 0; background: #fff; z-index: 2; vertical-align: bottom; }
th.task { position: sticky; left: 0; background: #fff; z-index: 1; text-align: left; padding: 4px 10px; font-weight: normal; white-space: nowrap; }
thead th.corner { left: 0; z-index: 3; }
tr.page th { background: #f6f8fa; text-align: left; padding: 6px 10px; position: sticky; left: 0; }
th.principal { vertical-align: bottom; padding: 8px 0; min-width: 40px; }
th.principal div { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; margin: 0 auto; max-height: 320px; overflow: hidden; text-overflow: ellipsis; font-weight: 600; }
th.principal small { color: #57606a; font-weight: normal; }
thead tr.totals th, thead tr.totals td { top: auto; position: static; background: #f6f8fa; font-size: 12px; text-align: center; padding: 3px 0; }
thead tr.totals th.task { text-align: left; padding: 3px 10px; }
td.cell { width: 40px; height: 26px; text-align: center; font-weight: 700; cursor: default; }
td.yes { background: var(--yes-bg); color: var(--yes); }
td.conditional { background: var(--cond-bg); color: var(--cond); }
td.no { background: var(--no-bg); color: var(--no); }
.hidden { display: none; }
.problems { margin-top: 16px; color: #cf222e; }
.count { color: #57606a; }
`;

const SCRIPT = `
(function () {
  var page = document.getElementById('page-filter');
  var who = document.getElementById('principal-filter');
  var count = document.getElementById('visible-count');
  var empty = document.getElementById('hide-empty');
  function apply() {
    var p = page.value, w = who.value.trim().toLowerCase(), hideEmpty = empty.checked;
    var cols = document.querySelectorAll('[data-principal]');
    var shownCols = {};
    cols.forEach(function (el) {
      var show = (!w || el.getAttribute('data-principal').toLowerCase().indexOf(w) >= 0) && !(hideEmpty && el.getAttribute('data-empty') === 'true');
      el.classList.toggle('hidden', !show);
      if (el.tagName === 'TH' && show) shownCols[el.getAttribute('data-col')] = true;
    });
    document.querySelectorAll('tr[data-page]').forEach(function (tr) {
      tr.classList.toggle('hidden', !!p && tr.getAttribute('data-page') !== p);
    });
    var n = Object.keys(shownCols).length;
    count.textContent = n + (n === 1 ? ' principal' : ' principals') + ' shown';
  }
  // Filters can be preset from the address: #page=Flows&principal=Auditor (shareable links).
  var params = new URLSearchParams((location.hash || '').replace(/^#/, ''));
  if (params.get('page') !== null) page.value = params.get('page');
  if (params.get('principal') !== null) who.value = params.get('principal');
  if (params.get('hideEmpty') !== null) empty.checked = params.get('hideEmpty') === 'true';
  page.addEventListener('change', apply);
  who.addEventListener('input', apply);
  empty.addEventListener('change', apply);
  apply();
  document.body.setAttribute('data-ready', 'true');
})();
`;

export function renderMatrixHtml(data: MatrixData, options: MatrixRenderOptions = {}): string {
  const e = xmlEscape;
  const pages = [...new Set(data.tasks.map((t) => t.page))];
  const empty = data.principals.map((_, i) => grantsNothing(data, i));
  const emptyCount = empty.filter(Boolean).length;
  const col = (i: number): string => `data-principal="${e(principalLabel(data.principals[i]!))}" data-empty="${empty[i] ? 'true' : 'false'}"`;
  const head = data.principals
    .map((p, i) => {
      const h = headerParts(p);
      return `<th class="principal" ${col(i)} data-col="${i}" title="${e(`${p.kind} ${p.id} (${p.file}${p.line !== undefined ? `:${p.line}` : ''})`)}"><div>${e(h.main)} <small>${e(h.detail)}</small></div></th>`;
    })
    .join('');
  const totals = data.principals
    .map((p, i) => {
      const n = data.cells[i]!.filter((c) => c === 'yes').length;
      const q = data.cells[i]!.filter((c) => c === 'conditional').length;
      void p;
      return `<td class="total" ${col(i)} title="${e(`${n} granted, ${q} conditional of ${data.tasks.length}`)}">${n}${q ? `<br><small>+${q}?</small>` : ''}</td>`;
    })
    .join('');
  const rows: string[] = [];
  let current = '';
  data.tasks.forEach((t, j) => {
    if (t.page !== current) {
      current = t.page;
      rows.push(`<tr class="page" data-page="${e(t.page)}"><th class="task" colspan="${data.principals.length + 1}">${e(t.page)}</th></tr>`);
    }
    const cells = data.principals
      .map((p, i) => {
        const c = data.cells[i]![j]!;
        const why = data.why[i]![j];
        const title = `${principalLabel(p)}: ${t.ref}: ${WORD[c]}${why ? ` (${why})` : ''}`;
        return `<td class="cell ${c}" ${col(i)} data-state="${c}" title="${e(title)}">${c === 'yes' ? '✓' : c === 'conditional' ? '?' : '·'}</td>`;
      })
      .join('');
    rows.push(`<tr data-page="${e(t.page)}"><th class="task" title="${e(t.id)}">${e(t.task)}</th>${cells}</tr>`);
  });
  const problems = problemLines(data);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Amazon Connect console access matrix</title>
<style>${CSS}</style>
</head>
<body>
<h1>Amazon Connect console access</h1>
<p class="sub">${data.principals.length} principals × ${data.tasks.length} console tasks, from <code id="root">${e(options.root ?? data.root)}</code>. Hover a cell for the reason.</p>
<div class="bar">
  <div class="legend" id="legend">
    <span><i class="sw" style="background:var(--yes-bg);border-color:var(--yes)"></i>✓ granted</span>
    <span><i class="sw" style="background:var(--cond-bg);border-color:var(--cond)"></i>? conditional (depends on context or unknown values)</span>
    <span><i class="sw" style="background:var(--no-bg)"></i>· not granted</span>
  </div>
  <label for="page-filter">Page</label>
  <select id="page-filter"><option value="">All pages</option>${pages.map((p) => `<option value="${e(p)}">${e(p)}</option>`).join('')}</select>
  <label for="principal-filter">Principal</label>
  <input id="principal-filter" type="search" placeholder="filter by name">
  <label><input id="hide-empty" type="checkbox"${options.hideEmpty ? ' checked' : ''}> Hide principals that grant no task (${emptyCount})</label>
  <span class="count" id="visible-count"></span>
</div>
<div class="wrap">
<table id="matrix">
<thead><tr><th class="task corner">Page / task</th>${head}</tr><tr class="totals"><th class="task">tasks granted</th>${totals}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>
${problems.length ? `<div class="problems"><strong>Problems</strong><ul>${problems.map((p) => `<li>${e(p)}</li>`).join('')}</ul></div>` : ''}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
