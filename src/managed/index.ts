/**
 * AWS managed policies (bundled, default versions) and customer managed policies registered by
 * the user, looked up by name or ARN. IAM policy names are case-sensitive: a name that only
 * differs in case is unknown, and the error suggests the real one.
 */
import { PolicyValidationError, UnknownManagedPolicyError, UnknownNameError, UsageError } from '../errors';
import { closestNames } from '../util/suggest';
import { loadBundle } from './bundle';
import { policyVersionDocument, policyVersions, policiesWithHistory, type PolicyVersionInfo } from './versions';
import type { Bundle } from './bundle';
import type { ManagedPolicy } from './types';

/** What the bundled data is and where it came from. */
export interface ManagedPolicyDataInfo {
  /** Number of AWS managed policies bundled. */
  readonly count: number;
  /** When the bundle was built (ISO). */
  readonly builtAt: string;
  /** The newest default-version date in the data (ISO): how current the data is. */
  readonly dataDate: string;
  readonly source: { readonly package: string; readonly version: string };
  /** The bundle file that was read. */
  readonly file: string;
}

function aws(): Bundle {
  return loadBundle();
}

const awsPolicies = new Map<string, ManagedPolicy>();
const customerByArn = new Map<string, ManagedPolicy>();

function isPlain(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Freeze plain objects and arrays all the way down (class instances such as Unresolved are left alone). */
function deepFreeze<T>(value: T): T {
  if (isPlain(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Copy plain objects and arrays; keep anything else (symbolic values from loaders) by reference. */
function clonePlain<T>(value: T): T {
  if (!isPlain(value)) return value;
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = clonePlain(v);
  return out as T;
}

/** The AWS managed policy with this exact name, as one frozen object per process. */
function awsPolicy(name: string): ManagedPolicy | undefined {
  const cached = awsPolicies.get(name);
  if (cached) return cached;
  const raw = aws().policy(name);
  if (!raw) return undefined;
  const policy: ManagedPolicy = deepFreeze({
    name: raw.name,
    arn: raw.arn,
    versionId: raw.versionId,
    ...(raw.createDate ? { createDate: raw.createDate } : {}),
    document: raw.document,
    owner: 'aws' as const,
  });
  awsPolicies.set(name, policy);
  return policy;
}

/** `arn:<partition>:iam::<account>:policy/<path/><name>` */
const POLICY_ARN = /^arn:(aws(?:-[a-z0-9-]+)?):iam::([^:]*):policy\/(.+)$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

interface ParsedArn {
  readonly partition: string;
  readonly account: string;
  /** Path between "policy" and the name, with slashes: "/" or "/service-role/". */
  readonly path: string;
  readonly name: string;
}

function parseArn(arn: string): ParsedArn | undefined {
  const m = POLICY_ARN.exec(arn);
  if (!m) return undefined;
  const rest = m[3]!;
  const slash = rest.lastIndexOf('/');
  const name = rest.slice(slash + 1);
  if (!name) return undefined;
  return { partition: m[1]!, account: m[2]!, path: slash < 0 ? '/' : `/${rest.slice(0, slash)}/`, name };
}

/** Found, or not found with a way to compute suggestions (only when an error is thrown). */
type Lookup =
  | { readonly found: ManagedPolicy }
  | { readonly found?: undefined; readonly suggest: () => string[]; readonly detail?: string };

function customerNamed(name: string): ManagedPolicy[] {
  return [...customerByArn.values()].filter((p) => p.name === name);
}

function lookup(nameOrArn: string): Lookup {
  if (nameOrArn.startsWith('arn:')) {
    const arn = parseArn(nameOrArn);
    if (!arn) {
      return {
        suggest: () => [],
        detail: "A managed policy ARN looks like 'arn:aws:iam::aws:policy/Name' or 'arn:aws:iam::123456789012:policy/path/Name'.",
      };
    }
    if (arn.account === 'aws') {
      const policy = awsPolicy(arn.name);
      // The path is part of the ARN: AWS rejects a managed policy ARN with the wrong path.
      if (policy && policy.arn === `arn:aws:iam::aws:policy${arn.path}${arn.name}`) return { found: policy };
      const withPartition = (a: string): string => a.replace(/^arn:aws:/, `arn:${arn.partition}:`);
      if (policy) return { suggest: () => [withPartition(policy.arn)], detail: 'The path in the ARN is wrong.' };
      return { suggest: () => closestNames(arn.name, aws().names).map((n) => withPartition(awsPolicy(n)!.arn)) };
    }
    const registered = customerByArn.get(nameOrArn);
    if (registered) return { found: registered };
    return {
      suggest: () => closestNames(nameOrArn, customerByArn.keys()),
      detail: 'A customer managed policy must be registered first: registerManagedPolicy(arn, document).',
    };
  }
  const policy = awsPolicy(nameOrArn);
  if (policy) return { found: policy };
  const customer = customerNamed(nameOrArn);
  if (customer.length === 1) return { found: customer[0]! };
  if (customer.length > 1) {
    throw new UsageError(
      `The name '${nameOrArn}' matches several registered customer managed policies (${customer
        .map((p) => p.arn)
        .join(', ')}); use the ARN.`,
    );
  }
  return { suggest: () => closestNames(nameOrArn, [...aws().names, ...[...customerByArn.values()].map((p) => p.name)]) };
}

/**
 * The managed policy with this name or ARN: an AWS managed policy (name, or ARN in any partition,
 * with its path such as service-role/ or aws-service-role/) or a customer managed policy
 * registered with registerManagedPolicy(). Throws UnknownManagedPolicyError with the closest
 * names when there is none. Names are case-sensitive, as in IAM. An ARN in another partition
 * (aws-us-gov, aws-cn) returns the bundled commercial-partition policy (its `arn` says
 * `arn:aws:`): the bundle holds only that partition's documents.
 */
export function managedPolicy(nameOrArn: string, options?: ManagedPolicyOptions): ManagedPolicy {
  if (typeof nameOrArn !== 'string') {
    throw new UsageError(`managedPolicy() takes a policy name or ARN (a string); received ${describe(nameOrArn)}.`);
  }
  const result = lookup(nameOrArn);
  if (!result.found) throw new UnknownManagedPolicyError('managed policy', nameOrArn, result.suggest(), result.detail);
  if (options === undefined) return result.found;
  if (typeof options !== 'object' || options === null || Object.keys(options).some((k) => k !== 'version')) {
    throw new UsageError(`managedPolicy(${JSON.stringify(nameOrArn)}, options): options is { version?: 'vN' }; received ${describe(options)}${typeof options === 'object' && options !== null ? ` with keys ${Object.keys(options).join(', ')}` : ''}.`);
  }
  if (options.version === undefined) return result.found;
  return versionOf(result.found, options.version);
}

/** Options of managedPolicy(). */
export interface ManagedPolicyOptions {
  /**
   * A version id such as 'v3'. Every version is bundled for the Amazon Connect managed policies and
   * the broad ones that grant console tasks (AdministratorAccess, PowerUserAccess, ReadOnlyAccess,
   * ViewOnlyAccess, SecurityAudit); for the others only the default version is.
   * @default the default version
   */
  readonly version?: string;
}

const versionCache = new Map<string, ManagedPolicy>();

function versionOf(policy: ManagedPolicy, version: string): ManagedPolicy {
  if (typeof version !== 'string' || !/^v\d+$/.test(version)) {
    throw new UsageError(`managedPolicy('${policy.name}', { version }): a version id looks like 'v3'; received ${describe(version)}.`);
  }
  if (policy.owner === 'customer') {
    throw new UsageError(`managedPolicy('${policy.name}', { version: '${version}' }): a registered customer managed policy has only the document it was registered with.`);
  }
  if (version === policy.versionId) return policy;
  const key = `${policy.name}\u0000${version}`;
  const hit = versionCache.get(key);
  if (hit) return hit;
  const versions = policyVersions(policy.name);
  if (!versions) {
    throw new UnknownNameError(
      `version of ${policy.name}`,
      version,
      [policy.versionId ?? 'the default'],
      `Only the default version (${policy.versionId ?? 'unknown'}) of ${policy.name} is bundled; every version is kept for ${policiesWithHistory().join(', ')}.`,
    );
  }
  const document = policyVersionDocument(policy.name, version);
  const info = versions.find((v) => v.versionId === version);
  if (document === undefined || !info) {
    const ids = versions.map((v) => v.versionId);
    throw new UnknownNameError(`version of ${policy.name}`, version, closestNames(version, ids, 3), `(bundled versions: ${ids.join(', ')}; the data has gaps where AWS's archive does)`);
  }
  const out: ManagedPolicy = deepFreeze({ name: policy.name, arn: policy.arn, versionId: version, ...(info.createDate ? { createDate: info.createDate } : {}), document, owner: 'aws' as const });
  versionCache.set(key, out);
  return out;
}

/**
 * The bundled versions of an AWS managed policy, oldest first, with their dates where the data
 * knows them. For a policy whose history is not bundled, only its default version.
 */
export function managedPolicyVersions(nameOrArn: string): PolicyVersionInfo[] {
  const policy = managedPolicy(nameOrArn);
  if (policy.owner === 'customer') return [];
  return policyVersions(policy.name) ?? [{ versionId: policy.versionId ?? 'v1', ...(policy.createDate ? { createDate: policy.createDate } : {}), isDefault: true }];
}

export type { PolicyVersionInfo } from './versions';
export { policiesWithHistory, versionHistoryInfo } from './versions';

/** Like managedPolicy(), but undefined for an unknown name or ARN. */
export function findManagedPolicy(nameOrArn: string): ManagedPolicy | undefined {
  return typeof nameOrArn === 'string' ? lookup(nameOrArn).found : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function checkDocument(document: unknown, label: string): unknown {
  let doc = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc) as unknown;
    } catch (e) {
      throw new PolicyValidationError(`${label}: the document is not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new PolicyValidationError(`${label}: a policy document must be an object; received ${describe(doc)}`);
  }
  const statement = (doc as Record<string, unknown>).Statement;
  if (statement === undefined) {
    throw new PolicyValidationError(`${label}: the document has no Statement`, { path: 'Statement' });
  }
  if (typeof statement !== 'object' || statement === null) {
    throw new PolicyValidationError(`${label}: Statement must be an object or an array; received ${describe(statement)}`, {
      path: 'Statement',
    });
  }
  return doc;
}

/**
 * Register a customer managed policy so that managedPolicy() and templates' ManagedPolicyArns
 * resolve it. Give its ARN (`arn:aws:iam::123456789012:policy/path/Name`: found by the full ARN
 * and by its name) or just a name. A name that is an AWS managed policy's name must be given as
 * a full customer ARN. Registering the same ARN again replaces the document.
 */
export function registerManagedPolicy(arnOrName: string, document: unknown): ManagedPolicy {
  if (typeof arnOrName !== 'string') {
    throw new UsageError(`registerManagedPolicy() takes a policy ARN or name first; received ${describe(arnOrName)}.`);
  }
  let arn: string;
  let name: string;
  if (arnOrName.startsWith('arn:')) {
    const parsed = parseArn(arnOrName);
    if (!parsed || parsed.account === 'aws' || !/^\d{12}$/.test(parsed.account)) {
      throw new UsageError(
        `registerManagedPolicy(): '${arnOrName}' is not a customer managed policy ARN ` +
          "(expected 'arn:aws:iam::123456789012:policy/Name'; AWS managed policies are bundled already).",
      );
    }
    if (!POLICY_NAME.test(parsed.name)) throw new UsageError(`registerManagedPolicy(): invalid policy name '${parsed.name}'.`);
    arn = arnOrName;
    name = parsed.name;
  } else {
    if (!POLICY_NAME.test(arnOrName)) {
      throw new UsageError(`registerManagedPolicy(): invalid policy name '${arnOrName}' (letters, digits and +=,.@_- only).`);
    }
    if (aws().has(arnOrName)) {
      throw new UsageError(
        `registerManagedPolicy(): '${arnOrName}' is the name of an AWS managed policy; register the customer policy by its full ARN.`,
      );
    }
    name = arnOrName;
    // The account is not known: the ARN says so rather than inventing one.
    arn = `arn:aws:iam::<account>:policy/${name}`;
  }
  const doc = checkDocument(document, `registerManagedPolicy('${arnOrName}')`);
  const policy: ManagedPolicy = deepFreeze({ name, arn, document: clonePlain(doc), owner: 'customer' as const });
  customerByArn.set(arn, policy);
  return policy;
}

/** Forget every registered customer managed policy (for tests). */
export function clearRegisteredManagedPolicies(): void {
  customerByArn.clear();
}

/** Names of the bundled AWS managed policies (sorted), then of registered customer policies. */
export function listManagedPolicies(options: { readonly owner?: 'aws' | 'customer' } = {}): string[] {
  const out: string[] = [];
  if (options.owner !== 'customer') out.push(...aws().names);
  if (options.owner !== 'aws') out.push(...[...customerByArn.values()].map((p) => p.name));
  return out;
}

/** Count, build date, data date and source of the bundled AWS managed policies. */
export function managedPolicyDataInfo(): ManagedPolicyDataInfo {
  const b = loadBundle();
  return { count: b.names.length, builtAt: b.builtAt, dataDate: b.dataDate, source: b.source, file: b.file };
}
