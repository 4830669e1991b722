/**
 * YAML with CloudFormation short tags (`!Ref`, `!Sub`, `!GetAtt`, ...), read with `yaml`
 * (eemeli) and converted by our own walk so that we control tags, positions, aliases and
 * `__proto__` keys.
 *
 * Choices (documented in the loaders README section of the report):
 * - YAML 1.2 core schema, as CloudFormation reads templates: an unquoted `2012-10-17` is a
 *   string (no timestamps), `yes`/`no`/`on`/`off` are strings, `true`/`false` booleans.
 * - A plain scalar that reads as a number but would not print back the same way
 *   (`012345678901`, `0o17`, `1.0`, `1e3`) keeps its text: account ids keep their zeros.
 * - Aliases are expanded once and shared; a file whose aliases would expand past
 *   `maxAliasCount` is refused (alias bombs), as is nesting deeper than `maxDepth`.
 * - Duplicate keys are an error (the later one would silently hide the earlier one).
 */
import type { Alias, Document, Node as YamlNode, Pair, Tags, YAMLMap, YAMLSeq } from 'yaml';
import { yaml } from '../../util/lazy';
import { PolicySourceError } from '../../errors';
import { SourceMap, setOwn, type NodeMeta, type PathKey } from '../source';

/** Short tags and the long form each one stands for. */
export const CFN_TAGS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!If': 'Fn::If',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
  '!ForEach': 'Fn::ForEach',
};

const CORE_TAG = /^tag:yaml\.org,2002:/;

/** The short tags registered with yaml (scalar, sequence and mapping forms), so it neither warns nor guesses. */
let customTags: Tags | undefined;
function cfnCustomTags(): Tags {
  const { YAMLMap: MapClass, YAMLSeq: SeqClass } = yaml();
  return (customTags ??= Object.keys(CFN_TAGS).flatMap((tag) => [
    { tag, resolve: (s: string) => s },
    { tag, collection: 'seq' as const, nodeClass: SeqClass, resolve: (v: unknown) => v as YAMLSeq },
    { tag, collection: 'map' as const, nodeClass: MapClass, resolve: (v: unknown) => v as YAMLMap },
  ]));
}

export interface YamlResult {
  readonly value: unknown;
  /** More than one YAML document in the file (`---`): CloudFormation templates never are. */
  readonly multiDocument?: boolean;
}

export function parseYaml(text: string, map: SourceMap, maxDepth: number, maxAliasCount: number): YamlResult {
  let doc: Document.Parsed;
  try {
    doc = yaml().parseDocument(text, {
      version: '1.2',
      schema: 'core',
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
      keepSourceTokens: false,
      customTags: cfnCustomTags(),
    });
  } catch (e) {
    // yaml recurses: a pathological nesting can overflow the stack.
    throw new PolicySourceError(`invalid YAML: ${e instanceof RangeError ? 'nesting too deep' : String((e as Error)?.message ?? e)}`, {
      file: map.file,
    });
  }
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    if (err.code === 'MULTIPLE_DOCS') return { value: undefined, multiDocument: true };
    const pos = map.position(err.pos[0]);
    const msg = err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
    throw new PolicySourceError(`invalid YAML: ${msg}`, { file: map.file, ...pos });
  }
  const conv = new Converter(doc, text, map, maxDepth, maxAliasCount);
  return { value: conv.value(doc.contents as YamlNode | null, 0, undefined, undefined) };
}

class Converter {
  private aliasesSeen = 0;
  private readonly aliasCache = new Map<YamlNode, { value: unknown; aliases: number }>();
  private readonly aliasCounts = new Map<YamlNode, number>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly map: SourceMap,
    private readonly maxDepth: number,
    private readonly maxAliasCount: number,
  ) {}

  private fail(message: string, node: { range?: [number, number, number] | null } | null | undefined, path?: NodeMeta, key?: PathKey): never {
    const offset = node?.range?.[0] ?? 0;
    let p = path ? this.map.pathOfMeta(path) : '';
    if (key !== undefined) p = p ? `${p}${typeof key === 'number' ? `[${key}]` : `.${key}`}` : String(key);
    throw new PolicySourceError(message, { file: this.map.file, ...this.map.position(offset), ...(p ? { path: p } : {}) });
  }

  /** How many alias expansions a node stands for once fully expanded (memoised, linear). */
  private countAliases(node: unknown, depth: number): number {
    if (depth > this.maxDepth) return Infinity;
    if (yaml().isAlias(node)) {
      const target = this.target(node);
      const cached = this.aliasCounts.get(target as YamlNode);
      if (cached !== undefined) return 1 + cached;
      const c = this.countAliases(target, depth + 1);
      this.aliasCounts.set(target as YamlNode, c);
      return 1 + c;
    }
    let total = 0;
    if (yaml().isMap(node)) for (const p of node.items) total += this.countAliases(p.key, depth + 1) + this.countAliases(p.value, depth + 1);
    else if (yaml().isSeq(node)) for (const it of node.items) total += this.countAliases(it, depth + 1);
    return total;
  }

  private target(alias: Alias): unknown {
    const t = alias.resolve(this.doc);
    if (!t) this.fail(`YAML alias *${alias.source} has no anchor`, alias);
    return t;
  }

  value(node: YamlNode | Pair | null | undefined, depth: number, parent: NodeMeta | undefined, key: PathKey | undefined): unknown {
    if (node === null || node === undefined) return null;
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels (option maxDepth)`, node as YamlNode, parent, key);
    if (yaml().isAlias(node)) {
      const target = this.target(node) as YamlNode;
      const cached = this.aliasCache.get(target);
      const count = 1 + (this.aliasCounts.get(target) ?? this.countAliases(target, depth));
      this.aliasesSeen += count;
      if (this.aliasesSeen > this.maxAliasCount) {
        this.fail(`YAML aliases expand to more than ${this.maxAliasCount} copies (option maxAliasCount): refusing a possible alias bomb`, node, parent, key);
      }
      if (cached) return cached.value;
      const v = this.value(target, depth, parent, key);
      this.aliasCache.set(target, { value: v, aliases: count });
      return v;
    }
    const tag = (node as YamlNode).tag;
    if (tag && !CORE_TAG.test(tag)) {
      const long = CFN_TAGS[tag];
      if (!long) this.fail(`unknown YAML tag ${tag}`, node as YamlNode, parent, key);
      const off = (node as YamlNode).range?.[0] ?? 0;
      const wrapperMeta: NodeMeta = { offset: off, parent, key, node: long, lookup: tagChildOffset };
      const inner = this.plain(node as YamlNode, depth, wrapperMeta, long, true);
      const wrapper: Record<string, unknown> = {};
      if (long === 'Fn::GetAtt' && typeof inner === 'string') {
        const dot = inner.indexOf('.');
        setOwn(wrapper, long, dot === -1 ? [inner] : [inner.slice(0, dot), inner.slice(dot + 1)]);
      } else setOwn(wrapper, long, inner);
      this.map.register(wrapper, wrapperMeta);
      return wrapper;
    }
    return this.plain(node as YamlNode, depth, parent, key, false);
  }

  private plain(node: YamlNode, depth: number, parent: NodeMeta | undefined, key: PathKey | undefined, tagged: boolean): unknown {
    if (yaml().isScalar(node)) {
      const v = node.value;
      if (typeof v === 'number' && node.type === 'PLAIN' && node.range) {
        const src = this.text.slice(node.range[0], node.range[1]);
        if (String(v) !== src) return src;
      }
      if (typeof v === 'bigint') return String(v);
      if (tagged && v === null) return '';
      return v;
    }
    if (yaml().isMap(node)) {
      const offset = node.range?.[0] ?? 0;
      // Child positions are found on demand from the YAML node (cheaper than a Map per container).
      const meta: NodeMeta = { offset, parent, key, node, lookup: mapChildOffset };
      const obj: Record<string, unknown> = {};
      this.map.register(obj, meta);
      for (const pair of node.items) {
        const k = this.keyOf(pair, meta);
        setOwn(obj, k, this.value(pair.value as YamlNode | null, depth + 1, meta, k));
      }
      return obj;
    }
    if (yaml().isSeq(node)) {
      const offset = node.range?.[0] ?? 0;
      const meta: NodeMeta = { offset, parent, key, node, lookup: seqChildOffset };
      const arr: unknown[] = [];
      this.map.register(arr, meta);
      for (let idx = 0; idx < node.items.length; idx++) arr.push(this.value(node.items[idx] as YamlNode | null, depth + 1, meta, idx));
      return arr;
    }
    return this.fail('unsupported YAML node', node, parent, key);
  }

  private keyOf(pair: Pair, meta: NodeMeta): string {
    const k = pair.key as YamlNode | null;
    if (k === null || k === undefined) return '';
    if (yaml().isScalar(k) && !k.tag) {
      if (typeof k.value === 'number' && k.range) return this.text.slice(k.range[0], k.range[1]);
      return String(k.value);
    }
    if (yaml().isScalar(k) && k.tag && CORE_TAG.test(k.tag)) return String(k.value);
    return this.fail('only plain scalar keys are supported', k, meta);
  }
}

/** Key offsets of large maps, built on the first lookup (small maps are searched). */
const keyIndex = new WeakMap<YAMLMap, Map<string, number>>();

function seqChildOffset(node: unknown, key: PathKey, _text: string, fallback: number): number | undefined {
  if (typeof key !== 'number') return undefined;
  const items = (node as YAMLSeq).items;
  return key < items.length ? ((items[key] as YamlNode | null | undefined)?.range?.[0] ?? fallback) : undefined;
}

function tagChildOffset(node: unknown, key: PathKey, _text: string, fallback: number): number | undefined {
  return key === node ? fallback : undefined;
}

function mapChildOffset(n: unknown, key: PathKey, text: string, fallback: number): number | undefined {
  const node = n as YAMLMap;
  if (typeof key !== 'string') return undefined;
  const nameOf = (k: YamlNode): string => (yaml().isScalar(k) && typeof k.value === 'number' && k.range && !k.tag ? text.slice(k.range[0], k.range[1]) : String((k as { value?: unknown }).value));
  if (node.items.length > 16) {
    let index = keyIndex.get(node);
    if (!index) {
      index = new Map();
      for (const pair of node.items) {
        const k = pair.key as YamlNode | null;
        if (yaml().isScalar(k)) {
          const name = nameOf(k);
          if (!index.has(name)) index.set(name, k.range?.[0] ?? fallback);
        }
      }
      keyIndex.set(node, index);
    }
    return index.get(key);
  }
  for (const pair of node.items) {
    const k = pair.key as YamlNode | null;
    if (!yaml().isScalar(k)) continue;
    if (nameOf(k) === key) return k.range?.[0] ?? fallback;
  }
  return undefined;
}
