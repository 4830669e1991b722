/**
 * A selective streaming reader for `terraform show -json` output.
 *
 * Real plans reach hundreds of MB, almost all of it resources that are not IAM (and their
 * `before`/`sensitive` copies). Reading them with `JSON.parse` needs the whole text as one
 * string plus every object of it at once. This reader walks the file in fixed-size chunks,
 * keeps only what the loader needs (format and Terraform versions, variables, the IAM
 * resources and `aws_iam_policy_document` data sources of `planned_values`, `prior_state`,
 * `resource_changes` and `configuration`, with module structure), and skips everything else
 * byte by byte without building it. A kept value is collected as bytes and handed to
 * `JSON.parse` on its own, so the memory held is the size of the IAM part of the plan plus one
 * chunk, not a multiple of the plan.
 *
 * Structure is checked while skipping (brackets balanced, strings closed, nesting within
 * maxDepth); a kept value is checked by JSON.parse. Errors name the byte offset's line and column.
 */
import * as fs from 'node:fs';
import { PolicySourceError } from '../../errors';
import { setOwn } from '../source';

const CHUNK = 1 << 20;

/** Resource types the plan loader reads; everything else is skipped unread. */
export const IAM_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'aws_iam_role',
  'aws_iam_user',
  'aws_iam_group',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment',
  'aws_iam_policy_attachment',
  'aws_iam_role_policies_exclusive',
  'aws_iam_user_policies_exclusive',
  'aws_iam_group_policies_exclusive',
  'aws_iam_role_policy_attachments_exclusive',
  'aws_iam_user_policy_attachments_exclusive',
  'aws_iam_group_policy_attachments_exclusive',
  'aws_iam_group_membership',
  'aws_iam_user_group_membership',
  // Resource policies on the console's path (LoadedTerraformPlan.resourcePolicies).
  'aws_kms_key',
  'aws_kms_key_policy',
  'aws_s3_bucket',
  'aws_s3_bucket_policy',
]);

export function isRelevant(mode: unknown, type: unknown): boolean {
  if (typeof type !== 'string') return true; // not known yet: keep until it is
  if (mode === 'data') return type === 'aws_iam_policy_document';
  if (mode === undefined) return IAM_RESOURCE_TYPES.has(type) || type === 'aws_iam_policy_document';
  return IAM_RESOURCE_TYPES.has(type);
}

/** One resource instance of `planned_values`/`prior_state`/`values`. */
export interface RawStateResource {
  address?: string;
  mode?: string;
  type?: string;
  name?: string;
  index?: string | number;
  values?: unknown;
}

export interface RawChange {
  address?: string;
  mode?: string;
  type?: string;
  name?: string;
  index?: string | number;
  actions?: unknown;
  after?: unknown;
  afterUnknown?: unknown;
}

export interface RawConfigResource {
  address?: string;
  mode?: string;
  type?: string;
  name?: string;
  expressions?: unknown;
  countExpression?: unknown;
  forEachExpression?: unknown;
}

export interface RawModuleCall {
  source?: unknown;
  expressions?: unknown;
  countExpression?: unknown;
  forEachExpression?: unknown;
  module?: RawConfigModule;
}

export interface RawConfigModule {
  resources: RawConfigResource[];
  calls: Map<string, RawModuleCall>;
  outputs?: unknown;
  variables?: unknown;
}

export interface RawPlan {
  /** Top-level keys seen (to tell a plan from other JSON). */
  readonly keys: Set<string>;
  formatVersion?: unknown;
  terraformVersion?: unknown;
  variables?: unknown;
  planned?: RawStateResource[];
  /** `terraform show -json` of a state: top-level `values`. */
  state?: RawStateResource[];
  prior?: RawStateResource[];
  changes?: RawChange[];
  config?: RawConfigModule;
  complete?: unknown;
  errored?: unknown;
  /** Set by the sources loader: where blocks and arguments are (instead of scanning the .tf files). */
  locate?: (modulePath: readonly string[], mode: 'managed' | 'data', type: string, name: string, attribute?: string) => import('../../policy/types').SourceLocation | undefined;
  /** Set by the sources loader: positions of the document objects it built (statement lines). */
  sourceMap?: import('../source').SourceMap;
  /** How many resources of every type the plan holds (kept or skipped). */
  readonly counts: { resources: number; kept: number };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  private buf: Buffer;
  private pos = 0;
  private end = 0;
  /** File offset of buf[0]. */
  private base = 0;
  private eof = false;
  private capture: Buffer[] | undefined;
  private captureStart = 0;
  private readonly stack: Uint8Array;

  constructor(
    private readonly fd: number,
    readonly file: string,
    private readonly maxDepth: number,
  ) {
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.stack = new Uint8Array(maxDepth + 2);
    this.fill();
  }

  private fill(): boolean {
    if (this.eof) return false;
    if (this.capture && this.captureStart < this.end) this.capture.push(Buffer.from(this.buf.subarray(this.captureStart, this.end)));
    this.base += this.end;
    const n = fs.readSync(this.fd, this.buf, 0, this.buf.length, null);
    this.pos = 0;
    this.end = n;
    this.captureStart = 0;
    if (n === 0) this.eof = true;
    return n > 0;
  }

  offset(): number {
    return this.base + this.pos;
  }

  /** The current byte, or -1 at the end of the file. */
  peek(): number {
    if (this.pos >= this.end && !this.fill()) return -1;
    return this.buf[this.pos]!;
  }

  ws(): number {
    for (;;) {
      if (this.pos >= this.end && !this.fill()) return -1;
      const c = this.buf[this.pos]!;
      if (c === 32 || c === 10 || c === 13 || c === 9) this.pos++;
      else return c;
    }
  }

  fail(problem: string, at = this.offset()): never {
    throw new PlanSyntaxError(problem, at);
  }

  expect(c: number, what: string): void {
    const got = this.ws();
    if (got !== c) this.fail(got === -1 ? `the file ends where ${what} was expected` : `expected ${what}, found '${String.fromCharCode(got)}'`);
    this.pos++;
  }

  private startCapture(): void {
    this.capture = [];
    this.captureStart = this.pos;
  }

  private endCapture(): Buffer {
    const parts = this.capture!;
    // A copy: the chunk buffer is reused by the next read.
    if (this.captureStart < this.pos) parts.push(Buffer.from(this.buf.subarray(this.captureStart, this.pos)));
    this.capture = undefined;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Skip one value (or, with `keep`, return its bytes). Iterative: nesting costs no stack. */
  skip(keep = false, depth0 = 0): Buffer | undefined {
    const start = this.ws();
    if (start === -1) this.fail('the file ends where a value was expected');
    if (keep) this.startCapture();
    let depth = 0;
    const stack = this.stack;
    for (;;) {
      if (this.pos >= this.end && !this.fill()) this.fail(depth ? 'the file ends inside an object or list (truncated?)' : 'the file ends inside a value');
      const c = this.buf[this.pos]!;
      if (c === 34) {
        this.pos++;
        this.skipStringBody();
        if (depth === 0) break;
        continue;
      }
      if (c === 123 || c === 91) {
        if (depth + depth0 >= this.maxDepth) this.fail(`nested more than ${this.maxDepth} levels deep (option maxDepth)`);
        stack[depth++] = c;
        this.pos++;
        continue;
      }
      if (c === 125 || c === 93) {
        if (depth === 0) break; // the end of the container this value is in
        const open = stack[--depth];
        if ((c === 125 && open !== 123) || (c === 93 && open !== 91)) this.fail(`'${String.fromCharCode(c)}' does not close '${String.fromCharCode(open ?? 32)}'`);
        this.pos++;
        if (depth === 0) break;
        continue;
      }
      if (depth === 0) {
        // A scalar at the top: letters, digits, signs, dots.
        if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || (c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
          this.pos++;
          continue;
        }
        break;
      }
      this.pos++;
    }
    if (!keep) return undefined;
    return this.endCapture();
  }

  private skipStringBody(): void {
    for (;;) {
      if (this.pos >= this.end && !this.fill()) this.fail('the file ends inside a string');
      const c = this.buf[this.pos++]!;
      if (c === 34) return;
      if (c === 92) {
        if (this.pos >= this.end && !this.fill()) this.fail('the file ends inside a string');
        this.pos++;
      } else if (c < 32) this.fail('a control character inside a string', this.offset() - 1);
    }
  }

  /** Parse one whole value. */
  value(depth: number): unknown {
    const at = this.offset();
    const bytes = this.skip(true, depth)!;
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      this.fail('not valid UTF-8', at);
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      this.fail(`invalid JSON value (${e instanceof Error ? e.message : String(e)})`, at);
    }
  }

  string(): string {
    if (this.ws() !== 34) this.fail('expected a string');
    const v = this.value(0);
    return v as string;
  }

  /** `{ "key": value, ... }`: calls onKey for each key; onKey must consume the value. */
  object(onKey: (key: string) => void): void {
    this.expect(123, "'{'");
    let first = true;
    for (;;) {
      const c = this.ws();
      if (c === 125) {
        this.pos++;
        return;
      }
      if (!first) {
        if (c !== 44) this.fail(c === -1 ? 'the file ends inside an object (truncated?)' : `expected ',' or '}', found '${String.fromCharCode(c)}'`);
        this.pos++;
      }
      first = false;
      const key = this.string();
      this.expect(58, "':'");
      onKey(key);
    }
  }

  array(onItem: (index: number) => void): void {
    this.expect(91, "'['");
    let i = 0;
    for (;;) {
      const c = this.ws();
      if (c === 93) {
        this.pos++;
        return;
      }
      if (i > 0) {
        if (c !== 44) this.fail(c === -1 ? 'the file ends inside a list (truncated?)' : `expected ',' or ']', found '${String.fromCharCode(c)}'`);
        this.pos++;
      }
      onItem(i++);
    }
  }

  /** An object or list where one is expected; `null` is read as nothing. */
  isNull(): boolean {
    const c = this.ws();
    if (c === 110) {
      this.skip();
      return true;
    }
    return false;
  }

  atEnd(): boolean {
    return this.ws() === -1;
  }
}

export class PlanSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly offset: number,
  ) {
    super(problem);
  }
}

/** Line and column of a byte offset, by reading the file again (errors only). */
function positionOf(file: string, offset: number): { line: number; column: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let line = 1;
    let lineStart = 0;
    let read = 0;
    while (read < offset) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, offset - read), null);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        if (buf[i] === 10) {
          line++;
          lineStart = read + i + 1;
        }
      }
      read += n;
    }
    return { line, column: offset - lineStart + 1 };
  } finally {
    fs.closeSync(fd);
  }
}

const SCALAR_KEYS = new Set(['address', 'mode', 'type', 'name', 'index']);

function stateModule(r: Reader, depth: number, out: RawStateResource[], counts: RawPlan['counts']): void {
  if (r.isNull()) return;
  r.object((key) => {
    if (key === 'resources') {
      if (r.isNull()) return;
      r.array(() => stateResource(r, depth + 2, out, counts));
    } else if (key === 'child_modules') {
      if (r.isNull()) return;
      r.array(() => stateModule(r, depth + 2, out, counts));
    } else r.skip(false, depth + 1);
  });
}

function stateResource(r: Reader, depth: number, out: RawStateResource[], counts: RawPlan['counts']): void {
  const res: RawStateResource = {};
  let values: Buffer | undefined;
  let valuesAt = 0;
  r.object((key) => {
    if (SCALAR_KEYS.has(key)) setOwn(res as Record<string, unknown>, key, r.value(depth + 1));
    else if (key === 'values' && isRelevant(res.mode, res.type)) {
      valuesAt = r.offset();
      values = r.skip(true, depth + 1);
    } else r.skip(false, depth + 1);
  });
  counts.resources++;
  if (!isRelevant(res.mode, res.type ?? '')) return;
  if (values) res.values = parseBytes(r, values, valuesAt);
  counts.kept++;
  out.push(res);
}

function parseBytes(r: Reader, bytes: Buffer, at: number): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    r.fail('not valid UTF-8', at);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    r.fail(`invalid JSON value (${e instanceof Error ? e.message : String(e)})`, at);
  }
}

function change(r: Reader, depth: number, out: RawChange[], counts: RawPlan['counts']): void {
  const res: RawChange = {};
  const kept: Array<[keyof RawChange, Buffer, number]> = [];
  r.object((key) => {
    if (SCALAR_KEYS.has(key)) setOwn(res as Record<string, unknown>, key, r.value(depth + 1));
    else if (key === 'change' && isRelevant(res.mode, res.type)) {
      if (r.isNull()) return;
      r.object((k) => {
        if (k === 'actions') res.actions = r.value(depth + 2);
        else if (k === 'after' || k === 'after_unknown') {
          const at = r.offset();
          kept.push([k === 'after' ? 'after' : 'afterUnknown', r.skip(true, depth + 2)!, at]);
        } else r.skip(false, depth + 2);
      });
    } else r.skip(false, depth + 1);
  });
  if (!isRelevant(res.mode, res.type ?? '')) return;
  for (const [k, bytes, at] of kept) setOwn(res as Record<string, unknown>, k, parseBytes(r, bytes, at));
  counts.kept++;
  out.push(res);
}

function configModule(r: Reader, depth: number): RawConfigModule {
  const m: RawConfigModule = { resources: [], calls: new Map() };
  if (r.isNull()) return m;
  r.object((key) => {
    if (key === 'resources') {
      if (r.isNull()) return;
      r.array(() => configResource(r, depth + 2, m.resources));
    } else if (key === 'module_calls') {
      if (r.isNull()) return;
      r.object((name) => {
        const call: RawModuleCall = {};
        r.object((k) => {
          if (k === 'source') call.source = r.value(depth + 3);
          else if (k === 'expressions') call.expressions = r.value(depth + 3);
          else if (k === 'count_expression') call.countExpression = r.value(depth + 3);
          else if (k === 'for_each_expression') call.forEachExpression = r.value(depth + 3);
          else if (k === 'module') call.module = configModule(r, depth + 3);
          else r.skip(false, depth + 3);
        });
        m.calls.set(name, call);
      });
    } else if (key === 'outputs') m.outputs = r.value(depth + 1);
    else if (key === 'variables') m.variables = r.value(depth + 1);
    else r.skip(false, depth + 1);
  });
  return m;
}

function configResource(r: Reader, depth: number, out: RawConfigResource[]): void {
  const res: RawConfigResource = {};
  let expressions: [Buffer, number] | undefined;
  r.object((key) => {
    if (SCALAR_KEYS.has(key)) setOwn(res as Record<string, unknown>, key, r.value(depth + 1));
    else if (key === 'expressions' && isRelevant(res.mode, res.type)) {
      const at = r.offset();
      expressions = [r.skip(true, depth + 1)!, at];
    } else if (key === 'count_expression') res.countExpression = r.value(depth + 1);
    else if (key === 'for_each_expression') res.forEachExpression = r.value(depth + 1);
    else r.skip(false, depth + 1);
  });
  if (!isRelevant(res.mode, res.type ?? '')) return;
  if (expressions) res.expressions = parseBytes(r, expressions[0], expressions[1]);
  out.push(res);
}

/**
 * Read a plan (or state) JSON file, keeping only what the plan loader uses. Throws
 * PolicySourceError (with line and column) for invalid JSON; never holds the whole file.
 */
export function readPlanFile(file: string, maxDepth: number): RawPlan {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new PolicySourceError(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file });
  }
  const plan: RawPlan = { keys: new Set(), counts: { resources: 0, kept: 0 } };
  try {
    const r = new Reader(fd, file, maxDepth);
    if (r.peek() === 0xef) r.fail('the file starts with a byte order mark; terraform show -json writes none', 0);
    r.object((key) => {
      plan.keys.add(key);
      switch (key) {
        case 'format_version':
          plan.formatVersion = r.value(1);
          return;
        case 'terraform_version':
          plan.terraformVersion = r.value(1);
          return;
        case 'variables':
          plan.variables = r.value(1);
          return;
        case 'complete':
          plan.complete = r.value(1);
          return;
        case 'errored':
          plan.errored = r.value(1);
          return;
        case 'planned_values':
        case 'values': {
          const list: RawStateResource[] = [];
          if (!r.isNull()) r.object((k) => (k === 'root_module' ? stateModule(r, 2, list, plan.counts) : void r.skip(false, 2)));
          if (key === 'planned_values') plan.planned = list;
          else plan.state = list;
          return;
        }
        case 'prior_state': {
          const list: RawStateResource[] = [];
          if (!r.isNull()) {
            r.object((k) => {
              if (k !== 'values') {
                r.skip(false, 2);
                return;
              }
              if (r.isNull()) return;
              r.object((k2) => (k2 === 'root_module' ? stateModule(r, 3, list, plan.counts) : void r.skip(false, 3)));
            });
          }
          plan.prior = list;
          return;
        }
        case 'resource_changes': {
          const list: RawChange[] = [];
          if (!r.isNull()) r.array(() => change(r, 2, list, plan.counts));
          plan.changes = list;
          return;
        }
        case 'configuration':
          if (r.isNull()) return;
          r.object((k) => {
            if (k === 'root_module') plan.config = configModule(r, 2);
            else r.skip(false, 2);
          });
          return;
        default:
          r.skip(false, 1);
      }
    });
    if (!r.atEnd()) r.fail('unexpected content after the top-level object');
  } catch (e) {
    if (e instanceof PlanSyntaxError) {
      const pos = positionOf(file, e.offset);
      throw new PolicySourceError(`not valid plan JSON: ${e.problem}`, { file, ...pos });
    }
    throw e;
  } finally {
    fs.closeSync(fd);
  }
  return plan;
}

/** The first bytes of a file look like `terraform show -json` output. */
export function looksLikePlanHead(head: string): boolean {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  if (!t.startsWith('{')) return false;
  if (!/"format_version"\s*:/.test(t)) return false;
  return /"(terraform_version|planned_values|resource_changes|prior_state)"\s*:/.test(t);
}

/** Read the first `n` bytes of a file as text (invalid UTF-8 replaced). */
export function readHead(file: string, n = 65536): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
