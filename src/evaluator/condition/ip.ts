/**
 * IpAddress / NotIpAddress: a policy value is an address or a CIDR block (IPv4 or IPv6);
 * the context value is an address. Families never match each other; a malformed value
 * never matches.
 */
import { never, op, type ConditionOperator } from './operator';

interface Address {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  let t = text;
  let tail: number[] = [];
  const lastColon = t.lastIndexOf(':');
  if (t.includes('.', lastColon)) {
    const v4 = parseV4(t.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    t = `${t.slice(0, lastColon + 1)}0:0`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const group = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  if (!head || !rest) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else groups = head;
  if (groups.length !== 8) return undefined;
  if (tail.length) groups = [...groups.slice(0, 6), ...tail];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

export function parseAddress(text: string): Address | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const v = parseV6(t);
    return v === undefined ? undefined : { bits: 128, value: v };
  }
  const v = parseV4(t);
  return v === undefined ? undefined : { bits: 32, value: v };
}

export function parseCidr(text: string): { bits: 32 | 128; network: bigint; prefix: number } | undefined {
  const t = text.trim();
  const slash = t.indexOf('/');
  const address = parseAddress(slash < 0 ? t : t.slice(0, slash));
  if (!address) return undefined;
  let prefix: number = address.bits;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > address.bits) return undefined;
  }
  const shift = BigInt(address.bits - prefix);
  return { bits: address.bits, network: address.value >> shift, prefix };
}

const inRange: ConditionOperator['compile'] = (v) => {
  const cidr = parseCidr(v.text);
  if (!cidr) return never;
  const shift = BigInt(cidr.bits - cidr.prefix);
  return (c) => {
    const a = parseAddress(c);
    return a !== undefined && a.bits === cidr.bits && a.value >> shift === cidr.network;
  };
};

export const ipOperators: readonly ConditionOperator[] = [
  op('IpAddress', 'IpAddress', inRange),
  op('NotIpAddress', 'IpAddress', inRange, { negated: true }),
];
