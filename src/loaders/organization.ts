/**
 * Guardrail policy files: SCPs, RCPs and session policies as plain documents, or as AWS
 * Organizations prints them (`aws organizations describe-policy --policy-id p-…`:
 * `{ "Policy": { "PolicySummary": { "Id", "Arn", "Name", "Type", ... }, "Content": "<JSON text>" } }`,
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html), and
 * resource policies (a KMS key policy or an S3 bucket policy document, or `aws kms
 * get-key-policy` / `aws s3api get-bucket-policy` output: `{ "Policy": "<JSON text>" }`).
 * Every statement keeps its file and line (inside a JSON-text Content, the line of Content).
 */
import * as nodePath from 'node:path';
import { PolicySourceError } from '../errors';
import type { GuardrailPolicy, ResourcePolicy } from '../evaluator/guardrails/types';
import type { SourceLocation } from '../policy/types';
import { documentPolicies } from './attach';
import { parseFile, type Parsed } from './parse';
import { hasOwn, isPlainObject, limitsOf, own } from './source';
import type { PolicyFileOptions } from './types';

/** A loaded SCP, RCP or session policy; `type` as describe-policy says it (SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY). */
export interface LoadedOrganizationPolicy extends GuardrailPolicy {
  readonly type?: string;
  readonly file: string;
}

const TYPES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];

function documentOf(parsed: Parsed, file: string): { name: string; doc: unknown; where: SourceLocation; type?: string; id?: string } {
  const value = parsed.value;
  const root: SourceLocation = { file, line: 1, column: 1 };
  const base = nodePath.basename(file).replace(/\.(json|ya?ml)$/i, '');
  if (parsed.multiDocument || !isPlainObject(value)) throw new PolicySourceError('not a policy: expected a policy document {"Version", "Statement"} or `aws organizations describe-policy` output', root);
  if (hasOwn(value, 'Statement')) return { name: base, doc: value, where: parsed.map.locate(value) ?? root };
  const policy = own(value, 'Policy');
  if (isPlainObject(policy)) {
    const summary = own(policy, 'PolicySummary');
    const content = own(policy, 'Content');
    const where = parsed.map.locateChild(policy, 'Content') ?? root;
    if (content === undefined) throw new PolicySourceError('describe-policy output without Policy.Content', parsed.map.locate(policy) ?? root);
    const name = isPlainObject(summary) && typeof own(summary, 'Name') === 'string' ? String(own(summary, 'Name')) : base;
    const type = isPlainObject(summary) && typeof own(summary, 'Type') === 'string' ? String(own(summary, 'Type')) : undefined;
    const id = isPlainObject(summary) && typeof own(summary, 'Id') === 'string' ? String(own(summary, 'Id')) : undefined;
    if (type !== undefined && !TYPES.includes(type)) throw new PolicySourceError(`this is a ${type} policy; only SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY take part in authorization`, parsed.map.locateChild(summary as object, 'Type') ?? where);
    return { name, doc: content, where, ...(type ? { type } : {}), ...(id ? { id } : {}) };
  }
  if (typeof policy === 'string') return { name: base, doc: policy, where: parsed.map.locateChild(value, 'Policy') ?? root };
  throw new PolicySourceError('not a policy: expected a policy document {"Version", "Statement"} or `aws organizations describe-policy` output', root);
}

function load(path: string, options: PolicyFileOptions, name?: string): { policy: GuardrailPolicy & { file: string }; type?: string } {
  const limits = limitsOf(options);
  const parsed = parseFile(path, limits, options.root);
  const found = documentOf(parsed, path);
  const [attached] = documentPolicies({ map: parsed.map, limits }, name ?? found.name, 'scp', found.doc, found.where, [], false);
  if (!attached) throw new PolicySourceError('the policy has no document', found.where);
  return {
    policy: {
      name: name ?? found.name,
      file: path,
      ...(attached.document !== undefined ? { document: attached.document } : {}),
      ...(attached.source ? { source: attached.source } : {}),
      ...(attached.locations ? { locations: attached.locations } : {}),
      ...(found.id ? { id: found.id } : {}),
    },
    ...(found.type ? { type: found.type } : {}),
  };
}

/** Load an SCP, RCP or session policy file (a document or describe-policy output). */
export function loadOrganizationPolicy(path: string, options: PolicyFileOptions & { readonly name?: string } = {}): LoadedOrganizationPolicy {
  const { policy, type } = load(path, options, options.name);
  return { ...policy, ...(type ? { type } : {}) };
}

/**
 * Load a resource policy file (a key policy or bucket policy document, or get-key-policy /
 * get-bucket-policy output) for the resource it governs: `resource` is the key or bucket ARN;
 * the service is read from it unless given.
 */
export function loadResourcePolicy(path: string, options: PolicyFileOptions & { readonly resource: string; readonly service?: string; readonly name?: string; readonly account?: string }): ResourcePolicy {
  const { policy } = load(path, options, options.name);
  const service = options.service ?? options.resource.split(':')[2];
  if (!service) throw new PolicySourceError(`loadResourcePolicy: resource '${options.resource}' is not an ARN and no service was given`, { file: path });
  const account = options.account ?? (/^\d{12}$/.test(options.resource.split(':')[4] ?? '') ? options.resource.split(':')[4] : undefined);
  return {
    name: policy.name,
    service,
    resource: options.resource,
    ...(policy.document !== undefined ? { document: policy.document } : {}),
    ...(policy.source ? { source: policy.source } : {}),
    ...(policy.locations ? { locations: policy.locations } : {}),
    ...(account ? { account } : {}),
  };
}
