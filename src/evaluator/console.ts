/**
 * Console checks: every own and prerequisite action of a catalog task, evaluated with the
 * resource and context the catalog gives for it.
 *
 * `resource` (one ARN, a list, or a map by service) applies to the actions whose resource
 * types it fits (src/evaluator/resources.ts); every other action is asked about the
 * catalog's resource (usually `*`, any resource). An action several given resources fit is
 * evaluated once per resource (the task is asked about each of them). A given resource that
 * fits no action of the task (or page) is a usage error naming the task's services.
 */
import { findPage, findTask, taskRequirements } from '../catalog';
import type { CatalogAction, CatalogTask } from '../catalog/types';
import { UsageError } from '../errors';
import { describeType } from '../policy/normalize';
import { compilePrincipal, type CompiledPrincipal } from './compile';
import { checkRequest, evaluateParts, memoisedTask, memoiseTask, optionsKey, stableText } from './evaluate';
import { contextMap, internedContext, internMap } from './request';
import { assertResourcesFit, fitsAction, givenResources, resourcesFor, serviceOfArn, type GivenResource, type ResourceOption } from './resources';
import type { Context } from './variables';
import type { ConsoleTaskResult, EvaluateOptions, TaskActionResult } from './types';

export type { ResourceOption } from './resources';

export interface ConsoleCheckOptions extends Omit<EvaluateOptions, 'resource'> {
  /** Include the View task and home-page instance access the task needs. @default true */
  readonly prerequisites?: boolean;
  /**
   * The resources asked about: one ARN (or pattern), a list, or a map by service prefix
   * (`{ connect: 'arn:…:instance/abcd', s3: 'arn:aws:s3:::recordings', kms: 'arn:…:key/k1' }`).
   * Each applies to the actions whose resource types it fits; the others stay at "any
   * resource". @default every action at the catalog's resource (usually `*`)
   */
  readonly resource?: ResourceOption;
}

/** Per call: the caller's context as a map, the given resources. */
interface CallContext {
  readonly user: Context;
  readonly given: readonly GivenResource[];
  /** The guardrail options (organization, session, resourcePolicies), passed to every action. */
  readonly guardrails: EvaluateOptions;
  /** The memo key of the guardrail options (optionsKey); undefined: not cacheable. */
  readonly guardrailsKey: string | undefined;
  /** The request besides the context as text for the task memo (prerequisites, guardrails, resource option); undefined: not cacheable. */
  readonly taskKey?: string;
}

/** Merged maps per catalog context and (interned) caller context: one object per content. */
const mergedCache = new WeakMap<object, WeakMap<Context, Context>>();

function contextFor(call: CallContext, catalogContext: Readonly<Record<string, string>> | undefined): Context {
  if (!catalogContext) return call.user;
  let byUser = mergedCache.get(catalogContext);
  if (!byUser) {
    byUser = new WeakMap();
    mergedCache.set(catalogContext, byUser);
  }
  let m = byUser.get(call.user);
  if (!m) {
    // Catalog context first, the caller's on top (the caller wins).
    const map = new Map(contextMap(catalogContext));
    for (const [k, v] of call.user) map.set(k, v);
    m = internMap(map);
    byUser.set(call.user, m);
  }
  return m;
}

/** One catalog action of a task's plan; `group` numbers (action, role, from) for grantedOf. */
interface PlanEntry {
  readonly a: CatalogAction;
  readonly role: 'own' | 'prerequisite';
  readonly from?: string;
  readonly group: number;
}

/** A task's actions (own, then prerequisites) as checked, built once per task and prerequisites option. */
interface Plan {
  readonly entries: readonly PlanEntry[];
  readonly groups: number;
  /** The actions a resource can apply to: those at the catalog's `*` (first occurrence order). */
  readonly resourceActions: readonly string[];
}

const plans = new WeakMap<CatalogTask, { with?: Plan; without?: Plan }>();

function planOf(task: CatalogTask, options: ConsoleCheckOptions): Plan {
  const withPrerequisites = options.prerequisites ?? true;
  const slot = withPrerequisites ? 'with' : 'without';
  let entry = plans.get(task);
  const cached = entry?.[slot];
  if (cached) return cached;
  const req = taskRequirements(task, { prerequisites: withPrerequisites });
  const groups = new Map<string, number>();
  const entries: PlanEntry[] = [];
  const add = (a: CatalogAction, role: 'own' | 'prerequisite', from: string | undefined): void => {
    const key = `${a.action}\u0000${role}\u0000${from ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = groups.size;
      groups.set(key, group);
    }
    entries.push(from !== undefined ? { a, role, from, group } : { a, role, group });
  };
  for (const a of req.own) add(a, 'own', undefined);
  for (const a of req.prerequisites) add(a, 'prerequisite', a.from);
  const resourceActions = new Set<string>();
  for (const a of [...req.own, ...req.prerequisites]) if (a.resource === '*') resourceActions.add(a.action);
  const plan: Plan = { entries, groups: groups.size, resourceActions: [...resourceActions] };
  if (!entry) {
    entry = {};
    plans.set(task, entry);
  }
  entry[slot] = plan;
  return plan;
}

const NO_RESOURCES: readonly string[] = [];

function checkTask(compiled: CompiledPrincipal, pageName: string, task: CatalogTask, options: ConsoleCheckOptions, call: CallContext): ConsoleTaskResult {
  const plan = planOf(task, options);
  // A whole task's result per compiled principal and request content (frozen, shared).
  const key = call.taskKey;
  if (key !== undefined) {
    const hit = memoisedTask<ConsoleTaskResult>(compiled, task, call.user, key);
    if (hit) return hit;
  }
  const actions: TaskActionResult[] = [];
  const groupOf: number[] = [];
  for (const { a, role, from, group } of plan.entries) {
    // A resource the catalog states (the service-linked role) is what the console acts on.
    const resources = a.resource === '*' && call.given.length ? resourcesFor(call.given, a.action) : NO_RESOURCES;
    const context = contextFor(call, a.context);
    const n = resources.length || 1;
    for (let k = 0; k < n; k++) {
      const resource = resources.length ? resources[k]! : a.resource;
      const result = evaluateParts(compiled, a.action, resource, context, call.guardrails, call.guardrailsKey);
      groupOf.push(group);
      actions.push(Object.freeze(from !== undefined ? { action: a.action, role, resource, result, from } : { action: a.action, role, resource, result }));
    }
  }
  const granted = grantedOf(plan.groups, actions, groupOf);
  const out: ConsoleTaskResult = { taskId: task.id, page: pageName, task: task.name, granted, actions: Object.freeze(actions) };
  const pin = granted === 'conditional' ? resourcePin(actions, call.given) : undefined;
  const result = Object.freeze(pin ? { ...out, resourcePin: freezePin(pin) } : out);
  if (key !== undefined) memoiseTask(compiled, task, call.user, key, result);
  return result;
}

function freezePin(pin: Readonly<Record<string, readonly string[]>>): Readonly<Record<string, readonly string[]>> {
  for (const k of Object.keys(pin)) Object.freeze(pin[k]);
  return Object.freeze(pin);
}

/**
 * 'yes' when every action is allowed on every resource it is asked about; 'no' when some
 * action is certainly not allowed on any of its resources; 'conditional' otherwise. An action
 * allowed on one given resource and denied on another is neither: the task is granted on some
 * of the resources only, so neither the positive nor the negative form can pass (assert each
 * resource separately). Grouped by (action, role, from): the plan's groups.
 */
function grantedOf(groups: number, actions: readonly TaskActionResult[], groupOf: readonly number[]): ConsoleTaskResult['granted'] {
  const notDenied = new Uint8Array(groups);
  let conditional = false;
  for (let i = 0; i < actions.length; i++) {
    const d = actions[i]!.result.decision;
    if (d !== 'explicitDeny' && d !== 'implicitDeny') notDenied[groupOf[i]!] = 1;
    if (d !== 'allowed') conditional = true;
  }
  for (let g = 0; g < groups; g++) if (!notDenied[g]) return 'no';
  return conditional ? 'conditional' : 'yes';
}

/** The guardrail options (organization, session, resourcePolicies) passed through to every action. */
function guardrailsOf(options: ConsoleCheckOptions): EvaluateOptions {
  return {
    ...(options.organization !== undefined ? { organization: options.organization } : {}),
    ...(options.session !== undefined ? { session: options.session } : {}),
    ...(options.resourcePolicies !== undefined ? { resourcePolicies: options.resourcePolicies } : {}),
  };
}

/** The actions a resource can apply to: those at the catalog's `*`. */
function resourceActions(tasks: readonly CatalogTask[], options: ConsoleCheckOptions): readonly string[] {
  if (tasks.length === 1) return planOf(tasks[0]!, options).resourceActions;
  const out = new Set<string>();
  for (const t of tasks) for (const a of planOf(t, options).resourceActions) out.add(a);
  return [...out];
}

function newCall(options: ConsoleCheckOptions, given: readonly GivenResource[]): CallContext {
  const user = internedContext(options.context);
  const guardrails = guardrailsOf(options);
  const guardrailsKey = optionsKey(guardrails);
  const resourceText = options.resource === undefined ? 'u' : stableText(options.resource, 0);
    // With the (interned) context object: the prerequisites option, the guardrails and the resource option.
  const taskKey =
    guardrailsKey === undefined || resourceText === undefined ? undefined : `${options.prerequisites ?? true ? 1 : 0}\u0000${guardrailsKey}\u0000${resourceText}`;
  return { user, given, guardrails, guardrailsKey, ...(taskKey !== undefined ? { taskKey } : {}) };
}

/** The name of the page a found task is on (findTask found it on the page written, so that page is valid). */
const pageNames = new WeakMap<CatalogTask, string>();
function pageNameOf(task: CatalogTask, page: string): string {
  let name = pageNames.get(task);
  if (name === undefined) {
    name = findPage(page).name;
    pageNames.set(task, name);
  }
  return name;
}

/** Validate the options; `resource` in any of its forms (checkRequest knows the string form only). */
function checkOptions(options: unknown): GivenResource[] {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new UsageError(`checkConsoleTask: options must be an object { resource?, context?, prerequisites? }; received ${describeType(options)}.`);
  }
  const o = (options ?? {}) as Record<string, unknown>;
  // As checkRequest on the options without `resource` (its string form only), then the resource option.
  checkRequest('console', o, true);
  return givenResources(o['resource']);
}

/**
 * The resource option that would pin the resource dependencies of a conditional task: per
 * service, the narrower statement patterns that made an action conditional (replacing the
 * given resource that action was asked about), plus the given resources that still apply.
 * Only patterns that fit the action are offered: a resource that cannot apply cannot help.
 */
export function resourcePin(actions: readonly TaskActionResult[], given: readonly GivenResource[]): Readonly<Record<string, readonly string[]>> | undefined {
  const suggested = new Map<string, string[]>();
  const replaced = new Set<string>();
  for (const a of actions) {
    if (a.result.decision !== 'conditional') continue;
    const service = a.action.slice(0, a.action.indexOf(':')).toLowerCase();
    for (const d of a.result.dependsOn) {
      // A pattern with a template value in it (`${AWS::AccountId}`) cannot be passed as written.
      if (d.kind !== 'resource' || !d.pattern || d.pattern.includes('${')) continue;
      if (!fitsAction({ resource: d.pattern }, a.action)) continue;
      const list = suggested.get(service) ?? [];
      if (!list.includes(d.pattern)) list.push(d.pattern);
      suggested.set(service, list);
      if (a.resource !== '*') replaced.add(a.resource);
    }
  }
  if (suggested.size === 0) return undefined;
  const out: Record<string, string[]> = {};
  const add = (service: string, r: string): void => {
    const list = (out[service] ??= []);
    if (!list.includes(r)) list.push(r);
  };
  for (const g of given) {
    if (replaced.has(g.resource)) continue;
    const service = g.service ?? serviceOfArn(g.resource);
    if (service) add(service, g.resource);
  }
  for (const [service, list] of suggested) for (const r of list) add(service, r);
  return out;
}

/**
 * Check one console task: `granted` is 'yes' when every action (own and prerequisite) is
 * allowed, 'no' when any is denied (explicitly or implicitly), 'conditional' otherwise.
 */
export function checkConsoleTask(subject: unknown, page: string, task: string, options: ConsoleCheckOptions = {}): ConsoleTaskResult {
  const given = checkOptions(options);
  const found = findTask(page, task);
  const pageName = pageNameOf(found, page);
  const call = newCall(options, given);
  assertResourcesFit(call.given, resourceActions([found], options), `console task '${pageName} / ${found.name}'`);
  const compiled = compilePrincipal(subject);
  return checkTask(compiled, pageName, found, options, call);
}

/**
 * Like checkConsoleTask, for callers that check one resource option against several tasks
 * and validated it against all of them (a rule): a resource that fits no action of this
 * task is not an error here, it simply does not apply.
 */
export function checkConsoleTaskOf(subject: unknown, page: string, task: string, options: ConsoleCheckOptions = {}): ConsoleTaskResult {
  const given = checkOptions(options);
  const found = findTask(page, task);
  return checkTask(compilePrincipal(subject), pageNameOf(found, page), found, options, newCall(options, given));
}

/** Check every task of a console page (a given resource must fit some action of some task on it). */
export function checkConsolePage(subject: unknown, page: string, options: ConsoleCheckOptions = {}): ConsoleTaskResult[] {
  const given = checkOptions(options);
  const p = findPage(page);
  const call = newCall(options, given);
  assertResourcesFit(call.given, resourceActions(p.tasks, options), `console page '${p.name}'`);
  const compiled = compilePrincipal(subject);
  return p.tasks.map((t) => checkTask(compiled, p.name, t, options, call));
}
