import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  RULES_SCHEMA,
  RulesFileError,
  RulesFileNotFoundError,
  SUPPORTED_KEYWORDS,
  findRulesFile,
  parseRules,
  validateAgainstSchema,
} from '../../src/rules';

function issuesOf(text: string): Array<{ message: string; line?: number; path?: string }> {
  try {
    parseRules(text, 'rules.yaml');
  } catch (err) {
    if (!(err instanceof RulesFileError)) throw err;
    return err.issues.map((i) => ({ message: i.message, line: i.location.line, path: i.location.path }));
  }
  throw new Error('expected a RulesFileError');
}

const GOOD = `
version: 1
rules:
  - name: auditors
    description: read only
    select:
      files: infra/**/*.yaml
      principals: ['*Auditor*']
      tags: { access-level: read-only }
    expect:
      readOnly: { allow: [connect:UpdateUserHierarchy] }
      stayWithin: AmazonConnectReadOnlyAccess
      grantConsoleTasks: ['Data storage / View call recording']
      notGrantConsoleTasks: ['Data storage / Edit call recording']
      allowActions: ['connect:Describe*']
      notAllowActions: [connect:DeleteInstance]
    context: { aws:RequestedRegion: eu-west-2 }
    resource: '*'
suppressions:
  - rule: auditors
    principal: LegacyAuditor
    reason: being removed
`;

describe('rules file schema (src/rules/schema.json)', () => {
  test('uses only keywords the validator implements', () => {
    const seen = new Set<string>();
    const walk = (node: unknown, isSchema: boolean): void => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, isSchema));
      if (typeof node !== 'object' || node === null) return;
      for (const [k, v] of Object.entries(node)) {
        if (isSchema) seen.add(k);
        const childIsSchema = ['items', 'additionalProperties', 'anyOf', 'oneOf'].includes(k) && isSchema;
        const mapOfSchemas = ['properties', '$defs'].includes(k) && isSchema;
        if (mapOfSchemas) Object.values(v as object).forEach((s) => walk(s, true));
        else if (childIsSchema) walk(v, true);
      }
    };
    walk(RULES_SCHEMA, true);
    for (const k of seen) expect(SUPPORTED_KEYWORDS.has(k)).toBe(true);
    expect(() => validateAgainstSchema({}, { type: 'object', maximum: 3 })).toThrow(/unsupported keyword 'maximum'/);
  });

  test('a complete, valid file parses into rules with their lines', () => {
    const set = parseRules(GOOD, 'rules.yaml');
    expect(set.rules).toHaveLength(1);
    const rule = set.rules[0]!;
    expect(rule.select.files).toEqual(['infra/**/*.yaml']);
    expect(rule.select.principals).toEqual(['*Auditor*']);
    expect(rule.source).toMatchObject({ file: 'rules.yaml', line: 4 });
    expect(set.suppressions[0]).toMatchObject({ rule: 'auditors', principal: 'LegacyAuditor', reason: 'being removed', source: { line: 20 } });
  });

  test('an unknown key is reported at its line with the closest allowed key', () => {
    const issues = issuesOf('rules:\n  - name: a\n    expct:\n      readOnly: true\n');
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, message: expect.stringMatching(/unknown key 'expct': did you mean 'expect'/) }),
        expect.objectContaining({ line: 2, message: "is missing the required key 'expect'" }),
      ]),
    );
  });

  test('wrong types, empty lists, bad task syntax and a blank reason are each reported with a line', () => {
    const text = [
      'rules:', //                                   1
      '  - name: a', //                              2
      '    select:', //                              3
      '      files: 42', //                          4
      '    expect:', //                              5
      '      readOnly: false', //                    6
      '      grantConsoleTasks: [Data storage/Edit call recording]', // 7
      '      allowActions: []', //                   8
      'suppressions:', //                            9
      '  - rule: a', //                              10
      '    principal: X', //                         11
      "    reason: '  '", //                         12
    ].join('\n');
    const issues = issuesOf(text);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 4, message: expect.stringMatching(/must be a string or a list of strings, not integer 42/) }),
        expect.objectContaining({ line: 6, message: expect.stringMatching(/must be true or a mapping/) }),
        expect.objectContaining({ line: 7, message: expect.stringMatching(/'Page \/ Task'/) }),
        expect.objectContaining({ line: 8, message: 'must list at least 1 item' }),
        expect.objectContaining({ line: 12, message: 'must not be blank' }),
      ]),
    );
  });

  test('a suppression without a reason is an error', () => {
    const issues = issuesOf('rules:\n  - name: a\n    expect: { readOnly: true }\nsuppressions:\n  - rule: a\n    principal: X\n');
    expect(issues).toEqual([expect.objectContaining({ line: 5, message: "is missing the required key 'reason'" })]);
  });

  test('a YAML syntax error is reported with its line, not a stack trace', () => {
    const issues = issuesOf('rules:\n  - name: a\n    expect: { readOnly: true\n');
    expect(issues[0]!.line).toBeGreaterThanOrEqual(3);
    expect(issues[0]!.message).toMatch(/flow|map|end/i);
  });

  test('an empty file says it needs rules', () => {
    expect(issuesOf('')[0]!.message).toMatch(/empty/);
    expect(issuesOf('rules: []\n')[0]!.message).toBe('must list at least 1 item');
  });

  test('an alias bomb is refused', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`), 'rules: *h'].join('\n');
    const issues = issuesOf(bomb);
    expect(issues[0]!.message).toMatch(/alias|resource|Excessive/i);
  });
});

describe('names used by rules must be real', () => {
  test('an unknown console task is an error with suggestions, at its line', () => {
    const issues = issuesOf('rules:\n  - name: a\n    expect:\n      notGrantConsoleTasks:\n        - Data storage / Edit call recordings\n');
    expect(issues).toEqual([
      expect.objectContaining({ line: 5, path: 'rules[0].expect.notGrantConsoleTasks[0]', message: expect.stringMatching(/Edit call recording'/) }),
    ]);
  });

  test('an unknown page is an error with suggestions', () => {
    const issues = issuesOf("rules:\n  - name: a\n    expect:\n      grantConsoleTasks: ['Data storag / Edit call recording']\n");
    expect(issues[0]!.message).toMatch(/Data storage/);
  });

  test('an unknown action (also one inside readOnly.allow) is an error with suggestions', () => {
    const issues = issuesOf(
      'rules:\n  - name: a\n    expect:\n      notAllowActions: [connect:UpdateInstanceAtribute]\n      readOnly: { allow: [conect:*] }\n',
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 4, message: expect.stringMatching(/connect:UpdateInstanceAttribute/) }),
        expect.objectContaining({ line: 5, message: expect.stringMatching(/conect/) }),
      ]),
    );
  });

  test('an unknown managed policy is an error with suggestions', () => {
    const issues = issuesOf('rules:\n  - name: a\n    expect:\n      stayWithin: AmazonConnectReadOnlyAcess\n');
    expect(issues[0]).toMatchObject({ line: 4, message: expect.stringMatching(/AmazonConnectReadOnlyAccess/) });
  });

  test('a suppression naming an unknown rule and duplicate rule names are errors', () => {
    const issues = issuesOf(
      'rules:\n  - name: auditors\n    expect: { readOnly: true }\n  - name: auditors\n    expect: { readOnly: true }\nsuppressions:\n  - { rule: auditor, principal: X, reason: r }\n',
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 4, message: expect.stringMatching(/duplicate rule name 'auditors'/) }),
        expect.objectContaining({ line: 7, message: expect.stringMatching(/unknown rule 'auditor': did you mean 'auditors'/) }),
      ]),
    );
  });

  test('__proto__ and constructor keys are plain data: reported as unknown keys, no prototype changes', () => {
    const issues = issuesOf('rules:\n  - name: a\n    expect: { readOnly: true }\n    __proto__: { polluted: true }\n    constructor: { x: 1 }\n');
    expect(issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/unknown key '__proto__'/), expect.stringMatching(/unknown key 'constructor'/)]),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('findRulesFile', () => {
  test('finds jest-connect-iam.rules.yaml, or says every place it looked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-rules-'));
    try {
      expect(() => findRulesFile(dir)).toThrow(RulesFileNotFoundError);
      try {
        findRulesFile(dir);
      } catch (err) {
        expect((err as Error).message).toContain(path.join(dir, 'jest-connect-iam.rules.yaml'));
        expect((err as Error).message).toContain(path.join(dir, 'jest-connect-iam.rules.yml'));
      }
      fs.writeFileSync(path.join(dir, 'jest-connect-iam.rules.yml'), 'rules: []');
      expect(findRulesFile(dir)).toBe(path.join(dir, 'jest-connect-iam.rules.yml'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('files patterns stay inside the scanned directory', () => {
  test("an absolute pattern or one with a '..' segment is an error at its line", () => {
    const issues = issuesOf("rules:\n  - name: a\n    select:\n      files: ['infra/*.yaml', '../other/**/*.yaml', '/etc/*.json']\n    expect: { readOnly: true }\n");
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [4, "files pattern '../other/**/*.yaml' has a '..' segment: a scan never leaves the scanned directory"],
      [4, "files pattern '/etc/*.json' is absolute: patterns are relative to the scanned directory"],
    ]);
  });
});
