/**
 * `jest-connect-iam diff` and `check --baseline` through the built bin, on the fixture history
 * (test/diff/fixture.ts): exit codes, every format, SARIF with only what the head adds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateAgainstSchema } from '../../src/rules';
import { bin } from '../cli/helpers';
import { buildHistory, type Step } from './fixture';

let dir: string;
let steps: Step[];
beforeAll(() => {
  ({ dir, steps } = buildHistory());
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (name: string): string => steps.find((s) => s.name === name)!.sha;

test('diff --help documents the sides, what is compared and the exit codes', () => {
  const r = bin(['diff', '--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('--base <git-ref|dir>');
  expect(r.stdout).toContain('--fail-on <when>');
  expect(r.stdout).toMatch(/Exit codes:\n\s+0\s+no access gained/);
  expect(bin(['--help']).stdout).toMatch(/\n  diff\s+Say what a change grants/);
});

test('usage errors exit 2: no --base, an unknown format, a ref that does not exist', () => {
  expect(bin(['diff'], { cwd: dir })).toMatchObject({ status: 2, stderr: expect.stringContaining('diff needs --base') });
  expect(bin(['diff', '--base', 'HEAD', '--format', 'markdwon'], { cwd: dir })).toMatchObject({ status: 2, stderr: expect.stringContaining("did you mean 'markdown'") });
  const r = bin(['diff', '--base', 'no-such-branch'], { cwd: dir });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("'no-such-branch' is neither a directory nor a git ref");
});

test('text: access gained exits 1 and says who gained what, in console words', () => {
  const r = bin(['diff', '--base', sha('base'), '--head', sha('gains a task')], { cwd: dir });
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('Access gained: 1 principal gains access');
  expect(r.stdout).toContain('+ console task Telephony / Enable/disable telephony options');
  expect(r.stdout).toContain('new:      auditors-read-only: role AuditorRole');
});

test('a loss only exits 0; --fail-on gained-write ignores read access gained; --fail-on never always 0', () => {
  expect(bin(['diff', '--base', sha('gains a task'), '--head', sha('loses a task')], { cwd: dir }).status).toBe(0);
  expect(bin(['diff', '--base', sha('!If flips on'), '--head', sha('principal added'), '--fail-on', 'gained-write'], { cwd: dir }).status).toBe(0);
  expect(bin(['diff', '--base', sha('!If flips on'), '--head', sha('principal added')], { cwd: dir }).status).toBe(1);
  expect(bin(['diff', '--base', sha('base'), '--head', sha('gains a task'), '--fail-on', 'never'], { cwd: dir }).status).toBe(0);
});

test('markdown: the hidden marker, one summary line, a table of principals, details folded', () => {
  const r = bin(['diff', '--base', sha('loses a task'), '--head', sha('managed policy ARN'), '--format', 'markdown'], { cwd: dir });
  expect(r.status).toBe(1);
  const lines = r.stdout.split('\n');
  expect(lines[0]).toBe('<!-- jest-connect-iam:diff -->');
  expect(r.stdout).toContain('| Principal | Change | Console tasks gained | Console tasks lost | Non-read actions gained | Non-read actions lost |');
  expect(r.stdout).toMatch(/\| `AuditorRole`<br><sub>role · infra\/connect\.yaml<\/sub> \| changed, gains \| Home \/ Delete instance<br>/);
  expect(r.stdout).toContain('<details><summary>AuditorRole: details</summary>');
  expect(lines.filter((l) => l.startsWith('**Access gained')).length).toBe(1);
});

test('json carries the whole report; sarif has only what the head adds and is valid SARIF 2.1.0 (subset schema)', () => {
  const json = JSON.parse(bin(['diff', '--base', sha('!If flips on'), '--head', sha('principal added'), '--format', 'json'], { cwd: dir }).stdout);
  expect(json).toMatchObject({ tool: 'jest-connect-iam', exitCode: 1, summary: { added: 1 }, principals: [{ change: 'added', head: { file: 'policies/connect-viewer.json' } }] });
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../report/schemas/sarif-2.1.0.subset.schema.json'), 'utf8'));
  const gained = JSON.parse(bin(['diff', '--base', sha('base'), '--head', sha('gains a task'), '--format', 'sarif'], { cwd: dir }).stdout);
  expect(validateAgainstSchema(gained, schema)).toEqual([]);
  const results = gained.runs[0].results as Array<{ ruleId: string; baselineState: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }> }>;
  expect(results.map((x) => x.ruleId).sort()).toEqual([
    'jest-connect-iam/diff/gained-console-task',
    'jest-connect-iam/diff/gained-console-task',
    'jest-connect-iam/diff/gained-non-read-actions',
    'jest-connect-iam/diff/newly-violated',
  ]);
  expect(results.every((x) => x.baselineState === 'new')).toBe(true);
  const nonRead = results.find((x) => x.ruleId.endsWith('gained-non-read-actions'))!;
  expect(nonRead.locations[0]!.physicalLocation.artifactLocation.uri).toBe('infra/connect.yaml');
  // The line of the Allow statement that grants connect:UpdateInstanceAttribute.
  const text = fs.readFileSync(path.join(dir, 'infra/connect.yaml'), 'utf8').split('\n');
  expect(text[nonRead.locations[0]!.physicalLocation.region!.startLine - 1]).toMatch(/Sid: SwitchTelephony/);
  const lossOnly = JSON.parse(bin(['diff', '--base', sha('gains a task'), '--head', sha('loses a task'), '--format', 'sarif'], { cwd: dir }).stdout);
  expect(lossOnly.runs[0].results).toEqual([]);
});

describe('check --baseline', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(path.dirname(dir), 'jci-baseline-'));
    fs.cpSync(dir, work, { recursive: true });
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  const checkout = (name: string): void => {
    require('node:child_process').execFileSync('git', ['checkout', '-q', sha(name)], { cwd: work });
  };

  test('a violation the baseline does not have is new: exit 1', () => {
    checkout('gains a task');
    const r = bin(['check', '--baseline', sha('base')], { cwd: work });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Baseline [0-9a-f]{40} \([0-9a-f]{7}\): 1 new violation, 0 existing \(listed as suppressed\), 0 fixed\./);
  });

  test('a violation the baseline has too is listed apart as existing: exit 0, also in JSON and SARIF', () => {
    checkout('!If flips on');
    const r = bin(['check', '--baseline', sha('managed policy ARN')], { cwd: work });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('already violated at baseline');
    expect(r.stdout).toMatch(/0 new violations, 1 existing/);
    const json = JSON.parse(bin(['check', '--baseline', sha('managed policy ARN'), '--format', 'json'], { cwd: work }).stdout);
    expect(json.baseline).toMatchObject({ new: 0, existing: 1, fixed: 0, commit: sha('managed policy ARN') });
    expect(json.outcomes.find((o: { rule: string }) => o.rule === 'auditors-read-only').status).toBe('suppressed');
    const sarif = JSON.parse(bin(['check', '--baseline', sha('managed policy ARN'), '--format', 'sarif'], { cwd: work }).stdout);
    const results = sarif.runs[0].results as Array<{ suppressions?: unknown[] }>;
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((x) => Array.isArray(x.suppressions))).toBe(true);
    // Without the baseline it is a violation as before.
    expect(bin(['check'], { cwd: work }).status).toBe(1);
  });

  test('more violations of an already violated rule are new', () => {
    checkout('managed policy ARN');
    const r = bin(['check', '--baseline', sha('loses a task')], { cwd: work });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/1 new violation, 0 existing/);
  });
});
