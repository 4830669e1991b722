/**
 * Drift: what differs between what a repo says a principal gets and what the account holds.
 *
 * Per pair (a repo principal and the account principal of the same kind and physical name):
 * 1. console tasks granted by one and not the other (checkConsoleTask with prerequisites);
 * 2. non-read actions (Write, Permissions management, Tagging: the read-only analysis sets)
 *    allowed by one and not the other;
 * 3. toStayWithin both ways: every action the account allows that the repo does not, and the reverse.
 *
 * Certain answers only: a difference is reported when one side certainly allows and the other
 * certainly does not. Whenever one side is `conditional` or has unknown parts (an unresolved
 * intrinsic, a policy from another stack, a document missing from the dump), the item is listed as
 * `unknown`, never as drift. A pair whose policy documents (and boundary) are equal as JSON is
 * `same` without further analysis: equal documents grant the same, conditions included.
 */
import { findPage, listTaskRefs, parseTaskRef } from '../catalog';
import { checkConsoleTask } from '../evaluator';
import { findManagedPolicy } from '../managed';
import type { AttachedPolicy, Principal, PrincipalKind } from '../policy/types';
import { checkReadOnly } from './readOnly';
import { principalOf } from './subject';
import { checkStayWithin } from './stayWithin';
import type { OffendingAction, StayWithinResult, UnresolvedPart } from './types';
import { unresolvedParts } from './unresolved';

export type TaskGrant = 'yes' | 'no' | 'conditional';

export interface TaskDifference {
  /** `Page / Task`. */
  readonly task: string;
  readonly id: string;
  readonly repo: TaskGrant;
  readonly account: TaskGrant;
}

/** One action and each side's answer ('not allowed' when the side certainly does not allow it). */
export interface ActionDifference {
  readonly action: string;
  readonly repo: 'allowed' | 'conditional' | 'not allowed' | 'unknown';
  readonly account: 'allowed' | 'conditional' | 'not allowed' | 'unknown';
}

/** Differences of one kind, split into certain ones (each direction) and unknown ones. */
export interface DifferenceSet<T> {
  readonly onlyInRepo: readonly T[];
  readonly onlyInAccount: readonly T[];
  /** One side conditional or unknown: not drift, not the same either. */
  readonly unknown: readonly T[];
}

/** An AWS managed policy both sides attach, in different versions (the repo has the bundled one). */
export interface ManagedVersionDifference {
  readonly policy: string;
  readonly repo?: string;
  readonly account?: string;
}

export type DriftStatus = 'same' | 'differs' | 'unknown';

export interface PrincipalRefInfo {
  readonly kind: PrincipalKind;
  readonly id: string;
  readonly name?: string;
  readonly arn?: string;
  readonly file?: string;
  readonly line?: number;
}

export interface PrincipalDrift {
  /** The physical name both sides share. */
  readonly name: string;
  readonly kind: 'role' | 'user' | 'group';
  readonly repo: PrincipalRefInfo;
  readonly account: PrincipalRefInfo;
  readonly status: DriftStatus;
  /** How the pair was made: the same static name, or the name CloudFormation generates (`<stack>-<LogicalId>-<suffix>`). */
  readonly pairedBy?: 'name' | 'generated-name';
  /** True when every policy document and the boundary are equal as JSON (nothing else was analysed). */
  readonly identicalDocuments: boolean;
  readonly tasks: DifferenceSet<TaskDifference>;
  readonly nonRead: DifferenceSet<ActionDifference>;
  /** Actions the account allows beyond the repo (`checkStayWithin(account, repo)`), certain ones. */
  readonly beyondRepo: readonly string[];
  /** Actions the repo allows beyond the account (`checkStayWithin(repo, account)`), certain ones. */
  readonly beyondAccount: readonly string[];
  /** Actions that may be beyond the other side (conditions, narrower resources, unknowns). */
  readonly possiblyBeyondRepo: readonly string[];
  readonly possiblyBeyondAccount: readonly string[];
  /** Policy names on one side only (inline, attached managed, group policies), for orientation. */
  readonly policies: { readonly onlyInRepo: readonly string[]; readonly onlyInAccount: readonly string[] };
  readonly managedVersions: readonly ManagedVersionDifference[];
  /** Unknown parts of each side. */
  readonly unresolved: { readonly repo: readonly UnresolvedPart[]; readonly account: readonly UnresolvedPart[] };
  /** Plain sentences, the deciding one first. */
  readonly reasons: readonly string[];
  /** The stay-within results behind beyondRepo / beyondAccount (absent when identicalDocuments). */
  readonly stayWithin?: { readonly accountWithinRepo: StayWithinResult; readonly repoWithinAccount: StayWithinResult };
}

/** Where a principal's kind pairs: a SAM function's role is a role. */
function pairKind(kind: PrincipalKind): 'role' | 'user' | 'group' | undefined {
  if (kind === 'role' || kind === 'function') return 'role';
  if (kind === 'user' || kind === 'group') return kind;
  return undefined;
}

function refOf(p: Principal): PrincipalRefInfo {
  return {
    kind: p.kind,
    id: p.id,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.arn !== undefined ? { arn: p.arn } : {}),
    ...(p.file !== undefined ? { file: p.file } : {}),
    ...(p.source?.line !== undefined ? { line: p.source.line } : {}),
  };
}

const SYMBOLIC = new Error('symbolic value');

/** A JSON text with sorted keys; throws SYMBOLIC for values that are not plain data (Unresolved, Choice). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) throw SYMBOLIC;
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function docKey(p: AttachedPolicy): string | undefined {
  if (p.unresolved !== undefined || p.document === undefined || p.onlyIf !== undefined) return undefined;
  const doc = typeof p.document === 'string' ? safeParse(p.document) : p.document;
  if (doc === undefined) return undefined;
  try {
    return canonical(doc);
  } catch (e) {
    if (e === SYMBOLIC) return undefined; // an unknown value is never "the same"
    throw e;
  }
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function sameDocuments(a: Principal, b: Principal): boolean {
  const keys = (p: Principal): string[] | undefined => {
    const out: string[] = [];
    for (const x of p.policies) {
      const k = docKey(x);
      if (k === undefined) return undefined;
      out.push(k);
    }
    return out.sort();
  };
  const ka = keys(a);
  const kb = keys(b);
  if (!ka || !kb || ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  const ba = a.permissionsBoundary ? docKey(a.permissionsBoundary) : '';
  const bb = b.permissionsBoundary ? docKey(b.permissionsBoundary) : '';
  return ba !== undefined && bb !== undefined && ba === bb;
}

/** The policy's plain name: `X (group G)` -> `X (group G)`; kept as the principal lists it. */
function policyNames(p: Principal): Set<string> {
  return new Set(p.policies.map((x) => x.name));
}

function managedVersions(repo: Principal, account: Principal): ManagedVersionDifference[] {
  const out: ManagedVersionDifference[] = [];
  for (const a of account.policies) {
    if (!a.versionId || !a.arn || !/:iam::aws:policy\//.test(a.arn)) continue;
    const bundled = findManagedPolicy(a.arn);
    const r = repo.policies.find((x) => x.name === a.name && x.document !== undefined && bundled !== undefined && x.document === bundled.document);
    if (r && bundled && bundled.versionId !== a.versionId) out.push({ policy: a.name, ...(bundled.versionId ? { repo: bundled.versionId } : {}), account: a.versionId });
  }
  return out;
}

type Answer = 'allowed' | 'conditional';

function offendingMap(list: readonly OffendingAction[]): Map<string, Answer> {
  return new Map(list.map((o) => [o.action, o.decision]));
}

function nonReadDifferences(repo: Principal, account: Principal): DifferenceSet<ActionDifference> {
  const r = checkReadOnly(repo);
  const a = checkReadOnly(account);
  const repoKnown = r.unresolved.length === 0 && r.unknownPatterns.length === 0;
  const accountKnown = a.unresolved.length === 0 && a.unknownPatterns.length === 0;
  const rm = offendingMap(r.offending);
  const am = offendingMap(a.offending);
  const onlyInRepo: ActionDifference[] = [];
  const onlyInAccount: ActionDifference[] = [];
  const unknown: ActionDifference[] = [];
  const absent = (known: boolean): ActionDifference['repo'] => (known ? 'not allowed' : 'unknown');
  for (const action of [...new Set([...rm.keys(), ...am.keys()])].sort()) {
    const rd = rm.get(action) ?? absent(repoKnown);
    const ad = am.get(action) ?? absent(accountKnown);
    const d: ActionDifference = { action, repo: rd, account: ad };
    if (rd === 'allowed' && ad === 'not allowed') onlyInRepo.push(d);
    else if (ad === 'allowed' && rd === 'not allowed') onlyInAccount.push(d);
    else if (rd === 'allowed' && ad === 'allowed') continue;
    else unknown.push(d);
  }
  return { onlyInRepo, onlyInAccount, unknown };
}

function taskDifferences(repo: Principal, account: Principal): DifferenceSet<TaskDifference> {
  const onlyInRepo: TaskDifference[] = [];
  const onlyInAccount: TaskDifference[] = [];
  const unknown: TaskDifference[] = [];
  for (const ref of listTaskRefs()) {
    const t = parseTaskRef(ref);
    const rg = checkConsoleTask(repo, t.page, t.id, { prerequisites: true }).granted;
    const ag = checkConsoleTask(account, t.page, t.id, { prerequisites: true }).granted;
    if (rg === ag && rg !== 'conditional') continue;
    const d: TaskDifference = { task: `${findPage(t.page).name} / ${t.name}`, id: t.id, repo: rg, account: ag };
    if (rg === 'yes' && ag === 'no') onlyInRepo.push(d);
    else if (ag === 'yes' && rg === 'no') onlyInAccount.push(d);
    else unknown.push(d);
  }
  return { onlyInRepo, onlyInAccount, unknown };
}

const EMPTY: DifferenceSet<never> = { onlyInRepo: [], onlyInAccount: [], unknown: [] };

/** Compare one repo principal with the account principal it pairs with. */
export function comparePrincipals(repo: Principal, account: Principal): PrincipalDrift {
  const kind = pairKind(account.kind) ?? pairKind(repo.kind) ?? 'role';
  const name = account.name ?? repo.name ?? account.id;
  const repoNames = policyNames(repo);
  const accountNames = policyNames(account);
  const policies = {
    onlyInRepo: [...repoNames].filter((n) => !accountNames.has(n)),
    onlyInAccount: [...accountNames].filter((n) => !repoNames.has(n)),
  };
  const unresolved = { repo: unresolvedParts(repo), account: unresolvedParts(account) };
  const versions = managedVersions(repo, account);
  const base = { name, kind, repo: refOf(repo), account: refOf(account), policies, managedVersions: versions, unresolved };
  if (sameDocuments(repo, account)) {
    return { ...base, status: 'same', identicalDocuments: true, tasks: EMPTY, nonRead: EMPTY, beyondRepo: [], beyondAccount: [], possiblyBeyondRepo: [], possiblyBeyondAccount: [], reasons: [] };
  }
  const tasks = taskDifferences(repo, account);
  const nonRead = nonReadDifferences(repo, account);
  const accountWithinRepo = checkStayWithin(account, repo);
  const repoWithinAccount = checkStayWithin(repo, account);
  const certain = (r: StayWithinResult): string[] => r.newAccess.filter((n) => n.kind === 'definite').map((n) => n.action);
  const possible = (r: StayWithinResult): string[] => r.newAccess.filter((n) => n.kind === 'possible').map((n) => n.action);
  const beyondRepo = certain(accountWithinRepo);
  const beyondAccount = certain(repoWithinAccount);
  const possiblyBeyondRepo = possible(accountWithinRepo);
  const possiblyBeyondAccount = possible(repoWithinAccount);

  const reasons: string[] = [];
  const n = (k: number, what: string): string => `${k} ${what}${k === 1 ? '' : 's'}`;
  if (tasks.onlyInAccount.length) reasons.push(`The account grants ${n(tasks.onlyInAccount.length, 'console task')} the repo does not: ${tasks.onlyInAccount.map((t) => t.task).slice(0, 5).join(', ')}${tasks.onlyInAccount.length > 5 ? ', ...' : ''}.`);
  if (tasks.onlyInRepo.length) reasons.push(`The repo grants ${n(tasks.onlyInRepo.length, 'console task')} the account does not: ${tasks.onlyInRepo.map((t) => t.task).slice(0, 5).join(', ')}${tasks.onlyInRepo.length > 5 ? ', ...' : ''}.`);
  if (nonRead.onlyInAccount.length) reasons.push(`The account allows ${n(nonRead.onlyInAccount.length, 'non-read action')} the repo does not.`);
  if (nonRead.onlyInRepo.length) reasons.push(`The repo allows ${n(nonRead.onlyInRepo.length, 'non-read action')} the account does not.`);
  if (beyondRepo.length) reasons.push(`The account allows ${n(beyondRepo.length, 'action')} beyond the repo.`);
  if (beyondAccount.length) reasons.push(`The repo allows ${n(beyondAccount.length, 'action')} beyond the account.`);
  const differs = reasons.length > 0;
  const unknownCount = tasks.unknown.length + nonRead.unknown.length + possiblyBeyondRepo.length + possiblyBeyondAccount.length + unresolved.repo.length + unresolved.account.length;
  if (unknownCount) {
    reasons.push(
      `${n(unknownCount, 'comparison')} cannot be decided (a conditional answer or an unknown part on one side)${unresolved.repo.length ? `; the repo has ${n(unresolved.repo.length, 'unknown part')}` : ''}${unresolved.account.length ? `; the account has ${n(unresolved.account.length, 'unknown part')}` : ''}.`,
    );
  }
  if (versions.length) {
    reasons.push(`AWS managed policy versions differ: ${versions.map((v) => `${v.policy} ${v.repo ?? '?'} (bundled, used for the repo) vs ${v.account ?? '?'} (account)`).join(', ')}.`);
  }
  const status: DriftStatus = differs ? 'differs' : unknownCount ? 'unknown' : 'same';
  return {
    ...base,
    status,
    identicalDocuments: false,
    tasks,
    nonRead,
    beyondRepo,
    beyondAccount,
    possiblyBeyondRepo,
    possiblyBeyondAccount,
    reasons,
    stayWithin: { accountWithinRepo, repoWithinAccount },
  };
}

/** A principal on one side only. */
export interface UnpairedPrincipal extends PrincipalRefInfo {
  /** Service-linked roles are AWS's: listed, never counted as drift. */
  readonly serviceLinked?: boolean;
}

/** A repo principal that cannot be paired: its physical name is unknown before deployment. */
export interface UnnamedPrincipal extends PrincipalRefInfo {
  readonly reason: string;
}

export interface DriftResult {
  readonly pairs: readonly PrincipalDrift[];
  readonly onlyInAccount: readonly UnpairedPrincipal[];
  readonly onlyInRepo: readonly UnpairedPrincipal[];
  /** Repo principals whose physical name is not known (computed at deploy time): unknown, not drift. */
  readonly unnamed: readonly UnnamedPrincipal[];
  /** 'differs' when any pair differs, or a principal is on one side only (service-linked roles aside). */
  readonly status: DriftStatus;
  readonly counts: { readonly pairs: number; readonly differs: number; readonly unknown: number; readonly same: number; readonly onlyInAccount: number; readonly onlyInRepo: number; readonly unnamed: number };
}

export interface DriftOptions {
  /** Only these principal names are compared (wildcards `*` `?`), on both sides. @default every principal */
  readonly principals?: readonly string[];
}

function glob(pattern: string, text: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === text.toLowerCase();
  let re = '^';
  for (const c of pattern) re += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  return new RegExp(`${re}$`, 'is').test(text);
}

/**
 * Pair repo principals with account principals by kind and physical name (role name, user name,
 * group name; a SAM function's role is a role) and compare each pair.
 */
export function computeDrift(repoPrincipals: readonly Principal[], accountPrincipals: readonly Principal[], options: DriftOptions = {}): DriftResult {
  const selected = (p: Principal): boolean => !options.principals?.length || options.principals.some((g) => glob(g, p.name ?? p.id) || glob(g, p.id));
  const accountBy = new Map<string, Principal>();
  for (const p of accountPrincipals) {
    const k = pairKind(p.kind);
    if (k && p.name !== undefined && selected(p)) accountBy.set(`${k}\u0000${p.name}`, p);
  }
  const pairedAccount = new Set<Principal>();
  const pairs: PrincipalDrift[] = [];
  const onlyInRepo: UnpairedPrincipal[] = [];
  const unnamed: UnnamedPrincipal[] = [];
  const unnamedRepo: Principal[] = [];
  for (const r of repoPrincipals) {
    const k = pairKind(r.kind);
    if (!k) continue; // policy files and documents are not principals of an account
    if (r.name === undefined) {
      if (options.principals?.length && !selected(r)) continue;
      unnamedRepo.push(r);
      continue;
    }
    if (!selected(r)) continue;
    const a = accountBy.get(`${k}\u0000${r.name}`);
    if (!a) {
      onlyInRepo.push(refOf(r));
      continue;
    }
    pairedAccount.add(a);
    pairs.push({ ...comparePrincipals(r, a), pairedBy: 'name' });
  }
  // A role without a static name gets `<stack>-<LogicalId>-<suffix>` from CloudFormation: pair it
  // when exactly one account principal of its kind has such a name.
  for (const r of unnamedRepo) {
    const k = pairKind(r.kind)!;
    const re = new RegExp(`^.+-${r.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[A-Za-z0-9]{6,}$`);
    const candidates = [...accountBy.values()].filter((a) => !pairedAccount.has(a) && pairKind(a.kind) === k && re.test(a.name!));
    if (candidates.length === 1) {
      pairedAccount.add(candidates[0]!);
      pairs.push({ ...comparePrincipals(r, candidates[0]!), pairedBy: 'generated-name' });
      continue;
    }
    unnamed.push({
      ...refOf(r),
      reason: candidates.length
        ? `its ${k} name is not static, and ${candidates.length} account ${k}s have names CloudFormation could have generated for it (${candidates.map((c) => c.name).join(', ')}): select one side with --principals`
        : `its ${k} name is not static (computed at deploy time or not given), and no account ${k} has a name CloudFormation would generate for it (<stack>-${r.id}-<suffix>): it cannot be paired`,
    });
  }
  const onlyInAccount: UnpairedPrincipal[] = [];
  for (const a of accountBy.values()) {
    if (pairedAccount.has(a)) continue;
    onlyInAccount.push({ ...refOf(a), ...(a.serviceLinked ? { serviceLinked: true } : {}) });
  }
  const counted = onlyInAccount.filter((p) => !p.serviceLinked).length;
  const counts = {
    pairs: pairs.length,
    differs: pairs.filter((p) => p.status === 'differs').length,
    unknown: pairs.filter((p) => p.status === 'unknown').length,
    same: pairs.filter((p) => p.status === 'same').length,
    onlyInAccount: counted,
    onlyInRepo: onlyInRepo.length,
    unnamed: unnamed.length,
  };
  const status: DriftStatus = counts.differs || counts.onlyInAccount || counts.onlyInRepo ? 'differs' : counts.unknown || counts.unnamed ? 'unknown' : 'same';
  return { pairs, onlyInAccount, onlyInRepo, unnamed, status, counts };
}

/** What changed in access between two versions of the same policies (before -> after). */
export interface AccessChange {
  readonly tasksGained: readonly string[];
  readonly tasksLost: readonly string[];
  readonly nonReadGained: readonly string[];
  readonly nonReadLost: readonly string[];
  /** Tasks and actions whose answer is conditional on one side: neither gained nor lost with certainty. */
  readonly unknown: readonly string[];
}

/** Console tasks and non-read actions gained or lost from `before` to `after`. */
export function accessChange(before: unknown, after: unknown): AccessChange {
  const b = principalOf(before);
  const a = principalOf(after);
  const tasks = taskDifferences(b, a);
  const nonRead = nonReadDifferences(b, a);
  return {
    tasksGained: tasks.onlyInAccount.map((t) => t.task),
    tasksLost: tasks.onlyInRepo.map((t) => t.task),
    nonReadGained: nonRead.onlyInAccount.map((x) => x.action),
    nonReadLost: nonRead.onlyInRepo.map((x) => x.action),
    unknown: [...tasks.unknown.map((t) => t.task), ...nonRead.unknown.map((x) => x.action)],
  };
}
