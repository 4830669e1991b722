/**
 * Hostile and broken input: whatever the bytes, loading either succeeds or throws one of the
 * package's typed errors (loadFile never throws). A short seeded pass; the hardening issue's
 * fuzz target runs longer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { JestConnectIamError } from '../../src/errors';
import { loadFile, loadPolicyFile, loadTemplate } from '../../src/loaders';
import { corpusDir, fixture, tempFile } from './helpers';

const seedFiles = (): string[] => {
  const own = ['templates/tags.yaml', 'templates/attachments.yaml', 'templates/sam.yaml', 'templates/long-forms.template', 'policies/connect-admin.json', 'policies/list.json'].map((f) => fixture(...f.split('/')));
  const corpus = corpusDir();
  const extra = corpus ? fs.readdirSync(corpus).filter((f) => fs.statSync(path.join(corpus, f)).size < 40_000).slice(0, 12).map((f) => path.join(corpus, f)) : [];
  return [...own, ...extra];
};

function mutate(bytes: Buffer, ops: Array<{ kind: number; at: number; value: number; len: number }>): Buffer {
  let b = Buffer.from(bytes);
  for (const op of ops) {
    if (b.length === 0) break;
    const at = op.at % b.length;
    switch (op.kind) {
      case 0: // truncate
        b = b.subarray(0, at);
        break;
      case 1: // flip a byte
        b[at] = op.value;
        break;
      case 2: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + op.len))]);
        break;
      case 3: // duplicate a range (duplicated keys, lines)
        b = Buffer.concat([b.subarray(0, at + op.len), b.subarray(at, Math.min(b.length, at + op.len)), b.subarray(at + op.len)]);
        break;
      case 4: // insert a hostile fragment
        b = Buffer.concat([b.subarray(0, at), Buffer.from(['__proto__: x\n', '\uFEFF', '\r\n', '&a [*a]', '{{{{', '!Ref', '\xff\xfe', '"', ': !If [', ' '.repeat(op.len)][op.value % 10]!, 'latin1'), b.subarray(at)]);
        break;
      default:
        break;
    }
  }
  return b;
}

const expectTyped = (fn: () => unknown): void => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof JestConnectIamError)) throw new Error(`untyped error: ${String((e as Error)?.stack ?? e)}`);
  }
};

describe('mutated files', () => {
  const files = seedFiles();
  const originals = files.map((f) => fs.readFileSync(f));
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  test('every load succeeds or throws a typed error; loadFile never throws; Object.prototype untouched', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: files.length - 1 }),
        fc.array(fc.record({ kind: fc.nat({ max: 4 }), at: fc.nat(), value: fc.nat({ max: 255 }), len: fc.nat({ max: 64 }) }), { minLength: 1, maxLength: 4 }),
        (i, ops) => {
          const f = tempFile(path.basename(files[i]!), mutate(originals[i]!, ops));
          expect(() => loadFile(f)).not.toThrow();
          expectTyped(() => loadTemplate(f));
          expectTyped(() => loadPolicyFile(f));
        },
      ),
      { seed: 20261128, numRuns: 150 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
  });

  test('wrong types in every policy element are typed errors', () => {
    const values = ['1', 'true', 'null', '{}', '[]', '[1]', '{"a": 1}', '"allow"', '[{"Ref": "X"}]'];
    for (const element of ['Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Sid', 'Statement', 'Version']) {
      for (const v of values) {
        const doc = element === 'Statement' || element === 'Version'
          ? `{"Version": ${element === 'Version' ? v : '"2012-10-17"'}, "Statement": ${element === 'Statement' ? v : '[{"Effect": "Allow", "Action": "a:b", "Resource": "*"}]'}}`
          : `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "a:b", "Resource": "*", "${element}": ${v}}]}`;
        expectTyped(() => loadPolicyFile(tempFile('p.json', doc)));
      }
    }
  });

  test('huge strings and deep nesting stay bounded', () => {
    const started = Date.now();
    expectTyped(() => loadPolicyFile(tempFile('p.json', `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${'a'.repeat(2_000_000)}", "Resource": "*"}]}`)));
    expectTyped(() => loadTemplate(tempFile('t.yaml', `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub "${'${A}'.repeat(20_000)}"\n`)));
    expectTyped(() => loadTemplate(tempFile('t.yaml', `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: ${'!Join ["", ['.repeat(500)}a${']]'.repeat(500)}\n`)));
    expect(Date.now() - started).toBeLessThan(20_000); // hang guard
  });
});
