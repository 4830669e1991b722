/**
 * A small structural delta for JSON values, used to keep every version of some AWS managed
 * policies in the bundle: each version is stored as a delta against the previous one. AWS edits
 * managed policies by adding or removing a few actions or statements, so a version costs a few
 * hundred bytes instead of the whole document (ReadOnlyAccess: 151 versions of ~30 KB).
 *
 * Encoding (JSON, no keys that could clash with policy content):
 *   0                      unchanged
 *   [1, value]             replaced by value
 *   [2, [[key, delta]...]] an object: every key of the new object, in its order, with its delta
 *                          against the old value of that key ([1, v] for a new key)
 *   [3, ops]               an array: ops in order; n > 0 copies n old elements, n < 0 skips -n old
 *                          elements, [v] inserts v, [2, i, delta] inserts old element i with delta applied
 *                          (a statement that changed, wherever it was)
 * The build decodes every delta and compares it with the original document before writing.
 */

export type Delta = 0 | [1, unknown] | [2, Array<[string, Delta]>] | [3, ArrayOp[]];
export type ArrayOp = number | [unknown] | [2, number, Delta];

function canonical(v: unknown): string {
  return JSON.stringify(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The delta that turns `a` into `b` (key order of `b` is kept). */
export function diff(a: unknown, b: unknown): Delta {
  if (canonical(a) === canonical(b)) return 0;
  if (isObject(a) && isObject(b)) {
    const out: Array<[string, Delta]> = [];
    for (const k of Object.keys(b)) out.push([k, Object.prototype.hasOwnProperty.call(a, k) ? diff(a[k], b[k]) : [1, b[k]]]);
    return [2, out];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const ops = arrayOps(a, b);
    if (ops) return [3, ops];
  }
  return [1, b];
}

/** Myers' O((N+M)D) shortest edit script over element texts; undefined past a cost cap. */
function arrayOps(a: readonly unknown[], b: readonly unknown[]): ArrayOp[] | undefined {
  const at = a.map(canonical);
  const bt = b.map(canonical);
  let start = 0;
  while (start < at.length && start < bt.length && at[start] === bt[start]) start++;
  let endA = at.length;
  let endB = bt.length;
  while (endA > start && endB > start && at[endA - 1] === bt[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  const max = n + m;
  const cap = Math.min(max, 2500);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= cap; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && at[start + x] === bt[start + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) return undefined;
  // Walk back: collect edits from the end.
  type Edit = { kind: 'keep' | 'del' | 'ins'; i: number; j: number };
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vv = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vv[offset + k - 1]! < vv[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vv[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ kind: 'keep', i: x - 1, j: y - 1 });
      x--;
      y--;
    }
    if (x === prevX) edits.push({ kind: 'ins', i: x, j: y - 1 });
    else edits.push({ kind: 'del', i: x - 1, j: y });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    edits.push({ kind: 'keep', i: x - 1, j: y - 1 });
    x--;
    y--;
  }
  edits.reverse();
  const ops: ArrayOp[] = [];
  const push = (op: ArrayOp): void => {
    const last = ops[ops.length - 1];
    if (typeof op === 'number' && typeof last === 'number' && Math.sign(op) === Math.sign(last)) ops[ops.length - 1] = last + op;
    else ops.push(op);
  };
  if (start) push(start);
  for (let e = 0; e < edits.length; e++) {
    const ed = edits[e]!;
    if (ed.kind === 'keep') push(1);
    else if (ed.kind === 'del') push(-1);
    else push(insertion(a, b[start + ed.j]));
  }
  if (at.length - endA) push(at.length - endA);
  return ops;
}

/** An inserted element: as is, or (an object) as a delta of the old object it is closest to. */
function insertion(a: readonly unknown[], value: unknown): ArrayOp {
  const plain = JSON.stringify(value).length;
  if (!isObject(value)) return [value];
  let best: ArrayOp = [value];
  let bestSize = plain;
  a.forEach((old, i) => {
    if (!isObject(old)) return;
    const d = diff(old, value);
    const size = JSON.stringify(d).length + 8;
    if (size < bestSize) {
      best = [2, i, d];
      bestSize = size;
    }
  });
  return best;
}

/** Apply a delta to the old value (never mutates it). */
export function patch(a: unknown, delta: Delta): unknown {
  if (delta === 0) return a;
  switch (delta[0]) {
    case 1:
      return delta[1];
    case 2: {
      const old = isObject(a) ? a : {};
      const out: Record<string, unknown> = {};
      for (const [k, d] of delta[1]) {
        const value = patch(Object.prototype.hasOwnProperty.call(old, k) ? old[k] : undefined, d);
        if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
        else out[k] = value;
      }
      return out;
    }
    case 3: {
      const old = Array.isArray(a) ? a : [];
      const out: unknown[] = [];
      let i = 0;
      for (const op of delta[1]) {
        if (typeof op === 'number') {
          if (op > 0) {
            for (let c = 0; c < op; c++) out.push(old[i++]);
          } else i -= op;
        } else if (op.length === 1) out.push(op[0]);
        else out.push(patch(old[op[1]], op[2]));
      }
      return out;
    }
    default:
      throw new Error('invalid delta');
  }
}
