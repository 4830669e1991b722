/**
 * The guardrail stages composed with the identity result, in the order of AWS's flow chart
 * for a request within a single account
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
 *
 *   1. Deny evaluation: an explicit Deny in ANY policy (identity, permissions boundary,
 *      session policy, SCP, RCP, resource policy) denies.
 *   2. RCPs: if some level has no Allow that applies, the request is denied (implicitly).
 *   3. SCPs: the same, for the principal's account (not for the management account, not for
 *      service-linked roles).
 *   4. Resource-based policies (same account): an Allow that names the principal allows on
 *      its own (for a role, still within its permissions boundary and session policy).
 *   5. Identity-based policies, intersected with the permissions boundary and the session
 *      policies. For a KMS key whose key policy is given, they count only when the key
 *      policy allows the account (KMS key policy page).
 *
 * Three-valued throughout: every stage answers yes / maybe / no; the decision is
 *   explicitDeny  some Deny applies with certainty;
 *   implicitDeny  the allow path is certainly closed and no Deny is certain;
 *   allowed       the allow path is certainly open and no Deny can apply;
 *   conditional   anything else, with what it depends on.
 */
import type { Principal } from '../../policy/types';
import type { AskedResource } from '../request';
import { dedupe, type Tri } from '../statement';
import type { Decision, Dependency, EvaluateOptions, EvaluationResult, StatementExplain } from '../types';
import type { Context } from '../variables';
import { describeDependency, statementName } from '../explain';
import { evaluateLevels, type LevelsVerdict } from './levels';
import { compiledResourcePolicies, compiledSession, compileOrganization } from './options';
import { rcpExemption } from './rcp';
import { governs, principalTests } from './resource-policy';
import { scpExemption } from './scp';
import { evaluateSession, type SessionVerdict } from './session';
import { and, evaluateGuardrail, not, or } from './stage';
import type { GuardrailNote } from './types';

/** The identity stage's answer, before guardrails. */
export interface IdentityStates {
  /** Some identity or boundary Deny applies. */
  readonly deny: Tri;
  /** Identity Allow intersected with the permissions boundary. */
  readonly allow: Tri;
  /** The permissions boundary alone allows ('yes' when there is none). */
  readonly boundaryAllow: Tri;
}

function decisionOf(allow: Tri, deny: Tri): Decision {
  if (deny === 'yes') return 'explicitDeny';
  if (allow === 'no') return 'implicitDeny';
  if (allow === 'yes' && deny === 'no') return 'allowed';
  return 'conditional';
}

function capital(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

interface ResourceStage {
  readonly name: string;
  readonly service: string;
  readonly governs: Tri;
  readonly grant: Tri;
  readonly delegate: Tri;
  readonly deny: Tri;
  readonly statements: StatementExplain[];
  readonly dependsOn: Dependency[];
}

export function applyGuardrails(
  base: EvaluationResult,
  id: IdentityStates,
  principal: Principal,
  action: string,
  asked: AskedResource,
  context: Context,
  options: EvaluateOptions,
): EvaluationResult {
  const display = base.action;
  const notes: GuardrailNote[] = [];

  // Organization: RCPs (resources) and SCPs (principals).
  let scp: LevelsVerdict | undefined;
  let rcp: LevelsVerdict | undefined;
  if (options.organization !== undefined) {
    const org = compileOrganization(options.organization);
    if (org.scps) {
      const why = scpExemption(principal, org.managementAccount);
      if (why) notes.push({ kind: 'scp', effect: 'notApplicable', sentence: why });
      else scp = evaluateLevels(org.scps, 'scp', action, display, asked, context);
    }
    if (org.rcps) {
      const why = rcpExemption(action, org.managementAccount);
      if (why) notes.push({ kind: 'rcp', effect: 'notApplicable', sentence: why });
      else rcp = evaluateLevels(org.rcps, 'rcp', action, display, asked, context);
    }
  }

  // Session policies.
  const session: SessionVerdict | undefined = options.session !== undefined ? evaluateSession(compiledSession(options.session), action, display, asked, context) : undefined;

  // Resource policies that may govern the resource asked about.
  const resources: ResourceStage[] = [];
  if (options.resourcePolicies !== undefined) {
    for (const rp of compiledResourcePolicies(options.resourcePolicies)) {
      const g = governs(rp, asked, action);
      if (g.tri === 'no') continue;
      const tests = principalTests(rp, principal);
      const d = evaluateGuardrail(rp.compiled, action, asked, context, tests.deny);
      const gr = evaluateGuardrail(rp.compiled, action, asked, context, tests.grant);
      const kms = rp.policy.service.toLowerCase() === 'kms';
      const dl = kms ? evaluateGuardrail(rp.compiled, action, asked, context, tests.delegate) : undefined;
      const statements = [...d.statements.filter((s) => s.effect === 'Deny'), ...gr.statements.filter((s) => s.effect === 'Allow')];
      if (dl) for (const s of dl.statements) if (s.effect === 'Allow' && !statements.some((x) => x.index === s.index && x.effect === 'Allow')) statements.push(s);
      resources.push({
        name: rp.policy.name,
        service: rp.policy.service,
        governs: g.tri,
        grant: and(g.tri, gr.allow),
        delegate: dl ? dl.allow : 'no',
        deny: and(g.tri, d.deny),
        statements,
        dependsOn: [...g.dependsOn, ...d.dependsOn, ...gr.dependsOn, ...(dl ? dl.dependsOn : [])],
      });
    }
  }

  // The allow path.
  const sessAllow: Tri = session ? session.allow : 'yes';
  let identityPath = and(id.allow, sessAllow);
  let kmsBlocked: ResourceStage | undefined;
  for (const r of resources) {
    if (r.service.toLowerCase() !== 'kms') continue;
    // IAM policies count only when the key policy allows the account (or the key is another one).
    const ok = or(not(r.governs), r.delegate);
    if (ok !== 'yes' && id.allow !== 'no') kmsBlocked ??= r;
    identityPath = and(identityPath, ok);
  }
  const rpGrant = resources.reduce<Tri>((acc, r) => or(acc, r.grant), 'no');
  const limit = principal.kind === 'user' ? 'yes' : id.boundaryAllow; // a user's boundary does not limit a grant to the user's ARN
  const resourcePath = and(rpGrant, and(limit, sessAllow));
  const gates = and(scp ? scp.allow : 'yes', rcp ? rcp.allow : 'yes');
  const allow = and(gates, or(identityPath, resourcePath));
  const deny = [session?.deny ?? 'no', scp?.deny ?? 'no', rcp?.deny ?? 'no', ...resources.map((r) => r.deny)].reduce<Tri>(or, id.deny);
  const decision = decisionOf(allow, deny);

  // Notes that explain this decision.
  const guardNotes = [...(rcp?.notes ?? []), ...(scp?.notes ?? []), ...(session?.notes ?? [])];
  const keep = (n: GuardrailNote): boolean => {
    switch (decision) {
      case 'explicitDeny':
        return n.effect === 'denied';
      case 'implicitDeny':
        return n.effect === 'allowsNothing';
      case 'allowed':
        return false;
      case 'conditional':
        return n.effect === 'unknown' || n.effect === 'allowsNothing';
    }
  };
  notes.push(...guardNotes.filter(keep));
  for (const r of resources) {
    const kms = r.service.toLowerCase() === 'kms';
    const what = kms ? `the key policy of ${r.name}` : r.service === 's3' ? `the bucket policy of ${r.name}` : `the resource policy of ${r.name}`;
    if (decision === 'explicitDeny' && r.deny === 'yes') notes.push({ kind: 'resourcePolicy', effect: 'denied', policy: r.name, sentence: `denied by ${what}` });
    if (decision === 'allowed' && r.grant === 'yes' && identityPath !== 'yes') {
      notes.push({ kind: 'resourcePolicy', effect: 'allowedAlone', policy: r.name, sentence: `allowed only because ${what} grants ${principal.id} (same account: a resource policy that names the principal allows on its own)` });
    }
    if (decision === 'allowed' && kms && r.governs === 'yes' && r.delegate === 'yes' && identityPath === 'yes') {
      notes.push({ kind: 'resourcePolicy', effect: 'enablesIam', policy: r.name, sentence: `allowed only because ${what} grants the account, so the IAM policies count` });
    }
    if (decision === 'conditional' && (r.governs === 'maybe' || r.grant === 'maybe' || r.delegate === 'maybe' || r.deny === 'maybe')) {
      notes.push({ kind: 'resourcePolicy', effect: 'unknown', policy: r.name, sentence: `${what} may decide it (${r.governs === 'maybe' ? 'it may govern the resource asked about' : 'it applies only in some cases'})` });
    }
  }
  if (kmsBlocked && (decision === 'implicitDeny' || decision === 'conditional') && rpGrant !== 'yes') {
    notes.push({
      kind: 'resourcePolicy',
      effect: 'notGranted',
      policy: kmsBlocked.name,
      sentence: `the key policy of ${kmsBlocked.name} ${kmsBlocked.delegate === 'no' ? 'does not allow' : 'may not allow'} the account or ${principal.id} ${display}: without that, IAM policies that allow it have no effect`,
    });
  }

  // Statements that decided.
  const guardStatements: StatementExplain[] = [...(rcp?.statements ?? []), ...(scp?.statements ?? []), ...(session?.statements ?? []), ...resources.flatMap((r) => r.statements)];
  let statements: StatementExplain[];
  if (decision === 'explicitDeny') {
    statements = [...(base.decision === 'explicitDeny' ? base.statements : []), ...guardStatements.filter((s) => s.effect === 'Deny' && s.applies === 'yes')];
  } else if (decision === 'allowed') {
    statements = [
      ...(identityPath === 'yes' ? base.statements : []),
      ...guardStatements.filter((s) => s.guardrail?.kind === 'resourcePolicy' && s.effect === 'Allow' && s.applies === 'yes'),
    ];
  } else if (decision === 'implicitDeny') {
    statements = base.decision === 'allowed' || base.decision === 'conditional' ? [...base.statements] : [];
  } else {
    statements = [...(base.decision === 'conditional' || base.decision === 'allowed' ? base.statements : []), ...guardStatements.filter((s) => s.applies === 'maybe')];
  }

  let dependsOn: readonly Dependency[] = [];
  if (decision === 'conditional') {
    const all: Dependency[] = [];
    if (base.decision === 'conditional') all.push(...base.dependsOn);
    const maybe = (t: Tri | undefined): boolean => t === 'maybe';
    if (scp && (maybe(scp.allow) || maybe(scp.deny))) all.push(...scp.dependsOn);
    if (rcp && (maybe(rcp.allow) || maybe(rcp.deny))) all.push(...rcp.dependsOn);
    if (session && (maybe(session.allow) || maybe(session.deny))) all.push(...session.dependsOn);
    for (const r of resources) if ([r.governs, r.grant, r.delegate, r.deny].some(maybe)) all.push(...r.dependsOn);
    dependsOn = dedupe(all);
  }

  const reasons: string[] = [];
  const decisive = notes.filter((n) => n.effect !== 'notApplicable');
  if (decision !== base.decision || decisive.length) {
    for (const n of decisive) reasons.push(`${display}: ${n.sentence}.`);
    if (decision === 'explicitDeny' || decision === 'implicitDeny') {
      if (base.decision === 'allowed') reasons.push(`The identity policies alone would allow it: ${base.reasons[0] ?? ''}`);
      else reasons.push(...base.reasons);
    } else reasons.push(...base.reasons);
  } else reasons.push(...base.reasons);
  if (decision === 'conditional') {
    for (const st of statements) {
      if (!st.guardrail || st.applies !== 'maybe' || (st.index === 0 && !st.action)) continue;
      const why = (st.dependsOn ?? []).map((d) => describeDependency(d, asked)).join('; ');
      reasons.push(`${capital(statementName(st))} ${st.effect === 'Deny' ? 'may deny it' : 'may allow it'}: ${why || 'it applies only in some cases'}.`);
    }
  }
  for (const n of notes) if (n.effect === 'notApplicable') reasons.push(`${capital(n.sentence)}.`);

  return {
    ...base,
    decision,
    reasons,
    statements,
    closest: decision === 'implicitDeny' || decision === 'conditional' ? base.closest : [],
    dependsOn,
    guardrails: notes,
  };
}
