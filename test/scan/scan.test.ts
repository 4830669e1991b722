import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ScanRootError, planScan } from '../../src/scan';

let base: string;
let root: string;
let outside: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-scan-'));
  root = path.join(base, 'repo');
  outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(root, 'infra', 'nested'), { recursive: true });
  fs.mkdirSync(path.join(root, 'node_modules', 'pkg'), { recursive: true });
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  fs.mkdirSync(path.join(root, 'cdk.out'), { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(root, 'infra', 'a.yaml'), 'x: 1');
  fs.writeFileSync(path.join(root, 'infra', 'nested', 'b.json'), '{}');
  fs.writeFileSync(path.join(root, 'cdk.out', 'Stack.template.json'), '{}');
  fs.writeFileSync(path.join(root, 'node_modules', 'pkg', 'p.json'), '{}');
  fs.writeFileSync(path.join(root, '.git', 'config.json'), '{}');
  fs.writeFileSync(path.join(outside, 'secret.json'), '{}');
  fs.mkdirSync(path.join(outside, 'dir'));
  fs.writeFileSync(path.join(outside, 'dir', 'far.json'), '{}');
  // A link to a file outside, a link to a directory outside, a directory loop, a file loop,
  // a broken link, and a link to a file inside.
  fs.symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'infra', 'leak.json'));
  fs.symlinkSync(path.join(outside, 'dir'), path.join(root, 'infra', 'outdir'));
  fs.symlinkSync(root, path.join(root, 'infra', 'loop'));
  fs.symlinkSync(path.join(root, 'infra', 'l2.json'), path.join(root, 'infra', 'l1.json'));
  fs.symlinkSync(path.join(root, 'infra', 'l1.json'), path.join(root, 'infra', 'l2.json'));
  fs.symlinkSync(path.join(root, 'missing.json'), path.join(root, 'infra', 'broken.json'));
  fs.symlinkSync(path.join(root, 'infra', 'a.yaml'), path.join(root, 'infra', 'alias.yaml'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('planScan', () => {
  test('default patterns find templates and cdk.out, never node_modules or .git', () => {
    const plan = planScan({ cwd: root });
    const files = plan.entries.filter((e) => e.kind === 'file').map((e) => e.path);
    expect(files).toEqual(expect.arrayContaining(['infra/a.yaml', 'infra/nested/b.json', 'cdk.out/Stack.template.json']));
    expect(files.some((f) => f.includes('node_modules') || f.includes('.git'))).toBe(false);
  });

  test('symbolic links never lead out of the root, loops are survived, and every unread match says why', () => {
    const plan = planScan({ cwd: root });
    const byPath = new Map(plan.entries.map((e) => [e.path, e]));
    expect(byPath.get('infra/leak.json')).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/leaves the scanned directory/) });
    expect(byPath.get('infra/l1.json')).toMatchObject({ kind: 'skipped', reason: 'symbolic link loop' });
    expect(byPath.get('infra/broken.json')).toMatchObject({ kind: 'skipped', reason: 'broken symbolic link' });
    // A link to a file inside the root is read (through its real path).
    expect(byPath.get('infra/alias.yaml')).toMatchObject({ kind: 'file', absolute: fs.realpathSync(path.join(root, 'infra', 'a.yaml')) });
    // Linked directories are never entered: nothing under outdir/ or loop/.
    expect([...byPath.keys()].some((p) => p.startsWith('infra/outdir/') || p.startsWith('infra/loop/'))).toBe(false);
    for (const e of plan.entries) {
      if (e.kind === 'file') expect(fs.realpathSync(e.absolute).startsWith(fs.realpathSync(root))).toBe(true);
    }
  });

  test('counts matches per pattern, so a pattern that matched nothing can be reported', () => {
    const plan = planScan({ cwd: root, files: ['infra/*.yaml', 'infra/**/*.yml', '!infra/alias.yaml'] });
    expect(plan.patternCounts.get('infra/*.yaml')).toBe(1);
    expect(plan.patternCounts.get('infra/**/*.yml')).toBe(0);
  });

  test('a missing root is a usage error naming the path', () => {
    expect(() => planScan({ cwd: path.join(base, 'nope') })).toThrow(ScanRootError);
    expect(() => planScan({ cwd: path.join(root, 'infra', 'a.yaml') })).toThrow(/Not a directory/);
  });
});

describe('patterns never leave the root', () => {
  test("planScan refuses absolute and '..' patterns", () => {
    expect(() => planScan({ cwd: root, files: ['../outside/*.json'] })).toThrow(/'\.\.' segment/);
    expect(() => planScan({ cwd: root, files: [path.join(outside, '*.json')] })).toThrow(/is absolute/);
  });
});
