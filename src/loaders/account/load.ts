/**
 * `aws iam get-account-authorization-details` output -> principals.
 *
 * Accepted: one merged document (what the AWS CLI prints, pages merged) or an array of pages
 * as the API returns them (`IsTruncated`/`Marker`). Policy documents may be objects (the CLI
 * decodes them) or strings, URL-encoded (RFC 3986, the raw API and most SDKs) or JSON text.
 *
 * Every role, user and group becomes a Principal with:
 * - inline policies (`RolePolicyList`, `UserPolicyList`, `GroupPolicyList`), origin 'inline';
 * - attached managed policies (`AttachedManagedPolicies`), origin 'managed-arn': the default
 *   version in `Policies[]`; an AWS managed policy missing from the file comes from the bundled
 *   set (with a note); a customer managed one missing from the file is unresolved (fail-closed);
 * - for users, every policy of the groups in `GroupList` (names, mapped through
 *   `GroupDetailList`), origin 'group', named `<policy> (group <name>)`; a group missing from the
 *   file is an unresolved policy;
 * - `PermissionsBoundary` resolved the same way (missing: unresolved boundary, so nothing is certain);
 * - `arn`, `path`, `serviceLinked` (path `/aws-service-role/`), `tags`, `lastUsed`.
 * The principal's `id` is its ARN (unique: a user and a group may share a name), `name` the
 * role/user/group name.
 */
import { PolicySourceError, UnknownNameError, UsageError } from '../../errors';
import { findManagedPolicy } from '../../managed';
import type { AttachedPolicy, Principal, PrincipalKind, SourceLocation } from '../../policy/types';
import { closestNames } from '../../util/suggest';
import { documentPolicies, unresolvedPolicy } from '../attach';
import { parseFile, type Parsed } from '../parse';
import { hasOwn, isPlainObject, joinPath, limitsOf, own, type LoadLimits } from '../source';
import type {
  AccountManagedPolicy,
  AccountNote,
  AccountOptions,
  AccountSelector,
  LoadedAccount,
  ManagedPolicyVersionDifference,
} from './types';

const LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;
const PAGE_KEYS = new Set<string>([...LISTS, 'IsTruncated', 'Marker', 'ResponseMetadata']);

/** True when the value is an account authorization details dump (merged, or a list of pages). */
export function isAccountDumpValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => isPage(v));
  return isPage(value);
}

function isPage(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.some((k) => (LISTS as readonly string[]).includes(k)) && keys.every((k) => PAGE_KEYS.has(k));
}

export function loadAccountAuthorizationDetails(file: string, options: AccountOptions = {}): LoadedAccount {
  const limits = limitsOf(options);
  return accountFromParsed(parseFile(file, limits, options.root), file, limits);
}

interface Ctx {
  readonly parsed: Parsed;
  readonly file: string;
  readonly limits: Required<LoadLimits>;
  readonly notes: AccountNote[];
  readonly truncated: boolean;
}

/** An error at a node (or a child of it) of the dump, with line, column and JSON path. */
function bad(ctx: Ctx, problem: string, node: unknown, key?: string | number): PolicySourceError {
  const map = ctx.parsed.map;
  const loc = (key !== undefined ? map.locateChild(node, key) : undefined) ?? map.locate(node) ?? { file: ctx.file };
  const path = key !== undefined && loc.path !== undefined && map.locateChild(node, key) === undefined ? joinPath(loc.path, key) : loc.path;
  return new PolicySourceError(problem, { ...loc, ...(path !== undefined ? { path } : {}) });
}

function where(ctx: Ctx, node: unknown, key?: string | number): SourceLocation {
  const map = ctx.parsed.map;
  return (key !== undefined ? map.locateChild(node, key) : undefined) ?? map.locate(node) ?? { file: ctx.file };
}

function str(ctx: Ctx, obj: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = own(obj, key);
  if (v === undefined || v === null) {
    if (required) throw bad(ctx, `missing ${key}`, obj);
    return undefined;
  }
  if (typeof v !== 'string') throw bad(ctx, `${key} must be a string, not ${typeof v === 'object' ? (Array.isArray(v) ? 'a list' : 'an object') : typeof v}`, obj, key);
  return v;
}

function list(ctx: Ctx, obj: Record<string, unknown>, key: string): unknown[] {
  const v = own(obj, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(ctx, `${key} must be a list`, obj, key);
  return v;
}

function entries(ctx: Ctx, obj: Record<string, unknown>, key: string, what: string): Array<Record<string, unknown>> {
  const items = list(ctx, obj, key);
  items.forEach((item, i) => {
    if (!isPlainObject(item)) throw bad(ctx, `each entry of ${key} must be an object (${what})`, items, i);
  });
  return items as Array<Record<string, unknown>>;
}

/** A document as the dump holds it: an object, JSON text, or URL-encoded JSON text. */
function decodeDocument(ctx: Ctx, value: unknown, holder: Record<string, unknown>, key: string): unknown {
  if (typeof value !== 'string') {
    if (!isPlainObject(value)) throw bad(ctx, `${key} must be a policy document (an object, or URL-encoded JSON text)`, holder, key);
    return value;
  }
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) return trimmed;
  let decoded: string;
  try {
    decoded = decodeURIComponent(trimmed);
  } catch {
    throw bad(ctx, `${key} is a string that is neither JSON nor URL-encoded JSON`, holder, key);
  }
  if (!decoded.trim().startsWith('{')) throw bad(ctx, `${key} is a string that is neither JSON nor URL-encoded JSON`, holder, key);
  return decoded;
}

/** Merge pages into one set of lists, remembering where each entry is. */
function pagesOf(ctx: Omit<Ctx, 'truncated'>): { pages: Array<Record<string, unknown>>; truncated: boolean } {
  const v = ctx.parsed.value;
  const fake = { ...ctx, truncated: false };
  if (ctx.parsed.multiDocument) throw new PolicySourceError('several YAML documents in one file: not an account authorization details dump', { file: ctx.file, line: 1, column: 1 });
  if (!isAccountDumpValue(v)) {
    if (isPlainObject(v)) {
      const unknown = Object.keys(v).filter((k) => !PAGE_KEYS.has(k));
      if (Object.keys(v).some((k) => (LISTS as readonly string[]).includes(k)) && unknown.length) {
        const near = closestNames(unknown[0]!, [...PAGE_KEYS], 1);
        throw bad(fake, `unexpected key '${unknown[0]}' in an account authorization details dump${near.length ? ` (did you mean '${near[0]}'?)` : ''}`, v, unknown[0]);
      }
    }
    if (Array.isArray(v)) {
      const i = v.findIndex((p) => !isPage(p));
      if (i >= 0 && v.length) throw bad(fake, 'each page must be an object with UserDetailList, GroupDetailList, RoleDetailList and/or Policies (and IsTruncated, Marker)', v, i);
    }
    throw new PolicySourceError(
      'not an account authorization details dump: expected the output of `aws iam get-account-authorization-details` (an object with UserDetailList, GroupDetailList, RoleDetailList, Policies) or a list of its pages',
      { file: ctx.file, line: 1, column: 1 },
    );
  }
  const pages = (Array.isArray(v) ? v : [v]) as Array<Record<string, unknown>>;
  for (const page of pages) {
    const t = own(page, 'IsTruncated');
    if (t !== undefined && typeof t !== 'boolean') throw bad(fake, 'IsTruncated must be true or false', page, 'IsTruncated');
    const m = own(page, 'Marker');
    if (m !== undefined && m !== null && typeof m !== 'string') throw bad(fake, 'Marker must be a string', page, 'Marker');
  }
  const last = pages[pages.length - 1]!;
  return { pages, truncated: own(last, 'IsTruncated') === true };
}

interface PolicyRecord {
  readonly info: AccountManagedPolicy;
  /** The evaluated document (default version) as an AttachedPolicy, or why it is missing. */
  readonly attached?: AttachedPolicy;
  readonly missing?: string;
}

const AWS_POLICY = /^arn:[^:]+:iam::aws:policy\//;
const ARN_ACCOUNT = /^arn:[^:]+:iam::(\d{12}):/;

function attachedFrom(ctx: Ctx, p: Record<string, unknown>): PolicyRecord {
  const name = str(ctx, p, 'PolicyName', true)!;
  const arn = str(ctx, p, 'Arn', true)!;
  const path = str(ctx, p, 'Path', false) ?? '/';
  const defaultId = str(ctx, p, 'DefaultVersionId', false);
  const versions = entries(ctx, p, 'PolicyVersionList', 'a policy version');
  const ids: string[] = [];
  let chosen: Record<string, unknown> | undefined;
  for (const v of versions) {
    const id = str(ctx, v, 'VersionId', false);
    if (id) ids.push(id);
    const isDefault = own(v, 'IsDefaultVersion');
    if (isDefault !== undefined && typeof isDefault !== 'boolean') throw bad(ctx, 'IsDefaultVersion must be true or false', v, 'IsDefaultVersion');
    if (isDefault === true) {
      if (chosen) throw bad(ctx, `policy ${name} has more than one version marked IsDefaultVersion`, v, 'IsDefaultVersion');
      chosen = v;
    }
  }
  if (chosen && defaultId !== undefined && own(chosen, 'VersionId') !== undefined && own(chosen, 'VersionId') !== defaultId) {
    throw bad(ctx, `policy ${name}: DefaultVersionId is ${defaultId} but the version marked IsDefaultVersion is ${String(own(chosen, 'VersionId'))}`, p, 'DefaultVersionId');
  }
  if (!chosen && defaultId !== undefined) chosen = versions.find((v) => own(v, 'VersionId') === defaultId);
  const versionId = (chosen ? (own(chosen, 'VersionId') as string | undefined) : undefined) ?? defaultId;
  const info: AccountManagedPolicy = {
    name,
    arn,
    path,
    owner: AWS_POLICY.test(arn) ? 'aws' : 'customer',
    ...(versionId !== undefined ? { defaultVersionId: versionId } : {}),
    versions: ids,
    hasDocument: chosen !== undefined && hasOwn(chosen, 'Document') && own(chosen, 'Document') !== null,
    source: where(ctx, p),
  };
  if (!chosen || !info.hasDocument) {
    const why = versions.length === 0
      ? `the dump lists managed policy ${arn} without its PolicyVersionList`
      : `the dump lists managed policy ${arn} without the document of its default version${versionId ? ` ${versionId}` : ''}`;
    return { info, missing: why };
  }
  const docWhere = where(ctx, chosen, 'Document');
  const doc = decodeDocument(ctx, own(chosen, 'Document'), chosen, 'Document');
  const [attached] = documentPolicies({ map: ctx.parsed.map, limits: ctx.limits }, name, 'managed-arn', doc, docWhere);
  return { info, attached: { ...attached!, ...(versionId ? { versionId } : {}), arn } };
}

function tagsOf(ctx: Ctx, entity: Record<string, unknown>): Record<string, string> | undefined {
  const tags = entries(ctx, entity, 'Tags', 'a tag { Key, Value }');
  if (!tags.length) return undefined;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const t of tags) {
    const k = str(ctx, t, 'Key', true)!;
    out[k] = str(ctx, t, 'Value', false) ?? '';
  }
  return { ...out };
}

/** `2019-12-18 19:10:08+00:00` (boto3's str()) or ISO -> ISO; anything else kept as written. */
function isoDate(s: string): string {
  const t = Date.parse(s.includes('T') ? s : s.replace(' ', 'T'));
  return Number.isNaN(t) ? s : new Date(t).toISOString().replace('.000Z', 'Z');
}

const MISSING_HINT =
  'dumps made with --filter (e.g. without LocalManagedPolicy or AWSManagedPolicy) or by tools that keep only some policies leave documents out; ' +
  'make the snapshot with `aws iam get-account-authorization-details` and no filter';

export function accountFromParsed(parsed: Parsed, file: string, limits: Required<LoadLimits>): LoadedAccount {
  const notes: AccountNote[] = [];
  const base = { parsed, file, limits, notes };
  const { pages, truncated } = pagesOf(base);
  const ctx: Ctx = { ...base, truncated };
  if (truncated) {
    notes.push({
      kind: 'truncated',
      subject: file,
      message: 'the last page says IsTruncated: true, so the dump is incomplete: principals and policies on later pages are missing, and policies not found are unresolved',
      location: where(ctx, pages[pages.length - 1], 'IsTruncated'),
    });
  }
  const missingSuffix = truncated ? ' (the dump is truncated: IsTruncated is true on its last page)' : ` (${MISSING_HINT})`;

  // Policies[] first: attachments refer to them by ARN.
  const policies = new Map<string, PolicyRecord>();
  const differences: ManagedPolicyVersionDifference[] = [];
  for (const page of pages) {
    for (const p of entries(ctx, page, 'Policies', 'a managed policy')) {
      const rec = attachedFrom(ctx, p);
      if (policies.has(rec.info.arn)) {
        notes.push({ kind: 'duplicate', subject: rec.info.arn, message: `managed policy ${rec.info.arn} is listed twice; the first entry is used`, location: rec.info.source });
        continue;
      }
      policies.set(rec.info.arn, rec);
      if (rec.info.owner === 'aws' && rec.attached && rec.info.defaultVersionId) {
        const bundled = findManagedPolicy(`arn:aws:iam::aws:policy${rec.info.path}${rec.info.name}`) ?? findManagedPolicy(rec.info.name);
        if (bundled && bundled.owner === 'aws' && bundled.versionId !== rec.info.defaultVersionId) {
          const sameDocument = sameJson(parseMaybe(rec.attached.document), bundled.document);
          differences.push({ name: rec.info.name, arn: rec.info.arn, accountVersion: rec.info.defaultVersionId, ...(bundled.versionId ? { bundledVersion: bundled.versionId } : {}), sameDocument });
          notes.push({
            kind: 'managed-policy-version',
            subject: rec.info.name,
            message: `AWS managed policy ${rec.info.name}: the account's default version is ${rec.info.defaultVersionId}, the bundled one ${bundled.versionId ?? '(unknown)'}; the account's document is used${sameDocument ? ' (the documents are the same)' : ' (the documents differ)'}`,
            location: rec.info.source,
          });
        }
      }
    }
  }

  const noted = new Set<string>();
  /** A managed policy attachment (or boundary) by ARN: the dump's default version, the bundle, or unresolved. */
  const managed = (arn: string, name: string, origin: 'managed-arn' | 'permissions-boundary', at: SourceLocation): AttachedPolicy => {
    const rec = policies.get(arn);
    if (rec?.attached) return origin === 'managed-arn' ? rec.attached : { ...rec.attached, origin };
    if (AWS_POLICY.test(arn)) {
      const bundled = findManagedPolicy(arn) ?? findManagedPolicy(name);
      if (bundled && bundled.owner === 'aws') {
        if (!noted.has(arn)) {
          noted.add(arn);
          notes.push({
            kind: 'bundled-managed-policy',
            subject: bundled.name,
            message: `AWS managed policy ${bundled.name} is attached but ${rec ? 'its default version document is' : 'it is'} not in the dump: the bundled ${bundled.versionId ?? 'default'} version is used (the account may hold another version)`,
            location: at,
          });
        }
        return { name: bundled.name, origin, source: at, document: bundled.document, ...(bundled.versionId ? { versionId: bundled.versionId } : {}), arn };
      }
    }
    const reason = rec?.missing
      ? `${rec.missing}${missingSuffix}`
      : `${AWS_POLICY.test(arn) ? 'AWS' : 'customer'} managed policy ${arn} is attached but not in the dump's Policies${AWS_POLICY.test(arn) ? ' nor in the bundled managed policies' : ''}${missingSuffix}`;
    if (!noted.has(arn)) {
      noted.add(arn);
      notes.push({ kind: 'missing-document', subject: arn, message: `${name}: ${reason}; it is unresolved, so nothing it could grant or deny is ruled out`, location: at });
    }
    return { ...unresolvedPolicy(name, origin, reason, at), arn };
  };

  const attachedManaged = (entity: Record<string, unknown>): AttachedPolicy[] =>
    entries(ctx, entity, 'AttachedManagedPolicies', 'an attached policy { PolicyName, PolicyArn }').map((a) => {
      const arn = str(ctx, a, 'PolicyArn', true)!;
      return managed(arn, str(ctx, a, 'PolicyName', false) ?? arn.split('/').pop()!, 'managed-arn', where(ctx, a));
    });

  const inline = (entity: Record<string, unknown>, key: string): AttachedPolicy[] =>
    entries(ctx, entity, key, 'an inline policy { PolicyName, PolicyDocument }').flatMap((p) => {
      const name = str(ctx, p, 'PolicyName', true)!;
      if (!hasOwn(p, 'PolicyDocument')) throw bad(ctx, `inline policy ${name} has no PolicyDocument`, p);
      const doc = decodeDocument(ctx, own(p, 'PolicyDocument'), p, 'PolicyDocument');
      return documentPolicies({ map: parsed.map, limits }, name, 'inline', doc, where(ctx, p, 'PolicyDocument'));
    });

  const boundaryOf = (entity: Record<string, unknown>): AttachedPolicy | undefined => {
    const b = own(entity, 'PermissionsBoundary');
    if (b === undefined || b === null) return undefined;
    if (!isPlainObject(b)) throw bad(ctx, 'PermissionsBoundary must be an object { PermissionsBoundaryType, PermissionsBoundaryArn }', entity, 'PermissionsBoundary');
    const arn = str(ctx, b, 'PermissionsBoundaryArn', true)!;
    return managed(arn, arn.split('/').pop()!, 'permissions-boundary', where(ctx, b));
  };

  const common = (kind: PrincipalKind, entity: Record<string, unknown>, nameKey: string): { base: Omit<Principal, 'policies'>; name: string; arn: string } => {
    const name = str(ctx, entity, nameKey, true)!;
    const arn = str(ctx, entity, 'Arn', true)!;
    const path = str(ctx, entity, 'Path', false) ?? '/';
    const tags = kind === 'group' ? undefined : tagsOf(ctx, entity);
    const boundary = kind === 'group' ? undefined : boundaryOf(entity);
    const out: { -readonly [K in keyof Principal]?: Principal[K] } = { kind, id: arn, name, file, source: where(ctx, entity), arn, path };
    if (tags) out.tags = tags;
    if (boundary) out.permissionsBoundary = boundary;
    if (kind === 'role' && path.startsWith('/aws-service-role/')) out.serviceLinked = true;
    return { base: out as Omit<Principal, 'policies'>, name, arn };
  };

  const groups: Principal[] = [];
  const groupByName = new Map<string, Principal>();
  const seen = new Set<string>();
  const once = (arn: string, node: unknown): boolean => {
    if (seen.has(arn)) {
      notes.push({ kind: 'duplicate', subject: arn, message: `${arn} is listed twice; the first entry is used`, location: where(ctx, node) });
      return false;
    }
    seen.add(arn);
    return true;
  };
  for (const page of pages) {
    for (const g of entries(ctx, page, 'GroupDetailList', 'a group')) {
      const { base, name, arn } = common('group', g, 'GroupName');
      if (!once(arn, g)) continue;
      const principal: Principal = { ...base, policies: [...inline(g, 'GroupPolicyList'), ...attachedManaged(g)] };
      groups.push(principal);
      groupByName.set(name, principal);
    }
  }
  const roles: Principal[] = [];
  for (const page of pages) {
    for (const r of entries(ctx, page, 'RoleDetailList', 'a role')) {
      const { base, arn } = common('role', r, 'RoleName');
      if (!once(arn, r)) continue;
      const out: { -readonly [K in keyof Principal]: Principal[K] } = { ...base, policies: [...inline(r, 'RolePolicyList'), ...attachedManaged(r)] };
      const used = own(r, 'RoleLastUsed');
      if (used !== undefined && used !== null && !isPlainObject(used)) throw bad(ctx, 'RoleLastUsed must be an object', r, 'RoleLastUsed');
      const date = isPlainObject(used) ? str(ctx, used, 'LastUsedDate', false) : undefined;
      if (date) {
        const region = str(ctx, used as Record<string, unknown>, 'Region', false);
        out.lastUsed = { date: isoDate(date), ...(region ? { region } : {}) };
      }
      roles.push(out);
    }
  }
  const users: Principal[] = [];
  for (const page of pages) {
    for (const u of entries(ctx, page, 'UserDetailList', 'a user')) {
      const { base, arn } = common('user', u, 'UserName');
      if (!once(arn, u)) continue;
      const policies = [...inline(u, 'UserPolicyList'), ...attachedManaged(u)];
      const memberships = list(ctx, u, 'GroupList');
      memberships.forEach((g, i) => {
        if (typeof g !== 'string') throw bad(ctx, 'GroupList holds group names (strings)', memberships, i);
        const group = groupByName.get(g);
        const at = where(ctx, memberships, i);
        if (!group) {
          const reason = `the user belongs to group ${g}, which is not in the dump's GroupDetailList${missingSuffix}: its policies are unknown`;
          notes.push({ kind: 'missing-document', subject: `group ${g}`, message: `${base.name}: ${reason}`, location: at });
          policies.push(unresolvedPolicy(`group ${g}`, 'group', reason, at));
          return;
        }
        for (const p of group.policies) policies.push({ ...p, origin: 'group', name: `${p.name} (group ${g})` });
      });
      users.push({ ...base, policies });
    }
  }

  const principals = [...roles, ...users, ...groups];
  const account = principals.map((p) => ARN_ACCOUNT.exec(p.arn ?? '')?.[1]).find((a) => a !== undefined);
  const policyList = [...policies.values()].map((r) => r.info);

  const principal = (ref: string): Principal => {
    if (typeof ref !== 'string' || ref === '') throw new UsageError(`principal(): give a role, user or group name or ARN; received ${typeof ref === 'string' ? 'an empty string' : typeof ref}`);
    const byArn = principals.find((p) => p.arn === ref);
    if (byArn) return byArn;
    let found = principals.filter((p) => p.name === ref);
    if (!found.length) found = principals.filter((p) => p.name?.toLowerCase() === ref.toLowerCase());
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      throw new UsageError(`'${ref}' names ${found.length} principals in ${file} (${found.map((p) => `${p.kind} ${p.arn}`).join(', ')}); use the ARN`);
    }
    const names = principals.map((p) => p.name!);
    const near = closestNames(ref, ref.startsWith('arn:') ? principals.map((p) => p.arn!) : names);
    throw new UnknownNameError('principal', ref, near, `(in ${file}: ${roles.length} roles, ${users.length} users, ${groups.length} groups)`);
  };

  const select = (selector: AccountSelector): Principal[] => selectPrincipals(principals, selector);

  return {
    file,
    ...(account ? { account } : {}),
    principals,
    roles,
    users,
    groups,
    policies: policyList,
    managedPolicyDifferences: differences,
    notes,
    pages: pages.length,
    principal,
    select,
  };
}

function glob(pattern: string, text: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === text.toLowerCase();
  let re = '^';
  for (const c of pattern) re += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  return new RegExp(`${re}$`, 'is').test(text);
}

/** Principals matching every given criterion of the selector. */
export function selectPrincipals(principals: readonly Principal[], selector: AccountSelector): Principal[] {
  if (typeof selector !== 'object' || selector === null) throw new UsageError('select(): give an object { name?, arn?, path?, tags?, kind? }');
  const known = ['name', 'arn', 'path', 'tags', 'kind'];
  for (const k of Object.keys(selector)) {
    if (!known.includes(k)) {
      throw new UnknownNameError('selector key', k, closestNames(k, known), `(accepted: ${known.join(', ')})`);
    }
  }
  return principals.filter(
    (p) =>
      (selector.kind === undefined || p.kind === selector.kind) &&
      (selector.name === undefined || (p.name !== undefined && glob(selector.name, p.name))) &&
      (selector.arn === undefined || (p.arn !== undefined && glob(selector.arn, p.arn))) &&
      (selector.path === undefined || (p.path ?? '/').startsWith(selector.path)) &&
      (selector.tags === undefined || Object.entries(selector.tags).every(([k, v]) => p.tags !== undefined && Object.prototype.hasOwnProperty.call(p.tags, k) && p.tags[k] === v)),
  );
}

function parseMaybe(doc: unknown): unknown {
  if (typeof doc !== 'string') return doc;
  try {
    return JSON.parse(doc) as unknown;
  } catch {
    return doc;
  }
}

/** Equal as JSON values (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
