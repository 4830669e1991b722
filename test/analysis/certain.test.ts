/**
 * Issue 9 item 4: the analyses say what is certain, through the registered matchers (the unit
 * project registers them with setupFilesAfterEnv), the engine's `checkStayWithin` and
 * `checkReadOnly`, and the built bin's `check`.
 *
 * Condition operators and their families: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * Multi-valued keys (ForAnyValue/ForAllValues): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import { checkReadOnly, checkStayWithin, managedPolicy } from '../../src';
import type { PolicyDocument } from '../../src';
import { cli, tempDir, writeTree } from '../trust/helpers';
import { failureOf } from '../matchers/helpers';

const doc = (...Statement: object[]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement as never });
const allow = (Action: string | string[], Resource: string | string[] = '*', Condition?: object): object => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const news = (r: ReturnType<typeof checkStayWithin>): string[] => r.newAccess.map((n) => `${n.action}:${n.kind}`);
const region = (...values: string[]) => ({ StringEquals: { 'aws:RequestedRegion': values.length === 1 ? values[0] : values } });

describe('toStayWithin: a policy is within itself', () => {
  const regional = doc(allow(['connect:Describe*', 'connect:List*'], '*', region('eu-west-2')));

  test('a document with a StringEquals aws:RequestedRegion condition stays within itself (failed before: 387 possible)', () => {
    expect(regional).toStayWithin(regional);
    expect(checkStayWithin(regional, regional)).toMatchObject({ pass: true, newAccess: [], reasons: [] });
  });

  test("managedPolicy('ReadOnlyAccess') stays within 'ReadOnlyAccess' (its action names the IAM data does not know included)", () => {
    const r = checkStayWithin(managedPolicy('ReadOnlyAccess'), 'ReadOnlyAccess');
    expect(r).toMatchObject({ pass: true, unknownPatterns: [], newAccess: [] });
    expect(managedPolicy('ReadOnlyAccess')).toStayWithin('ReadOnlyAccess');
  });

  test.each(['AmazonConnect_FullAccess', 'PowerUserAccess', 'AmazonConnectReadOnlyAccess'])('%s stays within itself', (name) => {
    expect(managedPolicy(name)).toStayWithin(name);
  });

  test('a role with conditions, narrower resources and a conditional Deny stays within a copy of itself', () => {
    const mine = doc(
      allow('s3:PutObject', 'arn:aws:s3:::reports/*', { StringLike: { 's3:prefix': ['2024/*'] }, Bool: { 'aws:SecureTransport': 'true' } }),
      allow('connect:*', 'arn:aws:connect:eu-west-2:111122223333:instance/abcd*'),
      { Effect: 'Deny', Action: 'connect:Delete*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } } },
    );
    const copy = JSON.parse(JSON.stringify(mine)) as PolicyDocument;
    expect(mine).toStayWithin(copy);
  });
});

describe('toStayWithin: the same or weaker conditions cover', () => {
  const base = (c: object) => doc(allow('connect:DescribeInstance', '*', c));
  const subject = doc(allow('connect:DescribeInstance', '*', region('eu-west-2')));

  test('same key and operator with a superset of values (Equals and Like families)', () => {
    expect(subject).toStayWithin(base(region('eu-west-2', 'eu-west-1')));
    expect(doc(allow('connect:DescribeInstance', '*', { StringLike: { 'aws:RequestedRegion': 'eu-*' } }))).toStayWithin(base({ StringLike: { 'aws:RequestedRegion': ['eu-*', 'us-*'] } }));
    expect(doc(allow('connect:DescribeInstance', '*', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }))).toStayWithin(base({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }));
    expect(doc(allow('connect:DescribeInstance', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } }))).toStayWithin(base({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }));
  });

  test('fewer keys is weaker', () => {
    const two = doc(allow('connect:DescribeInstance', '*', { StringEquals: { 'aws:RequestedRegion': 'eu-west-2', 'aws:PrincipalTag/team': 'ops' } }));
    expect(two).toStayWithin(base(region('eu-west-2')));
    expect(two).toStayWithin(doc(allow('connect:DescribeInstance')));
  });

  test('a stronger or different baseline condition does not cover (possible new access)', () => {
    expect(news(checkStayWithin(subject, base(region('eu-west-1'))))).toEqual(['connect:DescribeInstance:possible']);
    expect(news(checkStayWithin(doc(allow('connect:DescribeInstance', '*', region('eu-west-2', 'eu-west-1'))), base(region('eu-west-2'))))).toEqual(['connect:DescribeInstance:possible']);
    // One more key on the baseline is stronger.
    expect(news(checkStayWithin(subject, base({ StringEquals: { 'aws:RequestedRegion': 'eu-west-2', 'aws:PrincipalTag/team': 'ops' } })))).toEqual(['connect:DescribeInstance:possible']);
    // Another operator on the same key: not compared.
    expect(news(checkStayWithin(subject, base({ StringLike: { 'aws:RequestedRegion': 'eu-west-2' } })))).toEqual(['connect:DescribeInstance:possible']);
    expect(() => expect(subject).toStayWithin(base(region('eu-west-1')))).toThrow(/possibly beyond/);
  });

  test('for a negated operator a superset of values is stronger, not weaker: not covered', () => {
    const notIn = (...v: string[]) => ({ StringNotEquals: { 'aws:RequestedRegion': v } });
    expect(news(checkStayWithin(doc(allow('connect:DescribeInstance', '*', notIn('us-east-1'))), base(notIn('us-east-1', 'eu-west-2'))))).toEqual(['connect:DescribeInstance:possible']);
    expect(doc(allow('connect:DescribeInstance', '*', notIn('us-east-1')))).toStayWithin(base(notIn('us-east-1')));
  });

  test('a Deny of the baseline that the subject does not have is not ignored', () => {
    const b = doc(allow('connect:DescribeInstance', '*', region('eu-west-2')), { Effect: 'Deny', Action: 'connect:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } });
    expect(news(checkStayWithin(subject, b))).toEqual(['connect:DescribeInstance:possible']);
  });

  test('every resource must be covered too', () => {
    const s = doc(allow('s3:GetObject', ['arn:aws:s3:::reports/*', 'arn:aws:s3:::secrets/*'], region('eu-west-2')));
    expect(news(checkStayWithin(s, doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*', region('eu-west-2')))))).toEqual(['s3:GetObject:possible']);
    expect(s).toStayWithin(doc(allow('s3:GetObject', 'arn:aws:s3:::*', region('eu-west-2', 'eu-west-1'))));
  });
});

describe('toStayWithin: action names the IAM data does not know', () => {
  const unknown = doc(allow(['connect:DescribeInstance', 'deepcomposer:GetComposition']));

  test('covered when the baseline lists the same literal or a pattern that matches it', () => {
    expect(unknown).toStayWithin(unknown);
    expect(unknown).toStayWithin(doc(allow(['connect:DescribeInstance', 'deepcomposer:Get*'])));
    expect(unknown).toStayWithin(doc(allow('*')));
  });

  test('not covered otherwise, nor under a stronger condition', () => {
    expect(checkStayWithin(unknown, doc(allow(['connect:DescribeInstance', 'deepcomposer:List*']))).unknownPatterns).toEqual([
      expect.objectContaining({ pattern: 'deepcomposer:GetComposition' }),
    ]);
    expect(checkStayWithin(unknown, doc(allow(['connect:DescribeInstance', 'deepcomposer:Get*'], '*', region('eu-west-2')))).pass).toBe(false);
    expect(() => expect(unknown).toStayWithin(doc(allow('connect:DescribeInstance')))).toThrow(/deepcomposer:GetComposition/);
  });

  test('an unknown literal on a narrower resource is covered by a pattern on a broader one', () => {
    const narrow = doc(allow('deepcomposer:GetComposition', 'arn:aws:deepcomposer:us-east-1:111122223333:composition/a'));
    expect(narrow).toStayWithin(doc(allow('deepcomposer:Get*', 'arn:aws:deepcomposer:*:*:composition/*')));
    expect(checkStayWithin(narrow, doc(allow('deepcomposer:Get*', 'arn:aws:deepcomposer:*:*:composition/b*'))).pass).toBe(false);
  });

  test('an unknown wildcard pattern is covered only by the same text or *', () => {
    const wild = doc(allow('deepcomposer:Get*'));
    expect(wild).toStayWithin(wild);
    expect(checkStayWithin(wild, doc(allow('deepcomposer:GetComposition'))).pass).toBe(false);
  });
});

describe('toStayWithin accepts context', () => {
  const subject = doc(allow('connect:DescribeInstance', '*', region('eu-west-2')));
  const baseline = doc(allow('connect:DescribeInstance', '*', region('eu-west-2', 'eu-west-1')), allow('connect:ListInstances', '*', region('eu-west-1')));
  const subject2 = doc(allow(['connect:DescribeInstance', 'connect:ListInstances'], '*', { StringLike: { 'aws:RequestedRegion': 'eu-*' } }));

  test('the option is accepted and pins conditions on both sides', () => {
    expect(subject).toStayWithin(baseline, { context: { 'aws:RequestedRegion': 'eu-west-2' } });
    // Without context: ListInstances under eu-* is not covered by eu-west-1 only.
    expect(() => expect(subject2).toStayWithin(baseline)).toThrow(/possibly beyond/);
    // In eu-west-1 both sides allow both actions: within.
    expect(subject2).toStayWithin(baseline, { context: { 'aws:RequestedRegion': 'eu-west-1' } });
    // In eu-west-2 the subject allows ListInstances and the baseline certainly does not: definite.
    expect(subject2).not.toStayWithin(baseline, { context: { 'aws:RequestedRegion': 'eu-west-2' } });
  });

  test('a wrong context type is a usage error', () => {
    expect(() => expect(subject).toStayWithin(baseline, { context: 'eu-west-2' } as never)).toThrow(/option 'context' must be/);
  });
});

describe('toBeReadOnly: a write on a narrower resource with no condition is certain', () => {
  const putter = doc(allow('s3:GetObject'), allow('s3:PutObject', 'arn:aws:s3:::b/*'));

  test('the violation is certain: .not.toBeReadOnly passes, and the message says where', () => {
    expect(putter).not.toBeReadOnly();
    const message = failureOf(() => expect(putter).toBeReadOnly());
    expect(message).toMatch(/1 non-read action allowed, 0 conditional/);
    expect(message).toMatch(/allows s3:PutObject on arn:aws:s3:::b\/\*/);
    expect(message).not.toMatch(/not certain/);
  });

  test('only a real unknown makes it conditional', () => {
    const conditional = doc(allow('s3:PutObject', 'arn:aws:s3:::b/*', { StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } }));
    expect(checkReadOnly(conditional).offending.map((o) => o.decision)).toEqual(['conditional']);
    expect(() => expect(conditional).not.toBeReadOnly()).toThrow(/not certain/);
    expect(() => expect(conditional).toBeReadOnly()).toThrow(/not certain/);
  });

  test('jest-connect-iam check reports the same certain violation with its resource', () => {
    const dir = tempDir();
    writeTree(dir, {
      'policies/putter.json': JSON.stringify(putter, null, 2),
      'jest-connect-iam.rules.yaml': 'version: 1\nrules:\n  - name: read-only\n    select: { files: policies/*.json }\n    expect: { readOnly: true }\n',
    });
    const r = cli(['check', '--cwd', dir, '--format', 'json', '--quiet']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as { outcomes: Array<{ status: string; checks: Array<{ verdict: string; evidence: string[] }> }> };
    expect(json.outcomes[0]!.checks[0]!.verdict).toBe('fail');
    expect(json.outcomes[0]!.checks[0]!.evidence.join('\n')).toMatch(/arn:aws:s3:::b\/\*/);
  });
});
