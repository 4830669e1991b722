/**
 * A minimal policy grammar check for loaded documents (the loaders' own; the evaluator's
 * normaliser validates again), and the statement locations recorded on AttachedPolicy.
 *
 * Symbolic values (`Unresolved`, `Choice`) are accepted wherever a value may appear: what
 * they stand for is decided by the evaluator.
 */
import { PolicyValidationError } from '../errors';
import { resolveOperator } from '../evaluator/condition/registry';
import { Choice, NO_VALUE, Unresolved } from '../policy/symbolic';
import {
  conditionKeyProblem,
  duplicateKeyProblem,
  duplicateKeys,
  duplicateSidProblem,
  operatorSpellingProblem,
  principalProblem,
  sidProblem,
} from '../policy/validate';
import type { SourceLocation } from '../policy/types';
import { closestNames } from '../util/suggest';
import { isPlainObject, own, type SourceMap } from './source';

const DOC_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal'];
const LOCATED_KEYS = ['Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Sid'];

export interface CheckContext {
  readonly map?: SourceMap;
  /** Where the document is when the map cannot tell (documents from data, decoded strings). */
  readonly fallback: SourceLocation;
  readonly maxStatements: number;
  /**
   * Identity-based policies (inline, managed, boundary, policy files) need Resource/NotResource
   * and may not name a Principal/NotPrincipal; trust and resource-based policies are other documents.
   * @default true
   */
  readonly requireResource?: boolean;
}

const symbolic = (v: unknown): boolean => v instanceof Unresolved || v instanceof Choice;

function where(ctx: CheckContext, node: unknown, key?: string | number, rel?: string): SourceLocation {
  const loc = ctx.map ? (key === undefined ? ctx.map.locate(node) : ctx.map.locateChild(node, key) ?? ctx.map.locate(node)) : undefined;
  if (loc) return loc;
  const base = ctx.fallback.path ?? '';
  return { ...ctx.fallback, path: rel ? (base ? `${base}.${rel}` : rel) : base || undefined };
}

function suggest(key: string, allowed: readonly string[]): string {
  const s = closestNames(key, allowed, 1);
  return s.length ? ` (did you mean '${s[0]}'?)` : ` (allowed: ${allowed.join(', ')})`;
}

/** Throws PolicyValidationError (file, line, column, JSON path) for an invalid document. */
export function checkPolicyDocument(doc: unknown, ctx: CheckContext): void {
  if (symbolic(doc)) return;
  if (!isPlainObject(doc)) {
    throw new PolicyValidationError(`a policy document must be an object, not ${kindOf(doc)}`, where(ctx, doc));
  }
  for (const k of Object.keys(doc)) {
    if (!DOC_KEYS.includes(k)) throw new PolicyValidationError(`unknown policy element '${k}'${suggest(k, DOC_KEYS)}`, where(ctx, doc, k, k));
  }
  const version = own(doc, 'Version');
  if (version !== undefined && !symbolic(version) && version !== '2012-10-17' && version !== '2008-10-17') {
    throw new PolicyValidationError(`Version must be "2012-10-17" (or "2008-10-17"), not ${JSON.stringify(version)}`, where(ctx, doc, 'Version', 'Version'));
  }
  const statement = own(doc, 'Statement');
  if (statement === undefined) throw new PolicyValidationError('the policy document has no Statement', where(ctx, doc, undefined));
  if (symbolic(statement)) return;
  const list = Array.isArray(statement) ? statement : [statement];
  if (list.length > ctx.maxStatements) {
    throw new PolicyValidationError(`${list.length} statements in one policy, more than the limit of ${ctx.maxStatements} (option maxStatements)`, where(ctx, doc, 'Statement', 'Statement'));
  }
  list.forEach((s, i) => checkStatement(s, ctx, Array.isArray(statement) ? statement : doc, Array.isArray(statement) ? i : 'Statement', `Statement[${i}]`));
  // IAM: "the Sid value must be unique within a JSON policy". Statements chosen by a template
  // condition (Fn::If) are left out: they may never be present together. Resource-based policies
  // (KMS key policies, bucket policies) follow their service's rules, not IAM's: not checked.
  if (ctx.requireResource === false) return;
  const first = new Map<string, string>();
  list.forEach((s, i) => {
    if (!isPlainObject(s)) return;
    const sid = own(s, 'Sid');
    if (typeof sid !== 'string' || sid === '') return;
    const at = first.get(sid);
    if (at !== undefined) throw new PolicyValidationError(duplicateSidProblem(sid, at), where(ctx, s, 'Sid', `Statement[${i}].Sid`));
    first.set(sid, `Statement[${i}]`);
  });
}

function checkStatement(s: unknown, ctx: CheckContext, holder: unknown, key: string | number, rel: string): void {
  if (s instanceof Choice) {
    for (const b of [s.whenTrue, s.whenFalse]) if (b !== NO_VALUE) checkStatement(b, ctx, holder, key, rel);
    return;
  }
  if (s instanceof Unresolved) return;
  if (!isPlainObject(s)) throw new PolicyValidationError(`a statement must be an object, not ${kindOf(s)}`, where(ctx, holder, key, rel));
  const at = (k: string): SourceLocation => where(ctx, s, k, `${rel}.${k}`);
  for (const k of Object.keys(s)) {
    if (!STATEMENT_KEYS.includes(k)) throw new PolicyValidationError(`unknown statement element '${k}'${suggest(k, STATEMENT_KEYS)}`, at(k));
  }
  const sid = own(s, 'Sid');
  // IAM's Sid characters apply to identity policies; a KMS key policy's Sid may hold spaces (AWS's
  // default key policy has "Enable IAM User Permissions").
  if (typeof sid === 'string' && ctx.requireResource !== false) {
    const p = sidProblem(sid);
    if (p) throw new PolicyValidationError(p, at('Sid'));
  }
  if (ctx.requireResource !== false) {
    for (const k of ['Principal', 'NotPrincipal']) {
      const v = own(s, k);
      if (v !== undefined && v !== NO_VALUE) throw new PolicyValidationError(principalProblem(k), at(k));
    }
  }
  const effect = own(s, 'Effect');
  if (effect === undefined) throw new PolicyValidationError('the statement has no Effect (Allow or Deny)', where(ctx, s, undefined, rel));
  if (!symbolic(effect) && effect !== 'Allow' && effect !== 'Deny') {
    const hint = typeof effect === 'string' && /^(allow|deny)$/i.test(effect) ? ` (Effect is case-sensitive: write '${effect[0]!.toUpperCase()}${effect.slice(1).toLowerCase()}')` : '';
    throw new PolicyValidationError(`Effect must be 'Allow' or 'Deny', not ${JSON.stringify(effect)}${hint}`, at('Effect'));
  }
  const has = (k: string): boolean => own(s, k) !== undefined;
  if (has('Action') && has('NotAction')) throw new PolicyValidationError('a statement cannot have both Action and NotAction', at('NotAction'));
  if (!has('Action') && !has('NotAction')) throw new PolicyValidationError('the statement has neither Action nor NotAction', where(ctx, s, undefined, rel));
  if (has('Resource') && has('NotResource')) throw new PolicyValidationError('a statement cannot have both Resource and NotResource', at('NotResource'));
  if (ctx.requireResource !== false && !has('Resource') && !has('NotResource')) {
    throw new PolicyValidationError('the statement has neither Resource nor NotResource', where(ctx, s, undefined, rel));
  }
  for (const k of ['Action', 'NotAction', 'Resource', 'NotResource']) {
    const v = own(s, k);
    if (v === undefined || symbolic(v) || typeof v === 'string') continue;
    if (!Array.isArray(v)) throw new PolicyValidationError(`${k} must be a string or a list of strings, not ${kindOf(v)}`, at(k));
    v.forEach((item, i) => {
      if (typeof item !== 'string' && !symbolic(item)) {
        throw new PolicyValidationError(`${k} must be a string or a list of strings; element ${i} is ${kindOf(item)}`, where(ctx, v, i, `${rel}.${k}[${i}]`));
      }
    });
  }
  const cond = own(s, 'Condition');
  if (cond !== undefined && !symbolic(cond)) {
    if (!isPlainObject(cond)) throw new PolicyValidationError(`Condition must be an object of operators, not ${kindOf(cond)}`, at('Condition'));
    for (const op of Object.keys(cond)) {
      const block = own(cond, op);
      const opAt = where(ctx, cond, op, `${rel}.Condition.${op}`);
      const resolved = resolveOperator(op);
      if (typeof resolved === 'string') throw new PolicyValidationError(resolved, opAt);
      const canonical = `${resolved.set ? `${resolved.set}:` : ''}${resolved.base.name}${resolved.ifExists ? 'IfExists' : ''}`;
      const spelling = operatorSpellingProblem(op, canonical);
      if (spelling) throw new PolicyValidationError(spelling, opAt);
      if (!isPlainObject(block) && !symbolic(block)) {
        throw new PolicyValidationError(`Condition operator '${op}' must map condition keys to values, not ${kindOf(block)}`, opAt);
      }
      if (!isPlainObject(block)) continue;
      const keys = Object.keys(block);
      for (const key of keys) {
        const p = conditionKeyProblem(key);
        if (p) throw new PolicyValidationError(p, where(ctx, block, key, `${rel}.Condition.${op}.${key}`));
      }
      for (const [key, earlier] of duplicateKeys(keys)) {
        throw new PolicyValidationError(duplicateKeyProblem(key, earlier), where(ctx, block, key, `${rel}.Condition.${op}.${key}`));
      }
    }
  }
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * `Statement[i]` (and `Statement` for a single statement object) plus the located elements
 * of each statement, keyed relative to the document. Without a map, every key gets `fallback`.
 */
export function statementLocations(doc: unknown, map: SourceMap | undefined, fallback: SourceLocation): Record<string, SourceLocation> {
  const out: Record<string, SourceLocation> = {};
  const statement = own(doc, 'Statement');
  if (statement === undefined) return out;
  const list = Array.isArray(statement) ? statement : [statement];
  list.forEach((s, i) => {
    const key = `Statement[${i}]`;
    const fromMap = map ? (Array.isArray(statement) ? map.locate(s) ?? map.locateChild(statement, i) : map.locate(s) ?? map.locateChild(doc, 'Statement')) : undefined;
    // Generated statements (SAM policy templates, documents in strings) point at what generated them.
    const loc = fromMap ?? fallback;
    out[key] = loc;
    if (!Array.isArray(statement)) out.Statement = loc;
    if (isPlainObject(s)) {
      const present = LOCATED_KEYS.filter((k) => own(s, k) !== undefined);
      const found = map ? map.locateChildren(s, present) : [];
      present.forEach((k, j) => {
        out[`${key}.${k}`] = found[j] ?? loc;
      });
    }
  });
  return out;
}
