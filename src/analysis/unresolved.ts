/**
 * Find every part of a principal whose value is unknown: policies without a document,
 * `Unresolved` values, `Fn::If` on unknown template conditions, policies attached only if a
 * template condition holds. A negative claim ("allows nothing else", "does not grant") is
 * never certain while any of these exists.
 */
import { isChoice, isUnresolved } from '../policy/symbolic';
import type { AttachedPolicy, Principal } from '../policy/types';
import type { UnresolvedPart } from './types';

const cache = new WeakMap<Principal, readonly UnresolvedPart[]>();

/** Every unknown part of the principal's policies and permissions boundary, in document order. */
export function unresolvedParts(principal: Principal): readonly UnresolvedPart[] {
  let found = cache.get(principal);
  if (!found) {
    const out: UnresolvedPart[] = [];
    for (const policy of principal.policies) collectPolicy(policy, out, false);
    if (principal.permissionsBoundary) collectPolicy(principal.permissionsBoundary, out, true);
    found = out;
    cache.set(principal, found);
  }
  return found;
}

function collectPolicy(policy: AttachedPolicy, out: UnresolvedPart[], boundary: boolean): void {
  if (policy.unresolved !== undefined || policy.document === undefined) {
    out.push({
      kind: 'unresolvedPolicy',
      policy: policy.name,
      description: policy.unresolved ?? 'the policy document is not known',
      ...(boundary ? { boundary: true } : {}),
    });
  }
  if (policy.onlyIf !== undefined) {
    out.push({
      kind: 'templateCondition',
      policy: policy.name,
      description: `attached only if template condition ${policy.onlyIf} holds`,
    });
  }
  if (policy.document !== undefined) walk(policy.document, '', policy.name, out, new Set());
}

function walk(value: unknown, path: string, policy: string, out: UnresolvedPart[], seen: Set<object>): void {
  if (isUnresolved(value)) {
    out.push({ kind: 'unresolvedValue', policy, description: value.description, path: path || undefined });
    return;
  }
  if (isChoice(value)) {
    out.push({
      kind: 'templateCondition',
      policy,
      description: `Fn::If on template condition ${value.condition}`,
      path: path || undefined,
    });
    walk(value.whenTrue, path, policy, out, seen);
    walk(value.whenFalse, path, policy, out, seen);
    return;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, policy, out, seen));
    return;
  }
  for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key, policy, out, seen);
}

const blockingCache = new WeakMap<Principal, readonly UnresolvedPart[]>();

/**
 * The unknown parts a whole-action-list analysis cannot evaluate action by action: policies
 * (not the permissions boundary) whose document is unknown, which may allow any action. Every
 * other unknown (a value inside a document, an Fn::If, a policy attached only if a template
 * condition holds, an unknown boundary, which can only take access away) is seen by the
 * evaluator in exactly the actions it can change, which then come out `conditional`.
 */
export function blockingParts(principal: Principal): readonly UnresolvedPart[] {
  let found = blockingCache.get(principal);
  if (!found) {
    found = unresolvedParts(principal).filter((p) => p.kind === 'unresolvedPolicy' && p.boundary !== true);
    blockingCache.set(principal, found);
  }
  return found;
}

/** One line per part: `policy "AppPolicy" Statement[1].Resource: !GetAtt Bucket.Arn`. */
export function describeUnresolvedPart(part: UnresolvedPart): string {
  const where = part.path ? ` ${part.path}` : '';
  const what =
    part.kind === 'unresolvedPolicy'
      ? `document unknown (${part.description})`
      : part.kind === 'unresolvedValue'
        ? `unresolved value ${part.description}`
        : part.description;
  return `policy "${part.policy}"${where}: ${what}`;
}
