/**
 * Result data of the whole-action-list analyses (checkReadOnly, checkStayWithin). Every
 * front end (matchers, CLI, presets) renders these objects; none re-derives a decision.
 */
import type { AccessLevel } from '../iam/types';
import type { EvaluationResult, StatementExplain } from '../evaluator/types';
import type { GuardrailOptions } from '../evaluator/guardrails/types';

/** A part of the subject whose value is not known, so no negative claim about it can be certain. */
export interface UnresolvedPart {
  /** 'unresolvedPolicy': a policy whose document is unknown; 'unresolvedValue': an `Unresolved` value
   * inside a document; 'templateCondition': an `Fn::If` on an unknown condition, or a policy attached
   * only if a template condition holds. */
  readonly kind: 'unresolvedPolicy' | 'unresolvedValue' | 'templateCondition';
  /** The policy it is in (its name as the principal lists it). */
  readonly policy: string;
  /** What is unknown, as a person would write it: "!GetAtt Bucket.Arn", "condition IsProd", the loader's reason. */
  readonly description: string;
  /** JSON path inside the document, e.g. `Statement[2].Resource[0]` (absent for a whole policy). */
  readonly path?: string;
  /**
   * When the unknown sits in a statement's Resource, NotResource or Condition, it can only
   * change what that statement grants: its Action (or NotAction) patterns. Absent when the
   * unknown may grant anything (a whole document, statement, Effect or Action).
   */
  readonly reach?: { readonly element: 'Action' | 'NotAction'; readonly patterns: readonly string[] };
  /** True when the part is (in) the permissions boundary, which can only take access away. */
  readonly boundary?: boolean;
}

/** An action the subject allows (certainly or possibly) that the check does not accept. */
export interface OffendingAction {
  readonly action: string;
  readonly accessLevels: readonly AccessLevel[];
  /**
   * The subject's decision for the action on any resource ('*'), or `allowed` when an Allow
   * statement grants it with no condition on a narrower resource (then `result.resource` is
   * that resource): a certain violation.
   */
  readonly decision: 'allowed' | 'conditional';
  /** The evaluator's evidence for the subject. */
  readonly result: EvaluationResult;
}

/** Offending actions grouped by the statement that allows them (one action may appear under several). */
export interface StatementGroup {
  /** The statement as the evaluator explained it (first occurrence). */
  readonly statement: StatementExplain;
  /** Offending action names this statement allows or may allow, sorted. */
  readonly actions: readonly string[];
  readonly allowed: number;
  readonly conditional: number;
}

/** An Allow statement's action pattern that matches no action in the IAM action data. */
export interface UnknownActionPattern {
  readonly policy: string;
  readonly index: number;
  readonly pattern: string;
}

/** Common shape of both analyses. */
export interface AnalysisResult {
  /** True only when the answer is certain: nothing offending, nothing unresolved, nothing unknown. */
  readonly pass: boolean;
  /** Plain sentences explaining a failure, first the one that decided (empty when pass). */
  readonly reasons: readonly string[];
  /**
   * Unknown parts of the subject that the analysis cannot evaluate action by action (each makes
   * the check fail): policies whose document is unknown. Every other unknown shows up as the
   * `conditional` actions it can change, and only there.
   */
  readonly unresolved: readonly UnresolvedPart[];
  /** Allow patterns that match no known action: their access is unknown, so the check fails (closed). */
  readonly unknownPatterns: readonly UnknownActionPattern[];
  /** Offending actions grouped by allowing statement, largest group first. */
  readonly byStatement: readonly StatementGroup[];
  /** How many actions were evaluated (after the prefilter). */
  readonly evaluated: number;
}

/** The analyses judge the subject's effective allow set after these guardrails (organization, session, resourcePolicies). */
export interface ReadOnlyOptions extends GuardrailOptions {
  /**
   * Non-read actions the user accepts (names or wildcard patterns; each must match a real action,
   * else UnknownActionError).
   * @default []
   */
  readonly allow?: readonly string[];
}

export interface ReadOnlyResult extends AnalysisResult {
  readonly check: 'readOnly';
  /** Write / Permissions management / Tagging actions the subject allows or may allow. */
  readonly offending: readonly OffendingAction[];
  /** Accepted (options.allow) non-read actions that the subject does allow or may allow. */
  readonly accepted: readonly string[];
}

/**
 * Why an action counts as new access. `definite`: the subject allows it on every resource
 * and the baseline certainly does not; `possible`: one side is conditional and the
 * baseline cannot be shown to cover the subject.
 */
export type NewAccessKind = 'definite' | 'possible';

export interface NewAccess {
  readonly action: string;
  readonly accessLevels: readonly AccessLevel[];
  readonly kind: NewAccessKind;
  /** The subject's result on any resource. */
  readonly subject: EvaluationResult;
  /** The baseline's result that failed to cover it (on '*' or on the subject's narrower resource). */
  readonly baseline: EvaluationResult;
  /** One sentence: why the baseline does not cover the subject here. */
  readonly why: string;
}

export interface StayWithinOptions extends GuardrailOptions {
  /**
   * Actions (names or patterns) the subject may have beyond the baseline.
   * @default []
   */
  readonly allow?: readonly string[];
  /**
   * Request context (condition keys, policy variables) for both the subject and the baseline,
   * as in `evaluate`: pins the conditions the comparison would otherwise leave open.
   */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface StayWithinResult extends AnalysisResult {
  readonly check: 'stayWithin';
  /** A name for the baseline: the managed policy name, or the baseline principal's id. */
  readonly baseline: string;
  readonly newAccess: readonly NewAccess[];
  /** Accepted (options.allow) actions that would otherwise be new access. */
  readonly accepted: readonly string[];
  /** Unknown parts of the baseline (they do not fail the check by themselves; they make its results conditional). */
  readonly baselineUnresolved: readonly UnresolvedPart[];
}
