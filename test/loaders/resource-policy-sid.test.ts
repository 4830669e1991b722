/**
 * IAM's Sid rule (ASCII letters and digits, unique in the policy:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html) is for
 * identity policies. A KMS key policy follows KMS's rules: AWS's own default key policy has the Sid
 * "Enable IAM User Permissions" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html),
 * so a template holding it deploys and must load; its key policy is still read as a resource policy.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PolicyValidationError, loadTemplate } from '../../src';

function write(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-sid-'));
  const file = path.join(dir, 't.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const template = (roleSid: string) => `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Enable IAM User Permissions
            Effect: Allow
            Principal: { AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root' }
            Action: 'kms:*'
            Resource: '*'
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: connect.amazonaws.com }, Action: 'sts:AssumeRole' }] }
      Policies:
        - PolicyName: p
          PolicyDocument: { Version: '2012-10-17', Statement: [{ Sid: '${roleSid}', Effect: Allow, Action: 'kms:DescribeKey', Resource: '*' }] }
`;

test('a key policy Sid with spaces loads; the key policy is a resource policy of the template', () => {
  const t = loadTemplate(write(template('Describe')));
  expect(t.resourcePolicy('Key').service).toBe('kms');
  expect(t.principal('Role').policies).toHaveLength(1);
});

test('the same Sid in an identity policy is still refused, with its line', () => {
  let error: unknown;
  try {
    loadTemplate(write(template('Describe the key')));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PolicyValidationError);
  expect((error as PolicyValidationError).message).toMatch(/t\.yaml:19:\d+: .*Sid 'Describe the key' contains ' '/);
});
