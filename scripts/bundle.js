#!/usr/bin/env node
// Build step: bundle the package's entry points with esbuild, so a Jest test file loads a few
// files instead of ~60 modules (Jest pays about 1 ms per module it registers, for every test file).
//
//   dist/bundle/core.js      every module of src/, matchers/ and presets/ (but the entries below),
//                            exposed by id: require('./core.js').m['src/rules/parse']
//   dist/bundle/index.js     `jest-connect-iam`          -> core's src/index
//   dist/bundle/matchers.js  `jest-connect-iam/matchers` -> matchers/index.ts (registers on expect)
//   dist/bundle/presets.js   `jest-connect-iam/presets`  -> presets/index.ts
//   dist/bundle/cli.js       the bin                      -> src/cli/main.ts
//   dist/bundle/rules-file.test.js  the test file `preset: 'jest-connect-iam'` runs
//
// There is one copy of each module: the entries refer to core for everything but their own file,
// so state (registerManagedPolicy, caches) is shared whichever entry a user imports. Modules that
// read data beside themselves (`__dirname`) get the directory tsc emits them to (dist/src/iam/...),
// where the build puts the data. The tsc output in dist/src stays (typings, and internal paths).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist', 'bundle');
const t0 = process.hrtime.bigint();

const ENTRIES = {
  matchers: 'matchers/index.ts',
  presets: 'presets/index.ts',
  cli: 'src/cli/main.ts',
  'rules-file.test': 'presets/rules-file.test.ts',
};
// Files that are not part of the core: entries that only register or run, and Jest-only files.
const NOT_CORE = new Set(['matchers/index.ts', 'src/cli/main.ts', 'presets/environment.ts', 'presets/rules-file.test.ts']);

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(rel, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}
const coreFiles = ['src', 'matchers', 'presets'].flatMap((d) => walk(d)).filter((f) => !NOT_CORE.has(f)).sort();
const idOf = (file) => file.replace(/\.ts$/, '');

// `__dirname` in a project module -> the directory tsc emits it to, relative to the bundle.
const dirnamePlugin = {
  name: 'dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const rel = path.relative(root, args.path).split(path.sep).join('/');
      let text = fs.readFileSync(args.path, 'utf8');
      if (text.includes('__dirname')) {
        const dir = path.posix.dirname(rel);
        text = text.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, '..', ${JSON.stringify(dir)})`);
      }
      return { contents: text, loader: 'ts', resolveDir: path.dirname(args.path) };
    });
  },
};

// In an entry bundle: every project module but the entry itself comes from core.
function coreRefPlugin(entry) {
  return {
    name: 'core-ref',
    setup(build) {
      build.onResolve({ filter: /^\.\/core\.js$/, namespace: 'core-ref' }, () => ({ path: './core.js', external: true }));
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        let resolved = path.resolve(args.resolveDir, args.path);
        if (!resolved.endsWith('.ts') && !resolved.endsWith('.json')) {
          if (fs.existsSync(`${resolved}.ts`)) resolved = `${resolved}.ts`;
          else if (fs.existsSync(path.join(resolved, 'index.ts'))) resolved = path.join(resolved, 'index.ts');
        }
        const rel = path.relative(root, resolved).split(path.sep).join('/');
        if (rel === entry || !coreFiles.includes(rel)) return undefined;
        return { path: idOf(rel), namespace: 'core-ref' };
      });
      build.onLoad({ filter: /.*/, namespace: 'core-ref' }, (args) => ({
        contents: `module.exports = require('./core.js').m[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
  legalComments: 'none',
  sourcemap: false,
};

async function main() {
  fs.rmSync(outDir, { recursive: true, force: true });
  // Getters, so a module runs on first use (as with require) and cycles resolve as they do in tsc's output.
  const lazyCore = coreFiles
    .map((f) => `  get ${JSON.stringify(idOf(f))}() { return require(${JSON.stringify(`./${f}`)}); },`)
    .join('\n');
  await esbuild.build({
    ...common,
    stdin: { contents: `exports.m = {\n${lazyCore}\n};\n`, resolveDir: root, sourcefile: 'core-entry.js', loader: 'js' },
    outfile: path.join(outDir, 'core.js'),
    plugins: [dirnamePlugin],
  });
  fs.writeFileSync(path.join(outDir, 'index.js'), "'use strict';\nmodule.exports = require('./core.js').m['src/index'];\n");
  for (const [name, entry] of Object.entries(ENTRIES)) {
    await esbuild.build({
      ...common,
      entryPoints: [path.join(root, entry)],
      outfile: path.join(outDir, `${name}.js`),
      plugins: [coreRefPlugin(entry), dirnamePlugin],
    });
  }
  fs.chmodSync(path.join(outDir, 'cli.js'), 0o755);
  const kb = (f) => Math.round(fs.statSync(path.join(outDir, f)).size / 1024);
  const ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
  console.log(
    `bundle: ${coreFiles.length} modules -> dist/bundle/core.js (${kb('core.js')} KB); entries index, matchers (${kb('matchers.js')} KB), presets (${kb('presets.js')} KB), cli (${kb('cli.js')} KB) (${ms} ms)`,
  );
}

main().catch((e) => {
  console.error(`bundle: ${e.message}`);
  process.exit(1);
});
