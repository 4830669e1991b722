/**
 * CloudFormation intrinsic functions and conditions, resolved as far as the template and the
 * options allow. What cannot be known before deployment stays symbolic:
 * `Unresolved` (with `parts` when some literal text is known), `Choice` for `Fn::If` on an
 * unknown condition, `NO_VALUE` for `AWS::NoValue` (removed from lists and objects).
 */
import { PolicySourceError } from '../../errors';
import { Choice, NO_VALUE, Unresolved, type UnknownPart } from '../../policy/symbolic';
import { closestNames } from '../../util/suggest';
import { hasOwn, isPlainObject, own, setOwn, type SourceMap } from '../source';

/** A `Ref`/`GetAtt` to something only known at deploy time (a resource, an unset parameter, a pseudo parameter). */
export class RefUnresolved extends Unresolved {
  constructor(
    /** Logical id, parameter or pseudo parameter name. */
    readonly target: string,
    readonly attribute?: string,
    /** True when `target` is a resource of the template. */
    readonly isResource = false,
  ) {
    super(attribute !== undefined ? `!GetAtt ${target}.${attribute}` : `!Ref ${target}`);
  }
}

export interface PseudoParameters {
  readonly AccountId?: string;
  readonly Region?: string;
  /** @default 'aws' */
  readonly Partition?: string;
  readonly StackName?: string;
}

export interface ResolverInput {
  readonly map: SourceMap;
  readonly template: Record<string, unknown>;
  /**
   * Logical ids a transform generates that the template may reference (SAM): a predicate,
   * so patterns like `<Function>Role` or `ServerlessRestApi<Stage>Stage` can be accepted.
   */
  readonly generated?: (id: string) => boolean;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly pseudo?: PseudoParameters;
  /** Values for template conditions whose inputs are unknown (see TemplateOptions.conditions). */
  readonly conditions?: Readonly<Record<string, boolean>>;
  /** 'ignore': names in parameters/conditions that the template does not declare are left out (scans). */
  readonly unknownInputs?: 'error' | 'ignore';
  readonly maxDepth: number;
}

const MAX_CHOICES_IN_STRING = 8;

export class Resolver {
  readonly map: SourceMap;
  private readonly params = new Map<string, unknown>();
  private resources: Record<string, unknown>;
  private readonly conditionDefs: Record<string, unknown>;
  private readonly mappings: Record<string, unknown>;
  private readonly conditionValues = new Map<string, boolean | undefined>();
  private readonly evaluating = new Set<string>();
  private readonly pseudo: PseudoParameters;
  private readonly maxDepth: number;
  private readonly givenConditions: Readonly<Record<string, boolean>>;

  /** The template's parameter names (for scans that check given values against them). */
  parameterNames(): string[] {
    return [...this.params.keys()];
  }

  /** The template's condition names. */
  conditionNames(): string[] {
    return Object.keys(this.conditionDefs);
  }
  private readonly generated: (id: string) => boolean;

  /** The template's resources after Fn::ForEach expansion (Refs to generated resources are resources too). */
  useResources(resources: Record<string, unknown>): void {
    this.resources = resources;
  }

  constructor(input: ResolverInput) {
    this.map = input.map;
    this.maxDepth = input.maxDepth;
    this.pseudo = input.pseudo ?? {};
    this.generated = input.generated ?? (() => false);
    const t = input.template;
    const res = own(t, 'Resources');
    this.resources = isPlainObject(res) ? res : {};
    const conds = own(t, 'Conditions');
    this.conditionDefs = isPlainObject(conds) ? conds : {};
    const maps = own(t, 'Mappings');
    this.mappings = isPlainObject(maps) ? maps : {};
    const params = own(t, 'Parameters');
    if (isPlainObject(params)) {
      for (const name of Object.keys(params)) this.params.set(name, this.parameterValue(name, own(params, name), input.parameters));
    }
    this.givenConditions = input.conditions ?? {};
    if (input.conditions && input.unknownInputs !== 'ignore') {
      for (const name of Object.keys(input.conditions)) {
        if (!hasOwn(this.conditionDefs, name)) {
          throw new PolicySourceError(
            `options.conditions names '${name}', which is not a condition of this template` + suggestion(name, Object.keys(this.conditionDefs)),
            { file: this.map.file, path: 'Conditions' },
          );
        }
      }
    }
    if (input.parameters && input.unknownInputs !== 'ignore') {
      for (const name of Object.keys(input.parameters)) {
        if (!this.params.has(name)) {
          throw new PolicySourceError(
            `options.parameters names '${name}', which is not a parameter of this template` +
              suggestion(name, this.params.keys()),
            { file: this.map.file, path: 'Parameters' },
          );
        }
      }
    }
  }

  private parameterValue(name: string, def: unknown, given: Readonly<Record<string, string>> | undefined): unknown {
    const type = String(own(def, 'Type') ?? 'String');
    const hasGiven = given !== undefined && Object.prototype.hasOwnProperty.call(given, name);
    if (type.startsWith('AWS::SSM::Parameter::Value') && !hasGiven) return new RefUnresolved(name);
    let raw: unknown = hasGiven ? given![name] : own(def, 'Default');
    // No default, or an empty default (the usual "fill this in when you deploy" placeholder):
    // unknown, so conditions on it consider both outcomes. options.parameters decides it.
    if (raw === undefined || raw === null || (raw === '' && !hasGiven)) return new RefUnresolved(name);
    if (Array.isArray(raw)) raw = raw.join(',');
    if (typeof raw === 'object') return new RefUnresolved(name);
    const s = String(raw);
    // List types: CommaDelimitedList, List<...>, and SSM parameters holding a list (when a value is given).
    // "Each member string is space trimmed" (CloudFormation Parameters section).
    if (isListType(type)) return s === '' ? [] : s.split(',').map((x) => x.trim());
    return s;
  }

  isResource(id: string): boolean {
    return hasOwn(this.resources, id);
  }

  /** A resource of the template, or one a transform generates (SAM's `<Function>Role`, `ServerlessRestApi`). */
  private declaredResource(id: string): boolean {
    return this.isResource(id) || this.generated(id);
  }

  /**
   * CloudFormation rejects a template whose `Ref`, `Fn::GetAtt` or `Fn::Sub` variable names
   * something that is neither a parameter, a pseudo parameter nor a resource ("Template
   * format error: Unresolved resource dependencies [X] in the Resources block of the
   * template"): an error with the place, never a silent unknown.
   */
  private undeclared(kind: string, name: string, at: unknown): never {
    const known = [...this.params.keys(), ...Object.keys(this.resources)];
    throw new PolicySourceError(
      `${kind} names '${name}', which is neither a parameter, a pseudo parameter nor a resource of this template (CloudFormation rejects it)` +
        suggestion(name, known),
      (at !== undefined ? this.map.locate(at) : undefined) ?? { file: this.map.file },
    );
  }

  /** `Fn::GetAtt` target (also `${X.Attr}` in Fn::Sub): must be a resource. */
  private getAtt(target: string, attr: string, kind: string, at: unknown): RefUnresolved {
    if (!this.declaredResource(target)) {
      // SAM's referenceable properties are written `<Resource>.<Property>` as a Ref target only.
      this.undeclared(kind, target, at);
    }
    return new RefUnresolved(target, attr, this.isResource(target));
  }

  private pseudoValue(name: string): unknown {
    const partition = this.pseudo.Partition ?? 'aws';
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Partition':
        return partition;
      case 'AWS::URLSuffix':
        return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::Region':
        return this.pseudo.Region ?? new RefUnresolved(name);
      case 'AWS::AccountId':
        return this.pseudo.AccountId ?? new RefUnresolved(name);
      case 'AWS::StackName':
        return this.pseudo.StackName ?? new RefUnresolved(name);
      default:
        return new RefUnresolved(name); // AWS::StackId, AWS::NotificationARNs, unknown pseudo parameters
    }
  }

  /** Value of `Ref name`; `at`: the node, for the error when `name` is not declared. */
  ref(name: string, at?: unknown, kind = 'Ref'): unknown {
    if (name.startsWith('AWS::')) return this.pseudoValue(name);
    if (this.params.has(name)) return this.params.get(name);
    if (!this.declaredResource(name)) this.undeclared(kind, name, at);
    return new RefUnresolved(name, undefined, this.isResource(name));
  }

  // ---- conditions ---------------------------------------------------------------------------

  /** A named condition: true/false when its inputs are known, undefined otherwise. */
  condition(name: string): boolean | undefined {
    if (this.conditionValues.has(name)) return this.conditionValues.get(name);
    if (!hasOwn(this.conditionDefs, name)) {
      throw new PolicySourceError(`unknown condition '${name}'` + suggestion(name, Object.keys(this.conditionDefs)), {
        file: this.map.file,
        path: 'Conditions',
      });
    }
    if (this.evaluating.has(name)) {
      throw new PolicySourceError(`condition '${name}' refers to itself`, this.map.locateChild(this.conditionDefs, name) ?? { file: this.map.file });
    }
    this.evaluating.add(name);
    let v: boolean | undefined;
    try {
      v = this.evalCondition(own(this.conditionDefs, name), 0);
    } finally {
      this.evaluating.delete(name);
    }
    // A value given for a condition the template cannot decide (its inputs are unknown) decides
    // it; a given value that contradicts what the inputs decide is an error, not an override.
    if (Object.prototype.hasOwnProperty.call(this.givenConditions, name)) {
      const given = this.givenConditions[name]!;
      if (v === undefined) v = given;
      else if (v !== given) {
        throw new PolicySourceError(
          `options.conditions gives condition '${name}' the value ${given}, but with these parameters it is ${v}`,
          this.map.locateChild(this.conditionDefs, name) ?? { file: this.map.file, path: 'Conditions' },
        );
      }
    }
    this.conditionValues.set(name, v);
    return v;
  }

  /** Every condition of the template with its value (undefined = unknown). */
  allConditions(): Record<string, boolean | undefined> {
    const out: Record<string, boolean | undefined> = {};
    for (const name of Object.keys(this.conditionDefs)) setOwn(out, name, this.condition(name));
    return out;
  }

  private evalCondition(expr: unknown, depth: number): boolean | undefined {
    if (depth > this.maxDepth) this.tooDeep(expr);
    if (typeof expr === 'boolean') return expr;
    if (expr === 'true') return true;
    if (expr === 'false') return false;
    if (!isPlainObject(expr)) return this.badCondition(expr, 'a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition');
    const keys = Object.keys(expr);
    const fn = keys[0];
    const arg = fn === undefined ? undefined : own(expr, fn);
    if (keys.length !== 1) return this.badCondition(expr, 'a condition must have exactly one function');
    switch (fn) {
      case 'Condition':
        if (typeof arg !== 'string') return this.badCondition(expr, 'Condition takes a condition name');
        return this.condition(arg);
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return this.badCondition(expr, 'Fn::Equals takes two values');
        const a = this.resolve(arg[0], depth + 1);
        const b = this.resolve(arg[1], depth + 1);
        if (!isKnown(a) || !isKnown(b)) return undefined;
        return JSON.stringify(normaliseScalar(a)) === JSON.stringify(normaliseScalar(b));
      }
      case 'Fn::Not': {
        const inner = Array.isArray(arg) ? arg[0] : arg;
        const v = this.evalCondition(inner, depth + 1);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg)) return this.badCondition(expr, `${fn} takes a list of conditions`);
        const values = arg.map((c) => this.evalCondition(c, depth + 1));
        if (fn === 'Fn::And') {
          if (values.includes(false)) return false;
          return values.includes(undefined) ? undefined : true;
        }
        if (values.includes(true)) return true;
        return values.includes(undefined) ? undefined : false;
      }
      default:
        return this.badCondition(expr, `${fn} is not a condition function`);
    }
  }

  private badCondition(expr: unknown, message: string): never {
    throw new PolicySourceError(message, this.map.locate(expr) ?? { file: this.map.file });
  }

  private tooDeep(at: unknown): never {
    throw new PolicySourceError(`intrinsic functions nested deeper than ${this.maxDepth} levels`, this.map.locate(at) ?? { file: this.map.file });
  }

  // ---- values -------------------------------------------------------------------------------

  /** Resolve every intrinsic inside `value`. New containers keep the source position of the old. */
  resolve(value: unknown, depth = 0): unknown {
    if (depth > this.maxDepth) this.tooDeep(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        const r = this.resolve(item, depth + 1);
        if (r !== NO_VALUE) out.push(r);
      }
      this.map.link(out, value);
      return out;
    }
    if (!isPlainObject(value)) return value; // already symbolic
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const k = keys[0]!;
      if (k === 'Ref' || k.startsWith('Fn::')) {
        const r = this.intrinsic(k, own(value, k), value, depth);
        if (typeof r === 'object' && r !== null) this.map.link(r, value);
        return r;
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = this.resolve(own(value, k), depth + 1);
      if (r !== NO_VALUE) setOwn(out, k, r);
    }
    this.map.link(out, value);
    return out;
  }

  private intrinsic(fn: string, arg: unknown, node: object, depth: number): unknown {
    const d = depth + 1;
    const bad = (message: string): never => {
      throw new PolicySourceError(`${fn}: ${message}`, this.map.locate(node) ?? { file: this.map.file });
    };
    switch (fn) {
      case 'Ref': {
        const name = this.resolve(arg, d);
        if (typeof name !== 'string') return bad('takes the name of a parameter, resource or pseudo parameter');
        return this.ref(name, node);
      }
      case 'Fn::GetAtt': {
        let target: unknown;
        let attr: unknown;
        if (typeof arg === 'string') {
          const dot = arg.indexOf('.');
          if (dot === -1) return bad(`expected 'LogicalId.Attribute', got '${arg}'`);
          target = arg.slice(0, dot);
          attr = arg.slice(dot + 1);
        } else if (Array.isArray(arg) && arg.length === 2) {
          target = this.resolve(arg[0], d);
          attr = this.resolve(arg[1], d);
        } else return bad('takes [LogicalId, Attribute] or "LogicalId.Attribute"');
        if (typeof target !== 'string') return bad('the logical id must be a string');
        if (!this.declaredResource(target)) this.undeclared('Fn::GetAtt', target, node);
        if (typeof attr !== 'string') return new Unresolved(`!GetAtt ${target}.<${describe(attr)}>`);
        return this.getAtt(target, attr, 'Fn::GetAtt', node);
      }
      case 'Fn::ImportValue': {
        const name = this.resolve(arg, d);
        return new Unresolved(`!ImportValue ${describe(name)}`);
      }
      case 'Fn::Sub':
        return this.sub(arg, d, bad, node);
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return bad('takes [delimiter, list]');
        const delim = this.resolve(arg[0], d);
        if (typeof delim !== 'string') return bad('the delimiter must be a string');
        const list = this.resolve(arg[1], d);
        return this.join(delim, list);
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return bad('takes [index, list]');
        const index = this.resolve(arg[0], d);
        const list = this.resolve(arg[1], d);
        return this.select(index, list);
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return bad('takes [delimiter, string]');
        const delim = this.resolve(arg[0], d);
        const source = this.resolve(arg[1], d);
        if (typeof delim !== 'string' || delim === '') return bad('the delimiter must be a non-empty string');
        return this.split(delim, source);
      }
      case 'Fn::FindInMap':
        return this.findInMap(arg, d, bad);
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return bad('takes [ConditionName, valueIfTrue, valueIfFalse]');
        const c = this.condition(arg[0]);
        if (c === true) return this.resolve(arg[1], d);
        if (c === false) return this.resolve(arg[2], d);
        return new Choice(arg[0], this.resolve(arg[1], d), this.resolve(arg[2], d));
      }
      case 'Fn::Base64': {
        const v = this.resolve(arg, d);
        if (typeof v === 'string') return Buffer.from(v, 'utf8').toString('base64');
        return new Unresolved(`!Base64 ${describe(v)}`);
      }
      case 'Fn::Length': {
        const v = this.resolve(arg, d);
        if (Array.isArray(v) && v.every((x) => !(x instanceof Choice) && !(x instanceof Unresolved))) return v.length;
        return new Unresolved(`!Length ${describe(v)}`);
      }
      case 'Fn::ToJsonString': {
        const v = this.resolve(arg, d);
        if (isKnown(v)) return JSON.stringify(v);
        return new Unresolved(`!ToJsonString ${describe(v)}`);
      }
      case 'Fn::GetAZs':
        return new Unresolved('!GetAZs');
      case 'Fn::Cidr':
        return new Unresolved('!Cidr');
      case 'Fn::Transform':
        return new Unresolved(`!Transform ${describe(own(arg, 'Name'))}`);
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        return bad('is only allowed in the Conditions section and Fn::If');
      default:
        return new Unresolved(`${fn} (not supported by this loader)`);
    }
  }

  /** `Fn::Sub` of a string with already-resolved variables (SAM policy templates). */
  substitute(template: string, vars: Record<string, unknown>): unknown {
    return this.sub([template, vars], 0, (m) => {
      throw new PolicySourceError(m, { file: this.map.file });
    });
  }

  private sub(arg: unknown, d: number, bad: (m: string) => never, node?: unknown): unknown {
    let template: unknown;
    let vars: Record<string, unknown> | undefined;
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || !isPlainObject(arg[1])) return bad('takes a string or [string, {Var: value}]');
      template = arg[0];
      vars = arg[1];
    } else template = arg;
    if (typeof template !== 'string') {
      const t = this.resolve(template, d);
      if (typeof t !== 'string') return new Unresolved(`!Sub ${describe(t)}`);
      template = t;
    }
    const s = template as string;
    const pieces: unknown[] = [];
    let last = 0;
    const re = /\$\{([^}]*)\}/g;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      pieces.push(s.slice(last, m.index));
      last = m.index + m[0].length;
      const name = m[1]!;
      if (name.startsWith('!')) {
        pieces.push(`\${${name.slice(1)}}`);
        continue;
      }
      const trimmed = name.trim();
      if (vars && hasOwn(vars, trimmed)) pieces.push(this.resolve(own(vars, trimmed), d));
      else if (trimmed.includes('.') && !trimmed.startsWith('AWS::')) {
        const dot = trimmed.indexOf('.');
        const target = trimmed.slice(0, dot);
        pieces.push(this.getAtt(target, trimmed.slice(dot + 1), `Fn::Sub variable \${${trimmed}}`, node));
      } else pieces.push(this.ref(trimmed, node, `Fn::Sub variable \${${trimmed}}`));
    }
    pieces.push(s.slice(last));
    return concat(pieces, `!Sub ${s}`);
  }

  private join(delim: string, list: unknown): unknown {
    if (list instanceof Choice) return new Choice(list.condition, this.join(delim, list.whenTrue), this.join(delim, list.whenFalse));
    if (!Array.isArray(list)) return new Unresolved(`!Join [${delim}, ${describe(list)}]`);
    const pieces: unknown[] = [];
    list.forEach((item, i) => {
      if (i > 0) pieces.push(delim);
      pieces.push(item);
    });
    return concat(pieces, `!Join [${JSON.stringify(delim)}, ...]`);
  }

  private select(index: unknown, list: unknown): unknown {
    if (list instanceof Choice) return new Choice(list.condition, this.select(index, list.whenTrue), this.select(index, list.whenFalse));
    const i = typeof index === 'number' ? index : typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : NaN;
    if (Number.isNaN(i) || !Array.isArray(list)) return new Unresolved(`!Select [${describe(index)}, ${describe(list)}]`);
    if (i < 0 || i >= list.length) return new Unresolved(`!Select [${i}, ...] (index out of range)`);
    return list[i];
  }

  private split(delim: string, source: unknown): unknown {
    if (typeof source === 'string') return source.split(delim);
    if (source instanceof Choice) return new Choice(source.condition, this.split(delim, source.whenTrue), this.split(delim, source.whenFalse));
    return new Unresolved(`!Split [${JSON.stringify(delim)}, ${describe(source)}]`);
  }

  private findInMap(arg: unknown, d: number, bad: (m: string) => never): unknown {
    if (!Array.isArray(arg) || arg.length < 3 || arg.length > 4) return bad('takes [MapName, TopLevelKey, SecondLevelKey]');
    const keys = arg.slice(0, 3).map((k) => this.resolve(k, d));
    const fallback = arg.length === 4 && isPlainObject(arg[3]) && hasOwn(arg[3], 'DefaultValue') ? this.resolve(own(arg[3], 'DefaultValue'), d) : undefined;
    const desc = `!FindInMap [${keys.map(describe).join(', ')}]`;
    if (!keys.every((k) => typeof k === 'string' || typeof k === 'number')) return fallback ?? new Unresolved(desc);
    const [m, top, second] = keys.map(String) as [string, string, string];
    if (!hasOwn(this.mappings, m)) {
      return bad(`unknown mapping '${m}'` + suggestion(m, Object.keys(this.mappings)));
    }
    const level1 = own(own(this.mappings, m), top);
    const v = own(level1, second);
    if (v === undefined) return fallback ?? new Unresolved(`${desc} (no such key)`);
    return this.resolve(v, d);
  }
}

/** CommaDelimitedList, List<Number>, List<AWS::EC2::...>, AWS::SSM::Parameter::Value<List<String>> / <CommaDelimitedList>. */
export function isListType(type: string): boolean {
  const t = type.trim();
  const inner = /^AWS::SSM::Parameter::Value<(.*)>$/.exec(t)?.[1] ?? t;
  return inner === 'CommaDelimitedList' || inner.startsWith('List<');
}

function suggestion(name: string, candidates: Iterable<string>): string {
  const s = closestNames(name, candidates);
  return s.length ? `: did you mean ${s.map((x) => `'${x}'`).join(', ')}?` : '';
}

/** True when the value holds nothing symbolic. */
export function isKnown(v: unknown): boolean {
  if (v instanceof Unresolved || v instanceof Choice || v === NO_VALUE) return false;
  if (Array.isArray(v)) return v.every(isKnown);
  if (isPlainObject(v)) return Object.keys(v).every((k) => isKnown(own(v, k)));
  return true;
}

function normaliseScalar(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(normaliseScalar);
  return v;
}

const MAX_DESCRIPTION = 200;

/** A short human description of a value for messages (long values are cut). */
export function describe(v: unknown): string {
  let out: string;
  if (v instanceof Unresolved) out = v.parts ? v.toString() : v.description;
  else if (v instanceof Choice) out = `!If ${v.condition}`;
  else if (typeof v === 'string') out = v;
  else if (v === NO_VALUE) out = 'AWS::NoValue';
  else {
    try {
      out = JSON.stringify(v) ?? String(v);
    } catch {
      out = String(v);
    }
  }
  return out.length > MAX_DESCRIPTION ? `${out.slice(0, MAX_DESCRIPTION)}...` : out;
}

function partName(u: Unresolved): string {
  if (u instanceof RefUnresolved) return u.attribute !== undefined ? `${u.target}.${u.attribute}` : u.target;
  return u.description;
}

/** Concatenate string pieces that may be symbolic: a string, an `Unresolved` with parts, or a `Choice`. */
export function concat(pieces: readonly unknown[], description: string, choices = 0): unknown {
  const ci = pieces.findIndex((p) => p instanceof Choice);
  if (ci !== -1) {
    if (choices >= MAX_CHOICES_IN_STRING) return new Unresolved(description);
    const c = pieces[ci] as Choice;
    const withBranch = (b: unknown): unknown => concat([...pieces.slice(0, ci), b === NO_VALUE ? '' : b, ...pieces.slice(ci + 1)], description, choices + 1);
    return new Choice(c.condition, withBranch(c.whenTrue), withBranch(c.whenFalse));
  }
  const parts: Array<string | UnknownPart> = [];
  let known = true;
  const pushText = (s: string): void => {
    if (s === '') return;
    const lastIdx = parts.length - 1;
    if (lastIdx >= 0 && typeof parts[lastIdx] === 'string') parts[lastIdx] = (parts[lastIdx] as string) + s;
    else parts.push(s);
  };
  for (const p of pieces) {
    if (typeof p === 'string') pushText(p);
    else if (typeof p === 'number' || typeof p === 'boolean') pushText(String(p));
    else if (p instanceof Unresolved) {
      known = false;
      if (p.parts) for (const q of p.parts) typeof q === 'string' ? pushText(q) : parts.push(q);
      else parts.push({ unknown: partName(p) });
    } else if (p === NO_VALUE || p === null || p === undefined) {
      continue;
    } else {
      // A list or object where a string belongs: the template is wrong or we cannot tell.
      return new Unresolved(`${description} (a piece is not a string: ${describe(p)})`);
    }
  }
  if (known) return parts.length ? (parts[0] as string) : '';
  return new Unresolved(description, parts);
}
