/**
 * Service control policies: the grammar AWS documents for SCPs, and when they apply.
 *
 * SCP syntax (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html,
 * read 2026-12-01): an SCP uses the IAM policy grammar without a principal. The elements
 * are Version, Statement, Sid, Effect, Action/NotAction, Resource/NotResource and Condition;
 * `Principal` and `NotPrincipal` are not supported. The current page lists Action, NotAction,
 * Resource, NotResource and Condition for both Allow and Deny (older copies of the page
 * restricted NotAction, Resource and Condition to Deny statements and wildcards to the end of
 * an action; those restrictions were lifted, so they are not enforced here: refusing a policy
 * AWS accepts would be a red no input can turn green).
 *
 * Where SCPs apply (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html):
 * to the IAM users and roles (and root user) of MEMBER accounts; not to the users and roles
 * of the management account, and not to service-linked roles. A principal is service-linked
 * when `serviceLinked` is true (account dumps) or its IAM path starts with `/aws-service-role/`
 * (the path AWS gives every service-linked role; templates carry it in `Path`).
 */
import { PolicyValidationError } from '../../errors';
import type { Principal } from '../../policy/types';
import type { GuardrailPolicy } from './types';

const SCP_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

/** Refuse what the SCP grammar does not allow (on top of the IAM grammar the compiler checks). */
export function checkScpGrammar(document: unknown, p: GuardrailPolicy, label = 'SCP'): void {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return; // the compiler reports it
  const st = (document as Record<string, unknown>)['Statement'];
  const list = Array.isArray(st) ? st : [st];
  list.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) return;
    const path = Array.isArray(st) ? `Statement[${i}]` : 'Statement';
    for (const key of Object.keys(raw)) {
      if (key === 'Principal' || key === 'NotPrincipal') {
        const loc = p.locations?.[`${path}.${key}`] ?? p.locations?.[path] ?? p.source ?? {};
        throw new PolicyValidationError(
          `${label} "${p.name}" ${path}: an ${label} cannot have a ${key} element (it applies to every principal of the accounts it is attached to; use a condition on aws:PrincipalArn to exempt one)`,
          { ...loc, path: `${path}.${key}` },
        );
      }
      if (!SCP_KEYS.includes(key)) continue; // the IAM grammar check names unknown keys
    }
  });
}

/** Whether SCPs apply to this principal, and if not, why. */
export function scpExemption(principal: Principal, managementAccount: boolean | undefined): string | undefined {
  if (managementAccount) return 'SCPs do not apply to the users and roles of the management account';
  if (isServiceLinked(principal)) return `SCPs do not apply to service-linked roles (${principal.id} has the path ${principal.path ?? '/aws-service-role/'})`;
  return undefined;
}

export function isServiceLinked(principal: Principal): boolean {
  const flagged = (principal as { serviceLinked?: unknown }).serviceLinked === true;
  return flagged || (principal.kind === 'role' && typeof principal.path === 'string' && principal.path.startsWith('/aws-service-role/'));
}
