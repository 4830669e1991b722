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
import { checkRequest, evaluateCompiled } from './evaluate';
import { contextMap } from './request';
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

/** Per call: the caller's context as a map, merged maps per catalog context, the given resources. */
interface CallContext {
  readonly user: Context;
  readonly merged: Map<object, Context>;
  readonly given: readonly GivenResource[];
  /** The guardrail options (organization, session, resourcePolicies), passed to every action. */
  readonly guardrails: EvaluateOptions;
}

function contextFor(call: CallContext, catalogContext: Readonly<Record<string, string>> | undefined): Context {
  if (!catalogContext) return call.user;
  let m = call.merged.get(catalogContext);
  if (!m) {
    // Catalog context first, the caller's on top (the caller wins).
    const map = new Map(contextMap(catalogContext));
    for (const [k, v] of call.user) map.set(k, v);
    m = map;
    call.merged.set(catalogContext, m);
  }
  return m;
}

function checkAction(
  compiled: CompiledPrincipal,
  a: CatalogAction,
  role: 'own' | 'prerequisite',
  from: string | undefined,
  call: CallContext,
): TaskActionResult[] {
  // A resource the catalog states (the service-linked role) is what the console acts on.
  const resources = a.resource === '*' ? resourcesFor(call.given, a.action) : [];
  const list = resources.length ? resources : [a.resource];
  return list.map((resource) => {
    const result = evaluateCompiled(compiled, a.action, { ...call.guardrails, resource }, contextFor(call, a.context));
    return { action: a.action, role, resource, result, ...(from !== undefined ? { from } : {}) };
  });
}

function requirementsOf(task: CatalogTask, options: ConsoleCheckOptions): { own: readonly CatalogAction[]; prerequisites: ReadonlyArray<CatalogAction & { from?: string }> } {
  return taskRequirements(task, { prerequisites: options.prerequisites ?? true });
}

/** The guardrail options (organization, session, resourcePolicies) passed through to every action. */
function guardrailsOf(options: ConsoleCheckOptions): EvaluateOptions {
  return {
    ...(options.organization !== undefined ? { organization: options.organization } : {}),
    ...(options.session !== undefined ? { session: options.session } : {}),
    ...(options.resourcePolicies !== undefined ? { resourcePolicies: options.resourcePolicies } : {}),
  };
}

function checkTask(compiled: CompiledPrincipal, pageName: string, task: CatalogTask, options: ConsoleCheckOptions, call: CallContext): ConsoleTaskResult {
  const req = requirementsOf(task, options);
  const actions: TaskActionResult[] = [
    ...req.own.flatMap((a) => checkAction(compiled, a, 'own', undefined, call)),
    ...req.prerequisites.flatMap((a) => checkAction(compiled, a, 'prerequisite', a.from, call)),
  ];
  const granted = grantedOf(actions);
  const out: ConsoleTaskResult = { taskId: task.id, page: pageName, task: task.name, granted, actions };
  const pin = granted === 'conditional' ? resourcePin(actions, call.given) : undefined;
  return pin ? { ...out, resourcePin: pin } : out;
}

/**
 * 'yes' when every action is allowed on every resource it is asked about; 'no' when some
 * action is certainly not allowed on any of its resources; 'conditional' otherwise. An action
 * allowed on one given resource and denied on another is neither: the task is granted on some
 * of the resources only, so neither the positive nor the negative form can pass (assert each
 * resource separately).
 */
function grantedOf(actions: readonly TaskActionResult[]): ConsoleTaskResult['granted'] {
  const byAction = new Map<string, string[]>();
  for (const a of actions) {
    const key = `${a.action}\u0000${a.role}\u0000${a.from ?? ''}`;
    const list = byAction.get(key) ?? [];
    list.push(a.result.decision);
    byAction.set(key, list);
  }
  let granted: ConsoleTaskResult['granted'] = 'yes';
  for (const decisions of byAction.values()) {
    if (decisions.every((d) => d === 'explicitDeny' || d === 'implicitDeny')) return 'no';
    if (!decisions.every((d) => d === 'allowed')) granted = 'conditional';
  }
  return granted;
}

/** The actions a resource can apply to: those at the catalog's `*`. */
function resourceActions(tasks: readonly CatalogTask[], options: ConsoleCheckOptions): string[] {
  const out = new Set<string>();
  for (const t of tasks) {
    const req = requirementsOf(t, options);
    for (const a of [...req.own, ...req.prerequisites]) if (a.resource === '*') out.add(a.action);
  }
  return [...out];
}

function newCall(options: ConsoleCheckOptions): CallContext {
  return { user: contextMap(options.context), merged: new Map(), given: givenResources(options.resource), guardrails: guardrailsOf(options) };
}

/** Validate the options; `resource` in any of its forms (checkRequest knows the string form only). */
function checkOptions(options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new UsageError(`checkConsoleTask: options must be an object { resource?, context?, prerequisites? }; received ${describeType(options)}.`);
  }
  const o = (options ?? {}) as Record<string, unknown>;
  const { resource, ...rest } = o;
  checkRequest('console', rest);
  givenResources(resource);
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
  checkOptions(options);
  const found = findTask(page, task);
  const pageName = findPage(page).name;
  const call = newCall(options);
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
  checkOptions(options);
  const found = findTask(page, task);
  return checkTask(compilePrincipal(subject), findPage(page).name, found, options, newCall(options));
}

/** Check every task of a console page (a given resource must fit some action of some task on it). */
export function checkConsolePage(subject: unknown, page: string, options: ConsoleCheckOptions = {}): ConsoleTaskResult[] {
  checkOptions(options);
  const p = findPage(page);
  const call = newCall(options);
  assertResourcesFit(call.given, resourceActions(p.tasks, options), `console page '${p.name}'`);
  const compiled = compilePrincipal(subject);
  return p.tasks.map((t) => checkTask(compiled, p.name, t, options, call));
}
