/**
 * Resource-based policies in the principal's own account (KMS key policies, S3 bucket
 * policies, any other service's resource policy given the same way).
 *
 * Rules (AWS documentation, read 2026-12-01):
 * - Policy evaluation for requests within a single account
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html):
 *   "If either the identity-based policy or the resource-based policy within the same account
 *   allows the request and the other doesn't, the request is still allowed." An explicit deny
 *   in either denies. A resource policy that names an IAM role's ARN is still limited by an
 *   implicit deny in the role's permissions boundary or session policy
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html).
 * - A resource policy that names the ACCOUNT (`arn:aws:iam::111122223333:root` or
 *   `111122223333`) delegates to the account's IAM policies: it does not grant the role by
 *   itself (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 * - KMS is different (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html):
 *   "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to
 *   a KMS key. Without permission from the key policy, IAM policies that allow permissions have
 *   no effect." So for a key whose policy is given, an identity-policy Allow counts only when
 *   the key policy allows the account (the default key policy's statement) or the principal.
 *   An IAM Deny still denies without the key policy.
 *
 * The Principal element is matched against the principal asked about: `*` matches everyone;
 * the role's ARN matches when the principal's ARN is known (else `maybe`, unless its name
 * rules the ARN out); the account matches when the principal's account is known; service,
 * federated and canonical-user principals never match an IAM role or user. NotPrincipal
 * applies to everyone it does not name.
 */
import { UsageError } from '../../errors';
import { describeType } from '../../policy/normalize';
import { isChoice, isUnresolved } from '../../policy/symbolic';
import type { Principal } from '../../policy/types';
import { parseResourcePattern, resourceRelation } from '../arn';
import type { AskedResource } from '../request';
import type { Tri } from '../statement';
import type { Dependency } from '../types';
import { compileGuardrail, not, or, type CompiledGuardrail, type PrincipalTest } from './stage';
import type { ResourcePolicy } from './types';

export interface CompiledResourcePolicy {
  readonly policy: ResourcePolicy;
  readonly compiled: CompiledGuardrail;
  /** ARN patterns it governs (empty when unknown). */
  readonly governs: readonly string[];
}

const ACCOUNT_ID = /^\d{12}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The service of a resource ARN (`arn:aws:kms:...` -> kms). */
function serviceOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 3 && parts[2] ? parts[2] : undefined;
}

/** Normalise the resourcePolicies option into a list of ResourcePolicy. */
export function resourcePolicyList(input: unknown): ResourcePolicy[] {
  const where = 'options.resourcePolicies';
  if (Array.isArray(input)) {
    return input.map((p: unknown, i) => {
      if (!isObject(p) || typeof p['name'] !== 'string' || typeof p['service'] !== 'string') {
        throw new UsageError(`${where}[${i}] must be a resource policy { name, service, resource?, document } (loadResourcePolicy or a template's resourcePolicies); received ${describeType(p)}`);
      }
      return p as unknown as ResourcePolicy;
    });
  }
  if (!isObject(input)) throw new UsageError(`${where} must be a list of resource policies or an object from resource ARN to policy; received ${describeType(input)}`);
  return Object.entries(input).map(([arn, p]) => {
    const service = serviceOfArn(arn);
    if (!service) throw new UsageError(`${where}: the key '${arn}' must be the ARN of the resource the policy governs (arn:aws:kms:…:key/…, arn:aws:s3:::bucket)`);
    if (!isObject(p)) throw new UsageError(`${where}['${arn}'] must be a policy document or a resource policy; received ${describeType(p)}`);
    if ('Statement' in p) return { name: arn, service, resource: arn, document: p };
    const rp = p as unknown as ResourcePolicy;
    return { ...rp, service: rp.service ?? service, resource: arn };
  });
}

export function compileResourcePolicy(p: ResourcePolicy): CompiledResourcePolicy {
  const list = p.resource === undefined ? [] : typeof p.resource === 'string' ? [p.resource] : [...p.resource];
  // A bucket policy governs the bucket and its objects.
  const governs = p.service === 's3' ? list.flatMap((r) => (/^arn:[^:]*:s3:::[^/]+$/.test(r) ? [r, `${r}/*`] : [r])) : list;
  const compiled = compileGuardrail(
    { name: p.name, ...(p.document !== undefined ? { document: p.document } : {}), ...(p.unresolved !== undefined ? { unresolved: p.unresolved } : {}), ...(p.source ? { source: p.source } : {}), ...(p.locations ? { locations: p.locations } : {}) },
    'resource-policy',
    { kind: 'resourcePolicy', service: p.service },
  );
  return { policy: p, compiled, governs };
}

/** Does the policy govern the resource asked about? 'maybe' when its resource is unknown or covers part of it. */
export function governs(rp: CompiledResourcePolicy, asked: AskedResource, action: string): { tri: Tri; dependsOn: readonly Dependency[] } {
  const service = action.slice(0, action.indexOf(':')).toLowerCase();
  if (service !== rp.policy.service.toLowerCase()) return { tri: 'no', dependsOn: [] };
  if (asked.kind === 'noResource') return { tri: 'no', dependsOn: [] };
  const dep: Dependency = {
    kind: 'guardrail',
    guardrail: 'resourcePolicy',
    policy: rp.policy.name,
    reason: rp.governs.length
      ? `it governs ${rp.governs.join(', ')}, part of the resource asked about; pass options.resource to decide`
      : `the resource it governs is not known (${rp.policy.unresolvedResource ?? 'no ARN given'}); give its ARN (resourcePolicies: { '<arn>': policy }) and pass options.resource`,
  };
  if (!rp.governs.length) return { tri: 'maybe', dependsOn: [dep] };
  let covered = true;
  let disjoint = true;
  for (const set of asked.sets) {
    let c = false;
    let d = true;
    for (const g of rp.governs) {
      const r = resourceRelation(parseResourcePattern(g), set);
      if (r === 'covers') {
        c = true;
        d = false;
        break;
      }
      if (r !== 'disjoint') d = false;
    }
    if (!c) covered = false;
    if (!d) disjoint = false;
  }
  if (covered) return { tri: 'yes', dependsOn: [] };
  if (disjoint) return { tri: 'no', dependsOn: [] };
  return { tri: 'maybe', dependsOn: [dep] };
}

/** How one Principal value relates to the principal asked about. */
interface Match {
  /** Names this principal itself (role/user ARN, or `*`). */
  readonly self: Tri;
  /** Names the principal's account. */
  readonly account: Tri;
  readonly dependsOn: readonly Dependency[];
}

const NO: Match = { self: 'no', account: 'no', dependsOn: [] };

/** The principal's account: `account`, the template's known own account, or the account of its ARN (account dumps). */
function accountOf(who: Principal): string | undefined {
  return who.account ?? who.ownAccount?.id ?? /^arn:[^:]+:iam::(\d{12}):/.exec(who.arn ?? '')?.[1];
}

function matchValue(v: unknown, who: Principal, policyName: string): Match {
  const whoAccount = accountOf(who);
  const unknown = (what: string): Match => ({ self: 'maybe', account: 'maybe', dependsOn: [{ kind: 'unresolvedValue', description: what }] });
  if (isUnresolved(v)) return unknown(v.description);
  if (isChoice(v)) return unknown(`Fn::If ${v.condition} in the Principal of ${policyName}`);
  if (typeof v !== 'string') return NO;
  if (v === '*') return { self: 'yes', account: 'no', dependsOn: [] };
  const acct = ACCOUNT_ID.test(v) ? v : /^arn:[^:]+:iam::(\d{12}):root$/.exec(v)?.[1];
  if (acct !== undefined) {
    if (whoAccount !== undefined) return { self: 'no', account: whoAccount === acct ? 'yes' : 'no', dependsOn: [] };
    return { self: 'no', account: 'maybe', dependsOn: [{ kind: 'guardrail', guardrail: 'resourcePolicy', policy: policyName, reason: `it names the account ${acct}; the principal's account is not known (load the template with pseudo: { AccountId })` }] };
  }
  const m = /^arn:[^:]+:(iam|sts)::(\d{12}):(role|user|assumed-role)\/(.+)$/.exec(v);
  if (!m) return NO;
  const [, , account, type, rest] = m as unknown as [string, string, string, string, string];
  const kindOk = (type === 'user' && who.kind === 'user') || (type !== 'user' && (who.kind === 'role' || who.kind === 'function'));
  if (who.arn !== undefined) {
    if (type === 'assumed-role') {
      const roleName = rest.split('/')[0];
      return { self: who.arn.endsWith(`/${roleName}`) && who.arn.includes(`:${account}:`) ? 'yes' : 'no', account: 'no', dependsOn: [] };
    }
    return { self: who.arn === v ? 'yes' : 'no', account: 'no', dependsOn: [] };
  }
  if (!kindOk && (who.kind === 'role' || who.kind === 'user')) return NO;
  const last = (type === 'assumed-role' ? rest.split('/')[0] : rest.split('/').pop()) ?? '';
  if (who.name !== undefined && who.name !== last) return NO;
  if (whoAccount !== undefined && whoAccount !== account) return NO;
  return {
    self: 'maybe',
    account: 'no',
    dependsOn: [{ kind: 'guardrail', guardrail: 'resourcePolicy', policy: policyName, reason: `it names ${v}; the ARN of ${who.id} is not known (give the principal's arn, or load the template with a static name and pseudo: { AccountId })` }],
  };
}

function matchElement(element: unknown, who: Principal, policyName: string): Match {
  if (element === '*') return { self: 'yes', account: 'no', dependsOn: [] };
  if (isUnresolved(element) || isChoice(element)) return matchValue(element, who, policyName);
  if (!isObject(element)) return NO;
  let self: Tri = 'no';
  let account: Tri = 'no';
  const deps: Dependency[] = [];
  for (const [type, values] of Object.entries(element)) {
    if (type !== 'AWS') continue; // Service, Federated, CanonicalUser never name an IAM role or user
    const list = Array.isArray(values) ? values : [values];
    for (const v of list) {
      const m = matchValue(v, who, policyName);
      self = or(self, m.self);
      account = or(account, m.account);
      deps.push(...m.dependsOn);
    }
  }
  return { self, account, dependsOn: deps };
}

/**
 * Principal tests for a resource policy's statements. `grant`: the statement names this
 * principal (what allows on its own, or counts as the key policy's grant to the principal);
 * `delegate`: it names the principal's account (enables IAM policies); `deny`: a Deny that
 * names the principal or its account.
 */
export function principalTests(rp: CompiledResourcePolicy, who: Principal): { grant: PrincipalTest; delegate: PrincipalTest; deny: PrincipalTest } {
  const raw = rp.compiled.raw;
  const matchAt = (index: number): Match => {
    const st = raw[index];
    if (!isObject(st)) return NO;
    if ('NotPrincipal' in st) {
      const m = matchElement(st['NotPrincipal'], who, rp.policy.name);
      const either = or(m.self, m.account);
      return { self: not(either), account: 'no', dependsOn: m.dependsOn };
    }
    if (!('Principal' in st)) return NO; // a resource policy statement without a principal names no one
    return matchElement(st['Principal'], who, rp.policy.name);
  };
  return {
    grant: (i) => {
      const m = matchAt(i);
      return { tri: m.self, dependsOn: m.dependsOn };
    },
    delegate: (i) => {
      const m = matchAt(i);
      return { tri: m.account, dependsOn: m.dependsOn };
    },
    deny: (i) => {
      const m = matchAt(i);
      return { tri: or(m.self, m.account), dependsOn: m.dependsOn };
    },
  };
}
