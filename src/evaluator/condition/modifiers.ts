/**
 * The set operators and IfExists around a base operator, and the three-valued evaluation
 * of one condition entry (operator, key, values) against the request context.
 *
 * Let V be the key's values in the context and P the policy values; a value v "matches"
 * when some p in P tests true (for a negated operator: when none does).
 * - key not given in the context: unknown (the real request may or may not carry it);
 * - key given as absent (`[]`): `...IfExists` true; ForAllValues true; ForAnyValue false;
 *   a plain positive operator false, a plain negated one true; Null "true" holds;
 * - for ForAllValues/ForAnyValue and Null, an empty-string value is no value: `['']` is
 *   read as absent (a "null dataset, such as an empty string", on AWS's page on multivalued
 *   context keys) and `['team', '']` as `['team']`; plain operators compare '' as text;
 * - otherwise: ForAllValues: every v matches; ForAnyValue: some v matches; plain
 *   positive: some v matches; plain negated: every v matches (no v equals any p).
 * Variables in policy values that the context does not give, and unresolved template
 * values, make the entry unknown.
 */
import type { Dependency } from '../types';
import { substitute, type Context, type Template } from '../variables';
import { Glob } from '../wildcard';
import type { PolicyValue } from './operator';
import type { ResolvedOperator } from './registry';

export interface CompiledConditionEntry {
  readonly operator: ResolvedOperator;
  /** The key as written. */
  readonly key: string;
  readonly lowerKey: string;
  /** Policy values as written (for explanations). */
  readonly written: readonly string[];
  /** The values, or the description of an unresolved value standing for all of them. */
  readonly values: readonly Template[] | { readonly unresolved: string };
  /** Precompiled tests when every value is fixed text. */
  readonly tests?: ReadonlyArray<(c: string) => boolean>;
  /** JSON path relative to the statement: `Condition.StringEquals.aws:RequestedRegion`. */
  readonly path: string;
}

export interface EntryResult {
  readonly result: boolean | 'unknown';
  readonly contextValue?: readonly string[];
  readonly dependsOn: readonly Dependency[];
}

/**
 * A test that holds for every context value the policy value might match once its unknown
 * parts are known: unknown parts become `*` (spanning anything, colons included).
 */
function overApproximation(family: string, name: string, template: Template, context: Context): (c: string) => boolean {
  if (family !== 'String' && family !== 'Arn') return () => true;
  const ignoreCase = name.toLowerCase().includes('ignorecase');
  // Wildcards in the text count only for the Like/Arn operators; StringEquals keeps them literal.
  const wildcards = family === 'Arn' || name.toLowerCase().includes('like');
  const s = substitute(template, context, wildcards, ignoreCase);
  const glob = new Glob(s.codes);
  return ignoreCase ? (c) => glob.matches(c.toLowerCase()) : (c) => glob.matches(c);
}

export function compileTests(operator: ResolvedOperator, values: readonly PolicyValue[]): Array<(c: string) => boolean> {
  return values.map((v) => operator.base.compile(v));
}

function toPolicyValue(template: Template, context: Context | undefined, wildcards: boolean): PolicyValue & { unknown: string[]; holes: string[]; failed: boolean } {
  const s = substitute(template, context, wildcards, false);
  const textCodes = wildcards ? substitute(template, context, false, false).codes : s.codes;
  return {
    text: textCodes.map((c) => (c < 0 ? '*' : String.fromCharCode(c))).join(''),
    codes: s.codes,
    unknown: s.unknownVariables,
    holes: s.holes,
    failed: s.failed,
  };
}

export function evaluateEntry(entry: CompiledConditionEntry, context: Context): EntryResult {
  const op = entry.operator;
  const unresolved = 'length' in entry.values ? undefined : entry.values.unresolved;
  const given = context.get(entry.lowerKey);
  if (given === undefined) {
    const deps: Dependency[] = [{ kind: 'conditionKey', key: entry.key, operator: op.written }];
    if (unresolved !== undefined) deps.push({ kind: 'unresolvedValue', description: unresolved });
    return { result: 'unknown', dependsOn: deps };
  }
  // An empty string is no value for the set operators and for Null: the request's set is what
  // is left, and a key holding only empty strings "resolves to a null dataset" (as absent).
  const values = op.set !== undefined || op.base.family === 'Null' ? withoutEmpty(given) : given;
  // An absent key decides without the policy values (except for Null, which tests them).
  if (unresolved !== undefined && (values.length > 0 || op.base.family === 'Null')) {
    return { result: 'unknown', contextValue: values, dependsOn: [{ kind: 'unresolvedValue', description: unresolved }] };
  }
  if (op.base.family === 'Null') {
    const present = values.length > 0;
    const state = present ? 'present' : 'absent';
    const holds = (entry.values as readonly Template[]).some((t) => op.base.compile({ text: t.source, codes: [] })(state));
    return { result: holds, contextValue: given, dependsOn: [] };
  }
  if (values.length === 0) {
    let result: boolean;
    if (op.ifExists) result = true;
    else if (op.set === 'ForAllValues') result = true;
    else if (op.set === 'ForAnyValue') result = false;
    else result = op.base.negated;
    return { result, contextValue: given, dependsOn: [] };
  }
  // Known tests, plus the policy values that could not be made known (unknown variables or
  // holes): a known value can still decide (a positive match is enough; for a negated
  // operator a match is enough to fail).
  let tests = entry.tests;
  let unknownDeps: Dependency[] = [];
  // For values not fully known: a test that is false only when the value certainly cannot
  // match (unknown parts read as "anything", literal parts kept).
  const possible: Array<(c: string) => boolean> = [];
  if (!tests) {
    const compiled: Array<(c: string) => boolean> = [];
    for (const template of entry.values as readonly Template[]) {
      const pv = toPolicyValue(template, op.base.allowsVariables ? context : undefined, op.base.allowsWildcards);
      if (pv.failed) continue;
      if (pv.unknown.length || pv.holes.length) {
        for (const v of pv.unknown) unknownDeps.push({ kind: 'policyVariable', variable: v });
        for (const h of pv.holes) unknownDeps.push({ kind: 'unresolvedValue', description: h });
        possible.push(overApproximation(op.base.family, op.base.name, template, context));
        continue;
      }
      compiled.push(op.base.compile(pv));
    }
    tests = compiled;
  }
  const negated = op.base.negated;
  // Per context value: does it "match" (true / false / unknown)?
  const valueMatches = (v: string): boolean | 'unknown' => {
    for (const t of tests!) if (t(v)) return !negated;
    for (const p of possible) if (p(v)) return 'unknown';
    return negated;
  };
  const all = op.set === 'ForAllValues' || (op.set === undefined && negated);
  let result: boolean | 'unknown' = all;
  for (const v of values) {
    const m = valueMatches(v);
    if (all) {
      if (m === false) {
        result = false;
        break;
      }
      if (m === 'unknown') result = 'unknown';
    } else {
      if (m === true) {
        result = true;
        break;
      }
      if (m === 'unknown') result = 'unknown';
    }
  }
  if (result !== 'unknown') unknownDeps = [];
  return { result, contextValue: given, dependsOn: unknownDeps };
}

function withoutEmpty(values: readonly string[]): readonly string[] {
  return values.includes('') ? values.filter((v) => v !== '') : values;
}
