/**
 * Terraform addresses (`module.contact_center["eu"].aws_iam_role.agent[0]`) and the references of
 * configuration expressions (`aws_iam_role.agent.name`, `module.iam.role_name`, `var.x`).
 * See https://developer.hashicorp.com/terraform/cli/state/resource-addressing.
 */

export type InstanceKey = string | number;

export interface ModuleStep {
  readonly name: string;
  readonly key?: InstanceKey;
}

export interface ResourceAddress {
  readonly modules: readonly ModuleStep[];
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly key?: InstanceKey;
}

/** Split at dots outside brackets: `a["x.y"].b` -> ['a["x.y"]', 'b']. */
function segments(text: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '[') {
      const close = closeBracket(text, i);
      if (close < 0) return undefined;
      cur += text.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    if (c === '.') {
      out.push(cur);
      cur = '';
    } else cur += c;
    i++;
  }
  out.push(cur);
  return out;
}

function closeBracket(text: string, open: number): number {
  let i = open + 1;
  if (text[i] === '"') {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  }
  while (i < text.length && text[i] !== ']') i++;
  return i < text.length ? i : -1;
}

/** `name["k"]` / `name[0]` / `name` -> name and key. */
export function splitKey(seg: string): { name: string; key?: InstanceKey } | undefined {
  const b = seg.indexOf('[');
  if (b < 0) return seg ? { name: seg } : undefined;
  if (!seg.endsWith(']')) return undefined;
  const name = seg.slice(0, b);
  const inner = seg.slice(b + 1, -1);
  if (/^\d+$/.test(inner)) return { name, key: Number(inner) };
  if (inner.startsWith('"')) {
    try {
      const k = JSON.parse(inner) as unknown;
      return typeof k === 'string' ? { name, key: k } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined; // [each.key], [count.index]: not an instance key
}

export function parseAddress(address: string): ResourceAddress | undefined {
  const segs = segments(address);
  if (!segs) return undefined;
  const modules: ModuleStep[] = [];
  let i = 0;
  while (segs[i] === 'module' && i + 1 < segs.length) {
    const step = splitKey(segs[i + 1]!);
    if (!step) return undefined;
    modules.push(step);
    i += 2;
  }
  let mode: 'managed' | 'data' = 'managed';
  if (segs[i] === 'data') {
    mode = 'data';
    i++;
  }
  if (segs.length - i !== 2) return undefined;
  const type = segs[i]!;
  const last = splitKey(segs[i + 1]!);
  if (!last || !type) return undefined;
  return { modules, mode, type, name: last.name, ...(last.key !== undefined ? { key: last.key } : {}) };
}

export function formatKey(key: InstanceKey | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** `module.a["x"].module.b` (empty for the root module). */
export function moduleInstance(modules: readonly ModuleStep[]): string {
  return modules.map((m) => `module.${m.name}${formatKey(m.key)}`).join('.');
}

/** The configuration path of a module instance: module names without keys. */
export function modulePath(modules: readonly ModuleStep[]): string[] {
  return modules.map((m) => m.name);
}

export function join(prefix: string, rest: string): string {
  return prefix ? `${prefix}.${rest}` : rest;
}

/** What a configuration reference points at, relative to the module it is written in. */
export type Reference =
  | { readonly kind: 'resource'; readonly mode: 'managed' | 'data'; readonly type: string; readonly name: string; readonly key?: InstanceKey; readonly attribute?: string }
  | { readonly kind: 'module'; readonly name: string; readonly key?: InstanceKey; readonly output?: string }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'other'; readonly text: string };

export function parseReference(ref: string): Reference {
  const segs = segments(ref);
  if (!segs || segs.length === 0) return { kind: 'other', text: ref };
  const head = segs[0]!;
  if (head === 'var' && segs[1]) return { kind: 'var', name: splitKey(segs[1])?.name ?? segs[1] };
  if (head === 'module' && segs[1]) {
    const m = splitKey(segs[1]);
    if (!m) return { kind: 'other', text: ref };
    const out = segs[2] ? splitKey(segs[2])?.name : undefined;
    return { kind: 'module', name: m.name, ...(m.key !== undefined ? { key: m.key } : {}), ...(out ? { output: out } : {}) };
  }
  if (['local', 'each', 'count', 'path', 'self', 'terraform'].includes(head)) return { kind: 'other', text: ref };
  let i = 0;
  let mode: 'managed' | 'data' = 'managed';
  if (head === 'data') {
    mode = 'data';
    i = 1;
  }
  const type = segs[i];
  const nameSeg = segs[i + 1];
  if (!type || !nameSeg) return { kind: 'other', text: ref };
  const n = splitKey(nameSeg);
  if (!n) {
    // aws_iam_role.x[each.key]: the resource, instance unknown.
    const b = nameSeg.indexOf('[');
    return { kind: 'resource', mode, type, name: b > 0 ? nameSeg.slice(0, b) : nameSeg, ...(segs[i + 2] ? { attribute: segs[i + 2] } : {}) };
  }
  const attr = segs[i + 2] ? splitKey(segs[i + 2]!)?.name : undefined;
  return { kind: 'resource', mode, type, name: n.name, ...(n.key !== undefined ? { key: n.key } : {}), ...(attr ? { attribute: attr } : {}) };
}
