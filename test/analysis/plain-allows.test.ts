/**
 * checkReadOnly's fast path (plain Allow statements decided from action bitsets, evidence
 * built from the kept statements when read) agrees with the straightforward per-action
 * evaluation on generated principals (plain-allows.arbitraries.ts), and keeps its results
 * plain data for every reader. A short fixed-seed pass; test/analysis/plain-allows.fuzz.ts
 * runs more cases.
 */
import fc from 'fast-check';
import { checkReadOnly, checkStayWithin } from '../../src/analysis';
import { PolicyValidationError } from '../../src/errors';
import type { PolicyDocument } from '../../src/policy/types';
import { allowArb, expectReadOnlyAgreement, subjectArb } from './plain-allows.arbitraries';

const SEED = 20261202;
const RUNS = 6;

const notActions = (n: number): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: Array.from({ length: n }, (_, i) => ({ Effect: 'Allow', NotAction: [`connect:Update${i}*`], Resource: '*' })),
});

test(`checkReadOnly agrees with per-action evaluation on ${RUNS} generated principals (seed ${SEED})`, () => {
  fc.assert(
    fc.property(subjectArb, allowArb, (subject, allow) => {
      expectReadOnlyAgreement(subject, allow);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: false },
  );
}, 300_000);

test('many NotAction statements: counts of the statements left out are those of the whole policy', () => {
  const doc = notActions(8);
  expectReadOnlyAgreement(doc, undefined);
  const r = checkReadOnly(doc);
  const put = r.offending.find((o) => o.action === 's3:PutObject')!;
  expect(put.result.statements.map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
  expect(put.result.reasons.slice(3)).toEqual(['5 more statements allow it too.', 'No Deny statement applies.', '3 more statements also decided it (not listed).']);
  expect(r.byStatement.map((g) => g.statement.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].filter((i) => r.byStatement.some((g) => g.statement.index === i)));
});

test('a result built when read is plain data: JSON, spread copies, toEqual and assignment', () => {
  const r = checkReadOnly(notActions(6));
  const o = r.offending.find((x) => x.action === 'iam:CreateRole')!;
  const copy = { ...o.result };
  expect(Object.keys(o.result)).toEqual(['action', 'resource', 'decision', 'reasons', 'statements', 'closest', 'dependsOn']);
  expect(JSON.parse(JSON.stringify(o.result))).toEqual(copy);
  expect(o.result).toEqual(copy);
  (o.result as { reasons: readonly string[] }).reasons = ['replaced'];
  expect(o.result.reasons).toEqual(['replaced']);
});

test('checkStayWithin still refuses an invalid subject when the baseline allows everything it names', () => {
  const bad = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:List*', Resource: '*', Bogus: 1 }] };
  expect(() => checkStayWithin(bad, 'AmazonConnectReadOnlyAccess')).toThrow(PolicyValidationError);
  expect(() => checkStayWithin(bad, 'AmazonConnectReadOnlyAccess')).toThrow(/Statement\[0\]\.Bogus/);
});

test('checkReadOnly refuses an invalid subject that allows no write-like action (nothing evaluated), and so does toBeReadOnly under .not', () => {
  const bad = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:List*', Resource: '*', Bogus: 1 }] };
  expect(() => checkReadOnly(bad)).toThrow(PolicyValidationError);
  expect(() => checkReadOnly(bad)).toThrow(/Statement\[0\]\.Bogus: unknown statement element 'Bogus'/);
  expect(() => expect(bad).toBeReadOnly()).toThrow(/Statement\[0\]\.Bogus/);
  expect(() => expect(bad).not.toBeReadOnly()).toThrow(/Statement\[0\]\.Bogus/);
  // The same document without the bad element is read-only.
  const { Bogus: _b, ...good } = bad.Statement[0]!;
  expect(checkReadOnly({ ...bad, Statement: [good] }).pass).toBe(true);
});
