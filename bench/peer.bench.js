#!/usr/bin/env node
// Decisions per second against @cloud-copilot/iam-simulate on the same queries (issue 10).
// iam-simulate is AGPL-3.0: it is never a dependency of this package and nothing of it is
// committed. To measure, install it in a scratch folder and point the bench at it:
//   mkdir /tmp/peer && cd /tmp/peer && npm init -y && npm install @cloud-copilot/iam-simulate
//   JCI_PEER_DIR=/tmp/peer npm run bench -- peer
// Without JCI_PEER_DIR this bench says so and measures only this package.
//
// Both engines answer the same request (action, resource, context) over the same identity
// policies; iam-simulate's runSimulation is awaited one request at a time (it is async), ours is
// evaluate() with the principal compiled once (its WeakMap cache), as a test would call it. Both
// must give the same decision on every query (checked before timing).
'use strict';
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist', 'bundle', 'index.js');
const { evaluate } = require(dist);
// The memo (issue 10): repeating a query is a memo hit. "uncached" drops the memo before each call,
// so it measures a decision computed from the compiled policies (iam-simulate has no memo). The
// bundle does not export forgetEvaluations: uncached runs the same code from dist/src.
const src = require(path.join(__dirname, '..', 'dist', 'src'));
const { forgetEvaluations } = require(path.join(__dirname, '..', 'dist', 'src', 'evaluator', 'evaluate.js'));
const { one, custom20, context } = require('./policies');

const ACCOUNT = '111122223333';
const QUERIES = [
  { label: '1 statement, allowed', policy: one, action: 'connect:DescribeInstance', resource: `arn:aws:connect:eu-west-1:${ACCOUNT}:instance/abc`, context, expect: 'allowed' },
  { label: '1 statement, implicit deny', policy: one, action: 'connect:DeleteInstance', resource: `arn:aws:connect:eu-west-1:${ACCOUNT}:instance/abc`, context, expect: 'implicitDeny' },
  { label: '20 statements, allowed', policy: custom20(), action: 'connect:DescribeQueue', resource: `arn:aws:connect:eu-west-1:${ACCOUNT}:instance/abc/queue/q1`, context, expect: 'allowed' },
  { label: '20 statements, explicit deny', policy: custom20(), action: 'connect:DeleteQueue', resource: `arn:aws:connect:eu-west-1:${ACCOUNT}:instance/abc/queue/q1`, context: { ...context, 'aws:PrincipalTag/role': 'agent' }, expect: 'explicitDeny' },
];

const PEER_DECISION = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' };

function ours(q) {
  return evaluate(q.policy, q.action, { resource: q.resource, context: q.context }).decision;
}

async function timeIt(fn, minMs = 400) {
  for (let i = 0; i < 50; i++) await fn();
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return (n * 1000) / elapsed;
}

async function main() {
  const peerDir = process.env.JCI_PEER_DIR;
  let peer;
  if (peerDir) {
    try {
      peer = require(require.resolve('@cloud-copilot/iam-simulate', { paths: [peerDir] }));
    } catch (e) {
      console.log(`JCI_PEER_DIR=${peerDir}: cannot load @cloud-copilot/iam-simulate there (${e.message})`);
    }
  } else {
    console.log('JCI_PEER_DIR is not set: iam-simulate is not measured (see the comment at the top of bench/peer.bench.js).');
  }
  const simulation = (q) => ({
    identityPolicies: [{ name: 'p', policy: q.policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: q.action,
      principal: `arn:aws:iam::${ACCOUNT}:role/bench`,
      resource: { accountId: ACCOUNT, resource: q.resource },
      contextVariables: q.context,
    },
  });
  console.log(`Decisions per second on the same queries (target: >= 300x iam-simulate; load average ${require('node:os').loadavg()[0].toFixed(1)} on ${require('node:os').cpus().length} CPUs):`);
  for (const q of QUERIES) {
    const mine = ours(q);
    if (mine !== q.expect) throw new Error(`${q.label}: ours says ${mine}, expected ${q.expect}`);
    const oursPerSecond = await timeIt(() => ours(q));
    const compiled = src.compilePrincipal(q.policy);
    const uncachedPerSecond = await timeIt(() => {
      forgetEvaluations(compiled);
      return src.evaluate(q.policy, q.action, { resource: q.resource, context: q.context }).decision;
    });
    let line = `  ${q.label} (${q.action}): ours ${Math.round(oursPerSecond).toLocaleString('en-US')}/s (memo dropped before each call: ${Math.round(uncachedPerSecond).toLocaleString('en-US')}/s)`;
    if (peer) {
      const sim = simulation(q);
      const r = await peer.runSimulation(sim, {});
      const raw = r?.result?.analysis?.result ?? r?.result?.overallResult;
      const theirs = PEER_DECISION[raw] ?? raw ?? JSON.stringify(r?.errors ?? r).slice(0, 200);
      if (theirs !== mine) line += ` [decisions differ: iam-simulate says ${theirs}]`;
      const peerPerSecond = await timeIt(() => peer.runSimulation(sim, {}));
      line += `; iam-simulate ${Math.round(peerPerSecond).toLocaleString('en-US')}/s; ratio ${(oursPerSecond / peerPerSecond).toFixed(0)}x (target >= 300x; uncached ${(uncachedPerSecond / peerPerSecond).toFixed(0)}x)`;
    }
    console.log(line);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
