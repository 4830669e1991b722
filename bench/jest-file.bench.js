#!/usr/bin/env node
// What a fresh Jest test file pays for the package, measured INSIDE Jest (issue 10): a consumer
// project in a temporary directory, 8 identical test files run by the real Jest CLI in one worker
// (each file gets a fresh module registry, as in any Jest run). Each file times, with
// performance.now(), loading `jest-connect-iam/matchers` + `jest-connect-iam` and then 45
// `toGrantConsoleTask` assertions (one per catalog task). The floor is the same file doing 45
// trivial `toEqual` assertions without the package. The first file of a run is left out (it
// also pays Jest's own first-file warm-up); the median of the others is printed.
// Variants: the shipped bundle (package.json's exports: dist/bundle) and, for comparison, the
// unbundled tsc output (dist/src, dist/matchers).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const JEST = require.resolve('jest/bin/jest');
const FILES = 8;
// Another bundle directory to compare with (e.g. a copy of dist/bundle from before a change, kept in dist/).
const BUNDLE = path.resolve(ROOT, process.env.JEST_FILE_BUNDLE || 'dist/bundle');

const SUBJECTS = {
  'Allow * on *': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  'a 3-statement custom policy (some tasks fail, messages rendered)': {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Connect', Effect: 'Allow', Action: ['connect:*', 'ds:Describe*', 's3:Get*', 's3:List*', 'kms:Describe*', 'kms:List*'], Resource: '*' },
      { Sid: 'Region', Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-2', 'us-east-1'] } } },
      { Sid: 'NoDelete', Effect: 'Deny', Action: 'connect:Delete*', Resource: '*' },
    ],
  },
  // The lookup is timed with the load (it reads the managed-policy bundle).
  "managedPolicy('AmazonConnect_FullAccess')": "managedPolicy('AmazonConnect_FullAccess')",
};

// CPU time (process.cpuUsage: this thread and V8's helper threads) is printed beside the wall
// time: on a shared machine it moves much less with the load than the wall time does.
function testFile(mode, subject) {
  if (mode === 'floor') {
    return `
const c0 = process.cpuUsage();
const t0 = performance.now();
test('45 trivial assertions', () => {
  for (let i = 0; i < 45; i++) expect({ page: i }).toEqual({ page: i });
  const c = process.cpuUsage(c0);
  require('fs').appendFileSync(process.env.BENCH_OUT, JSON.stringify({ load: 0, assertions: performance.now() - t0, cpu: (c.user + c.system) / 1000 }) + '\\n');
});`;
  }
  // A subject given as a string is code run after loading (e.g. a managedPolicy() lookup).
  const subjectCode = typeof subject === 'string' ? subject : JSON.stringify(subject);
  return `
const c0 = process.cpuUsage();
const t0 = performance.now();
require('jest-connect-iam/matchers');
const { catalog, managedPolicy } = require('jest-connect-iam');
const subject = ${subjectCode};
const loaded = performance.now();
test('45 console tasks', () => {
  const t1 = performance.now();
  for (const task of catalog.tasks) {
    try { expect(subject).toGrantConsoleTask(task.page, task.id); } catch (e) { if (!e.matcherResult) throw e; }
  }
  const t2 = performance.now();
  const c = process.cpuUsage(c0);
  require('fs').appendFileSync(process.env.BENCH_OUT, JSON.stringify({ load: loaded - t0, assertions: t2 - t1, cpu: (c.user + c.system) / 1000 }) + '\\n');
});`;
}

function run(variant, mode, subject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-jest-bench-'));
  const mapper =
    variant === 'bundle'
      ? { '^jest-connect-iam$': path.join(BUNDLE, 'index.js'), '^jest-connect-iam/matchers$': path.join(BUNDLE, 'matchers.js') }
      : { '^jest-connect-iam$': path.join(ROOT, 'dist/src/index.js'), '^jest-connect-iam/matchers$': path.join(ROOT, 'dist/matchers/index.js') };
  fs.writeFileSync(
    path.join(dir, 'jest.config.js'),
    `module.exports = ${JSON.stringify({ rootDir: dir, testEnvironment: 'node', transform: {}, moduleNameMapper: mapper, cacheDirectory: path.join(dir, '.cache') })};`,
  );
  for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(dir, `f${i}.test.js`), testFile(mode, subject));
  const out = path.join(dir, 'out.jsonl');
  const r = spawnSync(process.execPath, [JEST, '--runInBand', '--ci', '--silent'], {
    cwd: dir,
    env: { ...process.env, BENCH_OUT: out },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`jest run failed:\n${r.stderr}`);
  const rows = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  fs.rmSync(dir, { recursive: true, force: true });
  const rest = rows.slice(1);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    load: median(rest.map((x) => x.load)),
    assertions: median(rest.map((x) => x.assertions)),
    total: median(rest.map((x) => x.load + x.assertions)),
    cpu: median(rest.map((x) => x.cpu)),
  };
}

const f = (x) => x.toFixed(1);
const floor = run('bundle', 'floor');
console.log(`A fresh Jest test file (real Jest, ${FILES} files in one worker, median of files 2-${FILES}; target < 30 ms; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}):`);
console.log(`  floor (45 toEqual, no package): ${f(floor.total)} ms (cpu ${f(floor.cpu)} ms)`);
for (const [label, subject] of Object.entries(SUBJECTS)) {
  for (const variant of ['bundle', 'tsc']) {
    const r = run(variant, 'package', subject);
    console.log(
      `  ${label}, ${variant === 'bundle' ? 'shipped bundle' : 'unbundled tsc output'}: load ${f(r.load)} ms + 45 toGrantConsoleTask ${f(r.assertions)} ms = ${f(r.total)} ms` +
        ` (floor ${f(floor.total)} ms; ratio ${f(r.total / floor.total)}x); cpu ${f(r.cpu)} ms (floor ${f(floor.cpu)} ms; ratio ${f(r.cpu / floor.cpu)}x)`,
    );
  }
}
