/**
 * Policy grammar as IAM enforces it (issue 9, item 5). IAM refuses to create a policy that
 * breaks these rules, so a template holding one fails to deploy: each is a PolicySourceError
 * (PolicyValidationError) naming the file, line and JSON path, and everything IAM accepts
 * stays accepted. The AWS page behind each rule is cited next to its test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  PolicySourceError,
  PolicyValidationError,
  evaluate,
  loadFile,
  loadPolicyFile,
  loadTemplate,
  validatePolicy,
} from '../../src';
import { runRuleSet } from '../../src/rules/run';
import { bin } from '../cli/helpers';

const SID_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html';
const PRINCIPAL_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html';
const NOTPRINCIPAL_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html';
const OPERATORS_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';
const CONDITION_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html';
const CHECKS_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';
const GRAMMAR_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html';
void [SID_PAGE, PRINCIPAL_PAGE, NOTPRINCIPAL_PAGE, OPERATORS_PAGE, CONDITION_PAGE, CHECKS_PAGE, GRAMMAR_PAGE];

const ok = { Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' };
const doc = (...statements: object[]): object => ({ Version: '2012-10-17', Statement: statements });

function errorOf(fn: () => unknown): PolicyValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyValidationError) return e;
    throw e;
  }
  throw new Error('expected a PolicyValidationError');
}

function tmp(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-grammar-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Each rule: a statement that breaks it, the JSON path of the error, and the message. */
const REFUSED: ReadonlyArray<readonly [string, string, object, string, RegExp]> = [
  // "You cannot use the Principal element in an identity-based policy."
  ['Principal in an identity policy', PRINCIPAL_PAGE, { ...ok, Principal: { AWS: '111122223333' } }, 'Statement[1].Principal', /Principal is not allowed in an identity-based policy/],
  // "You cannot use the NotPrincipal element in an IAM identity-based policy ..."
  ['NotPrincipal in an identity policy', NOTPRINCIPAL_PAGE, { ...ok, Effect: 'Deny', NotPrincipal: { AWS: '111122223333' } }, 'Statement[1].NotPrincipal', /NotPrincipal is not allowed in an identity-based policy/],
  // "The Sid element supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and numbers (0-9)."
  ['a Sid with a hyphen', SID_PAGE, { ...ok, Sid: 'read-only' }, 'Statement[1].Sid', /Sid 'read-only' contains "-": IAM accepts only ASCII letters and digits/],
  ['a Sid with a space', SID_PAGE, { ...ok, Sid: 'Read only' }, 'Statement[1].Sid', /contains ' '/],
  ['a Sid with an underscore', SID_PAGE, { ...ok, Sid: 'Read_Only' }, 'Statement[1].Sid', /contains "_"/],
  ['a Sid with a non-ASCII letter', SID_PAGE, { ...ok, Sid: 'Lesezugriffé' }, 'Statement[1].Sid', /contains "é"/],
  // The operator list; an unknown name is refused ("Invalid condition operator").
  ['an unknown condition operator', OPERATORS_PAGE, { ...ok, Condition: { StringEqual: { 'aws:RequestedRegion': 'eu-west-2' } } }, 'Statement[1].Condition.StringEqual', /unknown condition operator 'StringEqual' \(did you mean 'StringEquals'/],
  ['a lower-case operator', OPERATORS_PAGE, { ...ok, Condition: { stringEquals: { 'aws:RequestedRegion': 'eu-west-2' } } }, 'Statement[1].Condition.stringEquals', /case-sensitive in IAM \(did you mean 'StringEquals'\?\)/],
  ['a lower-case set operator', OPERATORS_PAGE, { ...ok, Condition: { 'forAnyValue:StringLike': { 'aws:TagKeys': 'a*' } } }, 'Statement[1].Condition.forAnyValue:StringLike', /did you mean 'ForAnyValue:StringLike'/],
  ['a lower-case IfExists', OPERATORS_PAGE, { ...ok, Condition: { StringEqualsifexists: { 'aws:RequestedRegion': 'eu-west-2' } } }, 'Statement[1].Condition.StringEqualsifexists', /did you mean 'StringEqualsIfExists'/],
  // "You can add IfExists to the end of any condition operator name except the Null condition."
  ['NullIfExists', OPERATORS_PAGE, { ...ok, Condition: { NullIfExists: { 'aws:TokenIssueTime': 'true' } } }, 'Statement[1].Condition.NullIfExists', /the Null operator has no IfExists form/],
  ['an unknown set operator', OPERATORS_PAGE, { ...ok, Condition: { 'ForSomeValues:StringEquals': { 'aws:TagKeys': 'a' } } }, 'Statement[1].Condition.ForSomeValues:StringEquals', /unknown condition set operator/],
  // "Invalid condition key format: ... Use the format service:keyname." (IAM itself answers
  // "Actions/Conditions must be prefaced by a vendor").
  ['a condition key without a service prefix', CHECKS_PAGE, { ...ok, Condition: { StringEquals: { RequestedRegion: 'eu-west-2' } } }, 'Statement[1].Condition.StringEquals.RequestedRegion', /condition key 'RequestedRegion' is not of the form 'service:keyname'/],
  ['a condition key with an empty name', CHECKS_PAGE, { ...ok, Condition: { StringEquals: { 'aws:': 'x' } } }, 'Statement[1].Condition.StringEquals.aws:', /is not of the form 'service:keyname'/],
  // "Context key names are not case-sensitive" (Condition page) + "Duplicate keys with different case".
  ['the same key twice in different case', CHECKS_PAGE, { ...ok, Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-2', 'AWS:requestedregion': 'us-east-1' } } }, 'Statement[1].Condition.StringEquals.AWS:requestedregion', /repeats 'aws:RequestedRegion' in the same operator block/],
];

describe('refused as IAM refuses them: PolicyValidationError with the JSON path', () => {
  test.each(REFUSED)('%s (%s)', (_name, _page, statement, jsonPath, message) => {
    const e = errorOf(() => validatePolicy(doc({ ...ok, Sid: 'First' }, statement)));
    expect(e).toBeInstanceOf(PolicySourceError);
    expect(e.path).toBe(jsonPath);
    expect(e.message).toMatch(message);
    // The evaluator refuses the same document (a matcher or evaluate() never answers for it).
    expect(() => evaluate(doc({ ...ok, Sid: 'First' }, statement), 'connect:ListInstances')).toThrow(PolicyValidationError);
  });

  // "In IAM, the Sid value must be unique within a JSON policy." (Sid page; "Unique Sids required")
  test(`two statements with the same Sid in one policy (${SID_PAGE})`, () => {
    const e = errorOf(() => validatePolicy(doc({ ...ok, Sid: 'Read' }, { ...ok, Action: 'connect:DescribeInstance' }, { ...ok, Sid: 'Read' })));
    expect(e.path).toBe('Statement[2].Sid');
    expect(e.message).toMatch(/Sid 'Read' is used twice in one policy \(first at Statement\[0\]\)/);
  });

  test('in a policy file: file, line, column and path of the element', () => {
    const dir = tmp({
      'p.json': '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Sid": "A", "Effect": "Allow", "Action": "connect:ListInstances", "Resource": "*" },\n    { "Sid": "A", "Effect": "Allow", "Action": "connect:DescribeInstance", "Resource": "*" }\n  ]\n}\n',
      'principal.json': '{"Statement": [{"Effect": "Allow",\n "Principal": {"Service": "connect.amazonaws.com"}, "Action": "connect:ListInstances", "Resource": "*"}]}',
      'op.yaml': 'Statement:\n  - Effect: Allow\n    Action: connect:ListInstances\n    Resource: "*"\n    Condition:\n      StringEquals: { aws:RequestedRegion: eu-west-2 }\n      stringLike: { aws:username: "a*" }\n',
    });
    expect(() => loadPolicyFile(path.join(dir, 'p.json'))).toThrow(/p\.json:5:7: Statement\[1\]\.Sid: Sid 'A' is used twice/);
    expect(() => loadPolicyFile(path.join(dir, 'principal.json'))).toThrow(/principal\.json:2:2: Statement\[0\]\.Principal: Principal is not allowed in an identity-based policy/);
    expect(() => loadPolicyFile(path.join(dir, 'op.yaml'))).toThrow(/op\.yaml:7:7: Statement\[0\]\.Condition\.stringLike: unknown condition operator 'stringLike'/);
  });

  test('in a template: inline, managed and boundary policies are identity policies; the trust policy keeps its Principal', () => {
    const header = (props: string): string => `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
${props}`;
    const dir = tmp({
      'inline.yaml': header(`      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: '*'
                Action: connect:ListInstances
                Resource: '*'
`),
      'managed.yaml': `${header('')}  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Role]
      PolicyDocument:
        Statement:
          - Sid: Connect-Read
            Effect: Allow
            Action: connect:ListInstances
            Resource: '*'
`,
      'boundary.yaml': `${header('      PermissionsBoundary: !Ref Boundary\n')}  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: connect:*
            Resource: '*'
            Condition: { Bool: { MultiFactorAuthPresent: 'true' } }
`,
      'trust-only.yaml': header(''),
    });
    expect(() => loadTemplate(path.join(dir, 'inline.yaml'))).toThrow(/inline\.yaml:16:17: Resources\.Role\.Properties\.Policies\[0\]\.PolicyDocument\.Statement\[0\]\.Principal: Principal is not allowed/);
    expect(() => loadTemplate(path.join(dir, 'managed.yaml'))).toThrow(/managed\.yaml:\d+:\d+: Resources\.Managed\.Properties\.PolicyDocument\.Statement\[0\]\.Sid: Sid 'Connect-Read' contains "-"/);
    expect(() => loadTemplate(path.join(dir, 'boundary.yaml'))).toThrow(/Resources\.Boundary\.Properties\.PolicyDocument\.Statement\[0\]\.Condition\.Bool\.MultiFactorAuthPresent: condition key 'MultiFactorAuthPresent' is not of the form 'service:keyname'/);
    // AssumeRolePolicyDocument is a trust policy (a resource-based policy), not an identity policy.
    expect(loadTemplate(path.join(dir, 'trust-only.yaml')).principal('Role').policies).toEqual([]);
  });
});

describe('a scan reports the failing input and still checks the other files', () => {
  const files = {
    'jest-connect-iam.rules.yaml': 'version: 1\nrules:\n  - name: no-delete\n    expect:\n      notAllowActions: [connect:DeleteInstance]\n',
    'bad.json': JSON.stringify(doc({ ...ok, Sid: 'Read-Only' }), null, 2),
    'good.json': JSON.stringify(doc({ ...ok, Sid: 'ReadOnly' }), null, 2),
  };

  test('runRuleSet: an unreadable-file error with line and path, and the good file passes', () => {
    const dir = tmp(files);
    const report = runRuleSet({ rules: [{ name: 'no-delete', select: {}, expect: { notAllowActions: ['connect:DeleteInstance'] } }], suppressions: [] }, { cwd: dir });
    const problem = report.problems.find((p) => p.kind === 'unreadable-file')!;
    expect(problem.location).toMatchObject({ file: expect.stringContaining('bad.json'), line: 8, path: 'Statement[0].Sid' });
    expect(problem.message).toMatch(/Sid 'Read-Only' contains "-"/);
    expect(report.outcomes.map((o) => [o.principal.file, o.status])).toEqual([['good.json', 'pass']]);
    expect(report.exitCode).toBe(2);
  });

  test('jest-connect-iam check (the bin): exit 2, the error names bad.json:8, good.json is checked', () => {
    const dir = tmp(files);
    const r = bin(['check', '--cwd', dir, '--format', 'json']);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout) as { outcomes: Array<{ principal: { file: string }; status: string }>; problems: Array<{ kind: string; message: string; location?: { line?: number } }> };
    expect(report.outcomes.map((o) => [o.principal.file, o.status])).toEqual([['good.json', 'pass']]);
    expect(report.problems.find((p) => p.kind === 'unreadable-file')).toMatchObject({ location: { line: 8 } });
  });
});

describe('everything IAM accepts stays accepted', () => {
  // GRAMMAR_PAGE: <version_block?> is optional; "Statement" may hold one statement object.
  test('no Version, Statement as one object, Id', () => {
    expect(() => validatePolicy({ Statement: ok })).not.toThrow();
    expect(() => validatePolicy({ Id: 'any text-at_all', Statement: [ok] })).not.toThrow();
  });

  test('Sids of letters and digits, an empty Sid, the same Sid in two Fn::If branches', () => {
    expect(() => validatePolicy(doc({ ...ok, Sid: 'ReadOnly2' }, { ...ok, Sid: '' }, { ...ok, Sid: '' }))).not.toThrow();
    const dir = tmp({
      't.yaml': `Conditions:
  IsProd: !Equals [!Ref AWS::Region, eu-west-2]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - !If [IsProd, { Sid: Read, Effect: Allow, Action: connect:ListInstances, Resource: '*' }, !Ref AWS::NoValue]
              - !If [IsProd, !Ref AWS::NoValue, { Sid: Read, Effect: Allow, Action: connect:DescribeInstance, Resource: '*' }]
`,
    });
    expect(loadFile(path.join(dir, 't.yaml')).error).toBeUndefined();
  });

  // CONDITION_PAGE: "Context key names are not case-sensitive."; keys with more colons exist in AWS's
  // own managed policies (kms:EncryptionContext:aws:sso:instance-arn, aws:ResourceTag/aws:cloudformation:stack-name).
  test('condition keys in any case and with more colons; every operator as AWS spells it, with IfExists and set operators', () => {
    const conditions = {
      StringEquals: { 'AWS:RequestedRegion': 'eu-west-2', 'kms:EncryptionContext:aws:sso:instance-arn': 'x', 'aws:ResourceTag/aws:cloudformation:stack-name': 's' },
      StringNotEqualsIgnoreCase: { 'aws:username': 'a' },
      'ForAllValues:StringLikeIfExists': { 'aws:TagKeys': 'team-*' },
      'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' },
      NumericLessThanEqualsIfExists: { 's3:max-keys': '10' },
      DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' },
      BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' },
      BinaryEquals: { 'ec2:UserData': 'QUJD' },
      NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
      ArnNotLikeIfExists: { 'aws:SourceArn': 'arn:aws:s3:::b' },
      Null: { 'aws:TokenIssueTime': 'true' },
    };
    expect(() => validatePolicy(doc({ ...ok, Condition: conditions }))).not.toThrow();
  });

  test("Principal is accepted where it belongs: validatePolicy(doc, { kind: 'any' }) for trust and resource-based policies", () => {
    const trust = doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
    expect(() => validatePolicy(trust, { kind: 'any' })).not.toThrow();
    expect(errorOf(() => validatePolicy(trust)).path).toBe('Statement[0].Principal');
  });
});
