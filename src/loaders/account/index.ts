/** Account snapshots: `aws iam get-account-authorization-details` output as principals. */
export { loadAccountAuthorizationDetails, accountFromParsed, isAccountDumpValue, selectPrincipals } from './load';
export type { AccountManagedPolicy, AccountNote, AccountOptions, AccountSelector, LoadedAccount, ManagedPolicyVersionDifference } from './types';
