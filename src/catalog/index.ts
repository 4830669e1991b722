/**
 * The Amazon Connect console catalog: every page, section and task of AWS's page "Required
 * permissions for using custom IAM policies to manage access to the Amazon Connect console",
 * as data (data/connect-console.json), with lookup by the names users write.
 */
import rawCatalog from './data/connect-console.json';
import { loadCatalog } from './load';
import { createCatalogLookup, type TaskRequirements, type TaskRequirementsOptions } from './lookup';
import type { Catalog, CatalogPage, CatalogTask } from './types';

export type { TaskRequirements, TaskRequirementsOptions, CatalogLookup } from './lookup';
export { normaliseName as normaliseCatalogName } from './lookup';
export { CatalogDataError } from './load';

/** The catalog, loaded and checked once per process; deeply frozen. */
export const catalog: Catalog = loadCatalog(rawCatalog as unknown);

const lookup = createCatalogLookup(catalog);

/** A page by id, short name, title, or alias ("Data storage", "Data storage page", "Home"). Throws UnknownCatalogEntryError. */
export function findPage(page: string): CatalogPage {
  return lookup.findPage(page);
}

/** A task of a page by short name, label as written, alias, or id (with or without the page prefix). Throws UnknownCatalogEntryError. */
export function findTask(page: string, task: string): CatalogTask {
  // Found tasks are remembered per (page, task) as written: the evaluator looks the same names up
  // on every checkConsoleTask call. Unknown names are not cached (they throw every time).
  // Nested maps keyed by the strings as given: their hashes are kept in the strings, no key is built.
  let byTask = typeof page === 'string' ? foundTasks.get(page) : undefined;
  let found = typeof task === 'string' ? byTask?.get(task) : undefined;
  if (!found) {
    found = lookup.findTask(page, task);
    if (foundCount < 4096) {
      if (!byTask) {
        byTask = new Map();
        foundTasks.set(page, byTask);
      }
      byTask.set(task, found);
      foundCount++;
    }
  }
  return found;
}

const foundTasks = new Map<string, Map<string, CatalogTask>>();
let foundCount = 0;

/** "Data storage / Edit call recording", a task id, or a task name that only one page has. Throws UnknownCatalogEntryError. */
export function parseTaskRef(ref: string): CatalogTask {
  return lookup.parseTaskRef(ref);
}

/** Every task as "Page / Task", in page order (what parseTaskRef accepts; handy for CLI suggestions). */
export function listTaskRefs(): string[] {
  return lookup.listTaskRefs();
}

/**
 * The actions a task needs: its own row, and (unless `prerequisites: false`) the actions of the
 * View task it edits and the instance access from the home page, each naming where it comes from.
 * An action the task already has (same resource and context) is not repeated as a prerequisite.
 */
export function taskRequirements(task: CatalogTask, options?: TaskRequirementsOptions): TaskRequirements {
  return lookup.taskRequirements(task, options);
}
