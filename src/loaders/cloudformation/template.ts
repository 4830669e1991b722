/**
 * CloudFormation templates -> principals: every AWS::IAM::Role, User and Group, and every
 * AWS::Serverless::Function's role, with every policy that reaches it and where it came from.
 */
import { PolicySourceError, UnknownNameError } from '../../errors';
import type { AttachedPolicy, Principal, PrincipalKind, SourceLocation } from '../../policy/types';
import { closestNames } from '../../util/suggest';
import {
  alternatives,
  documentPolicies,
  listEntries,
  managedPolicyEntry,
  unresolvedPolicy,
  withConditions,
  type AttachContext,
  type TemplateManagedPolicy,
} from '../attach';
import { RefUnresolved, Resolver, describe } from './intrinsics';
import { parseFile, type Parsed } from '../parse';
import { samFunction } from './sam';
import { hasOwn, isPlainObject, limitsOf, own, setOwn, type LoadLimits, type SourceMap } from '../source';
import type { LoadedTemplate, TemplateOptions } from '../types';
import type { ResourcePolicy } from '../../evaluator/guardrails/types';

/** Properties CloudFormation accepts on each IAM resource type (unknown ones are errors). */
export const IAM_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::IAM::Role': ['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'],
  'AWS::IAM::User': ['Groups', 'LoginProfile', 'ManagedPolicyArns', 'Path', 'PermissionsBoundary', 'Policies', 'Tags', 'UserName'],
  'AWS::IAM::Group': ['GroupName', 'ManagedPolicyArns', 'Path', 'Policies'],
  'AWS::IAM::Policy': ['Groups', 'PolicyDocument', 'PolicyName', 'Roles', 'Users'],
  'AWS::IAM::ManagedPolicy': ['Description', 'Groups', 'ManagedPolicyName', 'Path', 'PolicyDocument', 'Roles', 'Users'],
  'AWS::IAM::RolePolicy': ['PolicyDocument', 'PolicyName', 'RoleName'],
  'AWS::IAM::UserPolicy': ['PolicyDocument', 'PolicyName', 'UserName'],
  'AWS::IAM::GroupPolicy': ['GroupName', 'PolicyDocument', 'PolicyName'],
  'AWS::IAM::UserToGroupAddition': ['GroupName', 'Users'],
};
const INLINE_POLICY_KEYS = ['PolicyDocument', 'PolicyName'];
const RESOURCE_KEYS = ['Type', 'Properties', 'Condition', 'DependsOn', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy', 'CreationPolicy', 'UpdatePolicy', 'Version'];

const PRINCIPAL_TYPES: Readonly<Record<string, { kind: PrincipalKind; nameKey: string }>> = {
  'AWS::IAM::Role': { kind: 'role', nameKey: 'RoleName' },
  'AWS::IAM::User': { kind: 'user', nameKey: 'UserName' },
  'AWS::IAM::Group': { kind: 'group', nameKey: 'GroupName' },
};

/** A principal under construction. */
export interface PrincipalBuilder {
  readonly kind: PrincipalKind;
  readonly id: string;
  name?: string;
  readonly source?: SourceLocation;
  tags?: Record<string, string>;
  unknownTags?: string[];
  readonly policies: AttachedPolicy[];
  permissionsBoundary?: AttachedPolicy;
  /** Conditions the principal itself exists under. */
  readonly conds: readonly string[];
  /** Names that find it with principal(). */
  readonly keys: string[];
  path?: string;
  arn?: string;
  account?: string;
}

export interface TemplateContext extends AttachContext {
  readonly file: string;
  readonly template: Record<string, unknown>;
  resources: Record<string, unknown>;
  readonly warnings: string[];
  readonly principals: Map<string, PrincipalBuilder>;
  /** SAM: a function logical id -> the template role it uses. */
  readonly aliases: Map<string, string>;
}

export function isTemplateValue(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  if (hasOwn(value, 'AWSTemplateFormatVersion')) return true;
  const transform = own(value, 'Transform');
  if (typeof transform === 'string' && transform.startsWith('AWS::Serverless')) return true;
  if (Array.isArray(transform) && transform.some((t) => typeof t === 'string' && t.startsWith('AWS::Serverless'))) return true;
  const resources = own(value, 'Resources');
  if (!isPlainObject(resources)) return false;
  const ids = Object.keys(resources);
  return ids.length > 0 && ids.every((id) => typeof own(own(resources, id), 'Type') === 'string' || id.startsWith('Fn::ForEach::'));
}

function transformsOf(template: unknown): string[] {
  const t = own(template, 'Transform');
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  const name = own(t, 'Name');
  return typeof name === 'string' ? [name] : [];
}

export function loadTemplate(path: string, options: TemplateOptions = {}): LoadedTemplate {
  const limits = limitsOf(options);
  const parsed = parseFile(path, limits, options.root);
  if (parsed.multiDocument || !isTemplateValue(parsed.value)) {
    throw new PolicySourceError('not a CloudFormation template (no Resources with a Type, no AWSTemplateFormatVersion)', { file: path, line: 1, column: 1 });
  }
  return buildTemplate(parsed, path, options);
}

/**
 * Logical ids a transform generates, which the template may reference although it does not
 * declare them. SAM (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html):
 * every generated id starts with the logical id of the AWS::Serverless resource it comes from
 * (`<Function>Role`, `<Function>Alias<alias>`, `<Api>Deployment<sha>`, `<Api><Stage>Stage`,
 * `<Function><Event>Permission`, ...), and referenceable properties are written
 * `<Resource>.<Property>` (`MyFunction.Alias`, `MyApi.Stage`); the implicit APIs and the
 * CodeDeploy resources have fixed names (`ServerlessRestApi`, `ServerlessRestApiProdStage`,
 * `ServerlessHttpApi`, `ServerlessHttpApiApiGatewayDefaultStage`,
 * `ServerlessDeploymentApplication`, `CodeDeployServiceRole`). A macro this loader does not
 * apply, or an `Fn::Transform` (AWS::Include) inside Resources, may add any resource: then
 * every id counts as declared (the unknowns stay unknown, failing closed).
 */
function generatedIds(template: Record<string, unknown>, resources: Record<string, unknown>, maxDepth: number): (id: string) => boolean {
  const transforms = transformsOf(template);
  const macro = transforms.some((t) => !t.startsWith('AWS::Serverless') && t !== 'AWS::LanguageExtensions');
  if (macro || hasFnTransform(resources, maxDepth)) return () => true;
  if (!transforms.some((t) => t.startsWith('AWS::Serverless'))) return () => false;
  const samIds = Object.keys(resources).filter((id) => {
    const type = own(own(resources, id), 'Type');
    return typeof type === 'string' && type.startsWith('AWS::Serverless::');
  });
  const fixed = ['ServerlessRestApi', 'ServerlessHttpApi', 'ServerlessDeploymentApplication', 'CodeDeployServiceRole'];
  return (id) => fixed.some((f) => id.startsWith(f)) || samIds.some((s) => id.startsWith(s) && id.length > s.length);
}

function hasFnTransform(value: unknown, depth: number): boolean {
  if (depth < 0 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasFnTransform(v, depth - 1));
  return Object.keys(value).some((k) => k === 'Fn::Transform' || hasFnTransform(own(value, k), depth - 1));
}

function suggestKey(key: string, allowed: readonly string[]): string {
  const s = closestNames(key, allowed, 1);
  return s.length ? `; did you mean '${s[0]}'?` : `; expected one of ${allowed.join(', ')}`;
}

function checkProperties(map: SourceMap, type: string, props: unknown, id: string): void {
  const allowed = IAM_PROPERTIES[type];
  if (!allowed || !isPlainObject(props)) return;
  for (const k of Object.keys(props)) {
    if (!allowed.includes(k)) {
      throw new PolicySourceError(`unknown property '${k}' of ${type}${suggestKey(k, allowed)}`, map.locateChild(props, k) ?? { file: map.file, path: `Resources.${id}.Properties.${k}` });
    }
  }
}

export function buildTemplate(parsed: Parsed, file: string, options: TemplateOptions & LoadLimits): LoadedTemplate {
  const limits = limitsOf(options);
  const template = parsed.value as Record<string, unknown>;
  const map = parsed.map;
  const rawResources = own(template, 'Resources');
  const resources = isPlainObject(rawResources) ? rawResources : {};
  const resolver = new Resolver({
    map,
    template,
    parameters: options.parameters,
    pseudo: options.pseudo,
    ...(options.conditions ? { conditions: options.conditions } : {}),
    ...(options.unknownInputs ? { unknownInputs: options.unknownInputs } : {}),
    maxDepth: limits.maxDepth,
    generated: generatedIds(template, resources, limits.maxDepth),
  });
  const ctx: TemplateContext = {
    resolver,
    map,
    limits,
    templatePolicies: new Map(),
    partition: options.pseudo?.Partition ?? 'aws',
    file,
    template,
    resources,
    warnings: [],
    principals: new Map(),
    aliases: new Map(),
  };
  // Fn::ForEach (AWS::LanguageExtensions): expanded into the resources it generates.
  const generatedFrom = new Map<string, SourceLocation>();
  const expanded = expandForEach(resources, resolver, map, file, generatedFrom);
  ctx.resources = expanded;
  resolver.useResources(expanded);
  const where = (id: string): SourceLocation =>
    map.locateChild(resources, id) ?? generatedFrom.get(id) ?? { file, path: `Resources.${id}` };
  const ids = Object.keys(expanded);
  // A macro this loader does not apply may rewrite any policy: every principal gets an unresolved
  // policy naming it, so negative assertions fail closed instead of trusting what was read.
  const macros = transformsOf(template).filter((t) => !t.startsWith('AWS::Serverless') && t !== 'AWS::LanguageExtensions');
  for (const t of macros) {
    ctx.warnings.push(`the template uses the transform ${t}: what it deploys may differ from what this loader reads`);
  }

  // Which resources exist, under which conditions.
  const live = new Map<string, readonly string[]>();
  for (const id of ids) {
    const res = own(expanded, id);
    if (!isPlainObject(res)) throw new PolicySourceError('a resource must be an object with a Type', where(id));
    const type = own(res, 'Type');
    if (typeof type !== 'string') throw new PolicySourceError('the resource has no Type', where(id));
    if (IAM_PROPERTIES[type]) {
      for (const k of Object.keys(res)) {
        if (!RESOURCE_KEYS.includes(k)) throw new PolicySourceError(`unknown resource attribute '${k}'${suggestKey(k, RESOURCE_KEYS)}`, map.locateChild(res, k) ?? where(id));
      }
      checkProperties(map, type, own(res, 'Properties'), id);
    }
    const cond = own(res, 'Condition');
    if (cond === undefined) live.set(id, []);
    else if (typeof cond !== 'string') throw new PolicySourceError('a resource Condition must be the name of a condition', map.locateChild(res, 'Condition') ?? where(id));
    else {
      const v = resolver.condition(cond);
      if (v === false) ctx.warnings.push(`${id} is not created: its condition ${cond} is false`);
      else live.set(id, v === true ? [] : [cond]);
    }
  }
  const typeOf = (id: string): string => String(own(own(expanded, id), 'Type'));
  const propsOf = (id: string): Record<string, unknown> => {
    const p = own(own(expanded, id), 'Properties');
    return isPlainObject(p) ? p : {};
  };
  const prop = (id: string, key: string): unknown => own(propsOf(id), key);
  const propWhere = (id: string, key: string): SourceLocation => map.locateChild(propsOf(id), key) ?? where(id);

  // 1. Managed policies of the template (ManagedPolicyArns may Ref them).
  for (const id of ids) {
    const conds = live.get(id);
    if (!conds || typeOf(id) !== 'AWS::IAM::ManagedPolicy') continue;
    const nameV = resolver.resolve(prop(id, 'ManagedPolicyName'));
    const name = typeof nameV === 'string' ? nameV : undefined;
    const policies = documentPolicies(ctx, name ?? id, 'managed-policy-resource', resolver.resolve(prop(id, 'PolicyDocument')), propWhere(id, 'PolicyDocument'), conds);
    if (!hasOwn(propsOf(id), 'PolicyDocument')) throw new PolicySourceError('AWS::IAM::ManagedPolicy has no PolicyDocument', where(id));
    ctx.templatePolicies.set(id, { id, ...(name ? { name } : {}), policies } satisfies TemplateManagedPolicy);
  }

  // 2. Roles, users, groups and SAM functions, in template order.
  for (const id of ids) {
    const conds = live.get(id);
    if (!conds) continue;
    const type = typeOf(id);
    const spec = PRINCIPAL_TYPES[type];
    if (spec) ctx.principals.set(id, identity(ctx, id, spec.kind, spec.nameKey, propsOf(id), conds, where(id)));
    else if (type === 'AWS::Serverless::Function') {
      const b = samFunction(ctx, id, propsOf(id), conds, where(id));
      if (b) ctx.principals.set(id, b);
    }
  }

  // 3. Policies attached from policy resources.
  const findTarget = (entry: unknown, kind: PrincipalKind): PrincipalBuilder | undefined => {
    if (entry instanceof RefUnresolved && (entry.isResource || ctx.aliases.has(entry.target))) {
      const target = ctx.principals.get(ctx.aliases.get(entry.target) ?? entry.target);
      // A SAM function principal is the role SAM generates (<Function>Role).
      return target && (target.kind === kind || (kind === 'role' && target.kind === 'function')) ? target : undefined;
    }
    if (typeof entry === 'string') return [...ctx.principals.values()].find((p) => p.kind === kind && p.name === entry);
    return undefined;
  };
  const attachTo = (id: string, policies: readonly AttachedPolicy[], key: string, kind: PrincipalKind, origin: AttachedPolicy['origin']): void => {
    const raw = prop(id, key);
    const entries = key.endsWith('s') ? listEntries(resolver, raw, [], propWhere(id, key)) : alternatives(resolver.resolve(raw)).map((a) => ({ ...a, where: propWhere(id, key) }));
    for (const e of entries) {
      const target = findTarget(e.value, kind);
      if (!target) {
        ctx.warnings.push(`${id} attaches to ${kind} ${describe(e.value)}, which is not defined in this template`);
        continue;
      }
      for (const p of policies) target.policies.push(withConditions(p, e.conds, origin));
    }
  };
  for (const id of ids) {
    const conds = live.get(id);
    if (!conds) continue;
    const type = typeOf(id);
    if (type === 'AWS::IAM::ManagedPolicy') {
      const policies = ctx.templatePolicies.get(id)!.policies;
      attachTo(id, policies, 'Roles', 'role', 'managed-policy-resource');
      attachTo(id, policies, 'Users', 'user', 'managed-policy-resource');
      attachTo(id, policies, 'Groups', 'group', 'managed-policy-resource');
      continue;
    }
    const single: Record<string, [string, PrincipalKind]> = {
      'AWS::IAM::RolePolicy': ['RoleName', 'role'],
      'AWS::IAM::UserPolicy': ['UserName', 'user'],
      'AWS::IAM::GroupPolicy': ['GroupName', 'group'],
    };
    if (type !== 'AWS::IAM::Policy' && !single[type]) continue;
    if (!hasOwn(propsOf(id), 'PolicyDocument')) throw new PolicySourceError(`${type} has no PolicyDocument`, where(id));
    const nameV = resolver.resolve(prop(id, 'PolicyName'));
    const name = typeof nameV === 'string' ? nameV : id;
    const policies = documentPolicies(ctx, name, 'policy-resource', resolver.resolve(prop(id, 'PolicyDocument')), propWhere(id, 'PolicyDocument'), conds);
    const s = single[type];
    if (s) attachTo(id, policies, s[0], s[1], 'policy-resource');
    else {
      attachTo(id, policies, 'Roles', 'role', 'policy-resource');
      attachTo(id, policies, 'Users', 'user', 'policy-resource');
      attachTo(id, policies, 'Groups', 'group', 'policy-resource');
    }
  }

  // 4. Group membership: users get their groups' policies.
  const memberships: Array<{ user: PrincipalBuilder; group: unknown; conds: readonly string[]; where: SourceLocation }> = [];
  for (const id of ids) {
    const conds = live.get(id);
    if (!conds) continue;
    const type = typeOf(id);
    if (type === 'AWS::IAM::User') {
      for (const e of listEntries(resolver, prop(id, 'Groups'), [], propWhere(id, 'Groups'))) memberships.push({ user: ctx.principals.get(id)!, group: e.value, conds: e.conds, where: e.where });
    } else if (type === 'AWS::IAM::UserToGroupAddition') {
      const groups = alternatives(resolver.resolve(prop(id, 'GroupName')), conds);
      for (const u of listEntries(resolver, prop(id, 'Users'), conds, propWhere(id, 'Users'))) {
        const user = findTarget(u.value, 'user');
        if (!user) {
          ctx.warnings.push(`${id} adds user ${describe(u.value)}, which is not defined in this template`);
          continue;
        }
        for (const g of groups) memberships.push({ user, group: g.value, conds: [...u.conds, ...g.conds.filter((c) => !u.conds.includes(c))], where: propWhere(id, 'GroupName') });
      }
    }
  }
  for (const m of memberships) {
    const group = findTarget(m.group, 'group');
    if (!group) {
      const g = describe(m.group);
      m.user.policies.push(unresolvedPolicy(`group ${g}`, 'group', `the user belongs to group ${g}, which is not defined in this template: its policies are unknown`, m.where, m.conds));
      continue;
    }
    for (const p of group.policies) m.user.policies.push(withConditions(p, [...group.conds, ...m.conds], 'group', `${p.name} (group ${group.id})`));
  }

  // 5. SAM connectors grant permissions this loader does not model: say so on the principal.
  for (const id of ids) {
    if (!live.has(id) || typeOf(id) !== 'AWS::Serverless::Connector') continue;
    const sourceId = own(own(propsOf(id), 'Source'), 'Id');
    const target = typeof sourceId === 'string' ? ctx.principals.get(ctx.aliases.get(sourceId) ?? sourceId) : undefined;
    if (target) target.policies.push(unresolvedPolicy(id, 'sam-policy', `AWS::Serverless::Connector ${id} grants permissions that this loader does not model`, where(id), live.get(id)));
  }

  const principals: Principal[] = [];
  const byKey = new Map<string, Principal>();
  const built: Array<[PrincipalBuilder, Principal]> = [];
  for (const b of ctx.principals.values()) {
    for (const t of macros) {
      b.policies.push(
        unresolvedPolicy(`transform ${t}`, 'inline', `the template uses the transform ${t}, which this loader does not apply: it may change this principal's policies`, map.locateChild(template, 'Transform') ?? { file, path: 'Transform' }),
      );
    }
    const p = finish(b, file, options.pseudo?.AccountId);
    principals.push(p);
    built.push([b, p]);
  }
  // Logical ids first: a logical id wins over another principal's physical name or path.
  for (const [b, p] of built) byKey.set(b.id, p);
  for (const [b, p] of built) for (const k of b.keys) if (!byKey.has(k)) byKey.set(k, p);
  for (const [fn, role] of ctx.aliases) {
    const p = byKey.get(role);
    if (p && !byKey.has(fn)) byKey.set(fn, p);
  }
  const excluded = ids.filter((id) => !live.has(id) && PRINCIPAL_TYPES[typeOf(id)]);
  const resourcePolicies = templateResourcePolicies(ctx, ids, live, typeOf, propsOf, propWhere);
  const transform = own(template, 'Transform');
  const sam = typeof transform === 'string' ? transform.startsWith('AWS::Serverless') : Array.isArray(transform) && transform.some((t) => String(t).startsWith('AWS::Serverless'));
  return {
    file,
    format: parsed.format,
    principals,
    principal(name: string): Principal {
      const p = byKey.get(name);
      if (p) return p;
      const detail = excluded.includes(name) ? `It is not created: its Condition is false with these parameters.` : principals.length ? undefined : 'This template defines no principals.';
      throw new UnknownNameError('principal', name, closestNames(name, byKey.keys()), detail ? `${detail} (${file})` : `(${file})`);
    },
    conditions: resolver.allConditions(),
    parameterNames: resolver.parameterNames(),
    warnings: ctx.warnings,
    sam,
    resourcePolicies,
    resourcePolicy(name: string): ResourcePolicy {
      const found = resourcePolicies.find((r) => r.name === name);
      if (found) return found;
      throw new UnknownNameError('resource policy', name, closestNames(name, resourcePolicies.map((r) => r.name)), resourcePolicies.length ? `(${file})` : `This template defines no AWS::KMS::Key KeyPolicy or AWS::S3::BucketPolicy. (${file})`);
    },
  };
}

function finish(b: PrincipalBuilder, file: string, accountId: string | undefined): Principal {
  const policies = b.conds.length ? b.policies.map((p) => withConditions(p, b.conds)) : b.policies;
  return {
    kind: b.kind,
    id: b.id,
    ...(b.name !== undefined ? { name: b.name } : {}),
    file,
    ...(b.source ? { source: b.source } : {}),
    ...(b.tags ? { tags: b.tags } : {}),
    ...(b.unknownTags ? { unknownTags: b.unknownTags } : {}),
    policies,
    ...(b.permissionsBoundary ? { permissionsBoundary: b.permissionsBoundary } : {}),
    ...(b.path !== undefined ? { path: b.path } : {}),
    ...(b.arn !== undefined ? { arn: b.arn } : {}),
    ...(b.account !== undefined ? { account: b.account } : {}),
    // The same-account model: the principal lives in the stack's account.
    ownAccount: accountId !== undefined ? { id: accountId } : {},
  };
}

export function tagsOf(resolver: Resolver, raw: unknown): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  const v = resolver.resolve(raw);
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const t of v) {
      const k = own(t, 'Key');
      const val = own(t, 'Value');
      if (typeof k === 'string') Object.defineProperty(out, k, { value: typeof val === 'string' ? val : describe(val), enumerable: true, writable: true, configurable: true });
    }
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      const val = own(v, k);
      Object.defineProperty(out, k, { value: typeof val === 'string' ? val : describe(val), enumerable: true, writable: true, configurable: true });
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/** Tag keys whose values are unknown ('*': a key or the whole list is unknown); see Principal.unknownTags. */
export function unknownTagKeys(resolver: Resolver, raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const v = resolver.resolve(raw);
  const unknown = (x: unknown): boolean => x !== null && typeof x === 'object';
  const out: string[] = [];
  if (Array.isArray(v)) {
    for (const t of v) {
      const k = own(t, 'Key');
      if (!isPlainObject(t) || unknown(k)) out.push('*');
      else if (typeof k === 'string' && unknown(own(t, 'Value'))) out.push(k);
    }
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) if (unknown(own(v, k))) out.push(k);
  } else if (unknown(v)) {
    out.push('*');
  }
  return out.length ? out : undefined;
}

/** Inline `Policies` entries ({PolicyName, PolicyDocument}) of a role, user or group. */
export function inlinePolicies(ctx: TemplateContext, id: string, props: Record<string, unknown>, origin: AttachedPolicy['origin']): AttachedPolicy[] {
  const out: AttachedPolicy[] = [];
  const raw = own(props, 'Policies');
  const fallback = ctx.map.locateChild(props, 'Policies') ?? { file: ctx.file, path: `Resources.${id}.Properties.Policies` };
  listEntries(ctx.resolver, raw, [], fallback).forEach((e, i) => {
    const entry = e.value;
    if (!isPlainObject(entry)) throw new PolicySourceError(`a Policies entry must be {PolicyName, PolicyDocument}, not ${describe(entry)}`, e.where);
    for (const k of Object.keys(entry)) {
      if (!INLINE_POLICY_KEYS.includes(k)) throw new PolicySourceError(`unknown property '${k}' of an inline policy${suggestKey(k, INLINE_POLICY_KEYS)}`, ctx.map.locateChild(entry, k) ?? e.where);
    }
    if (!hasOwn(entry, 'PolicyDocument')) throw new PolicySourceError('the inline policy has no PolicyDocument', e.where);
    const nameV = own(entry, 'PolicyName');
    const name = typeof nameV === 'string' ? nameV : `Policies[${i}]`;
    const docWhere = ctx.map.locateChild(entry, 'PolicyDocument') ?? e.where;
    out.push(...documentPolicies(ctx, name, origin, own(entry, 'PolicyDocument'), docWhere, e.conds));
  });
  return out;
}

export function managedArnPolicies(ctx: TemplateContext, id: string, props: Record<string, unknown>, key: string, origin: AttachedPolicy['origin']): AttachedPolicy[] {
  const fallback = ctx.map.locateChild(props, key) ?? { file: ctx.file, path: `Resources.${id}.Properties.${key}` };
  return listEntries(ctx.resolver, own(props, key), [], fallback).flatMap((e) => managedPolicyEntry(ctx, e.value, origin, e.where, e.conds));
}

export function boundaryOf(ctx: TemplateContext, id: string, raw: unknown, where: SourceLocation): AttachedPolicy | undefined {
  if (raw === undefined) return undefined;
  const alts = alternatives(ctx.resolver.resolve(raw));
  if (alts.length === 0) return undefined;
  if (alts.length === 1 && alts[0]!.conds.length === 0) {
    const [p] = managedPolicyEntry(ctx, alts[0]!.value, 'permissions-boundary', where, []);
    return p;
  }
  return unresolvedPolicy(`${id} permissions boundary`, 'permissions-boundary', `the permissions boundary depends on template conditions (${alts.map((a) => a.conds.join(' and ') || 'always').join(' / ')})`, where);
}

function identity(ctx: TemplateContext, id: string, kind: PrincipalKind, nameKey: string, props: Record<string, unknown>, conds: readonly string[], source: SourceLocation): PrincipalBuilder {
  const nameV = ctx.resolver.resolve(own(props, nameKey));
  const name = typeof nameV === 'string' ? nameV : undefined;
  const policies = [...inlinePolicies(ctx, id, props, 'inline'), ...managedArnPolicies(ctx, id, props, 'ManagedPolicyArns', 'managed-arn')];
  const b: PrincipalBuilder = { kind, id, source, policies, conds, keys: [id, ...(name ? [name] : [])], ...(name ? { name } : {}) };
  // The IAM path (service-linked roles live under /aws-service-role/) and, when the name and
  // account are known, the ARN resource policies match their Principal element against.
  const pathV = own(props, 'Path') === undefined ? '/' : ctx.resolver.resolve(own(props, 'Path'));
  if (typeof pathV === 'string') b.path = pathV;
  const account = ctx.resolver.resolve({ Ref: 'AWS::AccountId' });
  if (typeof account === 'string' && /^\d{12}$/.test(account)) {
    b.account = account;
    if (name !== undefined && typeof pathV === 'string' && (kind === 'role' || kind === 'user')) b.arn = `arn:${ctx.partition}:iam::${account}:${kind}${pathV}${name}`;
  }
  const tags = tagsOf(ctx.resolver, own(props, 'Tags'));
  if (tags) b.tags = tags;
  const unknownTags = unknownTagKeys(ctx.resolver, own(props, 'Tags'));
  if (unknownTags) b.unknownTags = unknownTags;
  const boundary = boundaryOf(ctx, id, own(props, 'PermissionsBoundary'), ctx.map.locateChild(props, 'PermissionsBoundary') ?? source);
  if (boundary) b.permissionsBoundary = boundary;
  const cdkPath = own(own(own(ctx.resources, id), 'Metadata'), 'aws:cdk:path');
  if (typeof cdkPath === 'string') {
    b.keys.push(cdkPath);
    if (cdkPath.endsWith('/Resource')) b.keys.push(cdkPath.slice(0, -'/Resource'.length));
  }
  return b;
}

/**
 * Expands `Fn::ForEach::<Loop>: [Identifier, Collection, { OutputKey: OutputValue }]` entries of
 * `Resources` (the AWS::LanguageExtensions transform): for each item of the collection, every
 * output key and value with `${Identifier}`/`&{Identifier}` replaced (`&{}` keeps only letters and
 * digits) and `{ Ref: Identifier }` replaced by the item; loops nest. Expanded containers are
 * linked to the loop body in the source map, so statements keep their lines. A collection that is
 * not a known list of strings cannot be expanded: the roles it would generate are unknown, so that
 * is an error (failing closed), not a warning.
 */
export function expandForEach(
  resources: Record<string, unknown>,
  resolver: Resolver,
  map: SourceMap,
  file: string,
  generatedFrom: Map<string, SourceLocation>,
): Record<string, unknown> {
  if (!Object.keys(resources).some((k) => k.startsWith('Fn::ForEach::'))) return resources;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const add = (id: string, value: unknown, at: SourceLocation): void => {
    if (hasOwn(out, id)) throw new PolicySourceError(`Fn::ForEach generates the logical id '${id}' twice (or one that already exists)`, at);
    setOwn(out, id, value);
    generatedFrom.set(id, at);
  };
  const walk = (entries: Record<string, unknown>, container: unknown, bindings: ReadonlyArray<readonly [string, string]>): void => {
    for (const key of Object.keys(entries)) {
      const at = map.locateChild(container, key) ?? { file, path: `Resources.${key}` };
      const value = own(entries, key);
      if (!key.startsWith('Fn::ForEach::')) {
        const id = substitute(key, bindings);
        if (bindings.length === 0) setOwn(out, id, value);
        else add(id, cloneWith(value, bindings, map), at);
        continue;
      }
      if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string' || !isPlainObject(value[2])) {
        throw new PolicySourceError(`${key} must be [Identifier, Collection, { OutputKey: OutputValue }]`, at);
      }
      const [identifier, rawCollection, body] = value as [string, unknown, Record<string, unknown>];
      const collection = resolver.resolve(cloneWith(rawCollection, bindings, map));
      if (!Array.isArray(collection) || !collection.every((item) => typeof item === 'string')) {
        throw new PolicySourceError(
          `${key}: its collection (${describe(rawCollection)}) is not a known list of strings, so the resources it generates are unknown; pass the parameters it needs (loadTemplate(file, { parameters }))`,
          map.locateChild(value, 1) ?? at,
        );
      }
      for (const item of collection as string[]) walk(body, body, [...bindings, [identifier, item]]);
    }
  };
  walk(resources, resources, []);
  return out;
}

function substitute(text: string, bindings: ReadonlyArray<readonly [string, string]>): string {
  let s = text;
  for (const [name, item] of bindings) {
    s = s.split(`\${${name}}`).join(item).split(`&{${name}}`).join(item.replace(/[^A-Za-z0-9]/g, ''));
  }
  return s;
}

/** A copy of a loop body with the loop identifiers replaced; containers linked to their originals. */
function cloneWith(value: unknown, bindings: ReadonlyArray<readonly [string, string]>, map: SourceMap): unknown {
  if (bindings.length === 0) return value;
  if (typeof value === 'string') return substitute(value, bindings);
  if (Array.isArray(value)) {
    const copy = value.map((v) => cloneWith(v, bindings, map));
    map.link(copy, value);
    return copy;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref') {
      const target = own(value, 'Ref');
      const bound = bindings.find(([name]) => name === target);
      if (bound) return bound[1];
    }
    const copy = Object.create(null) as Record<string, unknown>;
    for (const k of keys) setOwn(copy, substitute(k, bindings), cloneWith(own(value, k), bindings, map));
    map.link(copy, value);
    return copy;
  }
  return value;
}

/**
 * Resource policies of the template: every AWS::KMS::Key's KeyPolicy (governing that key;
 * its ARN is generated at deploy time, so it stays unknown until the test gives it) and every
 * AWS::S3::BucketPolicy (governing its Bucket and the objects in it; the bucket ARN is known
 * when Bucket is a literal name or a Ref to a bucket of the template with a literal BucketName).
 */
function templateResourcePolicies(
  ctx: TemplateContext,
  ids: readonly string[],
  live: ReadonlyMap<string, readonly string[]>,
  typeOf: (id: string) => string,
  propsOf: (id: string) => Record<string, unknown>,
  propWhere: (id: string, key: string) => SourceLocation,
): ResourcePolicy[] {
  const out: ResourcePolicy[] = [];
  const accountV = ctx.resolver.resolve({ Ref: 'AWS::AccountId' });
  const account = typeof accountV === 'string' && /^\d{12}$/.test(accountV) ? accountV : undefined;
  for (const id of ids) {
    const conds = live.get(id);
    if (!conds) continue;
    const type = typeOf(id);
    const key = type === 'AWS::KMS::Key' ? 'KeyPolicy' : type === 'AWS::S3::BucketPolicy' ? 'PolicyDocument' : undefined;
    if (!key || own(propsOf(id), key) === undefined) continue;
    const [attached] = documentPolicies(ctx, id, 'resource-policy', ctx.resolver.resolve(own(propsOf(id), key)), propWhere(id, key), conds, false);
    if (!attached) continue;
    let resource: string | undefined;
    let unresolvedResource: string | undefined;
    if (type === 'AWS::KMS::Key') unresolvedResource = `!GetAtt ${id}.Arn`;
    else {
      const raw = own(propsOf(id), 'Bucket');
      const ref = isPlainObject(raw) ? own(raw, 'Ref') : undefined;
      const target = typeof ref === 'string' && typeOf(ref) === 'AWS::S3::Bucket' ? ctx.resolver.resolve(own(propsOf(ref), 'BucketName')) : ctx.resolver.resolve(raw);
      if (typeof target === 'string') resource = `arn:${ctx.partition}:s3:::${target}`;
      else unresolvedResource = typeof ref === 'string' ? `!Ref ${ref}` : 'the Bucket of ' + id;
    }
    out.push({
      name: id,
      service: type === 'AWS::KMS::Key' ? 'kms' : 's3',
      ...(resource ? { resource } : {}),
      ...(unresolvedResource ? { unresolvedResource } : {}),
      ...(attached.document !== undefined ? { document: attached.document } : {}),
      ...(attached.unresolved !== undefined ? { unresolved: attached.unresolved } : {}),
      ...(attached.source ? { source: attached.source } : {}),
      ...(attached.locations ? { locations: attached.locations } : {}),
      ...(account ? { account } : {}),
    });
  }
  return out;
}
