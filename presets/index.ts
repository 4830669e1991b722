/**
 * Glob presets for Jest (`jest-connect-iam/presets`): call one at the top level of a test
 * file; it scans the repository and registers one test per (rule, principal).
 *
 * ```ts
 * import { readOnlyRoles, fromRules } from 'jest-connect-iam/presets';
 * readOnlyRoles({ principals: '*Auditor*' });
 * fromRules(`${__dirname}/../jest-connect-iam.rules.yaml`);
 * ```
 *
 * Unknown names (console tasks, actions, managed policies) throw while the file is
 * collected, like the matchers do; a principal name that matches nothing is a failing test.
 */
import * as path from 'node:path';
import { UnknownNameError } from '../src/errors';
import { closestNames } from '../src/util/suggest';
import { RulesFileError, loadRulesFile } from '../src/rules/parse';
import { validateNames } from '../src/rules/names';
import type { PseudoParameters } from '../src/loaders/types';
import type { ResourceOption } from '../src/evaluator/resources';
import type { Rule, RuleSet, Selection } from '../src/rules/types';
import { PresetUsageError, registerRuleSet } from './register';

export { RuleViolationError, PresetUsageError } from './register';

export interface SelectionOptions {
  /**
   * Glob pattern(s) relative to `cwd`; `!pattern` excludes.
   * @default ['**\/*.{json,yaml,yml,template}', 'cdk.out/**\/*.template.json', '**\/*.tf'] (a Terraform directory is one unit)
   */
  readonly files?: string | readonly string[];
  /** Logical id / name pattern(s) (`*`, `?`). @default every principal */
  readonly principals?: string | readonly string[];
  /** Tags the principal must carry, e.g. `{ 'access-level': 'read-only' }`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Directory the globs are relative to. @default process.cwd() */
  readonly cwd?: string;
  /** Template parameter values for every scanned template (templates that do not declare one ignore it). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Pseudo parameters (AccountId, Region, Partition, StackName) for every scanned template. */
  readonly pseudo?: PseudoParameters;
  /** Values for template conditions the templates cannot decide, e.g. `{ IsProd: true }`. */
  readonly conditions?: Readonly<Record<string, boolean>>;
}

export interface ReadOnlyRolesOptions extends SelectionOptions {
  /** Non-read actions to accept (names or wildcards; each must be a real action). */
  readonly allow?: readonly string[];
}

export interface NoNewAccessOptions extends SelectionOptions {
  /** An AWS managed policy name or ARN, e.g. 'AmazonConnectReadOnlyAccess'. */
  readonly baseline: string;
}

export interface ConsoleTaskExpectation {
  /** 'Page / Task' entries that must be granted (with prerequisites). */
  readonly grant?: readonly string[];
  /** 'Page / Task' entries that must certainly not be granted. */
  readonly notGrant?: readonly string[];
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** One ARN, a list, or a map by service: each applies to the actions it fits (see the matchers). */
  readonly resource?: ResourceOption;
}

export interface ConsoleTasksOptions extends Pick<SelectionOptions, 'parameters' | 'pseudo' | 'conditions'> {
  readonly files?: string | readonly string[];
  /** Principal name (or pattern) -> the tasks it must / must not grant. */
  readonly expectations: Readonly<Record<string, ConsoleTaskExpectation>>;
  readonly cwd?: string;
}

export interface FromRulesOptions {
  /** Directory the rules' globs are relative to. @default the rules file's directory */
  readonly cwd?: string;
  /**
   * Run only these rules (by name; unknown names throw with suggestions). Jest's `--shard`
   * splits test files, not the tests inside one, so a large rules file can be spread over
   * several test files, each running some of the rules.
   * @default every rule
   */
  readonly rules?: readonly string[];
}

const list = (v: string | readonly string[] | undefined): readonly string[] | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? [v] : v;

function selection(o: SelectionOptions | ConsoleTasksOptions, principals?: string | readonly string[]): Selection {
  const files = list(o.files);
  const names = list(principals);
  const tags = 'tags' in o ? o.tags : undefined;
  return { ...(files ? { files } : {}), ...(names ? { principals: names } : {}), ...(tags ? { tags } : {}) };
}

/** Throws a RulesFileError listing every unknown name (no test is registered then). */
function checked(ruleSet: RuleSet, what: string): RuleSet {
  const issues = ruleSet.rules.flatMap((r) =>
    validateNames(r.expect).map((i) => ({ message: `${r.name}: ${i.message}`, location: { path: i.path.join('.') } })),
  );
  if (issues.length) throw new RulesFileError(what, issues);
  return ruleSet;
}

function inputsOf(o: Pick<SelectionOptions, 'parameters' | 'pseudo' | 'conditions'>): RuleSet['inputs'] {
  if (!o.parameters && !o.pseudo && !o.conditions) return undefined;
  return [{ ...(o.parameters ? { parameters: o.parameters } : {}), ...(o.pseudo ? { pseudo: o.pseudo } : {}), ...(o.conditions ? { conditions: o.conditions } : {}) }];
}

function register(rules: readonly Rule[], cwd: string | undefined, title: string, options: Pick<SelectionOptions, 'parameters' | 'pseudo' | 'conditions'> = {}): void {
  const inputs = inputsOf(options);
  const ruleSet = checked({ rules, suppressions: [], ...(inputs ? { inputs } : {}) }, title);
  registerRuleSet(ruleSet, { cwd: path.resolve(cwd ?? process.cwd()), title });
}

/** Every selected principal is read-only (no Write, Permissions management or Tagging action). */
export function readOnlyRoles(options: ReadOnlyRolesOptions = {}): void {
  const rule: Rule = {
    name: 'readOnlyRoles',
    select: selection(options, options.principals),
    expect: { readOnly: options.allow ? { allow: options.allow } : true },
  };
  register([rule], options.cwd, 'jest-connect-iam: readOnlyRoles', options);
}

/** Every selected principal allows nothing the baseline does not allow. */
export function noNewAccess(options: NoNewAccessOptions): void {
  const rule: Rule = {
    name: `noNewAccess(${options.baseline})`,
    select: selection(options, options.principals),
    expect: { stayWithin: options.baseline },
  };
  register([rule], options.cwd, `jest-connect-iam: noNewAccess(${options.baseline})`, options);
}

/** Named principals grant (or certainly do not grant) named console tasks. */
export function consoleTasks(options: ConsoleTasksOptions): void {
  const entries = Object.entries(options.expectations ?? {});
  if (entries.length === 0) throw new PresetUsageError('consoleTasks: `expectations` names no principal');
  for (const [principal, e] of entries) {
    if (!e.grant?.length && !e.notGrant?.length) {
      throw new PresetUsageError(`consoleTasks: the expectation for '${principal}' lists no task in \`grant\` or \`notGrant\` (it would check nothing)`);
    }
  }
  const rules: Rule[] = entries.map(([principal, e]) => ({
    name: `consoleTasks(${principal})`,
    select: selection(options, principal),
    expect: {
      ...(e.grant ? { grantConsoleTasks: e.grant } : {}),
      ...(e.notGrant ? { notGrantConsoleTasks: e.notGrant } : {}),
    },
    ...(e.context ? { context: e.context } : {}),
    ...(e.resource ? { resource: e.resource } : {}),
  }));
  register(rules, options.cwd, 'jest-connect-iam: consoleTasks', options);
}

/** Run a rules file (jest-connect-iam.rules.yaml): one test per rule and principal. */
export function fromRules(rulesFile: string, options: FromRulesOptions = {}): void {
  const file = path.resolve(rulesFile);
  const shown = path.relative(process.cwd(), file) || file;
  const all = loadRulesFile(shown);
  let ruleSet = all;
  if (options.rules) {
    const names = all.rules.map((r) => r.name);
    for (const name of options.rules) {
      if (!names.includes(name)) throw new UnknownNameError('rule', name, closestNames(name, names), `(rules in ${shown}: ${names.join(', ')})`);
    }
    const keep = new Set(options.rules);
    ruleSet = { ...all, rules: all.rules.filter((r) => keep.has(r.name)), suppressions: all.suppressions.filter((x) => keep.has(x.rule)) };
  }
  registerRuleSet(ruleSet, { cwd: path.resolve(options.cwd ?? path.dirname(file)), title: `jest-connect-iam: ${shown}` });
}
