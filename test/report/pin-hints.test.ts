/**
 * Every "to pin it" hint names options that exist in the front end that shows it (issue 9,
 * item 7): each kind of hint is followed here as written (the text is parsed, the placeholder
 * filled with a value, and the option passed exactly as the hint says), and the answer becomes
 * certain. Front ends: the matchers (matcher and loader options), `explain` (command-line
 * options) and `check` (the rules file's keys, and check's command-line options).
 */
import '../../matchers';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadTemplate, registerManagedPolicy, type TemplateOptions } from '../../src';
import { bin } from '../cli/helpers';
import { failureOf } from '../matchers/helpers';
import { pinHint } from '../../src/report/evidence';

const ACCOUNT = '111122223333';
/** The value each placeholder gets when a hint is followed. */
const VALUES: Readonly<Record<string, string>> = {
  Bucket: 'recordings',
  Region: 'eu-west-2',
  AccountId: ACCOUNT,
  'aws:RequestedRegion': 'eu-west-2',
};

const TEMPLATE = `Parameters:
  Bucket: { Type: String }
  Stage: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Code: { ZipFile: x }, Handler: i.h, Runtime: nodejs20.x, Role: !GetAtt ParamRole.Arn }
  ParamRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
      Policies:
        - PolicyName: bucket
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: s3:GetObject, Resource: !Sub 'arn:aws:s3:::\${Bucket}/*' }
              - { Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt Fn.Arn }
  PseudoRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
      Policies:
        - PolicyName: region
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: connect:DescribeInstance, Resource: !Sub 'arn:aws:connect:\${AWS::Region}:${ACCOUNT}:instance/*' }
  ConditionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
      Policies:
        - PolicyName: prod-only
          PolicyDocument:
            Statement:
              - !If [IsProd, { Effect: Allow, Action: ds:DescribeDirectories, Resource: '*' }, !Ref AWS::NoValue]
  ContextRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
      Policies:
        - PolicyName: regional
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: connect:ListInstances, Resource: '*', Condition: { StringEquals: { aws:RequestedRegion: eu-west-2 } } }
              - { Effect: Allow, Action: connect:DescribeInstance, Resource: 'arn:aws:connect:eu-west-2:${ACCOUNT}:instance/abcd' }
`;

/** Each kind: the role, the action, the resource asked about (if any), and what the hint must name. */
const KINDS = [
  { kind: 'parameter', role: 'ParamRole', action: 's3:GetObject', resource: 'arn:aws:s3:::recordings/a.wav', api: /load the template with \{ parameters: \{ Bucket: '…' \} \}/, cli: /--param Bucket=…/, rules: /parameters: \{ Bucket: … \}/ },
  { kind: 'pseudo parameter', role: 'PseudoRole', action: 'connect:DescribeInstance', resource: `arn:aws:connect:eu-west-2:${ACCOUNT}:instance/abcd`, api: /load the template with \{ pseudo: \{ Region: '…' \} \}/, cli: /--pseudo Region=…/, rules: /pseudo: \{ Region: … \}/ },
  { kind: 'template condition', role: 'ConditionRole', action: 'ds:DescribeDirectories', api: /load the template with \{ conditions: \{ IsProd: true \| false \} \}/, cli: /--condition IsProd=true\|false/, rules: /conditions: \{ IsProd: true \| false \}/ },
  { kind: 'condition key', role: 'ContextRole', action: 'connect:ListInstances', api: /pass \{ context: \{ 'aws:RequestedRegion': '…' \} \}/, cli: /--context aws:RequestedRegion=…/, rules: /give the rule context: \{ 'aws:RequestedRegion': … \}/ },
  { kind: 'narrower resource', role: 'ContextRole', action: 'connect:DescribeInstance', account: true, api: /pass \{ resource: 'arn:aws:connect:eu-west-2:111122223333:instance\/abcd' \}/, cli: /--resource 'arn:aws:connect:eu-west-2:111122223333:instance\/abcd'/, rules: /give the rule resource: 'arn:aws:connect:eu-west-2:111122223333:instance\/abcd'/ },
] as const;

function tmpRepo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-hints-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The text after "to pin it: " in a message. */
function hintOf(message: string): string {
  const line = message.split('\n').find((l) => l.includes('to pin it: '));
  if (!line) throw new Error(`no "to pin it" line in:\n${message}`);
  return line.slice(line.indexOf('to pin it: ') + 'to pin it: '.length).trim();
}

/** `{ a: '…', 'b:c': '…', D: true | false }` as JavaScript, with the placeholders filled. */
function objectLiteral(text: string): Record<string, unknown> {
  const filled = text
    .replace(/('?)([A-Za-z0-9:/_-]+)\1: '…'/g, (_m, q: string, key: string) => `${q}${key}${q}: ${JSON.stringify(VALUES[key] ?? 'x')}`)
    .replace(/true \| false/g, 'true');
  return new Function(`return (${filled});`)() as Record<string, unknown>;
}

/** The `{ ... }` that follows `prefix` in the hint. */
function braced(hint: string, prefix: string): string | undefined {
  const at = hint.indexOf(prefix);
  if (at < 0) return undefined;
  let depth = 0;
  const start = at + prefix.length;
  for (let i = start; i < hint.length; i++) {
    if (hint[i] === '{') depth++;
    if (hint[i] === '}' && --depth === 0) return hint.slice(start, i + 1);
  }
  return undefined;
}

describe('matchers: the hint names matcher and loader options, and following it makes the answer certain', () => {
  const dir = tmpRepo({ 't.yaml': TEMPLATE });
  const file = path.join(dir, 't.yaml');

  test.each(KINDS.map((k) => [k.kind, k] as const))('%s', (_kind, k) => {
    // The same-account model: a literal account is certain once pseudo.AccountId is given.
    const given: TemplateOptions = 'account' in k ? { pseudo: { AccountId: ACCOUNT } } : {};
    const role = loadTemplate(file, given).principal(k.role);
    const asked = 'resource' in k ? { resource: k.resource } : {};
    const message = failureOf(() => expect(role).toAllowAction(k.action, asked));
    const hint = hintOf(message);
    expect(hint).toMatch(k.api);
    // Follow it: loader options re-load the template, matcher options go to the matcher.
    const loaderText = braced(hint, 'load the template with ');
    const optionText = braced(hint, 'pass ');
    const loaderOptions = (loaderText ? objectLiteral(loaderText) : {}) as TemplateOptions;
    const matcherOptions = { ...asked, ...(optionText ? objectLiteral(optionText) : {}) };
    const pinned = loadTemplate(file, { ...given, ...loaderOptions }).principal(k.role);
    expect(pinned).toAllowAction(k.action, matcherOptions);
  });

  test('an unresolved customer managed policy: the hint says registerManagedPolicy(arn, document), and registering it pins it', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/PinHintsShared`;
    const repo = tmpRepo({
      'm.yaml': `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: { Statement: [] }\n      ManagedPolicyArns: ['${arn}']\n`,
    });
    const role = loadTemplate(path.join(repo, 'm.yaml')).principal('R');
    const hint = hintOf(failureOf(() => expect(role).not.toAllowAction('connect:DeleteInstance')));
    expect(hint).toMatch(/register policy "PinHintsShared" \(registerManagedPolicy\(arn, document\)\) or load it/);
    registerManagedPolicy(arn, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' }] });
    expect(loadTemplate(path.join(repo, 'm.yaml')).principal('R')).not.toAllowAction('connect:DeleteInstance');
  });

  test('a value known only after deployment (!GetAtt): the hint says no option gives it, and names none', () => {
    const role = loadTemplate(file, { parameters: { Bucket: 'recordings' } }).principal('ParamRole');
    const hint = hintOf(failureOf(() => expect(role).toAllowAction('lambda:InvokeFunction', { resource: 'arn:aws:lambda:eu-west-2:111122223333:function:f' })));
    expect(hint).toBe('!GetAtt Fn.Arn is known only after deployment: no option gives it');
  });
});

describe('explain (the bin): the hint names command-line options, and running again with them makes the answer certain', () => {
  const dir = tmpRepo({ 't.yaml': TEMPLATE });
  const file = path.join(dir, 't.yaml');

  /** `--param Bucket=… --resource 'arn'` as arguments, placeholders filled. */
  function flagsOf(hint: string): string[] {
    const m = /run again with (.*?)(?:;|$)/.exec(hint);
    if (!m) throw new Error(`no "run again with" in: ${hint}`);
    const out: string[] = [];
    for (const token of m[1]!.trim().split(/ (?=--)/)) {
      const [flag, value = ''] = token.split(/ (.*)/s);
      const v = value.replace(/^'|'$/g, '');
      const eq = v.indexOf('=');
      const name = eq > 0 ? v.slice(0, eq) : '';
      out.push(flag!, eq > 0 ? `${name}=${v.slice(eq + 1) === '…' ? VALUES[name] ?? 'x' : v.slice(eq + 1) === 'true|false' ? 'true' : v.slice(eq + 1)}` : v);
    }
    return out;
  }

  test.each(KINDS.map((k) => [k.kind, k] as const))('%s', (_kind, k) => {
    const asked = [...('resource' in k ? ['--resource', k.resource] : []), ...('account' in k ? ['--pseudo', `AccountId=${ACCOUNT}`] : [])];
    const first = bin(['explain', file, k.role, k.action, ...asked]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`${k.action.replace(/[.*]/g, '\\$&')}[^\\n]*: conditional`));
    const hint = hintOf(first.stdout);
    expect(hint).toMatch(k.cli);
    const flags = flagsOf(hint);
    // A --resource in the hint replaces the one asked about.
    const again = bin(['explain', file, k.role, k.action, ...(flags.includes('--resource') ? asked.filter((a, i) => a !== '--resource' && asked[i - 1] !== '--resource') : asked), ...flags]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(new RegExp(`${k.action.replace(/[.*]/g, '\\$&')}[^\\n]*: allowed`));
  });

  test('a name no template declares is a usage error with a suggestion', () => {
    const r = bin(['explain', file, 'ParamRole', 's3:GetObject', '--param', 'Buckt=recordings']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/options\.parameters names 'Buckt', which is not a parameter of this template.*Bucket/s);
    expect(bin(['explain', file, 'ParamRole', 's3:GetObject', '--pseudo', 'Regoin=eu-west-2']).stderr).toMatch(/unknown pseudo parameter 'Regoin': did you mean 'Region'\?/);
    expect(bin(['explain', file, 'ParamRole', 's3:GetObject', '--pseudo', 'AccountId=12']).stderr).toMatch(/12-digit account ID/);
  });
});

describe('check (the bin): the hint names the rules file keys, and adding them makes the rule hold', () => {
  const ruleFor = (k: (typeof KINDS)[number], extra = ''): string =>
    `  - name: ${k.role}-${k.action.replace(/[:*]/g, '-')}\n    select: { principals: [${k.role}] }\n${'resource' in k ? `    resource: '${k.resource}'\n` : ''}${extra}    expect:\n      allowActions: [${k.action}]\n`;

  test.each(KINDS.map((k) => [k.kind, k] as const))('%s', (_kind, k) => {
    const account = 'account' in k ? `pseudo: { AccountId: '${ACCOUNT}' }\n` : '';
    const dir = tmpRepo({ 't.yaml': TEMPLATE, 'jest-connect-iam.rules.yaml': `version: 1\n${account}rules:\n${ruleFor(k)}` });
    const first = bin(['check', '--cwd', dir, '--quiet']);
    expect(first.status).toBe(1);
    const hint = hintOf(first.stdout);
    expect(hint).toMatch(k.rules);
    // Follow it: rule keys go into the rule, file keys at the top of the rules file.
    const fill = (text: string): string => text.replace(/('?)([A-Za-z0-9:/_-]+)\1: …/g, (_m, q: string, key: string) => `${q}${key}${q}: ${JSON.stringify(VALUES[key] ?? 'x')}`).replace(/true \| false/g, 'true');
    let ruleKeys = '';
    const rule = /give the rule (.*?)(?:;|$)/.exec(hint);
    if (rule) {
      for (const part of rule[1]!.split(/, (?=[a-z]+: )/)) {
        const [key, value] = [part.slice(0, part.indexOf(':')), part.slice(part.indexOf(':') + 1).trim()];
        ruleKeys += `    ${key}: ${fill(value)}\n`;
      }
    }
    let fileKeys = '';
    const file = /give the rules file \(or a templates: entry, or the preset's options\) (.*?) \(check also takes/.exec(hint);
    if (file) for (const part of file[1]!.split(/(?<=\}), /)) fileKeys += `${fill(part)}\n`;
    expect(ruleKeys || fileKeys).not.toBe('');
    const rulesText = `version: 1\n${account}${fileKeys}rules:\n${ruleFor(k, 'resource' in k ? ruleKeys.replace(/^    resource: .*\n/m, '') : ruleKeys)}`;
    parseYaml(rulesText); // valid YAML as the hint wrote it
    const fixed = tmpRepo({ 't.yaml': TEMPLATE, 'jest-connect-iam.rules.yaml': rulesText });
    const again = bin(['check', '--cwd', fixed, '--quiet', '--format', 'json']);
    expect(JSON.parse(again.stdout).outcomes.map((o: { status: string }) => o.status)).toEqual(['pass']);
    expect(again.status).toBe(0);
  });

  test('check takes the same values on the command line (the hint says so): --param, --pseudo, --condition', () => {
    const dir = tmpRepo({
      't.yaml': TEMPLATE,
      'jest-connect-iam.rules.yaml': `version: 1\nrules:\n${KINDS.slice(0, 3).map((k) => ruleFor(k)).join('')}`,
    });
    expect(bin(['check', '--cwd', dir, '--quiet']).status).toBe(1);
    const r = bin(['check', '--cwd', dir, '--quiet', '--param', 'Bucket=recordings', '--pseudo', 'Region=eu-west-2', '--condition', 'IsProd=true']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('templates: entries give values per file glob; a given name no template declares is an error with a suggestion', () => {
    const dir = tmpRepo({
      'prod/t.yaml': TEMPLATE,
      'dev/t.yaml': TEMPLATE,
      'jest-connect-iam.rules.yaml': `version: 1\nparameters: { Bucket: recordings }\ntemplates:\n  - files: prod/**\n    conditions: { IsProd: true }\nrules:\n  - name: prod-directories\n    select: { files: prod/**, principals: [ConditionRole] }\n    expect: { allowActions: [ds:DescribeDirectories] }\n  - name: dev-bucket\n    select: { files: dev/**, principals: [ParamRole] }\n    resource: arn:aws:s3:::recordings/a.wav\n    expect: { allowActions: [s3:GetObject] }\n`,
    });
    const ok = bin(['check', '--cwd', dir, '--quiet', '--format', 'json']);
    expect(ok.status).toBe(0);
    const typo = bin(['check', '--cwd', dir, '--quiet', '--param', 'Buckett=x', '--format', 'json']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/template parameter 'Buckett' is given a value, but no scanned template declares it: did you mean 'Bucket'/);
  });
});

test("a Terraform link's hint names the resource's own argument, a list where the argument is one", () => {
  const link = (attribute: string, kind: string): string | undefined => pinHint([{ kind: 'templateCondition', condition: `${attribute} (known only after apply) names this ${kind}` }]);
  expect(link('aws_iam_role_policy.p.role', 'role')).toContain('(e.g. role = aws_iam_role.<name>.name)');
  expect(link('aws_iam_policy_attachment.a.roles', 'role')).toContain('(e.g. roles = [aws_iam_role.<name>.name])');
  expect(link('aws_iam_role_policy_attachments_exclusive.x.role_name', 'role')).toContain('(e.g. role_name = aws_iam_role.<name>.name)');
  expect(link('aws_iam_group_membership.m.users', 'user')).toContain('(e.g. users = [aws_iam_user.<name>.name])');
  expect(link('aws_iam_policy_attachment.a.roles', 'role')).not.toMatch(/conditions|--condition/);
});
