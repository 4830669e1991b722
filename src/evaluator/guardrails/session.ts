/**
 * Session policies: policies passed when a role is assumed (AssumeRole and friends).
 *
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session and
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_assumerole.html
 * (read 2026-12-01): "The resulting session's permissions are the intersection of the role's
 * identity-based policy and the session policies ... You cannot use session policies to grant
 * more permissions than those allowed by the identity-based policy of the role." An explicit
 * deny in a session policy denies (policy evaluation logic, deny evaluation). Several session
 * policies (inline plus managed ARNs) together: some must allow.
 */
import { UsageError } from '../../errors';
import { describeType } from '../../policy/normalize';
import type { AskedResource } from '../request';
import { dedupe, type Tri } from '../statement';
import type { Dependency, StatementExplain } from '../types';
import type { Context } from '../variables';
import { compileGuardrail, evaluateGuardrail, guardrailPolicyOf, or, type CompiledGuardrail } from './stage';
import type { GuardrailNote, GuardrailPolicyInput } from './types';

export function compileSession(input: unknown): CompiledGuardrail[] {
  const list: unknown[] =
    Array.isArray(input) ? input : typeof input === 'string' || (typeof input === 'object' && input !== null) ? [input] : [];
  if (!list.length) throw new UsageError(`options.session must be a session policy (a document, a loaded policy or a name) or a list of them; received ${describeType(input)}`);
  return list.map((p, i) => compileGuardrail(guardrailPolicyOf(p as GuardrailPolicyInput, `options.session${Array.isArray(input) ? `[${i}]` : ''}`, `session policy ${i + 1}`), 'session-policy', { kind: 'session' }));
}

export interface SessionVerdict {
  readonly allow: Tri;
  readonly deny: Tri;
  readonly statements: readonly StatementExplain[];
  readonly dependsOn: readonly Dependency[];
  readonly notes: readonly GuardrailNote[];
}

export function evaluateSession(policies: readonly CompiledGuardrail[], action: string, display: string, asked: AskedResource, context: Context): SessionVerdict {
  let allow: Tri = 'no';
  let deny: Tri = 'no';
  const statements: StatementExplain[] = [];
  const deps: Dependency[] = [];
  const notes: GuardrailNote[] = [];
  for (const p of policies) {
    const v = evaluateGuardrail(p, action, asked, context);
    allow = or(allow, v.allow);
    deny = or(deny, v.deny);
    statements.push(...v.statements);
    deps.push(...v.dependsOn);
    if (!p.policy) notes.push({ kind: 'session', effect: 'unknown', policy: p.attached.name, sentence: `session policy "${p.attached.name}" is named but not given: it may allow or deny ${display}` });
    else if (v.deny === 'yes') notes.push({ kind: 'session', effect: 'denied', policy: p.attached.name, sentence: `denied by session policy "${p.attached.name}"` });
  }
  if (allow === 'no') notes.push({ kind: 'session', effect: 'allowsNothing', sentence: `the session policies allow nothing for ${display} (the session's permissions are the intersection of the role's policies and its session policies)` });
  return { allow, deny, statements, dependsOn: dedupe(deps), notes };
}
