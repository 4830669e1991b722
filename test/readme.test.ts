/**
 * The README stays true: its quick start names the two commands, every ```ts example appears
 * line for line in a test file of examples/ (which the `examples` Jest project runs), and the
 * rules-file example parses and names only known pages, tasks, actions and policies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRules } from '../src/rules/parse';
import { validateNames } from '../src/rules/names';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

function blocks(lang: string): string[] {
  const out: string[] = [];
  const re = new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g');
  for (const m of readme.matchAll(re)) out.push(m[1]!);
  return out;
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const exampleTests = fs
  .readdirSync(path.join(root, 'examples/test'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: `examples/test/${f}`, lines: lines(fs.readFileSync(path.join(root, 'examples/test', f), 'utf8')) }));

test('the quick start names `npm ci && npm start` and `npm test`', () => {
  const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 3));
  expect(quick).toContain('npm ci && npm start');
  expect(quick).toContain('npm test');
});

describe.each(blocks('ts').map((b, i) => [i + 1, b] as const))('README ts example %i', (_n, block) => {
  test('appears line for line in a test file of examples/test/', () => {
    // Each paragraph of the example (split at blank lines) must appear, line for line, in one file.
    const paragraphs = block.split(/\n\s*\n/).map(lines).filter((p) => p.length > 0);
    const home = exampleTests.find((f) => paragraphs.every((p) => containsRun(f.lines, p)));
    if (!home) throw new Error(`This README example is not run by any test in examples/test/:\n${block}`);
    expect(home.file).toMatch(/^examples\/test\//);
  });
});

test('the README has ts examples at all (the check above is not vacuous)', () => {
  expect(blocks('ts').length).toBeGreaterThanOrEqual(5);
});

test('the rules-file example parses and names only known things', () => {
  const yamlBlocks = blocks('yaml');
  expect(yamlBlocks.length).toBeGreaterThanOrEqual(1);
  for (const block of yamlBlocks) {
    const ruleSet = parseRules(block, 'README.md');
    expect(ruleSet.rules.length).toBeGreaterThan(0);
    for (const rule of ruleSet.rules) expect(validateNames(rule.expect)).toEqual([]);
  }
});
