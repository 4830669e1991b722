/**
 * The REFERENCE evaluator: a deliberately simple second implementation of the IAM policy
 * evaluation logic for identity-based policies (with permissions boundaries), written
 * straight from AWS's documentation, so that a property-based test can require the fast
 * evaluator (src/evaluator) to agree with it. It shares nothing with the fast evaluator but
 * the result types, the symbolic values of src/policy/symbolic.ts and the action data of
 * src/iam. No compilation, no caching: every call walks the documents again. It answers the
 * decision, the statements that decided it, and what a conditional answer depends on.
 *
 * Readings of the rules (issue 2) where a choice had to be made:
 *  1. Every question is answered yes / no / maybe (tri.ts). A statement applies when its
 *     action, resource and condition parts all do (Kleene "and"). The decision:
 *       explicitDeny  some Deny statement applies with certainty ("yes");
 *       allowed       some Allow applies with certainty, no Deny can apply, and (with a
 *                     permissions boundary) some boundary Allow applies with certainty;
 *       implicitDeny  no Allow can apply (or no boundary Allow can), no Deny is certain;
 *       conditional   everything else.
 *     Certainty is judged per statement for unknown context keys and values: an Allow and a
 *     Deny that hinge on the same unknown key give `conditional`, as the issue's definitions
 *     say. Template conditions are different (see 6): they are named, so the same name has
 *     the same value everywhere, and the evaluator tries every assignment of them.
 *  2. A context key the caller does not give is UNKNOWN: every condition on it is "maybe",
 *     whatever the operator (IfExists, Null and ForAllValues included). A key given as `[]`
 *     is ABSENT from the request: then IfExists holds, ForAllValues holds (empty set),
 *     ForAnyValue fails, a negated operator (StringNotEquals, NotIpAddress, ArnNotLike...)
 *     holds, a positive one fails, and Null:"true" holds.
 *  3. Several policy values for one key are alternatives; a negated operator holds when the
 *     request value matches none of them. With ForAllValues every request value must pass
 *     (as just said, per value), with ForAnyValue at least one. A plain operator given several
 *     request values holds when any of them matches (negated: when none does).
 *  4. Policy variables (`${aws:username}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`) are
 *     recognised only in documents with Version "2012-10-17" (AWS reads them literally
 *     otherwise), and only in Resource/NotResource and in String and Arn condition values.
 *     A variable whose key is unknown makes the element "maybe" (or "no" when nothing the
 *     variable could be makes it match); whose key is absent (or multivalued), its default,
 *     else the value matches nothing.
 *  5. Resources (resource.ts): the default resource "*" stands for every ARN of the action's
 *     resource types (from src/iam): all of them must be covered for "yes" (for an action
 *     with several types, every type, required or not); a pattern that cannot match an ARN
 *     of any type is "no". `${Partition}` is read as "aws"; `${Region}`, `${Account}` and
 *     identifiers (a placeholder name ending in "Id") as any text without ":"; every other
 *     placeholder as any text, holding ":" only when it ends its segment (an S3 object key, a
 *     Lambda function name with its qualifier).
 *     An action without resource types is requested on the literal resource "*", whatever
 *     resource the caller names. An action the data does not know is treated as having
 *     unknown resource types. Resource and NotResource patterns are case-sensitive globs read
 *     as the Resource page says: wildcards go "within the individual segments of an ARN (the
 *     parts separated by colons)", and "If the `*` wildcard is the last character of a
 *     resource ARN segment, it can expand to match beyond the colon boundaries"
 *     (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 *     So a segment-final `*` matches anything; whether another `*`, or a `?`, can take a ":"
 *     the page does not say, so a pattern matches "yes" when it matches with those staying
 *     inside their segment, "no" when it does not match even with every wildcard spanning
 *     colons, "maybe" in between. This holds for every segment and for short patterns
 *     ("arn:aws:connect:*:instance/*") alike. The ARN condition operators are another rule:
 *     they match the six ARN parts separately.
 *  6. Unresolved values: a wholly unknown value matches "maybe"; a partly known string
 *     matches "maybe" if it could match with its holes read as any text, else "no" (its known
 *     fragments rule the match out whatever the holes hold). An unresolved policy
 *     (AttachedPolicy.unresolved, or a wholly unknown document or statement) can allow and
 *     deny anything: "maybe" both; an unresolved Effect: the statement may allow or deny.
 *     Template conditions (the condition of every Choice, i.e. unknown Fn::If, and every
 *     `onlyIf`) are enumerated: for each assignment of true/false to the names, the choices
 *     take their branch (NO_VALUE drops the element), a policy whose `onlyIf` is false is not
 *     attached (a permissions boundary that is not attached restricts nothing), and the
 *     choice-free principal is evaluated as above. The definitions in 1 then read over all
 *     assignments: a Deny applies with certainty when it does in every one, an Allow can
 *     apply when it can in some. Past 12 names (4,096 assignments) the answer is conditional
 *     without trying.
 */
import { UsageError } from '../../errors';
import { getAction } from '../../iam';
import { isManagedPolicy } from '../../managed/types';
import { isChoice, isUnresolved, NO_VALUE } from '../../policy/symbolic';
import { isPrincipal, type AttachedPolicy } from '../../policy/types';
import type { Decision, Dependency } from '../types';
import { evaluateConditionBlock, isPlainObject } from './conditions';
import { actionMatched, asList, resourceCovered, resourceTarget, type ResourceTarget } from './resource';
import { triAll, triAny, type Tri } from './tri';
import type { RequestContext } from './values';
import type { GuardrailOptions } from '../guardrails/types';
import { referenceGuardrails } from './guardrails';

export type { Tri } from './tri';

export interface ReferenceOptions extends GuardrailOptions {
  /** The resource asked about; default "*" (whatever resource the console acts on). */
  readonly resource?: string;
  /** Condition keys and policy variables; a key left out is unknown, a key given as [] is absent. */
  readonly context?: RequestContext;
}

/** One statement's part in the decision. */
export interface ReferenceStatement {
  /** The attached policy's name. */
  readonly policy: string;
  /** Position in the principal's `policies` (-1 for the permissions boundary). */
  readonly policyIndex: number;
  readonly boundary: boolean;
  /** Position in the Statement list (0 for a single statement object). */
  readonly index: number;
  readonly sid?: string;
  /** Whether the statement grants the action (as an Allow) and denies it (as a Deny). */
  readonly allows: Tri;
  readonly denies: Tri;
}

export interface ReferenceResult {
  readonly decision: Decision;
  /** Certain denies for explicitDeny, certain allows for allowed, uncertain ones for conditional. */
  readonly statements: readonly ReferenceStatement[];
  /** What a conditional answer depends on (empty otherwise). */
  readonly dependsOn: readonly Dependency[];
}

interface Request {
  readonly action: string;
  readonly target: ResourceTarget;
  readonly context: RequestContext;
}

/** A policy in one assignment of the template conditions: attached, free of choices. */
interface Attached {
  readonly policy: AttachedPolicy;
  readonly index: number;
  /** The document with every choice resolved (undefined when the policy is unresolved). */
  readonly document?: unknown;
}

interface PolicyOutcome {
  readonly allows: Tri;
  readonly denies: Tri;
  readonly statements: ReferenceStatement[];
  readonly deps: Dependency[];
}

const MAX_TEMPLATE_CONDITIONS = 12;

export { decide as referenceDecide };

export function referenceEvaluate(subject: unknown, action: string, options: ReferenceOptions = {}): ReferenceResult {
  // A request is for one action: a pattern is not a request (the fast evaluator refuses it too).
  if (/[*?]/.test(action)) throw new UsageError(`referenceEvaluate: '${action}' is a pattern, but a request names one action`);
  const identity = referenceIdentity(subject, action, options);
  if (options.organization === undefined && options.session === undefined && options.resourcePolicies === undefined) return identity.result;
  const request: Request = {
    action,
    target: resourceTarget(options.resource, getAction(action)?.resourceTypes),
    context: options.context ?? {},
  };
  const principal = isPrincipal(subject) ? subject : { kind: 'documents' as const, id: 'document', policies: [] };
  return referenceGuardrails(identity, principal, options, (document, name) => {
    const out = evaluatePolicy({ policy: { name, origin: 'scp', document }, index: 0, document }, false, request);
    return { allows: out.allows, denies: out.denies, deps: out.deps, statements: out.statements };
  }, request.target, action);
}

/** The identity stage (identity policies and the permissions boundary), with its parts for the guardrail stages. */
function referenceIdentity(subject: unknown, action: string, options: ReferenceOptions): { result: ReferenceResult; allows: Tri; denies: Tri; boundaryAllows: Tri } {
  const { policies, boundary } = attachedPolicies(subject);
  const request: Request = {
    action,
    target: resourceTarget(options.resource, getAction(action)?.resourceTypes),
    context: options.context ?? {},
  };

  const names = templateConditions([...policies, ...(boundary ? [boundary] : [])]);
  const nameDeps: Dependency[] = names.map((condition) => ({ kind: 'templateCondition', condition }));
  if (names.length > MAX_TEMPLATE_CONDITIONS) return { result: { decision: 'conditional', statements: [], dependsOn: nameDeps }, allows: 'maybe', denies: 'maybe', boundaryAllows: 'maybe' };

  // Every assignment of true/false to the template conditions.
  const worlds: World[] = [];
  for (let bits = 0; bits < 2 ** names.length; bits++) {
    const world = new Map(names.map((name, i) => [name, (bits & (1 << i)) !== 0]));
    const attach = (p: AttachedPolicy, index: number): Attached | undefined => {
      if (p.onlyIf !== undefined && !world.get(p.onlyIf)) return undefined;
      return { policy: p, index, ...(p.document !== undefined ? { document: resolveDocument(p.document, world) } : {}) };
    };
    const identity = policies.map(attach).filter((a): a is Attached => a !== undefined);
    worlds.push(evaluateAttached(identity, boundary ? attach(boundary, -1) : undefined, request));
  }

  // The issue's definitions, over every assignment: a Deny applies with certainty when it
  // applies in each; an Allow can apply when it can in some.
  const varies = worlds.some((w) => w.allows !== worlds[0]!.allows || w.denies !== worlds[0]!.denies);
  const denies: Tri = worlds.every((w) => w.denies === 'yes') ? 'yes' : worlds.every((w) => w.denies === 'no') ? 'no' : 'maybe';
  const allows: Tri = worlds.every((w) => w.allows === 'yes') ? 'yes' : worlds.every((w) => w.allows === 'no') ? 'no' : 'maybe';
  const boundaryAllows: Tri = worlds.every((w) => w.limit === 'yes') ? 'yes' : worlds.every((w) => w.limit === 'no') ? 'no' : 'maybe';
  const decision = decide(allows, denies);
  const parts = { allows, denies, boundaryAllows };

  const statements = uniqueStatements(worlds.flatMap((w) => w.statements));
  if (decision === 'implicitDeny') return { result: { decision, statements: [], dependsOn: [] }, ...parts };
  if (decision === 'explicitDeny') return { result: { decision, statements: statements.filter((s) => s.denies === 'yes'), dependsOn: [] }, ...parts };
  if (decision === 'allowed') return { result: { decision, statements: statements.filter((s) => s.allows === 'yes'), dependsOn: [] }, ...parts };
  const uncertain = statements.filter((s) => s.allows === 'maybe' || s.denies === 'maybe' || (varies && (s.allows === 'yes' || s.denies === 'yes')));
  return { result: { decision, statements: uncertain, dependsOn: unique([...(varies ? nameDeps : []), ...worlds.flatMap((w) => w.dependsOn)]) }, ...parts };
}

function decide(allows: Tri, denies: Tri): Decision {
  if (denies === 'yes') return 'explicitDeny';
  if (allows === 'no') return 'implicitDeny';
  if (allows === 'yes' && denies === 'no') return 'allowed';
  return 'conditional';
}

/** What one assignment of the template conditions gives. */
interface World {
  /** Whether the action is granted (identity Allow and, with a boundary, a boundary Allow). */
  readonly allows: Tri;
  readonly denies: Tri;
  /** Every statement with its part. */
  readonly statements: readonly ReferenceStatement[];
  /** What the uncertain parts depend on. */
  readonly dependsOn: readonly Dependency[];
  /** Whether the permissions boundary alone allows ('yes' without one). */
  readonly limit: Tri;
}

/** One principal free of template conditions. */
function evaluateAttached(identity: readonly Attached[], boundary: Attached | undefined, request: Request): World {
  const outcomes = identity.map((a) => evaluatePolicy(a, false, request));
  const limit = boundary ? evaluatePolicy(boundary, true, request) : undefined;
  const all = [...outcomes, ...(limit ? [limit] : [])];
  return {
    denies: triAny(all.map((o) => o.denies)),
    allows: triAll([triAny(outcomes.map((o) => o.allows)), limit ? limit.allows : 'yes']),
    statements: all.flatMap((o) => o.statements),
    dependsOn: all.filter((o) => o.allows === 'maybe' || o.denies === 'maybe').flatMap((o) => o.deps),
    limit: limit ? limit.allows : 'yes',
  };
}

// ---- subjects ------------------------------------------------------------------------

function attachedPolicies(subject: unknown): { policies: readonly AttachedPolicy[]; boundary?: AttachedPolicy } {
  if (isPrincipal(subject)) return { policies: subject.policies, boundary: subject.permissionsBoundary };
  if (isManagedPolicy(subject)) return { policies: [{ name: subject.name, origin: 'managed', document: subject.document }] };
  if (Array.isArray(subject)) {
    return {
      policies: subject.map((d: unknown, i) =>
        isManagedPolicy(d) ? { name: d.name, origin: 'managed' as const, document: d.document } : { name: `document ${i}`, origin: 'document' as const, document: d },
      ),
    };
  }
  if (isPlainObject(subject)) return { policies: [{ name: 'document', origin: 'document', document: subject }] };
  throw new TypeError('referenceEvaluate: expected a policy document, an array of documents, a principal or a managed policy');
}

// ---- template conditions -------------------------------------------------------------

/** Every template condition named by a Choice or an `onlyIf`, sorted. */
function templateConditions(policies: readonly AttachedPolicy[]): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (isChoice(v)) {
      names.add(v.condition);
      walk(v.whenTrue);
      walk(v.whenFalse);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainObject(v)) Object.values(v).forEach(walk);
  };
  for (const p of policies) {
    if (p.onlyIf !== undefined) names.add(p.onlyIf);
    walk(p.document);
  }
  return [...names].sort();
}

/** A document in one assignment; its Statement list keeps NO_VALUE entries so indices stay put. */
function resolveDocument(document: unknown, world: ReadonlyMap<string, boolean>): unknown {
  const d = pick(document, world);
  if (!isPlainObject(d)) return resolve(d, world);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(d)) {
    if (key !== 'Statement') {
      const v = resolve(d[key], world);
      if (v !== NO_VALUE) out[key] = v;
      continue;
    }
    const list = pick(d[key], world);
    if (list === NO_VALUE) continue;
    out[key] = Array.isArray(list) ? list.map((slot) => resolve(slot, world)) : resolve(list, world);
  }
  return out;
}

/** The branch a choice takes (choices may nest). */
function pick(value: unknown, world: ReadonlyMap<string, boolean>): unknown {
  return isChoice(value) ? pick(world.get(value.condition) ? value.whenTrue : value.whenFalse, world) : value;
}

/** A value with every choice resolved; NO_VALUE drops the element or property it stands in. */
function resolve(value: unknown, world: ReadonlyMap<string, boolean>): unknown {
  const v = pick(value, world);
  if (Array.isArray(v)) return v.map((x) => resolve(x, world)).filter((x) => x !== NO_VALUE);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const x = resolve(v[key], world);
      if (x !== NO_VALUE) out[key] = x;
    }
    return out;
  }
  return v;
}

// ---- policies and statements (free of choices) ----------------------------------------

function evaluatePolicy(attached: Attached, boundary: boolean, request: Request): PolicyOutcome {
  const { policy, index: policyIndex, document } = attached;
  const deps: Dependency[] = [];
  const unknown = (why: Dependency): PolicyOutcome => ({ allows: 'maybe', denies: 'maybe', statements: [], deps: [...deps, why] });

  if (policy.unresolved !== undefined || document === undefined) {
    return unknown({ kind: 'unresolvedPolicy', policy: policy.name, reason: policy.unresolved ?? 'no document' });
  }
  if (isUnresolved(document)) return unknown({ kind: 'unresolvedValue', description: document.description });
  if (!isPlainObject(document)) return { allows: 'no', denies: 'no', statements: [], deps };
  const list = document['Statement'];
  if (isUnresolved(list)) return unknown({ kind: 'unresolvedValue', description: list.description });

  const variables = document['Version'] === '2012-10-17';
  const slots = list === undefined ? [] : Array.isArray(list) ? list : [list];
  const statements: ReferenceStatement[] = [];
  slots.forEach((statement, index) => {
    if (statement === NO_VALUE) return; // not there in this assignment
    let allows: Tri;
    let denies: Tri;
    if (isUnresolved(statement)) {
      deps.push({ kind: 'unresolvedValue', description: statement.description });
      allows = denies = 'maybe';
    } else if (!isPlainObject(statement)) {
      allows = denies = 'no';
    } else {
      const local: Dependency[] = [];
      const applies = statementApplies(statement, variables, request, local);
      if (applies !== 'no') deps.push(...local);
      const effect = statement['Effect'];
      if (isUnresolved(effect)) {
        deps.push({ kind: 'unresolvedValue', description: effect.description });
        allows = denies = applies === 'no' ? 'no' : 'maybe';
      } else {
        allows = effect === 'Allow' ? applies : 'no';
        denies = effect === 'Deny' ? applies : 'no';
      }
    }
    const sid = isPlainObject(statement) && typeof statement['Sid'] === 'string' ? statement['Sid'] : undefined;
    statements.push({ policy: policy.name, policyIndex, boundary, index, ...(sid !== undefined ? { sid } : {}), allows, denies });
  });
  return {
    allows: triAny(statements.map((s) => s.allows)),
    denies: triAny(statements.map((s) => s.denies)),
    statements,
    deps,
  };
}

/** Does a statement apply to the request? */
function statementApplies(statement: Record<string, unknown>, variables: boolean, request: Request, deps: Dependency[]): Tri {
  let action: Tri = 'no';
  if ('Action' in statement) action = actionMatched(asList(statement['Action']), request.action, deps);
  else if ('NotAction' in statement) action = notOf(actionMatched(asList(statement['NotAction']), request.action, deps));
  if (action === 'no') return 'no';

  const scope = { variables, context: request.context };
  let resource: Tri = 'no';
  if ('Resource' in statement) resource = resourceCovered(asList(statement['Resource']), request.target, scope, deps);
  else if ('NotResource' in statement) resource = notOf(resourceCovered(asList(statement['NotResource']), request.target, scope, deps));
  if (resource === 'no') return 'no';

  const condition = evaluateConditionBlock(statement['Condition'], scope, deps);
  return triAll([action, resource, condition]);
}

function notOf(t: Tri): Tri {
  return t === 'yes' ? 'no' : t === 'no' ? 'yes' : 'maybe';
}

function unique(deps: readonly Dependency[]): Dependency[] {
  const seen = new Map<string, Dependency>();
  for (const d of deps) seen.set(JSON.stringify(d), d);
  return [...seen.values()];
}

function uniqueStatements(statements: readonly ReferenceStatement[]): ReferenceStatement[] {
  const seen = new Map<string, ReferenceStatement>();
  for (const s of statements) seen.set(`${s.boundary}|${s.policyIndex}|${s.index}`, s);
  return [...seen.values()];
}
