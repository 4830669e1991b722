/**
 * Pinned AWS managed policy versions (`managedPolicyVersions:` in the rules file): a principal's
 * attached policies whose document is the bundled default of a pinned policy get the pinned
 * version's document instead. Documents read from an account dump are what the account holds and
 * are left alone; only the bundled defaults (templates' ManagedPolicyArns, bundled fallbacks) move.
 */
import type { AttachedPolicy, Principal } from '../policy/types';
import { managedPolicy } from './index';

/** { AmazonConnect_FullAccess: 'v4' }: policy name (or ARN) -> version id. */
export type ManagedPolicyVersionPins = Readonly<Record<string, string>>;

const cache = new WeakMap<Principal, Map<string, Principal>>();

/** Check every pin (unknown policy or version: the managedPolicy() error with suggestions). */
export function resolvePins(pins: ManagedPolicyVersionPins): Map<unknown, { name: string; versionId: string; document: unknown }> {
  const byDocument = new Map<unknown, { name: string; versionId: string; document: unknown }>();
  for (const [name, version] of Object.entries(pins)) {
    const current = managedPolicy(name);
    const pinned = managedPolicy(name, { version });
    if (pinned !== current) byDocument.set(current.document, { name: current.name, versionId: version, document: pinned.document });
  }
  return byDocument;
}

/** The principal with pinned versions in place of the bundled defaults (the same object when nothing changes). */
export function withPinnedVersions(principal: Principal, pins: ManagedPolicyVersionPins | undefined): Principal {
  if (!pins || Object.keys(pins).length === 0) return principal;
  const key = JSON.stringify(Object.entries(pins).sort());
  let byPins = cache.get(principal);
  const hit = byPins?.get(key);
  if (hit) return hit;
  const map = resolvePins(pins);
  let changed = false;
  const swap = (p: AttachedPolicy): AttachedPolicy => {
    const pin = p.document !== undefined ? map.get(p.document) : undefined;
    if (!pin) return p;
    changed = true;
    return { ...p, document: pin.document, versionId: pin.versionId };
  };
  const policies = principal.policies.map(swap);
  const boundary = principal.permissionsBoundary ? swap(principal.permissionsBoundary) : undefined;
  const out: Principal = changed ? { ...principal, policies, ...(boundary ? { permissionsBoundary: boundary } : {}) } : principal;
  if (!byPins) cache.set(principal, (byPins = new Map()));
  byPins.set(key, out);
  return out;
}
