#!/usr/bin/env node
// Matcher figures (issue 3), against dist/. Run with `npm run bench` (or `node bench/run.js matchers`).
// Printed, not asserted: speed varies by machine.
//
// 1. "What the matchers add to a test file": Jest gives every test file a fresh module
//    registry, so a test file pays for loading the package (catalog, IAM data on first use,
//    managed-policy bundle) again. We measure exactly that in fresh child processes, with the
//    `expect` package Jest itself uses (a minimal expect, no Jest runner around it):
//      baseline: require expect, run 45 trivial assertions;
//      matchers: require expect, require the matchers, expect.extend, run 45 toGrantConsoleTask
//                assertions (one per catalog task).
//    The difference is what the matchers add. (Running the Jest CLI on a generated file with
//    and without the matchers measures the same thing plus ~1 s of Jest start-up noise per run,
//    so the in-process figure is the one reported.)
// 2. toBeReadOnly / toStayWithin on AmazonConnect_FullAccess, after the IAM action data is
//    loaded once per process: first call on a subject, repeated calls on the same subject
//    object (per-subject caches warm), and calls on a fresh, equal subject object each time
//    (no per-subject cache: the honest "new test, same process" figure).
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x) => x.toFixed(1);

// ---- 1. child-process scenarios -------------------------------------------------------------
const child = String.raw`
'use strict';
const t0 = process.hrtime.bigint();
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const { expect } = require('expect');
const out = { expect: ms(t0) };
const mode = process.argv[1];
const dist = process.argv[2];
if (mode === 'baseline') {
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < 45; i++) expect({ page: i }).toEqual({ page: i });
  out.assertions = ms(t1);
} else if (mode === 'engine') {
  // The same work without the matcher layer: the engine's checkConsoleTask, 45 times.
  const t1 = process.hrtime.bigint();
  const { checkConsoleTask } = require(dist + '/src/evaluator');
  const { catalog } = require(dist + '/src/catalog');
  out.register = ms(t1);
  const subject = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const t2 = process.hrtime.bigint();
  for (const task of catalog.tasks) if (checkConsoleTask(subject, task.page, task.id).granted !== 'yes') throw new Error(task.id);
  out.assertions = ms(t2);
  out.tasks = catalog.tasks.length;
} else {
  const t1 = process.hrtime.bigint();
  const { matchers } = require(dist + '/matchers/matchers');
  expect.extend(matchers);
  out.register = ms(t1);
  // The catalog module is already loaded by the matchers; the subjects are inline documents
  // so that no managed-policy bundle is read (that cost belongs to managedPolicy(), not to
  // the matchers).
  const { catalog } = require(dist + '/src/catalog');
  const subject =
    mode === 'admin'
      ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
      : {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Connect', Effect: 'Allow', Action: ['connect:*', 'ds:Describe*', 's3:Get*', 's3:List*', 'kms:Describe*', 'kms:List*'], Resource: '*' },
            { Sid: 'Region', Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-2', 'us-east-1'] } } },
            { Sid: 'NoDelete', Effect: 'Deny', Action: 'connect:Delete*', Resource: '*' },
          ],
        };
  const t2 = process.hrtime.bigint();
  let failed = 0;
  for (const task of catalog.tasks) {
    try {
      expect(subject).toGrantConsoleTask(task.page, task.id);
    } catch (e) {
      if (!e.matcherResult) throw e;
      failed++;
    }
  }
  out.assertions = ms(t2);
  out.failed = failed;
  out.tasks = catalog.tasks.length;
  const t3 = process.hrtime.bigint();
  for (const task of catalog.tasks) {
    try { expect(subject).toGrantConsoleTask(task.page, task.id); } catch (e) { if (!e.matcherResult) throw e; }
  }
  out.warm = ms(t3);
}
out.total = ms(t0);
process.stdout.write(JSON.stringify(out));
`;

function runChild(mode) {
  const r = spawnSync(process.execPath, ['-e', child, mode, dist], { encoding: 'utf8', cwd: root });
  if (r.status !== 0) throw new Error(`child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function scenario(mode, runs = 5) {
  const results = Array.from({ length: runs }, () => runChild(mode));
  const pick = (k) => median(results.map((r) => r[k] ?? 0));
  return { total: pick('total'), expect: pick('expect'), register: pick('register'), assertions: pick('assertions'), warm: pick('warm'), failed: results[0].failed, tasks: results[0].tasks };
}

const base = scenario('baseline');
const engine = scenario('engine');
const admin = scenario('admin');
const full = scenario('full');
console.log('Matchers in a fresh test-file context (median of 5 fresh processes, minimal expect):');
console.log(`  baseline: require expect ${f(base.expect)} ms + 45 toEqual ${f(base.assertions)} ms = ${f(base.total)} ms`);
console.log(
  `  engine only (no matchers): require evaluator + catalog ${f(engine.register)} ms + 45 checkConsoleTask ${f(engine.assertions)} ms` +
    ' (cold: includes reading the IAM data of the ~19 services the catalog uses, and JIT warm-up)',
);
for (const [label, s] of [
  ['Allow * on * (all pass)', admin],
  [`a 3-statement custom policy (${full.failed} of ${full.tasks} fail, messages rendered)`, full],
]) {
  const added = s.register + s.assertions - base.assertions;
  console.log(
    `  ${label}: register ${f(s.register)} ms (load package + extend) + ${s.tasks} toGrantConsoleTask ${f(s.assertions)} ms` +
      ` -> adds ${f(added)} ms to the file (target < 50 ms), of which the matcher layer over the engine ${f(s.register + s.assertions - engine.register - engine.assertions)} ms;` +
      ` the same 45 again, warm: ${f(s.warm)} ms`,
  );
}

// ---- 2. analyses on AmazonConnect_FullAccess -----------------------------------------------
const api = require(path.join(dist, 'src'));
const { expect } = require('expect');
expect.extend(require(path.join(dist, 'matchers', 'matchers')).matchers);

let t = process.hrtime.bigint();
api.allActions();
const loadIam = ms(t);
const fullAccess = api.managedPolicy('AmazonConnect_FullAccess');
const fresh = () => ({ ...fullAccess }); // an equal ManagedPolicy object: no per-subject cache hits

function figures(label, fn) {
  const subject = fresh();
  let t0 = process.hrtime.bigint();
  fn(subject);
  const first = ms(t0);
  const same = [];
  for (let i = 0; i < 20; i++) {
    t0 = process.hrtime.bigint();
    fn(subject);
    same.push(ms(t0));
  }
  const fresher = [];
  for (let i = 0; i < 10; i++) {
    const s = fresh();
    t0 = process.hrtime.bigint();
    fn(s);
    fresher.push(ms(t0));
  }
  console.log(`  ${label}: first call ${f(first)} ms; new subject object ${f(median(fresher))} ms (median of 10); same object again ${f(median(same))} ms (median of 20)`);
}

console.log(`\nAnalyses on AmazonConnect_FullAccess (IAM action data loaded once first: ${f(loadIam)} ms; target < 20 ms each):`);
const ro = api.checkReadOnly(fullAccess);
const sw = api.checkStayWithin(fullAccess, 'AmazonConnectReadOnlyAccess');
console.log(`  checkReadOnly: ${ro.offending.length} offending of ${ro.evaluated} non-read candidates; checkStayWithin: ${sw.newAccess.length} new of ${sw.evaluated} candidates`);
figures('checkReadOnly', (s) => api.checkReadOnly(s));
figures("checkStayWithin(_, 'AmazonConnectReadOnlyAccess')", (s) => api.checkStayWithin(s, 'AmazonConnectReadOnlyAccess'));
figures('expect(full).not.toBeReadOnly()', (s) => expect(s).not.toBeReadOnly());
figures("expect(full).not.toStayWithin('AmazonConnectReadOnlyAccess')", (s) => expect(s).not.toStayWithin('AmazonConnectReadOnlyAccess'));
figures('expect(full).toBeReadOnly() failing, message rendered', (s) => {
  try {
    expect(s).toBeReadOnly();
  } catch (e) {
    if (!e.matcherResult) throw e;
  }
});
