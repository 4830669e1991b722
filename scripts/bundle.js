#!/usr/bin/env node
// Build step: bundle the package's entry points with esbuild, so a Jest test file loads a few
// files instead of ~160 modules (Jest pays about 1 ms per module it registers, and compiles every
// byte of a file it loads, for every test file: V8's code cache does not reach into Jest's vm).
//
//   dist/bundle/engine.js    the modules the matchers need (evaluator, catalog, IAM data, managed
//                            policies, analyses, verdicts, matchers/): what a test file loads
//   dist/bundle/core.js      every other module of src/, matchers/ and presets/ (loaders, yaml,
//                            rules, diff, scan, reports, CLI commands), loaded only when used
//                            Both expose their modules by id: require('./core.js').m['src/rules/parse']
//   dist/bundle/index.js     `jest-connect-iam`: one getter per export of src/index.ts, so
//                            `catalog` or `managedPolicy` loads only engine.js, `loadTemplate` core.js
//   dist/bundle/matchers.js  `jest-connect-iam/matchers` -> matchers/index.ts (registers on expect)
//   dist/bundle/presets.js   `jest-connect-iam/presets`  -> presets/index.ts
//   dist/bundle/cli.js       the bin                      -> src/cli/main.ts
//   dist/bundle/rules-file.test.js  the test file `preset: 'jest-connect-iam'` runs
//
// There is one copy of each module: an import of a module in the other chunk (and every project
// import of an entry) goes through that chunk's registry, so state (registerManagedPolicy, caches)
// is shared whichever entry a user imports. Modules that read data beside themselves
// (`__dirname`) get the directory tsc emits them to (dist/src/iam/...), where the build puts the
// data. The tsc output in dist/src stays (typings, and internal paths).
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
// Files that are not part of a chunk: entries that only register or run, and Jest-only files.
const NOT_CORE = new Set(['matchers/index.ts', 'src/cli/main.ts', 'presets/environment.ts', 'presets/rules-file.test.ts']);
// engine.js holds everything these files import: the matchers entry, and the parts of
// src/index.ts a test file uses beside them (catalog, IAM data, managed policies, policy helpers).
const ENGINE_ROOTS = [
  'matchers/index.ts',
  'src/errors.ts',
  'src/policy/types.ts',
  'src/policy/symbolic.ts',
  'src/evaluator/types.ts',
  'src/catalog/types.ts',
  'src/iam/types.ts',
  'src/managed/types.ts',
  'src/iam/index.ts',
  'src/catalog/index.ts',
  'src/managed/index.ts',
  'src/policy/index.ts',
  'src/evaluator/index.ts',
  'src/analysis/index.ts',
  'src/verdict/index.ts',
];

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
const relOf = (abs) => path.relative(root, abs).split(path.sep).join('/');

// `__dirname` in a project module -> the directory tsc emits it to, relative to the bundle.
const dirnamePlugin = {
  name: 'dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const rel = relOf(args.path);
      let text = fs.readFileSync(args.path, 'utf8');
      if (text.includes('__dirname')) {
        const dir = path.posix.dirname(rel);
        text = text.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, '..', ${JSON.stringify(dir)})`);
      }
      return { contents: text, loader: 'ts', resolveDir: path.dirname(args.path) };
    });
    // Data imported as JSON (the catalog, SAM templates, the rules schema): a string for
    // JSON.parse, which V8 scans in one pass, instead of an object literal it parses twice
    // (once lazily when the file is compiled, again when the module runs).
    build.onLoad({ filter: /\.json$/ }, (args) => {
      let text = JSON.stringify(JSON.parse(fs.readFileSync(args.path, 'utf8')));
      if (relOf(args.path) === 'src/catalog/data/connect-console.json') text = checkedCatalog(text);
      return { contents: `module.exports = JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};

/**
 * The console catalog as loadCatalog returns it, checked here once (src/catalog/load.ts,
 * CHECKED_MARK): loading it from the bundle gives a catalog equal to checking the JSON, which is
 * verified before it is written.
 */
function checkedCatalog(rawText) {
  const load = require(path.join(root, 'dist/src/catalog/load.js'));
  const checked = load.loadCatalog(JSON.parse(rawText));
  const text = load.checkedForm(checked);
  const again = load.loadCatalog(JSON.parse(text));
  const same = (a, b) => {
    if (typeof a !== 'object' || a === null) return a === b;
    if (typeof b !== 'object' || b === null || Array.isArray(a) !== Array.isArray(b) || Object.isFrozen(a) !== Object.isFrozen(b)) return false;
    const ka = Object.keys(a);
    return ka.join('\0') === Object.keys(b).join('\0') && ka.every((k) => same(a[k], b[k]));
  };
  const shared = (c) => c.tasks.every((t, i) => t === c.pages.flatMap((p) => p.tasks)[i]) && c.sections.every((s, i) => s === c.pages.flatMap((p) => p.sections)[i]);
  if (!same(checked, again) || !shared(again)) throw new Error('the checked catalog does not load back to the same catalog');
  return text;
}

function resolveProjectFile(resolveDir, spec) {
  let resolved = path.resolve(resolveDir, spec);
  if (!resolved.endsWith('.ts') && !resolved.endsWith('.json')) {
    if (fs.existsSync(`${resolved}.ts`)) resolved = `${resolved}.ts`;
    else if (fs.existsSync(path.join(resolved, 'index.ts'))) resolved = path.join(resolved, 'index.ts');
  }
  return relOf(resolved);
}

/**
 * A project import that the file being built does not hold itself -> the chunk registry that
 * does (`keep(rel)` says which files the build holds).
 */
function chunkRefPlugin(keep, chunkOf) {
  return {
    name: 'chunk-ref',
    setup(build) {
      build.onResolve({ filter: /^\.\/(engine|core)\.js$/, namespace: 'chunk-ref' }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.namespace === 'chunk-ref') return undefined;
        const rel = resolveProjectFile(args.resolveDir, args.path);
        if (keep(rel) || !coreFiles.includes(rel)) return undefined;
        return { path: idOf(rel), namespace: 'chunk-ref' };
      });
      build.onLoad({ filter: /.*/, namespace: 'chunk-ref' }, (args) => ({
        contents: `module.exports = require('./${chunkOf(`${args.path}.ts`)}.js').m[${JSON.stringify(args.path)}];`,
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

/** Every project file the roots import, transitively (type-only imports are erased by esbuild). */
async function closureOf(roots) {
  const r = await esbuild.build({
    ...common,
    write: false,
    metafile: true,
    stdin: { contents: roots.map((f) => `require(${JSON.stringify(`./${f}`)});`).join('\n'), resolveDir: root, sourcefile: 'closure.js', loader: 'js' },
    outfile: path.join(outDir, 'closure.js'),
  });
  return new Set(Object.keys(r.metafile.inputs).map((f) => relOf(path.resolve(root, f))).filter((f) => coreFiles.includes(f)));
}

/**
 * index.js: for each export of src/index.ts (sorted, the order esbuild gave the single-file bundle), a getter
 * into the module that defines it, so a test file that reads `catalog` never loads the loaders.
 */
function writeLazyIndex(chunkOf) {
  const indexText = fs.readFileSync(path.join(root, 'src/index.ts'), 'utf8');
  const sources = [...new Set([...indexText.matchAll(/from '(\.[^']+)'/g)].map((m) => idOf(resolveProjectFile(path.join(root, 'src'), m[1]))))];
  const reg = (id) => require(path.join(outDir, `${chunkOf(`${id}.ts`)}.js`)).m[id];
  const eager = reg('src/index');
  const namespaces = new Map([...indexText.matchAll(/export \* as (\w+) from '(\.[^']+)'/g)].map((m) => [m[1], idOf(resolveProjectFile(path.join(root, 'src'), m[2]))]));
  const lines = [];
  for (const key of Object.keys(eager).sort()) {
    const value = eager[key];
    const ns = namespaces.get(key);
    if (ns) {
      lines.push(`namespace(${JSON.stringify(key)}, ${JSON.stringify(chunkOf(`${ns}.ts`))}, ${JSON.stringify(ns)});`);
      continue;
    }
    const from = sources.find((id) => {
      const mod = reg(id);
      return Object.prototype.hasOwnProperty.call(mod, key) && mod[key] === value;
    });
    if (!from) throw new Error(`src/index.ts exports '${key}' but no module it re-exports from defines it`);
    lines.push(`value(${JSON.stringify(key)}, ${JSON.stringify(chunkOf(`${from}.ts`))}, ${JSON.stringify(from)});`);
  }
  const text = `'use strict';
// Generated by scripts/bundle.js: the exports of src/index.ts, each loaded on first use.
const chunks = { engine: () => require('./engine.js').m, core: () => require('./core.js').m };
Object.defineProperty(exports, '__esModule', { value: true });
function value(name, chunk, id) {
  Object.defineProperty(exports, name, { enumerable: true, get: () => chunks[chunk]()[id][name] });
}
function namespace(name, chunk, id) {
  let ns;
  Object.defineProperty(exports, name, { enumerable: true, get: () => (ns ??= chunks[chunk]()[id]) });
}
${lines.join('\n')}
`;
  fs.writeFileSync(path.join(outDir, 'index.js'), text);
  // The lazy index must give what the eager module gives: the same names in the same order, the
  // same values (one copy of each module), and namespaces with the same members.
  const lazy = require(path.join(outDir, 'index.js'));
  const a = Object.keys(eager).sort().join(',');
  const b = Object.keys(lazy).join(',');
  if (a !== b) throw new Error('dist/bundle/index.js does not list the exports of src/index.ts in order');
  for (const key of Object.keys(eager)) {
    if (namespaces.has(key)) {
      if (Object.keys(eager[key]).join(',') !== Object.keys(lazy[key]).join(',') || Object.keys(eager[key]).some((k) => eager[key][k] !== lazy[key][k])) {
        throw new Error(`dist/bundle/index.js: namespace '${key}' differs from src/index.ts's`);
      }
    } else if (eager[key] !== lazy[key]) throw new Error(`dist/bundle/index.js: '${key}' differs from src/index.ts's`);
  }
  return lines.length;
}

async function main() {
  fs.rmSync(outDir, { recursive: true, force: true });
  const engineFiles = await closureOf(ENGINE_ROOTS);
  const chunkOf = (file) => (engineFiles.has(file) ? 'engine' : 'core');
  for (const chunk of ['engine', 'core']) {
    const files = coreFiles.filter((f) => chunkOf(f) === chunk);
    // Getters, so a module runs on first use (as with require) and cycles resolve as they do in tsc's output.
    const lazy = files.map((f) => `  get ${JSON.stringify(idOf(f))}() { return require(${JSON.stringify(`./${f}`)}); },`).join('\n');
    await esbuild.build({
      ...common,
      stdin: { contents: `exports.m = {\n${lazy}\n};\n`, resolveDir: root, sourcefile: `${chunk}-entry.js`, loader: 'js' },
      outfile: path.join(outDir, `${chunk}.js`),
      plugins: [chunkRefPlugin((rel) => chunkOf(rel) === chunk, chunkOf), dirnamePlugin],
    });
  }
  for (const [name, entry] of Object.entries(ENTRIES)) {
    await esbuild.build({
      ...common,
      entryPoints: [path.join(root, entry)],
      outfile: path.join(outDir, `${name}.js`),
      plugins: [chunkRefPlugin((rel) => rel === entry, chunkOf), dirnamePlugin],
    });
  }
  fs.chmodSync(path.join(outDir, 'cli.js'), 0o755);
  const exportsCount = writeLazyIndex(chunkOf);
  const kb = (f) => Math.round(fs.statSync(path.join(outDir, f)).size / 1024);
  const ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
  console.log(
    `bundle: ${coreFiles.length} modules -> dist/bundle/engine.js (${engineFiles.size} modules, ${kb('engine.js')} KB) + core.js (${coreFiles.length - engineFiles.size} modules, ${kb('core.js')} KB); ` +
      `entries index (${exportsCount} lazy exports), matchers (${kb('matchers.js')} KB), presets (${kb('presets.js')} KB), cli (${kb('cli.js')} KB) (${ms} ms)`,
  );
}

main().catch((e) => {
  console.error(`bundle: ${e.message}`);
  process.exit(1);
});
