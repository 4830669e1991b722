/** An AWS managed (or registered customer managed) policy, as managedPolicy() returns it. */
export interface ManagedPolicy {
  /** Policy name, e.g. "AmazonConnectReadOnlyAccess". */
  readonly name: string;
  /** Full ARN, e.g. "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess". */
  readonly arn: string;
  /** Default version id, e.g. "v4" (absent for registered customer policies). */
  readonly versionId?: string;
  /** When the default version was created (ISO date), when known. */
  readonly createDate?: string;
  /** The policy document of the default version. */
  readonly document: unknown;
  /** 'aws' for AWS managed policies, 'customer' for registerManagedPolicy(). */
  readonly owner: 'aws' | 'customer';
}

/** Recognise a ManagedPolicy structurally. */
export function isManagedPolicy(value: unknown): value is ManagedPolicy {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ManagedPolicy>;
  return typeof v.name === 'string' && typeof v.arn === 'string' && 'document' in v && (v.owner === 'aws' || v.owner === 'customer');
}
