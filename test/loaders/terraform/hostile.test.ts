/**
 * Hostile plan JSON: truncations and single-byte mutations of a real-shaped plan (examples/terraform/plan.json)
 * either load or throw the package's typed error (PolicySourceError with a line), never another error, never a hang.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JestConnectIamError, PolicySourceError, loadFile, loadTerraformPlan } from '../../../src';
import { tempDir } from '../../trust/helpers';

const source = fs.readFileSync(path.join(__dirname, '../../../examples/terraform/plan.json'));
const dir = tempDir('jci-tf-hostile-');
let seed = 20261201;
const rand = (n: number): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const BYTES = [0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x2c, 0x3a, 0x5c, 0x00, 0x0a, 0xff, 0x61];

function mutants(): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (let i = 0; i < 40; i++) {
    const at = rand(source.length);
    out.push([`truncated at ${at}`, source.subarray(0, at)]);
  }
  for (let i = 0; i < 120; i++) {
    const at = rand(source.length);
    const b = BYTES[rand(BYTES.length)]!;
    const copy = Buffer.from(source);
    copy[at] = b;
    out.push([`byte ${at} set to 0x${b.toString(16)}`, copy]);
  }
  return out;
}

test('every mutant loads or throws a typed error with a line; loadFile reports it in the result', () => {
  let loaded = 0;
  let typed = 0;
  for (const [name, bytes] of mutants()) {
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, bytes);
    try {
      loadTerraformPlan(file, { sources: false });
      loaded++;
    } catch (e) {
      if (!(e instanceof JestConnectIamError)) throw new Error(`${name}: ${String(e)}`);
      typed++;
      if (e instanceof PolicySourceError && /not valid plan JSON/.test(e.message)) expect(e.line).toBeGreaterThan(0);
    }
    const r = loadFile(file);
    if (r.error) expect(r.error).toBeInstanceOf(PolicySourceError);
  }
  expect(loaded + typed).toBe(160);
  expect(typed).toBeGreaterThan(40);
});
