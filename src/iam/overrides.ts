/**
 * The project's access-level override list (src/iam/data/access-level-overrides.json): a few
 * actions whose official access level is known to be wrong, each with its reason. An entry is
 * applied only while the data still gives the level it corrects (`from`); the tests fail
 * when an entry no longer applies, so a data update gets a human review.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccessLevel, IamAction } from './types';

/** One entry of the override list. */
export interface AccessLevelOverride {
  readonly action: string;
  readonly from: readonly AccessLevel[];
  readonly to: readonly AccessLevel[];
  readonly reason: string;
  readonly source: string;
}

/** An action that was considered for the list and deliberately left at its official level. */
export interface AccessLevelConsidered {
  readonly action: string;
  readonly level: readonly AccessLevel[];
  readonly decision: string;
  readonly reason: string;
}

interface OverrideFile {
  readonly overrides: readonly AccessLevelOverride[];
  readonly considered: readonly AccessLevelConsidered[];
}

let file: OverrideFile | undefined;
let byAction: Map<string, AccessLevelOverride> | undefined;

function load(): OverrideFile {
  if (!file) {
    const text = fs.readFileSync(path.join(__dirname, 'data', 'access-level-overrides.json'), 'utf8');
    file = JSON.parse(text) as OverrideFile;
    byAction = new Map(file.overrides.map((o) => [o.action.toLowerCase(), o]));
  }
  return file;
}

/** The override list, as shipped. */
export function accessLevelOverrides(): readonly AccessLevelOverride[] {
  return load().overrides;
}

/** Actions considered for the list and deliberately not overridden, with the reason. */
export function accessLevelsConsidered(): readonly AccessLevelConsidered[] {
  return load().considered;
}

function sameLevels(a: readonly AccessLevel[], b: readonly AccessLevel[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Apply the override for `action`, if any and if it still corrects the official level. */
export function applyOverride(action: IamAction): IamAction {
  load();
  const entry = byAction!.get(action.name.toLowerCase());
  if (!entry || !sameLevels(entry.from, action.accessLevels)) return action;
  return { ...action, accessLevels: [...entry.to], override: { from: action.accessLevels, reason: entry.reason } };
}
