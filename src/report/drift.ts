/**
 * The drift report (`jest-connect-iam drift`) as text, Markdown, JSON and SARIF, and the lines the
 * toMatchAccount matcher shows. Every line is rendered from DriftResult / PrincipalDrift data.
 */
import type { DriftResult, PrincipalDrift, PrincipalRefInfo } from '../analysis/drift';
import type { AccountNote, ManagedPolicyVersionDifference } from '../loaders/account/types';
import type { SourceLocation } from '../policy/types';
import type { Problem } from '../rules/types';
import { listWithMore, renderUnresolvedParts, type EvidenceStyle } from './evidence';
import { toUri } from './sarif';

/** What the command compared, and its verdict. */
export interface DriftReport extends DriftResult {
  readonly account: { readonly file: string; readonly id?: string; readonly notes: readonly AccountNote[]; readonly managedPolicyDifferences: readonly ManagedPolicyVersionDifference[] };
  readonly repo: { readonly root: string; readonly files: number; readonly principals: number };
  readonly problems: readonly Problem[];
  /** 0 nothing differs (and nothing is unknown, unless allowed); 1 something differs or is unknown; 2 input errors. */
  readonly exitCode: 0 | 1 | 2;
  /** Unknown comparisons do not fail the run (--allow-unknown). */
  readonly allowUnknown: boolean;
}

const id = (s: string): string => s;

function who(p: PrincipalRefInfo): string {
  return `${p.kind} ${p.name ?? p.id}${p.arn ? ` (${p.arn})` : p.file ? ` (${p.file}${p.line !== undefined ? `:${p.line}` : ''})` : ''}`;
}

/** The differences of one pair, one line each (indented), for the CLI text and the matcher. */
export function renderPairLines(d: PrincipalDrift, opts: { readonly indent?: string; readonly style?: EvidenceStyle; readonly max?: number } = {}): string[] {
  const i = opts.indent ?? '';
  const bad = opts.style?.bad ?? id;
  const dim = opts.style?.dim ?? id;
  const max = opts.max ?? 6;
  const out: string[] = [];
  if (d.identicalDocuments) {
    out.push(`${i}${dim('the same policy documents on both sides')}`);
    return out;
  }
  const tasks = (label: string, list: PrincipalDrift['tasks']['onlyInRepo']): void => {
    if (list.length) out.push(`${i}${bad(label)}: ${listWithMore(list.map((t) => t.task), max)}`);
  };
  tasks('console tasks only the account grants', d.tasks.onlyInAccount);
  tasks('console tasks only the repo grants', d.tasks.onlyInRepo);
  if (d.nonRead.onlyInAccount.length) out.push(`${i}${bad('non-read actions only the account allows')}: ${listWithMore(d.nonRead.onlyInAccount.map((a) => a.action), max)}`);
  if (d.nonRead.onlyInRepo.length) out.push(`${i}${bad('non-read actions only the repo allows')}: ${listWithMore(d.nonRead.onlyInRepo.map((a) => a.action), max)}`);
  if (d.beyondRepo.length) out.push(`${i}${bad('the account allows beyond the repo')}: ${listWithMore(d.beyondRepo, max)}`);
  if (d.beyondAccount.length) out.push(`${i}${bad('the repo allows beyond the account')}: ${listWithMore(d.beyondAccount, max)}`);
  const unknown: string[] = [
    ...d.tasks.unknown.map((t) => `${t.task} (repo ${t.repo}, account ${t.account})`),
    ...d.nonRead.unknown.map((a) => `${a.action} (repo ${a.repo}, account ${a.account})`),
    ...d.possiblyBeyondRepo.filter((a) => !d.nonRead.unknown.some((x) => x.action === a)).map((a) => `${a} (may be beyond the repo)`),
    ...d.possiblyBeyondAccount.filter((a) => !d.nonRead.unknown.some((x) => x.action === a) && !d.possiblyBeyondRepo.includes(a)).map((a) => `${a} (may be beyond the account)`),
  ];
  if (unknown.length) out.push(`${i}unknown (not drift; one side is conditional or unknown): ${listWithMore(unknown, max)}`);
  if (d.unresolved.repo.length) {
    out.push(`${i}unknown parts of the repo side:`);
    out.push(...renderUnresolvedParts(d.unresolved.repo, { indent: `${i}  `, max: 3 }));
  }
  if (d.unresolved.account.length) {
    out.push(`${i}unknown parts of the account side:`);
    out.push(...renderUnresolvedParts(d.unresolved.account, { indent: `${i}  `, max: 3 }));
  }
  if (d.policies.onlyInAccount.length) out.push(`${i}${dim(`policies only in the account: ${listWithMore(d.policies.onlyInAccount, max)}`)}`);
  if (d.policies.onlyInRepo.length) out.push(`${i}${dim(`policies only in the repo: ${listWithMore(d.policies.onlyInRepo, max)}`)}`);
  for (const v of d.managedVersions) out.push(`${i}${dim(`AWS managed policy ${v.policy}: ${v.repo ?? '?'} bundled (repo side) vs ${v.account ?? '?'} in the account`)}`);
  if (!out.length) out.push(`${i}${dim('no difference in console tasks, non-read actions or any action')}`);
  return out;
}

function verdict(r: DriftReport): string {
  if (r.exitCode === 2) return 'incomplete: input errors (see problems)';
  if (r.status === 'differs') return 'the account differs from the repo';
  if (r.status === 'unknown') return `no certain difference, but ${r.counts.unknown + r.counts.unnamed} comparison${r.counts.unknown + r.counts.unnamed === 1 ? '' : 's'} could not be decided${r.allowUnknown ? ' (allowed by --allow-unknown)' : ''}`;
  return 'the account matches the repo';
}

export function renderDriftText(r: DriftReport): string {
  const lines: string[] = [];
  lines.push(`drift: ${r.account.file}${r.account.id ? ` (account ${r.account.id})` : ''} against ${r.repo.root} (${r.repo.principals} principals in ${r.repo.files} files)`);
  lines.push('');
  for (const d of r.pairs) {
    const mark = d.status === 'same' ? 'same' : d.status === 'differs' ? 'DIFFERS' : 'unknown';
    lines.push(`${mark.padEnd(7)} ${d.kind} ${d.name}  repo ${d.repo.id} (${d.repo.file ?? '?'}${d.repo.line !== undefined ? `:${d.repo.line}` : ''}), account ${d.account.arn ?? d.account.id}${d.pairedBy === 'generated-name' ? ' (paired by the name CloudFormation generates)' : ''}`);
    if (d.status !== 'same' || d.managedVersions.length) lines.push(...renderPairLines(d, { indent: '        ' }));
  }
  const countedOnlyAccount = r.onlyInAccount.filter((p) => !p.serviceLinked);
  const slr = r.onlyInAccount.filter((p) => p.serviceLinked);
  if (countedOnlyAccount.length) {
    lines.push('', `Only in the account (${countedOnlyAccount.length}; not defined in the repo):`);
    for (const p of countedOnlyAccount) lines.push(`  ${who(p)}`);
  }
  if (r.onlyInRepo.length) {
    lines.push('', `Only in the repo (${r.onlyInRepo.length}; the account has no ${r.onlyInRepo.length === 1 ? 'principal' : 'principals'} of that name):`);
    for (const p of r.onlyInRepo) lines.push(`  ${who(p)}`);
  }
  if (r.unnamed.length) {
    lines.push('', `Unknown (${r.unnamed.length}; cannot be paired):`);
    for (const p of r.unnamed) lines.push(`  ${who(p)}: ${p.reason}`);
  }
  if (slr.length) lines.push('', `Service-linked roles in the account (AWS's, not compared): ${listWithMore(slr.map((p) => p.name ?? p.id), 5)}`);
  if (r.account.managedPolicyDifferences.length) {
    lines.push('', 'AWS managed policies whose account version is not the bundled one (the account document is used for the account side):');
    for (const m of r.account.managedPolicyDifferences) lines.push(`  ${m.name}: account ${m.accountVersion}, bundled ${m.bundledVersion ?? '?'}${m.sameDocument ? ' (same document)' : ''}`);
  }
  const notes = r.account.notes.filter((n) => n.kind !== 'managed-policy-version');
  if (notes.length) {
    lines.push('', 'Notes on the dump:');
    for (const n of notes.slice(0, 10)) lines.push(`  ${n.message}`);
    if (notes.length > 10) lines.push(`  … and ${notes.length - 10} more`);
  }
  const problems = r.problems.filter((p) => p.severity !== 'note');
  if (problems.length) {
    lines.push('', 'Problems:');
    for (const p of problems) lines.push(`  ${p.severity}: ${p.location?.file ? `${p.location.file}${p.location.line !== undefined ? `:${p.location.line}` : ''}: ` : ''}${p.message}`);
  }
  const c = r.counts;
  lines.push('', `${c.pairs} paired: ${c.differs} differ, ${c.unknown} unknown, ${c.same} same; ${c.onlyInAccount} only in the account, ${c.onlyInRepo} only in the repo${c.unnamed ? `, ${c.unnamed} unnamed` : ''}.`);
  lines.push(`Result: ${verdict(r)}.`);
  return lines.join('\n') + '\n';
}

const md = (s: string): string => s.replace(/[|\\`*_<>]/g, (c) => `\\${c}`);

export function renderDriftMarkdown(r: DriftReport): string {
  const lines: string[] = [];
  lines.push(`## Drift: ${md(r.account.file)}${r.account.id ? ` (account ${r.account.id})` : ''}`, '');
  lines.push(`**Result:** ${md(verdict(r))}`, '');
  lines.push('| status | principal | repo | account | differences |', '| --- | --- | --- | --- | --- |');
  for (const d of r.pairs) {
    const diff = d.status === 'same' ? '' : renderPairLines(d, { max: 4 }).map(md).join('<br>');
    lines.push(`| ${d.status} | ${d.kind} ${md(d.name)} | ${md(`${d.repo.file ?? ''}${d.repo.line !== undefined ? `:${d.repo.line}` : ''}`)} | ${md(d.account.arn ?? d.account.id)} | ${diff} |`);
  }
  for (const p of r.onlyInAccount.filter((x) => !x.serviceLinked)) lines.push(`| only in account | ${p.kind} ${md(p.name ?? p.id)} | | ${md(p.arn ?? '')} | not defined in the repo |`);
  for (const p of r.onlyInRepo) lines.push(`| only in repo | ${p.kind} ${md(p.name ?? p.id)} | ${md(`${p.file ?? ''}${p.line !== undefined ? `:${p.line}` : ''}`)} | | the account has no such principal |`);
  for (const p of r.unnamed) lines.push(`| unknown | ${p.kind} ${md(p.id)} | ${md(p.file ?? '')} | | ${md(p.reason)} |`);
  if (r.account.managedPolicyDifferences.length) {
    lines.push('', '**AWS managed policy versions in the account that are not the bundled ones:** ' + r.account.managedPolicyDifferences.map((m) => `${md(m.name)} ${m.accountVersion} (bundled ${m.bundledVersion ?? '?'})`).join(', '));
  }
  const problems = r.problems.filter((p) => p.severity !== 'note');
  if (problems.length) lines.push('', '**Problems:**', '', ...problems.map((p) => `- ${p.severity}: ${md(p.message)}`));
  return lines.join('\n') + '\n';
}

export function renderDriftJson(r: DriftReport): string {
  // The stay-within results carry full evidence; the JSON keeps the action lists and drops them.
  const pairs = r.pairs.map((p) => {
    const { stayWithin: _drop, ...rest } = p;
    void _drop;
    return rest;
  });
  return JSON.stringify({ ...r, pairs }, null, 2) + '\n';
}

const TOOL_URI = 'https://www.npmjs.com/package/jest-connect-iam';

const DRIFT_RULES: Record<string, string> = {
  'drift/console-task': 'A console task is granted in one of the repo and the account and not in the other',
  'drift/non-read-action': 'A non-read action is allowed in one of the repo and the account and not in the other',
  'drift/beyond-repo': 'The account allows an action the repo does not',
  'drift/beyond-account': 'The repo allows an action the account does not',
  'drift/unknown': 'A comparison could not be decided (conditional or unknown on one side)',
  'drift/only-in-account': 'A principal exists in the account and not in the repo',
  'drift/only-in-repo': 'A principal is defined in the repo and missing from the account',
  'drift/problem': 'The repo or the dump could not be read completely',
};

function loc(l: SourceLocation | PrincipalRefInfo | undefined): unknown[] {
  const file = l?.file;
  if (!file) return [];
  const line = l && 'line' in l ? l.line : undefined;
  // A file outside the repo (the dump, usually) gets an absolute file: URI instead of one relative to %SRCROOT%.
  const artifactLocation = /^([a-zA-Z]:)?[\\/]/.test(file) ? { uri: `file://${file.startsWith('/') ? '' : '/'}${toUri(file)}` } : { uri: toUri(file), uriBaseId: '%SRCROOT%' };
  return [{ physicalLocation: { artifactLocation, ...(line !== undefined && line >= 1 ? { region: { startLine: line } } : {}) } }];
}

export function renderDriftSarif(r: DriftReport, options: { readonly version?: string } = {}): string {
  const ids = Object.keys(DRIFT_RULES);
  const rules = ids.map((ruleId) => ({ id: ruleId, name: ruleId, shortDescription: { text: DRIFT_RULES[ruleId] }, defaultConfiguration: { level: ruleId === 'drift/unknown' ? 'warning' : 'error' }, helpUri: TOOL_URI }));
  const results: unknown[] = [];
  const add = (ruleId: string, text: string, where: PrincipalRefInfo | SourceLocation | undefined, fingerprint: string, level?: string): void => {
    results.push({ ruleId, ruleIndex: ids.indexOf(ruleId), level: level ?? (ruleId === 'drift/unknown' ? 'warning' : 'error'), message: { text }, locations: loc(where), partialFingerprints: { 'jestConnectIam/drift/v1': fingerprint } });
  };
  for (const d of r.pairs) {
    const head = `${d.kind} ${d.name} (account ${d.account.arn ?? d.account.id})`;
    for (const t of d.tasks.onlyInAccount) add('drift/console-task', `${head}: the account grants console task "${t.task}", the repo does not`, d.repo, `${d.name}|task|${t.id}`);
    for (const t of d.tasks.onlyInRepo) add('drift/console-task', `${head}: the repo grants console task "${t.task}", the account does not`, d.repo, `${d.name}|task|${t.id}`);
    for (const a of d.nonRead.onlyInAccount) add('drift/non-read-action', `${head}: the account allows ${a.action} (non-read), the repo does not`, d.repo, `${d.name}|nonread|${a.action}`);
    for (const a of d.nonRead.onlyInRepo) add('drift/non-read-action', `${head}: the repo allows ${a.action} (non-read), the account does not`, d.repo, `${d.name}|nonread|${a.action}`);
    if (d.beyondRepo.length) add('drift/beyond-repo', `${head}: the account allows ${d.beyondRepo.length} action(s) beyond the repo: ${listWithMore(d.beyondRepo, 10)}`, d.repo, `${d.name}|beyond-repo`);
    if (d.beyondAccount.length) add('drift/beyond-account', `${head}: the repo allows ${d.beyondAccount.length} action(s) beyond the account: ${listWithMore(d.beyondAccount, 10)}`, d.repo, `${d.name}|beyond-account`);
    if (d.status === 'unknown') add('drift/unknown', `${head}: ${d.reasons.join(' ')}`, d.repo, `${d.name}|unknown`);
  }
  for (const p of r.onlyInAccount.filter((x) => !x.serviceLinked)) add('drift/only-in-account', `${p.kind} ${p.name ?? p.id} (${p.arn ?? ''}) is in the account and not in the repo`, { file: r.account.file, ...(p.line !== undefined ? { line: p.line } : {}) }, `only-in-account|${p.arn ?? p.id}`);
  for (const p of r.onlyInRepo) add('drift/only-in-repo', `${p.kind} ${p.name ?? p.id} is defined in the repo and not in the account`, p, `only-in-repo|${p.kind}|${p.name ?? p.id}`);
  for (const p of r.unnamed) add('drift/unknown', `${p.kind} ${p.id}: ${p.reason}`, p, `unnamed|${p.file ?? ''}|${p.id}`);
  for (const p of r.problems) if (p.severity !== 'note') add('drift/problem', p.message, p.location, `problem|${p.message}`, p.severity === 'error' ? 'error' : 'warning');
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'jest-connect-iam', informationUri: TOOL_URI, ...(options.version ? { version: options.version, semanticVersion: options.version } : {}), rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${r.repo.root.replace(/\\/g, '/').replace(/\/?$/, '/').split('/').map(encodeURIComponent).join('/')}` } },
        invocations: [{ executionSuccessful: r.exitCode !== 2, exitCode: r.exitCode }],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
