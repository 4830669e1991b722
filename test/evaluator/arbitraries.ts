/**
 * fast-check arbitraries for the differential test between the fast evaluator and the
 * reference: random principals (several policies, an optional permissions boundary) and
 * random requests, drawn from small alphabets of actions, ARNs, condition keys and values so
 * that statements actually match (and miss) each other. Every policy element is covered:
 * Action/NotAction, Resource/NotResource, every condition operator family, IfExists,
 * ForAllValues/ForAnyValue, policy variables, Allow/Deny, template unknowns (Unresolved,
 * Choice, NO_VALUE, onlyIf, unresolved policies). Context keys are sometimes given,
 * sometimes absent ([]), sometimes left out (unknown).
 */
import fc from 'fast-check';
import { Choice, NO_VALUE, Unresolved } from '../../src/policy/symbolic';
import type { AttachedPolicy, Principal } from '../../src/policy/types';
import { evaluate } from '../../src/evaluator';
import { referenceEvaluate } from '../../src/evaluator/reference';

export interface GeneratedRequest {
  readonly action: string;
  readonly resource?: string;
  readonly context: Record<string, string | string[]>;
}

export interface GeneratedCase {
  readonly principal: Principal;
  readonly request: GeneratedRequest;
}

export const REQUEST_ACTIONS = [
  'connect:DescribeInstance',
  'connect:ListInstances',
  'connect:DescribeQueue',
  'connect:CreateQueue',
  'connect:UpdateInstanceAttribute',
  's3:GetObject',
  'iam:PutRolePolicy',
  'kms:CreateGrant',
  'ds:DescribeDirectories',
] as const;

const ACTION_PATTERNS = [
  '*',
  'connect:*',
  'connect:Describe*',
  'connect:DescribeInstanc?',
  'CONNECT:describeinstance',
  'connect:List*',
  'connect:?reate*',
  'connect:*Instance*',
  'connect:*Instance',
  '?onnect:Desc*e',
  'connect:*Desc*Queue',
  's3:*',
  's3:Get*',
  'iam:*Role*',
  'kms:CreateGrant',
  'ds:Describe*',
  ...REQUEST_ACTIONS,
];

const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:connect:*:*:instance/*',
  'arn:aws:connect:us-east-1:*:instance/*',
  'arn:aws:connect:*:*:instance/abc',
  'arn:aws:connect:*:*:instance/abc/*',
  'arn:aws:connect:*:*:instance/*/queue/*',
  'arn:aws:connect:*',
  'arn:aws:connect:*:*:*',
  'arn:aws:connect:us-east-?:*:instance/*',
  'arn:aws:connect:*:*:Instance/*',
  'arn:aws:connect:*:*:phone-number/*',
  'arn:aws:connect:*:*:instance/a?c',
  'arn:aws:connect:*:*:instance/*c',
  'arn:aws:connect:*:111122223333:instance/*/*',
  'arn:aws:connect:*:*:instance/**',
  'arn:aws:connect:*:*:instance/${aws:username}',
  'arn:aws:s3:::bucket/*',
  'arn:aws:s3:::bucket/${aws:username}/*',
  "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*",
  'arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/*',
  'arn:aws:kms:*:*:key/*',
  'arn:*',
  // Short patterns and segment-final stars: "If the * wildcard is the last character of a
  // resource ARN segment, it can expand to match beyond the colon boundaries"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
  'arn:aws:connect:*:instance/*',
  'arn:aws:connect:*:instance/abc',
  'arn:aws:connect:*:instance/abc/*',
  'arn:aws:connect:us-east-1:*',
  'arn:aws:connect:*:*:instance/abc:*',
  'arn:aws:connect*',
  'arn:aws:*:instance/*',
  'arn:aws:s3:::*',
  'arn:aws:s3:::bucket*',
  'arn:aws:s3:::bucket/*.txt',
  'arn:aws:s3:::bucket/a?b',
  'arn:aws:s3:::bucket/*:*',
  'arn:aws:connect:*:*:instance/*?',
  'arn:aws:connect:*:*:instance/?*',
  'arn:aws:connect:us-east-1:111122223333:instance',
];

const REQUEST_RESOURCES = [
  'arn:aws:connect:us-east-1:111122223333:instance/abc',
  'arn:aws:connect:eu-west-1:111122223333:instance/xyz',
  'arn:aws:connect:us-east-1:111122223333:instance/abc/queue/q1',
  'arn:aws:connect:us-east-1:111122223333:instance/alice',
  'arn:aws:connect:us-east-1:*:instance/*',
  'arn:aws:connect:*:111122223333:instance/a*',
  'arn:aws:s3:::bucket/alice/file',
  'arn:aws:s3:::bucket/*',
  'arn:aws:s3:::bucket/ops/file',
  'arn:aws:s3:::bucket/shared/file',
  'arn:aws:kms:us-east-1:111122223333:key/k1',
  'arn:aws:iam::111122223333:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x',
  // Colons where a mid-segment wildcard would have to take them (the documentation leaves it open).
  'arn:aws:s3:::bucket/a:b.txt',
  'arn:aws:s3:::bucket/a:b',
  'arn:aws:s3:::bucket/notes/x.txt',
  'arn:aws:connect:us-east-1:111122223333:instance/abc:x',
  'arn:aws:connect:*:instance/*',
  'arn:aws:s3:::bucket/*.txt',
];

/** Condition keys by family, with the request values and policy values drawn for them. */
interface KeyFamily {
  readonly keys: readonly string[];
  readonly operators: readonly string[];
  readonly policyValues: ReadonlyArray<string | number | boolean>;
  readonly requestValues: readonly string[];
  /** Multivalued keys get set operators and array values. */
  readonly multi?: boolean;
}

const FAMILIES: readonly KeyFamily[] = [
  {
    keys: ['aws:RequestedRegion', 'aws:PrincipalTag/team', 'aws:username'],
    operators: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
    policyValues: ['us-east-1', 'US-EAST-1', 'us-*', 'eu-?est-1', 'ops', 'o*', 'alice', '${aws:username}', '${aws:PrincipalTag/team}', "${aws:username, 'ops'}", 'us-${*}', 'ops${?}'],
    requestValues: ['us-east-1', 'eu-west-1', 'ops', 'dev', 'alice', 'bob', ''],
  },
  {
    keys: ['s3:max-keys'],
    operators: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
    policyValues: ['10', 10, '5.0', '15'],
    requestValues: ['5', '10', '15', '10.0', 'many'],
  },
  {
    keys: ['aws:CurrentTime'],
    operators: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
    // Every W3C form (YYYY, YYYY-MM, YYYY-MM-DD, with hh:mm, :ss, .s and a zone), epoch
    // seconds, and values that are not dates (an impossible day, a wildcard).
    policyValues: [
      '2026-06-01T00:00:00Z',
      '2026-01-01T00:00:00Z',
      '2027-01-01T00:00:00Z',
      '2026',
      '2027',
      '2026-06',
      '2026-06-01',
      '2026-06-01T02:00+02:00',
      '2026-05-31T19:00:00.000-05:00',
      '1780272000',
      '2026-02-30',
      '2026-*',
    ],
    requestValues: ['2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', '2027-06-01T00:00:00Z', '1767225600', '2026-06-01T02:00:00+02:00', '2026-06-01T00:00:00.5Z', '2026', '2026-06'],
  },
  {
    keys: ['aws:SecureTransport', 'aws:MultiFactorAuthPresent'],
    operators: ['Bool'],
    policyValues: ['true', 'false', true, false],
    requestValues: ['true', 'false'],
  },
  {
    keys: ['ec2:UserData'],
    operators: ['BinaryEquals'],
    policyValues: ['QQ==', 'Qg=='],
    requestValues: ['QQ==', 'Qg=='],
  },
  {
    keys: ['aws:SourceIp'],
    operators: ['IpAddress', 'NotIpAddress'],
    policyValues: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.1', '0.0.0.0/0', '198.51.100.0/30'],
    requestValues: ['203.0.113.5', '198.51.100.1', '198.51.100.7', '2001:db8::1', '2001:db9::1', '2001:0db8:0000:0000:0000:0000:0000:0002'],
  },
  {
    keys: ['aws:SourceArn'],
    operators: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
    policyValues: ['arn:aws:connect:*:111122223333:instance/*', 'arn:aws:s3:::*', 'arn:aws:connect:us-east-?:*:*', 'arn:aws:connect:us-east-1:111122223333:instance/abc', 'arn:aws:connect:*:*:instance/${aws:username}'],
    requestValues: ['arn:aws:connect:us-east-1:111122223333:instance/abc', 'arn:aws:s3:::bucket', 'arn:aws:connect:eu-west-1:444455556666:instance/x'],
  },
  {
    keys: ['aws:TagKeys'],
    operators: ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'],
    policyValues: ['team', 'env', 'secret', 'te*', '', '*'],
    // '' is no value for the set operators and Null (a "null dataset").
    requestValues: ['team', 'env', 'secret', ''],
    multi: true,
  },
];

const ALL_KEYS = FAMILIES.flatMap((f) => f.keys.map((key) => ({ key, family: f })));

/**
 * Template condition names from a small set, so that the same name often appears in two
 * places (an Fn::If and a resource's Condition, two Fn::If on the same condition): both
 * evaluators must treat one name as one unknown boolean.
 */
const conditionName = fc.constantFrom('IsProd', 'HasAdmin', 'UseBoundary', 'Lockdown');

/** Occasionally wraps a value in a template unknown. */
function maybeSymbolic<T>(arb: fc.Arbitrary<T>, description: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 30, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(new Unresolved(`!Ref ${description}`)) },
    { weight: 1, arbitrary: fc.tuple(conditionName, arb, arb).map(([c, a, b]) => new Choice(c, a, b)) },
  );
}

function oneOrList<T>(arb: fc.Arbitrary<T>, max: number): fc.Arbitrary<T | T[]> {
  return fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: max }));
}

const actionPattern = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('*', 'connect:*') },
  { weight: 3, arbitrary: maybeSymbolic(fc.constantFrom(...ACTION_PATTERNS), 'ActionName') },
);

const resourcePattern = fc.oneof(
  { weight: 20, arbitrary: fc.constant('*') },
  { weight: 30, arbitrary: maybeSymbolic(fc.constantFrom(...RESOURCE_PATTERNS), 'ResourceArn') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      new Unresolved('!Sub arn:aws:s3:::${Bucket}/*', ['arn:aws:s3:::', { unknown: '!Ref Bucket' }, '/*']),
      new Unresolved('!Sub arn:aws:connect:${AWS::Region}:${AWS::AccountId}:instance/*', ['arn:aws:connect:', { unknown: '!Ref AWS::Region' }, ':', { unknown: '!Ref AWS::AccountId' }, ':instance/*']),
    ),
  },
);

/** One operator on one key of a family, with IfExists and set prefixes where they fit. */
const conditionEntry: fc.Arbitrary<{ operator: string; key: string; values: unknown }> = fc
  .record({
    picked: fc.constantFrom(...ALL_KEYS),
    opIndex: fc.nat(),
    ifExists: fc.boolean(),
    set: fc.constantFrom('ForAllValues:', 'ForAnyValue:', ''),
    isNull: fc.integer({ min: 0, max: 9 }),
    valueIndexes: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    symbolic: fc.integer({ min: 0, max: 30 }),
    nullValue: fc.constantFrom('true', 'false'),
  })
  .map(({ picked, opIndex, ifExists, set, isNull, valueIndexes, symbolic, nullValue }) => {
    const { key, family } = picked;
    if (isNull === 0) return { operator: 'Null', key, values: nullValue };
    const base = family.operators[opIndex % family.operators.length]!;
    const operator = (family.multi ? set || 'ForAllValues:' : '') + base + (ifExists ? 'IfExists' : '');
    const list = valueIndexes.map((i) => family.policyValues[i % family.policyValues.length]!);
    const values: unknown = symbolic === 0 ? new Unresolved('!Ref ConditionValue') : list.length === 1 ? list[0] : list;
    return { operator, key, values };
  });

const conditionBlock = fc.array(conditionEntry, { minLength: 1, maxLength: 2 }).map((entries) => {
  const block: Record<string, Record<string, unknown>> = {};
  for (const { operator, key, values } of entries) (block[operator] ??= {})[key] = values;
  return block;
});

const statement = fc
  .record({
    effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
    notAction: fc.integer({ min: 0, max: 5 }),
    actions: oneOrList(actionPattern, 3),
    notResource: fc.integer({ min: 0, max: 5 }),
    resources: oneOrList(resourcePattern, 2),
    condition: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: conditionBlock }),
    conditionChoice: fc.option(conditionName, { freq: 20 }),
    sid: fc.option(fc.constantFrom('A', 'B', 'ReadOnly'), { freq: 3 }),
  })
  .map(({ effect, notAction, actions, notResource, resources, condition, conditionChoice, sid }) => {
    const s: Record<string, unknown> = { ...(sid !== null ? { Sid: sid } : {}), Effect: effect };
    s[notAction === 0 ? 'NotAction' : 'Action'] = actions;
    s[notResource === 0 ? 'NotResource' : 'Resource'] = resources;
    if (condition !== null) s['Condition'] = conditionChoice !== null ? new Choice(conditionChoice, condition, NO_VALUE) : condition;
    return s;
  });

const statementSlot: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 40, arbitrary: statement },
  { weight: 2, arbitrary: fc.tuple(conditionName, statement).map(([c, s]) => new Choice(c, s, NO_VALUE)) },
  { weight: 1, arbitrary: fc.tuple(conditionName, statement, statement).map(([c, a, b]) => new Choice(c, a, b)) },
  { weight: 1, arbitrary: statement.map((s) => ({ ...s, Effect: new Unresolved('!Ref EffectParameter') })) },
  { weight: 1, arbitrary: fc.constant(new Unresolved('!GetAtt Generated.Statement')) },
);

const document = fc
  .record({
    version: fc.constantFrom('2012-10-17', '2012-10-17', '2012-10-17', '2012-10-17', '2008-10-17', undefined),
    statements: fc.array(statementSlot, { minLength: 1, maxLength: 4 }),
    shape: fc.integer({ min: 0, max: 30 }),
    listChoice: conditionName,
  })
  .map(({ version, statements: drawn, shape, listChoice }) => {
    // IAM refuses two statements with the same Sid in one policy (reference_policies_elements_sid.html):
    // suffix the index so generated documents stay valid.
    const statements = drawn.map((s, i) =>
      typeof s === 'object' && s !== null && !(s instanceof Choice) && !(s instanceof Unresolved) && typeof (s as { Sid?: unknown }).Sid === 'string'
        ? { ...(s as Record<string, unknown>), Sid: `${(s as { Sid: string }).Sid}${i}` }
        : s,
    );
    let list: unknown = statements;
    if (shape === 0 && statements.length === 1) list = statements[0]; // a single statement object
    if (shape === 1) list = new Choice(listChoice, statements, statements.slice(1)); // Fn::If around the list
    return { ...(version !== undefined ? { Version: version } : {}), Statement: list };
  });

function attached(name: string, boundary: boolean): fc.Arbitrary<AttachedPolicy> {
  return fc
    .record({
      doc: document,
      kind: fc.integer({ min: 0, max: 30 }),
      onlyIf: conditionName,
    })
    .map(({ doc, kind, onlyIf }): AttachedPolicy => {
      const origin = boundary ? ('permissions-boundary' as const) : ('document' as const);
      if (kind === 0) return { name, origin, unresolved: '!ImportValue Shared-PolicyArn' };
      if (kind === 1) return { name, origin, document: doc, onlyIf };
      return { name, origin, document: doc };
    });
}

export const principalArb: fc.Arbitrary<Principal> = fc
  .record({
    count: fc.integer({ min: 1, max: 3 }),
    boundary: fc.option(attached('boundary', true), { freq: 3 }),
    seeds: fc.tuple(attached('policy0', false), attached('policy1', false), attached('policy2', false)),
  })
  .map(({ count, boundary, seeds }) => ({
    kind: 'documents' as const,
    id: 'generated',
    policies: seeds.slice(0, count),
    ...(boundary !== null ? { permissionsBoundary: boundary } : {}),
  }));

/** Each key: left out (unknown), absent ([]), or given. */
const contextArb: fc.Arbitrary<Record<string, string | string[]>> = fc
  .tuple(...ALL_KEYS.map(({ key, family }) => fc.record({ key: fc.constant(key), mode: fc.integer({ min: 0, max: 5 }), values: fc.subarray([...family.requestValues]), one: fc.constantFrom(...family.requestValues), upper: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }).map((x) => ({ ...x, multi: family.multi === true }))))
  .map((entries) => {
    const context: Record<string, string | string[]> = {};
    for (const { key: name, mode, values, one, multi, upper } of entries) {
      if (mode === 0) continue; // unknown
      const key = upper ? name.toUpperCase() : name; // key names are case-insensitive
      if (mode === 2) context[key] = [];
      else if (multi) context[key] = values;
      else context[key] = mode === 5 && values.length > 1 ? values : one; // a few single-valued keys get several values
    }
    return context;
  });

export const requestArb: fc.Arbitrary<GeneratedRequest> = fc
  .record({
    action: fc.constantFrom(...REQUEST_ACTIONS),
    resource: fc.option(fc.constantFrom(...REQUEST_RESOURCES), { freq: 2 }),
    context: contextArb,
  })
  .map(({ action, resource, context }) => ({ action, ...(resource !== null ? { resource } : {}), context }));

export const caseArb: fc.Arbitrary<GeneratedCase> = fc.record({ principal: principalArb, request: requestArb });

/** A value with template unknowns spelled as the case files spell them ($unresolved, $if, $noValue). */
function plain(v: unknown): unknown {
  if (v instanceof Unresolved) return { $unresolved: v.description, ...(v.parts ? { parts: v.parts } : {}) };
  if (v instanceof Choice) return { $if: [v.condition, plain(v.whenTrue), plain(v.whenFalse)] };
  if (v === NO_VALUE) return { $noValue: true };
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function policyEntry(p: AttachedPolicy, boundary: boolean): Record<string, unknown> {
  return {
    name: p.name,
    ...(boundary ? { boundary: true } : {}),
    ...(p.document !== undefined ? { document: plain(p.document) } : {}),
    ...(p.unresolved !== undefined ? { unresolved: p.unresolved } : {}),
    ...(p.onlyIf !== undefined ? { onlyIf: p.onlyIf } : {}),
  };
}

/** A counterexample in the shape of a case file (test/evaluator/cases), ready to paste. */
export function describeCase(c: GeneratedCase): string {
  const { principal, request } = c;
  const policies = [
    ...principal.policies.map((p) => policyEntry(p, false)),
    ...(principal.permissionsBoundary ? [policyEntry(principal.permissionsBoundary, true)] : []),
  ];
  return JSON.stringify({ policies, request }, null, 2);
}

/** Runs one generated case through both evaluators; throws with the case when they disagree. */
export function expectAgreement(c: GeneratedCase): void {
  const options = { ...(c.request.resource !== undefined ? { resource: c.request.resource } : {}), context: c.request.context };
  let fastDecision: string;
  try {
    fastDecision = evaluate(c.principal, c.request.action, options).decision;
  } catch (e) {
    fastDecision = `threw ${(e as Error).name}: ${(e as Error).message}`;
  }
  let referenceDecision: string;
  try {
    referenceDecision = referenceEvaluate(c.principal, c.request.action, options).decision;
  } catch (e) {
    referenceDecision = `threw ${(e as Error).name}: ${(e as Error).message}`;
  }
  if (fastDecision !== referenceDecision) {
    throw new Error(`fast evaluator: ${fastDecision}, reference: ${referenceDecision}\n${describeCase(c)}`);
  }
}
