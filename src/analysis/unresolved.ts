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
      description: policy.onlyIf.includes(' and ')
        ? `attached only if template conditions ${policy.onlyIf} hold`
        : `attached only if template condition ${policy.onlyIf} holds`,
    });
  }
  if (policy.document !== undefined) walk(policy.document, '', policy.name, out, new Set());
}

type Reach = UnresolvedPart['reach'];

/** The Action/NotAction patterns of the statement an unknown Resource, NotResource or Condition belongs to. */
function reachOf(path: string, statement: unknown): Reach {
  if (!/^Statement(\[\d+\])?\.(Resource|NotResource|Condition)\b/.test(path)) return undefined;
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) return undefined;
  for (const element of ['Action', 'NotAction'] as const) {
    const v = (statement as Record<string, unknown>)[element];
    if (v === undefined) continue;
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x): x is string => typeof x === 'string')) return undefined;
    return { element, patterns: list };
  }
  return undefined;
}

function walk(value: unknown, path: string, policy: string, out: UnresolvedPart[], seen: Set<object>, statement?: unknown): void {
  if (isUnresolved(value)) {
    const reach = statement !== undefined ? reachOf(path, statement) : undefined;
    out.push({ kind: 'unresolvedValue', policy, description: value.description, path: path || undefined, ...(reach ? { reach } : {}) });
    return;
  }
  if (isChoice(value)) {
    const reach = statement !== undefined ? reachOf(path, statement) : undefined;
    out.push({
      kind: 'templateCondition',
      policy,
      description: `Fn::If on template condition ${value.condition}`,
      path: path || undefined,
      ...(reach ? { reach } : {}),
    });
    walk(value.whenTrue, path, policy, out, seen, statement);
    walk(value.whenFalse, path, policy, out, seen, statement);
    return;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  // The statement object an element belongs to: `Statement` (one object) or `Statement[i]`.
  const here = /^Statement(\[\d+\])?$/.test(path) ? value : statement;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, policy, out, seen, here));
    return;
  }
  for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key, policy, out, seen, here);
}

/** What an unknown part may grant: only its statement's actions, or anything. */
export function describeReach(part: UnresolvedPart): string {
  if (part.kind === 'templateCondition' && part.path === undefined) return 'it may grant whatever the policy grants';
  if (!part.reach) return 'it may grant anything';
  const names = part.reach.patterns.length > 6 ? `${part.reach.patterns.slice(0, 6).join(', ')} and ${part.reach.patterns.length - 6} more` : part.reach.patterns.join(', ');
  return part.reach.element === 'Action' ? `it may grant only ${names} (the statement's actions)` : `it may grant anything but ${names} (the statement's NotAction)`;
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
  return `policy "${part.policy}"${where}: ${what}: ${describeReach(part)}`;
}
