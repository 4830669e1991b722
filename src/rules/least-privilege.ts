/**
 * The least-privilege policy for a set of console tasks: every action each task needs
 * (its own row and its prerequisites), on the resource the catalog states, with the
 * condition the console sends (e.g. iam:CreateServiceLinkedRole only for
 * iam:AWSServiceName = connect.amazonaws.com), and nothing else. Actions that share a
 * resource and condition share a statement.
 */
import { parseTaskRef, taskRequirements } from '../catalog';
import type { CatalogAction, CatalogTask } from '../catalog/types';
import type { PolicyDocument, PolicyStatement } from '../policy/types';

export interface LeastPrivilegeResult {
  readonly document: PolicyDocument;
  readonly tasks: readonly CatalogTask[];
  /** Each action in the document and the task ids that need it. */
  readonly neededBy: Readonly<Record<string, readonly string[]>>;
}

function groupKey(a: CatalogAction): string {
  const ctx = a.context ? Object.entries(a.context).sort(([x], [y]) => (x < y ? -1 : 1)) : [];
  return JSON.stringify([a.resource, ctx]);
}

function sidFor(resource: string, context: Readonly<Record<string, string>> | undefined): string {
  if (resource === '*' && !context) return 'ConsoleTasks';
  const service = context?.['iam:AWSServiceName'];
  if (service) return `CreateServiceLinkedRoleFor${service.split('.')[0]!.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase())}`;
  if (resource.includes(':role/aws-service-role/')) return 'ServiceLinkedRole';
  return 'ConsoleTasksScoped';
}

function uniqueSids(base: readonly string[]): string[] {
  const used = new Map<string, number>();
  return base.map((b) => {
    const n = (used.get(b) ?? 0) + 1;
    used.set(b, n);
    return n === 1 ? b : `${b}${n}`;
  });
}

/** Throws UnknownCatalogEntryError (with suggestions) for an unknown page or task. */
export function leastPrivilegePolicy(taskRefs: readonly string[]): LeastPrivilegeResult {
  const tasks = taskRefs.map((ref) => parseTaskRef(ref));
  const groups = new Map<string, { resource: string; context?: Readonly<Record<string, string>>; actions: Set<string> }>();
  const neededBy = new Map<string, Set<string>>();
  for (const task of tasks) {
    const req = taskRequirements(task, { prerequisites: true });
    for (const a of [...req.own, ...req.prerequisites]) {
      const key = groupKey(a);
      const g = groups.get(key) ?? { resource: a.resource, ...(a.context ? { context: a.context } : {}), actions: new Set<string>() };
      g.actions.add(a.action);
      groups.set(key, g);
      const set = neededBy.get(a.action) ?? new Set<string>();
      set.add(task.id);
      neededBy.set(a.action, set);
    }
  }
  const ordered = [...groups.values()].sort((x, y) => {
    const rank = (g: typeof x): number => (g.resource === '*' && !g.context ? 0 : 1);
    return rank(x) - rank(y) || (x.resource < y.resource ? -1 : x.resource > y.resource ? 1 : 0);
  });
  const sids = uniqueSids(ordered.map((g) => sidFor(g.resource, g.context)));
  const statements: PolicyStatement[] = ordered.map((g, i) => ({
    Sid: sids[i]!,
    Effect: 'Allow',
    Action: [...g.actions].sort(),
    Resource: g.resource,
    ...(g.context ? { Condition: { StringEquals: { ...g.context } } } : {}),
  }));
  return {
    document: { Version: '2012-10-17', Statement: statements },
    tasks,
    neededBy: Object.fromEntries([...neededBy].map(([a, s]) => [a, [...s].sort()])),
  };
}
