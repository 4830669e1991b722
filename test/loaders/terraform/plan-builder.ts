/**
 * Writes `terraform show -json` plans for tests, to the documented format
 * (https://developer.hashicorp.com/terraform/internals/json-format; Go types in hashicorp/terraform-json):
 * `planned_values.root_module` with nested `child_modules`, `resource_changes[].change` with
 * `after`/`after_unknown`, `prior_state` for data sources read during planning, and
 * `configuration.root_module` with `expressions` and `module_calls`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestResource {
  /** Full address: `module.cc["eu"].aws_iam_role.agent[0]`. */
  readonly address: string;
  readonly values: Record<string, unknown>;
  /** `after_unknown`: attributes known only after apply (their values are left out of planned_values). */
  readonly unknown?: Record<string, unknown>;
  /** Configuration expressions of the resource (shared by its instances). */
  readonly expressions?: Record<string, unknown>;
  /** Read during planning: in prior_state, not in planned_values (data sources). */
  readonly prior?: boolean;
  readonly actions?: readonly string[];
  readonly count?: unknown;
  readonly forEach?: unknown;
}

export interface TestPlan {
  readonly formatVersion?: string;
  readonly resources: readonly TestResource[];
  /** Configuration-only resources (in the configuration, not in the plan: a -target plan). */
  readonly configOnly?: ReadonlyArray<{ module?: string[]; type: string; name: string; expressions: Record<string, unknown> }>;
  /** module_calls: module path (names) -> source, input expressions, outputs. */
  readonly modules?: Record<string, { source: string; expressions?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
  readonly noConfiguration?: boolean;
  readonly extra?: Record<string, unknown>;
}

interface Parsed {
  modules: Array<{ name: string; key?: string | number }>;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  key?: string | number;
}

function parse(address: string): Parsed {
  const re = /module\.([A-Za-z0-9_-]+)(?:\[("(?:[^"\\]|\\.)*"|\d+)\])?\./y;
  const modules: Parsed['modules'] = [];
  let i = 0;
  for (;;) {
    re.lastIndex = i;
    const m = re.exec(address);
    if (!m) break;
    modules.push({ name: m[1]!, ...(m[2] !== undefined ? { key: JSON.parse(m[2]) as string | number } : {}) });
    i = re.lastIndex;
  }
  let rest = address.slice(i);
  let mode: 'managed' | 'data' = 'managed';
  if (rest.startsWith('data.')) {
    mode = 'data';
    rest = rest.slice(5);
  }
  const m = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[("(?:[^"\\]|\\.)*"|\d+)\])?$/.exec(rest);
  if (!m) throw new Error(`bad address ${address}`);
  return { modules, mode, type: m[1]!, name: m[2]!, ...(m[3] !== undefined ? { key: JSON.parse(m[3]) as string | number } : {}) };
}

const moduleAddress = (mods: Parsed['modules']): string => mods.map((m) => `module.${m.name}${m.key === undefined ? '' : `[${JSON.stringify(m.key)}]`}`).join('.');

function knownValues(values: Record<string, unknown>, unknown: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (unknown?.[k] !== true) out[k] = v;
  return out;
}

export function planJson(plan: TestPlan): Record<string, unknown> {
  type StateModule = { address?: string; resources: unknown[]; child_modules: StateModule[] };
  const root: StateModule = { resources: [], child_modules: [] };
  const priorRoot: StateModule = { resources: [], child_modules: [] };
  const moduleOf = (top: StateModule, mods: Parsed['modules']): StateModule => {
    let m = top;
    for (let i = 0; i < mods.length; i++) {
      const addr = moduleAddress(mods.slice(0, i + 1));
      let child = m.child_modules.find((c) => c.address === addr);
      if (!child) {
        child = { address: addr, resources: [], child_modules: [] };
        m.child_modules.push(child);
      }
      m = child;
    }
    return m;
  };
  type ConfigModule = { resources: unknown[]; module_calls: Record<string, { source: string; expressions: Record<string, unknown>; module: ConfigModule }>; outputs?: Record<string, unknown> };
  const configRoot: ConfigModule = { resources: [], module_calls: {} };
  const configOf = (names: string[]): ConfigModule => {
    let m = configRoot;
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      const spec = plan.modules?.[names.slice(0, i + 1).join('.')];
      m.module_calls[n] ??= { source: spec?.source ?? `./modules/${n}`, expressions: spec?.expressions ?? {}, module: { resources: [], module_calls: {}, ...(spec?.outputs ? { outputs: spec.outputs } : {}) } };
      m = m.module_calls[n]!.module;
    }
    return m;
  };
  const changes: unknown[] = [];
  const seenConfig = new Set<string>();
  for (const r of plan.resources) {
    const p = parse(r.address);
    const state = {
      address: r.address,
      mode: p.mode,
      type: p.type,
      name: p.name,
      ...(p.key !== undefined ? { index: p.key } : {}),
      provider_name: 'registry.terraform.io/hashicorp/aws',
      schema_version: 0,
      values: knownValues(r.values, r.unknown),
      sensitive_values: {},
    };
    if (r.prior) moduleOf(priorRoot, p.modules).resources.push(state);
    else {
      moduleOf(root, p.modules).resources.push(state);
      changes.push({
        address: r.address,
        ...(p.modules.length ? { module_address: moduleAddress(p.modules) } : {}),
        mode: p.mode,
        type: p.type,
        name: p.name,
        ...(p.key !== undefined ? { index: p.key } : {}),
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: {
          actions: r.actions ?? [p.mode === 'data' ? 'read' : 'create'],
          before: null,
          after: knownValues(r.values, r.unknown),
          after_unknown: r.unknown ?? {},
          before_sensitive: false,
          after_sensitive: {},
        },
      });
    }
    const names = p.modules.map((m) => m.name);
    const key = `${names.join('.')}|${p.mode}.${p.type}.${p.name}`;
    if (!seenConfig.has(key)) {
      seenConfig.add(key);
      configOf(names).resources.push({
        address: `${p.mode === 'data' ? 'data.' : ''}${p.type}.${p.name}`,
        mode: p.mode,
        type: p.type,
        name: p.name,
        provider_config_key: 'aws',
        expressions: r.expressions ?? Object.fromEntries(Object.entries(r.values).filter(([k]) => !['arn', 'id', 'unique_id', 'tags_all', 'create_date'].includes(k)).map(([k, v]) => [k, { constant_value: v }])),
        schema_version: 0,
        ...(r.count !== undefined ? { count_expression: r.count } : {}),
        ...(r.forEach !== undefined ? { for_each_expression: r.forEach } : {}),
      });
    }
  }
  for (const c of plan.configOnly ?? []) {
    configOf(c.module ?? []).resources.push({ address: `${c.type}.${c.name}`, mode: 'managed', type: c.type, name: c.name, provider_config_key: 'aws', expressions: c.expressions, schema_version: 0 });
  }
  for (const names of Object.keys(plan.modules ?? {})) configOf(names.split('.'));
  return {
    format_version: plan.formatVersion ?? '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: root },
    resource_changes: changes,
    ...(priorRoot.resources.length || priorRoot.child_modules.length ? { prior_state: { format_version: '1.0', terraform_version: '1.9.8', values: { root_module: priorRoot } } } : {}),
    ...(plan.noConfiguration ? {} : { configuration: { provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } }, root_module: configRoot } }),
    ...(plan.extra ?? {}),
  };
}

let tmp: string | undefined;
/** Write the plan (and optional .tf files beside it) to a fresh directory; returns the plan's path. */
export function writePlan(plan: TestPlan | Record<string, unknown>, files: Record<string, string> = {}, name = 'plan.json'): string {
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'jci-tf-'));
  const dir = fs.mkdtempSync(path.join(tmp, 'p-'));
  const json = 'resources' in plan && Array.isArray(plan.resources) ? planJson(plan as TestPlan) : plan;
  fs.writeFileSync(path.join(dir, name), JSON.stringify(json));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return path.join(dir, name);
}

export const doc = (...statements: Array<Record<string, unknown>>): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
export const allow = (action: string | string[], resource: string | string[] = '*'): Record<string, unknown> => ({ Effect: 'Allow', Action: action, Resource: resource });
export const ref = (...refs: string[]): Record<string, unknown> => ({ references: refs });
export const constant = (v: unknown): Record<string, unknown> => ({ constant_value: v });
