/**
 * Date condition operators. Values are ISO 8601 dates/times (W3C profile) or epoch
 * seconds; a value that is neither never matches.
 */
import { never, op, type ConditionOperator } from './operator';

export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/.test(t)) return undefined;
  // A date or date-time without zone is read as UTC.
  const withZone = /([Zz]|[+-]\d{2}:?\d{2})$/.test(t) || t.length === 10 ? t : `${t}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

function compare(test: (c: number, p: number) => boolean): ConditionOperator['compile'] {
  return (v) => {
    const p = parseDate(v.text);
    if (p === undefined) return never;
    return (c) => {
      const d = parseDate(c);
      return d !== undefined && test(d, p);
    };
  };
}

export const dateOperators: readonly ConditionOperator[] = [
  op('DateEquals', 'Date', compare((c, p) => c === p)),
  op('DateNotEquals', 'Date', compare((c, p) => c === p), { negated: true }),
  op('DateLessThan', 'Date', compare((c, p) => c < p)),
  op('DateLessThanEquals', 'Date', compare((c, p) => c <= p)),
  op('DateGreaterThan', 'Date', compare((c, p) => c > p)),
  op('DateGreaterThanEquals', 'Date', compare((c, p) => c >= p)),
];
