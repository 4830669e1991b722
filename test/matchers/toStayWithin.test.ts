import { UnknownManagedPolicyError, UsageError } from '../../src/errors';
import { managedPolicy } from '../../src/managed';
import type { PolicyDocument } from '../../src/policy/types';
import { editor, mixedWriter, regionBound, role, roleWithUnresolvedPolicy, roleWithUnresolvedValue, viewer } from './fixtures';
import { failureOf, notSubjects } from './helpers';

const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement.flat() });

describe('.toStayWithin', () => {
  test('AmazonConnectReadOnlyAccess stays within AmazonConnectReadOnlyAccess', () => {
    expect(managedPolicy('AmazonConnectReadOnlyAccess')).toStayWithin('AmazonConnectReadOnlyAccess');
  });

  test.each([
    ['a policy document', viewer],
    ['an array of documents', [viewer, viewer]],
    ['a principal', role(viewer)],
  ])('passes for %s within a managed policy, a document, a principal', (_label, subject) => {
    expect(subject).toStayWithin('AmazonConnectReadOnlyAccess');
    expect(subject).toStayWithin(editor);
    expect(subject).toStayWithin(role(editor));
    expect(subject).toStayWithin(managedPolicy('AmazonConnect_FullAccess'));
  });

  test('AmazonConnect_FullAccess does not stay within AmazonConnectReadOnlyAccess, naming write actions', () => {
    const message = failureOf(() => expect(managedPolicy('AmazonConnect_FullAccess')).toStayWithin('AmazonConnectReadOnlyAccess'));
    expect(message).toMatch(/connect:(Create|Delete|Update|Associate)\w+/);
    expect(message.split('\n').length).toBeLessThanOrEqual(40);
  });

  test('the message lists new and possibly new access by statement (snapshot)', () => {
    const message = failureOf(() => expect(role(mixedWriter)).toStayWithin(viewer));
    expect(message).toMatch(/connect:UpdateInstanceAttribute/);
    expect(message).toMatchSnapshot();
  });

  test('fails when the subject is conditional and the baseline narrower', () => {
    expect(() => expect(regionBound).toStayWithin(viewer)).toThrow(/possibly beyond/);
  });

  test('allow accepts named new actions', () => {
    expect(editor).toStayWithin(viewer, { allow: ['connect:*InstanceStorageConfig', 's3:*', 'kms:*'] });
  });

  test('an unknown managed policy throws with suggestions', () => {
    expect(() => expect(viewer).toStayWithin('AmazonConnectReadOnly')).toThrow(UnknownManagedPolicyError);
    expect(() => expect(viewer).toStayWithin('AmazonConnectReadOnly')).toThrow(/AmazonConnectReadOnlyAccess/);
    expect(() => expect(viewer).not.toStayWithin('AmazonConnectReadOnly')).toThrow(UnknownManagedPolicyError);
  });

  test('a subject with unresolved parts never passes', () => {
    expect(() => expect(roleWithUnresolvedPolicy()).toStayWithin(editor)).toThrow(/SharedPolicy/);
    // An unresolved Resource counts for its statement's action (s3:GetObject), which editor does not allow.
    expect(() => expect(roleWithUnresolvedValue()).toStayWithin(editor)).toThrow(/!GetAtt Bucket\.Arn/);
    // A baseline that allows everything: the unknown resource cannot take the subject beyond it.
    expect(roleWithUnresolvedValue()).toStayWithin(doc({ Effect: 'Allow', Action: '*', Resource: '*' }));
  });

  test.each(notSubjects.filter(([, v]) => typeof v !== 'string'))('refuses %s as the received value or the baseline', (_label, value) => {
    expect(() => expect(value).toStayWithin(viewer)).toThrow(UsageError);
    // @ts-expect-error not a baseline on purpose
    expect(() => expect(viewer).toStayWithin(value)).toThrow(UsageError);
  });
});

describe('.not.toStayWithin', () => {
  test('passes when something is certainly beyond the baseline', () => {
    expect(editor).not.toStayWithin(viewer);
    expect(managedPolicy('AmazonConnect_FullAccess')).not.toStayWithin('AmazonConnectReadOnlyAccess');
  });

  test('fails when the subject stays within', () => {
    const message = failureOf(() => expect(viewer).not.toStayWithin('AmazonConnectReadOnlyAccess'));
    expect(message).toMatchSnapshot();
  });

  test('fails when it is only possibly beyond', () => {
    expect(() => expect(regionBound).not.toStayWithin(viewer)).toThrow(/not certain/);
  });
});
