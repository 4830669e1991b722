/**
 * The rules model: what a rules file (or a preset) asks, and what running it found.
 *
 * A rule is metadata (name, where it is written) plus a selection and expectations; each
 * expectation is checked by one pure check function returning a tri-state status and
 * findings (the cdk-nag rule/pack split). Running rules produces data; the reporters in
 * src/report render it, the presets turn it into Jest tests.
 */
import type { PseudoParameters } from '../loaders/types';
import type { ResourceOption } from '../evaluator/resources';
import type { PrincipalKind, SourceLocation } from '../policy/types';
import type { OrganizationEntry, ResourcePolicyEntry } from './guardrails';
import type { Verdict } from '../verdict';

export const CHECK_IDS = [
  'readOnly',
  'stayWithin',
  'grantConsoleTasks',
  'notGrantConsoleTasks',
  'allowActions',
  'notAllowActions',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface Expectations {
  readonly readOnly?: true | { readonly allow?: readonly string[] };
  /** An AWS managed policy name or ARN. */
  readonly stayWithin?: string;
  /** 'Page / Task'. */
  readonly grantConsoleTasks?: readonly string[];
  readonly notGrantConsoleTasks?: readonly string[];
  readonly allowActions?: readonly string[];
  readonly notAllowActions?: readonly string[];
}

export interface Selection {
  /** Glob patterns relative to the root; `!pattern` excludes. @default DEFAULT_FILES */
  readonly files?: readonly string[];
  /** Logical id / name patterns (`*`, `?`). @default every principal */
  readonly principals?: readonly string[];
  /** Tags the principal must carry, every one of them. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface Rule {
  readonly name: string;
  readonly description?: string;
  readonly select: Selection;
  readonly expect: Expectations;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * The resources asked about: one ARN, a list, or a map by service prefix. Each applies to
   * the actions (of the console tasks and allow/notAllow actions) whose resource types it
   * fits; every other action stays at "any resource".
   */
  readonly resource?: ResourceOption;
  /** AWS managed policy versions pinned by the rules file (`managedPolicyVersions:`). */
  readonly managedPolicyVersions?: Readonly<Record<string, string>>;
  /** Where the rule is written. */
  readonly source?: SourceLocation;
}

export interface Suppression {
  readonly rule: string;
  /** Logical id or name, or `file#id`. */
  readonly principal: string;
  readonly reason: string;
  /**
   * Accept only these violations (actions, 'Page / Task' entries, or `unresolved:<policy>`):
   * when the principal breaks the rule in any other way too, the suppression does not apply.
   * @default every violation of the rule by the principal
   */
  readonly only?: readonly string[];
  readonly source?: SourceLocation;
}

/**
 * Values a template takes at deploy time, given so that answers that depend on them become
 * certain: the loader's `parameters`, `pseudo` and `conditions` options.
 */
export interface TemplateInputs {
  readonly parameters?: Readonly<Record<string, string>>;
  readonly pseudo?: PseudoParameters;
  readonly conditions?: Readonly<Record<string, boolean>>;
}

/** Template inputs for the files a pattern selects (no `files`: every file). */
export interface TemplateInputsEntry extends TemplateInputs {
  readonly files?: readonly string[];
  readonly source?: SourceLocation;
}

export interface RuleSet {
  /** The rules file, when the rules came from one. */
  readonly file?: string;
  /** Template inputs, in order: the file-wide ones first, then `templates:` entries (later ones win). */
  readonly inputs?: readonly TemplateInputsEntry[];
  readonly rules: readonly Rule[];
  readonly suppressions: readonly Suppression[];
  /** `managedPolicyVersions:` pins (policy name -> version id) applied to every rule. */
  readonly managedPolicyVersions?: Readonly<Record<string, string>>;
  /** The `organization:` section: SCPs/RCPs and the files or principals they apply to. */
  readonly organization?: readonly OrganizationEntry[];
  /** The `resourcePolicies:` section: KMS key and S3 bucket policies and the resources they govern. */
  readonly resourcePolicies?: readonly ResourcePolicyEntry[];
}

/** Tri-state result of one check on one principal. */
export type CheckStatus = 'compliant' | 'non-compliant' | 'not-applicable';

/** One reason a check is non-compliant: an action or task, with its evidence. */
export interface Finding {
  readonly check: CheckId;
  /** The action, task ('Page / Task') or baseline the finding is about. */
  readonly subject: string;
  /** One line: what is wrong. */
  readonly message: string;
  /** The deciding statement (file:line) when there is one, else the principal. */
  readonly location?: SourceLocation | undefined;
}

export interface CheckResult {
  readonly check: CheckId;
  readonly status: CheckStatus;
  /**
   * The verdict (src/verdict, the function the matchers use too): 'pass' exactly when
   * compliant; 'conditional' when the answer is not certain (what it depends on is in the
   * evidence). Absent only when the check itself failed (`error`).
   */
  readonly verdict?: Verdict;
  readonly findings: readonly Finding[];
  /** Plain-text evidence lines for a non-compliant result (empty when compliant). */
  readonly evidence: readonly string[];
  /**
   * Every action, console task or unknown part that makes the result non-compliant (what a
   * suppression's `only` list is compared with).
   */
  readonly subjects?: readonly string[];
  /** Set when the check itself threw: reported as an error, never as a pass. */
  readonly error?: string;
}

/** Who an outcome is about (kept small: outcomes outlive the loaded templates). */
export interface PrincipalRef {
  readonly id: string;
  readonly name?: string;
  readonly kind: PrincipalKind;
  /** Path relative to the scan root, with forward slashes. */
  readonly file: string;
  readonly line?: number;
  /** `file#id`: unique within a scan. */
  readonly key: string;
}

export type OutcomeStatus = 'pass' | 'fail' | 'suppressed' | 'error';

export interface RuleOutcome {
  readonly rule: string;
  readonly principal: PrincipalRef;
  readonly status: OutcomeStatus;
  /** Only the checks that were not compliant (compliant ones are counted, not kept). */
  readonly checks: readonly CheckResult[];
  /** How many checks ran. */
  readonly checked: number;
  readonly suppression?: { readonly reason: string; readonly source?: SourceLocation };
}

export type ProblemKind =
  | 'rules-file' //          the rules file is invalid or names something unknown
  | 'unreadable-file' //     a selected file could not be read or parsed
  | 'no-files' //            a files pattern matched nothing
  | 'no-principals' //       a rule selected no principal
  | 'unknown-principal' //   a principal pattern without wildcards matched nothing
  | 'unknown-suppression' // a suppression names no principal the rule selected
  | 'unused-suppression' //  a suppression whose principal complies (warning)
  | 'skipped-file' //        a file found but not read (symbolic link out of the root...) (warning)
  | 'not-a-template' //      a file that is neither a policy nor a template (note)
  | 'loader-warning' //      something the loader noticed (a policy attached to a role of another template...) (warning)
  | 'external-attachment' // a policy in one file attaches to a checked principal defined in another (error)
  | 'unknown-input'; //      a parameter or condition value is given for a name no scanned template declares (error)

export interface Problem {
  readonly kind: ProblemKind;
  /** error: the run is incomplete or wrong (exit 2); warning: shown, does not fail; note: counted. */
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
  readonly rule?: string;
  readonly location?: SourceLocation;
}

export interface CheckStats {
  /** Files the patterns matched. */
  readonly files: number;
  /** Files read and understood as policies or templates. */
  readonly read: number;
  readonly notTemplates: number;
  readonly unreadable: number;
  readonly skipped: number;
  readonly principals: number;
}

export interface CheckReport {
  readonly root: string;
  readonly rulesFile?: string;
  readonly rules: readonly Rule[];
  readonly outcomes: readonly RuleOutcome[];
  readonly problems: readonly Problem[];
  readonly stats: CheckStats;
  /** 0 every rule holds; 1 violations; 2 input errors (see exitCodeOf). */
  readonly exitCode: 0 | 1 | 2;
}
