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
 *     Certainty is judged per statement, not over possible worlds: an Allow and a Deny that
 *     hinge on the same unknown key give `conditional`, as the definitions say.
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
 *     of any type is "no". `${Partition}` is read as "aws", `${Region}` and `${Account}` as any
 *     text without ":" (they never hold one), every other placeholder as `*` (an S3 object key
 *     may hold ":").
 *     An action without resource types is requested on the literal resource "*", whatever
 *     resource the caller names. An action the data does not know is treated as having
 *     unknown resource types. Resource and NotResource patterns are case-sensitive globs; in a
 *     pattern with six ARN parts a `*` in one of the first five stays inside its part (the IAM
 *     docs: wildcards go "within the individual segments of an ARN"; their exception for a
 *     segment-final `*` is not modelled); shorter patterns ("arn:aws:connect:*") are
 *     whole-string globs. The ARN condition operators match the six ARN parts separately.
 *  6. Unresolved values: a wholly unknown value matches "maybe"; a partly known string
 *     matches "maybe" if it could match with its holes read as any text, else "no" (its known
 *     fragments rule the match out whatever the holes hold). A Choice
 *     (unknown Fn::If) is expanded: the statement is evaluated for each branch and is certain
 *     only when every branch gives the same answer; whole-document and Statement-list choices
 *     are handled the same way per policy. An unresolved policy (AttachedPolicy.unresolved,
 *     or a wholly unknown document or statement) can allow and deny anything: "maybe" both.
 *     A policy with `onlyIf` may or may not be attached: its "yes" answers become "maybe";
 *     a permissions boundary with `onlyIf` restricts nothing when it is not attached.
 */
import { getAction } from '../../iam';
import { isManagedPolicy } from '../../managed/types';
import { isChoice, isUnresolved, NO_VALUE } from '../../policy/symbolic';
import { isPrincipal, type AttachedPolicy } from '../../policy/types';
import type { Decision, Dependency } from '../types';
import { evaluateConditionBlock, isPlainObject } from './conditions';
import { actionMatched, asList, resourceCovered, resourceTarget, type ResourceTarget } from './resource';
import { triAll, triAny, triSame, type Tri } from './tri';
import type { RequestContext } from './values';

export type { Tri } from './tri';

export interface ReferenceOptions {
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

interface PolicyOutcome {
  readonly allows: Tri;
  readonly denies: Tri;
  readonly statements: ReferenceStatement[];
  readonly deps: Dependency[];
}

export function referenceEvaluate(subject: unknown, action: string, options: ReferenceOptions = {}): ReferenceResult {
  const { policies, boundary } = attachedPolicies(subject);
  const request: Request = {
    action,
    target: resourceTarget(options.resource, getAction(action)?.resourceTypes),
    context: options.context ?? {},
  };

  const identity = policies.map((p, i) => evaluatePolicy(p, i, false, request));
  const limit = boundary ? evaluatePolicy(boundary, -1, true, request) : undefined;

  const denies = triAny([...identity.map((o) => o.denies), ...(limit ? [limit.denies] : [])]);
  const identityAllows = triAny(identity.map((o) => o.allows));
  let boundaryAllows: Tri = 'yes';
  if (boundary && limit) {
    // a boundary that may not be attached restricts nothing in the world where it is not
    boundaryAllows = boundary.onlyIf !== undefined && limit.allows !== 'yes' ? 'maybe' : limit.allows;
  }
  const allows = triAll([identityAllows, boundaryAllows]);

  let decision: Decision;
  if (denies === 'yes') decision = 'explicitDeny';
  else if (allows === 'no') decision = 'implicitDeny';
  else if (allows === 'yes' && denies === 'no') decision = 'allowed';
  else decision = 'conditional';

  const all = [...identity, ...(limit ? [limit] : [])];
  const statements = all.flatMap((o) => o.statements);
  let decidedBy: ReferenceStatement[] = [];
  let dependsOn: Dependency[] = [];
  if (decision === 'explicitDeny') decidedBy = statements.filter((s) => s.denies === 'yes');
  else if (decision === 'allowed') decidedBy = statements.filter((s) => s.allows === 'yes');
  else if (decision === 'conditional') {
    decidedBy = statements.filter((s) => s.allows === 'maybe' || s.denies === 'maybe');
    const uncertain = all.filter((o) => o.allows === 'maybe' || o.denies === 'maybe');
    if (limit && boundaryAllows === 'maybe' && !uncertain.includes(limit)) uncertain.push(limit);
    dependsOn = unique(uncertain.flatMap((o) => o.deps));
  }
  return { decision, statements: decidedBy, dependsOn };
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

// ---- policies ------------------------------------------------------------------------

function evaluatePolicy(policy: AttachedPolicy, policyIndex: number, boundary: boolean, request: Request): PolicyOutcome {
  const deps: Dependency[] = [];
  if (policy.onlyIf !== undefined) deps.push({ kind: 'templateCondition', condition: policy.onlyIf });
  // a policy that may not be attached makes no certain grant or denial; a boundary that may
  // not be attached is handled by the caller (when absent it restricts nothing)
  const cap = (t: Tri): Tri => (policy.onlyIf !== undefined && t === 'yes' ? 'maybe' : t);
  const capAllows = (t: Tri): Tri => (boundary ? t : cap(t));

  if (policy.unresolved !== undefined || policy.document === undefined) {
    deps.push({ kind: 'unresolvedPolicy', policy: policy.name, reason: policy.unresolved ?? 'no document' });
    return { allows: 'maybe', denies: 'maybe', statements: [], deps };
  }

  // Every alternative of the document and of its Statement list (unknown Fn::If at the top).
  const alternatives: Array<{ allows: Tri; denies: Tri }> = [];
  const statements: ReferenceStatement[] = [];
  for (const condition of [...topConditions(policy.document)]) deps.push({ kind: 'templateCondition', condition });
  for (const document of branches(policy.document)) {
    if (document === NO_VALUE) {
      alternatives.push({ allows: 'no', denies: 'no' });
      continue;
    }
    if (isUnresolved(document) || !isPlainObject(document)) {
      if (isUnresolved(document)) deps.push({ kind: 'unresolvedValue', description: document.description });
      alternatives.push({ allows: 'maybe', denies: 'maybe' });
      continue;
    }
    const variables = document['Version'] === '2012-10-17';
    for (const list of branches(document['Statement'])) {
      if (isUnresolved(list)) {
        deps.push({ kind: 'unresolvedValue', description: list.description });
        alternatives.push({ allows: 'maybe', denies: 'maybe' });
        continue;
      }
      const slots = list === undefined || list === NO_VALUE ? [] : Array.isArray(list) ? list : [list];
      const outcomes = slots.map((slot, index) => {
        const outcome = evaluateSlot(slot, variables, request, deps);
        const sid = isPlainObject(slot) && typeof slot['Sid'] === 'string' ? slot['Sid'] : undefined;
        const ref: ReferenceStatement = {
          policy: policy.name,
          policyIndex,
          boundary,
          index,
          ...(sid !== undefined ? { sid } : {}),
          allows: capAllows(outcome.allows),
          denies: cap(outcome.denies),
        };
        statements.push(ref);
        return ref;
      });
      alternatives.push({ allows: triAny(outcomes.map((o) => o.allows)), denies: triAny(outcomes.map((o) => o.denies)) });
    }
  }
  return {
    allows: capAllows(triSame(alternatives.map((a) => a.allows))),
    denies: cap(triSame(alternatives.map((a) => a.denies))),
    statements,
    deps,
  };
}

/** One entry of the Statement list, which may hold unknown choices anywhere inside. */
function evaluateSlot(slot: unknown, variables: boolean, request: Request, deps: Dependency[]): { allows: Tri; denies: Tri } {
  let variants: unknown[];
  try {
    variants = expand(slot);
  } catch {
    return { allows: 'maybe', denies: 'maybe' }; // too many combinations: admit we do not know
  }
  const allows: Tri[] = [];
  const denies: Tri[] = [];
  for (const statement of variants) {
    if (statement === NO_VALUE) {
      allows.push('no');
      denies.push('no');
      continue;
    }
    if (isUnresolved(statement) || !isPlainObject(statement)) {
      if (isUnresolved(statement)) deps.push({ kind: 'unresolvedValue', description: statement.description });
      allows.push('maybe');
      denies.push('maybe');
      continue;
    }
    const local: Dependency[] = [];
    const applies = statementApplies(statement, variables, request, local);
    const effect = statement['Effect'];
    if (applies !== 'no') deps.push(...local);
    if (isUnresolved(effect)) {
      deps.push({ kind: 'unresolvedValue', description: effect.description });
      const either: Tri = applies === 'no' ? 'no' : 'maybe';
      allows.push(either);
      denies.push(either);
    } else {
      allows.push(effect === 'Allow' ? applies : 'no');
      denies.push(effect === 'Deny' ? applies : 'no');
    }
  }
  const result = { allows: triSame(allows), denies: triSame(denies) };
  if (result.allows === 'maybe' || result.denies === 'maybe') {
    for (const condition of choiceConditions(slot)) deps.push({ kind: 'templateCondition', condition });
  }
  return result;
}

/** Does a statement (free of choices) apply to the request? */
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

// ---- unknown choices -----------------------------------------------------------------

/** The branches of choices at the top of a value (not inside it). */
function branches(value: unknown): unknown[] {
  if (isChoice(value)) return [...branches(value.whenTrue), ...branches(value.whenFalse)];
  return [value];
}

/** Template conditions of the choices at the top of a document and of its Statement list. */
function topConditions(document: unknown): string[] {
  const out: string[] = [];
  for (const d of branches(document)) if (isPlainObject(d) && isChoice(d['Statement'])) out.push(...topChoiceNames(d['Statement']));
  return [...topChoiceNames(document), ...out];
}

function topChoiceNames(value: unknown): string[] {
  return isChoice(value) ? [value.condition, ...topChoiceNames(value.whenTrue), ...topChoiceNames(value.whenFalse)] : [];
}

const MAX_VARIANTS = 256;

/** Every choice-free value a value may stand for; NO_VALUE drops the element it stands in. */
function expand(value: unknown): unknown[] {
  if (!containsChoice(value)) return [value];
  if (isChoice(value)) return [...expand(value.whenTrue), ...expand(value.whenFalse)];
  if (Array.isArray(value)) {
    let results: unknown[][] = [[]];
    for (const item of value) {
      const options = expand(item);
      const next: unknown[][] = [];
      for (const partial of results) for (const option of options) next.push(option === NO_VALUE ? partial : [...partial, option]);
      if (next.length > MAX_VARIANTS) throw new RangeError('too many variants');
      results = next;
    }
    return results;
  }
  if (isPlainObject(value)) {
    let results: Array<Record<string, unknown>> = [{}];
    for (const key of Object.keys(value)) {
      const options = expand(value[key]);
      const next: Array<Record<string, unknown>> = [];
      for (const partial of results) for (const option of options) next.push(option === NO_VALUE ? partial : { ...partial, [key]: option });
      if (next.length > MAX_VARIANTS) throw new RangeError('too many variants');
      results = next;
    }
    return results;
  }
  return [value];
}

/** The template conditions of every choice inside a value. */
function choiceConditions(value: unknown): string[] {
  if (isChoice(value)) return [value.condition, ...choiceConditions(value.whenTrue), ...choiceConditions(value.whenFalse)];
  if (Array.isArray(value)) return value.flatMap(choiceConditions);
  if (isPlainObject(value)) return Object.values(value).flatMap(choiceConditions);
  return [];
}

function containsChoice(value: unknown): boolean {
  if (isChoice(value) || value === NO_VALUE) return true;
  if (Array.isArray(value)) return value.some(containsChoice);
  if (isPlainObject(value)) return Object.values(value).some(containsChoice);
  return false;
}

function unique(deps: readonly Dependency[]): Dependency[] {
  const seen = new Map<string, Dependency>();
  for (const d of deps) seen.set(JSON.stringify(d), d);
  return [...seen.values()];
}
