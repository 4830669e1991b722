/**
 * Guardrails through the public entry points: option checks (typed errors), the SCP and RCP
 * grammar, the loaders (describe-policy output, KMS key and S3 bucket policies from a
 * template, the role's path / ARN / account), checkConsoleTask, and the matchers and
 * analyses on the effective allow set after guardrails.
 *   Policy evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 *   SCP syntax: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 *   RCP syntax: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
 *   KMS key policies: https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 */
import * as path from 'node:path';
import '../../../matchers';
import {
  checkConsoleTask,
  checkReadOnly,
  evaluate,
  loadOrganizationPolicy,
  loadResourcePolicy,
  loadTemplate,
  PolicyValidationError,
  UsageError,
} from '../../../src';
import { renderEvaluationEvidence } from '../../../src/report/evidence';

const fixture = (f: string): string => path.join(__dirname, 'fixtures', f);
const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

describe('loaders', () => {
  test('describe-policy output: name, id, type and the line of every statement', () => {
    const scp = loadOrganizationPolicy(fixture('deny-connect-outside-eu.describe-policy.json'));
    expect(scp).toMatchObject({ name: 'DenyConnectOutsideEU', id: 'p-examplescp1', type: 'SERVICE_CONTROL_POLICY' });
    const r = evaluate(allowAll, 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'us-east-1' }, organization: { scps: [['FullAWSAccess', scp]] } });
    expect(r.decision).toBe('explicitDeny');
    expect(renderEvaluationEvidence(r).join('\n')).toMatch(/SCP "DenyConnectOutsideEU" attached at root \(.*deny-connect-outside-eu\.describe-policy\.json:\d+\) Statement\[1\] "DenyOutsideEU"/);
  });

  test('a plain SCP document keeps file:line per statement', () => {
    const scp = loadOrganizationPolicy(fixture('deny-kms-grants.json'));
    const r = evaluate(allowAll, 'kms:CreateGrant', { context: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' }, organization: { scps: [{ name: 'ou-prod', policies: [scp] }] } });
    expect(r.decision).toBe('explicitDeny');
    expect(renderEvaluationEvidence(r).join('\n')).toContain('deny-kms-grants.json:10) Statement[1] "NoGrantsOutsideConnect"');
  });

  test('an SCP with a Principal element is refused with its file and JSON path', () => {
    const scp = loadOrganizationPolicy(fixture('scp-with-principal.json'));
    expect(() => evaluate(allowAll, 's3:GetObject', { organization: { scps: [[scp]] } })).toThrow(PolicyValidationError);
    expect(() => evaluate(allowAll, 's3:GetObject', { organization: { scps: [[scp]] } })).toThrow(/cannot have a Principal element/);
  });

  test('an RCP must have Principal "*"', () => {
    const rcp = { name: 'Narrow', document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { AWS: '111122223333' }, Action: 's3:*', Resource: '*' }] } };
    expect(() => evaluate(allowAll, 's3:GetObject', { organization: { rcps: [[rcp]] } })).toThrow(/must have "Principal": "\*"/);
  });

  test('a template: KMS key policy and bucket policy, role path, ARN and account', () => {
    const t = loadTemplate(fixture('recordings.yaml'), { pseudo: { AccountId: '111122223333' } });
    expect(t.resourcePolicies.map((r) => [r.name, r.service, r.resource ?? r.unresolvedResource])).toEqual([
      ['RecordingsKey', 'kms', '!GetAtt RecordingsKey.Arn'],
      ['RecordingsBucketPolicy', 's3', 'arn:aws:s3:::acme-connect-recordings'],
    ]);
    const admin = t.principal('ConnectAdminRole');
    expect(admin).toMatchObject({ path: '/', arn: 'arn:aws:iam::111122223333:role/ConnectAdmin', account: '111122223333' });
    expect(t.principal('ConnectServiceLinkedRole').path).toBe('/aws-service-role/connect.amazonaws.com/');
    expect(() => t.resourcePolicy('RecordingKey')).toThrow(/RecordingsKey/);

    const key = 'arn:aws:kms:eu-west-2:111122223333:key/1234';
    // The key ARN is generated at deploy time: the key policy may govern any key; it enables
    // IAM policies, so whether it governs this key or not, the identity policy counts.
    const unknown = evaluate(admin, 'kms:CreateGrant', { resource: key, resourcePolicies: [t.resourcePolicy('RecordingsKey')] });
    expect(unknown.decision).toBe('allowed');
    const known = evaluate(admin, 'kms:CreateGrant', { resource: key, resourcePolicies: { [key]: t.resourcePolicy('RecordingsKey') } });
    expect(known.decision).toBe('allowed');
    expect(renderEvaluationEvidence(known).join('\n')).toContain('allowed only because the key policy of RecordingsKey grants the account');
    // The bucket policy's explicit deny of insecure transport.
    const insecure = evaluate(admin, 's3:GetObject', { resource: 'arn:aws:s3:::acme-connect-recordings/a.wav', context: { 'aws:SecureTransport': 'false' }, resourcePolicies: t.resourcePolicies });
    expect(insecure.decision).toBe('explicitDeny');
    expect(insecure.guardrails?.map((n) => n.sentence)).toContain('denied by the bucket policy of RecordingsBucketPolicy');
  });

  test('loadResourcePolicy reads a key policy file for an ARN', () => {
    const rp = loadResourcePolicy(fixture('deny-kms-grants.json'), { resource: 'arn:aws:kms:eu-west-2:111122223333:key/1234' });
    expect(rp).toMatchObject({ service: 'kms', account: '111122223333', resource: 'arn:aws:kms:eu-west-2:111122223333:key/1234' });
  });
});

describe('options are checked', () => {
  test.each([
    [{ organization: { scp: [] } }, /unknown key 'scp'/],
    [{ organization: { scps: 'FullAWSAccess' } }, /must be a list of levels/],
    [{ organization: { scps: [[42]] } }, /expected a policy document/],
    [{ organization: { managementAccount: 'yes' } }, /must be a boolean/],
    [{ resourcePolicies: { 'not-an-arn': allowAll } }, /must be the ARN/],
    [{ session: 42 }, /options.session/],
    [{ organisation: {} }, /unknown option 'organisation'/],
  ])('%j', (options, message) => {
    expect(() => evaluate(allowAll, 'connect:DescribeInstance', options as never)).toThrow(UsageError);
    expect(() => evaluate(allowAll, 'connect:DescribeInstance', options as never)).toThrow(message);
  });
});

describe('console checks, matchers and analyses', () => {
  const regionLock = loadOrganizationPolicy(fixture('deny-connect-outside-eu.describe-policy.json'));
  const organization = { scps: [{ name: 'root', policies: ['FullAWSAccess'] }, { name: 'ou-prod', policies: ['FullAWSAccess', regionLock] }, { name: 'account', policies: ['FullAWSAccess'] }] };

  test('checkConsoleTask applies the organization to every action', () => {
    const denied = checkConsoleTask(allowAll, 'Overview', 'Create service-linked role', { organization, context: { 'aws:RequestedRegion': 'us-east-1' } });
    expect(denied.granted).toBe('no');
    const ok = checkConsoleTask(allowAll, 'Overview', 'Create service-linked role', { organization, context: { 'aws:RequestedRegion': 'eu-west-2' } });
    expect(ok.granted).toBe('yes');
  });

  test('the matcher fails naming the SCP, and .not passes', () => {
    const options = { organization, context: { 'aws:RequestedRegion': 'us-east-1' } };
    expect(allowAll).not.toGrantConsoleTask('Telephony', 'View telephony options', options);
    let message = '';
    try {
      expect(allowAll).toGrantConsoleTask('Telephony', 'View telephony options', options);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('denied by SCP "DenyConnectOutsideEU" attached at ou-prod');
    expect(message).toMatch(/deny-connect-outside-eu\.describe-policy\.json:\d+\) Statement\[1\] "DenyOutsideEU"/);
  });

  test('a guardrail that depends on a missing condition key fails both directions', () => {
    expect(() => expect(allowAll).toAllowAction('connect:DescribeInstance', { organization })).toThrow(/aws:RequestedRegion/);
    expect(() => expect(allowAll).not.toAllowAction('connect:DescribeInstance', { organization })).toThrow(/aws:RequestedRegion/);
  });

  test('toBeReadOnly works on the effective allow set: an SCP that allows only reads makes a writer read-only', () => {
    const readsOnly = { name: 'ReadOnlyGuardrail', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['connect:Describe*', 'connect:List*', 'connect:Get*'], Resource: '*' }] } };
    const writer = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:*', Resource: '*' }] };
    expect(writer).not.toBeReadOnly();
    expect(writer).toBeReadOnly({ organization: { scps: [[readsOnly]] } });
    expect(checkReadOnly(writer, { organization: { scps: [[readsOnly]] } }).pass).toBe(true);
  });

  test('toBeReadOnly: a bucket policy that grants the role a write makes it not read-only', () => {
    const reader = { kind: 'role' as const, id: 'Reader', arn: 'arn:aws:iam::111122223333:role/Reader', account: '111122223333', policies: [{ name: 'ro', origin: 'document' as const, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:Describe*', Resource: '*' }] } }] };
    expect(reader).toBeReadOnly();
    const resourcePolicies = { 'arn:aws:s3:::acme-connect-recordings': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/Reader' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-connect-recordings/*' }] } };
    const check = checkReadOnly(reader, { resourcePolicies });
    expect(check.pass).toBe(false);
    expect(check.offending.map((o) => o.action)).toContain('s3:PutObject');
  });

  test('toStayWithin compares the effective set: an SCP removes what the baseline does not have', () => {
    const writer = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'connect:*', Resource: '*' }] };
    const onlyReads = { name: 'OnlyReads', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['connect:Describe*', 'connect:List*'], Resource: '*' }] } };
    const baseline = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: ['connect:Describe*', 'connect:List*'], Resource: '*' }] };
    expect(writer).not.toStayWithin(baseline);
    expect(writer).toStayWithin(baseline, { organization: { scps: [[onlyReads]] } });
  });
});
