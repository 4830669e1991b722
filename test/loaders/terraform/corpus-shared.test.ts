/**
 * Real public Terraform files (../shared/corpus/terraform, see its SOURCES.md): needs ../shared next to
 * the repo and skips, saying so, when it is absent.
 *
 * For every plan JSON: the principals found (full addresses), how many policies reach each, and which
 * of them are unknown (unresolved, or attached only possibly). For every .tf file: how many principal
 * blocks and policy documents the position scanner finds (what evidence can point at).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTerraformPlan } from '../../../src';
import { scanBlocks, type BlockPosition } from '../../../src/loaders/terraform/positions';
import { REPO_ROOT } from '../helpers';

const DIR = path.resolve(REPO_ROOT, '../shared/corpus/terraform');
const present = fs.existsSync(DIR);
/** test.each, or test.skip.each with the reason in the names when ../shared is absent. */
const eachShared = present ? test.each : test.skip.each;
const SKIP = present ? '' : ' [skipped: needs ../shared/corpus/terraform next to the repo]';
const shared = (name: string, fn: () => void): void =>
  present ? test(name, fn) : test.skip(`${name} [skipped: needs ../shared/corpus/terraform next to the repo]`, fn);

type Row = readonly [string, ReadonlyArray<readonly [string, number, readonly string[]]>];
/** [plan file, [[principal address, policies, unknown policies]]]. */
const PLANS: readonly Row[] = [
  ["awslabs__terraform-iam-policy-validator__iam_check__test__iam_policy__test_plan.json", []],
  ["awslabs__terraform-iam-policy-validator__iam_check__test__identity_policies__test_plan.json", [["aws_iam_group.my_developers", 1, []], ["aws_iam_role.example", 2, []], ["aws_iam_role.test_role", 1, []], ["aws_iam_user.lb", 1, []]]],
  ["awslabs__terraform-iam-policy-validator__iam_check__test__multiple_policies__test_plan.json", [["aws_iam_user.lb", 1, []]]],
  ["awslabs__terraform-iam-policy-validator__iam_check__test__no_access_granted__test_plan.json", [["aws_iam_user.lb", 0, []]]],
  ["awslabs__terraform-iam-policy-validator__iam_check__test__role_inline_assume_policy__test_plan.json", [["aws_iam_role.test_role", 1, []]]],
  ["bridgecrewio__checkov__tests__common__runner_registry__plan_with_hcl_for_enrichment__tfplan.json", []],
  ["bridgecrewio__checkov__tests__terraform__image_referencer__resources__aws__codebuild_tfplan.json", [["aws_iam_role.example", 0, []]]],
  ["bridgecrewio__checkov__tests__terraform__runner__resources__plan__tfplan.json", [["aws_iam_role.ec2role", 1, []], ["aws_iam_role.iam_for_eks", 2, []], ["aws_iam_role.iam_for_lambda", 0, []], ["aws_iam_user.user", 1, []]]],
  ["bridgecrewio__checkov__tests__terraform__runner__resources__plan_with_iam_data_block__tfplan.json", []],
  ["bridgecrewio__checkov__tests__terraform__runner__resources__plan_with_iam_policies__tfplan.json", [["aws_iam_group.fail_2", 1, []], ["aws_iam_role.example", 1, []], ["aws_iam_user.fail_3", 1, []]]],
  ["fugue__regula__rego__tests__rules__tf__aws__iam__inputs__admin_policy_infra.json", [["aws_iam_group.my_group", 2, []], ["aws_iam_role.my_test_role", 2, []], ["aws_iam_user.my_test_user", 2, []]]],
  ["fugue__regula__rego__tests__rules__tf__aws__vpc__inputs__flow_log_infra.json", [["aws_iam_role.example", 1, []]]],
  ["snyk__cli__test__fixtures__iac__terraform-plan__tf-plan-create.json", [["aws_iam_role.terra_ci_job", 2, ["aws_iam_role_policy.terra_ci_job"]], ["aws_iam_role.terra_ci_runner", 1, ["aws_iam_role_policy.terra_ci_runner"]]]],
  ["snyk__cli__test__fixtures__iac__terraform-plan__tf-plan-no-op.json", [["aws_iam_role.terra_ci_job", 2, []], ["aws_iam_role.terra_ci_runner", 1, []]]],
  ["terraform-compliance__cli__tests__functional__test_issue-115__plan.out.json", []],
  ["terraform-compliance__cli__tests__functional__test_issue-177__plan.out.json", []],
  ["terraform-compliance__cli__tests__functional__test_issue-227__plan.out.json", [["module.test.aws_iam_role.task", 0, []]]],
  ["terraform-compliance__cli__tests__functional__test_issue-338__plan.out.json", [["aws_iam_role.ssm_tag_collector_role", 0, []]]],
  ["terraform-compliance__cli__tests__functional__test_issue-456__plan.out.json", [["aws_iam_role.test_iam_role[\"repository_1\"]", 0, []], ["aws_iam_role.test_iam_role[\"repository_2\"]", 0, []]]],
];

/** [.tf file, aws_iam_role/user/group blocks, data "aws_iam_policy_document" blocks]. */
const SOURCES: ReadonlyArray<readonly [string, number, number]> = [
  ['aws-ia__terraform-aws-amazonconnect__examples__complete__bot_and_lambda_associations.tf', 1, 1],
  ['aws-samples__amazon-connect-gitlab-cicd-terraform__amzconnect-instance__terraform__instance_storage_configs.tf', 1, 3],
  ['aws-samples__amazon-connect-gitlab-cicd-terraform__amzconnect-supporting-infra__lexbot_module__data.tf', 0, 2],
  ['aws-samples__amazon-connect-gitlab-cicd-terraform__amzconnect-supporting-infra__lexbot_module__main.tf', 1, 0],
  ['aws-samples__amazon-connect-gitlab-cicd-terraform__gitlab-terraform-setup__devops_account__main.tf', 1, 1],
  ['aws-samples__amazon-connect-gitlab-cicd-terraform__gitlab-terraform-setup__sdlc_accounts__main.tf', 1, 1],
  ['awslabs__terraform-iam-policy-validator__iam_check__test__iam_policy__test.tf', 0, 1],
  ['awslabs__terraform-iam-policy-validator__iam_check__test__identity_policies__test.tf', 4, 2],
  ['awslabs__terraform-iam-policy-validator__iam_check__test__multiple_policies__test.tf', 1, 1],
  ['awslabs__terraform-iam-policy-validator__iam_check__test__role_inline_assume_policy__test.tf', 1, 0],
  ['bridgecrewio__checkov__tests__common__runner_registry__plan_with_hcl_for_enrichment__iam.tf', 0, 0],
  ['bridgecrewio__checkov__tests__terraform__runner__resources__plan_with_iam_policies__main.tf', 3, 1],
  ['fugue__regula__rego__tests__rules__tf__aws__iam__inputs__admin_policy_infra.tf', 3, 0],
  ['terraform-aws-modules__terraform-aws-iam__modules__iam-group__main.tf', 1, 1],
  ['terraform-compliance__cli__tests__functional__test_issue-227__main.tf', 0, 0],
  ['terraform-compliance__cli__tests__functional__test_issue-227__role__module.tf', 1, 1],
];

describe('../shared/corpus/terraform plans (needs ../shared)', () => {
  eachShared(PLANS)(`%s${SKIP}`, (file, expected) => {
    const plan = loadTerraformPlan(path.join(DIR, file), { sources: false });
    const got = plan.principals.map((p) => [p.id, p.policies.length, p.policies.filter((x) => x.unresolved !== undefined || x.onlyIf !== undefined).map((x) => x.name)]);
    expect(got).toEqual(expected);
    for (const p of plan.principals) for (const pol of p.policies) expect(pol.source?.address).toBeDefined();
  });

  shared('every plan JSON of the corpus is in the table', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(PLANS.map(([f]) => f));
  });

  shared('the create plan and the no-op plan of the same configuration (snyk): unknown policies at create, known after apply', () => {
    const create = loadTerraformPlan(path.join(DIR, 'snyk__cli__test__fixtures__iac__terraform-plan__tf-plan-create.json'), { sources: false });
    expect(create.principal('terra_ci_job').policies[0]!.unresolved).toMatch(/aws_iam_role_policy\.terra_ci_job\.policy is known only after apply \(it references .*aws_s3_bucket\.terra_ci/);
    const noop = loadTerraformPlan(path.join(DIR, 'snyk__cli__test__fixtures__iac__terraform-plan__tf-plan-no-op.json'), { sources: false });
    expect(noop.principal('terra_ci_job').policies.every((p) => p.unresolved === undefined || /not in the bundled/.test(p.unresolved))).toBe(true);
  });
});

describe('../shared/corpus/terraform .tf files: block positions (needs ../shared)', () => {
  eachShared(SOURCES)(`%s${SKIP}`, (file, principals, documents) => {
    const out = new Map<string, BlockPosition>();
    scanBlocks(fs.readFileSync(path.join(DIR, file), 'utf8'), file, out);
    const keys = [...out.keys()];
    expect(keys.filter((k) => /^resource\.aws_iam_(role|user|group)\./.test(k))).toHaveLength(principals);
    expect(keys.filter((k) => k.startsWith('data.aws_iam_policy_document.'))).toHaveLength(documents);
  });
});
