/**
 * Hardening fuzz (fast-check, fixed seeds): structure-aware mutations (test/fuzz/mutations.ts)
 * of the repo's fixtures and examples and of the real templates in ../shared/corpus/templates.
 * Every `loadFile` reports a typed `error` or loads (never throws); `loadTemplate` and
 * `loadPolicyFile` succeed or throw a JestConnectIamError; evaluating whatever loaded throws
 * nothing but typed errors; no prototype changes; no case takes longer than a generous guard.
 *
 * `npm test` runs a short pass. `npm run fuzz` (FUZZ_LONG=1) runs a long in-process pass and a
 * child-process pass (crash and hang detection against dist/; files of a failing batch are kept).
 * FUZZ_SEED overrides the seed; the case counts and times are printed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import '../../matchers'; // registers the matchers on Jest's expect, as a user's setup file does
import { JestConnectIamError, checkConsoleTask, checkReadOnly, evaluate, loadFile, loadPolicyFile, loadTemplate } from '../../src';
import { REPO_ROOT, applyOps, opArb, seedFiles } from './mutations';

const LONG = process.env.FUZZ_LONG === '1';
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
/** One case (a load and the evaluations) must finish within this, on a busy 2-core machine. */
const CASE_GUARD_MS = 10_000;

const { own, corpus, corpusDir } = seedFiles();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-fuzz-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const protoSnapshot = (): string =>
  JSON.stringify([Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).sort()));

interface Stats {
  cases: number;
  loaded: number;
  errors: number;
  principals: number;
  maxMs: number;
}

/** Load and evaluate one mutated file in-process; throws (failing the property) on anything untyped or slow. */
function checkCase(name: string, bytes: Buffer, stats: Stats, deep: boolean): void {
  const file = path.join(tmp, `${stats.cases % 50}-${name}`);
  fs.writeFileSync(file, bytes);
  const started = performance.now();
  const typed = (what: string, fn: () => unknown): void => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof JestConnectIamError)) throw new Error(`${what} threw an untyped error on a mutation of ${name}: ${(e as Error)?.stack ?? String(e)}`);
    }
  };
  let r: ReturnType<typeof loadFile>;
  try {
    r = loadFile(file);
  } catch (e) {
    throw new Error(`loadFile threw on a mutation of ${name} (it must report \`error\`): ${(e as Error)?.stack ?? String(e)}`);
  }
  if (r.error && !(r.error instanceof JestConnectIamError)) throw new Error(`loadFile reported an untyped error: ${r.error}`);
  typed('loadTemplate', () => loadTemplate(file));
  typed('loadPolicyFile', () => loadPolicyFile(file));
  stats.cases++;
  if (r.error) stats.errors++;
  else stats.loaded++;
  stats.principals += r.principals.length;
  r.principals.forEach((p, i) => {
    typed('evaluate', () => evaluate(p, 'connect:DescribeInstance'));
    typed('evaluate with resource and context', () => evaluate(p, 's3:GetObject', { resource: 'arn:aws:s3:::b/k', context: { 'aws:username': 'u', 'aws:RequestedRegion': 'eu-west-1' } }));
    typed('checkConsoleTask', () => checkConsoleTask(p, 'Data storage', 'Edit call recording'));
    if (deep || i === 0) typed('checkReadOnly', () => checkReadOnly(p));
  });
  if (r.template) typed('principal()', () => r.template!.principal('NoSuchPrincipal'));
  const ms = performance.now() - started;
  stats.maxMs = Math.max(stats.maxMs, ms);
  if (ms > CASE_GUARD_MS) throw new Error(`a mutation of ${name} took ${ms.toFixed(0)} ms (guard ${CASE_GUARD_MS} ms)`);
}

function run(files: readonly string[], numRuns: number, deep: boolean): Stats {
  const originals = files.map((f) => fs.readFileSync(f));
  const stats: Stats = { cases: 0, loaded: 0, errors: 0, principals: 0, maxMs: 0 };
  const before = protoSnapshot();
  const started = performance.now();
  fc.assert(
    fc.property(fc.nat({ max: files.length - 1 }), fc.array(opArb, { minLength: 1, maxLength: 3 }), (i, ops) => {
      const json = /\.json$/.test(files[i]!) || originals[i]![0] === 0x7b;
      checkCase(path.basename(files[i]!), applyOps(originals[i]!, ops, json), stats, deep);
    }),
    { seed: SEED, numRuns, endOnFailure: true },
  );
  expect(protoSnapshot()).toBe(before);
  // Case counts for the report (the test output is the record of a fuzz pass).
  process.stdout.write(`hardening fuzz: ${stats.cases} cases over ${files.length} seed files in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${SEED}): ${stats.loaded} loaded (${stats.principals} principals evaluated), ${stats.errors} typed errors, slowest case ${stats.maxMs.toFixed(0)} ms\n`);
  return stats;
}

describe(`hostile input (${LONG ? 'long' : 'short'} pass, seed ${SEED})`, () => {
  test(`mutated fixtures and examples (${own.length} files): typed errors only, no hang, prototypes untouched`, () => {
    const stats = run(own, LONG ? 6000 : 300, LONG);
    expect(stats.cases).toBe(LONG ? 6000 : 300);
  }, LONG ? 3_600_000 : 60_000);

  const corpusName = `mutated real templates from ../shared/corpus/templates: typed errors only, no hang, prototypes untouched`;
  if (corpusDir && corpus.length) {
    test(`${corpusName} (${corpus.length} files)`, () => {
      const files = LONG ? corpus : corpus.filter((f) => fs.statSync(f).size < 30_000);
      const stats = run(files, LONG ? 3000 : 120, LONG);
      expect(stats.cases).toBe(LONG ? 3000 : 120);
    }, LONG ? 3_600_000 : 60_000);
  } else {
    test.skip(`${corpusName} [skipped: ../shared/corpus/templates is not present next to the repo]`, () => undefined);
  }

  test('arbitrary documents with every policy element of every type, given straight to evaluate and the matchers: typed errors only', () => {
    const anyValue = fc.oneof(
      { weight: 3, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }) },
      { weight: 2, arbitrary: fc.constantFrom('Allow', 'Deny', '*', 'connect:*', 'arn:aws:connect:*:*:instance/*', '2012-10-17', '__proto__', '${aws:username}') },
      { weight: 1, arbitrary: fc.array(fc.constantFrom('connect:Describe*', 's3:?etObject', '*', 'Allow', ''), { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('StringEquals', 'StringLike', 'ForAllValues:StringLike', 'NumericLessThanIfExists', 'Null', 'Bogus', '__proto__'), fc.dictionary(fc.constantFrom('aws:username', 'aws:RequestedRegion', 'constructor'), fc.anything({ maxDepth: 1 }))) },
    );
    const element = fc.constantFrom('Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal', '__proto__', 'Bogus');
    const statement = fc.dictionary(element, anyValue, { maxKeys: 6 });
    const documentArb = fc.oneof(
      fc.record({ Version: anyValue, Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 }), anyValue) }, { requiredKeys: [] }),
      fc.array(fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(statement, { maxLength: 3 }) }), { maxLength: 3 }),
      anyValue,
    );
    const before = protoSnapshot();
    let cases = 0;
    let evaluated = 0;
    fc.assert(
      fc.property(documentArb, (doc) => {
        cases++;
        for (const call of [
          () => evaluate(doc, 'connect:DescribeInstance', { context: { 'aws:username': 'u' } }),
          () => checkConsoleTask(doc, 'Home', 'List instance'),
          () => expect(doc).not.toAllowAction('connect:DeleteInstance'),
          () => expect(doc).toBeReadOnly(),
        ]) {
          try {
            call();
            evaluated++;
          } catch (e) {
            const assertion = e !== null && typeof e === 'object' && 'matcherResult' in e;
            if (!(e instanceof JestConnectIamError) && !assertion) throw e;
          }
        }
      }),
      { seed: SEED, numRuns: LONG ? 20_000 : 300 },
    );
    expect(protoSnapshot()).toBe(before);
    process.stdout.write(`hardening fuzz (documents): ${cases} documents, ${evaluated} calls answered without error\n`);
  }, LONG ? 3_600_000 : 60_000);

  const childName = 'child-process pass against dist/: no crash, no hang, typed errors only';
  if (LONG) {
    test(childName, () => {
      const child = path.join(__dirname, 'load-child.js');
      if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'index.js'))) throw new Error('dist/ is missing: npm run fuzz builds it');
      const files = [...own, ...corpus];
      const originals = files.map((f) => fs.readFileSync(f));
      const BATCHES = 20;
      const PER_BATCH = 100;
      const rng = fc.sample(fc.tuple(fc.nat({ max: files.length - 1 }), fc.array(opArb, { minLength: 1, maxLength: 4 })), { seed: SEED + 1, numRuns: BATCHES * PER_BATCH });
      const started = performance.now();
      let cases = 0;
      for (let b = 0; b < BATCHES; b++) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-fuzz-child-'));
        rng.slice(b * PER_BATCH, (b + 1) * PER_BATCH).forEach(([i, ops], k) => {
          const json = /\.json$/.test(files[i]!) || originals[i]![0] === 0x7b;
          fs.writeFileSync(path.join(dir, `${String(k).padStart(3, '0')}-${path.basename(files[i]!)}`), applyOps(originals[i]!, ops, json));
        });
        const r = spawnSync(process.execPath, ['--max-old-space-size=1024', '--stack-size=984', child, dir], { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
        const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { file: string; untyped: string[] });
        const bad = lines.filter((l) => l.untyped.length);
        if (r.status !== 0 || r.signal || lines.length !== PER_BATCH || bad.length) {
          throw new Error(`child batch ${b} failed (files kept in ${dir}): status ${r.status} signal ${r.signal}; ${lines.length}/${PER_BATCH} files done; ${JSON.stringify(bad.slice(0, 3))}\n${r.stderr.slice(0, 2000)}`);
        }
        cases += lines.length;
        fs.rmSync(dir, { recursive: true, force: true });
      }
      process.stdout.write(`hardening fuzz (child processes): ${cases} cases in ${BATCHES} batches in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      expect(cases).toBe(BATCHES * PER_BATCH);
    }, 3_600_000);
  } else {
    test.skip(`${childName} [skipped: runs with FUZZ_LONG=1, i.e. npm run fuzz]`, () => undefined);
  }
});
