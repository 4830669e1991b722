/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`) and the
 * escapes `${*}`, `${?}`, `${$}` in Resource and condition values, plus the holes of
 * partially unresolved template strings. Policy variables only exist in documents with
 * `"Version": "2012-10-17"`; elsewhere the text is literal (as in IAM).
 */
import { Unresolved } from '../policy/symbolic';
import { ANY, STAR } from './wildcard';

export type Part =
  | { readonly kind: 'text'; readonly text: string }
  /** A character that is literal even where wildcards apply (`${*}`, `${?}`, `${$}`). */
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'var'; readonly name: string; readonly key: string; readonly fallback?: string }
  | { readonly kind: 'hole'; readonly description: string };

export interface Template {
  readonly parts: readonly Part[];
  /** True when there is no variable and no hole: the text is fixed. */
  readonly fixed: boolean;
  /** As written, for messages. */
  readonly source: string;
}

/** Split a string (or partially unresolved value) into parts. */
export function parseTemplate(value: string | Unresolved, variables: boolean): Template {
  const parts: Part[] = [];
  if (value instanceof Unresolved) {
    if (!value.parts) parts.push({ kind: 'hole', description: value.description });
    else {
      for (const p of value.parts) {
        if (typeof p === 'string') parts.push(...parseString(p, variables));
        else parts.push({ kind: 'hole', description: p.unknown });
      }
    }
  } else parts.push(...parseString(value, variables));
  return {
    parts,
    fixed: parts.every((p) => p.kind === 'text' || p.kind === 'char'),
    source: String(value),
  };
}

function parseString(text: string, variables: boolean): Part[] {
  if (!variables || !text.includes('${')) return [{ kind: 'text', text }];
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open < 0) break;
    const close = text.indexOf('}', open + 2);
    if (close < 0) break;
    const inner = text.slice(open + 2, close);
    const parsed = parseInner(inner);
    literal += text.slice(i, open);
    if (!parsed) {
      // Not a variable: keep the text as written.
      literal += text.slice(open, close + 1);
    } else {
      if (literal) parts.push({ kind: 'text', text: literal });
      literal = '';
      parts.push(parsed);
    }
    i = close + 1;
  }
  literal += text.slice(i);
  if (literal) parts.push({ kind: 'text', text: literal });
  return parts;
}

function parseInner(inner: string): Part | undefined {
  if (inner === '*' || inner === '?' || inner === '$') return { kind: 'char', char: inner };
  const comma = inner.indexOf(',');
  const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
  if (!name || /\s/.test(name)) return undefined;
  if (comma < 0) return { kind: 'var', name, key: name.toLowerCase() };
  const rest = inner.slice(comma + 1).trim();
  if (rest.length < 2 || !rest.startsWith("'") || !rest.endsWith("'")) return undefined;
  const body = rest.slice(1, -1);
  if (/(^|[^'])'([^']|$)/.test(body.replace(/''/g, ''))) return undefined;
  return { kind: 'var', name, key: name.toLowerCase(), fallback: body.replace(/''/g, "'") };
}

/** Lower-cased view of a request context. */
export type Context = ReadonlyMap<string, readonly string[]>;

export interface Substituted {
  /** Glob codes, with unknown parts over-approximated by a star. */
  readonly codes: number[];
  /** Variables the context did not give (each became a star). */
  readonly unknownVariables: string[];
  /** Unresolved template values (each became a star). */
  readonly holes: string[];
  /**
   * A variable the context gives as absent (`[]`) or with several values, and no default:
   * IAM cannot substitute it and the value matches nothing.
   */
  readonly failed: boolean;
}

/**
 * Substitute variables from the context. `wildcards`: whether `*`/`?` in the text are
 * wildcards. `lower`: fold case. Unknown variables and holes become `*` so callers can
 * rule matches out; any such part makes a match uncertain.
 */
export function substitute(template: Template, context: Context | undefined, wildcards: boolean, lower: boolean): Substituted {
  const codes: number[] = [];
  const unknownVariables: string[] = [];
  const holes: string[] = [];
  let failed = false;
  const pushText = (text: string, wild: boolean): void => {
    const t = lower ? text.toLowerCase() : text;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      codes.push(wild && c === 42 ? STAR : wild && c === 63 ? ANY : c);
    }
  };
  for (const part of template.parts) {
    switch (part.kind) {
      case 'text':
        pushText(part.text, wildcards);
        break;
      case 'char':
        pushText(part.char, false);
        break;
      case 'hole':
        holes.push(part.description);
        codes.push(STAR);
        break;
      case 'var': {
        const values = context?.get(part.key);
        if (values === undefined) {
          // Not in the context: unknown, even with a default (the real request may carry it).
          unknownVariables.push(part.name);
          codes.push(STAR);
        } else if (values.length === 1) pushText(values[0]!, false);
        else if (part.fallback !== undefined) pushText(part.fallback, false);
        else failed = true;
        break;
      }
    }
  }
  return { codes, unknownVariables, holes, failed };
}

/** Substitute into a plain string (for operators without wildcards); undefined parts as for substitute(). */
export function substituteText(
  template: Template,
  context: Context | undefined,
): { text: string; unknownVariables: string[]; holes: string[]; failed: boolean } {
  if (template.fixed && template.parts.length === 1 && template.parts[0]!.kind === 'text') {
    return { text: template.parts[0].text, unknownVariables: [], holes: [], failed: false };
  }
  const s = substitute(template, context, false, false);
  return {
    text: s.codes.map((c) => (c === STAR ? '*' : String.fromCharCode(c))).join(''),
    unknownVariables: s.unknownVariables,
    holes: s.holes,
    failed: s.failed,
  };
}
