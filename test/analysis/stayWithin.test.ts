import { checkStayWithin } from '../../src/analysis';
import { UnknownActionError, UnknownManagedPolicyError } from '../../src/errors';
import { managedPolicy } from '../../src/managed';
import { NO_VALUE } from '../../src/policy/symbolic';
import type { PolicyDocument } from '../../src/policy/types';
import { editor, roleWithUnresolvedPolicy, roleWithUnresolvedValue, viewer } from '../matchers/fixtures';

const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement.flat() });
const news = (r: ReturnType<typeof checkStayWithin>): string[] => r.newAccess.map((n) => `${n.action}:${n.kind}`);
const allow = (Action: string | string[], Resource: string | string[] = '*', Condition?: Record<string, Record<string, string>>) => ({
  Effect: 'Allow' as const,
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const region = { StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } };

describe('checkStayWithin', () => {
  test('a subject stays within itself and within anything broader', () => {
    expect(checkStayWithin(viewer, viewer).pass).toBe(true);
    expect(checkStayWithin(viewer, editor).pass).toBe(true);
  });

  test('new actions are definite new access, grouped by statement', () => {
    const r = checkStayWithin(editor, viewer);
    expect(r.pass).toBe(false);
    expect(news(r)).toEqual(expect.arrayContaining(['connect:UpdateInstanceStorageConfig:definite', 'kms:DescribeKey:definite']));
    expect(r.byStatement[0]).toMatchObject({ statement: { sid: 'EditStorage' } });
  });

  describe('decision table (subject S on any resource vs baseline B)', () => {
    test('S allowed, B explicitly denies: definite', () => {
      const r = checkStayWithin(doc(allow('connect:UpdateInstanceAttribute')), doc(allow('connect:*'), { Effect: 'Deny', Action: 'connect:Update*', Resource: '*' }));
      expect(news(r)).toEqual(['connect:UpdateInstanceAttribute:definite']);
      expect(r.newAccess[0]!.why).toMatch(/denies it explicitly/);
    });

    test('S allowed on *, B only on a narrower resource: new access', () => {
      const r = checkStayWithin(doc(allow('s3:GetObject')), doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*')));
      expect(news(r)).toEqual(['s3:GetObject:possible']);
    });

    test('S allowed, B only under a condition: new access', () => {
      const r = checkStayWithin(doc(allow('connect:DescribeInstance')), doc(allow('connect:DescribeInstance', '*', region)));
      expect(news(r)).toEqual(['connect:DescribeInstance:possible']);
    });

    test('S conditional (condition), B allowed: stays within', () => {
      expect(checkStayWithin(doc(allow('connect:DescribeInstance', '*', region)), doc(allow('connect:Describe*'))).pass).toBe(true);
    });

    test('S conditional (narrower resource), B allowed on *: stays within', () => {
      expect(checkStayWithin(doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*')), doc(allow('s3:Get*'))).pass).toBe(true);
    });

    test('S conditional (narrower resource), B allowed on the same or a broader resource: stays within', () => {
      expect(checkStayWithin(doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*')), doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*'))).pass).toBe(true);
      expect(checkStayWithin(doc(allow('s3:GetObject', 'arn:aws:s3:::reports/2024/*')), doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*'))).pass).toBe(true);
    });

    test('S conditional (resource), B narrower still: new access', () => {
      const r = checkStayWithin(doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*')), doc(allow('s3:GetObject', 'arn:aws:s3:::reports/2024/*')));
      expect(news(r)).toEqual(['s3:GetObject:possible']);
    });

    test('every resource of the subject statement must be covered, not only the first', () => {
      const r = checkStayWithin(doc(allow('s3:GetObject', ['arn:aws:s3:::reports/*', 'arn:aws:s3:::secrets/*'])), doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*')));
      expect(news(r)).toEqual(['s3:GetObject:possible']);
    });

    test('S with NotResource is never shown to be narrower (closed)', () => {
      const r = checkStayWithin(doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secrets/*' }), doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*')));
      expect(news(r)).toEqual(['s3:GetObject:possible']);
    });

    test('a Statement list with AWS::NoValue entries: the entries are skipped and the statements compared', () => {
      const subject: PolicyDocument = { Version: '2012-10-17', Statement: [NO_VALUE as never, allow('s3:GetObject', 'arn:aws:s3:::reports/*')] };
      expect(news(checkStayWithin(subject, doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*'))))).toEqual([]);
      expect(news(checkStayWithin(subject, doc(allow('s3:GetObject', 'arn:aws:s3:::other/*'))))).toEqual(['s3:GetObject:possible']);
    });

    test('S conditional, B nothing: possible new access', () => {
      expect(news(checkStayWithin(doc(allow('connect:DescribeInstance', '*', region)), doc(allow('connect:ListInstances'))))).toEqual(['connect:DescribeInstance:possible']);
    });

    test('S denied: nothing to compare', () => {
      const r = checkStayWithin(doc(allow('connect:UpdateInstanceAttribute'), { Effect: 'Deny', Action: 'connect:*', Resource: '*' }), viewer);
      expect(r.pass).toBe(true);
    });
  });

  test('a managed policy name is the baseline; unknown names throw with suggestions', () => {
    expect(checkStayWithin(viewer, 'AmazonConnectReadOnlyAccess')).toMatchObject({ pass: true, baseline: 'AmazonConnectReadOnlyAccess' });
    expect(() => checkStayWithin(viewer, 'AmazonConnectReadOnlyAcess')).toThrow(UnknownManagedPolicyError);
    expect(() => checkStayWithin(viewer, 'AmazonConnectReadOnlyAcess')).toThrow(/AmazonConnectReadOnlyAccess/);
  });

  test('the allow option accepts named new actions; unknown names throw', () => {
    const r = checkStayWithin(doc(allow(['connect:DescribeInstance', 'connect:UpdateInstanceAttribute'])), doc(allow('connect:Describe*')), { allow: ['connect:UpdateInstanceAttribute'] });
    expect(r).toMatchObject({ pass: true, accepted: ['connect:UpdateInstanceAttribute'] });
    expect(() => checkStayWithin(viewer, viewer, { allow: ['connect:Nope'] })).toThrow(UnknownActionError);
  });

  test('unresolved parts of the subject fail with a reason naming them', () => {
    const a = checkStayWithin(roleWithUnresolvedPolicy(), 'AmazonConnectReadOnlyAccess');
    expect(a.pass).toBe(false);
    expect(a.reasons.join('\n')).toMatch(/SharedPolicy/);
    // An unresolved Resource counts for its statement's actions only: s3:GetObject on !GetAtt.
    const b = checkStayWithin(roleWithUnresolvedValue(), editor);
    expect(b.pass).toBe(false);
    expect(news(b)).toEqual(['s3:GetObject:possible']);
    expect(b.newAccess[0]!.why).toMatch(/!GetAtt Bucket\.Arn/);
    expect(b.unresolved).toEqual([]);
    // Within a baseline that allows s3:GetObject everywhere, the unknown resource cannot matter.
    expect(checkStayWithin(roleWithUnresolvedValue(), doc(allow(['connect:Describe*', 'connect:List*', 'ds:DescribeDirectories', 's3:GetObject']))).pass).toBe(true);
  });

  describe('AWS managed policies', () => {
    test('AmazonConnectReadOnlyAccess stays within itself', () => {
      const r = checkStayWithin(managedPolicy('AmazonConnectReadOnlyAccess'), 'AmazonConnectReadOnlyAccess');
      expect(r.reasons).toEqual([]);
    });

    test('AmazonConnect_FullAccess does not stay within AmazonConnectReadOnlyAccess, naming write actions', () => {
      const r = checkStayWithin(managedPolicy('AmazonConnect_FullAccess'), 'AmazonConnectReadOnlyAccess');
      expect(r.pass).toBe(false);
      expect(r.newAccess.map((n) => n.action)).toEqual(expect.arrayContaining(['connect:CreateInstance', 'connect:DeleteInstance']));
    });
  });
});
