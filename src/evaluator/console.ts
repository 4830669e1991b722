/**
 * Console checks: every own and prerequisite action of a catalog task, evaluated with the
 * resource and context the catalog gives for it.
 */
import { findPage, findTask, taskRequirements } from '../catalog';
import type { CatalogAction, CatalogTask } from '../catalog/types';
import { compilePrincipal, type CompiledPrincipal } from './compile';
import { checkRequest, evaluateCompiled } from './evaluate';
import type { ConsoleTaskResult, EvaluateOptions, TaskActionResult } from './types';

export interface ConsoleCheckOptions extends EvaluateOptions {
  /** Include the View task and home-page instance access the task needs. @default true */
  readonly prerequisites?: boolean;
}

type Ctx = Readonly<Record<string, string | readonly string[]>>;
const EMPTY: Ctx = Object.freeze({});
const merged = new WeakMap<object, WeakMap<object, Ctx>>();

/** Catalog context merged with the caller's (the caller wins); cached so repeated checks reuse it. */
function mergeContext(catalogContext: Ctx | undefined, user: Ctx | undefined): Ctx | undefined {
  if (!catalogContext) return user;
  const u = user ?? EMPTY;
  let byUser = merged.get(catalogContext);
  const hit = byUser?.get(u);
  if (hit) return hit;
  const out: Ctx = { ...catalogContext, ...u };
  if (!byUser) {
    byUser = new WeakMap();
    merged.set(catalogContext, byUser);
  }
  byUser.set(u, out);
  return out;
}

function checkAction(
  compiled: CompiledPrincipal,
  a: CatalogAction,
  role: 'own' | 'prerequisite',
  from: string | undefined,
  options: ConsoleCheckOptions,
): TaskActionResult {
  const resource = a.resource === '*' ? (options.resource ?? '*') : a.resource;
  const context = mergeContext(a.context, options.context);
  const result = evaluateCompiled(compiled, a.action, {
    resource,
    ...(context ? { context } : {}),
  });
  return { action: a.action, role, resource, result, ...(from !== undefined ? { from } : {}) };
}

function checkTask(compiled: CompiledPrincipal, pageName: string, task: CatalogTask, options: ConsoleCheckOptions): ConsoleTaskResult {
  const req = taskRequirements(task, { prerequisites: options.prerequisites ?? true });
  const actions: TaskActionResult[] = [
    ...req.own.map((a) => checkAction(compiled, a, 'own', undefined, options)),
    ...req.prerequisites.map((a) => checkAction(compiled, a, 'prerequisite', a.from, options)),
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

/**
 * Check one console task: `granted` is 'yes' when every action (own and prerequisite) is
 * allowed, 'no' when any is denied (explicitly or implicitly), 'conditional' otherwise.
 */
export function checkConsoleTask(subject: unknown, page: string, task: string, options: ConsoleCheckOptions = {}): ConsoleTaskResult {
  checkRequest('console', options);
  const found = findTask(page, task);
  const compiled = compilePrincipal(subject);
  return checkTask(compiled, findPage(page).name, found, options);
}

/** Check every task of a console page. */
export function checkConsolePage(subject: unknown, page: string, options: ConsoleCheckOptions = {}): ConsoleTaskResult[] {
  checkRequest('console', options);
  const p = findPage(page);
  const compiled = compilePrincipal(subject);
  return p.tasks.map((t) => checkTask(compiled, p.name, t, options));
}
