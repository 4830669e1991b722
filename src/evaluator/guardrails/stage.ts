/**
 * One guardrail policy against one request, with the evaluator's own statement and
 * condition matchers (matchAction, evaluateStatement): whether it allows and whether it
 * denies ('yes' / 'maybe' / 'no'), and the statements that took part, explained like any
 * other statement plus where they sit among the guardrails.
 */
import type { AttachedPolicy, PolicyOrigin } from '../../policy/types';
import { UsageError } from '../../errors';
import { describeType } from '../../policy/normalize';
import { compilePolicy, type CompiledPolicy } from '../compile';
import type { AskedResource } from '../request';
import { dedupe, evaluateStatement, matchAction, type Tri } from '../statement';
import type { Dependency, StatementExplain } from '../types';
import type { Context } from '../variables';
import type { GuardrailPolicy, GuardrailPolicyInput, GuardrailRef } from './types';

export const rank: Record<Tri, number> = { no: 0, maybe: 1, yes: 2 };
export const or = (a: Tri, b: Tri): Tri => (rank[a] >= rank[b] ? a : b);
export const and = (a: Tri, b: Tri): Tri => (rank[a] <= rank[b] ? a : b);
export const not = (a: Tri): Tri => (a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'maybe');

/** AWS's managed allow-all guardrails, known by name. */
const KNOWN: Readonly<Record<string, unknown>> = {
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html (FullAWSAccess)
  fullawsaccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html (RCPFullAWSAccess)
  rcpfullawsaccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] },
};

/** A guardrail policy compiled once: the document known, or the reason it is not. */
export interface CompiledGuardrail {
  readonly attached: AttachedPolicy;
  readonly policy?: CompiledPolicy;
  readonly unresolved?: string;
  readonly ref: GuardrailRef;
  /** The raw statements (resource policies read their Principal element from them). */
  readonly raw: readonly unknown[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Turn one policy as the user gave it into a GuardrailPolicy (names resolved, shape checked). */
export function guardrailPolicyOf(input: GuardrailPolicyInput, where: string, fallbackName: string): GuardrailPolicy {
  if (typeof input === 'string') {
    if (input.trim() === '') throw new UsageError(`${where}: a policy name must not be empty`);
    const known = KNOWN[input.toLowerCase()];
    if (known) return { name: input, document: known, source: { file: `AWS managed policy ${input}` } };
    return { name: input, unresolved: `${input} is named but its document is not given` };
  }
  if (!isObject(input)) throw new UsageError(`${where}: expected a policy document, a loaded policy { name, document } or a policy name; received ${describeType(input)}`);
  if ('Statement' in input) return { name: fallbackName, document: input };
  if (typeof input['name'] !== 'string') {
    throw new UsageError(`${where}: expected a policy document ({ Statement: [...] }), a loaded policy { name, document } or a policy name; received an object with keys ${Object.keys(input).slice(0, 5).map((k) => `'${k}'`).join(', ') || '(none)'}`);
  }
  const p = input as unknown as GuardrailPolicy;
  if (p.document === undefined && p.unresolved === undefined) return { ...p, unresolved: `${p.name} is named but its document is not given` };
  return p;
}

/** Compile a guardrail policy (validation errors are PolicyValidationError with JSON paths, as for identity policies). */
export function compileGuardrail(p: GuardrailPolicy, origin: PolicyOrigin, ref: GuardrailRef, check?: (doc: unknown, p: GuardrailPolicy) => void): CompiledGuardrail {
  const attached: AttachedPolicy = {
    name: p.name,
    origin,
    ...(p.source ? { source: p.source } : {}),
    ...(p.locations ? { locations: p.locations } : {}),
    ...(p.document !== undefined ? { document: p.document } : {}),
    ...(p.unresolved !== undefined ? { unresolved: p.unresolved } : {}),
  };
  if (p.document === undefined || p.unresolved !== undefined) return { attached, unresolved: p.unresolved ?? 'the document is missing', ref, raw: [] };
  check?.(p.document, p);
  // RCPs and resource-based policies name a principal (their grammar checks it); SCPs and session
  // policies are read with the identity grammar (no Principal: AWS refuses it in them).
  const kind = origin === 'rcp' || origin === 'resource-policy' ? 'any' : 'identity';
  const policy = compilePolicy(p.document, { name: p.name, kind, ...(p.source ? { source: p.source } : {}), ...(p.locations ? { locations: p.locations } : {}) });
  const st = isObject(p.document) ? p.document['Statement'] : undefined;
  const raw = Array.isArray(st) ? st : st === undefined ? [] : [st];
  return { attached, policy, ref, raw };
}

/** How a statement's Principal element relates to the principal asked about (resource policies only). */
export type PrincipalTest = (statementIndex: number, effect: 'Allow' | 'Deny') => { readonly tri: Tri; readonly dependsOn: readonly Dependency[] };

export interface PolicyVerdict {
  readonly allow: Tri;
  readonly deny: Tri;
  /** Statements that allow or deny (or may), explained. */
  readonly statements: readonly StatementExplain[];
  /** What the uncertain parts depend on. */
  readonly dependsOn: readonly Dependency[];
}

/** Evaluate one compiled guardrail policy. `principal` filters resource-policy statements by their Principal element. */
export function evaluateGuardrail(
  g: CompiledGuardrail,
  action: string,
  asked: AskedResource,
  context: Context,
  principal?: PrincipalTest,
  unknownDependency?: Dependency,
): PolicyVerdict {
  if (!g.policy) {
    const dep: Dependency = unknownDependency ?? { kind: 'guardrail', guardrail: g.ref.kind, policy: g.attached.name, reason: g.unresolved ?? 'unknown', ...(g.ref.level ? { level: g.ref.level } : {}) };
    const st: StatementExplain = {
      policy: g.attached.name,
      origin: g.attached.origin,
      location: g.attached.source ?? {},
      index: 0,
      effect: 'Deny',
      applies: 'maybe',
      dependsOn: [dep],
      guardrail: g.ref,
    };
    return { allow: 'maybe', deny: 'maybe', statements: [st, { ...st, effect: 'Allow' }], dependsOn: [dep] };
  }
  let allow: Tri = 'no';
  let deny: Tri = 'no';
  const statements: StatementExplain[] = [];
  const deps: Dependency[] = [];
  for (const group of g.policy.groups) {
    if (group.unresolved !== undefined) {
      allow = or(allow, 'maybe');
      deny = or(deny, 'maybe');
      deps.push(...group.presenceDependsOn);
      statements.push({ policy: g.attached.name, origin: g.attached.origin, location: group.location, index: group.index, effect: 'Allow', applies: 'maybe', dependsOn: group.presenceDependsOn, guardrail: g.ref });
      continue;
    }
    for (const v of group.variants) {
      const hit = matchAction(v, action);
      if (hit.tri === 'no') continue;
      const outcome = evaluateStatement(v, hit, asked, context, false);
      let applies: Tri = outcome.applies;
      const local: Dependency[] = [...outcome.dependsOn];
      // A statement that exists only under template conditions, or whose Effect is unknown, is only possible.
      if (applies === 'yes' && (v.parsed.when.size > 0 || v.parsed.effectUnresolved !== undefined)) {
        applies = 'maybe';
        local.push(...v.variantDependsOn);
      }
      if (applies !== 'no' && principal) {
        const p = principal(group.index, v.parsed.effect);
        if (p.tri === 'no') applies = 'no';
        else if (p.tri === 'maybe') {
          applies = 'maybe';
          local.push(...p.dependsOn);
        }
      }
      if (applies === 'no') continue;
      if (v.parsed.effect === 'Allow') allow = or(allow, applies);
      else deny = or(deny, applies);
      if (applies === 'maybe') deps.push(...local);
      const sid = group.sid ?? v.parsed.sid;
      const st: { -readonly [K in keyof StatementExplain]: StatementExplain[K] } = {
        policy: g.attached.name,
        origin: g.attached.origin,
        location: group.location,
        index: group.index,
        effect: v.parsed.effect,
        applies,
        action: outcome.action,
        guardrail: g.ref,
      };
      if (sid !== undefined) st.sid = sid;
      if (outcome.resource) st.resource = outcome.resource;
      if (outcome.conditions) st.conditions = outcome.conditions;
      if (applies === 'maybe' && local.length) st.dependsOn = dedupe(local);
      statements.push(st);
    }
  }
  return { allow, deny, statements, dependsOn: dedupe(deps) };
}
