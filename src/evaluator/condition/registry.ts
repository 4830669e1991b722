/** Lower-cased operator name -> base operator, and parsing of modified names. */
import { closestNames } from '../../util/suggest';
import { arnOperators } from './arn';
import { binaryOperators } from './binary';
import { boolOperators } from './bool';
import { dateOperators } from './date';
import { ipOperators } from './ip';
import { nullOperators } from './null';
import { numericOperators } from './numeric';
import type { ConditionOperator } from './operator';
import { stringOperators } from './string';

const families: ReadonlyArray<readonly ConditionOperator[]> = [
  stringOperators,
  numericOperators,
  dateOperators,
  boolOperators,
  binaryOperators,
  ipOperators,
  arnOperators,
  nullOperators,
];

export const operatorRegistry: ReadonlyMap<string, ConditionOperator> = new Map(
  families.flat().map((o) => [o.name.toLowerCase(), o] as const),
);

export type SetModifier = 'ForAllValues' | 'ForAnyValue';

/** A condition operator as written, resolved to its base and modifiers. */
export interface ResolvedOperator {
  readonly written: string;
  readonly base: ConditionOperator;
  readonly set?: SetModifier;
  readonly ifExists: boolean;
}

/** Every operator name that can be written (for suggestions). */
export function allOperatorNames(): string[] {
  const names: string[] = [];
  for (const o of operatorRegistry.values()) {
    names.push(o.name);
    if (o.family !== 'Null') names.push(`${o.name}IfExists`);
  }
  return names;
}

/** Resolve a written operator name; a string explaining the problem when it is not valid. */
export function resolveOperator(written: string): ResolvedOperator | string {
  let rest = written;
  let set: SetModifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') set = 'ForAllValues';
    else if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else return `unknown condition set operator '${rest.slice(0, colon)}' (use ForAllValues: or ForAnyValue:)`;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  let base = operatorRegistry.get(rest.toLowerCase());
  if (!base && rest.toLowerCase().endsWith('ifexists')) {
    base = operatorRegistry.get(rest.slice(0, -'ifexists'.length).toLowerCase());
    ifExists = base !== undefined;
  }
  if (!base) {
    const suggestions = closestNames(rest, allOperatorNames());
    return `unknown condition operator '${written}'` + (suggestions.length ? ` (did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?)` : '');
  }
  if (base.family === 'Null' && ifExists) return `'${written}': the Null operator has no IfExists form`;
  if (base.family === 'Null' && set) return `'${written}': the Null operator takes no set operator`;
  return { written, base, ifExists, ...(set ? { set } : {}) };
}
