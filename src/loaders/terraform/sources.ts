/**
 * `.tf` sources without a plan: `loadTerraform(dir)`.
 *
 * The root module's `.tf` files (and those of local modules it calls, at any depth) are parsed
 * (hcl.ts), what is static is evaluated (evaluate.ts: literals, `jsonencode`, templates, locals,
 * variables, `count`/`for_each` over known collections, `aws_iam_policy_document` data sources,
 * module inputs and outputs), and the result is written in the shape of a plan
 * (`planned_values` with known values, `after_unknown` marks carrying the reason, and a
 * `configuration` with expression `references`), which `buildPlan` (plan.ts) turns into
 * principals. So linking, attachments, boundaries, groups and resource policies behave exactly
 * as they do for a plan; a value that needs apply (an ARN the provider computes) is unknown
 * with the `.tf` file:line and expression, and links through it follow its references.
 *
 * Variable values, in HashiCorp's order (later wins,
 * https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence):
 * the `default`, `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` / `*.auto.tfvars.json`
 * (in lexical order of file names), then the `variables` option (what `-var` gives on the command
 * line). `TF_VAR_*` environment variables are not read (a test's result should not depend on the
 * shell it runs in).
 *
 * A module whose `source` is not local (the registry, git, a URL) is not fetched: it is an
 * unresolved module. The load result names it in `unresolvedModules` and in a warning, and holds
 * a placeholder principal with its address whose policy is unknown, so a rule over every
 * principal cannot pass without it (fail-closed).
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { JestConnectIamError, PolicySourceError, UnknownNameError } from '../../errors';
import { asSourceError } from '../parse';
import type { ResourcePolicy } from '../../evaluator/guardrails/types';
import type { Principal, SourceLocation } from '../../policy/types';
import { Unresolved } from '../../policy/symbolic';
import { closestNames } from '../../util/suggest';
import { unresolvedPolicy } from '../attach';
import { SourceMap, limitsOf, readSourceFile, setOwn, type LoadLimits, type PathKey, type RootOption } from '../source';
import { formatKey, join, type InstanceKey, type ModuleStep } from './address';
import { JsonText, Unknown, applySteps, evaluate, firstUnknown, fromJson, isObj, isRef, obj, origins, setTemplateRenderer, withBound, type Obj, type Ref, type Scope, type Step, type Value } from './evaluate';
import { parseHcl, prepareTerraform, type HclNode, type ParsedHcl } from './hcl';
import { buildPlan, type LoadedTerraformPlan } from './plan';
import { renderPolicyDocument, valuesReader } from './policy-document';
import type { RawConfigModule, RawConfigResource, RawModuleCall, RawPlan, RawStateResource, RawChange } from './stream';

export interface TerraformSourcesOptions extends LoadLimits, RootOption {
  /**
   * Values of the root module's input variables (what `-var name=value` gives), over the
   * defaults and the `.tfvars` files of the root, e.g. `{ stage: 'prod' }`.
   */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** A `variables` name the root does not declare: 'error' (default) or 'ignore' (scans). */
  readonly unknownInputs?: 'error' | 'ignore';
}

/** A module call whose source is not local: not read, its principals unknown. */
export interface UnresolvedModule {
  /** `module.iam` (with the instance key when it has count/for_each). */
  readonly address: string;
  readonly source: string;
  readonly location: SourceLocation;
}

/** A Terraform root read from its `.tf` sources. */
export interface LoadedTerraform {
  readonly dir: string;
  /** Every aws_iam_role, aws_iam_user and aws_iam_group instance (and one placeholder per unresolved module). */
  readonly principals: readonly Principal[];
  /** The principal with this address (`module.cc.aws_iam_role.agent["eu"]`) or name. Throws UnknownNameError. */
  principal(addressOrName: string): Principal;
  readonly warnings: readonly string[];
  readonly resourcePolicies: readonly ResourcePolicy[];
  resourcePolicy(address: string): ResourcePolicy;
  /** Module calls with a registry, git or URL source (not read: fail-closed). */
  readonly unresolvedModules: readonly UnresolvedModule[];
  /** The root module's input variables (declared names). */
  readonly variableNames: readonly string[];
  /** The `.tf` and `.tfvars` files read, root first. */
  readonly files: readonly string[];
}

/** Read a Terraform root's `.tf` sources (prepares the HCL parser first). */
export async function loadTerraform(dir: string, options: TerraformSourcesOptions = {}): Promise<LoadedTerraform> {
  await prepareTerraform();
  return loadTerraformSources(dir, options);
}

// ------------------------------------------------------------------ declarations

interface Block {
  readonly type: string;
  readonly labels: readonly string[];
  readonly node: HclNode;
  readonly body: HclNode | undefined;
  readonly file: ParsedHcl;
}
interface Attr {
  readonly name: string;
  readonly expr: HclNode;
  readonly node: HclNode;
  readonly file: ParsedHcl;
}

const kids = (n: HclNode): readonly HclNode[] => n.kids;
const text = (f: ParsedHcl, n: HclNode): string => f.text.slice(n.start, n.end);

function labelOf(f: ParsedHcl, n: HclNode): string {
  if (n.type === 'identifier') return text(f, n);
  // string_lit: the text between the quotes (labels have no interpolation).
  return text(f, n).replace(/^"|"$/g, '');
}

const itemsCache = new WeakMap<HclNode, { attrs: Map<string, Attr>; blocks: Block[] }>();
const NO_BODY = { attrs: new Map<string, Attr>(), blocks: [] as Block[] };

/** The attributes and nested blocks of a body (memoised per body node). */
function bodyItems(body: HclNode | undefined, f: ParsedHcl): { attrs: Map<string, Attr>; blocks: Block[] } {
  if (!body) return NO_BODY;
  const cached = itemsCache.get(body);
  if (cached) return cached;
  const r = readBody(body, f);
  itemsCache.set(body, r);
  return r;
}

function readBody(body: HclNode | undefined, f: ParsedHcl): { attrs: Map<string, Attr>; blocks: Block[] } {
  const attrs = new Map<string, Attr>();
  const blocks: Block[] = [];
  for (const c of body ? kids(body) : []) {
    if (c.type === 'attribute') {
      const id = kids(c).find((x) => x.type === 'identifier');
      const expr = kids(c).find((x) => x.type === 'expression');
      if (id && expr) attrs.set(text(f, id), { name: text(f, id), expr, node: c, file: f });
    } else if (c.type === 'block') {
      const ks = kids(c);
      const type = text(f, ks[0]!);
      const labels = ks.slice(1).filter((x) => x.type === 'string_lit' || x.type === 'identifier').map((x) => labelOf(f, x));
      blocks.push({ type, labels, node: c, body: ks.find((x) => x.type === 'body'), file: f });
    }
  }
  return { attrs, blocks };
}

interface ModuleDecl {
  readonly dir: string;
  readonly files: readonly ParsedHcl[];
  readonly variables: Map<string, Block>;
  readonly locals: Map<string, Attr>;
  /** `managed.type.name` / `data.type.name` -> block. */
  readonly resources: Map<string, Block>;
  readonly calls: Map<string, Block>;
  readonly outputs: Map<string, Block>;
}

const SKIP_ATTRS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);

/** A resource instance's values (lazy, memoised) and the scope they are evaluated in. */
interface Inst {
  readonly address: string;
  readonly mod: Mod;
  readonly block: Block;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly key?: InstanceKey;
  readonly scope: Scope;
  readonly memo: Map<string, Value>;
  readonly ref: Ref;
}

interface ResInfo {
  readonly block: Block;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** undefined: a single instance; else the keys; or unknown. */
  keys?: InstanceKey[] | Unknown;
  instances: Inst[];
  /** The value `aws_iam_role.x` stands for. */
  value?: Value;
  expanding?: boolean;
}

interface Mod {
  readonly decl: ModuleDecl;
  readonly steps: readonly ModuleStep[];
  readonly prefix: string;
  readonly path: readonly string[];
  /** Input values (a child module: evaluated lazily in the parent's scope). */
  readonly input: (name: string) => Value | undefined;
  readonly localMemo: Map<string, Value>;
  readonly localBusy: Set<string>;
  readonly resources: Map<string, ResInfo>;
  readonly children: Map<string, ChildInfo>;
  readonly scope: Scope;
}

interface ChildInfo {
  readonly block: Block;
  readonly source: string;
  readonly local: boolean;
  keys?: InstanceKey[] | Unknown;
  mods: Mod[];
  value?: Value;
  expanding?: boolean;
}

// ------------------------------------------------------------------ the loader

/**
 * The synchronous form of `loadTerraform`: needs `prepareTerraform()` to have finished (else a
 * TerraformNotPreparedError that says so).
 */
export function loadTerraformSources(dir: string, options: TerraformSourcesOptions = {}): LoadedTerraform {
  try {
    return readSources(dir, options);
  } catch (e) {
    if (e instanceof JestConnectIamError) throw e;
    if (e instanceof RangeError) throw new PolicySourceError(`too deeply nested to evaluate (${e.message})`, { file: dir });
    throw asSourceError(e, dir);
  }
}

function readSources(dir: string, options: TerraformSourcesOptions): LoadedTerraform {
  const limits = limitsOf(options);
  const rootDir = nodePath.resolve(dir);
  try {
    if (!fs.statSync(rootDir).isDirectory()) throw new PolicySourceError('is not a directory (a Terraform root is a directory of .tf files)', { file: dir });
  } catch (e) {
    if (e instanceof PolicySourceError) throw e;
    throw new PolicySourceError(`cannot read directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: dir });
  }
  const warnings: string[] = [];
  const filesRead: string[] = [];
  const declCache = new Map<string, ModuleDecl>();
  // Files are named the way `dir` was given (as the plan loader names the sources beside a plan).
  const display = (abs: string): string => nodePath.join(dir, nodePath.relative(rootDir, abs));
  const dirLabel = dir;

  const readDecl = (moduleDir: string, depth: number): ModuleDecl => {
    const cached = declCache.get(moduleDir);
    if (cached) return cached;
    if (depth > 32) throw new PolicySourceError('local modules nested more than 32 deep (a module that calls itself?)', { file: display(moduleDir) });
    let names: string[];
    try {
      names = fs.readdirSync(moduleDir).sort();
    } catch (e) {
      throw new PolicySourceError(`cannot read module directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: display(moduleDir) });
    }
    const files: ParsedHcl[] = [];
    for (const n of names) {
      const full = nodePath.join(moduleDir, n);
      if (n.endsWith('.tf.json')) {
        warnings.push(`${display(full)}: Terraform JSON configuration (.tf.json) is not read: what it defines is not checked`);
        continue;
      }
      if (!n.endsWith('.tf')) continue;
      try {
        if (!fs.statSync(full).isFile()) continue;
      } catch {
        continue;
      }
      const t = readSourceFile(full, limits, options.root);
      files.push(parseHcl(t, display(full), limits.maxDepth));
      filesRead.push(display(full));
    }
    const decl: ModuleDecl = { dir: moduleDir, files, variables: new Map(), locals: new Map(), resources: new Map(), calls: new Map(), outputs: new Map() };
    for (const f of files) {
      for (const b of bodyItems(f.root.children.find((c) => c.type === 'body'), f).blocks) {
        const [a, c] = b.labels;
        if (b.type === 'variable' && a) decl.variables.set(a, b);
        else if (b.type === 'locals') for (const [k, v] of bodyItems(b.body, f).attrs) decl.locals.set(k, v);
        else if ((b.type === 'resource' || b.type === 'data') && a && c) {
          const key = `${b.type === 'data' ? 'data' : 'managed'}.${a}.${c}`;
          const prev = decl.resources.get(key);
          // Terraform merges override files (override.tf, *_override.tf) into the block; that merge is not done here.
          if (prev) warnings.push(`${f.file}:${b.node.line}: ${b.type === 'data' ? 'data.' : ''}${a}.${c} is also defined at ${prev.file.file}:${prev.node.line} (an override file?): override files are not merged, the later block is read alone`);
          decl.resources.set(key, b);
        }
        else if (b.type === 'module' && a) decl.calls.set(a, b);
        else if (b.type === 'output' && a) decl.outputs.set(a, b);
      }
    }
    declCache.set(moduleDir, decl);
    return decl;
  };

  const rootDecl = readDecl(rootDir, 0);
  if (rootDecl.files.length === 0) throw new PolicySourceError('has no .tf files: not a Terraform root', { file: dirLabel });

  // Root variable values: defaults < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json) < options.variables.
  const rootValues = new Map<string, Value>();
  const varFiles = fs.readdirSync(rootDir).filter((n) => /\.auto\.tfvars(\.json)?$/.test(n)).sort();
  for (const n of ['terraform.tfvars', 'terraform.tfvars.json', ...varFiles]) {
    const full = nodePath.join(rootDir, n);
    if (!fs.existsSync(full)) continue;
    const t = readSourceFile(full, limits, options.root);
    filesRead.push(display(full));
    if (n.endsWith('.json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(t);
      } catch (e) {
        throw new PolicySourceError(`not valid JSON (${e instanceof Error ? e.message : String(e)})`, { file: display(full) });
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new PolicySourceError('a .tfvars.json file must hold one object of variable values', { file: display(full) });
      for (const [k, v] of Object.entries(parsed)) setVar(k, fromJson(v), display(full), 'error');
      continue;
    }
    const f = parseHcl(t, display(full), limits.maxDepth);
    const items = bodyItems(f.root.children.find((c) => c.type === 'body'), f);
    const s = baseScope(f, rootDir, () => ({ value: new Unknown(`${f.file}: a .tfvars file can only hold literal values`), used: 0 }));
    for (const [k, a] of items.attrs) setVar(k, evaluate(a.expr, s), `${f.file}:${a.node.line}`, 'error');
  }
  for (const [k, v] of Object.entries(options.variables ?? {})) setVar(k, fromJson(v), 'the variables option', options.unknownInputs ?? 'error');

  function setVar(name: string, v: Value, from: string, unknownNames: 'error' | 'ignore'): void {
    if (!rootDecl.variables.has(name)) {
      if (unknownNames === 'ignore') return;
      if (from.endsWith('.tfvars') || /\.tfvars(\.json)?(:\d+)?$/.test(from)) {
        // Terraform warns about values for undeclared variables in files; so do we.
        warnings.push(`${from}: a value for variable '${name}', which the root module does not declare`);
        return;
      }
      throw new UnknownNameError('Terraform variable', name, closestNames(name, rootDecl.variables.keys()), `(${dirLabel} declares ${rootDecl.variables.size ? [...rootDecl.variables.keys()].join(', ') : 'no variables'})`);
    }
    rootValues.set(name, v);
  }

  function baseScope(f: ParsedHcl, moduleDir: string, resolve: Scope['resolve']): Scope {
    return { file: f.file, text: f.text, moduleDir, rootDir, bound: new Map(), resolve, maxFileBytes: limits.maxFileBytes };
  }

  const unresolvedModules: UnresolvedModule[] = [];
  // count/for_each nest (a module instance per key, resources per index inside): the total is bounded, so input cannot make the loader run for ever.
  let instanceCount = 0;
  const MAX_INSTANCES = 200_000;
  const countInstance = (b: Block, address: string): void => {
    if (++instanceCount > MAX_INSTANCES) throw new PolicySourceError(`more than ${MAX_INSTANCES} resource and module instances (count/for_each): not read`, loc(b, address));
  };
  const loc = (b: { file: ParsedHcl; node: HclNode }, address?: string): SourceLocation => ({ file: b.file.file, line: b.node.line, column: b.node.column, ...(address ? { path: address, address } : {}) });

  // ---------------------------------------------------------------- module instances

  const makeMod = (decl: ModuleDecl, steps: readonly ModuleStep[], input: Mod['input']): Mod => {
    const prefix = steps.map((m) => `module.${m.name}${formatKey(m.key)}`).join('.');
    const mod: Mod = {
      decl,
      steps,
      prefix,
      path: steps.map((s) => s.name),
      input,
      localMemo: new Map(),
      localBusy: new Set(),
      resources: new Map(),
      children: new Map(),
      scope: undefined as unknown as Scope,
    };
    for (const [k, b] of decl.resources) {
      const [mode, type, name] = k.split('.') as ['managed' | 'data', string, string];
      mod.resources.set(k, { block: b, mode, type, name, instances: [] });
    }
    for (const [name, b] of decl.calls) {
      const attrs = bodyItems(b.body, b.file).attrs;
      const sAttr = attrs.get('source');
      const raw = sAttr ? evaluate(sAttr.expr, baseScope(b.file, decl.dir, () => ({ value: new Unknown('source must be a literal string'), used: 0 }))) : undefined;
      const source = typeof raw === 'string' ? raw : '';
      mod.children.set(name, { block: b, source, local: source.startsWith('./') || source.startsWith('../'), mods: [] });
    }
    (mod as { scope: Scope }).scope = scopeFor(mod, mod.decl.files[0]!);
    return mod;
  };

  /** The scope of an expression written in `f` of module instance `mod`. */
  function scopeFor(mod: Mod, f: ParsedHcl): Scope {
    return baseScope(f, mod.decl.dir, (root, steps, at) => resolveIn(mod, root, steps, at));
  }
  const scopeAt = (mod: Mod, f: ParsedHcl, bound?: ReadonlyMap<string, Value>): Scope => {
    const s = scopeFor(mod, f);
    return bound ? withBound(s, bound) : s;
  };

  function variable(mod: Mod, name: string, at: string): Value {
    const decl = mod.decl.variables.get(name);
    if (!decl) return new Unknown(`${at}: var.${name} is not declared in ${display(mod.decl.dir)}`);
    const given = mod.steps.length === 0 ? rootValues.get(name) : mod.input(name);
    if (given !== undefined) return given;
    const def = bodyItems(decl.body, decl.file).attrs.get('default');
    if (def) return evaluate(def.expr, baseScope(def.file, mod.decl.dir, () => ({ value: new Unknown(`${def.file.file}:${def.node.line}: a variable default must be a literal value`), used: 0 })));
    return new Unknown(
      mod.steps.length === 0
        ? `${at}: var.${name} (declared at ${decl.file.file}:${decl.node.line}) has no default and no value was given (pass it in the variables option or a .tfvars file)`
        : `${at}: var.${name} has no default and ${mod.prefix} does not set it`,
    );
  }

  function local(mod: Mod, name: string, at: string): Value {
    if (mod.localMemo.has(name)) return mod.localMemo.get(name)!;
    const a = mod.decl.locals.get(name);
    if (!a) return new Unknown(`${at}: local.${name} is not defined in ${display(mod.decl.dir)}`);
    if (mod.localBusy.has(name)) return new Unknown(`${at}: local.${name} refers to itself`);
    mod.localBusy.add(name);
    const v = evaluate(a.expr, scopeAt(mod, a.file));
    mod.localBusy.delete(name);
    mod.localMemo.set(name, v);
    return v;
  }

  /** count / for_each of a resource or module call: the instance keys, or unknown. */
  function expansion(mod: Mod, b: Block, what: string): { keys?: InstanceKey[] | Unknown; each?: Map<string, Value> } {
    const attrs = bodyItems(b.body, b.file).attrs;
    const count = attrs.get('count');
    const each = attrs.get('for_each');
    const s = scopeAt(mod, b.file);
    if (count) {
      const v = evaluate(count.expr, s);
      if (v instanceof Unknown) return { keys: new Unknown(`${b.file.file}:${count.node.line}: count of ${what} is not known statically (${v.why})`) };
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < 0) throw new PolicySourceError(`count must be a whole number, not ${JSON.stringify(v)}`, loc(count, what));
      if (n > 100_000) throw new PolicySourceError(`count ${n} is more than 100000 instances`, loc(count, what));
      return { keys: Array.from({ length: n }, (_, i) => i) };
    }
    if (each) {
      const v = evaluate(each.expr, s);
      const u = v instanceof Unknown ? v : Array.isArray(v) ? v.find((x) => x instanceof Unknown) as Unknown | undefined : isObj(v) ? undefined : undefined;
      if (u) return { keys: new Unknown(`${b.file.file}:${each.node.line}: for_each of ${what} is not known statically (${u.why})`) };
      const values = new Map<string, Value>();
      if (Array.isArray(v)) {
        for (const x of v) {
          if (typeof x !== 'string') return { keys: new Unknown(`${b.file.file}:${each.node.line}: for_each of ${what} is a list whose elements are not all known strings`) };
          values.set(x, x);
        }
      } else if (isObj(v)) for (const k of Object.keys(v)) values.set(k, v[k]!);
      else throw new PolicySourceError('for_each must be a map or a set of strings', loc(each, what));
      return { keys: [...values.keys()].sort(), each: values };
    }
    return {};
  }

  function boundFor(key: InstanceKey | undefined, each: Map<string, Value> | undefined, keys: InstanceKey[] | Unknown | undefined, why?: Unknown): Map<string, Value> | undefined {
    if (keys instanceof Unknown || why) {
      const u = why ?? (keys as Unknown);
      const e = obj();
      e.key = u;
      e.value = u;
      const c = obj();
      c.index = u;
      return new Map<string, Value>([['each', e], ['count', c]]);
    }
    if (key === undefined) return undefined;
    if (typeof key === 'number') {
      const c = obj();
      c.index = key;
      return new Map([['count', c]]);
    }
    const e = obj();
    e.key = key;
    e.value = each?.get(key) ?? key;
    return new Map([['each', e]]);
  }

  function expandResource(mod: Mod, r: ResInfo): void {
    if (r.keys !== undefined || r.value !== undefined || r.expanding) return;
    r.expanding = true;
    const base = join(mod.prefix, `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`);
    const { keys, each } = expansion(mod, r.block, base);
    r.keys = keys;
    const mk = (key: InstanceKey | undefined): Inst => {
      const address = `${base}${formatKey(key)}`;
      countInstance(r.block, address);
      const bound = boundFor(key, each, keys);
      const scope = scopeAt(mod, r.block.file, bound);
      const memo = new Map<string, Value>();
      const inst: Inst = {
        address,
        mod,
        block: r.block,
        mode: r.mode,
        type: r.type,
        name: r.name,
        ...(key !== undefined ? { key } : {}),
        scope,
        memo,
        ref: { kind: 'ref', label: address, attr: (name, at) => instAttr(inst, name, at) },
      };
      return inst;
    };
    if (keys instanceof Unknown) {
      warnings.push(`${keys.why}: its instances are not known; ${base} is checked as one instance whose values may differ per instance`);
      r.instances = [mk(undefined)];
      r.value = keys;
    } else if (keys === undefined) {
      r.instances = [mk(undefined)];
      r.value = r.instances[0]!.ref;
    } else {
      r.instances = keys.map(mk);
      if (keys.every((k) => typeof k === 'number')) r.value = r.instances.map((i) => i.ref);
      else {
        const o = obj();
        for (const i of r.instances) setOwn(o, String(i.key), i.ref);
        r.value = o;
      }
    }
    r.expanding = false;
  }

  /** Attributes the provider computes (never configured): known only after apply. */
  function instAttr(inst: Inst, name: string, at: string): Value {
    if (inst.memo.has(name)) return inst.memo.get(name)!;
    inst.memo.set(name, new Unknown(`${at}: ${inst.address}.${name} refers to itself`));
    let v: Value;
    if (inst.mode === 'data' && inst.type === 'aws_iam_policy_document' && (name === 'json' || name === 'minified_json')) v = policyDocument(inst);
    else if (inst.mode === 'data' && inst.type !== 'aws_iam_policy_document') {
      const items = bodyItems(inst.block.body, inst.block.file);
      const a = items.attrs.get(name);
      v = a ? evaluate(a.expr, inst.scope) : new Unknown(`${at}: ${inst.address}.${name} is read from AWS when Terraform plans (a data source)`);
    } else {
      const items = bodyItems(inst.block.body, inst.block.file);
      const a = items.attrs.get(name);
      if (a && !SKIP_ATTRS.has(name)) v = evaluate(a.expr, inst.scope);
      else if (items.blocks.some((b) => b.type === name || (b.type === 'dynamic' && b.labels[0] === name))) v = blockList(inst, items.blocks, name, inst.scope);
      else v = new Unknown(`${at}: ${inst.address}.${name} is known only after apply`);
    }
    inst.memo.set(name, v);
    return v;
  }

  /** Nested blocks named `name` (and `dynamic "name"` blocks) as a list of objects. */
  function blockList(inst: Inst, blocks: readonly Block[], name: string, scope: Scope): Value {
    const out: Value[] = [];
    for (const b of blocks) {
      if (b.type === name) out.push(blockObject(inst, b, scope));
      else if (b.type === 'dynamic' && b.labels[0] === name) {
        const items = bodyItems(b.body, b.file);
        const fe = items.attrs.get('for_each');
        const content = items.blocks.find((x) => x.type === 'content');
        if (!fe || !content) continue;
        const iter = items.attrs.get('iterator');
        const iterName = iter ? text(b.file, iter.expr).trim() : name;
        const coll = evaluate(fe.expr, scope);
        if (coll instanceof Unknown) return new Unknown(`${b.file.file}:${fe.node.line}: the for_each of dynamic "${name}" is not known statically (${coll.why})`);
        const entries: Array<[Value, Value]> = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : isObj(coll) ? Object.keys(coll).map((k) => [k, coll[k]!]) : [];
        for (const [k, v] of entries) {
          const it = obj();
          it.key = k;
          it.value = v;
          out.push(blockObject(inst, content, withBound(scope, new Map([[iterName, it]]))));
        }
      }
    }
    return out;
  }

  function blockObject(inst: Inst, b: Block, scope: Scope): Value {
    const items = bodyItems(b.body, b.file);
    const o = obj();
    const keys = new Map<string | number, { line: number; column: number }>();
    for (const [k, a] of items.attrs) {
      setOwn(o, k, evaluate(a.expr, scope));
      keys.set(k, { line: a.node.line, column: a.node.column });
    }
    const names = new Set(items.blocks.map((x) => (x.type === 'dynamic' ? x.labels[0] ?? '' : x.type)));
    for (const n of names) if (n) setOwn(o, n, blockList(inst, items.blocks, n, scope));
    for (const x of items.blocks) {
      const n = x.type === 'dynamic' ? x.labels[0] : x.type;
      if (n && !keys.has(n)) keys.set(n, { line: x.node.line, column: x.node.column });
    }
    origins.set(o, { file: b.file.file, line: b.node.line, column: b.node.column, keys });
    return o;
  }

  /** `data "aws_iam_policy_document"`: rendered as the provider does (policy-document.ts). */
  function policyDocument(inst: Inst): Value {
    const values = obj();
    const unknown: Record<string, unknown> = {};
    const items = bodyItems(inst.block.body, inst.block.file);
    const statementBlocks: Block[] = [];
    for (const [k, a] of items.attrs) {
      if (SKIP_ATTRS.has(k)) continue;
      const v = evaluate(a.expr, inst.scope);
      const m = materialize(v, false);
      setOwn(values, k, m.value as Value);
      if (m.unknown !== undefined) unknown[k] = m.unknown;
    }
    const stmts = blockList(inst, items.blocks, 'statement', inst.scope);
    for (const b of items.blocks) if (b.type === 'statement') statementBlocks.push(b);
    const m = materialize(stmts, false);
    values.statement = m.value as Value;
    if (m.unknown !== undefined) unknown.statement = m.unknown;
    const doc = renderPolicyDocument(valuesReader(values, unknown, inst.address), inst.address);
    if (doc instanceof Unresolved || !doc || typeof doc !== 'object') {
      // Unknown as a whole.
      const why = doc instanceof Unresolved ? doc.description : `${inst.address}.json`;
      return new JsonText(doc, undefined, `${inst.block.file.file}:${inst.block.node.line}: ${why}`);
    }
    const st = (doc as Record<string, unknown>).Statement;
    if (Array.isArray(st)) {
      // Statements this document writes itself (null-prototype objects) are located at their statement blocks, in order.
      const located = Array.isArray(stmts) ? stmts : [];
      let i = 0;
      for (const s of st) {
        if (s && typeof s === 'object' && Object.getPrototypeOf(s) === null) {
          const from = located[i++];
          const o = from && typeof from === 'object' ? origins.get(from as object) : undefined;
          if (o) {
            const keys = new Map<string | number, { line: number; column: number }>();
            for (const [tf, iam] of STATEMENT_KEYS) {
              const at = o.keys.get(tf);
              if (at) keys.set(iam, at);
            }
            origins.set(s as object, { ...o, keys });
          }
        }
      }
    }
    origins.set(doc as object, { file: inst.block.file.file, line: inst.block.node.line, column: inst.block.node.column, keys: new Map() });
    const u = firstUnknownDoc(doc);
    return new JsonText(doc, u ? undefined : JSON.stringify(doc), u ? `${inst.block.file.file}:${inst.block.node.line}: ${inst.address}.json has unknown parts: ${u}` : undefined);
  }

  function expandChild(mod: Mod, name: string, c: ChildInfo): void {
    if (c.keys !== undefined || c.value !== undefined || c.expanding) return;
    c.expanding = true;
    const base = join(mod.prefix, `module.${name}`);
    const { keys, each } = expansion(mod, c.block, base);
    c.keys = keys;
    const attrs = bodyItems(c.block.body, c.block.file).attrs;
    if (mod.steps.length >= 32) throw new PolicySourceError(`local modules nested more than 32 deep at ${base} (a module that calls itself?)`, loc(c.block, base));
    const mk = (key: InstanceKey | undefined): Mod | undefined => {
      const address = `${base}${formatKey(key)}`;
      countInstance(c.block, address);
      if (!c.local) {
        unresolvedModules.push({ address, source: c.source, location: loc(c.block, address) });
        return undefined;
      }
      const childDir = nodePath.resolve(mod.decl.dir, c.source);
      const decl = readDecl(childDir, mod.steps.length + 1);
      const bound = boundFor(key, each, keys);
      const scope = scopeAt(mod, c.block.file, bound);
      const memo = new Map<string, Value>();
      return makeMod(decl, [...mod.steps, { name, ...(key !== undefined ? { key } : {}) }], (v) => {
        if (memo.has(v)) return memo.get(v);
        const a = attrs.get(v);
        if (!a || ['source', 'version', 'count', 'for_each', 'providers', 'depends_on'].includes(v)) return undefined;
        memo.set(v, new Unknown(`${c.block.file.file}:${a.node.line}: ${address} input ${v} refers to itself`));
        const val = evaluate(a.expr, scope);
        memo.set(v, val);
        return val;
      });
    };
    const keyList = keys instanceof Unknown || keys === undefined ? [undefined] : keys;
    if (keys instanceof Unknown) warnings.push(`${keys.why}: its instances are not known; ${base} is checked as one instance`);
    const mods = keyList.map(mk);
    c.mods = mods.filter((m): m is Mod => m !== undefined);
    const refOf = (m: Mod | undefined, key: InstanceKey | undefined): Value => {
      const address = `${base}${formatKey(key)}`;
      if (!m) {
        const why = `${address} (source "${c.source}", ${c.block.file.file}:${c.block.node.line}) is not a local module: its outputs are unknown`;
        return { kind: 'ref', label: address, attr: (o, at) => new Unknown(`${at}: ${why}`) } satisfies Ref;
      }
      return { kind: 'ref', label: address, attr: (o, at) => output(m, o, at) } satisfies Ref;
    };
    if (keys instanceof Unknown) c.value = keys;
    else if (keys === undefined) c.value = refOf(mods[0], undefined);
    else if (keys.every((k) => typeof k === 'number')) c.value = keys.map((k, i) => refOf(mods[i], k));
    else {
      const o = obj();
      keys.forEach((k, i) => setOwn(o, String(k), refOf(mods[i], k)));
      c.value = o;
    }
    c.expanding = false;
  }

  function output(m: Mod, name: string, at: string): Value {
    const b = m.decl.outputs.get(name);
    if (!b) return new Unknown(`${at}: ${m.prefix} has no output ${name}`);
    const v = bodyItems(b.body, b.file).attrs.get('value');
    if (!v) return new Unknown(`${at}: output ${name} of ${m.prefix} has no value`);
    return evaluate(v.expr, scopeAt(m, b.file));
  }

  function resolveIn(mod: Mod, root: string, steps: readonly Step[], at: string): { value: Value; used: number } {
    const attrName = (i: number): string | undefined => (steps[i]?.kind === 'attr' ? (steps[i] as { name: string }).name : undefined);
    switch (root) {
      case 'var': {
        const n = attrName(0);
        return n ? { value: variable(mod, n, at), used: 1 } : { value: new Unknown(`${at}: var without a name`), used: 0 };
      }
      case 'local': {
        const n = attrName(0);
        return n ? { value: local(mod, n, at), used: 1 } : { value: new Unknown(`${at}: local without a name`), used: 0 };
      }
      case 'path': {
        const n = attrName(0);
        const v = n === 'module' ? mod.decl.dir : n === 'root' ? rootDir : n === 'cwd' ? process.cwd() : undefined;
        return { value: v ?? new Unknown(`${at}: path.${n ?? ''} is not known`), used: 1 };
      }
      case 'terraform':
        return { value: new Unknown(`${at}: terraform.${attrName(0) ?? ''} depends on where Terraform runs`), used: 1 };
      case 'each':
      case 'count':
        return { value: new Unknown(`${at}: ${root} is used outside a block with ${root === 'each' ? 'for_each' : 'count'}`), used: 0 };
      case 'self':
        return { value: new Unknown(`${at}: self is known only after apply`), used: 0 };
      case 'module': {
        const n = attrName(0);
        const c = n ? mod.children.get(n) : undefined;
        if (!n || !c) return { value: new Unknown(`${at}: module.${n ?? ''} is not called in ${display(mod.decl.dir)}`), used: 1 };
        expandChild(mod, n, c);
        if (c.expanding) return { value: new Unknown(`${at}: module.${n} refers to itself`), used: 1 };
        return { value: c.value!, used: 1 };
      }
      case 'data': {
        const t = attrName(0);
        const n = attrName(1);
        const r = t && n ? mod.resources.get(`data.${t}.${n}`) : undefined;
        if (!r) return { value: new Unknown(`${at}: data.${t ?? ''}.${n ?? ''} is not defined in ${display(mod.decl.dir)}`), used: 2 };
        expandResource(mod, r);
        return { value: r.value ?? new Unknown(`${at}: data.${t}.${n} refers to itself`), used: 2 };
      }
      default: {
        const n = attrName(0);
        const r = n ? mod.resources.get(`managed.${root}.${n}`) : undefined;
        if (!r) return { value: new Unknown(`${at}: ${root}${n ? `.${n}` : ''} is not defined in ${display(mod.decl.dir)}`), used: n ? 1 : 0 };
        expandResource(mod, r);
        return { value: r.value ?? new Unknown(`${at}: ${root}.${n} refers to itself`), used: 1 };
      }
    }
  }

  // ---------------------------------------------------------------- walk every module instance

  const allMods: Mod[] = [];
  const walk = (m: Mod): void => {
    allMods.push(m);
    for (const [name, c] of m.children) {
      expandChild(m, name, c);
      for (const child of c.mods) walk(child);
    }
  };
  walk(makeMod(rootDecl, [], () => undefined));
  for (const m of allMods) for (const r of m.resources.values()) expandResource(m, r);

  // ---------------------------------------------------------------- the plan shape

  const planned: RawStateResource[] = [];
  const changes: RawChange[] = [];
  for (const m of allMods) {
    for (const r of m.resources.values()) {
      if (r.mode === 'data' && r.type !== 'aws_iam_policy_document') continue;
      for (const inst of r.instances) {
        const { values, unknown } = instanceValues(inst);
        planned.push({ address: inst.address, mode: r.mode, type: r.type, name: r.name, ...(inst.key !== undefined ? { index: inst.key } : {}), values });
        changes.push({ address: inst.address, mode: r.mode, type: r.type, name: r.name, actions: ['create'], after: values, afterUnknown: unknown });
      }
    }
  }

  function instanceValues(inst: Inst): { values: Record<string, unknown>; unknown: Record<string, unknown> } {
    const values = Object.create(null) as Record<string, unknown>;
    const unknown = Object.create(null) as Record<string, unknown>;
    const items = bodyItems(inst.block.body, inst.block.file);
    const at = (n: string): string => `${inst.block.file.file}:${(items.attrs.get(n)?.node ?? inst.block.node).line}: ${inst.address}.${n}`;
    if (inst.mode === 'data') {
      const v = instAttr(inst, 'json', at('json'));
      const m = materialize(v, true);
      if (m.value !== undefined) values.json = m.value;
      if (m.unknown !== undefined) unknown.json = m.unknown;
      return { values, unknown };
    }
    const names = new Set<string>([...items.attrs.keys()].filter((k) => !SKIP_ATTRS.has(k)));
    for (const b of items.blocks) if (b.type !== 'lifecycle' && b.type !== 'provisioner' && b.type !== 'connection') names.add(b.type === 'dynamic' ? b.labels[0] ?? '' : b.type);
    for (const n of names) {
      if (!n) continue;
      const v = instAttr(inst, n, at(n));
      const m = materialize(v, POLICY_ATTRS.has(n));
      if (m.value !== undefined) setOwn(values as Obj, n, m.value as Value);
      if (m.unknown !== undefined) unknown[n] = m.unknown;
    }
    return { values, unknown };
  }

  // Configuration: per module (by call path), resources with expression references.
  const configOf = (decl: ModuleDecl, depth: number): RawConfigModule => {
    const resources: RawConfigResource[] = [];
    for (const [k, b] of decl.resources) {
      const [mode, type, name] = k.split('.') as ['managed' | 'data', string, string];
      const items = bodyItems(b.body, b.file);
      const count = items.attrs.get('count');
      const each = items.attrs.get('for_each');
      resources.push({
        address: `${mode === 'data' ? 'data.' : ''}${type}.${name}`,
        mode,
        type,
        name,
        expressions: expressionsOf(decl, items),
        ...(count ? { countExpression: { references: refsOf(decl, count.expr, count.file) } } : {}),
        ...(each ? { forEachExpression: { references: refsOf(decl, each.expr, each.file) } } : {}),
      });
    }
    const calls = new Map<string, RawModuleCall>();
    for (const [name, b] of decl.calls) {
      const items = bodyItems(b.body, b.file);
      const sAttr = items.attrs.get('source');
      const source = sAttr ? text(b.file, sAttr.expr).trim().replace(/^"|"$/g, '') : undefined;
      const local = source !== undefined && (source.startsWith('./') || source.startsWith('../'));
      const expressions = Object.create(null) as Record<string, unknown>;
      for (const [k, a] of items.attrs) if (k !== 'source') expressions[k] = { references: refsOf(decl, a.expr, a.file) };
      const childDir = local ? nodePath.resolve(decl.dir, source!) : undefined;
      const child = childDir && declCache.get(childDir) && depth < 32 ? configOf(declCache.get(childDir)!, depth + 1) : undefined;
      calls.set(name, { ...(source !== undefined ? { source } : {}), expressions, ...(child ? { module: child } : {}) });
    }
    const outputs = Object.create(null) as Record<string, unknown>;
    for (const [name, b] of decl.outputs) {
      const v = bodyItems(b.body, b.file).attrs.get('value');
      outputs[name] = { expression: { references: v ? refsOf(decl, v.expr, v.file) : [] } };
    }
    return { resources, calls, outputs };
  };

  function expressionsOf(decl: ModuleDecl, items: { attrs: Map<string, Attr>; blocks: Block[] }): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, a] of items.attrs) out[k] = { references: refsOf(decl, a.expr, a.file) };
    for (const b of items.blocks) {
      const name = b.type === 'dynamic' ? b.labels[0] : b.type;
      if (!name) continue;
      const list = (out[name] as unknown[] | undefined) ?? [];
      if (b.type === 'dynamic') out[name] = { references: refsOf(decl, b.node, b.file) };
      else if (Array.isArray(list)) {
        list.push(expressionsOf(decl, bodyItems(b.body, b.file)));
        out[name] = list;
      }
    }
    return out;
  }

  /** Terraform's `references` of an expression: traversals, with locals expanded into what they reference. */
  function refsOf(decl: ModuleDecl, expr: HclNode, f: ParsedHcl, seen = new Set<string>()): string[] {
    const out = new Set<string>();
    const visit = (n: HclNode, parent: HclNode | undefined, idx: number): void => {
      if (n.type === 'variable_expr' && parent) {
        const root = text(f, n);
        if (['each', 'count', 'path', 'self', 'terraform'].includes(root)) return;
        const sibs = parent.children;
        let end = idx;
        const prefixes: string[] = [];
        for (let i = idx + 1; i < sibs.length; i++) {
          const s = sibs[i]!;
          if (s.type !== 'get_attr' && s.type !== 'index') break;
          end = i;
          prefixes.push(f.text.slice(n.start, s.end).replace(/\s+/g, ''));
        }
        if (root === 'local' && prefixes[0]) {
          const name = prefixes[0].slice('local.'.length).split(/[.[]/)[0]!;
          out.add(`local.${name}`);
          const a = decl.locals.get(name);
          if (a && !seen.has(name)) {
            seen.add(name);
            for (const r of refsOf(decl, a.expr, a.file, seen)) out.add(r);
          }
          return;
        }
        const minLen = root === 'data' ? 2 : root === 'var' || root === 'module' ? 0 : 0;
        const wanted = prefixes.slice(minLen === 2 ? 1 : 0);
        for (const p of wanted) out.add(p);
        void end;
        return;
      }
      n.children.forEach((c, i) => visit(c, n, i));
    };
    visit(expr, undefined, 0);
    // Bound names of for expressions and dynamic iterators are not references; they have no dot-free form here.
    return [...out].filter((r) => r.includes('.'));
  }

  // Positions: block and argument lines from the parsed files.
  const declAt = (path: readonly string[]): ModuleDecl | undefined => {
    let d: ModuleDecl | undefined = rootDecl;
    for (const name of path) {
      const b = d?.calls.get(name);
      if (!b || !d) return undefined;
      const sAttr = bodyItems(b.body, b.file).attrs.get('source');
      const source = sAttr ? text(b.file, sAttr.expr).trim().replace(/^"|"$/g, '') : '';
      d = declCache.get(nodePath.resolve(d.dir, source));
    }
    return d;
  };
  const locate = (path: readonly string[], mode: 'managed' | 'data', type: string, name: string, attribute?: string): SourceLocation | undefined => {
    const b = declAt(path)?.resources.get(`${mode}.${type}.${name}`);
    if (!b) return undefined;
    if (attribute !== undefined) {
      const items = bodyItems(b.body, b.file);
      const a = items.attrs.get(attribute) ?? items.blocks.find((x) => x.type === attribute || (x.type === 'dynamic' && x.labels[0] === attribute));
      if (a) return { file: b.file.file, line: a.node.line };
    }
    return { file: b.file.file, line: b.node.line };
  };

  const raw: RawPlan = {
    keys: new Set(['format_version', 'planned_values', 'resource_changes', 'configuration']),
    formatVersion: '1.2',
    planned,
    changes,
    config: configOf(rootDecl, 0),
    counts: { resources: planned.length, kept: planned.length },
    locate,
    sourceMap: new OriginMap(),
  };
  const plan: LoadedTerraformPlan = buildPlan(raw, dirLabel, { sources: false }, limits);

  // Unresolved modules: a warning each, and a placeholder principal whose policy is unknown.
  const placeholders: Principal[] = [];
  for (const u of unresolvedModules) {
    warnings.push(`${u.location.file}:${u.location.line}: ${u.address} has source "${u.source}", which is not a local module: it is not read, and the roles, users and groups it defines are unknown (fail-closed: check its plan JSON, or vendor it as a local module)`);
    placeholders.push({
      kind: 'role',
      id: u.address,
      file: dirLabel,
      source: u.location,
      policies: [unresolvedPolicy(u.address, 'inline', `${u.address} (source "${u.source}") is not a local module: the principals it defines and their policies are unknown and could grant anything`, u.location)],
    });
  }
  // The plan loader's words, for a configuration read from its sources.
  const reword = (t: string): string => t.replace(/\bthis plan\b/g, 'this configuration').replace(/\bof the plan\b/g, 'of the configuration').replace(/\bthe plan does not hold\b/g, 'the configuration does not hold');
  const rewordPolicy = <T extends { unresolved?: string }>(p: T): T => (p.unresolved && /\bplan\b/.test(p.unresolved) ? { ...p, unresolved: reword(p.unresolved) } : p);
  const principals = [
    ...plan.principals.map((p) => ({ ...p, policies: p.policies.map(rewordPolicy), ...(p.permissionsBoundary ? { permissionsBoundary: rewordPolicy(p.permissionsBoundary) } : {}) })),
    ...placeholders,
  ];
  const byKey = new Map<string, Principal>();
  for (const p of principals) byKey.set(p.id, p);
  for (const p of principals) if (p.name && !byKey.has(p.name)) byKey.set(p.name, p);
  const allWarnings = [...warnings, ...plan.warnings.map(reword)];
  return {
    dir: dirLabel,
    principals,
    principal(name: string): Principal {
      const p = byKey.get(name);
      if (p) return p;
      throw new UnknownNameError('principal', name, closestNames(name, byKey.keys()), principals.length ? `(${dirLabel})` : `This Terraform root defines no aws_iam_role, aws_iam_user or aws_iam_group. (${dirLabel})`);
    },
    warnings: allWarnings,
    resourcePolicies: plan.resourcePolicies,
    resourcePolicy: (address: string) => plan.resourcePolicy(address),
    unresolvedModules,
    variableNames: [...rootDecl.variables.keys()],
    files: filesRead,
  };
}

/** aws_iam_policy_document statement arguments -> the policy keys they render. */
const STATEMENT_KEYS: ReadonlyArray<[string, string]> = [
  ['sid', 'Sid'],
  ['effect', 'Effect'],
  ['actions', 'Action'],
  ['not_actions', 'NotAction'],
  ['resources', 'Resource'],
  ['not_resources', 'NotResource'],
  ['principals', 'Principal'],
  ['not_principals', 'NotPrincipal'],
  ['condition', 'Condition'],
];

/** Attributes whose document objects are kept as objects (positions of their statements). */
const POLICY_ATTRS = new Set(['policy', 'json']);

/** A value in plan form: JSON values, and the `after_unknown` tree (reason strings where unknown). */
function materialize(v: Value, policy: boolean, depth = 0): { value?: unknown; unknown?: unknown } {
  if (v instanceof Unknown) return { unknown: v.why };
  if (isRef(v)) return { unknown: `${v.label} is an object known only after apply` };
  if (v instanceof JsonText) {
    if (policy && v.doc && typeof v.doc === 'object' && !(v.doc instanceof Unresolved) && !Array.isArray(v.doc)) return { value: v.doc };
    return v.text !== undefined ? { value: v.text } : { unknown: v.why ?? 'a JSON document with unknown parts' };
  }
  if (depth > 200) return { unknown: 'a value nested too deeply' };
  if (Array.isArray(v)) {
    const values: unknown[] = [];
    const marks: unknown[] = [];
    let any = false;
    for (const x of v) {
      const m = materialize(x, policy, depth + 1);
      values.push(m.value ?? null);
      marks.push(m.unknown ?? false);
      if (m.unknown !== undefined) any = true;
    }
    if (origins.has(v)) origins.set(values, origins.get(v)!);
    return { value: values, ...(any ? { unknown: marks } : {}) };
  }
  if (isObj(v)) {
    const values = Object.create(null) as Record<string, unknown>;
    const marks = Object.create(null) as Record<string, unknown>;
    let any = false;
    for (const k of Object.keys(v)) {
      const m = materialize(v[k]!, POLICY_ATTRS.has(k), depth + 1);
      if (m.value !== undefined) setOwn(values as Obj, k, m.value as Value);
      if (m.unknown !== undefined) {
        marks[k] = m.unknown;
        any = true;
      }
    }
    if (origins.has(v)) origins.set(values, origins.get(v)!);
    return { value: values, ...(any ? { unknown: marks } : {}) };
  }
  return { value: v };
}

function firstUnknownDoc(doc: unknown, depth = 0): string | undefined {
  if (doc instanceof Unresolved) return doc.description;
  if (doc && typeof doc === 'object') {
    if (depth > 100) return 'nested too deeply';
    for (const v of Object.values(doc)) {
      const u = firstUnknownDoc(v, depth + 1);
      if (u) return u;
    }
  }
  return undefined;
}

/** Positions of the document objects the evaluator built (evaluate.ts `origins`), for statement lines. */
class OriginMap extends SourceMap {
  constructor() {
    super(undefined, '');
  }
  override locate(node: unknown): SourceLocation | undefined {
    const o = typeof node === 'object' && node !== null ? origins.get(node) : undefined;
    return o ? { file: o.file, line: o.line, column: o.column } : undefined;
  }
  override locateChild(node: unknown, key: PathKey): SourceLocation | undefined {
    const o = typeof node === 'object' && node !== null ? origins.get(node) : undefined;
    const k = o?.keys.get(key);
    return o && k ? { file: o.file, line: k.line, column: k.column } : undefined;
  }
  // The base class finds several children at once from its own text offsets; these positions come from the origins.
  override locateChildren(node: unknown, keys: readonly PathKey[]): Array<SourceLocation | undefined> {
    return keys.map((k) => this.locateChild(node, k));
  }
}

// templatefile(): the template's text read as a heredoc, with the given variables bound.
setTemplateRenderer((t, vars, scope, n) => {
  const marker = `JCI_TEMPLATE_${t.length}_END`;
  if (t.includes(marker)) return new Unknown(`${scope.file}:${n.line}: templatefile(...) could not be read as a template`);
  let parsed: ParsedHcl;
  try {
    parsed = parseHcl(`x = <<${marker}\n${t}${t.endsWith('\n') ? '' : '\n'}${marker}\n`, scope.file, 100);
  } catch (e) {
    return new Unknown(`${scope.file}:${n.line}: templatefile(...) is not a valid template (${e instanceof Error ? e.message : String(e)})`);
  }
  const body = parsed.root.children.find((c) => c.type === 'body');
  const attr = body?.children.find((c) => c.type === 'attribute');
  const expr = attr?.children.find((c) => c.type === 'expression');
  if (!expr) return new Unknown(`${scope.file}:${n.line}: templatefile(...) could not be read as a template`);
  const bound = new Map<string, Value>(Object.keys(vars).map((k) => [k, vars[k]!]));
  const s: Scope = {
    ...scope,
    text: parsed.text,
    bound,
    resolve: (root) => ({ value: new Unknown(`${scope.file}:${n.line}: the template refers to ${root}, which templatefile(...) does not pass`), used: 0 }),
  };
  let v = evaluate(expr, s);
  // The heredoc adds a final newline the template file may not have.
  if (typeof v === 'string' && !t.endsWith('\n')) v = v.slice(0, -1);
  return v;
});

void applySteps;
void firstUnknown;
