/**
 * ARN operators: ArnEquals and ArnLike behave alike. AWS's condition-operator page
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN):
 * "Each of the six colon-delimited components of the ARN is checked separately and each
 * can include multi-character match wildcards (*) or single-character match wildcards (?)."
 * So, unlike the Resource element (../arn.ts), the first five components are matched one by
 * one and the sixth (everything after the fifth colon) as one pattern. A value with fewer
 * than six components that ends in `*` lets that star stand for the remaining components;
 * any other value with fewer than six components is one pattern over the whole string.
 */
import { Glob, STAR } from '../wildcard';
import { op, type ConditionOperator } from './operator';

const COLON = 58;
const ARN_PREFIX = [97, 114, 110, COLON]; // "arn:"

type ArnValuePattern = { readonly parts: readonly Glob[] } | { readonly whole: Glob };

function arnValuePattern(codes: readonly number[]): ArnValuePattern {
  if (!ARN_PREFIX.every((c, i) => codes[i] === c)) return { whole: new Glob(codes) };
  const parts: number[][] = [[]];
  for (const c of codes) {
    if (c === COLON && parts.length < 6) parts.push([]);
    else parts[parts.length - 1]!.push(c);
  }
  if (parts.length < 6) {
    const last = parts[parts.length - 1]!;
    if (last[last.length - 1] !== STAR) return { whole: new Glob(codes) };
    while (parts.length < 6) parts.push([STAR]);
  }
  return { parts: parts.map((p) => new Glob(p)) };
}

function splitArn(text: string): string[] | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const out: string[] = [];
  let from = 0;
  for (let k = 0; k < 5; k++) {
    const at = text.indexOf(':', from);
    if (at < 0) return undefined;
    out.push(text.slice(from, at));
    from = at + 1;
  }
  out.push(text.slice(from));
  return out;
}

function arnValueMatches(pattern: ArnValuePattern, text: string): boolean {
  if ('whole' in pattern) return pattern.whole.matches(text);
  const parts = splitArn(text);
  if (!parts) return false;
  for (let i = 0; i < 6; i++) if (!pattern.parts[i]!.matches(parts[i]!)) return false;
  return true;
}

const arnLike: ConditionOperator['compile'] = (v) => {
  const pattern = arnValuePattern(v.codes);
  return (c) => arnValueMatches(pattern, c);
};

const flags = { wildcards: true, variables: true };
export const arnOperators: readonly ConditionOperator[] = [
  op('ArnEquals', 'Arn', arnLike, flags),
  op('ArnLike', 'Arn', arnLike, flags),
  op('ArnNotEquals', 'Arn', arnLike, { ...flags, negated: true }),
  op('ArnNotLike', 'Arn', arnLike, { ...flags, negated: true }),
];
