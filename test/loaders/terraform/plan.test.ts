/**
 * loadTerraformPlan over `terraform show -json` output, one test per attachment path of the AWS
 * provider, through the public entry point (jest-connect-iam = src/index.ts).
 *
 * Format: https://developer.hashicorp.com/terraform/internals/json-format
 * Resources: https://registry.terraform.io/providers/hashicorp/aws/latest/docs (aws_iam_role,
 * aws_iam_role_policy, aws_iam_role_policy_attachment, aws_iam_policy_attachment,
 * aws_iam_role_policy_attachments_exclusive, aws_iam_role_policies_exclusive, aws_iam_group_membership,
 * aws_iam_user_group_membership, data aws_iam_policy_document).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PolicySourceError, UnknownNameError, evaluate, loadTerraformPlan } from '../../../src';
import type { Principal } from '../../../src';
import { allow, constant, doc, ref, writePlan } from './plan-builder';

const ROLE = (address: string, name: string, extra: Record<string, unknown> = {}): { address: string; values: Record<string, unknown>; unknown: Record<string, unknown> } => ({
  address,
  values: { name, assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }), path: '/', tags: null, permissions_boundary: null, ...extra },
  unknown: { arn: true, id: true, unique_id: true, inline_policy: true, managed_policy_arns: true, tags_all: {} },
});
const decision = (p: Principal, action: string): string => evaluate(p, action).decision;

describe('principals and ids', () => {
  test('roles, users and groups, addressed by full address, found by address or name', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.agent', 'connect-agent'),
        { address: 'aws_iam_user.ops', values: { name: 'ops', path: '/', tags: { team: 'cc' }, permissions_boundary: null }, unknown: { arn: true, id: true, tags_all: {} } },
        { address: 'aws_iam_group.admins', values: { name: 'admins', path: '/' }, unknown: { arn: true, id: true } },
      ],
    });
    const plan = loadTerraformPlan(file);
    expect(plan.principals.map((p) => [p.kind, p.id, p.name])).toEqual([
      ['role', 'aws_iam_role.agent', 'connect-agent'],
      ['user', 'aws_iam_user.ops', 'ops'],
      ['group', 'aws_iam_group.admins', 'admins'],
    ]);
    expect(plan.principal('connect-agent')).toBe(plan.principal('aws_iam_role.agent'));
    expect(plan.principal('aws_iam_user.ops').tags).toEqual({ team: 'cc' });
    expect(plan.formatVersion).toBe('1.2');
    expect(() => plan.principal('aws_iam_role.agnet')).toThrow(UnknownNameError);
    expect(() => plan.principal('aws_iam_role.agnet')).toThrow(/did you mean 'aws_iam_role.agent'/);
  });

  test('child_modules at any depth, count and for_each instances: ids are full addresses', () => {
    const file = writePlan({
      resources: [
        ROLE('module.contact_center.aws_iam_role.agent["eu"]', 'agent-eu'),
        ROLE('module.contact_center.aws_iam_role.agent["us"]', 'agent-us'),
        ROLE('module.contact_center.module.reporting[0].aws_iam_role.reader[1]', 'reader-1'),
        {
          address: 'module.contact_center.aws_iam_role_policy.agent["eu"]',
          values: { name: 'agent', policy: doc(allow('connect:DescribeInstance')) },
          unknown: { id: true, role: true },
          expressions: { role: ref('aws_iam_role.agent["eu"].name', 'aws_iam_role.agent["eu"]'), policy: constant(doc(allow('connect:DescribeInstance'))) },
        },
        {
          address: 'module.contact_center.module.reporting[0].aws_iam_role_policy_attachment.ro[1]',
          values: { policy_arn: 'arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess' },
          unknown: { id: true, role: true },
          expressions: { role: ref('aws_iam_role.reader[count.index].name', 'aws_iam_role.reader'), policy_arn: constant('arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess') },
        },
      ],
    });
    const plan = loadTerraformPlan(file);
    expect(plan.principals.map((p) => p.id)).toEqual([
      'module.contact_center.aws_iam_role.agent["eu"]',
      'module.contact_center.aws_iam_role.agent["us"]',
      'module.contact_center.module.reporting[0].aws_iam_role.reader[1]',
    ]);
    expect(plan.principal('module.contact_center.aws_iam_role.agent["eu"]').policies.map((p) => p.name)).toEqual(['agent']);
    expect(plan.principal('agent-us').policies).toEqual([]);
    // A reference without an instance key ([count.index]) picks the instance with the same key.
    expect(plan.principal('reader-1').policies.map((p) => p.name)).toEqual(['AmazonConnectReadOnlyAccess']);
  });
});

describe('attachment paths', () => {
  test('aws_iam_role_policy: the role by name (known) and through configuration references (unknown)', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.a', 'role-a'),
        ROLE('aws_iam_role.b', 'role-b'),
        { address: 'aws_iam_role_policy.by_name', values: { name: 'by-name', role: 'role-a', policy: doc(allow('connect:ListUsers')) }, unknown: { id: true } },
        {
          address: 'aws_iam_role_policy.by_ref',
          values: { name: 'by-ref', policy: doc(allow('connect:DescribeUser')) },
          unknown: { id: true, role: true },
          expressions: { role: ref('aws_iam_role.b.id', 'aws_iam_role.b'), policy: constant('...') },
        },
      ],
    });
    const plan = loadTerraformPlan(file);
    const a = plan.principal('role-a');
    const b = plan.principal('role-b');
    expect(a.policies.map((p) => [p.name, p.origin])).toEqual([['by-name', 'policy-resource']]);
    expect(b.policies.map((p) => p.name)).toEqual(['by-ref']);
    expect(decision(a, 'connect:ListUsers')).toBe('allowed');
    expect(decision(b, 'connect:ListUsers')).toBe('implicitDeny');
    // Evidence names the address and attribute (plans hold no line numbers).
    expect(a.policies[0]!.locations?.['Statement[0]']).toMatchObject({ file, address: 'aws_iam_role_policy.by_name.policy' });
  });

  test('aws_iam_user_policy and aws_iam_group_policy', () => {
    const file = writePlan({
      resources: [
        { address: 'aws_iam_user.u', values: { name: 'u', permissions_boundary: null }, unknown: {} },
        { address: 'aws_iam_group.g', values: { name: 'g' }, unknown: {} },
        { address: 'aws_iam_user_policy.up', values: { name: 'up', user: 'u', policy: doc(allow('connect:ListQueues')) }, unknown: {} },
        { address: 'aws_iam_group_policy.gp', values: { name: 'gp', group: 'g', policy: doc(allow('connect:ListPhoneNumbers')) }, unknown: {} },
      ],
    });
    const plan = loadTerraformPlan(file);
    expect(plan.principal('u').policies.map((p) => p.name)).toEqual(['up']);
    expect(plan.principal('g').policies.map((p) => p.name)).toEqual(['gp']);
  });

  test('inline_policy blocks and managed_policy_arns on the role (AWS managed ARNs resolve offline)', () => {
    const file = writePlan({
      resources: [
        {
          address: 'aws_iam_role.r',
          values: {
            name: 'r',
            inline_policy: [{ name: 'inline-one', policy: doc(allow('connect:ListUsers')) }],
            managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess'],
            permissions_boundary: null,
          },
          unknown: { arn: true, id: true },
        },
      ],
    });
    const p = loadTerraformPlan(file).principal('r');
    expect(p.policies.map((x) => [x.name, x.origin])).toEqual([
      ['inline-one', 'inline'],
      ['AmazonConnectReadOnlyAccess', 'managed-arn'],
    ]);
    expect(decision(p, 'connect:DescribeInstance')).toBe('allowed');
    expect(decision(p, 'connect:DeleteInstance')).toBe('implicitDeny');
  });

  test('computed (not configured) inline_policy and managed_policy_arns are echoes: unknown ones are not unknown policies', () => {
    const file = writePlan({ resources: [ROLE('aws_iam_role.r', 'r')] });
    expect(loadTerraformPlan(file).principal('r').policies).toEqual([]);
  });

  test('a no-op plan: the computed inline_policy / managed_policy_arns echo the account; what no resource of the plan attaches is kept, unless an exclusive resource removes it', () => {
    const echo = (address: string, name: string): ReturnType<typeof ROLE> => ({
      address,
      values: { name, permissions_boundary: null, inline_policy: [{ name: 'in-plan', policy: doc(allow('connect:ListUsers')) }, { name: 'made-by-hand', policy: doc(allow('connect:DeleteInstance')) }], managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonConnect_FullAccess'] },
      unknown: {},
    });
    const file = writePlan({
      resources: [
        { ...echo('aws_iam_role.r', 'r'), expressions: { name: constant('r') } },
        { ...echo('aws_iam_role.x', 'x'), expressions: { name: constant('x') } },
        { address: 'aws_iam_role_policy.in_plan', values: { name: 'in-plan', role: 'r', policy: doc(allow('connect:ListUsers')) }, unknown: {}, actions: ['no-op'] },
        { address: 'aws_iam_role_policies_exclusive.x', values: { role_name: 'x', policy_names: [] }, unknown: {} },
        { address: 'aws_iam_role_policy_attachments_exclusive.x', values: { role_name: 'x', policy_arns: [] }, unknown: {} },
      ],
    });
    const plan = loadTerraformPlan(file);
    expect(plan.principal('r').policies.map((p) => [p.name, p.origin])).toEqual([
      ['in-plan', 'policy-resource'],
      ['made-by-hand', 'inline'],
      ['AmazonConnect_FullAccess', 'managed-arn'],
    ]);
    expect(plan.principal('x').policies).toEqual([]);
  });

  test('aws_iam_role_policy_attachment: a known ARN, and aws_iam_policy.x.arn through references', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        { address: 'aws_iam_policy.custom', values: { name: 'custom', path: '/', policy: doc(allow('connect:UpdateUserHierarchy')) }, unknown: { arn: true, id: true, policy_id: true } },
        { address: 'aws_iam_role_policy_attachment.aws', values: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess' }, unknown: { id: true } },
        {
          address: 'aws_iam_role_policy_attachment.custom',
          values: { role: 'r' },
          unknown: { id: true, policy_arn: true },
          expressions: { role: constant('r'), policy_arn: ref('aws_iam_policy.custom.arn', 'aws_iam_policy.custom') },
        },
      ],
    });
    const p = loadTerraformPlan(file).principal('r');
    expect(p.policies.map((x) => [x.name, x.origin])).toEqual([
      ['AmazonConnectReadOnlyAccess', 'managed-arn'],
      ['custom', 'managed-policy-resource'],
    ]);
    expect(decision(p, 'connect:UpdateUserHierarchy')).toBe('allowed');
  });

  test('a customer managed ARN of a policy in the plan (by name), and one that is not (unresolved)', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        { address: 'aws_iam_policy.p', values: { name: 'in-plan', policy: doc(allow('connect:ListQueues')) }, unknown: { arn: true, id: true } },
        { address: 'aws_iam_role_policy_attachment.a', values: { role: 'r', policy_arn: 'arn:aws:iam::123456789012:policy/in-plan' }, unknown: {} },
        { address: 'aws_iam_role_policy_attachment.b', values: { role: 'r', policy_arn: 'arn:aws:iam::123456789012:policy/elsewhere' }, unknown: {} },
      ],
    });
    const p = loadTerraformPlan(file).principal('r');
    expect(p.policies.map((x) => [x.name, x.unresolved !== undefined])).toEqual([
      ['in-plan', false],
      ['elsewhere', true],
    ]);
  });

  test('aws_iam_policy_attachment: roles, users and groups', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        { address: 'aws_iam_user.u', values: { name: 'u', permissions_boundary: null }, unknown: {} },
        { address: 'aws_iam_group.g', values: { name: 'g' }, unknown: {} },
        { address: 'aws_iam_policy_attachment.all', values: { name: 'all', roles: ['r'], users: ['u'], groups: ['g'], policy_arn: 'arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess' }, unknown: {} },
      ],
    });
    const plan = loadTerraformPlan(file);
    for (const n of ['r', 'u', 'g']) expect(plan.principal(n).policies.map((x) => x.name)).toEqual(['AmazonConnectReadOnlyAccess']);
  });

  test('aws_iam_*_policy_attachments_exclusive and aws_iam_*_policies_exclusive', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        { address: 'aws_iam_role_policy.keep', values: { name: 'keep', role: 'r', policy: doc(allow('connect:ListUsers')) }, unknown: {} },
        { address: 'aws_iam_role_policy_attachments_exclusive.x', values: { role_name: 'r', policy_arns: ['arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess'] }, unknown: {} },
        { address: 'aws_iam_role_policies_exclusive.x', values: { role_name: 'r', policy_names: ['keep', 'made-elsewhere'] }, unknown: {} },
      ],
    });
    const p = loadTerraformPlan(file).principal('r');
    expect(p.policies.map((x) => [x.name, x.unresolved ?? null])).toEqual([
      ['keep', null],
      ['AmazonConnectReadOnlyAccess', null],
      ['made-elsewhere', expect.stringMatching(/aws_iam_role_policies_exclusive.x keeps inline policy made-elsewhere, which this plan does not define/)],
    ]);
  });

  test('group membership: aws_iam_group_membership and aws_iam_user_group_membership', () => {
    const file = writePlan({
      resources: [
        { address: 'aws_iam_user.a', values: { name: 'a', permissions_boundary: null }, unknown: {} },
        { address: 'aws_iam_user.b', values: { name: 'b', permissions_boundary: null }, unknown: {} },
        { address: 'aws_iam_group.g', values: { name: 'g' }, unknown: {} },
        { address: 'aws_iam_group_policy.gp', values: { name: 'gp', group: 'g', policy: doc(allow('connect:ListQueues')) }, unknown: {} },
        { address: 'aws_iam_group_membership.m', values: { name: 'm', group: 'g', users: ['a'] }, unknown: {} },
        { address: 'aws_iam_user_group_membership.b', values: { user: 'b', groups: ['g', 'outside-group'] }, unknown: {} },
      ],
    });
    const plan = loadTerraformPlan(file);
    expect(plan.principal('a').policies.map((x) => [x.name, x.origin])).toEqual([['gp (group aws_iam_group.g)', 'group']]);
    expect(plan.principal('b').policies.map((x) => [x.name, x.origin, x.unresolved !== undefined])).toEqual([
      ['gp (group aws_iam_group.g)', 'group', false],
      ['group outside-group', 'group', true],
    ]);
    expect(decision(plan.principal('a'), 'connect:ListQueues')).toBe('allowed');
  });

  test('permissions_boundary: an AWS managed ARN, and an aws_iam_policy of the plan by reference', () => {
    const file = writePlan({
      resources: [
        { ...ROLE('aws_iam_role.aws', 'aws-bounded', { permissions_boundary: 'arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess', managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonConnect_FullAccess'] }), unknown: { arn: true } },
        { address: 'aws_iam_policy.boundary', values: { name: 'boundary', policy: doc(allow('connect:ListUsers')) }, unknown: { arn: true } },
        {
          ...ROLE('aws_iam_role.ref', 'ref-bounded', { managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonConnect_FullAccess'] }),
          unknown: { arn: true, id: true, inline_policy: true, permissions_boundary: true },
          expressions: { name: constant('ref-bounded'), managed_policy_arns: constant(['arn:aws:iam::aws:policy/AmazonConnect_FullAccess']), permissions_boundary: ref('aws_iam_policy.boundary.arn', 'aws_iam_policy.boundary') },
        },
      ],
    });
    const plan = loadTerraformPlan(file);
    const a = plan.principal('aws-bounded');
    expect(a.permissionsBoundary?.name).toBe('AmazonConnectReadOnlyAccess');
    expect(decision(a, 'connect:DeleteInstance')).toBe('implicitDeny');
    expect(decision(a, 'connect:DescribeInstance')).toBe('allowed');
    const r = plan.principal('ref-bounded');
    expect(r.permissionsBoundary?.name).toBe('boundary');
    expect(r.permissionsBoundary?.origin).toBe('permissions-boundary');
    expect(decision(r, 'connect:ListUsers')).toBe('allowed');
    expect(decision(r, 'connect:ListQueues')).toBe('implicitDeny');
  });

  test('links through module outputs and input variables', () => {
    const file = writePlan({
      resources: [
        ROLE('module.iam.aws_iam_role.this', 'mod-role'),
        {
          address: 'aws_iam_role_policy.p',
          values: { name: 'p', policy: doc(allow('connect:ListUsers')) },
          unknown: { role: true },
          expressions: { role: ref('module.iam.role_name', 'module.iam') },
        },
        {
          address: 'module.attach.aws_iam_role_policy_attachment.a',
          values: { policy_arn: 'arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess' },
          unknown: { role: true },
          expressions: { role: ref('var.role'), policy_arn: constant('arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess') },
        },
      ],
      modules: {
        iam: { source: './modules/iam', outputs: { role_name: { expression: ref('aws_iam_role.this.name', 'aws_iam_role.this') } } },
        attach: { source: './modules/attach', expressions: { role: ref('module.iam.role_name', 'module.iam') } },
      },
    });
    const p = loadTerraformPlan(file).principal('mod-role');
    expect(p.policies.map((x) => x.name)).toEqual(['p', 'AmazonConnectReadOnlyAccess']);
  });
});

describe('data "aws_iam_policy_document"', () => {
  const statement = [{ sid: 'Read', effect: 'Allow', actions: ['connect:DescribeQueue'], not_actions: [], resources: ['*'], not_resources: [], principals: [], not_principals: [], condition: [] }];

  test('its computed json when known (read during planning, in prior_state)', () => {
    const json = doc({ Sid: 'Read', ...allow('connect:DescribeQueue') });
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        { address: 'data.aws_iam_policy_document.d', prior: true, values: { json, statement }, unknown: {} },
        { address: 'aws_iam_role_policy.p', values: { name: 'p', role: 'r', policy: json }, unknown: {}, expressions: { role: constant('r'), policy: ref('data.aws_iam_policy_document.d.json', 'data.aws_iam_policy_document.d') } },
      ],
    });
    expect(decision(loadTerraformPlan(file).principal('r'), 'connect:DescribeQueue')).toBe('allowed');
  });

  test('json unknown: rebuilt from the planned statement values, unknown parts unknown', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        {
          address: 'data.aws_iam_policy_document.d',
          values: { statement: [statement[0], { ...statement[0], sid: 'Bucket', actions: ['connect:UpdateInstanceAttribute'], resources: null }] },
          unknown: { json: true, id: true, statement: [{}, { resources: true }] },
        },
        {
          address: 'aws_iam_role_policy.p',
          values: { name: 'p', role: 'r' },
          unknown: { policy: true },
          expressions: { role: constant('r'), policy: ref('data.aws_iam_policy_document.d.json', 'data.aws_iam_policy_document.d') },
        },
      ],
    });
    const p = loadTerraformPlan(file).principal('r');
    expect(p.policies[0]!.unresolved).toBeUndefined();
    // The known statement still decides; the one with unknown resources makes its action conditional.
    expect(decision(p, 'connect:DescribeQueue')).toBe('allowed');
    expect(decision(p, 'connect:UpdateInstanceAttribute')).toBe('conditional');
    expect(decision(p, 'connect:DeleteInstance')).toBe('implicitDeny');
  });

  test('json unknown and no planned values: rebuilt from the configuration expressions', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        {
          address: 'aws_iam_role_policy.p',
          values: { name: 'p', role: 'r' },
          unknown: { policy: true },
          expressions: { role: constant('r'), policy: ref('data.aws_iam_policy_document.d.json', 'data.aws_iam_policy_document.d') },
        },
      ],
      configOnly: [
        {
          type: 'aws_iam_policy_document',
          name: 'd',
          expressions: {
            statement: [
              { actions: constant(['connect:ListQueues']), resources: constant(['*']) },
              { effect: constant('Deny'), actions: constant(['connect:DeleteInstance']), resources: ref('aws_connect_instance.main.arn', 'aws_connect_instance.main'), condition: [{ test: constant('Bool'), variable: constant('aws:SecureTransport'), values: constant(['false']) }] },
            ],
          },
        },
      ],
    });
    // configOnly writes a managed resource; make it a data source of the configuration.
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { configuration: { root_module: { resources: Array<{ type: string; mode: string; address: string }> } } };
    for (const r of json.configuration.root_module.resources) if (r.type === 'aws_iam_policy_document') Object.assign(r, { mode: 'data', address: 'data.aws_iam_policy_document.d' });
    fs.writeFileSync(file, JSON.stringify(json));
    // The data source is deferred: it appears in resource_changes with action read and no values.
    const plan = loadTerraformPlan(file);
    const p = plan.principal('r');
    // No instance of the data source is in the plan, so the policy stays wholly unknown: fail-closed.
    expect(p.policies[0]!.unresolved).toMatch(/aws_iam_role_policy\.p\.policy/);
  });

  test('source_policy_documents and override_policy_documents merge by sid', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        {
          address: 'data.aws_iam_policy_document.d',
          values: {
            statement: [{ ...statement[0], sid: 'Same', actions: ['connect:ListUsers'] }],
            source_policy_documents: [doc({ Sid: 'Same', ...allow('connect:ListQueues') }, { Sid: 'Other', ...allow('connect:ListPrompts') })],
            override_policy_documents: [doc({ Sid: 'Other', Effect: 'Deny', Action: 'connect:ListPrompts', Resource: '*' })],
          },
          unknown: { json: true },
        },
        { address: 'aws_iam_role_policy.p', values: { name: 'p', role: 'r' }, unknown: { policy: true }, expressions: { role: constant('r'), policy: ref('data.aws_iam_policy_document.d.json') } },
      ],
    });
    const p = loadTerraformPlan(file).principal('r');
    expect(decision(p, 'connect:ListUsers')).toBe('allowed');
    expect(decision(p, 'connect:ListQueues')).toBe('implicitDeny');
    expect(decision(p, 'connect:ListPrompts')).toBe('explicitDeny');
  });
});

describe('unknowns fail closed, naming the address and attribute', () => {
  test('a whole unknown policy could grant anything', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        { address: 'aws_iam_role_policy.p', values: { name: 'p', role: 'r' }, unknown: { policy: true }, expressions: { role: constant('r'), policy: ref('aws_s3_bucket.b.arn', 'aws_s3_bucket.b') } },
      ],
    });
    const p = loadTerraformPlan(file).principal('r');
    expect(p.policies[0]!.unresolved).toMatch(/aws_iam_role_policy\.p\.policy is known only after apply \(it references aws_s3_bucket\.b\.arn, aws_s3_bucket\.b\): the policy could grant anything/);
    expect(decision(p, 'connect:DeleteInstance')).toBe('conditional');
    expect(() => expect(p).not.toAllowAction('connect:DeleteInstance')).toThrow(/aws_iam_role_policy\.p\.policy/);
  });

  test('an unknown attachment (policy_arn known only after apply, not traceable) could attach anything', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        { address: 'aws_iam_role_policy_attachment.x', values: { role: 'r' }, unknown: { policy_arn: true }, expressions: { role: constant('r'), policy_arn: ref('var.policy_arn') } },
      ],
    });
    const p = loadTerraformPlan(file).principal('r');
    expect(p.policies[0]!.unresolved).toMatch(/aws_iam_role_policy_attachment\.x\.policy_arn is known only after apply \(it references var\.policy_arn\)/);
    expect(decision(p, 'connect:ListUsers')).toBe('conditional');
  });

  test('a role name two module instances share: the references say which role; without them, each (conditional), never only the first', () => {
    // Two instances of one module (e.g. one per account through provider aliases) each define a role
    // named "agent"; the inline policy of instance "b" names it by its planned name.
    const roles = [ROLE('module.acct["a"].aws_iam_role.agent', 'agent'), ROLE('module.acct["b"].aws_iam_role.agent', 'agent')];
    const policy = (expressions: Record<string, unknown>) => ({ address: 'module.acct["b"].aws_iam_role_policy.p', values: { name: 'p', role: 'agent', policy: doc(allow('connect:DeleteInstance')) }, unknown: {}, expressions });
    const viaRef = loadTerraformPlan(writePlan({ resources: [...roles, policy({ role: ref('aws_iam_role.agent.name', 'aws_iam_role.agent') })], modules: { acct: { source: './acct' } } }));
    expect(decision(viaRef.principal('module.acct["b"].aws_iam_role.agent'), 'connect:DeleteInstance')).toBe('allowed');
    expect(decision(viaRef.principal('module.acct["a"].aws_iam_role.agent'), 'connect:DeleteInstance')).toBe('implicitDeny');
    const byName = loadTerraformPlan(writePlan({ resources: [...roles, policy({ role: constant('agent') })], modules: { acct: { source: './acct' } } }));
    for (const key of ['a', 'b']) {
      const p = byName.principal(`module.acct["${key}"].aws_iam_role.agent`);
      expect(p.policies.find((x) => x.name === 'p')!.onlyIf).toMatch(/module\.acct\["b"\]\.aws_iam_role_policy\.p\.role \("agent" is the name of 2 roles of the plan: .*\) names this role/);
      expect(decision(p, 'connect:DeleteInstance')).toBe('conditional');
    }
    expect(byName.warnings).toContainEqual(expect.stringMatching(/is "agent", the name of 2 roles of the plan .*: which one it attaches to is not known/));
  });

  test('an unknown role link that no reference explains may attach to any role of the plan', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.a', 'a'),
        ROLE('aws_iam_role.b', 'b'),
        { address: 'aws_iam_role_policy.p', values: { name: 'p', policy: doc(allow('connect:DeleteInstance')) }, unknown: { role: true }, expressions: { role: ref('local.role_name') } },
      ],
    });
    const plan = loadTerraformPlan(file);
    for (const n of ['a', 'b']) {
      expect(plan.principal(n).policies[0]!.onlyIf).toMatch(/aws_iam_role_policy\.p\.role \(known only after apply\) names this role/);
      expect(decision(plan.principal(n), 'connect:DeleteInstance')).toBe('conditional');
    }
    expect(plan.warnings).toContainEqual(expect.stringMatching(/it may attach to any role of the plan/));
  });

  test('a configured managed_policy_arns known only after apply is an unknown policy', () => {
    const file = writePlan({
      resources: [{ ...ROLE('aws_iam_role.r', 'r'), expressions: { name: constant('r'), managed_policy_arns: ref('var.arns') } }],
    });
    expect(loadTerraformPlan(file).principal('r').policies[0]!.unresolved).toMatch(/aws_iam_role\.r\.managed_policy_arns is known only after apply/);
  });

  test('-target: an attachment of the configuration that the plan does not hold, and an attachment to a role outside the plan', () => {
    const file = writePlan({
      resources: [
        ROLE('aws_iam_role.r', 'r'),
        { address: 'aws_iam_role_policy.out', values: { name: 'out', role: 'someone-else', policy: doc(allow('connect:ListUsers')) }, unknown: {} },
        { address: 'aws_iam_role_policy.missing_role', values: { name: 'm', policy: doc(allow('connect:ListUsers')) }, unknown: { role: true }, expressions: { role: ref('aws_iam_role.not_planned.name', 'aws_iam_role.not_planned') } },
      ],
      configOnly: [
        { type: 'aws_iam_role_policy_attachment', name: 'untargeted', expressions: { role: ref('aws_iam_role.r.name', 'aws_iam_role.r'), policy_arn: constant('arn:aws:iam::aws:policy/AdministratorAccess') } },
        { type: 'aws_iam_role', name: 'not_planned', expressions: { name: constant('np') } },
      ],
    });
    const plan = loadTerraformPlan(file);
    const p = plan.principal('r');
    expect(p.policies.map((x) => x.unresolved)).toEqual([expect.stringMatching(/aws_iam_role_policy_attachment\.untargeted is in the configuration but not in this plan \(made with -target\?\)/)]);
    expect(decision(p, 'connect:DeleteInstance')).toBe('conditional');
    expect(plan.warnings).toEqual(
      expect.arrayContaining([
        'aws_iam_role_policy.out attaches to role someone-else, which is not defined in this plan',
        expect.stringMatching(/^aws_iam_role_policy\.missing_role attaches to role aws_iam_role\.not_planned, which is not defined in this plan/),
        expect.stringMatching(/^aws_iam_role\.not_planned is in the configuration but not in this plan/),
      ]),
    );
  });

  test('count = 0 in the configuration is not a -target gap', () => {
    const file = writePlan({
      resources: [ROLE('aws_iam_role.r', 'r')],
      configOnly: [{ type: 'aws_iam_role_policy_attachment', name: 'off', expressions: { role: ref('aws_iam_role.r.name') } }],
    });
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { configuration: { root_module: { resources: Array<Record<string, unknown>> } } };
    json.configuration.root_module.resources.find((r) => r.name === 'off')!.count_expression = { constant_value: 0 };
    fs.writeFileSync(file, JSON.stringify(json));
    expect(loadTerraformPlan(file).principal('r').policies).toEqual([]);
  });

  test('unknown tags: selection treats them as possibly matching', () => {
    const file = writePlan({ resources: [{ ...ROLE('aws_iam_role.r', 'r', { tags: { team: 'cc' } }), unknown: { tags_all: true, arn: true } }] });
    const p = loadTerraformPlan(file).principal('r');
    expect(p.tags).toEqual({ team: 'cc' });
    expect(p.unknownTags).toEqual(['*']);
  });
});

describe('formats, errors and limits', () => {
  test.each(['0.1', '0.2', '1.0', '1.2', '1.9'])('format_version %s is read', (v) => {
    const file = writePlan({ formatVersion: v, resources: [ROLE('aws_iam_role.r', 'r')] });
    expect(loadTerraformPlan(file).principals).toHaveLength(1);
  });

  test('a plan without resource_changes (only planned_values) and a state (`values`)', () => {
    const role = { address: 'aws_iam_role.r', mode: 'managed', type: 'aws_iam_role', name: 'r', values: { name: 'r', inline_policy: [{ name: 'x', policy: doc(allow('connect:ListUsers')) }], managed_policy_arns: [] } };
    const planOnly = writePlan({ format_version: '0.1', terraform_version: '0.12.31', planned_values: { root_module: { resources: [role] } } });
    expect(loadTerraformPlan(planOnly).principal('r').policies.map((p) => p.name)).toEqual(['x']);
    const state = writePlan({ format_version: '1.0', terraform_version: '1.5.0', values: { root_module: { resources: [role] } } });
    const loaded = loadTerraformPlan(state);
    expect(loaded.source).toBe('state');
    expect(loaded.principal('r').policies.map((p) => p.name)).toEqual(['x']);
  });

  test('a resource being deleted is not a principal', () => {
    const file = writePlan({ resources: [{ ...ROLE('aws_iam_role.gone', 'gone'), actions: ['delete'] }, ROLE('aws_iam_role.r', 'r')] });
    expect(loadTerraformPlan(file).principals.map((p) => p.id)).toEqual(['aws_iam_role.r']);
  });

  test('a newer major format_version is refused rather than misread', () => {
    const file = writePlan({ formatVersion: '2.0', resources: [] });
    expect(() => loadTerraformPlan(file)).toThrow(/format_version 2\.0 is newer than this loader reads/);
  });

  test('invalid JSON: a typed error with line and column', () => {
    const file = writePlan({}, {}, 'x.json');
    fs.writeFileSync(file, '{\n  "format_version": "1.2",\n  "planned_values": {"root_module": {"resources": [\n   {"address": "a" "b"}]}}}');
    let err: unknown;
    try {
      loadTerraformPlan(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicySourceError);
    expect((err as PolicySourceError).line).toBe(4);
    expect((err as PolicySourceError).message).toMatch(/expected ',' or '}'/);
  });

  test('a truncated plan is an error, not a partial read', () => {
    const full = JSON.stringify({ format_version: '1.2', planned_values: { root_module: { resources: [{ address: 'aws_iam_role.r', mode: 'managed', type: 'aws_iam_role', name: 'r', values: { name: 'r' } }] } } });
    const file = writePlan({}, {}, 't.json');
    fs.writeFileSync(file, full.slice(0, full.length - 10));
    expect(() => loadTerraformPlan(file)).toThrow(/truncated|ends inside/);
  });

  test('JSON that is not a plan', () => {
    const file = writePlan({ format_version: '1.0', something: {} });
    expect(() => loadTerraformPlan(file)).toThrow(/not a Terraform plan/);
  });

  test('plans have their own size limit (default 1 GiB), not the 10 MB template limit', () => {
    const file = writePlan({ resources: [ROLE('aws_iam_role.r', 'r')] });
    expect(() => loadTerraformPlan(file, { maxPlanBytes: 100 })).toThrow(/more than the limit of 100 bytes \(option maxPlanBytes\)/);
  });

  test('nesting deeper than maxDepth, even in a skipped resource, is an error', () => {
    const deep = '['.repeat(200) + ']'.repeat(200);
    const file = writePlan({}, {}, 'deep.json');
    fs.writeFileSync(file, `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"x":${deep}}}]}}}`);
    expect(() => loadTerraformPlan(file)).toThrow(/nested more than 100 levels/);
  });

  test('an invalid policy string names the resource address and attribute', () => {
    const file = writePlan({ resources: [ROLE('aws_iam_role.r', 'r'), { address: 'aws_iam_role_policy.p', values: { name: 'p', role: 'r', policy: '{"Statement": [' }, unknown: {} }] });
    expect(() => loadTerraformPlan(file)).toThrow(/aws_iam_role_policy\.p\.policy: the policy document is a string that is not valid JSON/);
  });

  test('non-IAM resources are skipped unread, whatever their size', () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const file = writePlan({
      resources: [ROLE('aws_iam_role.r', 'r'), { address: 'aws_s3_bucket.b', values: { bucket: big, nested: { list: [1, 2, { a: 'b\\"c' }] } }, unknown: {} }],
    });
    expect(loadTerraformPlan(file).principals.map((p) => p.id)).toEqual(['aws_iam_role.r']);
  });
});

describe('positions from the .tf sources beside the plan', () => {
  test('evidence points at the resource block and attribute line; modules with a local source too', () => {
    const main = [
      'resource "aws_iam_role" "agent" {',
      '  name = "agent"',
      '  # a comment with resource "aws_iam_role" "fake" {',
      '  assume_role_policy = <<EOF',
      '{ "not": "a block {" }',
      'EOF',
      '}',
      '',
      'resource "aws_iam_role_policy" "agent" {',
      '  role   = aws_iam_role.agent.name',
      '  policy = jsonencode({',
      '    Version = "2012-10-17"',
      '  })',
      '}',
      '',
      'module "cc" {',
      '  source = "./modules/cc"',
      '}',
    ].join('\n');
    const child = ['variable "x" {}', '', 'resource "aws_iam_role" "reader" {', '  name = "reader"', '}'].join('\n');
    const file = writePlan(
      {
        resources: [
          ROLE('aws_iam_role.agent', 'agent'),
          { address: 'aws_iam_role_policy.agent', values: { name: 'agent', role: 'agent', policy: doc(allow('connect:ListUsers')) }, unknown: {} },
          ROLE('module.cc.aws_iam_role.reader', 'reader'),
        ],
        modules: { cc: { source: './modules/cc' } },
      },
      { 'main.tf': main, 'modules/cc/main.tf': child },
    );
    const dir = path.dirname(file);
    const plan = loadTerraformPlan(file);
    const agent = plan.principal('agent');
    expect(agent.source).toEqual({ file: path.join(dir, 'main.tf'), line: 1, path: 'aws_iam_role.agent', address: 'aws_iam_role.agent' });
    expect(agent.policies[0]!.locations?.['Statement[0]']).toMatchObject({ file: path.join(dir, 'main.tf'), line: 11, address: 'aws_iam_role_policy.agent.policy' });
    expect(plan.principal('reader').source).toMatchObject({ file: path.join(dir, 'modules', 'cc', 'main.tf'), line: 3 });
    expect(loadTerraformPlan(file, { sources: false }).principal('agent').source).toEqual({ file, path: 'aws_iam_role.agent', address: 'aws_iam_role.agent' });
  });
});
