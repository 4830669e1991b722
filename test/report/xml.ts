/**
 * A minimal XML parser for tests: elements, attributes, text, the five predefined entities
 * and numeric references; throws on anything not well-formed (mismatched tags, bad
 * attribute syntax, a raw '<' or '&' in text, content after the root).
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  if (/[<]/.test(s)) throw new Error(`raw '<' in text near ${where}`);
  return s.replace(/&([^;]*);|&/g, (m, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare '&' near ${where}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const v = ENTITY[name];
    if (v === undefined) throw new Error(`unknown entity &${name}; near ${where}`);
    return v;
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const skipProlog = (): void => {
    const m = /^\s*<\?xml[^?]*\?>/.exec(xml);
    if (m) i = m[0].length;
  };
  skipProlog();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length) stack[stack.length - 1]!.text += decode(text, i);
    else if (text.trim()) throw new Error(`text outside the root element near ${i}`);
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error(`unterminated tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1).trim()) throw new Error(`mismatched </${tag.slice(1)}> at ${lt}`);
      if (!stack.length) root = open;
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*$/.exec(body);
    if (!m) throw new Error(`malformed tag <${tag}> at ${lt}`);
    if (root) throw new Error(`second root element at ${lt}`);
    const attributes: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (a[1]! in attributes) throw new Error(`duplicate attribute ${a[1]} at ${lt}`);
      attributes[a[1]!] = decode(a[2]!, lt);
    }
    const el: XmlElement = { name: m[1]!, attributes, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    if (selfClosing) {
      if (!stack.length) root = el;
    } else stack.push(el);
  }
  if (stack.length || !root) throw new Error('unclosed elements at the end');
  return root;
}
