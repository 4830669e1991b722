/** Bool: "true"/"false", compared case-insensitively. */
import { op, type ConditionOperator } from './operator';

export const boolOperators: readonly ConditionOperator[] = [
  op('Bool', 'Bool', (v) => {
    const p = v.text.trim().toLowerCase();
    return (c) => c.trim().toLowerCase() === p;
  }),
];
