/**
 * The evaluator's result data. Every front end (matchers, presets, CLI, reports) renders
 * these objects; none re-derives a decision.
 */
import type { Effect, PolicyOrigin, SourceLocation } from '../policy/types';
import type { GuardrailKind, GuardrailNote, GuardrailOptions, GuardrailRef } from './guardrails/types';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'conditional';

export interface EvaluateOptions extends GuardrailOptions {
  /**
   * The resource the action is asked about. Default `*`: "whatever resource the console
   * acts on"; a statement that covers only part of it makes the result `conditional`.
   */
  readonly resource?: string;
  /** Request context: condition keys (case-insensitive names) and policy variables. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/** What an uncertain answer depends on, so a message can say how to pin it. */
export type Dependency =
  | { readonly kind: 'conditionKey'; readonly key: string; readonly operator: string }
  | { readonly kind: 'policyVariable'; readonly variable: string }
  | { readonly kind: 'resource'; readonly pattern: string }
  | { readonly kind: 'unresolvedValue'; readonly description: string }
  | { readonly kind: 'templateCondition'; readonly condition: string }
  | { readonly kind: 'unresolvedPolicy'; readonly policy: string; readonly reason: string }
  /** A guardrail (SCP, RCP, session or resource policy) named but not given, or that may or may not govern the request. */
  | { readonly kind: 'guardrail'; readonly guardrail: GuardrailKind; readonly policy: string; readonly level?: string; readonly reason: string };

/** Why a statement element did not match (machine-readable). */
export type MismatchReason =
  | 'actionNotMatched' //           no Action pattern matches
  | 'actionExcluded' //             NotAction lists the action
  | 'resourceNotMatched' //         no Resource pattern matches
  | 'resourceExcluded' //           NotResource covers the resource
  | 'resourceTypeMismatch' //       the pattern cannot match any ARN of the action's resource types
  | 'actionTakesNoResource' //      the action has no resource types: only "*" grants it
  | 'conditionFailed'; //            a condition is certainly false for the given context

export interface ConditionExplain {
  readonly operator: string; // as written, e.g. "StringEqualsIfExists"
  readonly key: string; // as written, e.g. "aws:RequestedRegion"
  readonly values: readonly string[];
  /** true: holds; false: certainly fails; 'unknown': the context does not say. */
  readonly result: boolean | 'unknown';
  readonly contextValue?: readonly string[];
}

/** One statement's part in a decision. */
export interface StatementExplain {
  readonly policy: string;
  /** The managed policy version the statement is in, when known (account dumps). */
  readonly policyVersion?: string;
  readonly origin: PolicyOrigin;
  /** Where the statement is: file, line (when known) and JSON path. */
  readonly location?: SourceLocation;
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  /** 'yes': applies with certainty; 'maybe': applies only if something unknown holds; 'no': does not apply. */
  readonly applies: 'yes' | 'maybe' | 'no';
  /** The Action/NotAction pattern that matched (or the element that excluded the action). */
  readonly action?: { readonly element: 'Action' | 'NotAction'; readonly pattern?: string; readonly matched: boolean };
  readonly resource?: {
    readonly element: 'Resource' | 'NotResource';
    readonly pattern?: string;
    readonly matched: boolean | 'partial';
  };
  readonly conditions?: readonly ConditionExplain[];
  readonly mismatch?: MismatchReason;
  /** For near misses: how far the statement was from applying (lower is closer). */
  readonly cost?: number;
  readonly dependsOn?: readonly Dependency[];
  /** True when the statement belongs to the permissions boundary. */
  readonly boundary?: boolean;
  /** Set when the statement belongs to a guardrail or resource policy (SCP, RCP, session policy, key or bucket policy). */
  readonly guardrail?: GuardrailRef;
}

export interface EvaluationResult {
  readonly action: string;
  readonly resource: string;
  readonly decision: Decision;
  /** Plain sentences, first the one that decided. */
  readonly reasons: readonly string[];
  /** The statements that decided the result (deny statements for explicitDeny, allows for allowed, maybes for conditional). */
  readonly statements: readonly StatementExplain[];
  /** Statements that almost applied, closest first (filled when nothing allows the action). */
  readonly closest: readonly StatementExplain[];
  /** What a conditional answer depends on (empty when certain). */
  readonly dependsOn: readonly Dependency[];
  /**
   * What the guardrails and resource policies did (present when any was given): the SCP that
   * denied, the level that allows nothing, the key policy required, the bucket policy that
   * allowed alone, a guardrail that does not apply (management account, service-linked role).
   */
  readonly guardrails?: readonly GuardrailNote[];
}

/** Result of checking one console task. */
export interface TaskActionResult {
  readonly action: string;
  /** 'own': the task's own row; 'prerequisite': the View task / home-page describe/list it needs. */
  readonly role: 'own' | 'prerequisite';
  /** For prerequisites: the id of the task it comes from, e.g. "home/describe-instance-list". */
  readonly from?: string;
  readonly resource: string;
  readonly result: EvaluationResult;
}

export interface ConsoleTaskResult {
  readonly taskId: string;
  readonly page: string;
  readonly task: string;
  /** yes: every action allowed; no: any action certainly not allowed; conditional otherwise. */
  readonly granted: 'yes' | 'no' | 'conditional';
  /** One entry per action and resource asked about (an action several given resources fit appears once per resource). */
  readonly actions: readonly TaskActionResult[];
  /**
   * For a conditional task whose actions depend on a narrower resource: the `resource`
   * option (a map by service) that would pin those resources, the given resources that
   * still apply included. Only patterns that fit their action's resource types.
   */
  readonly resourcePin?: Readonly<Record<string, readonly string[]>>;
}
