/**
 * Turns the catalog JSON (src/catalog/data/connect-console.json) into a checked, deeply frozen
 * `Catalog`. The JSON is data written by hand from the seed page; this file only validates its
 * shape and its internal references so a bad edit fails loudly at load time instead of
 * producing a wrong answer later.
 */
import { JestConnectIamError } from '../errors';
import type {
  Catalog,
  CatalogAction,
  CatalogActionFact,
  CatalogCorrection,
  CatalogInstanceAccessSource,
  CatalogPage,
  CatalogSection,
  CatalogTask,
  Provenance,
} from './types';

/** The catalog data itself is malformed (a bug in the package, not in the user's input). */
export class CatalogDataError extends JestConnectIamError {
  override name = 'CatalogDataError';
}

type Json = Record<string, unknown>;

const ACTION_NAME = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const TASK_KINDS: readonly CatalogTask['kind'][] = ['view', 'edit', 'other'];
const CORRECTION_KINDS: readonly CatalogCorrection['kind'][] = [
  'action-name',
  'escaped-character',
  'space-after-colon',
  'duplicate',
];

function fail(path: string, problem: string): never {
  throw new CatalogDataError(`connect-console.json: ${path}: ${problem}`);
}

function obj(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'expected an object');
  return value as Json;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string' || !value.trim()) fail(path, 'expected a non-empty string');
  return value;
}

function optStr(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : str(value, path);
}

function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'expected an array');
  return value;
}

function strings(value: unknown, path: string): string[] {
  return arr(value, path).map((v, i) => str(v, `${path}[${i}]`));
}

function stringRecord(value: unknown, path: string): Record<string, string> {
  const o = obj(value, path);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k] = str(v, `${path}.${k}`);
  return out;
}

function provenance(value: unknown, path: string): Provenance {
  const o = obj(value, path);
  const rowNumber = o.rowNumber;
  if (rowNumber !== undefined && (typeof rowNumber !== 'number' || !Number.isInteger(rowNumber) || rowNumber < 1))
    fail(`${path}.rowNumber`, 'expected a positive integer');
  const line = o.line;
  if (line !== undefined && (typeof line !== 'number' || !Number.isInteger(line) || line < 1))
    fail(`${path}.line`, 'expected a positive integer');
  return {
    heading: str(o.heading, `${path}.heading`),
    ...(o.section !== undefined && { section: str(o.section, `${path}.section`) }),
    ...(o.row !== undefined && { row: str(o.row, `${path}.row`) }),
    ...(rowNumber !== undefined && { rowNumber: rowNumber as number }),
    ...(line !== undefined && { line: line as number }),
    ...(o.anchor !== undefined && { anchor: str(o.anchor, `${path}.anchor`) }),
  };
}

function action(value: unknown, path: string): CatalogAction {
  const o = obj(value, path);
  const name = str(o.action, `${path}.action`);
  if (!ACTION_NAME.test(name)) fail(`${path}.action`, `'${name}' is not a service:Action name`);
  const asWritten = optStr(o.asWritten, `${path}.asWritten`);
  const correction = optStr(o.correction, `${path}.correction`);
  if ((asWritten === undefined) !== (correction === undefined))
    fail(path, 'asWritten and correction go together (the text as written and why it was corrected)');
  return {
    action: name,
    resource: str(o.resource, `${path}.resource`),
    ...(o.context !== undefined && { context: stringRecord(o.context, `${path}.context`) }),
    ...(asWritten !== undefined && { asWritten, correction }),
  };
}

function actions(value: unknown, path: string): CatalogAction[] {
  const list = arr(value, path).map((a, i) => action(a, `${path}[${i}]`));
  if (!list.length) fail(path, 'a task needs at least one action');
  const seen = new Set<string>();
  for (const a of list) {
    const key = a.action.toLowerCase();
    if (seen.has(key)) fail(path, `duplicate action ${a.action}`);
    seen.add(key);
  }
  return list;
}

function section(value: unknown, path: string, pageId: string): CatalogSection {
  const o = obj(value, path);
  if (o.page !== pageId) fail(`${path}.page`, `expected '${pageId}'`);
  return {
    id: str(o.id, `${path}.id`),
    page: pageId,
    title: str(o.title, `${path}.title`),
    provenance: provenance(o.provenance, `${path}.provenance`),
  };
}

function task(value: unknown, path: string, page: { id: string; detailPage: boolean }, sectionIds: Set<string>): CatalogTask {
  const o = obj(value, path);
  const id = str(o.id, `${path}.id`);
  if (o.page !== page.id) fail(`${path}.page`, `expected '${page.id}'`);
  if (!id.startsWith(`${page.id}/`)) fail(`${path}.id`, `a task id starts with its page id '${page.id}/'`);
  const sectionId = optStr(o.section, `${path}.section`);
  if (sectionId !== undefined && !sectionIds.has(sectionId)) fail(`${path}.section`, `no section '${sectionId}' on this page`);
  if (sectionIds.size > 0 && sectionId === undefined) fail(`${path}.section`, 'a task on a page with sections needs one');
  const kind = o.kind as CatalogTask['kind'];
  if (!TASK_KINDS.includes(kind)) fail(`${path}.kind`, `expected one of ${TASK_KINDS.join(', ')}`);
  if (o.requiresInstanceAccess !== page.detailPage)
    fail(`${path}.requiresInstanceAccess`, `must be ${page.detailPage}: every task on a detail page (and only there) needs it`);
  const aliases = o.aliases === undefined ? undefined : strings(o.aliases, `${path}.aliases`);
  const requiresView = optStr(o.requiresView, `${path}.requiresView`);
  const note = optStr(o.note, `${path}.note`);
  return {
    id,
    page: page.id,
    ...(sectionId !== undefined && { section: sectionId }),
    label: str(o.label, `${path}.label`),
    name: str(o.name, `${path}.name`),
    ...(aliases && aliases.length > 0 && { aliases }),
    kind,
    actions: actions(o.actions, `${path}.actions`),
    ...(requiresView !== undefined && { requiresView }),
    requiresInstanceAccess: page.detailPage,
    ...(note !== undefined && { note }),
    provenance: provenance(o.provenance, `${path}.provenance`),
  };
}

function page(value: unknown, path: string): CatalogPage {
  const o = obj(value, path);
  const id = str(o.id, `${path}.id`);
  if (typeof o.detailPage !== 'boolean') fail(`${path}.detailPage`, 'expected a boolean');
  const detailPage = o.detailPage;
  const sections = arr(o.sections, `${path}.sections`).map((s, i) => section(s, `${path}.sections[${i}]`, id));
  const sectionIds = new Set(sections.map((s) => s.id));
  const tasks = arr(o.tasks, `${path}.tasks`).map((t, i) => task(t, `${path}.tasks[${i}]`, { id, detailPage }, sectionIds));
  const aliases = o.aliases === undefined ? undefined : strings(o.aliases, `${path}.aliases`);
  return {
    id,
    title: str(o.title, `${path}.title`),
    name: str(o.name, `${path}.name`),
    ...(aliases && aliases.length > 0 && { aliases }),
    detailPage,
    sections,
    tasks,
    provenance: provenance(o.provenance, `${path}.provenance`),
  };
}

function correction(value: unknown, path: string): CatalogCorrection {
  const o = obj(value, path);
  const kind = o.kind as CatalogCorrection['kind'];
  if (!CORRECTION_KINDS.includes(kind)) fail(`${path}.kind`, `expected one of ${CORRECTION_KINDS.join(', ')}`);
  return {
    kind,
    asWritten: str(o.asWritten, `${path}.asWritten`),
    corrected: str(o.corrected, `${path}.corrected`),
    reason: str(o.reason, `${path}.reason`),
    ...(o.tasks !== undefined && { tasks: strings(o.tasks, `${path}.tasks`) }),
  };
}

function actionFact(value: unknown, path: string): CatalogActionFact {
  const o = obj(value, path);
  return {
    action: str(o.action, `${path}.action`),
    ...(o.resource !== undefined && { resource: str(o.resource, `${path}.resource`) }),
    ...(o.context !== undefined && { context: stringRecord(o.context, `${path}.context`) }),
    tasks: strings(o.tasks, `${path}.tasks`),
    provenance: provenance(o.provenance, `${path}.provenance`),
    reason: str(o.reason, `${path}.reason`),
  };
}

/** Checks references between entries: ids unique, requiresView points at a View task of the same page. */
function checkReferences(catalog: Catalog): void {
  const tasks = new Map<string, CatalogTask>();
  const ids = new Set<string>();
  for (const p of catalog.pages) {
    if (ids.has(p.id)) fail(`pages`, `duplicate page id '${p.id}'`);
    ids.add(p.id);
  }
  for (const s of catalog.sections) {
    const key = `${s.page}/${s.id}`;
    if (ids.has(key)) fail('sections', `duplicate section id '${key}'`);
    ids.add(key);
  }
  for (const t of catalog.tasks) {
    if (ids.has(t.id) || tasks.has(t.id)) fail('tasks', `duplicate task id '${t.id}'`);
    tasks.set(t.id, t);
  }
  if (tasks.has(catalog.instanceAccessSource?.id ?? '')) fail('instanceAccess.id', 'collides with a task id');
  for (const t of catalog.tasks) {
    if (t.kind === 'edit' && t.requiresView === undefined) fail(t.id, 'an edit task needs requiresView (the page\'s Edit rule)');
    if (t.requiresView === undefined) continue;
    const view = tasks.get(t.requiresView);
    if (!view) fail(`${t.id}.requiresView`, `no task '${t.requiresView}'`);
    if (view.kind !== 'view' || view.page !== t.page || view.section !== t.section)
      fail(`${t.id}.requiresView`, `'${view.id}' is not a View task of the same page and section`);
  }
  for (const f of catalog.actionFacts ?? [])
    for (const id of f.tasks) {
      const t = tasks.get(id);
      if (!t) fail(`actionFacts ${f.action}`, `no task '${id}'`);
      const a = t.actions.find((x) => x.action === f.action);
      if (!a) fail(`actionFacts ${f.action}`, `task '${id}' has no ${f.action}`);
      if ((f.resource ?? '*') !== a.resource || JSON.stringify(f.context) !== JSON.stringify(a.context))
        fail(`actionFacts ${f.action}`, `task '${id}' does not carry the stated resource/context`);
    }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The key that marks the catalog as loadCatalog already returned it: scripts/bundle.js checks the
 * JSON at build time and ships that result (`sections` and `tasks` left null: they are the pages'
 * own objects), so a test file does not run the checks again. Its value names the schema.
 */
export const CHECKED_MARK = '$checkedByLoadCatalog';

/** loadCatalog's result as JSON with the mark, for the bundle (the inverse of fromChecked). */
export function checkedForm(catalog: Catalog): string {
  return JSON.stringify({ [CHECKED_MARK]: 1, ...catalog, sections: null, tasks: null });
}

function fromChecked(o: Json): Catalog {
  const { [CHECKED_MARK]: _mark, ...rest } = o;
  const pages = rest.pages as CatalogPage[];
  rest.sections = pages.flatMap((p) => p.sections);
  rest.tasks = pages.flatMap((p) => p.tasks);
  return deepFreeze(rest as unknown as Catalog);
}

/** Validates the catalog JSON and returns it as a deeply frozen `Catalog`. */
export function loadCatalog(raw: unknown): Catalog {
  const o = obj(raw, '$');
  if (o[CHECKED_MARK] === 1) return fromChecked(o);
  if (o.schemaVersion !== 1) fail('schemaVersion', 'expected 1');
  const src = obj(o.source, 'source');
  const pages = arr(o.pages, 'pages').map((p, i) => page(p, `pages[${i}]`));
  const ia = obj(o.instanceAccess, 'instanceAccess');
  const instanceAccessSource: CatalogInstanceAccessSource = {
    id: str(ia.id, 'instanceAccess.id'),
    name: str(ia.name, 'instanceAccess.name'),
    provenance: provenance(ia.provenance, 'instanceAccess.provenance'),
    reading: str(ia.reading, 'instanceAccess.reading'),
    from: strings(ia.from, 'instanceAccess.from'),
  };
  const catalog: Catalog = {
    source: {
      title: str(src.title, 'source.title'),
      file: str(src.file, 'source.file'),
      url: str(src.url, 'source.url'),
      ...(src.retrieved !== undefined && { retrieved: str(src.retrieved, 'source.retrieved') }),
    },
    ...(o.idScheme !== undefined && { idScheme: str(o.idScheme, 'idScheme') }),
    corrections: arr(o.corrections ?? [], 'corrections').map((c, i) => correction(c, `corrections[${i}]`)),
    actionFacts: arr(o.actionFacts ?? [], 'actionFacts').map((f, i) => actionFact(f, `actionFacts[${i}]`)),
    pages,
    sections: pages.flatMap((p) => p.sections),
    tasks: pages.flatMap((p) => p.tasks),
    instanceAccess: actions(ia.actions, 'instanceAccess.actions'),
    instanceAccessSource,
  };
  checkReferences(catalog);
  return deepFreeze(catalog);
}
