/**
 * An AWS Organization with a region-lock SCP at ou-prod and a Connect admin role in a member
 * account: the role's own policies grant the console task in any region, the SCP denies it
 * outside the EU, and the failure message names the SCP, where it is attached, and its line.
 * Policy evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * SCPs: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * KMS key policies: https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 */
import 'jest-connect-iam/matchers';
import * as path from 'node:path';
import { evaluate, loadOrganizationPolicy, loadTemplate } from 'jest-connect-iam';

const dir = path.join(__dirname, '../organization');
const template = loadTemplate(path.join(dir, 'connect-org-admin.yaml'), { pseudo: { AccountId: '111122223333' } });
const admin = template.principal('ConnectOrgAdminRole');
const regionLock = loadOrganizationPolicy(path.join(dir, 'scps/deny-connect-outside-eu.json'));
const organization = {
  scps: [
    { name: 'root', policies: ['FullAWSAccess'] },
    { name: 'ou-prod', policies: ['FullAWSAccess', regionLock] },
    { name: 'account', policies: ['FullAWSAccess'] },
  ],
};
const task = ['Telephony', 'Enable/Disable telephony options'] as const;
const usEast = { 'aws:RequestedRegion': 'us-east-1' };

test("the role's policies alone grant the task, in any region", () => {
  expect(admin).toGrantConsoleTask(...task, { context: usEast });
});

test('the region-lock SCP denies it in us-east-1, and the failure names the SCP', () => {
  expect(admin).not.toGrantConsoleTask(...task, { organization, context: usEast });
  expect(() => expect(admin).toGrantConsoleTask(...task, { organization, context: usEast })).toThrow(
    /denied by SCP "DenyConnectOutsideEU" attached at ou-prod[\s\S]*deny-connect-outside-eu\.json:\d+\) Statement\[1\] "DenyConnectOutsideEU"/,
  );
});

test('in eu-west-2 the SCP allows it', () => {
  expect(admin).toGrantConsoleTask(...task, { organization, context: { 'aws:RequestedRegion': 'eu-west-2' } });
});

test('without the region, the answer depends on it: both directions fail and say what to pin', () => {
  expect(() => expect(admin).toGrantConsoleTask(...task, { organization })).toThrow(/aws:RequestedRegion/);
  expect(() => expect(admin).not.toGrantConsoleTask(...task, { organization })).toThrow(/aws:RequestedRegion/);
});

test('kms:CreateGrant counts only because the key policy of RecordingsKey grants the account', () => {
  const key = 'arn:aws:kms:eu-west-2:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  const resourcePolicies = { [key]: template.resourcePolicy('RecordingsKey') };
  expect(admin).toAllowAction('kms:CreateGrant', { resource: key, resourcePolicies, organization });
  expect(evaluate(admin, 'kms:CreateGrant', { resource: key, resourcePolicies }).reasons.join('\n')).toContain('the key policy of RecordingsKey grants the account');
});
