/** String condition operators. */
import { Glob } from '../wildcard';
import { op, type ConditionOperator } from './operator';

const equals: ConditionOperator['compile'] = (v) => (c) => c === v.text;
const equalsIgnoreCase: ConditionOperator['compile'] = (v) => {
  const lower = v.text.toLowerCase();
  return (c) => c.toLowerCase() === lower;
};
const like: ConditionOperator['compile'] = (v) => {
  const glob = new Glob(v.codes);
  return (c) => glob.matches(c);
};

const vars = { variables: true };
export const stringOperators: readonly ConditionOperator[] = [
  op('StringEquals', 'String', equals, vars),
  op('StringNotEquals', 'String', equals, { ...vars, negated: true }),
  op('StringEqualsIgnoreCase', 'String', equalsIgnoreCase, vars),
  op('StringNotEqualsIgnoreCase', 'String', equalsIgnoreCase, { ...vars, negated: true }),
  op('StringLike', 'String', like, { ...vars, wildcards: true }),
  op('StringNotLike', 'String', like, { ...vars, wildcards: true, negated: true }),
];
