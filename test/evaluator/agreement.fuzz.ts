/**
 * The long differential pass (`npm run fuzz` sets FUZZ_LONG): at least 100,000 random cases
 * on which the fast evaluator and the reference must agree; without FUZZ_LONG a short pass
 * with another seed than agreement.test.ts. Prints how many cases ran.
 */
import fc from 'fast-check';
import { caseArb, expectAgreement } from './arbitraries';

const LONG = Boolean(process.env['FUZZ_LONG']);
const RUNS = LONG ? 100_000 : 3_000;
const SEED = Number(process.env['FUZZ_SEED'] ?? 7_2026);

test(`fast and reference evaluators agree on ${RUNS} random cases (seed ${SEED})`, () => {
  let ran = 0;
  fc.assert(
    fc.property(caseArb, (c) => {
      ran++;
      expectAgreement(c);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  // eslint-disable-next-line no-console
  console.log(`agreement fuzz: ${ran} cases, fast and reference agreed on every one (seed ${SEED})`);
  expect(ran).toBeGreaterThanOrEqual(RUNS);
}, LONG ? 3_600_000 : 120_000);
