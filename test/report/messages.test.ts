/**
 * Messages (issue 9, item 8): an input error in a preset is named as one, with its location
 * once; a template condition is named once; an unknown Resource "may grant" only its
 * statement's actions; the matrix problem lists carry file:line; the HTML shows the scanned
 * directory relative to where the command ran and can hide principals that grant no task.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTemplate } from '../../src';
import { describeUnresolvedPart, unresolvedParts } from '../../src/analysis/unresolved';
import { buildMatrix } from '../../src/rules/matrix';
import { renderMatrixHtml, renderMatrixMarkdown, renderMatrixText } from '../../src/report/matrix';
import { bin } from '../cli/helpers';
import { consumerProject, runJest } from '../trust/helpers';

function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-messages-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const BAD_POLICY = '{\n  "Statement": [\n    { "Sid": "read-only", "Effect": "Allow", "Action": "connect:List*", "Resource": "*" }\n  ]\n}\n';
const GOOD_ROLE = `Resources:
  AgentRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: ['connect:ListInstances', 'ds:DescribeDirectories', 'connect:DescribeInstance'], Resource: '*' }
  LambdaOnlyRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: logs:PutLogEvents, Resource: '*' }
`;

describe('presets: an input error is named as one, with its location once', () => {
  test('before: "RuleViolationError: p.json:3:7: p.json:3:7: …"; now the loader\'s own class and one location', () => {
    const dir = consumerProject({
      'jest.config.js': 'module.exports = { testMatch: ["**/*.test.js"] };',
      'infra/p.json': BAD_POLICY,
      'access.test.js': "const { readOnlyRoles } = require('jest-connect-iam/presets');\nreadOnlyRoles({ cwd: __dirname, files: 'infra/*.json' });\n",
    });
    const run = runJest(dir);
    const failure = [...run.tests].find(([name]) => name.includes('cannot be read'))![1].failure;
    expect(failure).toMatch(/^PolicyValidationError: infra\/p\.json:3:7: Statement\[0\]\.Sid: Sid 'read-only' contains "-"/);
    expect(failure.match(/infra\/p\.json:3:7/g)).toHaveLength(1);
    expect(failure).not.toMatch(/RuleViolationError/);
  });
});

describe('template conditions are named once', () => {
  test('a resource Condition and an Fn::If on the same condition: "attached only if template condition IsProd holds"', () => {
    const dir = repo({
      't.yaml': `Parameters:
  Stage: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
  ProdPolicy:
    Type: AWS::IAM::Policy
    Condition: IsProd
    Properties:
      PolicyName: prod
      Roles: [!If [IsProd, !Ref Role, !Ref AWS::NoValue]]
      PolicyDocument:
        Statement:
          - { Effect: Allow, Action: connect:UpdateInstanceAttribute, Resource: '*' }
`,
    });
    const role = loadTemplate(path.join(dir, 't.yaml')).principal('Role');
    expect(role.policies.map((p) => p.onlyIf)).toEqual(['IsProd']);
    const parts = unresolvedParts(role).map(describeUnresolvedPart);
    expect(parts).toContain('policy "prod": attached only if template condition IsProd holds: it may grant whatever the policy grants');
    expect(parts.join('\n')).not.toMatch(/IsProd and IsProd/);
  });
});

describe('an unknown Resource may grant only its statement\'s actions: the message says which', () => {
  const template = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Code: { ZipFile: x }, Handler: i.h, Runtime: nodejs20.x, Role: !GetAtt Role.Arn }
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
      Policies:
        - PolicyName: app
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: connect:ListInstances, Resource: '*' }
              - { Effect: Allow, Action: [lambda:InvokeFunction, lambda:GetFunction], Resource: !GetAtt Fn.Arn }
              - { Effect: Allow, NotAction: iam:*, Resource: !GetAtt Fn.Arn }
              - !GetAtt Fn.Statement
`;

  test('before: "app: !GetAtt Fn.Arn is unknown, so it may grant anything"; now the statement and its actions', () => {
    const dir = repo({ 't.yaml': template });
    const role = loadTemplate(path.join(dir, 't.yaml')).principal('Role');
    const lines = unresolvedParts(role).map(describeUnresolvedPart);
    expect(lines).toEqual([
      'policy "app" Statement[1].Resource: unresolved value !GetAtt Fn.Arn: it may grant only lambda:InvokeFunction, lambda:GetFunction (the statement\'s actions)',
      'policy "app" Statement[2].Resource: unresolved value !GetAtt Fn.Arn: it may grant anything but iam:* (the statement\'s NotAction)',
      'policy "app" Statement[3]: unresolved value !GetAtt Fn.Statement: it may grant anything',
    ]);
  });
});

describe('the matrix: problems with file:line, the directory as given, principals that grant nothing', () => {
  const dir = repo({ 'infra/roles.yaml': GOOD_ROLE, 'infra/bad.json': BAD_POLICY });
  const data = ((): ReturnType<typeof buildMatrix> => {
    // As the CLI does: messages name files relative to the scanned directory.
    const before = process.cwd();
    process.chdir(dir);
    try {
      return buildMatrix({ cwd: dir, loaderPath: (_a, rel) => rel });
    } finally {
      process.chdir(before);
    }
  })();

  test('text, Markdown and HTML problem lists name the file and line', () => {
    const line = 'error: infra/bad.json:3:7: cannot be read: Sid \'read-only\' contains "-"';
    expect(renderMatrixText(data)).toContain(line);
    expect(renderMatrixMarkdown(data)).toContain(line);
    expect(renderMatrixHtml(data)).toContain(`<li>${line.replace(/'/g, '&apos;').replace(/"/g, '&quot;')}`);
  });

  test('hideEmpty leaves out principals whose every task is "not granted"; the HTML keeps them behind a toggle', () => {
    expect(renderMatrixText(data)).toContain('LambdaOnlyRole');
    const hidden = renderMatrixText(data, { hideEmpty: true });
    expect(hidden).not.toContain('LambdaOnlyRole');
    expect(hidden).toContain('AgentRole');
    expect(hidden).toContain('1 principal that grant no console task (not even conditionally) left out (--hide-empty)');
    expect(renderMatrixMarkdown(data, { hideEmpty: true })).not.toContain('LambdaOnlyRole');
    const html = renderMatrixHtml(data, { hideEmpty: true });
    expect(html).toMatch(/<input id="hide-empty" type="checkbox" checked> Hide principals that grant no task \(1\)/);
    expect(html).toMatch(/data-principal="LambdaOnlyRole" data-empty="true"/);
    expect(html).toMatch(/data-principal="AgentRole" data-empty="false"/);
    expect(renderMatrixHtml(data)).toMatch(/<input id="hide-empty" type="checkbox">/);
  });

  test('the bin: the HTML names the directory as given (relative), --hide-empty, stderr with file:line', () => {
    const parent = path.dirname(dir);
    const r = bin(['matrix', '--cwd', path.basename(dir), '--format', 'html', '--hide-empty', '--quiet'], { cwd: parent });
    expect(r.status).toBe(2); // bad.json could not be read
    expect(r.stdout).toContain(`from <code id="root">${path.basename(dir)}</code>`);
    expect(r.stdout).not.toContain(dir);
    expect(r.stdout).toMatch(/id="hide-empty" type="checkbox" checked/);
    expect(r.stderr).toContain('error: infra/bad.json:3:7: cannot be read');
    const text = bin(['matrix', '--cwd', '.', '--hide-empty', '--quiet'], { cwd: dir });
    expect(text.stdout).toMatch(/^Console matrix for \.: 1 principals/);
  });
});

describe('matrix labels for principals read from an account', () => {
  const roles = path.resolve(__dirname, '../../examples/account/account.json');
  const data = (() => {
    const before = process.cwd();
    process.chdir(path.dirname(roles));
    try {
      return buildMatrix({ cwd: path.dirname(roles), files: ['account.json'], loaderPath: (_a, rel) => rel });
    } finally {
      process.chdir(before);
    }
  })();

  test('a column is labelled type/name (account N), not by its whole ARN; the text detail line keeps the ARN', () => {
    const md = renderMatrixMarkdown(data);
    expect(md).toContain('| role/connect-auditor-prod (account 111122223333) |');
    expect(md).not.toContain('| arn:aws:iam::111122223333:role/connect-auditor-prod');
    expect(renderMatrixText(data)).toContain('role/connect-auditor-prod (account 111122223333)  [role, account.json:5, arn:aws:iam::111122223333:role/connect-auditor-prod]');
    const html = renderMatrixHtml(data);
    expect(html).toContain('data-principal="role/connect-auditor-prod (account 111122223333)"');
    // The header shows the name first (a long header is cut at its end); its title keeps the ARN.
    expect(html).toContain('title="role arn:aws:iam::111122223333:role/connect-auditor-prod (account.json:5)"><div>connect-auditor-prod <small>role · account 111122223333</small></div>');
  });
});
