/**
 * Validation without compiling, for an analysis that may decide every action without
 * evaluating the subject (checkStayWithin where the baseline allows everything the subject
 * names). The evaluator validates a document when it first compiles it; this throws the same
 * error it would, in the same order (each policy, then the permissions boundary), with the
 * same origin (name, source, locations), so an invalid subject is never a silent pass.
 */
import { parsePolicy } from '../policy/parse';
import { Unresolved } from '../policy/symbolic';
import type { AttachedPolicy, Principal } from '../policy/types';

/** Documents already validated with a given origin (document -> locations or source object). */
const validated = new WeakMap<object, WeakSet<object> | true>();
const NO_LOCATIONS = {};

function validateAttachment(attached: AttachedPolicy): void {
  const doc = attached.document;
  if (attached.unresolved !== undefined || doc === undefined || doc instanceof Unresolved) return;
  const key = (attached.locations ?? attached.source ?? NO_LOCATIONS) as object;
  const isObject = typeof doc === 'object' && doc !== null;
  if (isObject) {
    const seen = validated.get(doc);
    if (seen === true || (seen && seen.has(key))) return;
  }
  parsePolicy(doc, {
    name: attached.name,
    ...(attached.source ? { source: attached.source } : {}),
    ...(attached.locations ? { locations: attached.locations } : {}),
  });
  if (isObject) {
    let seen = validated.get(doc);
    if (seen === undefined || seen === true) validated.set(doc, (seen = new WeakSet()));
    seen.add(key);
  }
}

/** Throw the PolicyValidationError the evaluator would throw on first compiling the principal. */
export function validateSubject(principal: Principal): void {
  for (const p of principal.policies) validateAttachment(p);
  if (principal.permissionsBoundary) validateAttachment(principal.permissionsBoundary);
}
