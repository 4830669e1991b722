/** What loadAccountAuthorizationDetails() returns: the principals of one account snapshot. */
import type { Principal, SourceLocation } from '../../policy/types';
import type { LoadLimits, RootOption } from '../source';

export interface AccountOptions extends LoadLimits, RootOption {}

/** A managed policy as the dump holds it (`Policies[]`), with the version that is evaluated. */
export interface AccountManagedPolicy {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  /** 'aws' for `arn:<partition>:iam::aws:policy/...`, 'customer' otherwise. */
  readonly owner: 'aws' | 'customer';
  /** `DefaultVersionId` (or the version marked `IsDefaultVersion`). */
  readonly defaultVersionId?: string;
  /** Every version id the dump lists. */
  readonly versions: readonly string[];
  /** False when the dump lists the policy without the document of its default version. */
  readonly hasDocument: boolean;
  readonly source?: SourceLocation;
}

/**
 * An AWS managed policy whose default version in the account differs from the bundled one:
 * the account's document is evaluated; this says by how much the two differ.
 */
export interface ManagedPolicyVersionDifference {
  readonly name: string;
  readonly arn: string;
  readonly accountVersion: string;
  readonly bundledVersion?: string;
  /** The documents are equal (as JSON values) even though the version ids differ. */
  readonly sameDocument: boolean;
}

/** How a policy the principals need was found (or not). */
export interface AccountNote {
  readonly kind: 'bundled-managed-policy' | 'managed-policy-version' | 'missing-document' | 'truncated' | 'duplicate';
  readonly message: string;
  /** The policy (or entity) it is about. */
  readonly subject: string;
  readonly location?: SourceLocation;
}

/** Ways to pick principals from a dump; every given criterion must hold. */
export interface AccountSelector {
  /** Role, user or group name; `*` and `?` wildcards, case-insensitive. */
  readonly name?: string;
  /** The ARN, with `*` and `?` wildcards. */
  readonly arn?: string;
  /** An IAM path prefix, e.g. `/aws-service-role/` or `/teams/connect/`. */
  readonly path?: string;
  /** Tag values that must all be equal. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly kind?: 'role' | 'user' | 'group';
}

/** One `aws iam get-account-authorization-details` snapshot. */
export interface LoadedAccount {
  readonly file: string;
  /** The account id, from the ARNs. */
  readonly account?: string;
  /** Every role, user and group, in dump order (roles, then users, then groups). */
  readonly principals: readonly Principal[];
  readonly roles: readonly Principal[];
  readonly users: readonly Principal[];
  readonly groups: readonly Principal[];
  /** `Policies[]`. */
  readonly policies: readonly AccountManagedPolicy[];
  /** AWS managed policies whose account default version is not the bundled one. */
  readonly managedPolicyDifferences: readonly ManagedPolicyVersionDifference[];
  /** How attached policies were resolved: from the bundle, missing documents, truncated pages. */
  readonly notes: readonly AccountNote[];
  /** Pages read (1 for a merged document). */
  readonly pages: number;
  /**
   * The principal with this ARN, or this role/user/group name (exact, then case-insensitive).
   * Unknown or ambiguous (a user and a group of the same name): UnknownNameError / UsageError
   * naming the candidates.
   */
  principal(nameOrArn: string): Principal;
  /** Every principal matching the selector (may be empty). */
  select(selector: AccountSelector): Principal[];
}
