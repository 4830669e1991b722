#!/usr/bin/env node
// `jest-connect-iam diff` between two git refs of a generated repo (10,000 files: policy files and
// templates) where one file changed, against one `check` of the same repo, each in a cold process.
// Target: diff < 2x check. Why it holds: each side is planned with the scan and every file hashed
// (SHA-256 of its content); files whose hash is equal at both sides are neither loaded nor
// evaluated (the evaluation inputs are the same for both sides of one run), so diff loads 2 files
// and evaluates 1 pair, while check loads and evaluates all 10,000. What diff pays on top is
// writing both refs' trees to temporary directories (git read-tree + checkout-index) and hashing.
// Figures are printed, not asserted.
'use strict';
const { spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, require(path.join(ROOT, 'package.json')).bin['jest-connect-iam']);
const SIZE = Number(process.env.DIFF_BENCH_SIZE || 10000);
const RUNS = Number(process.env.DIFF_BENCH_RUNS || 2);

function policy(i, extra) {
  const statements = [
    { Sid: 'Read', Effect: 'Allow', Action: ['connect:Describe*', 'connect:List*', 'ds:DescribeDirectories'].slice(0, 2 + (i % 2)), Resource: '*' },
    { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::bucket-${i}/*`] },
  ];
  if (extra) statements.push({ Sid: 'Telephony', Effect: 'Allow', Action: 'connect:UpdateInstanceAttribute', Resource: '*' });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

function template(i) {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role${i}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: connect-${i}
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/AmazonConnectReadOnlyAccess
      Policies:
        - PolicyName: extras-${i}
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Effect: Allow
                Action: [connect:DescribeContactFlow, connect:ListContactFlows]
                Resource: 'arn:aws:connect:eu-west-2:111122223333:instance/*'
`;
}

const RULES = `rules:
  - name: nobody-deletes-instances
    expect: { notAllowActions: [connect:DeleteInstance] }
`;

function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' } });
}

function generate(dir) {
  for (let i = 0; i < SIZE; i++) {
    const sub = path.join(dir, `team-${i % 50}`);
    if (i < 50) fs.mkdirSync(sub, { recursive: true });
    if (i % 2 === 0) fs.writeFileSync(path.join(sub, `policy-${i}.json`), policy(i, false));
    else fs.writeFileSync(path.join(sub, `stack-${i}.yaml`), template(i));
  }
  fs.writeFileSync(path.join(dir, 'jest-connect-iam.rules.yaml'), RULES);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  fs.writeFileSync(path.join(dir, 'team-0', 'policy-0.json'), policy(0, true)); // the one changed file
  git(dir, 'commit', '-q', '-am', 'head: one policy gains a task');
}

function cold(args, cwd) {
  // The shipped bin in a fresh process; the report goes to a file so stdout size does not matter.
  const out = path.join(cwd, '..', `out-${process.hrtime.bigint()}.txt`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args, '--output', out], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status === null || r.status > 1) throw new Error(`bench child failed (status ${r.status}): ${r.stderr.slice(-2000)}`);
  const text = fs.readFileSync(out, 'utf8');
  fs.rmSync(out);
  return { wall, code: r.status, out: text };
}

function best(runs) {
  return runs.reduce((a, b) => (b.wall < a.wall ? b : a));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-diff-bench-'));
try {
  const repo = path.join(tmp, 'repo');
  fs.mkdirSync(repo);
  const g0 = Date.now();
  generate(repo);
  console.log(`generated ${SIZE} files, two commits (one file changed) in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
  const check = [];
  const diffRefs = [];
  const diffWork = [];
  for (let i = 0; i < RUNS; i++) {
    check.push(cold(['check', '--quiet'], repo));
    diffRefs.push(cold(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--quiet', '--format', 'json'], repo));
    diffWork.push(cold(['diff', '--base', 'HEAD~1', '--quiet', '--format', 'json'], repo));
  }
  const c = best(check);
  const d = best(diffRefs);
  if (c.code !== 0) throw new Error(`check exit code ${c.code}, expected 0 (every generated principal keeps the rule)`);
  const report = JSON.parse(d.out);
  const s = report.stats;
  console.log(`check (cold process, ${SIZE} files):            ${(c.wall / 1000).toFixed(2)} s (best of ${RUNS}: ${check.map((x) => (x.wall / 1000).toFixed(2)).join(', ')})`);
  console.log(`diff --base HEAD~1 --head HEAD (cold process): ${(d.wall / 1000).toFixed(2)} s (best of ${RUNS}: ${diffRefs.map((x) => (x.wall / 1000).toFixed(2)).join(', ')}), exit ${d.code}`);
  console.log(`  files: ${s.files.base} / ${s.files.head}, ${s.files.unchanged} unchanged, ${s.files.changed} changed; ${s.loaded} loaded; ${s.principals.compared} pair evaluated`);
  console.log(`  verdict: ${report.summaryLine}`);
  const w = best(diffWork);
  console.log(`diff --base HEAD~1 (head: the work tree, as in the action): ${(w.wall / 1000).toFixed(2)} s (best of ${RUNS}: ${diffWork.map((x) => (x.wall / 1000).toFixed(2)).join(', ')}), ${(w.wall / c.wall).toFixed(2)}x check`);
  console.log(`  where diff spends its time: writing the refs' trees to temporary directories (git checkout-index, one per ref; ${SIZE} files each),`);
  console.log('  planning both sides and hashing every file; loading and evaluating is 2 files and 1 pair');
  const ratio = d.wall / c.wall;
  console.log(`diff / check: ${ratio.toFixed(2)}x (target < 2x: ${ratio < 2 ? 'met' : 'NOT met'})`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
