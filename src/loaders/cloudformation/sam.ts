/**
 * AWS::Serverless::Function: the role SAM creates for it (AWSLambdaBasicExecutionRole, the
 * `Policies` entries, the policies SAM adds for tracing, VPC access, pull event sources,
 * dead-letter queues and destinations), or the template role named by `Role`.
 *
 * SAM policy templates (DynamoDBCrudPolicy, ...) are expanded from data/sam-policy-templates.json.
 */
import { PolicySourceError } from '../../errors';
import { Unresolved } from '../../policy/symbolic';
import type { AttachedPolicy, SourceLocation } from '../../policy/types';
import { closestNames } from '../../util/suggest';
import { alternatives, documentPolicies, listEntries, managedPolicyEntry, unresolvedPolicy } from '../attach';
import { RefUnresolved, describe } from './intrinsics';
import { hasOwn, isPlainObject, own, setOwn } from '../source';
import type { PrincipalBuilder, TemplateContext } from './template';
import { boundaryOf, tagsOf, unknownTagKeys } from './template';
import samData from './data/sam-policy-templates.json';

interface SamTemplate {
  readonly parameters: readonly string[];
  readonly statements: readonly unknown[];
}
const SAM_TEMPLATES = (samData as unknown as { templates: Record<string, SamTemplate> }).templates;

/** Names of the bundled SAM policy templates. */
export function samPolicyTemplateNames(): string[] {
  return Object.keys(SAM_TEMPLATES).sort();
}

const PULL_EVENT_POLICIES: Readonly<Record<string, string>> = {
  SQS: 'service-role/AWSLambdaSQSQueueExecutionRole',
  Kinesis: 'service-role/AWSLambdaKinesisExecutionRole',
  DynamoDB: 'service-role/AWSLambdaDynamoDBExecutionRole',
  MSK: 'service-role/AWSLambdaMSKExecutionRole',
};
const UNMODELLED_EVENTS = ['MQ', 'SelfManagedKafka', 'DocumentDB'];
const DESTINATION_ACTIONS: Readonly<Record<string, string>> = {
  SQS: 'sqs:SendMessage',
  SNS: 'sns:Publish',
  Lambda: 'lambda:InvokeFunction',
  EventBridge: 'events:PutEvents',
};

export function samFunction(ctx: TemplateContext, id: string, rawProps: Record<string, unknown>, conds: readonly string[], source: SourceLocation): PrincipalBuilder | undefined {
  const globals = own(own(ctx.template, 'Globals'), 'Function');
  const raw = (key: string): unknown => (hasOwn(rawProps, key) ? own(rawProps, key) : own(globals, key));
  const at = (key: string): SourceLocation => ctx.map.locateChild(rawProps, key) ?? source;
  const r = ctx.resolver;
  const nameV = r.resolve(own(rawProps, 'FunctionName'));
  const name = typeof nameV === 'string' ? nameV : undefined;
  const b: PrincipalBuilder = { kind: 'function', id, source, policies: [], conds, keys: [id, `${id}Role`, ...(name ? [name] : [])], ...(name ? { name } : {}) };
  const tags = tagsOf(r, raw('Tags'));
  if (tags) b.tags = tags;
  const unknownTags = unknownTagKeys(r, raw('Tags'));
  if (unknownTags) b.unknownTags = unknownTags;

  const roleRaw = raw('Role');
  if (roleRaw !== undefined) {
    const alts = alternatives(r.resolve(roleRaw));
    if (alts.length === 1 && alts[0]!.conds.length === 0) {
      const role = alts[0]!.value;
      if (role instanceof RefUnresolved && role.isResource && String(own(own(ctx.resources, role.target), 'Type')) === 'AWS::IAM::Role') {
        ctx.aliases.set(id, role.target);
        return undefined;
      }
      if (typeof role === 'string') {
        const roleName = /:role\/(?:.*\/)?([^/]+)$/.exec(role)?.[1];
        const match = [...ctx.principals.values()].find((p) => p.kind === 'role' && p.name !== undefined && p.name === roleName);
        if (match) {
          ctx.aliases.set(id, match.id);
          return undefined;
        }
      }
    }
    b.policies.push(unresolvedPolicy(`${id} role`, 'sam-policy', `the function uses role ${alts.map((a) => describe(a.value)).join(' or ')}, which is not defined in this template: its policies are unknown`, at('Role')));
    return b;
  }

  // Policies attached elsewhere with `Roles: [!Ref <Function>Role]` reach this principal.
  ctx.aliases.set(`${id}Role`, id);
  const partition = ctx.partition;
  const managed = (arnPath: string, where: SourceLocation, c: readonly string[] = []): AttachedPolicy[] =>
    managedPolicyEntry(ctx, `arn:${partition}:iam::aws:policy/${arnPath}`, 'sam-policy', where, c);

  b.policies.push(...managed('service-role/AWSLambdaBasicExecutionRole', source));

  // Policies: managed names/ARNs, inline documents, policy templates, Fn::If.
  listEntries(r, raw('Policies'), [], at('Policies')).forEach((e, i) => {
    b.policies.push(...samPolicyEntry(ctx, id, e.value, i, e.where, e.conds));
  });

  for (const t of alternatives(r.resolve(raw('Tracing')))) {
    if (t.value !== 'PassThrough' && t.value !== 'Disabled') b.policies.push(...managed('AWSXrayWriteOnlyAccess', at('Tracing'), t.conds));
  }
  if (raw('VpcConfig') !== undefined) b.policies.push(...managed('service-role/AWSLambdaVPCAccessExecutionRole', at('VpcConfig')));

  const events = raw('Events');
  if (isPlainObject(events)) {
    for (const ev of Object.keys(events)) {
      const type = own(own(events, ev), 'Type');
      const where = ctx.map.locateChild(events, ev) ?? at('Events');
      if (typeof type !== 'string') continue;
      const p = PULL_EVENT_POLICIES[type];
      if (p) b.policies.push(...managed(p, where));
      else if (UNMODELLED_EVENTS.includes(type)) b.policies.push(unresolvedPolicy(`${ev} event`, 'sam-policy', `SAM adds permissions for the ${type} event source ${ev}; this loader does not model them`, where));
    }
  }

  const dlq = raw('DeadLetterQueue');
  if (dlq !== undefined) {
    const v = r.resolve(dlq);
    const action = DESTINATION_ACTIONS[String(own(v, 'Type'))];
    const target = own(v, 'TargetArn');
    if (action && target !== undefined) b.policies.push(...documentPolicies(ctx, `${id}DeadLetterQueue`, 'sam-policy', generated(action, target), at('DeadLetterQueue')));
    else b.policies.push(unresolvedPolicy(`${id}DeadLetterQueue`, 'sam-policy', `DeadLetterQueue ${describe(v)} is not understood`, at('DeadLetterQueue')));
  }

  const invoke = raw('EventInvokeConfig');
  if (invoke !== undefined) {
    const dc = own(r.resolve(invoke), 'DestinationConfig');
    for (const k of ['OnSuccess', 'OnFailure']) {
      const d = own(dc, k);
      if (d === undefined) continue;
      const action = DESTINATION_ACTIONS[String(own(d, 'Type'))];
      const dest = own(d, 'Destination');
      if (action && dest !== undefined) b.policies.push(...documentPolicies(ctx, `${id}EventInvokeConfig${k}`, 'sam-policy', generated(action, dest), at('EventInvokeConfig')));
      else b.policies.push(unresolvedPolicy(`${id}EventInvokeConfig${k}`, 'sam-policy', `the ${k} destination ${describe(d)} adds permissions this loader cannot resolve`, at('EventInvokeConfig')));
    }
  }

  if (hasOwn(rawProps, 'Connectors')) {
    b.policies.push(unresolvedPolicy(`${id} connectors`, 'sam-policy', 'SAM Connectors on this function grant permissions that this loader does not model', at('Connectors')));
  }

  const boundary = boundaryOf(ctx, id, raw('PermissionsBoundary'), at('PermissionsBoundary'));
  if (boundary) b.permissionsBoundary = boundary;
  return b;
}

function generated(action: string, resource: unknown): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] };
}

function samPolicyEntry(ctx: TemplateContext, id: string, value: unknown, index: number, where: SourceLocation, conds: readonly string[]): AttachedPolicy[] {
  if (typeof value === 'string' || value instanceof Unresolved) return managedPolicyEntry(ctx, value, 'sam-policy', where, conds);
  if (!isPlainObject(value)) throw new PolicySourceError(`a SAM Policies entry must be a policy name, ARN, document or policy template, not ${describe(value)}`, where);
  if (hasOwn(value, 'Statement')) return documentPolicies(ctx, `${id}RolePolicy${index}`, 'sam-policy', value, where, conds);
  const keys = Object.keys(value);
  if (keys.length !== 1) throw new PolicySourceError(`a SAM policy template entry has exactly one key (the template name), not ${keys.length}`, where);
  const tname = keys[0]!;
  const def = Object.prototype.hasOwnProperty.call(SAM_TEMPLATES, tname) ? SAM_TEMPLATES[tname] : undefined;
  if (!def) {
    const s = closestNames(tname, Object.keys(SAM_TEMPLATES), 1);
    return [unresolvedPolicy(tname, 'sam-policy', `SAM policy template '${tname}' is not bundled with this package${s.length ? ` (did you mean '${s[0]}'?)` : ''}; its permissions are unknown`, where, conds)];
  }
  const params = own(value, tname);
  const vars: Record<string, unknown> = {};
  for (const p of def.parameters) {
    const v = own(params, p);
    if (v === undefined) throw new PolicySourceError(`SAM policy template ${tname} needs the parameter ${p}`, ctx.map.locate(params) ?? where);
    setOwn(vars, p, v);
  }
  const expand = (x: unknown): unknown => {
    if (typeof x === 'string') return x.includes('${') ? ctx.resolver.substitute(x, vars) : x;
    if (Array.isArray(x)) return x.map(expand);
    if (isPlainObject(x)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x)) setOwn(o, k, expand(own(x, k)));
      return o;
    }
    return x;
  };
  const doc = { Version: '2012-10-17', Statement: def.statements.map(expand) };
  return documentPolicies(ctx, tname, 'sam-policy', doc, where, conds);
}
