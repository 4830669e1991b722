/**
 * Intrinsic functions, parameters, pseudo parameters and conditions: short tags (tags.yaml),
 * long forms (long-forms.template) and small templates for each rule.
 */
import { PolicySourceError } from '../../src/errors';
import { loadTemplate } from '../../src/loaders';
import { Choice, NO_VALUE, Unresolved } from '../../src/policy/symbolic';
import type { TemplateOptions } from '../../src/loaders';
import { fixture, tempFile } from './helpers';

type Statement = Record<string, unknown>;
const statementsOf = (file: string, options?: TemplateOptions, role?: string): Statement[] => {
  const t = loadTemplate(file, options);
  const p = role ? t.principal(role) : t.principals[0]!;
  return (p.policies[0]!.document as { Statement: Statement[] }).Statement;
};
const bySid = (st: Statement[], sid: string): Statement => st.find((s) => s.Sid === sid)!;

/** A template with one role whose single policy has the statements given (YAML). */
function roleTemplate(statements: string, extra = ''): string {
  return tempFile(
    't.yaml',
    `${extra}
Resources:
  Thing:
    Type: AWS::SQS::Queue
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
${statements.replace(/^/gm, '              ')}
`,
  );
}

describe('short tags (tags.yaml)', () => {
  const st = statementsOf(fixture('templates', 'tags.yaml'), undefined, 'TaggedRole');

  test('!Ref to a name that is not a parameter or resource stays unknown', () => {
    const r = bySid(st, 'Ref').Resource;
    expect(r).toBeInstanceOf(Unresolved);
    expect((r as Unresolved).description).toBe('!Ref BucketArnLiteral');
  });

  test('!Sub both forms: resources stay holes with the literal text kept; ${!Literal} is literal; variables resolve', () => {
    const [a, b] = bySid(st, 'SubBothForms').Resource as [Unresolved, string];
    expect(a).toBeInstanceOf(Unresolved);
    expect(a.parts).toEqual(['arn:aws:s3:::', { unknown: 'Bucket' }, '/*']);
    expect(a.toString()).toBe('arn:aws:s3:::${Bucket}/*');
    expect(b).toBe('arn:aws:s3:::beta/${Literal}'); // CommaDelimitedList split and trimmed, !Select 1
  });

  test('!GetAtt dot and list forms', () => {
    const [a, b] = bySid(st, 'GetAttDotAndList').Resource as Unresolved[];
    expect(a!.description).toBe('!GetAtt Bucket.Arn');
    expect(b!.description).toBe('!GetAtt Bucket.Arn');
    expect(a!.parts).toBeUndefined();
  });

  test('!Join, !Select, !Split, !FindInMap and AWS::Partition (default aws)', () => {
    expect(bySid(st, 'JoinSelectSplit').Resource).toBe('arn:aws:sqs:eu-west-1:123456789012:prod-queue');
  });

  test('!If on a known condition picks the branch (!Equals, !Not, !Condition)', () => {
    expect(bySid(st, 'IfKnown')).toMatchObject({ Effect: 'Deny', Action: 's3:DeleteBucket' });
  });

  test('!If on an unknown condition (!And with a parameter without default) keeps both branches as a Choice', () => {
    const r = bySid(st, 'IfUnknown').Resource as Choice;
    expect(r).toBeInstanceOf(Choice);
    expect(r.condition).toBe('ProdAndTable');
    expect((r.whenTrue as Unresolved).toString()).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/${TableName}');
    expect(r.whenFalse).toBe('*');
  });

  test('!ImportValue, !GetAZs and !Cidr are unknown', () => {
    const rs = bySid(st, 'Others').Resource as Unresolved[];
    expect(rs.map((r) => r.description)).toEqual(['!ImportValue Shared-ParameterArn', '!Select [0, !GetAZs]', '!Select [0, !Cidr]']);
  });

  test('!If around a whole statement: known true keeps it, unknown keeps a Choice with AWS::NoValue', () => {
    expect(st.filter((s) => s.Action === 'logs:CreateLogGroup')).toHaveLength(1); // !Or known true
    const c = st.find((s) => s instanceof Choice) as unknown as Choice;
    expect(c.condition).toBe('ProdAndTable');
    expect(c.whenFalse).toBe(NO_VALUE);
  });

  test('!Length, !ToJsonString and !Base64 of known values; leading-zero account ids keep their zero', () => {
    expect(bySid(st, 'Lengths').Condition).toEqual({
      StringEquals: { 'aws:PrincipalAccount': '012345678901', 'aws:RequestTag/count': '{"n":1}', 'aws:RequestTag/encoded': Buffer.from('plain-text').toString('base64') },
      NumericLessThanEquals: { 'aws:MultiFactorAuthAge': 3 },
    });
  });

  test('!Transform makes the policy unresolved', () => {
    const t = loadTemplate(fixture('templates', 'tags.yaml'));
    const p = t.principal('TransformRole').policies[0]!;
    expect(p.document).toBeUndefined();
    expect(p.unresolved).toMatch(/!Transform AWS::Include/);
  });

  test('conditions are reported with their values (undefined = unknown)', () => {
    expect(loadTemplate(fixture('templates', 'tags.yaml')).conditions).toEqual({ IsProd: true, IsDev: false, ProdAndTable: undefined, ProdOrDev: true });
    expect(loadTemplate(fixture('templates', 'tags.yaml'), { parameters: { TableName: 'orders' } }).conditions.ProdAndTable).toBe(true);
    expect(loadTemplate(fixture('templates', 'tags.yaml'), { parameters: { Env: 'dev' } }).conditions).toEqual({ IsProd: false, IsDev: true, ProdAndTable: false, ProdOrDev: true });
  });

  test('the physical name comes from !Sub of a parameter', () => {
    expect(loadTemplate(fixture('templates', 'tags.yaml')).principal('prod-tagged').id).toBe('TaggedRole');
  });
});

describe('long forms in JSON (long-forms.template)', () => {
  const f = fixture('templates', 'long-forms.template');

  test('Fn::GetAtt list, Fn::Sub with pseudo parameters, Fn::Join in a PolicyName, Fn::Select of a List<> parameter', () => {
    const t = loadTemplate(f);
    const p = t.principal('LongRole').policies[0]!;
    expect(p.name).toBe('dev-policy');
    const st = (p.document as { Statement: Statement[] }).Statement;
    expect((st[0]!.Resource as Unresolved).description).toBe('!GetAtt Queue.Arn');
    expect((st[1]!.Resource as Unresolved).parts).toEqual(['arn:aws:connect:', { unknown: 'AWS::Region' }, ':', { unknown: 'AWS::AccountId' }, ':instance/dev-*']);
    expect(st[2]).toMatchObject({ Effect: 'Allow', Resource: 'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-2' });
    // AWS::SSM::Parameter::Value parameters are read at deploy time: unknown even with a default.
    const c = st[3]!.Resource as Choice;
    expect(c.condition).toBe('InUsEast1');
    expect((c.whenTrue as Unresolved).parts).toEqual(['arn:aws:ssm:us-east-1:123456789012:parameter', { unknown: 'LatestAmi' }]);
  });

  test('options.pseudo fills AccountId and Region and decides conditions on them; options.parameters overrides defaults', () => {
    const t = loadTemplate(f, { pseudo: { AccountId: '111122223333', Region: 'us-east-1' }, parameters: { Stage: 'prod' } });
    expect(t.conditions).toEqual({ IsProd: true, InUsEast1: true });
    const st = (t.principal('LongRole').policies[0]!.document as { Statement: Statement[] }).Statement;
    expect(st[1]!.Resource).toBe('arn:aws:connect:us-east-1:111122223333:instance/prod-*');
    expect(st[2]!.Effect).toBe('Deny');
    expect(st[3]!.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } });
  });

  test('an option parameter that the template does not have is an error with a suggestion', () => {
    expect(() => loadTemplate(f, { parameters: { Stag: 'prod' } })).toThrow(/options.parameters names 'Stag'.*did you mean 'Stage'/);
  });
});

describe('rules, one template each', () => {
  test('pseudo parameters: Partition option, URLSuffix per partition, StackName, NoValue in an object removes the key', () => {
    const f = roleTemplate(
      '- Effect: Allow\n  Action: s3:GetObject\n  Resource: !Sub "arn:${AWS::Partition}:s3:::${AWS::StackName}-${AWS::URLSuffix}"\n  Sid: !Ref AWS::NoValue',
    );
    expect(statementsOf(f, { pseudo: { Partition: 'aws-cn', StackName: 'st' } })[0]).toEqual({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws-cn:s3:::st-amazonaws.com.cn' });
    const r = statementsOf(f)[0]!.Resource as Unresolved;
    expect(r.toString()).toBe('arn:aws:s3:::${AWS::StackName}-amazonaws.com');
  });

  test('Fn::Join keeps literal fragments around unknown pieces; an unknown list makes the whole string unknown', () => {
    const f = roleTemplate(
      '- Effect: Allow\n  Action: sqs:SendMessage\n  Resource:\n    - !Join ["", ["arn:aws:sqs:eu-west-1:", !Ref AWS::AccountId, ":q"]]\n    - !Join [",", !Ref Unset]',
      'Parameters:\n  Unset: {Type: CommaDelimitedList}',
    );
    const [a, b] = statementsOf(f)[0]!.Resource as Unresolved[];
    expect(a!.parts).toEqual(['arn:aws:sqs:eu-west-1:', { unknown: 'AWS::AccountId' }, ':q']);
    expect(b!.parts).toBeUndefined();
    expect(b!.description).toMatch(/^!Join/);
  });

  test('Fn::Sub with a Choice inside gives a Choice of strings; a piece that is a list is unknown', () => {
    const f = roleTemplate(
      '- Effect: Allow\n  Action: s3:GetObject\n  Resource:\n    - !Sub ["arn:aws:s3:::${B}/*", {B: !If [C, a, b]}]\n    - !Sub ["arn:aws:s3:::${L}", {L: [x]}]',
      'Parameters:\n  P: {Type: String}\nConditions:\n  C: !Equals [!Ref P, x]',
    );
    const [a, b] = statementsOf(f)[0]!.Resource as [Choice, Unresolved];
    expect(a).toEqual(new Choice('C', 'arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'));
    expect(b).toBeInstanceOf(Unresolved);
    expect(b.description).toMatch(/not a string/);
  });

  test('Fn::Select out of range and Fn::Split of an unknown value are unknown', () => {
    const f = roleTemplate('- Effect: Allow\n  Action: s3:GetObject\n  Resource:\n    - !Select [5, [a, b]]\n    - !Select [0, !Split [",", !ImportValue X]]');
    const [a, b] = statementsOf(f)[0]!.Resource as Unresolved[];
    expect(a!.description).toMatch(/out of range/);
    expect(b!.description).toMatch(/!Split/);
  });

  test('Fn::FindInMap: unknown keys are unknown, DefaultValue is used, a missing mapping is an error', () => {
    const maps = 'Mappings:\n  M:\n    k: {v: "arn:aws:s3:::m"}';
    const f = roleTemplate('- Effect: Allow\n  Action: s3:GetObject\n  Resource:\n    - !FindInMap [M, !Ref AWS::Region, v]\n    - !FindInMap [M, nope, v, {DefaultValue: "arn:aws:s3:::d"}]', maps);
    const [a, b] = statementsOf(f)[0]!.Resource as [Unresolved, string];
    expect(a).toBeInstanceOf(Unresolved);
    expect(b).toBe('arn:aws:s3:::d');
    const bad = roleTemplate('- Effect: Allow\n  Action: s3:GetObject\n  Resource: !FindInMap [N, k, v]', maps);
    expect(() => loadTemplate(bad)).toThrow(/unknown mapping 'N': did you mean 'M'\?/);
  });

  test('conditions: unknown names, cycles and condition functions used as values are errors', () => {
    const unknown = roleTemplate('- Effect: !If [IsPrd, Allow, Deny]\n  Action: s3:GetObject\n  Resource: "*"', 'Conditions:\n  IsProd: !Equals [a, a]');
    expect(() => loadTemplate(unknown)).toThrow(/unknown condition 'IsPrd': did you mean 'IsProd'\?/);
    const cycle = roleTemplate('- Effect: !If [A, Allow, Deny]\n  Action: s3:GetObject\n  Resource: "*"', 'Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]');
    expect(() => loadTemplate(cycle)).toThrow(/refers to itself/);
    const misuse = roleTemplate('- Effect: Allow\n  Action: s3:GetObject\n  Resource: !Equals [a, b]');
    expect(() => loadTemplate(misuse)).toThrow(PolicySourceError);
    expect(() => loadTemplate(misuse)).toThrow(/only allowed in the Conditions section/);
  });

  test('Fn::Equals compares numbers and strings as CloudFormation does; Fn::Or/And short-circuit on known values', () => {
    const f = roleTemplate(
      '- Effect: Allow\n  Action: s3:GetObject\n  Resource: "*"',
      'Parameters:\n  N: {Type: Number, Default: 3}\n  U: {Type: String}\nConditions:\n  Three: !Equals [!Ref N, 3]\n  Or: !Or [!Condition Three, !Equals [!Ref U, x]]\n  And: !And [!Not [!Condition Three], !Equals [!Ref U, x]]\n  Unknown: !Or [!Equals [!Ref U, x], !Equals [a, b]]',
    );
    expect(loadTemplate(f).conditions).toEqual({ Three: true, Or: true, And: false, Unknown: undefined });
  });

  test('a parameter with an empty default is unknown until given', () => {
    const f = roleTemplate('- Effect: Allow\n  Action: s3:GetObject\n  Resource: !Sub "arn:aws:s3:::${B}/*"', 'Parameters:\n  B: {Type: String, Default: ""}');
    expect((statementsOf(f)[0]!.Resource as Unresolved).toString()).toBe('arn:aws:s3:::${B}/*');
    expect(statementsOf(f, { parameters: { B: 'bucket' } })[0]!.Resource).toBe('arn:aws:s3:::bucket/*');
  });

  test('an unknown Fn:: function is unknown, not an error', () => {
    const f = roleTemplate('- Effect: Allow\n  Action: s3:GetObject\n  Resource: {"Fn::Future": [1]}');
    expect((statementsOf(f)[0]!.Resource as Unresolved).description).toMatch(/Fn::Future/);
  });

  test('an intrinsic with the wrong arguments is an error naming its place', () => {
    const f = roleTemplate('- Effect: Allow\n  Action: s3:GetObject\n  Resource: !Join [only-one]');
    expect(() => loadTemplate(f)).toThrow(/Fn::Join: takes \[delimiter, list\]/);
    try {
      loadTemplate(f);
    } catch (e) {
      expect((e as PolicySourceError).path).toBe('Resources.R.Properties.Policies[0].PolicyDocument.Statement[0].Resource');
      expect((e as PolicySourceError).line).toBe(16);
    }
  });
});
