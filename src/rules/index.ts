/**
 * Rules: parse and validate a rules file, run rules over a directory, get result data.
 * No Jest here: presets/ and src/cli build on this.
 */
export * from './types';
export { parseRules, loadRulesFile, findRulesFile, RulesFileError, RulesFileNotFoundError, RULES_FILE_NAMES, RULES_SCHEMA, jsonPathString } from './parse';
export type { RulesIssue } from './parse';
export { validateAgainstSchema, SUPPORTED_KEYWORDS } from './json-schema';
export type { SchemaIssue, JsonPath } from './json-schema';
export { validateNames } from './names';
export { CHECKS, runChecks, principalLocation } from './checks';
export type { CheckDefinition } from './checks';
export { RuleRun, runRuleSet, exitCodeOf, nameMatches, principalKey, DEFAULT_EXCLUDES } from './run';
export type { RunOptions, PlannedFile, FileLoad } from './run';
