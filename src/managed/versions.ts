/**
 * Every bundled version of the AWS managed policies kept with their history
 * (scripts/build-managed-policies.js writes dist/src/managed/data/managed-policy-versions.json:
 * the Amazon Connect family and the broad policies that grant console tasks to people). Read
 * lazily, only when a version other than the default is asked for; each policy's versions are
 * rebuilt from their deltas once per process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JestConnectIamError } from '../errors';
import { patch, type Delta } from './delta';

export interface PolicyVersionInfo {
  readonly versionId: string;
  /** When the version was created (ISO), when the data says so reliably; otherwise undefined. */
  readonly createDate?: string;
  /** Where the date comes from: 'lastUpdatedDate' (the default version), 'package', 'shared VERSIONS.md'. */
  readonly dateFrom?: string;
  readonly isDefault: boolean;
}

interface RawVersion {
  readonly v: string;
  readonly date?: string;
  readonly dateFrom?: string;
  readonly document?: unknown;
  readonly delta?: Delta;
}

interface RawPolicy {
  readonly name: string;
  readonly arn: string;
  readonly defaultVersionId: string;
  readonly createdDate?: string;
  readonly versions: readonly RawVersion[];
}

export interface VersionHistoryFile {
  readonly schema: number;
  readonly source: { readonly package: string; readonly version: string };
  readonly builtAt: string;
  readonly budget: { readonly raw: number; readonly gzip: number };
  readonly policies: readonly RawPolicy[];
}

const FILE = 'managed-policy-versions.json';

export function historyCandidates(): string[] {
  return [path.join(__dirname, 'data', FILE), path.join(__dirname, '..', '..', 'dist', 'src', 'managed', 'data', FILE)];
}

let cached: { file: string; data: VersionHistoryFile; byName: Map<string, RawPolicy> } | undefined;

function history(): { file: string; data: VersionHistoryFile; byName: Map<string, RawPolicy> } {
  if (cached) return cached;
  const file = historyCandidates().find((f) => fs.existsSync(f));
  if (!file) {
    throw new JestConnectIamError(`The bundled managed policy versions are missing (looked for ${historyCandidates().join(', ')}). Run \`npm run build\`.`);
  }
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as VersionHistoryFile;
  if (data.schema !== 1 || !Array.isArray(data.policies)) throw new JestConnectIamError(`${file}: unexpected managed policy versions format; run \`npm run build\`.`);
  cached = { file, data, byName: new Map(data.policies.map((p) => [p.name, p])) };
  return cached;
}

const documents = new Map<string, Map<string, unknown>>();

function freeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) freeze(x);
  }
  return v;
}

function rebuilt(p: RawPolicy): Map<string, unknown> {
  let docs = documents.get(p.name);
  if (!docs) {
    docs = new Map();
    let prev: unknown;
    for (const v of p.versions) {
      const doc = v.document !== undefined ? v.document : patch(prev, v.delta ?? 0);
      docs.set(v.v, freeze(doc));
      prev = doc;
    }
    documents.set(p.name, docs);
  }
  return docs;
}

/** Names of the AWS managed policies whose every version is bundled. */
export function policiesWithHistory(): string[] {
  return [...history().byName.keys()];
}

/** The bundled versions of a policy kept with its history, oldest first; undefined when only its default is bundled. */
export function policyVersions(name: string): PolicyVersionInfo[] | undefined {
  const p = history().byName.get(name);
  if (!p) return undefined;
  return p.versions.map((v) => ({ versionId: v.v, ...(v.date ? { createDate: v.date } : {}), ...(v.dateFrom ? { dateFrom: v.dateFrom } : {}), isDefault: v.v === p.defaultVersionId }));
}

/** The document of one bundled version (frozen), or undefined when that version is not bundled. */
export function policyVersionDocument(name: string, versionId: string): unknown {
  const p = history().byName.get(name);
  if (!p) return undefined;
  return rebuilt(p).get(versionId);
}

/** Where the versions come from (package and version) and the size budget. */
export function versionHistoryInfo(): { readonly source: VersionHistoryFile['source']; readonly builtAt: string; readonly budget: VersionHistoryFile['budget']; readonly policies: number; readonly versions: number; readonly file: string } {
  const h = history();
  return { source: h.data.source, builtAt: h.data.builtAt, budget: h.data.budget, policies: h.data.policies.length, versions: h.data.policies.reduce((n, p) => n + p.versions.length, 0), file: h.file };
}
