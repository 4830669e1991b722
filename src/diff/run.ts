/**
 * `diff`: what a change between two trees grants and takes away.
 *
 * Only what changed is evaluated. Each side is planned with the scan (the default files plus
 * whatever the rules file selects); each planned file is a unit keyed by the SHA-256 of its
 * content. The evaluation inputs (this package's version, the bundled IAM action list and
 * managed policies, the loader options) are the same for both sides of one run, so a file
 * whose content hash is equal at both sides yields the same principals with the same answers
 * and is neither loaded nor evaluated: its results are the base's, unchanged. Files whose hash
 * differs (or that exist at one side only) are loaded at both sides; their principals are paired
 * (src/diff/pair.ts), a pair with equal fingerprints (src/diff/fingerprint.ts) is not evaluated
 * either, and only the rest is profiled (45 console tasks, the non-read actions) and compared.
 *
 * Rules: the head's rules file is applied to both sides, so "newly violated" means "this rule,
 * as written now, held at the base and fails at the head". Unchanged files give the same outcome
 * at both sides, so only changed files are checked.
 *
 * Guardrails: each side is evaluated with ITS OWN rules file's `organization:` and
 * `resourcePolicies:` sections (SCP/RCP levels and resource policies, resolved per principal
 * through appliesTo exactly as `check` does), so an SCP added at the head that denies a task is
 * a loss. The guardrail key of a side (a hash of both sections as written and of the content of
 * every SCP, RCP and resource-policy file they name) is part of the evaluation inputs: when it
 * differs between the sides, no file is skipped as unchanged; every principal is loaded at both
 * sides and its fingerprint includes the guardrails that apply to it, so exactly the principals a
 * changed guardrail applies to are re-evaluated.
 *
 * Template inputs given on the command line (--param, --pseudo, --condition) apply to both sides.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { managedPolicyDataInfo } from '../managed';
import { parseText } from '../loaders/parse';
import { closestNames } from '../util/suggest';
import { DEFAULT_LIMITS } from '../loaders/source';
import type { LoadedTemplate } from '../loaders/types';
import { RulesFileError, findRulesFile, parseRules } from '../rules/parse';
import { RuleRun, type PlannedFile } from '../rules/run';
import { guardrailFiles, type OrganizationEntry, type ResourcePolicyEntry } from '../rules/guardrails';
import type { GuardrailOptions } from '../evaluator/guardrails/types';
import type { Problem, Rule, RuleOutcome, RuleSet, TemplateInputs } from '../rules/types';
import { comparePair, oneSided, type Side } from './compare';
import { canonical, hash, principalFingerprint } from './fingerprint';
import { pairPrincipals, refOf, type Unit } from './pair';
import { profileOf, type AccessProfile } from './profile';
import { materialiseSide, type MaterialisedSide } from './tree';
import type {
  DiffPrincipalRef,
  DiffReport,
  DiffSide,
  DiffStats,
  DiffSummary,
  FailOn,
  InputChange,
  PrincipalDiff,
  RuleChange,
} from './types';

export interface DiffTreesOptions {
  /**
   * The rules file, relative to each side's root (or absolute). `false`: no rules.
   * @default jest-connect-iam.rules.yaml at the head's root when it exists
   */
  readonly rules?: string | false;
  /** @default 'gained-any' */
  readonly failOn?: FailOn;
  /** This package's version (part of the evaluation inputs). */
  readonly version?: string;
  readonly onFile?: (done: number, total: number, file: string) => void;
  /** false: only rule outcomes are compared, principals are paired but not profiled (`check --baseline`). @default true */
  readonly compare?: boolean;
  /** Template inputs for every file at both sides (the CLI's --param, --pseudo, --condition), after the rules file's own. */
  readonly inputs?: TemplateInputs;
}

export interface DiffOptions extends DiffTreesOptions {
  /** A git ref or a directory (relative to cwd). */
  readonly base: string;
  /** A git ref or a directory. @default the cwd directory as it is on disk */
  readonly head?: string;
  /** @default process.cwd() */
  readonly cwd?: string;
}

/** The synthetic rule that selects every principal of the default files (index 0 of each run). */
const ALL: Rule = { name: '\u0000all', select: {}, expect: {} };

type SideProblem = Problem & { readonly side: 'base' | 'head' };

interface Loaded {
  readonly units: Unit[];
  readonly templates: Map<string, LoadedTemplate>;
  readonly outcomes: Map<string, RuleOutcome[]>;
}

/** Resolve the sides (checking out git refs to temporary directories), diff, clean up. */
export function diff(options: DiffOptions): DiffReport {
  const cwd = path.resolve(options.cwd ?? '.');
  const sides: MaterialisedSide[] = [];
  try {
    const base = materialiseSide(options.base, cwd);
    sides.push(base);
    const head: MaterialisedSide = options.head !== undefined ? materialiseSide(options.head, cwd) : { given: cwd, kind: 'dir', root: fs.realpathSync(cwd), cleanup: () => undefined };
    sides.push(head);
    return diffTrees(strip(base), strip(head), options);
  } finally {
    for (const s of sides) s.cleanup();
  }
}

function strip(s: MaterialisedSide): DiffSide {
  return { given: s.given, kind: s.kind, root: s.root, ...(s.commit ? { commit: s.commit } : {}) };
}

function rulesOf(head: DiffSide, rules: string | false | undefined): { set: RuleSet; shown: string } | undefined {
  if (rules === false) return undefined;
  let file: string;
  if (rules === undefined) {
    try {
      file = findRulesFile(head.root);
    } catch {
      return undefined;
    }
  } else {
    file = path.resolve(head.root, rules);
  }
  const rel = path.relative(head.root, file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new RulesFileError(shown, [{ message: `cannot read the rules file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, location: { file: shown } }]);
  }
  return { set: parseRules(text, shown), shown };
}

interface GuardrailSections {
  readonly organization?: readonly OrganizationEntry[];
  readonly resourcePolicies?: readonly ResourcePolicyEntry[];
}

/**
 * The base's own guardrail sections: its rules file at the same path as the head's (or found at
 * its root when none was named). A base rules file that does not parse is a warning, and the
 * base is then evaluated without guardrails.
 */
function baseSectionsOf(base: DiffSide, rules: string | false | undefined, shown: string | undefined, problems: SideProblem[]): GuardrailSections {
  if (rules === false) return {};
  let file: string;
  if (rules === undefined && shown === undefined) {
    try {
      file = findRulesFile(base.root);
    } catch {
      return {};
    }
  } else {
    file = path.resolve(base.root, shown ?? (rules as string));
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const rel = path.relative(base.root, file).split(path.sep).join('/');
  try {
    const set = parseRules(text, rel);
    return { ...(set.organization ? { organization: set.organization } : {}), ...(set.resourcePolicies ? { resourcePolicies: set.resourcePolicies } : {}) };
  } catch (err) {
    problems.push({ kind: 'rules-file', severity: 'warning', side: 'base', message: `the base's ${rel} cannot be read (${(err as Error).message}): the base is evaluated without its organization and resourcePolicies sections`, location: { file: rel } });
    return {};
  }
}

/** Every guardrail file the sections name, with what it is: 'SCP', 'RCP' or 'resource policy'. */
function guardrailFileKinds(s: GuardrailSections): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of s.organization ?? []) {
    for (const f of guardrailFiles([{ ...o, rcps: [] }], [])) out.set(f, 'SCP');
    for (const f of guardrailFiles([{ ...o, scps: [] }], [])) if (!out.has(f)) out.set(f, 'RCP');
  }
  for (const f of guardrailFiles([], s.resourcePolicies ?? [])) if (!out.has(f)) out.set(f, 'resource policy');
  // A template named for its resource policies stays a principal file, but its content is a guardrail input too.
  for (const r of s.resourcePolicies ?? []) if (r.file !== undefined && r.resource !== undefined) out.set(path.posix.normalize(r.file.split(path.sep).join('/')).replace(/^\.\//, ''), 'resource policy');
  return out;
}

function fileHash(root: string, file: string): string | undefined {
  try {
    return hash(fs.readFileSync(path.resolve(root, file)));
  } catch {
    return undefined;
  }
}

/** A side's guardrail key: the sections as written (source lines left out) and the content hash of every file they name. */
function guardrailKey(s: GuardrailSections, root: string): string {
  const strip = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'source').map(([k, x]) => [k, strip(x)])) : v;
  const files = [...guardrailFileKinds(s).keys()].sort().map((f) => `${f}:${fileHash(root, f) ?? 'missing'}`);
  return hash(canonical({ organization: strip(s.organization ?? null), resourcePolicies: strip(s.resourcePolicies ?? null), files }));
}

/**
 * The unit key of a planned file, or undefined when it must be loaded whatever the other side
 * holds: a file that cannot be read (so its error is reported), and a unit that is a directory
 * (a Terraform root reads its .tf files and the local modules it calls, which may live
 * elsewhere: no hash of one directory can stand for all of them).
 */
function contentHash(entry: PlannedFile['entry']): string | undefined {
  if (entry.kind === 'skipped') return `skipped:${entry.reason}`;
  try {
    if (fs.statSync(entry.absolute).isDirectory()) return undefined;
    return hash(fs.readFileSync(entry.absolute));
  } catch {
    return undefined;
  }
}

function sameContent(a: PlannedFile['entry'], b: PlannedFile['entry']): boolean {
  const x = contentHash(a);
  return x !== undefined && x === contentHash(b);
}

/** Run `fn` with the process in `dir`, so loaders name files relative to the side's root. */
function inDir<T>(dir: string, fn: () => T): T {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(before);
  }
}

function loadSide(run: RuleRun, files: readonly PlannedFile[], checkRules: boolean): Loaded {
  const units: Unit[] = [];
  const templates = new Map<string, LoadedTemplate>();
  const outcomes = new Map<string, RuleOutcome[]>();
  inDir(run.root, () => {
    for (const file of files) {
      const loaded = run.load(file);
      if (loaded.kind !== 'principals') continue;
      if (loaded.template) templates.set(file.entry.path, loaded.template);
      for (const p of loaded.principals) {
        const ref = refOf(file.entry.path, p);
        const guardrails: GuardrailOptions | undefined = run.guardrailOptions(file, p);
        const guardKey = guardrails ? hash(canonical(guardrails)) : '-';
        const fingerprint = guardrails ? hash(`${principalFingerprint(p)}\nguardrails:${guardKey}`) : principalFingerprint(p);
        units.push({ principal: p, ref, fingerprint, ...(guardrails ? { guardrails } : {}), guardrailKey: guardKey });
        if (!checkRules) continue;
        const list: RuleOutcome[] = [];
        for (const r of run.select(file, p)) if (r > 0) list.push(run.check(file, p, r));
        outcomes.set(ref.key, list);
      }
    }
  });
  return { units, templates, outcomes };
}

/** Parameter defaults of a template file (strings as written), or undefined when it does not parse. */
function parameterDefaults(absolute: string, file: string): Map<string, string> | undefined {
  try {
    const text = fs.readFileSync(absolute, 'utf8');
    const value = parseText(text, file, DEFAULT_LIMITS).value as { Parameters?: Record<string, { Default?: unknown }> } | undefined;
    const params = value && typeof value === 'object' ? value.Parameters : undefined;
    const out = new Map<string, string>();
    if (params && typeof params === 'object') {
      for (const [k, v] of Object.entries(params)) {
        if (v && typeof v === 'object' && 'Default' in v) out.set(k, typeof v.Default === 'string' ? v.Default : JSON.stringify(v.Default));
        else out.set(k, '(no default)');
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Parameter and condition names a template file declares (empty when it is not a template). */
function declaredNames(absolute: string, file: string): { parameters: string[]; conditions: string[] } {
  try {
    const value = parseText(fs.readFileSync(absolute, 'utf8'), file, DEFAULT_LIMITS).value as { Parameters?: unknown; Conditions?: unknown } | undefined;
    const keys = (v: unknown): string[] => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []);
    return value && typeof value === 'object' ? { parameters: keys(value.Parameters), conditions: keys(value.Conditions) } : { parameters: [], conditions: [] };
  } catch {
    return { parameters: [], conditions: [] };
  }
}

/**
 * --param and --condition names that no template at the head declares (a typo would leave the
 * answers that depend on it as they were, silently): errors with the closest declared names.
 * Loaded templates give their names; files skipped as unchanged are read for their
 * Parameters and Conditions keys only.
 */
function unknownInputNames(inputs: TemplateInputs, loaded: ReadonlyMap<string, LoadedTemplate>, headFiles: ReadonlyMap<string, PlannedFile>): SideProblem[] {
  const given = { parameter: Object.keys(inputs.parameters ?? {}), condition: Object.keys(inputs.conditions ?? {}) };
  if (!given.parameter.length && !given.condition.length) return [];
  const declared = { parameter: new Set<string>(), condition: new Set<string>() };
  for (const t of loaded.values()) {
    for (const n of t.parameterNames ?? []) declared.parameter.add(n);
    for (const n of Object.keys(t.conditions)) declared.condition.add(n);
  }
  const missing = (): boolean => given.parameter.some((n) => !declared.parameter.has(n)) || given.condition.some((n) => !declared.condition.has(n));
  for (const [p, f] of headFiles) {
    if (!missing()) break;
    if (loaded.has(p) || f.entry.kind === 'skipped' || !/\.(json|ya?ml|template)$/i.test(p)) continue;
    const d = declaredNames(f.entry.absolute, p);
    d.parameters.forEach((n) => declared.parameter.add(n));
    d.conditions.forEach((n) => declared.condition.add(n));
  }
  const out: SideProblem[] = [];
  for (const kind of ['parameter', 'condition'] as const) {
    for (const name of given[kind]) {
      if (declared[kind].has(name)) continue;
      const near = closestNames(name, [...declared[kind]], 3);
      out.push({
        kind: 'unknown-input',
        severity: 'error',
        side: 'head',
        message: `template ${kind} '${name}' is given a value (--${kind === 'parameter' ? 'param' : 'condition'}), but no template at the head declares it` + (near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''),
      });
    }
  }
  return out;
}

function templateInputChanges(file: string, base: { abs: string; template?: LoadedTemplate }, head: { abs: string; template?: LoadedTemplate }): InputChange[] {
  const out: InputChange[] = [];
  if (!base.template || !head.template) return out;
  const bp = parameterDefaults(base.abs, file);
  const hp = parameterDefaults(head.abs, file);
  if (bp && hp) {
    for (const [name, to] of hp) {
      const from = bp.get(name);
      if (from === undefined || from === to) continue;
      out.push({ kind: 'parameter-default', file, name, from, to, message: `${file}: parameter ${name} default ${from} -> ${to}` });
    }
  }
  const show = (v: boolean | undefined): string => (v === undefined ? 'unknown' : String(v));
  for (const [name, to] of Object.entries(head.template.conditions)) {
    if (!Object.prototype.hasOwnProperty.call(base.template.conditions, name)) continue;
    const from = base.template.conditions[name];
    if (from === to) continue;
    out.push({ kind: 'template-condition', file, name, from: show(from), to: show(to), message: `${file}: condition ${name} ${show(from)} -> ${show(to)}` });
  }
  return out;
}

function packageVersionIn(root: string): string | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    return pkg.devDependencies?.['jest-connect-iam'] ?? pkg.dependencies?.['jest-connect-iam'];
  } catch {
    return undefined;
  }
}

function subjectsOf(o: RuleOutcome): string[] {
  return o.checks.flatMap((c) => [...(c.subjects ?? [c.check])]);
}

function ruleChange(rule: string, principal: DiffPrincipalRef, state: RuleChange['state'], o: RuleOutcome, subjects: readonly string[]): RuleChange {
  const findings = o.checks.flatMap((c) => c.findings);
  const loc = findings.find((f) => f.location)?.location;
  return {
    rule,
    principal,
    state,
    subjects,
    messages: findings.slice(0, 5).map((f) => f.message),
    ...(loc ? { location: loc } : principal.line !== undefined ? { location: { file: principal.file, line: principal.line } } : {}),
  };
}

/**
 * Rule outcomes of paired principals compared: 'new' when the head fails and the base passed,
 * did not select it, or failed with fewer violations; 'fixed' when only the base fails.
 */
export function compareOutcomes(
  baseOutcomes: ReadonlyMap<string, readonly RuleOutcome[]>,
  headOutcomes: ReadonlyMap<string, readonly RuleOutcome[]>,
  headToBase: ReadonlyMap<string, string>,
  refs: ReadonlyMap<string, DiffPrincipalRef>,
): RuleChange[] {
  const out: RuleChange[] = [];
  const seenBase = new Set<string>();
  for (const [headKey, list] of headOutcomes) {
    const baseKey = headToBase.get(headKey);
    const baseList = baseKey !== undefined ? (baseOutcomes.get(baseKey) ?? []) : [];
    if (baseKey !== undefined) seenBase.add(baseKey);
    const ref = refs.get(`head:${headKey}`)!;
    for (const o of list) {
      const b = baseList.find((x) => x.rule === o.rule);
      if (o.status === 'fail') {
        const now = subjectsOf(o);
        if (!b || b.status !== 'fail') out.push(ruleChange(o.rule, ref, 'new', o, now));
        else {
          const before = new Set(subjectsOf(b).map((s) => s.toLowerCase()));
          const added = now.filter((s) => !before.has(s.toLowerCase()));
          out.push(ruleChange(o.rule, ref, added.length ? 'new' : 'existing', o, added.length ? added : now));
        }
      } else if (b && b.status === 'fail') {
        out.push(ruleChange(o.rule, ref, 'fixed', b, subjectsOf(b)));
      }
    }
    for (const b of baseList) {
      if (b.status === 'fail' && !list.some((x) => x.rule === b.rule)) out.push(ruleChange(b.rule, ref, 'fixed', b, subjectsOf(b)));
    }
  }
  for (const [baseKey, list] of baseOutcomes) {
    if (seenBase.has(baseKey)) continue;
    const ref = refs.get(`base:${baseKey}`)!;
    for (const b of list) if (b.status === 'fail') out.push(ruleChange(b.rule, ref, 'fixed', b, subjectsOf(b)));
  }
  return out;
}

/** Diff two trees already on disk. */
export function diffTrees(base: DiffSide, head: DiffSide, options: DiffTreesOptions = {}): DiffReport {
  const failOn = options.failOn ?? 'gained-any';
  const rules = rulesOf(head, options.rules);
  const ruleSet: RuleSet = {
    rules: [ALL, ...(rules?.set.rules ?? [])],
    suppressions: rules?.set.suppressions ?? [],
    ...(rules?.set.organization ? { organization: rules.set.organization } : {}),
    ...(rules?.set.resourcePolicies ? { resourcePolicies: rules.set.resourcePolicies } : {}),
  };
  const problems: SideProblem[] = [];
  // Each side's own guardrail sections (the head's are in its rules file, parsed above).
  const headSections: GuardrailSections = {
    ...(rules?.set.organization ? { organization: rules.set.organization } : {}),
    ...(rules?.set.resourcePolicies ? { resourcePolicies: rules.set.resourcePolicies } : {}),
  };
  const baseSections = baseSectionsOf(base, options.rules, rules?.shown, problems);
  const { organization: _o, resourcePolicies: _r, ...withoutSections } = ruleSet;
  const baseRuleSet: RuleSet = { ...withoutSections, ...baseSections };
  const runOptions = (root: string) => ({ cwd: root, loaderPath: (_a: string, rel: string) => rel, ...(options.inputs ? { inputs: options.inputs } : {}) });
  const baseRun = new RuleRun(baseRuleSet, runOptions(base.root));
  const headRun = new RuleRun(ruleSet, runOptions(head.root));
  const sameGuardrails = guardrailKey(baseSections, base.root) === guardrailKey(headSections, head.root);
  // Rule patterns that match nothing: an error at the head, expected at the base (files added by the change).
  for (const p of headRun.problems) problems.push({ ...p, side: 'head' });
  for (const p of baseRun.problems) problems.push({ ...p, severity: p.severity === 'error' ? 'warning' : p.severity, side: 'base' });
  headRun.problems.length = 0;
  baseRun.problems.length = 0;

  const baseFiles = new Map(baseRun.files.map((f) => [f.entry.path, f]));
  const headFiles = new Map(headRun.files.map((f) => [f.entry.path, f]));
  const changedBase: PlannedFile[] = [];
  const changedHead: PlannedFile[] = [];
  let unchanged = 0;
  let changed = 0;
  let added = 0;
  let removed = 0;
  let done = 0;
  const total = new Set([...baseFiles.keys(), ...headFiles.keys()]).size;
  for (const [p, hf] of headFiles) {
    const bf = baseFiles.get(p);
    if (!bf) {
      added++;
      changedHead.push(hf);
    } else if (sameContent(bf.entry, hf.entry)) {
      unchanged++;
      // Same content, other guardrails: its principals may answer differently.
      if (!sameGuardrails) {
        changedBase.push(bf);
        changedHead.push(hf);
      }
    } else {
      changed++;
      changedBase.push(bf);
      changedHead.push(hf);
    }
    options.onFile?.(++done, total, p);
  }
  for (const [p, bf] of baseFiles) {
    if (headFiles.has(p)) continue;
    removed++;
    changedBase.push(bf);
    options.onFile?.(++done, total, p);
  }

  const checkRules = rules !== undefined;
  const b = loadSide(baseRun, changedBase, checkRules);
  const h = loadSide(headRun, changedHead, checkRules);
  for (const p of headRun.problems) problems.push({ ...p, side: 'head' });
  for (const p of baseRun.problems) problems.push({ ...p, severity: p.severity === 'error' ? 'warning' : p.severity, side: 'base' });
  if (options.inputs) problems.push(...unknownInputNames(options.inputs, h.templates, headFiles));
  // A policy attaching to a principal of another file: its effect is not in any principal's answers.
  for (const a of headRun.externalAttachments) {
    const before = baseRun.externalAttachments.some((x) => x.path === a.path && x.source === a.source && x.target === a.target);
    if (before) continue;
    problems.push({
      kind: 'external-attachment',
      severity: 'error',
      side: 'head',
      message: `${a.source} in ${a.file} attaches to ${a.kind} ${a.target}, which another file defines: what it grants cannot be compared, review it by hand`,
      location: { file: a.file },
    });
  }

  // Evaluation inputs that are not policy edits.
  const inputs: InputChange[] = [];
  for (const [file, ht] of h.templates) {
    const bt = b.templates.get(file);
    if (!bt) continue;
    inputs.push(...templateInputChanges(file, { abs: baseFiles.get(file)!.entry.absolute, template: bt }, { abs: headFiles.get(file)!.entry.absolute, template: ht }));
  }
  const bv = packageVersionIn(base.root);
  const hv = packageVersionIn(head.root);
  if (bv !== hv && (bv !== undefined || hv !== undefined)) {
    inputs.push({
      kind: 'package-version',
      file: 'package.json',
      ...(bv !== undefined ? { from: bv } : {}),
      ...(hv !== undefined ? { to: hv } : {}),
      message: `package.json: jest-connect-iam ${bv ?? '(none)'} -> ${hv ?? '(none)'}; both sides were evaluated with the installed ${options.version ?? 'version'} (its IAM action list and managed policies ${managedPolicyDataInfo().dataDate.slice(0, 10)}), so changes the new version's bundled data brings are not shown`,
    });
  }
  if (rules) {
    const baseRules = path.resolve(base.root, rules.shown);
    let before: string | undefined;
    try {
      before = fs.readFileSync(baseRules, 'utf8');
    } catch {
      before = undefined;
    }
    const now = fs.readFileSync(path.resolve(head.root, rules.shown), 'utf8');
    if (before !== now) {
      inputs.push({ kind: 'rules-file', file: rules.shown, message: `${rules.shown} ${before === undefined ? 'is new' : 'changed'}: the head's rules are applied to both sides` });
    }
  }
  // Guardrail files (SCP, RCP, resource policies) added, edited or removed: not policy edits, but inputs.
  const guardrailMessages: string[] = [];
  {
    const bk = guardrailFileKinds(baseSections);
    const hk = guardrailFileKinds(headSections);
    for (const file of [...new Set([...bk.keys(), ...hk.keys()])].sort()) {
      const what = hk.get(file) ?? bk.get(file)!;
      const from = bk.has(file) ? fileHash(base.root, file) : undefined;
      const to = hk.has(file) ? fileHash(head.root, file) : undefined;
      if (bk.has(file) && hk.has(file) && from === to) continue;
      const state = !bk.has(file) ? 'now applies' : !hk.has(file) ? 'no longer applies' : 'changed';
      const message = `${file}: ${what} ${state}; every principal it applies to was re-evaluated`;
      guardrailMessages.push(message);
      inputs.push({ kind: 'guardrail-file', file, name: what, ...(from ? { from: from.slice(0, 12) } : {}), ...(to ? { to: to.slice(0, 12) } : {}), message });
    }
    if (!guardrailMessages.length && !sameGuardrails) {
      const message = `${rules?.shown ?? 'the rules file'}: the organization or resourcePolicies section changed; every principal it applies to was re-evaluated`;
      guardrailMessages.push(message);
      inputs.push({ kind: 'guardrail-file', file: rules?.shown ?? 'rules file', message });
    }
  }
  const inputsByFile = new Map<string, string[]>();
  for (const i of inputs) if (i.file && i.kind !== 'package-version' && i.kind !== 'rules-file') inputsByFile.set(i.file, [...(inputsByFile.get(i.file) ?? []), i.message]);

  // Pair and compare.
  const pairing = pairPrincipals(b.units, h.units);
  const profiles = new Map<string, AccessProfile>();
  const profile = (u: Unit): AccessProfile => {
    let p = profiles.get(u.fingerprint);
    if (!p) profiles.set(u.fingerprint, (p = profileOf(u.principal, u.guardrails)));
    return p;
  };
  const side = (u: Unit): Side => ({ principal: u.principal, ref: u.ref, profile: profile(u), ...(u.guardrails ? { guardrails: u.guardrails } : {}), ...(u.guardrailKey ? { guardrailKey: u.guardrailKey } : {}) });
  const diffs: PrincipalDiff[] = [];
  let identical = 0;
  let compared = 0;
  const inputsOf = (...refs: Array<DiffPrincipalRef | undefined>): string[] => [...new Set(refs.flatMap((r) => (r ? (inputsByFile.get(r.file) ?? []) : [])))];
  if (options.compare !== false) inDir(head.root, () => {
    for (const pair of pairing.pairs) {
      if (pair.base.fingerprint === pair.head.fingerprint) {
        identical++;
        if (pair.by !== 'key') diffs.push(renamedOnly(pair.base.ref, pair.head.ref, pair.by));
        continue;
      }
      compared++;
      const guardrailInputs = pair.base.guardrailKey !== pair.head.guardrailKey ? guardrailMessages : [];
      diffs.push(comparePair(side(pair.base), side(pair.head), pair.by, [...new Set([...inputsOf(pair.base.ref, pair.head.ref), ...guardrailInputs])]));
    }
    for (const u of pairing.added) diffs.push(oneSided(side(u), 'added', inputsOf(u.ref)));
    for (const u of pairing.removed) diffs.push(oneSided(side(u), 'removed', inputsOf(u.ref)));
  });
  diffs.sort(
    (x, y) =>
      Number(y.gained) - Number(x.gained) ||
      Number(y.lost) - Number(x.lost) ||
      (x.head ?? x.base)!.key.localeCompare((y.head ?? y.base)!.key),
  );

  let ruleChanges: RuleChange[] | undefined;
  if (rules) {
    const headToBase = new Map<string, string>();
    const refs = new Map<string, DiffPrincipalRef>();
    for (const pair of pairing.pairs) headToBase.set(pair.head.ref.key, pair.base.ref.key);
    for (const u of h.units) refs.set(`head:${u.ref.key}`, u.ref);
    for (const u of b.units) refs.set(`base:${u.ref.key}`, u.ref);
    ruleChanges = compareOutcomes(b.outcomes, h.outcomes, headToBase, refs);
    for (const list of h.outcomes.values()) {
      for (const o of list) {
        if (o.status !== 'error') continue;
        problems.push({ kind: 'rules-file', severity: 'error', side: 'head', rule: o.rule, message: `rule '${o.rule}' could not be checked for ${o.principal.key}: ${o.checks.map((c) => c.error).filter(Boolean).join('; ')}` });
      }
    }
  }

  const stats: DiffStats = {
    files: { base: baseFiles.size, head: headFiles.size, unchanged, changed, added, removed },
    loaded: changedBase.length + changedHead.length,
    ...(sameGuardrails ? {} : { guardrailsChanged: true }),
    principals: { base: b.units.length, head: h.units.length, compared, identical },
  };
  const summary = summarise(diffs, ruleChanges ?? []);
  const exitCode = exitCodeOf(summary, problems, failOn);
  return {
    base,
    head,
    principals: diffs,
    inputs,
    ...(rules ? { rules: { file: rules.shown, changes: ruleChanges ?? [] } } : {}),
    problems,
    stats,
    summary,
    failOn,
    exitCode,
  };
}

function renamedOnly(base: DiffPrincipalRef, head: DiffPrincipalRef, by: PrincipalDiff['pairedBy']): PrincipalDiff {
  const none = { count: 0, byService: [], actions: [] };
  return {
    change: 'changed',
    base,
    head,
    ...(by ? { pairedBy: by } : {}),
    gained: false,
    gainedWrite: false,
    lost: false,
    tasks: { gained: [], lost: [] },
    nonRead: { gained: none, lost: none },
    conditional: [],
    unresolved: { gained: [], lost: [] },
    policies: { attached: [], detached: [], edited: [] },
    inputs: [],
    locations: [],
  };
}

export function summarise(diffs: readonly PrincipalDiff[], rules: readonly RuleChange[]): DiffSummary {
  return {
    gainedAny: diffs.some((d) => d.gained) || rules.some((r) => r.state === 'new'),
    gainedWrite: diffs.some((d) => d.gainedWrite),
    lostAny: diffs.some((d) => d.lost),
    changed: diffs.filter((d) => d.change === 'changed').length,
    added: diffs.filter((d) => d.change === 'added').length,
    removed: diffs.filter((d) => d.change === 'removed').length,
    tasksGained: diffs.reduce((n, d) => n + d.tasks.gained.length, 0),
    tasksLost: diffs.reduce((n, d) => n + d.tasks.lost.length, 0),
    nonReadGained: diffs.reduce((n, d) => n + d.nonRead.gained.count, 0),
    nonReadLost: diffs.reduce((n, d) => n + d.nonRead.lost.count, 0),
    newlyViolated: rules.filter((r) => r.state === 'new').length,
  };
}

/** 2 on head input errors; else 1 when access was gained as `failOn` counts it (or a rule is newly violated); else 0. */
export function exitCodeOf(summary: DiffSummary, problems: readonly SideProblem[], failOn: FailOn): 0 | 1 | 2 {
  if (problems.some((p) => p.side === 'head' && p.severity === 'error')) return 2;
  if (failOn === 'never') return 0;
  if (summary.newlyViolated > 0) return 1;
  if (failOn === 'gained-write') return summary.gainedWrite ? 1 : 0;
  return summary.gainedAny ? 1 : 0;
}

