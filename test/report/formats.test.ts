import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateAgainstSchema } from '../../src/rules';
import { FIXTURE_REPOS, bin, tempDir } from '../cli/helpers';
import { parseXml, type XmlElement } from './xml';

const SCHEMAS = path.join(__dirname, 'schemas');
const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;
/** `test` when xmllint is installed, else a skipped test whose name says why. */
const withXmllint = (name: string, fn: () => void): void =>
  xmllint ? test(name, fn) : test.skip(`${name} [skipped: xmllint (Debian libxml2-utils) is not installed]`, fn);

const cache = new Map<string, string>();
/** The bin's output for a fixture repo and format (each run once per test file). */
const output = (repo: string, format: string): string => {
  const key = `${repo}:${format}`;
  if (!cache.has(key)) cache.set(key, bin(['check', '--cwd', path.join(FIXTURE_REPOS, repo), '--format', format]).stdout);
  return cache.get(key)!;
};
const junitOf = (repo: string): string => {
  const xml = output(repo, 'junit');
  expect(xml.startsWith('<?xml')).toBe(true);
  return xml;
};

const kids = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);

describe('JUnit XML', () => {
  test('is well-formed; one testsuite per rule, one testcase per rule x principal; counts add up', () => {
    for (const repo of ['all-good', 'readonly-violation', 'broken-yaml', 'glob-nothing']) {
      const root = parseXml(junitOf(repo));
      expect(root.name).toBe('testsuites');
      let tests = 0;
      let failures = 0;
      let errors = 0;
      let skipped = 0;
      for (const suite of kids(root, 'testsuite')) {
        const cases = kids(suite, 'testcase');
        const count = (n: string): number => cases.filter((c) => kids(c, n).length > 0).length;
        expect(Number(suite.attributes.tests)).toBe(cases.length);
        expect(Number(suite.attributes.failures)).toBe(count('failure'));
        expect(Number(suite.attributes.errors)).toBe(count('error'));
        expect(Number(suite.attributes.skipped)).toBe(count('skipped'));
        for (const c of cases) {
          expect(c.attributes.name).toBeTruthy();
          expect(c.attributes.classname).toBeTruthy();
          expect(kids(c, 'failure').length + kids(c, 'error').length + kids(c, 'skipped').length).toBeLessThanOrEqual(1);
        }
        tests += cases.length;
        failures += count('failure');
        errors += count('error');
        skipped += count('skipped');
      }
      expect(root.attributes).toMatchObject({ tests: String(tests), failures: String(failures), errors: String(errors), skipped: String(skipped) });
    }
  });

  test('a violation is a <failure> with the evidence; a suppressed one is <skipped> with the reason; unreadable files are <error>s', () => {
    const root = parseXml(junitOf('readonly-violation'));
    const suite = kids(root, 'testsuite').find((s) => s.attributes.name === 'auditors-read-only')!;
    const byName = new Map(kids(suite, 'testcase').map((c) => [c.attributes.name, c]));
    const failure = kids(byName.get('infra/connect.yaml#AuditorRole')!, 'failure')[0]!;
    expect(failure.attributes.message).toMatch(/TweakInstance/);
    expect(failure.text).toContain('infra/connect.yaml:25');
    const skipped = kids(byName.get('infra/connect.yaml#LegacyAuditorRole')!, 'skipped')[0]!;
    expect(skipped.attributes.message).toBe('suppressed: Legacy flow editor, removed in TICKET-123');

    const broken = parseXml(junitOf('broken-yaml'));
    const input = kids(broken, 'testsuite').find((s) => s.attributes.name === 'jest-connect-iam input')!;
    const err = kids(kids(input, 'testcase')[0]!, 'error')[0]!;
    expect(err.attributes.type).toBe('unreadable-file');
    expect(kids(input, 'testcase')[0]!.attributes.name).toMatch(/infra\/broken\.yaml:12/);
  });

  test('XML special characters in names and messages are escaped', () => {
    const dir = tempDir('jci-junit-');
    try {
      fs.mkdirSync(path.join(dir, 'p'));
      fs.writeFileSync(path.join(dir, 'p', 'a&b<c>.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:UpdateInstanceAttribute', Resource: '*' }] }));
      fs.writeFileSync(path.join(dir, 'jest-connect-iam.rules.yaml'), 'rules:\n  - name: read-only\n    expect: { readOnly: true }\n');
      const r = bin(['check', '--cwd', dir, '--format', 'junit']);
      expect(r.status).toBe(1);
      const root = parseXml(r.stdout);
      const suite = kids(root, 'testsuite')[0]!;
      const tc = kids(suite, 'testcase')[0]!;
      expect(tc.attributes.name).toBe('p/a&b<c>.json#a&b<c>.json');
      expect(kids(tc, 'failure')[0]!.text).toContain('a&b<c>.json');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  withXmllint('validates against the JUnit XSD (test/report/schemas/junit.xsd) with xmllint', () => {
    const dir = tempDir('jci-xsd-');
    try {
      for (const repo of ['all-good', 'readonly-violation', 'broken-yaml', 'glob-nothing']) {
        const file = path.join(dir, `${repo}.xml`);
        fs.writeFileSync(file, junitOf(repo));
        const r = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, 'junit.xsd'), file], { encoding: 'utf8' });
        expect(`${repo}: ${r.stderr.trim()}`).toBe(`${repo}: ${file} validates`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string }> } };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn?: number } } }>;
      suppressions?: Array<{ kind: string; justification?: string }>;
    }>;
  }>;
}

describe('SARIF 2.1.0', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'sarif-2.1.0.subset.schema.json'), 'utf8')) as Record<string, unknown>;
  const sarifOf = (repo: string): SarifLog => JSON.parse(output(repo, 'sarif')) as SarifLog;

  test.each(['all-good', 'readonly-violation', 'broken-yaml', 'glob-nothing'])('%s: valid against the SARIF 2.1.0 structure; indexes and lines are in range', (repo) => {
    const log = sarifOf(repo);
    expect(validateAgainstSchema(log, schema)).toEqual([]);
    const run = log.runs[0]!;
    for (const r of run.results) {
      expect(Number.isInteger(r.ruleIndex) && r.ruleIndex >= 0 && r.ruleIndex < run.tool.driver.rules.length).toBe(true);
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      for (const l of r.locations) {
        const uri = l.physicalLocation.artifactLocation.uri;
        expect(uri).not.toMatch(/^\/|^[a-z]+:/i); // relative to %SRCROOT%
        if (l.physicalLocation.region) expect(l.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      }
    }
  });

  test('a violation points at the deciding statement (file and startLine); a suppressed one carries the justification', () => {
    const run = sarifOf('readonly-violation').runs[0]!;
    const open = run.results.filter((r) => !r.suppressions);
    expect(open).toHaveLength(1);
    expect(open[0]!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'infra/connect.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 25, startColumn: 17 } });
    expect(open[0]!.message.text).toMatch(/AuditorRole.*TweakInstance.*connect:UpdateInstanceAttribute/s);
    const supp = run.results.filter((r) => r.suppressions);
    expect(supp[0]!.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'Legacy flow editor, removed in TICKET-123' }]);
  });

  test('input problems are results too: the broken file at its line', () => {
    const run = sarifOf('broken-yaml').runs[0]!;
    const p = run.results.find((r) => r.ruleId === 'jest-connect-iam/unreadable-file')!;
    expect(p.level).toBe('error');
    expect(p.locations[0]!.physicalLocation.artifactLocation.uri).toBe('infra/broken.yaml');
    expect(p.locations[0]!.physicalLocation.region!.startLine).toBe(12);
  });

  test('the subset schema rejects what SARIF forbids (the check has teeth)', () => {
    const log = sarifOf('readonly-violation') as unknown as Record<string, unknown>;
    expect(validateAgainstSchema({ ...log, version: '2.0.0' }, schema)).not.toEqual([]);
    const bad = JSON.parse(JSON.stringify(log)) as SarifLog;
    (bad.runs[0]!.results[0] as unknown as Record<string, unknown>).severity = 'high';
    expect(validateAgainstSchema(bad, schema)[0]!.message).toMatch(/unknown key 'severity'/);
  });
});
