/**
 * Lookup over a loaded catalog: pages and tasks by the names users write, task references
 * ("Data storage / Edit call recording") and the actions a task needs (own + prerequisites).
 * Unknown names throw `UnknownCatalogEntryError` with the closest names; nothing resolves
 * by guessing (no prefix or fuzzy match is ever accepted as an answer).
 */
import { UnknownCatalogEntryError, UsageError } from '../errors';
import { closestNames } from '../util/suggest';
import { CatalogDataError } from './load';
import type { Catalog, CatalogAction, CatalogPage, CatalogTask, PrerequisiteAction } from './types';

export interface TaskRequirementsOptions {
  /** Include the View task's and the instance-access actions. @default true */
  readonly prerequisites?: boolean;
}

export interface TaskRequirements {
  /** The task's own row. */
  own: CatalogAction[];
  /** What the page says the task also needs, each with where it comes from. */
  prerequisites: PrerequisiteAction[];
}

interface FrozenRequirements {
  readonly own: readonly CatalogAction[];
  readonly prerequisites: readonly PrerequisiteAction[];
}

export interface CatalogLookup {
  findPage(page: string): CatalogPage;
  findTask(page: string, task: string): CatalogTask;
  parseTaskRef(ref: string): CatalogTask;
  listTaskRefs(): string[];
  taskRequirements(task: CatalogTask, options?: TaskRequirementsOptions): TaskRequirements;
}

/** Case-insensitive, whitespace-tolerant form of a name: "Enable / Disable  X" -> "enable/disable x". */
export function normaliseName(name: string): string {
  return name
    .replace(/\\/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([/:-])\s*/g, '$1')
    .trim();
}

/** Page names also match with or without a trailing " page". */
function pageKey(name: string): string {
  return normaliseName(name).replace(/ page$/, '');
}

/** `Page / Task` as written in task references and CLI suggestions. */
export function taskRef(page: CatalogPage, task: CatalogTask): string {
  return `${page.name} / ${task.name}`;
}

function taskNames(page: CatalogPage, task: CatalogTask): string[] {
  const names = [task.name, task.label, ...(task.aliases ?? []), task.id, task.id.slice(page.id.length + 1)];
  if (task.provenance.row) names.push(task.provenance.row);
  return names;
}

function addUnique<T extends { id: string }>(map: Map<string, T>, key: string, value: T, where: string): void {
  if (!key) return;
  const existing = map.get(key);
  if (existing && existing.id !== value.id)
    throw new CatalogDataError(`${where}: the name '${key}' would match both '${existing.id}' and '${value.id}'`);
  map.set(key, value);
}

function actionKey(a: CatalogAction): string {
  const context = a.context
    ? Object.keys(a.context)
        .sort()
        .map((k) => `${k}=${a.context![k]}`)
        .join('&')
    : '';
  return `${a.action.toLowerCase()}\n${a.resource}\n${context}`;
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string')
    throw new UsageError(`Expected the ${what} as a string, received ${value === null ? 'null' : typeof value}.`);
  return value;
}

export function createCatalogLookup(catalog: Catalog): CatalogLookup {
  const pagesByKey = new Map<string, CatalogPage>();
  const pageOfId = new Map<string, CatalogPage>();
  const pageSuggestion = new Map<string, string>();
  for (const page of catalog.pages) {
    pageOfId.set(page.id, page);
    for (const name of [page.name, page.title, page.id, ...(page.aliases ?? [])]) {
      addUnique(pagesByKey, pageKey(name), page, 'pages');
      pageSuggestion.set(name, page.name);
    }
  }

  const tasksByPage = new Map<string, Map<string, CatalogTask>>();
  const tasksById = new Map<string, CatalogTask>();
  const tasksAnywhere = new Map<string, CatalogTask[]>();
  for (const page of catalog.pages) {
    const map = new Map<string, CatalogTask>();
    tasksByPage.set(page.id, map);
    for (const task of page.tasks) {
      tasksById.set(task.id, task);
      for (const name of taskNames(page, task)) {
        const key = normaliseName(name);
        addUnique(map, key, task, `page '${page.id}'`);
        const list = tasksAnywhere.get(key) ?? [];
        if (!list.includes(task)) list.push(task);
        tasksAnywhere.set(key, list);
      }
    }
  }

  const refs = catalog.pages.flatMap((page) => page.tasks.map((task) => taskRef(page, task)));

  function pageError(page: string): UnknownCatalogEntryError {
    if (!page.trim())
      return new UnknownCatalogEntryError('console page', page, [], `Pages: ${catalog.pages.map((p) => p.name).join(', ')}.`);
    const suggestions = [...new Set(closestNames(page, pageSuggestion.keys(), 6).map((n) => pageSuggestion.get(n)!))];
    const detail = suggestions.length ? undefined : `Pages: ${catalog.pages.map((p) => p.name).join(', ')}.`;
    return new UnknownCatalogEntryError('console page', page, suggestions.slice(0, 3), detail);
  }

  function lookupPage(page: string): CatalogPage | undefined {
    return pagesByKey.get(pageKey(page));
  }

  function findPage(page: string): CatalogPage {
    requireString(page, 'console page');
    const found = lookupPage(page);
    if (!found) throw pageError(page);
    return found;
  }

  function taskError(page: CatalogPage, task: string): UnknownCatalogEntryError {
    const value = `${page.name} / ${task.trim()}`;
    const elsewhere = (tasksAnywhere.get(normaliseName(task)) ?? []).filter((t) => t.page !== page.id);
    const where = elsewhere.map((t) => `'${taskRef(pageOfId.get(t.page)!, t)}'`);
    const elsewhereDetail = where.length
      ? `That task is on another page: ${where.join(', ')}.`
      : undefined;
    if (!task.trim())
      return new UnknownCatalogEntryError('console task', value, [], `Tasks on this page: ${page.tasks.map((t) => t.name).join(', ')}.`);
    const onPage = new Map<string, string>();
    for (const t of page.tasks) for (const n of [t.name, t.label, ...(t.aliases ?? [])]) onPage.set(n, t.name);
    let suggestions = [...new Set(closestNames(task, onPage.keys(), 8).map((n) => onPage.get(n)!))].slice(0, 3);
    if (!suggestions.length && !where.length) {
      const anywhere = new Map<string, string>();
      for (const p of catalog.pages) for (const t of p.tasks) anywhere.set(t.name, taskRef(p, t));
      suggestions = [...new Set(closestNames(task, anywhere.keys(), 8).map((n) => anywhere.get(n)!))].slice(0, 3);
    }
    const detail =
      elsewhereDetail ??
      (suggestions.length ? undefined : `Tasks on this page: ${page.tasks.map((t) => t.name).join(', ')}.`);
    return new UnknownCatalogEntryError('console task', value, suggestions, detail);
  }

  function findTask(page: string, task: string): CatalogTask {
    const p = findPage(page);
    requireString(task, 'console task');
    const found = tasksByPage.get(p.id)!.get(normaliseName(task));
    if (!found) throw taskError(p, task);
    return found;
  }

  function parseTaskRef(ref: string): CatalogTask {
    requireString(ref, 'task reference');
    const byId = tasksById.get(ref.trim().toLowerCase());
    if (byId) return byId;
    // Split at each "/" in turn (task names contain "/" too): the first split whose left side
    // is a page decides; the task must then be on that page.
    const slashes = [...ref.matchAll(/\//g)].map((m) => m.index!);
    for (const at of slashes) {
      const page = lookupPage(ref.slice(0, at));
      if (page) return findTask(page.name, ref.slice(at + 1));
    }
    if (!slashes.length) {
      // A bare task name is accepted only when exactly one task anywhere has it.
      const matches = tasksAnywhere.get(normaliseName(ref)) ?? [];
      if (matches.length === 1) return matches[0]!;
      if (matches.length > 1)
        throw new UnknownCatalogEntryError(
          'console task reference',
          ref,
          matches.map((t) => taskRef(pageOfId.get(t.page)!, t)),
          'More than one page has that task: write "Page / Task".',
        );
      throw new UnknownCatalogEntryError(
        'console task reference',
        ref,
        closestNames(ref, refs, 3),
        'Write "Page / Task", e.g. "Data storage / Edit call recording", or a task id.',
      );
    }
    const left = ref.slice(0, slashes[0]).trim();
    throw new UnknownCatalogEntryError(
      'console page',
      left,
      pageError(left).suggestions,
      `(in the task reference '${ref}', written "Page / Task").`,
    );
  }

  const cache = new WeakMap<CatalogTask, { with?: FrozenRequirements; without?: FrozenRequirements }>();

  function taskRequirements(task: CatalogTask, options: TaskRequirementsOptions = {}): TaskRequirements {
    if (typeof task !== 'object' || task === null || typeof task.id !== 'string' || !Array.isArray(task.actions))
      throw new UsageError('taskRequirements expects a catalog task (from findTask or parseTaskRef).');
    const withPrerequisites = options.prerequisites ?? true;
    const slot = withPrerequisites ? 'with' : 'without';
    const cached = cache.get(task)?.[slot];
    // Fresh arrays every call (the items are frozen): callers may sort or filter them freely.
    if (cached) return { own: [...cached.own], prerequisites: [...cached.prerequisites] };

    const prerequisites: PrerequisiteAction[] = [];
    if (withPrerequisites) {
      const seen = new Set(task.actions.map(actionKey));
      const add = (actions: readonly CatalogAction[], from: string, why: PrerequisiteAction['why']): void => {
        for (const a of actions) {
          const key = actionKey(a);
          if (seen.has(key)) continue;
          seen.add(key);
          prerequisites.push(Object.freeze({ ...a, from, why }));
        }
      };
      if (task.requiresView !== undefined) {
        const view = tasksById.get(task.requiresView);
        if (!view) throw new UsageError(`Task '${task.id}' requires the View task '${task.requiresView}', which is not in the catalog.`);
        add(view.actions, view.id, 'view-task');
      }
      if (task.requiresInstanceAccess)
        add(catalog.instanceAccess, catalog.instanceAccessSource?.id ?? 'home/instance-access', 'instance-access');
    }
    const result: FrozenRequirements = { own: task.actions, prerequisites };
    const entry = cache.get(task) ?? {};
    entry[slot] = result;
    cache.set(task, entry);
    return { own: [...result.own], prerequisites: [...result.prerequisites] };
  }

  return {
    findPage,
    findTask,
    parseTaskRef,
    listTaskRefs: () => [...refs],
    taskRequirements,
  };
}
