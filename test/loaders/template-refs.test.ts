/**
 * Issue 9 item 7 (first two bullets), through the public entry point (`jest-connect-iam`):
 *
 * - A `Ref`, `Fn::GetAtt` or `Fn::Sub` variable that names neither a parameter, a pseudo
 *   parameter nor a resource is a template error with file:line. CloudFormation rejects such a
 *   template: "The Ref intrinsic function ... the logical ID of a resource or a parameter"
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-ref.html),
 *   and `Fn::Sub` variables "can be template parameter names, resource logical IDs, resource
 *   attributes, or a variable in a key-value map"
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html).
 *   Resources that the SAM transform generates count as declared
 *   (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html).
 * - `CommaDelimitedList` parameters are lists, defaults included: "An array of literal strings
 *   that are separated by commas ... each member string is space trimmed"
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
 */
import * as fs from 'node:fs';
import { loadFile, loadTemplate, PolicySourceError, Unresolved, type Principal } from '../../src';
import { bin, tempDir, writeTree } from '../cli/helpers';
import { tempFile } from './helpers';

const role = (resource: string, extra = ''): string => `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage:
    Type: String
    Default: prod
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: ${resource}
${extra}`;

/** The statements of the principal's first policy. */
function stmts(principal: Principal): Array<{ Resource: unknown }> {
  return (principal.policies[0]!.document as { Statement: Array<{ Resource: unknown }> }).Statement;
}

function errorOf(run: () => unknown): PolicySourceError {
  try {
    run();
  } catch (e) {
    if (e instanceof PolicySourceError) return e;
    throw e;
  }
  throw new Error('expected a PolicySourceError');
}

describe('undeclared names are template errors with file:line', () => {
  test.each([
    ['!Ref to nothing', '!Ref Bukcet', /Ref names 'Bukcet', which is neither a parameter, a pseudo parameter nor a resource of this template \(CloudFormation rejects it\): did you mean 'Bucket'/],
    ['!GetAtt short form', '!GetAtt Bukcet.Arn', /Fn::GetAtt names 'Bukcet'.*did you mean 'Bucket'/],
    ['Fn::GetAtt long form', "{ 'Fn::GetAtt': [Nothing, Arn] }", /Fn::GetAtt names 'Nothing'/],
    ['a Fn::Sub variable', '!Sub "arn:aws:s3:::${Stagee}/*"', /Fn::Sub variable \$\{Stagee\} names 'Stagee'.*did you mean 'Stage'/],
    ['a Fn::Sub attribute variable', '!Sub "${Bukcet.Arn}/*"', /Fn::Sub variable \$\{Bukcet\.Arn\} names 'Bukcet'/],
  ])('%s', (_label, resource, message) => {
    const file = tempFile('t.yaml', role(resource));
    const e = errorOf(() => loadTemplate(file));
    expect(e.message).toMatch(message);
    expect(e.file).toBe(file);
    expect(e.line).toBe(20);
  });

  test('before: an undeclared Ref was a silent unknown; declared names still resolve or stay symbolic', () => {
    const t = loadTemplate(tempFile('t.yaml', role('!Sub "arn:aws:s3:::${Stage}-${AWS::AccountId}-${Bucket}/${Bucket.Arn}"')));
    const r = stmts(t.principal('AppRole'));
    expect(r[0]!.Resource).toBeInstanceOf(Unresolved);
    expect(String(r[0]!.Resource)).toBe('arn:aws:s3:::prod-${AWS::AccountId}-${Bucket}/${Bucket.Arn}');
  });

  test('a Fn::Sub variable given in its own map is not a template name', () => {
    const t = loadTemplate(tempFile('t.yaml', role('!Sub ["arn:aws:s3:::${Name}/*", { Name: !Ref Stage }]')));
    expect(stmts(t.principal('AppRole'))[0]!.Resource).toBe('arn:aws:s3:::prod/*');
  });

  test('in a condition too', () => {
    const file = tempFile('t.yaml', role('"*"', `Conditions:\n  IsProd: !Equals [!Ref Stag, prod]\n`));
    expect(errorOf(() => loadTemplate(file)).message).toMatch(/Ref names 'Stag'/);
  });

  test('a scan reports the bad file (exit 2) and still checks the others', () => {
    const dir = writeTree(tempDir('jci-refs-'), {
      'infra/bad.yaml': role('!GetAtt Bukcet.Arn'),
      'infra/good.yaml': role('"*"'),
      'jest-connect-iam.rules.yaml': 'version: 1\nrules:\n  - name: lists\n    expect:\n      notAllowActions: [connect:DeleteInstance]\n',
    });
    try {
      const r = bin(['check', '--cwd', dir]);
      expect(r.status).toBe(2);
      expect(r.stdout).toMatch(/infra\/bad\.yaml:20:\d+: .*Fn::GetAtt names 'Bukcet'/);
      expect(r.stdout).toMatch(/1 hold/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('resources a transform generates count as declared', () => {
  const sam = (policyResource: string, extra = ''): string => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  MyFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: .
      AutoPublishAlias: live
      Events:
        Api:
          Type: Api
          Properties: { Path: /, Method: get }
  ExtraPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref MyFunctionRole]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: execute-api:Invoke
            Resource: ${policyResource}
${extra}`;

  test.each([
    ['<Function>Role (Ref and GetAtt)', '!GetAtt MyFunctionRole.Arn'],
    ['ServerlessRestApi', '!Sub "arn:aws:execute-api:*:*:${ServerlessRestApi}/*"'],
    ['ServerlessRestApiProdStage', '!Ref ServerlessRestApiProdStage'],
    ['a referenceable property <Function>.Alias', '!Ref MyFunction.Alias'],
    ['<Function>Aliaslive', '!Ref MyFunctionAliaslive'],
  ])('SAM: %s', (_label, resource) => {
    const t = loadTemplate(tempFile('sam.yaml', sam(resource)));
    expect(t.principal('MyFunction').policies.some((p) => p.name === 'extra')).toBe(true);
  });

  test('SAM: a name no SAM resource generates is still an error', () => {
    expect(errorOf(() => loadTemplate(tempFile('sam.yaml', sam('!Ref OtherFunctionRole')))).message).toMatch(/Ref names 'OtherFunctionRole'/);
  });

  test('Fn::ForEach: generated logical ids are declared', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Buckets:
    - Name
    - [Recordings, Transcripts]
    - \${Name}Bucket:
        Type: AWS::S3::Bucket
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !GetAtt RecordingsBucket.Arn
`;
    expect(() => loadTemplate(tempFile('fe.yaml', text))).not.toThrow();
  });

  test('a macro this loader does not apply may add any resource: no error, the value stays unknown', () => {
    const t = loadTemplate(tempFile('macro.yaml', role('!GetAtt MadeByMacro.Arn').replace("AWSTemplateFormatVersion: '2010-09-09'", "AWSTemplateFormatVersion: '2010-09-09'\nTransform: MyCompany::Macro")));
    expect(stmts(t.principal('AppRole'))[0]!.Resource).toBeInstanceOf(Unresolved);
  });

  test('loadFile reports the error as the file\'s error', () => {
    const r = loadFile(tempFile('t.yaml', role('!Ref Nope')));
    expect(r.error).toBeInstanceOf(PolicySourceError);
    expect(r.error!.message).toMatch(/t\.yaml:20:\d+: .*Ref names 'Nope'/);
  });
});

describe('CommaDelimitedList parameters are lists', () => {
  const text = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  BucketArns:
    Type: CommaDelimitedList
    Default: "arn:aws:s3:::recordings, arn:aws:s3:::transcripts"
  Names:
    Type: CommaDelimitedList
    Default: recordings,transcripts
  FromSsm:
    Type: AWS::SSM::Parameter::Value<List<String>>
    Default: /buckets
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - { Effect: Allow, Action: s3:ListBucket, Resource: !Ref BucketArns }
              - { Effect: Allow, Action: s3:GetObject, Resource: !Split [",", !Join [",", !Ref BucketArns]] }
              - { Effect: Allow, Action: s3:PutObject, Resource: !Sub ["arn:aws:s3:::\${B}/*", { B: !Select [1, !Ref Names] }] }
              - { Effect: Allow, Action: s3:DeleteObject, Resource: !Join ["", ["arn:aws:s3:::", !Select [0, !Ref Names], "/*"]] }
              - { Effect: Allow, Action: s3:GetBucketAcl, Resource: !Ref FromSsm }
`;
  const resources = (parameters?: Record<string, string>): unknown[] =>
    stmts(loadTemplate(tempFile('list.yaml', text), parameters ? { parameters } : {}).principal('AppRole')).map((s) => s.Resource);

  test('defaults: Ref is the list (members trimmed), Join/Split/Select work on it', () => {
    const r = resources();
    expect(r.slice(0, 4)).toEqual([
      ['arn:aws:s3:::recordings', 'arn:aws:s3:::transcripts'],
      ['arn:aws:s3:::recordings', 'arn:aws:s3:::transcripts'],
      'arn:aws:s3:::transcripts/*',
      'arn:aws:s3:::recordings/*',
    ]);
    // An SSM parameter's value is only known at deploy time.
    expect(r[4]).toBeInstanceOf(Unresolved);
  });

  test('given values too, an SSM list parameter included (before: it stayed one string)', () => {
    const r = resources({ Names: 'a, b', FromSsm: 'arn:aws:s3:::x,arn:aws:s3:::y' });
    expect(r[2]).toBe('arn:aws:s3:::b/*');
    expect(r[4]).toEqual(['arn:aws:s3:::x', 'arn:aws:s3:::y']);
  });

  test('through the matchers: the list grants what its members grant', () => {
    const principal = loadTemplate(tempFile('list.yaml', text), { parameters: { FromSsm: 'arn:aws:s3:::x' } }).principal('AppRole');
    expect(principal).toAllowAction('s3:ListBucket', { resource: 'arn:aws:s3:::transcripts' });
    expect(principal).not.toAllowAction('s3:ListBucket', { resource: 'arn:aws:s3:::other' });
  });
});
