/**
 * Condition operators, one family per describe, through the public evaluate(): an Allow
 * with Resource "*" and one condition, so allowed = true, implicitDeny = false,
 * conditional = unknown.
 */
import { evaluate } from '../../src/evaluator';

type Ctx = Record<string, string | string[]>;
type Outcome = true | false | 'unknown';

function holds(operator: string, key: string, values: unknown, context?: Ctx, version = '2012-10-17'): Outcome {
  const doc = {
    Version: version,
    Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*', Condition: { [operator]: { [key]: values } } }],
  };
  const d = evaluate(doc, 'connect:ListInstances', context ? { context } : {}).decision;
  return d === 'allowed' ? true : d === 'implicitDeny' ? false : 'unknown';
}

/** Shared helper: [context value(s) | undefined (absent: []), expected]. */
function testOperator(operator: string, policyValues: unknown, cases: ReadonlyArray<[string | string[] | undefined, Outcome]>): void {
  describe(`${operator} ${JSON.stringify(policyValues)}`, () => {
    test.each(cases.map(([v, e]) => [JSON.stringify(v ?? []), v, e] as const))('context %s -> %s', (_label, v, expected) => {
      expect(holds(operator, 'k:Key', policyValues, { 'k:Key': v ?? [] })).toBe(expected);
    });
    test('key not in the context -> unknown', () => {
      expect(holds(operator, 'k:Key', policyValues, {})).toBe('unknown');
    });
  });
}

describe('String', () => {
  testOperator('StringEquals', ['a', 'b'], [['a', true], ['b', true], ['A', false], ['c', false], [undefined, false], [['c', 'a'], true]]);
  testOperator('StringNotEquals', ['a', 'b'], [['a', false], ['c', true], [undefined, true], [['c', 'a'], false]]);
  testOperator('StringEqualsIgnoreCase', 'Ab', [['aB', true], ['ab ', false]]);
  testOperator('StringNotEqualsIgnoreCase', 'Ab', [['aB', false], ['x', true]]);
  testOperator('StringLike', 'a*c?', [['abcd', true], ['ac', false], ['xacd', false]]);
  testOperator('StringNotLike', 'a*', [['abc', false], ['b', true], [undefined, true]]);
  testOperator('StringEquals', 'a*', [['a*', true], ['ab', false]]);
  test('keys are case-insensitive', () => {
    expect(holds('StringEquals', 'AWS:RequestedRegion', 'eu-west-1', { 'aws:requestedregion': 'eu-west-1' })).toBe(true);
  });
  test('operator names are case-sensitive, as IAM reads them (see test/policy/grammar.test.ts)', () => {
    expect(() => holds('stringequals', 'k:Key', 'a', { 'k:Key': 'a' })).toThrow(/case-sensitive in IAM \(did you mean 'StringEquals'\?\)/);
  });
});

describe('Numeric', () => {
  testOperator('NumericEquals', '10', [['10', true], ['10.0', true], ['11', false], ['x', false]]);
  testOperator('NumericNotEquals', '10', [['10', false], ['11', true]]);
  testOperator('NumericLessThan', '10', [['9', true], ['10', false]]);
  testOperator('NumericLessThanEquals', '10', [['10', true], ['11', false]]);
  testOperator('NumericGreaterThan', 10, [['11', true], ['10', false]]);
  testOperator('NumericGreaterThanEquals', '10', [['10', true], ['9', false]]);
});

describe('Date', () => {
  testOperator('DateEquals', '2020-01-01T00:00:00Z', [['2020-01-01T00:00:00Z', true], ['1577836800', true], ['2020-01-02T00:00:00Z', false], ['garbage', false]]);
  testOperator('DateNotEquals', '2020-01-01T00:00:00Z', [['2020-01-01T00:00:00Z', false], ['2021-01-01T00:00:00Z', true]]);
  testOperator('DateLessThan', '2020-01-01T00:00:00Z', [['2019-12-31T23:59:59Z', true], ['2020-01-01T00:00:00Z', false]]);
  testOperator('DateLessThanEquals', '2020-01-01', [['2020-01-01T00:00:00Z', true]]);
  testOperator('DateGreaterThan', '2020-01-01T00:00:00Z', [['2020-01-01T00:00:01Z', true], ['2020-01-01T00:00:00+01:00', false]]);
  testOperator('DateGreaterThanEquals', '2020-01-01T00:00:00Z', [['2020-01-01T00:00:00Z', true]]);
});

describe('Bool and Binary', () => {
  testOperator('Bool', 'true', [['true', true], ['TRUE', true], ['false', false]]);
  testOperator('Bool', true, [['true', true]]);
  testOperator('BinaryEquals', 'QmluYXJ5', [['QmluYXJ5', true], ['QmluYXJ6', false]]);
});

describe('IpAddress', () => {
  testOperator('IpAddress', '203.0.113.0/24', [['203.0.113.7', true], ['203.0.114.1', false], ['::1', false], ['bad', false]]);
  testOperator('IpAddress', '203.0.113.9', [['203.0.113.9', true], ['203.0.113.8', false]]);
  testOperator('IpAddress', '2001:db8::/32', [['2001:db8:1::5', true], ['2001:db9::1', false], ['203.0.113.7', false]]);
  testOperator('IpAddress', '::ffff:10.0.0.0/104', [['::ffff:10.1.2.3', true], ['::ffff:11.1.2.3', false]]);
  testOperator('NotIpAddress', ['10.0.0.0/8', '192.168.0.0/16'], [['10.1.1.1', false], ['192.168.3.3', false], ['8.8.8.8', true], [undefined, true]]);
});

describe('Arn', () => {
  testOperator('ArnLike', 'arn:aws:iam::*:role/Admin*', [['arn:aws:iam::123:role/AdminX', true], ['arn:aws:iam::123:role/User', false], ['not-an-arn', false]]);
  testOperator('ArnEquals', 'arn:aws:iam::*:role/Admin', [['arn:aws:iam::123:role/Admin', true]]);
  testOperator('ArnNotEquals', 'arn:aws:iam::*:role/Admin', [['arn:aws:iam::123:role/Admin', false], ['arn:aws:iam::123:role/X', true]]);
  testOperator('ArnNotLike', 'arn:aws:iam::*:role/*', [['arn:aws:iam::123:role/A', false], ['arn:aws:s3:::b', true]]);
});

describe('Null', () => {
  testOperator('Null', 'true', [[undefined, true], ['x', false]]);
  testOperator('Null', 'false', [[undefined, false], ['x', true]]);
  testOperator('Null', false, [['x', true]]);
});

describe('IfExists', () => {
  testOperator('StringEqualsIfExists', 'a', [[undefined, true], ['a', true], ['b', false]]);
  testOperator('StringNotEqualsIfExists', 'a', [[undefined, true], ['a', false], ['b', true]]);
  testOperator('NumericLessThanIfExists', '5', [[undefined, true], ['6', false]]);
  test('IfExists with a key the context does not give is still unknown', () => {
    expect(holds('StringEqualsIfExists', 'k:Key', 'a', {})).toBe('unknown');
  });
});

describe('ForAllValues / ForAnyValue', () => {
  testOperator('ForAllValues:StringEquals', ['a', 'b'], [[undefined, true], [['a'], true], [['a', 'b'], true], [['a', 'c'], false]]);
  testOperator('ForAnyValue:StringEquals', ['a', 'b'], [[undefined, false], [['c', 'b'], true], [['c'], false]]);
  testOperator('ForAllValues:StringNotEquals', ['a'], [[['b', 'c'], true], [['b', 'a'], false], [undefined, true]]);
  testOperator('ForAnyValue:StringNotEquals', ['a'], [[['a', 'b'], true], [['a'], false], [undefined, false]]);
  testOperator('ForAllValues:StringLike', ['team-*'], [[['team-a', 'team-b'], true], [['team-a', 'x'], false]]);
  testOperator('ForAnyValue:StringEqualsIfExists', 'a', [[undefined, true], [['b'], false]]);
  test('an empty list is "given, with no values": ForAllValues true', () => {
    expect(holds('ForAllValues:StringEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': [] })).toBe(true);
  });
});

describe('several operators, keys and values', () => {
  test('entries are AND-ed; a false entry decides even if another is unknown', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*',
        Condition: { StringEquals: { 'k:A': 'a', 'k:B': 'b' }, Bool: { 'k:C': 'true' } },
      }],
    };
    expect(evaluate(doc, 'connect:ListInstances', { context: { 'k:A': 'a', 'k:B': 'b', 'k:C': 'true' } }).decision).toBe('allowed');
    expect(evaluate(doc, 'connect:ListInstances', { context: { 'k:A': 'x' } }).decision).toBe('implicitDeny');
    const r = evaluate(doc, 'connect:ListInstances', { context: { 'k:A': 'a', 'k:B': 'b' } });
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toEqual([{ kind: 'conditionKey', key: 'k:C', operator: 'Bool' }]);
  });
});

describe('policy variables in condition values', () => {
  test('substituted from the context', () => {
    expect(holds('StringEquals', 'k:Key', '${aws:username}', { 'k:Key': 'alice', 'aws:username': 'alice' })).toBe(true);
    expect(holds('StringEquals', 'k:Key', '${aws:username}', { 'k:Key': 'alice', 'aws:username': 'bob' })).toBe(false);
  });
  test('a variable the context does not give -> unknown, naming it', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*', Condition: { StringEquals: { 'k:Key': '${aws:username}' } } }],
    };
    const r = evaluate(doc, 'connect:ListInstances', { context: { 'k:Key': 'alice' } });
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toEqual([{ kind: 'policyVariable', variable: 'aws:username' }]);
  });
  test('defaults apply when the key is given as absent', () => {
    expect(holds('StringEquals', 'k:Key', "${aws:PrincipalTag/team, 'none'}", { 'k:Key': 'none', 'aws:PrincipalTag/team': [] })).toBe(true);
    expect(holds('StringEquals', 'k:Key', "${aws:PrincipalTag/team, 'none'}", { 'k:Key': 'none' })).toBe('unknown');
  });
  test('escapes: ${*} is a literal star in StringLike', () => {
    expect(holds('StringLike', 'k:Key', 'a${*}', { 'k:Key': 'a*' })).toBe(true);
    expect(holds('StringLike', 'k:Key', 'a${*}', { 'k:Key': 'ab' })).toBe(false);
  });
  test('no variables in a 2008-10-17 document', () => {
    expect(holds('StringEquals', 'k:Key', '${aws:username}', { 'k:Key': '${aws:username}', 'aws:username': 'x' }, '2008-10-17')).toBe(true);
  });
});
