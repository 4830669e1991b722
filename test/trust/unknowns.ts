/**
 * The fail-closed table: every kind of unknown a principal can carry, written as a real
 * template, in three variants:
 *
 * - `unknown`: the statement U ("Allow everything") depends on the unknown;
 * - `absent`:  U is left out (the control for negative forms: they must PASS here);
 * - `certain`: U is there with nothing unknown (the control for positive forms: they must PASS here).
 *
 * So when a form fails on `unknown`, it fails because of the unknown, not because of the rest
 * of the principal. The base statements grant the console prerequisites only: read-only,
 * within AmazonConnectReadOnlyAccess, and no task of the target page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Variant = 'unknown' | 'absent' | 'certain';

/** What every form asks about. */
export const TARGET = {
  page: 'Flows',
  task: ['Telephony', 'Enable/Disable telephony options'] as const,
  taskRef: 'Telephony / Enable/Disable telephony options',
  action: 'connect:UpdateInstanceAttribute',
  baseline: 'AmazonConnectReadOnlyAccess',
} as const;

export interface UnknownKind {
  /** Short id used in file, rule and test names. */
  readonly id: string;
  /** As the guarantee names it. */
  readonly title: string;
  /** Only a scan can meet it (no principal to hand to a matcher). */
  readonly scanOnly?: boolean;
  /** Text a failure message must contain: it names what the answer depends on. */
  readonly mentions: RegExp;
  /** The baseline for stayWithin when the base principal needs a wider one. */
  readonly baseline?: string;
  /** Non-read actions the base principal needs (a SAM function's logging). */
  readonly readOnlyAllow?: readonly string[];
}

/** A SAM function's role always gets AWSLambdaBasicExecutionRole (log writes). */
const SAM_LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

export const UNKNOWN_KINDS: readonly UnknownKind[] = [
  { id: 'condition-key', title: 'condition key missing from the context', mentions: /aws:RequestedRegion/ },
  { id: 'narrower-resource', title: 'statement resource narrower than the resource asked about', mentions: /resource|instance\/11111111/i },
  { id: 'getatt', title: 'Unresolved value from !GetAtt', mentions: /ConnectInstance\.Arn/ },
  { id: 'importvalue', title: 'Unresolved value from !ImportValue', mentions: /shared-connect-instance-arn/ },
  { id: 'fn-if', title: 'Fn::If on a condition whose inputs are unknown', mentions: /IsProduction/ },
  { id: 'customer-managed', title: 'unresolved customer managed policy ARN', mentions: /SharedConnectPolicy/ },
  { id: 'sam-template', title: 'unknown SAM policy template', mentions: /NotARealSamPolicyTemplate/, baseline: 'PowerUserAccess', readOnlyAllow: SAM_LOGS },
  { id: 'parse-failure', title: 'a file that fails to parse in a scan', scanOnly: true, mentions: /parse-failure-unknown\.yaml/ },
];

const BASE = `              - Sid: ConsolePrerequisites
                Effect: Allow
                Action: [connect:ListInstances, connect:DescribeInstance, ds:DescribeDirectories]
                Resource: '*'`;

/** U with its unknown element (indented as a statement list item at 14 spaces). */
function unknownStatement(kind: string): string {
  const head = `              - Sid: Everything
                Effect: Allow
                Action: '*'`;
  switch (kind) {
    case 'condition-key':
      return `${head}
                Resource: '*'
                Condition:
                  StringEquals:
                    aws:RequestedRegion: eu-west-1`;
    case 'narrower-resource':
      return `${head}
                Resource: arn:aws:connect:*:*:instance/11111111-2222-3333-4444-555555555555`;
    case 'getatt':
      return `${head}
                Resource: !GetAtt ConnectInstance.Arn`;
    case 'importvalue':
      return `${head}
                Resource: !ImportValue shared-connect-instance-arn`;
    case 'fn-if':
      return `              - !If
                - IsProduction
                - Sid: Everything
                  Effect: Allow
                  Action: '*'
                  Resource: '*'
                - !Ref AWS::NoValue`;
    default:
      throw new Error(`no inline unknown for ${kind}`);
  }
}

const CERTAIN = `              - Sid: Everything
                Effect: Allow
                Action: '*'
                Resource: '*'`;

/** The principal's logical id for a kind and variant (unique across one repo). */
export const principalId = (kind: string, variant: Variant): string =>
  `${kind.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}${variant[0]!.toUpperCase()}${variant.slice(1)}Role`;

const HEADER = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage:
    Type: String
Conditions:
  IsProduction: !Equals [!Ref Stage, prod]
Resources:
  ConnectInstance:
    Type: AWS::Connect::Instance
    Properties:
      IdentityManagementType: CONNECT_MANAGED
      InstanceAlias: example
      Attributes: { InboundCalls: true, OutboundCalls: false }
`;

const TRUST = `      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: ec2.amazonaws.com }
            Action: sts:AssumeRole
`;

/** The template text of one (kind, variant). */
export function templateFor(kind: string, variant: Variant): string {
  const id = principalId(kind, variant);
  if (kind === 'parse-failure') {
    // The principal U would be in a file that does not parse; `absent` has no such file.
    return `${HEADER}  ${id}:\n    Type: AWS::IAM::Role\n    Properties:\n${TRUST}      Policies:\n        - PolicyName: p\n          PolicyDocument: { Version: '2012-10-17', Statement: [ {Effect: Allow, Action: '*', Resource: '*'}\n`;
  }
  if (kind === 'sam-template') {
    const extra =
      variant === 'unknown' ? `        - NotARealSamPolicyTemplate: { InstanceId: abc }\n`
      : variant === 'certain' ? `        - Version: '2012-10-17'\n          Statement:\n${CERTAIN.replace(/^ {14}/gm, '            ')}\n`
      : '';
    return `Transform: AWS::Serverless-2016-10-31\n${HEADER}` +
      `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      InlineCode: exports.handler = async () => 1\n      Policies:\n        - Version: '2012-10-17'\n          Statement:\n${BASE.replace(/^ {14}/gm, '            ')}\n${extra}`;
  }
  const managed = kind === 'customer-managed' && variant === 'unknown'
    ? `      ManagedPolicyArns:\n        - arn:aws:iam::111122223333:policy/platform/SharedConnectPolicy\n`
    : '';
  const u =
    variant === 'absent' || (kind === 'customer-managed' && variant === 'unknown') ? ''
    : variant === 'certain' ? `\n${CERTAIN}`
    : `\n${unknownStatement(kind)}`;
  return `${HEADER}  ${id}:
    Type: AWS::IAM::Role
    Properties:
${TRUST}${managed}      Policies:
        - PolicyName: console
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
${BASE}${u}
`;
}

/** Write every kind (scanOnly kinds only when `scan`) in the given variants; returns file -> principal id. */
export function writeUnknownTemplates(dir: string, variants: readonly Variant[], options: { scan?: boolean } = {}): Map<string, { kind: UnknownKind; variant: Variant; principal: string; file: string }> {
  const out = new Map<string, { kind: UnknownKind; variant: Variant; principal: string; file: string }>();
  for (const kind of UNKNOWN_KINDS) {
    if (kind.scanOnly && !options.scan) continue;
    for (const variant of variants) {
      if (kind.id === 'parse-failure' && variant !== 'unknown') continue;
      const rel = `infra/${kind.id}-${variant}.yaml`;
      fs.mkdirSync(path.join(dir, 'infra'), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), templateFor(kind.id, variant));
      out.set(rel, { kind, variant, principal: principalId(kind.id, variant), file: rel });
    }
  }
  return out;
}
