/**
 * Differential test for the guardrail stages: on random organizations, session policies and
 * resource policies (test/evaluator/guardrail-arbitraries.ts) over random principals and
 * requests, the fast evaluator (src/evaluator/guardrails) and the reference
 * (src/evaluator/reference/guardrails.ts) must give the same decision. Fixed seed.
 */
import fc from 'fast-check';
import { expectGuardrailAgreement, guardrailCaseArb } from './guardrail-arbitraries';

const SEED = 20261201;
const RUNS = 800;

test(`fast and reference evaluators agree with guardrails on ${RUNS} random cases (seed ${SEED})`, () => {
  fc.assert(fc.property(guardrailCaseArb, (c) => expectGuardrailAgreement(c)), { seed: SEED, numRuns: RUNS, endOnFailure: false });
});

test('the generated cases exercise every decision, and the guardrails change many of them', () => {
  const { evaluate } = jest.requireActual<typeof import('../../src/evaluator')>('../../src/evaluator');
  const samples = fc.sample(guardrailCaseArb, { seed: SEED, numRuns: 600 });
  const decisions = new Map<string, number>();
  let changed = 0;
  for (const c of samples) {
    const base = { ...(c.request.resource !== undefined ? { resource: c.request.resource } : {}), context: c.request.context };
    let d: string;
    let without: string;
    try {
      d = evaluate(c.principal, c.request.action, { ...base, ...c.options }).decision;
      without = evaluate(c.principal, c.request.action, base).decision;
    } catch {
      continue;
    }
    decisions.set(d, (decisions.get(d) ?? 0) + 1);
    if (d !== without) changed++;
  }
  for (const d of ['allowed', 'explicitDeny', 'implicitDeny', 'conditional']) expect(decisions.get(d) ?? 0).toBeGreaterThan(3);
  expect(changed).toBeGreaterThan(60);
});
