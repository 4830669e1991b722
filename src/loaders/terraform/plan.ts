/**
 * `terraform show -json` plans (and states) -> principals: every aws_iam_role, aws_iam_user and
 * aws_iam_group instance (modules at any depth, count and for_each), with every policy that
 * reaches it. Format: HashiCorp's "JSON Output Format"
 * (https://developer.hashicorp.com/terraform/internals/json-format), format_version 0.1 to 1.x.
 *
 * Values come from `resource_changes[].change.after` (with `after_unknown`), else from
 * `planned_values`. A value marked in `after_unknown`, or absent though the configuration sets it,
 * is unknown: a whole unknown policy is an unresolved policy ("could grant anything"), an unknown
 * part of a rebuilt `aws_iam_policy_document` is an unresolved value. Links whose planned value is
 * unknown (`aws_iam_role_policy.role = aws_iam_role.x.id`) are followed through the
 * configuration's expression `references`, through module outputs and input variables.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { PolicySourceError, UnknownNameError } from '../../errors';
import { Unresolved } from '../../policy/symbolic';
import type { ResourcePolicy } from '../../evaluator/guardrails/types';
import type { AttachedPolicy, Principal, PrincipalKind, SourceLocation } from '../../policy/types';
import { closestNames } from '../../util/suggest';
import { documentPolicies, managedPolicyEntry, unresolvedPolicy, withConditions, type AttachContext, type TemplateManagedPolicy } from '../attach';
import { Resolver } from '../cloudformation/intrinsics';
import { SourceMap, isPlainObject, limitsOf, own, type LoadLimits, type RootOption } from '../source';
import { formatKey, join, moduleInstance, modulePath, parseAddress, parseReference, type InstanceKey, type ModuleStep } from './address';
import { expressionsReader, markOf, reasonOf, renderPolicyDocument, valuesReader, type Known } from './policy-document';
import { SourcePositions } from './positions';
import { readPlanFile, type RawConfigModule, type RawConfigResource, type RawPlan } from './stream';

export interface TerraformPlanOptions extends Omit<LoadLimits, 'maxFileBytes' | 'maxAliasCount'>, RootOption {
  /** Largest plan file read, in bytes. Plans get their own limit. @default 1_073_741_824 (1 GiB) */
  readonly maxPlanBytes?: number;
  /**
   * The root module's `.tf` directory, for `file:line` in evidence. `false`: do not look.
   * @default the plan file's directory
   */
  readonly sources?: string | false;
}

export const DEFAULT_MAX_PLAN_BYTES = 1024 * 1024 * 1024;

/** A Terraform plan (or state) with every principal it holds. */
export interface LoadedTerraformPlan {
  readonly file: string;
  /** `format_version` of the JSON (0.1 ... 1.x). */
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  /** 'plan' for `terraform show -json planfile`, 'state' for `terraform show -json` of a state. */
  readonly source: 'plan' | 'state';
  /** Every aws_iam_role, aws_iam_user and aws_iam_group instance, by address order. */
  readonly principals: readonly Principal[];
  /** The principal with this address (`module.cc.aws_iam_role.agent["eu"]`) or name. Throws UnknownNameError. */
  principal(addressOrName: string): Principal;
  /** Attachments to principals outside the plan, resources of the configuration the plan does not hold, ... */
  readonly warnings: readonly string[];
  /**
   * KMS key policies (aws_kms_key `policy`, aws_kms_key_policy) and S3 bucket policies
   * (aws_s3_bucket_policy, the legacy aws_s3_bucket `policy`), for the resourcePolicies option,
   * named by address. A policy or ARN known only after apply stays unknown (answers that depend
   * on it are conditional, naming the address and attribute).
   */
  readonly resourcePolicies: readonly ResourcePolicy[];
  /** The resource policy of this address (`aws_kms_key.recordings`). Throws UnknownNameError. */
  resourcePolicy(address: string): ResourcePolicy;
}

type Kind = 'role' | 'user' | 'group';
const PRINCIPAL_TYPES: Readonly<Record<string, Kind>> = { aws_iam_role: 'role', aws_iam_user: 'user', aws_iam_group: 'group' };

/** One resource instance with its planned values. */
interface Instance {
  readonly address: string;
  readonly modules: readonly ModuleStep[];
  readonly prefix: string;
  readonly path: readonly string[];
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly key?: InstanceKey;
  readonly values: Record<string, unknown>;
  /** The `after_unknown` tree (true = unknown). */
  readonly unknown: unknown;
  readonly config?: RawConfigResource;
}

interface Builder {
  readonly kind: Kind;
  readonly inst: Instance;
  readonly id: string;
  name?: string;
  readonly source: SourceLocation;
  tags?: Record<string, string>;
  unknownTags?: string[];
  readonly policies: AttachedPolicy[];
  permissionsBoundary?: AttachedPolicy;
  /** Inline policy names and managed ARNs attached by separate resources (to not repeat echoes of them). */
  readonly inlineNames: Set<string>;
  readonly managedArns: Set<string>;
}

export function loadTerraformPlan(file: string, options: TerraformPlanOptions = {}): LoadedTerraformPlan {
  const limits = limitsOf({ maxDepth: options.maxDepth, maxStatements: options.maxStatements });
  const maxPlanBytes = options.maxPlanBytes ?? DEFAULT_MAX_PLAN_BYTES;
  let size: number;
  try {
    if (options.root !== undefined) {
      const real = fs.realpathSync(file);
      const root = fs.realpathSync(options.root);
      if (real !== root && !real.startsWith(root.endsWith(nodePath.sep) ? root : root + nodePath.sep)) {
        throw new PolicySourceError(`the file is a symbolic link to ${real}, outside ${root}: not read`, { file });
      }
    }
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new PolicySourceError('is a directory, not a plan file', { file });
    size = st.size;
  } catch (e) {
    if (e instanceof PolicySourceError) throw e;
    throw new PolicySourceError(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file });
  }
  if (size > maxPlanBytes) throw new PolicySourceError(`the plan is ${size} bytes, more than the limit of ${maxPlanBytes} bytes (option maxPlanBytes)`, { file });
  const raw = readPlanFile(file, limits.maxDepth);
  return buildPlan(raw, file, options, limits);
}

/** True when the parsed top level is `terraform show -json` output. */
export function isPlanShape(raw: RawPlan): boolean {
  return raw.keys.has('format_version') && (raw.keys.has('planned_values') || raw.keys.has('resource_changes') || raw.keys.has('values') || raw.keys.has('prior_state'));
}

function configAt(root: RawConfigModule | undefined, path: readonly string[]): RawConfigModule | undefined {
  let m = root;
  for (const name of path) m = m?.calls.get(name)?.module;
  return m;
}

const isUnknownMark = (u: unknown): boolean => markOf(u) !== undefined;

export function buildPlan(raw: RawPlan, file: string, options: TerraformPlanOptions, limits: Required<LoadLimits>): LoadedTerraformPlan {
  if (!isPlanShape(raw)) {
    throw new PolicySourceError('not a Terraform plan: expected `terraform show -json` output (format_version with planned_values or resource_changes)', { file, line: 1, column: 1 });
  }
  const fv = raw.formatVersion;
  if (typeof fv !== 'string' || !/^\d+\.\d+$/.test(fv)) throw new PolicySourceError(`format_version must be a string like "1.2", not ${JSON.stringify(fv)}`, { file, line: 1, column: 1 });
  const major = Number(fv.split('.')[0]);
  if (major > 1) throw new PolicySourceError(`format_version ${fv} is newer than this loader reads (0.x and 1.x); its meaning may have changed`, { file, line: 1, column: 1 });
  const warnings: string[] = [];
  const source: 'plan' | 'state' = raw.planned || raw.changes ? 'plan' : 'state';
  if (raw.errored === true) warnings.push(`${file}: the plan errored (errored: true): it may not show every resource`);
  if (raw.complete === false) warnings.push(`${file}: the plan is incomplete (complete: false): some changes were deferred and are not in it`);

  // Sources beside the plan: the root module's directory and local module sources under it.
  const rootDir = options.sources === false ? undefined : options.sources ?? nodePath.dirname(file);
  const positions: Pick<SourcePositions, 'locate'> = raw.locate ? { locate: raw.locate } : new SourcePositions(10 * 1024 * 1024, (path) => {
    if (rootDir === undefined) return undefined;
    let dir = rootDir;
    let m = raw.config;
    for (const name of path) {
      const call = m?.calls.get(name);
      const src = call?.source;
      if (typeof src !== 'string' || !(src.startsWith('./') || src.startsWith('../'))) return undefined;
      dir = nodePath.join(dir, src);
      m = call?.module;
    }
    return dir;
  });

  // 1. Instances: changes (after + after_unknown) over planned values; data sources also from prior_state.
  const changes = new Map<string, { actions: unknown; after: unknown; afterUnknown: unknown }>();
  for (const c of raw.changes ?? []) if (typeof c.address === 'string') changes.set(c.address, { actions: c.actions, after: c.after, afterUnknown: c.afterUnknown });
  const instances: Instance[] = [];
  const byAddress = new Map<string, Instance>();
  const add = (address: unknown, values: unknown, unknown: unknown): void => {
    if (typeof address !== 'string' || byAddress.has(address)) return;
    const a = parseAddress(address);
    if (!a) throw new PolicySourceError(`'${address}' is not a resource address`, { file, path: address });
    const cfg = configAt(raw.config, modulePath(a.modules))?.resources.find((r) => r.mode === a.mode && r.type === a.type && r.name === a.name);
    const inst: Instance = {
      address,
      modules: a.modules,
      prefix: moduleInstance(a.modules),
      path: modulePath(a.modules),
      mode: a.mode,
      type: a.type,
      name: a.name,
      ...(a.key !== undefined ? { key: a.key } : {}),
      values: isPlainObject(values) ? values : {},
      unknown,
      ...(cfg ? { config: cfg } : {}),
    };
    instances.push(inst);
    byAddress.set(address, inst);
  };
  const deleted = (address: string): boolean => {
    const acts = changes.get(address)?.actions;
    return Array.isArray(acts) && acts.includes('delete') && !acts.includes('create');
  };
  for (const r of raw.planned ?? raw.state ?? []) {
    if (typeof r.address !== 'string' || deleted(r.address)) continue;
    const ch = changes.get(r.address);
    add(r.address, ch && isPlainObject(ch.after) ? ch.after : r.values, ch?.afterUnknown);
  }
  if (!raw.planned && !raw.state) {
    for (const [address, ch] of changes) if (!deleted(address) && ch.after !== null) add(address, ch.after, ch.afterUnknown);
  }
  for (const r of raw.prior ?? []) if (r.mode === 'data') add(r.address, r.values, undefined);
  for (const [address, ch] of changes) {
    const a = parseAddress(address);
    if (a?.mode === 'data' && !byAddress.has(address)) add(address, ch.after, ch.afterUnknown);
  }

  // Where things are: the .tf line when the sources are beside the plan, else the plan file and address.
  const where = (inst: Instance, attribute?: string): SourceLocation => {
    const address = attribute ? `${inst.address}.${attribute}` : inst.address;
    const tf = positions.locate(inst.path, inst.mode, inst.type, inst.name, attribute);
    return tf ? { file: tf.file, line: tf.line, path: address, address } : { file, path: address, address };
  };

  /** An attribute's planned value, or unknown. */
  const attr = (inst: Instance, name: string): Known => {
    const u = own(inst.unknown, name);
    if (isUnknownMark(u) || inst.unknown === true) return { known: false, why: reasonOf(u) ?? reasonOf(inst.unknown) ?? `${inst.address}.${name} is known only after apply` };
    if (Object.prototype.hasOwnProperty.call(inst.values, name)) return { known: true, value: own(inst.values, name) };
    // Absent from the planned values: unknown when the configuration sets it (or there is no configuration).
    if (inst.config ? own(inst.config.expressions, name) !== undefined : REQUIRED.has(name)) return { known: false, why: `${inst.address}.${name} is not in the planned values (known only after apply)` };
    return { known: true, value: undefined };
  };
  const configured = (inst: Instance, name: string): boolean | undefined => (inst.config ? own(inst.config.expressions, name) !== undefined : undefined);
  const referencesOf = (inst: Instance, name: string): string[] => {
    const refs = own(own(inst.config?.expressions, name), 'references');
    return Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : [];
  };

  /**
   * The resource instances a reference written in module instance `mods` points at, following
   * `module.x.output` and `var.x` through the configuration. `key` prefers the instance with the
   * same key as the referring instance (for_each over the same collection).
   */
  const resolveRef = (ref: string, mods: readonly ModuleStep[], seen = 0): Instance[] | undefined => {
    if (seen > 20) return undefined;
    const r = parseReference(ref);
    const prefix = moduleInstance(mods);
    if (r.kind === 'resource') {
      return instances.filter((i) => i.prefix === prefix && i.mode === r.mode && i.type === r.type && i.name === r.name && (r.key === undefined || i.key === r.key));
    }
    if (r.kind === 'module') {
      if (!r.output) return undefined;
      const cfg = configAt(raw.config, [...modulePath(mods), r.name]);
      const out = own(own(cfg?.outputs, r.output), 'expression');
      const refs = own(out, 'references');
      if (!Array.isArray(refs)) return undefined;
      const childKeys = new Set(instances.filter((i) => i.prefix.startsWith(join(prefix, `module.${r.name}`))).map((i) => i.modules[mods.length]?.key));
      const keys = r.key !== undefined ? [r.key] : [...childKeys];
      const result: Instance[] = [];
      for (const k of keys.length ? keys : [undefined]) {
        for (const x of refs) {
          if (typeof x !== 'string') continue;
          const got = resolveRef(x, [...mods, { name: r.name, ...(k !== undefined ? { key: k } : {}) }], seen + 1);
          if (got) result.push(...got);
        }
      }
      return result.length ? dedupe(result) : undefined;
    }
    if (r.kind === 'var') {
      if (mods.length === 0) return undefined;
      const parent = mods.slice(0, -1);
      const call = configAt(raw.config, modulePath(parent))?.calls.get(mods[mods.length - 1]!.name);
      const refs = own(own(call?.expressions, r.name), 'references');
      if (!Array.isArray(refs)) return undefined;
      const result: Instance[] = [];
      for (const x of refs) if (typeof x === 'string') result.push(...(resolveRef(x, parent, seen + 1) ?? []));
      return result.length ? dedupe(result) : undefined;
    }
    return undefined;
  };

  // 2. Principals.
  const builders: Builder[] = [];
  for (const inst of instances) {
    const kind = inst.mode === 'managed' ? PRINCIPAL_TYPES[inst.type] : undefined;
    if (!kind) continue;
    const b: Builder = { kind, inst, id: inst.address, source: where(inst), policies: [], inlineNames: new Set(), managedArns: new Set() };
    const name = attr(inst, 'name');
    if (name.known && typeof name.value === 'string' && name.value) b.name = name.value;
    tagsOf(inst, b, attr);
    builders.push(b);
  }
  const byInstance = new Map<Instance, Builder>(builders.map((b) => [b.inst, b]));

  // Managed policies of the plan (aws_iam_policy), by address and by name.
  const ctx: AttachContext = {
    resolver: new Resolver({ map: new SourceMap(file, ''), template: {}, maxDepth: limits.maxDepth }),
    map: new SourceMap(file, ''),
    limits,
    templatePolicies: new Map<string, TemplateManagedPolicy>(),
    partition: 'aws',
  };
  const docCtx = { limits, ...(raw.sourceMap ? { map: raw.sourceMap } : {}) };
  const dataDocs = new Map<Instance, unknown>();
  const dataDocument = (inst: Instance): unknown => {
    if (dataDocs.has(inst)) return dataDocs.get(inst);
    const json = attr(inst, 'json');
    let doc: unknown;
    if (json.known && (typeof json.value === 'string' || isPlainObject(json.value))) doc = json.value;
    else if (Object.prototype.hasOwnProperty.call(inst.values, 'statement') || inst.unknown !== undefined) {
      doc = renderPolicyDocument(valuesReader(inst.values, inst.unknown, inst.address), inst.address);
    } else if (inst.config) {
      const ex = inst.config.expressions;
      doc = own(ex, 'statement') === undefined && own(ex, 'source_policy_documents') === undefined && own(ex, 'override_policy_documents') === undefined
        ? new Unresolved(`${inst.address}.json (known only after apply; the configuration shows no statement blocks: dynamic blocks?)`)
        : renderPolicyDocument(expressionsReader(ex, inst.address), inst.address);
    } else doc = new Unresolved(`${inst.address}.json (known only after apply)`);
    dataDocs.set(inst, doc);
    return doc;
  };

  /** The policies of a document attribute (`policy` of aws_iam_role_policy / aws_iam_policy). */
  const documentOf = (inst: Instance, attribute: string, name: string, origin: AttachedPolicy['origin'], requireResource = true): AttachedPolicy[] => {
    const v = attr(inst, attribute);
    const at = where(inst, attribute);
    if (v.known) {
      // A document object: the sources loader's jsonencode(...) / aws_iam_policy_document (with positions).
      if (isPlainObject(v.value)) return documentPolicies(docCtx, name, origin, v.value, at, [], requireResource);
      if (typeof v.value !== 'string' || !v.value.trim()) throw new PolicySourceError(`${attribute} must be a JSON policy string`, at);
      return documentPolicies(docCtx, name, origin, v.value, at, [], requireResource);
    }
    // Unknown: rebuild from what it references when that is a policy document of the plan.
    const refs = referencesOf(inst, attribute);
    const docs = dedupe(refs.flatMap((r) => {
      const p = parseReference(r);
      if (p.kind === 'resource' && p.mode === 'data' && p.type === 'aws_iam_policy_document') return resolveRef(r, inst.modules) ?? [];
      return [];
    }));
    const onlyDocs = refs.every((r) => {
      const p = parseReference(r);
      return p.kind === 'resource' && p.mode === 'data' && p.type === 'aws_iam_policy_document';
    });
    if (docs.length === 1 && onlyDocs) {
      const doc = dataDocument(docs[0]!);
      const docAt = where(docs[0]!);
      if (doc instanceof Unresolved) return [unresolvedPolicy(name, origin, `${at.address} is known only after apply: ${doc.description}; it could grant anything`, at)];
      return documentPolicies(docCtx, name, origin, doc, docAt, [], requireResource);
    }
    return [unresolvedPolicy(name, origin, `${v.why}${refs.length ? ` (it references ${refs.join(', ')})` : ''}: the policy could grant anything`, at)];
  };

  const planPolicies = new Map<Instance, { name?: string; arn?: string; policies: AttachedPolicy[] }>();
  for (const inst of instances) {
    if (inst.mode !== 'managed' || inst.type !== 'aws_iam_policy') continue;
    const n = attr(inst, 'name');
    const name = n.known && typeof n.value === 'string' && n.value ? n.value : undefined;
    const arnV = attr(inst, 'arn');
    const arn = arnV.known && typeof arnV.value === 'string' ? arnV.value : undefined;
    const policies = documentOf(inst, 'policy', name ?? inst.address, 'managed-policy-resource');
    planPolicies.set(inst, { ...(name ? { name } : {}), ...(arn ? { arn } : {}), policies });
    if (name) ctx.templatePolicies.set(inst.address, { id: inst.address, name, policies });
  }

  /** Policies for a managed policy ARN value (known) or its references (unknown). */
  const arnPolicies = (inst: Instance, attribute: string, value: Known, origin: AttachedPolicy['origin']): AttachedPolicy[] => {
    const at = where(inst, attribute);
    if (value.known) {
      if (typeof value.value !== 'string') return [];
      const own_ = [...planPolicies.values()].find((p) => p.arn === value.value);
      if (own_) return own_.policies.map((p) => withConditions(p, [], origin === 'permissions-boundary' ? origin : 'managed-policy-resource'));
      return managedPolicyEntry(ctx, value.value, origin, at, []);
    }
    const refs = referencesOf(inst, attribute);
    const targets = dedupe(refs.flatMap((r) => resolveRef(r, inst.modules) ?? []));
    const pols = targets.filter((t) => t.type === 'aws_iam_policy' && t.mode === 'managed');
    if (pols.length === 1 && targets.length === 1) {
      return planPolicies.get(pols[0]!)!.policies.map((p) => withConditions(p, [], origin === 'permissions-boundary' ? origin : 'managed-policy-resource'));
    }
    if (pols.length > 1) {
      const sameKey = pols.filter((p) => p.key === inst.key);
      if (sameKey.length === 1) return planPolicies.get(sameKey[0]!)!.policies.map((p) => withConditions(p, [], origin === 'permissions-boundary' ? origin : 'managed-policy-resource'));
    }
    return [unresolvedPolicy(`${inst.address}.${attribute}`, origin, `${value.why}${refs.length ? ` (it references ${refs.join(', ')})` : ''}: the policy it attaches could grant anything`, at)];
  };

  // 3. The principals' own attributes: inline_policy, managed_policy_arns, permissions_boundary.
  const echoes: Array<() => void> = [];
  for (const b of builders) {
    const inst = b.inst;
    if (b.kind === 'role') {
      const inline = attr(inst, 'inline_policy');
      const isConfigured = configured(inst, 'inline_policy');
      const inlineAt = where(inst, 'inline_policy');
      if (!inline.known) {
        // Not configured: a computed echo of the role's inline policies (the aws_iam_role_policy resources).
        if (isConfigured !== false) b.policies.push(unresolvedPolicy(`${inst.address}.inline_policy`, 'inline', `${inline.why}: these inline policies could grant anything`, inlineAt));
      } else if (Array.isArray(inline.value)) {
        const u = own(inst.unknown, 'inline_policy');
        const entries = inline.value.map((e, i) => ({ e, u: Array.isArray(u) ? u[i] : undefined, i }));
        const push = (): void => {
          for (const { e, u: eu, i } of entries) {
            const nameV = own(e, 'name');
            const pname = typeof nameV === 'string' && nameV ? nameV : `inline_policy[${i}]`;
            if (isConfigured === false && b.inlineNames.has(pname)) continue;
            // An exclusive inline policies resource deletes what it does not list: an echo of the account's state is not kept.
            if (isConfigured === false && exclusiveInlineTargets.has(b)) continue;
            const policyV = own(e, 'policy');
            const at: SourceLocation = { ...inlineAt, path: `${inst.address}.inline_policy[${i}].policy`, address: `${inst.address}.inline_policy[${i}].policy` };
            if (markOf(own(eu, 'policy')) !== undefined) b.policies.push(unresolvedPolicy(pname, 'inline', `${reasonOf(own(eu, 'policy')) ?? `${inst.address}.inline_policy[${i}].policy is known only after apply`}: it could grant anything`, at));
            else if ((typeof policyV === 'string' && policyV.trim()) || isPlainObject(policyV)) b.policies.push(...documentPolicies(docCtx, pname, 'inline', policyV, at));
          }
        };
        if (isConfigured === false) echoes.push(push);
        else push();
      }
      const arns = attr(inst, 'managed_policy_arns');
      const arnsConfigured = configured(inst, 'managed_policy_arns');
      const arnsAt = where(inst, 'managed_policy_arns');
      if (!arns.known) {
        if (arnsConfigured !== false) {
          const refs = referencesOf(inst, 'managed_policy_arns');
          const targets = dedupe(refs.flatMap((r) => resolveRef(r, inst.modules) ?? []));
          const allPolicies = refs.length > 0 && refs.every((r) => {
            const p = parseReference(r);
            return p.kind === 'resource' && p.type === 'aws_iam_policy' && p.mode === 'managed';
          });
          if (allPolicies && targets.length) for (const t of targets) b.policies.push(...planPolicies.get(t)!.policies.map((p) => withConditions(p, [], 'managed-policy-resource')));
          else b.policies.push(unresolvedPolicy(`${inst.address}.managed_policy_arns`, 'managed-arn', `${arns.why}${refs.length ? ` (it references ${refs.join(', ')})` : ''}: the policies it attaches could grant anything`, arnsAt));
        }
      } else if (Array.isArray(arns.value)) {
        const u = own(inst.unknown, 'managed_policy_arns');
        const list: unknown[] = arns.value;
        // Elements known only after apply (`[aws_iam_policy.x.arn]`): when the attribute's references are
        // exactly as many aws_iam_policy resources of this configuration as there are unknown elements,
        // the unknown elements are those policies.
        const unknownAt = Array.isArray(u) ? list.map((_, i) => i).filter((i) => markOf(u[i]) !== undefined) : [];
        const elementRefs = referencesOf(inst, 'managed_policy_arns');
        const elementTargets = dedupe(elementRefs.flatMap((r) => resolveRef(r, inst.modules) ?? [])).filter((t) => t.mode === 'managed');
        const byReference =
          unknownAt.length > 0 &&
          elementTargets.length === unknownAt.length &&
          elementTargets.every((t) => t.type === 'aws_iam_policy' && planPolicies.has(t)) &&
          elementRefs.every((r) => {
            const p = parseReference(r);
            return p.kind === 'resource' && p.mode === 'managed' && p.type === 'aws_iam_policy';
          });
        const push = (): void => {
          if (byReference) for (const t of elementTargets) b.policies.push(...planPolicies.get(t)!.policies.map((p) => withConditions(p, [], 'managed-policy-resource')));
          list.forEach((arn: unknown, i: number) => {
            if (Array.isArray(u) && markOf(u[i]) !== undefined) {
              if (byReference) return;
              b.policies.push(unresolvedPolicy(`${inst.address}.managed_policy_arns[${i}]`, 'managed-arn', `${reasonOf(u[i]) ?? `${inst.address}.managed_policy_arns[${i}] is known only after apply`}: the policy could grant anything`, arnsAt));
              return;
            }
            if (typeof arn !== 'string' || (arnsConfigured === false && b.managedArns.has(arn))) return;
            // An exclusive attachments resource detaches what it does not list: an echo of the account's state is not kept.
            if (arnsConfigured === false && [...b.managedArns].some((x) => x.startsWith('exclusive:'))) return;
            b.managedArns.add(arn);
            b.policies.push(...arnPolicies(inst, 'managed_policy_arns', { known: true, value: arn }, 'managed-arn'));
          });
        };
        if (arnsConfigured === false) echoes.push(push);
        else push();
      }
    }
    if (b.kind !== 'group') {
      const pb = attr(inst, 'permissions_boundary');
      if (!pb.known || (typeof pb.value === 'string' && pb.value)) {
        const [p] = arnPolicies(inst, 'permissions_boundary', pb, 'permissions-boundary');
        if (p) b.permissionsBoundary = p;
      }
    }
  }

  // 4. Attachments from other resources.
  const warnedExternal = new Set<string>();
  /** The principals an attribute naming a role/user/group (by name, or unknown with references) points at. */
  const targetsOf = (inst: Instance, attribute: string, kind: Kind, value: Known): { targets: Builder[]; conds: string[] } => {
    if (value.known) {
      const names = Array.isArray(value.value) ? value.value : [value.value];
      const out: Builder[] = [];
      const conds: string[] = [];
      for (const n of names) {
        if (typeof n !== 'string' || !n) continue;
        const matches = builders.filter((b) => b.kind === kind && (b.name === n || b.id === n));
        if (matches.length === 1) out.push(matches[0]!);
        else if (matches.length > 1) {
          // Several principals of the plan have this name (module instances in different
          // accounts, through provider aliases): the references say which one is meant; without
          // them the plan does not say, so the policy may be attached to each (conditional).
          const viaRefs = refTargets(inst, attribute, kind).filter((t) => matches.includes(t));
          if (viaRefs.length) out.push(...viaRefs);
          else {
            out.push(...matches);
            conds.push(`${inst.address}.${attribute} ("${n}" is the name of ${matches.length} ${kind}s of the plan: ${matches.map((m) => m.id).join(', ')}) names this ${kind}`);
            warnings.push(`${inst.address}.${attribute} is "${n}", the name of ${matches.length} ${kind}s of the plan (${matches.map((m) => m.id).join(', ')}): which one it attaches to is not known, so it may attach to each`);
          }
        } else {
          // The name may belong to a principal whose own name is unknown: try the references.
          const viaRefs = refTargets(inst, attribute, kind);
          if (viaRefs.length) out.push(...viaRefs);
          else {
            const key = `${inst.address}|${n}`;
            if (!warnedExternal.has(key)) warnings.push(`${inst.address} attaches to ${kind} ${n}, which is not defined in this plan`);
            warnedExternal.add(key);
          }
        }
      }
      return { targets: dedupe(out), conds };
    }
    const viaRefs = refTargets(inst, attribute, kind);
    if (viaRefs.length === 1) return { targets: viaRefs, conds: [] };
    if (viaRefs.length > 1) {
      const same = viaRefs.filter((t) => t.inst.key === inst.key);
      if (same.length === 1) return { targets: same, conds: [] };
      return { targets: viaRefs, conds: [`${inst.address}.${attribute} (known only after apply) names this ${kind}`] };
    }
    const refs = referencesOf(inst, attribute);
    const missing = refs.map((r) => parseReference(r)).find((r) => r.kind === 'resource' && PRINCIPAL_TYPES[r.type] === kind);
    if (missing && missing.kind === 'resource') {
      warnings.push(`${inst.address} attaches to ${kind} ${join(inst.prefix, `${missing.type}.${missing.name}${formatKey(missing.key)}`)}, which is not defined in this plan (a -target plan, or a count/for_each of 0)`);
      return { targets: [], conds: [] };
    }
    // Unknown and not traceable: it may name any principal of that kind in the plan.
    const all = builders.filter((b) => b.kind === kind);
    warnings.push(`${inst.address}.${attribute} is known only after apply${refs.length ? ` (it references ${refs.join(', ')})` : ''}: it may attach to any ${kind} of the plan`);
    return { targets: all, conds: [`${inst.address}.${attribute} (known only after apply) names this ${kind}`] };
  };
  const refTargets = (inst: Instance, attribute: string, kind: Kind): Builder[] => {
    const refs = referencesOf(inst, attribute);
    const found = dedupe(refs.flatMap((r) => resolveRef(r, inst.modules) ?? []));
    return found.map((i) => byInstance.get(i)).filter((b): b is Builder => b !== undefined && b.kind === kind);
  };
  const attach = (targets: { targets: Builder[]; conds: string[] }, policies: readonly AttachedPolicy[], origin: AttachedPolicy['origin'] | undefined, inlineName?: string, arn?: string): void => {
    for (const t of targets.targets) {
      if (inlineName) t.inlineNames.add(inlineName);
      if (arn) t.managedArns.add(arn);
      for (const p of policies) t.policies.push(withConditions(p, targets.conds, origin));
    }
  };
  const INLINE: Record<string, [string, Kind]> = { aws_iam_role_policy: ['role', 'role'], aws_iam_user_policy: ['user', 'user'], aws_iam_group_policy: ['group', 'group'] };
  const ATTACH: Record<string, [string, Kind]> = {
    aws_iam_role_policy_attachment: ['role', 'role'],
    aws_iam_user_policy_attachment: ['user', 'user'],
    aws_iam_group_policy_attachment: ['group', 'group'],
  };
  const EXCLUSIVE_ATTACH: Record<string, [string, Kind]> = {
    aws_iam_role_policy_attachments_exclusive: ['role_name', 'role'],
    aws_iam_user_policy_attachments_exclusive: ['user_name', 'user'],
    aws_iam_group_policy_attachments_exclusive: ['group_name', 'group'],
  };
  const EXCLUSIVE_INLINE: Record<string, [string, Kind]> = {
    aws_iam_role_policies_exclusive: ['role_name', 'role'],
    aws_iam_user_policies_exclusive: ['user_name', 'user'],
    aws_iam_group_policies_exclusive: ['group_name', 'group'],
  };
  const exclusiveInline: Array<{ inst: Instance; targets: Builder[]; names: Known }> = [];
  for (const inst of instances) {
    if (inst.mode !== 'managed') continue;
    const t = inst.type;
    if (INLINE[t]) {
      const [key, kind] = INLINE[t]!;
      const n = attr(inst, 'name');
      const pname = n.known && typeof n.value === 'string' && n.value ? n.value : inst.address;
      const policies = documentOf(inst, 'policy', pname, 'policy-resource');
      attach(targetsOf(inst, key, kind, attr(inst, key)), policies, 'policy-resource', pname);
    } else if (ATTACH[t]) {
      const [key, kind] = ATTACH[t]!;
      const arnV = attr(inst, 'policy_arn');
      const policies = arnPolicies(inst, 'policy_arn', arnV, 'managed-arn');
      attach(targetsOf(inst, key, kind, attr(inst, key)), policies, undefined, undefined, arnV.known && typeof arnV.value === 'string' ? arnV.value : undefined);
    } else if (t === 'aws_iam_policy_attachment') {
      const arnV = attr(inst, 'policy_arn');
      const policies = arnPolicies(inst, 'policy_arn', arnV, 'managed-arn');
      const arn = arnV.known && typeof arnV.value === 'string' ? arnV.value : undefined;
      for (const [key, kind] of [['roles', 'role'], ['users', 'user'], ['groups', 'group']] as const) {
        const v = attr(inst, key);
        if (v.known && (v.value === undefined || v.value === null || (Array.isArray(v.value) && v.value.length === 0))) continue;
        attach(targetsOf(inst, key, kind, v), policies, undefined, undefined, arn);
      }
    } else if (EXCLUSIVE_ATTACH[t]) {
      const [key, kind] = EXCLUSIVE_ATTACH[t]!;
      const arnsV = attr(inst, 'policy_arns');
      const targets = targetsOf(inst, key, kind, attr(inst, key));
      if (!arnsV.known) attach(targets, arnPolicies(inst, 'policy_arns', arnsV, 'managed-arn'), undefined);
      else if (Array.isArray(arnsV.value)) {
        for (const arn of arnsV.value) {
          if (typeof arn !== 'string') continue;
          const fresh = { targets: targets.targets.filter((b) => !b.managedArns.has(arn)), conds: targets.conds };
          attach(fresh, arnPolicies(inst, 'policy_arns', { known: true, value: arn }, 'managed-arn'), undefined, undefined, arn);
        }
      }
      for (const b of targets.targets) b.managedArns.add(`exclusive:${inst.address}`);
    } else if (EXCLUSIVE_INLINE[t]) {
      const [key, kind] = EXCLUSIVE_INLINE[t]!;
      exclusiveInline.push({ inst, targets: targetsOf(inst, key, kind, attr(inst, key)).targets, names: attr(inst, 'policy_names') });
    }
  }
  // Echoes of the account's state (inline_policy / managed_policy_arns computed, not configured):
  // what separate resources of the plan attach is already there; the rest is attached outside it.
  const exclusiveInlineTargets = new Set(exclusiveInline.flatMap((x) => x.targets));
  for (const e of echoes) e();
  // *_policies_exclusive: the principal has exactly these inline policies; one the plan does not define is unknown.
  for (const x of exclusiveInline) {
    for (const b of x.targets) {
      if (!x.names.known) {
        b.policies.push(unresolvedPolicy(`${x.inst.address}.policy_names`, 'inline', `${x.names.why}: the inline policies it keeps could grant anything`, where(x.inst, 'policy_names')));
        continue;
      }
      for (const n of Array.isArray(x.names.value) ? x.names.value : []) {
        if (typeof n !== 'string' || b.inlineNames.has(n) || b.policies.some((p) => p.name === n)) continue;
        b.policies.push(unresolvedPolicy(n, 'inline', `${x.inst.address} keeps inline policy ${n}, which this plan does not define: it could grant anything`, where(x.inst, 'policy_names')));
      }
    }
  }

  // 5. Resources of the configuration that the plan does not hold (a -target plan): what they attach is unknown.
  const heldConfig = new Set(instances.map((i) => `${i.path.join('.')}|${i.mode}.${i.type}.${i.name}`));
  const walk = (m: RawConfigModule | undefined, path: string[]): void => {
    if (!m) return;
    for (const r of m.resources) {
      if (r.mode !== 'managed' || typeof r.type !== 'string' || typeof r.name !== 'string') continue;
      if (heldConfig.has(`${path.join('.')}|managed.${r.type}.${r.name}`) || !IAM_LINKS[r.type]) continue;
      const count = own(r.countExpression, 'constant_value');
      const each = own(r.forEachExpression, 'constant_value');
      if (count === 0 || (r.forEachExpression !== undefined && each !== undefined && isEmpty(each))) continue;
      const moduleInstances = uniqueModules(instances, path);
      const address = join(path.map((n) => `module.${n}`).join('.'), `${r.type}.${r.name}`);
      if (!PRINCIPAL_TYPES[r.type]) warnings.push(`${address} is in the configuration but not in this plan (a -target plan, or count/for_each is 0): what it attaches is unknown`);
      else warnings.push(`${address} is in the configuration but not in this plan (a -target plan, or count/for_each is 0)`);
      if (PRINCIPAL_TYPES[r.type]) continue;
      for (const mods of moduleInstances) {
        const refs = IAM_LINKS[r.type]!.flatMap((k) => {
          const rr = own(own(r.expressions, k), 'references');
          return Array.isArray(rr) ? rr.filter((x): x is string => typeof x === 'string') : [];
        });
        const targets = dedupe(refs.flatMap((x) => resolveRef(x, mods) ?? [])).map((i) => byInstance.get(i)).filter((b): b is Builder => b !== undefined);
        for (const b of targets) {
          b.policies.push(unresolvedPolicy(address, r.type.endsWith('membership') ? 'group' : 'policy-resource', `${address} is in the configuration but not in this plan (made with -target?): what it attaches to ${b.id} is unknown and could grant anything`, { file, path: address, address }));
        }
      }
    }
    for (const [name, call] of m.calls) walk(call.module, [...path, name]);
  };
  walk(raw.config, []);

  // 6. Group membership: users get their groups' policies.
  const memberships: Array<{ user: Builder; group: Builder | string; via: Instance; conds: string[] }> = [];
  for (const inst of instances) {
    if (inst.mode !== 'managed') continue;
    if (inst.type === 'aws_iam_group_membership') {
      const g = targetsOf(inst, 'group', 'group', attr(inst, 'group'));
      const gName = attr(inst, 'group');
      const users = targetsOf(inst, 'users', 'user', attr(inst, 'users'));
      for (const u of users.targets) {
        if (g.targets.length === 0) memberships.push({ user: u, group: gName.known && typeof gName.value === 'string' ? gName.value : `${inst.address}.group`, via: inst, conds: users.conds });
        for (const gb of g.targets) memberships.push({ user: u, group: gb, via: inst, conds: [...users.conds, ...g.conds] });
      }
    } else if (inst.type === 'aws_iam_user_group_membership') {
      const users = targetsOf(inst, 'user', 'user', attr(inst, 'user'));
      const groupsV = attr(inst, 'groups');
      const g = targetsOf(inst, 'groups', 'group', groupsV);
      const names = groupsV.known && Array.isArray(groupsV.value) ? groupsV.value.filter((x): x is string => typeof x === 'string') : [];
      for (const u of users.targets) {
        for (const gb of g.targets) memberships.push({ user: u, group: gb, via: inst, conds: [...users.conds, ...g.conds] });
        if (!groupsV.known && g.targets.length === 0) memberships.push({ user: u, group: `${inst.address}.groups`, via: inst, conds: users.conds });
        for (const n of names) if (!g.targets.some((gb) => gb.name === n)) memberships.push({ user: u, group: n, via: inst, conds: users.conds });
      }
    }
  }
  for (const m of memberships) {
    if (typeof m.group === 'string') {
      m.user.policies.push(unresolvedPolicy(`group ${m.group}`, 'group', `the user belongs to group ${m.group} (${m.via.address}), which this plan does not define: its policies are unknown`, where(m.via)));
      continue;
    }
    for (const p of m.group.policies) m.user.policies.push(withConditions(p, m.conds, 'group', `${p.name} (group ${m.group.id})`));
  }

  // The principal's path, ARN and account when the plan knows them (a state; a plan of an existing role):
  // resource policies match their Principal element against the ARN and the account.
  const knownString = (inst: Instance, name: string): string | undefined => {
    const v = attr(inst, name);
    return v.known && typeof v.value === 'string' && v.value ? v.value : undefined;
  };
  const principals: Principal[] = builders.map((b) => ({
    kind: b.kind as PrincipalKind,
    id: b.id,
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(knownString(b.inst, 'path') ? { path: knownString(b.inst, 'path')! } : {}),
    ...(/^arn:[^:]+:iam::\d{12}:/.test(knownString(b.inst, 'arn') ?? '') ? { arn: knownString(b.inst, 'arn')!, account: knownString(b.inst, 'arn')!.split(':')[4]! } : {}),
    file,
    source: b.source,
    ...(b.tags ? { tags: b.tags } : {}),
    ...(b.unknownTags ? { unknownTags: b.unknownTags } : {}),
    policies: b.policies,
    ...(b.permissionsBoundary ? { permissionsBoundary: b.permissionsBoundary } : {}),
  }));
  const resourcePolicies = planResourcePolicies();
  const byKey = new Map<string, Principal>();
  for (const p of principals) byKey.set(p.id, p);
  for (const p of principals) if (p.name && !byKey.has(p.name)) byKey.set(p.name, p);
  return {
    file,
    formatVersion: fv,
    ...(typeof raw.terraformVersion === 'string' ? { terraformVersion: raw.terraformVersion } : {}),
    source,
    principals,
    principal(name: string): Principal {
      const p = byKey.get(name);
      if (p) return p;
      throw new UnknownNameError('principal', name, closestNames(name, byKey.keys()), principals.length ? `(${file})` : `This plan holds no aws_iam_role, aws_iam_user or aws_iam_group. (${file})`);
    },
    warnings,
    resourcePolicies,
    resourcePolicy(address: string): ResourcePolicy {
      const found = resourcePolicies.find((r) => r.name === address);
      if (found) return found;
      throw new UnknownNameError(
        'resource policy',
        address,
        closestNames(address, resourcePolicies.map((r) => r.name)),
        resourcePolicies.length ? `(${file})` : `This plan holds no aws_kms_key policy, aws_kms_key_policy, aws_s3_bucket_policy or aws_s3_bucket policy. (${file})`,
      );
    },
  };

  /**
   * 7. Resource policies: key policies and bucket policies, with the ARN of what they govern.
   * aws_kms_key `policy` and aws_kms_key_policy (`key_id`, `policy`):
   *   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key
   *   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key_policy
   * aws_s3_bucket_policy (`bucket`: the bucket name, `policy`) and the legacy aws_s3_bucket `policy`:
   *   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy
   *   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket
   */
  function planResourcePolicies(): ResourcePolicy[] {
    const out: ResourcePolicy[] = [];
    const managed = instances.filter((i) => i.mode === 'managed');
    const known = (inst: Instance, name: string): string | undefined => {
      const v = attr(inst, name);
      return v.known && typeof v.value === 'string' && v.value ? v.value : undefined;
    };
    /** The one instance of `type` an unknown link attribute references (same instance key when several). */
    const linked = (inst: Instance, attribute: string, type: string): Instance | undefined => {
      const found = dedupe(referencesOf(inst, attribute).flatMap((r) => resolveRef(r, inst.modules) ?? [])).filter((i) => i.mode === 'managed' && i.type === type);
      if (found.length === 1) return found[0];
      const same = found.filter((i) => i.key === inst.key);
      return same.length === 1 ? same[0] : undefined;
    };
    const keyArn = (key: Instance): { resource?: string; unresolvedResource?: string } => {
      const arn = known(key, 'arn');
      return arn ? { resource: arn } : { unresolvedResource: `${key.address}.arn (known only after apply)` };
    };
    const bucketArn = (bucket: Instance): { resource?: string; unresolvedResource?: string } => {
      const name = known(bucket, 'bucket');
      return name ? { resource: `arn:${partitionOf(known(bucket, 'arn'))}:s3:::${name}` } : { unresolvedResource: `${bucket.address}.bucket (known only after apply)` };
    };
    const push = (inst: Instance, service: 'kms' | 's3', target: { resource?: string; unresolvedResource?: string }): void => {
      const [p] = documentOf(inst, 'policy', inst.address, 'resource-policy', false);
      if (!p) return;
      const account = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(target.resource ?? '')?.[1];
      out.push({
        name: inst.address,
        service,
        ...(target.resource ? { resource: target.resource } : {}),
        ...(target.unresolvedResource ? { unresolvedResource: target.unresolvedResource } : {}),
        ...(p.document !== undefined ? { document: p.document } : {}),
        ...(p.unresolved !== undefined ? { unresolved: p.unresolved } : {}),
        ...(p.source ? { source: p.source } : {}),
        ...(p.locations ? { locations: p.locations } : {}),
        ...(account ? { account } : {}),
      });
    };
    /** A policy attribute worth reading: known and not empty, or unknown while the configuration sets it. */
    const hasPolicy = (inst: Instance): boolean => {
      const v = attr(inst, 'policy');
      if (v.known) return typeof v.value === 'string' && v.value.trim() !== '';
      return configured(inst, 'policy') !== false;
    };

    // Which keys and buckets a separate policy resource sets (their own computed `policy` is then an echo).
    const keyOf = (inst: Instance): { key?: Instance; target: { resource?: string; unresolvedResource?: string } } => {
      const id = attr(inst, 'key_id');
      if (id.known && typeof id.value === 'string' && id.value) {
        const v = id.value;
        const key = managed.find((k) => k.type === 'aws_kms_key' && (known(k, 'key_id') === v || known(k, 'id') === v || known(k, 'arn') === v)) ?? linked(inst, 'key_id', 'aws_kms_key');
        if (key) return { key, target: known(key, 'arn') ? keyArn(key) : v.startsWith('arn:') ? { resource: v } : keyArn(key) };
        // A key outside the plan: a key ARN as given, a key id (globally unique) as an ARN pattern.
        return { target: { resource: v.startsWith('arn:') ? v : `arn:*:kms:*:*:key/${v}` } };
      }
      const key = linked(inst, 'key_id', 'aws_kms_key');
      if (key) return { key, target: keyArn(key) };
      return { target: { unresolvedResource: `${inst.address}.key_id (known only after apply${referencesOf(inst, 'key_id').length ? `; it references ${referencesOf(inst, 'key_id').join(', ')}` : ''})` } };
    };
    const bucketOf = (inst: Instance): { bucket?: Instance; target: { resource?: string; unresolvedResource?: string } } => {
      const b = attr(inst, 'bucket');
      if (b.known && typeof b.value === 'string' && b.value) {
        const v = b.value;
        const bucket = managed.find((x) => x.type === 'aws_s3_bucket' && (known(x, 'bucket') === v || known(x, 'id') === v || known(x, 'arn') === v)) ?? linked(inst, 'bucket', 'aws_s3_bucket');
        return { ...(bucket ? { bucket } : {}), target: { resource: v.startsWith('arn:') ? v : `arn:aws:s3:::${v}` } };
      }
      const bucket = linked(inst, 'bucket', 'aws_s3_bucket');
      if (bucket) return { bucket, target: bucketArn(bucket) };
      return { target: { unresolvedResource: `${inst.address}.bucket (known only after apply${referencesOf(inst, 'bucket').length ? `; it references ${referencesOf(inst, 'bucket').join(', ')}` : ''})` } };
    };
    const setKeys = new Set<Instance>();
    const setBuckets = new Set<Instance>();
    const keyPolicies = managed.filter((i) => i.type === 'aws_kms_key_policy').map((i) => ({ inst: i, ...keyOf(i) }));
    const bucketPolicies = managed.filter((i) => i.type === 'aws_s3_bucket_policy').map((i) => ({ inst: i, ...bucketOf(i) }));
    for (const k of keyPolicies) if (k.key) setKeys.add(k.key);
    for (const b of bucketPolicies) if (b.bucket) setBuckets.add(b.bucket);

    for (const inst of managed) {
      if (inst.type === 'aws_kms_key') {
        // Not configured and set by an aws_kms_key_policy of the plan: the computed value echoes that resource.
        if (configured(inst, 'policy') === false && setKeys.has(inst)) continue;
        if (!attr(inst, 'policy').known && configured(inst, 'policy') === false) {
          // Not configured at all: AWS gives the key its default key policy, which this plan does not show.
          const at = where(inst, 'policy');
          const target = keyArn(inst);
          out.push({
            name: inst.address,
            service: 'kms',
            ...target,
            unresolved: `${inst.address}.policy is not configured and known only after apply: AWS gives the key its default key policy (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies-default.html); pass the key policy in resourcePolicies to decide`,
            source: at,
            ...(/^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(target.resource ?? '')?.[1] ? { account: /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(target.resource ?? '')![1]! } : {}),
          });
          continue;
        }
        if (hasPolicy(inst)) push(inst, 'kms', keyArn(inst));
      } else if (inst.type === 'aws_kms_key_policy') {
        push(inst, 'kms', keyPolicies.find((k) => k.inst === inst)!.target);
      } else if (inst.type === 'aws_s3_bucket_policy') {
        push(inst, 's3', bucketPolicies.find((b) => b.inst === inst)!.target);
      } else if (inst.type === 'aws_s3_bucket') {
        if (configured(inst, 'policy') === false && (setBuckets.has(inst) || !attr(inst, 'policy').known)) {
          // A computed echo: what the bucket policy resource sets, or the bucket's existing policy.
          if (setBuckets.has(inst)) continue;
          const acts = changes.get(inst.address)?.actions;
          if (Array.isArray(acts) && acts.includes('create')) continue; // a new bucket has no policy but what the plan sets
          out.push({ name: inst.address, service: 's3', ...bucketArn(inst), unresolved: `${inst.address}.policy is known only after apply: the bucket's existing policy could allow or deny anything`, source: where(inst, 'policy') });
          continue;
        }
        if (hasPolicy(inst)) push(inst, 's3', bucketArn(inst));
      }
    }
    return out;
  }
}

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), `aws` when unknown. */
function partitionOf(arn: string | undefined): string {
  return /^arn:([^:]+):/.exec(arn ?? '')?.[1] ?? 'aws';
}

/** Attributes without which a resource means nothing: absent and unconfigured still counts as unknown. */
const REQUIRED = new Set(['policy', 'policy_arn', 'role', 'user', 'group', 'json', 'policy_arns', 'policy_names', 'role_name', 'user_name', 'group_name', 'users', 'groups']);

/** Attachment resource types and the attributes that name their principal. */
const IAM_LINKS: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role: [],
  aws_iam_user: [],
  aws_iam_group: [],
  aws_iam_role_policy: ['role'],
  aws_iam_user_policy: ['user'],
  aws_iam_group_policy: ['group'],
  aws_iam_role_policy_attachment: ['role'],
  aws_iam_user_policy_attachment: ['user'],
  aws_iam_group_policy_attachment: ['group'],
  aws_iam_policy_attachment: ['roles', 'users', 'groups'],
  aws_iam_role_policies_exclusive: ['role_name'],
  aws_iam_user_policies_exclusive: ['user_name'],
  aws_iam_group_policies_exclusive: ['group_name'],
  aws_iam_role_policy_attachments_exclusive: ['role_name'],
  aws_iam_user_policy_attachments_exclusive: ['user_name'],
  aws_iam_group_policy_attachments_exclusive: ['group_name'],
  aws_iam_group_membership: ['users'],
  aws_iam_user_group_membership: ['user'],
};

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

function uniqueModules(instances: readonly Instance[], path: readonly string[]): ModuleStep[][] {
  if (path.length === 0) return [[]];
  const seen = new Map<string, ModuleStep[]>();
  for (const i of instances) {
    if (i.path.length < path.length || path.some((n, k) => i.path[k] !== n)) continue;
    const mods = i.modules.slice(0, path.length);
    seen.set(moduleInstance(mods), [...mods]);
  }
  return [...seen.values()];
}

function dedupe<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

function tagsOf(inst: Instance, b: Builder, attr: (i: Instance, n: string) => Known): void {
  const tags: Record<string, string> = {};
  const unknown: string[] = [];
  for (const key of ['tags', 'tags_all']) {
    const v = attr(inst, key);
    if (!v.known) {
      // tags_all adds the provider's default_tags: unknown as a whole, any key may be there.
      if (key === 'tags_all' || configured(inst, key)) unknown.push('*');
      continue;
    }
    if (!isPlainObject(v.value)) continue;
    const u = own(inst.unknown, key);
    for (const k of Object.keys(v.value)) {
      const val = own(v.value, k);
      if (markOf(own(u, k)) !== undefined) unknown.push(k);
      else if (typeof val === 'string') Object.defineProperty(tags, k, { value: val, enumerable: true, writable: true, configurable: true });
    }
    if (isPlainObject(u)) for (const k of Object.keys(u)) if (markOf(own(u, k)) !== undefined && !unknown.includes(k)) unknown.push(k);
  }
  // A tags_all that is unknown while the configuration sets no tags and no default tags are known
  // is still reported, so selection by tag checks the principal rather than leaving it out.
  if (Object.keys(tags).length) b.tags = tags;
  const u = [...new Set(unknown)];
  if (u.length) b.unknownTags = u;
}

function configured(inst: Instance, name: string): boolean {
  return inst.config ? own(inst.config.expressions, name) !== undefined : false;
}
