/** The IAM evaluator: evaluate, console task checks, and the compiled-policy cache. */
export { evaluate, evaluateCompiled } from './evaluate';
export { compilePrincipal, compilePolicy } from './compile';
export type { CompiledPrincipal, CompiledPolicy } from './compile';
export { checkConsoleTask, checkConsolePage } from './console';
export { givenResources, resourcesFor, fittingTypes } from './resources';
export type { ResourceOption, GivenResource } from './resources';
export type { ConsoleCheckOptions } from './console';
export { resolveOperator, operatorRegistry, allOperatorNames } from './condition/registry';
export type { ConditionOperator, OperatorFamily } from './condition/operator';
export { describeDependency, statementName } from './explain';
export type * from './guardrails/types';
export { rcpServices, RCP_SERVICES_READ_ON } from './guardrails/rcp';
