/**
 * Condition operators as data: each base operator is one object; the set operators
 * (`ForAllValues:`, `ForAnyValue:`) and `...IfExists` wrap base operators (modifiers.ts),
 * and registry.ts maps lower-cased names to them.
 */

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

/** One policy value after variable substitution. */
export interface PolicyValue {
  /** The value as text (escapes resolved, `*` and `?` as written). */
  readonly text: string;
  /** The value as wildcard codes (for operators that allow wildcards). */
  readonly codes: readonly number[];
}

export interface ConditionOperator {
  /** Canonical name, e.g. "StringNotLike". */
  readonly name: string;
  readonly family: OperatorFamily;
  /**
   * A negated operator (StringNotEquals, NotIpAddress, ArnNotLike...) is true for a
   * context value that matches none of the policy values; `test` below is always the
   * positive comparison.
   */
  readonly negated: boolean;
  readonly allowsWildcards: boolean;
  readonly allowsVariables: boolean;
  /** Compile one policy value into a test of one context value (positive sense). */
  compile(value: PolicyValue): (contextValue: string) => boolean;
}

export function op(
  name: string,
  family: OperatorFamily,
  compile: ConditionOperator['compile'],
  flags: { negated?: boolean; wildcards?: boolean; variables?: boolean } = {},
): ConditionOperator {
  return {
    name,
    family,
    negated: flags.negated ?? false,
    allowsWildcards: flags.wildcards ?? false,
    allowsVariables: flags.variables ?? false,
    compile,
  };
}

export const never = (): boolean => false;
