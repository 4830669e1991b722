/** Policy documents: parse, normalise and validate them; turn any "who" into a Principal. */
export { parsePolicy, validatePolicy } from './parse';
export type { ParsedPolicy, ParsedStatement, ParsedStatementGroup, ParsedElement, ParsedCondition, ParseOptions, ElementValue } from './parse';
export { toPrincipal } from './principal';
export { expandChoices, toList } from './normalize';
export type { Variant } from './normalize';
export type { DocumentOrigin } from './validate';
