#!/usr/bin/env node
// Hardening figures (issue 6), against dist/. Run with `npm run bench` (or `node bench/run.js hardening`).
// Printed, not asserted. bench/evaluator.bench.js already prints single decisions on a 10,000-statement
// policy and on a 5,000-character pattern; this file measures what sits around them: the whole-action-list
// analyses and console pages at that size, the pattern as a condition value and as a name a user types,
// the loaders on hostile files (time to load or to refuse), and the CLI on a repo holding such a file.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const root = path.join(__dirname, '..');
const pkg = require(path.join(root, 'dist', 'src'));
const { renderReadOnlyEvidence } = require(path.join(root, 'dist', 'src', 'report', 'evidence'));
const { evaluate, checkReadOnly, checkStayWithin, checkConsolePage, checkConsoleTask, catalog, managedPolicy, assertKnownAction, loadFile, loadPolicyFile } = pkg;

const ms = (fn) => {
  const t = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
};
const f1 = (n) => n.toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const repeat = (n, fn) => median(Array.from({ length: n }, () => ms(fn).ms));
const heapMb = () => {
  if (global.gc) global.gc();
  return process.memoryUsage().heapUsed / 1e6;
};

const PATTERN = '*a'.repeat(2500) + 'b';
const region = { context: { 'aws:RequestedRegion': 'eu-west-1' } };
const readOnly10k = {
  Version: '2012-10-17',
  Statement: Array.from({ length: 10000 }, (_, i) => ({
    Effect: 'Allow',
    Action: [['connect:Describe*', 'connect:List*', 'ds:DescribeDirectories'][i % 3]],
    Resource: i % 2 ? `arn:aws:connect:*:*:instance/${i}/*` : '*',
    ...(i % 5 ? { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } } : {}),
  })),
};
const baseline = managedPolicy('AmazonConnectReadOnlyAccess');
ms(() => checkReadOnly({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' }] })); // load the IAM data first

console.log('10,000 statements of read actions (wildcards, narrow resources, conditions), first call = compile + run:');
const ro = ms(() => checkReadOnly(readOnly10k));
console.log(`  checkReadOnly:                    ${f1(ro.ms)} ms (pass ${ro.value.pass}; ${ro.value.evaluated} non-read candidates evaluated)`);
const sw = ms(() => checkStayWithin(readOnly10k, baseline));
console.log(`  checkStayWithin(ReadOnlyAccess):  ${f1(sw.ms)} ms (pass ${sw.value.pass}; ${sw.value.evaluated} candidates evaluated)`);
console.log(`  checkConsolePage('Data storage'): ${f1(repeat(3, () => checkConsolePage(readOnly10k, 'Data storage', region)))} ms (median of 3)`);
const tasks = catalog.pages.flatMap((p) => (p.tasks || []).map((t) => [p.name, t.id]));
console.log(`  all ${tasks.length} console tasks:             ${f1(repeat(3, () => tasks.forEach(([p, t]) => checkConsoleTask(readOnly10k, p, t, region))))} ms (median of 3)`);

console.log('\nNotAction statements, each allowing almost every action (checkReadOnly keeps one evaluation per offending action):');
for (const n of [10, 20, 40, 300]) {
  const doc = { Version: '2012-10-17', Statement: Array.from({ length: n }, (_, i) => ({ Effect: 'Allow', NotAction: [`connect:Update${i}*`], Resource: '*' })) };
  const before = heapMb();
  const r = ms(() => checkReadOnly(doc));
  const after = heapMb();
  const message = ms(() => renderReadOnlyEvidence(r.value).length);
  const json = ms(() => JSON.stringify(r.value).length);
  const forced = heapMb();
  console.log(
    `  ${String(n).padStart(3)} statements: ${f1(r.ms).padStart(7)} ms, ${r.value.offending.length} offending actions, result holds ~${f1(after - before)} MB; ` +
      `+ message ${f1(message.ms)} ms; + JSON (every evidence built) ${f1(json.ms)} ms (${f1(json.value / 1e6)} MB of text), then holds ~${f1(forced - before)} MB; RSS ${f1(process.memoryUsage().rss / 1e6)} MB`,
  );
  r.value = undefined;
}

console.log('\nThe 5,000-character *a*a*...b pattern:');
const cond = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:Describe*', Resource: '*', Condition: { StringLike: { 'aws:userid': [PATTERN, PATTERN] } } }] };
evaluate(cond, 'connect:DescribeInstance');
console.log(`  StringLike value vs a 5,000-character context value (no match): ${f1(repeat(21, () => evaluate(cond, 'connect:DescribeInstance', { context: { 'aws:userid': 'a'.repeat(5000) } })) * 1000)} µs (median of 21)`);
console.log(`  StringLike value vs a matching 5,001-character value:           ${f1(repeat(21, () => evaluate(cond, 'connect:DescribeInstance', { context: { 'aws:userid': 'a'.repeat(5000) + 'b' } })) * 1000)} µs`);
for (const [label, name] of [['with a service prefix', `connect:${PATTERN}x`], ['without one', `${PATTERN}q`]]) {
  const unknownName = ms(() => {
    try {
      assertKnownAction(name);
    } catch (e) {
      return e.name;
    }
    return 'no error';
  });
  console.log(`  as an action name a user passes, ${label} (assertKnownAction -> ${unknownName.value} with suggestions): ${f1(unknownName.ms)} ms`);
}

console.log('\nLoaders on hostile files (time to load, or to refuse with a typed error):');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-hardening-bench-'));
const write = (name, text) => {
  fs.writeFileSync(path.join(tmp, name), text);
  return path.join(tmp, name);
};
const statement = { Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' };
const files = {
  '10,000-statement JSON policy (load)': write('big.json', JSON.stringify(readOnly10k)),
  '10,000-statement policy as YAML (load)': write('big.yaml', JSON.stringify(readOnly10k, null, 1)),
  '10,001 statements (refused: maxStatements)': write('many.json', JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 10001 }, () => statement) })),
  '11 MB file (refused: maxFileBytes)': write('huge.json', JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) + ' '.repeat(11 * 1024 * 1024)),
  '9.9 MB policy file of whitespace (load)': write('nearly.json', JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) + ' '.repeat(Math.floor(9.9 * 1024 * 1024))),
  'YAML alias bomb, 10^10 copies (refused: maxAliasCount)': write('bomb.yaml', 'x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n' + Array.from({ length: 9 }, (_, i) => `x${i + 1}: &x${i + 1} [${Array(10).fill(`*x${i}`).join(', ')}]\n`).join('')),
  '10,000-deep nesting (refused: maxDepth)': write('deep.json', '['.repeat(10000) + ']'.repeat(10000)),
  '2 MB single string value (load or refuse)': write('str.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ ...statement, Sid: 'x'.repeat(2 * 1024 * 1024) }] })),
};
for (const [label, file] of Object.entries(files)) {
  const r = ms(() => loadFile(file));
  console.log(`  ${label.padEnd(56)} ${f1(r.ms).padStart(8)} ms  ${r.value.error ? `error: ${r.value.error.problem.slice(0, 70)}` : `${r.value.principals.length} principal(s)`}`);
}
const loaded = loadPolicyFile(files['10,000-statement JSON policy (load)']);
console.log(`  then checkReadOnly on the loaded 10,000-statement principal: ${f1(ms(() => checkReadOnly(loaded)).ms)} ms`);

console.log('\nCLI (cold process) on a repo holding the 10,000-statement policy, rules readOnly + notAllowActions:');
const repo = path.join(tmp, 'repo');
fs.mkdirSync(repo);
fs.copyFileSync(files['10,000-statement JSON policy (load)'], path.join(repo, 'big.json'));
fs.writeFileSync(path.join(repo, 'jest-connect-iam.rules.yaml'), 'version: 1\nrules:\n  - name: ro\n    expect: { readOnly: true, notAllowActions: [connect:Delete*] }\n');
const cliRun = ms(() => spawnSync(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'main.js'), 'check', '--cwd', repo, '--quiet'], { encoding: 'utf8' }));
console.log(`  jest-connect-iam check: ${f1(cliRun.ms)} ms wall, exit ${cliRun.value.status}`);
console.log(`  (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
fs.rmSync(tmp, { recursive: true, force: true });
