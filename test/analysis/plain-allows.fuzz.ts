/**
 * The longer pass of test/analysis/plain-allows.test.ts (`npm run fuzz` sets FUZZ_LONG): checkReadOnly's
 * fast path against the straightforward per-action evaluation on generated principals.
 */
import fc from 'fast-check';
import { allowArb, expectReadOnlyAgreement, subjectArb } from '../analysis/plain-allows.arbitraries';

const LONG = Boolean(process.env['FUZZ_LONG']);
const RUNS = LONG ? 500 : 30;
const SEED = Number(process.env['FUZZ_SEED'] ?? 12_2026);

test(`checkReadOnly's fast path agrees with per-action evaluation on ${RUNS} generated principals (seed ${SEED})`, () => {
  let ran = 0;
  fc.assert(
    fc.property(subjectArb, allowArb, (subject, allow) => {
      ran++;
      expectReadOnlyAgreement(subject, allow);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  expect(ran).toBeGreaterThanOrEqual(RUNS);
}, LONG ? 3_600_000 : 600_000);
