/**
 * Resource policies from Terraform plans: LoadedTerraformPlan.resourcePolicies and
 * resourcePolicy(address), through the public entry point, for the resources that carry a KMS key
 * policy or an S3 bucket policy (AWS provider docs):
 *   aws_kms_key (`policy`, `arn`): https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key
 *   aws_kms_key_policy (`key_id`, `policy`): https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key_policy
 *   aws_s3_bucket_policy (`bucket`: the bucket's name, `policy`): https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy
 *   aws_s3_bucket (legacy inline `policy`): https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket
 * Plan format: https://developer.hashicorp.com/terraform/internals/json-format
 * KMS key policies (an IAM policy counts only when the key policy allows the account):
 *   https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../../../matchers';
import { PolicySourceError, UnknownNameError, checkConsoleTask, evaluate, loadTemplate, loadTerraformPlan } from '../../../src';
import { constant, doc, ref, writePlan } from './plan-builder';

const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const enableIam = { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
const adminOnly = { Sid: 'OnlyKeyAdmin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` }, Action: 'kms:*', Resource: '*' };
const denyInsecure = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::acme-connect-recordings/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };

/** The Connect admin role of the CloudFormation side, with its account known. */
const admin = {
  kind: 'role' as const,
  id: 'ConnectAdmin',
  name: 'ConnectAdmin',
  arn: `arn:aws:iam::${ACCOUNT}:role/ConnectAdmin`,
  account: ACCOUNT,
  policies: [{ name: 'admin', origin: 'document' as const, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
};

describe('each resource type', () => {
  test('aws_kms_key: its policy, governing the key ARN when known (a state), the account read from the ARN', () => {
    const file = writePlan({
      resources: [{ address: 'aws_kms_key.recordings', values: { arn: KEY_ARN, key_id: '1234abcd-12ab-34cd-56ef-1234567890ab', policy: doc(enableIam) } }],
    });
    const plan = loadTerraformPlan(file);
    const rp = plan.resourcePolicy('aws_kms_key.recordings');
    expect(rp).toMatchObject({ name: 'aws_kms_key.recordings', service: 'kms', resource: KEY_ARN, account: ACCOUNT, document: { Statement: [{ Sid: 'EnableIamPolicies' }] } });
    expect(rp.unresolved).toBeUndefined();
    expect(rp.source).toMatchObject({ file, address: 'aws_kms_key.recordings.policy' });
    expect(rp.locations?.['Statement[0]']).toBeDefined();
  });

  test('aws_kms_key whose arn is known only after apply: the policy is known, the key it governs is not', () => {
    const file = writePlan({ resources: [{ address: 'aws_kms_key.recordings', values: { policy: doc(adminOnly) }, unknown: { arn: true, key_id: true, id: true } }] });
    const rp = loadTerraformPlan(file).resourcePolicy('aws_kms_key.recordings');
    expect(rp.resource).toBeUndefined();
    expect(rp.unresolvedResource).toBe('aws_kms_key.recordings.arn (known only after apply)');
    // The key policy does not grant the account: whether it governs this key is what decides.
    const r = evaluate(admin, 'kms:CreateGrant', { resource: KEY_ARN, resourcePolicies: [rp] });
    expect(r.decision).toBe('conditional');
  });

  test('aws_kms_key_policy: key_id through the configuration reference to a key of the plan', () => {
    const file = writePlan({
      resources: [
        { address: 'aws_kms_key.recordings', values: { description: 'recordings' }, unknown: { arn: true, key_id: true, id: true, policy: true }, expressions: { description: constant('recordings') } },
        {
          address: 'aws_kms_key_policy.recordings',
          values: { policy: doc(enableIam) },
          unknown: { key_id: true, id: true },
          expressions: { key_id: ref('aws_kms_key.recordings.id', 'aws_kms_key.recordings'), policy: constant(doc(enableIam)) },
        },
      ],
    });
    const plan = loadTerraformPlan(file);
    // The key's own policy is not configured: its computed value echoes the aws_kms_key_policy.
    expect(plan.resourcePolicies.map((r) => [r.name, r.service, r.resource ?? r.unresolvedResource])).toEqual([
      ['aws_kms_key_policy.recordings', 'kms', 'aws_kms_key.recordings.arn (known only after apply)'],
    ]);
  });

  test('aws_kms_key_policy: a known key_id of a key outside the plan, and a key ARN', () => {
    const file = writePlan({
      resources: [
        { address: 'aws_kms_key_policy.by_id', values: { key_id: '1234abcd-12ab-34cd-56ef-1234567890ab', policy: doc(enableIam) }, unknown: { id: true } },
        { address: 'aws_kms_key_policy.by_arn', values: { key_id: KEY_ARN, policy: doc(enableIam) }, unknown: { id: true } },
      ],
    });
    const plan = loadTerraformPlan(file);
    expect(plan.resourcePolicy('aws_kms_key_policy.by_id').resource).toBe('arn:*:kms:*:*:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(plan.resourcePolicy('aws_kms_key_policy.by_arn')).toMatchObject({ resource: KEY_ARN, account: ACCOUNT });
    // The key-id pattern governs the key asked about: the key policy enables IAM policies there.
    expect(evaluate(admin, 'kms:CreateGrant', { resource: KEY_ARN, resourcePolicies: [plan.resourcePolicy('aws_kms_key_policy.by_id')] }).decision).toBe('allowed');
  });

  test('aws_s3_bucket_policy: the bucket by name (known) and through the reference to the bucket (unknown id)', () => {
    const policy = doc(denyInsecure);
    const file = writePlan({
      resources: [
        { address: 'aws_s3_bucket.recordings', values: { bucket: 'acme-connect-recordings' }, unknown: { arn: true, id: true, policy: true } },
        { address: 'aws_s3_bucket_policy.by_name', values: { bucket: 'acme-connect-recordings', policy }, unknown: { id: true } },
        {
          address: 'aws_s3_bucket_policy.by_ref',
          values: { policy },
          unknown: { bucket: true, id: true },
          expressions: { bucket: ref('aws_s3_bucket.recordings.id', 'aws_s3_bucket.recordings'), policy: constant(policy) },
        },
      ],
    });
    const plan = loadTerraformPlan(file);
    expect(plan.resourcePolicies.map((r) => [r.name, r.service, r.resource ?? r.unresolvedResource])).toEqual([
      ['aws_s3_bucket_policy.by_name', 's3', 'arn:aws:s3:::acme-connect-recordings'],
      ['aws_s3_bucket_policy.by_ref', 's3', 'arn:aws:s3:::acme-connect-recordings'],
    ]);
    const r = evaluate(admin, 's3:GetObject', { resource: 'arn:aws:s3:::acme-connect-recordings/a.wav', context: { 'aws:SecureTransport': 'false' }, resourcePolicies: plan.resourcePolicies });
    expect(r.decision).toBe('explicitDeny');
    expect(r.guardrails?.map((n) => n.sentence)).toContain('denied by the bucket policy of aws_s3_bucket_policy.by_name');
  });

  test('aws_s3_bucket with the legacy inline policy attribute', () => {
    const file = writePlan({ resources: [{ address: 'aws_s3_bucket.legacy', values: { bucket: 'acme-connect-recordings', policy: doc(denyInsecure) }, unknown: { arn: true, id: true } }] });
    const plan = loadTerraformPlan(file);
    expect(plan.resourcePolicy('aws_s3_bucket.legacy')).toMatchObject({ service: 's3', resource: 'arn:aws:s3:::acme-connect-recordings' });
  });

  test('a new bucket without a policy has none; a policy string that is not JSON is a typed error naming the address', () => {
    const none = writePlan({ resources: [{ address: 'aws_s3_bucket.plain', values: { bucket: 'plain' }, unknown: { arn: true, id: true, policy: true } }] });
    const plan = loadTerraformPlan(none);
    expect(plan.resourcePolicies).toEqual([]);
    expect(() => plan.resourcePolicy('aws_s3_bucket.plain')).toThrow(UnknownNameError);
    expect(() => plan.resourcePolicy('aws_s3_bucket.plain')).toThrow(/holds no aws_kms_key policy/);

    const bad = writePlan({ resources: [{ address: 'aws_s3_bucket_policy.bad', values: { bucket: 'b', policy: '{"Statement": [' }, unknown: { id: true } }] });
    expect(() => loadTerraformPlan(bad)).toThrow(PolicySourceError);
    expect(() => loadTerraformPlan(bad)).toThrow(/aws_s3_bucket_policy\.bad\.policy/);
  });

  test('resourcePolicy(address) suggests the closest address', () => {
    const file = writePlan({ resources: [{ address: 'aws_kms_key.recordings', values: { arn: KEY_ARN, policy: doc(enableIam) } }] });
    expect(() => loadTerraformPlan(file).resourcePolicy('aws_kms_key.recording')).toThrow(/did you mean 'aws_kms_key.recordings'/);
  });
});

describe('unknowns stay unknown (fail-closed)', () => {
  test('a policy known only after apply: unresolved, naming the address and attribute; the answers it decides are conditional', () => {
    const file = writePlan({
      resources: [
        {
          address: 'aws_kms_key_policy.recordings',
          values: { key_id: KEY_ARN },
          unknown: { policy: true, id: true },
          expressions: { key_id: constant(KEY_ARN), policy: ref('local.key_policy') },
        },
      ],
    });
    const rp = loadTerraformPlan(file).resourcePolicy('aws_kms_key_policy.recordings');
    expect(rp.document).toBeUndefined();
    expect(rp.unresolved).toMatch(/aws_kms_key_policy\.recordings\.policy is known only after apply/);
    const check = checkConsoleTask(admin, 'Home', 'Create instance', { resourcePolicies: [rp], resource: { kms: KEY_ARN } });
    expect(check.granted).toBe('conditional');
    // conditional fails both forms, and the message names the unknown policy.
    const opts = { resourcePolicies: [rp], resource: { kms: KEY_ARN } };
    expect(() => expect(admin).toGrantConsoleTask('Home', 'Create instance', opts)).toThrow(/aws_kms_key_policy\.recordings/);
    expect(() => expect(admin).not.toGrantConsoleTask('Home', 'Create instance', opts)).toThrow();
  });

  test('a key id known only after apply that no reference traces: the key it governs is unknown', () => {
    const file = writePlan({
      resources: [{ address: 'aws_kms_key_policy.p', values: { policy: doc(adminOnly) }, unknown: { key_id: true, id: true }, expressions: { key_id: ref('var.key_id'), policy: constant(doc(adminOnly)) } }],
    });
    const rp = loadTerraformPlan(file).resourcePolicy('aws_kms_key_policy.p');
    expect(rp.unresolvedResource).toBe('aws_kms_key_policy.p.key_id (known only after apply; it references var.key_id)');
    expect(evaluate(admin, 'kms:CreateGrant', { resource: KEY_ARN, resourcePolicies: [rp] }).decision).toBe('conditional');
  });

  test('an aws_iam_policy_document rebuilt from the plan: a part known only after apply stays unknown', () => {
    const file = writePlan({
      resources: [
        { address: 'aws_kms_key.k', values: { arn: KEY_ARN }, unknown: { policy: true }, expressions: { policy: ref('data.aws_iam_policy_document.key.json', 'data.aws_iam_policy_document.key') } },
        {
          address: 'data.aws_iam_policy_document.key',
          values: { statement: [{ sid: 'Admin', effect: 'Allow', actions: ['kms:*'], resources: ['*'], principals: [{ type: 'AWS', identifiers: [null] }] }] },
          unknown: { json: true, statement: [{ principals: [{ identifiers: [true] }] }] },
          actions: ['read'],
        },
      ],
    });
    const rp = loadTerraformPlan(file).resourcePolicy('aws_kms_key.k');
    expect(rp.resource).toBe(KEY_ARN);
    expect(rp.document).toBeDefined();
    // The principal is unknown: the key policy may or may not grant the role or its account.
    expect(evaluate(admin, 'kms:CreateGrant', { resource: KEY_ARN, resourcePolicies: [rp] }).decision).toBe('conditional');
  });

  test('an aws_kms_key without a policy (AWS gives it the default key policy): unknown, saying so', () => {
    const file = writePlan({ resources: [{ address: 'aws_kms_key.k', values: { description: 'k' }, unknown: { arn: true, policy: true }, expressions: { description: constant('k') } }] });
    const rp = loadTerraformPlan(file).resourcePolicy('aws_kms_key.k');
    expect(rp.unresolved).toMatch(/aws_kms_key\.k\.policy is not configured .* default key policy/);
  });
});

describe('end to end: the same KMS key policy in CloudFormation and in Terraform', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-tfres-'));
  const cfn = (statement: Record<string, unknown>): string => {
    const file = path.join(tmp, `t-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify({ Resources: { RecordingsKey: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [statement] } } } } }));
    return file;
  };
  const tf = (statement: Record<string, unknown>): string =>
    writePlan({ resources: [{ address: 'aws_kms_key.recordings', values: { arn: KEY_ARN, key_id: '1234abcd-12ab-34cd-56ef-1234567890ab', policy: doc(statement) } }] });

  test.each([
    ['a key policy that enables IAM policies for the account', enableIam, 'yes'],
    ['a key policy that grants only a key admin role', adminOnly, 'no'],
  ])('%s: the same answer for toGrantConsoleTask("Home", "Create instance")', (_label, statement, want) => {
    const template = loadTemplate(cfn(statement), { pseudo: { AccountId: ACCOUNT } });
    const plan = loadTerraformPlan(tf(statement));
    const resource = { kms: KEY_ARN };
    const fromCfn = { resourcePolicies: { [KEY_ARN]: template.resourcePolicy('RecordingsKey') }, resource };
    const fromTf = { resourcePolicies: plan.resourcePolicies, resource };
    const a = checkConsoleTask(admin, 'Home', 'Create instance', fromCfn);
    const b = checkConsoleTask(admin, 'Home', 'Create instance', fromTf);
    expect(a.granted).toBe(want);
    expect(b.granted).toBe(a.granted);
    expect(b.actions.map((x) => [x.result.action, x.result.decision])).toEqual(a.actions.map((x) => [x.result.action, x.result.decision]));
    if (want === 'yes') {
      expect(admin).toGrantConsoleTask('Home', 'Create instance', fromCfn);
      expect(admin).toGrantConsoleTask('Home', 'Create instance', fromTf);
    } else {
      expect(admin).not.toGrantConsoleTask('Home', 'Create instance', fromCfn);
      expect(admin).not.toGrantConsoleTask('Home', 'Create instance', fromTf);
    }
  });

  test('a role of the plan whose ARN is known (a state): its ARN and account meet the key policy, as the template role does', () => {
    const file = writePlan({
      resources: [
        { address: 'aws_kms_key.recordings', values: { arn: KEY_ARN, policy: doc(enableIam) } },
        {
          address: 'aws_iam_role.admin',
          values: { name: 'ConnectAdmin', path: '/', arn: `arn:aws:iam::${ACCOUNT}:role/ConnectAdmin`, assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'connect.amazonaws.com' }, Action: 'sts:AssumeRole' }), permissions_boundary: null },
          unknown: { inline_policy: true, managed_policy_arns: true },
        },
        { address: 'aws_iam_role_policy.admin', values: { name: 'admin', role: 'ConnectAdmin', policy: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) } },
      ],
    });
    const plan = loadTerraformPlan(file);
    const role = plan.principal('ConnectAdmin');
    expect(role).toMatchObject({ path: '/', arn: `arn:aws:iam::${ACCOUNT}:role/ConnectAdmin`, account: ACCOUNT });
    const opts = { resourcePolicies: plan.resourcePolicies, resource: { kms: KEY_ARN } };
    expect(checkConsoleTask(role, 'Home', 'Create instance', opts).granted).toBe(checkConsoleTask(admin, 'Home', 'Create instance', opts).granted);
    expect(role).toGrantConsoleTask('Home', 'Create instance', opts);
  });
});
