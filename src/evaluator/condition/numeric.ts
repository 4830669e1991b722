/** Numeric condition operators. A value that is not a number never matches. */
import { never, op, type ConditionOperator } from './operator';

function num(text: string): number | undefined {
  const t = text.trim();
  if (!t || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function compare(test: (c: number, p: number) => boolean): ConditionOperator['compile'] {
  return (v) => {
    const p = num(v.text);
    if (p === undefined) return never;
    return (c) => {
      const n = num(c);
      return n !== undefined && test(n, p);
    };
  };
}

export const numericOperators: readonly ConditionOperator[] = [
  op('NumericEquals', 'Numeric', compare((c, p) => c === p)),
  op('NumericNotEquals', 'Numeric', compare((c, p) => c === p), { negated: true }),
  op('NumericLessThan', 'Numeric', compare((c, p) => c < p)),
  op('NumericLessThanEquals', 'Numeric', compare((c, p) => c <= p)),
  op('NumericGreaterThan', 'Numeric', compare((c, p) => c > p)),
  op('NumericGreaterThanEquals', 'Numeric', compare((c, p) => c >= p)),
];

export { num as parseNumber };
