import { PolicyValidationError, UsageError } from '../../src/errors';
import { evaluate } from '../../src/evaluator';
import { parsePolicy, toPrincipal, validatePolicy } from '../../src/policy';
import { Choice, NO_VALUE, Unresolved } from '../../src/policy/symbolic';
import type { Principal } from '../../src/policy/types';

function errorOf(fn: () => unknown): PolicyValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyValidationError) return e;
    throw e;
  }
  throw new Error('expected a PolicyValidationError');
}

const stmt = (s: object) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:*', Resource: '*' }, { Effect: 'Allow', Action: 'connect:*', Resource: '*' }, s] });

describe('validation errors name the JSON path', () => {
  test.each([
    ['lower-case allow', { Effect: 'allow', Action: 'a:b', Resource: '*' }, 'Statement[2].Effect', /Effect must be 'Allow' or 'Deny'.*case-sensitive: write 'Allow'/],
    ['missing Effect', { Action: 'a:b', Resource: '*' }, 'Statement[2].Effect', /no Effect/],
    ['Action and NotAction', { Effect: 'Allow', Action: 'a:b', NotAction: 'a:c', Resource: '*' }, 'Statement[2].NotAction', /both Action and NotAction/],
    ['neither Action nor NotAction', { Effect: 'Allow', Resource: '*' }, 'Statement[2].Action', /neither Action nor NotAction/],
    ['Resource and NotResource', { Effect: 'Allow', Action: 'a:b', Resource: '*', NotResource: '*' }, 'Statement[2].NotResource', /both Resource and NotResource/],
    ['neither Resource nor NotResource', { Effect: 'Allow', Action: 'a:b' }, 'Statement[2].Resource', /neither Resource nor NotResource/],
    ['unknown statement key', { Effect: 'Allow', Action: 'a:b', Resource: '*', Actions: 'x' }, 'Statement[2].Actions', /unknown statement element 'Actions'.*did you mean 'Action'/],
    ['Action of the wrong type', { Effect: 'Allow', Action: 42, Resource: '*' }, 'Statement[2].Action', /must be a string or a list of strings; got number 42/],
    ['a list element of the wrong type', { Effect: 'Allow', Action: ['a:b', {}], Resource: '*' }, 'Statement[2].Action[1]', /got an object/],
    ['a malformed action', { Effect: 'Allow', Action: 'connect DescribeInstance', Resource: '*' }, 'Statement[2].Action', /white space/],
    ['a resource that is not an ARN', { Effect: 'Allow', Action: 'a:b', Resource: 'bucket' }, 'Statement[2].Resource', /neither '\*' nor an ARN/],
    ['Condition not an object', { Effect: 'Allow', Action: 'a:b', Resource: '*', Condition: 'x' }, 'Statement[2].Condition', /Condition must be an object/],
    ['unknown operator', { Effect: 'Allow', Action: 'a:b', Resource: '*', Condition: { StringEqual: { 'k:Key': 'v' } } }, 'Statement[2].Condition.StringEqual', /unknown condition operator 'StringEqual'.*did you mean 'StringEquals'/],
    ['operator value not an object', { Effect: 'Allow', Action: 'a:b', Resource: '*', Condition: { StringEquals: 'v' } }, 'Statement[2].Condition.StringEquals', /must map condition keys to values/],
    ['condition value of the wrong type', { Effect: 'Allow', Action: 'a:b', Resource: '*', Condition: { StringEquals: { 'k:Key': { x: 1 } } } }, 'Statement[2].Condition.StringEquals.k:Key', /must be a string, number or boolean/],
    ['NullIfExists', { Effect: 'Allow', Action: 'a:b', Resource: '*', Condition: { NullIfExists: { 'k:Key': 'true' } } }, 'Statement[2].Condition.NullIfExists', /no IfExists form/],
    ['bad set operator', { Effect: 'Allow', Action: 'a:b', Resource: '*', Condition: { 'ForSomeValues:StringEquals': { 'k:Key': 'v' } } }, 'Statement[2].Condition.ForSomeValues:StringEquals', /unknown condition set operator/],
    ['empty Action list', { Effect: 'Allow', Action: [], Resource: '*' }, 'Statement[2].Action', /must not be an empty list/],
    ['a statement that is not an object', 'Allow everything', 'Statement[2]', /a statement must be an object/],
  ])('%s', (_name, statement, path, message) => {
    const e = errorOf(() => validatePolicy(stmt(statement as object)));
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
  });

  test('document-level errors', () => {
    expect(errorOf(() => validatePolicy({ Version: '2012-10-17' })).message).toMatch(/no Statement/);
    expect(errorOf(() => validatePolicy({ Version: '2012-10-18', Statement: [] })).path).toBe('Version');
    expect(errorOf(() => validatePolicy({ Statment: [] })).message).toMatch(/unknown policy element 'Statment'.*did you mean 'Statement'/);
    expect(errorOf(() => validatePolicy([])).message).toMatch(/must be an object/);
  });

  test('a single statement object has the path "Statement"', () => {
    expect(errorOf(() => validatePolicy({ Statement: { Effect: 'Allow', Action: 'a:b' } })).path).toBe('Statement.Resource');
  });

  test('file, line, column and full path from the attached policy', () => {
    const role: Principal = {
      kind: 'role',
      id: 'AdminRole',
      policies: [{
        name: 'Inline',
        origin: 'inline',
        source: { file: 'stack.yaml', line: 5, column: 3, path: 'Resources.AdminRole.Properties.Policies[0].PolicyDocument' },
        locations: { 'Statement[0]': { file: 'stack.yaml', line: 8, column: 7 }, 'Statement[0].Effect': { file: 'stack.yaml', line: 9, column: 15 } },
        document: { Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 'connect:*', Resource: '*' }] },
      }],
    };
    const e = errorOf(() => evaluate(role, 'connect:DescribeInstance'));
    expect(e).toEqual(expect.objectContaining({ file: 'stack.yaml', line: 9, column: 15, path: 'Resources.AdminRole.Properties.Policies[0].PolicyDocument.Statement[0].Effect' }));
    expect(e.message).toMatch(/^stack\.yaml:9:15: Resources\.AdminRole\.Properties\.Policies\[0\]\.PolicyDocument\.Statement\[0\]\.Effect: Effect must be/);
    // Without a recorded position for the element, the statement's position is used.
    const noEffectLine = { ...role.policies[0]!, locations: { 'Statement[0]': { file: 'stack.yaml', line: 8, column: 7 } } };
    const e2 = errorOf(() => evaluate({ ...role, policies: [noEffectLine] }, 'connect:DescribeInstance'));
    expect(e2.line).toBe(8);
  });

  test('template values are accepted anywhere a value may be', () => {
    const parsed = parsePolicy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', NO_VALUE], Resource: new Unresolved('!GetAtt B.Arn'), Condition: { StringEquals: { 'k:Key': new Unresolved('!Ref P') } } },
        new Choice('IsProd', { Effect: 'Allow', Action: 'a:b', Resource: '*' }, NO_VALUE),
      ],
    });
    expect(parsed.statements).toHaveLength(2);
    expect(parsed.statements[1]).toEqual(expect.objectContaining({ partial: true, presenceConditions: ['IsProd'] }));
  });

  test('an invalid branch of a template choice is reported', () => {
    const e = errorOf(() => validatePolicy({ Statement: [{ Effect: new Choice('C', 'Allow', 'allow'), Action: 'a:b', Resource: '*' }] }));
    expect(e.path).toBe('Statement[0].Effect');
  });

  test('__proto__ keys are data, not prototypes', () => {
    const raw = JSON.parse('{"Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*","__proto__":{"x":1}}]}');
    expect(errorOf(() => validatePolicy(raw)).path).toBe('Statement[0].__proto__');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});

describe('toPrincipal', () => {
  test('documents, arrays, principals and managed policies', () => {
    const d = { Statement: [] };
    expect(toPrincipal(d).policies[0]?.document).toBe(d);
    expect(toPrincipal([d, d]).policies).toHaveLength(2);
    const p: Principal = { kind: 'role', id: 'R', policies: [] };
    expect(toPrincipal(p)).toBe(p);
    const m = toPrincipal({ name: 'X', arn: 'arn:aws:iam::aws:policy/X', document: d, owner: 'aws' });
    expect(m).toEqual(expect.objectContaining({ kind: 'managed-policy', id: 'X' }));
    expect(m.policies[0]).toEqual(expect.objectContaining({ name: 'X', origin: 'managed', document: d }));
  });

  test.each([
    ['a string', 'AmazonConnectReadOnlyAccess', /received the string "AmazonConnectReadOnlyAccess".*managedPolicy\("AmazonConnectReadOnlyAccess"\).*expected a policy document/],
    ['a number', 42, /received number 42; expected a policy document/],
    ['null', null, /received null/],
    ['undefined', undefined, /received undefined/],
    ['an object without Statement', { Version: '2012-10-17' }, /received an object with keys 'Version' and no Statement/],
    ['an empty array', [], /empty array/],
    ['an array with a non-document', [{ Statement: [] }, 'x'], /subject\[1\]: received the string "x"/],
  ])('refuses %s', (_name, value, message) => {
    expect(() => toPrincipal(value)).toThrow(UsageError);
    expect(() => toPrincipal(value)).toThrow(message);
  });

  test('the label names the argument', () => {
    expect(() => toPrincipal(1, 'received')).toThrow(/^received: /);
  });
});
