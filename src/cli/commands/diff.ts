/**
 * `jest-connect-iam diff --base <git-ref | dir> [--head <git-ref | dir>]`: what a change grants
 * and takes away, per principal, in console tasks and non-read actions.
 * Exit 0: no access gained (as --fail-on counts it); 1: access gained or a rule newly violated;
 * 2: usage or input errors at the head.
 */
import * as path from 'node:path';
import { diff } from '../../diff/run';
import { renderDiffJson, renderDiffMarkdown, renderDiffSarif, renderDiffText } from '../../diff/render';
import type { DiffReport, FailOn } from '../../diff/types';
import { INPUT_OPTIONS, parseArgs, parseInputs, renderHelp, type CommandSpec } from '../args';
import { createProgress, writeResult, type Streams } from '../io';
import { packageVersion } from '../version';

export const DIFF_FORMATS = ['text', 'markdown', 'json', 'sarif'] as const;
export const FAIL_ON = ['gained-any', 'gained-write', 'never'] as const;

export const diffSpec: CommandSpec = {
  name: 'diff',
  summary: 'Say what a change grants and takes away: console tasks and non-read actions gained and lost, per principal, between a base and a head.',
  positionals: [],
  options: [
    { name: 'base', alias: 'b', value: true, placeholder: 'git-ref|dir', help: 'the tree before the change: a git ref (branch, tag, commit) or a directory' },
    { name: 'head', value: true, placeholder: 'git-ref|dir', help: 'the tree after the change (default: --cwd as it is on disk, uncommitted edits included)' },
    { name: 'cwd', alias: 'C', value: true, placeholder: 'dir', help: 'the directory to scan, in the work tree and inside each git ref (default: .)' },
    { name: 'rules', alias: 'r', value: true, placeholder: 'file', help: "rules file, relative to each side's root (default: jest-connect-iam.rules.yaml when the head has one)" },
    { name: 'no-rules', value: false, help: 'do not read a rules file' },
    { name: 'format', alias: 'f', value: true, placeholder: 'format', choices: DIFF_FORMATS, help: 'output format (default: text)' },
    { name: 'output', alias: 'o', value: true, placeholder: 'file', help: 'write the result to a file instead of stdout' },
    { name: 'fail-on', value: true, placeholder: 'when', choices: FAIL_ON, help: 'what makes exit code 1 (default: gained-any)' },
    ...INPUT_OPTIONS,
    { name: 'quiet', alias: 'q', value: false, help: 'no progress line on stderr' },
  ],
  details: `
Sides: a name that is an existing directory (relative to --cwd) is that directory; anything else
is a git ref of the repository --cwd is in, read without touching the work tree or the index
(git read-tree into a temporary index, checkout-index into a temporary directory), at the path
of --cwd inside the repository.

What is compared: every principal of the files the scan selects (the default files, plus what
the rules file selects), paired by file and id (logical id, Terraform address, policy file),
renames detected by physical name. For each pair that changed: the 45 console tasks of the
catalog (gained, lost, became conditional, with what they depend on), the non-read actions
(grouped by service), and toStayWithin both ways. Added and removed principals with their
console tasks and non-read actions. Only files whose content differs are loaded and evaluated.

Rules: the head's rules file is applied to both sides; a rule that holds at the base and fails
at the head is newly violated (exit 1 unless --fail-on never).

Guardrails: each side is evaluated with its own rules file's organization (SCP and RCP levels)
and resourcePolicies sections, per principal as check applies them. An SCP, RCP or resource
policy file added, edited or removed is reported as an evaluation input that changed, and every
principal it applies to is re-evaluated (a task an SCP now denies is lost).

--param, --pseudo and --condition apply to the templates of both sides.

Exit codes:
  0  no access gained (as --fail-on counts it)
  1  access gained: gained-any (default) counts any console task, action or unknown part gained,
     and newly violated rules; gained-write only non-read actions and unknown parts; never: 0
  2  usage or input error: an unknown ref, a file at the head that could not be read, an invalid
     rules file (problems at the base are warnings)

Examples:
  jest-connect-iam diff --base origin/main
  jest-connect-iam diff --base main --head HEAD --format markdown --output comment.md
  jest-connect-iam diff --base ../before --head ../after --fail-on gained-write
`,
};

export function renderDiff(report: DiffReport, format: (typeof DIFF_FORMATS)[number]): string {
  const version = packageVersion();
  switch (format) {
    case 'markdown':
      return renderDiffMarkdown(report, { version });
    case 'json':
      return renderDiffJson(report, { version });
    case 'sarif':
      return renderDiffSarif(report, { version });
    case 'text':
      return renderDiffText(report);
  }
}

export function runDiffCommand(argv: readonly string[], streams: Streams): number {
  const args = parseArgs(diffSpec, argv);
  if (args.help) {
    streams.stdout.write(renderHelp(diffSpec));
    return 0;
  }
  const base = args.options.base;
  if (typeof base !== 'string') {
    streams.stderr.write(`jest-connect-iam: diff needs --base <git-ref | dir> (see: jest-connect-iam diff --help)\n`);
    return 2;
  }
  if (args.options.rules !== undefined && args.options['no-rules'] === true) {
    streams.stderr.write('jest-connect-iam: --rules and --no-rules cannot both be given\n');
    return 2;
  }
  const format = (args.options.format as (typeof DIFF_FORMATS)[number] | undefined) ?? 'text';
  const output = typeof args.options.output === 'string' ? path.resolve(args.options.output) : undefined;
  const inputs = parseInputs(args.options, 'diff');
  const progress = createProgress(streams, args.options.quiet !== true, 'comparing');
  let report: DiffReport;
  try {
    report = diff({
      base,
      ...(typeof args.options.head === 'string' ? { head: args.options.head } : {}),
      cwd: typeof args.options.cwd === 'string' ? args.options.cwd : '.',
      ...(args.options['no-rules'] === true ? { rules: false as const } : typeof args.options.rules === 'string' ? { rules: args.options.rules } : {}),
      failOn: (args.options['fail-on'] as FailOn | undefined) ?? 'gained-any',
      ...(inputs ? { inputs } : {}),
      version: packageVersion(),
      onFile: (d, t, f) => progress.update(d, t, f),
    });
  } finally {
    progress.done();
  }
  writeResult(streams, renderDiff(report, format), output);
  if (format !== 'text' || output !== undefined) {
    for (const p of report.problems) if (p.severity === 'error' && p.side === 'head') streams.stderr.write(`error: ${p.message}\n`);
  }
  return report.exitCode;
}
