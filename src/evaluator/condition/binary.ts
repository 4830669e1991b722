/** BinaryEquals: base-64 values compared as written. */
import { op, type ConditionOperator } from './operator';

export const binaryOperators: readonly ConditionOperator[] = [op('BinaryEquals', 'Binary', (v) => (c) => c === v.text)];
