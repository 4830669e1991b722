/**
 * The loaders' public functions. Each one throws only the package's typed errors: anything
 * unexpected from a parser becomes a PolicySourceError naming the file.
 */
import { JestConnectIamError } from '../errors';
import type { Principal } from '../policy/types';
import { fromCdkStack as cdkStack, loadCdkOut as cdkOut, type LoadedCdkOut } from './cloudformation/cdk';
import { loadAccountAuthorizationDetails as accountDump } from './account/load';
import type { AccountOptions, LoadedAccount } from './account/types';
import { loadFile as detectFile } from './detect';
import { asSourceError } from './parse';
import { loadPolicyFile as policyFile } from './policy-file';
import { loadTemplate as template } from './cloudformation/template';
import type { LoadedTemplate, LoadResult, PolicyFileOptions, TemplateOptions } from './types';
import { loadTerraformPlan as terraformPlan, type LoadedTerraformPlan, type TerraformPlanOptions } from './terraform/plan';

function guarded<T>(file: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof JestConnectIamError) throw e;
    throw asSourceError(e, file);
  }
}

/** A policy document file (JSON or YAML; a document, a list, or `aws iam get-policy-version` output). */
export function loadPolicyFile(path: string, options?: PolicyFileOptions): Principal {
  return guarded(path, () => policyFile(path, options));
}

/** A CloudFormation or SAM template (JSON or YAML) with every principal it defines. */
export function loadTemplate(path: string, options?: TemplateOptions): LoadedTemplate {
  return guarded(path, () => template(path, options));
}

/** Every stack of a cdk.out directory (stage assemblies and nested stacks included). */
export function loadCdkOut(dir: string, options?: TemplateOptions): LoadedCdkOut {
  return guarded(dir, () => cdkOut(dir, options));
}

/** An in-memory CDK stack (aws-cdk-lib must be installed). */
export function fromCdkStack(stack: unknown, options?: TemplateOptions): LoadedTemplate {
  return guarded(undefined, () => cdkStack(stack, options));
}

/**
 * An account snapshot: the output of `aws iam get-account-authorization-details` (merged by the
 * CLI, or a list of API pages), with every role, user and group as a principal.
 */
export function loadAccountAuthorizationDetails(path: string, options?: AccountOptions): LoadedAccount {
  return guarded(path, () => accountDump(path, options));
}

/**
 * A Terraform plan or state as `terraform show -json` writes it (format_version 0.1 to 1.x; OpenTofu
 * writes the same), read with memory near the size of its IAM part. Every aws_iam_role, user and
 * group instance, addressed by its full address.
 */
export function loadTerraformPlan(path: string, options?: TerraformPlanOptions): LoadedTerraformPlan {
  return guarded(path, () => terraformPlan(path, options));
}

/** For scans: detects what the file is and never throws for a bad file (see `error`). */
export function loadFile(path: string, options?: TemplateOptions): LoadResult {
  return guarded(path, () => detectFile(path, options));
}
