/**
 * Issue 9 item 2 through the built bin: `explain --resource` (repeatable, plain ARNs or
 * service=ARN) and rules with `resource:` (an ARN, a list, or a map by service) apply each
 * resource to the actions whose resource types it fits; every other action stays at any
 * resource. An ARN that fits no action asked about is a usage error (exit 2).
 * Resource types and ARN formats per action: the Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bin, tempDir, writeTree } from './helpers';

const INSTANCE = 'arn:aws:connect:eu-west-2:111122223333:instance/abcd';
const BUCKET = 'arn:aws:s3:::recordings';
const KEY = 'arn:aws:kms:eu-west-2:111122223333:key/k1';

/**
 * A policy file (any account: the same-account model of templates does not apply) that can
 * really edit call recording on instance abcd: Connect on the instance, S3 on the bucket, KMS on the key.
 */
const policy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "List",
      "Effect": "Allow",
      "Action": [
        "connect:ListInstances",
        "ds:DescribeDirectories",
        "s3:ListAllMyBuckets",
        "kms:ListAliases"
      ],
      "Resource": "*"
    },
    {
      "Sid": "Instance",
      "Effect": "Allow",
      "Action": [
        "connect:DescribeInstance",
        "connect:ListInstanceStorageConfigs",
        "connect:DescribeInstanceStorageConfig",
        "connect:AssociateInstanceStorageConfig",
        "connect:UpdateInstanceStorageConfig",
        "connect:DisassociateInstanceStorageConfig"
      ],
      "Resource": "${INSTANCE}"
    },
    {
      "Sid": "Bucket",
      "Effect": "Allow",
      "Action": [
        "s3:GetBucketLocation",
        "s3:GetBucketAcl",
        "s3:CreateBucket"
      ],
      "Resource": "${BUCKET}"
    },
    {
      "Sid": "Key",
      "Effect": "Allow",
      "Action": [
        "kms:CreateGrant",
        "kms:DescribeKey",
        "kms:RetireGrant"
      ],
      "Resource": "${KEY}"
    }
  ]
}
`;

let dir: string;
beforeAll(() => {
  dir = writeTree(tempDir('jci-resource-'), { 'policies/recordings.json': policy });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TASK = 'Data storage / Edit call recording';

describe('explain --resource', () => {
  test('before: the Connect ARN was asked of s3:GetBucketLocation too ("not granted"); now only of the Connect actions', () => {
    const r = bin(['explain', 'policies/recordings.json', 'recordings.json', TASK, '--resource', INSTANCE], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/: conditional/);
    expect(r.stdout).not.toMatch(/s3:GetBucketLocation[^\n]* on arn:aws:connect/);
    expect(r.stdout).toContain(`to pin the resources: --resource 'connect=${INSTANCE}' --resource 's3=${BUCKET}' --resource 'kms=${KEY}'`);
  });

  test('repeated --resource (plain and service=ARN) pins every action: granted', () => {
    const r = bin(['explain', 'policies/recordings.json', 'recordings.json', TASK, '--resource', INSTANCE, '--resource', `s3=${BUCKET}`, '--resource', `kms=${KEY}`], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\(data-storage\/call-recording\/edit\): granted/);
    const json = bin(['explain', 'policies/recordings.json', 'recordings.json', TASK, '--resource', INSTANCE, '--resource', BUCKET, '--resource', KEY, '--format', 'json'], { cwd: dir });
    expect(JSON.parse(json.stdout).result.granted).toBe('yes');
  });

  test('the hint, followed as written, makes the answer certain', () => {
    const first = bin(['explain', 'policies/recordings.json', 'recordings.json', TASK], { cwd: dir });
    const flags = /to pin the resources: (.*)/.exec(first.stdout)![1]!.match(/'[^']+'/g)!.flatMap((q) => ['--resource', q.slice(1, -1)]);
    const r = bin(['explain', 'policies/recordings.json', 'recordings.json', TASK, ...flags], { cwd: dir });
    expect(r.stdout).toMatch(/: granted/);
  });

  test('an action: the resource applies when it fits; one that fits no action is exit 2 naming the services', () => {
    const ok = bin(['explain', 'policies/recordings.json', 'recordings.json', 's3:GetBucketLocation', '--resource', BUCKET], { cwd: dir });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/s3:GetBucketLocation on arn:aws:s3:::recordings: allowed/);
    const bad = bin(['explain', 'policies/recordings.json', 'recordings.json', 's3:GetBucketLocation', '--resource', INSTANCE], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/fits no action of s3:GetBucketLocation[^\n]*s3 \(accesspoint, bucket\)/);
    const task = bin(['explain', 'policies/recordings.json', 'recordings.json', TASK, '--resource', 'arn:aws:sqs:eu-west-2:111122223333:q'], { cwd: dir });
    expect(task.status).toBe(2);
    expect(task.stderr).toMatch(/fits no action of console task 'Data storage \/ Edit call recording'[^\n]*connect \(instance\), s3 \(accesspoint, bucket\), kms \(key\)/);
  });

  test('a bad service key or an ARN under the wrong service is exit 2', () => {
    const r = bin(['explain', 'policies/recordings.json', 'recordings.json', TASK, '--resource', `conect=${INSTANCE}`], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/'conect' is not an IAM service prefix/);
    const w = bin(['explain', 'policies/recordings.json', 'recordings.json', TASK, '--resource', `s3=${INSTANCE}`], { cwd: dir });
    expect(w.status).toBe(2);
    expect(w.stderr).toMatch(/is an ARN of service 'connect', not 's3'/);
  });
});

describe('rules file resource: (check, built bin)', () => {
  const run = (rules: string): ReturnType<typeof bin> => {
    fs.writeFileSync(path.join(dir, 'jest-connect-iam.rules.yaml'), rules);
    return bin(['check', '--cwd', dir], { cwd: dir });
  };

  test('before: notGrantConsoleTasks with the Connect ARN held (false green); now it is a violation', () => {
    const r = run(`version: 1
rules:
  - name: no-recording-edits
    select: { principals: [recordings.json] }
    resource: ${INSTANCE}
    expect:
      notGrantConsoleTasks: [${TASK}]
`);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL no-recording-edits/);
  });

  test('a map by service: grantConsoleTasks holds, notGrantConsoleTasks fails', () => {
    const rules = (key: string): string => `version: 1
rules:
  - name: recording-admins
    select: { principals: [recordings.json] }
    resource:
      connect: ${INSTANCE}
      s3: [${BUCKET}]
      kms: ${KEY}
    expect:
      ${key}: [${TASK}]
      allowActions: [s3:GetBucketLocation, kms:DescribeKey]
`;
    const ok = run(rules('grantConsoleTasks'));
    expect(ok.stdout).toMatch(/1 hold, 0 violations/);
    expect(ok.status).toBe(0);
    expect(run(rules('notGrantConsoleTasks')).status).toBe(1);
  });

  test('a list of ARNs works too', () => {
    const r = run(`version: 1
rules:
  - name: recording-admins
    select: { principals: [recordings.json] }
    resource: [${INSTANCE}, ${BUCKET}, ${KEY}]
    expect:
      grantConsoleTasks: [${TASK}]
`);
    expect(r.status).toBe(0);
  });

  test('a resource that fits no action of the rule, or a bad service key, is an error with its line (exit 2)', () => {
    const r = run(`version: 1
rules:
  - name: recording-admins
    select: { principals: [recordings.json] }
    resource: arn:aws:sqs:eu-west-2:111122223333:q
    expect:
      grantConsoleTasks: [${TASK}]
`);
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/jest-connect-iam\.rules\.yaml:5:\d+: rules\[0\]\.resource: 'arn:aws:sqs:eu-west-2:111122223333:q' fits no action of rule 'recording-admins'/);
    const k = run(`version: 1
rules:
  - name: recording-admins
    select: { principals: [recordings.json] }
    resource: { s4: ${BUCKET} }
    expect:
      grantConsoleTasks: [${TASK}]
`);
    expect(k.status).toBe(2);
    expect(k.stdout + k.stderr).toMatch(/'s4' is not an IAM service prefix: did you mean [^?]*'s3'/);
    const t = run(`version: 1
rules:
  - name: recording-admins
    select: { principals: [recordings.json] }
    resource: { s3: 42 }
    expect:
      grantConsoleTasks: [${TASK}]
`);
    expect(t.status).toBe(2);
    expect(t.stdout + t.stderr).toMatch(/rules\.yaml:5:\d+: /);
  });
});
