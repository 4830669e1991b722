/**
 * Templates -> principals: every attachment path, SAM, conditions on resources, errors,
 * and principal() lookup.
 */
import { PolicySourceError, PolicyValidationError, UnknownNameError } from '../../src/errors';
import { loadTemplate } from '../../src/loaders';
import { clearRegisteredManagedPolicies, registerManagedPolicy } from '../../src/managed';
import { Unresolved } from '../../src/policy/symbolic';
import type { AttachedPolicy, Principal } from '../../src/policy/types';
import { fixture, tempFile } from './helpers';

const summary = (p: Principal): Array<[string, string, string?]> =>
  p.policies.map((x) => [x.origin, x.name, ...(x.onlyIf ? [x.onlyIf] : [])] as [string, string, string?]);
const named = (p: Principal, name: string): AttachedPolicy => p.policies.find((x) => x.name === name)!;

describe('attachment paths (attachments.yaml)', () => {
  const t = loadTemplate(fixture('templates', 'attachments.yaml'));

  test('principals in template order, with kinds, physical names, sources and tags', () => {
    expect(t.principals.map((p) => [p.kind, p.id, p.name])).toEqual([
      ['role', 'AdminRole', 'connect-admin'],
      ['role', 'AuditorRole', 'connect-auditor'],
      ['role', 'MaybeRole', undefined],
      ['group', 'Supervisors', 'supervisors'],
      ['user', 'Agent', 'agent-1'],
      ['user', 'Other', undefined],
    ]);
    const admin = t.principal('AdminRole');
    expect(admin.file).toBe(fixture('templates', 'attachments.yaml'));
    expect(admin.source).toMatchObject({ line: 14, column: 3, path: 'Resources.AdminRole' });
    expect(admin.tags).toEqual({ team: 'contact-center', ['__proto__']: 'plain-data' });
  });

  test('a role: inline Policies, Fn::If around a whole inline policy, every kind of ManagedPolicyArns entry, AWS::IAM::Policy through Roles', () => {
    const admin = t.principal('connect-admin');
    expect(summary(admin)).toEqual([
      ['inline', 'inline-connect'],
      ['inline', 'audit-extra', 'AuditOn'],
      ['managed-arn', 'AmazonConnectReadOnlyAccess'],
      ['managed-arn', 'AWSLambdaBasicExecutionRole'],
      ['managed-arn', 'FromAnotherStack'],
      ['managed-arn', 'SharedFromParam'],
      ['managed-policy-resource', 'template-managed'],
      ['managed-arn', 'SecurityAudit', 'AuditOn'],
      ['policy-resource', 'attached'],
    ]);
    expect(named(admin, 'AmazonConnectReadOnlyAccess').document).toBeDefined();
    expect(named(admin, 'AWSLambdaBasicExecutionRole').document).toBeDefined(); // written with ${AWS::Partition}
    expect(named(admin, 'FromAnotherStack')).toMatchObject({
      unresolved: 'customer managed policy arn:aws:iam::123456789012:policy/FromAnotherStack is not in this template; registerManagedPolicy(arn, document) to check it',
      source: { line: 31, path: 'Resources.AdminRole.Properties.ManagedPolicyArns[2]' },
    });
    expect(named(admin, 'FromAnotherStack').document).toBeUndefined();
    expect(named(admin, 'template-managed').source).toMatchObject({ path: 'Resources.TemplateManaged.Properties.PolicyDocument', line: 65 });
  });

  test('statement locations: every statement and its elements, with file, line, column and JSON path', () => {
    const inline = named(t.principal('AdminRole'), 'inline-connect');
    expect(inline.source).toMatchObject({ line: 39, path: 'Resources.AdminRole.Properties.Policies[0].PolicyDocument' });
    expect(inline.locations!['Statement[0]']).toEqual({
      file: fixture('templates', 'attachments.yaml'),
      line: 41,
      column: 17,
      path: 'Resources.AdminRole.Properties.Policies[0].PolicyDocument.Statement[0]',
    });
    expect(inline.locations!['Statement[1].NotAction']).toMatchObject({ line: 49, path: 'Resources.AdminRole.Properties.Policies[0].PolicyDocument.Statement[1].NotAction' });
    expect(inline.locations!['Statement[1].NotResource']).toMatchObject({ line: 50 });
    expect(Object.keys(inline.locations!).sort()).toEqual(
      ['Statement[0]', 'Statement[0].Action', 'Statement[0].Effect', 'Statement[0].Resource', 'Statement[0].Sid', 'Statement[1]', 'Statement[1].Effect', 'Statement[1].NotAction', 'Statement[1].NotResource', 'Statement[1].Sid'].sort(),
    );
    // A single statement object (not a list): both keys.
    const attached = named(t.principal('AdminRole'), 'attached');
    expect(attached.locations!.Statement).toEqual(attached.locations!['Statement[0]']);
    expect(attached.locations!['Statement[0].Action']).toMatchObject({ line: 78 });
  });

  test('permissions boundary: an ARN in another partition resolves to the bundled policy', () => {
    const b = t.principal('AdminRole').permissionsBoundary!;
    expect(b).toMatchObject({ name: 'ReadOnlyAccess', origin: 'permissions-boundary' });
    expect(b.document).toBeDefined();
  });

  test('policies attached by name and by Ref, a managed policy through Roles, a conditional AWS::IAM::Policy, AWS::IAM::RolePolicy', () => {
    expect(summary(t.principal('AuditorRole'))).toEqual([
      ['managed-policy-resource', 'template-managed'],
      ['policy-resource', 'attached'],
      ['policy-resource', 'conditional', 'AuditOn'],
      ['policy-resource', 'role-policy'],
    ]);
  });

  test('a resource Condition that is unknown makes every policy of the principal conditional; a false one removes it', () => {
    expect(summary(t.principal('MaybeRole'))).toEqual([['managed-arn', 'AmazonConnectReadOnlyAccess', 'AuditOn']]);
    expect(() => t.principal('NeverRole')).toThrow(/Condition is false/);
    expect(t.warnings).toContain('NeverRole is not created: its condition Never is false');
  });

  test('a user: policies through Users, its groups (in the template and not), UserToGroupAddition', () => {
    const agent = t.principal('agent-1');
    expect(summary(agent)).toEqual([
      ['policy-resource', 'attached'],
      ['group', 'group-inline (group Supervisors)'],
      ['group', 'attached (group Supervisors)'],
      ['group', 'group external-group'],
    ]);
    expect(named(agent, 'group external-group').unresolved).toMatch(/group external-group, which is not defined in this template/);
    expect(summary(t.principal('Other'))).toEqual([
      ['group', 'group-inline (group Supervisors)'],
      ['group', 'attached (group Supervisors)'],
    ]);
    expect(summary(t.principal('supervisors'))).toEqual([
      ['inline', 'group-inline'],
      ['policy-resource', 'attached'],
    ]);
  });

  test('attachments to roles outside the template are warnings', () => {
    expect(t.warnings).toContain('AttachedPolicy attaches to role role-in-another-stack, which is not defined in this template');
  });

  test('with the condition known, conditional policies are plain or gone', () => {
    const on = loadTemplate(fixture('templates', 'attachments.yaml'), { parameters: { WithAudit: 'true' } });
    expect(summary(on.principal('AdminRole')).filter((x) => x.length === 3)).toEqual([]);
    expect(summary(on.principal('AdminRole')).map((x) => x[1])).toContain('audit-extra');
    const off = loadTemplate(fixture('templates', 'attachments.yaml'), { parameters: { WithAudit: 'false' } });
    expect(summary(off.principal('AdminRole')).map((x) => x[1])).not.toContain('audit-extra');
    expect(() => off.principal('MaybeRole')).toThrow(UnknownNameError);
  });

  test('a registered customer managed policy resolves (by ARN)', () => {
    registerManagedPolicy('arn:aws:iam::123456789012:policy/FromAnotherStack', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListUsers', Resource: '*' }] });
    try {
      const p = named(loadTemplate(fixture('templates', 'attachments.yaml')).principal('AdminRole'), 'FromAnotherStack');
      expect(p.unresolved).toBeUndefined();
      expect(p.document).toMatchObject({ Statement: [{ Action: 'connect:ListUsers' }] });
    } finally {
      clearRegisteredManagedPolicies();
    }
  });

  test('principal(): an unknown name is an UnknownNameError with the closest ids', () => {
    let err: unknown;
    try {
      t.principal('AdminRol');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownNameError);
    expect(err).toMatchObject({ kind: 'principal', value: 'AdminRol' });
    expect((err as UnknownNameError).suggestions[0]).toBe('AdminRole');
  });
});

describe('SAM (sam.yaml)', () => {
  const t = loadTemplate(fixture('templates', 'sam.yaml'));

  test('a function without Role: the generated role with every policy SAM gives it', () => {
    expect(t.sam).toBe(true);
    const fn = t.principal('Templates');
    expect(fn).toMatchObject({ kind: 'function', id: 'Templates', name: 'templates-fn', tags: { owner: 'team-a' } });
    expect(t.principal('TemplatesRole')).toBe(fn);
    expect(t.principal('templates-fn')).toBe(fn);
    expect(summary(fn)).toEqual([
      ['sam-policy', 'AWSLambdaBasicExecutionRole'],
      ['sam-policy', 'DynamoDBCrudPolicy'],
      ['sam-policy', 'S3ReadPolicy'],
      ['sam-policy', 'SQSSendMessagePolicy'],
      ['sam-policy', 'AmazonConnectReadOnlyAccess'],
      ['sam-policy', 'AWSXrayReadOnlyAccess'],
      ['sam-policy', 'TemplatesRolePolicy5'],
      ['sam-policy', 'MadeUpPolicyTemplate'],
      ['sam-policy', 'CloudWatchPutMetricPolicy', 'Extra'],
      ['sam-policy', 'AWSXrayWriteOnlyAccess'], // Globals Tracing: Active
      ['sam-policy', 'AWSLambdaVPCAccessExecutionRole'],
      ['sam-policy', 'AWSLambdaSQSQueueExecutionRole'],
      ['sam-policy', 'TemplatesDeadLetterQueue'],
      ['policy-resource', 'extra-for-generated-role'], // Roles: [!Ref TemplatesRole]
    ]);
    expect(fn.policies.filter((p) => p.unresolved).map((p) => p.name)).toEqual(['MadeUpPolicyTemplate']);
  });

  test('policy templates expand to their statements with the parameters filled in', () => {
    const fn = t.principal('Templates');
    const crud = named(fn, 'DynamoDBCrudPolicy').document as { Statement: Array<{ Action: string[]; Resource: Unresolved[] }> };
    expect(crud.Statement[0]!.Action).toContain('dynamodb:PutItem');
    expect(crud.Statement[0]!.Resource.map((r) => r.toString())).toEqual([
      'arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}',
      'arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}/index/*',
    ]);
    const s3 = named(fn, 'S3ReadPolicy').document as { Statement: Array<{ Resource: string[] }> };
    expect(s3.Statement[0]!.Resource).toEqual(['arn:aws:s3:::recordings', 'arn:aws:s3:::recordings/*']);
    expect(named(fn, 'S3ReadPolicy').locations!['Statement[0]']).toMatchObject({ line: 31, path: 'Resources.Templates.Properties.Policies[1]' });
    const withPseudo = loadTemplate(fixture('templates', 'sam.yaml'), { pseudo: { Region: 'eu-west-2', AccountId: '111122223333' } }).principal('Templates');
    const sqs = named(withPseudo, 'SQSSendMessagePolicy').document as { Statement: Array<{ Resource: Unresolved }> };
    expect(sqs.Statement[0]!.Resource.toString()).toBe('arn:aws:sqs:eu-west-2:111122223333:${Queue.QueueName}');
    expect(named(fn, 'MadeUpPolicyTemplate').unresolved).toMatch(/SAM policy template 'MadeUpPolicyTemplate' is not bundled/);
  });

  test('a function whose Role is a template role is that role; one with an outside role is unresolved', () => {
    expect(t.principal('UsesTemplateRole')).toBe(t.principal('SharedRole'));
    expect(summary(t.principal('SharedRole'))).toEqual([['managed-arn', 'AWSLambdaBasicExecutionRole']]); // Policies ignored with Role
    const outside = t.principal('UsesExternalRole');
    expect(outside.policies).toHaveLength(1);
    expect(outside.policies[0]!.unresolved).toMatch(/role arn:aws:iam::123456789012:role\/outside, which is not defined in this template/);
  });

  test('every SAM policy template used in the corpus or named in the issue is bundled', () => {
    const { samPolicyTemplateNames } = require('../../src/loaders') as typeof import('../../src/loaders');
    const names = samPolicyTemplateNames();
    for (const n of [
      'DynamoDBCrudPolicy', 'DynamoDBReadPolicy', 'S3ReadPolicy', 'S3CrudPolicy', 'S3WritePolicy', 'SQSSendMessagePolicy', 'SQSPollerPolicy',
      'SNSPublishMessagePolicy', 'LambdaInvokePolicy', 'KMSDecryptPolicy', 'SSMParameterReadPolicy', 'StepFunctionsExecutionPolicy',
      'CloudWatchPutMetricPolicy', 'AWSSecretsManagerGetSecretValuePolicy', 'EventBridgePutEventsPolicy', 'KinesisStreamReadPolicy',
      'ComprehendBasicAccessPolicy', 'PollyFullAccessPolicy', 'RekognitionDetectOnlyPolicy', 'VPCAccessPolicy',
    ]) expect(names).toContain(n);
  });

  test('a policy template without its parameter is an error', () => {
    const f = tempFile('s.yaml', 'Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - S3ReadPolicy: {Bucket: x}\n');
    expect(() => loadTemplate(f)).toThrow(/SAM policy template S3ReadPolicy needs the parameter BucketName/);
  });
});

describe('errors', () => {
  const errorOf = (fn: () => unknown): PolicySourceError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(PolicySourceError);
      return e as PolicySourceError;
    }
    throw new Error('expected an error');
  };

  test('lower-case allow: PolicyValidationError with file, line, column and the full JSON path', () => {
    const e = errorOf(() => loadTemplate(fixture('errors', 'lowercase-allow.yaml')));
    expect(e).toBeInstanceOf(PolicyValidationError);
    expect(e).toMatchObject({ file: fixture('errors', 'lowercase-allow.yaml'), line: 22, column: 17, path: 'Resources.AdminRole.Properties.Policies[0].PolicyDocument.Statement[2].Effect' });
    expect(e.message).toMatch(/Effect must be 'Allow' or 'Deny', not "allow" \(Effect is case-sensitive: write 'Allow'\)/);
  });

  test('an unknown property of an inline policy (PolicyDocumnet) with a suggestion', () => {
    const e = errorOf(() => loadTemplate(fixture('errors', 'typo-property.yaml')));
    expect(e).toMatchObject({ line: 13, column: 11, path: 'Resources.AdminRole.Properties.Policies[0].PolicyDocumnet' });
    expect(e.message).toMatch(/unknown property 'PolicyDocumnet' of an inline policy; did you mean 'PolicyDocument'\?/);
  });

  test('an unknown property of an IAM resource, in JSON, with a suggestion', () => {
    const e = errorOf(() => loadTemplate(fixture('errors', 'typo-role-property.json')));
    expect(e).toMatchObject({ line: 7, column: 9, path: 'Resources.AdminRole.Properties.ManagedPolicyArn' });
    expect(e.message).toMatch(/unknown property 'ManagedPolicyArn' of AWS::IAM::Role; did you mean 'ManagedPolicyArns'\?/);
  });

  test('missing Effect, and Action with NotAction', () => {
    expect(errorOf(() => loadTemplate(fixture('errors', 'missing-effect.json'))).problem).toMatch(/not a CloudFormation template/);
    const { loadPolicyFile } = require('../../src/loaders') as typeof import('../../src/loaders');
    expect(errorOf(() => loadPolicyFile(fixture('errors', 'missing-effect.json')))).toMatchObject({ line: 4, column: 5, path: 'Statement[0]' });
    const both = errorOf(() => loadPolicyFile(fixture('errors', 'action-and-notaction.json')));
    expect(both).toBeInstanceOf(PolicyValidationError);
    expect(both).toMatchObject({ line: 5, path: 'Statement[1].NotAction' });
    expect(both.problem).toMatch(/both Action and NotAction/);
  });

  test('unknown statement and document elements, with suggestions', () => {
    const { loadPolicyFile } = require('../../src/loaders') as typeof import('../../src/loaders');
    const f = tempFile('p.json', '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Actions": "a:b", "Resource": "*"}]}');
    expect(errorOf(() => loadPolicyFile(f)).message).toMatch(/p\.json:1:61: Statement\[0\]\.Actions: unknown statement element 'Actions' \(did you mean 'Action'\?\)/);
  });

  test('a resource without Type, and a Policies entry that is not an object', () => {
    expect(() => loadTemplate(tempFile('t.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Properties: {}\n'))).toThrow(/the resource has no Type/);
    expect(() => loadTemplate(tempFile('t.yaml', 'Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies: [just-a-string]\n'))).toThrow(/a Policies entry must be \{PolicyName, PolicyDocument\}/);
  });

  test('a file that is not a template', () => {
    expect(() => loadTemplate(fixture('other', 'serverless.yml'))).toThrow(/not a CloudFormation template/);
  });
});

describe('transforms', () => {
  const forEach = (collection: string, extra: string[] = []): string =>
    tempFile(
      't.yaml',
      [
        'Transform: AWS::LanguageExtensions',
        'Parameters:',
        '  Teams: {Type: CommaDelimitedList, Default: "ops,dev-team"}',
        '  Unset: {Type: CommaDelimitedList}',
        'Resources:',
        '  Fn::ForEach::Roles:',
        '    - Name',
        `    - ${collection}`,
        '    - Role&{Name}:',
        '        Type: AWS::IAM::Role',
        '        Properties:',
        '          AssumeRolePolicyDocument: {Statement: []}',
        '          RoleName: !Sub connect-${Name}',
        '          Policies:',
        '            - PolicyName: !Ref Name',
        '              PolicyDocument:',
        '                Version: "2012-10-17"',
        '                Statement:',
        '                  - Effect: Allow',
        '                    Action: connect:UpdateInstanceAttribute',
        '                    Resource: "*"',
        ...extra,
        '  Plain:',
        '    Type: AWS::IAM::Role',
        '    Properties: {AssumeRolePolicyDocument: {Statement: []}}',
      ].join('\n'),
    );

  test('Fn::ForEach is expanded: ${Id} and &{Id} in keys and values, Ref to the identifier, lines of the loop body', () => {
    const t = loadTemplate(forEach('!Ref Teams'));
    expect(t.principals.map((p) => [p.id, p.name])).toEqual([
      ['Roleops', 'connect-ops'],
      ['Roledevteam', 'connect-dev-team'],
      ['Plain', undefined],
    ]);
    const dev = t.principal('connect-dev-team');
    expect(dev.policies.map((p) => p.name)).toEqual(['dev-team']);
    expect(dev.policies[0]!.locations?.['Statement[0]']).toMatchObject({ line: 19 });
    expect(t.warnings).toEqual([]);
  });

  test('a macro the loader does not apply: named in warnings, and every principal gets an unresolved policy (negative checks fail closed)', () => {
    const f = tempFile(
      't.yaml',
      ['Transform: [AWS::LanguageExtensions, MyCompanyMacro]', 'Resources:', '  Plain:', '    Type: AWS::IAM::Role', '    Properties: {AssumeRolePolicyDocument: {Statement: []}}'].join('\n'),
    );
    const t = loadTemplate(f);
    expect(t.warnings).toEqual(['the template uses the transform MyCompanyMacro: what it deploys may differ from what this loader reads']);
    expect(t.principal('Plain').policies).toEqual([
      expect.objectContaining({ name: 'transform MyCompanyMacro', unresolved: expect.stringMatching(/MyCompanyMacro, which this loader does not apply/), source: expect.objectContaining({ line: 1 }) }),
    ]);
  });

  test('Fn::ForEach over a literal list, and nested loops', () => {
    const f = tempFile(
      't.yaml',
      [
        'Transform: AWS::LanguageExtensions',
        'Resources:',
        '  Fn::ForEach::Outer:',
        '    - Env',
        '    - [prod, test]',
        '    - Fn::ForEach::Inner:',
        '        - Team',
        '        - [a, b]',
        '        - ${Env}${Team}Role:',
        '            Type: AWS::IAM::Role',
        '            Properties: {AssumeRolePolicyDocument: {Statement: []}}',
      ].join('\n'),
    );
    expect(loadTemplate(f).principals.map((p) => p.id)).toEqual(['prodaRole', 'prodbRole', 'testaRole', 'testbRole']);
  });

  test('Fn::ForEach over an unknown collection is an error (the roles it generates are unknown), not a silent skip', () => {
    const err = (() => {
      try {
        loadTemplate(forEach('!Ref Unset'));
      } catch (e) {
        return e as PolicySourceError;
      }
      throw new Error('expected an error');
    })();
    expect(err).toBeInstanceOf(PolicySourceError);
    expect(err.message).toMatch(/Fn::ForEach::Roles: its collection \(\{"Ref":"Unset"\}\) is not a known list of strings/);
    expect(err.line).toBe(8);
    // Given the parameter, it loads.
    expect(loadTemplate(forEach('!Ref Unset'), { parameters: { Unset: 'x,y' } }).principals.map((p) => p.id)).toEqual(['Rolex', 'Roley', 'Plain']);
  });

  test('Fn::ForEach that generates a logical id twice is an error', () => {
    expect(() => loadTemplate(forEach('[same, same]'))).toThrow(/generates the logical id 'Rolesame' twice/);
  });
});

describe('principal() precedence', () => {
  test('a logical id wins over another principal whose physical name is the same', () => {
    const f = tempFile('t.yaml', 'Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: B, AssumeRolePolicyDocument: {Statement: []}}\n  B:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: other, AssumeRolePolicyDocument: {Statement: []}}\n');
    const t = loadTemplate(f);
    expect(t.principal('B').id).toBe('B');
    expect(t.principal('other').id).toBe('B');
  });
});
