export { loadPolicyFile, loadTemplate, loadCdkOut, fromCdkStack, loadFile, loadAccountAuthorizationDetails, loadTerraformPlan } from './loaders';
export type { AccountManagedPolicy, AccountNote, AccountOptions, AccountSelector, LoadedAccount, ManagedPolicyVersionDifference } from './account/types';
export type { LoadedTerraformPlan, TerraformPlanOptions } from './terraform/plan';
export { DEFAULT_MAX_PLAN_BYTES } from './terraform/plan';
export type { LoadedCdkOut, LoadedCdkStack } from './cloudformation/cdk';
export type { LoadedTemplate, LoadResult, LoadKind, PolicyFileOptions, TemplateOptions, PseudoParameters, LoadLimits, RootOption } from './types';
export { DEFAULT_LIMITS } from './source';
export { samPolicyTemplateNames } from './cloudformation/sam';
