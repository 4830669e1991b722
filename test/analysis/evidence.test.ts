/**
 * Evidence kept per offending action is capped, so a policy whose every statement allows nearly
 * every action (many NotAction statements) cannot make an analysis keep actions x statements
 * explanations. The decision is unaffected.
 */
import { checkReadOnly, checkStayWithin } from '../../src/analysis';
import { MAX_STATEMENTS_KEPT, keptEvidence } from '../../src/analysis/evidence';
import { evaluate } from '../../src/evaluator';

const manyNotActions = {
  Version: '2012-10-17',
  Statement: Array.from({ length: 60 }, (_, i) => ({ Effect: 'Allow', NotAction: [`connect:Update${i}*`], Resource: '*' })),
};

test('keptEvidence leaves a small result alone and caps a large one, saying how many statements it left out', () => {
  const small = evaluate({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] }, 's3:PutObject');
  expect(keptEvidence(small)).toBe(small);
  const large = evaluate(manyNotActions, 's3:PutObject');
  expect(large.statements).toHaveLength(60);
  const kept = keptEvidence(large);
  expect(kept.decision).toBe('allowed');
  expect(kept.statements).toHaveLength(MAX_STATEMENTS_KEPT);
  expect(kept.reasons[kept.reasons.length - 1]).toBe(`${60 - MAX_STATEMENTS_KEPT} more statements also decided it (not listed).`);
});

test('checkReadOnly on 60 NotAction statements: fails, and keeps at most MAX_STATEMENTS_KEPT statements per offending action', () => {
  const r = checkReadOnly(manyNotActions);
  expect(r.pass).toBe(false);
  expect(r.offending.length).toBeGreaterThan(10_000);
  expect(Math.max(...r.offending.map((o) => o.result.statements.length))).toBe(MAX_STATEMENTS_KEPT);
});

test('checkStayWithin caps the evidence the same way, and still fails', () => {
  const r = checkStayWithin(manyNotActions, 'AmazonConnectReadOnlyAccess');
  expect(r.pass).toBe(false);
  expect(Math.max(...r.newAccess.map((n) => n.subject.statements.length))).toBe(MAX_STATEMENTS_KEPT);
});
