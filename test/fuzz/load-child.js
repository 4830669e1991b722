#!/usr/bin/env node
// Child process of the long fuzz pass (hostile.fuzz.ts): loads and evaluates every file in a
// directory with the BUILT package, printing one JSON line per file. A crash (signal, out of
// memory, stack overflow outside a try) or a hang shows up in the parent as an exit status or
// a timeout, which an in-process run could not survive to report.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const pkg = require(path.resolve(__dirname, '../../dist/src/index.js'));
const { JestConnectIamError, loadFile, loadTemplate, loadPolicyFile, evaluate, checkConsoleTask, checkReadOnly } = pkg;

const dir = process.argv[2];
for (const name of fs.readdirSync(dir).sort()) {
  const file = path.join(dir, name);
  const started = Date.now();
  const untyped = [];
  const guard = (what, fn) => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof JestConnectIamError)) untyped.push(`${what}: ${e && e.stack ? e.stack : String(e)}`);
      return undefined;
    }
  };
  const r = guard('loadFile (must not throw)', () => loadFile(file));
  if (r === undefined && untyped.length === 0) untyped.push('loadFile threw a typed error (it must report `error` instead)');
  guard('loadTemplate', () => loadTemplate(file));
  guard('loadPolicyFile', () => loadPolicyFile(file));
  if (r && r.error && !(r.error instanceof JestConnectIamError)) untyped.push(`loadFile error is untyped: ${r.error.stack}`);
  for (const p of (r && r.principals) || []) {
    guard('evaluate', () => evaluate(p, 'connect:DescribeInstance'));
    guard('evaluate with resource and context', () => evaluate(p, 's3:GetObject', { resource: 'arn:aws:s3:::b/k', context: { 'aws:username': 'u' } }));
    guard('checkConsoleTask', () => checkConsoleTask(p, 'Data storage', 'Edit call recording'));
    guard('checkReadOnly', () => checkReadOnly(p));
  }
  process.stdout.write(JSON.stringify({ file: name, ms: Date.now() - started, loaded: r ? (r.error ? 'error' : 'ok') : 'threw', untyped }) + '\n');
}
