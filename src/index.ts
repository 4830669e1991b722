/**
 * jest-connect-iam: the engine's public API. No Jest imports here.
 */
export * from './errors';
export * from './policy/types';
export { Unresolved, Choice, NO_VALUE, isUnresolved, isChoice } from './policy/symbolic';
export type { UnknownPart } from './policy/symbolic';
export * from './evaluator/types';
export * from './catalog/types';
export * from './iam/types';
export * from './managed/types';
export * from './iam';
export * from './catalog';
export * from './managed';
export * from './policy';
export * from './evaluator';
export * from './loaders';
export { loadTerraform, loadTerraformSources } from './loaders/terraform/sources';
export type { LoadedTerraform, TerraformSourcesOptions, UnresolvedModule } from './loaders/terraform/sources';
export { prepareTerraform, terraformPrepared, TerraformNotPreparedError } from './loaders/terraform/hcl';
export * from './analysis';
export { verdictOf, verdictsOf } from './verdict';
export type { Verdict, Verdicts, Form, Question } from './verdict';
export * as rules from './rules';
export { diff, diffTrees, renderDiffText, renderDiffMarkdown, renderDiffJson, renderDiffSarif, DIFF_COMMENT_MARKER, DiffInputError } from './diff';
export type { DiffOptions, DiffTreesOptions } from './diff';
export type { DiffReport, DiffSide, PrincipalDiff, DiffPrincipalRef, TaskChange, ActionChanges, ServiceActions, ConditionalChange, WithinResult, AccessSummary, InputChange, RuleChange, FailOn, PairedBy, DiffSummary, DiffStats } from './diff/types';
