/**
 * Access review of a change: what the head grants that the base did not, principal by
 * principal, in console tasks and non-read actions. No Jest here.
 */
export { diff, diffTrees, compareOutcomes, exitCodeOf } from './run';
export type { DiffOptions, DiffTreesOptions } from './run';
export { materialiseSide, DiffInputError } from './tree';
export { pairPrincipals, refOf } from './pair';
export { principalFingerprint } from './fingerprint';
export { renderDiffText, renderDiffMarkdown, renderDiffJson, renderDiffSarif, DIFF_COMMENT_MARKER } from './render';
export type * from './types';
export { applyBaseline } from './baseline';
export type { BaselineResult } from './baseline';
