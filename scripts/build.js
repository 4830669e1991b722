#!/usr/bin/env node
// Build: compile TypeScript to dist/, copy JSON data files, write the compact action index
// (scripts/build-action-index.js), the compact managed-policy bundle, and bundle the entry points
// with esbuild (scripts/bundle.js) (see scripts/build-managed-policies.js).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');
// tsc emits even when it reports type errors; the data steps below still run so dist/ is usable,
// and the build exits non-zero at the end.
let failed = false;
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
} catch {
  failed = true;
}

// Copy every data file (src/**/data/**) that tsc does not emit.
function copyData(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const from = path.join(dir, entry.name);
    if (entry.isDirectory()) copyData(from);
    else if (/\.(json|txt)$/.test(entry.name) && from.includes(`${path.sep}data${path.sep}`)) {
      const to = path.join(root, 'dist', path.relative(root, from));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
}
copyData(path.join(root, 'src'));

execFileSync(process.execPath, [path.join(__dirname, 'build-action-index.js')], { stdio: 'inherit', cwd: root });

const managed = path.join(__dirname, 'build-managed-policies.js');
if (fs.existsSync(managed)) execFileSync(process.execPath, [managed], { stdio: 'inherit', cwd: root });

execFileSync(process.execPath, [path.join(__dirname, 'bundle.js')], { stdio: 'inherit', cwd: root });

if (failed) {
  console.error('build: TypeScript reported errors (see above)');
  process.exit(1);
}
