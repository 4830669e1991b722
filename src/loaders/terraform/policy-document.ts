/**
 * `data "aws_iam_policy_document"` as the AWS provider renders it, for when a plan leaves its
 * `json` unknown: the document is rebuilt from the data source's planned `statement` values (or,
 * failing those, from the configuration's expressions), with whatever is unknown kept unknown.
 *
 * Rendering follows the provider's documentation
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document):
 * `effect` defaults to Allow, `version` to 2012-10-17; `principals`/`not_principals` blocks become
 * `{ Type: identifiers }`; `condition` blocks with the same `test` merge into one operator;
 * `source_policy_documents` statements come first and a statement of this document with the same
 * non-empty `sid` replaces one from a source; `override_policy_documents` replace statements with the
 * same `sid` (or are appended) last.
 */
import { Unresolved } from '../../policy/symbolic';
import { isPlainObject, own, setOwn } from '../source';

/** A value from the plan or configuration: known, or unknown with a description. */
export type Known<T = unknown> = { readonly known: true; readonly value: T } | { readonly known: false; readonly why: string };

/** How to read one attribute of one statement block (the plan's values or configuration expressions). */
export interface BlockReader {
  /** The attribute, `undefined` value when absent. */
  get(name: string): Known;
  /** Nested blocks (principals, condition). */
  blocks(name: string): BlockReader[] | Known;
}

function unknownValue(why: string): Unresolved {
  return new Unresolved(why);
}

function listOf(v: Known, why: string): unknown {
  if (!v.known) return unknownValue(v.why || why);
  const x = v.value;
  if (x === undefined || x === null) return undefined;
  if (Array.isArray(x)) {
    const items = x.filter((i) => i !== null && i !== undefined);
    if (items.length === 0) return undefined;
    return items.length === 1 ? items[0] : items;
  }
  return x;
}

function renderStatement(b: BlockReader, where: string): Record<string, unknown> {
  const st = Object.create(null) as Record<string, unknown>;
  const sid = b.get('sid');
  if (!sid.known) st.Sid = unknownValue(sid.why);
  else if (typeof sid.value === 'string' && sid.value) st.Sid = sid.value;
  const effect = b.get('effect');
  st.Effect = effect.known ? (typeof effect.value === 'string' && effect.value ? effect.value : 'Allow') : unknownValue(effect.why);
  const pairs: Array<[string, string]> = [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ];
  for (const [tf, iam] of pairs) {
    const v = listOf(b.get(tf), `${where}.${tf}`);
    if (v !== undefined) st[iam] = v;
  }
  for (const [tf, iam] of [['principals', 'Principal'], ['not_principals', 'NotPrincipal']] as const) {
    const blocks = b.blocks(tf);
    if (!Array.isArray(blocks)) {
      if (!blocks.known) st[iam] = unknownValue(blocks.why);
      continue;
    }
    if (blocks.length === 0) continue;
    const p = Object.create(null) as Record<string, unknown>;
    for (const pb of blocks) {
      const type = pb.get('type');
      const ids = listOf(pb.get('identifiers'), `${where}.${tf}.identifiers`);
      if (!type.known || typeof type.value !== 'string') {
        st[iam] = unknownValue(type.known ? `${where}.${tf}.type` : type.why);
        break;
      }
      if (type.value === '*' && ids === '*') {
        st[iam] = '*';
        break;
      }
      setOwn(p, type.value, ids);
    }
    if (st[iam] === undefined) st[iam] = p;
  }
  const conds = b.blocks('condition');
  if (!Array.isArray(conds)) {
    if (!conds.known) st.Condition = unknownValue(conds.why);
  } else if (conds.length) {
    const c = Object.create(null) as Record<string, Record<string, unknown>>;
    for (const cb of conds) {
      const test = cb.get('test');
      const variable = cb.get('variable');
      const values = cb.get('values');
      if (!test.known || typeof test.value !== 'string' || !variable.known || typeof variable.value !== 'string') {
        st.Condition = unknownValue(!test.known ? test.why : !variable.known ? variable.why : `${where}.condition`);
        break;
      }
      const op = own(c, test.value) as Record<string, unknown> | undefined ?? (Object.create(null) as Record<string, unknown>);
      setOwn(c, test.value, op);
      const vals = values.known ? (Array.isArray(values.value) ? values.value : [values.value]) : unknownValue(values.why);
      const prev = own(op, variable.value);
      setOwn(op, variable.value, Array.isArray(prev) && Array.isArray(vals) ? [...prev, ...vals] : vals);
    }
    if (st.Condition === undefined) st.Condition = c;
  }
  return st;
}

/** Statements of a JSON policy text (a source/override document). */
function statementsOf(text: unknown): unknown[] | Unresolved {
  if (text instanceof Unresolved) return text;
  if (typeof text !== 'string' || !text.trim()) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return new Unresolved('a source_policy_documents/override_policy_documents entry that is not valid JSON');
  }
  const s = own(doc, 'Statement');
  return Array.isArray(s) ? s : s === undefined ? [] : [s];
}

function sidOf(s: unknown): string | undefined {
  const v = own(s, 'Sid');
  return typeof v === 'string' && v ? v : undefined;
}

/**
 * The document a data source renders. Returns an Unresolved for the whole document when
 * something it is made of (a source document, the statement list) is unknown as a whole.
 */
export function renderPolicyDocument(doc: BlockReader, address: string): unknown {
  const merge = (into: unknown[], extra: readonly unknown[]): void => {
    for (const s of extra) {
      const sid = sidOf(s);
      const at = sid ? into.findIndex((x) => sidOf(x) === sid) : -1;
      if (at >= 0) into[at] = s;
      else into.push(s);
    }
  };
  const sources = doc.get('source_policy_documents');
  const overrides = doc.get('override_policy_documents');
  const blocks = doc.blocks('statement');
  if (!sources.known) return new Unresolved(`${address}.source_policy_documents (${sources.why})`);
  if (!overrides.known) return new Unresolved(`${address}.override_policy_documents (${overrides.why})`);
  if (!Array.isArray(blocks) && !blocks.known) return new Unresolved(`${address}.statement (${blocks.why})`);
  const statements: unknown[] = [];
  for (const src of Array.isArray(sources.value) ? sources.value : []) {
    const s = statementsOf(src);
    if (s instanceof Unresolved) return new Unresolved(`${address}.source_policy_documents: ${s.description}`);
    merge(statements, s);
  }
  const own_ = (Array.isArray(blocks) ? blocks : []).map((b, i) => renderStatement(b, `${address}.statement[${i}]`));
  merge(statements, own_);
  for (const o of Array.isArray(overrides.value) ? overrides.value : []) {
    const s = statementsOf(o);
    if (s instanceof Unresolved) return new Unresolved(`${address}.override_policy_documents: ${s.description}`);
    merge(statements, s);
  }
  const version = doc.get('version');
  const out = Object.create(null) as Record<string, unknown>;
  out.Version = version.known && typeof version.value === 'string' && version.value ? version.value : '2012-10-17';
  const id = doc.get('policy_id');
  if (id.known && typeof id.value === 'string' && id.value) out.Id = id.value;
  out.Statement = statements;
  return out;
}

/** An `after_unknown` mark: `true` in plans; the sources loader writes the reason (a string) instead. */
export function markOf(u: unknown): true | string | undefined {
  return u === true ? true : typeof u === 'string' ? u : undefined;
}

/** The reason an `after_unknown` mark gives, when it is a string. */
export function reasonOf(u: unknown): string | undefined {
  return typeof u === 'string' ? u : undefined;
}

/** Read a block from planned values plus the matching `after_unknown` tree. */
export function valuesReader(values: unknown, unknown: unknown, where: string): BlockReader {
  return {
    get(name) {
      const u = own(unknown, name);
      if (markOf(u) || markOf(unknown)) return { known: false, why: reasonOf(u) ?? reasonOf(unknown) ?? `${where}.${name} is known only after apply` };
      if (Array.isArray(u) && u.some((x) => markOf(x))) return { known: false, why: reasonOf(u.find((x) => markOf(x))) ?? `${where}.${name} is partly known only after apply` };
      return { known: true, value: own(values, name) };
    },
    blocks(name) {
      const u = own(unknown, name);
      if (markOf(u) || markOf(unknown)) return { known: false, why: reasonOf(u) ?? reasonOf(unknown) ?? `${where}.${name} is known only after apply` };
      const v = own(values, name);
      if (!Array.isArray(v)) return [];
      return v.map((b, i) => valuesReader(b, Array.isArray(u) ? u[i] : undefined, `${where}.${name}[${i}]`));
    },
  };
}

/**
 * Read a block from configuration expressions: `{ constant_value }` is known, `{ references }`
 * is unknown (named by its references). Nested blocks are arrays of expression objects.
 */
export function expressionsReader(expressions: unknown, where: string): BlockReader {
  return {
    get(name) {
      const e = own(expressions, name);
      if (e === undefined) return { known: true, value: undefined };
      if (isPlainObject(e) && Object.prototype.hasOwnProperty.call(e, 'constant_value')) return { known: true, value: own(e, 'constant_value') };
      const refs = own(e, 'references');
      return { known: false, why: `${where}.${name}${Array.isArray(refs) && refs.length ? ` (${refs.join(', ')})` : ''}` };
    },
    blocks(name) {
      const e = own(expressions, name);
      if (e === undefined) return [];
      if (!Array.isArray(e)) return { known: false, why: `${where}.${name} (a dynamic block or an expression)` };
      return e.map((b, i) => expressionsReader(b, `${where}.${name}[${i}]`));
    },
  };
}
