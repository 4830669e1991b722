/**
 * What a test file loads (issue 10): the shipped bundle (dist/bundle, scripts/bundle.js) splits
 * the package into engine.js (what the matchers need) and core.js (loaders, yaml, rules, diff,
 * CLI), and `jest-connect-iam` loads each export on first use. These tests check that the split
 * changes nothing a user sees (same exports, same values, one copy of each module) and that the
 * parts are really loaded lazily; and that the data read on demand (IAM actions one at a time,
 * managed policies one at a time, the checked catalog) gives exactly what reading it whole gave.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { getService } from '../../src/iam';
import { decodeService } from '../../src/iam/action-index';
import { serviceLine } from '../../src/iam/data';
import { readBundle } from '../../src/managed/bundle';
import { catalog } from '../../src/catalog';
import { checkedForm, loadCatalog } from '../../src/catalog/load';

const ROOT = path.resolve(__dirname, '../..');
const BUNDLE = path.join(ROOT, 'dist', 'bundle');
const MANAGED = path.join(ROOT, 'dist', 'src', 'managed', 'data', 'managed-policies.json');
// Skipped only when dist/ was not built (npm test builds first).
const describeBuilt = fs.existsSync(path.join(BUNDLE, 'engine.js')) && fs.existsSync(MANAGED) ? describe : describe.skip;

/** Run a script in a fresh node process (no Jest registry) and return what it printed as JSON. */
function inNode(script: string): unknown {
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

describeBuilt('the bundle: jest-connect-iam loads each export on first use', () => {
  test('the same exports as the unbundled package, listed sorted as before the split', () => {
    const out = inNode(`
      const lazy = require('./dist/bundle/index.js');
      const tsc = require('./dist/src/index.js');
      // (function names are esbuild's, e.g. loadTemplate2 where two modules have a loadTemplate: as before the split)
      const kinds = (m) => Object.keys(m).map((k) => k + ':' + typeof m[k]);
      console.log(JSON.stringify({ sorted: Object.keys(lazy).join() === Object.keys(lazy).sort().join(), lazy: kinds(lazy).sort(), tsc: kinds(tsc).sort(), esModule: lazy.__esModule, rules: Object.keys(lazy.rules).sort(), tscRules: Object.keys(tsc.rules).sort(), sameRules: lazy.rules === lazy.rules }));
    `) as Record<string, unknown>;
    expect(out.lazy).toEqual(out.tsc);
    // esbuild lists a module's exports sorted; the single-file bundle before the split did too.
    expect(out.sorted).toBe(true);
    expect(out.rules).toEqual(out.tscRules);
    expect(out.esModule).toBe(true);
    expect(out.sameRules).toBe(true);
  });

  test('the matchers and the engine exports load engine.js only; a loader loads core.js; one copy of each module', () => {
    const out = inNode(`
      globalThis.expect = { extend() {} };
      const loaded = () => Object.keys(require.cache).filter((f) => f.includes('/dist/bundle/')).map((f) => f.split('/').pop()).sort();
      require('./dist/bundle/matchers.js');
      const api = require('./dist/bundle/index.js');
      const tasks = api.catalog.tasks.length;
      const policy = api.managedPolicy('AmazonConnect_FullAccess').name;
      api.toPrincipal({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:*', Resource: '*' }] });
      const first = loaded();
      const loader = typeof api.loadTemplate;
      const after = loaded();
      const presets = require('./dist/bundle/presets.js');
      const core = require('./dist/bundle/core.js').m;
      const engine = require('./dist/bundle/engine.js').m;
      const shared = core['src/rules/run'] !== undefined && engine['src/managed/index'].managedPolicy === api.managedPolicy && engine['src/catalog/index'].catalog === api.catalog;
      console.log(JSON.stringify({ tasks, policy, first, loader, after, presets: typeof presets.fromRules, shared }));
    `) as Record<string, unknown>;
    expect(out.tasks).toBeGreaterThan(40);
    expect(out.policy).toBe('AmazonConnect_FullAccess');
    expect(out.first).toEqual(['engine.js', 'index.js', 'matchers.js']);
    expect(out.loader).toBe('function');
    expect(out.after).toEqual(['core.js', 'engine.js', 'index.js', 'matchers.js']);
    expect(out.presets).toBe('function');
    expect(out.shared).toBe(true);
  });

  test('the catalog from the bundle (checked at build) equals the catalog checked at load', () => {
    const out = inNode(`console.log(JSON.stringify(require('./dist/bundle/index.js').catalog));`);
    expect(out).toEqual(JSON.parse(JSON.stringify(catalog)));
  });
});

describe('the catalog as the bundle ships it (checked once, at build)', () => {
  test('loads back to the same deeply frozen catalog, tasks and sections being the pages\' own objects', () => {
    const again = loadCatalog(JSON.parse(checkedForm(catalog)));
    expect(again).toEqual(catalog);
    expect(Object.keys(again)).toEqual(Object.keys(catalog));
    expect(Object.isFrozen(again) && Object.isFrozen(again.tasks[0]) && Object.isFrozen(again.tasks[0]!.actions)).toBe(true);
    expect(again.tasks).toEqual(again.pages.flatMap((p) => p.tasks));
    again.tasks.forEach((t, i) => expect(t).toBe(again.pages.flatMap((p) => p.tasks)[i]));
    again.sections.forEach((s, i) => expect(s).toBe(again.pages.flatMap((p) => p.sections)[i]));
  });

  test('the raw JSON is still checked: a bad catalog fails loudly', () => {
    expect(() => loadCatalog({ schemaVersion: 2 })).toThrow(/schemaVersion: expected 1/);
  });
});

describe("a service's actions are built on first use and give what building them all gave", () => {
  test('get before iteration hands out the objects iteration gives, in the data\'s order', () => {
    const ec2 = getService('ec2')!;
    const one = ec2.actions.get('describeinstances');
    expect(one?.name).toBe('ec2:DescribeInstances');
    expect(ec2.actions.has('describeinstances')).toBe(true);
    expect(ec2.actions.has('describeinstance')).toBe(false);
    expect(ec2.actions.get('describeinstance')).toBeUndefined();
    const decoded = decodeService(serviceLine('ec2')!);
    expect(ec2.actions.size).toBe(new Set(decoded.actions.map((a) => a.name.toLowerCase())).size);
    const keys = [...ec2.actions.keys()];
    expect(keys).toEqual([...new Set(decoded.actions.map((a) => a.name.toLowerCase()))]);
    expect(ec2.actions.get('describeinstances')).toBe(one);
    expect([...ec2.actions.values()].find((a) => a.name === 'ec2:DescribeInstances')).toBe(one);
    expect(Object.isFrozen(one) && Object.isFrozen(one!.accessLevels) && Object.isFrozen(one!.resourceTypes)).toBe(true);
    expect(ec2.actions).toBeInstanceOf(Map);
  });

  test('inspecting the map shows every action, as a plain Map', () => {
    const s3 = getService('s3')!;
    const text = util.inspect(s3.actions, { depth: 0 });
    expect(text.startsWith(`Map(${s3.actions.size}) {`)).toBe(true);
    expect(text).toContain("'getobject' => [Object]");
  });
});

describeBuilt('managed policies: one policy read and parsed at a time', () => {
  const whole = JSON.parse(fs.readFileSync(MANAGED, 'utf8')) as { count: number; policies: Array<{ name: string }> } & Record<string, unknown>;
  const header = (b: ReturnType<typeof readBundle>): unknown => ({ schema: b.schema, source: b.source, builtAt: b.builtAt, dataDate: b.dataDate, count: b.count });
  const expected = { schema: whole.schema, source: whole.source, builtAt: whole.builtAt, dataDate: whole.dataDate, count: whole.count };

  test('with the line index and by scanning, every policy equals the bundle read whole', () => {
    const indexed = readBundle(MANAGED);
    const scanned = readBundle(MANAGED, false);
    expect(header(indexed)).toEqual(expected);
    expect(header(scanned)).toEqual(expected);
    expect(indexed.names).toEqual(whole.policies.map((p) => p.name));
    expect(scanned.names).toEqual(indexed.names);
    for (const p of whole.policies) {
      expect(indexed.policy(p.name)).toEqual(p);
      expect(scanned.policy(p.name)).toEqual(p);
    }
    expect(indexed.policy('amazonconnect_fullaccess')).toBeUndefined();
    expect(indexed.has('AmazonConnect_FullAccess')).toBe(true);
  });

  test('a line index that does not match the bundle is not used; a bundle written as one line still reads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-managed-'));
    try {
      // Same policies, other byte offsets: the index beside it is stale.
      const file = path.join(dir, 'managed-policies.json');
      fs.writeFileSync(file, JSON.stringify(whole));
      fs.copyFileSync(MANAGED.replace(/\.json$/, '.index.json'), path.join(dir, 'managed-policies.index.json'));
      const b = readBundle(file);
      expect(header(b)).toEqual(expected);
      expect(b.names).toEqual(whole.policies.map((p) => p.name));
      const sample = whole.policies.filter((_, i) => i % 97 === 0);
      for (const p of sample) expect(b.policy(p.name)).toEqual(p);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
