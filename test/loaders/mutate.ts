/** Seed files and byte mutations shared by the short (hostile.test.ts) and long (loaders.fuzz.ts) passes. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JestConnectIamError } from '../../src/errors';
import { corpusDir, fixture } from './helpers';

export const seedFiles = (limit = 12): string[] => {
  const own = ['templates/tags.yaml', 'templates/attachments.yaml', 'templates/sam.yaml', 'templates/long-forms.template', 'policies/connect-admin.json', 'policies/list.json'].map((f) => fixture(...f.split('/')));
  const corpus = corpusDir();
  const extra = corpus ? fs.readdirSync(corpus).filter((f) => fs.statSync(path.join(corpus, f)).size < 40_000).slice(0, limit).map((f) => path.join(corpus, f)) : [];
  return [...own, ...extra];
};

export function mutate(bytes: Buffer, ops: Array<{ kind: number; at: number; value: number; len: number }>): Buffer {
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

export const expectTyped = (fn: () => unknown): void => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof JestConnectIamError)) throw new Error(`untyped error: ${String((e as Error)?.stack ?? e)}`);
  }
};

