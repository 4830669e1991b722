/**
 * `jest-connect-iam drift --account dump.json [--cwd repo]`: what differs between the principals
 * a repo defines and what the account holds (an `aws iam get-account-authorization-details` dump).
 * Exit 0: nothing differs; 1: something differs (or a comparison is unknown, unless
 * --allow-unknown); 2: usage or input errors.
 */
import * as path from 'node:path';
import { computeDrift } from '../../analysis/drift';
import { loadAccountAuthorizationDetails } from '../../loaders';
import type { Principal } from '../../policy/types';
import { renderDriftJson, renderDriftMarkdown, renderDriftSarif, renderDriftText, type DriftReport } from '../../report/drift';
import { RuleRun } from '../../rules/run';
import type { Problem } from '../../rules/types';
import { resolveRoot } from '../../scan';
import { CliUsageError, parseArgs, renderHelp, type CommandSpec } from '../args';
import { createProgress, writeResult, type Streams } from '../io';
import { packageVersion } from '../version';

export const DRIFT_FORMATS = ['text', 'markdown', 'json', 'sarif'] as const;

export const driftSpec: CommandSpec = {
  name: 'drift',
  summary: 'Compare the principals a repo defines with an account snapshot (aws iam get-account-authorization-details): console tasks, non-read actions and any action allowed on one side only.',
  positionals: [],
  options: [
    { name: 'account', alias: 'a', value: true, placeholder: 'dump.json', help: 'the account snapshot: `aws iam get-account-authorization-details --output json > dump.json` (required)' },
    { name: 'cwd', alias: 'C', value: true, placeholder: 'dir', help: 'the repo to scan (default: .)' },
    { name: 'files', value: true, repeatable: true, placeholder: 'glob', help: 'repo files to scan (default: **/*.{json,yaml,yml,template} and cdk.out/**/*.template.json)' },
    { name: 'principals', alias: 'p', value: true, repeatable: true, placeholder: 'name', help: 'compare only these principal names (wildcards * and ?), on both sides' },
    { name: 'allow-unknown', value: false, help: 'exit 0 when nothing certainly differs even if some comparisons are unknown' },
    { name: 'format', alias: 'f', value: true, placeholder: 'format', choices: DRIFT_FORMATS, help: 'output format (default: text)' },
    { name: 'output', alias: 'o', value: true, placeholder: 'file', help: 'write the result to a file instead of stdout' },
    { name: 'quiet', alias: 'q', value: false, help: 'no progress line on stderr' },
  ],
  details: `
Pairs repo principals with account principals of the same kind by physical name (RoleName,
UserName, GroupName; a SAM function's role is a role; a role without a static name pairs with the
one account role named <stack>-<LogicalId>-<suffix>) and reports, per pair: console tasks
granted on one side only, non-read actions (Write, Permissions management, Tagging) allowed on
one side only, and every action one side allows beyond the other. Principals only in the account
(service-linked roles aside) or only in the repo are listed and count as differences. A repo
value that is unknown (an unresolved intrinsic, a policy from another stack) makes the
comparison unknown, never drift. AWS managed policies attached in the repo are the bundled
versions; the account side uses the account's default versions (differences are listed).

Exit codes:
  0  nothing differs
  1  something differs; or nothing certainly differs but some comparison is unknown (0 with --allow-unknown)
  2  usage or input errors (no --account, a dump or repo file that cannot be read, no principal in the repo)

Examples:
  aws iam get-account-authorization-details --output json > account.json
  jest-connect-iam drift --account account.json --cwd infra
  jest-connect-iam drift --account account.json --principals 'connect-*' --format sarif --output drift.sarif
`,
};

export function renderDrift(report: DriftReport, format: (typeof DRIFT_FORMATS)[number]): string {
  switch (format) {
    case 'markdown':
      return renderDriftMarkdown(report);
    case 'json':
      return renderDriftJson(report);
    case 'sarif':
      return renderDriftSarif(report, { version: packageVersion() });
    case 'text':
      return renderDriftText(report);
  }
}

export function runDriftCommand(argv: readonly string[], streams: Streams): number {
  const args = parseArgs(driftSpec, argv);
  if (args.help) {
    streams.stdout.write(renderHelp(driftSpec));
    return 0;
  }
  if (typeof args.options.account !== 'string') {
    throw new CliUsageError("'drift' needs --account <dump.json> (the output of `aws iam get-account-authorization-details`; see: jest-connect-iam drift --help)", 'drift');
  }
  const format = (args.options.format as (typeof DRIFT_FORMATS)[number] | undefined) ?? 'text';
  const output = typeof args.options.output === 'string' ? path.resolve(args.options.output) : undefined;
  const dumpPath = path.resolve(args.options.account);
  const root = resolveRoot(typeof args.options.cwd === 'string' ? args.options.cwd : '.');
  const files = args.options.files as readonly string[] | undefined;
  const principals = args.options.principals as readonly string[] | undefined;
  const allowUnknown = args.options['allow-unknown'] === true;
  // The dump is an input error (exit 2) when it cannot be read: PolicySourceError from here.
  const account = loadAccountAuthorizationDetails(dumpPath);
  const progress = createProgress(streams, args.options.quiet !== true, 'drift');
  const before = process.cwd();
  process.chdir(root);
  const repoPrincipals: Principal[] = [];
  const problems: Problem[] = [];
  let run: RuleRun;
  try {
    run = new RuleRun(
      { rules: [{ name: 'drift', select: files ? { files } : {}, expect: {} }], suppressions: [] },
      { cwd: root, loaderPath: (_a, rel) => rel },
    );
    let done = 0;
    for (const file of run.files) {
      if (file.entry.absolute === dumpPath) {
        done++;
        continue;
      }
      const loaded = run.load(file);
      if (loaded.kind === 'principals') {
        // Account dumps inside the repo are snapshots, not what the repo defines (their principals carry an ARN).
        const defined = loaded.principals.filter((p) => p.arn === undefined);
        if (defined.length < loaded.principals.length) {
          problems.push({ kind: 'not-a-template', severity: 'note', message: 'an account snapshot: not compared as repo principals', location: { file: file.entry.path } });
        }
        repoPrincipals.push(...defined);
      }
      done++;
      progress.update(done, run.files.length, file.entry.path);
    }
  } finally {
    progress.done();
    process.chdir(before);
  }
  problems.unshift(...run.problems.filter((p) => p.kind !== 'no-principals'));
  if (!repoPrincipals.some((p) => p.kind === 'role' || p.kind === 'user' || p.kind === 'group' || p.kind === 'function') && !problems.some((p) => p.severity === 'error')) {
    problems.push({ kind: 'no-principals', severity: 'error', message: `no role, user or group found in ${root} (${run.stats.files} files matched): nothing to compare with the account` });
  }
  const result = computeDrift(repoPrincipals, account.principals, principals ? { principals } : {});
  const hasError = problems.some((p) => p.severity === 'error');
  const exitCode: 0 | 1 | 2 = hasError ? 2 : result.status === 'differs' ? 1 : result.status === 'unknown' && !allowUnknown ? 1 : 0;
  const report: DriftReport = {
    ...result,
    account: {
      file: path.relative(root, dumpPath).startsWith('..') ? dumpPath : path.relative(root, dumpPath),
      ...(account.account ? { id: account.account } : {}),
      notes: account.notes,
      managedPolicyDifferences: account.managedPolicyDifferences,
    },
    repo: { root, files: run.stats.read, principals: repoPrincipals.length },
    problems,
    exitCode,
    allowUnknown,
  };
  writeResult(streams, renderDrift(report, format), output);
  if (format !== 'text' || output !== undefined) {
    for (const p of problems.filter((x) => x.severity !== 'note')) streams.stderr.write(`${p.severity}: ${p.message}\n`);
  }
  return exitCode;
}
