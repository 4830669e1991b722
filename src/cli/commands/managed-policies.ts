/**
 * `jest-connect-iam managed-policies --since <date | version>`: which bundled AWS managed policies
 * the repo's principals attach changed since a date (or since a released version of this package),
 * with the access difference: console tasks and non-read actions gained or lost.
 * Exit 0: nothing they attach changed; 1: something changed (or may have); 2: usage or input errors.
 */
import * as path from 'node:path';
import { accessChange, type AccessChange } from '../../analysis/drift';
import { managedPolicy } from '../../managed';
import { parseSince, versionAt, type Since, type VersionAt } from '../../managed/changes';
import { policiesWithHistory, versionHistoryInfo } from '../../managed/versions';
import { RuleRun } from '../../rules/run';
import type { Problem } from '../../rules/types';
import { resolveRoot } from '../../scan';
import { listWithMore } from '../../report/evidence';
import { CliUsageError, parseArgs, renderHelp, type CommandSpec } from '../args';
import { createProgress, writeResult, type Streams } from '../io';

export const managedPoliciesSpec: CommandSpec = {
  name: 'managed-policies',
  summary: 'Which AWS managed policies the repo attaches changed since a date or a jest-connect-iam version, and what access that gained or lost.',
  positionals: [],
  options: [
    { name: 'since', alias: 's', value: true, placeholder: 'date|version', help: 'a date (2026-01-31) or a jest-connect-iam version (required)' },
    { name: 'cwd', alias: 'C', value: true, placeholder: 'dir', help: 'the repo to scan (default: .)' },
    { name: 'files', value: true, repeatable: true, placeholder: 'glob', help: 'repo files to scan (default: the usual places)' },
    { name: 'all', value: false, help: 'every policy whose versions are bundled, attached or not' },
    { name: 'format', alias: 'f', value: true, placeholder: 'format', choices: ['text', 'json'], help: 'output format (default: text)' },
    { name: 'output', alias: 'o', value: true, placeholder: 'file', help: 'write the result to a file instead of stdout' },
    { name: 'quiet', alias: 'q', value: false, help: 'no progress line on stderr' },
  ],
  details: `
Every version is bundled for the Amazon Connect managed policies and the broad policies that grant
console tasks (AdministratorAccess, PowerUserAccess, ReadOnlyAccess, ViewOnlyAccess, SecurityAudit);
for the others only the default version is, so a change is reported without its access difference.
Version dates come from the managed-policy data; where some are unknown the version in effect at
the date is given as a range, and the comparison starts at the earliest possible one.

Exit codes: 0 nothing the repo attaches changed; 1 something changed or may have; 2 usage or input errors.

Examples:
  jest-connect-iam managed-policies --since 2026-01-01
  jest-connect-iam managed-policies --since 0.1.0 --all --format json
`,
};

export interface PolicyChange {
  readonly policy: string;
  readonly arn: string;
  readonly current: string;
  /** The version in effect at --since (or undefined: created after, or unknown). */
  readonly then?: string;
  readonly exact: boolean;
  readonly latestPossible?: string;
  readonly status: 'changed' | 'unchanged' | 'new' | 'unknown';
  readonly note?: string;
  readonly access?: AccessChange;
  /** Repo principals that attach it (`file#id`). */
  readonly attachedBy: readonly string[];
}

export interface ManagedPoliciesReport {
  readonly since: string;
  readonly source: { readonly package: string; readonly version: string };
  readonly changes: readonly PolicyChange[];
  readonly problems: readonly Problem[];
  readonly exitCode: 0 | 1 | 2;
}

function describeSince(s: Since): string {
  return s.kind === 'date' ? s.date.slice(0, 10) : `jest-connect-iam ${s.version}`;
}

export function policyChange(name: string, since: Since, attachedBy: readonly string[]): PolicyChange {
  const current = managedPolicy(name);
  const at: VersionAt = versionAt(name, since);
  const base = { policy: name, arn: current.arn, current: current.versionId ?? '?', exact: at.exact, attachedBy, ...(at.latestPossible ? { latestPossible: at.latestPossible } : {}), ...(at.note ? { note: at.note } : {}) };
  if (at.createdAfter) return { ...base, status: 'new', note: `created after ${describeSince(since)}` };
  if (at.versionId === undefined) return { ...base, status: 'unknown' };
  if (at.versionId === current.versionId && at.exact) return { ...base, then: at.versionId, status: 'unchanged' };
  let before;
  try {
    before = managedPolicy(name, { version: at.versionId });
  } catch {
    return { ...base, then: at.versionId, status: 'unknown', note: `${at.versionId} is not bundled: the access difference is unknown` };
  }
  const access = at.versionId === current.versionId ? undefined : accessChange(before, current);
  return { ...base, then: at.versionId, status: at.versionId === current.versionId ? 'unknown' : 'changed', ...(access ? { access } : {}) };
}

export function renderManagedPoliciesText(r: ManagedPoliciesReport): string {
  const lines = [`AWS managed policies since ${r.since} (bundled data: ${r.source.package} ${r.source.version})`, ''];
  const shown = r.changes.filter((c) => c.status !== 'unchanged');
  for (const c of shown) {
    const range = c.exact ? '' : ` (the version in effect then is ${c.then ?? '?'}${c.latestPossible ? ` to ${c.latestPossible}` : ''}: some dates are unknown)`;
    const head = c.status === 'new' ? `${c.policy}: new (${c.current})` : c.status === 'unknown' ? `${c.policy}: may have changed (now ${c.current})` : `${c.policy}: ${c.then} -> ${c.current}${range}`;
    lines.push(head);
    if (c.note) lines.push(`  ${c.note}`);
    if (c.access) {
      const a = c.access;
      if (a.tasksGained.length) lines.push(`  console tasks gained: ${listWithMore(a.tasksGained, 6)}`);
      if (a.tasksLost.length) lines.push(`  console tasks lost: ${listWithMore(a.tasksLost, 6)}`);
      if (a.nonReadGained.length) lines.push(`  non-read actions gained: ${listWithMore(a.nonReadGained, 8)}`);
      if (a.nonReadLost.length) lines.push(`  non-read actions lost: ${listWithMore(a.nonReadLost, 8)}`);
      if (a.unknown.length) lines.push(`  changed only on some resources or under conditions (not certain either way): ${listWithMore(a.unknown, 6)}`);
      if (!a.tasksGained.length && !a.tasksLost.length && !a.nonReadGained.length && !a.nonReadLost.length && !a.unknown.length) lines.push('  no console task or non-read action gained or lost (read actions may differ)');
    }
    if (c.attachedBy.length) lines.push(`  attached by: ${listWithMore(c.attachedBy, 5)}`);
  }
  const unchanged = r.changes.filter((c) => c.status === 'unchanged');
  if (unchanged.length) lines.push(...(shown.length ? [''] : []), `Unchanged: ${listWithMore(unchanged.map((c) => `${c.policy} ${c.current}`), 8)}`);
  if (!r.changes.length) lines.push('The repo attaches no AWS managed policy.');
  for (const p of r.problems.filter((x) => x.severity !== 'note')) lines.push(`${p.severity}: ${p.location?.file ? `${p.location.file}: ` : ''}${p.message}`);
  lines.push('', `Result: ${r.exitCode === 2 ? 'incomplete: input errors' : shown.length ? `${shown.length} changed or may have changed` : 'nothing changed'}.`);
  return lines.join('\n') + '\n';
}

export function runManagedPoliciesCommand(argv: readonly string[], streams: Streams): number {
  const args = parseArgs(managedPoliciesSpec, argv);
  if (args.help) {
    streams.stdout.write(renderHelp(managedPoliciesSpec));
    return 0;
  }
  if (typeof args.options.since !== 'string') {
    throw new CliUsageError("'managed-policies' needs --since <date or version> (see: jest-connect-iam managed-policies --help)", 'managed-policies');
  }
  const since = parseSince(args.options.since);
  const output = typeof args.options.output === 'string' ? path.resolve(args.options.output) : undefined;
  const files = args.options.files as readonly string[] | undefined;
  const attached = new Map<string, string[]>();
  const problems: Problem[] = [];
  const all = args.options.all === true;
  if (!all || typeof args.options.cwd === 'string') {
    const root = resolveRoot(typeof args.options.cwd === 'string' ? args.options.cwd : '.');
    const progress = createProgress(streams, args.options.quiet !== true, 'managed-policies');
    const before = process.cwd();
    process.chdir(root);
    try {
      const run = new RuleRun({ rules: [{ name: 'managed-policies', select: files ? { files } : {}, expect: {} }], suppressions: [] }, { cwd: root, loaderPath: (_a, rel) => rel });
      let done = 0;
      for (const file of run.files) {
        const loaded = run.load(file);
        if (loaded.kind === 'principals') {
          for (const p of loaded.principals) {
            if (p.arn !== undefined) continue; // an account snapshot holds the account's documents, not the bundled ones
            for (const x of [...p.policies, ...(p.permissionsBoundary ? [p.permissionsBoundary] : [])]) {
              const bundled = x.document !== undefined ? safeManaged(x.name.replace(/ \(group [^)]*\)$/, '')) : undefined;
              if (bundled && bundled.document === x.document) {
                const list = attached.get(bundled.name) ?? [];
                const who = `${file.entry.path}#${p.id}`;
                if (!list.includes(who)) list.push(who);
                attached.set(bundled.name, list);
              }
            }
          }
        }
        progress.update(++done, run.files.length, file.entry.path);
      }
      problems.push(...run.problems.filter((p) => p.kind !== 'no-principals'));
    } finally {
      progress.done();
      process.chdir(before);
    }
  }
  const names = new Set<string>(attached.keys());
  if (all) for (const n of policiesWithHistory()) names.add(n);
  const changes = [...names].sort().map((n) => policyChange(n, since, attached.get(n) ?? []));
  const changed = changes.some((c) => c.status !== 'unchanged');
  const exitCode: 0 | 1 | 2 = problems.some((p) => p.severity === 'error') ? 2 : changed ? 1 : 0;
  const report: ManagedPoliciesReport = { since: describeSince(since), source: versionHistoryInfo().source, changes, problems, exitCode };
  writeResult(streams, args.options.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderManagedPoliciesText(report), output);
  return exitCode;
}

function safeManaged(name: string): ReturnType<typeof managedPolicy> | undefined {
  try {
    const p = managedPolicy(name);
    return p.owner === 'aws' ? p : undefined;
  } catch {
    return undefined;
  }
}
