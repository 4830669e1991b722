/**
 * Compile a subject once: every document parsed and validated, every pattern turned into
 * a matcher, cached in WeakMaps keyed by the subject object and by each document object
 * (so a managed policy shared by many principals compiles once).
 */
import { parsePolicy, type ElementValue, type ParsedPolicy, type ParsedStatement } from '../policy/parse';
import { toPrincipal } from '../policy/principal';
import { Unresolved } from '../policy/symbolic';
import type { AttachedPolicy, Principal, SourceLocation } from '../policy/types';
import { locate, type DocumentOrigin } from '../policy/validate';
import { resourcePattern, type ResourcePattern } from './arn';
import { compileTests, type CompiledConditionEntry } from './condition/modifiers';
import { resolveOperator, type ResolvedOperator } from './condition/registry';
import type { StatementOutcome } from './statement';
import type { Dependency } from './types';
import { parseTemplate, substitute, substituteText, type Template } from './variables';
import { Glob, type Coverage } from './wildcard';

export interface CompiledActionPattern {
  readonly source: string;
  /** Lower-cased glob; for an unresolved pattern, its over-approximation (holes as `*`). */
  readonly glob: Glob;
  /** Unresolved parts, when the pattern is not fully known. */
  readonly holes?: readonly string[];
}

export interface CompiledResourcePattern {
  readonly source: string;
  /** The pattern when it has no variable and no hole (built on first use). */
  fixed?: ResourcePattern;
  /** Codes of a fixed pattern not yet built. */
  readonly fixedCodes?: readonly number[];
  /** The pattern with variables / holes, substituted per request. */
  readonly template?: Template;
  /** Relation to each set of an asked resource (only for fixed patterns; bounded). */
  readonly cache: Map<object, Coverage[]>;
}

export interface CompiledElement<E extends string, P> {
  readonly element: E;
  readonly patterns: readonly P[];
  /** The whole element is an unresolved value: it may match anything. */
  readonly unresolved?: string;
}

export interface CompiledStatement {
  readonly parsed: ParsedStatement;
  readonly action: CompiledElement<'Action' | 'NotAction', CompiledActionPattern>;
  readonly resource?: CompiledElement<'Resource' | 'NotResource', CompiledResourcePattern>;
  readonly conditions: readonly CompiledConditionEntry[];
  readonly conditionsUnresolved?: string;
  /** What this variant's presence depends on (template conditions, an unresolved Effect). */
  readonly variantDependsOn: readonly Dependency[];
  /** The (shared, frozen) outcome when the Action element does not match. */
  readonly actionMissOutcome: StatementOutcome;
}

export interface CompiledGroup {
  readonly index: number;
  readonly path: string;
  readonly sid?: string;
  readonly variants: readonly CompiledStatement[];
  readonly partial: boolean;
  readonly presenceDependsOn: readonly Dependency[];
  readonly unresolved?: string;
  /** For an unresolved statement: the template conditions under which it exists. */
  readonly when?: ReadonlyMap<string, boolean>;
  readonly location: SourceLocation;
}

export interface CompiledPolicy {
  readonly parsed: ParsedPolicy;
  readonly groups: readonly CompiledGroup[];
  /** Lower-cased action -> the groups whose Action/NotAction may match it (bounded memo). */
  readonly candidates: Map<string, readonly Candidate[]>;
}

/** How one statement variant's Action/NotAction relates to an action. */
export interface ActionHit {
  readonly variant: CompiledStatement;
  readonly tri: 'yes' | 'maybe' | 'no';
  readonly pattern?: string;
  readonly dependsOn: readonly Dependency[];
  /** The explanation of the action element for this action (shared). */
  readonly explain: { readonly element: 'Action' | 'NotAction'; readonly pattern?: string; readonly matched: boolean };
}

/** A group whose action element may match, with the per-variant answers. */
export interface Candidate {
  readonly group: CompiledGroup;
  readonly hits: readonly ActionHit[];
}

export interface CompiledAttachment {
  readonly attached: AttachedPolicy;
  /** Undefined when the document is unknown (`unresolved`). */
  readonly policy?: CompiledPolicy;
  readonly unresolved?: string;
  readonly boundary: boolean;
}

export interface CompiledPrincipal {
  readonly principal: Principal;
  readonly policies: readonly CompiledAttachment[];
  readonly boundary?: CompiledAttachment;
}

const principalCache = new WeakMap<object, CompiledPrincipal>();
const documentCache = new WeakMap<object, WeakMap<object, CompiledPolicy>>();
const NO_LOCATIONS = {};

/** Compile (once) and return the subject's compiled form. Throws PolicyValidationError / UsageError. */
export function compilePrincipal(subject: unknown, label?: string): CompiledPrincipal {
  if (typeof subject === 'object' && subject !== null) {
    const cached = principalCache.get(subject);
    if (cached) return cached;
  }
  const principal = toPrincipal(subject, label);
  const compiled: CompiledPrincipal = {
    principal,
    policies: principal.policies.map((p) => compileAttachment(p, false)),
    ...(principal.permissionsBoundary ? { boundary: compileAttachment(principal.permissionsBoundary, true) } : {}),
  };
  if (typeof subject === 'object' && subject !== null) principalCache.set(subject, compiled);
  return compiled;
}

function compileAttachment(attached: AttachedPolicy, boundary: boolean): CompiledAttachment {
  if (attached.unresolved !== undefined || attached.document === undefined) {
    return { attached, boundary, unresolved: attached.unresolved ?? 'the policy document is missing' };
  }
  if (attached.document instanceof Unresolved) {
    return { attached, boundary, unresolved: attached.document.description };
  }
  const doc = attached.document;
  const origin: DocumentOrigin = {
    name: attached.name,
    ...(attached.source ? { source: attached.source } : {}),
    ...(attached.locations ? { locations: attached.locations } : {}),
  };
  // Cache per (document, locations) so that the same document object attached with
  // different source positions keeps its own locations.
  if (typeof doc === 'object' && doc !== null) {
    const locKey = (attached.locations ?? attached.source ?? NO_LOCATIONS) as object;
    let byLoc = documentCache.get(doc);
    const hit = byLoc?.get(locKey);
    if (hit) return { attached, boundary, policy: hit };
    const policy = compilePolicy(doc, origin);
    if (!byLoc) {
      byLoc = new WeakMap();
      documentCache.set(doc, byLoc);
    }
    byLoc.set(locKey, policy);
    return { attached, boundary, policy };
  }
  return { attached, boundary, policy: compilePolicy(doc, origin) };
}

/** Parse, validate and compile one document. */
export function compilePolicy(document: unknown, origin: DocumentOrigin & { readonly kind?: 'identity' | 'any' } = {}): CompiledPolicy {
  const parsed = parsePolicy(document, origin);
  const groups: CompiledGroup[] = parsed.statements.map((g) => {
    const presenceDependsOn: Dependency[] = (g.when ? [] : g.presenceConditions).map((condition) => ({ kind: 'templateCondition' as const, condition }));
    if (g.unresolved !== undefined) presenceDependsOn.push({ kind: 'unresolvedValue', description: g.unresolved });
    const sid = g.variants.find((v) => v.sid !== undefined)?.sid;
    return {
      index: g.index,
      path: g.path,
      variants: g.variants.map((v) => compileStatement(v, parsed.variables)),
      partial: g.partial,
      presenceDependsOn,
      location: locate(origin, g.path),
      ...(sid !== undefined ? { sid } : {}),
      ...(g.unresolved !== undefined ? { unresolved: g.unresolved } : {}),
      ...(g.when ? { when: g.when } : {}),
    };
  });
  return { parsed, groups, candidates: new Map() };
}

function compileStatement(s: ParsedStatement, variables: boolean): CompiledStatement {
  const variantDependsOn: Dependency[] = [...s.when.keys()].map((condition) => ({ kind: 'templateCondition', condition }));
  if (s.effectUnresolved !== undefined) variantDependsOn.push({ kind: 'unresolvedValue', description: s.effectUnresolved });
  const action = compileElement(s.action.element, s.action.values, compileActionPattern);
  const resource = s.resource
    ? compileElement(s.resource.element, s.resource.values, (v) => compileResourcePattern(v, variables))
    : undefined;
  let conditions: CompiledConditionEntry[] = [];
  let conditionsUnresolved: string | undefined;
  if (s.conditions instanceof Unresolved) conditionsUnresolved = s.conditions.description;
  else conditions = s.conditions.map((c) => compileCondition(c.operator, c.key, c.values, c.path, variables));
  const actionMissOutcome: StatementOutcome = Object.freeze({
    applies: 'no' as const,
    action: Object.freeze({ element: action.element, matched: false }),
    mismatch: action.element === 'Action' ? ('actionNotMatched' as const) : ('actionExcluded' as const),
    dependsOn: Object.freeze([]),
    cost: 100,
  });
  return {
    parsed: s,
    action,
    conditions,
    variantDependsOn,
    actionMissOutcome,
    ...(resource ? { resource } : {}),
    ...(conditionsUnresolved !== undefined ? { conditionsUnresolved } : {}),
  };
}

function compileElement<E extends string, P>(
  element: E,
  values: readonly ElementValue[] | Unresolved,
  compile: (v: ElementValue) => P,
): CompiledElement<E, P> {
  if (values instanceof Unresolved) return { element, patterns: [], unresolved: values.description };
  return { element, patterns: values.map(compile) };
}

function compileActionPattern(value: ElementValue): CompiledActionPattern {
  if (typeof value === 'string') return { source: value, glob: Glob.parse(value, true) };
  const template = parseTemplate(value, false);
  const s = substitute(template, undefined, true, true);
  return { source: String(value), glob: new Glob(s.codes), holes: s.holes };
}

function compileResourcePattern(value: ElementValue, variables: boolean): CompiledResourcePattern {
  const template = parseTemplate(value, variables);
  const cache = new Map<object, Coverage[]>();
  if (template.fixed) {
    const s = substitute(template, undefined, true, false);
    return { source: String(value), fixedCodes: s.codes, cache };
  }
  return { source: String(value), template, cache };
}

function compileCondition(
  operator: string,
  key: string,
  values: readonly ElementValue[] | Unresolved,
  path: string,
  variables: boolean,
): CompiledConditionEntry {
  const resolved = resolveOperator(operator) as ResolvedOperator; // validated by parsePolicy
  const relPath = path.slice(path.indexOf('Condition'));
  if (values instanceof Unresolved) {
    return { operator: resolved, key, lowerKey: key.toLowerCase(), written: [String(values)], values: { unresolved: values.description }, path: relPath };
  }
  const allowVars = variables && resolved.base.allowsVariables;
  const templates = values.map((v) => parseTemplate(v, allowVars));
  const entry = { operator: resolved, key, lowerKey: key.toLowerCase(), written: values.map(String), values: templates, path: relPath };
  if (templates.every((t) => t.fixed)) {
    const policyValues = templates.map((t) => {
      const text = substituteText(t, undefined).text;
      const codes = resolved.base.allowsWildcards ? substitute(t, undefined, true, false).codes : [];
      return { text, codes };
    });
    return { ...entry, tests: compileTests(resolved, policyValues) };
  }
  return entry;
}
