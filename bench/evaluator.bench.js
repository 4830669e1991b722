#!/usr/bin/env node
// Evaluator figures (issue 2 and issue 6), against dist/. Run with `npm run bench`.
// Printed, not asserted: speed varies by machine.
'use strict';
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist', 'src');
const { evaluate, compilePrincipal, evaluateCompiled, checkConsoleTask, catalog, managedPolicy, findPage } = require(dist);
// The evaluator memoises results per compiled principal (issue 10): repeating one question is a
// memo hit. The "uncached" figures drop the memo before each call, so they measure a decision.
const { forgetEvaluations } = require(path.join(dist, 'evaluator', 'evaluate.js'));
const uncached = (subject, fn) => () => {
  forgetEvaluations(compilePrincipal(subject));
  return fn();
};

function time(label, fn, { minMs = 300 } = {}) {
  // Warm up, then run batches until minMs has passed.
  for (let i = 0; i < 50; i++) fn();
  let n = 0;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  }
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return { label, n, ms: elapsed, perOpUs: (elapsed * 1000) / n, perSecond: Math.round((n * 1000) / elapsed), cpuPerOpUs: (cpuMs * 1000) / n };
}

function once(fn) {
  const started = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

const fmt = (n) => n.toLocaleString('en-US');

// The documents shared with the other evaluator bench.
const { one, custom20, context } = require('./policies');
const twenty = custom20();

console.log('Decisions per second (compiled once, WeakMap cache; evaluate() per call; uncached: memo dropped before each call, reasons not read):');
const rows = [];
const row = (label, subject, fn) => {
  rows.push(time(`${label}, uncached`, uncached(subject, fn)));
  rows.push(time(`${label}, memo hit`, fn));
};
row('1 st., allowed (connect:DescribeInstance)', one, () => evaluate(one, 'connect:DescribeInstance', { context }));
row('1 st., implicit deny (s3:GetObject)', one, () => evaluate(one, 's3:GetObject', { context }));
row('20 st., allowed (connect:DescribeInstance)', twenty, () => evaluate(twenty, 'connect:DescribeInstance', { context }));
row('20 st., implicit deny (kms:Decrypt)', twenty, () => evaluate(twenty, 'kms:Decrypt', { context }));
rows.push(time('20 st., implicit deny, uncached, reasons + closest read', uncached(twenty, () => evaluate(twenty, 'kms:Decrypt', { context }).reasons)));
row('20 st., conditional (no context)', twenty, () => evaluate(twenty, 'connect:DescribeInstance'));
for (const r of rows) console.log(`  ${r.label.padEnd(56)} ${fmt(r.perSecond).padStart(12)} /s  (${r.perOpUs.toFixed(2)} µs each; CPU ${r.cpuPerOpUs.toFixed(2)} µs)`);

// All 45 tasks against AmazonConnect_FullAccess + the 20-statement custom policy.
const subject = [managedPolicy('AmazonConnect_FullAccess'), twenty];
const tasks = catalog.tasks.map((t) => [findPage(t.page).name, t.name]);
const compile = once(() => compilePrincipal(subject));
const fullPass = () => {
  let n = 0;
  for (const [page, task] of tasks) n += checkConsoleTask(subject, page, task, { context }).actions.length;
  return n;
};
const first = once(fullPass);
const freshPass = () => {
  forgetEvaluations(compilePrincipal(subject));
  return fullPass();
};
const readAll = () => {
  forgetEvaluations(compilePrincipal(subject));
  let n = 0;
  for (const [page, task] of tasks) for (const a of checkConsoleTask(subject, page, task, { context }).actions) n += a.result.reasons.length + a.result.closest.length;
  return n;
};
// Interleaved (the machine is shared): fresh pass (memo dropped first: the distinct checks are
// computed, the repeats are hits), repeated pass (every check a hit), fresh pass reading every reason.
const samples = { fresh: [], repeated: [], read: [] };
for (let round = 0; round < 5; round++) {
  samples.fresh.push(time('fresh', freshPass, { minMs: 200 }));
  samples.repeated.push(time('repeated', fullPass, { minMs: 200 }));
  samples.read.push(time('read', readAll, { minMs: 200 }));
}
const median = (list, f) => list.map(f).sort((a, b) => a - b)[Math.floor(list.length / 2)];
const pass = { perOpUs: median(samples.fresh, (r) => r.perOpUs), cpuPerOpUs: median(samples.fresh, (r) => r.cpuPerOpUs), n: samples.fresh.reduce((a, r) => a + r.n, 0) };
console.log(`\nAll ${tasks.length} console tasks (${first.value} action checks, own + prerequisites) against AmazonConnect_FullAccess + a 20-statement custom policy:`);
console.log(`  compile once:            ${compile.ms.toFixed(2)} ms`);
console.log(`  first full pass:         ${first.ms.toFixed(2)} ms (includes catalog and IAM data loading)`);
// The distinct questions of one pass (the rest are memo hits): the floor is ~1 µs per distinct decision.
const distinct = (() => {
  const seen = new Set();
  for (const [page, task] of tasks) for (const a of checkConsoleTask(subject, page, task, { context }).actions) seen.add(a.result);
  return seen.size;
})();
const floorMs = distinct * 0.001;
console.log(
  `  full pass after warm-up: ${(pass.perOpUs / 1000).toFixed(3)} ms wall, ${(pass.cpuPerOpUs / 1000).toFixed(3)} ms CPU per pass ` +
    `(target < 0.3 ms: ${(pass.cpuPerOpUs / 300).toFixed(1)}x the target in CPU, ${(pass.perOpUs / 300).toFixed(1)}x in wall; ` +
    `floor ${distinct} distinct decisions x 1 µs = ${floorMs.toFixed(3)} ms: ${(pass.cpuPerOpUs / 1000 / floorMs).toFixed(1)}x; medians of 5 interleaved rounds, memo dropped before each pass) over ${fmt(pass.n)} passes`,
);
const rep = { perOpUs: median(samples.repeated, (r) => r.perOpUs), cpuPerOpUs: median(samples.repeated, (r) => r.cpuPerOpUs) };
console.log(
  `  repeated pass (all hits): ${(rep.perOpUs / 1000).toFixed(3)} ms wall, ${(rep.cpuPerOpUs / 1000).toFixed(3)} ms CPU ` +
    `(${tasks.length} task memo hits: ${(rep.cpuPerOpUs / tasks.length).toFixed(2)} µs CPU per task, ${(rep.cpuPerOpUs / first.value).toFixed(3)} µs per action check)`,
);
console.log(`  fresh pass reading every reasons and closest: ${(median(samples.read, (r) => r.perOpUs) / 1000).toFixed(3)} ms wall, ${(median(samples.read, (r) => r.cpuPerOpUs) / 1000).toFixed(3)} ms CPU`);
console.log(`  (wall time includes waiting for the CPU when the machine is busy: load average ${require('node:os').loadavg()[0].toFixed(1)} on ${require('node:os').cpus().length} CPUs)`);

// 10,000 statements.
const big = {
  Version: '2012-10-17',
  Statement: Array.from({ length: 10000 }, (_, i) => ({
    Sid: `S${i}`,
    Effect: 'Allow',
    Action: [`connect:Describe${i}*`, `s3:Get${i}?`],
    Resource: `arn:aws:connect:*:*:instance/${i}/*`,
    Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
  })),
};
const bigCompile = once(() => compilePrincipal(big));
const bigEval = time('10k', () => evaluate(big, 'connect:ListInstances', { context }), { minMs: 500 });
const bigMiss = time('10k miss', () => evaluate(big, 'kms:CreateGrant', { context }), { minMs: 500 });
console.log('\n10,000-statement policy:');
console.log(`  compile once:  ${bigCompile.ms.toFixed(1)} ms`);
console.log(`  evaluate:      ${(bigEval.perOpUs / 1000).toFixed(3)} ms per decision (implicit deny, closest computed: ${(bigMiss.perOpUs / 1000).toFixed(3)} ms)`);

// 5,000-character wildcard pattern.
const pattern = '*a'.repeat(2500) + 'b';
const wild = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: `s3:${pattern}`, Resource: '*' },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${pattern}` },
  ],
};
const wildCompile = once(() => compilePrincipal(wild));
const w1 = time('wild action', () => evaluate(wild, `s3:${'a'.repeat(3000)}`), { minMs: 300 });
const w2 = time('wild resource', () => evaluate(wild, 's3:GetObject', { resource: `arn:aws:s3:::${'a'.repeat(4000)}` }), { minMs: 300 });
const w3 = time('wild resource vs types', () => evaluate(wild, 's3:GetObject'), { minMs: 300 });
console.log('\n5,000-character *a*a*...b pattern:');
console.log(`  compile once:                                  ${wildCompile.ms.toFixed(2)} ms`);
console.log(`  Action vs a 3,003-character action (no match): ${w1.perOpUs.toFixed(1)} µs`);
console.log(`  Resource vs a 4,013-character ARN (no match):  ${w2.perOpUs.toFixed(1)} µs`);
console.log(`  Resource vs the action's resource types:       ${w3.perOpUs.toFixed(1)} µs (cached after the first)`);
void evaluateCompiled;
