/** `jest-connect-iam policy --task 'Page / Task'`: the least-privilege policy for console tasks. */
import { leastPrivilegePolicy } from '../../rules/least-privilege';
import { CliUsageError, parseArgs, renderHelp, type CommandSpec } from '../args';
import { writeResult, type Streams } from '../io';

export const policySpec: CommandSpec = {
  name: 'policy',
  summary: 'Print the least-privilege IAM policy that grants exactly the given console tasks (with their prerequisites).',
  positionals: [],
  options: [
    { name: 'task', alias: 't', value: true, repeatable: true, placeholder: 'Page / Task', help: "a console task, e.g. 'Data storage / Edit call recording'" },
    { name: 'output', alias: 'o', value: true, placeholder: 'file', help: 'write the policy to a file instead of stdout' },
  ],
  details: `
Every action comes from the catalog with the resource and condition the console uses (for example
iam:CreateServiceLinkedRole only with iam:AWSServiceName = connect.amazonaws.com). An unknown page
or task is an error (exit 2) that names the closest ones.

Example:
  jest-connect-iam policy --task 'Data storage / Edit call recording' --task 'Flows / View Lex bots'
`,
};

export function runPolicyCommand(argv: readonly string[], streams: Streams): number {
  const args = parseArgs(policySpec, argv);
  if (args.help) {
    streams.stdout.write(renderHelp(policySpec));
    return 0;
  }
  const tasks = args.options.task as readonly string[] | undefined;
  if (!tasks || tasks.length === 0) {
    throw new CliUsageError("'policy' needs at least one --task 'Page / Task' (see: jest-connect-iam policy --help)", 'policy');
  }
  const result = leastPrivilegePolicy(tasks);
  writeResult(streams, JSON.stringify(result.document, null, 2) + '\n', typeof args.options.output === 'string' ? args.options.output : undefined);
  return 0;
}
