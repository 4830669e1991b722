/**
 * The trust model's fail-closed table, for Terraform: every matcher form x every kind of Terraform
 * unknown, through `expect`, with controls. `absent` leaves the unknown resource out (negative forms
 * pass), `certain` makes it a known grant of everything (positive forms pass), `unknown` is the kind
 * itself: both forms fail, and the message names the address and attribute.
 */
import { evaluate, loadTerraformPlan } from '../../../src';
import type { Principal } from '../../../src';
import { outcomeOf } from '../../trust/helpers';
import { TARGET } from '../../trust/unknowns';
import { allow, constant, doc, ref, writePlan, type TestPlan, type TestResource } from './plan-builder';

type Variant = 'unknown' | 'absent' | 'certain';
interface Kind {
  readonly title: string;
  readonly mentions: RegExp;
  readonly plan: (v: Variant) => Pick<TestPlan, 'resources' | 'configOnly'>;
}

const role: TestResource = { address: 'aws_iam_role.r', values: { name: 'r', path: '/', tags: null, tags_all: {}, permissions_boundary: null }, unknown: { arn: true, id: true, inline_policy: true, managed_policy_arns: true } };
const baseline: TestResource = { address: 'aws_iam_role_policy.base', values: { name: 'base', role: 'r', policy: doc(allow(['connect:ListInstances', 'connect:DescribeInstance'])) }, unknown: {} };
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const KINDS: readonly Kind[] = [
  {
    title: 'a whole policy known only after apply',
    mentions: /aws_iam_role_policy\.p\.policy is known only after apply/,
    plan: (v) => ({
      resources: [
        role,
        baseline,
        ...(v === 'absent' ? [] : [v === 'unknown'
          ? { address: 'aws_iam_role_policy.p', values: { name: 'p', role: 'r' }, unknown: { policy: true }, expressions: { role: constant('r'), policy: ref('aws_s3_bucket.b.arn', 'aws_s3_bucket.b') } }
          : { address: 'aws_iam_role_policy.p', values: { name: 'p', role: 'r', policy: doc(allow('*')) }, unknown: {} }]),
      ],
    }),
  },
  {
    title: 'an attachment whose policy_arn is known only after apply',
    mentions: /aws_iam_role_policy_attachment\.a\.policy_arn is known only after apply/,
    plan: (v) => ({
      resources: [
        role,
        baseline,
        ...(v === 'absent' ? [] : [v === 'unknown'
          ? { address: 'aws_iam_role_policy_attachment.a', values: { role: 'r' }, unknown: { policy_arn: true }, expressions: { role: constant('r'), policy_arn: ref('var.extra_policy') } }
          : { address: 'aws_iam_role_policy_attachment.a', values: { role: 'r', policy_arn: ADMIN }, unknown: {} }]),
      ],
    }),
  },
  {
    title: 'a -target plan that leaves out an attachment of the configuration',
    mentions: /aws_iam_role_policy_attachment\.a is in the configuration but not in this plan \(made with -target\?\)/,
    plan: (v) => ({
      resources: [role, baseline, ...(v === 'certain' ? [{ address: 'aws_iam_role_policy_attachment.a', values: { role: 'r', policy_arn: ADMIN }, unknown: {} }] : [])],
      ...(v === 'unknown' ? { configOnly: [{ type: 'aws_iam_role_policy_attachment', name: 'a', expressions: { role: ref('aws_iam_role.r.name', 'aws_iam_role.r'), policy_arn: ref('var.extra_policy') } }] } : {}),
    }),
  },
  {
    title: 'an inline policy whose role is known only after apply and traceable to no resource',
    mentions: /aws_iam_role_policy\.p\.role \(known only after apply\) names this role/,
    plan: (v) => ({
      resources: [
        role,
        baseline,
        ...(v === 'absent' ? [] : [v === 'unknown'
          ? { address: 'aws_iam_role_policy.p', values: { name: 'p', policy: doc(allow('*')) }, unknown: { role: true }, expressions: { role: ref('local.role_name'), policy: constant(doc(allow('*'))) } }
          : { address: 'aws_iam_role_policy.p', values: { name: 'p', role: 'r', policy: doc(allow('*')) }, unknown: {} }]),
      ],
    }),
  },
  {
    title: 'a policy document whose resources are known only after apply (a partly known policy)',
    mentions: /data\.aws_iam_policy_document\.d\.statement\[0\]\.resources is known only after apply/,
    plan: (v) => ({
      resources: [
        role,
        baseline,
        ...(v === 'absent' ? [] : [
          { address: 'data.aws_iam_policy_document.d', values: { statement: [{ actions: ['*'], resources: v === 'certain' ? ['*'] : null, effect: 'Allow' }] }, unknown: { json: true, ...(v === 'unknown' ? { statement: [{ resources: true }] } : {}) } },
          { address: 'aws_iam_role_policy.p', values: { name: 'p', role: 'r' }, unknown: { policy: true }, expressions: { role: constant('r'), policy: ref('data.aws_iam_policy_document.d.json', 'data.aws_iam_policy_document.d') } },
        ]),
      ],
    }),
  },
];

const NEGATIVE: ReadonlyArray<readonly [string, (p: Principal) => void]> = [
  ['.not.toGrantConsoleTask', (p) => expect(p).not.toGrantConsoleTask(...TARGET.task)],
  ['.not.toGrantConsolePage', (p) => expect(p).not.toGrantConsolePage(TARGET.page)],
  ['.not.toAllowAction', (p) => expect(p).not.toAllowAction(TARGET.action)],
  ['toBeReadOnly', (p) => expect(p).toBeReadOnly()],
  ['toStayWithin', (p) => expect(p).toStayWithin(TARGET.baseline)],
];
const POSITIVE: ReadonlyArray<readonly [string, (p: Principal) => void]> = [
  ['toGrantConsoleTask', (p) => expect(p).toGrantConsoleTask(...TARGET.task)],
  ['toGrantConsolePage', (p) => expect(p).toGrantConsolePage(TARGET.page)],
  ['toAllowAction', (p) => expect(p).toAllowAction(TARGET.action)],
];

const principal = (kind: Kind, v: Variant): Principal => loadTerraformPlan(writePlan(kind.plan(v) as TestPlan)).principal('aws_iam_role.r');

describe.each(KINDS.map((k) => [k.title, k] as const))('Terraform unknown: %s', (_title, kind) => {
  const unknown = principal(kind, 'unknown');
  const absent = principal(kind, 'absent');
  const certain = principal(kind, 'certain');
  test.each(NEGATIVE)('%s fails (and passes on the control without the unknown)', (_name, run) => {
    expect(outcomeOf(() => run(absent))).toEqual({ kind: 'pass' });
    const o = outcomeOf(() => run(unknown));
    expect(o.kind).toBe('fail');
    if (o.kind === 'fail') expect(o.message).toMatch(kind.mentions);
  });
  test.each(POSITIVE)('%s fails (and passes on the control where the grant is known)', (_name, run) => {
    expect(outcomeOf(() => run(certain))).toEqual({ kind: 'pass' });
    expect(outcomeOf(() => run(unknown)).kind).toBe('fail');
  });
});

describe('the pin hint for a Terraform link the loader could not follow names what exists', () => {
  // The link is not a template condition: no `conditions` option exists for Terraform plans, and
  // no option gives a value known only after apply. Writing the link as a reference is the fix.
  const kind = KINDS.find((k) => k.title.startsWith('an inline policy whose role is known only after apply'))!;
  const unknown = principal(kind, 'unknown');
  test.each([...NEGATIVE, ...POSITIVE])('%s: no "load the template with { conditions }"; says to write a reference', (_name, run) => {
    const o = outcomeOf(() => run(unknown));
    expect(o.kind).toBe('fail');
    if (o.kind !== 'fail') return;
    expect(o.message).not.toMatch(/load the template with|template condition/);
    expect(o.message).toContain('aws_iam_role_policy.p.role is known only after apply: no option gives it; write it as a reference to the role\'s resource (e.g. role = aws_iam_role.<name>.name) so the link is followed');
  });
  test("the decision's reasons say 'whether ... names this role', not 'template condition'", () => {
    const reasons = evaluate(unknown, 'connect:DeleteInstance').reasons.join('\n');
    expect(reasons).toContain('it depends on whether aws_iam_role_policy.p.role (known only after apply) names this role');
    expect(reasons).not.toContain('template condition');
  });
  test('following the hint (the role written as a reference to aws_iam_role.r) makes the answer certain', () => {
    const followed = loadTerraformPlan(writePlan({
      resources: [role, { address: 'aws_iam_role_policy.p', values: { name: 'p', policy: doc(allow('*')) }, unknown: { role: true }, expressions: { role: ref('aws_iam_role.r.name', 'aws_iam_role.r'), policy: constant(doc(allow('*'))) } }],
    } as TestPlan)).principal('aws_iam_role.r');
    expect(outcomeOf(() => expect(followed).toAllowAction(TARGET.action))).toEqual({ kind: 'pass' });
  });
});
