/**
 * Fail-closed guarantees of the scans, table-driven over the same unknowns as the matchers
 * (test/trust/unknowns.ts): the rules in `jest-connect-iam check` (the BUILT bin) and the
 * presets (a consumer project with the BUILT package installed, run by a spawned Jest).
 *
 * One repo per variant: `unknown` (every form must fail), `absent` (negative forms must pass),
 * `certain` (positive forms must pass), so a failure is caused by the unknown. The parse-failure
 * kind is a file that does not parse beside a good one: the scan must not end green.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, consumerProject, runJest, tempDir, writeTree, type JestRun } from './helpers';
import { TARGET, UNKNOWN_KINDS, principalId, templateFor, writeUnknownTemplates, type UnknownKind, type Variant } from './unknowns';

type Expectation = Record<string, unknown>;
interface RuleForm {
  readonly name: string;
  readonly negative: boolean;
  readonly expect: (k: UnknownKind) => Expectation;
}

const RULE_FORMS: readonly RuleForm[] = [
  { name: 'notAllowActions', negative: true, expect: () => ({ notAllowActions: [TARGET.action] }) },
  { name: 'notGrantConsoleTasks', negative: true, expect: () => ({ notGrantConsoleTasks: [TARGET.taskRef] }) },
  { name: 'readOnly', negative: true, expect: (k) => ({ readOnly: k.readOnlyAllow ? { allow: k.readOnlyAllow } : true }) },
  { name: 'stayWithin', negative: true, expect: (k) => ({ stayWithin: k.baseline ?? TARGET.baseline }) },
  { name: 'grantConsoleTasks', negative: false, expect: () => ({ grantConsoleTasks: [TARGET.taskRef] }) },
  { name: 'allowActions', negative: false, expect: () => ({ allowActions: [TARGET.action] }) },
];

const inlineKinds = UNKNOWN_KINDS.filter((k) => !k.scanOnly);
const parseFailure = UNKNOWN_KINDS.find((k) => k.id === 'parse-failure')!;

/** A rules file (JSON is YAML) with one rule per (kind, form). */
function rulesFile(variant: Variant, forms: readonly RuleForm[]): string {
  const rules = inlineKinds.flatMap((k) =>
    forms.map((f) => ({
      name: `${k.id}--${f.name}`,
      select: { files: `infra/${k.id}-${variant}.yaml`, principals: [principalId(k.id, variant)] },
      expect: f.expect(k),
    })),
  );
  return JSON.stringify({ version: 1, rules }, null, 2);
}

interface CheckJson {
  exitCode: number;
  outcomes: Array<{ rule: string; status: string; checks: Array<{ findings: Array<{ message: string }>; evidence: string[] }> }>;
  problems: Array<{ severity: string; message: string; location?: { file?: string } }>;
}

function checkRepo(variant: Variant, forms: readonly RuleForm[]): { status: number | null; json: CheckJson; stderr: string } {
  const dir = tempDir();
  writeUnknownTemplates(dir, [variant]);
  writeTree(dir, { 'jest-connect-iam.rules.yaml': rulesFile(variant, forms) });
  const r = cli(['check', '--cwd', dir, '--format', 'json', '--quiet']);
  if (!r.stdout) throw new Error(`check printed nothing (exit ${r.status}): ${r.stderr}`);
  return { status: r.status, json: JSON.parse(r.stdout) as CheckJson, stderr: r.stderr };
}

const byRule = (json: CheckJson): Map<string, string[]> => {
  const m = new Map<string, string[]>();
  for (const o of json.outcomes) m.set(o.rule, [...(m.get(o.rule) ?? []), o.status]);
  return m;
};

describe('jest-connect-iam check: rules fail closed on every kind of unknown', () => {
  const unknown = checkRepo('unknown', RULE_FORMS);
  const absent = checkRepo('absent', RULE_FORMS.filter((f) => f.negative));
  const certain = checkRepo('certain', RULE_FORMS.filter((f) => !f.negative));

  test('controls: negative rules hold without the unknown, positive rules hold with it made certain (exit 0)', () => {
    expect({ absent: absent.status, certain: certain.status }).toEqual({ absent: 0, certain: 0 });
    for (const r of [absent, certain]) expect(r.json.outcomes.every((o) => o.status === 'pass')).toBe(true);
    expect(absent.json.outcomes).toHaveLength(inlineKinds.length * 4);
    expect(certain.json.outcomes).toHaveLength(inlineKinds.length * 2);
  });

  const statuses = byRule(unknown.json);
  describe.each(inlineKinds.map((k) => [k.title, k] as const))('unknown: %s', (_t, kind) => {
    test.each(RULE_FORMS.filter((f) => f.negative).map((f) => [f.name] as const))(
      'a negative assertion never passes when any input was unknown: rule %s is a violation',
      (form) => expect(statuses.get(`${kind.id}--${form}`)).toEqual(['fail']),
    );
    test.each(RULE_FORMS.filter((f) => !f.negative).map((f) => [f.name] as const))(
      'a positive assertion never passes on a conditional decision: rule %s is a violation',
      (form) => expect(statuses.get(`${kind.id}--${form}`)).toEqual(['fail']),
    );
  });

  test('the whole check exits 1 and no rule is reported as holding', () => {
    expect(unknown.status).toBe(1);
    expect(unknown.json.outcomes.filter((o) => o.status !== 'fail')).toEqual([]);
  });

  test(`unknown: ${parseFailure.title}: every negative rule over a repo with one unparsable file exits 2 and names the file`, () => {
    const dir = tempDir();
    // The good file complies with every negative rule; the broken one cannot be checked.
    writeTree(dir, {
      'infra/good.yaml': templateFor('condition-key', 'absent'),
      'infra/parse-failure-unknown.yaml': templateFor('parse-failure', 'unknown'),
      'jest-connect-iam.rules.yaml': JSON.stringify({
        version: 1,
        rules: RULE_FORMS.filter((f) => f.negative).map((f) => ({ name: f.name, select: { files: 'infra/*.yaml' }, expect: f.expect(parseFailure) })),
      }),
    });
    for (const format of ['text', 'json'] as const) {
      const r = cli(['check', '--cwd', dir, '--format', format, '--quiet']);
      expect(r.status).toBe(2);
      expect(r.stdout + r.stderr).toMatch(parseFailure.mentions);
      expect(r.stdout + r.stderr).toMatch(/cannot be read/);
    }
    fs.rmSync(path.join(dir, 'infra/parse-failure-unknown.yaml'));
    expect(cli(['check', '--cwd', dir, '--quiet']).status).toBe(0); // the control
  });
});

/** Preset calls (plain JS in a consumer's test file) for one kind and variant. */
function presetCalls(k: UnknownKind, variant: Variant, which: 'negative' | 'positive'): string {
  const sel = `cwd: __dirname, files: 'infra/${k.id}-${variant}.yaml'`;
  const id = principalId(k.id, variant);
  if (which === 'positive') return `consoleTasks({ ${sel}, expectations: { ${id}: { grant: [${JSON.stringify(TARGET.taskRef)}] } } });\n`;
  return [
    `readOnlyRoles({ ${sel}, principals: '${id}'${k.readOnlyAllow ? `, allow: ${JSON.stringify(k.readOnlyAllow)}` : ''} });`,
    `noNewAccess({ ${sel}, principals: '${id}', baseline: '${k.baseline ?? TARGET.baseline}' });`,
    `consoleTasks({ ${sel}, expectations: { ${id}: { notGrant: [${JSON.stringify(TARGET.taskRef)}] } } });`,
  ].join('\n') + '\n';
}

describe('presets fail closed on every kind of unknown (a spawned Jest on a consumer project)', () => {
  const head = "const { readOnlyRoles, noNewAccess, consoleTasks } = require('jest-connect-iam/presets');\n";
  const dir = consumerProject({ 'jest.config.js': "module.exports = { testEnvironment: 'node' };\n" });
  writeUnknownTemplates(dir, ['unknown', 'absent', 'certain'], { scan: true });
  writeTree(dir, {
    'unknown-negative.test.js': head + UNKNOWN_KINDS.map((k) => presetCalls(k, 'unknown', 'negative')).join(''),
    'unknown-positive.test.js': head + inlineKinds.map((k) => presetCalls(k, 'unknown', 'positive')).join(''),
    'controls.test.js': head + inlineKinds.map((k) => presetCalls(k, 'absent', 'negative') + presetCalls(k, 'certain', 'positive')).join(''),
  });
  let run: JestRun;
  beforeAll(() => {
    run = runJest(dir);
  });
  const testsOf = (kind: UnknownKind): Array<[string, { status: string; failure: string }]> =>
    [...run.tests].filter(([name]) => name.includes(`infra/${kind.id}-unknown.yaml`));

  test('controls pass: readOnlyRoles, noNewAccess, consoleTasks notGrant without the unknown; consoleTasks grant with it made certain', () => {
    expect(run.suiteErrors).toEqual(new Map());
    const controls = [...run.tests].filter(([n]) => /-(absent|certain)\.yaml/.test(n));
    expect(controls.length).toBe(inlineKinds.length * 4);
    expect(controls.filter(([, t]) => t.status !== 'passed')).toEqual([]);
  });

  test.each(UNKNOWN_KINDS.map((k) => [k.title, k] as const))(
    'a negative assertion never passes when any input was unknown (readOnlyRoles, noNewAccess, consoleTasks notGrant): %s',
    (_t, kind) => {
      const negative = testsOf(kind).filter(([n]) => n.startsWith('unknown-negative.test.js'));
      expect(negative.length).toBeGreaterThanOrEqual(kind.scanOnly ? 1 : 3);
      for (const [name, t] of negative) {
        expect({ name, status: t.status }).toEqual({ name, status: 'failed' });
        expect(t.failure).toMatch(kind.mentions);
      }
    },
  );

  test.each(inlineKinds.map((k) => [k.title, k] as const))('a positive assertion never passes on a conditional decision (consoleTasks grant): %s', (_t, kind) => {
    const positive = testsOf(kind).filter(([n]) => n.startsWith('unknown-positive.test.js'));
    expect(positive.length).toBe(1);
    for (const [name, t] of positive) expect({ name, status: t.status }).toEqual({ name, status: 'failed' });
  });

  test('the Jest run itself fails', () => {
    expect(run.status).toBe(1);
    expect(run.raw.numFailedTests).toBeGreaterThanOrEqual(UNKNOWN_KINDS.length * 3);
  });
});
