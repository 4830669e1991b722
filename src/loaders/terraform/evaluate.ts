/**
 * Static evaluation of HCL expressions (Terraform's expression language,
 * https://developer.hashicorp.com/terraform/language/expressions): literals, collections,
 * string templates, operators, conditionals, `for` expressions, splats, references through a
 * `Scope` (variables, locals, resources, modules), and the functions listed in `FUNCTIONS`.
 *
 * What cannot be known before apply, or that this evaluator does not evaluate, is an `Unknown`
 * naming the `.tf` file:line and the expression. Unknowns spread: an operation on one is unknown;
 * a collection keeps its known elements.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { Unresolved } from '../../policy/symbolic';
import { parseJson } from '../json';
import { SourceMap, setOwn } from '../source';
import type { HclNode } from './hcl';

export class Unknown {
  constructor(
    readonly why: string,
    /** An evaluation error (a missing attribute or key, an index out of range): what `try()` moves past. */
    readonly error = false,
  ) {}
}

/** `jsonencode(...)` / an `aws_iam_policy_document`'s `json`: the document (for positions) and its text when fully known. */
export class JsonText {
  constructor(
    readonly doc: unknown,
    readonly text: string | undefined,
    readonly why?: string,
  ) {}
}

/** A reference to something whose attributes the scope reads on demand (a resource, a module call). */
export interface Ref {
  readonly kind: 'ref';
  /** `aws_iam_role.agent["eu"]`: for messages. */
  readonly label: string;
  attr(name: string, at: string): Value;
}

export type Obj = { [key: string]: Value };
export type Value = null | string | number | boolean | Value[] | Obj | Unknown | JsonText | Ref;

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof JsonText) && (v as Ref).kind !== 'ref';
export const isRef = (v: unknown): v is Ref => typeof v === 'object' && v !== null && (v as Ref).kind === 'ref' && typeof (v as Ref).attr === 'function';

export function obj(): Obj {
  return Object.create(null) as Obj;
}

/** What an expression can see. */
export interface Scope {
  readonly file: string;
  readonly text: string;
  /** The module directory (`path.module`) and the root's (`path.root`). */
  readonly moduleDir: string;
  readonly rootDir: string;
  /** Names bound by `for` expressions, `each`, `count`, dynamic block iterators. */
  readonly bound: ReadonlyMap<string, Value>;
  /** `var`, `local`, `module`, `data`, a resource type: the value after `steps[0..used]`. */
  resolve(root: string, steps: readonly Step[], at: string): { value: Value; used: number };
  /** Files `file()`/`templatefile()` may read: inside the root. */
  readonly maxFileBytes: number;
}

export type Step = { readonly kind: 'attr'; readonly name: string } | { readonly kind: 'index'; readonly key: Value } | { readonly kind: 'splat'; readonly steps: readonly Step[] };

export function withBound(scope: Scope, names: ReadonlyMap<string, Value>): Scope {
  const bound = new Map(scope.bound);
  for (const [k, v] of names) bound.set(k, v);
  return { ...scope, bound, resolve: scope.resolve };
}

const kids = (n: HclNode): readonly HclNode[] => n.kids;
const src = (scope: Scope, n: HclNode): string => scope.text.slice(n.start, n.end);
export function where(scope: Scope, n: HclNode): string {
  return `${scope.file}:${n.line}`;
}
function shortText(scope: Scope, n: HclNode): string {
  const t = src(scope, n).replace(/\s+/g, ' ');
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}
function unknownAt(scope: Scope, n: HclNode, reason: string, error = false): Unknown {
  return new Unknown(`${where(scope, n)}: ${shortText(scope, n)} ${reason}`, error);
}

/** The first unknown inside a value (deep), if any. */
export function firstUnknown(v: Value, depth = 0): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (depth > 200) return new Unknown('a value nested too deeply');
  if (v instanceof JsonText) return v.text === undefined ? new Unknown(v.why ?? 'a JSON document with unknown parts') : undefined;
  if (isRef(v)) return new Unknown(`${v.label} (an object known only after apply)`);
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnknown(x, depth + 1);
      if (u) return u;
    }
  } else if (isObj(v)) {
    for (const k of Object.keys(v)) {
      const u = firstUnknown(v[k]!, depth + 1);
      if (u) return u;
    }
  }
  return undefined;
}

/** As a string value (JsonText -> its text). */
function asText(v: Value): Value {
  if (v instanceof JsonText) return v.text ?? new Unknown(v.why ?? 'a JSON document with unknown parts');
  if (isRef(v)) return new Unknown(`${v.label} (an object known only after apply)`);
  return v;
}

function toStr(v: Value, scope: Scope, n: HclNode): string | Unknown {
  v = asText(v);
  if (v instanceof Unknown) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return unknownAt(scope, n, 'is null where a string is needed');
  return unknownAt(scope, n, 'is a collection where a string is needed');
}

/** Evaluate an `expression` node (or any expression term). */
export function evaluate(n: HclNode, scope: Scope, depth = 0): Value {
  if (depth > 400) return unknownAt(scope, n, 'is nested too deeply to evaluate');
  const d = depth + 1;
  switch (n.type) {
    case 'expression':
      return evalSeq(n.children, scope, d, n);
    case 'literal_value':
      return evaluate(kids(n)[0]!, scope, d);
    case 'numeric_lit':
      return Number(src(scope, n));
    case 'bool_lit':
      return src(scope, n) === 'true';
    case 'null_lit':
      return null;
    case 'string_lit':
    case 'quoted_template':
    case 'heredoc_template':
      return template(n, scope, d);
    case 'template_expr':
      return evaluate(kids(n)[0]!, scope, d);
    case 'collection_value':
      return evaluate(kids(n)[0]!, scope, d);
    case 'tuple': {
      const items = kids(n).filter((c) => c.type === 'expression');
      const out = items.map((c) => evaluate(c, scope, d));
      origins.set(out, { file: scope.file, line: n.line, column: n.column, keys: new Map(items.map((c, i) => [i, { line: c.line, column: c.column }])) });
      return out;
    }
    case 'object': {
      const out = obj();
      const keys = new Map<string | number, { line: number; column: number }>();
      for (const el of kids(n).filter((c) => c.type === 'object_elem')) {
        const [k, v] = kids(el).filter((c) => c.type === 'expression');
        if (!k || !v) continue;
        const key = objectKey(k, scope, d);
        if (key instanceof Unknown) return key;
        setOwn(out, key, evaluate(v, scope, d));
        keys.set(key, { line: el.line, column: el.column });
      }
      origins.set(out, { file: scope.file, line: n.line, column: n.column, keys });
      return out;
    }
    case 'variable_expr':
      return evalSeq([n], scope, d, n);
    case 'function_call':
      return callFunction(n, scope, d);
    case 'conditional': {
      const [c, a, b] = kids(n).filter((x) => x.type === 'expression');
      const cond = evaluate(c!, scope, d);
      if (cond instanceof Unknown) return new Unknown(`${cond.why} (the condition of ${where(scope, n)})`);
      if (typeof cond !== 'boolean') return unknownAt(scope, c!, 'is not a bool');
      return evaluate(cond ? a! : b!, scope, d);
    }
    case 'operation':
      return evaluate(kids(n)[0]!, scope, d);
    case 'unary_operation': {
      const op = n.children.find((c) => !c.named)!;
      const v = evalSeq(n.children.filter((c) => c !== op), scope, d, n);
      if (v instanceof Unknown) return v;
      if (src(scope, op) === '!') return typeof v === 'boolean' ? !v : unknownAt(scope, n, 'negates a value that is not a bool');
      return typeof v === 'number' ? -v : unknownAt(scope, n, 'negates a value that is not a number');
    }
    case 'binary_operation':
      return binary(n, scope, d);
    case 'for_expr':
      return forExpr(kids(n)[0]!, scope, d);
    default:
      return unknownAt(scope, n, `(${n.type}) is not evaluated`);
  }
}

function objectKey(k: HclNode, scope: Scope, d: number): string | Unknown {
  // A bare identifier key is the name itself; anything else is an expression.
  const ks = kids(k);
  if (ks.length === 1 && ks[0]!.type === 'variable_expr' && k.children.length === 1) return src(scope, ks[0]!);
  const v = evaluate(k, scope, d);
  if (v instanceof Unknown) return v;
  return toStr(v, scope, k);
}

const BINARY = new Set(['||', '&&', '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%']);

function binary(n: HclNode, scope: Scope, d: number): Value {
  // Operands are flattened into the node; the operator is the top-level anonymous token (parentheses balanced).
  let paren = 0;
  let opAt = -1;
  n.children.forEach((c, i) => {
    if (c.named || opAt >= 0) return;
    const t = src(scope, c);
    if (t === '(') paren++;
    else if (t === ')') paren--;
    else if (paren === 0 && BINARY.has(t) && i > 0) opAt = i;
  });
  if (opAt < 0) return unknownAt(scope, n, 'is an operation this evaluator does not read');
  const op = src(scope, n.children[opAt]!);
  const l = evalSeq(n.children.slice(0, opAt), scope, d, n);
  if (op === '&&' && l === false) return false;
  if (op === '||' && l === true) return true;
  const r = evalSeq(n.children.slice(opAt + 1), scope, d, n);
  if (l instanceof Unknown) return l;
  if (r instanceof Unknown) return r;
  switch (op) {
    case '&&':
    case '||':
      if (typeof l !== 'boolean' || typeof r !== 'boolean') return unknownAt(scope, n, 'applies a logical operator to a value that is not a bool');
      return op === '&&' ? l && r : l || r;
    case '==':
    case '!=': {
      const u = firstUnknown(l) ?? firstUnknown(r);
      if (u) return u;
      const eq = JSON.stringify(plain(l)) === JSON.stringify(plain(r));
      return op === '==' ? eq : !eq;
    }
    default: {
      const a = typeof l === 'string' && /^-?\d+(\.\d+)?$/.test(l) ? Number(l) : l;
      const b = typeof r === 'string' && /^-?\d+(\.\d+)?$/.test(r) ? Number(r) : r;
      if (typeof a !== 'number' || typeof b !== 'number') return unknownAt(scope, n, 'applies an arithmetic operator to a value that is not a number');
      switch (op) {
        case '<': return a < b;
        case '>': return a > b;
        case '<=': return a <= b;
        case '>=': return a >= b;
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0 ? unknownAt(scope, n, 'divides by zero') : a / b;
        default: return b === 0 ? unknownAt(scope, n, 'divides by zero') : a % b;
      }
    }
  }
}

function plain(v: Value): unknown {
  if (v instanceof JsonText) return v.text;
  if (Array.isArray(v)) return v.map(plain);
  if (isObj(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = plain(v[k]!);
    return o;
  }
  return v;
}

/** A term followed by attribute/index/splat steps (or `( expression )` followed by steps). */
function evalSeq(nodes: readonly HclNode[], scope: Scope, d: number, whole: HclNode): Value {
  let i = 0;
  let value: Value;
  const first = nodes[0];
  if (!first) return unknownAt(scope, whole, 'is empty');
  if (!first.named && scope.text.slice(first.start, first.end) === '(') {
    value = evaluate(nodes[1]!, scope, d);
    i = 3;
  } else if (first.type === 'variable_expr') {
    const name = src(scope, first);
    const steps = stepsOf(nodes.slice(1), scope, d);
    if (steps instanceof Unknown) return steps;
    if (scope.bound.has(name)) return applySteps(scope.bound.get(name)!, steps, scope, whole);
    const r = scope.resolve(name, steps, `${where(scope, whole)}: ${shortText(scope, whole)}`);
    return applySteps(r.value, steps.slice(r.used), scope, whole);
  } else {
    value = evaluate(first, scope, d);
    i = 1;
  }
  const steps = stepsOf(nodes.slice(i), scope, d);
  if (steps instanceof Unknown) return steps;
  return applySteps(value, steps, scope, whole);
}

function stepsOf(nodes: readonly HclNode[], scope: Scope, d: number): Step[] | Unknown {
  const out: Step[] = [];
  for (const n of nodes) {
    if (!n.named) continue;
    if (n.type === 'get_attr') out.push({ kind: 'attr', name: src(scope, kids(n)[0]!) });
    else if (n.type === 'index') {
      const inner = kids(n)[0]!;
      if (inner.type === 'legacy_index') out.push({ kind: 'index', key: Number(src(scope, inner).replace(/^\./, '')) });
      else out.push({ kind: 'index', key: evaluate(kids(inner)[0]!, scope, d) });
    } else if (n.type === 'splat') {
      const s = kids(n)[0]!;
      const inner = stepsOf(s.children, scope, d);
      if (inner instanceof Unknown) return inner;
      out.push({ kind: 'splat', steps: inner });
    } else return new Unknown(`${where(scope, n)}: ${shortText(scope, n)} (${n.type}) is not evaluated`);
  }
  return out;
}

export function applySteps(value: Value, steps: readonly Step[], scope: Scope, whole: HclNode): Value {
  let v = value;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (v instanceof Unknown) return v;
    if (s.kind === 'splat') {
      const list = v === null ? [] : Array.isArray(v) ? v : [v];
      const rest = steps.slice(i + 1);
      return list.map((x) => applySteps(applySteps(x, s.steps, scope, whole), [], scope, whole)).map((x) => (rest.length ? applySteps(x, rest, scope, whole) : x));
    }
    if (isRef(v)) {
      if (s.kind !== 'attr') return unknownAt(scope, whole, `indexes ${v.label}, which is not a collection`);
      v = v.attr(s.name, `${where(scope, whole)}: ${shortText(scope, whole)}`);
      continue;
    }
    if (v instanceof JsonText) v = asText(v);
    if (s.kind === 'attr') {
      if (!isObj(v)) return unknownAt(scope, whole, `reads .${s.name} of a value that is not an object`, true);
      if (!Object.prototype.hasOwnProperty.call(v, s.name)) return unknownAt(scope, whole, `reads .${s.name}, which the object does not have`, true);
      v = v[s.name]!;
    } else {
      const k = asText(s.key);
      if (k instanceof Unknown) return k;
      if (Array.isArray(v)) {
        const idx = typeof k === 'number' ? k : typeof k === 'string' && /^\d+$/.test(k) ? Number(k) : NaN;
        if (!Number.isInteger(idx) || idx < 0 || idx >= v.length) return unknownAt(scope, whole, `indexes a list of ${v.length} with ${JSON.stringify(plain(k))}`, true);
        v = v[idx]!;
      } else if (isObj(v)) {
        const key = typeof k === 'string' ? k : typeof k === 'number' ? String(k) : undefined;
        if (key === undefined || !Object.prototype.hasOwnProperty.call(v, key)) return unknownAt(scope, whole, `reads key ${JSON.stringify(plain(k))}, which the map does not have`, true);
        v = v[key]!;
      } else return unknownAt(scope, whole, 'indexes a value that is not a collection', true);
    }
  }
  return v;
}

/** `[for k, v in coll : expr if cond]` and `{for k, v in coll : key => value... if cond}`. */
function forExpr(n: HclNode, scope: Scope, d: number): Value {
  const parts = kids(n);
  const intro = parts.find((p) => p.type === 'for_intro')!;
  const names = kids(intro).filter((c) => c.type === 'identifier').map((c) => src(scope, c));
  const collNode = kids(intro).find((c) => c.type === 'expression')!;
  const coll = asText(evaluate(collNode, scope, d));
  if (coll instanceof Unknown) return coll;
  const exprs = parts.filter((p) => p.type === 'expression');
  const cond = parts.find((p) => p.type === 'for_cond');
  const grouping = n.children.some((c) => c.type === 'ellipsis' || src(scope, c) === '...');
  const entries: Array<[Value, Value]> = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : isObj(coll) ? Object.keys(coll).map((k) => [k, coll[k]!]) : [];
  if (!Array.isArray(coll) && !isObj(coll)) return unknownAt(scope, collNode, 'is not a collection to iterate');
  const isObject = n.type === 'for_object_expr';
  const list: Value[] = [];
  const out = obj();
  for (const [k, v] of entries) {
    const b = new Map<string, Value>();
    if (names.length === 2) {
      b.set(names[0]!, k);
      b.set(names[1]!, v);
    } else b.set(names[0]!, v);
    const s = withBound(scope, b);
    if (cond) {
      const c = evaluate(kids(cond).find((x) => x.type === 'expression')!, s, d);
      if (c instanceof Unknown) return c;
      if (c !== true) continue;
    }
    if (!isObject) {
      list.push(evaluate(exprs[0]!, s, d));
      continue;
    }
    const key = toStr(evaluate(exprs[0]!, s, d), s, exprs[0]!);
    if (key instanceof Unknown) return key;
    const val = evaluate(exprs[1]!, s, d);
    if (grouping) {
      const prev = out[key];
      setOwn(out, key, Array.isArray(prev) ? [...prev, val] : [val]);
    } else setOwn(out, key, val);
  }
  return isObject ? out : list;
}

/** String templates: quoted (with escapes) and heredocs (`<<-` strips the common indentation). */
function template(n: HclNode, scope: Scope, d: number): Value {
  const text = scope.text;
  const isHeredoc = n.type === 'heredoc_template';
  const cs = n.children;
  let from: number;
  let to: number;
  let body: HclNode[];
  if (isHeredoc) {
    const ids = cs.filter((c) => c.type === 'heredoc_identifier');
    const open = ids[0];
    const close = ids.length > 1 ? ids[ids.length - 1] : undefined;
    if (!open) return unknownAt(scope, n, 'is a heredoc without a marker');
    from = text.indexOf('\n', open.end) + 1;
    to = close ? text.lastIndexOf('\n', close.start) + 1 : n.end;
    body = cs.filter((c) => c.start >= from && c.end <= to && (c.type === 'template_interpolation' || c.type === 'template_directive'));
  } else {
    const start = cs.find((c) => c.type === 'quoted_template_start');
    const end = cs.find((c) => c.type === 'quoted_template_end');
    from = start ? start.end : n.start;
    to = end ? end.start : n.end;
    body = cs.filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
  }
  const strip = isHeredoc && cs.some((c) => !c.named && text.slice(c.start, c.end) === '<<-') ? indentOf(text.slice(from, to)) : 0;
  const pieces: Array<string | Value> = [];
  let at = from;
  const literal = (a: number, b: number): void => {
    if (b <= a) return;
    let raw = text.slice(a, b);
    if (strip) {
      const atLineStart = a === from || text[a - 1] === '\n';
      const cut = new RegExp(`^[ \\t]{0,${strip}}`);
      raw = raw.split('\n').map((line, i) => (i === 0 && !atLineStart ? line : line.replace(cut, ''))).join('\n');
    }
    pieces.push(isHeredoc ? raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : unescape(raw));
  };
  for (const c of body) {
    literal(at, c.start);
    if (c.type === 'template_directive') return unknownAt(scope, c, 'is a template directive (%{ if } / %{ for }), which this evaluator does not evaluate');
    const e = kids(c).find((x) => x.type === 'expression');
    pieces.push(e ? evaluate(e, scope, d) : '');
    at = c.end;
  }
  literal(at, to);
  // A heredoc of literal JSON (a policy): its statements keep their lines.
  if (isHeredoc && pieces.every((p) => typeof p === 'string')) {
    const body = (pieces as string[]).join('');
    return jsonWithLines(body, scope.file, lineAt(text, from));
  }
  // Strip markers (`${~ x ~}`) trim the whitespace next to them.
  if (pieces.length === 1 && typeof pieces[0] !== 'string') return pieces[0]!; // "${x}" keeps x's type
  let out = '';
  for (const p of pieces) {
    const s = typeof p === 'string' ? p : toStr(p, scope, n);
    if (s instanceof Unknown) return s;
    out += s;
  }
  return out;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function indentOf(body: string): number {
  let min = Infinity;
  for (const line of body.split('\n')) {
    if (!line.trim()) continue;
    const m = /^[ \t]*/.exec(line)![0].length;
    if (m < min) min = m;
  }
  return Number.isFinite(min) ? min : 0;
}

function unescape(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, e: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    switch (e![0]) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      case 'u':
      case 'U': return String.fromCodePoint(parseInt(e!.slice(1), 16));
      default: return m;
    }
  });
}

// ---------------------------------------------------------------- functions

type Fn = (args: Value[], scope: Scope, n: HclNode) => Value;

const str = (v: Value): v is string => typeof v === 'string';

function needKnown(args: Value[]): Unknown | undefined {
  for (const a of args) {
    const u = firstUnknown(a);
    if (u) return u;
  }
  return undefined;
}

/** `jsonencode`: the document with unknown parts as Unresolved (so a partly known policy keeps what is known). */
export function toDocument(v: Value, depth = 0): unknown {
  if (v instanceof Unknown) return new Unresolved(v.why);
  if (v instanceof JsonText) return v.text ?? new Unresolved(v.why ?? 'a JSON document with unknown parts');
  if (isRef(v)) return new Unresolved(`${v.label} (an object known only after apply)`);
  if (depth > 200) return new Unresolved('a value nested too deeply');
  if (Array.isArray(v)) {
    const a = v.map((x) => toDocument(x, depth + 1));
    if (origins.has(v)) origins.set(a, origins.get(v)!);
    return a;
  }
  if (isObj(v)) {
    const o = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v)) setOwn(o, k, toDocument(v[k]!, depth + 1));
    if (origins.has(v)) origins.set(o, origins.get(v)!);
    return o;
  }
  return v;
}

/** Where objects and lists written in the sources are (their keys' and elements' lines too): statement lines for evidence. */
export interface Origin {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly keys: Map<string | number, { line: number; column: number }>;
}
export const origins = new WeakMap<object, Origin>();

/**
 * A JSON policy written as text (a heredoc, `file("x.json")`): parsed with positions so its statements
 * point at their own lines (`file`, and the line the text starts at). Not JSON: the plain string.
 */
function jsonWithLines(text: string, file: string, firstLine: number): Value {
  if (!/^\s*\{/.test(text)) return text;
  const map = new SourceMap(file, text);
  let doc: unknown;
  try {
    doc = parseJson(text, map, 100);
  } catch {
    return text;
  }
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    const at = map.locate(v);
    if (at?.line !== undefined) {
      const keys = new Map<string | number, { line: number; column: number }>();
      for (const k of Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v)) {
        const c = map.locateChild(v, k);
        if (c?.line !== undefined) keys.set(k, { line: c.line + firstLine - 1, column: c.column ?? 1 });
      }
      origins.set(v, { file, line: at.line + firstLine - 1, column: at.column ?? 1, keys });
    }
    for (const x of Object.values(v)) walk(x);
  };
  walk(doc);
  return new JsonText(doc, text);
}

function readLocal(p: Value, scope: Scope, n: HclNode): string | Unknown {
  if (!str(p)) return p instanceof Unknown ? p : unknownAt(scope, n, 'names a file that is not a string');
  const full = nodePath.resolve(scope.moduleDir, p);
  const root = nodePath.resolve(scope.rootDir);
  if (full !== root && !full.startsWith(root + nodePath.sep)) return unknownAt(scope, n, `reads ${p}, outside the Terraform root: not read`);
  try {
    const st = fs.statSync(full);
    if (!st.isFile() || st.size > scope.maxFileBytes) return unknownAt(scope, n, `reads ${p}, which is not a file of at most ${scope.maxFileBytes} bytes`);
    return fs.readFileSync(full, 'utf8');
  } catch {
    return unknownAt(scope, n, `reads ${p}, which does not exist (it may be generated before apply)`);
  }
}

const FUNCTIONS: Record<string, Fn> = {
  jsonencode: ([v], scope, n) => {
    if (v === undefined) return unknownAt(scope, n, 'has no argument');
    const doc = toDocument(v);
    const u = firstUnknown(v);
    return new JsonText(doc, u ? undefined : JSON.stringify(plainJson(doc)), u ? `${where(scope, n)}: jsonencode(...) has an unknown part: ${u.why}` : undefined);
  },
  jsondecode: ([v], scope, n) => {
    const t = asText(v ?? null);
    if (t instanceof Unknown) return t;
    if (!str(t)) return unknownAt(scope, n, 'decodes a value that is not a string');
    try {
      return fromJson(JSON.parse(t));
    } catch {
      return unknownAt(scope, n, 'decodes a string that is not JSON');
    }
  },
  file: ([p], scope, n) => {
    const t = readLocal(asText(p ?? null), scope, n);
    if (t instanceof Unknown || typeof p !== 'string') return t;
    return jsonWithLines(t, nodePath.join(nodePath.dirname(scope.file), nodePath.relative(scope.moduleDir, nodePath.resolve(scope.moduleDir, p))), 1);
  },
  templatefile: ([p, vars], scope, n) => {
    const t = readLocal(asText(p ?? null), scope, n);
    if (t instanceof Unknown) return t;
    if (!isObj(vars)) return vars instanceof Unknown ? vars : unknownAt(scope, n, 'has template variables that are not an object');
    return renderTemplateFile(t, vars, scope, n);
  },
  format: (args, scope, n) => {
    const u = needKnown(args);
    if (u) return u;
    const [f, ...rest] = args.map(asText);
    if (!str(f)) return unknownAt(scope, n, 'has a format that is not a string');
    let i = 0;
    let bad = false;
    const out = f.replace(/%(%|[-+# 0]*\d*(?:\.\d+)?[sdvfqt])/g, (m, spec: string) => {
      if (spec === '%') return '%';
      const a = rest[i++];
      if (a === undefined) bad = true;
      const verb = spec[spec.length - 1];
      if (verb === 'q') return JSON.stringify(a);
      if (verb === 'v' || verb === 's' || verb === 't') return typeof a === 'string' ? a : JSON.stringify(plain(a as Value));
      return String(a);
    });
    return bad ? unknownAt(scope, n, 'has fewer arguments than its format needs') : out;
  },
  join: ([sep, ...lists], scope, n) => {
    const u = needKnown([sep!, ...lists]);
    if (u) return u;
    const all = lists.flatMap((l) => (Array.isArray(l) ? l : []));
    if (!str(sep) || all.some((x) => !str(asText(x)) && typeof x !== 'number')) return unknownAt(scope, n, 'joins values that are not strings');
    return all.map((x) => String(asText(x))).join(sep);
  },
  concat: (lists, scope, n) => (lists.every(Array.isArray) ? lists.flatMap((l) => l as Value[]) : firstUnknown(lists.find((l) => !Array.isArray(l)) ?? null) ?? unknownAt(scope, n, 'concatenates values that are not lists')),
  merge: (maps, scope, n) => {
    const out = obj();
    for (const m of maps) {
      if (m === null) continue;
      if (!isObj(m)) return m instanceof Unknown ? m : unknownAt(scope, n, 'merges values that are not objects');
      for (const k of Object.keys(m)) setOwn(out, k, m[k]!);
    }
    return out;
  },
  lookup: ([m, k, def], scope, n) => {
    const key = asText(k ?? null);
    if (key instanceof Unknown) return key;
    if (!isObj(m)) return m instanceof Unknown ? m : unknownAt(scope, n, 'looks up in a value that is not a map');
    if (str(key) && Object.prototype.hasOwnProperty.call(m, key)) return m[key]!;
    return def !== undefined ? def : unknownAt(scope, n, `looks up key ${JSON.stringify(key)}, which the map does not have`);
  },
  tolist: ([v]) => v ?? null,
  // A set of strings iterates in lexical order in Terraform.
  toset: ([v], scope, n) => (Array.isArray(v) ? (v.every(str) ? [...new Set(v as string[])].sort() : dedupeValues(v)) : v instanceof Unknown ? v : unknownAt(scope, n, 'converts a value that is not a list to a set')),
  tomap: ([v]) => v ?? null,
  tostring: ([v], scope, n) => toStr(v ?? null, scope, n),
  tonumber: ([v], scope, n) => {
    const t = asText(v ?? null);
    if (t instanceof Unknown || typeof t === 'number') return t;
    return str(t) && t.trim() !== '' && !Number.isNaN(Number(t)) ? Number(t) : unknownAt(scope, n, 'converts a value that is not a number');
  },
  tobool: ([v], scope, n) => (typeof v === 'boolean' || v instanceof Unknown ? v : v === 'true' ? true : v === 'false' ? false : unknownAt(scope, n, 'converts a value that is not a bool')),
  flatten: ([v], scope, n) => {
    if (!Array.isArray(v)) return v instanceof Unknown ? v : unknownAt(scope, n, 'flattens a value that is not a list');
    const out: Value[] = [];
    const walk = (x: Value[]): void => {
      for (const e of x) Array.isArray(e) ? walk(e) : out.push(e);
    };
    walk(v);
    return out;
  },
  distinct: ([v], scope, n) => (Array.isArray(v) ? dedupeValues(v) : v instanceof Unknown ? v : unknownAt(scope, n, 'is given a value that is not a list')),
  compact: ([v], scope, n) => (Array.isArray(v) ? v.filter((x) => x !== null && x !== '') : v instanceof Unknown ? v : unknownAt(scope, n, 'is given a value that is not a list')),
  keys: ([v], scope, n) => (isObj(v) ? Object.keys(v).sort() : v instanceof Unknown ? v : unknownAt(scope, n, 'is given a value that is not a map')),
  values: ([v], scope, n) => (isObj(v) ? Object.keys(v).sort().map((k) => v[k]!) : v instanceof Unknown ? v : unknownAt(scope, n, 'is given a value that is not a map')),
  length: ([v], scope, n) => {
    const t = asText(v ?? null);
    if (Array.isArray(t)) return t.length;
    if (isObj(t)) return Object.keys(t).length;
    if (str(t)) return [...t].length;
    return t instanceof Unknown ? t : unknownAt(scope, n, 'measures a value that is neither a collection nor a string');
  },
  element: ([l, i], scope, n) => {
    if (!Array.isArray(l) || typeof i !== 'number') return firstUnknown(l ?? null) ?? firstUnknown(i ?? null) ?? unknownAt(scope, n, 'needs a list and a number');
    return l.length ? l[((i % l.length) + l.length) % l.length]! : unknownAt(scope, n, 'reads an element of an empty list');
  },
  contains: ([l, v], scope, n) => {
    const u = needKnown([l ?? null, v ?? null]);
    if (u) return u;
    if (!Array.isArray(l)) return unknownAt(scope, n, 'searches a value that is not a list');
    return l.some((x) => JSON.stringify(plain(x)) === JSON.stringify(plain(v!)));
  },
  coalesce: (args, scope, n) => {
    for (const a of args) {
      if (a instanceof Unknown) return a;
      if (a !== null && a !== '') return a;
    }
    return unknownAt(scope, n, 'has no argument that is not null or empty');
  },
  zipmap: ([k, v], scope, n) => {
    if (!Array.isArray(k) || !Array.isArray(v)) return firstUnknown(k ?? null) ?? firstUnknown(v ?? null) ?? unknownAt(scope, n, 'needs two lists');
    const out = obj();
    for (let i = 0; i < k.length; i++) {
      const key = asText(k[i]!);
      if (!str(key)) return key instanceof Unknown ? key : unknownAt(scope, n, 'has a key that is not a string');
      setOwn(out, key, v[i] ?? null);
    }
    return out;
  },
  range: (args, scope, n) => {
    if (args.some((a) => typeof a !== 'number')) return needKnown(args) ?? unknownAt(scope, n, 'needs numbers');
    const [a, b, s] = args.length === 1 ? [0, args[0] as number, 1] : [args[0] as number, args[1] as number, (args[2] as number | undefined) ?? 1];
    const out: number[] = [];
    if (s === 0 || Math.abs((b - a) / s) > 10_000) return unknownAt(scope, n, 'is a range too long to expand');
    for (let x = a; s > 0 ? x < b : x > b; x += s) out.push(x);
    return out;
  },
  reverse: ([v], scope, n) => (Array.isArray(v) ? [...v].reverse() : v instanceof Unknown ? v : unknownAt(scope, n, 'is given a value that is not a list')),
  sort: ([v], scope, n) => (Array.isArray(v) && v.every(str) ? [...(v as string[])].sort() : firstUnknown(v ?? null) ?? unknownAt(scope, n, 'sorts a value that is not a list of strings')),
  setunion: (sets, scope, n) => (sets.every(Array.isArray) ? dedupeValues(sets.flatMap((s) => s as Value[])) : needKnown(sets) ?? unknownAt(scope, n, 'needs lists')),
  max: (args, scope, n) => (args.every((a) => typeof a === 'number') ? Math.max(...(args as number[])) : needKnown(args) ?? unknownAt(scope, n, 'needs numbers')),
  min: (args, scope, n) => (args.every((a) => typeof a === 'number') ? Math.min(...(args as number[])) : needKnown(args) ?? unknownAt(scope, n, 'needs numbers')),
  abs: ([v], scope, n) => (typeof v === 'number' ? Math.abs(v) : v instanceof Unknown ? v : unknownAt(scope, n, 'needs a number')),
};

// String functions: one string argument (plus literal options) to a string.
const STRING_FNS: Record<string, (s: string, rest: Value[]) => Value | undefined> = {
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  title: (s) => s.replace(/\b\w/g, (c) => c.toUpperCase()),
  trimspace: (s) => s.trim(),
  chomp: (s) => s.replace(/(\r?\n)+$/, ''),
  trimprefix: (s, [p]) => (str(p) ? (s.startsWith(p) ? s.slice(p.length) : s) : undefined),
  trimsuffix: (s, [p]) => (str(p) ? (p && s.endsWith(p) ? s.slice(0, -p.length) : s) : undefined),
  startswith: (s, [p]) => (str(p) ? s.startsWith(p) : undefined),
  endswith: (s, [p]) => (str(p) ? s.endsWith(p) : undefined),
  split: (s, [sep]) => (str(sep) ? s.split(sep) : undefined),
  // `replace` with a /regex/ pattern is left unknown (RE2 syntax differs from JavaScript's).
  replace: (s, [a, b]) => (str(a) && str(b) && !(a.length > 1 && a.startsWith('/') && a.endsWith('/')) ? s.split(a).join(b) : undefined),
  substr: (s, [o, l]) => (typeof o === 'number' && typeof l === 'number' ? [...s].slice(o < 0 ? Math.max(0, [...s].length + o) : o, l < 0 ? undefined : (o < 0 ? [...s].length + o : o) + l).join('') : undefined),
  base64encode: (s) => Buffer.from(s, 'utf8').toString('base64'),
  base64decode: (s) => Buffer.from(s, 'base64').toString('utf8'),
};

function dedupeValues(v: Value[]): Value[] {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const x of v) {
    const k = x instanceof Unknown ? `?${out.length}` : JSON.stringify(plain(x));
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

function plainJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plainJson);
  if (typeof v === 'object' && v !== null) {
    const o: Record<string, unknown> = {};
    // Terraform's jsonencode writes object keys in lexical order.
    for (const k of Object.keys(v).sort()) Object.defineProperty(o, k, { value: plainJson((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

export function fromJson(v: unknown): Value {
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === 'object' && v !== null) {
    const o = obj();
    for (const k of Object.keys(v)) setOwn(o, k, fromJson((v as Record<string, unknown>)[k]));
    return o;
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
  return null;
}

/** Set by the sources loader: parses a template file's text as a heredoc and evaluates it. */
export let renderTemplateFile: (text: string, vars: Obj, scope: Scope, n: HclNode) => Value = (_t, _v, scope, n) => unknownAt(scope, n, 'is a template file, which is not evaluated');
export function setTemplateRenderer(f: typeof renderTemplateFile): void {
  renderTemplateFile = f;
}

function callFunction(n: HclNode, scope: Scope, d: number): Value {
  const nameNode = kids(n).find((c) => c.type === 'identifier');
  const name = nameNode ? src(scope, nameNode) : '';
  const argsNode = kids(n).find((c) => c.type === 'function_arguments');
  const argNodes = argsNode ? kids(argsNode).filter((c) => c.type === 'expression') : [];
  const expand = argsNode?.children.some((c) => c.type === 'expanded_args' || src(scope, c) === '...') ?? false;
  if (n.children.some((c) => !c.named && src(scope, c) === '::')) return unknownAt(scope, n, 'calls a provider-defined function, which is not evaluated');
  if (name === 'try' || name === 'can') {
    // try(): the first argument that evaluates without an error (a missing attribute or key, an index out of
    // range); an argument that is unknown for another reason (known only after apply) makes the result unknown,
    // as in Terraform. can(): whether the first argument evaluates without an error.
    for (const a of argNodes) {
      const v = evaluate(a, scope, d);
      const u = firstUnknown(v);
      if (name === 'can') return !u ? true : u.error ? false : u;
      if (!u) return v;
      if (!u.error) return u;
    }
    return unknownAt(scope, n, 'has no argument that evaluates without an error');
  }
  let args = argNodes.map((a) => evaluate(a, scope, d));
  if (expand && args.length) {
    const last = args[args.length - 1]!;
    if (!Array.isArray(last)) return last instanceof Unknown ? last : unknownAt(scope, n, 'expands (...) a value that is not a list');
    args = [...args.slice(0, -1), ...last];
  }
  const f = FUNCTIONS[name];
  if (f) return f(args, scope, n);
  const s = STRING_FNS[name];
  if (s) {
    const first = asText(args[0] ?? null);
    if (first instanceof Unknown) return first;
    const rest = args.slice(1).map(asText);
    const u = needKnown(rest);
    if (u) return u;
    if (!str(first)) return unknownAt(scope, n, 'is given a value that is not a string');
    const r = s(first, rest);
    return r === undefined ? unknownAt(scope, n, 'has arguments this evaluator does not evaluate') : r;
  }
  return unknownAt(scope, n, `calls ${name}(), a function this evaluator does not evaluate`);
}
