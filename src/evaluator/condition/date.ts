/**
 * Date condition operators. AWS's condition-operator page
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date):
 * "You must specify date/time values with one of the W3C implementations of the ISO 8601
 * date formats or in epoch (UNIX) time", and "Wildcards are not permitted". The W3C profile
 * (https://www.w3.org/TR/NOTE-datetime) has six forms:
 *
 *   YYYY                      2026                       the start of the year, UTC
 *   YYYY-MM                   2026-06                    the start of the month, UTC
 *   YYYY-MM-DD                2026-06-01                 the start of the day, UTC
 *   YYYY-MM-DDThh:mmTZD       2026-06-01T10:30+02:00     TZD is Z or +hh:mm / -hh:mm
 *   YYYY-MM-DDThh:mm:ssTZD    2026-06-01T10:30:00Z
 *   YYYY-MM-DDThh:mm:ss.sTZD  2026-06-01T10:30:00.250Z   any number of fraction digits
 *
 * Epoch time is a run of digits (seconds since 1970-01-01T00:00:00Z); four digits are the
 * W3C year form. Also read, as before: a time without zone (as UTC), a space or lower-case
 * `t` before the time, a lower-case `z`, and `+hhmm`. Values are compared as instants, to
 * the nanosecond. Anything else (an impossible day such as 2026-02-30, hour 24, a wildcard)
 * is not a date and never matches.
 */
import { never, op, type ConditionOperator } from './operator';

const W3C = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:?\d{2})?)?)?)?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The instant a date value stands for, in nanoseconds since the epoch; undefined when it is not a date. */
export function parseDateNanos(text: string): bigint | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t) && t.length !== 4) return BigInt(t) * 1_000_000_000n;
  const m = W3C.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // years 0-99 stay as written (Date.UTC would add 1900)
  date.setUTCHours(hour, minute, second, 0);
  const ms = date.getTime() - offsetMinutes * 60_000;
  const nanos = frac === undefined ? 0n : BigInt((frac + '000000000').slice(0, 9));
  return BigInt(ms) * 1_000_000n + nanos;
}

/** Milliseconds since the epoch (for callers that want a number); undefined when not a date. */
export function parseDate(text: string): number | undefined {
  const n = parseDateNanos(text);
  return n === undefined ? undefined : Number(n / 1_000_000n);
}

function compare(test: (c: bigint, p: bigint) => boolean): ConditionOperator['compile'] {
  return (v) => {
    const p = parseDateNanos(v.text);
    if (p === undefined) return never;
    return (c) => {
      const d = parseDateNanos(c);
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
