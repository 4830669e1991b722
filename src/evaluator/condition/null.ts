/**
 * Null: `"true"` holds when the key is absent from the request, `"false"` when it is
 * present. The generic evaluation in modifiers.ts special-cases this family (it tests
 * presence, not values); `compile` is the per-value test "is present == !value".
 */
import { op, type ConditionOperator } from './operator';

export const nullOperators: readonly ConditionOperator[] = [
  op('Null', 'Null', (v) => {
    const wantsAbsent = v.text.trim().toLowerCase() === 'true';
    // The context value passed is "present"/"absent".
    return (c) => (c === 'absent') === wantsAbsent;
  }),
];
