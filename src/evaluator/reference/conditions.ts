/**
 * Condition blocks for the reference evaluator, straight from the IAM documentation on
 * condition operators: every operator in a block must hold, every key under an operator
 * must hold, several policy values for one key are alternatives (for a negated operator:
 * the request value must match none of them), `...IfExists` holds when the key is absent,
 * `ForAllValues` holds when every request value passes (vacuously for none), `ForAnyValue`
 * when at least one does.
 */
import { isUnresolved } from '../../policy/symbolic';
import type { Dependency } from '../types';
import { hasHole, holesAsStars, lowerCasePattern, matches, type Pattern, type Token } from './glob';
import { triAll, triAny, triNot, fromBoolean, type Tri } from './tri';
import { lookupKey, policyPattern, type KeyLookup, type RequestContext } from './values';

export interface ConditionScope {
  readonly context: RequestContext;
  /** Policy variables are recognised (document Version 2012-10-17). */
  readonly variables: boolean;
}

type Compare = (requestValue: string, policyValue: unknown, scope: ConditionScope, deps: Dependency[]) => Tri;

interface BaseOperator {
  /** The positive comparison; a negated operator is "not (any policy value matches)". */
  readonly compare: Compare;
  readonly negated: boolean;
}

export class UnknownOperatorError extends Error {
  override name = 'UnknownOperatorError';
}

/** Evaluates a whole Condition element. */
export function evaluateConditionBlock(block: unknown, scope: ConditionScope, deps: Dependency[]): Tri {
  if (block === undefined) return 'yes';
  if (isUnresolved(block)) {
    deps.push({ kind: 'unresolvedValue', description: block.description });
    return 'maybe';
  }
  if (!isPlainObject(block)) throw new UnknownOperatorError('Condition must be an object');
  const results: Tri[] = [];
  for (const operator of Object.keys(block)) {
    const keys = block[operator];
    if (isUnresolved(keys)) {
      deps.push({ kind: 'unresolvedValue', description: keys.description });
      results.push('maybe');
      continue;
    }
    if (!isPlainObject(keys)) throw new UnknownOperatorError(`Condition.${operator} must be an object`);
    for (const key of Object.keys(keys)) {
      results.push(evaluateCondition(operator, key, keys[key], scope, deps));
    }
  }
  return triAll(results);
}

/** One operator applied to one key. */
export function evaluateCondition(operator: string, key: string, rawValues: unknown, scope: ConditionScope, deps: Dependency[]): Tri {
  const { set, base, ifExists } = parseOperator(operator);
  const policyValues: unknown[] = Array.isArray(rawValues) ? rawValues : [rawValues];
  const request = withoutEmptyValues(lookupKey(scope.context, key), set !== undefined || base === 'null');
  const local: Dependency[] = [];
  let result: Tri;

  if (base === 'null') {
    if (request.kind === 'unknown') {
      local.push({ kind: 'conditionKey', key, operator });
      result = 'maybe';
    } else {
      const present = request.kind === 'present';
      result = triAny(
        policyValues.map((v): Tri => {
          if (isUnresolved(v)) {
            local.push({ kind: 'unresolvedValue', description: v.description });
            return 'maybe';
          }
          const text = String(v).toLowerCase();
          return text === 'true' ? fromBoolean(!present) : text === 'false' ? fromBoolean(present) : 'no';
        }),
      );
    }
  } else {
    const op = OPERATORS[base];
    if (!op) throw new UnknownOperatorError(`Unknown condition operator '${operator}'`);
    if (request.kind === 'unknown') {
      local.push({ kind: 'conditionKey', key, operator });
      result = 'maybe';
    } else if (request.kind === 'absent') {
      if (ifExists) result = 'yes';
      else if (set === 'all') result = 'yes';
      else if (set === 'any') result = 'no';
      else result = op.negated ? 'yes' : 'no';
    } else {
      const anyPolicyValue = (v: string): Tri => triAny(policyValues.map((p) => op.compare(v, p, scope, local)));
      const passes = (v: string): Tri => (op.negated ? triNot(anyPolicyValue(v)) : anyPolicyValue(v));
      if (set === 'all') result = triAll(request.values.map(passes));
      else if (set === 'any') result = triAny(request.values.map(passes));
      else {
        // a plain operator on several request values: "the request's value matches" when any does
        const anyMatch = triAny(request.values.map(anyPolicyValue));
        result = op.negated ? triNot(anyMatch) : anyMatch;
      }
    }
  }
  if (result === 'maybe') deps.push(...local);
  return result;
}

/**
 * The multivalued-context-key page
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
 * warns that with ForAllValues "missing context keys or context keys with empty values"
 * evaluate to true, and that a Null "false" check (the key exists and its value is not null)
 * prevents it; ForAnyValue is false for a null dataset. So for the set operators and Null an
 * empty string is no value: only-empty values are an absent key, other empty strings are
 * left out of the request's set.
 */
function withoutEmptyValues(lookup: KeyLookup, applies: boolean): KeyLookup {
  if (!applies || lookup.kind !== 'present') return lookup;
  const values = lookup.values.filter((v) => v !== '');
  return values.length === 0 ? { kind: 'absent' } : { kind: 'present', values };
}

function parseOperator(operator: string): { set?: 'all' | 'any'; base: string; ifExists: boolean } {
  let name = operator;
  let set: 'all' | 'any' | undefined;
  const colon = name.indexOf(':');
  if (colon >= 0) {
    const prefix = name.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') set = 'all';
    else if (prefix === 'foranyvalue') set = 'any';
    else throw new UnknownOperatorError(`Unknown set operator in '${operator}'`);
    name = name.slice(colon + 1);
  }
  let base = name.toLowerCase();
  let ifExists = false;
  if (base.endsWith('ifexists')) {
    ifExists = true;
    base = base.slice(0, -'ifexists'.length);
  }
  return { set, base, ifExists };
}

// ---- comparisons ---------------------------------------------------------------------

/** Compare a request value with a policy value as text (with variables, maybe wildcards). */
function textCompare(options: { wildcards: boolean; ignoreCase: boolean; variables: boolean }): Compare {
  return (requestValue, policyValue, scope, deps) => {
    let pattern = policyPattern(policyValue, { wildcards: options.wildcards, variables: options.variables && scope.variables, context: scope.context }, deps);
    if (pattern === null) return 'no';
    let text = requestValue;
    if (options.ignoreCase) {
      pattern = lowerCasePattern(pattern);
      text = text.toLowerCase();
    }
    if (hasHole(pattern)) return matches(holesAsStars(pattern), text) ? 'maybe' : 'no';
    return fromBoolean(matches(pattern, text));
  };
}

/** ARN operators: each of the six colon-separated parts is matched on its own, case-sensitively. */
const arnCompare: Compare = (requestValue, policyValue, scope, deps) => {
  const pattern = policyPattern(policyValue, { wildcards: true, variables: scope.variables, context: scope.context }, deps);
  if (pattern === null) return 'no';
  if (hasHole(pattern)) return matches(holesAsStars(pattern), requestValue) ? 'maybe' : 'no';
  const patternParts = splitArnPattern(pattern);
  const valueParts = splitArn(requestValue);
  if (!patternParts || !valueParts) return 'no';
  return fromBoolean(patternParts.every((part, i) => matches(part, valueParts[i]!)));
};

function splitArn(text: string): string[] | undefined {
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function splitArnPattern(pattern: Pattern): Pattern[] | undefined {
  const parts: Token[][] = [[]];
  for (const t of pattern) {
    if (t === ':' && parts.length < 6) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.length === 6 ? parts : undefined;
}

function scalar(policyValue: unknown, deps: Dependency[]): string | 'unknown' | undefined {
  if (isUnresolved(policyValue)) {
    deps.push({ kind: 'unresolvedValue', description: policyValue.description });
    return 'unknown';
  }
  if (typeof policyValue === 'string' || typeof policyValue === 'number' || typeof policyValue === 'boolean') return String(policyValue);
  return undefined;
}

function parseNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A date value as nanoseconds since 1970-01-01T00:00:00Z. The condition-operator page
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date)
 * asks for "one of the W3C implementations of the ISO 8601 date formats" or "epoch (UNIX)
 * time". The W3C note (https://www.w3.org/TR/NOTE-datetime) lists YYYY, YYYY-MM, YYYY-MM-DD,
 * and the date with hh:mm, hh:mm:ss or hh:mm:ss.s and a zone (Z, +hh:mm, -hh:mm). A shorter
 * form is the first instant it names (UTC). A run of digits other than four is epoch
 * seconds (four digits are a year). Also read: no zone (UTC), "t" or a space before the
 * time, "z", "+hhmm". Anything else is not a date.
 */
function parseDate(text: string): bigint | undefined {
  const t = text.trim();
  if (t !== '' && [...t].every((ch) => ch >= '0' && ch <= '9') && t.length !== 4) return BigInt(t) * 1_000_000_000n;
  const [datePart, timePart, ...rest] = t.split(/[Tt ]/);
  if (datePart === undefined || rest.length > 0 || timePart === '') return undefined;
  const fields = datePart.split('-');
  if (fields.length > 3 || fields.some((f, i) => !/^\d+$/.test(f) || f.length !== (i === 0 ? 4 : 2))) return undefined;
  if (timePart !== undefined && fields.length !== 3) return undefined;
  const [year, month = 1, day = 1] = fields.map(Number) as [number, number?, number?];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day < 1 || day > monthDays[month - 1]!) return undefined;
  let seconds = BigInt(daysFromCivil(year, month, day)) * 86_400n;
  let nanos = 0n;
  if (timePart !== undefined) {
    const zoneAt = timePart.search(/[Zz+-]/);
    const clock = zoneAt < 0 ? timePart : timePart.slice(0, zoneAt);
    const zone = zoneAt < 0 ? '' : timePart.slice(zoneAt);
    const [hms, fraction, ...more] = clock.split('.');
    if (hms === undefined || more.length > 0 || (fraction !== undefined && !/^\d+$/.test(fraction))) return undefined;
    const parts = hms.split(':');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^\d{2}$/.test(p))) return undefined;
    if (fraction !== undefined && parts.length !== 3) return undefined;
    const [h, m, sec = 0] = parts.map(Number) as [number, number, number?];
    if (h > 23 || m > 59 || sec > 59) return undefined;
    seconds += BigInt(h * 3600 + m * 60 + sec);
    if (fraction !== undefined) nanos = BigInt(fraction.padEnd(9, '0').slice(0, 9));
    if (zone !== '' && zone !== 'Z' && zone !== 'z') {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
      if (!z || Number(z[2]) > 23 || Number(z[3]) > 59) return undefined;
      const offset = BigInt(Number(z[2]) * 3600 + Number(z[3]) * 60);
      seconds += z[1] === '+' ? -offset : offset;
    }
  }
  return seconds * 1_000_000_000n + nanos;
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's civil-day algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function ordered<N>(parse: (t: string) => N | undefined, test: (request: N, policy: N) => boolean): Compare {
  return (requestValue, policyValue, _scope, deps) => {
    const p = scalar(policyValue, deps);
    if (p === 'unknown') return 'maybe';
    if (p === undefined) return 'no';
    const a = parse(requestValue);
    const b = parse(p);
    if (a === undefined || b === undefined) return 'no';
    return fromBoolean(test(a, b));
  };
}

const boolCompare: Compare = (requestValue, policyValue, _scope, deps) => {
  const p = scalar(policyValue, deps);
  if (p === 'unknown') return 'maybe';
  if (p === undefined) return 'no';
  return fromBoolean(p.toLowerCase() === requestValue.toLowerCase());
};

const binaryCompare: Compare = (requestValue, policyValue, _scope, deps) => {
  const p = scalar(policyValue, deps);
  if (p === 'unknown') return 'maybe';
  if (p === undefined) return 'no';
  return fromBoolean(p === requestValue);
};

const ipCompare: Compare = (requestValue, policyValue, _scope, deps) => {
  const p = scalar(policyValue, deps);
  if (p === 'unknown') return 'maybe';
  if (p === undefined) return 'no';
  const range = parseCidr(p);
  const ip = parseIp(requestValue);
  if (!range || !ip || range.bits !== ip.bits) return 'no';
  const shift = BigInt(ip.bits - range.prefix);
  return fromBoolean(ip.value >> shift === range.value >> shift);
};

interface IpValue {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

function parseIp(text: string): IpValue | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): IpValue | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256n + BigInt(Number(part));
  }
  return { bits: 32, value };
}

function parseIpv6(text: string): IpValue | undefined {
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  // an IPv4 tail ("::ffff:10.0.0.1") counts as two groups
  const expand = (list: string[]): string[] | undefined => {
    const last = list[list.length - 1];
    if (last === undefined || !last.includes('.')) return list;
    const v4 = parseIpv4(last);
    if (!v4) return undefined;
    return [...list.slice(0, -1), ((v4.value >> 16n) & 0xffffn).toString(16), (v4.value & 0xffffn).toString(16)];
  };
  const h = halves.length === 2 ? head : expand(head);
  const t = expand(tail);
  if (!h || !t) return undefined;
  if (halves.length === 2) {
    const missing = 8 - h.length - t.length;
    if (missing < 1) return undefined;
    groups = [...h, ...Array<string>(missing).fill('0'), ...t];
  } else {
    groups = h;
  }
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) + BigInt(parseInt(g, 16));
  }
  return { bits: 128, value };
}

function parseCidr(text: string): { bits: 32 | 128; prefix: number; value: bigint } | undefined {
  const [address, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || address === undefined) return undefined;
  const ip = parseIp(address);
  if (!ip) return undefined;
  if (prefixText === undefined) return { ...ip, prefix: ip.bits };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > ip.bits) return undefined;
  return { ...ip, prefix };
}

const stringEquals = textCompare({ wildcards: false, ignoreCase: false, variables: true });
const stringEqualsIgnoreCase = textCompare({ wildcards: false, ignoreCase: true, variables: true });
const stringLike = textCompare({ wildcards: true, ignoreCase: false, variables: true });
const numeric = (test: (a: number, b: number) => boolean): Compare => ordered(parseNumber, test);
const date = (test: (a: bigint, b: bigint) => boolean): Compare => ordered(parseDate, test);

/** Lower-case operator name (without ForAllValues:/ForAnyValue: and IfExists) to its definition. */
const OPERATORS: Readonly<Record<string, BaseOperator>> = {
  stringequals: { compare: stringEquals, negated: false },
  stringnotequals: { compare: stringEquals, negated: true },
  stringequalsignorecase: { compare: stringEqualsIgnoreCase, negated: false },
  stringnotequalsignorecase: { compare: stringEqualsIgnoreCase, negated: true },
  stringlike: { compare: stringLike, negated: false },
  stringnotlike: { compare: stringLike, negated: true },
  numericequals: { compare: numeric((a, b) => a === b), negated: false },
  numericnotequals: { compare: numeric((a, b) => a === b), negated: true },
  numericlessthan: { compare: numeric((a, b) => a < b), negated: false },
  numericlessthanequals: { compare: numeric((a, b) => a <= b), negated: false },
  numericgreaterthan: { compare: numeric((a, b) => a > b), negated: false },
  numericgreaterthanequals: { compare: numeric((a, b) => a >= b), negated: false },
  dateequals: { compare: date((a, b) => a === b), negated: false },
  datenotequals: { compare: date((a, b) => a === b), negated: true },
  datelessthan: { compare: date((a, b) => a < b), negated: false },
  datelessthanequals: { compare: date((a, b) => a <= b), negated: false },
  dategreaterthan: { compare: date((a, b) => a > b), negated: false },
  dategreaterthanequals: { compare: date((a, b) => a >= b), negated: false },
  bool: { compare: boolCompare, negated: false },
  binaryequals: { compare: binaryCompare, negated: false },
  ipaddress: { compare: ipCompare, negated: false },
  notipaddress: { compare: ipCompare, negated: true },
  arnequals: { compare: arnCompare, negated: false },
  arnlike: { compare: arnCompare, negated: false },
  arnnotequals: { compare: arnCompare, negated: true },
  arnnotlike: { compare: arnCompare, negated: true },
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export { isPlainObject };
