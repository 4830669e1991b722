/**
 * Bounded tests (issue 6): a 10,000-statement policy and a 5,000-character wildcard
 * pattern evaluate without hanging. Speed is measured in bench/evaluator.bench.js; the
 * bounds here are generous hang guards only.
 */
import { evaluate } from '../../src/evaluator';

const HANG_GUARD_MS = 20_000; // the timeout is three times this: a hang fails, a slow machine does not

test('a policy with 10,000 statements', () => {
  const Statement = Array.from({ length: 10_000 }, (_, i) => ({
    Sid: `S${i}`,
    Effect: 'Allow',
    Action: [`connect:Describe${i}*`, `s3:Get${i}?`],
    Resource: `arn:aws:connect:*:*:instance/${i}/*`,
    Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
  }));
  Statement.push({ Sid: 'Last', Effect: 'Allow', Action: ['connect:ListInstances'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } });
  const policy = { Version: '2012-10-17', Statement };
  expect(evaluate(policy, 'connect:ListInstances', { context: { 'aws:RequestedRegion': 'eu-west-1' } }).decision).toBe('allowed');
  expect(evaluate(policy, 'connect:Describe9999Instance', { context: { 'aws:RequestedRegion': 'eu-west-1' } }).decision).toBe('conditional');
  const miss = evaluate(policy, 'kms:CreateGrant');
  expect(miss.decision).toBe('implicitDeny');
  expect(miss.closest.length).toBeGreaterThan(0);
  // a hang fails by the timeout below; speed is measured in bench/, not asserted
}, HANG_GUARD_MS * 3)

test('error messages shorten a huge value', () => {
  const huge = 'x'.repeat(5000);
  expect(() => evaluate({ Statement: [{ Effect: 'Allow', Action: huge, Resource: '*' }] }, 'a:b')).toThrow(/\.\.\.\(5000 characters\)/);
});

test('a 5,000-character *a*a*...b pattern in Action and Resource', () => {
  const pattern = '*a'.repeat(2500) + 'b';
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: `s3:${pattern}`, Resource: '*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${pattern}` },
    ],
  };
  expect(evaluate(policy, 'connect:DescribeInstance').decision).toBe('implicitDeny');
  expect(evaluate(policy, `s3:${'a'.repeat(2600)}b`).decision).toBe('allowed');
  expect(evaluate(policy, 's3:GetObject', { resource: `arn:aws:s3:::${'a'.repeat(4000)}` }).decision).toBe('implicitDeny');
  expect(evaluate(policy, 's3:GetObject', { resource: `arn:aws:s3:::${'a'.repeat(2500)}b` }).decision).toBe('allowed');
  expect(evaluate(policy, 's3:GetObject').decision).toBe('conditional');
  // a hang fails by the timeout below; speed is measured in bench/, not asserted
}, HANG_GUARD_MS * 3)
