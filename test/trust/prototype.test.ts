/**
 * `__proto__`, `constructor` and `prototype` (and other Object.prototype names) are plain data
 * in every JSON and YAML position: loading and evaluating such files never changes
 * Object.prototype, Array.prototype or Function.prototype, and never reads a value from them
 * (a condition key `constructor` missing from the context is unknown, not "present").
 */
import * as path from 'node:path';
import { PolicySourceError, checkConsoleTask, checkReadOnly, evaluate, loadFile, loadPolicyFile, loadTemplate, type Principal } from '../../src';
import { tempDir, writeTree } from './helpers';

const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const snapshot = (): string =>
  JSON.stringify(
    [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((proto) =>
      Object.getOwnPropertyNames(proto)
        .sort()
        .map((n) => {
          const d = Object.getOwnPropertyDescriptor(proto, n)!;
          return [n, typeof d.value, d.writable, d.enumerable, d.configurable, typeof d.get, typeof d.set];
        }),
    ),
  );

/**
 * A policy document with the name in every position where a policy holds data (as raw JSON
 * text, so `__proto__` stays a key); with `elements`, also as an element name, which the
 * grammar rejects (a typed error).
 */
function policyJson(n: string, elements = false): string {
  const q = JSON.stringify(n);
  // IAM takes only letters and digits in a Sid, and condition keys as 'service:keyname'; as
  // bare condition keys these names are a typed grammar error (see the test below).
  const sid = JSON.stringify(`S${n.replace(/[^A-Za-z0-9]/g, '')}`);
  const k = JSON.stringify(`svc:${n}`);
  const extra = (indent: string): string => (elements ? `${indent}${q}: { ${q}: "polluted" },` : '');
  return `{${extra('\n  ')}
  "Version": "2012-10-17",
  "Statement": [
    {${extra(' ')} "Sid": ${sid}, "Effect": "Allow", "Action": ["connect:ListInstances", ${JSON.stringify(`connect:${n}`)}], "Resource": ["*", ${JSON.stringify(`arn:aws:connect:*:*:instance/${n}`)}] },
    { "Effect": "Deny", "Action": "connect:DescribeInstance", "Resource": "*",
      "Condition": { "StringEquals": { ${k}: ${q}, "aws:username": [${q}] }, "Null": { ${k}: "false" } } },
    { "Effect": "Allow", "Action": "connect:DescribeInstance", "Resource": "*", "Condition": { "Bool": { ${k}: "true" } } }
  ]
}`;
}

/**
 * A template with the name as a parameter, mapping key, condition, logical id, tag and
 * Fn::Sub variable; with `elements`, also as a template section, a resource property and a
 * policy element (which may be rejected with a typed error).
 */
function templateYaml(n: string, elements = false): string {
  const q = JSON.stringify(n);
  const extra = (indent: string, value = 'polluted'): string => (elements ? `${indent}${q}: ${value}\n` : '');
  return `AWSTemplateFormatVersion: '2010-09-09'
${extra('', `{ ${q}: polluted }`)}Parameters:
  ${q}: { Type: String, Default: polluted }
Mappings:
  Map:
    ${q}: { ${q}: "arn:aws:connect:*:*:instance/*" }
Conditions:
  ${q}: !Equals [!Ref ${q}, polluted]
Resources:
  ${q}:
    Type: AWS::IAM::Role
    Properties:
${extra('      ')}      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }
      Tags: [{ Key: ${q}, Value: ${q} }]
      Policies:
        - PolicyName: !Sub '\${${n}}-policy'
          PolicyDocument:
            Version: '2012-10-17'
${extra('            ')}            Statement:
              - Effect: Allow
                Action: connect:ListInstances
                Resource: !FindInMap [Map, ${q}, ${q}]
              - !If [${q}, { Effect: Allow, Action: connect:DescribeInstance, Resource: '*' }, !Ref AWS::NoValue]
              - Effect: Allow
                Action: connect:ListUsers
                Resource: '*'
                Condition: { StringEquals: { ${JSON.stringify(`svc:${n}`)}: !Ref ${q} } }
${elements ? `  Merged:\n    Type: AWS::IAM::Role\n    Properties:\n      <<: { ${q}: { polluted: true } }\n      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }\n` : ''}`;
}

describe('__proto__, constructor and prototype keys are plain data', () => {
  const before = snapshot();
  const dir = tempDir();
  const loaded: Principal[] = [];

  test.each(NAMES.map((n) => [n]))('%s in every position of a policy file (JSON and YAML) and a template: loads (or is a typed error where it names an element), evaluates, no prototype changes', (n) => {
    writeTree(dir, {
      [`${n}/policy.json`]: policyJson(n),
      [`${n}/policy.yaml`]: policyJson(n), // JSON is YAML: the YAML parser reads the same keys
      [`${n}/template.yaml`]: templateYaml(n),
      [`${n}/template.json`]: JSON.stringify({ Resources: { [n]: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: n, PolicyDocument: JSON.parse(policyJson('x')) }] } } } }).replace(/"x"/g, JSON.stringify(n)),
      [`${n}/elements-policy.json`]: policyJson(n, true),
      [`${n}/elements-policy.yaml`]: policyJson(n, true),
      [`${n}/elements-template.yaml`]: templateYaml(n, true),
    });
    for (const f of ['policy.json', 'policy.yaml', 'template.yaml', 'template.json']) {
      const r = loadFile(path.join(dir, n, f));
      if (r.error) throw new Error(`${f}: ${r.error.message}`);
      expect(r.principals.length).toBe(1);
      if (f.startsWith('template')) expect(r.principals[0]!.id).toBe(n); // a logical id like any other
      loaded.push(...r.principals);
    }
    for (const f of ['elements-policy.json', 'elements-policy.yaml', 'elements-template.yaml']) {
      const r = loadFile(path.join(dir, n, f));
      if (r.error) expect(r.error).toBeInstanceOf(PolicySourceError);
      loaded.push(...r.principals);
    }
    loaded.push(loadPolicyFile(path.join(dir, n, 'policy.json')), ...loadTemplate(path.join(dir, n, 'template.yaml')).principals);
    for (const p of loaded) {
      evaluate(p, 'connect:DescribeInstance', { context: {} });
      evaluate(p, 'connect:ListInstances', { context: { [n]: 'x', 'aws:username': n } });
      checkConsoleTask(p, 'Home', 'Describe instance');
    }
    checkReadOnly(loaded[0]!);
    expect(snapshot()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each(NAMES.map((n) => [n]))('a condition key %s missing from the context is unknown (conditional), never read from Object.prototype', (n) => {
    const doc = (effect: string, op: string): unknown => ({
      Version: '2012-10-17',
      Statement: [
        ...(effect === 'Deny' ? [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' }] : []),
        { Effect: effect, Action: 'connect:ListInstances', Resource: '*', Condition: { [op]: { [n]: op === 'Null' ? 'false' : 'function Object() { [native code] }' } } },
      ],
    });
    for (const op of ['StringEquals', 'StringLike', 'Null', 'ForAnyValue:StringEquals']) {
      for (const effect of ['Allow', 'Deny']) {
        // A bare key is not 'service:keyname': IAM refuses it, so it is a typed error, never a read.
        expect(() => evaluate(doc(effect, op) as object, 'connect:ListInstances', { context: {} })).toThrow(/is not of the form 'service:keyname'/);
        const p = JSON.parse(JSON.stringify(doc(effect, op)).split(JSON.stringify(n)).join(JSON.stringify(`svc:${n}`))) as object;
        expect({ op, effect, decision: evaluate(p, 'connect:ListInstances', { context: {} }).decision }).toEqual({ op, effect, decision: 'conditional' });
        expect({ op, effect, decision: evaluate(p, 'connect:ListInstances', { context: { [n]: 'x' } }).decision }).toEqual({ op, effect, decision: 'conditional' });
      }
    }
    // and a Ref to an undefined parameter of that name is not resolved from Object.prototype
    const t = writeTree(dir, { [`ref-${n}.yaml`]: `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - { Effect: Allow, Action: connect:ListInstances, Resource: !Ref ${JSON.stringify(n)} }\n` });
    const r = loadFile(path.join(t, `ref-${n}.yaml`));
    if (!r.error) expect(evaluate(r.principals[0]!, 'connect:ListInstances').decision).not.toBe('allowed');
    else expect(r.error.message).toContain(`ref-${n}.yaml`);
    expect(snapshot()).toBe(before);
  });
});
