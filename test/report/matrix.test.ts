import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURE_REPOS, bin, tempDir, writeTree } from '../cli/helpers';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
/** `test` when Debian's chromium is installed, else a skipped test whose name says why. */
const withChromium = (name: string, fn: () => void): void =>
  CHROMIUM ? test(name, fn, 120_000) : test.skip(`${name} [skipped: chromium is not installed (apt-get install -y chromium)]`, fn);

interface MatrixJson {
  format: string;
  tasks: Array<{ ref: string }>;
  principals: Array<{ id: string; tasks: Record<string, { granted: string; why?: string }> }>;
}

const allGood = path.join(FIXTURE_REPOS, 'all-good');

describe('matrix', () => {
  test('json: every principal x every console task, granted / conditional / not granted', () => {
    const r = bin(['matrix', '--cwd', allGood, '--format', 'json']);
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout) as MatrixJson;
    expect(m.format).toBe('jest-connect-iam/matrix@1');
    expect(m.tasks).toHaveLength(45);
    expect(m.principals.map((p) => p.id)).toEqual(['AuditorRole', 'StorageAdminRole', 'agent-viewer.json']);
    for (const p of m.principals) expect(Object.keys(p.tasks)).toHaveLength(45);
    const auditor = m.principals[0]!.tasks;
    expect(auditor['Data storage / View call recording']!.granted).toBe('yes');
    expect(auditor['Data storage / Edit call recording']).toMatchObject({ granted: 'no', why: expect.stringMatching(/not allowed/) });
    expect(m.principals[1]!.tasks['Data storage / Edit call recording']!.granted).toBe('yes');
  });

  test('a condition the context does not settle makes cells conditional', () => {
    const dir = writeTree(tempDir('jci-matrix-'), {
      'p.json': JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['connect:*', 'ds:DescribeDirectories'], Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }],
      }),
    });
    try {
      const m = JSON.parse(bin(['matrix', '--cwd', dir, '--format', 'json']).stdout) as MatrixJson;
      expect(m.principals[0]!.tasks['Home / List instance']).toMatchObject({ granted: 'conditional', why: expect.stringMatching(/aws:SourceIp/) });
      const text = bin(['matrix', '--cwd', dir]).stdout;
      expect(text).toMatch(/Home\s+\?\?/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('text and markdown carry a legend and one mark per task', () => {
    const text = bin(['matrix', '--cwd', allGood]).stdout;
    expect(text).toContain('Legend: Y granted   ? conditional   . not granted');
    expect(text).toMatch(/AuditorRole \(connect-auditor\)\s+\[role, infra\/connect\.yaml:4\]\n\s+Home\s+YY\.\./);
    const md = bin(['matrix', '--cwd', allGood, '--format', 'markdown']).stdout;
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Page') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(45);
    expect(md).toContain('✅ granted');
  });

  test('a directory with no principal, or an unreadable file, is exit 2 (the matrix of what was read is still printed)', () => {
    const empty = tempDir('jci-matrix-empty-');
    const broken = path.join(FIXTURE_REPOS, 'broken-yaml');
    try {
      const e = bin(['matrix', '--cwd', empty]);
      expect(e.status).toBe(2);
      expect(e.stderr).toMatch(/no principal found/);
      const b = bin(['matrix', '--cwd', broken]);
      expect(b.status).toBe(2);
      expect(b.stdout).toContain('AuditorRole');
      expect(b.stderr).toMatch(/infra\/broken\.yaml.*invalid YAML|cannot be read: invalid YAML/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('html is one self-contained file: inline style and script, no external assets', () => {
    const html = bin(['matrix', '--cwd', allGood, '--format', 'html']).stdout;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain('<script>');
    expect(html).not.toMatch(/<link\b|<script[^>]+src=|<img\b|url\(|@import|https?:\/\/(?!json)/);
    expect((html.match(/<td class="cell /g) ?? []).length).toBe(3 * 45);
  });

  withChromium('html renders in headless Chromium: the grid, legend and filters exist after the script ran, and a filter in the address applies', () => {
    const dir = tempDir('jci-chromium-');
    try {
      const file = path.join(dir, 'matrix.html');
      expect(bin(['matrix', '--cwd', allGood, '--format', 'html', '--output', file]).status).toBe(0);
      const dump = (url: string): string => {
        const r = spawnSync(
          CHROMIUM!,
          ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${path.join(dir, 'profile')}`, '--dump-dom', url],
          { encoding: 'utf8', timeout: 90_000 },
        );
        expect(r.status).toBe(0);
        return r.stdout;
      };
      const dom = dump(`file://${file}`);
      expect(dom).toMatch(/<body[^>]*data-ready="true"/);
      expect(dom).toContain('id="page-filter"');
      expect(dom).toContain('id="principal-filter"');
      expect(dom).toContain('id="legend"');
      expect((dom.match(/<td class="cell (yes|conditional|no)/g) ?? []).length).toBe(3 * 45);
      expect(dom).toContain('3 principals shown');
      const filtered = dump(`file://${file}#page=Flows&principal=StorageAdmin`);
      expect(filtered).toContain('1 principal shown');
      const visibleRows = (filtered.match(/<tr data-page="[^"]*">/g) ?? []).length;
      const rows = (filtered.match(/<tr data-page="[^"]*"/g) ?? []).length;
      expect(visibleRows).toBe(10); // the 10 Flows tasks; every other row has class="hidden"
      expect(rows).toBe(45); // task rows; the other 35 carry class="hidden"
      expect((filtered.match(/<tr data-page="[^"]*" class="hidden">/g) ?? []).length).toBe(35);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
