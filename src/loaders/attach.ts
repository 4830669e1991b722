/**
 * Building AttachedPolicy records: documents (validated, with statement locations), managed
 * policy ARNs/names (bundled AWS managed policies, registered customer policies, managed
 * policies of the same template), and unresolved placeholders that say what is missing.
 */
import { JestConnectIamError, PolicySourceError } from '../errors';
import { findManagedPolicy } from '../managed';
import type { ManagedPolicy } from '../managed/types';
import { validatePolicy } from '../policy/parse';
import { Choice, NO_VALUE, Unresolved } from '../policy/symbolic';
import type { AttachedPolicy, PolicyOrigin, SourceLocation } from '../policy/types';
import { RefUnresolved, describe, type Resolver } from './cloudformation/intrinsics';
import { parseJson } from './json';
import { SourceMap, isPlainObject, own, type LoadLimits } from './source';
import { checkPolicyDocument, statementLocations } from './validate';

/** A value that holds under some template conditions (`!IsProd` is the negation). */
export interface Conditional<T> {
  readonly value: T;
  readonly conds: readonly string[];
}

export function onlyIfOf(conds: readonly string[]): string | undefined {
  // The same condition reached twice (a resource Condition and an Fn::If on it) is named once.
  const unique = [...new Set(conds)];
  return unique.length ? unique.join(' and ') : undefined;
}

/** Split `Fn::If` on unknown conditions into the alternatives, dropping `AWS::NoValue` branches. */
export function alternatives<T = unknown>(value: unknown, conds: readonly string[] = []): Conditional<T>[] {
  if (value instanceof Choice) {
    return [...alternatives<T>(value.whenTrue, [...conds, value.condition]), ...alternatives<T>(value.whenFalse, [...conds, `!${value.condition}`])];
  }
  if (value === NO_VALUE || value === undefined) return [];
  return [{ value: value as T, conds }];
}

/** The entries of a list property (each possibly conditional), whatever intrinsics built the list. */
export function listEntries(resolver: Resolver, raw: unknown, conds: readonly string[], fallback: SourceLocation): Array<Conditional<unknown> & { where: SourceLocation }> {
  const map = resolver.map;
  const out: Array<Conditional<unknown> & { where: SourceLocation }> = [];
  if (raw === undefined || raw === null) return out;
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      const where = map.locate(item) ?? map.locateChild(raw, i) ?? fallback;
      const r = resolver.resolve(item);
      for (const alt of alternatives(r, conds)) {
        if (Array.isArray(alt.value)) for (const v of alt.value) for (const a of alternatives(v, alt.conds)) out.push({ ...a, where });
        else out.push({ ...alt, where });
      }
    });
    return out;
  }
  const where = map.locate(raw) ?? fallback;
  const r = resolver.resolve(raw);
  for (const alt of alternatives(r, conds)) {
    if (Array.isArray(alt.value)) {
      alt.value.forEach((v, i) => {
        for (const a of alternatives(v, alt.conds)) out.push({ ...a, where: map.locate(v) ?? map.locateChild(alt.value, i) ?? where });
      });
    } else out.push({ ...alt, where });
  }
  return out;
}

export interface AttachContext {
  readonly resolver: Resolver;
  readonly map: SourceMap;
  readonly limits: Required<LoadLimits>;
  /** Managed policies defined in this template, by logical id. */
  readonly templatePolicies: Map<string, TemplateManagedPolicy>;
  readonly partition: string;
}

export interface TemplateManagedPolicy {
  readonly id: string;
  /** Static ManagedPolicyName, when given. */
  readonly name?: string;
  /** One per alternative of its document (Fn::If around the document). */
  readonly policies: readonly AttachedPolicy[];
}

function build(p: {
  name: string;
  origin: PolicyOrigin;
  source?: SourceLocation;
  document?: unknown;
  unresolved?: string;
  locations?: Record<string, SourceLocation>;
  onlyIf?: string;
}): AttachedPolicy {
  const out: { -readonly [K in keyof AttachedPolicy]: AttachedPolicy[K] } = { name: p.name, origin: p.origin };
  if (p.source) out.source = p.source;
  if (p.document !== undefined) out.document = p.document;
  if (p.unresolved !== undefined) out.unresolved = p.unresolved;
  if (p.locations) out.locations = p.locations;
  if (p.onlyIf) out.onlyIf = p.onlyIf;
  return out;
}

export function unresolvedPolicy(name: string, origin: PolicyOrigin, reason: string, source: SourceLocation | undefined, conds: readonly string[] = []): AttachedPolicy {
  return build({ name, origin, source, unresolved: reason, onlyIf: onlyIfOf(conds) });
}

export function withConditions(p: AttachedPolicy, conds: readonly string[], origin?: PolicyOrigin, name?: string): AttachedPolicy {
  const all = [...(p.onlyIf ? p.onlyIf.split(' and ') : []), ...conds];
  const onlyIf = onlyIfOf(all);
  return { ...p, ...(origin ? { origin } : {}), ...(name ? { name } : {}), ...(onlyIf ? { onlyIf } : {}) };
}

/**
 * A policy from a document value found in the template or a file (already resolved).
 * `where` is the document's place when the map cannot tell (strings, data).
 */
export function documentPolicies(
  ctx: { readonly map?: SourceMap; readonly limits: Required<LoadLimits> },
  name: string,
  origin: PolicyOrigin,
  document: unknown,
  where: SourceLocation,
  conds: readonly string[] = [],
  requireResource = true,
): AttachedPolicy[] {
  const out: AttachedPolicy[] = [];
  for (const alt of alternatives(document, conds)) {
    let doc = alt.value;
    let map = ctx.map;
    let fallback = (map?.locate(doc)) ?? where;
    if (typeof doc === 'string') {
      // A document written as a JSON string: positions inside it are relative to the string.
      const inner = new SourceMap(where.file, doc);
      try {
        doc = parseJson(doc, inner, ctx.limits.maxDepth);
      } catch (e) {
        throw new PolicySourceError(`the policy document is a string that is not valid JSON (${e instanceof PolicySourceError ? e.problem : String(e)})`, where);
      }
      map = undefined;
      fallback = where;
    }
    if (doc instanceof Unresolved) {
      out.push(build({ name, origin, source: fallback, unresolved: `the policy document is ${describe(doc)}, not known before deployment`, onlyIf: onlyIfOf(alt.conds) }));
      continue;
    }
    checkPolicyDocument(doc, { map, fallback, maxStatements: ctx.limits.maxStatements, requireResource });
    const locations = statementLocations(doc, map, fallback);
    // The evaluator's grammar (action and resource formats, condition blocks) on top of ours.
    validatePolicy(doc, { source: fallback, locations, name, kind: requireResource ? 'identity' : 'any' });
    out.push(build({ name, origin, source: fallback, document: doc, locations, onlyIf: onlyIfOf(alt.conds) }));
  }
  return out;
}

const AWS_MANAGED = /^arn:([^:]*):iam::aws:policy\/(.+)$/;
const CUSTOMER = /^arn:([^:]*):iam::([^:]*):policy\/(.+)$/;

function lookup(nameOrArn: string): ManagedPolicy | undefined {
  try {
    return findManagedPolicy(nameOrArn);
  } catch (e) {
    if (e instanceof JestConnectIamError) return undefined;
    throw e;
  }
}

function fromManaged(mp: ManagedPolicy, origin: PolicyOrigin, where: SourceLocation, conds: readonly string[]): AttachedPolicy {
  const source: SourceLocation = { ...where };
  return build({ name: mp.name, origin, source, document: mp.document, onlyIf: onlyIfOf(conds) });
}

function customerReason(arn: string): string {
  return `customer managed policy ${arn} is not in this template; registerManagedPolicy(arn, document) to check it`;
}

/** Resolve one `ManagedPolicyArns` / `PermissionsBoundary` / SAM `Policies` string-ish entry. */
export function managedPolicyEntry(ctx: AttachContext, value: unknown, origin: PolicyOrigin, where: SourceLocation, conds: readonly string[]): AttachedPolicy[] {
  if (value instanceof RefUnresolved && value.isResource && value.attribute === undefined) {
    const tp = ctx.templatePolicies.get(value.target);
    if (tp) return tp.policies.map((p) => withConditions(p, conds, origin === 'managed-arn' ? 'managed-policy-resource' : origin));
    return [unresolvedPolicy(value.target, origin, `${describe(value)} is a resource of this template that is not an AWS::IAM::ManagedPolicy`, where, conds)];
  }
  if (typeof value === 'string') return [stringEntry(ctx, value, origin, where, conds)];
  if (value instanceof Unresolved && value.parts) {
    const text = value.toString();
    // Only the partition unknown: still an AWS managed policy.
    const aws = /:iam::aws:policy\/(.+)$/.exec(text);
    const lastPart = value.parts[value.parts.length - 1];
    if (aws && typeof lastPart === 'string' && lastPart.includes(':iam::aws:policy/')) {
      return [stringEntry(ctx, `arn:${ctx.partition}:iam::aws:policy/${aws[1]}`, origin, where, conds)];
    }
    const cust = /:policy\/(?:.*\/)?([^/]+)$/.exec(text);
    if (cust && typeof lastPart === 'string' && /:policy\//.test(lastPart)) {
      const name = cust[1]!;
      const tp = [...ctx.templatePolicies.values()].find((p) => p.name === name);
      if (tp) return tp.policies.map((p) => withConditions(p, conds, origin === 'managed-arn' ? 'managed-policy-resource' : origin));
      const reg = lookup(name);
      if (reg && reg.owner === 'customer') return [fromManaged(reg, origin, where, conds)];
      return [unresolvedPolicy(name, origin, customerReason(text), where, conds)];
    }
    return [unresolvedPolicy(text, origin, `managed policy ${text} is not known before deployment`, where, conds)];
  }
  if (value instanceof Unresolved) {
    const hint = value instanceof RefUnresolved && !value.isResource && !value.target.startsWith('AWS::') ? ` (give it with options.parameters.${value.target})` : '';
    return [unresolvedPolicy(describe(value), origin, `managed policy ${describe(value)} is not known before deployment${hint}`, where, conds)];
  }
  throw new PolicySourceError(`expected a managed policy ARN or name, not ${describe(value)}`, where);
}

function stringEntry(ctx: AttachContext, s: string, origin: PolicyOrigin, where: SourceLocation, conds: readonly string[]): AttachedPolicy {
  const aws = AWS_MANAGED.exec(s);
  if (aws) {
    const mp = lookup(s) ?? lookup(`arn:aws:iam::aws:policy/${aws[2]}`);
    if (mp) return fromManaged(mp, origin, where, conds);
    return unresolvedPolicy(aws[2]!, origin, `AWS managed policy ${s} is not in the bundled managed policies`, where, conds);
  }
  const cust = CUSTOMER.exec(s);
  if (cust) {
    const mp = lookup(s);
    if (mp) return fromManaged(mp, origin, where, conds);
    const name = cust[3]!.split('/').pop()!;
    const tp = [...ctx.templatePolicies.values()].find((p) => p.name === name);
    if (tp && tp.policies.length === 1) return withConditions(tp.policies[0]!, conds, origin === 'managed-arn' ? 'managed-policy-resource' : origin);
    return unresolvedPolicy(name, origin, customerReason(s), where, conds);
  }
  if (s.startsWith('arn:')) throw new PolicySourceError(`'${s}' is not a managed policy ARN (arn:aws:iam::aws:policy/Name or arn:aws:iam::123456789012:policy/Name)`, where);
  const mp = lookup(s);
  if (mp) return fromManaged(mp, origin, where, conds);
  return unresolvedPolicy(s, origin, `managed policy '${s}' is neither a bundled AWS managed policy nor registered; registerManagedPolicy(arn, document) to check it`, where, conds);
}

export { isPlainObject, own };
