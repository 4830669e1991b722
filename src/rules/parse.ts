/**
 * Read a rules file: YAML (JSON is YAML too) parsed with source ranges kept, validated
 * against src/rules/schema.json, then every name it uses (console pages and tasks, IAM
 * actions, managed policies, rule names in suppressions) is checked. Every mistake is
 * reported at once, each with its line, in one RulesFileError.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Document, Node } from 'yaml';
import { yaml } from '../util/lazy';
import { JestConnectIamError, formatLocated } from '../errors';
import type { SourceLocation } from '../policy/types';
import { closestNames } from '../util/suggest';
import { validateAgainstSchema, type JsonPath } from './json-schema';
import schemaJson = require('./schema.json');
import type { Expectations, Rule, RuleSet, Suppression, TemplateInputs, TemplateInputsEntry } from './types';
import { validateNames } from './names';
import { resolvePins } from '../managed/pin';
import type { OrganizationEntry, ResourcePolicyEntry } from './guardrails';
import { parseTaskRef, taskRequirements } from '../catalog';
import { assertResourcesFit, givenResources, type ResourceOption } from '../evaluator/resources';
import { expandActionPattern } from '../iam';
import { patternEscapes } from '../scan/scan';

/** The file names a rules file may have, looked for in this order. */
export const RULES_FILE_NAMES: readonly string[] = ['jest-connect-iam.rules.yaml', 'jest-connect-iam.rules.yml'];

export const RULES_SCHEMA: Readonly<Record<string, unknown>> = schemaJson as unknown as Record<string, unknown>;

export interface RulesIssue {
  readonly message: string;
  readonly location: SourceLocation;
}

/** A rules file that cannot be used: every issue found, each with file:line. */
export class RulesFileError extends JestConnectIamError {
  override name = 'RulesFileError';
  constructor(
    readonly file: string | undefined,
    readonly issues: readonly RulesIssue[],
  ) {
    super(
      `${file ?? 'rules'}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the rules file\n` +
        issues.map((i) => `  ${formatLocated(i.message, i.location)}`).join('\n'),
    );
  }
}

/** No rules file was given and none was found: says every place it looked. */
export class RulesFileNotFoundError extends JestConnectIamError {
  override name = 'RulesFileNotFoundError';
  constructor(readonly lookedAt: readonly string[]) {
    super(`No rules file found. Looked for:\n${lookedAt.map((p) => `  ${p}`).join('\n')}\nCreate one (see README "Rules file") or pass --rules <file>.`);
  }
}

/** The rules file in `dir`, or throws RulesFileNotFoundError listing the paths tried. */
export function findRulesFile(dir: string): string {
  const tried = RULES_FILE_NAMES.map((n) => path.resolve(dir, n));
  const found = tried.find((p) => fs.existsSync(p));
  if (!found) throw new RulesFileNotFoundError(tried);
  return found;
}

/** Read and validate a rules file. Throws RulesFileError (with lines) or a file-system error. */
export function loadRulesFile(file: string): RuleSet {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new RulesFileError(file, [{ message: `cannot read the rules file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, location: { file } }]);
  }
  return parseRules(text, file);
}

/** Parse and validate rules from text (`file` is used in messages only). */
export function parseRules(text: string, file?: string): RuleSet {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined, jsonPath?: string): SourceLocation => {
    if (offset === undefined) return { file, ...(jsonPath ? { path: jsonPath } : {}) };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, ...(jsonPath ? { path: jsonPath } : {}) };
  };
  if (doc.errors.length > 0) {
    throw new RulesFileError(file, doc.errors.map((e) => ({ message: firstLine(e.message), location: at(e.pos[0]) })));
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new RulesFileError(file, [{ message: firstLine((err as Error).message), location: at(0) }]);
  }
  if (value === null || value === undefined) {
    throw new RulesFileError(file, [{ message: 'the rules file is empty: it needs a `rules:` list', location: at(0) }]);
  }

  const locate = (p: JsonPath, atKey = false): SourceLocation => at(offsetOf(doc, p, atKey), jsonPathString(p));
  const schemaIssues = validateAgainstSchema(value, RULES_SCHEMA);
  if (schemaIssues.length > 0) {
    throw new RulesFileError(file, schemaIssues.map((i) => ({ message: i.message, location: locate(i.path, i.atKey) })));
  }

  const raw = value as RawRulesFile;
  const rules: Rule[] = raw.rules.map((r, i) => ({
    name: r.name,
    ...(r.description !== undefined ? { description: r.description } : {}),
    select: {
      ...(r.select?.files !== undefined ? { files: toList(r.select.files) } : {}),
      ...(r.select?.principals !== undefined ? { principals: toList(r.select.principals) } : {}),
      ...(r.select?.tags !== undefined ? { tags: r.select.tags } : {}),
    },
    expect: r.expect,
    ...(r.context !== undefined ? { context: r.context } : {}),
    ...(r.resource !== undefined ? { resource: r.resource } : {}),
    ...(raw.managedPolicyVersions !== undefined ? { managedPolicyVersions: raw.managedPolicyVersions } : {}),
    source: locate(['rules', i]),
  }));
  const suppressions: Suppression[] = (raw.suppressions ?? []).map((s, i) => ({
    rule: s.rule,
    principal: s.principal,
    reason: s.reason.trim(),
    ...(s.only ? { only: s.only } : {}),
    source: locate(['suppressions', i]),
  }));

  const orgRaw = raw.organization === undefined ? [] : Array.isArray(raw.organization) ? raw.organization : [raw.organization];
  const organization: OrganizationEntry[] = orgRaw.map((o, i) => ({ ...o, source: locate(Array.isArray(raw.organization) ? ['organization', i] : ['organization']) }));
  const resourcePolicies: ResourcePolicyEntry[] = (raw.resourcePolicies ?? []).map((r, i) => ({ ...r, source: locate(['resourcePolicies', i]) }));
  const inputs: TemplateInputsEntry[] = [];
  const global = inputsOf(raw);
  if (global) inputs.push({ ...global, source: locate([]) });
  (raw.templates ?? []).forEach((t, i) => {
    inputs.push({ files: toList(t.files), ...(inputsOf(t) ?? {}), source: locate(['templates', i]) });
  });

  const issues: RulesIssue[] = [];
  (raw.templates ?? []).forEach((t, i) => {
    toList(t.files).forEach((pattern, j) => {
      const why = patternEscapes(pattern);
      if (why) issues.push({ message: `files pattern '${pattern}' ${why}`, location: locate(typeof t.files === 'string' ? ['templates', i, 'files'] : ['templates', i, 'files', j]) });
    });
  });
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const first = seen.get(rule.name);
    if (first !== undefined) {
      issues.push({ message: `duplicate rule name '${rule.name}' (first used by rules[${first}])`, location: locate(['rules', i, 'name']) });
    } else seen.set(rule.name, i);
    (rule.select.files ?? []).forEach((pattern, j) => {
      const why = patternEscapes(pattern);
      const at = typeof raw.rules[i]!.select?.files === 'string' ? ['rules', i, 'select', 'files'] : ['rules', i, 'select', 'files', j];
      if (why) issues.push({ message: `files pattern '${pattern}' ${why}`, location: locate(at) });
    });
    const nameIssues = validateNames(rule.expect);
    for (const issue of nameIssues) {
      issues.push({ message: issue.message, location: locate(['rules', i, 'expect', ...issue.path]) });
    }
    if (rule.resource !== undefined && nameIssues.length === 0) {
      const problem = resourceProblem(rule);
      if (problem) issues.push({ message: problem, location: locate(['rules', i, 'resource']) });
    }
  });
  for (const [name, version] of Object.entries(raw.managedPolicyVersions ?? {})) {
    try {
      resolvePins({ [name]: version });
    } catch (e) {
      if (!(e instanceof JestConnectIamError)) throw e;
      issues.push({ message: `managedPolicyVersions: ${e.message}`, location: locate(['managedPolicyVersions', name]) });
    }
  }
  const names = rules.map((r) => r.name);
  suppressions.forEach((s, i) => {
    if (!seen.has(s.rule)) {
      const near = closestNames(s.rule, names);
      issues.push({
        message: `suppression names unknown rule '${s.rule}'` + (near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''),
        location: locate(['suppressions', i, 'rule']),
      });
    }
  });
  if (issues.length > 0) throw new RulesFileError(file, issues);
  return {
    ...(file !== undefined ? { file } : {}),
    rules,
    suppressions,
    ...(inputs.length ? { inputs } : {}),
    ...(raw.managedPolicyVersions !== undefined ? { managedPolicyVersions: raw.managedPolicyVersions } : {}),
    ...(organization.length ? { organization } : {}),
    ...(resourcePolicies.length ? { resourcePolicies } : {}),
  };
}

/** The parameters/pseudo/conditions of a rules file (or one `templates:` entry), as the loader takes them. */
function inputsOf(raw: RawInputs): TemplateInputs | undefined {
  const out: { -readonly [K in keyof TemplateInputs]: TemplateInputs[K] } = {};
  if (raw.parameters) out.parameters = Object.fromEntries(Object.entries(raw.parameters).map(([k, v]) => [k, String(v)]));
  if (raw.pseudo) out.pseudo = raw.pseudo;
  if (raw.conditions) out.conditions = raw.conditions;
  return Object.keys(out).length ? out : undefined;
}

interface RawRule {
  name: string;
  description?: string;
  select?: { files?: string | string[]; principals?: string | string[]; tags?: Record<string, string> };
  expect: Expectations;
  context?: Record<string, string | string[]>;
  resource?: ResourceOption;
}
interface RawInputs {
  parameters?: Record<string, string | number | boolean>;
  pseudo?: { AccountId?: string; Region?: string; Partition?: string; StackName?: string };
  conditions?: Record<string, boolean>;
}
interface RawRulesFile extends RawInputs {
  templates?: Array<RawInputs & { files: string | string[] }>;
  rules: RawRule[];
  organization?: OrganizationEntry | OrganizationEntry[];
  resourcePolicies?: ResourcePolicyEntry[];
  suppressions?: Array<{ rule: string; principal: string; reason: string; only?: string[] }>;
  managedPolicyVersions?: Record<string, string>;
}

/**
 * A rule's `resource` must name services that exist and every resource must fit some action
 * the rule asks about (its console tasks with their prerequisites, its allow/notAllow
 * actions): one that fits none cannot change an answer (probably a mistake).
 */
export function resourceProblem(rule: Rule): string | undefined {
  try {
    const given = givenResources(rule.resource, 'resource');
    const actions = new Set<string>();
    for (const ref of [...(rule.expect.grantConsoleTasks ?? []), ...(rule.expect.notGrantConsoleTasks ?? [])]) {
      const req = taskRequirements(parseTaskRef(ref));
      for (const a of [...req.own, ...req.prerequisites]) if (a.resource === '*') actions.add(a.action);
    }
    for (const p of [...(rule.expect.allowActions ?? []), ...(rule.expect.notAllowActions ?? [])]) {
      for (const a of expandActionPattern(p)) actions.add(a.name);
    }
    if (actions.size === 0) return 'resource applies only to grantConsoleTasks, notGrantConsoleTasks, allowActions and notAllowActions; this rule has none';
    assertResourcesFit(given, [...actions], `rule '${rule.name}' (its console tasks and actions)`, 'resource');
    return undefined;
  } catch (err) {
    // The location already says rules[i].resource.
    return (err as Error).message.replace(/^resource:? /, '');
  }
}

function toList(v: string | readonly string[]): readonly string[] {
  return typeof v === 'string' ? [v] : v;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** `rules[0].expect.readOnly` */
export function jsonPathString(p: JsonPath): string {
  let out = '';
  for (const part of p) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

/** The source offset of the node at `p` (or of its key), walking up to the nearest node that exists. */
function offsetOf(doc: Document, p: JsonPath, atKey: boolean): number | undefined {
  if (atKey && p.length > 0) {
    const parent = doc.getIn(p.slice(0, -1), true);
    if (yaml().isMap(parent)) {
      const last = p[p.length - 1];
      const pair = parent.items.find((it) => yaml().isPair(it) && yaml().isScalar(it.key) && String(it.key.value) === String(last));
      if (pair && yaml().isNode(pair.key)) return (pair.key as Node).range?.[0];
    }
  }
  for (let n = p.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
    if (yaml().isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}
