/**
 * Hostile and broken input: whatever the bytes, loading either succeeds or throws one of the
 * package's typed errors (loadFile never throws). A short seeded pass; the hardening issue's
 * fuzz target runs longer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { loadFile, loadPolicyFile, loadTemplate } from '../../src/loaders';
import { tempFile } from './helpers';
import { expectTyped, mutate, seedFiles } from './mutate';

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
    expectTyped(() => loadPolicyFile(tempFile('p.json', `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${'a'.repeat(2_000_000)}", "Resource": "*"}]}`)));
    expectTyped(() => loadTemplate(tempFile('t.yaml', `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub "${'${A}'.repeat(20_000)}"\n`)));
    expectTyped(() => loadTemplate(tempFile('t.yaml', `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: ${'!Join ["", ['.repeat(500)}a${']]'.repeat(500)}\n`)));
    // a hang fails by the test's timeout; speed is not asserted
  }, 60_000);
});
