/**
 * A Terraform root directory without a plan JSON beside it.
 *
 * Reading `.tf` sources on their own (evaluating `jsonencode`, `aws_iam_policy_document` blocks,
 * locals, variables and local modules) is not built yet. Until it is, such a directory is not
 * silently left out of a scan: loading it is an error that says what to add, so every principal
 * it defines is reported as unchecked (fail-closed) rather than passing.
 */
import { PolicySourceError } from '../../errors';
import type { Principal } from '../../policy/types';
import type { TemplateOptions } from '../types';

export interface LoadedTerraformSources {
  readonly principals: readonly Principal[];
  readonly warnings: readonly string[];
}

export function loadTerraformSources(dir: string, _options: TemplateOptions = {}): LoadedTerraformSources {
  throw new PolicySourceError(
    'a Terraform root without a plan JSON: its principals were not checked. Write one beside the .tf files (terraform plan -out=tfplan && terraform show -json tfplan > plan.json); reading .tf sources without a plan is not supported yet',
    { file: dir },
  );
}
