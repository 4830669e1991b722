/**
 * The policy and principal model shared by every layer: loaders produce it, the
 * evaluator consumes it, matchers/presets/CLI receive it from users.
 */

export type Effect = 'Allow' | 'Deny';

/**
 * A raw IAM policy document as written (after template intrinsics were resolved). Every list
 * and object is readonly, so a literal written `as const` is a PolicyDocument too.
 */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

/** A condition value: one value or a list (numbers and booleans are read as strings). */
export type ConditionValue = string | number | boolean | readonly (string | number | boolean)[];

/** A raw statement; values may hold `Unresolved`/`Choice` instances from loaders. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>;
  /** Not allowed in an identity-based policy (a PolicyValidationError); kept for other documents. */
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
}

/** Where something is in a source file. Lines and columns are 1-based. */
export interface SourceLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON path from the root of the file, e.g. `Resources.AdminRole.Properties.Policies[0].PolicyDocument.Statement[2]`. */
  readonly path?: string;
  /**
   * Terraform: the resource address and attribute the value is at, e.g.
   * `module.contact_center.aws_iam_role_policy.agent["eu"].policy` (plans hold no line numbers).
   */
  readonly address?: string;
}

/** How a policy reached a principal. */
export type PolicyOrigin =
  | 'document' //          a document handed to the API directly
  | 'file' //              a policy file (loadPolicyFile)
  | 'inline' //            a role/user/group's inline `Policies` entry
  | 'policy-resource' //   an AWS::IAM::Policy attached through Roles/Users/Groups
  | 'managed-policy-resource' // an AWS::IAM::ManagedPolicy of the same template (by Ref or through Roles/Users/Groups)
  | 'managed-arn' //       a `ManagedPolicyArns` entry (AWS managed or registered customer managed)
  | 'group' //             inherited from a group the user belongs to
  | 'sam-policy' //        a SAM function's `Policies` entry (policy template, managed name, or inline)
  | 'managed' //           the result of managedPolicy(name)
  | 'permissions-boundary'
  | 'scp' //               a service control policy (organization guardrail)
  | 'rcp' //               a resource control policy (organization guardrail)
  | 'session-policy' //    a session policy passed when the role was assumed
  | 'resource-policy'; //  a resource-based policy (KMS key policy, S3 bucket policy)

export interface AttachedPolicy {
  /** A name a person recognises: the inline PolicyName, the managed policy name, the file name. */
  readonly name: string;
  readonly origin: PolicyOrigin;
  /** Where the document is. `path` is the JSON path of the document itself in the file. */
  readonly source?: SourceLocation;
  /** The document, absent when it could not be resolved (see `unresolved`). */
  readonly document?: unknown;
  /**
   * Why the document is unknown (a customer managed policy from another stack, an
   * unknown SAM policy template, a file that failed to parse). A principal with an
   * unresolved policy "could grant anything": negative assertions must fail.
   */
  readonly unresolved?: string;
  /**
   * Source positions inside the file, keyed by JSON path relative to the document:
   * at least `Statement[i]` (or `Statement` for a single statement object); loaders add
   * `Statement[i].Action`, `.Resource`, `.Condition` where they can.
   */
  readonly locations?: Readonly<Record<string, SourceLocation>>;
  /**
   * A template condition the attachment depends on (the resource's `Condition`, or an
   * `Fn::If` around the whole policy) when its value is unknown: the policy may or may
   * not be attached.
   */
  readonly onlyIf?: string;
  /** The managed policy version the document is (account dumps: the default version, e.g. "v4"). */
  readonly versionId?: string;
  /** The managed policy's ARN, when the policy is a managed one read from an account dump. */
  readonly arn?: string;
}

export type PrincipalKind = 'role' | 'user' | 'group' | 'function' | 'policy-file' | 'documents' | 'managed-policy';

/** One identity with every policy attached to it. */
export interface Principal {
  readonly kind: PrincipalKind;
  /** Logical id in a template, or a name derived from the file / managed policy. */
  readonly id: string;
  /** Physical name when static (RoleName, UserName, GroupName, FunctionName). */
  readonly name?: string;
  readonly file?: string;
  readonly source?: SourceLocation;
  /** Tags on the role/user (Tags: [{Key, Value}]), used by presets to select principals. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Tag keys whose values could not be resolved (`!Ref` to a parameter without a value, `!If` on an
   * unknown condition); `'*'` when a key or the whole tag list is unknown. Selecting by tag treats
   * these as possibly matching, so such a principal is checked rather than silently left out.
   */
  readonly unknownTags?: readonly string[];
  readonly policies: readonly AttachedPolicy[];
  /** `PermissionsBoundary`: effective permissions are the intersection with it. */
  readonly permissionsBoundary?: AttachedPolicy;
  /** A service-linked role (path `/aws-service-role/`): AWS defines its policies and guardrails do not apply to it. */
  readonly serviceLinked?: boolean;
  /** When the role was last used (`RoleLastUsed`, ISO date, with the region when known), from an account dump. */
  readonly lastUsed?: { readonly date: string; readonly region?: string };
  /**
   * The IAM path (`Path`, e.g. `/aws-service-role/connect.amazonaws.com/`; templates and account
   * dumps). A role whose path starts with `/aws-service-role/` is service-linked: SCPs do not apply to it.
   */
  readonly path?: string;
  /** The principal's ARN when known (account dumps, templates with a static name and account); resource policies match their Principal element against it. */
  readonly arn?: string;
  /** The 12-digit account the principal belongs to, when known. */
  readonly account?: string;
  /**
   * The account the principal lives in, set by the template loaders: `${AWS::AccountId}` in
   * the template is this account, and the console acts on its resources (the evaluator asks
   * the default resource `*` as "any resource in this account"). `id` when known
   * (`pseudo.AccountId`); without it the account is symbolic: the same unknown account
   * everywhere in the principal. Absent for documents and policy files (any account).
   */
  readonly ownAccount?: { readonly id?: string };
}

/** What the evaluator, matchers and CLI accept as "who": a document, documents, or a principal. */
export type PolicySubject = PolicyDocument | readonly PolicyDocument[] | Principal;

/** A Principal is recognised structurally: `kind` plus a `policies` array. */
export function isPrincipal(value: unknown): value is Principal {
  return typeof value === 'object' && value !== null && !Array.isArray(value) &&
    typeof (value as { kind?: unknown }).kind === 'string' && Array.isArray((value as { policies?: unknown }).policies);
}
