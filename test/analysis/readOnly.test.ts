import { checkReadOnly } from '../../src/analysis';
import { UnknownActionError } from '../../src/errors';
import { managedPolicy } from '../../src/managed';
import { Choice, NO_VALUE, Unresolved } from '../../src/policy/symbolic';
import type { PolicyDocument } from '../../src/policy/types';
import { editor, regionBound, roleWithChoice, roleWithUnresolvedPolicy, roleWithUnresolvedValue, viewer } from '../matchers/fixtures';

const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement.flat() });
const offending = (r: ReturnType<typeof checkReadOnly>): string[] => r.offending.map((o) => `${o.action}:${o.decision}`);

describe('checkReadOnly', () => {
  test('passes for describe/list actions only', () => {
    const r = checkReadOnly(viewer);
    expect(r).toMatchObject({ pass: true, offending: [], reasons: [], unresolved: [] });
  });

  test('fails for write actions and lists each with the statement that allows it', () => {
    const r = checkReadOnly(editor);
    expect(r.pass).toBe(false);
    expect(offending(r)).toEqual(expect.arrayContaining(['connect:UpdateInstanceStorageConfig:allowed', 's3:CreateBucket:allowed', 'kms:CreateGrant:allowed']));
    expect(offending(r)).not.toContain('kms:DescribeKey:allowed'); // Read
    expect(r.byStatement).toHaveLength(1);
    expect(r.byStatement[0]).toMatchObject({ statement: { sid: 'EditStorage', index: 1 }, allowed: r.offending.length });
    expect(r.offending[0]!.result.statements.length).toBeGreaterThan(0);
  });

  test('expands wildcards over the whole action list', () => {
    const r = checkReadOnly(doc({ Effect: 'Allow', Action: 'connect:Describe*', Resource: '*' }, { Effect: 'Allow', Action: 'connect:?ag*', Resource: '*' }));
    expect(offending(r)).toEqual(expect.arrayContaining(['connect:TagResource:allowed']));
    expect(r.offending.every((o) => o.accessLevels.includes('Tagging') || o.accessLevels.includes('Write'))).toBe(true);
  });

  test('expands NotAction over the whole action list', () => {
    const r = checkReadOnly(doc({ Effect: 'Allow', NotAction: ['iam:*', 'connect:*'], Resource: '*' }));
    expect(r.pass).toBe(false);
    expect(offending(r)).toContain('s3:PutObject:allowed');
    expect(r.offending.some((o) => o.action.startsWith('iam:') || o.action.startsWith('connect:'))).toBe(false);
  });

  test('Tagging and Permissions management count as non-read', () => {
    expect(offending(checkReadOnly(doc({ Effect: 'Allow', Action: 'connect:TagResource', Resource: '*' })))).toEqual(['connect:TagResource:allowed']);
    expect(offending(checkReadOnly(doc({ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: '*' })))).toEqual(['iam:PutRolePolicy:allowed']);
  });

  test('a certain explicit deny subtracts the action', () => {
    const r = checkReadOnly(doc({ Effect: 'Allow', Action: ['connect:DescribeInstance', 'connect:UpdateInstanceAttribute'], Resource: '*' }, { Effect: 'Deny', Action: 'connect:Update*', Resource: '*' }));
    expect(r.pass).toBe(true);
  });

  test('an uncertain deny does not subtract: the action stays conditional and fails', () => {
    const r = checkReadOnly(
      doc(
        { Effect: 'Allow', Action: ['connect:UpdateInstanceAttribute'], Resource: '*' },
        { Effect: 'Deny', Action: 'connect:Update*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-2' } } },
      ),
    );
    expect(r.pass).toBe(false);
    expect(offending(r)).toEqual(['connect:UpdateInstanceAttribute:conditional']);
  });

  test('a conditional allow of a write action fails, naming what it depends on', () => {
    const r = checkReadOnly(regionBound);
    expect(r.pass).toBe(false);
    const update = r.offending.find((o) => o.action === 'connect:UpdateInstanceAttribute')!;
    expect(update.decision).toBe('conditional');
    expect(update.result.dependsOn).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'conditionKey', key: 'aws:RequestedRegion' })]));
  });

  test('a write allowed with no condition on a narrower resource is a certain violation, on that resource', () => {
    const r = checkReadOnly(doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::reports/*' }));
    expect(offending(r)).toEqual(['s3:PutObject:allowed']);
    expect(r.offending[0]!.result).toMatchObject({ decision: 'allowed', resource: 'arn:aws:s3:::reports/*' });
    expect(r.reasons[0]).toMatch(/It allows 1 non-read action/);
  });

  test('a narrower-resource write stays conditional where a real unknown decides it', () => {
    // A condition on the Allow, a policy variable, a conditional Deny on the same resource.
    const inRegion = { StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } };
    expect(offending(checkReadOnly(doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::reports/*', Condition: inRegion })))).toEqual(['s3:PutObject:conditional']);
    expect(offending(checkReadOnly(doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' })))).toEqual(['s3:PutObject:conditional']);
    const denied = checkReadOnly(
      doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::reports/*' }, { Effect: 'Deny', Action: 's3:PutObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(offending(denied)).toEqual(['s3:PutObject:conditional']);
  });

  test('the allow option accepts named actions and patterns, and reports them', () => {
    const r = checkReadOnly(doc({ Effect: 'Allow', Action: ['connect:DescribeInstance', 'connect:UpdateInstanceAttribute', 'connect:TagResource'], Resource: '*' }), {
      allow: ['connect:updateinstanceattribute', 'connect:Tag*'],
    });
    expect(r).toMatchObject({ pass: true, accepted: ['connect:TagResource', 'connect:UpdateInstanceAttribute'].sort() });
  });

  test('an unknown name in allow throws UnknownActionError with suggestions', () => {
    expect(() => checkReadOnly(viewer, { allow: ['connect:UpdateInstanceAtribute'] })).toThrow(UnknownActionError);
    expect(() => checkReadOnly(viewer, { allow: ['connect:UpdateInstanceAtribute'] })).toThrow(/connect:UpdateInstanceAttribute/);
  });

  test('an unresolved policy fails with a reason naming it', () => {
    const r = checkReadOnly(roleWithUnresolvedPolicy());
    expect(r.pass).toBe(false);
    expect(r.unresolved).toEqual([expect.objectContaining({ kind: 'unresolvedPolicy', policy: 'SharedPolicy' })]);
    expect(r.reasons.join('\n')).toMatch(/SharedPolicy/);
  });

  test('an unresolved value counts only where it can change the answer: on a read statement it does not', () => {
    // roleWithUnresolvedValue: s3:GetObject (Read) on !GetAtt Bucket.Arn.
    const r = checkReadOnly(roleWithUnresolvedValue());
    expect(r).toMatchObject({ pass: true, unresolved: [], offending: [] });
  });

  test('an unresolved value on a write statement fails, the action naming it', () => {
    const p = roleWithUnresolvedValue();
    const document = p.policies[0]!.document as PolicyDocument;
    const writer = { ...p, policies: [{ ...p.policies[0]!, document: { ...document, Statement: [...(document.Statement as object[]), { Effect: 'Allow', Action: 's3:PutObject', Resource: new Unresolved('!GetAtt Bucket.Arn') }] } }] };
    const r = checkReadOnly(writer as never);
    expect(r.pass).toBe(false);
    expect(offending(r)).toEqual(['s3:PutObject:conditional']);
    expect(r.offending[0]!.result.dependsOn).toEqual([expect.objectContaining({ kind: 'unresolvedValue', description: '!GetAtt Bucket.Arn' })]);
  });

  test('an Fn::If on an unknown condition fails, and both branches are considered', () => {
    const r = checkReadOnly(roleWithChoice());
    expect(r.pass).toBe(false);
    expect(offending(r)).toContain('connect:UpdateInstanceAttribute:conditional');
    expect(offending(r)).not.toContain('connect:DescribeInstance:conditional'); // read: either branch is fine
    const update = r.offending.find((o) => o.action === 'connect:UpdateInstanceAttribute')!;
    expect(update.result.dependsOn).toEqual([expect.objectContaining({ kind: 'templateCondition', condition: 'IsProd' })]);
  });

  test('AWS::NoValue entries are dropped, and the rest is still checked', () => {
    const r = checkReadOnly({ Version: '2012-10-17', Statement: [NO_VALUE as never, { Effect: 'Allow', Action: ['connect:DescribeInstance', NO_VALUE as never, 'connect:UpdateInstanceAttribute'], Resource: '*' }] });
    expect(offending(r)).toEqual(['connect:UpdateInstanceAttribute:allowed']);
  });

  test('a whole document that is an Fn::If never passes (a failed check or a validation error)', () => {
    const principal = { kind: 'role' as const, id: 'R', policies: [{ name: 'P', origin: 'inline' as const, document: new Choice('IsProd', viewer, editor) }] };
    let pass: boolean;
    try {
      pass = checkReadOnly(principal).pass;
    } catch {
      pass = false; // the evaluator may refuse the document outright: also not a pass
    }
    expect(pass).toBe(false);
  });

  test('an Allow pattern that matches no known action fails closed', () => {
    const r = checkReadOnly(doc({ Effect: 'Allow', Action: ['connect:DescribeInstance', 'connect:DoSomethingNew'], Resource: '*' }));
    expect(r.pass).toBe(false);
    expect(r.unknownPatterns).toEqual([{ policy: 'policy document', index: 0, pattern: 'connect:DoSomethingNew' }]);
  });

  describe('AWS managed policies', () => {
    test('AmazonConnectReadOnlyAccess is read-only', () => {
      const r = checkReadOnly(managedPolicy('AmazonConnectReadOnlyAccess'));
      expect(r.reasons).toEqual([]);
      expect(r.pass).toBe(true);
    });

    test('AmazonConnect_FullAccess is not, and write actions are named', () => {
      const r = checkReadOnly(managedPolicy('AmazonConnect_FullAccess'));
      expect(r.pass).toBe(false);
      expect(r.offending.map((o) => o.action)).toEqual(expect.arrayContaining(['connect:CreateInstance', 'connect:DeleteInstance', 'ds:CreateAlias']));
    });
  });
});
