import { UnknownActionError, UsageError } from '../../src/errors';
import { managedPolicy } from '../../src/managed';
import type { PolicyDocument } from '../../src/policy/types';
import { editor, mixedWriter, regionBound, role, roleWithChoice, roleWithUnresolvedPolicy, roleWithUnresolvedValue, viewer } from './fixtures';
import { failureOf, notSubjects } from './helpers';

const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement.flat() });

describe('.toBeReadOnly', () => {
  test.each([
    ['a policy document', viewer],
    ['an array of documents', [viewer, viewer]],
    ['a principal', role(viewer)],
    ['a managed policy (AmazonConnectReadOnlyAccess)', managedPolicy('AmazonConnectReadOnlyAccess')],
  ])('passes for %s', (_label, subject) => {
    expect(subject).toBeReadOnly();
  });

  test('AmazonConnect_FullAccess fails and the message names write actions', () => {
    const message = failureOf(() => expect(managedPolicy('AmazonConnect_FullAccess')).toBeReadOnly());
    expect(message).toMatch(/connect:[A-Z]\w+/);
    expect(message).toMatch(/policy "AmazonConnect_FullAccess" .*Statement\[0\]/);
    expect(message).toMatch(/connect:AssociateApprovedOrigin/);
    expect(message.split('\n').length).toBeLessThanOrEqual(40);
  });

  test('the message lists allowed and conditional non-read actions by statement (snapshot)', () => {
    const message = failureOf(() => expect(role(mixedWriter)).toBeReadOnly());
    expect(message).toMatch(/connect:UpdateInstanceAttribute/);
    expect(message).toMatchSnapshot();
  });

  test('fails for a conditional write', () => {
    const message = failureOf(() => expect(regionBound).toBeReadOnly());
    expect(message).toMatch(/aws:RequestedRegion/);
  });

  test('allow accepts named non-read actions', () => {
    expect(doc({ Effect: 'Allow', Action: ['connect:DescribeInstance', 'connect:UpdateInstanceAttribute'], Resource: '*' })).toBeReadOnly({ allow: ['connect:UpdateInstanceAttribute'] });
  });

  test('an unknown name in allow throws with suggestions', () => {
    expect(() => expect(viewer).toBeReadOnly({ allow: ['connect:UpdateInstanceAtribute'] })).toThrow(UnknownActionError);
    expect(() => expect(viewer).not.toBeReadOnly({ allow: ['connect:UpdateInstanceAtribute'] })).toThrow(UnknownActionError);
  });

  test('an unknown part fails it where it can change the answer, and only there', () => {
    expect(() => expect(roleWithUnresolvedPolicy()).toBeReadOnly()).toThrow(/SharedPolicy/);
    expect(() => expect(roleWithChoice()).toBeReadOnly()).toThrow(/IsProd/);
    // An unresolved Resource on a read statement (s3:GetObject) cannot make it write.
    expect(roleWithUnresolvedValue()).toBeReadOnly();
  });

  test.each(notSubjects)('refuses %s as the received value', (_label, subject) => {
    expect(() => expect(subject).toBeReadOnly()).toThrow(UsageError);
  });

  test('refuses a wrong option', () => {
    // @ts-expect-error wrong option name on purpose
    expect(() => expect(viewer).toBeReadOnly({ allowed: [] })).toThrow(/unknown option 'allowed'/);
  });
});

describe('.not.toBeReadOnly', () => {
  test('passes when some non-read action is certainly allowed', () => {
    expect(editor).not.toBeReadOnly();
    expect(managedPolicy('AmazonConnect_FullAccess')).not.toBeReadOnly();
  });

  test('fails for a read-only subject', () => {
    const message = failureOf(() => expect(viewer).not.toBeReadOnly());
    expect(message).toMatchSnapshot();
  });

  test('fails when the writes are only conditional', () => {
    expect(() => expect(regionBound).not.toBeReadOnly()).toThrow(/not certain/);
  });
});
