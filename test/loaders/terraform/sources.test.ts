/**
 * `.tf` sources without a plan (loadTerraform): every attachment path of the issue, static
 * evaluation (jsonencode, aws_iam_policy_document, locals, variables and their precedence,
 * templates, count/for_each, local modules at any depth), and what stays unknown (fail-closed):
 * registry modules, functions that are not evaluated, file() of a file that is not there,
 * attributes known only after apply.
 *
 * Terraform's variable precedence: https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence
 * aws_iam_policy_document rendering: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
 */
import * as path from 'node:path';
import { PolicySourceError, UnknownNameError, loadFile, loadTerraform, prepareTerraform } from '../../../src';
import type { AttachedPolicy, LoadedTerraform, Principal } from '../../../src';
import { cli, outcomeOf, tempDir, writeTree } from '../../trust/helpers';

const FIXTURE = path.join(__dirname, '../../fixtures/terraform-src/all-paths');
const TRUST = 'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })';
const role = (name: string, extra = ''): string => `resource "aws_iam_role" "${name}" {\n  name = "${name}"\n  assume_role_policy = ${TRUST}\n${extra}}\n`;

const summary = (p: AttachedPolicy): string => `${p.origin}:${p.name}${p.unresolved ? ' (unknown)' : ''}${p.onlyIf ? ` if ${p.onlyIf}` : ''}`;
const passes = (fn: () => void): boolean => outcomeOf(fn).kind === 'pass';

describe('every attachment path, through loadTerraform', () => {
  let tf: LoadedTerraform;
  beforeAll(async () => {
    tf = await loadTerraform(FIXTURE);
  });

  test('the principals: roles, users, groups, module instances by full address, names from terraform.tfvars over the defaults', () => {
    expect(tf.principals.map((p) => [p.kind, p.id, p.name])).toEqual([
      ['role', 'aws_iam_role.admin', 'cc-prod-admin'],
      ['user', 'aws_iam_user.operator', 'cc-prod-operator'],
      ['group', 'aws_iam_group.supervisors', 'cc-prod-supervisors'],
      ['user', 'aws_iam_user.supervisor', 'cc-prod-supervisor'],
      ['group', 'aws_iam_group.auditors', 'cc-prod-auditors'],
      ['role', 'aws_iam_role.exclusive', 'cc-prod-exclusive'],
      ['role', 'module.agent["eu"].aws_iam_role.agent[0]', 'cc-prod-agent-eu'],
      ['role', 'module.agent["us"].aws_iam_role.agent[0]', 'cc-prod-agent-us'],
    ]);
    expect(tf.warnings).toEqual([]);
    expect(tf.unresolvedModules).toEqual([]);
    expect(tf.principal('cc-prod-admin').tags).toEqual({ team: 'contact-center', 'access-level': 'admin' });
  });

  test('inline_policy block, managed_policy_arns (AWS managed, offline), aws_iam_role_policy from a policy document, an aws_iam_policy attached by reference, permissions_boundary by reference', () => {
    const admin = tf.principal('aws_iam_role.admin');
    expect(admin.policies.map(summary)).toEqual(['inline:inline-block', 'managed-arn:AmazonConnectReadOnlyAccess', 'policy-resource:extra', 'managed-policy-resource:cc-prod-shared']);
    expect(admin.permissionsBoundary?.name).toBe('cc-prod-boundary');
    expect(admin.permissionsBoundary?.unresolved).toBeUndefined();
    expect(admin).toAllowAction('connect:UpdateInstanceStorageConfig');
    expect(admin).toAllowAction('connect:CreateQueue');
    // The condition of the data document is kept: allowed only in eu-west-2.
    expect(passes(() => expect(admin).toAllowAction('connect:CreateUser'))).toBe(false);
    expect(admin).toAllowAction('connect:CreateUser', { context: { 'aws:RequestedRegion': 'eu-west-2' } });
  });

  test('statements point at their .tf line (a local, a literal, a statement block)', () => {
    const admin = tf.principal('aws_iam_role.admin');
    const main = path.join(FIXTURE, 'main.tf');
    const inline = admin.policies[0]!;
    expect(inline.source).toMatchObject({ file: main, line: 32 });
    expect(inline.locations?.['Statement[0]']).toMatchObject({ file: main, line: 14 }); // local.read_statement
    expect(inline.locations?.['Statement[1]']).toMatchObject({ file: main, line: 36 });
    expect(inline.locations?.['Statement[1].Action']).toMatchObject({ file: main, line: 39 });
    const extra = admin.policies[2]!;
    expect(extra.locations?.['Statement[0]']).toMatchObject({ file: main, line: 70 });
    expect(extra.locations?.['Statement[0].Condition']).toMatchObject({ file: main, line: 74 });
  });

  test('users: aws_iam_user_policy, aws_iam_user_policy_attachment, aws_iam_policy_attachment (users), aws_iam_user_group_membership', () => {
    expect(tf.principal('cc-prod-operator').policies.map(summary)).toEqual([
      'policy-resource:operator-inline',
      'managed-arn:AmazonConnectReadOnlyAccess',
      'managed-arn:AmazonConnectReadOnlyAccess',
      'group:AmazonConnectReadOnlyAccess (group aws_iam_group.auditors)',
    ]);
  });

  test('groups: aws_iam_group_policy, aws_iam_group_policy_attachment, aws_iam_policy_attachment (groups); aws_iam_group_membership gives the user the group policies', () => {
    expect(tf.principal('cc-prod-supervisors').policies.map(summary)).toEqual(['policy-resource:supervisors-inline', 'managed-policy-resource:cc-prod-shared']);
    expect(tf.principal('cc-prod-auditors').policies.map(summary)).toEqual(['managed-arn:AmazonConnectReadOnlyAccess']);
    const sup = tf.principal('cc-prod-supervisor');
    expect(sup.policies.map(summary)).toEqual(['group:supervisors-inline (group aws_iam_group.supervisors)', 'group:cc-prod-shared (group aws_iam_group.supervisors)']);
    expect(sup).toAllowAction('connect:GetCurrentMetricData');
  });

  test('*_exclusive: the attachments it lists, and an inline policy it keeps that the configuration does not define is unknown', () => {
    const ex = tf.principal('cc-prod-exclusive');
    expect(ex.policies.map(summary)).toEqual(['managed-arn:AmazonConnectReadOnlyAccess', 'inline:kept-outside (unknown)']);
    expect(ex.policies[1]!.unresolved).toMatch(/keeps inline policy kept-outside, which this configuration does not define/);
    expect(passes(() => expect(ex).toBeReadOnly())).toBe(false);
  });

  test('a local module with for_each, count inside it, a heredoc JSON policy, and an attachment through the module output', () => {
    const eu = tf.principal('module.agent["eu"].aws_iam_role.agent[0]');
    expect(eu.policies.map(summary)).toEqual(['managed-policy-resource:cc-prod-shared', 'policy-resource:agent']);
    expect(eu.source).toMatchObject({ file: path.join(FIXTURE, 'modules/agent/main.tf'), line: 9 });
    expect(eu.tags).toEqual({ 'access-level': 'agent' });
    expect(eu).toAllowAction('connect:DescribeContact');
    // The heredoc's JSON statement is located at its own line.
    expect(eu.policies[1]!.locations?.['Statement[0]']).toMatchObject({ file: path.join(FIXTURE, 'modules/agent/main.tf'), line: 26 });
  });

  test('the variables option wins over terraform.tfvars; an undeclared name is an error with a suggestion', async () => {
    const dev = await loadTerraform(FIXTURE, { variables: { stage: 'test', regions: ['ap'] } });
    expect(dev.principals.map((p) => p.name)).toContain('cc-test-agent-ap');
    await expect(loadTerraform(FIXTURE, { variables: { stages: 'x' } })).rejects.toThrow(UnknownNameError);
    await expect(loadTerraform(FIXTURE, { variables: { stages: 'x' } })).rejects.toThrow(/stage/);
    expect((await loadTerraform(FIXTURE, { variables: { stages: 'x' }, unknownInputs: 'ignore' })).principals).toHaveLength(8);
  });
});

describe('static evaluation', () => {
  beforeAll(() => prepareTerraform());

  test('variable precedence: default < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars (lexical) < the variables option', async () => {
    const files = {
      'main.tf': 'variable "a" { default = "default" }\nvariable "b" { default = "default" }\nvariable "c" { default = "default" }\nvariable "d" { default = "default" }\nvariable "e" { default = "default" }\n' +
        'resource "aws_iam_user" "u" {\n  name = "${var.a}.${var.b}.${var.c}.${var.d}.${var.e}"\n}\n',
      'terraform.tfvars': 'b = "tfvars"\nc = "tfvars"\nd = "tfvars"\ne = "tfvars"\n',
      'terraform.tfvars.json': '{"c": "tfvars.json", "d": "tfvars.json", "e": "tfvars.json"}',
      'a.auto.tfvars': 'd = "a.auto"\ne = "a.auto"\n',
      'b.auto.tfvars.json': '{"e": "b.auto"}',
    };
    const dir = writeTree(tempDir('jci-tfsrc-vars-'), files);
    expect((await loadTerraform(dir)).principals[0]!.name).toBe('default.tfvars.tfvars.json.a.auto.b.auto');
    expect((await loadTerraform(dir, { variables: { a: 'opt', e: 'opt' } })).principals[0]!.name).toBe('opt.tfvars.tfvars.json.a.auto.opt');
  });

  test('locals, templates, for expressions, conditionals, functions, dynamic statement blocks, source/override documents', async () => {
    const dir = writeTree(tempDir('jci-tfsrc-eval-'), {
      'main.tf': `
locals {
  envs    = { prod = "eu-west-2", dev = "us-east-1" }
  actions = [for a in ["Describe*", "List*"] : "connect:\${a}"]
  admin   = length(local.envs) > 1 ? "yes" : "no"
  name    = format("%s-%s", "cc", lower("PROD"))
}
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Base"
    actions   = ["connect:ListUsers"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "main" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  dynamic "statement" {
    for_each = local.envs
    content {
      sid       = "Read\${title(statement.key)}"
      actions   = local.actions
      resources = ["*"]
      condition {
        test     = "StringEquals"
        variable = "aws:RequestedRegion"
        values   = [statement.value]
      }
    }
  }
}
resource "aws_iam_role" "r" {
  for_each           = local.envs
  name               = "\${local.name}-\${each.key}-\${local.admin}"
  assume_role_policy = ${TRUST}
  inline_policy {
    name   = "p"
    policy = data.aws_iam_policy_document.main.json
  }
}
`,
    });
    const tf = await loadTerraform(dir);
    expect(tf.principals.map((p) => [p.id, p.name])).toEqual([
      ['aws_iam_role.r["dev"]', 'cc-prod-dev-yes'],
      ['aws_iam_role.r["prod"]', 'cc-prod-prod-yes'],
    ]);
    const doc = tf.principals[0]!.policies[0]!.document as { Statement: Array<{ Sid: string; Action: unknown; Condition?: unknown }> };
    expect(doc.Statement.map((s) => s.Sid)).toEqual(['Base', 'ReadProd', 'ReadDev']);
    expect(doc.Statement[1]!.Action).toEqual(['connect:Describe*', 'connect:List*']);
    const p = tf.principals[0]!;
    expect(p).toAllowAction('connect:ListUsers');
    expect(p).toAllowAction('connect:DescribeUser', { context: { 'aws:RequestedRegion': 'us-east-1' } });
    expect(passes(() => expect(p).toAllowAction('connect:DescribeUser', { context: { 'aws:RequestedRegion': 'ap-south-1' } }))).toBe(false);
  });

  test('file() and templatefile() of local files are read; modules nest (a module calling a module) with inputs and outputs', async () => {
    const dir = writeTree(tempDir('jci-tfsrc-files-'), {
      'main.tf': `
module "outer" {
  source = "./modules/outer"
  prefix = "acme"
}
resource "aws_iam_role_policy" "from_file" {
  name   = "from-file"
  role   = module.outer.role_name
  policy = file("\${path.module}/policies/read.json")
}
`,
      'policies/read.json': '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:ListQueues","Resource":"*"}]}',
      'modules/outer/main.tf': `
variable "prefix" {}
module "inner" {
  source = "../inner"
  name   = "\${var.prefix}-inner"
}
output "role_name" {
  value = module.inner.role_name
}
`,
      'modules/inner/main.tf': `
variable "name" {}
resource "aws_iam_role" "r" {
  name               = var.name
  assume_role_policy = ${TRUST}
}
resource "aws_iam_role_policy" "t" {
  name   = "templated"
  role   = aws_iam_role.r.name
  policy = templatefile("\${path.module}/policy.json.tpl", { action = "connect:ListPhoneNumbers" })
}
output "role_name" {
  value = aws_iam_role.r.name
}
`,
      'modules/inner/policy.json.tpl': '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"${action}","Resource":"*"}]}\n',
    });
    const tf = await loadTerraform(dir);
    const r = tf.principal('module.outer.module.inner.aws_iam_role.r');
    expect(r.name).toBe('acme-inner');
    expect(r.policies.map(summary)).toEqual(['policy-resource:from-file', 'policy-resource:templated']);
    expect(r).toAllowAction('connect:ListQueues');
    // file() of a JSON policy: its statements point into that file.
    expect(r.policies[0]!.locations?.['Statement[0]']).toMatchObject({ file: path.join(dir, 'policies/read.json'), line: 1 });
    expect(r).toAllowAction('connect:ListPhoneNumbers');
    expect(r.source?.file).toBe(path.join(dir, 'modules/inner/main.tf'));
  });
});

describe('unknowns are fail-closed and named with file:line', () => {
  beforeAll(() => prepareTerraform());

  test('a registry module: a warning, a placeholder principal whose policy is unknown, and an attachment to its output is unknown', async () => {
    const dir = writeTree(tempDir('jci-tfsrc-registry-'), {
      'main.tf': `
module "iam" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "5.0.0"
}
${role('local_role', '  managed_policy_arns = [module.iam.policy_arn]\n')}
`,
    });
    const tf = await loadTerraform(dir);
    expect(tf.unresolvedModules).toEqual([{ address: 'module.iam', source: 'terraform-aws-modules/iam/aws//modules/iam-assumable-role', location: expect.objectContaining({ file: path.join(dir, 'main.tf'), line: 2 }) }]);
    expect(tf.warnings).toEqual([expect.stringMatching(/main\.tf:2: module\.iam has source "terraform-aws-modules\/iam\/aws\/\/modules\/iam-assumable-role", which is not a local module: .*fail-closed/)]);
    const placeholder = tf.principal('module.iam');
    expect(passes(() => expect(placeholder).toBeReadOnly())).toBe(false);
    expect(passes(() => expect(placeholder).not.toAllowAction('connect:DeleteInstance'))).toBe(false);
    const local = tf.principal('local_role');
    expect(local.policies.map(summary)).toEqual(['managed-arn:aws_iam_role.local_role.managed_policy_arns[0] (unknown)']);
    expect(local.policies[0]!.unresolved).toMatch(/main\.tf:9: .*module\.iam \(source "terraform-aws-modules.*is not a local module: its outputs are unknown/);
    expect(passes(() => expect(local).not.toAllowAction('connect:DeleteInstance'))).toBe(false);
  });

  test('a function this evaluator does not evaluate, and file() of a file that is not there: the policy is unknown, named with file:line and the expression', async () => {
    const dir = writeTree(tempDir('jci-tfsrc-fn-'), {
      'main.tf': `${role('a')}
resource "aws_iam_role_policy" "a" {
  name   = "a"
  role   = aws_iam_role.a.name
  policy = jsonencode(yamldecode("x: 1"))
}
resource "aws_iam_role_policy" "b" {
  name   = "b"
  role   = aws_iam_role.a.name
  policy = file("generated/policy.json")
}
`,
    });
    const a = (await loadTerraform(dir)).principal('a');
    expect(a.policies.map((p) => p.unresolved)).toEqual([
      expect.stringMatching(/main\.tf:9: yamldecode\("x: 1"\) calls yamldecode\(\), a function this evaluator does not evaluate.*could grant anything/),
      expect.stringMatching(/main\.tf:14: file\("generated\/policy\.json"\) reads generated\/policy\.json, which does not exist.*could grant anything/),
    ]);
    expect(passes(() => expect(a).not.toAllowAction('connect:DeleteInstance'))).toBe(false);
    expect(passes(() => expect(a).toAllowAction('connect:ListUsers'))).toBe(false);
  });

  test('a partly known jsonencode keeps what is known: a Resource known only after apply makes only the answers that need it conditional', async () => {
    const dir = writeTree(tempDir('jci-tfsrc-partial-'), {
      'main.tf': `${role('a')}
resource "aws_s3_bucket" "recordings" {
  bucket_prefix = "recordings-"
}
resource "aws_iam_role_policy" "a" {
  name = "a"
  role = aws_iam_role.a.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "connect:ListUsers", Resource = "*" },
      { Effect = "Allow", Action = "s3:GetObject", Resource = "\${aws_s3_bucket.recordings.arn}/*" },
    ]
  })
}
`,
    });
    const a = (await loadTerraform(dir)).principal('a');
    expect(a.policies[0]!.unresolved).toBeUndefined();
    expect(a).toAllowAction('connect:ListUsers');
    expect(a).not.toAllowAction('connect:DeleteInstance');
    const get = outcomeOf(() => expect(a).toAllowAction('s3:GetObject', { resource: 'arn:aws:s3:::other/x' }));
    expect(get.kind).toBe('fail');
    expect(get.kind === 'fail' && get.message).toMatch(/aws_s3_bucket\.recordings\.arn is known only after apply/);
  });

  test('for_each over a variable without a value: a warning, one instance checked with unknown values', async () => {
    const dir = writeTree(tempDir('jci-tfsrc-each-'), {
      'main.tf': `variable "names" {}\nresource "aws_iam_user" "u" {\n  for_each = var.names\n  name     = each.key\n}\n`,
    });
    const tf = await loadTerraform(dir);
    expect(tf.principals.map((p) => [p.id, p.name])).toEqual([['aws_iam_user.u', undefined]]);
    expect(tf.warnings).toEqual([expect.stringMatching(/main\.tf:3: for_each of aws_iam_user\.u is not known statically \(.*var\.names .*has no default and no value was given/)]);
  });
});

describe('bad input: typed errors with file:line:column', () => {
  beforeAll(() => prepareTerraform());

  test.each([
    ['an unclosed block', 'resource "aws_iam_role" "r" {\n  name = "r"\n', /main\.tf:\d+:\d+: HCL syntax error/],
    ['a stray token', 'resource "aws_iam_role" "r" {\n  name = = "r"\n}\n', /main\.tf:2:\d+: HCL syntax error/],
    ['an unterminated string', 'locals {\n  x = "abc\n}\n', /main\.tf:\d+:\d+: HCL syntax error/],
  ])('%s', async (_name, text, message) => {
    const dir = writeTree(tempDir('jci-tfsrc-bad-'), { 'main.tf': text });
    const err = await loadTerraform(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicySourceError);
    expect((err as PolicySourceError).message).toMatch(message);
    expect((err as PolicySourceError).message).not.toMatch(/\n\s+at /);
    expect((err as PolicySourceError).line).toBeGreaterThan(0);
    expect((err as PolicySourceError).column).toBeGreaterThan(0);
    // In a scan (loadFile), the root is an input error, not a crash.
    const r = loadFile(dir);
    expect(r.kind).toBe('terraform');
    expect(r.error).toBeInstanceOf(PolicySourceError);
  });

  test('deep nesting is refused, not a stack overflow; a count that is not a number is an error naming the address', async () => {
    const deep = `locals {\n  x = ${'['.repeat(5000)}${']'.repeat(5000)}\n}\n`;
    const d1 = writeTree(tempDir('jci-tfsrc-deep-'), { 'main.tf': deep });
    await expect(loadTerraform(d1)).rejects.toThrow(PolicySourceError);
    const d2 = writeTree(tempDir('jci-tfsrc-count-'), { 'main.tf': 'resource "aws_iam_user" "u" {\n  count = "many"\n  name = "u"\n}\n' });
    await expect(loadTerraform(d2)).rejects.toThrow(/main\.tf:2:\d+: aws_iam_user\.u: count must be a whole number/);
  });

  test('a module that calls itself, and count/for_each that multiply past the limit: errors, not a hang', async () => {
    const self = writeTree(tempDir('jci-tfsrc-self-'), { 'main.tf': 'module "again" {\n  source = "./"\n}\nresource "aws_iam_user" "u" {\n  name = "u"\n}\n' });
    await expect(loadTerraform(self)).rejects.toThrow(/nested more than 32 deep .*a module that calls itself/);
    const many = writeTree(tempDir('jci-tfsrc-many-'), {
      'main.tf': 'module "m" {\n  source = "./m"\n  count  = 1000\n}\n',
      'm/main.tf': 'resource "aws_iam_user" "u" {\n  count = 1000\n  name  = "u${count.index}"\n}\n',
    });
    await expect(loadTerraform(many)).rejects.toThrow(/more than 200000 resource and module instances/);
  });

  test('a directory without .tf files is not a Terraform root', async () => {
    await expect(loadTerraform(tempDir('jci-tfsrc-empty-'))).rejects.toThrow(/has no \.tf files/);
  });
});

export type { Principal };

describe('the bin over a Terraform root without a plan (dist/bundle/cli.js)', () => {
  const repo = writeTree(tempDir('jci-tfsrc-bin-'), {
    'infra/main.tf': `${role('auditor', '  tags = { access-level = "read-only" }\n')}
resource "aws_iam_role_policy" "auditor" {
  name = "auditor"
  role = aws_iam_role.auditor.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["connect:ListUsers"], Resource = "*" },
      { Effect = "Allow", Action = ["connect:UpdateUserHierarchy"], Resource = "*" },
    ]
  })
}
`,
    'jest-connect-iam.rules.yaml': 'version: 1\nrules:\n  - name: ro\n    select: { tags: { access-level: read-only } }\n    expect: { readOnly: true }\n',
  });

  test('check: exit 1 on the violation, naming the .tf file:line of the statement; SARIF points there too', () => {
    const check = cli(['check', '--cwd', repo]);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/infra\/main\.tf:14/);
    const sarif = JSON.parse(cli(['check', '--cwd', repo, '--format', 'sarif']).stdout) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }> }> }> };
    const loc = sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation;
    expect(loc.artifactLocation.uri).toMatch(/infra\/main\.tf$/);
    expect(loc.region?.startLine).toBe(14);
  });

  test('bad HCL in a root: exit 2, the file:line:column, and the rest of the repo still checked', () => {
    const bad = writeTree(tempDir('jci-tfsrc-bin-bad-'), {
      'broken/main.tf': 'resource "aws_iam_role" "r" {\n  name = = "r"\n}\n',
      'policies/viewer.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListUsers', Resource: '*' }] }),
      'jest-connect-iam.rules.yaml': 'version: 1\nrules:\n  - name: no-delete\n    expect: { notAllowActions: [connect:DeleteInstance] }\n',
    });
    const check = cli(['check', '--cwd', bad]);
    expect(check.status).toBe(2);
    expect(check.stdout).toMatch(/broken: cannot be read: main\.tf:2:\d+: HCL syntax error/);
    expect(check.stdout).toMatch(/viewer\.json/);
    expect(check.stdout + check.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe('try() and can() never pick a default over a value known only after apply', () => {
  beforeAll(() => prepareTerraform());

  test('try(aws_iam_policy.x.arn, "<AWS managed>") is the customer policy (by reference), not the fallback; try() over a missing key takes the fallback', async () => {
    const dir = writeTree(tempDir('jci-tfsrc-try-'), {
      'main.tf': `
locals {
  settings = { name = "r" }
}
resource "aws_iam_policy" "custom" {
  name   = "custom"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "connect:DeleteInstance", Resource = "*" }] })
}
${role('r', '  managed_policy_arns = [try(aws_iam_policy.custom.arn, "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess")]\n')}
resource "aws_iam_user" "u" {
  name = try(local.settings.user_name, "fallback-user")
}
`,
    });
    const tf = await loadTerraform(dir);
    const r = tf.principal('r');
    // The AWS managed fallback would make this read-only: it must not pass.
    expect(passes(() => expect(r).toBeReadOnly())).toBe(false);
    expect(passes(() => expect(r).not.toAllowAction('connect:DeleteInstance'))).toBe(false);
    expect(tf.principal('aws_iam_user.u').name).toBe('fallback-user');
  });
});
