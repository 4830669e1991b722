/**
 * The GitHub Action (action.yml at the repository root), tested where it can be here:
 * - its metadata against the required keys of the action metadata syntax
 *   (https://docs.github.com/en/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions),
 *   as a JSON schema subset in test/diff/schemas;
 * - its steps' shell commands run as the runner runs them (`bash --noprofile --norc -eo pipefail`,
 *   each step's `env`, `working-directory` and `if`, outputs through $GITHUB_OUTPUT) in a temporary
 *   git repository with two commits, with a `gh` stub on PATH that records the API calls: the
 *   comment body and the job's exit code are checked, and a second run updates the same comment.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { validateAgainstSchema } from '../../src/rules';
import { BIN, REPO_ROOT } from '../cli/helpers';
import { commit, RULES, template, tempRepo, write } from './fixture';

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly env?: Record<string, string>;
  readonly 'working-directory'?: string;
}
interface ActionYml {
  readonly inputs: Record<string, { description: string; default?: string }>;
  readonly runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYml;
const MARKER = '<!-- jest-connect-iam:diff -->';

test('action.yml has the keys the action metadata syntax requires (name, description, composite runs, shells, input descriptions)', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'schemas/action-metadata.subset.schema.json'), 'utf8'));
  expect(validateAgainstSchema(action, schema)).toEqual([]);
  // The schema itself catches what it is meant to catch.
  const broken = JSON.parse(JSON.stringify(action));
  delete broken.runs.steps[0].shell;
  broken.inputs.rules = { default: 'x' };
  broken.runs.using = 'node20';
  const issues = validateAgainstSchema(broken, schema).map((i) => i.path.join('.'));
  expect(issues).toEqual(expect.arrayContaining(['inputs.rules', 'runs.using', 'runs.steps.0']));
  expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['rules', 'base-ref', 'fail-on', 'comment']));
});

// ---- a small runner for composite steps ------------------------------------------------------

type Ctx = Record<string, unknown>;

function lookup(ctx: Ctx, dotted: string): unknown {
  let cur: unknown = ctx;
  for (const k of dotted.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** GitHub expressions as action.yml uses them: paths, 'strings', ==, !=, &&, || (returns an operand). */
function evaluate(expr: string, ctx: Ctx): unknown {
  const tokens = expr.match(/'(?:[^']|'')*'|==|!=|&&|\|\||[A-Za-z_][\w.-]*|\d+/g) ?? [];
  let i = 0;
  const primary = (): unknown => {
    const t = tokens[i++]!;
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^\d+$/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    return lookup(ctx, t);
  };
  const cmp = (): unknown => {
    const a = primary();
    if (tokens[i] === '==' || tokens[i] === '!=') {
      const op = tokens[i++];
      const b = primary();
      const eq = String(a ?? '') === String(b ?? '');
      return op === '==' ? eq : !eq;
    }
    return a;
  };
  const and = (): unknown => {
    let a = cmp();
    while (tokens[i] === '&&') {
      i++;
      const b = cmp();
      a = a ? b : a;
    }
    return a;
  };
  let a = and();
  while (tokens[i] === '||') {
    i++;
    const b = and();
    a = a ? a : b;
  }
  return a;
}

function substitute(text: string, ctx: Ctx): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, e: string) => String(evaluate(e, ctx) ?? ''));
}

interface RunResult {
  readonly exitCode: number;
  readonly log: string;
  readonly outputs: Record<string, Record<string, string>>;
}

function runAction(repo: string, inputs: Record<string, string>, github: Ctx, stubDir: string): RunResult {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-action-run-'));
  const allInputs: Record<string, string> = {};
  const ctx: Ctx = { github, steps: {}, inputs: allInputs };
  for (const [k, v] of Object.entries(action.inputs)) allInputs[k] = substitute(v.default ?? '', ctx);
  Object.assign(allInputs, inputs);
  const steps = ctx.steps as Record<string, { outputs: Record<string, string> }>;
  let log = '';
  for (const [n, step] of action.runs.steps.entries()) {
    if (step.if && !evaluate(step.if.replace(/^\$\{\{\s*|\s*\}\}$/g, ''), ctx)) continue;
    expect(step.shell).toBe('bash');
    const script = path.join(tmp, `step-${n}.sh`);
    fs.writeFileSync(script, step.run!);
    const outputFile = path.join(tmp, `output-${n}`);
    fs.writeFileSync(outputFile, '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${stubDir}${path.delimiter}${process.env.PATH ?? ''}`,
      GITHUB_OUTPUT: outputFile,
      RUNNER_TEMP: tmp,
      GITHUB_STEP_SUMMARY: path.join(tmp, 'summary.md'),
      JEST_CONNECT_IAM_DEBUG: '1',
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = substitute(v, ctx);
    const cwd = path.resolve(repo, substitute(step['working-directory'] ?? '.', ctx));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8', timeout: 120_000 });
    log += `--- ${step.name} (exit ${r.status})\n${r.stdout}${r.stderr}`;
    const outputs: Record<string, string> = {};
    for (const line of fs.readFileSync(outputFile, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (step.id) steps[step.id] = { outputs };
    if (r.status !== 0) return { exitCode: r.status ?? -1, log, outputs: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, v.outputs])) };
  }
  return { exitCode: 0, log, outputs: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, v.outputs])) };
}

/** A `gh` on PATH that records every call and answers the comment listing from a file. */
function ghStub(dir: string): { dir: string; calls: () => Array<{ args: string[]; body?: string }>; setComments: (c: Array<{ id: number; body: string }>) => void } {
  const calls = path.join(dir, 'calls.jsonl');
  const comments = path.join(dir, 'comments.json');
  fs.writeFileSync(comments, '[]');
  const stub = `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
const rec = { args };
const f = args.indexOf('-F');
if (f >= 0 && args[f + 1].startsWith('body=@')) rec.body = fs.readFileSync(args[f + 1].slice(6), 'utf8');
fs.appendFileSync(${JSON.stringify(calls)}, JSON.stringify(rec) + '\\n');
if (args[0] !== 'api') { console.error('stub: only gh api'); process.exit(1); }
if (!args.includes('--method')) {
  const list = JSON.parse(fs.readFileSync(${JSON.stringify(comments)}, 'utf8'));
  const jq = args[args.indexOf('--jq') + 1] || '';
  const m = /contains\\("([^"]*)"\\)/.exec(jq);
  if (!m || !jq.endsWith('| .id')) { console.error('stub: unexpected --jq ' + jq); process.exit(1); }
  for (const c of list) if (c.body.includes(m[1])) console.log(c.id);
  process.exit(0);
}
console.log('{}');
`;
  fs.writeFileSync(path.join(dir, 'gh'), stub, { mode: 0o755 });
  return {
    dir,
    calls: () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
    setComments: (c) => fs.writeFileSync(comments, JSON.stringify(c)),
  };
}

describe('the action in a temporary repository (base and head commits)', () => {
  let repo: string;
  let base: string;
  let stub: ReturnType<typeof ghStub>;
  const github = (): Ctx => ({ token: 'test-token', repository: 'octo/infra', event_name: 'pull_request', event: { pull_request: { number: 42, base: { sha: base } } } });

  beforeAll(() => {
    if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does)`);
    repo = tempRepo('jci-action-');
    write(repo, { 'infra/connect.yaml': template(), 'jest-connect-iam.rules.yaml': RULES, '.gitignore': 'node_modules\n' });
    base = commit(repo, 'base');
    write(repo, { 'infra/connect.yaml': template({ auditorTelephony: true }) });
    commit(repo, 'auditor may switch telephony options');
    // The repository's own installed bin (what the action prefers over npx).
    write(repo, { 'node_modules/.bin/jest-connect-iam': `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n` });
    fs.chmodSync(path.join(repo, 'node_modules/.bin/jest-connect-iam'), 0o755);
    stub = ghStub(fs.mkdtempSync(path.join(os.tmpdir(), 'jci-gh-')));
  }, 60_000);
  afterAll(() => {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(stub.dir, { recursive: true, force: true });
  });

  test('access gained: the job fails (exit 1), one comment is created with the review, SARIF is written', () => {
    const r = runAction(repo, {}, github(), stub.dir);
    if (r.outputs.diff === undefined) throw new Error(r.log);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.setup!.cli).toBe(path.join(repo, 'node_modules/.bin/jest-connect-iam'));
    expect(r.outputs.check!['exit-code']).toBe('1'); // the read-only rule is newly violated
    expect(r.outputs.diff!['exit-code']).toBe('1');
    const sarif = JSON.parse(fs.readFileSync(r.outputs.check!['sarif-file']!, 'utf8'));
    expect(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'auditors-read-only')).toBe(true);
    const calls = stub.calls();
    expect(calls.map((c) => c.args.slice(0, 3))).toEqual([
      ['api', '--paginate', 'repos/octo/infra/issues/42/comments'],
      ['api', '--method', 'POST'],
    ]);
    expect(calls[1]!.args[3]).toBe('repos/octo/infra/issues/42/comments');
    const body = calls[1]!.body!;
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain('**Access gained: 1 principal gains access');
    expect(body).toContain('Telephony / Enable/disable telephony options');
    expect(body).toContain('newly violated: auditors-read-only');
    expect(r.log).toContain('check exit code: 1, diff exit code: 1');
  }, 120_000);

  test('a second run finds the comment by its marker and updates it instead of adding one', () => {
    stub.setComments([{ id: 7, body: 'an unrelated comment' }, { id: 99, body: `${MARKER}\nold review` }]);
    const before = stub.calls().length;
    const r = runAction(repo, { 'fail-on': 'never' }, github(), stub.dir);
    const calls = stub.calls().slice(before);
    expect(calls.map((c) => c.args.slice(0, 4))).toEqual([
      ['api', '--paginate', 'repos/octo/infra/issues/42/comments', '--jq'],
      ['api', '--method', 'PATCH', 'repos/octo/infra/issues/comments/99'],
    ]);
    expect(calls[1]!.body).toContain(MARKER);
    // fail-on never: the diff does not fail; the new rule violation still does.
    expect(r.outputs.diff!['exit-code']).toBe('0');
    expect(r.exitCode).toBe(1);
  }, 120_000);

  test('comment off, a base that only loses access, an explicit CLI: no API call, exit 0', () => {
    const head = commit(repo, 'nothing');
    write(repo, { 'infra/connect.yaml': template({ auditorTelephony: true, storageServiceLinked: false }) });
    commit(repo, 'storage admin loses the service-linked role');
    const before = stub.calls().length;
    const r = runAction(repo, { comment: 'false', 'base-ref': head, cli: `${process.execPath} ${BIN}` }, github(), stub.dir);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.setup!.base).toBe(head);
    expect(stub.calls().length).toBe(before);
    expect(r.log).toContain('No access gained, some removed');
  }, 120_000);

  test('a base ref the checkout does not have stops the job with exit 2 and says to fetch it', () => {
    const r = runAction(repo, { 'base-ref': 'origin/does-not-exist' }, github(), stub.dir);
    expect(r.exitCode).toBe(2);
    expect(r.log).toContain('fetch-depth: 0');
  }, 60_000);
});

test('the workflow to copy (README and .github/workflows/access-review.example.yml) uses the action, comments and uploads the SARIF', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /```yml\n(name: IAM access review[\s\S]*?)```/.exec(readme)![1]!;
  for (const text of [block, fs.readFileSync(path.join(REPO_ROOT, '.github/workflows/access-review.example.yml'), 'utf8')]) {
    const wf = parse(text) as { permissions: Record<string, string>; jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown>; id?: string; if?: string }> }> };
    expect(wf.permissions).toMatchObject({ 'pull-requests': 'write', 'security-events': 'write' });
    const steps = Object.values(wf.jobs)[0]!.steps;
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))!.with).toMatchObject({ 'fetch-depth': 0 });
    const review = steps.find((s) => s.id === 'review')!;
    for (const k of Object.keys(review.with ?? {})) expect(Object.keys(action.inputs)).toContain(k);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.with!.sarif_file).toBe('${{ steps.review.outputs.sarif-file }}');
    expect(upload.if).toMatch(/^always\(\)/);
  }
});
