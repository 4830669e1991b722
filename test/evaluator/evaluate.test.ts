import { UsageError } from '../../src/errors';
import { compilePrincipal, evaluate } from '../../src/evaluator';
import { Choice, NO_VALUE, Unresolved } from '../../src/policy/symbolic';
import type { Principal } from '../../src/policy/types';

const V = '2012-10-17';
const doc = (...Statement: object[]) => ({ Version: V, Statement });
const allow = (Action: unknown, Resource: unknown = '*', extra: object = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: unknown, Resource: unknown = '*', extra: object = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });

describe('decisions', () => {
  test('allow, implicit deny, explicit deny', () => {
    const p = doc(allow('connect:*'), deny('connect:DeleteInstance'));
    expect(evaluate(p, 'connect:DescribeInstance').decision).toBe('allowed');
    expect(evaluate(p, 'connect:DeleteInstance').decision).toBe('explicitDeny');
    expect(evaluate(p, 's3:GetObject').decision).toBe('implicitDeny');
  });

  test('explicit deny in one policy beats an allow in another', () => {
    expect(evaluate([doc(allow('connect:*')), doc(deny('connect:Describe*'))], 'connect:DescribeInstance').decision).toBe('explicitDeny');
  });

  test('actions match case-insensitively, with ? wildcards', () => {
    expect(evaluate(doc(allow('CONNECT:describeinstance')), 'connect:DescribeInstance').decision).toBe('allowed');
    expect(evaluate(doc(allow('connect:ListInstance?')), 'connect:ListInstances').decision).toBe('allowed');
    expect(evaluate(doc(allow('connect:ListInstance?')), 'connect:ListInstance').decision).toBe('implicitDeny');
  });

  test('Deny with NotAction denies every other action', () => {
    const p = doc(allow('*'), { Effect: 'Deny', NotAction: ['connect:Describe*', 'connect:List*'], Resource: '*' });
    expect(evaluate(p, 'connect:DescribeInstance').decision).toBe('allowed');
    expect(evaluate(p, 'connect:DeleteInstance').decision).toBe('explicitDeny');
  });

  test('Allow with NotResource', () => {
    const p = doc({ Effect: 'Allow', Action: 'connect:DescribeInstance', NotResource: 'arn:aws:connect:*:*:instance/secret' });
    expect(evaluate(p, 'connect:DescribeInstance', { resource: 'arn:aws:connect:us-east-1:1:instance/other' }).decision).toBe('allowed');
    expect(evaluate(p, 'connect:DescribeInstance', { resource: 'arn:aws:connect:us-east-1:1:instance/secret' }).decision).toBe('implicitDeny');
    // Default resource: some instances are excluded, so it depends on which.
    expect(evaluate(p, 'connect:DescribeInstance').decision).toBe('conditional');
  });

  test('a condition key missing from the context: conditional under Allow and under Deny', () => {
    const cond = { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } };
    expect(evaluate(doc(allow('connect:*', '*', cond)), 'connect:DescribeInstance').decision).toBe('conditional');
    const r = evaluate(doc(allow('connect:*'), deny('connect:*', '*', cond)), 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toEqual([{ kind: 'conditionKey', key: 'aws:RequestedRegion', operator: 'StringEquals' }]);
    expect(r.reasons.join(' ')).toMatch(/may deny it/);
    expect(evaluate(doc(allow('connect:*'), deny('connect:*', '*', cond)), 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'eu-west-1' } }).decision).toBe('explicitDeny');
    expect(evaluate(doc(allow('connect:*'), deny('connect:*', '*', cond)), 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'us-east-1' } }).decision).toBe('allowed');
  });

  test('a maybe-Deny does not turn an implicit deny into conditional', () => {
    const cond = { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } };
    expect(evaluate(doc(deny('connect:*', '*', cond)), 'connect:DescribeInstance').decision).toBe('implicitDeny');
  });
});

describe('resources and the action\'s resource types', () => {
  test('an action that takes no resource is granted only by "*"', () => {
    const r = evaluate(doc(allow('connect:ListInstances', 'arn:aws:connect:*:*:instance/*')), 'connect:ListInstances');
    expect(r.decision).toBe('implicitDeny');
    expect(r.closest[0]?.mismatch).toBe('actionTakesNoResource');
    expect(evaluate(doc({ Effect: 'Allow', Action: 'connect:ListInstances', NotResource: 'arn:aws:s3:::x' }), 'connect:ListInstances').decision).toBe('allowed');
  });

  test('a pattern covering every ARN of the action\'s types counts as "*"', () => {
    expect(evaluate(doc(allow('connect:DescribeInstance', 'arn:aws:connect:*:*:instance/*')), 'connect:DescribeInstance').decision).toBe('allowed');
  });

  test('a pattern that cannot match the action\'s types is a certain non-match', () => {
    const r = evaluate(doc(allow('connect:DescribeInstance', 'arn:aws:s3:::bucket/*')), 'connect:DescribeInstance');
    expect(r.decision).toBe('implicitDeny');
    expect(r.closest[0]?.mismatch).toBe('resourceTypeMismatch');
  });

  test('a pattern covering part of the resource: conditional, with a resource dependency and a reason', () => {
    const r = evaluate(doc(allow('connect:DescribeInstance', 'arn:aws:connect:us-east-1:*:instance/*')), 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toEqual([{ kind: 'resource', pattern: 'arn:aws:connect:us-east-1:*:instance/*' }]);
    expect(r.reasons.join(' ')).toMatch(/covers only part of the resource asked about/);
  });

  test('a given resource decides by containment', () => {
    const p = doc(allow('connect:DescribeInstance', 'arn:aws:connect:us-east-1:*:instance/*'));
    expect(evaluate(p, 'connect:DescribeInstance', { resource: 'arn:aws:connect:us-east-1:111:instance/abc' }).decision).toBe('allowed');
    expect(evaluate(p, 'connect:DescribeInstance', { resource: 'arn:aws:connect:eu-west-1:111:instance/abc' }).decision).toBe('implicitDeny');
    expect(evaluate(p, 'connect:DescribeInstance', { resource: 'arn:aws:connect:us-east-1:111:instance/*' }).decision).toBe('allowed');
    expect(evaluate(p, 'connect:DescribeInstance', { resource: 'arn:aws:connect:*:111:instance/*' }).decision).toBe('conditional');
  });

  test('resources are case-sensitive', () => {
    const p = doc(allow('s3:GetObject', 'arn:aws:s3:::Bucket/*'));
    expect(evaluate(p, 's3:GetObject', { resource: 'arn:aws:s3:::bucket/x' }).decision).toBe('implicitDeny');
  });

  test('an action the IAM data does not know: a narrower Resource is conditional', () => {
    expect(evaluate(doc(allow('madeup:Thing', 'arn:aws:madeup:::x')), 'madeup:Thing').decision).toBe('conditional');
    expect(evaluate(doc(allow('madeup:*')), 'madeup:Thing').decision).toBe('allowed');
  });

  test('policy variables in Resource', () => {
    const p = doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*'));
    const at = { resource: 'arn:aws:s3:::home/alice/file' };
    expect(evaluate(p, 's3:GetObject', { ...at, context: { 'aws:username': 'alice' } }).decision).toBe('allowed');
    expect(evaluate(p, 's3:GetObject', { ...at, context: { 'aws:username': 'bob' } }).decision).toBe('implicitDeny');
    const r = evaluate(p, 's3:GetObject', at);
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toContainEqual({ kind: 'policyVariable', variable: 'aws:username' });
    // The literal part already rules it out.
    expect(evaluate(p, 's3:GetObject', { resource: 'arn:aws:s3:::other/alice/file' }).decision).toBe('implicitDeny');
  });
});

describe('permissions boundary', () => {
  const principal = (boundaryDoc: object, ...docs: object[]): Principal => ({
    kind: 'role',
    id: 'Role',
    policies: docs.map((d, i) => ({ name: `p${i}`, origin: 'inline' as const, document: d })),
    permissionsBoundary: { name: 'Boundary', origin: 'permissions-boundary', document: boundaryDoc },
  });

  test('effective permissions are the intersection', () => {
    const role = principal(doc(allow('connect:Describe*')), doc(allow('connect:*')));
    expect(evaluate(role, 'connect:DescribeInstance').decision).toBe('allowed');
    const r = evaluate(role, 'connect:DeleteInstance');
    expect(r.decision).toBe('implicitDeny');
    expect(r.reasons[0]).toMatch(/permissions boundary does not allow/);
    expect(evaluate(role, 's3:GetObject').decision).toBe('implicitDeny');
  });

  test('a Deny in the boundary denies', () => {
    const role = principal(doc(allow('*'), deny('connect:DescribeInstance')), doc(allow('connect:*')));
    const r = evaluate(role, 'connect:DescribeInstance');
    expect(r.decision).toBe('explicitDeny');
    expect(r.statements[0]?.boundary).toBe(true);
  });
});

describe('unknowns from templates', () => {
  test('an unresolved policy makes a certain allow conditional, but not a certain deny', () => {
    const role: Principal = {
      kind: 'role',
      id: 'Role',
      policies: [
        { name: 'Known', origin: 'inline', document: doc(allow('connect:*'), deny('connect:DeleteInstance')) },
        { name: 'Shared', origin: 'managed-arn', unresolved: 'customer managed policy from another stack' },
      ],
    };
    const r = evaluate(role, 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toContainEqual({ kind: 'unresolvedPolicy', policy: 'Shared', reason: 'customer managed policy from another stack' });
    expect(evaluate(role, 'connect:DeleteInstance').decision).toBe('explicitDeny');
    expect(evaluate(role, 's3:GetObject').decision).toBe('conditional');
  });

  test('onlyIf makes the policy maybe', () => {
    const role: Principal = { kind: 'role', id: 'R', policies: [{ name: 'P', origin: 'inline', document: doc(allow('connect:*')), onlyIf: 'IsProd' }] };
    const r = evaluate(role, 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toEqual([{ kind: 'templateCondition', condition: 'IsProd' }]);
  });

  test('Choice: certain when both branches grant, maybe when one does', () => {
    const both = doc(allow('connect:DescribeInstance', new Choice('IsProd', 'arn:aws:connect:*:*:instance/*', '*')));
    expect(evaluate(both, 'connect:DescribeInstance').decision).toBe('allowed');
    const one = doc(allow('connect:DescribeInstance', new Choice('IsProd', 'arn:aws:s3:::x', '*')));
    const r = evaluate(one, 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toContainEqual({ kind: 'templateCondition', condition: 'IsProd' });
    const stmt = { Version: V, Statement: [new Choice('IsProd', allow('connect:*'), NO_VALUE)] };
    expect(evaluate(stmt, 'connect:DescribeInstance').decision).toBe('conditional');
    const deniedInOne = doc(allow('connect:*'), new Choice('IsProd', deny('connect:*'), NO_VALUE) as unknown as object);
    expect(evaluate(deniedInOne, 'connect:DescribeInstance').decision).toBe('conditional');
  });

  test('an unresolved value is never a wildcard, but its literal parts can rule a match out', () => {
    const bucket = new Unresolved('!GetAtt Bucket.Arn', [{ unknown: 'Bucket.Arn' }, '/*']);
    const r = evaluate(doc(allow('s3:GetObject', bucket)), 's3:GetObject');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toContainEqual({ kind: 'unresolvedValue', description: 'Bucket.Arn' });
    const s3only = new Unresolved('!Sub', ['arn:aws:s3:::', { unknown: 'BucketName' }, '/*']);
    expect(evaluate(doc(allow('connect:DescribeInstance', s3only)), 'connect:DescribeInstance').decision).toBe('implicitDeny');
    expect(evaluate(doc(allow(new Unresolved('!Ref ActionParam'))), 'connect:DescribeInstance').decision).toBe('conditional');
    const partialAction = new Unresolved('!Sub', ['s3:', { unknown: 'Verb' }]);
    expect(evaluate(doc(allow(partialAction)), 'connect:DescribeInstance').decision).toBe('implicitDeny');
    expect(evaluate(doc(allow('connect:*', '*', { Condition: new Unresolved('!Ref Cond') })), 'connect:DescribeInstance').decision).toBe('conditional');
  });

  test('an unresolved Effect may allow or deny', () => {
    const p = doc(allow('connect:*'), { Effect: new Unresolved('!Ref EffectParam'), Action: 'connect:DeleteInstance', Resource: '*' });
    expect(evaluate(p, 'connect:DeleteInstance').decision).toBe('conditional');
  });
});

describe('explanations', () => {
  const role: Principal = {
    kind: 'role',
    id: 'AdminRole',
    file: 'template.yaml',
    policies: [{
      name: 'ConnectAdmin',
      origin: 'inline',
      source: { file: 'template.yaml', line: 10, path: 'Resources.AdminRole.Properties.Policies[0].PolicyDocument' },
      locations: { 'Statement[0]': { file: 'template.yaml', line: 14 }, 'Statement[1]': { file: 'template.yaml', line: 20 } },
      document: doc(
        { Sid: 'Read', ...allow('connect:Describe*') },
        { Sid: 'NoDelete', ...deny('connect:DeleteInstance') },
        { Sid: 'S3', ...allow('s3:GetObject', 'arn:aws:s3:::b/*') },
        { Sid: 'Region', ...allow('s3:PutObject', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }) },
      ),
    }],
  };

  test('the deciding statement with policy, sid, index, location and what matched', () => {
    const r = evaluate(role, 'connect:DescribeInstance');
    expect(r.statements).toEqual([
      expect.objectContaining({
        policy: 'ConnectAdmin',
        origin: 'inline',
        index: 0,
        sid: 'Read',
        effect: 'Allow',
        applies: 'yes',
        location: { file: 'template.yaml', line: 14, path: 'Resources.AdminRole.Properties.Policies[0].PolicyDocument.Statement[0]' },
        action: { element: 'Action', pattern: 'connect:Describe*', matched: true },
        resource: { element: 'Resource', pattern: '*', matched: true },
      }),
    ]);
    expect(r.reasons[0]).toBe("connect:DescribeInstance is allowed by statement 'Read' (#0) of policy 'ConnectAdmin' (template.yaml:14): Action 'connect:Describe*', Resource '*'.");
  });

  test('explicit deny names the Deny statement', () => {
    const r = evaluate(role, 'connect:DeleteInstance');
    expect(r.statements.map((s) => s.sid)).toEqual(['NoDelete']);
    expect(r.reasons[0]).toMatch(/denied explicitly by statement 'NoDelete' \(#1\).*template\.yaml:20/);
  });

  test('closest near misses, ranked: action matched but condition/resource failed first', () => {
    const r = evaluate(role, 's3:PutObject', { context: { 'aws:RequestedRegion': 'us-east-1' } });
    expect(r.decision).toBe('implicitDeny');
    expect(r.closest[0]).toEqual(expect.objectContaining({ sid: 'Region', mismatch: 'conditionFailed', cost: 1 }));
    expect(r.closest[0]?.conditions).toEqual([
      { operator: 'StringEquals', key: 'aws:RequestedRegion', values: ['eu-west-1'], result: false, contextValue: ['us-east-1'] },
    ]);
    expect(r.reasons[1]).toMatch(/Closest: statement 'Region'.*condition StringEquals aws:RequestedRegion is false/);
    const g = evaluate(role, 's3:GetObject', { resource: 'arn:aws:s3:::other/x' });
    expect(g.closest[0]).toEqual(expect.objectContaining({ sid: 'S3', mismatch: 'resourceNotMatched' }));
  });

  test('compiles once per subject object', () => {
    expect(compilePrincipal(role)).toBe(compilePrincipal(role));
  });
});

describe('usage errors', () => {
  const p = doc(allow('connect:*'));
  test.each([
    ['a missing action', () => evaluate(p, undefined as unknown as string), /action must be a non-empty string/],
    ['an empty action', () => evaluate(p, ''), /action must be a non-empty string/],
    ['an unknown option', () => evaluate(p, 'connect:X', { resources: '*' } as never), /unknown option 'resources'/],
    ['a non-string resource', () => evaluate(p, 'connect:X', { resource: 42 } as never), /options.resource must be a non-empty string/],
    ['a non-string context value', () => evaluate(p, 'connect:X', { context: { k: 1 } } as never), /options.context\['k'\] must be a string/],
    ['a subject that is not a policy', () => evaluate('AmazonConnectReadOnlyAccess', 'connect:X'), /received the string/],
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(UsageError);
    expect(fn).toThrow(message);
  });
});

describe('more rules', () => {
  test('${*} in a Resource is a literal star; without Version 2012-10-17 variables are literal text', () => {
    const p = doc(allow('s3:GetObject', 'arn:aws:s3:::b/${*}'));
    // The asked resource is itself a pattern: 'b/*' includes the object named '*' and others.
    expect(evaluate(p, 's3:GetObject', { resource: 'arn:aws:s3:::b/*' }).decision).toBe('conditional');
    expect(evaluate(p, 's3:GetObject', { resource: 'arn:aws:s3:::b/x' }).decision).toBe('implicitDeny');
    expect(evaluate(p, 's3:GetObject', { resource: 'arn:aws:s3:::c/*' }).decision).toBe('implicitDeny');
    const old = { Statement: [allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}')] };
    expect(evaluate(old, 's3:GetObject', { resource: 'arn:aws:s3:::home/alice', context: { 'aws:username': 'alice' } }).decision).toBe('implicitDeny');
    expect(evaluate(old, 's3:GetObject', { resource: 'arn:aws:s3:::home/${aws:username}' }).decision).toBe('allowed');
  });

  test('a variable the context gives as absent, with a default, uses the default', () => {
    const p = doc(allow('s3:GetObject', "arn:aws:s3:::home/${aws:PrincipalTag/team, 'shared'}/*"));
    const at = { resource: 'arn:aws:s3:::home/shared/x' };
    expect(evaluate(p, 's3:GetObject', { ...at, context: { 'aws:PrincipalTag/team': [] } }).decision).toBe('allowed');
    expect(evaluate(p, 's3:GetObject', at).decision).toBe('conditional');
  });

  test('a boundary attached only under a template condition', () => {
    const role = (boundary: object): Principal => ({
      kind: 'role',
      id: 'R',
      policies: [{ name: 'P', origin: 'inline', document: doc(allow('*')) }],
      permissionsBoundary: { name: 'B', origin: 'permissions-boundary', document: boundary, onlyIf: 'UseBoundary' },
    });
    expect(evaluate(role(doc(allow('connect:*'))), 'connect:DescribeInstance').decision).toBe('allowed');
    const r = evaluate(role(doc(allow('s3:*'))), 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toEqual([{ kind: 'templateCondition', condition: 'UseBoundary' }]);
    expect(evaluate(role(doc(allow('*'), deny('connect:*'))), 'connect:DescribeInstance').decision).toBe('conditional');
  });

  test('a Statement chosen by a template condition', () => {
    const p = { Version: V, Statement: new Choice('IsProd', [allow('connect:*')], [allow('s3:*')]) };
    const r = evaluate(p, 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
    expect(r.dependsOn).toContainEqual({ kind: 'templateCondition', condition: 'IsProd' });
    const both = { Version: V, Statement: new Choice('IsProd', [allow('connect:*')], allow('connect:Describe*')) };
    // Each branch allows it (with different statements): allowed either way.
    expect(evaluate(both, 'connect:DescribeInstance').decision).toBe('allowed');
  });
});
