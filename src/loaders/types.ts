import type { PolicySourceError } from '../errors';
import type { Principal } from '../policy/types';
import type { LoadedAccount } from './account/types';
import type { ResourcePolicy } from '../evaluator/guardrails/types';
import type { PseudoParameters } from './cloudformation/intrinsics';
import type { LoadLimits, RootOption } from './source';
import type { LoadedTerraformPlan } from './terraform/plan';

export type { PseudoParameters } from './cloudformation/intrinsics';
export type { LoadLimits, RootOption } from './source';

export interface PolicyFileOptions extends LoadLimits, RootOption {}

export interface TemplateOptions extends LoadLimits, RootOption {
  /** Parameter values (as CloudFormation takes them: strings; lists comma-separated). Defaults come from the template. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Pseudo parameters. Unset AccountId/Region/StackName stay unknown; Partition defaults to 'aws'. */
  readonly pseudo?: PseudoParameters;
  /**
   * Values for template conditions that the template cannot decide (their inputs are unknown),
   * e.g. `{ IsProd: true }`. A value that contradicts what the parameters decide is an error.
   */
  readonly conditions?: Readonly<Record<string, boolean>>;
  /**
   * What to do with a `parameters`/`conditions` name the template does not declare: 'error'
   * (default) or 'ignore' (scans give the same values to many templates).
   */
  readonly unknownInputs?: 'error' | 'ignore';
}

/** A CloudFormation/SAM template with every principal it defines. */
export interface LoadedTemplate {
  readonly file: string;
  readonly format: 'json' | 'yaml';
  /** Every AWS::IAM::Role, User, Group and SAM function role, in template order. */
  readonly principals: readonly Principal[];
  /**
   * The principal with this logical id, physical name, CDK construct path, or (for a SAM
   * function) the function's logical id. Throws UnknownNameError with the closest names.
   */
  principal(logicalIdOrName: string): Principal;
  /** Every template condition: true/false when its inputs are known, undefined otherwise. */
  readonly conditions: Readonly<Record<string, boolean | undefined>>;
  /** Things the loader noticed but that are not errors (attachments to roles outside the template...). */
  readonly warnings: readonly string[];
  /** True when the template uses the AWS::Serverless transform. */
  readonly sam: boolean;
  /** KMS key policies (AWS::KMS::Key KeyPolicy) and S3 bucket policies (AWS::S3::BucketPolicy), for the resourcePolicies option. */
  readonly resourcePolicies: readonly ResourcePolicy[];
  /** The resource policy of this logical id (the key, or the bucket policy); unknown -> UnknownNameError with the closest ids. */
  resourcePolicy(logicalId: string): ResourcePolicy;
  /** The names of the template's Parameters. */
  readonly parameterNames?: readonly string[];
}

export type LoadKind = 'policy' | 'template' | 'cdk' | 'account' | 'terraform-plan' | 'terraform' | 'not-a-template';

/** What loadFile() found in one file, for scans. Never throws for a bad file: see `error`. */
export interface LoadResult {
  readonly file: string;
  readonly kind: LoadKind;
  readonly principals: readonly Principal[];
  /** Why the file is not a template ("Kubernetes manifest", "Serverless Framework file", ...). */
  readonly reason?: string;
  /** The file could not be read or is invalid: nothing in it was checked. */
  readonly error?: PolicySourceError;
  /** The loaded template, for kind 'template' and 'cdk'. */
  readonly template?: LoadedTemplate;
  /** The loaded account snapshot, for kind 'account' (`aws iam get-account-authorization-details` output). */
  readonly account?: LoadedAccount;
  /** The loaded plan, for kind 'terraform-plan' (and 'terraform' when a plan sits beside the sources). */
  readonly terraform?: LoadedTerraformPlan;
  /** What the loader noticed that is not an error (attachments to principals outside the file...). */
  readonly warnings?: readonly string[];
}
