/** `jest-connect-iam matrix`: every principal against every console task. */
import * as path from 'node:path';
import { buildMatrix, type MatrixData } from '../../rules/matrix';
import { resolveRoot } from '../../scan';
import { renderMatrixHtml, renderMatrixJson, renderMatrixMarkdown, renderMatrixText } from '../../report/matrix';
import { parseArgs, renderHelp, type CommandSpec } from '../args';
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
  ],
  details: `
Exit codes: 0 the matrix is complete; 2 usage or input errors (a file that could not be read,
a pattern that matched nothing, no principal found): the matrix of what could be read is still printed.

Examples:
  jest-connect-iam matrix --cwd infra
  jest-connect-iam matrix --format html --output access.html
`,
};

export function renderMatrix(data: MatrixData, format: (typeof MATRIX_FORMATS)[number]): string {
  switch (format) {
    case 'markdown':
      return renderMatrixMarkdown(data);
    case 'html':
      return renderMatrixHtml(data);
    case 'json':
      return renderMatrixJson(data);
    case 'text':
      return renderMatrixText(data);
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
  const progress = createProgress(streams, args.options.quiet !== true, 'matrix');
  const before = process.cwd();
  process.chdir(root);
  let data: MatrixData;
  try {
    data = buildMatrix({ cwd: root, ...(files ? { files } : {}), loaderPath: (_a, rel) => rel, onFile: (d, t, f) => progress.update(d, t, f) });
  } finally {
    progress.done();
    process.chdir(before);
  }
  writeResult(streams, renderMatrix(data, format), output);
  const errors = data.problems.filter((p) => p.severity !== 'note');
  for (const p of errors) streams.stderr.write(`${p.severity}: ${p.message}\n`);
  return errors.some((p) => p.severity === 'error') ? 2 : 0;
}
