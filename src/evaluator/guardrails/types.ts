/**
 * Guardrails and resource policies as the user states them (options of evaluate,
 * checkConsoleTask, every matcher and analysis) and as results name them.
 *
 * Sources (AWS documentation, read 2026-12-01):
 * - Policy evaluation logic and its flow chart (single account):
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
 * - SCPs: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html and
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 * - RCPs: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * - Session policies: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 * - KMS key policies: https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 */
import type { SourceLocation } from '../../policy/types';

/**
 * One guardrail policy: a policy document, a loaded policy (loadOrganizationPolicy /
 * loadSessionPolicy: `{ name, document, source?, locations? }`), or the NAME of a policy
 * that is not given (then every answer it could change is `conditional`, naming it).
 * `'FullAWSAccess'` and `'RCPFullAWSAccess'` are known: they are AWS's managed allow-all policies.
 */
export type GuardrailPolicyInput = string | GuardrailPolicy | { readonly Statement: unknown; readonly [key: string]: unknown };

export interface GuardrailPolicy {
  /** A name a person recognises (the policy name from describe-policy, or the file name). */
  readonly name: string;
  /** The document; absent when only the name is known (`unresolved` says why). */
  readonly document?: unknown;
  readonly source?: SourceLocation;
  /** Positions of statements, keyed by JSON path relative to the document (`Statement[1]`). */
  readonly locations?: Readonly<Record<string, SourceLocation>>;
  /** Why the document is unknown. */
  readonly unresolved?: string;
  /** The policy id (p-xxxx) from describe-policy, when known. */
  readonly id?: string;
}

/**
 * One level of the organization, from the root to the account: its name (`root`, an OU id
 * or name such as `ou-prod`, `account`) and the policies attached there.
 */
export interface OrganizationLevel {
  readonly name: string;
  readonly policies: readonly GuardrailPolicyInput[];
}

/**
 * The organization the principal's account is in. `scps` and `rcps` list the levels from the
 * root to the account, each either `{ name, policies }` or a bare list of policies (then named
 * `root`, `ou level 1`, ..., `account`). Leave a list out when that policy type is not enabled.
 */
export interface OrganizationOptions {
  readonly scps?: ReadonlyArray<OrganizationLevel | readonly GuardrailPolicyInput[]>;
  readonly rcps?: ReadonlyArray<OrganizationLevel | readonly GuardrailPolicyInput[]>;
  /**
   * The principal is in the organization's management account: SCPs do not apply to it, and
   * RCPs do not apply to the resources of that account.
   * @default false
   */
  readonly managementAccount?: boolean;
}

/** Session policies passed when the role was assumed (one or several). */
export type SessionOption = GuardrailPolicyInput | readonly GuardrailPolicyInput[];

/**
 * A resource-based policy and the resources it governs. `resource`: the ARN (or ARN pattern)
 * of the key or bucket; for an S3 bucket policy, give the bucket ARN (`arn:aws:s3:::bucket`):
 * it governs the bucket and its objects. Left out (a template whose key ARN is generated at
 * deploy time), the policy may govern any resource of its service, so answers that depend on
 * it are `conditional` until you give the ARN.
 */
export interface ResourcePolicy {
  readonly name: string;
  /** 'kms' for a key policy, 's3' for a bucket policy; other services: their IAM prefix. */
  readonly service: string;
  readonly resource?: string | readonly string[];
  /** What stands for the ARN when it is not known (e.g. "!GetAtt RecordingsKey.Arn"). */
  readonly unresolvedResource?: string;
  readonly document?: unknown;
  readonly unresolved?: string;
  readonly source?: SourceLocation;
  readonly locations?: Readonly<Record<string, SourceLocation>>;
  /** The account that owns the resource, when known. */
  readonly account?: string;
}

/**
 * Resource policies: a list, or an object from resource ARN to a policy (a ResourcePolicy, or
 * a bare document whose service is read from the ARN).
 */
export type ResourcePoliciesOption =
  | readonly ResourcePolicy[]
  | Readonly<Record<string, ResourcePolicy | { readonly Statement: unknown; readonly [key: string]: unknown }>>;

/** The guardrail options every entry point accepts. */
export interface GuardrailOptions {
  readonly organization?: OrganizationOptions;
  readonly session?: SessionOption;
  readonly resourcePolicies?: ResourcePoliciesOption;
}

export type GuardrailKind = 'scp' | 'rcp' | 'session' | 'resourcePolicy';

/** Where a statement that decided a result sits among the guardrails. */
export interface GuardrailRef {
  readonly kind: GuardrailKind;
  /** SCP/RCP: the level the policy is attached at (`root`, `ou-prod`, `account`). */
  readonly level?: string;
  /** Resource policy: its service ('kms', 's3'). */
  readonly service?: string;
}

/**
 * What a guardrail stage did for one request, in data and in one sentence: the SCP that
 * denied, the level that allows nothing, the key policy that is required, the bucket policy
 * that allowed alone.
 */
export interface GuardrailNote {
  readonly kind: GuardrailKind;
  readonly effect:
    | 'denied' //            an explicit Deny in it applies
    | 'allowsNothing' //     a level (or the session policies) allows nothing for the action
    | 'notGranted' //        a KMS key policy grants neither the principal nor the account
    | 'allowedAlone' //      a resource policy allows the principal on its own (same account)
    | 'enablesIam' //        a KMS key policy grants the account, so IAM policies count
    | 'unknown' //           a guardrail named but not given, or one that may or may not apply
    | 'notApplicable'; //    the guardrail does not apply (management account, service-linked role, service without RCPs)
  readonly level?: string;
  readonly policy?: string;
  readonly sentence: string;
}
