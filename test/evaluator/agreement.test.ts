/**
 * Differential test: on random principals and requests (test/evaluator/arbitraries.ts) the
 * fast evaluator and the deliberately simple reference evaluator must give the same
 * decision. A short fixed-seed pass; `npm run fuzz` runs the long one (agreement.fuzz.ts).
 * On failure the shrunk counterexample is printed in the shape of a case file.
 */
import fc from 'fast-check';
import { caseArb, expectAgreement } from './arbitraries';

const SEED = 20261128;
const RUNS = 2000;

test(`fast and reference evaluators agree on ${RUNS} random cases (seed ${SEED})`, () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      expectAgreement(c);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: false },
  );
});
