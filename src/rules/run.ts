/**
 * Running a rule set over a directory, one file at a time: plan (which files each rule's
 * globs select), load a file, select its principals per rule, check, apply suppressions,
 * forget the file. Only small outcome records are kept, so memory does not grow with the
 * size of the templates.
 *
 * Fail-closed bookkeeping, reported as problems at the end (`finish`):
 * - a files pattern that matched nothing (error), a file that could not be read (error),
 *   a file that was found but not read, e.g. a symbolic link out of the root (warning);
 * - a principal pattern without wildcards that matched nothing (error, with the closest
 *   names), a rule that selected no principal at all (error);
 * - a suppression that names no principal its rule selected (error: probably a typo), and
 *   one whose principal complies (warning: the violation it accepted is gone).
 */
import { withPinnedVersions } from '../managed/pin';
import * as path from 'node:path';
import { PolicySourceError } from '../errors';
import { loadFile } from '../loaders';
import { ParseMemo, rememberingParses } from '../policy/parse';
import type { LoadedTemplate } from '../loaders/types';
import type { Principal, SourceLocation } from '../policy/types';
import { planScan, type ScanEntry } from '../scan';
import { closestNames } from '../util/suggest';
import { runChecks } from './checks';
import { guardrailFiles, guardrailsFor, resolveGuardrails, type ResolvedGuardrails } from './guardrails';
import type { GuardrailOptions } from '../evaluator/guardrails/types';
import type { TemplateOptions } from '../loaders/types';
import type { CheckReport, CheckResult, Problem, PrincipalRef, Rule, RuleOutcome, RuleSet, Suppression, TemplateInputs, TemplateInputsEntry } from './types';

/** Files that are never IAM, left out when the default patterns are used. */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '**/jest-connect-iam.rules.yaml',
  '**/jest-connect-iam.rules.yml',
  '**/package.json',
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/tsconfig*.json',
  '**/jsconfig*.json',
  '**/cdk.out/tree.json',
  '**/cdk.out/manifest.json',
  '**/cdk.out/**/asset.*/**',
];

export interface RunOptions {
  /** The root directory; rule globs are relative to it. */
  readonly cwd: string;
  /** Called after each file is processed (progress). */
  readonly onFile?: (done: number, total: number, file: string) => void;
  /**
   * How a file's path is given to the loader (and so appears in messages).
   * @default the path relative to process.cwd()
   */
  readonly loaderPath?: (absolute: string, relative: string) => string;
  /**
   * Template inputs for every file (the CLI's --param, --pseudo, --condition), applied after
   * the rules file's own (so they win).
   */
  readonly inputs?: TemplateInputs;
}

export interface PlannedFile {
  readonly entry: ScanEntry;
  /** Indexes into ruleSet.rules of the rules whose globs matched the file. */
  readonly rules: readonly number[];
}

/** What loading one file gave. */
export type FileLoad =
  | { readonly kind: 'principals'; readonly principals: readonly Principal[]; readonly template?: LoadedTemplate }
  | { readonly kind: 'not-a-template' }
  | { readonly kind: 'error'; readonly error: PolicySourceError | Error; readonly location: SourceLocation }
  | { readonly kind: 'skipped'; readonly reason: string };

const WILDCARD = /[*?]/;

/** `*` any run of characters, `?` one character, case-insensitive, whole string. */
export function nameMatches(pattern: string, text: string): boolean {
  if (!WILDCARD.test(pattern)) return pattern.toLowerCase() === text.toLowerCase();
  const re = new RegExp(
    '^' + pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('') + '$',
    'is',
  );
  return re.test(text);
}

export function principalKey(file: string, principal: Principal): string {
  return `${file}#${principal.id}`;
}

/**
 * A copy of a string that does not share memory with the text it was cut from: ids and
 * names parsed out of a template can be slices of the whole file's text, which an outcome
 * kept until the end of the run would otherwise keep alive.
 */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

const NO_CHECKS: readonly CheckResult[] = Object.freeze([]);

/**
 * Where a principal is shown: its file (relative to the root) and line. A Terraform unit is a
 * directory (or a plan beside its sources), so its principals are in files under it.
 */
function shownAt(file: string, principal: Principal): { file: string; line?: number } {
  const src = principal.source;
  if (!src?.file || !principal.file || src.file === principal.file) return { file, ...(src?.line !== undefined ? { line: src.line } : {}) };
  const inside = (from: string, base: string): { file: string; line?: number } | undefined => {
    const rel = path.relative(from, src.file!);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return { file: path.join(base, rel), ...(src.line !== undefined ? { line: src.line } : {}) };
  };
  return inside(principal.file, file) ?? inside(path.dirname(principal.file), path.dirname(file)) ?? { file };
}

function toRef(file: string, principal: Principal): PrincipalRef {
  const shown = shownAt(file, principal);
  return {
    id: detach(principal.id),
    ...(principal.name !== undefined ? { name: detach(principal.name) } : {}),
    kind: principal.kind,
    file: shown.file,
    ...(shown.line !== undefined ? { line: shown.line } : {}),
    key: detach(principalKey(file, principal)),
  };
}

function suppressionMatches(s: Suppression, ref: PrincipalRef): boolean {
  return s.principal === ref.id || s.principal === ref.name || s.principal === ref.key;
}

/** A policy that attaches to a role/user/group its template does not define (by name). */
export interface ExternalAttachment {
  /** The file as messages show it. */
  readonly file: string;
  /** The file relative to the scan root. */
  readonly path: string;
  readonly source: string;
  readonly kind: 'role' | 'user' | 'group';
  readonly target: string;
}

const EXTERNAL = /^(\S+) attaches to (role|user|group) (.+), which is not defined in this (?:template|plan)(?: \(.*\))?$/;

interface PatternState {
  hits: number;
  near: string[];
}

interface SuppressionState {
  selected: number;
  used: number;
  /** Violations the suppression's `only` list does not cover (it did not apply). */
  uncovered: Set<string>;
  near: string[];
}

/**
 * A run in steps, so the CLI can stream and the presets can register one Jest test per
 * principal and rule: plan() once, load() each file, select() its principals, check()
 * each (principal, rule), finish() for the problems.
 */
export class RuleRun {
  readonly root: string;
  readonly problems: Problem[] = [];
  readonly files: readonly PlannedFile[];
  private readonly patternState: Array<Map<string, PatternState>>;
  private readonly selectedCount: number[];
  private readonly suppressionState: SuppressionState[];
  readonly stats = { files: 0, read: 0, notTemplates: 0, unreadable: 0, skipped: 0, principals: 0 };
  readonly externalAttachments: ExternalAttachment[] = [];
  /** The organization and resource policies of the rules file, loaded once (undefined when it has none). */
  private readonly guardrails?: ResolvedGuardrails;
  /** Set when a file the guardrail sections name cannot be read: every check then fails (the verdict would be incomplete). */
  private readonly guardrailsBroken?: string;
  /** Per template-inputs entry: the files it applies to (undefined: every file). */
  private readonly inputFiles: Array<{ readonly entry: TemplateInputsEntry; readonly files?: ReadonlySet<string> }>;
  /** Parameter and condition names some loaded template declares (to report given names nothing declares). */
  private readonly declaredParameters = new Set<string>();
  private readonly declaredConditions = new Set<string>();
  /** Documents parsed for the current file (the loader's validation and the checks' compile share them). */
  private readonly parses = new ParseMemo();
  /** The last principal's reference (select and each rule's check ask for it in turn). */
  private lastRef?: { readonly file: string; readonly principal: Principal; readonly ref: PrincipalRef };

  constructor(
    readonly ruleSet: RuleSet,
    private readonly options: RunOptions,
  ) {
    const groups = new Map<string, { files: readonly string[] | undefined; rules: number[] }>();
    ruleSet.rules.forEach((rule, i) => {
      const key = JSON.stringify(rule.select.files ?? null);
      const g = groups.get(key) ?? { files: rule.select.files, rules: [] };
      g.rules.push(i);
      groups.set(key, g);
    });
    const byPath = new Map<string, { entry: ScanEntry; rules: Set<number> }>();
    let root: string | undefined;
    for (const g of groups.values()) {
      const plan = planScan({ cwd: options.cwd, ...(g.files ? { files: g.files } : { ignore: DEFAULT_EXCLUDES }) });
      root = plan.root;
      for (const [pattern, count] of plan.patternCounts) {
        // The default patterns may match nothing (no cdk.out); a rule that then selects
        // nothing is reported as 'no-principals'.
        if (count > 0 || !g.files) continue;
        for (const r of g.rules) {
          this.problems.push({
            kind: 'no-files',
            severity: 'error',
            rule: ruleSet.rules[r]!.name,
            message: `rule '${ruleSet.rules[r]!.name}': files pattern '${pattern}' matched no file in ${plan.root}`,
            ...(ruleSet.rules[r]!.source ? { location: ruleSet.rules[r]!.source! } : {}),
          });
        }
      }
      for (const entry of plan.entries) {
        const slot = byPath.get(entry.path) ?? { entry, rules: new Set<number>() };
        g.rules.forEach((r) => slot.rules.add(r));
        byPath.set(entry.path, slot);
      }
    }
    this.root = root ?? path.resolve(options.cwd);
    // SCP, RCP and resource policy files the rules file names are guardrails, not principals.
    const guardFiles = guardrailFiles(ruleSet.organization ?? [], ruleSet.resourcePolicies ?? []);
    for (const f of guardFiles) byPath.delete(f);
    this.files = [...byPath.values()]
      .map((s) => ({ entry: s.entry, rules: [...s.rules].sort((a, b) => a - b) }))
      .sort((a, b) => (a.entry.path < b.entry.path ? -1 : a.entry.path > b.entry.path ? 1 : 0));
    this.stats.files = this.files.length;
    const entries: TemplateInputsEntry[] = [...(ruleSet.inputs ?? []), ...(options.inputs ? [{ ...options.inputs }] : [])];
    this.inputFiles = entries.map((entry) => {
      if (!entry.files) return { entry };
      const plan = planScan({ cwd: options.cwd, files: entry.files });
      for (const [pattern, count] of plan.patternCounts) {
        if (count === 0 && !pattern.startsWith('!')) {
          this.problems.push({ kind: 'no-files', severity: 'error', message: `templates: files pattern '${pattern}' matched no file in ${plan.root}`, ...(entry.source ? { location: entry.source } : {}) });
        }
      }
      return { entry, files: new Set(plan.entries.map((e) => e.path)) };
    });
    this.patternState = ruleSet.rules.map((rule) => new Map((rule.select.principals ?? []).map((p) => [p, { hits: 0, near: [] }])));
    this.selectedCount = ruleSet.rules.map(() => 0);
    this.suppressionState = ruleSet.suppressions.map(() => ({ selected: 0, used: 0, uncovered: new Set<string>(), near: [] }));
    if (ruleSet.organization || ruleSet.resourcePolicies) {
      try {
        const filesOf = (patterns: readonly string[]): ReadonlySet<string> => new Set(planScan({ cwd: options.cwd, files: patterns }).entries.map((e) => e.path));
        this.guardrails = resolveGuardrails(ruleSet.organization ?? [], ruleSet.resourcePolicies ?? [], this.root, filesOf);
      } catch (err) {
        const e = err as Error & { location?: SourceLocation; line?: number; file?: string };
        const location: SourceLocation | undefined =
          err instanceof PolicySourceError ? { ...(err.file ? { file: err.file } : {}), ...(err.line !== undefined ? { line: err.line } : {}), ...(err.path ? { path: err.path } : {}) } : e.location;
        this.guardrailsBroken = e.message;
        const what = err instanceof PolicySourceError ? `${err.problem}${err.file ? ` (${path.relative(this.root, err.file) || err.file})` : ''}` : e.message;
        this.problems.push({ kind: 'rules-file', severity: 'error', message: `the organization / resourcePolicies sections: ${what}`, ...(location ? { location } : {}) });
      }
    }
  }

  /** The guardrail options for one principal (organization entry that applies, resource policies). */
  guardrailOptions(file: PlannedFile, principal: Principal): GuardrailOptions | undefined {
    return guardrailsFor(this.guardrails, file.entry.path, principal, nameMatches);
  }

  /** Load one planned file (never throws: errors become a FileLoad of kind 'error'). */
  load(file: PlannedFile): FileLoad {
    const { entry } = file;
    if (entry.kind === 'skipped') {
      this.stats.skipped++;
      this.problems.push({ kind: 'skipped-file', severity: 'warning', message: `not read: ${entry.reason}`, location: { file: entry.path } });
      return { kind: 'skipped', reason: entry.reason };
    }
    const given = this.options.loaderPath
      ? this.options.loaderPath(entry.absolute, entry.path)
      : path.relative(process.cwd(), entry.absolute) || entry.absolute;
    let loaded: ReturnType<typeof loadFile>;
    try {
      // A scan's documents are never changed: each is parsed once (loader and compile share it).
      this.parses.clear();
      loaded = rememberingParses(this.parses, () => loadFile(given, this.loaderOptions(entry.path)));
    } catch (err) {
      return this.unreadable(given, err);
    }
    if (loaded.error) return this.unreadable(given, loaded.error);
    if (loaded.kind === 'not-a-template') {
      this.stats.notTemplates++;
      // Named (the first 50) so a misread template cannot vanish without a trace.
      if (this.stats.notTemplates <= 50) {
        this.problems.push({ kind: 'not-a-template', severity: 'note', message: `not a policy or template${loaded.reason ? ` (${loaded.reason})` : ''}`, location: { file: given } });
      }
      return { kind: 'not-a-template' };
    }
    this.stats.read++;
    this.stats.principals += loaded.principals.length;
    for (const n of loaded.template?.parameterNames ?? []) this.declaredParameters.add(n);
    for (const n of Object.keys(loaded.template?.conditions ?? {})) this.declaredConditions.add(n);
    for (const w of loaded.warnings ?? loaded.template?.warnings ?? []) {
      this.problems.push({ kind: 'loader-warning', severity: 'warning', message: w, location: { file: given } });
      const m = EXTERNAL.exec(w);
      if (m) this.externalAttachments.push({ file: given, path: entry.path, source: m[1]!, kind: m[2] as ExternalAttachment['kind'], target: m[3]! });
    }
    return { kind: 'principals', principals: loaded.principals, ...(loaded.template ? { template: loaded.template } : {}) };
  }

  /** The loader options for one file: every template-inputs entry that selects it, merged in order. */
  loaderOptions(relative: string): TemplateOptions {
    let parameters: Record<string, string> | undefined;
    let pseudo: Record<string, string> | undefined;
    let conditions: Record<string, boolean> | undefined;
    for (const { entry, files } of this.inputFiles) {
      if (files && !files.has(relative)) continue;
      if (entry.parameters) parameters = { ...parameters, ...entry.parameters };
      if (entry.pseudo) pseudo = { ...pseudo, ...(entry.pseudo as Record<string, string>) };
      if (entry.conditions) conditions = { ...conditions, ...entry.conditions };
    }
    if (!parameters && !pseudo && !conditions) return {};
    return { ...(parameters ? { parameters } : {}), ...(pseudo ? { pseudo } : {}), ...(conditions ? { conditions } : {}), unknownInputs: 'ignore' };
  }

  /**
   * Given parameter and condition names that no loaded template declares: probably typos (the
   * answers that depend on them stay conditional), so errors with the closest declared names.
   */
  inputProblems(): Problem[] {
    const late: Problem[] = [];
    if (this.stats.read === 0) return late;
    for (const { entry } of this.inputFiles) {
      const where = entry.source ? { location: entry.source } : {};
      for (const [kind, names, declared] of [
        ['parameter', Object.keys(entry.parameters ?? {}), this.declaredParameters],
        ['condition', Object.keys(entry.conditions ?? {}), this.declaredConditions],
      ] as const) {
        for (const name of names) {
          if (declared.has(name)) continue;
          const near = closestNames(name, [...declared], 3);
          late.push({
            kind: 'unknown-input',
            severity: 'error',
            message: `template ${kind} '${name}' is given a value, but no scanned template declares it` + (near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''),
            ...where,
          });
        }
      }
    }
    this.problems.push(...late);
    return late;
  }

  private unreadable(file: string, err: unknown): FileLoad {
    this.stats.unreadable++;
    const error = err instanceof Error ? err : new Error(String(err));
    const location: SourceLocation =
      err instanceof PolicySourceError
        ? { file, ...(err.line !== undefined ? { line: err.line } : {}), ...(err.column !== undefined ? { column: err.column } : {}), ...(err.path ? { path: err.path } : {}) }
        : { file };
    const problem = err instanceof PolicySourceError ? err.problem : error.message;
    this.problems.push({ kind: 'unreadable-file', severity: 'error', message: `cannot be read: ${problem}`, location });
    return { kind: 'error', error, location };
  }

  /** The rules (indexes) of `file` that select `principal`; records what was seen for suggestions. */
  select(file: PlannedFile, principal: Principal): number[] {
    const out: number[] = [];
    const names = [principal.id, ...(principal.name && principal.name !== principal.id ? [principal.name] : [])];
    const ref = this.refOf(file, principal);
    for (const r of file.rules) {
      const rule = this.ruleSet.rules[r]!;
      const patterns = rule.select.principals;
      let byName = true;
      if (patterns && patterns.length > 0) {
        byName = false;
        for (const [pattern, st] of this.patternState[r]!) {
          if (names.some((n) => nameMatches(pattern, n))) {
            st.hits++;
            byName = true;
          } else if (!WILDCARD.test(pattern)) {
            st.near = closestNames(pattern, [...st.near, ...names], 3);
          }
        }
      }
      // A tag whose value is unknown may be the selected one once deployed: select (and check) it.
      const byTags = !rule.select.tags || Object.entries(rule.select.tags).every(([k, v]) => principal.tags?.[k] === v || principal.unknownTags?.includes(k) === true || principal.unknownTags?.includes('*') === true);
      if (!byName || !byTags) continue;
      out.push(r);
      this.selectedCount[r]!++;
      this.ruleSet.suppressions.forEach((s, i) => {
        if (s.rule !== rule.name) return;
        const st = this.suppressionState[i]!;
        if (suppressionMatches(s, ref)) st.selected++;
        else st.near = closestNames(s.principal, [...st.near, ...names], 3);
      });
    }
    return out;
  }

  /** The principal's reference (computed once for its select and checks; a fresh copy each time). */
  private refOf(file: PlannedFile, principal: Principal): PrincipalRef {
    const last = this.lastRef;
    if (last && last.principal === principal && last.file === file.entry.path) return { ...last.ref };
    const ref = toRef(file.entry.path, principal);
    this.lastRef = { file: file.entry.path, principal, ref };
    return { ...ref };
  }

  /** Check one principal against one rule (by index), applying suppressions. */
  check(file: PlannedFile, principal: Principal, ruleIndex: number): RuleOutcome {
    const rule = this.ruleSet.rules[ruleIndex]!;
    const ref = this.refOf(file, principal);
    const all = this.guardrailsBroken !== undefined
      ? [{ check: 'readOnly' as const, status: 'non-compliant' as const, findings: [], evidence: [], error: `the guardrails could not be loaded: ${this.guardrailsBroken}` }]
      : rememberingParses(this.parses, () => runChecks(withPinnedVersions(principal, this.ruleSet.managedPolicyVersions), rule, this.guardrailOptions(file, principal)));
    const failed = all.filter((c) => c.status === 'non-compliant');
    const errored = all.some((c) => c.error !== undefined);
    let status: RuleOutcome['status'] = errored ? 'error' : failed.length ? 'fail' : 'pass';
    let suppression: RuleOutcome['suppression'];
    const sIndex = this.ruleSet.suppressions.findIndex((s) => s.rule === rule.name && suppressionMatches(s, ref));
    const accepted = (sup: Suppression): boolean => {
      if (!sup.only) return true;
      const only = new Set(sup.only.map((x) => x.toLowerCase()));
      return failed.every((c) => (c.subjects ?? [c.check]).every((x) => only.has(x.toLowerCase())));
    };
    if (sIndex >= 0 && status === 'fail' && !accepted(this.ruleSet.suppressions[sIndex]!)) {
      const only = new Set(this.ruleSet.suppressions[sIndex]!.only!.map((x) => x.toLowerCase()));
      for (const c of failed) for (const x of c.subjects ?? [c.check]) if (!only.has(x.toLowerCase())) this.suppressionState[sIndex]!.uncovered.add(x);
    }
    if (sIndex >= 0 && status === 'fail' && accepted(this.ruleSet.suppressions[sIndex]!)) {
      const s = this.ruleSet.suppressions[sIndex]!;
      this.suppressionState[sIndex]!.used++;
      status = 'suppressed';
      suppression = { reason: s.reason, ...(s.source ? { source: s.source } : {}) };
    }
    return { rule: rule.name, principal: ref, status, checks: failed.length ? failed : NO_CHECKS, checked: all.length, ...(suppression ? { suppression } : {}) };
  }

  /** Problems that are only known at the end: unknown principals, rules that selected nothing, suppressions. */
  finish(): Problem[] {
    return [...this.selectionProblems(), ...this.suppressionProblems(), ...this.inputProblems()];
  }

  /**
   * After every file was loaded and selected: principal patterns without wildcards that
   * matched nothing, rules that selected nothing, suppressions naming no selected principal.
   */
  selectionProblems(): Problem[] {
    const late: Problem[] = [];
    this.ruleSet.rules.forEach((rule, r) => {
      const loc = rule.source ? { location: rule.source } : {};
      let unknown = false;
      const noFiles = this.problems.some((p) => p.kind === 'no-files' && p.rule === rule.name);
      for (const [pattern, st] of this.patternState[r]!) {
        if (st.hits > 0 || WILDCARD.test(pattern) || noFiles) continue;
        unknown = true;
        late.push({
          kind: 'unknown-principal',
          severity: 'error',
          rule: rule.name,
          message: `rule '${rule.name}': no principal named '${pattern}' in the selected files` +
            (st.near.length ? `: did you mean ${st.near.map((n) => `'${n}'`).join(', ')}?` : ''),
          ...loc,
        });
      }
      if (this.selectedCount[r] === 0 && !unknown && !noFiles) {
        late.push({
          kind: 'no-principals',
          severity: 'error',
          rule: rule.name,
          message: `rule '${rule.name}' selected no principal (files: ${(rule.select.files ?? ['<default>']).join(', ')}` +
            `${rule.select.principals ? `; principals: ${rule.select.principals.join(', ')}` : ''}` +
            `${rule.select.tags ? `; tags: ${Object.entries(rule.select.tags).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}): it checks nothing`,
          ...loc,
        });
      }
    });
    this.ruleSet.suppressions.forEach((s, i) => {
      const st = this.suppressionState[i]!;
      if (st.selected > 0) return;
      late.push({
        kind: 'unknown-suppression',
        severity: 'error',
        rule: s.rule,
        message: `suppression for rule '${s.rule}': no principal '${s.principal}' is selected by that rule` +
          (st.near.length ? `: did you mean ${st.near.map((n) => `'${n}'`).join(', ')}?` : ''),
        ...(s.source ? { location: s.source } : {}),
      });
    });
    this.problems.push(...late);
    return late;
  }

  /** After every check ran: suppressions whose principals all comply (warnings). */
  suppressionProblems(): Problem[] {
    const late: Problem[] = [];
    this.ruleSet.suppressions.forEach((s, i) => {
      const st = this.suppressionState[i]!;
      if (st.uncovered.size > 0) {
        late.push({
          kind: 'unused-suppression',
          severity: 'warning',
          rule: s.rule,
          message: `suppression for rule '${s.rule}' and principal '${s.principal}' did not apply: it accepts only ${(s.only ?? []).join(', ')}, and the principal also breaks the rule with ${[...st.uncovered].slice(0, 5).join(', ')}${st.uncovered.size > 5 ? ', ...' : ''}`,
          ...(s.source ? { location: s.source } : {}),
        });
        return;
      }
      if (st.selected === 0 || st.used > 0) return;
      late.push({
        kind: 'unused-suppression',
        severity: 'warning',
        rule: s.rule,
        message: `suppression for rule '${s.rule}' and principal '${s.principal}' is unused: the principal complies, remove the suppression`,
        ...(s.source ? { location: s.source } : {}),
      });
    });
    this.problems.push(...late);
    return late;
  }

  /**
   * A policy in another file that attaches to this principal (by its physical name): the
   * principal's checks did not see it, so no verdict about the principal can be trusted.
   */
  externalAttachmentFor(principal: { readonly kind: string; readonly id: string; readonly name?: string | undefined }, file: string): ExternalAttachment | undefined {
    return this.externalAttachments.find(
      (a) => a.kind === principal.kind && (a.target === principal.name || a.target === principal.id) && a.path !== file,
    );
  }

  /** Problems for checked principals that a policy in another file attaches to (errors). */
  externalAttachmentProblems(outcomes: readonly RuleOutcome[]): Problem[] {
    const out: Problem[] = [];
    const seen = new Set<string>();
    for (const o of outcomes) {
      if (seen.has(o.principal.key)) continue;
      const a = this.externalAttachmentFor(o.principal, o.principal.file);
      if (!a) continue;
      seen.add(o.principal.key);
      out.push({
        kind: 'external-attachment',
        severity: 'error',
        message: `${a.source} in ${a.file} attaches to ${a.kind} ${a.target} (${o.principal.key}); the checks of ${o.principal.id} could not include it, so their verdict is incomplete`,
        location: { file: a.file },
      });
    }
    this.problems.push(...out);
    return out;
  }

  /** The suppression (index) that applies to this principal and rule, if any. */
  suppressionFor(file: PlannedFile, principal: Principal, ruleIndex: number): Suppression | undefined {
    const rule = this.ruleSet.rules[ruleIndex]!;
    const ref = toRef(file.entry.path, principal);
    return this.ruleSet.suppressions.find((s) => s.rule === rule.name && suppressionMatches(s, ref));
  }
}

/** 2 when anything could not be read or named something unknown, else 1 on violations, else 0. */
export function exitCodeOf(outcomes: readonly RuleOutcome[], problems: readonly Problem[]): 0 | 1 | 2 {
  if (problems.some((p) => p.severity === 'error') || outcomes.some((o) => o.status === 'error')) return 2;
  if (outcomes.some((o) => o.status === 'fail')) return 1;
  return 0;
}

/** Run a rule set over a directory, streaming file by file. */
export function runRuleSet(ruleSet: RuleSet, options: RunOptions): CheckReport {
  const run = new RuleRun(ruleSet, options);
  const outcomes: RuleOutcome[] = [];
  let done = 0;
  for (const file of run.files) {
    const loaded = run.load(file);
    if (loaded.kind === 'principals') {
      for (const principal of loaded.principals) {
        for (const r of run.select(file, principal)) outcomes.push(run.check(file, principal, r));
      }
    }
    done++;
    options.onFile?.(done, run.files.length, file.entry.path);
  }
  run.finish();
  run.externalAttachmentProblems(outcomes);
  const rules: Rule[] = [...ruleSet.rules];
  return {
    root: run.root,
    ...(ruleSet.file !== undefined ? { rulesFile: ruleSet.file } : {}),
    rules,
    outcomes,
    problems: run.problems,
    stats: { ...run.stats },
    exitCode: exitCodeOf(outcomes, run.problems),
  };
}
