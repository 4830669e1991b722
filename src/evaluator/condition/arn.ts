/** ARN operators: ArnEquals and ArnLike behave alike (segment-wise, with wildcards). */
import { resourceMatches, resourcePattern } from '../arn';
import { op, type ConditionOperator } from './operator';

const arnLike: ConditionOperator['compile'] = (v) => {
  const pattern = resourcePattern(v.codes);
  return (c) => resourceMatches(pattern, c);
};

const flags = { wildcards: true, variables: true };
export const arnOperators: readonly ConditionOperator[] = [
  op('ArnEquals', 'Arn', arnLike, flags),
  op('ArnLike', 'Arn', arnLike, flags),
  op('ArnNotEquals', 'Arn', arnLike, { ...flags, negated: true }),
  op('ArnNotLike', 'Arn', arnLike, { ...flags, negated: true }),
];
