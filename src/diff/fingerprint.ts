/**
 * A principal's fingerprint: a hash of everything the evaluator reads (kind, every attached
 * policy's origin, document, unknown reason and template condition, the permissions
 * boundary), and nothing it does not (policy names, file, line, JSON paths, tags). Two principals with the
 * same fingerprint get the same answer to every question, so a pair with equal fingerprints
 * needs no evaluation.
 */
import { createHash } from 'node:crypto';
import { Choice, NO_VALUE, Unresolved } from '../policy/symbolic';
import type { AttachedPolicy, Principal } from '../policy/types';

/** Deterministic text for a document value, symbolic values included (keys sorted). */
export function canonical(value: unknown): string {
  if (value === NO_VALUE) return '#NoValue';
  if (value instanceof Unresolved) return `#Unresolved(${JSON.stringify(value.description)},${canonical(value.parts ?? null)})`;
  if (value instanceof Choice) return `#If(${JSON.stringify(value.condition)},${canonical(value.whenTrue)},${canonical(value.whenFalse)})`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}

/** One policy's evaluated content (its name is left out: renaming a policy changes no answer). */
export function policyFingerprint(p: AttachedPolicy): string {
  return hash(canonical({ origin: p.origin, document: p.document ?? null, unresolved: p.unresolved ?? null, onlyIf: p.onlyIf ?? null }));
}

export function principalFingerprint(principal: Principal): string {
  return hash(
    [
      principal.kind,
      ...principal.policies.map(policyFingerprint),
      `boundary:${principal.permissionsBoundary ? policyFingerprint(principal.permissionsBoundary) : '-'}`,
    ].join('\n'),
  );
}

export function hash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
