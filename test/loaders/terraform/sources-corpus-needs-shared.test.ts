/**
 * The `.tf` files of ../shared/corpus/terraform (real public sources, see its SOURCES.md) read
 * with loadTerraform, without their plans: needs ../shared next to the repo and skips, saying so,
 * when it is absent. The files are copied into temporary roots laid out as in their repositories
 * (a module's files together, a called `./role` module beside its caller); nothing is copied
 * into this repository.
 *
 * 1. A table pins, for each root, the principals found, how many policies reach each, and which
 *    are unknown (with the start of the reason).
 * 2. For the roots whose plan JSON is in the corpus too: the sources-only load finds the plan's
 *    principals, with the same names, and every policy document the plan knows is one the
 *    sources give (documents compared as JSON with keys sorted; an empty `Sid` that the provider
 *    writes is dropped, it means nothing to IAM).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTerraform, loadTerraformPlan } from '../../../src';
import type { LoadedTerraform } from '../../../src';
import { tempDir } from '../../trust/helpers';
import { REPO_ROOT } from '../helpers';

const DIR = path.resolve(REPO_ROOT, '../shared/corpus/terraform');
const present = fs.existsSync(DIR);
const SKIP = ' [skipped: needs ../shared/corpus/terraform next to the repo]';
const eachShared = present ? test.each : test.skip.each;

const V = 'awslabs__terraform-iam-policy-validator__iam_check__test__';
const GITLAB = 'aws-samples__amazon-connect-gitlab-cicd-terraform__';
const root = (files: Readonly<Record<string, string>>): string => {
  const d = tempDir('jci-tfsrc-corpus-');
  for (const [to, from] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, to)), { recursive: true });
    fs.copyFileSync(path.join(DIR, from), path.join(d, to));
  }
  return d;
};

type Row = readonly [string, Readonly<Record<string, string>>, ReadonlyArray<readonly [string, number, ReadonlyArray<string>]>];
/** [name, files (root path -> corpus file), [[principal, policies, [unknown policy: start of its reason]]]]. */
const ROOTS: readonly Row[] = [
  ['amazonconnect complete example', { 'main.tf': 'aws-ia__terraform-aws-amazonconnect__examples__complete__bot_and_lambda_associations.tf' }, [['aws_iam_role.lambda_function', 0, []]]],
  ['connect instance storage configs', { 'main.tf': `${GITLAB}amzconnect-instance__terraform__instance_storage_configs.tf` }, [['aws_iam_role.firehose', 1, []]]],
  [
    'lexbot module (data.tf + main.tf)',
    { 'data.tf': `${GITLAB}amzconnect-supporting-infra__lexbot_module__data.tf`, 'main.tf': `${GITLAB}amzconnect-supporting-infra__lexbot_module__main.tf` },
    [['aws_iam_role.lex_role', 1, []]],
  ],
  ['gitlab devops account', { 'main.tf': `${GITLAB}gitlab-terraform-setup__devops_account__main.tf` }, [['aws_iam_role.gitlab_ci', 1, []]]],
  ['gitlab sdlc accounts', { 'main.tf': `${GITLAB}gitlab-terraform-setup__sdlc_accounts__main.tf` }, [['aws_iam_role.gitlab_ci', 1, []]]],
  ['validator iam_policy', { 'main.tf': `${V}iam_policy__test.tf` }, []],
  [
    'validator identity_policies',
    { 'main.tf': `${V}identity_policies__test.tf` },
    [['aws_iam_role.test_role', 1, []], ['aws_iam_role.example', 2, []], ['aws_iam_user.lb', 1, []], ['aws_iam_group.my_developers', 1, []]],
  ],
  ['validator multiple_policies', { 'main.tf': `${V}multiple_policies__test.tf` }, [['aws_iam_user.lb', 1, []]]],
  ['validator role_inline_assume_policy', { 'main.tf': `${V}role_inline_assume_policy__test.tf` }, [['aws_iam_role.test_role', 1, []]]],
  ['checkov enrichment', { 'main.tf': 'bridgecrewio__checkov__tests__common__runner_registry__plan_with_hcl_for_enrichment__iam.tf' }, []],
  ['checkov iam policies', { 'main.tf': 'bridgecrewio__checkov__tests__terraform__runner__resources__plan_with_iam_policies__main.tf' }, [['aws_iam_role.example', 1, []], ['aws_iam_group.fail_2', 1, []], ['aws_iam_user.fail_3', 1, []]]],
  ['regula admin policy', { 'main.tf': 'fugue__regula__rego__tests__rules__tf__aws__iam__inputs__admin_policy_infra.tf' }, [['aws_iam_group.my_group', 2, []], ['aws_iam_role.my_test_role', 2, []], ['aws_iam_user.my_test_user', 2, []]]],
  // A module on its own: every count/for_each depends on variables without defaults, so the group stands for its instances and
  // the for_each attachment is unknown (fail-closed).
  ['terraform-aws-iam iam-group module', { 'main.tf': 'terraform-aws-modules__terraform-aws-iam__modules__iam-group__main.tf' }, [['aws_iam_group.this', 2, ['main.tf:262: for_each of aws_iam_group_policy_attachment.additional is not known statically']]]],
  [
    'terraform-compliance issue 227 (a ./role module)',
    { 'main.tf': 'terraform-compliance__cli__tests__functional__test_issue-227__main.tf', 'role/module.tf': 'terraform-compliance__cli__tests__functional__test_issue-227__role__module.tf' },
    [['module.test.aws_iam_role.task', 0, []]],
  ],
];

/** [root name (as in ROOTS), plan JSON of the same configuration]. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['validator iam_policy', `${V}iam_policy__test_plan.json`],
  ['validator identity_policies', `${V}identity_policies__test_plan.json`],
  ['validator multiple_policies', `${V}multiple_policies__test_plan.json`],
  ['validator role_inline_assume_policy', `${V}role_inline_assume_policy__test_plan.json`],
  ['checkov enrichment', 'bridgecrewio__checkov__tests__common__runner_registry__plan_with_hcl_for_enrichment__tfplan.json'],
  ['checkov iam policies', 'bridgecrewio__checkov__tests__terraform__runner__resources__plan_with_iam_policies__tfplan.json'],
  ['regula admin policy', 'fugue__regula__rego__tests__rules__tf__aws__iam__inputs__admin_policy_infra.json'],
  ['terraform-compliance issue 227 (a ./role module)', 'terraform-compliance__cli__tests__functional__test_issue-227__plan.out.json'],
];

const loaded = new Map<string, { dir: string; tf: LoadedTerraform }>();
beforeAll(async () => {
  if (!present) return;
  for (const [name, files] of ROOTS) {
    const dir = root(files);
    loaded.set(name, { dir, tf: await loadTerraform(dir) });
  }
});

test(`every .tf file of the corpus is in the table${present ? '' : SKIP}`, () => {
  if (!present) return;
  const listed = new Set(ROOTS.flatMap(([, files]) => Object.values(files)));
  expect(fs.readdirSync(DIR).filter((f) => f.endsWith('.tf')).filter((f) => !listed.has(f))).toEqual([]);
});

eachShared(ROOTS)(`%s: principals, policies and unknowns${present ? '' : SKIP}`, (name, _files, expected) => {
  const { dir, tf } = loaded.get(name)!;
  const got = tf.principals.map((p) => [
    p.id,
    p.policies.length + (p.permissionsBoundary ? 1 : 0),
    p.policies.filter((x) => x.unresolved).map((x) => x.unresolved!.split(`${dir}${path.sep}`).join('').split(' (')[0]!.split(': its')[0]!),
  ]);
  expect(got).toEqual(expected.map(([id, n, unknown]) => [id, n, unknown]));
  expect(tf.unresolvedModules).toEqual([]);
});

const normal = (doc: unknown): string =>
  JSON.stringify(doc, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).filter((k) => !(k === 'Sid' && o[k] === '')).sort().map((k) => [k, o[k]]));
    }
    return v;
  });

eachShared(PAIRS)(`%s: the sources-only load agrees with the plan (%s)${present ? '' : SKIP}`, (name, planFile) => {
  const { tf } = loaded.get(name)!;
  const plan = loadTerraformPlan(path.join(DIR, planFile), { sources: false });
  expect(tf.principals.map((p) => p.id).sort()).toEqual(plan.principals.map((p) => p.id).sort());
  for (const p of plan.principals) {
    const s = tf.principal(p.id);
    expect({ id: p.id, name: s.name }).toEqual({ id: p.id, name: p.name });
    const fromSources = s.policies.filter((x) => x.document).map((x) => normal(x.document));
    for (const known of p.policies.filter((x) => x.document)) expect({ id: p.id, document: fromSources.includes(normal(known.document)) ? 'same' : normal(known.document) }).toEqual({ id: p.id, document: 'same' });
  }
});
