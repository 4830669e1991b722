/**
 * Reading files: YAML with CloudFormation tags and YAML 1.1 habits, strict JSON with
 * positions, encodings, limits and hostile input.
 */
import { PolicySourceError } from '../../src/errors';
import { loadFile, loadPolicyFile, loadTemplate } from '../../src/loaders';
import { DEFAULT_LIMITS } from '../../src/loaders/source';
import { CFN_TAGS } from '../../src/loaders/cloudformation/yaml';
import { fixture, tempFile } from './helpers';

function errorOf(fn: () => unknown): PolicySourceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PolicySourceError);
    return e as PolicySourceError;
  }
  throw new Error('expected an error');
}

const policyYaml = (body: string): string => `Version: 2012-10-17\nStatement:\n  - Effect: Allow\n    Action: connect:ListQueues\n    Resource: "*"\n${body}`;

describe('YAML', () => {
  test('YAML 1.1 habits: unquoted dates stay strings, yes/no/on/off are strings, true/false booleans', () => {
    const p = loadPolicyFile(
      tempFile('p.yaml', policyYaml('    Condition:\n      StringEquals:\n        aws:RequestTag/a: yes\n        aws:RequestTag/b: off\n      Bool:\n        aws:SecureTransport: true\n')),
    );
    const doc = p.policies[0]!.document as { Version: unknown; Statement: Array<{ Condition: Record<string, Record<string, unknown>> }> };
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement[0]!.Condition.StringEquals).toEqual({ 'aws:RequestTag/a': 'yes', 'aws:RequestTag/b': 'off' });
    expect(doc.Statement[0]!.Condition.Bool!['aws:SecureTransport']).toBe(true);
  });

  test('numbers that would not print back the same keep their text (account ids with leading zeros, octal-looking)', () => {
    const p = loadPolicyFile(
      tempFile('p.yaml', policyYaml('    Condition:\n      StringEquals:\n        aws:PrincipalAccount: 012345678901\n        aws:RequestTag/o: 0o17\n        aws:RequestTag/f: 1.0\n      NumericLessThan:\n        aws:MultiFactorAuthAge: 3600\n')),
    );
    const c = (p.policies[0]!.document as { Statement: Array<{ Condition: Record<string, Record<string, unknown>> }> }).Statement[0]!.Condition;
    expect(c.StringEquals).toEqual({ 'aws:PrincipalAccount': '012345678901', 'aws:RequestTag/o': '0o17', 'aws:RequestTag/f': '1.0' });
    expect(c.NumericLessThan!['aws:MultiFactorAuthAge']).toBe(3600);
  });

  test('every short tag maps to its long form', () => {
    expect(Object.keys(CFN_TAGS).sort()).toEqual(
      ['!And', '!Base64', '!Cidr', '!Condition', '!Equals', '!FindInMap', '!ForEach', '!GetAZs', '!GetAtt', '!If', '!ImportValue', '!Join', '!Length', '!Not', '!Or', '!Ref', '!Select', '!Split', '!Sub', '!ToJsonString', '!Transform'].sort(),
    );
    // The fixture uses all of them (except !ForEach, a transform's); its results are checked in intrinsics.test.ts.
    const text = require('node:fs').readFileSync(fixture('templates', 'tags.yaml'), 'utf8') as string;
    for (const tag of Object.keys(CFN_TAGS)) if (tag !== '!ForEach') expect(text).toMatch(new RegExp(`${tag}\\s`));
  });

  test('an unknown tag is an error at its line', () => {
    const e = errorOf(() => loadTemplate(fixture('errors', 'unknown-tag.yaml')));
    expect(e.message).toMatch(/unknown-tag\.yaml:5:23: Resources\.Role\.Properties\.RoleName: unknown YAML tag !Reff/);
  });

  test('malformed YAML gives line and column', () => {
    const e = errorOf(() => loadTemplate(fixture('errors', 'bad-indent.yaml')));
    expect(e.problem).toMatch(/^invalid YAML: /);
    expect(e.line).toBe(5);
    expect(e.column).toBeGreaterThan(0);
  });

  test('duplicate keys are an error (the second would hide the first)', () => {
    const e = errorOf(() => loadPolicyFile(tempFile('d.yaml', 'Version: "2012-10-17"\nStatement: []\nStatement: []\n')));
    expect(e.message).toMatch(/unique/i);
    expect(e.line).toBe(3);
  });

  test('anchors and aliases are read (once), and an alias bomb is refused quickly', () => {
    const ok = loadPolicyFile(tempFile('a.yaml', 'Version: "2012-10-17"\nStatement:\n  - &s {Effect: Allow, Action: "connect:ListQueues", Resource: "*"}\n  - *s\n'));
    const doc = ok.policies[0]!.document as { Statement: unknown[] };
    expect(doc.Statement).toHaveLength(2);
    expect(doc.Statement[1]).toEqual(doc.Statement[0]);
    const e = errorOf(() => loadTemplate(fixture('errors', 'alias-bomb.yaml')));
    expect(e.message).toMatch(/alias bomb/);
    expect(e.line).toBeGreaterThan(0);
    // a hang fails by the test's timeout; speed is not asserted
    expect(loadFile(fixture('errors', 'alias-bomb.yaml')).error).toBeInstanceOf(PolicySourceError);
  }, 60_000);

  test('maxAliasCount is an option', () => {
    const f = tempFile('a.yaml', 'Version: "2012-10-17"\nStatement:\n  - &s {Effect: Allow, Action: "connect:ListQueues", Resource: "*"}\n  - *s\n  - *s\n');
    expect(() => loadPolicyFile(f, { maxAliasCount: 1 })).toThrow(/more than 1 copies/);
    expect(loadPolicyFile(f, { maxAliasCount: 2 }).policies).toHaveLength(1);
  });

  test('a recursive alias is refused, not followed forever', () => {
    expect(() => loadPolicyFile(tempFile('r.yaml', 'a: &a [*a]\n'))).toThrow(PolicySourceError);
  });
});

describe('JSON', () => {
  test.each([
    ['trailing comma in an object', '{"Version": "2012-10-17", "Statement": [],}', /trailing comma before '}'/, 1, 43],
    ['trailing comma in an array', '{\n  "Statement": [\n    1,\n  ]\n}', /trailing comma before '\]'/, 4, 3],
    ['comment', '{\n  // hi\n  "Statement": []\n}', /comments are not allowed/, 2, 3],
    ['single quotes', "{'Statement': []}", /expected a property name in double quotes/, 1, 2],
    ['unterminated string', '{"Statement": "abc', /unterminated string/, 1, 15],
    ['end of file', '{"Statement": [', /unexpected end of file/, 1, 16],
    ['duplicate key', '{"Statement": [], "Statement": []}', /duplicate key 'Statement'/, 1, 19],
    ['garbage after the value', '{"Statement": []} x', /after the end of the JSON value/, 1, 19],
    ['control character in a string', '{"Sid": "a\tb"}', /control character/, 1, 11],
  ])('%s: error with line and column', (_name, text, message, line, column) => {
    const e = errorOf(() => loadPolicyFile(tempFile('p.json', text)));
    expect(e.problem).toMatch(message);
    expect(e.problem).toMatch(/^invalid JSON: /);
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
  });

  test('the JSON error names the JSON path where it happened', () => {
    const e = errorOf(() => loadPolicyFile(fixture('errors', 'trailing-comma.json')));
    expect(e).toMatchObject({ line: 8, column: 5, path: 'Statement[0]' });
    expect(e.message).toContain('trailing-comma.json:8:5: Statement[0]: invalid JSON');
  });

  test('JSON-looking content is read as JSON whatever the extension (a YAML parser would accept the trailing comma)', () => {
    const f = tempFile('p.yaml', '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "a:b", "Resource": "*"},]}');
    expect(() => loadPolicyFile(f)).toThrow(/invalid JSON: trailing comma/);
    expect(loadFile(f).error?.problem).toMatch(/trailing comma/);
  });

  test('escapes are decoded; long integers keep their digits', () => {
    const p = loadPolicyFile(tempFile('p.json', '{"Statement": {"Sid": "a\\u0041", "Effect": "Allow", "Action": "connect:ListQueues", "Resource": "*", "Condition": {"NumericEquals": {"k:Key": 12345678901234567890}, "StringEquals": {"k:Text": "x\\ny"}}}}'));
    const st = (p.policies[0]!.document as { Statement: { Sid: string; Condition: { NumericEquals: { 'k:Key': unknown }; StringEquals: { 'k:Text': unknown } } } }).Statement;
    expect(st.Sid).toBe('aA');
    expect(st.Condition.StringEquals['k:Text']).toBe('x\ny');
    expect(st.Condition.NumericEquals['k:Key']).toBe('12345678901234567890');
  });
});

describe('encodings and line endings', () => {
  const doc = '{\r\n  "Version": "2012-10-17",\r\n  "Statement": [\r\n    { "Effect": "Allow", "Action": "connect:ListQueues", "Resource": "*" }\r\n  ]\r\n}\r\n';

  test('a UTF-8 BOM and CRLF line endings are fine, and lines stay right', () => {
    const p = loadPolicyFile(tempFile('p.json', '\uFEFF' + doc));
    expect(p.policies[0]!.locations!['Statement[0]']).toMatchObject({ line: 4, column: 5 });
    const y = loadPolicyFile(tempFile('p.yaml', '\uFEFFVersion: 2012-10-17\r\nStatement:\r\n  - Effect: Allow\r\n    Action: connect:ListQueues\r\n    Resource: "*"\r\n'));
    expect(y.policies[0]!.locations!['Statement[0].Action']).toMatchObject({ line: 4, column: 5 });
    expect((y.policies[0]!.document as { Statement: Array<{ Resource: string }> }).Statement[0]!.Resource).toBe('*');
  });

  test('bytes that are not UTF-8 are a typed error with the position', () => {
    const bytes = Buffer.concat([Buffer.from('{\n  "Sid": "'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('"\n}')]);
    const e = errorOf(() => loadPolicyFile(tempFile('p.json', bytes)));
    expect(e.problem).toMatch(/not valid UTF-8/);
    expect(e.line).toBe(2);
    const utf16 = Buffer.from('\uFEFF{"Statement": []}', 'utf16le');
    expect(errorOf(() => loadPolicyFile(tempFile('p.json', utf16))).problem).toMatch(/UTF-16/);
  });
});

describe('limits', () => {
  test('the default limits', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxFileBytes: 10 * 1024 * 1024, maxDepth: 100, maxAliasCount: 1000, maxStatements: 10_000 });
  });

  test('file size (maxFileBytes)', () => {
    const f = tempFile('p.json', '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "a:b", "Resource": "*"}}');
    expect(() => loadPolicyFile(f, { maxFileBytes: 20 })).toThrow(/more than the limit of 20 bytes \(option maxFileBytes\)/);
    expect(loadFile(f, { maxFileBytes: 20 }).error?.problem).toMatch(/maxFileBytes/);
  });

  test('nesting depth in JSON and YAML (maxDepth), without a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(errorOf(() => loadPolicyFile(tempFile('d.json', deep))).problem).toMatch(/nesting deeper than 100 levels/);
    const deepYaml = 'a:\n' + Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n') + ' x\n';
    expect(errorOf(() => loadPolicyFile(tempFile('d.yaml', deepYaml))).problem).toMatch(/nesting deeper than 100 levels|nested too deep/);
    const flow = 'a: ' + '['.repeat(50_000) + ']'.repeat(50_000) + '\n';
    expect(loadFile(tempFile('f.yaml', flow)).error).toBeInstanceOf(PolicySourceError);
  });

  test('statements per policy (maxStatements)', () => {
    const st = Array.from({ length: 12 }, () => ({ Effect: 'Allow', Action: 'connect:ListQueues', Resource: '*' }));
    const f = tempFile('p.json', JSON.stringify({ Version: '2012-10-17', Statement: st }));
    expect(() => loadPolicyFile(f, { maxStatements: 10 })).toThrow(/12 statements in one policy, more than the limit of 10 \(option maxStatements\)/);
    expect(loadPolicyFile(f).policies).toHaveLength(1);
  });
});

describe('__proto__, constructor and prototype are plain data', () => {
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  afterAll(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('in JSON', () => {
    const text = '{"Version": "2012-10-17", "__proto__": {"polluted": 1}, "Statement": [{"Effect": "Allow", "Action": "connect:ListQueues", "Resource": "*", "Condition": {"StringEquals": {"__proto__": "x", "constructor": "y", "prototype": "z"}}}]}';
    expect(() => loadPolicyFile(tempFile('p.json', text))).toThrow(/unknown policy element '__proto__'/);
    // As condition keys they are plain keys (IAM then refuses them: a key is 'service:keyname').
    const bad = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:ListQueues", "Resource": "*", "Condition": {"StringEquals": {"__proto__": "x", "constructor": "y", "prototype": "z"}}}]}';
    expect(() => loadPolicyFile(tempFile('p.json', bad))).toThrow(/Condition\.StringEquals\.__proto__: condition key '__proto__' is not of the form 'service:keyname'/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const ok = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:ListQueues", "Resource": "*", "Condition": {"StringEquals": {"svc:__proto__": "x", "svc:constructor": "y"}}}]}';
    const p = loadPolicyFile(tempFile('p.json', ok));
    const block = (p.policies[0]!.document as { Statement: Array<{ Condition: { StringEquals: Record<string, unknown> } }> }).Statement[0]!.Condition.StringEquals;
    expect(Object.keys(block)).toEqual(['svc:__proto__', 'svc:constructor']);
    expect(Object.getPrototypeOf(block)).toBe(Object.prototype);
  });

  test('in YAML templates (resource ids, tags, parameters)', () => {
    const text = [
      'Parameters:',
      '  constructor: {Type: String, Default: "arn:aws:s3:::b"}',
      'Resources:',
      '  __proto__:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: {Statement: []}',
      '      Tags: [{Key: __proto__, Value: {polluted: 1}}, {Key: prototype, Value: p}]',
      '      Policies:',
      '        - PolicyName: p',
      '          PolicyDocument:',
      '            Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: !Ref constructor}]',
      '  constructor:',
      '    Type: AWS::IAM::User',
    ].join('\n');
    const t = loadTemplate(tempFile('t.yaml', text));
    expect(t.principals.map((p) => p.id)).toEqual(['__proto__', 'constructor']);
    const role = t.principal('__proto__');
    expect(Object.keys(role.tags!)).toEqual(['__proto__', 'prototype']);
    expect((role.policies[0]!.document as { Statement: Array<{ Resource: unknown }> }).Statement[0]!.Resource).toBe('arn:aws:s3:::b');
    expect(() => t.principal('toString')).toThrow(/Unknown principal 'toString'/);
    expect(() => t.principal('hasOwnProperty')).toThrow(/Unknown principal/);
  });
});
