/**
 * Whole-action-list analyses: read-only and stay-within-a-baseline checks over every action
 * in the IAM action data. No Jest here.
 */
export { checkReadOnly, isNonRead } from './readOnly';
export { checkStayWithin, resolveBaseline } from './stayWithin';
export { unresolvedParts, blockingParts, describeUnresolvedPart } from './unresolved';
export { allowCandidates } from './candidates';
export type { AllowCandidates } from './candidates';
export { principalOf } from './subject';
export type * from './types';
