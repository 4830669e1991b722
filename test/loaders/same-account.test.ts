/**
 * Issue 9 item 7 (same account): `${AWS::AccountId}` in a template is the account the
 * principal lives in ("AWS::AccountId: Returns the AWS account ID of the account in which the
 * stack is being created", https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html),
 * and the console acts on that account's resources. For a principal from a template the asked
 * resource `*` is "any resource in the principal's own account". A region that is unknown
 * stays unknown; a literal account compared with the symbolic own account is unknown unless
 * `pseudo.AccountId` is given; a resource given explicitly is taken as given.
 */
import { checkConsoleTask, evaluate, loadTemplate } from '../../src';
import { tempFile } from './helpers';

const template = (resource: string, effect = 'Allow', extra = ''): string => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: admin
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [connect:ListInstances, ds:DescribeDirectories]
                Resource: '*'
              - Effect: ${effect}
                Action: connect:*
                Resource: ${resource}
${extra}`;

const OWN = '!Sub "arn:${AWS::Partition}:connect:*:${AWS::AccountId}:instance/*"';
const load = (text: string, accountId?: string) => loadTemplate(tempFile('t.yaml', text), accountId ? { pseudo: { AccountId: accountId } } : {}).principal('AdminRole');

describe('same-account model', () => {
  test('before: conditional; now ${AWS::AccountId} instances cover the console\'s instances with certainty', () => {
    const role = load(template(OWN));
    expect(role.ownAccount).toEqual({});
    expect(evaluate(role, 'connect:DescribeInstance').decision).toBe('allowed');
    expect(role).toGrantConsoleTask('Data storage', 'View call recording');
  });

  test('a Deny on the own account\'s instances is certain too', () => {
    const role = load(template('"*"', 'Allow', `      ManagedPolicyArns: []\n`).replace('Action: connect:*\n                Resource: "*"', 'Action: connect:*\n                Resource: "*"\n              - Effect: Deny\n                Action: connect:DescribeInstance\n                Resource: ' + OWN));
    expect(evaluate(role, 'connect:DescribeInstance').decision).toBe('explicitDeny');
    // The engine's answer is certain (the matchers' .not follows it once unknowns count only where relevant: issue 9 item 3).
    expect(checkConsoleTask(role, 'Data storage', 'View call recording').granted).toBe('no');
  });

  test('a literal account compared with the symbolic own account is unknown, and names AWS::AccountId', () => {
    const role = load(template('arn:aws:connect:*:111122223333:instance/*'));
    const r = evaluate(role, 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toContainEqual({ kind: 'unresolvedValue', description: 'AWS::AccountId' });
    // A literal-account Deny can never be read as "does not apply".
    const denied = load(template('"*"').replace("Resource: '*'\n              - Effect: Allow\n                Action: connect:*\n                Resource: \"*\"", "Resource: '*'\n              - Effect: Allow\n                Action: connect:*\n                Resource: '*'\n              - Effect: Deny\n                Action: connect:*\n                Resource: arn:aws:connect:*:111122223333:instance/*"));
    expect(evaluate(denied, 'connect:DescribeInstance').decision).toBe('conditional');
  });

  test('pseudo.AccountId decides: the same account covers, another account does not', () => {
    expect(evaluate(load(template('arn:aws:connect:*:111122223333:instance/*'), '111122223333'), 'connect:DescribeInstance').decision).toBe('allowed');
    expect(evaluate(load(template('arn:aws:connect:*:111122223333:instance/*'), '444455556666'), 'connect:DescribeInstance').decision).toBe('implicitDeny');
    expect(load(template(OWN), '111122223333').ownAccount).toEqual({ id: '111122223333' });
    expect(evaluate(load(template(OWN), '111122223333'), 'connect:DescribeInstance').decision).toBe('allowed');
  });

  test('a region that is unknown stays unknown', () => {
    const role = load(template('!Sub "arn:${AWS::Partition}:connect:${AWS::Region}:${AWS::AccountId}:instance/*"'));
    const r = evaluate(role, 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toContainEqual({ kind: 'unresolvedValue', description: 'AWS::Region' });
  });

  test('a resource given explicitly is taken as given', () => {
    const role = load(template(OWN));
    // A literal account: it may or may not be the stack's account.
    const lit = evaluate(role, 'connect:DescribeInstance', { resource: 'arn:aws:connect:eu-west-2:111122223333:instance/abcd' });
    expect(lit.decision).toBe('conditional');
    expect(lit.dependsOn).toContainEqual({ kind: 'unresolvedValue', description: 'AWS::AccountId' });
    // Any account: the statement covers only the own account's part of it.
    const any = evaluate(role, 'connect:DescribeInstance', { resource: 'arn:aws:connect:*:*:instance/*' });
    expect(any.decision).toBe('conditional');
    expect(any.dependsOn.some((d) => d.kind === 'resource')).toBe(true);
    // Another service's ARN is a certain non-match whatever the account.
    expect(evaluate(role, 'connect:DescribeInstance', { resource: 'arn:aws:connect:eu-west-2:111122223333:instance/abcd' }).decision).not.toBe('implicitDeny');
    expect(checkConsoleTask(load(template(OWN), '111122223333'), 'Data storage', 'View call recording', { resource: 'arn:aws:connect:eu-west-2:111122223333:instance/abcd' }).granted).toBe('yes');
  });

  test('documents and policy files keep "any account"', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:*', Resource: 'arn:aws:connect:*:111122223333:instance/*' }] };
    const r = evaluate(doc, 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn.some((d) => d.kind === 'resource')).toBe(true);
  });

  test('resources with no account segment (S3 buckets) are unchanged', () => {
    const role = load(template('"*"').replace('Action: connect:*\n                Resource: "*"', 'Action: s3:GetBucketLocation\n                Resource: !Sub "arn:${AWS::Partition}:s3:::recordings-${AWS::AccountId}"'));
    expect(evaluate(role, 's3:GetBucketLocation').decision).toBe('conditional');
  });
});
