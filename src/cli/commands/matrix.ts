/** `jest-connect-iam matrix`: every principal against every console task. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRulesFile, RULES_FILE_NAMES } from '../../rules/parse';
import { buildMatrix, type MatrixData } from '../../rules/matrix';
import { resolveRoot } from '../../scan';
import { renderMatrixHtml, renderMatrixJson, renderMatrixMarkdown, renderMatrixText, type MatrixRenderOptions } from '../../report/matrix';
import { INPUT_OPTIONS, parseArgs, parseInputs, renderHelp, type CommandSpec } from '../args';
import { locationText } from '../../report/check-text';
import { createProgress, writeResult, type Streams } from '../io';

export const MATRIX_FORMATS = ['text', 'markdown', 'html', 'json'] as const;

export const matrixSpec: CommandSpec = {
  name: 'matrix',
  summary: 'Show every principal in a directory against every Amazon Connect console task: granted, conditional or not granted.',
  positionals: [],
  options: [
    { name: 'cwd', alias: 'C', value: true, placeholder: 'dir', help: 'directory to scan (default: .)' },
    { name: 'files', value: true, repeatable: true, placeholder: 'glob', help: 'files to scan (default: **/*.{json,yaml,yml,template}, cdk.out/**/*.template.json and **/*.tf)' },
    { name: 'format', alias: 'f', value: true, placeholder: 'format', choices: MATRIX_FORMATS, help: 'output format (default: text)' },
    { name: 'output', alias: 'o', value: true, placeholder: 'file', help: 'write the result to a file instead of stdout' },
    { name: 'quiet', alias: 'q', value: false, help: 'no progress line on stderr' },
    { name: 'rules', value: true, placeholder: 'file', help: "a rules file whose organization: and resourcePolicies: sections apply (default: the rules file in --cwd, if any)" },
    { name: 'hide-empty', value: false, help: 'leave out principals that grant no console task (the HTML page can also toggle them)' },
    ...INPUT_OPTIONS,
  ],
  details: `
Exit codes: 0 the matrix is complete; 2 usage or input errors (a file that could not be read,
a pattern that matched nothing, no principal found): the matrix of what could be read is still printed.

Examples:
  jest-connect-iam matrix --cwd infra
  jest-connect-iam matrix --format html --output access.html
`,
};

export function renderMatrix(data: MatrixData, format: (typeof MATRIX_FORMATS)[number], options: MatrixRenderOptions = {}): string {
  switch (format) {
    case 'markdown':
      return renderMatrixMarkdown(data, options);
    case 'html':
      return renderMatrixHtml(data, options);
    case 'json':
      return renderMatrixJson(data, options);
    case 'text':
      return renderMatrixText(data, options);
  }
}

export function runMatrixCommand(argv: readonly string[], streams: Streams): number {
  const args = parseArgs(matrixSpec, argv);
  if (args.help) {
    streams.stdout.write(renderHelp(matrixSpec));
    return 0;
  }
  const format = (args.options.format as (typeof MATRIX_FORMATS)[number] | undefined) ?? 'text';
  const output = typeof args.options.output === 'string' ? path.resolve(args.options.output) : undefined;
  const root = resolveRoot(typeof args.options.cwd === 'string' ? args.options.cwd : '.');
  const files = args.options.files as readonly string[] | undefined;
  // The guardrails (SCPs, RCPs, resource policies) of the repo's rules file apply here too.
  const rulesFile = typeof args.options.rules === 'string' ? path.resolve(args.options.rules) : RULES_FILE_NAMES.map((n) => path.join(root, n)).find((f) => fs.existsSync(f));
  const ruleSet = rulesFile ? loadRulesFile(rulesFile) : undefined;
  const guardrails = ruleSet && (ruleSet.organization || ruleSet.resourcePolicies) ? { ...(ruleSet.organization ? { organization: ruleSet.organization } : {}), ...(ruleSet.resourcePolicies ? { resourcePolicies: ruleSet.resourcePolicies } : {}) } : undefined;
  const inputs = parseInputs(args.options, 'matrix');
  const progress = createProgress(streams, args.options.quiet !== true, 'matrix');
  const before = process.cwd();
  process.chdir(root);
  let data: MatrixData;
  try {
    data = buildMatrix({ cwd: root, ...(files ? { files } : {}), ...(guardrails ? { guardrails } : {}), ...(inputs ? { inputs } : {}), loaderPath: (_a, rel) => rel, onFile: (d, t, f) => progress.update(d, t, f) });
  } finally {
    progress.done();
    process.chdir(before);
  }
  // The scanned directory as the user named it: relative to where the command was run.
  const shownRoot = path.relative(before, root) || '.';
  writeResult(streams, renderMatrix(data, format, { root: shownRoot, ...(args.options['hide-empty'] === true ? { hideEmpty: true } : {}) }), output);
  const errors = data.problems.filter((p) => p.severity !== 'note');
  for (const p of errors) streams.stderr.write(`${p.severity}: ${p.location && locationText(p.location) ? `${locationText(p.location)}: ` : ''}${p.message}\n`);
  return errors.some((p) => p.severity === 'error') ? 2 : 0;
}
