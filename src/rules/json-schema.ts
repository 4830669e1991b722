/**
 * A small JSON Schema validator for the subset of keywords that src/rules/schema.json uses
 * (type, properties, required, additionalProperties, minProperties, items, minItems,
 * minLength, pattern, enum, const, anyOf, oneOf, local $ref). A keyword outside that set
 * is a programming error and throws, so the schema and the validator cannot drift apart
 * silently (test/rules/schema.test.ts walks the schema).
 *
 * Messages are written for people editing a YAML file: an unknown key names the closest
 * allowed ones.
 */
import { closestNames } from '../util/suggest';

export type JsonPath = ReadonlyArray<string | number>;

export interface SchemaIssue {
  /** Where in the document (keys and indexes from the root). */
  readonly path: JsonPath;
  readonly message: string;
  /** True when the issue is about a key itself (an unknown key), not its value. */
  readonly atKey?: boolean;
}

type Schema = Readonly<Record<string, unknown>>;

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', '$defs', '$ref', 'title', 'description',
  'type', 'properties', 'required', 'additionalProperties', 'minProperties',
  'items', 'minItems', 'minLength', 'pattern', 'enum', 'const', 'anyOf', 'oneOf',
]);

export function validateAgainstSchema(value: unknown, root: Schema): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(value, root, root, [], issues);
  return issues;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function describe(value: unknown): string {
  const t = typeOf(value);
  if (t === 'string') return `the string ${JSON.stringify(value)}`;
  if (t === 'integer' || t === 'number' || t === 'boolean') return `${t} ${String(value)}`;
  if (t === 'object') return 'a mapping';
  if (t === 'array') return 'a list';
  return t;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', object: 'a mapping', array: 'a list', boolean: 'true or false',
  number: 'a number', integer: 'an integer', null: 'null',
};

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  if (!ref.startsWith('#/')) throw new Error(`json-schema: only local $ref is supported (${ref})`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'object' || node === null) throw new Error(`json-schema: unresolved $ref ${ref}`);
  // Sibling keywords next to $ref (description) are annotations only.
  return resolve(node as Schema, root);
}

function check(value: unknown, rawSchema: Schema, root: Schema, path: JsonPath, issues: SchemaIssue[]): void {
  for (const key of Object.keys(rawSchema)) {
    if (!SUPPORTED_KEYWORDS.has(key)) throw new Error(`json-schema: unsupported keyword '${key}'`);
  }
  const schema = resolve(rawSchema, root);
  if (schema !== rawSchema) {
    for (const key of Object.keys(schema)) {
      if (!SUPPORTED_KEYWORDS.has(key)) throw new Error(`json-schema: unsupported keyword '${key}'`);
    }
  }

  if (schema.anyOf !== undefined || schema.oneOf !== undefined) {
    const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[];
    const results = alternatives.map((alt) => {
      const found: SchemaIssue[] = [];
      check(value, alt, root, path, found);
      return found;
    });
    const passing = results.filter((r) => r.length === 0).length;
    if (schema.oneOf !== undefined && passing > 1) {
      issues.push({ path, message: 'matches more than one of the allowed forms' });
    }
    if (passing === 0) {
      // Prefer the alternative whose top-level type fits: its errors are the useful ones.
      const fitting = results.filter((r) => r.every((i) => i.path.length > path.length || !i.message.startsWith('must be ')));
      if (fitting.length > 0) issues.push(...fitting.sort((a, b) => a.length - b.length)[0]!);
      else issues.push({ path, message: `must be ${alternatives.map((a) => expectedWords(a, root)).join(' or ')}, not ${describe(value)}` });
    }
  }

  if (schema.const !== undefined && value !== schema.const) {
    issues.push({ path, message: `must be ${JSON.stringify(schema.const)}, not ${describe(value)}` });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never)) {
    issues.push({ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, not ${describe(value)}` });
    return;
  }
  if (typeof schema.type === 'string') {
    const actual = typeOf(value);
    const ok = actual === schema.type || (schema.type === 'number' && actual === 'integer');
    if (!ok) {
      issues.push({ path, message: `must be ${TYPE_WORDS[schema.type] ?? schema.type}, not ${describe(value)}` });
      return;
    }
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
      issues.push({ path, message: 'must not be empty' });
    } else if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      issues.push({ path, message: patternMessage(schema.pattern, value) });
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      issues.push({ path, message: `must list at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}` });
    }
    if (schema.items !== undefined) {
      value.forEach((item, i) => check(item, schema.items as Schema, root, [...path, i], issues));
    }
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const keys = Object.keys(obj);
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) {
      issues.push({ path, message: schema.properties
        ? `must set at least one of ${Object.keys(props).join(', ')}`
        : 'must not be empty' });
    }
    for (const req of (schema.required ?? []) as string[]) {
      if (!Object.prototype.hasOwnProperty.call(obj, req)) issues.push({ path, message: `is missing the required key '${req}'` });
    }
    for (const key of keys) {
      if (Object.prototype.hasOwnProperty.call(props, key)) {
        check(obj[key], props[key]!, root, [...path, key], issues);
      } else if (schema.additionalProperties === false) {
        const near = closestNames(key, Object.keys(props));
        issues.push({
          path: [...path, key],
          atKey: true,
          message: `unknown key '${key}'` + (near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
            ` (allowed: ${Object.keys(props).join(', ')})`,
        });
      } else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) {
        check(obj[key], schema.additionalProperties as Schema, root, [...path, key], issues);
      }
    }
  }
}

function expectedWords(schema: Schema, root: Schema): string {
  const s = resolve(schema, root);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (typeof s.type === 'string') {
    if (s.type === 'array' && s.items) return `a list of ${plural(expectedWords(s.items as Schema, root))}`;
    return TYPE_WORDS[s.type] ?? s.type;
  }
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alts) return alts.map((a) => expectedWords(a, root)).join(' or ');
  return 'a valid value';
}

function plural(words: string): string {
  return words.replace(/^an? /, '') + 's';
}

function patternMessage(pattern: string, value: string): string {
  if (pattern === '^.+ / .+$') return `must be written 'Page / Task' (with spaces around the slash), not ${JSON.stringify(value)}`;
  if (pattern === '\\S') return 'must not be blank';
  return `${JSON.stringify(value)} does not match the pattern ${pattern}`;
}
