/**
 * Condition values and requests (issue 9, item 6), through the public entry point
 * (`jest-connect-iam` = src/index.ts) and the reference evaluator alike:
 *
 * - Date values in every form AWS accepts. The condition-operator page
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date)
 *   asks for "one of the W3C implementations of the ISO 8601 date formats" or epoch time; the
 *   W3C note (https://www.w3.org/TR/NOTE-datetime) lists YYYY, YYYY-MM, YYYY-MM-DD and the
 *   date with hh:mm, hh:mm:ss, hh:mm:ss.s and a zone designator.
 * - ForAllValues / ForAnyValue with request values that are empty strings. The multivalued
 *   context keys page
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
 *   and its examples: ForAllValues is true for missing keys "or context keys with empty
 *   values", ForAnyValue false for a null dataset, and a Null "false" check (the key exists
 *   and its value is not null) keeps such a request out.
 * - A request names one action: evaluate(subject, 'connect:List*') is a usage error that
 *   points to toAllowAction.
 */
import { evaluate, UsageError, expandActionPattern } from '../../src/index';
import { referenceEvaluate } from '../../src/evaluator/reference';

type Ctx = Record<string, string | string[]>;
type Outcome = true | false | 'unknown';

function both(condition: Record<string, Record<string, unknown>>, context: Ctx): Outcome {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*', Condition: condition }] };
  const fast = evaluate(doc, 'connect:ListInstances', { context }).decision;
  const reference = referenceEvaluate({ kind: 'documents', id: 't', policies: [{ name: 'p', origin: 'document', document: doc }] }, 'connect:ListInstances', { context }).decision;
  expect(reference).toBe(fast);
  return fast === 'allowed' ? true : fast === 'implicitDeny' ? false : 'unknown';
}

describe('Date values: every W3C form and epoch seconds', () => {
  const now = { 'aws:CurrentTime': '2026-06-15T12:00:00Z' };
  test.each([
    // [operator, policy value, expected for 2026-06-15T12:00:00Z]
    ['DateGreaterThan', '2026', true], // YYYY: the start of 2026 (UTC)
    ['DateLessThan', '2027', true],
    ['DateLessThan', '2026', false],
    ['DateGreaterThan', '2026-06', true], // YYYY-MM: the start of June
    ['DateLessThan', '2026-07', true],
    ['DateLessThan', '2026-06', false],
    ['DateGreaterThan', '2026-06-15', true], // YYYY-MM-DD: the start of the day (UTC)
    ['DateLessThan', '2026-06-16', true],
    ['DateEquals', '2026-06-15T12:00Z', true], // hh:mm TZD
    ['DateEquals', '2026-06-15T14:00+02:00', true], // the same instant in another zone
    ['DateEquals', '2026-06-15T07:00-05:00', true],
    ['DateEquals', '2026-06-15T12:00:00Z', true], // hh:mm:ss TZD
    ['DateEquals', '2026-06-15T12:00:00.000Z', true], // fraction
    ['DateLessThan', '2026-06-15T12:00:00.001Z', true],
    ['DateGreaterThan', '2026-06-15T11:59:59.999999999Z', true],
    ['DateEquals', '1781524800', true], // epoch seconds for 2026-06-15T12:00:00Z
    ['DateLessThan', '1781524801', true],
    ['DateEquals', '2026-06-15T12:00:00', true], // no zone: read as UTC
  ] as const)('%s %s -> %s', (operator, value, expected) => {
    expect(both({ [operator]: { 'aws:CurrentTime': value } }, now)).toBe(expected);
  });

  test.each([
    ['2026-02-30'], // no such day
    ['2026-13'], // no such month
    ['2026-06-15T24:00:00Z'], // hour 24
    ['2026-06-15T12:60Z'],
    ['2026-06-15T12:00:00+25:00'],
    ['2026-*'], // "Wildcards are not permitted for date condition operators"
    ['June 15, 2026'],
    ['26-06-15'],
    [''],
  ])('%s is not a date: it never matches, DateNotEquals holds', (value) => {
    expect(both({ DateEquals: { 'aws:CurrentTime': value } }, now)).toBe(false);
    expect(both({ DateLessThan: { 'aws:CurrentTime': value } }, now)).toBe(false);
    expect(both({ DateNotEquals: { 'aws:CurrentTime': value } }, now)).toBe(true);
  });

  test('request values are read the same way (aws:EpochTime as seconds, reduced forms as their start)', () => {
    expect(both({ DateEquals: { 'aws:EpochTime': '2026-06-15T12:00:00Z' } }, { 'aws:EpochTime': '1781524800' })).toBe(true);
    expect(both({ DateEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026' })).toBe(true);
    expect(both({ DateEquals: { 'aws:CurrentTime': '2026-03-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-03' })).toBe(true);
  });

  test('leap days: 2028-02-29 is a date, 2027-02-29 is not', () => {
    expect(both({ DateLessThan: { 'aws:CurrentTime': '2028-02-29' } }, now)).toBe(true);
    expect(both({ DateLessThan: { 'aws:CurrentTime': '2027-02-29' } }, now)).toBe(false);
  });
});

describe('ForAllValues / ForAnyValue with empty-string request values', () => {
  const tags = (v: string | string[]): Ctx => ({ 'aws:TagKeys': v });
  test('only empty strings: a null dataset, as if absent', () => {
    expect(both({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, tags(''))).toBe(true);
    expect(both({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, tags(['', '']))).toBe(true);
    expect(both({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, tags(''))).toBe(false);
    expect(both({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['team'] } }, tags(''))).toBe(false);
    expect(both({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': ['team'] } }, tags(''))).toBe(true);
    // even when the policy lists "": an empty request value is no value
    expect(both({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': [''] } }, tags(''))).toBe(false);
  });
  test('mixed: the empty strings are left out of the set', () => {
    expect(both({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, tags(['team', '']))).toBe(true);
    expect(both({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, tags(['env', '']))).toBe(false);
    expect(both({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, tags(['', 'team']))).toBe(true);
  });
  test('the documented guard: Null "false" is false for a key with only empty values', () => {
    const guarded = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] }, Null: { 'aws:TagKeys': 'false' } };
    expect(both(guarded, tags(''))).toBe(false);
    expect(both(guarded, tags(['team']))).toBe(true);
    expect(both({ Null: { 'aws:TagKeys': 'true' } }, tags(''))).toBe(true);
  });
  test('plain operators still compare an empty string as text', () => {
    expect(both({ StringEquals: { 'aws:username': '' } }, { 'aws:username': '' })).toBe(true);
    expect(both({ StringEquals: { 'aws:username': 'alice' } }, { 'aws:username': '' })).toBe(false);
  });
});

describe('a request names one action', () => {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:List*', Resource: '*' }] };
  test('an action pattern is a UsageError pointing to toAllowAction and expandActionPattern', () => {
    expect(() => evaluate(doc, 'connect:List*')).toThrow(UsageError);
    expect(() => evaluate(doc, 'connect:List*')).toThrow(/names one action.*toAllowAction\('connect:List\*'\).*expandActionPattern/);
    expect(() => evaluate(doc, 'connect:ListInstance?')).toThrow(UsageError);
    expect(() => evaluate(doc, '*')).toThrow(UsageError);
    expect(() => referenceEvaluate(doc, 'connect:List*')).toThrow(UsageError);
  });
  test('what the message suggests works: every matched action, one request each', () => {
    const actions = expandActionPattern('connect:List*');
    expect(actions.length).toBeGreaterThan(10);
    for (const a of actions) expect(evaluate(doc, a.name).decision).toBe('allowed');
    expect(doc).toAllowAction('connect:List*');
    expect(doc).not.toAllowAction('connect:Delete*');
  });
});
