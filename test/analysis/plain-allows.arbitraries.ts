/**
 * Generated principals for the agreement of checkReadOnly's fast path (src/analysis/plain-allows.ts:
 * plain Allow statements decided from action bitsets, evidence built from the kept statements only)
 * with the straightforward per-action evaluation: every write-like action of the IAM list
 * evaluated against the whole principal, the evaluator's answer kept with keptEvidence.
 *
 * The statements mix what the fast path decides (Allow on "*" with no condition, Action or
 * NotAction, a Resource list holding "*", Sid or not, one document or several) with everything
 * that sends an action back to the evaluator (Deny, conditions, narrower resources, NotResource),
 * so both paths and their boundary (3, 5, 6 deciding statements) are exercised.
 */
import fc from 'fast-check';
import { checkReadOnly } from '../../src/analysis';
import { groupByStatement } from '../../src/analysis/group';
import { keptEvidence } from '../../src/analysis/evidence';
import { isNonRead } from '../../src/analysis/readOnly';
import { evaluate } from '../../src/evaluator';
import { allActions } from '../../src/iam';
import type { PolicyDocument } from '../../src/policy/types';

const ACTIONS = ['connect:*', 'connect:Update*', 'connect:U?date*', 'connect:Create*', 'connect:DeleteInstance', 's3:Put*', 's3:*', 'iam:*', 'iam:PassRole', 'ec2:Create*', 'ec2:CreateVpc', 'sqs:*', '*', 'kms:Create*'];
const NOT_ACTIONS = ['connect:*', 'iam:*', 's3:*', 'ec2:*', 'sts:*', 'connect:Update*', 'connect:Delete*', 'lambda:Invoke*'];
const RESOURCES: unknown[] = ['*', ['*'], ['arn:aws:s3:::bucket/*', '*'], 'arn:aws:s3:::bucket/*', 'arn:aws:connect:*:*:instance/abc/*', ['arn:aws:iam::*:role/x']];

const statementArb = fc
  .record({
    deny: fc.integer({ min: 0, max: 9 }),
    not: fc.integer({ min: 0, max: 9 }),
    actions: fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 }),
    notActions: fc.uniqueArray(fc.constantFrom(...NOT_ACTIONS), { minLength: 1, maxLength: 2 }),
    resource: fc.integer({ min: 0, max: 9 }),
    notResource: fc.boolean(),
    condition: fc.integer({ min: 0, max: 9 }),
    sid: fc.option(fc.constantFrom('A', 'B', 'Read', 'Write'), { nil: undefined }),
  })
  .map((s) => {
    const st: Record<string, unknown> = { Effect: s.deny === 0 ? 'Deny' : 'Allow' };
    if (s.not < 2) st.NotAction = s.notActions.length === 1 ? s.notActions[0] : s.notActions;
    else st.Action = s.actions.length === 1 ? s.actions[0] : s.actions;
    const resource = s.resource < 6 ? '*' : RESOURCES[s.resource - 4];
    if (s.notResource && s.resource >= 8) st.NotResource = resource;
    else st.Resource = resource;
    if (s.condition === 0) st.Condition = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
    if (s.condition === 1) st.Condition = { Null: { 'aws:PrincipalTag/team': 'true' } };
    return { sid: s.sid, st };
  });

const documentArb = fc.array(statementArb, { minLength: 1, maxLength: 6 }).map((list): PolicyDocument => {
  const seen = new Set<string>();
  const Statement = list.map(({ sid, st }) => {
    if (sid === undefined || seen.has(sid)) return st;
    seen.add(sid);
    return { Sid: sid, ...st };
  });
  return { Version: '2012-10-17', Statement: Statement as unknown as PolicyDocument['Statement'] };
});

export const subjectArb: fc.Arbitrary<PolicyDocument | PolicyDocument[]> = fc.oneof(
  { weight: 3, arbitrary: documentArb },
  { weight: 1, arbitrary: fc.array(documentArb, { minLength: 2, maxLength: 3 }) },
);

export const allowArb: fc.Arbitrary<string[] | undefined> = fc.option(fc.uniqueArray(fc.constantFrom('s3:PutObject', 'connect:CreateUser', 'iam:PassRole', 'ec2:CreateVpc'), { maxLength: 2 }), { nil: undefined });

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** checkReadOnly against the straightforward per-action evaluation: same verdict, actions, decisions and evidence. */
export function expectReadOnlyAgreement(subject: PolicyDocument | PolicyDocument[], allow: string[] | undefined): void {
  const r = checkReadOnly(subject, allow ? { allow } : {});
  const accept = new Set((allow ?? []).map((a) => a.toLowerCase()));
  const reference: Array<{ action: string; decision: string; json: string }> = [];
  const accepted: string[] = [];
  for (const a of allActions()) {
    if (!isNonRead(a)) continue;
    const e = evaluate(subject, a.name);
    if (e.decision !== 'allowed' && e.decision !== 'conditional') continue;
    if (accept.has(a.name.toLowerCase())) {
      accepted.push(a.name);
      continue;
    }
    reference.push({ action: a.name, decision: e.decision, json: JSON.stringify(keptEvidence(e)) });
  }
  expect(r.accepted).toEqual(accepted);
  expect(r.offending.map((o) => o.action)).toEqual(reference.map((o) => o.action));
  r.offending.forEach((o, i) => {
    const ref = reference[i]!;
    if (ref.decision === 'allowed') {
      expect(o.decision).toBe('allowed');
      expect(JSON.stringify(o.result)).toBe(ref.json);
    } else {
      // A conditional answer may be certain on a narrower resource (onNarrowerResource): the slow path, unchanged.
      expect(o.decision === 'conditional' || o.result.resource !== '*').toBe(true);
    }
  });
  expect(r.pass).toBe(reference.length === 0 && r.unknownPatterns.length === 0 && r.unresolved.length === 0);
  // Grouping from the lazily built evidence equals grouping the same evidence as plain data.
  expect(plain(r.byStatement)).toEqual(plain(groupByStatement(plain(r.offending))));
}
