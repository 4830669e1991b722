/**
 * The long pass of the loaders' hostile-input check (`npm run fuzz`): mutated corpus files and
 * fixtures load or throw the package's typed errors; loadFile never throws. Short by default.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { loadFile, loadPolicyFile, loadTemplate } from '../../src/loaders';
import { tempFile } from './helpers';
import { expectTyped, mutate, seedFiles } from './mutate';

const LONG = process.env.FUZZ_LONG === '1';

test(`mutated files: typed errors only (${LONG ? 'long' : 'short'} pass)`, () => {
  const files = seedFiles(LONG ? 1000 : 20);
  const originals = files.map((f) => fs.readFileSync(f));
  fc.assert(
    fc.property(
      fc.nat({ max: files.length - 1 }),
      fc.array(fc.record({ kind: fc.nat({ max: 4 }), at: fc.nat(), value: fc.nat({ max: 255 }), len: fc.nat({ max: 256 }) }), { minLength: 1, maxLength: 8 }),
      (i, ops) => {
        const f = tempFile(path.basename(files[i]!), mutate(originals[i]!, ops));
        expect(() => loadFile(f)).not.toThrow();
        expectTyped(() => loadTemplate(f));
        expectTyped(() => loadPolicyFile(f));
      },
    ),
    { seed: Number(process.env.FUZZ_SEED ?? 4242), numRuns: LONG ? 5000 : 200 },
  );
}, 600_000);
