/**
 * dedupe (src/evaluator/statement.ts) keeps the first of each dependency by its JSON text. Few
 * dependencies are compared pairwise without building the texts (issue 10): the answer must be
 * the JSON one, key order, undefined fields and non-string values included.
 */
import fc from 'fast-check';
import { dedupe } from '../../src/evaluator/statement';
import type { Dependency } from '../../src/evaluator/types';

function byJson(deps: readonly object[]): object[] {
  const seen = new Set<string>();
  const out: object[] = [];
  for (const d of deps) {
    const k = JSON.stringify(d);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  }
  return out;
}

const value = fc.oneof(fc.constantFrom('a', 'b', 'aws:SourceIp', ''), fc.constant(undefined), fc.integer({ min: 0, max: 2 }), fc.constantFrom(['x'], { y: 1 }));
const dependency = fc
  .array(fc.tuple(fc.constantFrom('kind', 'key', 'operator', 'pattern', 'level'), value), { maxLength: 4 })
  .map((entries) => Object.fromEntries(entries) as object);

describe('dedupe', () => {
  test('keeps the first of each JSON text, in order (pairwise for few, a set for many)', () => {
    fc.assert(
      fc.property(fc.array(dependency, { maxLength: 24 }), (deps) => {
        const got = dedupe(deps as unknown as Dependency[]);
        const want = byJson(deps);
        expect(got.length).toBe(want.length);
        got.forEach((d, i) => expect(d).toBe(want[i]));
      }),
      { seed: 10, numRuns: 2000 },
    );
  });

  test('the same fields in another order are two dependencies (as their JSON texts differ)', () => {
    const a = { kind: 'conditionKey', key: 'k', operator: 'StringEquals' } as Dependency;
    const b = { kind: 'conditionKey', operator: 'StringEquals', key: 'k' } as unknown as Dependency;
    expect(dedupe([a, b])).toEqual([a, b]);
    expect(dedupe([a, { ...a }, b, { ...b }])).toEqual([a, b]);
    const undef = { kind: 'resource', pattern: 'p', extra: undefined } as unknown as Dependency;
    expect(dedupe([{ kind: 'resource', pattern: 'p' }, undef])).toHaveLength(1);
  });
});
