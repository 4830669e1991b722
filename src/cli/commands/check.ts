/**
 * `jest-connect-iam check`: run the rules file over a directory.
 * Exit 0: every rule holds (suppressed violations are listed as suppressed);
 * 1: violations; 2: usage or input errors (an input error outranks violations).
 */
import * as path from 'node:path';
import { findRulesFile, loadRulesFile } from '../../rules/parse';
import { runRuleSet } from '../../rules/run';
import type { CheckReport } from '../../rules/types';
import { resolveRoot } from '../../scan';
import { renderCheckJson } from '../../report/check-json';
import { renderCheckText } from '../../report/check-text';
import { renderJunit } from '../../report/junit';
import { renderSarif } from '../../report/sarif';
import { INPUT_OPTIONS, parseArgs, parseInputs, renderHelp, type CommandSpec } from '../args';
import { locationText } from '../../report/check-text';
import { createProgress, writeResult, type Streams } from '../io';
import { packageVersion } from '../version';
import { applyBaseline, type BaselineResult } from '../../diff/baseline';

/** The baseline's counts: a closing line in text, a `baseline` field in JSON. */
function withBaseline(text: string, format: (typeof CHECK_FORMATS)[number], baseline: BaselineResult['baseline'] | undefined): string {
  if (!baseline) return text;
  const label = `${baseline.ref}${baseline.commit ? ` (${baseline.commit.slice(0, 7)})` : ''}`;
  if (format === 'text') return `${text}Baseline ${label}: ${baseline.new} new violation${baseline.new === 1 ? '' : 's'}, ${baseline.existing} existing (listed as suppressed), ${baseline.fixed} fixed.\n`;
  if (format === 'json') return JSON.stringify({ ...(JSON.parse(text) as object), baseline }, null, 2) + '\n';
  return text;
}

export const CHECK_FORMATS = ['text', 'json', 'junit', 'sarif'] as const;

export const checkSpec: CommandSpec = {
  name: 'check',
  summary: 'Run the rules file (jest-connect-iam.rules.yaml) over a directory and report every principal that breaks a rule.',
  positionals: [],
  options: [
    { name: 'rules', alias: 'r', value: true, placeholder: 'file', help: 'rules file (default: jest-connect-iam.rules.yaml in --cwd)' },
    { name: 'cwd', alias: 'C', value: true, placeholder: 'dir', help: 'directory to scan; rule globs are relative to it (default: .)' },
    { name: 'format', alias: 'f', value: true, placeholder: 'format', choices: CHECK_FORMATS, help: 'output format (default: text)' },
    { name: 'output', alias: 'o', value: true, placeholder: 'file', help: 'write the result to a file instead of stdout' },
    { name: 'quiet', alias: 'q', value: false, help: 'no progress line on stderr' },
    { name: 'baseline', value: true, placeholder: 'git-ref', help: 'report only violations that the git ref (or directory) does not have; existing ones are listed as suppressed' },
    ...INPUT_OPTIONS,
  ],
  details: `
Template values: --param, --pseudo and --condition apply to every template scanned (after the
rules file's parameters, pseudo, conditions and templates entries, so they win). A parameter or
condition that no scanned template declares is an error (probably a typo).

Exit codes:
  0  every rule holds (suppressed violations are shown as suppressed)
  1  at least one violation
  2  usage or input error: no rules file, an invalid rules file, an unknown page/task/action/
     managed policy/principal, a files pattern that matched nothing, a rule that selected no
     principal, a suppression naming no selected principal, or a file that could not be read.
     The other files are still checked and reported; 2 outranks 1 because the verdict is incomplete.

Files: each rule's select.files (default **/*.{json,yaml,yml,template},
cdk.out/**/*.template.json and **/*.tf, each Terraform directory one unit with the plan JSON
beside it, leaving out package.json, package-lock.json, tsconfig*.json and the
rules file). node_modules and .git are never scanned; hidden directories only when a pattern
names them; symbolic links are never followed out of the directory (such files are reported).

Baseline: with --baseline <git-ref>, the same rules run over the ref's tree (read without
touching the work tree; only files whose content differs are checked again); a violation the
baseline has too is listed apart as suppressed ("already violated at baseline ..."), so exit 1
means a new violation.

Examples:
  jest-connect-iam check
  jest-connect-iam check --baseline origin/main
  jest-connect-iam check --cwd infra --format sarif --output results.sarif
  jest-connect-iam check --param Stage=prod --pseudo AccountId=123456789012 --pseudo Region=eu-west-2
`,
};

export function renderReport(report: CheckReport, format: (typeof CHECK_FORMATS)[number]): string {
  switch (format) {
    case 'json':
      return renderCheckJson(report);
    case 'junit':
      return renderJunit(report);
    case 'sarif':
      return renderSarif(report, { version: packageVersion() });
    case 'text':
      return renderCheckText(report);
  }
}

export function runCheckCommand(argv: readonly string[], streams: Streams): number {
  const args = parseArgs(checkSpec, argv);
  if (args.help) {
    streams.stdout.write(renderHelp(checkSpec));
    return 0;
  }
  const format = (args.options.format as (typeof CHECK_FORMATS)[number] | undefined) ?? 'text';
  const output = typeof args.options.output === 'string' ? path.resolve(args.options.output) : undefined;
  const root = resolveRoot(typeof args.options.cwd === 'string' ? args.options.cwd : '.');
  const rulesPath = typeof args.options.rules === 'string' ? path.resolve(args.options.rules) : findRulesFile(root);
  const relRules = path.relative(root, rulesPath);
  const shownRules = relRules && !relRules.startsWith('..') && !path.isAbsolute(relRules) ? relRules : rulesPath;
  const inputs = parseInputs(args.options, 'check');
  const progress = createProgress(streams, args.options.quiet !== true, 'checking');
  // Paths in every message are relative to the scanned directory.
  const before = process.cwd();
  process.chdir(root);
  let report: CheckReport;
  try {
    // The rules file's locations too are relative to the scanned directory (SARIF needs that).
    const ruleSet = loadRulesFile(shownRules);
    report = runRuleSet(
      ruleSet,
      { cwd: root, loaderPath: (_abs, rel) => rel, onFile: (d, t, f) => progress.update(d, t, f), ...(inputs ? { inputs } : {}) },
    );
  } finally {
    progress.done();
    process.chdir(before);
  }
  let baseline: BaselineResult['baseline'] | undefined;
  if (typeof args.options.baseline === 'string') {
    ({ report, baseline } = applyBaseline(report, args.options.baseline, shownRules));
  }
  writeResult(streams, withBaseline(renderReport(report, format), format, baseline), output);
  if (format !== 'text' || output !== undefined) {
    // Diagnostics on stderr so a machine-readable stdout stays clean.
    const errors = report.problems.filter((p) => p.severity !== 'note');
    for (const p of errors) streams.stderr.write(`${p.severity}: ${p.location && locationText(p.location) ? `${locationText(p.location)}: ` : ''}${p.message}\n`);
  }
  return report.exitCode;
}
