/**
 * The same Connect team as connect-access.test.ts, written in Terraform (terraform/): the plan JSON
 * beside the .tf files is authoritative, the .tf files give the lines. Through the package's entry points.
 */
import 'jest-connect-iam/matchers';
import * as path from 'node:path';
import { loadFile, loadTerraformPlan } from 'jest-connect-iam';

const dir = path.join(__dirname, '../terraform');
const plan = loadTerraformPlan(path.join(dir, 'plan.json'));

describe('the Terraform roles', () => {
  test('every role, by full address (module instances included)', () => {
    expect(plan.principals.map((p) => p.id)).toEqual([
      'aws_iam_role.auditor',
      'aws_iam_role.storage_admin',
      'module.agents["eu-west-2"].aws_iam_role.agent',
      'module.agents["us-east-1"].aws_iam_role.agent',
    ]);
    expect(plan.warnings).toEqual([]);
  });

  test('the auditor (AmazonConnectReadOnlyAccess by aws_iam_role_policy_attachment) is read-only', () => {
    const auditor = plan.principal('connect-auditor-tf');
    expect(auditor).toBeReadOnly();
    expect(auditor).toStayWithin('AmazonConnectReadOnlyAccess');
    expect(auditor).toGrantConsoleTask('Data storage', 'View call recording');
    expect(auditor).not.toGrantConsoleTask('Data storage', 'Edit call recording');
  });

  test('the storage admin gets aws_iam_policy.storage through a policy_arn known only after apply', () => {
    const storage = plan.principal('aws_iam_role.storage_admin');
    expect(storage).toGrantConsoleTask('Data storage', 'Edit call recording');
    expect(storage).not.toAllowAction('connect:DeleteInstance');
  });

  test('an agent role per region (for_each over a local module)', () => {
    const eu = plan.principal('module.agents["eu-west-2"].aws_iam_role.agent');
    expect(eu.name).toBe('connect-agent-eu-west-2');
    expect(eu).toAllowAction('connect:DescribeInstance');
    expect(eu).toBeReadOnly();
    expect(eu).not.toGrantConsoleTask('Federations', 'Admin/Emergency federation');
  });

  test('evidence points at the .tf line of the policy', () => {
    const agent = plan.principal('connect-agent-us-east-1');
    expect(agent.policies[0]!.locations?.['Statement[0]']).toMatchObject({
      file: path.join(dir, 'modules', 'agent', 'main.tf'),
      line: 19,
      address: 'module.agents["us-east-1"].aws_iam_role_policy.agent.policy',
    });
    expect(() => expect(agent).toAllowAction('connect:UpdateInstanceAttribute')).toThrow(/modules[\\/]agent[\\/]main\.tf:19 module\.agents\["us-east-1"\]\.aws_iam_role_policy\.agent\.policy/);
  });

  test('a scan reads the directory as one Terraform unit', () => {
    const loaded = loadFile(dir);
    expect(loaded.kind).toBe('terraform');
    expect(loaded.principals).toHaveLength(4);
  });
});
