/** `jest-connect-iam explain <file> <principal> <action|Page / Task>`: one decision with its full evidence. */
import { findPage, parseTaskRef } from '../../catalog';
import { UnknownNameError } from '../../errors';
import { checkConsoleTask, evaluate } from '../../evaluator';
import { assertResourcesFit, givenResources, resourcesFor } from '../../evaluator/resources';
import type { EvaluateOptions, EvaluationResult } from '../../evaluator/types';
import { expandActionPattern, assertKnownAction } from '../../iam';
import { loadFile } from '../../loaders';
import type { Principal } from '../../policy/types';
import { describeDecision, renderEvaluationEvidence, renderEvidenceList } from '../../report/evidence';
import { closestNames } from '../../util/suggest';
import * as path from 'node:path';
import type { GuardrailOptions } from '../../evaluator/guardrails/types';
import { guardrailsFor, resolveGuardrails } from '../../rules/guardrails';
import { loadRulesFile } from '../../rules/parse';
import { nameMatches } from '../../rules/run';
import { planScan } from '../../scan';
import { CliUsageError, INPUT_OPTIONS, parseArgs, parseInputs, parseResourceOption, renderHelp, type CommandSpec } from '../args';
import { writeResult, type Streams } from '../io';

export const explainSpec: CommandSpec = {
  name: 'explain',
  summary: 'Explain one decision: does <principal> in <file> get <action> (or the console task "Page / Task"), and which statements decide it.',
  positionals: ['file', 'principal', 'action|Page / Task'],
  options: [
    {
      name: 'resource',
      value: true,
      repeatable: true,
      placeholder: '[service=]arn',
      help: 'a resource asked about: it applies to the actions whose resource types it fits, the others stay at any resource (default: * or the catalog resource)',
    },
    { name: 'context', value: true, repeatable: true, placeholder: 'key=value', help: 'a request context value, e.g. aws:RequestedRegion=eu-west-2' },
    { name: 'format', alias: 'f', value: true, placeholder: 'format', choices: ['text', 'json'], help: 'output format (default: text)' },
    { name: 'rules', value: true, placeholder: 'file', help: 'apply the organization: (SCPs, RCPs) and resourcePolicies: sections of this rules file (paths in it are relative to its directory)' },
    ...INPUT_OPTIONS,
  ],
  details: `
<principal> is a logical id or physical name in the file (for a policy file, the name the loader gives it).
A third argument containing " / " is a console task; anything else is an IAM action (wildcards allowed:
every action they match is explained). Unknown names are errors (exit 2) with the closest ones.

Exit codes: 0 explained; 2 usage or input errors.

--resource is repeatable: plain ARNs (--resource arn:aws:s3:::recordings) or service=ARN
(--resource kms=arn:aws:kms:eu-west-2:111122223333:key/k1). Each applies only to the actions whose
resource types it fits; an ARN that fits no action asked about is a usage error (exit 2).

Examples:
  jest-connect-iam explain infra/connect.yaml AuditorRole connect:UpdateInstanceAttribute
  jest-connect-iam explain infra/connect.yaml AdminRole 'Data storage / Edit call recording'
  jest-connect-iam explain infra/connect.yaml AdminRole 'Data storage / Edit call recording' \\
    --resource arn:aws:connect:eu-west-2:111122223333:instance/abcd --resource s3=arn:aws:s3:::recordings
`,
};

function parseContext(values: readonly string[] | undefined): Record<string, string | string[]> | undefined {
  if (!values) return undefined;
  const ctx: Record<string, string | string[]> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) throw new CliUsageError(`--context needs key=value, got '${v}'`, 'explain');
    const key = v.slice(0, i);
    const value = v.slice(i + 1);
    const prev = ctx[key];
    ctx[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return ctx;
}

/** The resource pin as CLI flags: `--resource connect=arn:… --resource s3=arn:…`. */
function resourceFlags(pin: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(pin)
    .flatMap(([service, list]) => list.map((r) => `--resource '${service}=${r}'`))
    .join(' ');
}

export function findPrincipal(principals: readonly Principal[], name: string, file: string): Principal {
  const exact = principals.find((p) => p.id === name || p.name === name);
  if (exact) return exact;
  const folded = principals.filter((p) => p.id.toLowerCase() === name.toLowerCase() || p.name?.toLowerCase() === name.toLowerCase());
  if (folded.length === 1) return folded[0]!;
  const names = principals.flatMap((p) => [p.id, ...(p.name && p.name !== p.id ? [p.name] : [])]);
  throw new UnknownNameError('principal', name, closestNames(name, names), `(in ${file}; principals: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''})`);
}

/** The guardrails a rules file's organization: / resourcePolicies: sections give this principal (as `check` applies them). */
function guardrailsOfRulesFile(rulesFile: string, file: string, principal: Principal): GuardrailOptions {
  const ruleSet = loadRulesFile(rulesFile);
  const root = path.dirname(path.resolve(rulesFile));
  const filesOf = (patterns: readonly string[]): ReadonlySet<string> => new Set(planScan({ cwd: root, files: patterns }).entries.map((e) => e.path));
  const resolved = resolveGuardrails(ruleSet.organization ?? [], ruleSet.resourcePolicies ?? [], root, filesOf);
  const rel = path.relative(root, path.resolve(file)).split(path.sep).join('/');
  return guardrailsFor(resolved, rel, principal, nameMatches) ?? {};
}

export function runExplainCommand(argv: readonly string[], streams: Streams): number {
  const args = parseArgs(explainSpec, argv);
  if (args.help) {
    streams.stdout.write(renderHelp(explainSpec));
    return 0;
  }
  const [file, principalName, what] = args.positionals as [string, string, string];
  const inputs = parseInputs(args.options, 'explain');
  const loaded = loadFile(file, inputs ?? {});
  if (loaded.error) throw loaded.error;
  if (loaded.kind === 'not-a-template') {
    throw new CliUsageError(`${file} is neither a policy file nor a template${loaded.reason ? ` (${loaded.reason})` : ''}`, 'explain');
  }
  const principal = findPrincipal(loaded.principals, principalName, file);
  const context = parseContext(args.options.context as readonly string[] | undefined);
  const resource = parseResourceOption(args.options.resource as readonly string[] | undefined, 'explain');
  const options: EvaluateOptions = {
    ...(context ? { context } : {}),
    ...(typeof args.options.rules === 'string' ? guardrailsOfRulesFile(args.options.rules, file, principal) : {}),
  };
  const json = args.options.format === 'json';
  const head = `${principal.kind} ${principal.id}${principal.name && principal.name !== principal.id ? ` (${principal.name})` : ''} in ${file}`;
  if (what.includes(' / ')) {
    const task = parseTaskRef(what);
    const result = checkConsoleTask(principal, task.page, task.id, { ...options, ...(resource !== undefined ? { resource } : {}), prerequisites: true });
    if (json) {
      writeResult(streams, JSON.stringify({ principal: principal.id, file, task: what, result }, null, 2) + '\n', undefined);
      return 0;
    }
    const word = result.granted === 'yes' ? 'granted' : result.granted === 'no' ? 'not granted' : 'conditional';
    const lines = [
      `${head}`,
      `console task '${findPage(task.page).name} / ${task.name}' (${task.id}): ${word}`,
      '',
      ...renderEvidenceList(
        result.actions.map((a) => ({ result: a.result, role: a.role, ...(a.from !== undefined ? { from: a.from } : {}) })),
        { indent: '  ', maxLines: 400, maxStatements: 5, pinFor: 'cli', ...(result.resourcePin ? { omitResourcePin: true } : {}) },
      ),
    ];
    if (result.resourcePin) lines.push('', `to pin the resources: ${resourceFlags(result.resourcePin)}`);
    writeResult(streams, lines.join('\n') + '\n', undefined);
    return 0;
  }
  assertKnownAction(what);
  const actions = expandActionPattern(what);
  const given = givenResources(resource, '--resource');
  assertResourcesFit(given, actions.map((a) => a.name), what.includes('*') || what.includes('?') ? `the actions matching ${what}` : what, '--resource');
  const results: EvaluationResult[] = [];
  for (const a of actions) {
    const fitting = resourcesFor(given, a.name);
    for (const r of fitting.length ? fitting : [undefined]) results.push(evaluate(principal, a.name, r === undefined ? options : { ...options, resource: r }));
  }
  if (json) {
    writeResult(streams, JSON.stringify({ principal: principal.id, file, action: what, results }, null, 2) + '\n', undefined);
    return 0;
  }
  const lines = [head, ''];
  for (const r of results) {
    lines.push(...renderEvaluationEvidence(r, { indent: '  ', maxStatements: 10, pinFor: 'cli' }));
    if (r.decision !== 'allowed' && r.reasons.length > 1) lines.push(...r.reasons.slice(1).map((x) => `    ${x}`));
    lines.push('');
  }
  if (results.length > 1) {
    const counts = new Map<string, number>();
    for (const r of results) counts.set(r.decision, (counts.get(r.decision) ?? 0) + 1);
    lines.push(`${results.length} actions: ${[...counts].map(([d, n]) => `${n} ${describeDecision(d as 'allowed')}`).join(', ')}`);
  }
  writeResult(streams, lines.join('\n') + '\n', undefined);
  return 0;
}
