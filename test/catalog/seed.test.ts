/**
 * Cross-checks the catalog JSON against the seed page itself (../shared/seed, third-party,
 * read only) so drift between the data and the page is caught. Skipped, with the reason in
 * the test name, when ../shared is absent (a fresh clone).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalog } from '../../src/catalog';
import { readSeedPage, unescapeMarkdown, type SeedPage } from './seedPage';

const repoRoot = path.resolve(__dirname, '..', '..');
const seedFile = path.join(path.resolve(repoRoot, '..', 'shared'), 'seed', catalog.source.file);
const present = fs.existsSync(seedFile);

/** `it` when the seed page is present, else a skipped test whose name says why. */
function withSeed(name: string, fn: (seed: SeedPage) => void): void {
  if (present) it(name, () => fn(readSeedPage(fs.readFileSync(seedFile, 'utf8'))));
  else it.skip(`${name} (skipped: ../shared/seed/${catalog.source.file} is absent)`, () => undefined);
}

/** The three wrong names, as the catalog documents them. */
const corrected = new Map((catalog.corrections ?? []).filter((c) => c.kind === 'action-name').map((c) => [c.asWritten, c.corrected]));

describe('the catalog against the seed page', () => {
  withSeed('has the same pages, sections and rows, in order, with provenance that points at them', (seed) => {
    const pagesWithRows = [...new Set(seed.rows.map((r) => r.heading))];
    expect(catalog.pages.map((p) => p.title)).toEqual(pagesWithRows);
    expect(seed.rows).toHaveLength(catalog.tasks.length);
    const sections = seed.headings.filter((h) => h.level === 3);
    expect(catalog.sections.map((s) => s.provenance.section)).toEqual(sections.map((h) => h.text));
    expect(catalog.sections.map((s) => s.provenance.line)).toEqual(sections.map((h) => h.line));
    for (const p of catalog.pages) {
      const h = seed.headings.find((x) => x.level === 2 && x.text === p.title)!;
      expect(p.provenance.line).toBe(h.line);
    }
    seed.rows.forEach((row, i) => {
      const task = catalog.tasks[i]!;
      expect(task.provenance).toMatchObject({ heading: row.heading, row: row.row, rowNumber: row.rowNumber, line: row.line });
      expect(task.provenance.section).toBe(row.section);
      expect(task.label).toBe(unescapeMarkdown(row.row));
    });
  });

  withSeed('every row has the same actions after normalisation and correction', (seed) => {
    seed.rows.forEach((row, i) => {
      const task = catalog.tasks[i]!;
      const expected = [...new Set(row.actionsAsWritten.map((a) => corrected.get(a) ?? a))];
      expect({ task: task.id, actions: task.actions.map((a) => a.action) }).toEqual({ task: task.id, actions: expected });
      for (const a of task.actions) {
        const asWritten = row.actionsAsWritten.find((w) => (corrected.get(w) ?? w) === a.action)!;
        if (corrected.has(asWritten)) expect(a.asWritten).toBe(asWritten);
        else expect(a.asWritten).toBeUndefined();
      }
    });
  });

  withSeed('has the counts the page has: 302 names written, 301 after removing the duplicate, 125 unique', (seed) => {
    const written = seed.rows.flatMap((r) => r.actionsAsWritten);
    expect(written).toHaveLength(302);
    expect(new Set(written).size).toBe(125);
    expect(seed.rows.reduce((n, r) => n + new Set(r.actionsAsWritten).size, 0)).toBe(301);
  });

  withSeed('the stated iam:PutRolePolicy resource is the one in the page\'s FullAccess custom statement', (seed) => {
    const text = fs.readFileSync(seedFile, 'utf8');
    const statement = /"Action": "iam:PutRolePolicy",\s*"Resource": "([^"]+)"/.exec(text);
    expect(statement).not.toBeNull();
    const fact = (catalog.actionFacts ?? []).find((f) => f.action === 'iam:PutRolePolicy')!;
    expect(fact.resource).toBe(statement![1]);
    expect(text).toContain('"Sid": "AttachAnyPolicyToAmazonConnectRole"');
    expect(seed.headings.map((h) => unescapeMarkdown(h.text))).toContain(fact.provenance.heading);
  });

  withSeed('the instance-access provenance quotes the page', () => {
    const text = unescapeMarkdown(fs.readFileSync(seedFile, 'utf8'));
    expect(text).toContain(catalog.instanceAccessSource!.provenance.row!);
  });
});
