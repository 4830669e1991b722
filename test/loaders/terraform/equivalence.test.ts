/**
 * One table, three sources: the same roles written as a CloudFormation template, as a Terraform
 * plan and as Terraform `.tf` sources without a plan (loadTerraform) give the same answer to every matcher (pass or fail), and the answers are pinned, so the
 * table cannot pass by both sides being wrong in the same way.
 *
 * Attachment paths side by side: AWS managed ARN (ManagedPolicyArns / aws_iam_role_policy_attachment),
 * a customer managed policy of the same file (AWS::IAM::ManagedPolicy by !Ref / aws_iam_policy by
 * .arn known only after apply), an inline policy with a resource known only after deployment
 * (!GetAtt / a data document whose resources are unknown), a permissions boundary, a user's group,
 * and a whole policy that is unknown (!ImportValue / a policy known only after apply).
 */
import * as path from 'node:path';
import { loadTemplate, loadTerraform, loadTerraformPlan } from '../../../src';
import type { LoadedTerraform, Principal } from '../../../src';
import { outcomeOf, tempDir, writeTree } from '../../trust/helpers';
import { allow, constant, doc, ref, writePlan } from './plan-builder';

const STORAGE = [
  allow(['connect:ListInstances', 'connect:DescribeInstance', 'ds:DescribeDirectories']),
  allow(['connect:ListInstanceStorageConfigs', 'connect:DescribeInstanceStorageConfig', 'connect:AssociateInstanceStorageConfig', 'connect:UpdateInstanceStorageConfig', 'connect:DisassociateInstanceStorageConfig']),
  allow(['s3:ListAllMyBuckets', 's3:GetBucketLocation', 's3:GetBucketAcl', 's3:CreateBucket', 'kms:DescribeKey', 'kms:ListAliases', 'kms:CreateGrant', 'kms:RetireGrant']),
];
const SUPERVISOR_KNOWN = allow(['connect:ListInstances', 'connect:DescribeInstance', 'connect:DescribeInstanceAttribute', 'ds:DescribeDirectories']);
const RO = 'arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess';
const FULL = 'arn:aws:iam::aws:policy/AmazonConnect_FullAccess';
const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'connect.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

const template = {
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    Instance: { Type: 'AWS::Connect::Instance', Properties: { IdentityManagementType: 'CONNECT_MANAGED', Attributes: { InboundCalls: true, OutboundCalls: true } } },
    Auditor: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'auditor', AssumeRolePolicyDocument: trust, ManagedPolicyArns: [RO] } },
    StoragePolicy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'storage', PolicyDocument: { Version: '2012-10-17', Statement: STORAGE } } },
    Storage: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'storage', AssumeRolePolicyDocument: trust, ManagedPolicyArns: [{ Ref: 'StoragePolicy' }] } },
    Supervisor: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'supervisor',
        AssumeRolePolicyDocument: trust,
        Policies: [{ PolicyName: 'supervisor', PolicyDocument: { Version: '2012-10-17', Statement: [SUPERVISOR_KNOWN, { Effect: 'Allow', Action: 'connect:UpdateInstanceAttribute', Resource: { 'Fn::GetAtt': ['Instance', 'Arn'] } }] } }],
      },
    },
    Bounded: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'bounded', AssumeRolePolicyDocument: trust, ManagedPolicyArns: [FULL], PermissionsBoundary: RO } },
    Team: { Type: 'AWS::IAM::Group', Properties: { GroupName: 'team', ManagedPolicyArns: [RO] } },
    Member: { Type: 'AWS::IAM::User', Properties: { UserName: 'member', Groups: [{ Ref: 'Team' }] } },
    Imported: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'imported', AssumeRolePolicyDocument: trust, Policies: [{ PolicyName: 'shared', PolicyDocument: { 'Fn::ImportValue': 'SharedPolicy' } }] } },
  },
};

const role = (address: string, name: string, extra: Record<string, unknown> = {}): { address: string; values: Record<string, unknown>; unknown: Record<string, unknown>; expressions: Record<string, unknown> } => ({
  address,
  values: { name, assume_role_policy: JSON.stringify(trust), path: '/', tags: null, tags_all: {}, permissions_boundary: null, ...extra },
  unknown: { arn: true, id: true, unique_id: true, inline_policy: true, managed_policy_arns: true },
  expressions: { name: constant(name), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, constant(v)])) },
});
const planFile = writePlan({
  resources: [
    role('aws_iam_role.auditor', 'auditor'),
    { address: 'aws_iam_role_policy_attachment.auditor', values: { role: 'auditor', policy_arn: RO }, unknown: { id: true } },
    { address: 'aws_iam_policy.storage', values: { name: 'storage', path: '/', policy: doc(...STORAGE) }, unknown: { arn: true, id: true } },
    role('aws_iam_role.storage', 'storage'),
    { address: 'aws_iam_role_policy_attachment.storage', values: { role: 'storage' }, unknown: { policy_arn: true }, expressions: { role: ref('aws_iam_role.storage.name'), policy_arn: ref('aws_iam_policy.storage.arn', 'aws_iam_policy.storage') } },
    role('aws_iam_role.supervisor', 'supervisor'),
    {
      address: 'data.aws_iam_policy_document.supervisor',
      values: {
        statement: [
          { actions: SUPERVISOR_KNOWN.Action, resources: ['*'], effect: 'Allow', sid: '' },
          { actions: ['connect:UpdateInstanceAttribute'], effect: 'Allow', sid: '' },
        ],
      },
      unknown: { json: true, statement: [{}, { resources: true }] },
    },
    { address: 'aws_iam_role_policy.supervisor', values: { name: 'supervisor', role: 'supervisor' }, unknown: { policy: true }, expressions: { role: ref('aws_iam_role.supervisor.id'), policy: ref('data.aws_iam_policy_document.supervisor.json') } },
    { ...role('aws_iam_role.bounded', 'bounded', { permissions_boundary: RO, managed_policy_arns: [FULL] }), unknown: { arn: true, inline_policy: true } },
    { address: 'aws_iam_group.team', values: { name: 'team' }, unknown: {} },
    { address: 'aws_iam_group_policy_attachment.team', values: { group: 'team', policy_arn: RO }, unknown: {} },
    { address: 'aws_iam_user.member', values: { name: 'member', permissions_boundary: null, tags: null, tags_all: {} }, unknown: {} },
    { address: 'aws_iam_user_group_membership.member', values: { user: 'member', groups: ['team'] }, unknown: {} },
    role('aws_iam_role.imported', 'imported'),
    { address: 'aws_iam_role_policy.imported', values: { name: 'shared', role: 'imported' }, unknown: { policy: true }, expressions: { role: constant('imported'), policy: ref('data.terraform_remote_state.shared.outputs.policy') } },
  ],
});

const dir = writeTree(tempDir('jci-tf-eq-'), { 'template.json': JSON.stringify(template) });
const cfn = loadTemplate(path.join(dir, 'template.json'));
const tf = loadTerraformPlan(planFile);

// The same roles as .tf sources: the customer managed policy by reference (its ARN is known only
// after apply), a statement whose resource is an attribute of aws_connect_instance, a policy read
// from terraform_remote_state (a data source: unknown before plan).
const hcl = (statements: ReadonlyArray<Record<string, unknown>>): string =>
  statements.map((st) => `    { Effect = "Allow", Action = ${JSON.stringify(st.Action)}, Resource = "*" },`).join('\n');
const TRUST_TF = `jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "connect.amazonaws.com" }, Action = "sts:AssumeRole" }] })`;
const MAIN_TF = `
resource "aws_connect_instance" "instance" {
  identity_management_type = "CONNECT_MANAGED"
  inbound_calls_enabled    = true
  outbound_calls_enabled   = true
}

resource "aws_iam_role" "auditor" {
  name               = "auditor"
  assume_role_policy = ${TRUST_TF}
}
resource "aws_iam_role_policy_attachment" "auditor" {
  role       = aws_iam_role.auditor.name
  policy_arn = "${RO}"
}

resource "aws_iam_policy" "storage" {
  name = "storage"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
${hcl(STORAGE)}
    ]
  })
}
resource "aws_iam_role" "storage" {
  name               = "storage"
  assume_role_policy = ${TRUST_TF}
}
resource "aws_iam_role_policy_attachment" "storage" {
  role       = aws_iam_role.storage.name
  policy_arn = aws_iam_policy.storage.arn
}

resource "aws_iam_role" "supervisor" {
  name               = "supervisor"
  assume_role_policy = ${TRUST_TF}
}
data "aws_iam_policy_document" "supervisor" {
  statement {
    actions   = ${JSON.stringify(SUPERVISOR_KNOWN.Action)}
    resources = ["*"]
  }
  statement {
    actions   = ["connect:UpdateInstanceAttribute"]
    resources = [aws_connect_instance.instance.arn]
  }
}
resource "aws_iam_role_policy" "supervisor" {
  name   = "supervisor"
  role   = aws_iam_role.supervisor.id
  policy = data.aws_iam_policy_document.supervisor.json
}

resource "aws_iam_role" "bounded" {
  name                 = "bounded"
  assume_role_policy   = ${TRUST_TF}
  managed_policy_arns  = ["${FULL}"]
  permissions_boundary = "${RO}"
}

resource "aws_iam_group" "team" {
  name = "team"
}
resource "aws_iam_group_policy_attachment" "team" {
  group      = aws_iam_group.team.name
  policy_arn = "${RO}"
}
resource "aws_iam_user" "member" {
  name = "member"
}
resource "aws_iam_user_group_membership" "member" {
  user   = aws_iam_user.member.name
  groups = [aws_iam_group.team.name]
}

data "terraform_remote_state" "shared" {
  backend = "s3"
}
resource "aws_iam_role" "imported" {
  name               = "imported"
  assume_role_policy = ${TRUST_TF}
}
resource "aws_iam_role_policy" "imported" {
  name   = "shared"
  role   = aws_iam_role.imported.name
  policy = data.terraform_remote_state.shared.outputs.policy
}
`;
const tfDir = writeTree(tempDir('jci-tf-eq-src-'), { 'main.tf': MAIN_TF });
let src: LoadedTerraform;
beforeAll(async () => {
  src = await loadTerraform(tfDir);
});

const MATCHERS: ReadonlyArray<readonly [string, (p: Principal) => void]> = [
  ['toGrantConsoleTask View call recording', (p) => expect(p).toGrantConsoleTask('Data storage', 'View call recording')],
  ['.not.toGrantConsoleTask Edit call recording', (p) => expect(p).not.toGrantConsoleTask('Data storage', 'Edit call recording')],
  ['toGrantConsoleTask Edit call recording', (p) => expect(p).toGrantConsoleTask('Data storage', 'Edit call recording')],
  ['toBeReadOnly', (p) => expect(p).toBeReadOnly()],
  ['toStayWithin AmazonConnectReadOnlyAccess', (p) => expect(p).toStayWithin('AmazonConnectReadOnlyAccess')],
  ['toAllowAction connect:DescribeInstance', (p) => expect(p).toAllowAction('connect:DescribeInstance')],
  ['.not.toAllowAction connect:UpdateInstanceAttribute', (p) => expect(p).not.toAllowAction('connect:UpdateInstanceAttribute')],
  ['.not.toGrantConsolePage Telephony', (p) => expect(p).not.toGrantConsolePage('Telephony')],
];

/** [role name, expected outcome of each matcher above in order: P pass, F fail]. */
const EXPECTED: ReadonlyArray<readonly [string, string]> = [
  // Read-only access sees the Telephony page (View telephony options), so `.not.toGrantConsolePage` fails.
  ['auditor', 'P P F P P P P F'],
  ['storage', 'P F P F F P P F'],
  // UpdateInstanceAttribute on a resource known only after deployment: every answer that needs it is conditional
  // (Edit call recording does not need it, so `.not.toGrantConsoleTask` passes).
  ['supervisor', 'F P F F F P F F'],
  ['bounded', 'P P F P P P P F'],
  ['member', 'P P F P P P P F'],
  ['imported', 'F F F F F F F F'],
];

describe.each(EXPECTED)('%s: the same answers from CloudFormation, a Terraform plan and .tf sources', (name, expected) => {
  const outcomes = (p: Principal): string => MATCHERS.map(([, run]) => (outcomeOf(() => run(p)).kind === 'pass' ? 'P' : 'F')).join(' ');
  test('CloudFormation and Terraform agree, and give the pinned answers', () => {
    const fromCfn = outcomes(cfn.principal(name));
    const fromTf = outcomes(tf.principal(name));
    const fromSources = outcomes(src.principal(name));
    expect({ name, terraform: fromTf, sources: fromSources }).toEqual({ name, terraform: fromCfn, sources: fromCfn });
    expect(fromCfn).toBe(expected);
  });
});

test('the .tf sources load without warnings, and name the .tf line of each principal', () => {
  expect(src.warnings).toEqual([]);
  const lineOf = (header: string): number => MAIN_TF.split('\n').findIndex((l) => l.startsWith(header)) + 1;
  expect(src.principals.map((p) => [p.id, p.source?.file, p.source?.line])).toEqual(
    [
      ['aws_iam_role.auditor', 'resource "aws_iam_role" "auditor"'],
      ['aws_iam_role.storage', 'resource "aws_iam_role" "storage"'],
      ['aws_iam_role.supervisor', 'resource "aws_iam_role" "supervisor"'],
      ['aws_iam_role.bounded', 'resource "aws_iam_role" "bounded"'],
      ['aws_iam_group.team', 'resource "aws_iam_group" "team"'],
      ['aws_iam_user.member', 'resource "aws_iam_user" "member"'],
      ['aws_iam_role.imported', 'resource "aws_iam_role" "imported"'],
    ].map(([id, header]) => [id, path.join(tfDir, 'main.tf'), lineOf(header!)]),
  );
  // The unknowns name the .tf line and the expression, not "known only after apply" when it is something else.
  expect(src.principal('imported').policies.map((p) => p.unresolved)).toEqual([
    expect.stringMatching(new RegExp(`main\\.tf:${lineOf('  policy = data.terraform_remote_state')}: data\\.terraform_remote_state\\.shared\\.outputs\\.policy: .*read from AWS when Terraform plans`)),
  ]);
});
