/**
 * One Principal per subject object, so the evaluator's per-subject compile cache (a WeakMap
 * keyed by the object it receives) is hit on every call of an analysis.
 */
import { toPrincipal } from '../policy';
import { isPrincipal, type Principal } from '../policy/types';

const principals = new WeakMap<object, Principal>();

/** toPrincipal, cached per subject object (a Principal is returned as is). */
export function principalOf(subject: unknown, label?: string): Principal {
  if (isPrincipal(subject)) return subject;
  if (typeof subject !== 'object' || subject === null) return toPrincipal(subject, label);
  const cached = principals.get(subject);
  if (cached) return cached;
  const principal: Principal = toPrincipal(subject, label);
  principals.set(subject, principal);
  return principal;
}
