/**
 * Issue 9 item 2: a given `resource` applies to the actions whose resource types it fits
 * (the IAM data's ARN formats); every other action stays at "any resource". Several
 * resources: a list, or a map by service. An ARN that fits no action is a usage error.
 *
 * AWS: a request is authorised against the resource of each action, and each action's
 * resource types (and their ARN formats) are listed in the Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * (e.g. s3:GetBucketLocation acts on a bucket `arn:${Partition}:s3:::${BucketName}`, never on a
 * Connect instance).
 */
import { checkConsoleTask, rules, toPrincipal, UsageError } from '../../src';
import { failureOf } from './helpers';

const INSTANCE = 'arn:aws:connect:eu-west-2:111122223333:instance/abcd';
const BUCKET = 'arn:aws:s3:::recordings';
const KEY = 'arn:aws:kms:eu-west-2:111122223333:key/k1';

/** Can really edit call recording on instance abcd: Connect on the instance, S3 on the bucket, KMS on the key. */
const recordingAdmin = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'List', Effect: 'Allow', Action: ['connect:ListInstances', 'ds:DescribeDirectories', 's3:ListAllMyBuckets', 'kms:ListAliases'], Resource: '*' },
    {
      Sid: 'Instance',
      Effect: 'Allow',
      Action: [
        'connect:DescribeInstance',
        'connect:ListInstanceStorageConfigs',
        'connect:DescribeInstanceStorageConfig',
        'connect:AssociateInstanceStorageConfig',
        'connect:UpdateInstanceStorageConfig',
        'connect:DisassociateInstanceStorageConfig',
      ],
      Resource: INSTANCE,
    },
    { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetBucketAcl', 's3:CreateBucket'], Resource: BUCKET },
    { Sid: 'Key', Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant'], Resource: KEY },
  ],
} as const;

/** The same, but no KMS grant at all: certainly cannot edit call recording. */
const noKms = { ...recordingAdmin, Statement: recordingAdmin.Statement.filter((s) => s.Sid !== 'Key') };

describe('resource applies to the actions it fits (issue 9 item 2)', () => {
  test('before: .not passed for a role that can edit call recording; now it fails', () => {
    const message = failureOf(() =>
      expect(recordingAdmin).not.toGrantConsoleTask('Data storage', 'Edit call recording', { resource: INSTANCE }),
    );
    // S3 and KMS actions stay at "any resource" (conditional), they are not asked about the Connect ARN.
    expect(message).toMatch(/s3:GetBucketLocation[^\n]*conditional/);
    expect(message).not.toMatch(/s3:GetBucketLocation on arn:aws:connect/);
  });

  test('the one ARN is asked only of the Connect actions', () => {
    const r = checkConsoleTask(recordingAdmin, 'Data storage', 'Edit call recording', { resource: INSTANCE });
    for (const a of r.actions) {
      if (a.action.startsWith('connect:') && a.action !== 'connect:ListInstances') expect(a.resource).toBe(INSTANCE);
      else expect(a.resource).toBe('*');
    }
    expect(r.actions.find((a) => a.action === 'connect:UpdateInstanceStorageConfig')!.result.decision).toBe('allowed');
    expect(r.granted).toBe('conditional');
  });

  test('a map by service pins every action: granted', () => {
    expect(recordingAdmin).toGrantConsoleTask('Data storage', 'Edit call recording', { resource: { connect: INSTANCE, s3: BUCKET, kms: KEY } });
    expect(recordingAdmin).not.toGrantConsoleTask('Data storage', 'Edit call recording', { resource: { connect: 'arn:aws:connect:eu-west-2:111122223333:instance/other', s3: BUCKET, kms: KEY } });
  });

  test('a list of ARNs works like the map', () => {
    expect(recordingAdmin).toGrantConsoleTask('Data storage', 'Edit call recording', { resource: [INSTANCE, BUCKET, KEY] });
    expect(noKms).not.toGrantConsoleTask('Data storage', 'Edit call recording', { resource: [INSTANCE, BUCKET, KEY] });
  });

  test('an action two given resources fit is asked about each of them: allowed on one and denied on the other passes neither form', () => {
    const other = 'arn:aws:connect:eu-west-2:111122223333:instance/other';
    const r = checkConsoleTask(recordingAdmin, 'Data storage', 'Edit call recording', { resource: [INSTANCE, other, BUCKET, KEY] });
    const update = r.actions.filter((a) => a.action === 'connect:UpdateInstanceStorageConfig');
    expect(update.map((a) => [a.resource, a.result.decision])).toEqual([
      [INSTANCE, 'allowed'],
      [other, 'implicitDeny'],
    ]);
    // Granted on instance abcd, not on instance other: .not must not pass (that would hide abcd).
    expect(r.granted).toBe('conditional');
    expect(() => expect(recordingAdmin).not.toGrantConsoleTask('Data storage', 'Edit call recording', { resource: [INSTANCE, other, BUCKET, KEY] })).toThrow();
    expect(recordingAdmin).not.toGrantConsoleTask('Data storage', 'Edit call recording', { resource: [other, BUCKET, KEY] });
  });

  test('the positive failure names a resource option that helps (a map keeping what was given), never the Connect ARN for S3', () => {
    const message = failureOf(() => expect(recordingAdmin).toGrantConsoleTask('Data storage', 'Edit call recording', { resource: INSTANCE }));
    expect(message).toContain(`pass { resource: { connect: '${INSTANCE}', s3: '${BUCKET}', kms: '${KEY}' } }`);
    expect(message).not.toMatch(/resource: 'arn:aws:connect[^']*'\s*\}[^\n]*\n[^\n]*s3:/);
    // Following the hint, as written, makes the answer certain.
    expect(recordingAdmin).toGrantConsoleTask('Data storage', 'Edit call recording', { resource: { connect: INSTANCE, s3: BUCKET, kms: KEY } });
  });

  test('without a resource, the hint names every narrower resource by service', () => {
    const message = failureOf(() => expect(recordingAdmin).toGrantConsoleTask('Data storage', 'Edit call recording'));
    expect(message).toContain(`pass { resource: { connect: '${INSTANCE}', s3: '${BUCKET}', kms: '${KEY}' } }`);
  });

  test('an ARN that fits no action of the task is a usage error naming the task\'s services (also under .not)', () => {
    const run = (): void => expect(recordingAdmin).not.toGrantConsoleTask('Data storage', 'Edit call recording', { resource: 'arn:aws:lambda:eu-west-2:111122223333:function:f' });
    expect(run).toThrow(UsageError);
    expect(run).toThrow(/fits no action of console task 'Data storage \/ Edit call recording'.*connect \(instance\), s3 \(accesspoint, bucket\), kms \(key\)/s);
    // A contact-flow ARN is a Connect ARN, but not of a type these actions act on.
    expect(() =>
      checkConsoleTask(recordingAdmin, 'Data storage', 'Edit call recording', { resource: `${INSTANCE}/contact-flow/f1` }),
    ).toThrow(/fits no action/);
  });

  test('the map form checks its keys and that each ARN belongs to its service', () => {
    expect(() => expect(recordingAdmin).toGrantConsoleTask('Data storage', 'Edit call recording', { resource: { conect: INSTANCE } })).toThrow(/'conect' is not an IAM service prefix: did you mean [^?]*'connect'/);
    expect(() => expect(recordingAdmin).toGrantConsoleTask('Data storage', 'Edit call recording', { resource: { s3: INSTANCE } })).toThrow(/is an ARN of service 'connect', not 's3'/);
    expect(() => expect(recordingAdmin).toGrantConsoleTask('Data storage', 'Edit call recording', { resource: [] as string[] })).toThrow(/the list is empty/);
    expect(() => expect(recordingAdmin).toGrantConsoleTask('Data storage', 'Edit call recording', { resource: 42 as unknown as string })).toThrow(UsageError);
  });

  test('toGrantConsolePage: a resource applies to the actions it fits on every task of the page', () => {
    expect(recordingAdmin).toGrantConsolePage('Data storage', { resource: { connect: INSTANCE, s3: BUCKET, kms: KEY } });
    const message = failureOf(() => expect(recordingAdmin).toGrantConsolePage('Data storage', { resource: INSTANCE }));
    expect(message).toContain(`To pin the resources: pass { resource: { connect: '${INSTANCE}', s3: '${BUCKET}', kms: '${KEY}' } }`);
    expect(() => expect(recordingAdmin).toGrantConsolePage('Data storage', { resource: 'arn:aws:sqs:eu-west-2:111122223333:q' })).toThrow(/fits no action of console page 'Data storage'/);
  });

  test('an object ARN is not a bucket ARN: it fits no bucket action', () => {
    expect(() => checkConsoleTask(recordingAdmin, 'Data storage', 'Edit call recording', { resource: [INSTANCE, BUCKET, 'arn:aws:s3:::recordings/*', KEY] })).toThrow(
      /'arn:aws:s3:::recordings\/\*' fits no action/,
    );
    const r = checkConsoleTask(recordingAdmin, 'Data storage', 'Edit call recording', { resource: [INSTANCE, 'arn:aws:s3:::*', KEY] });
    expect(r.actions.filter((a) => a.action === 's3:GetBucketLocation').map((a) => a.resource)).toEqual(['arn:aws:s3:::*']);
  });

  test('rules built in code (presets) check their resources as the rules file does', () => {
    const principal = toPrincipal(recordingAdmin);
    const rule = (resource: unknown): rules.Rule => ({
      name: 'r',
      select: {},
      expect: { grantConsoleTasks: ['Data storage / Edit call recording'] },
      resource: resource as rules.Rule['resource'],
    });
    expect(rules.runChecks(principal, rule({ connect: INSTANCE, s3: BUCKET, kms: KEY }))[0]!.status).toBe('compliant');
    const bad = rules.runChecks(principal, rule('arn:aws:sqs:eu-west-2:111122223333:q'))[0]!;
    expect(bad.status).toBe('non-compliant');
    expect(bad.error).toMatch(/fits no action of rule 'r'/);
  });
});
