/**
 * Terraform sources without a plan (terraform-sources/): the package reads the .tf files itself
 * (loadTerraform), with terraform.tfvars over the variable defaults and a local module called per
 * region. Through the package's entry points.
 */
import 'jest-connect-iam/matchers';
import * as path from 'node:path';
import { loadFile, loadTerraform } from 'jest-connect-iam';
import type { LoadedTerraform } from 'jest-connect-iam';

const dir = path.join(__dirname, '../terraform-sources');
let tf: LoadedTerraform;
beforeAll(async () => {
  tf = await loadTerraform(dir);
});

describe('the Terraform roles, from .tf sources', () => {
  test('every role by full address: terraform.tfvars gives two regions', () => {
    expect(tf.principals.map((p) => p.id)).toEqual([
      'aws_iam_role.reporting',
      'module.supervisors["eu-west-2"].aws_iam_role.supervisor',
      'module.supervisors["us-east-1"].aws_iam_role.supervisor',
    ]);
    expect(tf.warnings).toEqual([]);
  });

  test('reporting is read-only', () => {
    const reporting = tf.principal('connect-reporting-src');
    expect(reporting).toBeReadOnly();
    expect(reporting).toStayWithin('AmazonConnectReadOnlyAccess');
  });

  test('a supervisor sees queue metrics in its own region only (the policy document condition)', () => {
    const eu = tf.principal('connect-supervisor-eu-west-2');
    expect(eu).toAllowAction('connect:GetCurrentMetricData', { context: { 'aws:RequestedRegion': 'eu-west-2' } });
    expect(eu).not.toAllowAction('connect:GetCurrentMetricData', { context: { 'aws:RequestedRegion': 'us-east-1' } });
    expect(eu).not.toAllowAction('connect:DeleteInstance');
  });

  test('evidence points at the statement block of the .tf file', () => {
    const us = tf.principal('module.supervisors["us-east-1"].aws_iam_role.supervisor');
    expect(us.policies[0]!.locations?.['Statement[1]']).toMatchObject({ file: path.join(dir, 'modules', 'supervisor', 'main.tf'), line: 23 });
    expect(() => expect(us).toAllowAction('connect:UpdateQueueStatus')).toThrow(/modules[\\/]supervisor[\\/]main\.tf:\d+/);
  });

  test('the variables option wins over terraform.tfvars', async () => {
    const one = await loadTerraform(dir, { variables: { regions: ['ap-southeast-2'] } });
    expect(one.principals.map((p) => p.name)).toEqual(['connect-reporting-src', 'connect-supervisor-ap-southeast-2']);
  });

  test('a scan reads the directory as one Terraform unit (the test environment prepared the parser)', () => {
    const loaded = loadFile(dir);
    expect(loaded.error).toBeUndefined();
    expect(loaded.kind).toBe('terraform');
    expect(loaded.principals).toHaveLength(3);
  });
});
