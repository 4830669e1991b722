#!/usr/bin/env node
// The reference evaluator beside the fast one (issue 2, "the same figures for the reference
// evaluator, as a ratio"), against dist/. Printed, not asserted: speed varies by machine.
// The reference is deliberately simple (no compilation, no caching), so it is expected to be
// much slower; the ratio says by how much.
'use strict';
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist', 'src');
const { evaluate, catalog, managedPolicy, taskRequirements } = require(dist);
const { referenceEvaluate } = require(path.join(dist, 'evaluator', 'reference', 'index.js'));

function time(fn, minMs) {
  for (let i = 0; i < 20; i++) fn(); // warm up
  let n = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  }
  return { n, perOpUs: (elapsed * 1000) / n, perSecond: (n * 1000) / elapsed };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

// The documents shared with the other evaluator bench.
const { one, custom20, context } = require('./policies');
const twenty = custom20();

// Every action check of the 45 console tasks (own + prerequisites), with its resource and context.
const subject = [managedPolicy('AmazonConnect_FullAccess'), twenty];
const checks = catalog.tasks.flatMap((task) => {
  const { own, prerequisites } = taskRequirements(task, { prerequisites: true });
  return [...own, ...prerequisites].map((a) => ({ action: a.action, options: { resource: a.resource, context: { ...context, ...(a.context ?? {}) } } }));
});
const pass = (run) => () => {
  let allowed = 0;
  for (const c of checks) if (run(subject, c.action, c.options).decision === 'allowed') allowed++;
  return allowed;
};

// The two evaluators must give the same decisions on this pass before we time them.
const fastAllowed = pass(evaluate)();
const referenceAllowed = pass(referenceEvaluate)();
let differing = 0;
for (const c of checks) if (evaluate(subject, c.action, c.options).decision !== referenceEvaluate(subject, c.action, c.options).decision) differing++;

const rows = [
  ['1 statement, allowed (connect:DescribeInstance)', (run) => () => run(one, 'connect:DescribeInstance', { context }), 300],
  ['1 statement, implicit deny (s3:GetObject)', (run) => () => run(one, 's3:GetObject', { context }), 300],
  ['20 statements, allowed (connect:DescribeInstance)', (run) => () => run(twenty, 'connect:DescribeInstance', { context }), 300],
  ['20 statements, implicit deny (kms:Decrypt)', (run) => () => run(twenty, 'kms:Decrypt', { context }), 300],
  ['20 statements, conditional (no context)', (run) => () => run(twenty, 'connect:DescribeInstance'), 300],
  [`45-task pass (${checks.length} checks), FullAccess + 20 statements`, (run) => pass(run), 1500],
];

console.log('Reference evaluator vs fast evaluator (decisions per second; for the 45-task pass, passes per second):');
console.log(`  ${'figure'.padEnd(62)} ${'fast'.padStart(12)} ${'reference'.padStart(12)} ${'fast/ref'.padStart(9)}`);
for (const [label, make, minMs] of rows) {
  const f = time(make(evaluate), minMs);
  const r = time(make(referenceEvaluate), minMs);
  console.log(`  ${label.padEnd(62)} ${fmt(f.perSecond).padStart(12)} ${fmt(r.perSecond).padStart(12)} ${(f.perSecond / r.perSecond).toFixed(1).padStart(8)}x`);
  if (label.startsWith('45-task')) {
    console.log(`  ${''.padEnd(62)} ${(f.perOpUs / 1000).toFixed(3).padStart(9)} ms ${(r.perOpUs / 1000).toFixed(3).padStart(9)} ms  per pass`);
  }
}
console.log(`\n45-task pass: ${checks.length} action checks, allowed by fast ${fastAllowed}, by reference ${referenceAllowed}; decisions differing: ${differing}.`);
