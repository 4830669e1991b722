/** Real results pinned against the bundled AWS managed policies. */
import { checkConsolePage, checkConsoleTask, evaluate } from '../../src/evaluator';
import { managedPolicy } from '../../src/managed';
import { UnknownCatalogEntryError } from '../../src/errors';

/** The custom statement from the seed page ("AttachAnyPolicyToAmazonConnectRole"). */
const putRolePolicy = {
  Version: '2012-10-17',
  Statement: [{
    Sid: 'AttachAnyPolicyToAmazonConnectRole',
    Effect: 'Allow',
    Action: 'iam:PutRolePolicy',
    Resource: 'arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*',
  }],
};

describe('AmazonConnectReadOnlyAccess', () => {
  const readOnly = managedPolicy('AmazonConnectReadOnlyAccess');

  test('grants "Data storage / View call recording"', () => {
    const r = checkConsoleTask(readOnly, 'Data storage', 'View call recording');
    expect(r.granted).toBe('yes');
    expect(r.actions.every((a) => a.result.decision === 'allowed')).toBe(true);
    expect(r.actions.some((a) => a.role === 'prerequisite')).toBe(true);
  });

  test('denies "Federations / Admin/Emergency federation" explicitly', () => {
    const r = checkConsoleTask(readOnly, 'Federations', 'Admin/Emergency federation');
    expect(r.granted).toBe('no');
    const denied = r.actions.find((a) => a.result.decision === 'explicitDeny');
    expect(denied?.action).toBe('connect:AdminGetEmergencyAccessToken');
    expect(denied?.result.statements[0]).toEqual(expect.objectContaining({ effect: 'Deny', policy: 'AmazonConnectReadOnlyAccess', applies: 'yes' }));
  });
});

describe('AmazonConnect_FullAccess', () => {
  const full = managedPolicy('AmazonConnect_FullAccess');

  test('plus the seed page\'s iam:PutRolePolicy statement grants "Overview / Create service-linked role"', () => {
    const r = checkConsoleTask([full, putRolePolicy], 'Overview', 'Create service-linked role');
    expect(r.granted).toBe('yes');
    const put = r.actions.find((a) => a.action === 'iam:PutRolePolicy');
    expect(put?.resource).toBe('arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*');
    expect(put?.result.statements[0]?.sid).toBe('AttachAnyPolicyToAmazonConnectRole');
    const slr = r.actions.find((a) => a.action === 'iam:CreateServiceLinkedRole');
    expect(slr?.result.decision).toBe('allowed');
  });

  test('alone does not grant "Overview / Create service-linked role" (no iam:PutRolePolicy)', () => {
    const r = checkConsoleTask(full, 'Overview', 'Create service-linked role');
    expect(r.granted).toBe('no');
    expect(r.actions.filter((a) => a.result.decision !== 'allowed').map((a) => a.action)).toEqual(['iam:PutRolePolicy']);
  });

  test('alone does not grant "Home / Create instance", and the result names kms:CreateGrant', () => {
    const r = checkConsoleTask(full, 'Home', 'Create instance');
    expect(r.granted).toBe('no');
    const grant = r.actions.find((a) => a.action === 'kms:CreateGrant');
    expect(grant?.result.decision).toBe('implicitDeny');
    expect(grant?.result.reasons[0]).toMatch(/No statement allows kms:CreateGrant/);
  });

  test('the user context wins over the catalog context', () => {
    const r = checkConsoleTask(full, 'Overview', 'Create service-linked role', { context: { 'iam:AWSServiceName': 'other.amazonaws.com' } });
    expect(r.actions.find((a) => a.action === 'iam:CreateServiceLinkedRole')?.result.decision).toBe('implicitDeny');
  });

  test('options.resource applies to actions whose catalog resource is "*"', () => {
    const r = checkConsoleTask(full, 'Data storage', 'View call recording', { resource: 'arn:aws:connect:us-east-1:111122223333:instance/abc' });
    expect(r.actions.map((a) => a.resource)).toContain('arn:aws:connect:us-east-1:111122223333:instance/abc');
    expect(r.granted).toBe('yes');
  });

  test('evaluate() on a managed policy object', () => {
    expect(evaluate(full, 'connect:DescribeInstance').decision).toBe('allowed');
    expect(evaluate(full, 's3:CreateBucket').decision).toBe('conditional');
    expect(evaluate(full, 's3:CreateBucket', { resource: 'arn:aws:s3:::amazon-connect-abc' }).decision).toBe('allowed');
  });
});

describe('checkConsolePage', () => {
  test('every task of the page, with a granted flag', () => {
    const results = checkConsolePage(managedPolicy('AmazonConnectReadOnlyAccess'), 'Federations');
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => r.granted)).toContain('no');
  });

  test('prerequisites can be left out', () => {
    const r = checkConsoleTask(managedPolicy('AmazonConnectReadOnlyAccess'), 'Data storage', 'View call recording', { prerequisites: false });
    expect(r.actions.every((a) => a.role === 'own')).toBe(true);
  });

  test('an unknown page or task is an error with suggestions', () => {
    expect(() => checkConsoleTask({ Statement: [] }, 'Data storag', 'View call recording')).toThrow(UnknownCatalogEntryError);
    expect(() => checkConsolePage({ Statement: [] }, 'Nope')).toThrow(UnknownCatalogEntryError);
  });
});
