/**
 * Parse and validate a raw policy document into a normalised policy: statements with
 * Effect, Action/NotAction, Resource/NotResource and conditions as lists; template
 * choices expanded into variants; unresolved values kept as `Unresolved`.
 */
import { closestNames } from '../util/suggest';
import { resolveOperator } from '../evaluator/condition/registry';
import { describeType, expandChoices, expandOuterChoices, toList } from './normalize';
import { Choice, NO_VALUE, Unresolved } from './symbolic';
import type { Effect } from './types';
import {
  DOCUMENT_KEYS,
  STATEMENT_KEYS,
  VERSIONS,
  actionProblem,
  conditionKeyProblem,
  duplicateKeyProblem,
  duplicateKeys,
  duplicateSidProblem,
  fail,
  operatorSpellingProblem,
  principalProblem,
  resourceProblem,
  sidProblem,
  type DocumentOrigin,
} from './validate';

/** One element of an Action/Resource list. */
export type ElementValue = string | Unresolved;

export interface ParsedElement<E extends string> {
  readonly element: E;
  /** The patterns, or one Unresolved standing for the whole (unknown) list. */
  readonly values: readonly ElementValue[] | Unresolved;
}

export interface ParsedCondition {
  /** Operator as written, e.g. "ForAnyValue:StringLike". */
  readonly operator: string;
  readonly key: string;
  /** Values as strings (numbers and booleans stringified), or one Unresolved for all. */
  readonly values: readonly ElementValue[] | Unresolved;
  /** Relative to the statement: `Condition.StringEquals.aws:RequestedRegion`. */
  readonly path: string;
}

export interface ParsedStatement {
  /** Index in the document's statement list (0 for a single statement object). */
  readonly index: number;
  /** JSON path in the document: `Statement[2]` or `Statement`. */
  readonly path: string;
  readonly sid?: string;
  readonly effect: Effect;
  readonly action: ParsedElement<'Action' | 'NotAction'>;
  /** Absent only for non-identity documents without Resource/NotResource. */
  readonly resource?: ParsedElement<'Resource' | 'NotResource'>;
  /** Conditions (AND-ed), or an Unresolved standing for the whole block. */
  readonly conditions: readonly ParsedCondition[] | Unresolved;
  /** Template conditions that choose this variant (empty without choices). */
  readonly when: ReadonlyMap<string, boolean>;
  /** Set when the effect itself was an unresolved value (the variant assumes this effect). */
  readonly effectUnresolved?: string;
}

/** A statement as written, with every variant its template choices allow. */
export interface ParsedStatementGroup {
  readonly index: number;
  readonly path: string;
  readonly variants: readonly ParsedStatement[];
  /**
   * True when some branch leaves the statement out (NO_VALUE), or the statement list itself
   * was chosen by a template condition: the statement then never applies with certainty.
   */
  readonly partial: boolean;
  /** Template conditions the statement's presence depends on (when `partial`). */
  readonly presenceConditions: readonly string[];
  /** Set when the statement (or the statement list) is wholly unresolved: it could be anything. */
  readonly unresolved?: string;
  /** For an unresolved statement: the template conditions under which it exists. */
  readonly when?: ReadonlyMap<string, boolean>;
}

export interface ParsedPolicy {
  readonly version?: string;
  /** Policy variables are only substituted in version 2012-10-17 documents. */
  readonly variables: boolean;
  readonly statements: readonly ParsedStatementGroup[];
}

export interface ParseOptions extends DocumentOrigin {
  /**
   * 'identity' (default): an identity-based policy or permissions boundary: Resource or
   * NotResource is required, Principal and NotPrincipal are refused (as IAM refuses them).
   * 'any': any policy document (trust and resource-based policies too): a statement may have
   * neither Resource nor NotResource (it then applies to any resource) and may name a principal.
   */
  readonly kind?: 'identity' | 'any';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unresolved) && !(value instanceof Choice);
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== NO_VALUE;
}

/**
 * Parses remembered inside `rememberingParses` (a scan: the loader validates each document and
 * the evaluator's compile parses it again). A parse depends only on the document and `kind`
 * (the options name the place in messages, and a document that parses has no message), so
 * within the scope, where nothing changes the loaded documents, a document is parsed once per
 * kind. Outside it nothing is remembered or looked up: a caller may change a document between
 * two calls. The memo holds documents strongly (a WeakMap's entries survive V8's young
 * collections): its owner clears it when the documents are done with (a scan: at each file).
 */
export class ParseMemo {
  readonly identity = new Map<object, ParsedPolicy>();
  readonly any = new Map<object, ParsedPolicy>();
  clear(): void {
    this.identity.clear();
    this.any.clear();
  }
}

let memo: ParseMemo | undefined;

/** Run `fn` with parses remembered in `into` (see ParseMemo); the documents must not change meanwhile. */
export function rememberingParses<T>(into: ParseMemo, fn: () => T): T {
  const outer = memo;
  memo = into;
  try {
    return fn();
  } finally {
    memo = outer;
  }
}

/** Parse (and validate) a raw policy document. Throws PolicyValidationError. */
export function parsePolicy(document: unknown, options: ParseOptions = {}): ParsedPolicy {
  if (memo !== undefined && typeof document === 'object' && document !== null) {
    const cache = options.kind === 'any' ? memo.any : memo.identity;
    const hit = cache.get(document);
    if (hit) return hit;
    const parsed = parseUncached(document, options);
    cache.set(document, parsed);
    return parsed;
  }
  return parseUncached(document, options);
}

function parseUncached(document: unknown, options: ParseOptions): ParsedPolicy {
  if (!isPlainObject(document)) {
    fail(options, '', `a policy document must be an object with a Statement element; got ${describeType(document)}`);
  }
  for (const key of Object.keys(document)) {
    if (!(DOCUMENT_KEYS as readonly string[]).includes(key)) {
      const s = closestNames(key, DOCUMENT_KEYS);
      fail(options, key, `unknown policy element '${key}'` + (s.length ? ` (did you mean '${s[0]}'?)` : '') + `; a policy document has ${DOCUMENT_KEYS.join(', ')}`);
    }
  }
  const version = own(document, 'Version');
  if (version !== undefined && version !== NO_VALUE && !(version instanceof Unresolved)) {
    if (typeof version !== 'string' || !(VERSIONS as readonly string[]).includes(version)) {
      fail(options, 'Version', `Version must be '2012-10-17' (or the old '2008-10-17'); got ${describeType(version)}`);
    }
  }
  const id = own(document, 'Id');
  if (id !== undefined && id !== NO_VALUE && typeof id !== 'string' && !(id instanceof Unresolved)) {
    fail(options, 'Id', `Id must be a string; got ${describeType(id)}`);
  }
  // Without a Version, IAM reads the policy as 2008-10-17, which has no policy variables.
  // An unresolved Version could be either: treat variables as present (the more permissive reading is
  // not assumed; substitutions that do not resolve make the result conditional anyway).
  const variables = version === '2012-10-17' || version instanceof Unresolved;
  if (!has(document, 'Statement')) fail(options, 'Statement', 'the policy document has no Statement element');
  const statementValue = document['Statement'];
  const statements: ParsedStatementGroup[] = [];

  if (statementValue instanceof Unresolved) {
    statements.push({ index: 0, path: 'Statement', variants: [], partial: true, presenceConditions: [], unresolved: statementValue.description });
    return { variables, statements, ...(typeof version === 'string' ? { version } : {}) };
  }
  if (statementValue instanceof Choice) {
    // The statement list itself is chosen by a template condition: every statement of
    // every branch is present only under its branch.
    for (const lv of expandOuterChoices(statementValue)) {
      if (lv.value instanceof Unresolved) {
        statements.push({ index: 0, path: 'Statement', variants: [], partial: true, presenceConditions: [...lv.when.keys()], unresolved: lv.value.description, when: lv.when });
        continue;
      }
      const conditions = [...lv.when.keys()];
      const single = !Array.isArray(lv.value);
      toList(lv.value).forEach((raw, i) => {
        const group = parseStatementGroup(raw, i, single ? 'Statement' : `Statement[${i}]`, lv.when, options, variables);
        statements.push({ ...group, partial: true, presenceConditions: [...new Set([...conditions, ...group.presenceConditions])] });
      });
    }
  } else if (Array.isArray(statementValue)) {
    if (options.kind !== 'any') checkUniqueSids(statementValue, options);
    statementValue.forEach((raw, i) => {
      if (raw === NO_VALUE) return;
      statements.push(parseStatementGroup(raw, i, `Statement[${i}]`, new Map(), options, variables));
    });
  } else {
    statements.push(parseStatementGroup(statementValue, 0, 'Statement', new Map(), options, variables));
  }
  return { variables, statements, ...(typeof version === 'string' ? { version } : {}) };
}

/**
 * Two statements of one list with the same Sid (IAM: "the Sid value must be unique within a JSON
 * policy"). Only statements that are certainly present are compared: a statement chosen by a
 * template condition may never coexist with the other.
 */
function checkUniqueSids(list: readonly unknown[], options: ParseOptions): void {
  const first = new Map<string, string>();
  list.forEach((raw, i) => {
    if (!isPlainObject(raw)) return;
    const sid = own(raw, 'Sid');
    if (typeof sid !== 'string' || sid === '') return;
    const at = first.get(sid);
    if (at !== undefined) fail(options, `Statement[${i}].Sid`, duplicateSidProblem(sid, at));
    first.set(sid, `Statement[${i}]`);
  });
}

/** Validate a raw policy document; throws PolicyValidationError with the JSON path. */
export function validatePolicy(document: unknown, options: ParseOptions = {}): void {
  parsePolicy(document, options);
}

function parseStatementGroup(
  raw: unknown,
  index: number,
  path: string,
  when: ReadonlyMap<string, boolean>,
  options: ParseOptions,
  variables: boolean,
): ParsedStatementGroup {
  void variables;
  if (raw instanceof Unresolved) {
    return { index, path, variants: [], partial: true, presenceConditions: [...when.keys()], unresolved: raw.description, when };
  }
  const expanded = expandChoices(raw, when);
  if (!expanded) {
    return { index, path, variants: [], partial: true, presenceConditions: [...when.keys()], unresolved: 'too many template choices in the statement' };
  }
  const variants: ParsedStatement[] = [];
  let partial = false;
  const presence = new Set<string>();
  for (const v of expanded) {
    if (v.value === NO_VALUE) {
      partial = true;
      for (const c of v.when.keys()) presence.add(c);
      continue;
    }
    variants.push(...parseStatement(v.value, index, path, v.when, options));
  }
  return { index, path, variants, partial, presenceConditions: [...presence] };
}

function parseStatement(raw: unknown, index: number, path: string, when: ReadonlyMap<string, boolean>, options: ParseOptions): ParsedStatement[] {
  if (!isPlainObject(raw)) fail(options, path, `a statement must be an object; got ${describeType(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!(STATEMENT_KEYS as readonly string[]).includes(key)) {
      const s = closestNames(key, STATEMENT_KEYS);
      fail(options, `${path}.${key}`, `unknown statement element '${key}'` + (s.length ? ` (did you mean '${s[0]}'?)` : '') + `; a statement has ${STATEMENT_KEYS.join(', ')}`);
    }
  }
  const sidValue = own(raw, 'Sid');
  if (sidValue !== undefined && sidValue !== NO_VALUE && typeof sidValue !== 'string' && !(sidValue instanceof Unresolved)) {
    fail(options, `${path}.Sid`, `Sid must be a string; got ${describeType(sidValue)}`);
  }
  const sid = typeof sidValue === 'string' ? sidValue : undefined;
  // IAM's Sid rule is for identity policies; resource-based policies (a KMS key policy's "Enable IAM
  // User Permissions") follow their service's rules.
  if (sid !== undefined && options.kind !== 'any') {
    const p = sidProblem(sid);
    if (p) fail(options, `${path}.Sid`, p);
  }
  if (options.kind !== 'any') {
    for (const element of ['Principal', 'NotPrincipal']) {
      if (has(raw, element)) fail(options, `${path}.${element}`, principalProblem(element));
    }
  }

  if (!has(raw, 'Effect')) fail(options, `${path}.Effect`, "the statement has no Effect (it must be 'Allow' or 'Deny')");
  const effectValue = raw['Effect'];
  let effects: Array<{ effect: Effect; unresolved?: string }>;
  if (effectValue instanceof Unresolved) {
    effects = [
      { effect: 'Allow', unresolved: effectValue.description },
      { effect: 'Deny', unresolved: effectValue.description },
    ];
  } else if (effectValue === 'Allow' || effectValue === 'Deny') {
    effects = [{ effect: effectValue }];
  } else {
    const hint = typeof effectValue === 'string' && ['allow', 'deny'].includes(effectValue.toLowerCase())
      ? ` (Effect is case-sensitive: write '${effectValue[0]!.toUpperCase()}${effectValue.slice(1).toLowerCase()}')`
      : '';
    fail(options, `${path}.Effect`, `Effect must be 'Allow' or 'Deny'; got ${describeType(effectValue)}${hint}`);
  }

  const action = parsePair(raw, path, 'Action', 'NotAction', options, actionProblem, true);
  const resource = parsePair(raw, path, 'Resource', 'NotResource', options, resourceProblem, options.kind !== 'any');
  const conditions = parseConditions(raw, path, options);

  return effects.map(({ effect, unresolved }) => ({
    index,
    path,
    effect,
    action: action!,
    conditions,
    when,
    ...(sid !== undefined ? { sid } : {}),
    ...(resource ? { resource } : {}),
    ...(unresolved !== undefined ? { effectUnresolved: unresolved } : {}),
  }));
}

function parsePair<E extends string>(
  raw: Record<string, unknown>,
  path: string,
  positive: E,
  negative: E,
  options: ParseOptions,
  problem: (value: string) => string | undefined,
  required: boolean,
): ParsedElement<E> | undefined {
  const hasPositive = has(raw, positive);
  const hasNegative = has(raw, negative);
  if (hasPositive && hasNegative) {
    fail(options, `${path}.${negative}`, `a statement cannot have both ${positive} and ${negative}`);
  }
  if (!hasPositive && !hasNegative) {
    if (!required) return undefined;
    fail(options, `${path}.${positive}`, `the statement has neither ${positive} nor ${negative} (one is required)`);
  }
  const element = hasPositive ? positive : negative;
  const value = raw[element];
  const elementPath = `${path}.${element}`;
  // A wholly unknown value may stand for a list; one with known parts is a single string.
  if (value instanceof Unresolved && !value.parts) return { element, values: value };
  if (Array.isArray(value) && value.length === 0) fail(options, elementPath, `${element} must not be an empty list`);
  const values: ElementValue[] = [];
  const list = toList(value);
  list.forEach((v, i) => {
    const at = Array.isArray(value) ? `${elementPath}[${value.indexOf(v) >= 0 ? value.indexOf(v) : i}]` : elementPath;
    if (v instanceof Unresolved) values.push(v);
    else if (typeof v === 'string') {
      const p = problem(v);
      if (p) fail(options, at, `${element} ${p}`);
      values.push(v);
    } else fail(options, at, `${element} must be a string or a list of strings; got ${describeType(v)}`);
  });
  return { element, values };
}

function parseConditions(raw: Record<string, unknown>, path: string, options: ParseOptions): ParsedCondition[] | Unresolved {
  if (!has(raw, 'Condition')) return [];
  const block = raw['Condition'];
  const base = `${path}.Condition`;
  if (block instanceof Unresolved) return block;
  if (!isPlainObject(block)) fail(options, base, `Condition must be an object of operators; got ${describeType(block)}`);
  const out: ParsedCondition[] = [];
  for (const operator of Object.keys(block)) {
    const opPath = `${base}.${operator}`;
    const resolved = resolveOperator(operator);
    if (typeof resolved === 'string') fail(options, opPath, resolved);
    const canonical = `${resolved.set ? `${resolved.set}:` : ''}${resolved.base.name}${resolved.ifExists ? 'IfExists' : ''}`;
    const spelling = operatorSpellingProblem(operator, canonical);
    if (spelling) fail(options, opPath, spelling);
    const entries = block[operator];
    if (entries === NO_VALUE) continue;
    if (entries instanceof Unresolved) {
      out.push({ operator, key: '*', values: entries, path: opPath });
      continue;
    }
    if (!isPlainObject(entries)) fail(options, opPath, `the ${operator} operator must map condition keys to values; got ${describeType(entries)}`);
    const keys = Object.keys(entries);
    if (keys.length === 0) fail(options, opPath, `the ${operator} operator has no condition key`);
    for (const key of keys) {
      const p = conditionKeyProblem(key);
      if (p) fail(options, `${opPath}.${key}`, p);
    }
    for (const [key, earlier] of duplicateKeys(keys)) fail(options, `${opPath}.${key}`, duplicateKeyProblem(key, earlier));
    for (const key of keys) {
      const keyPath = `${opPath}.${key}`;
      const value = entries[key];
      if (value === NO_VALUE) continue;
      if (value instanceof Unresolved && !value.parts) {
        out.push({ operator, key, values: value, path: keyPath });
        continue;
      }
      if (Array.isArray(value) && value.length === 0) fail(options, keyPath, 'a condition value list must not be empty');
      const values: ElementValue[] = [];
      for (const v of toList(value)) {
        if (v instanceof Unresolved) values.push(v);
        else if (typeof v === 'string') values.push(v);
        else if (typeof v === 'number' && Number.isFinite(v)) values.push(String(v));
        else if (typeof v === 'boolean') values.push(v ? 'true' : 'false');
        else fail(options, keyPath, `a condition value must be a string, number or boolean (or a list of them); got ${describeType(v)}`);
      }
      out.push({ operator, key, values, path: keyPath });
    }
  }
  return out;
}
