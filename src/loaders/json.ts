/**
 * A strict JSON parser that records where every object and array is (for line numbers and
 * JSON paths), refuses what JSON refuses (trailing commas, comments, duplicate keys) with the
 * line and column, limits nesting, and treats `__proto__` as a plain key.
 */
import { PolicySourceError } from '../errors';
import { SourceMap, formatPath, setOwn, type NodeMeta, type PathKey } from './source';

export function parseJson(text: string, map: SourceMap, maxDepth: number): unknown {
  const n = text.length;
  let i = 0;
  const stack: PathKey[] = [];

  const fail = (message: string, at: number = i): never => {
    throw new PolicySourceError(`invalid JSON: ${message}`, {
      file: map.file,
      ...map.position(Math.min(at, n)),
      ...(stack.length ? { path: formatPath(stack) } : {}),
    });
  };

  const describe = (at: number): string => (at >= n ? 'end of file' : `'${text[at]}'`);

  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) fail('comments are not allowed in JSON');
      else return;
    }
  };

  const str = (): string => {
    const start = ++i; // after the quote
    let j = start;
    for (;;) {
      if (j >= n) fail('unterminated string', start - 1);
      const c = text.charCodeAt(j);
      if (c === 34) {
        i = j + 1;
        return text.slice(start, j);
      }
      if (c === 92 || c < 32) break;
      j++;
    }
    let out = text.slice(start, j);
    for (;;) {
      if (j >= n) fail('unterminated string', start - 1);
      const c = text.charCodeAt(j);
      if (c === 34) {
        i = j + 1;
        return out;
      }
      if (c < 32) fail('control character in string (escape it)', j);
      if (c === 92) {
        const e = text[j + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(j + 2, j + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape', j);
            out += String.fromCharCode(parseInt(hex, 16));
            j += 4;
            break;
          }
          default:
            fail(`invalid escape '\\${e ?? ''}'`, j);
        }
        j += 2;
      } else {
        out += text[j];
        j++;
      }
    }
  };

  const NUM = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  const value = (depth: number, parent: NodeMeta | undefined, key: PathKey | undefined): unknown => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth} levels (option maxDepth)`);
      const children = new Map<PathKey, number>();
      const meta: NodeMeta = { offset: i, parent, key, children };
      i++;
      if (c === 123) {
        const obj: Record<string, unknown> = {};
        map.register(obj, meta);
        ws();
        if (text.charCodeAt(i) === 125) {
          i++;
          return obj;
        }
        for (;;) {
          ws();
          if (text.charCodeAt(i) !== 34) {
            fail(text.charCodeAt(i) === 125 ? "trailing comma before '}'" : `expected a property name in double quotes, found ${describe(i)}`);
          }
          const keyAt = i;
          const k = str();
          if (children.has(k)) fail(`duplicate key '${k}'`, keyAt);
          children.set(k, keyAt);
          ws();
          if (text.charCodeAt(i) !== 58) fail(`expected ':' after property name, found ${describe(i)}`);
          i++;
          stack.push(k);
          setOwn(obj, k, value(depth + 1, meta, k));
          stack.pop();
          ws();
          const d = text.charCodeAt(i);
          if (d === 44) {
            i++;
            continue;
          }
          if (d === 125) {
            i++;
            return obj;
          }
          fail(`expected ',' or '}' after a property value, found ${describe(i)}`);
        }
      }
      const arr: unknown[] = [];
      map.register(arr, meta);
      ws();
      if (text.charCodeAt(i) === 93) {
        i++;
        return arr;
      }
      for (;;) {
        ws();
        if (text.charCodeAt(i) === 93) fail("trailing comma before ']'");
        const idx = arr.length;
        children.set(idx, i);
        stack.push(idx);
        arr.push(value(depth + 1, meta, idx));
        stack.pop();
        ws();
        const d = text.charCodeAt(i);
        if (d === 44) {
          i++;
          continue;
        }
        if (d === 93) {
          i++;
          return arr;
        }
        fail(`expected ',' or ']' after an array element, found ${describe(i)}`);
      }
    }
    if (c === 34) return str();
    if (c === 116 && text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (c === 102 && text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (c === 110 && text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    NUM.lastIndex = i;
    const m = NUM.exec(text);
    if (m) {
      i += m[0].length;
      const num = Number(m[0]);
      // Keep literals that a number cannot hold exactly (long account ids) as written.
      return /^-?\d+$/.test(m[0]) && !Number.isSafeInteger(num) ? m[0] : num;
    }
    if (i >= n) fail('unexpected end of file');
    if (c === 39) fail('strings must use double quotes');
    return fail(`unexpected ${describe(i)}`);
  };

  const result = value(0, undefined, undefined);
  ws();
  if (i < n) fail(`unexpected ${describe(i)} after the end of the JSON value`);
  return result;
}
