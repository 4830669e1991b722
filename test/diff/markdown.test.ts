/**
 * The pull-request comment is readable: the markdown of a real review (the fixture history, base
 * to the last commit) rendered to HTML with markdown-it (a CommonMark renderer with GFM tables,
 * like GitHub's cmark-gfm; raw HTML on for <details>, <summary>, <sub>, <br>, which GitHub
 * allows in comments), checked for structure, and screenshotted in headless Chromium when it is
 * installed (set JCI_SCREENSHOT_OUT=<file.png> to keep the picture).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { diff, renderDiffMarkdown, type DiffReport } from '../../src';
import { buildHistory, commit, write, type Step } from './fixture';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const withChromium = (name: string, fn: () => void): void =>
  CHROMIUM ? test(name, fn, 120_000) : test.skip(`${name} [skipped: chromium is not installed (apt-get install -y chromium)]`, fn);

let dir: string;
let steps: Step[];
let report: DiffReport;
let markdown: string;
let html: string;
const md = new MarkdownIt({ html: true });

beforeAll(() => {
  ({ dir, steps } = buildHistory());
  // One more principal whose file name is full of markdown: it must not break the table.
  write(dir, { 'policies/team_a*b|c.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] }) });
  steps.push({ name: 'markdown names', sha: commit(dir, 'a policy with an awkward name') });
  report = diff({ base: steps[0]!.sha, head: steps[steps.length - 1]!.sha, cwd: dir });
  markdown = renderDiffMarkdown(report, { version: '0.1.0' });
  html = md.render(markdown);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('one summary line, then one table with a row per principal, then folded details', () => {
  expect(markdown.split('\n')[0]).toBe('<!-- jest-connect-iam:diff -->');
  expect(html).toMatch(/^<!-- jest-connect-iam:diff -->\n<h3>IAM access review \(jest-connect-iam\)<\/h3>\n<p><strong>Access gained: /);
  expect((html.match(/<table>/g) ?? []).length).toBe(1);
  const headers = [...html.matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1]);
  expect(headers).toEqual(['Principal', 'Change', 'Console tasks gained', 'Console tasks lost', 'Non-read actions gained', 'Non-read actions lost']);
  const rows = [...html.matchAll(/<tr>\n<td>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
  expect(rows).toHaveLength(report.principals.length);
  // Every row has its six cells (nothing split a cell).
  for (const r of rows) expect((r.match(/<td>/g) ?? []).length + 1).toBe(6);
  expect(rows.some((r) => r.includes('<code>AuditorRole</code>') && r.includes('Telephony / Enable/disable telephony options'))).toBe(true);
  expect(rows.some((r) => r.includes('<code>team_a*b|c.json</code>'))).toBe(true);
  expect((html.match(/<details><summary>/g) ?? []).length).toBe(report.principals.length + (report.inputs.length ? 1 : 0));
  // Details are lists inside the fold, not stray text.
  expect(html).toMatch(/<details><summary>AuditorRole: details<\/summary>\n<ul>\n<li>\+ console task /);
  // No markdown left unrendered, nothing GitHub would strip.
  expect(html).not.toMatch(/\*\*|^\|/m);
  expect(html).not.toMatch(/<script|<style|<img|javascript:/);
  expect(html).toContain('<sub>base ');
});

withChromium('the comment renders in headless Chromium (a screenshot is taken)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-md-shot-'));
  try {
    // GitHub-like page: system font, bordered table, the comment width.
    const page = `<!doctype html><meta charset="utf-8"><title>comment</title>
<style>
body { font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; max-width: 900px; margin: 16px; }
table { border-collapse: collapse; display: block; overflow: auto; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; vertical-align: top; }
tr:nth-child(2n) { background: #f6f8fa; } code { background: #eff1f3; padding: .2em .4em; border-radius: 6px; font-size: 85%; }
details { margin: 4px 0; } summary { cursor: pointer; } sub { color: #59636e; }
</style>
<body>${html.replace(/<details>/, '<details open>')}</body>`;
    const file = path.join(tmp, 'comment.html');
    fs.writeFileSync(file, page);
    const shot = path.join(tmp, 'comment.png');
    const r = spawnSync(
      CHROMIUM!,
      ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${path.join(tmp, 'profile')}`, '--hide-scrollbars', '--window-size=1000,1400', `--screenshot=${shot}`, `file://${file}`],
      { encoding: 'utf8', timeout: 90_000 },
    );
    expect(r.status).toBe(0);
    const png = fs.readFileSync(shot);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(png.length).toBeGreaterThan(20_000); // a blank page is a few kilobytes
    if (process.env.JCI_SCREENSHOT_OUT) fs.copyFileSync(shot, process.env.JCI_SCREENSHOT_OUT);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
