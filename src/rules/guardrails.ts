/**
 * The `organization:` and `resourcePolicies:` sections of a rules file.
 *
 *   organization:                       # one entry, or a list of entries
 *     - name: prod                      # for messages
 *       appliesTo:                      # default: every principal of every file
 *         files: infra/**\/*.yaml
 *         principals: [ConnectAdminRole]
 *       managementAccount: false
 *       scps:                           # levels from the root to the account
 *         - name: root
 *           policies: [FullAWSAccess]
 *         - name: ou-prod
 *           policies: [FullAWSAccess, organization/scps/deny-connect-outside-eu.json]
 *         - name: account
 *           policies: [{ document: { Version: '2012-10-17', Statement: [...] } }]
 *       rcps: [...]
 *   resourcePolicies:
 *     - file: infra/recordings.yaml     # a template: the key policy / bucket policy of `resource`
 *       resource: RecordingsKey
 *       arn: arn:aws:kms:eu-west-2:111122223333:key/...
 *     - file: organization/key-policy.json   # a policy file (or get-key-policy output)
 *       arn: arn:aws:kms:...
 *     - document: { ... }               # inline
 *       arn: arn:aws:s3:::bucket
 *
 * A policy entry is a file path (ending in .json, .yaml or .yml, relative to the scan root),
 * a policy name (FullAWSAccess and RCPFullAWSAccess are known; any other name is "named but
 * not given": the answers it could change are conditional), or `{ document, name? }`. The
 * first organization entry whose appliesTo selects a principal applies to it.
 */
import * as path from 'node:path';
import { JestConnectIamError, PolicySourceError } from '../errors';
import type { GuardrailOptions, GuardrailPolicyInput, OrganizationOptions, ResourcePolicy } from '../evaluator/guardrails/types';
import { loadOrganizationPolicy, loadResourcePolicy } from '../loaders/organization';
import { loadTemplate } from '../loaders/loaders';
import type { Principal, SourceLocation } from '../policy/types';

export interface RawPolicyEntry {
  readonly file?: string;
  readonly name?: string;
  readonly document?: unknown;
}
export interface RawLevel {
  readonly name?: string;
  readonly policies: ReadonlyArray<string | RawPolicyEntry>;
}
export interface OrganizationEntry {
  readonly name?: string;
  readonly appliesTo?: { readonly files?: string | readonly string[]; readonly principals?: string | readonly string[] };
  readonly managementAccount?: boolean;
  readonly scps?: readonly RawLevel[];
  readonly rcps?: readonly RawLevel[];
  readonly source?: SourceLocation;
}
export interface ResourcePolicyEntry {
  readonly file?: string;
  /** In a template: the logical id of the AWS::KMS::Key or AWS::S3::BucketPolicy. */
  readonly resource?: string;
  readonly document?: unknown;
  readonly name?: string;
  /** The ARN of the key or bucket it governs. */
  readonly arn?: string;
  readonly service?: string;
  readonly source?: SourceLocation;
}

/** What a run uses: organizations with the files they apply to (resolved), and every resource policy. */
export interface ResolvedGuardrails {
  readonly organizations: ReadonlyArray<{ readonly entry: OrganizationEntry; readonly options: OrganizationOptions; readonly files?: ReadonlySet<string> }>;
  readonly resourcePolicies: readonly ResourcePolicy[];
}

const POLICY_FILE = /\.(json|ya?ml)$/i;

function list(v: string | readonly string[] | undefined): readonly string[] | undefined {
  return v === undefined ? undefined : typeof v === 'string' ? [v] : v;
}

/** An error in the guardrail sections, with where it is written. */
export class GuardrailSectionError extends JestConnectIamError {
  override name = 'GuardrailSectionError';
  constructor(
    message: string,
    readonly location: SourceLocation | undefined,
  ) {
    super(message);
  }
}

/** Locations as the rules file wrote the path (relative to the scan root), as for every other file in reports. */
function relabel<T extends { source?: SourceLocation; locations?: Readonly<Record<string, SourceLocation>> }>(p: T, file: string): T {
  const fix = (l: SourceLocation): SourceLocation => ({ ...l, file });
  return {
    ...p,
    ...(p.source ? { source: fix(p.source) } : {}),
    ...(p.locations ? { locations: Object.fromEntries(Object.entries(p.locations).map(([k, l]) => [k, fix(l)])) } : {}),
  };
}

function policyOf(entry: string | RawPolicyEntry, root: string, where: string, at: SourceLocation | undefined): GuardrailPolicyInput {
  const load = (file: string, name?: string): GuardrailPolicyInput => {
    try {
      return relabel(loadOrganizationPolicy(path.resolve(root, file), { root, ...(name ? { name } : {}) }), file);
    } catch (e) {
      if (e instanceof PolicySourceError) throw e;
      throw new GuardrailSectionError(`${where}: cannot read ${file}: ${(e as Error).message}`, at);
    }
  };
  if (typeof entry === 'string') return POLICY_FILE.test(entry) ? load(entry) : entry;
  if (entry.file !== undefined) return load(entry.file, entry.name);
  if (entry.document !== undefined) return { name: entry.name ?? where, document: entry.document, ...(at ? { source: at } : {}) };
  if (entry.name !== undefined) return entry.name;
  throw new GuardrailSectionError(`${where}: a policy needs a file, a document or a name`, at);
}

function levelsOf(levels: readonly RawLevel[], root: string, where: string, at: SourceLocation | undefined): OrganizationOptions['scps'] {
  return levels.map((l, i) => ({
    name: l.name ?? (i === 0 ? 'root' : i === levels.length - 1 ? 'account' : `ou level ${i}`),
    policies: l.policies.map((p, j) => policyOf(p, root, `${where}[${i}].policies[${j}]`, at)),
  }));
}

/**
 * Load every file the sections name (relative to `root`) and resolve which files each
 * organization applies to (`filesOf` expands a glob list into the scan's relative paths).
 */
export function resolveGuardrails(
  organizations: readonly OrganizationEntry[],
  resourcePolicies: readonly ResourcePolicyEntry[],
  root: string,
  filesOf: (patterns: readonly string[]) => ReadonlySet<string>,
): ResolvedGuardrails {
  const orgs = organizations.map((entry, i) => {
    const where = `organization[${i}]`;
    const options: OrganizationOptions = {
      ...(entry.scps ? { scps: levelsOf(entry.scps, root, `${where}.scps`, entry.source) } : {}),
      ...(entry.rcps ? { rcps: levelsOf(entry.rcps, root, `${where}.rcps`, entry.source) } : {}),
      ...(entry.managementAccount !== undefined ? { managementAccount: entry.managementAccount } : {}),
    };
    const files = list(entry.appliesTo?.files);
    return { entry, options, ...(files ? { files: filesOf(files) } : {}) };
  });
  const rps: ResourcePolicy[] = resourcePolicies.map((e, i) => {
    const where = `resourcePolicies[${i}]`;
    if (e.file !== undefined && e.resource !== undefined) {
      const t = loadTemplate(path.resolve(root, e.file), { root });
      const rp = relabel(t.resourcePolicy(e.resource), e.file);
      return e.arn ? { ...rp, resource: e.arn } : rp;
    }
    if (e.arn === undefined) throw new GuardrailSectionError(`${where}: give the ARN of the key or bucket the policy governs (arn:)`, e.source);
    const service = e.service ?? e.arn.split(':')[2];
    if (!service) throw new GuardrailSectionError(`${where}: '${e.arn}' is not an ARN`, e.source);
    if (e.file !== undefined) return relabel(loadResourcePolicy(path.resolve(root, e.file), { root, resource: e.arn, ...(e.service ? { service: e.service } : {}), ...(e.name ? { name: e.name } : {}) }), e.file);
    if (e.document !== undefined) return { name: e.name ?? e.arn, service, resource: e.arn, document: e.document, ...(e.source ? { source: e.source } : {}) };
    throw new GuardrailSectionError(`${where}: a resource policy needs a file or a document`, e.source);
  });
  return { organizations: orgs, resourcePolicies: rps };
}

/** The guardrail options for one principal of one file (relative path), or undefined when none applies. */
export function guardrailsFor(
  resolved: ResolvedGuardrails | undefined,
  file: string,
  principal: Principal,
  nameMatches: (pattern: string, text: string) => boolean,
): GuardrailOptions | undefined {
  if (!resolved) return undefined;
  const names = [principal.id, ...(principal.name ? [principal.name] : [])];
  const org = resolved.organizations.find((o) => {
    if (o.files && !o.files.has(file)) return false;
    const patterns = list(o.entry.appliesTo?.principals);
    return !patterns || patterns.some((p) => names.some((n) => nameMatches(p, n)));
  });
  if (!org && !resolved.resourcePolicies.length) return undefined;
  return {
    ...(org ? { organization: org.options } : {}),
    ...(resolved.resourcePolicies.length ? { resourcePolicies: resolved.resourcePolicies } : {}),
  };
}

/**
 * The policy files the sections name (relative to the scan root): they are guardrails, not
 * principals, so a scan does not also read them as identity policies. A template named for
 * its resource policies stays in the scan (its roles are principals).
 */
export function guardrailFiles(organizations: readonly OrganizationEntry[], resourcePolicies: readonly ResourcePolicyEntry[]): Set<string> {
  const out = new Set<string>();
  const norm = (f: string): string => path.posix.normalize(f.split(path.sep).join('/')).replace(/^\.\//, '');
  for (const o of organizations) {
    for (const levels of [o.scps ?? [], o.rcps ?? []]) {
      for (const l of levels) {
        for (const p of l.policies) {
          if (typeof p === 'string' && POLICY_FILE.test(p)) out.add(norm(p));
          else if (typeof p === 'object' && p.file !== undefined) out.add(norm(p.file));
        }
      }
    }
  }
  for (const r of resourcePolicies) if (r.file !== undefined && r.resource === undefined) out.add(norm(r.file));
  return out;
}
