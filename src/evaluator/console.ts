/**
 * Console checks: every own and prerequisite action of a catalog task, evaluated with the
 * resource and context the catalog gives for it.
 */
import { findPage, findTask, taskRequirements } from '../catalog';
import type { CatalogAction, CatalogTask } from '../catalog/types';
import { compilePrincipal, type CompiledPrincipal } from './compile';
import { checkRequest, evaluateCompiled } from './evaluate';
import { contextMap } from './request';
import type { Context } from './variables';
import type { ConsoleTaskResult, EvaluateOptions, TaskActionResult } from './types';

export interface ConsoleCheckOptions extends EvaluateOptions {
  /** Include the View task and home-page instance access the task needs. @default true */
  readonly prerequisites?: boolean;
}

/** Per call: the caller's context as a map, and merged maps per catalog context. */
interface CallContext {
  readonly user: Context;
  readonly merged: Map<object, Context>;
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
  options: ConsoleCheckOptions,
  call: CallContext,
): TaskActionResult {
  const resource = a.resource === '*' ? (options.resource ?? '*') : a.resource;
  const result = evaluateCompiled(compiled, a.action, { ...guardrailsOf(options), resource }, contextFor(call, a.context));
  return { action: a.action, role, resource, result, ...(from !== undefined ? { from } : {}) };
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
  const req = taskRequirements(task, { prerequisites: options.prerequisites ?? true });
  const actions: TaskActionResult[] = [
    ...req.own.map((a) => checkAction(compiled, a, 'own', undefined, options, call)),
    ...req.prerequisites.map((a) => checkAction(compiled, a, 'prerequisite', a.from, options, call)),
  ];
  let granted: ConsoleTaskResult['granted'] = 'yes';
  for (const a of actions) {
    const d = a.result.decision;
    if (d === 'explicitDeny' || d === 'implicitDeny') {
      granted = 'no';
      break;
    }
    if (d === 'conditional') granted = 'conditional';
  }
  return { taskId: task.id, page: pageName, task: task.name, granted, actions };
}

function newCall(options: ConsoleCheckOptions): CallContext {
  return { user: contextMap(options.context), merged: new Map() };
}

/**
 * Check one console task: `granted` is 'yes' when every action (own and prerequisite) is
 * allowed, 'no' when any is denied (explicitly or implicitly), 'conditional' otherwise.
 */
export function checkConsoleTask(subject: unknown, page: string, task: string, options: ConsoleCheckOptions = {}): ConsoleTaskResult {
  checkRequest('console', options);
  const found = findTask(page, task);
  const compiled = compilePrincipal(subject);
  return checkTask(compiled, findPage(page).name, found, options, newCall(options));
}

/** Check every task of a console page. */
export function checkConsolePage(subject: unknown, page: string, options: ConsoleCheckOptions = {}): ConsoleTaskResult[] {
  checkRequest('console', options);
  const p = findPage(page);
  const compiled = compilePrincipal(subject);
  const call = newCall(options);
  return p.tasks.map((t) => checkTask(compiled, p.name, t, options, call));
}
