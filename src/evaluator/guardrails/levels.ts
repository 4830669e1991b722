/**
 * The level structure SCPs and RCPs share: a list of levels from the root to the account,
 * each with the policies attached there. AWS's rule (Policy evaluation logic, and the SCP
 * and RCP evaluation pages): an action passes a policy type only if, at EVERY level, some
 * attached policy allows it; an explicit Deny at any level denies.
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
 */
import { UsageError } from '../../errors';
import { describeType } from '../../policy/normalize';
import type { PolicyOrigin } from '../../policy/types';
import type { AskedResource } from '../request';
import { dedupe, type Tri } from '../statement';
import type { Dependency, StatementExplain } from '../types';
import type { Context } from '../variables';
import { and, compileGuardrail, evaluateGuardrail, guardrailPolicyOf, or, type CompiledGuardrail, type PrincipalTest } from './stage';
import type { GuardrailKind, GuardrailNote, GuardrailPolicy, GuardrailPolicyInput, OrganizationLevel } from './types';

export interface CompiledLevel {
  readonly name: string;
  readonly policies: readonly CompiledGuardrail[];
}

/** Default level names for the bare-list form: root, ou level 1, ..., account. */
export function levelName(index: number, count: number): string {
  if (index === 0) return 'root';
  if (index === count - 1) return 'account';
  return `ou level ${index}`;
}

export function compileLevels(
  input: unknown,
  where: string,
  kind: GuardrailKind,
  origin: PolicyOrigin,
  check?: (doc: unknown, p: GuardrailPolicy) => void,
): CompiledLevel[] {
  if (!Array.isArray(input)) throw new UsageError(`${where} must be a list of levels from the root to the account ([{ name, policies }] or [[...root], [...ou], [...account]]); received ${describeType(input)}`);
  return input.map((level: unknown, i) => {
    let name: string;
    let list: readonly GuardrailPolicyInput[];
    if (Array.isArray(level)) {
      name = levelName(i, input.length);
      list = level as GuardrailPolicyInput[];
    } else if (typeof level === 'object' && level !== null && Array.isArray((level as OrganizationLevel).policies)) {
      const l = level as OrganizationLevel;
      if (l.name !== undefined && (typeof l.name !== 'string' || l.name.trim() === '')) throw new UsageError(`${where}[${i}].name must be a non-empty string`);
      for (const k of Object.keys(l)) if (k !== 'name' && k !== 'policies') throw new UsageError(`${where}[${i}]: unknown key '${k}' (a level has name and policies)`);
      name = l.name ?? levelName(i, input.length);
      list = l.policies;
    } else {
      throw new UsageError(`${where}[${i}] must be a level { name, policies: [...] } or a list of policies; received ${describeType(level)}`);
    }
    const policies = list.map((p, j) => {
      const gp = guardrailPolicyOf(p, `${where}[${i}].policies[${j}]`, `${kind.toUpperCase()} ${j + 1} at ${name}`);
      return compileGuardrail(gp, origin, { kind, level: name }, check);
    });
    return { name, policies };
  });
}

export interface LevelsVerdict {
  /** Some policy at every level allows. */
  readonly allow: Tri;
  readonly deny: Tri;
  readonly statements: readonly StatementExplain[];
  readonly dependsOn: readonly Dependency[];
  readonly notes: readonly GuardrailNote[];
}

const LABEL: Record<string, string> = { scp: 'SCP', rcp: 'RCP' };

/** Evaluate every level: deny if any denies, allow only if every level allows. */
export function evaluateLevels(
  levels: readonly CompiledLevel[],
  kind: 'scp' | 'rcp',
  action: string,
  displayAction: string,
  asked: AskedResource,
  context: Context,
  principal?: PrincipalTest,
): LevelsVerdict {
  let allow: Tri = 'yes';
  let deny: Tri = 'no';
  const statements: StatementExplain[] = [];
  const deps: Dependency[] = [];
  const notes: GuardrailNote[] = [];
  const label = LABEL[kind]!;
  for (const level of levels) {
    let levelAllow: Tri = 'no';
    const levelDeps: Dependency[] = [];
    for (const p of level.policies) {
      const v = evaluateGuardrail(p, action, asked, context, principal);
      levelAllow = or(levelAllow, v.allow);
      deny = or(deny, v.deny);
      statements.push(...v.statements);
      levelDeps.push(...v.dependsOn);
      if (!p.policy) notes.push({ kind, effect: 'unknown', level: level.name, policy: p.attached.name, sentence: `${label} "${p.attached.name}" attached at ${level.name} is named but not given: it may allow or deny ${displayAction}` });
      else if (v.deny === 'yes') notes.push({ kind, effect: 'denied', level: level.name, policy: p.attached.name, sentence: `denied by ${label} "${p.attached.name}" attached at ${level.name}` });
    }
    if (levelAllow === 'no') {
      notes.push({
        kind,
        effect: 'allowsNothing',
        level: level.name,
        sentence: level.policies.length
          ? `the ${label}s at the ${level.name} level allow nothing for ${displayAction}${level.policies.length === 1 ? ` (${label} "${level.policies[0]!.attached.name}" has no Allow that applies)` : ''}`
          : `no ${label} is attached at the ${level.name} level, so it allows nothing for ${displayAction}`,
      });
    }
    if (levelAllow !== 'yes') deps.push(...levelDeps);
    allow = and(allow, levelAllow);
  }
  if (deny !== 'no') for (const s of statements) if (s.effect === 'Deny' && s.applies === 'maybe' && s.dependsOn) deps.push(...s.dependsOn);
  return { allow, deny, statements, dependsOn: dedupe(deps), notes };
}
