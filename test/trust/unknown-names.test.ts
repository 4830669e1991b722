/**
 * An unknown name (page, task, action, managed policy, principal, rule, format, CLI command or
 * option) is an error with the closest names, never a pass and never a mere failed assertion
 * that `.not` could turn green: under every matcher (both directions), every preset (a spawned
 * Jest on a consumer project) and every CLI command (exit 2 with a suggestion).
 */
import * as path from 'node:path';
import { JestConnectIamError, UnknownNameError, loadTemplate, managedPolicy } from '../../src';
import { cli, consumerProject, outcomeOf, runJest, tempDir, writeTree, type JestRun } from './helpers';

const admin = managedPolicy('AdministratorAccess');
const readOnly = managedPolicy('AmazonConnectReadOnlyAccess');

/** Each entry: a matcher call with a misspelt name, run on a subject for which the right name would pass. */
const MATCHER_CALLS: ReadonlyArray<readonly [string, (not: boolean) => void]> = [
  ['toGrantConsoleTask: unknown page', (not) => (not ? expect(readOnly).not : expect(admin)).toGrantConsoleTask('Data storag', 'Edit call recording')],
  ['toGrantConsoleTask: unknown task', (not) => (not ? expect(readOnly).not : expect(admin)).toGrantConsoleTask('Data storage', 'Edit call recordings')],
  ['toGrantConsolePage: unknown page', (not) => (not ? expect(readOnly).not : expect(admin)).toGrantConsolePage('Data storag')],
  ['toAllowAction: unknown action', (not) => (not ? expect(readOnly).not : expect(admin)).toAllowAction('connect:DescribeInstances')],
  ['toAllowAction: wildcard matching no action', (not) => (not ? expect(readOnly).not : expect(admin)).toAllowAction('connect:Describ*x')],
  ['toBeReadOnly: unknown action in allow', (not) => (not ? expect(admin).not : expect(readOnly)).toBeReadOnly({ allow: ['connect:UpdateInstanceAttributes'] })],
  ['toStayWithin: unknown managed policy', (not) => (not ? expect(admin).not : expect(readOnly)).toStayWithin('AmazonConnectReadOnlyAcess')],
];

describe('an unknown name is an error under every matcher, also under .not', () => {
  test.each(MATCHER_CALLS.flatMap(([name, call]) => [[`${name}`, call, false], [`.not ${name}`, call, true]] as const))('%s', (_name, call, not) => {
    const o = outcomeOf(() => call(not));
    expect(o.kind).toBe('error');
    if (o.kind !== 'error') return;
    expect(o.error).toBeInstanceOf(JestConnectIamError);
    expect(o.message).toMatch(/did you mean '/);
  });

  test('an unknown principal in a loaded template is an error with the closest ids', () => {
    const dir = tempDir();
    const file = writeTree(dir, { 't.yaml': 'Resources:\n  AuditorRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n' });
    const template = loadTemplate(path.join(file, 't.yaml'));
    expect(() => template.principal('AuditorRol')).toThrow(UnknownNameError);
    expect(() => template.principal('AuditorRol')).toThrow(/did you mean 'AuditorRole'/);
  });
});

const TEMPLATE = `Resources:
  AuditorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess]
`;

/** A rules file with one rule whose expectation is `expectYaml`. */
const rules = (expectYaml: string, extra = ''): string =>
  `version: 1\nrules:\n  - name: auditors\n    select: { files: infra/*.yaml, principals: [AuditorRole] }\n    expect: ${expectYaml}\n${extra}`;

describe('an unknown name is an error under every CLI command: exit 2 with a suggestion', () => {
  const RULE_CASES: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['unknown console page', rules("{ notGrantConsoleTasks: ['Data storag / Edit call recording'] }"), /did you mean 'Data storage'/],
    ['unknown console task', rules("{ notGrantConsoleTasks: ['Data storage / Edit call recordings'] }"), /did you mean 'Edit call recording'/],
    ['unknown action', rules('{ notAllowActions: [connect:DeleteInstances] }'), /did you mean 'connect:DeleteInstance'/],
    ['unknown managed policy', rules('{ stayWithin: AmazonConnectReadOnlyAcess }'), /did you mean 'AmazonConnectReadOnlyAccess'/],
    ['unknown action in readOnly allow', rules('{ readOnly: { allow: [connect:UpdateInstanceAttributes] } }'), /did you mean 'connect:UpdateInstanceAttribute'/],
    ['unknown principal', rules('{ readOnly: true }').replace('[AuditorRole]', '[AuditorRol]'), /did you mean 'AuditorRole'/],
    ['unknown rule in a suppression', rules('{ readOnly: true }', 'suppressions:\n  - { rule: auditor, principal: AuditorRole, reason: typo }\n'), /did you mean 'auditors'/],
    ['unknown principal in a suppression', rules('{ readOnly: true }', 'suppressions:\n  - { rule: auditors, principal: AuditorRol, reason: typo }\n'), /did you mean 'AuditorRole'/],
    ['unknown expectation', rules('{ readOnlyy: true }'), /did you mean 'readOnly'/],
  ];
  test.each(RULE_CASES)('check: %s in the rules file', (_name, rulesText, suggestion) => {
    const dir = writeTree(tempDir(), { 'infra/roles.yaml': TEMPLATE, 'jest-connect-iam.rules.yaml': rulesText });
    for (const format of ['text', 'sarif'] as const) {
      const r = cli(['check', '--cwd', dir, '--quiet', '--format', format]);
      expect(r.status).toBe(2);
      expect(r.stdout + r.stderr).toMatch(suggestion);
    }
  });

  const infra = path.join('examples', 'infra', 'connect-access.yaml');
  const COMMANDS: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['unknown command', ['chek'], /did you mean 'check'/],
    ['unknown option (check)', ['check', '--formt', 'json'], /did you mean --format/],
    ['unknown format (check)', ['check', '--format', 'sarf'], /did you mean 'sarif'/],
    ['unknown option (matrix)', ['matrix', '--cwd', 'examples', '--formt', 'html'], /did you mean --format/],
    ['unknown format (matrix)', ['matrix', '--cwd', 'examples', '--format', 'htm'], /did you mean 'html'/],
    ['unknown task (policy)', ['policy', '--task', 'Data storage / Edit call recordings'], /did you mean 'Edit call recording'/],
    ['unknown page (policy)', ['policy', '--task', 'Data storag / Edit call recording'], /did you mean 'Data storage'/],
    ['unknown option (policy)', ['policy', '--tsk', 'Data storage / Edit call recording'], /did you mean --task/],
    ['unknown principal (explain)', ['explain', infra, 'ConnectAdminRol', 'connect:DescribeInstance'], /did you mean 'ConnectAdminRole'/],
    ['unknown action (explain)', ['explain', infra, 'ConnectAdminRole', 'connect:DescribeInstances'], /did you mean 'connect:DescribeInstance'/],
    ['unknown task (explain)', ['explain', infra, 'ConnectAdminRole', 'Data storage / Edit call recordings'], /did you mean 'Edit call recording'/],
    ['unknown option (explain)', ['explain', infra, 'ConnectAdminRole', 'connect:DescribeInstance', '--contxt', 'a=b'], /did you mean --context/],
  ];
  test.each(COMMANDS)('%s', (_name, args, suggestion) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(suggestion);
    expect(r.stdout).toBe('');
  });
});

describe('an unknown name is an error under every preset (a spawned Jest on a consumer project)', () => {
  const head = "const { readOnlyRoles, noNewAccess, consoleTasks, fromRules } = require('jest-connect-iam/presets');\nconst cwd = __dirname;\n";
  const CASES: Record<string, readonly [string, RegExp]> = {
    'readonly-allow': ["readOnlyRoles({ cwd, files: 'infra/*.yaml', allow: ['connect:UpdateInstanceAttributes'] });", /did you mean 'connect:UpdateInstanceAttribute'/],
    'readonly-principal': ["readOnlyRoles({ cwd, files: 'infra/*.yaml', principals: 'AuditorRol' });", /did you mean 'AuditorRole'/],
    'nonewaccess-baseline': ["noNewAccess({ cwd, files: 'infra/*.yaml', baseline: 'AmazonConnectReadOnlyAcess' });", /did you mean 'AmazonConnectReadOnlyAccess'/],
    'consoletasks-task': ["consoleTasks({ cwd, files: 'infra/*.yaml', expectations: { AuditorRole: { notGrant: ['Data storage / Edit call recordings'] } } });", /did you mean 'Edit call recording'/],
    'consoletasks-page': ["consoleTasks({ cwd, files: 'infra/*.yaml', expectations: { AuditorRole: { grant: ['Data storag / View call recording'] } } });", /did you mean 'Data storage'/],
    'consoletasks-principal': ["consoleTasks({ cwd, files: 'infra/*.yaml', expectations: { AuditorRol: { notGrant: ['Data storage / Edit call recording'] } } });", /did you mean 'AuditorRole'/],
    'fromrules-rule': ["fromRules(cwd + '/jest-connect-iam.rules.yaml', { rules: ['auditor'] });", /did you mean 'auditors'/],
    'fromrules-action': ["fromRules(cwd + '/bad.rules.yaml');", /did you mean 'connect:DeleteInstance'/],
  };
  const dir = consumerProject({
    'jest.config.js': "module.exports = { testEnvironment: 'node' };\n",
    'infra/roles.yaml': TEMPLATE,
    'jest-connect-iam.rules.yaml': rules('{ readOnly: true }'),
    'bad.rules.yaml': rules('{ notAllowActions: [connect:DeleteInstances] }'),
    ...Object.fromEntries(Object.entries(CASES).map(([name, [call]]) => [`${name}.test.js`, head + call + '\n'])),
  });
  let run: JestRun;
  beforeAll(() => {
    run = runJest(dir);
  });

  test.each(Object.entries(CASES).map(([name, [call, re]]) => [name, call, re] as const))('%s: %s', (name, _call, suggestion) => {
    const file = `${name}.test.js`;
    const failed = [...run.tests].filter(([n, t]) => n.startsWith(`${file} ›`) && t.status === 'failed').map(([, t]) => t.failure);
    const passed = [...run.tests].filter(([n, t]) => n.startsWith(`${file} ›`) && t.status === 'passed');
    const suiteError = run.suiteErrors.get(file);
    // Either the file fails to load (the name is checked while tests are collected) or a test fails; nothing passes.
    expect(passed).toEqual([]);
    expect([suiteError ?? '', ...failed].join('\n')).toMatch(suggestion);
  });

  test('the Jest run fails', () => {
    expect(run.status).toBe(1);
  });
});
