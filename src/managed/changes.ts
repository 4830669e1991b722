/**
 * What an AWS update did: for AWS managed policies, which version was in effect at a date (or in a
 * released version of this package) and which is the bundled default now, with the access
 * difference between the two (console tasks and non-read actions gained or lost). Result data for
 * `jest-connect-iam managed-policies --since`.
 */
import { UnknownNameError, UsageError } from '../errors';
import { closestNames } from '../util/suggest';
import { managedPolicy } from './index';
import { policyVersions, type PolicyVersionInfo } from './versions';
import releasesJson = require('./data/releases.json');

export interface ReleaseRecord {
  readonly source: { readonly package: string; readonly version: string };
  readonly dataDate: string;
  readonly defaults: Readonly<Record<string, string>>;
}

const RELEASES = (releasesJson as { releases: Record<string, ReleaseRecord> }).releases;

/** The released versions of this package whose bundled defaults are recorded. */
export function recordedReleases(): string[] {
  return Object.keys(RELEASES);
}

/** `--since`: an ISO date (YYYY-MM-DD or a full timestamp) or a recorded package version. */
export type Since = { readonly kind: 'date'; readonly date: string } | { readonly kind: 'release'; readonly version: string; readonly record: ReleaseRecord };

export function parseSince(value: string): Since {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError('--since needs a date (2026-01-31) or a jest-connect-iam version');
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) {
    const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v.replace(' ', 'T'));
    if (Number.isNaN(t)) throw new UsageError(`--since: '${value}' is not a valid date`);
    return { kind: 'date', date: new Date(t).toISOString().replace('.000Z', 'Z') };
  }
  const record = RELEASES[v.replace(/^v(?=\d)/, '')];
  if (record) return { kind: 'release', version: v.replace(/^v(?=\d)/, ''), record };
  throw new UnknownNameError('jest-connect-iam version', value, closestNames(v, recordedReleases()), `(recorded versions: ${recordedReleases().join(', ')}; or give a date such as 2026-01-31)`);
}

/** Which version of a policy was the default at `since`, as far as the bundled data can tell. */
export interface VersionAt {
  /** The version in effect then; undefined when the policy did not exist yet, or nothing can be said. */
  readonly versionId?: string;
  /** False when versions of unknown date lie around the date: the version in effect may be a later one (up to `latestPossible`). */
  readonly exact: boolean;
  readonly latestPossible?: string;
  /** The policy was created after the date. */
  readonly createdAfter?: boolean;
  readonly note?: string;
}

export function versionAt(name: string, since: Since): VersionAt {
  const versions = policyVersions(name);
  if (since.kind === 'release') {
    const v = since.record.defaults[name];
    if (v) return { versionId: v, exact: true };
    const current = managedPolicy(name);
    return { exact: false, note: `${name} is not recorded for ${since.version}; the bundled default now is ${current.versionId ?? '?'}` };
  }
  if (!versions) {
    const current = managedPolicy(name);
    if (current.createDate && current.createDate <= since.date) return { versionId: current.versionId, exact: true };
    return {
      exact: false,
      note: `only the default version ${current.versionId ?? '?'} (created ${current.createDate ?? 'at an unknown date'}) is bundled: what was in effect on ${since.date.slice(0, 10)} is not`,
    };
  }
  return fromHistory(versions, since.date);
}

function fromHistory(versions: readonly PolicyVersionInfo[], date: string): VersionAt {
  // The last version known to be created on or before the date.
  let at = -1;
  for (let i = 0; i < versions.length; i++) if (versions[i]!.createDate !== undefined && versions[i]!.createDate! <= date) at = i;
  if (at < 0) {
    const firstKnown = versions.find((v) => v.createDate !== undefined);
    if (versions[0]!.createDate !== undefined && versions[0]!.createDate > date) return { exact: true, createdAfter: true };
    return { exact: false, ...(firstKnown ? { latestPossible: versions[Math.max(0, versions.indexOf(firstKnown) - 1)]!.versionId } : {}), versionId: versions[0]!.versionId, note: 'the dates of the early versions are not known' };
  }
  // Versions after it whose date is unknown may have been created before the date too.
  let j = at + 1;
  while (j < versions.length && versions[j]!.createDate === undefined) j++;
  const exact = j === at + 1;
  return { versionId: versions[at]!.versionId, exact, ...(exact ? {} : { latestPossible: versions[j - 1]!.versionId }) };
}
