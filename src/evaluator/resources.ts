/**
 * Which of several given resources each action of a request is asked about.
 *
 * A console task spans services (Connect, S3, KMS, ...): one ARN cannot be "the" resource
 * of every action. A given resource applies only to the actions whose resource types it
 * fits (the IAM data's ARN formats); every other action stays at "any resource" (`*`).
 *
 * The option takes one ARN (or pattern), a list of them, or a map by service prefix
 * (`{ connect: 'arn:…:instance/abcd', s3: ['arn:aws:s3:::recordings'], kms: 'arn:…:key/k1' }`).
 *
 * "Fits": the resource (read as a wildcard pattern, `*` any run, `?` one character) and
 * the format (each `${Placeholder}` a non-empty value) can describe one ARN. Placeholders
 * are first read strictly, as one path element (no `/`, no `:`); only when no resource
 * type of the ARN's service fits that way are they read as any text, and then a type
 * nested under another one that also fits (contact-flow under instance, object under
 * bucket) wins. So `…:instance/abcd` fits the instance type and not the contact-flow type,
 * `…:instance/abcd/contact-flow/x` the contact-flow type and not the instance type, and
 * `arn:aws:s3:::recordings/2024/a.wav` the object type and not the bucket type.
 */
import { UsageError } from '../errors';
import { getAction, getService, listServices } from '../iam';
import type { IamResourceType } from '../iam/types';
import { describeType } from '../policy/normalize';
import { closestNames } from '../util/suggest';

/** A resource option as a user writes it. */
export type ResourceOption =
  | string
  | readonly string[]
  | Readonly<Record<string, string | readonly string[]>>;

/** One given resource, with the service it was given for (map form). */
export interface GivenResource {
  readonly resource: string;
  /** The map key it was given under (lower-case), when the map form was used. */
  readonly service?: string;
}

/**
 * Check and flatten a resource option. `where` names the option in messages
 * ("options.resource", "resource", "--resource"). Throws UsageError.
 */
export function givenResources(option: unknown, where = 'options.resource'): GivenResource[] {
  if (option === undefined) return [];
  const bad = (what: string): never => {
    throw new UsageError(
      `${where} must be a string (an ARN or pattern), a list of them, or a map by service such as { connect: 'arn:aws:connect:…:instance/…', s3: 'arn:aws:s3:::bucket' }${what ? ` (${what})` : ''}; received ${describeType(option)}.`,
    );
  };
  const one = (value: unknown, service?: string): GivenResource => {
    if (typeof value !== 'string' || value.trim() === '') bad('every ARN a non-empty string');
    return service === undefined ? { resource: value as string } : { resource: value as string, service };
  };
  if (typeof option === 'string') return [one(option)];
  if (Array.isArray(option)) {
    if (option.length === 0) bad('the list is empty');
    return option.map((v) => one(v));
  }
  if (typeof option !== 'object' || option === null) return bad('');
  const out: GivenResource[] = [];
  const keys = Object.keys(option);
  if (keys.length === 0) bad('the map is empty');
  for (const key of keys) {
    const service = key.toLowerCase();
    if (!getService(service)) {
      const near = closestNames(key, listServices());
      throw new UsageError(
        `${where}: '${key}' is not an IAM service prefix` + (near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
          ` (the map form is keyed by service, e.g. { connect: 'arn:…', s3: 'arn:…' }).`,
      );
    }
    const v = (option as Record<string, unknown>)[key];
    const list = Array.isArray(v) ? v : [v];
    if (list.length === 0) bad(`the list for '${key}' is empty`);
    for (const item of list) {
      const g = one(item, service);
      const arnService = serviceOfArn(g.resource);
      if (arnService !== undefined && arnService !== service) {
        throw new UsageError(`${where}.${key}: '${g.resource}' is an ARN of service '${arnService}', not '${service}'.`);
      }
      out.push(g);
    }
  }
  return out;
}

/** The literal service segment of an ARN or ARN pattern, lower-case; undefined when absent or a wildcard. */
export function serviceOfArn(resource: string): string | undefined {
  if (!resource.startsWith('arn:')) return undefined;
  const parts = resource.split(':');
  if (parts.length < 3) return undefined;
  const s = parts[2]!;
  return s === '' || /[*?]/.test(s) ? undefined : s.toLowerCase();
}

// ---- fitting a resource to ARN formats ------------------------------------------------------

const STAR = -1;
const ANY = -2;
/** A placeholder `${...}` of a format: one or more characters. */
const VAR = -3;
const SLASH = 47;
const COLON = 58;

function patternCodes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out.push(c === 42 ? STAR : c === 63 ? ANY : c);
  }
  return out;
}

function formatCodes(format: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < format.length; i++) {
    if (format.startsWith('${', i)) {
      const close = format.indexOf('}', i + 2);
      if (close > 0) {
        out.push(VAR);
        i = close;
        continue;
      }
    }
    const c = format.charCodeAt(i);
    // A format of "*" (a type with no known format) is a wildcard.
    out.push(format === '*' ? STAR : c);
  }
  return out;
}

/**
 * Can one string match both the resource pattern `p` and the format `f`? A format
 * placeholder is a non-empty run of characters; `strict`: without `/` and `:`.
 * A search over (position in p, position in f, inside a placeholder): O(|p|·|f|).
 */
function intersectsFormat(p: readonly number[], f: readonly number[], strict: boolean): boolean {
  const n = p.length;
  const m = f.length;
  const seen = new Uint8Array((n + 1) * (m + 1) * 2);
  const stack: number[] = [];
  const push = (i: number, j: number, v: number): void => {
    const k = (i * (m + 1) + j) * 2 + v;
    if (seen[k]) return;
    seen[k] = 1;
    stack.push(i, j, v);
  };
  const allowed = (c: number): boolean => !strict || (c !== SLASH && c !== COLON);
  push(0, 0, 0);
  while (stack.length) {
    const v = stack.pop()!;
    const j = stack.pop()!;
    const i = stack.pop()!;
    if (i === n && j === m && v === 0) return true;
    const pc = i < n ? p[i]! : undefined;
    const fc = j < m ? f[j]! : undefined;
    // Epsilon moves: a star may match nothing; a placeholder with at least one character may end.
    if (pc === STAR) push(i + 1, j, v);
    if (v === 1) push(i, j + 1, 0);
    if (fc === STAR) push(i, j + 1, 0);
    if (pc === undefined || fc === undefined) continue;
    // Consume one character on both sides.
    const nextI = pc === STAR ? i : i + 1;
    if (fc === VAR) {
      if (pc === STAR || pc === ANY || allowed(pc)) push(nextI, j, 1);
    } else if (fc === STAR) {
      // A format of "*": anything.
      push(nextI, j, 0);
    } else if (pc === STAR || pc === ANY || pc === fc) {
      push(nextI, j + 1, 0);
    }
  }
  return false;
}

/** Does every string the format `inner` describes fit `outer` too (placeholders read as any text)? */
function nestedUnder(inner: readonly number[], outer: readonly number[]): boolean {
  // Read inner's placeholders as one sample character each and outer's loosely: a sound
  // approximation for ARN formats (literals aligned, placeholders absorbing text).
  return inner !== outer && intersectsFormat(inner.map((c) => (c === VAR ? 120 : c)), outer, false) && inner.length > outer.length;
}

interface CompiledType {
  readonly type: IamResourceType;
  readonly codes: readonly number[];
}

const serviceTypes = new Map<string, readonly CompiledType[]>();

/** Every resource type of a service (union over its actions), with compiled formats. */
function typesOf(service: string): readonly CompiledType[] {
  let list = serviceTypes.get(service);
  if (list) return list;
  const byName = new Map<string, CompiledType>();
  const s = getService(service);
  if (s) {
    for (const a of s.actions.values()) {
      for (const t of a.resourceTypes) if (!byName.has(t.name)) byName.set(t.name, { type: t, codes: formatCodes(t.arn) });
    }
  }
  list = [...byName.values()];
  serviceTypes.set(service, list);
  return list;
}

const fitCache = new Map<string, ReadonlySet<string>>();

/**
 * The resource types (by name) of `service` that `resource` fits, per the rule at the top
 * of this module. A resource that is not an ARN pattern (e.g. `*`, `*abcd*`) fits every type.
 */
export function fittingTypes(resource: string, service: string): ReadonlySet<string> {
  const key = `${service}\u0000${resource}`;
  const cached = fitCache.get(key);
  if (cached) return cached;
  const types = typesOf(service);
  const p = patternCodes(resource);
  let fit = types.filter((t) => intersectsFormat(p, t.codes, true));
  if (fit.length === 0) {
    const loose = types.filter((t) => intersectsFormat(p, t.codes, false));
    fit = loose.filter((t) => !loose.some((o) => o !== t && nestedUnder(o.codes, t.codes)));
  }
  const out = new Set(fit.map((t) => t.type.name));
  if (fitCache.size > 4096) fitCache.clear();
  fitCache.set(key, out);
  return out;
}

/** Does the given resource apply to `action` (a real IAM action name)? */
export function fitsAction(given: GivenResource, action: string): boolean {
  const a = getAction(action);
  if (!a || a.resourceTypes.length === 0) return false;
  if (given.service !== undefined && given.service !== a.service) return false;
  const arnService = serviceOfArn(given.resource);
  if (arnService !== undefined && arnService !== a.service) return false;
  const fit = fittingTypes(given.resource, a.service);
  return a.resourceTypes.some((t) => fit.has(t.name));
}

/** The given resources that apply to `action` (empty: the action is asked about "any resource"). */
export function resourcesFor(given: readonly GivenResource[], action: string): string[] {
  const out: string[] = [];
  for (const g of given) if (fitsAction(g, action) && !out.includes(g.resource)) out.push(g.resource);
  return out;
}

/**
 * Every given resource must fit some action asked about; one that fits none cannot change
 * any answer and is a usage error naming the services of those actions (`what`: "console
 * task 'Data storage / Edit call recording'").
 */
export function assertResourcesFit(given: readonly GivenResource[], actions: readonly string[], what: string, where = 'options.resource'): void {
  for (const g of given) {
    if (actions.some((a) => fitsAction(g, a))) continue;
    const services = new Map<string, Set<string>>();
    for (const a of actions) {
      const action = getAction(a);
      if (!action || action.resourceTypes.length === 0) continue;
      const set = services.get(action.service) ?? new Set<string>();
      for (const t of action.resourceTypes) set.add(t.name);
      services.set(action.service, set);
    }
    const list = [...services].map(([s, types]) => `${s} (${[...types].join(', ')})`).join(', ');
    throw new UsageError(
      `${where}: '${g.resource}'${g.service ? ` (given for ${g.service})` : ''} fits no action of ${what}: it matches none of their resource types. ` +
        (list ? `Its actions that take a resource belong to: ${list}.` : `None of its actions takes a resource: leave ${where} out.`),
    );
  }
}

/** The services of the actions whose resource a resource option could pin, with their types. */
export function resourceServices(actions: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of actions) {
    const action = getAction(a);
    if (action && action.resourceTypes.length && !out.includes(action.service)) out.push(action.service);
  }
  return out;
}
