/**
 * fast-check arbitraries for the guardrail part of the differential test (kept apart from
 * arbitraries.ts): random organizations (SCP and RCP levels with FullAWSAccess, unknown
 * names and generated documents), session policies and resource policies (a KMS key policy
 * and an S3 bucket policy whose Principal elements name the role, its account, another role,
 * a service, everyone, or use NotPrincipal), on top of the random principals and requests of
 * arbitraries.ts. The principal is a role whose ARN and account are sometimes known, and
 * whose path sometimes makes it service-linked.
 */
import fc from 'fast-check';
import type { EvaluateOptions } from '../../src/evaluator/types';
import { evaluate } from '../../src/evaluator';
import { referenceEvaluate } from '../../src/evaluator/reference';
import type { Principal } from '../../src/policy/types';
import { principalArb, requestArb, type GeneratedRequest } from './arbitraries';

const ROLE_ARN = 'arn:aws:iam::111122223333:role/Admin';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k1';
const BUCKET = 'arn:aws:s3:::bucket';

const actionArb = fc.constantFrom('*', 'connect:*', 'connect:Describe*', 's3:*', 's3:GetObject', 'kms:*', 'kms:CreateGrant', 'iam:*Role*', 'ds:Describe*', 'connect:ListInstances');
const resourceArb = fc.constantFrom('*', 'arn:aws:connect:*:*:instance/*', 'arn:aws:s3:::bucket/*', 'arn:aws:kms:*:*:key/*', 'arn:aws:connect:us-east-1:*:instance/abc');
const conditionArb = fc.option(
  fc.constantFrom(
    { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } },
    { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
    { Bool: { 'aws:SecureTransport': 'false' } },
    { StringLike: { 'aws:PrincipalTag/team': 'o*' } },
  ),
  { freq: 3 },
);

function statementArb(principal: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({ effect: fc.constantFrom('Allow', 'Deny'), not: fc.integer({ min: 0, max: 5 }), action: fc.array(actionArb, { minLength: 1, maxLength: 2 }), resource: resourceArb, condition: conditionArb, principal })
    .map(({ effect, not, action, resource, condition, principal: p }) => ({
      Effect: effect,
      ...(not === 0 ? { NotAction: action } : { Action: action }),
      Resource: resource,
      ...(condition !== null ? { Condition: condition } : {}),
      ...p,
    }));
}

function documentArb(principal: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.array(statementArb(principal), { minLength: 1, maxLength: 3 }).map((Statement) => ({ Version: '2012-10-17', Statement }));
}

const noPrincipal = fc.constant({});
const starPrincipal = fc.constant({ Principal: '*' });
const resourcePrincipal = fc.constantFrom<Record<string, unknown>>(
  { Principal: '*' },
  { Principal: { AWS: ROLE_ARN } },
  { Principal: { AWS: 'arn:aws:iam::111122223333:root' } },
  { Principal: { AWS: '111122223333' } },
  { Principal: { AWS: 'arn:aws:iam::111122223333:role/Other' } },
  { Principal: { AWS: ['arn:aws:iam::444455556666:root', ROLE_ARN] } },
  { Principal: { Service: 'connect.amazonaws.com' } },
  { NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/Other' } },
);

const guardrailPolicy = (principal: fc.Arbitrary<Record<string, unknown>>, allowAll: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(allowAll) },
    { weight: 1, arbitrary: fc.constant('MysteryPolicy') },
    { weight: 4, arbitrary: documentArb(principal).map((document) => ({ name: 'Generated', document })) },
  );

const levelsArb = (principal: fc.Arbitrary<Record<string, unknown>>, allowAll: string): fc.Arbitrary<unknown[]> =>
  fc.array(fc.array(guardrailPolicy(principal, allowAll), { minLength: 0, maxLength: 2 }), { minLength: 1, maxLength: 3 });

export interface GuardrailCase {
  readonly principal: Principal;
  readonly request: GeneratedRequest;
  readonly options: Pick<EvaluateOptions, 'organization' | 'session' | 'resourcePolicies'>;
}

export const guardrailCaseArb: fc.Arbitrary<GuardrailCase> = fc
  .record({
    principal: principalArb,
    request: requestArb,
    identity: fc.integer({ min: 0, max: 3 }),
    path: fc.constantFrom('/', '/aws-service-role/connect.amazonaws.com/', undefined),
    scps: fc.option(levelsArb(noPrincipal, 'FullAWSAccess'), { freq: 2 }),
    rcps: fc.option(levelsArb(starPrincipal, 'RCPFullAWSAccess'), { freq: 3 }),
    management: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
    session: fc.option(fc.array(documentArb(noPrincipal), { minLength: 1, maxLength: 2 }), { freq: 3 }),
    key: fc.option(documentArb(resourcePrincipal), { freq: 2 }),
    bucket: fc.option(documentArb(resourcePrincipal), { freq: 2 }),
  })
  .map(({ principal, request, identity, path, scps, rcps, management, session, key, bucket }) => {
    // Identity of the role: ARN and account both known, only the account, or neither.
    const who: Principal = {
      ...principal,
      kind: 'role',
      id: 'Admin',
      ...(identity >= 2 ? { arn: ROLE_ARN, account: '111122223333' } : identity === 1 ? { account: '111122223333' } : {}),
      ...(path !== undefined ? { path } : {}),
    };
    const resourcePolicies = [
      ...(key ? [{ name: 'Key', service: 'kms', resource: KEY, document: key }] : []),
      ...(bucket ? [{ name: 'Bucket', service: 's3', resource: BUCKET, document: bucket }] : []),
    ];
    const organization = scps || rcps ? { ...(scps ? { scps } : {}), ...(rcps ? { rcps } : {}), ...(management ? { managementAccount: true } : {}) } : undefined;
    const options = {
      ...(organization ? { organization } : {}),
      ...(session ? { session } : {}),
      ...(resourcePolicies.length ? { resourcePolicies } : {}),
    } as GuardrailCase['options'];
    return { principal: who, request, options };
  });

/** Runs one case through both evaluators; throws with the case when they disagree. */
export function expectGuardrailAgreement(c: GuardrailCase): void {
  const options: EvaluateOptions = { ...(c.request.resource !== undefined ? { resource: c.request.resource } : {}), context: c.request.context, ...c.options };
  const run = (f: () => string): string => {
    try {
      return f();
    } catch (e) {
      return `threw ${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  const fast = run(() => evaluate(c.principal, c.request.action, options).decision);
  const reference = run(() => referenceEvaluate(c.principal, c.request.action, options).decision);
  if (fast !== reference) {
    throw new Error(`fast evaluator: ${fast}, reference: ${reference}\n${JSON.stringify({ principal: { ...c.principal, policies: c.principal.policies.map((p) => p.name) }, request: c.request, options: c.options }, null, 1)}`);
  }
}
