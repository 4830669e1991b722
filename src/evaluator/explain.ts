/**
 * Explanations: StatementExplain objects for the statements that decided a result, and
 * plain-sentence reasons, first the one that decided.
 */
import type { Finding } from './evaluate';
import type { AskedResource } from './request';
import type { Tri } from './statement';
import type { Dependency, EvaluationResult, StatementExplain } from './types';

export function buildExplain(f: Finding, boundary: boolean): StatementExplain {
  return describeStatement(f, boundary);
}

export function describeStatement(f: Finding, boundary: boolean, cost?: number): StatementExplain {
  const o = f.outcome;
  const sid = f.group.sid ?? f.variant?.parsed.sid;
  // Built field by field (no spreads): this runs for every deciding statement.
  const out: { -readonly [K in keyof StatementExplain]: StatementExplain[K] } = {
    policy: f.attachment.attached.name,
    origin: f.attachment.attached.origin,
    location: f.group.location,
    index: f.group.index,
    effect: f.effect,
    applies: f.applies,
  };
  if (f.attachment.attached.versionId !== undefined) out.policyVersion = f.attachment.attached.versionId;
  if (sid !== undefined) out.sid = sid;
  if (o) {
    out.action = o.action;
    if (o.resource) out.resource = o.resource;
    if (o.conditions) out.conditions = o.conditions;
    if (o.mismatch && f.applies === 'no') out.mismatch = o.mismatch;
  }
  if (cost !== undefined) out.cost = cost;
  if (f.dependsOn.length) out.dependsOn = f.dependsOn;
  if (boundary) out.boundary = true;
  return out;
}

/** "statement 'Sid' (#2) of policy 'Name' (file.yaml:12)" */
export function statementName(s: StatementExplain): string {
  const which = s.sid ? `statement '${s.sid}' (#${s.index})` : `statement #${s.index}`;
  const where = s.location?.file ? ` (${s.location.file}${s.location.line !== undefined ? `:${s.location.line}` : ''})` : '';
  const kind = s.guardrail ? GUARDRAIL_LABEL[s.guardrail.kind] : s.boundary ? 'permissions boundary' : 'policy';
  const level = s.guardrail?.level ? ` attached at ${s.guardrail.level}` : '';
  return `${which} of ${kind} '${s.policy}'${level}${where}`;
}

function elementText(s: StatementExplain): string {
  const parts: string[] = [];
  if (s.action?.pattern !== undefined) parts.push(`${s.action.element} '${s.action.pattern}'`);
  else if (s.action) parts.push(s.action.element === 'NotAction' ? 'NotAction (the action is not listed)' : 'Action');
  if (s.resource?.pattern !== undefined) parts.push(`${s.resource.element} '${s.resource.pattern}'`);
  else if (s.resource?.element === 'NotResource') parts.push('NotResource (the resource is not listed)');
  return parts.join(', ');
}

const GUARDRAIL_LABEL = { scp: 'SCP', rcp: 'RCP', session: 'session policy', resourcePolicy: 'resource policy' } as const;

/**
 * A Terraform link the loader could not follow, which it models as a condition on the policy's
 * presence: `aws_iam_role_policy.p.role (known only after apply) names this role`. It is not a
 * template condition: no `conditions` option exists for Terraform, and no option gives a value
 * known only after apply. What makes it certain is writing the link as a reference to the
 * principal's resource (`role = aws_iam_role.agent.name`), which the loader follows.
 */
export function terraformLink(condition: string): { attribute: string; why: string; kind: string } | undefined {
  const m = /^((?:module\.|data\.)?[a-z][a-z0-9_]*\.[^ ]+\.[a-z_]+) \(([^)]*)\) names this (role|user|group)$/.exec(condition);
  return m ? { attribute: m[1]!, why: m[2]!, kind: m[3]! } : undefined;
}

export function describeDependency(d: Dependency, asked?: AskedResource): string {
  switch (d.kind) {
    case 'conditionKey':
      return `the condition key '${d.key}' (${d.operator}) is not in the context; pass it in options.context to decide`;
    case 'policyVariable':
      return `the policy variable '\${${d.variable}}' is not in the context`;
    case 'resource':
      return asked && asked.kind !== 'given'
        ? `its resource pattern '${d.pattern}' covers only part of the resource asked about ('*': whatever resource the console acts on); pass options.resource to decide`
        : `its resource pattern '${d.pattern}' covers only part of the resource asked about`;
    case 'unresolvedValue':
      return `it depends on the unresolved template value ${d.description}`;
    case 'templateCondition':
      return terraformLink(d.condition) ? `it depends on whether ${d.condition}` : `it depends on the template condition '${d.condition}'`;
    case 'unresolvedPolicy':
      return `policy '${d.policy}' could not be resolved (${d.reason}): it may allow or deny anything`;
    case 'guardrail':
      return `${GUARDRAIL_LABEL[d.guardrail]} '${d.policy}'${d.level ? ` at ${d.level}` : ''}: ${d.reason}`;
  }
}

function mismatchText(s: StatementExplain, action: string, resource: string): string {
  switch (s.mismatch) {
    case 'actionNotMatched':
      return `its Action does not match ${action}`;
    case 'actionExcluded':
      return `its NotAction lists ${action}${s.action?.pattern ? ` ('${s.action.pattern}')` : ''}`;
    case 'resourceNotMatched':
      return `its Resource does not cover '${resource}'`;
    case 'resourceExcluded':
      return `its NotResource covers '${resource}'`;
    case 'resourceTypeMismatch':
      return `its Resource cannot match any ARN of ${action}'s resource types`;
    case 'actionTakesNoResource':
      return `${action} takes no resource and is only granted with Resource '*'`;
    case 'conditionFailed': {
      const failed = (s.conditions ?? []).filter((c) => c.result === false).map((c) => `${c.operator} ${c.key}`);
      return `its condition ${failed.join(', ')} is false for the given context`;
    }
    default:
      return 'it does not apply';
  }
}

/** Reasons name at most this many statements for a certain decision (all are in `statements`). */
const MAX_NAMED = 3;

export function reasonsFor(
  result: Omit<EvaluationResult, 'reasons'>,
  asked: AskedResource,
  info: { identityAllow: Tri; boundaryAllow?: Tri; hasBoundary: boolean },
): string[] {
  const { action, resource } = result;
  const on = resource === '*' ? '' : ` on '${resource}'`;
  const reasons: string[] = [];
  switch (result.decision) {
    case 'explicitDeny':
      for (const s of result.statements.slice(0, MAX_NAMED)) reasons.push(`${action}${on} is denied explicitly by ${statementName(s)}: ${elementText(s)}.`);
      if (result.statements.length > MAX_NAMED) reasons.push(`${result.statements.length - MAX_NAMED} more statements deny it too.`);
      break;
    case 'allowed': {
      const allows = result.statements.filter((x) => !x.boundary);
      for (const s of allows.slice(0, MAX_NAMED)) reasons.push(`${action}${on} is allowed by ${statementName(s)}: ${elementText(s)}.`);
      if (allows.length > MAX_NAMED) reasons.push(`${allows.length - MAX_NAMED} more statements allow it too.`);
      if (info.hasBoundary) reasons.push('The permissions boundary allows it too.');
      reasons.push('No Deny statement applies.');
      break;
    }
    case 'implicitDeny':
      if (info.identityAllow === 'no') reasons.push(`No statement allows ${action}${on}: it is implicitly denied.`);
      else reasons.push(`The permissions boundary does not allow ${action}${on}: it is implicitly denied.`);
      for (const s of result.closest) reasons.push(`Closest: ${statementName(s)} does not apply because ${mismatchText(s, action, resource)}.`);
      break;
    case 'conditional': {
      reasons.push(`Whether ${action}${on} is allowed depends on something not known.`);
      for (const s of result.statements) {
        if (s.applies !== 'maybe') {
          if (s.applies === 'yes' && s.effect === 'Allow' && !s.boundary) reasons.push(`${statementName(s)} allows it: ${elementText(s)}.`);
          continue;
        }
        const verb = s.effect === 'Deny' ? 'may deny it' : s.boundary ? 'may allow it (boundary)' : 'may allow it';
        const why = (s.dependsOn ?? []).map((d) => describeDependency(d, asked)).join('; ');
        if (s.index === 0 && !s.action && (s.dependsOn ?? []).some((d) => d.kind === 'unresolvedPolicy')) {
          if (s.effect === 'Allow') reasons.push(`${capital(why)}.`);
          continue;
        }
        reasons.push(`${capital(statementName(s))} ${verb}: ${why || 'it applies only in some cases'}.`);
      }
      if (info.hasBoundary && info.boundaryAllow === 'maybe') reasons.push('The permissions boundary allows it only conditionally.');
      break;
    }
  }
  return reasons;
}

function capital(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
