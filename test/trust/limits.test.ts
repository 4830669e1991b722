/**
 * Limits with clear errors (src/loaders/source.ts DEFAULT_LIMITS): file size (10 MB, option
 * maxFileBytes), YAML alias expansion (1000, maxAliasCount), nesting depth (100, maxDepth) and
 * statements per policy (10,000, maxStatements). Each is proven through `loadFile` (the scans'
 * loader: it reports `error`, never throws), the throwing loaders, and the CLI: the message
 * names the limit, its option and the file.
 */
import * as path from 'node:path';
import { DEFAULT_LIMITS, PolicySourceError, loadFile, loadPolicyFile, loadTemplate } from '../../src';
import { cli, tempDir, writeTree } from './helpers';

const statement = { Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' };
const policy = (n: number): string => JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: n }, () => statement) });

/** An alias bomb: 10 levels of 10 aliases each (10^10 copies if expanded). */
function aliasBomb(): string {
  let y = 'Resources: {}\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n';
  for (let i = 1; i < 10; i++) y += `x${i}: &x${i} [${Array.from({ length: 10 }, () => `*x${i - 1}`).join(', ')}]\n`;
  return y;
}

const FILES: Record<string, string> = {
  'big.json': policy(1).replace(/\}$/, `${' '.repeat(DEFAULT_LIMITS.maxFileBytes)}}`),
  'bomb.yaml': aliasBomb(),
  'deep.json': policy(1).replace('"Resource":"*"', `"Resource":"*","Condition":{"StringEquals":{"k":${'['.repeat(150)}${']'.repeat(150)}}}`),
  'deep.yaml': `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: ${'{a: '.repeat(150)}1${'}'.repeat(150)}\n`,
  'many.json': policy(DEFAULT_LIMITS.maxStatements + 1),
  'many-template.yaml': JSON.stringify({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 'p', PolicyDocument: JSON.parse(policy(DEFAULT_LIMITS.maxStatements + 1)) }] } } } }),
};

const LIMITS: ReadonlyArray<readonly [string, string, RegExp, Record<string, number>]> = [
  ['file size', 'big.json', /more than the limit of 10485760 bytes \(option maxFileBytes\)/, { maxFileBytes: 20 * 1024 * 1024 }],
  ['YAML alias expansion', 'bomb.yaml', /YAML aliases expand to more than 1000 copies \(option maxAliasCount\)/, { maxAliasCount: 10 }],
  ['nesting depth (JSON)', 'deep.json', /nesting deeper than 100 levels \(option maxDepth\)/, { maxDepth: 200 }],
  ['nesting depth (YAML)', 'deep.yaml', /nesting deeper than 100 levels \(option maxDepth\)/, { maxDepth: 200 }],
  ['statements per policy (policy file)', 'many.json', /10001 statements in one policy, more than the limit of 10000 \(option maxStatements\)/, { maxStatements: 20_000 }],
  ['statements per policy (template)', 'many-template.yaml', /10001 statements in one policy, more than the limit of 10000 \(option maxStatements\)/, { maxStatements: 20_000 }],
];

describe('limits with clear errors naming the limit and the file', () => {
  const dir = writeTree(tempDir(), FILES);

  test('the defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxFileBytes: 10 * 1024 * 1024, maxDepth: 100, maxAliasCount: 1000, maxStatements: 10_000 });
  });

  test.each(LIMITS)('%s: loadFile reports it (file, limit, option); the throwing loaders throw PolicySourceError', (_name, file, message) => {
    const abs = path.join(dir, file);
    const r = loadFile(abs);
    expect(r.error).toBeInstanceOf(PolicySourceError);
    expect(r.error!.message).toMatch(message);
    expect(r.error!.message.startsWith(abs)).toBe(true);
    expect(r.principals).toEqual([]);
    const loader = file.includes('template') || file.endsWith('.yaml') ? loadTemplate : loadPolicyFile;
    expect(() => loader(abs)).toThrow(PolicySourceError);
    expect(() => loader(abs)).toThrow(message);
  });

  test.each(LIMITS)('%s: configurable', (name, file, message, raised) => {
    const abs = path.join(dir, file);
    const r = loadFile(abs, raised);
    // Raised past the input, the same file is no longer refused for that limit.
    if (r.error) expect(r.error.message).not.toMatch(message);
    if (name === 'file size') {
      const small = loadFile(path.join(dir, 'many.json'), { maxFileBytes: 1000 });
      expect(small.error?.message).toMatch(/more than the limit of 1000 bytes \(option maxFileBytes\)/);
    }
    if (name.startsWith('YAML')) expect(r.error?.message).toMatch(/more than 10 copies \(option maxAliasCount\)/);
  });

  test('jest-connect-iam check: every limit is an input error (exit 2) naming the file and the limit; the other files are still checked', () => {
    writeTree(dir, {
      'good.json': policy(1),
      'jest-connect-iam.rules.yaml': 'version: 1\nrules:\n  - name: ro\n    expect: { readOnly: true }\n',
    });
    const r = cli(['check', '--cwd', dir, '--quiet']);
    expect(r.status).toBe(2);
    for (const [, file, message] of LIMITS) {
      const line = r.stdout.split('\n').find((l) => l.includes(`${file}`) && /cannot be read/.test(l));
      expect(line).toMatch(message);
    }
    expect(r.stdout).toMatch(/good\.json/);
  });
});
