import { UnknownActionError, UsageError } from '../../src/errors';
import { managedPolicy } from '../../src/managed';
import type { PolicyDocument } from '../../src/policy/types';
import { editor, regionBound, role, roleWithUnresolvedPolicy, roleWithUnresolvedValue, viewer } from './fixtures';
import { failureOf, notSubjects } from './helpers';

const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement.flat() });
const bucketReader = doc({ Sid: 'Reports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' });

describe('.toAllowAction', () => {
  test.each([
    ['a policy document', viewer],
    ['an array of documents', [viewer, bucketReader]],
    ['a principal', role(viewer)],
    ['a managed policy', managedPolicy('AmazonConnectReadOnlyAccess')],
  ])('passes for %s that allows the action', (_label, subject) => {
    expect(subject).toAllowAction('connect:DescribeInstance');
  });

  test('matches action names case-insensitively', () => {
    expect(viewer).toAllowAction('CONNECT:describeinstance');
  });

  test('a wildcard means every action it matches: all must be allowed', () => {
    expect(doc({ Effect: 'Allow', Action: 'connect:Describe*', Resource: '*' })).toAllowAction('connect:DescribeInstance*');
    const message = failureOf(() => expect(viewer).toAllowAction('connect:DescribeInstance*'));
    expect(message).toMatch(/every one of the \d+ actions matching connect:DescribeInstance\*/);
  });

  test('resource narrows what is asked', () => {
    expect(bucketReader).toAllowAction('s3:GetObject', { resource: 'arn:aws:s3:::reports/2024/jan.csv' });
    expect(() => expect(bucketReader).toAllowAction('s3:GetObject', { resource: 'arn:aws:s3:::secrets/key' })).toThrow(/not allowed/);
  });

  test('fails on conditional (narrower resource), saying how to pin it', () => {
    const message = failureOf(() => expect(bucketReader).toAllowAction('s3:GetObject'));
    expect(message).toMatch(/resource: 'arn:aws:s3:::reports\/\*'/);
    expect(message).toMatchSnapshot();
  });

  test('fails on conditional (condition key)', () => {
    expect(() => expect(regionBound).toAllowAction('connect:DescribeInstance')).toThrow(/aws:RequestedRegion/);
    expect(regionBound).toAllowAction('connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'eu-west-2' } });
  });

  test('an unknown action throws UnknownActionError with suggestions', () => {
    expect(() => expect(viewer).toAllowAction('connect:DescribeInstanse')).toThrow(UnknownActionError);
    expect(() => expect(viewer).toAllowAction('connect:DescribeInstanse')).toThrow(/connect:DescribeInstance/);
    expect(() => expect(viewer).toAllowAction('conect:Describe*')).toThrow(UnknownActionError);
  });

  test('an unresolved policy blocks a pass', () => {
    expect(() => expect(roleWithUnresolvedPolicy()).toAllowAction('connect:DescribeInstance')).toThrow(/SharedPolicy/);
  });

  test.each(notSubjects)('refuses %s as the received value', (_label, subject) => {
    expect(() => expect(subject).toAllowAction('connect:DescribeInstance')).toThrow(UsageError);
  });
});

describe('.not.toAllowAction', () => {
  test('passes when the action is certainly not allowed', () => {
    expect(viewer).not.toAllowAction('connect:UpdateInstanceStorageConfig');
    expect(doc({ Effect: 'Allow', Action: 'connect:*', Resource: '*' }, { Effect: 'Deny', Action: 'connect:Update*', Resource: '*' })).not.toAllowAction('connect:UpdateInstanceAttribute');
  });

  test('with a wildcard, none of the matched actions may be allowed or conditional', () => {
    expect(viewer).not.toAllowAction('connect:Update*');
    const message = failureOf(() => expect(editor).not.toAllowAction('connect:*InstanceStorageConfig'));
    expect(message).toMatch(/connect:UpdateInstanceStorageConfig: allowed/);
    expect(message).toMatchSnapshot();
  });

  test('a long failure is summarised with counts within the line budget', () => {
    const many = doc({ Sid: 'Listed', Effect: 'Allow', Action: ['connect:Describe*', ...Array.from({ length: 30 }, (_, i) => `connect:List${['Users', 'Queues', 'Prompts', 'Phone*', 'Hours*', 'Routing*', 'Security*', 'Quick*', 'Lambda*', 'Lex*'][i % 10]}`)], Resource: '*' }, { Sid: 'Lists', Effect: 'Allow', Action: 'connect:List*', Resource: '*' });
    const message = failureOf(() => expect(many).not.toAllowAction('connect:*'));
    expect(message).toMatch(/… and \d+ more actions \(\d+ allowed\)/); // no snapshot: counts follow the IAM action data
  });

  test('fails on conditional', () => {
    expect(() => expect(bucketReader).not.toAllowAction('s3:GetObject')).toThrow(/not certain/);
    expect(() => expect(regionBound).not.toAllowAction('connect:DescribeInstance')).toThrow(/aws:RequestedRegion/);
  });

  test('an unknown action throws, never passes', () => {
    expect(() => expect(viewer).not.toAllowAction('connect:DescribeInstanse')).toThrow(UnknownActionError);
  });

  test('an unknown part fails it where it can change the answer, and only there', () => {
    // An unresolved policy could allow anything.
    expect(() => expect(roleWithUnresolvedPolicy()).not.toAllowAction('connect:UpdateInstanceAttribute')).toThrow(/SharedPolicy/);
    // An unresolved Resource on an s3:GetObject statement: relevant to s3:GetObject only.
    expect(() => expect(roleWithUnresolvedValue()).not.toAllowAction('s3:GetObject')).toThrow(/!GetAtt Bucket\.Arn/);
    expect(roleWithUnresolvedValue()).not.toAllowAction('connect:UpdateInstanceAttribute');
  });
});
