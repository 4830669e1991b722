#!/usr/bin/env node
/**
 * The `jest-connect-iam` bin: check, matrix, policy, explain, drift. Results on stdout,
 * diagnostics on stderr; exit 0 success, 1 violations (check), 2 usage or input errors.
 */
import { JestConnectIamError } from '../errors';
import { prepareTerraform } from '../loaders/terraform/hcl';
import { closestNames } from '../util/suggest';
import { CliUsageError } from './args';
import { runCheckCommand, checkSpec } from './commands/check';
import { runDriftCommand, driftSpec } from './commands/drift';
import { runDiffCommand, diffSpec } from './commands/diff';
import { runExplainCommand, explainSpec } from './commands/explain';
import { runManagedPoliciesCommand, managedPoliciesSpec } from './commands/managed-policies';
import { runMatrixCommand, matrixSpec } from './commands/matrix';
import { runPolicyCommand, policySpec } from './commands/policy';
import type { Streams } from './io';
import { packageVersion } from './version';

const COMMANDS = {
  check: { spec: checkSpec, run: runCheckCommand },
  matrix: { spec: matrixSpec, run: runMatrixCommand },
  policy: { spec: policySpec, run: runPolicyCommand },
  explain: { spec: explainSpec, run: runExplainCommand },
  drift: { spec: driftSpec, run: runDriftCommand },
  'managed-policies': { spec: managedPoliciesSpec, run: runManagedPoliciesCommand },
  diff: { spec: diffSpec, run: runDiffCommand },
} as const;
type CommandName = keyof typeof COMMANDS;

export function mainHelp(): string {
  const rows = (Object.keys(COMMANDS) as CommandName[]).map((n) => `  ${n.padEnd(9)} ${COMMANDS[n].spec.summary}`);
  return `Usage: jest-connect-iam <command> [options]

Test what AWS IAM policies grant in the Amazon Connect console.

Commands:
${rows.join('\n')}

Run 'jest-connect-iam <command> --help' for a command's options.
Options: --help, --version
`;
}

/** Run the CLI; returns the exit code (never calls process.exit). */
export function main(argv: readonly string[], streams: Streams = { stdout: process.stdout, stderr: process.stderr }): number {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      streams.stderr.write(mainHelp());
      return 2;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      streams.stdout.write(mainHelp());
      return 0;
    }
    if (first === '--version' || first === '-v') {
      streams.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (!Object.prototype.hasOwnProperty.call(COMMANDS, first)) {
      const near = closestNames(first, Object.keys(COMMANDS));
      throw new CliUsageError(
        `unknown command '${first}'` + (near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
          ` (commands: ${Object.keys(COMMANDS).join(', ')}; see: jest-connect-iam --help)`,
      );
    }
    return COMMANDS[first as CommandName].run(rest, streams);
  } catch (err) {
    if (err instanceof JestConnectIamError) {
      streams.stderr.write(`jest-connect-iam: ${err.message}\n`);
      return 2;
    }
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      // A file-system problem with a path the user gave (--output in a read-only place...).
      streams.stderr.write(`jest-connect-iam: ${(err as Error).message}\n`);
      return 2;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    streams.stderr.write(`jest-connect-iam: internal error: ${e.message}\n${process.env.JEST_CONNECT_IAM_DEBUG ? `${e.stack ?? ''}\n` : '(set JEST_CONNECT_IAM_DEBUG=1 for the stack trace; please report it)\n'}`);
    return 2;
  }
}

/** Commands that read files, and so may meet a Terraform root without a plan (its `.tf` sources need the HCL parser). */
const READS_FILES = new Set(['check', 'matrix', 'policy', 'explain', 'drift', 'diff']);

/**
 * The bin: `main`, after loading the HCL parser (WebAssembly, asynchronous) when the command reads
 * files. If the parser cannot load, the command still runs and each Terraform root without a plan
 * is reported as an input error that says why.
 */
export async function runCli(argv: readonly string[], streams: Streams = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [first, ...rest] = argv;
  if (first !== undefined && READS_FILES.has(first) && !rest.includes('--help') && !rest.includes('-h')) await prepareTerraform().catch(() => undefined);
  return main(argv, streams);
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    // Let stdout drain (large reports to a pipe) before exiting.
    process.exitCode = code;
  });
}
