/**
 * Result data of `diff`: what a change between two trees (a base and a head) grants and takes
 * away, principal by principal, in the words of the console. Every front end (text, markdown,
 * JSON, SARIF, the GitHub Action's comment) renders these objects; none re-derives anything.
 */
import type { Decision } from '../evaluator/types';
import type { PrincipalKind, SourceLocation } from '../policy/types';
import type { Problem } from '../rules/types';

/** Who a diff entry is about, on one side. */
export interface DiffPrincipalRef {
  readonly id: string;
  readonly name?: string;
  readonly kind: PrincipalKind;
  /** Path relative to the side's root, forward slashes. */
  readonly file: string;
  readonly line?: number;
  /** `file#id` (for a policy file: the file). */
  readonly key: string;
}

/** How a base principal and a head principal were found to be the same one. */
export type PairedBy =
  | 'key' //           same file and id (logical id, Terraform address, policy file)
  | 'physical-name' // same kind and physical name (RoleName...), file or id changed
  | 'id' //            same kind and id, only one of each left unpaired, file changed
  | 'content'; //      same kind and identical policies, only one of each left unpaired

/** A console task's answer for one principal. */
export type TaskAnswer = 'yes' | 'no' | 'conditional';

export interface TaskChange {
  /** Catalog task id, e.g. "data-storage/call-recording/edit". */
  readonly id: string;
  readonly page: string;
  readonly task: string;
  readonly from: TaskAnswer;
  readonly to: TaskAnswer;
  /** What a conditional answer (on the side where it is conditional) depends on, in words. */
  readonly dependsOn: readonly string[];
  /**
   * The guardrails (SCP, RCP, resource policy of that side's rules file) that deny or withhold
   * the task where it is not granted ("SCP deny-connect.json at ou-prod denies"); empty when none.
   */
  readonly deniedBy?: readonly string[];
}

/** Non-read actions of one service gained or lost. */
export interface ServiceActions {
  readonly service: string;
  readonly count: number;
  /** How many of them are only possibly allowed (conditional). */
  readonly conditional: number;
  /** The first few action names (sorted). */
  readonly first: readonly string[];
}

export interface ActionChanges {
  readonly count: number;
  /** Grouped by service, largest first. */
  readonly byService: readonly ServiceActions[];
  /** Every action name (sorted); JSON carries them all. */
  readonly actions: readonly string[];
}

/** An action whose answer became or stopped being conditional. */
export interface ConditionalChange {
  /** 'task' for a console task ("Page / Task"), 'action' for a non-read IAM action. */
  readonly subject: 'task' | 'action';
  readonly name: string;
  readonly from: Decision | TaskAnswer | 'absent';
  readonly to: Decision | TaskAnswer | 'absent';
  readonly became: boolean;
  readonly dependsOn: readonly string[];
}

/** One direction of `toStayWithin` between the two sides. */
export interface WithinResult {
  readonly pass: boolean;
  /** Actions beyond the other side: certainly, and possibly. */
  readonly definite: number;
  readonly possible: number;
  /** The first few action names beyond the other side. */
  readonly first: readonly string[];
  /** The analysis's reasons (first few). */
  readonly reasons: readonly string[];
}

/** What one side of a principal grants, summarised (for added and removed principals). */
export interface AccessSummary {
  /** Console tasks granted ("Page / Task"). */
  readonly tasks: readonly string[];
  /** Console tasks whose answer is conditional ("Page / Task"). */
  readonly conditionalTasks: readonly string[];
  /** Non-read actions allowed or possibly allowed, by service. */
  readonly nonRead: ActionChanges;
  /** How many actions (any access level) it allows or may allow. */
  readonly actions: number;
  readonly unresolved: readonly string[];
}

export type PrincipalChangeKind = 'changed' | 'added' | 'removed';

export interface PrincipalDiff {
  readonly change: PrincipalChangeKind;
  readonly base?: DiffPrincipalRef;
  readonly head?: DiffPrincipalRef;
  /** For 'changed': how the two were paired (anything but 'key' is a rename or a move). */
  readonly pairedBy?: PairedBy;
  /** True when the head grants something the base did not (any access level), fail-closed. */
  readonly gained: boolean;
  /** True when what it gains includes a non-read action or an unknown that could grant anything. */
  readonly gainedWrite: boolean;
  /** True when the base granted something the head does not. */
  readonly lost: boolean;
  readonly tasks: { readonly gained: readonly TaskChange[]; readonly lost: readonly TaskChange[] };
  readonly nonRead: { readonly gained: ActionChanges; readonly lost: ActionChanges };
  readonly conditional: readonly ConditionalChange[];
  /** New and gone unknown parts (each could grant anything). */
  readonly unresolved: { readonly gained: readonly string[]; readonly lost: readonly string[] };
  /** For 'changed': the head stays within the base (no new access), and the reverse (nothing lost). */
  readonly headWithinBase?: WithinResult;
  readonly baseWithinHead?: WithinResult;
  /** Policies attached and detached (name, and the managed policy version when bundled). */
  readonly policies: { readonly attached: readonly string[]; readonly detached: readonly string[]; readonly edited: readonly string[] };
  /** For 'added' / 'removed': what the principal grants on its side. */
  readonly access?: AccessSummary;
  /**
   * Evaluation inputs of its file that changed and are not policy edits (a parameter default,
   * a template condition), in words: the likely cause when no policy text was edited.
   */
  readonly inputs: readonly string[];
  /** Where the head adds access (the first deciding Allow statement), for SARIF and links. */
  readonly locations: readonly SourceLocation[];
}

/** An evaluation input that changed and is not a policy edit. */
export interface InputChange {
  readonly kind: 'parameter-default' | 'template-condition' | 'rules-file' | 'package-version' | 'managed-policy-data' | 'input-file' | 'guardrail-file';
  readonly file?: string;
  readonly name?: string;
  readonly from?: string;
  readonly to?: string;
  readonly message: string;
}

/** A rule that held at the base (or did not select the principal) and fails at the head. */
export interface RuleChange {
  readonly rule: string;
  readonly principal: DiffPrincipalRef;
  /** 'new': violated only at the head; 'fixed': violated only at the base; 'existing': at both. */
  readonly state: 'new' | 'fixed' | 'existing';
  /** The violations (actions, "Page / Task", `unresolved:…`) that are new (for 'new'), or all. */
  readonly subjects: readonly string[];
  readonly messages: readonly string[];
  readonly location?: SourceLocation;
}

export interface DiffSide {
  /** As given: a git ref or a directory. */
  readonly given: string;
  readonly kind: 'git' | 'dir';
  /** The commit (for a git ref). */
  readonly commit?: string;
  /** The directory that was scanned (a temporary checkout for a git ref). */
  readonly root: string;
}

export interface DiffStats {
  readonly files: { readonly base: number; readonly head: number; readonly unchanged: number; readonly changed: number; readonly added: number; readonly removed: number };
  /** Files loaded (at either side): only files whose content or evaluation inputs differ. */
  readonly loaded: number;
  /**
   * true when the sides' guardrails (organization and resourcePolicies sections, the SCP, RCP and
   * resource-policy files they name) differ: then unchanged files are loaded and evaluated too.
   */
  readonly guardrailsChanged?: boolean;
  /** Principals loaded at each side (from changed files), pairs evaluated, and pairs found identical (not evaluated). */
  readonly principals: { readonly base: number; readonly head: number; readonly compared: number; readonly identical: number };
}

export interface DiffSummary {
  readonly gainedAny: boolean;
  readonly gainedWrite: boolean;
  readonly lostAny: boolean;
  readonly changed: number;
  readonly added: number;
  readonly removed: number;
  readonly tasksGained: number;
  readonly tasksLost: number;
  readonly nonReadGained: number;
  readonly nonReadLost: number;
  readonly newlyViolated: number;
}

export type FailOn = 'gained-write' | 'gained-any' | 'never';

export interface DiffReport {
  readonly base: DiffSide;
  readonly head: DiffSide;
  readonly principals: readonly PrincipalDiff[];
  readonly inputs: readonly InputChange[];
  /** Rule outcomes that differ (only when a rules file is used). */
  readonly rules?: { readonly file: string; readonly changes: readonly RuleChange[] };
  /** Input problems: head errors make the exit code 2; base problems are warnings. */
  readonly problems: readonly (Problem & { readonly side: 'base' | 'head' })[];
  readonly stats: DiffStats;
  readonly summary: DiffSummary;
  readonly failOn: FailOn;
  /** 0 no access gained (per failOn); 1 access gained; 2 input errors. */
  readonly exitCode: 0 | 1 | 2;
}

