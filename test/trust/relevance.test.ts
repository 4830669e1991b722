/**
 * The relevance rule (issue 9 item 3): an unknown counts only where it could change the answer.
 *
 * - An unresolved policy document, Action or NotAction can change any action; an unresolved
 *   Effect, Resource, NotResource or condition only that statement's actions; an unknown
 *   template condition only what it guards; an unknown permissions boundary only what the
 *   policies allow (a boundary can only take access away).
 * - The engine is sound per action for every kind (first block: `evaluate` per kind, the
 *   action the unknown can change and one it cannot).
 * - ONE function computes the verdict (src/verdict `verdictOf`), and every front end uses it:
 *   the same (principal, expectation) pairs run through the registered matchers, `check` (the
 *   BUILT bin, JSON) and the presets (`fromRules` in a consumer project, the BUILT package run
 *   by a spawned Jest), and all three must give the verdict in the table, relevant unknowns and
 *   irrelevant ones alike.
 *
 * Every unknown sits in a statement about Lambda (test/trust/relevance.yaml); the role's
 * `connect:ListInstances` statement is certain.
 * Evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * Permissions boundaries ("the effective permissions are the intersection"): https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate, loadTemplate } from '../../src';
import type { Principal } from '../../src';
import type { Verdict } from '../../src/verdict';
import { cli, consumerProject, outcomeOf, runJest, tempDir, writeTree } from './helpers';

const FIXTURE = path.join(__dirname, 'relevance.yaml');
const template = loadTemplate(FIXTURE);

type ExpectationId = 'notAllowDelete' | 'notAllowInvoke' | 'allowList' | 'notGrantDeleteInstance' | 'readOnly' | 'stayWithinAdmin';

interface Expectation {
  /** The rule's `expect` (check and presets). */
  readonly rule: Record<string, unknown>;
  /** The matcher assertion, and the one of the opposite form. */
  readonly asserted: (p: Principal) => void;
  readonly opposite: (p: Principal) => void;
}

const EXPECTATIONS: Readonly<Record<ExpectationId, Expectation>> = {
  notAllowDelete: {
    rule: { notAllowActions: ['connect:DeleteInstance'] },
    asserted: (p) => expect(p).not.toAllowAction('connect:DeleteInstance'),
    opposite: (p) => expect(p).toAllowAction('connect:DeleteInstance'),
  },
  notAllowInvoke: {
    rule: { notAllowActions: ['lambda:InvokeFunction'] },
    asserted: (p) => expect(p).not.toAllowAction('lambda:InvokeFunction'),
    opposite: (p) => expect(p).toAllowAction('lambda:InvokeFunction'),
  },
  allowList: {
    rule: { allowActions: ['connect:ListInstances'] },
    asserted: (p) => expect(p).toAllowAction('connect:ListInstances'),
    opposite: (p) => expect(p).not.toAllowAction('connect:ListInstances'),
  },
  notGrantDeleteInstance: {
    rule: { notGrantConsoleTasks: ['Home / Delete instance'] },
    asserted: (p) => expect(p).not.toGrantConsoleTask('Home', 'Delete instance'),
    opposite: (p) => expect(p).toGrantConsoleTask('Home', 'Delete instance'),
  },
  readOnly: {
    rule: { readOnly: true },
    asserted: (p) => expect(p).toBeReadOnly(),
    opposite: (p) => expect(p).not.toBeReadOnly(),
  },
  stayWithinAdmin: {
    rule: { stayWithin: 'AdministratorAccess' },
    asserted: (p) => expect(p).toStayWithin('AdministratorAccess'),
    opposite: (p) => expect(p).not.toStayWithin('AdministratorAccess'),
  },
};

const P: Verdict = 'pass';
const F: Verdict = 'fail';
const C: Verdict = 'conditional';
const COLUMNS: readonly ExpectationId[] = ['notAllowDelete', 'notAllowInvoke', 'allowList', 'notGrantDeleteInstance', 'readOnly', 'stayWithinAdmin'];

/** principal -> what is unknown, and the verdict of each expectation (in COLUMNS order). */
const TABLE: ReadonlyArray<readonly [string, string, readonly Verdict[]]> = [
  // Only the Lambda statement's actions: connect:DeleteInstance stays a certain implicitDeny.
  ['ResourceRole', 'Resource (!GetAtt Fn.Arn)', [P, C, P, P, C, P]],
  ['NotResourceRole', 'NotResource (!GetAtt Fn.Arn)', [P, C, P, P, C, P]],
  ['ConditionValueRole', 'a condition value (!ImportValue)', [P, C, P, P, C, P]],
  ['ConditionBlockRole', 'the whole Condition block (!ImportValue)', [P, C, P, P, C, P]],
  ['EffectRole', 'Effect (!ImportValue): still only its own statement\'s actions', [P, C, P, P, C, P]],
  ['ActionPartRole', "Action !Sub 'lambda:${Verb}Function': only the lambda actions it can match", [P, C, P, P, C, P]],
  ['StatementIfRole', 'Fn::If around the statement (template condition IsProd)', [P, C, P, P, C, P]],
  ['PolicyIfRole', 'an AWS::IAM::Policy with Condition: IsProd', [P, C, P, P, C, P]],
  ['ManagedIfRole', 'a managed policy ARN under Fn::If', [P, C, P, P, C, P]],
  // Any action.
  ['ActionRole', 'the whole Action (!ImportValue)', [C, C, P, C, C, P]],
  ['ActionEntryRole', 'one entry of the Action list', [C, C, P, C, C, P]],
  ['NotActionRole', 'an Allow NotAction', [C, C, P, C, C, P]],
  ['DocumentRole', 'a PolicyDocument (!ImportValue)', [C, C, C, C, C, C]],
  ['CustomerManagedRole', 'a customer managed policy ARN from elsewhere', [C, C, C, C, C, C]],
  ['GroupUser', 'a group from another stack', [C, C, C, C, C, C]],
  // A Deny with an unknown NotAction can take any allow away; it cannot grant.
  ['DenyNotActionRole', 'a Deny NotAction', [P, P, C, P, P, P]],
  // A permissions boundary can only take away what the policies allow.
  ['BoundaryRole', 'the permissions boundary (!ImportValue)', [P, C, C, P, C, P]],
  // Controls: an unknown that cannot matter beside certain answers.
  ['ReadResourceRole', 'the Resource of an s3:GetObject (read) statement', [P, P, P, P, P, P]],
  ['CertainWriteRole', 'the Resource of an s3:GetObject statement, beside a certain write', [P, F, P, P, F, P]],
];

describe('the engine is sound per action for every kind of unknown', () => {
  test('every principal of the fixture is in the table', () => {
    expect(template.principals.map((p) => p.id).sort()).toEqual(TABLE.map(([id]) => id).sort());
  });

  // [principal, action the unknown can change (conditional), action it cannot (certain decision)]
  const CASES: ReadonlyArray<readonly [string, string, string, string]> = [
    ['ResourceRole', 'lambda:InvokeFunction', 'connect:DeleteInstance', 'implicitDeny'],
    ['NotResourceRole', 'lambda:InvokeFunction', 'connect:DeleteInstance', 'implicitDeny'],
    ['ConditionValueRole', 'lambda:InvokeFunction', 'connect:DeleteInstance', 'implicitDeny'],
    ['ConditionBlockRole', 'lambda:InvokeFunction', 'connect:DeleteInstance', 'implicitDeny'],
    ['EffectRole', 'lambda:InvokeFunction', 'connect:ListInstances', 'allowed'],
    ['ActionRole', 'connect:DeleteInstance', 'connect:ListInstances', 'allowed'],
    ['ActionEntryRole', 'connect:DeleteInstance', 'lambda:GetFunction', 'allowed'],
    ['ActionPartRole', 'lambda:CreateFunction', 's3:GetObject', 'implicitDeny'],
    ['NotActionRole', 'connect:DeleteInstance', 'connect:ListInstances', 'allowed'],
    ['DenyNotActionRole', 'connect:ListInstances', 'lambda:InvokeFunction', 'implicitDeny'],
    ['StatementIfRole', 'lambda:InvokeFunction', 'connect:DeleteInstance', 'implicitDeny'],
    ['PolicyIfRole', 'lambda:InvokeFunction', 'connect:ListInstances', 'allowed'],
    ['ManagedIfRole', 'lambda:InvokeFunction', 'connect:ListInstances', 'allowed'],
    ['BoundaryRole', 'lambda:InvokeFunction', 'connect:DeleteInstance', 'implicitDeny'],
    ['ReadResourceRole', 's3:GetObject', 'connect:DeleteInstance', 'implicitDeny'],
  ];
  test.each(CASES)('%s: %s is conditional, %s stays certain (%s)', (id, relevant, irrelevant, decision) => {
    const p = template.principal(id);
    expect(evaluate(p, relevant).decision).toBe('conditional');
    expect(evaluate(p, irrelevant).decision).toBe(decision);
  });

  test.each(['DocumentRole', 'CustomerManagedRole', 'GroupUser'])('%s: a policy whose document is unknown makes every action conditional', (id) => {
    const p = template.principal(id);
    for (const a of ['connect:ListInstances', 'connect:DeleteInstance', 'lambda:InvokeFunction']) expect(evaluate(p, a).decision).toBe('conditional');
  });
});

/** The verdict a matcher pair shows: the asserted form passes, or the opposite does (fail), or neither (conditional). */
function matcherVerdict(p: Principal, e: Expectation): { verdict: Verdict; message: string } {
  const asserted = outcomeOf(() => e.asserted(p));
  if (asserted.kind === 'error') throw asserted.error;
  if (asserted.kind === 'pass') return { verdict: 'pass', message: '' };
  const opposite = outcomeOf(() => e.opposite(p));
  if (opposite.kind === 'error') throw opposite.error;
  return { verdict: opposite.kind === 'pass' ? 'fail' : 'conditional', message: asserted.message };
}

const ruleName = (id: string, e: ExpectationId): string => `${id}--${e}`;

function repo(): string {
  const rules = TABLE.flatMap(([id]) => COLUMNS.map((e) => ({ name: ruleName(id, e), select: { files: 'infra/relevance.yaml', principals: [id] }, expect: EXPECTATIONS[e].rule })));
  return JSON.stringify({ version: 1, rules }, null, 2);
}

const rows = TABLE.flatMap(([id, what, verdicts]) => COLUMNS.map((e, i) => [id, what, e, verdicts[i]!] as const));

describe('one verdict for every front end: matchers, check (the built bin) and presets agree, for relevant and irrelevant unknowns', () => {
  const dir = tempDir();
  writeTree(dir, { 'infra/relevance.yaml': fs.readFileSync(FIXTURE, 'utf8'), 'jest-connect-iam.rules.yaml': repo() });
  const run = cli(['check', '--cwd', dir, '--format', 'json', '--quiet']);
  const json = JSON.parse(run.stdout) as { outcomes: Array<{ rule: string; status: string; checks: Array<{ verdict?: Verdict }> }> };
  const checkVerdict = (name: string): Verdict | string => {
    const o = json.outcomes.filter((x) => x.rule === name);
    if (o.length !== 1) return `${o.length} outcomes`;
    return o[0]!.status === 'pass' ? 'pass' : (o[0]!.checks[0]?.verdict ?? `no verdict (${o[0]!.status})`);
  };

  const consumer = consumerProject({
    'infra/relevance.yaml': fs.readFileSync(FIXTURE, 'utf8'),
    'jest-connect-iam.rules.yaml': repo(),
    'jest.config.js': 'module.exports = { testMatch: ["**/rules.test.js"] };',
    'rules.test.js': "const { fromRules } = require('jest-connect-iam/presets');\nfromRules(`${__dirname}/jest-connect-iam.rules.yaml`);\n",
  });
  const jest = runJest(consumer);
  const presetVerdict = (name: string): Verdict | string => {
    const hits = [...jest.tests.entries()].filter(([k]) => k.includes(` ${name} › `));
    if (hits.length !== 1) return `${hits.length} tests`;
    const [, t] = hits[0]!;
    if (t.status === 'passed') return 'pass';
    return /verdict of \w+: (fail|conditional)/.exec(t.failure)?.[1] ?? `no verdict in: ${t.failure.slice(0, 200)}`;
  };

  test('check ran every rule and exits 1 (violations), not 2', () => {
    expect(run.status).toBe(1);
    expect(json.outcomes).toHaveLength(rows.length);
    expect(jest.raw.numTotalTests).toBe(rows.length);
  });

  test.each(rows)('%s (unknown: %s): %s is %s in the matchers, check and the presets', (id, _what, e, verdict) => {
    const m = matcherVerdict(template.principal(id), EXPECTATIONS[e]);
    expect({ matchers: m.verdict, check: checkVerdict(ruleName(id, e)), presets: presetVerdict(ruleName(id, e)) }).toEqual({ matchers: verdict, check: verdict, presets: verdict });
    if (verdict === 'conditional') expect(m.message).toMatch(/not certain/);
  });

  test('the README names this test in the trust model', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    expect(readme).toMatch(/test\/trust\/relevance\.test\.ts/);
  });
});
