/**
 * Pair the principals of the base with those of the head. Generic over sources: a principal
 * is known by its file and id (a CloudFormation logical id, a Terraform address, the file of
 * a policy file), so any loader's principals pair the same way.
 *
 * In order, each step only among what is still unpaired:
 * 1. same key (`file#id`; a policy file: its file);
 * 2. same kind and physical name (RoleName, UserName...): a logical id renamed or a resource moved;
 * 3. same kind and id, when exactly one of each is left (a template moved to another file);
 * 4. same kind and identical policies, when exactly one of each is left (a policy file renamed).
 * What is left is removed (base) or added (head).
 */
import type { GuardrailOptions } from '../evaluator/guardrails/types';
import type { Principal } from '../policy/types';
import type { DiffPrincipalRef, PairedBy } from './types';

export interface Unit {
  readonly principal: Principal;
  readonly ref: DiffPrincipalRef;
  readonly fingerprint: string;
  /** The guardrails (organization, resource policies) of its side's rules file that apply to it. */
  readonly guardrails?: GuardrailOptions;
  /** A hash of `guardrails` ('-' when none). */
  readonly guardrailKey?: string;
}

export interface Pairing {
  readonly pairs: ReadonlyArray<{ readonly base: Unit; readonly head: Unit; readonly by: PairedBy }>;
  readonly removed: readonly Unit[];
  readonly added: readonly Unit[];
}

export function refOf(file: string, principal: Principal): DiffPrincipalRef {
  return {
    id: principal.id,
    ...(principal.name !== undefined ? { name: principal.name } : {}),
    kind: principal.kind,
    file,
    ...(principal.source?.line !== undefined ? { line: principal.source.line } : {}),
    key: principal.kind === 'policy-file' ? file : `${file}#${principal.id}`,
  };
}

export function pairPrincipals(base: readonly Unit[], head: readonly Unit[]): Pairing {
  const pairs: Array<{ base: Unit; head: Unit; by: PairedBy }> = [];
  let restBase = [...base];
  let restHead = [...head];
  const step = (by: PairedBy, keyOf: (u: Unit) => string | undefined, unique: boolean): void => {
    const index = (units: readonly Unit[]): Map<string, Unit[]> => {
      const m = new Map<string, Unit[]>();
      for (const u of units) {
        const k = keyOf(u);
        if (k === undefined) continue;
        m.set(k, [...(m.get(k) ?? []), u]);
      }
      return m;
    };
    const b = index(restBase);
    const h = index(restHead);
    const used = new Set<Unit>();
    for (const [k, hs] of h) {
      const bs = b.get(k);
      if (!bs) continue;
      if (unique && (bs.length !== 1 || hs.length !== 1)) continue;
      const n = Math.min(bs.length, hs.length);
      for (let i = 0; i < n; i++) {
        pairs.push({ base: bs[i]!, head: hs[i]!, by });
        used.add(bs[i]!);
        used.add(hs[i]!);
      }
    }
    restBase = restBase.filter((u) => !used.has(u));
    restHead = restHead.filter((u) => !used.has(u));
  };
  step('key', (u) => u.ref.key, false);
  step('physical-name', (u) => (u.ref.name !== undefined && u.ref.kind !== 'policy-file' ? `${u.ref.kind}\u0000${u.ref.name}` : undefined), true);
  step('id', (u) => `${u.ref.kind}\u0000${u.ref.id}`, true);
  step('content', (u) => `${u.ref.kind}\u0000${u.fingerprint}`, true);
  return { pairs, removed: restBase, added: restHead };
}
