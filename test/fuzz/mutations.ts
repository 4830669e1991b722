/**
 * Structure-aware mutations of policy files and templates for the hardening fuzz pass
 * (hostile.fuzz.ts). test/loaders/mutate.ts flips raw bytes; these operations know what a
 * policy looks like: wrong types in every policy element, deleted and duplicated keys,
 * huge strings, deep nesting, non-UTF-8 bytes, BOMs, CRLF, truncation.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Keys whose values the mutations target: every policy element and the template keys around them. */
export const ELEMENTS = [
  'Version', 'Statement', 'Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal',
  'PolicyDocument', 'Policies', 'PolicyName', 'ManagedPolicyArns', 'PermissionsBoundary', 'Roles', 'Users', 'Groups',
  'Properties', 'Type', 'Resources', 'Parameters', 'Conditions', 'Mappings', 'Transform', 'AssumeRolePolicyDocument',
  'StringEquals', 'StringLike', 'ArnLike', 'Bool', 'Null', 'IpAddress', 'NumericLessThan', 'DateGreaterThan',
  'Fn::If', 'Fn::Sub', 'Fn::Join', 'Fn::GetAtt', 'Ref', 'Fn::FindInMap', 'Fn::Select', 'Fn::Split',
] as const;

/** Values of the wrong type (or hostile shape) for any element, as JSON and as YAML text. */
export function wrongValue(kind: number, size: number): { json: unknown; yaml: string } {
  switch (kind % 16) {
    case 0: return { json: 42, yaml: '42' };
    case 1: return { json: true, yaml: 'true' };
    case 2: return { json: null, yaml: '~' };
    case 3: return { json: {}, yaml: '{}' };
    case 4: return { json: [], yaml: '[]' };
    case 5: return { json: [[1, { a: null }]], yaml: '[[1, {a: ~}]]' };
    case 6: return { json: 'x'.repeat(1000 + size * 997), yaml: `"${'x'.repeat(1000 + size * 997)}"` }; // huge string
    case 7: {
      const depth = 50 + (size % 200); // deep nesting, around the depth limit
      return { json: JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`), yaml: `${'['.repeat(depth)}1${']'.repeat(depth)}` };
    }
    case 8: return { json: JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'), yaml: '{__proto__: {polluted: 1}, constructor: {prototype: {polluted: 1}}}' };
    case 9: return { json: { 'Fn::GetAtt': ['Missing', 'Arn'] }, yaml: '!GetAtt Missing.Arn' };
    case 10: return { json: { 'Fn::If': ['NoSuchCondition', 'a', { Ref: 'AWS::NoValue' }] }, yaml: '!If [NoSuchCondition, a, !Ref AWS::NoValue]' };
    case 11: return { json: { Ref: 'NoSuchParameter' }, yaml: '*undefinedAlias' };
    case 12: return { json: ['allow', 'ALLOW', '*', '', 'connect:*'], yaml: '[allow, ALLOW, "*", "", "connect:*"]' };
    case 13: return { json: '${AWS::NoValue}${!x}${', yaml: '!Sub "${AWS::NoValue}${!x}${"' };
    case 14: return { json: -1e308, yaml: '.nan' };
    default: return { json: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'x' }, 1]] }, yaml: '!Join ["", [!ImportValue x, 1]]' };
  }
}

export type Op =
  | { readonly t: 'wrongType'; readonly nth: number; readonly kind: number; readonly size: number }
  | { readonly t: 'deleteKey'; readonly nth: number }
  | { readonly t: 'duplicateKey'; readonly nth: number; readonly kind: number }
  | { readonly t: 'deleteLine'; readonly at: number }
  | { readonly t: 'duplicateLines'; readonly at: number; readonly len: number }
  | { readonly t: 'indent'; readonly at: number; readonly by: number }
  | { readonly t: 'truncate'; readonly at: number }
  | { readonly t: 'flip'; readonly at: number; readonly byte: number }
  | { readonly t: 'badBytes'; readonly at: number; readonly which: number }
  | { readonly t: 'bom'; readonly which: number }
  | { readonly t: 'crlf'; readonly cr: boolean }
  | { readonly t: 'anchor'; readonly at: number };

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('wrongType' as const), nth: fc.nat(400), kind: fc.nat(15), size: fc.nat(300) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('deleteKey' as const), nth: fc.nat(400) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('duplicateKey' as const), nth: fc.nat(400), kind: fc.nat(15) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('deleteLine' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('duplicateLines' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(255) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('badBytes' as const), at: fc.nat(), which: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('bom' as const), which: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('crlf' as const), cr: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('anchor' as const), at: fc.nat() }) },
);

const KEY_RE = new RegExp(`("?)(${ELEMENTS.map((e) => e.replace(/[:]/g, ':')).join('|')})\\1(\\s*):`, 'g');

/** Offsets of element keys in the text (JSON `"Key":` or YAML `Key:`). */
function keyOffsets(text: string): Array<{ at: number; end: number; key: string }> {
  const out: Array<{ at: number; end: number; key: string }> = [];
  for (const m of text.matchAll(KEY_RE)) out.push({ at: m.index!, end: m.index! + m[0].length, key: m[2]! });
  return out;
}

/** Where the inline value after `key:` ends: end of line for YAML, a balanced scan for JSON. */
function valueEnd(text: string, from: number, json: boolean): number {
  if (!json) {
    const nl = text.indexOf('\n', from);
    return nl === -1 ? text.length : nl;
  }
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i;
      depth--;
    } else if (c === ',' && depth === 0) return i;
  }
  return text.length;
}

const BAD_BYTES = [[0xff], [0xc3, 0x28], [0xe2, 0x28, 0xa1], [0xf0, 0x90, 0x28], [0xed, 0xa0, 0x80], [0x00]];
const BOMS = [[0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]];

/** Apply the operations in order; text operations see the bytes as UTF-8 (lossy after a byte mutation, on purpose). */
export function applyOps(original: Buffer, ops: readonly Op[], json: boolean): Buffer {
  let bytes = Buffer.from(original);
  const text = (): string => bytes.toString('utf8');
  for (const op of ops) {
    if (bytes.length === 0) break;
    switch (op.t) {
      case 'wrongType':
      case 'deleteKey':
      case 'duplicateKey': {
        const t = text();
        const keys = keyOffsets(t);
        if (keys.length === 0) break;
        const k = keys[op.nth % keys.length]!;
        const end = valueEnd(t, k.end, json);
        if (op.t === 'wrongType') {
          const v = wrongValue(op.kind, op.size);
          bytes = Buffer.from(t.slice(0, k.end) + ' ' + (json ? JSON.stringify(v.json) : v.yaml) + t.slice(end));
        } else if (op.t === 'deleteKey') {
          bytes = Buffer.from(t.slice(0, k.at) + t.slice(json && t[end] === ',' ? end + 1 : end));
        } else {
          const v = wrongValue(op.kind, 0);
          const dup = json ? `"${k.key}": ${JSON.stringify(v.json)}, ` : `${k.key}: ${v.yaml}\n${' '.repeat(k.at - t.lastIndexOf('\n', k.at) - 1)}`;
          bytes = Buffer.from(t.slice(0, k.at) + dup + t.slice(k.at));
        }
        break;
      }
      case 'deleteLine':
      case 'duplicateLines':
      case 'indent': {
        const lines = text().split('\n');
        const i = op.at % lines.length;
        if (op.t === 'deleteLine') lines.splice(i, 1);
        else if (op.t === 'duplicateLines') lines.splice(i, 0, ...lines.slice(i, i + op.len));
        else lines[i] = op.by > 0 ? ' '.repeat(op.by) + lines[i] : lines[i]!.slice(Math.min(-op.by, lines[i]!.length - lines[i]!.trimStart().length));
        bytes = Buffer.from(lines.join('\n'));
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, op.at % bytes.length);
        break;
      case 'flip':
        bytes[op.at % bytes.length] = op.byte;
        break;
      case 'badBytes': {
        const at = op.at % bytes.length;
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(BAD_BYTES[op.which % BAD_BYTES.length]!), bytes.subarray(at)]);
        break;
      }
      case 'bom':
        bytes = Buffer.concat([Buffer.from(BOMS[op.which % BOMS.length]!), bytes]);
        break;
      case 'crlf':
        bytes = Buffer.from(text().replace(/\r?\n/g, op.cr ? '\r' : '\r\n'));
        break;
      case 'anchor': {
        // an anchor on one value and aliases to it elsewhere (YAML), or a stray '&'/'*' in JSON
        const lines = text().split('\n');
        const i = op.at % lines.length;
        const j = (op.at * 7 + 3) % lines.length;
        lines[i] = lines[i]!.replace(/:\s+(\S)/, ': &fz $1');
        lines[j] = lines[j]!.replace(/:\s+\S.*$/, ': *fz');
        bytes = Buffer.from(lines.join('\n'));
        break;
      }
    }
  }
  return bytes;
}

/** Seed files: the repo's own fixtures and examples, plus the shared corpus when present. */
export function seedFiles(): { own: string[]; corpus: string[]; corpusDir: string | undefined } {
  const own: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'test' && e.name !== 'vitest') walk(p);
      } else if (/\.(json|ya?ml|template)$/.test(e.name) && fs.statSync(p).size < 200_000) own.push(p);
    }
  };
  walk(path.join(REPO_ROOT, 'test', 'loaders', 'fixtures'));
  walk(path.join(REPO_ROOT, 'examples'));
  const corpusDir = path.join(REPO_ROOT, '..', 'shared', 'corpus', 'templates');
  const corpus = fs.existsSync(corpusDir) ? fs.readdirSync(corpusDir).sort().map((f) => path.join(corpusDir, f)) : [];
  return { own: own.sort(), corpus, corpusDir: fs.existsSync(corpusDir) ? corpusDir : undefined };
}
