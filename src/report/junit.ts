/**
 * The `check` report as JUnit XML: one <testsuite> per rule, one <testcase> per (rule,
 * principal); a violation is a <failure>, a check that threw an <error>, a suppressed
 * violation <skipped> with the reason. Input problems (unreadable files, globs that matched
 * nothing, unknown names) form a last suite of <error> test cases, so CI shows them too.
 */
import type { CheckReport, Problem, RuleOutcome } from '../rules/types';
import { findingLines, locationText } from './check-text';

/** Escape text for XML content and attributes; drop characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function detail(o: RuleOutcome): string {
  return o.checks.flatMap((c) => findingLines(c, '')).join('\n');
}

function testcase(o: RuleOutcome): string {
  const name = xmlEscape(o.principal.key);
  const cls = xmlEscape(o.rule);
  const file = xmlEscape(o.principal.file);
  const head = `    <testcase classname="${cls}" name="${name}" file="${file}"${o.principal.line !== undefined ? ` line="${o.principal.line}"` : ''} time="0"`;
  if (o.status === 'pass') return `${head}/>`;
  const first = o.checks[0]?.findings[0]?.message ?? o.status;
  const body = xmlEscape(detail(o));
  if (o.status === 'fail') return `${head}>\n      <failure message="${xmlEscape(first)}" type="violation">${body}</failure>\n    </testcase>`;
  if (o.status === 'error') return `${head}>\n      <error message="${xmlEscape(first)}" type="check-error">${body}</error>\n    </testcase>`;
  return `${head}>\n      <skipped message="${xmlEscape(`suppressed: ${o.suppression?.reason ?? ''}`)}"/>\n      <system-out>${body}</system-out>\n    </testcase>`;
}

function problemCase(p: Problem, i: number): string {
  const where = locationText(p.location);
  const name = xmlEscape(`${p.kind}${where ? ` ${where}` : ''} #${i + 1}`);
  return `    <testcase classname="jest-connect-iam.input" name="${name}" time="0">\n      <error message="${xmlEscape(p.message)}" type="${p.kind}">${xmlEscape(p.message)}</error>\n    </testcase>`;
}

function warningCase(p: Problem, i: number): string {
  const where = locationText(p.location);
  const name = xmlEscape(`${p.kind}${where ? ` ${where}` : ''} #${i + 1}`);
  return `    <testcase classname="jest-connect-iam.input" name="${name}" time="0">\n      <skipped message="${xmlEscape(`warning: ${p.message}`)}"/>\n    </testcase>`;
}

export function renderJunit(report: CheckReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const rule of report.rules) {
    const outcomes = report.outcomes.filter((o) => o.rule === rule.name);
    const f = outcomes.filter((o) => o.status === 'fail').length;
    const e = outcomes.filter((o) => o.status === 'error').length;
    const s = outcomes.filter((o) => o.status === 'suppressed').length;
    tests += outcomes.length;
    failures += f;
    errors += e;
    skipped += s;
    const warnings = report.problems.filter((p) => p.rule === rule.name && p.severity === 'warning');
    suites.push(
      `  <testsuite name="${xmlEscape(rule.name)}" tests="${outcomes.length}" failures="${f}" errors="${e}" skipped="${s}" time="0">\n` +
        outcomes.map(testcase).join('\n') +
        (outcomes.length ? '\n' : '') +
        (warnings.length ? `    <system-err>${xmlEscape(warnings.map((w) => w.message).join('\n'))}</system-err>\n` : '') +
        '  </testsuite>',
    );
  }
  // Input problems: errors as <error> cases; warnings not tied to a rule (files found but not
  // read) as <skipped> cases, so a CI page shows them too.
  const errorProblems = report.problems.filter((p) => p.severity === 'error');
  const looseWarnings = report.problems.filter((p) => p.severity === 'warning' && p.rule === undefined);
  if (errorProblems.length || looseWarnings.length) {
    const n = errorProblems.length + looseWarnings.length;
    tests += n;
    errors += errorProblems.length;
    skipped += looseWarnings.length;
    suites.push(
      `  <testsuite name="jest-connect-iam input" tests="${n}" failures="0" errors="${errorProblems.length}" skipped="${looseWarnings.length}" time="0">\n` +
        [...errorProblems.map(problemCase), ...looseWarnings.map((w, i) => warningCase(w, errorProblems.length + i))].join('\n') +
        '\n  </testsuite>',
    );
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="jest-connect-iam" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0">\n` +
    suites.join('\n') +
    (suites.length ? '\n' : '') +
    '</testsuites>\n'
  );
}
