/**
 * Policy document files: a document, a list of documents, or what the AWS CLI prints
 * (`aws iam get-policy-version`, `get-role-policy`/`get-user-policy`/`get-group-policy`,
 * `get-policy` for an AWS managed policy).
 */
import * as nodePath from 'node:path';
import { JestConnectIamError, PolicySourceError } from '../errors';
import { findManagedPolicy } from '../managed';
import type { AttachedPolicy, Principal, SourceLocation } from '../policy/types';
import { documentPolicies, unresolvedPolicy } from './attach';
import { parseFile, type Parsed } from './parse';
import { hasOwn, isPlainObject, limitsOf, own, type LoadLimits } from './source';
import { isTemplateValue } from './cloudformation/template';
import type { PolicyFileOptions } from './types';

/** True when the value is something loadPolicyFile() reads. */
export function isPolicyValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => isPlainObject(v) && isPolicyValue(v));
  if (!isPlainObject(value)) return false;
  return hasOwn(value, 'Statement') || hasOwn(value, 'PolicyVersion') || (hasOwn(value, 'PolicyDocument') && !hasOwn(value, 'Resources')) || isPlainObject(own(value, 'Policy')) && typeof own(own(value, 'Policy'), 'Arn') === 'string';
}

export function loadPolicyFile(path: string, options: PolicyFileOptions = {}): Principal {
  const limits = limitsOf(options);
  return policyPrincipal(parseFile(path, limits, options.root), path, limits);
}

export function policyPrincipal(parsed: Parsed, file: string, limits: Required<LoadLimits>): Principal {
  const value = parsed.value;
  const base = nodePath.basename(file);
  if (isTemplateValue(value)) throw new PolicySourceError('this is a CloudFormation template, not a policy document: use loadTemplate()', { file, line: 1, column: 1 });
  if (parsed.multiDocument || !isPolicyValue(value)) {
    throw new PolicySourceError('not a policy document: expected {"Version", "Statement"}, a list of documents, or `aws iam get-policy-version` output', { file, line: 1, column: 1 });
  }
  const ctx = { map: parsed.map, limits };
  const root: SourceLocation = { file, line: 1, column: 1 };
  const policies: AttachedPolicy[] = [];
  const one = (v: unknown, name: string): void => {
    const where = parsed.map.locate(v) ?? root;
    const version = own(v, 'PolicyVersion');
    if (version !== undefined) {
      const doc = own(version, 'Document');
      const docWhere = parsed.map.locateChild(version, 'Document') ?? where;
      if (doc === undefined) throw new PolicySourceError('PolicyVersion has no Document', where);
      policies.push(...documentPolicies(ctx, name, 'file', typeof doc === 'string' ? decodeDocument(doc, docWhere) : doc, docWhere));
      return;
    }
    if (hasOwn(v, 'PolicyDocument')) {
      const doc = own(v, 'PolicyDocument');
      const docWhere = parsed.map.locateChild(v, 'PolicyDocument') ?? where;
      const pn = own(v, 'PolicyName');
      policies.push(...documentPolicies(ctx, typeof pn === 'string' ? pn : name, 'file', typeof doc === 'string' ? decodeDocument(doc, docWhere) : doc, docWhere));
      return;
    }
    const policy = own(v, 'Policy');
    if (isPlainObject(policy) && !hasOwn(v, 'Statement')) {
      const arn = String(own(policy, 'Arn'));
      let mp;
      try {
        mp = findManagedPolicy(arn);
      } catch (e) {
        if (!(e instanceof JestConnectIamError)) throw e;
      }
      if (mp) policies.push({ name: mp.name, origin: 'managed-arn', source: where, document: mp.document });
      else policies.push(unresolvedPolicy(String(own(policy, 'PolicyName') ?? arn), 'managed-arn', `\`aws iam get-policy\` output has no document and ${arn} is not a bundled or registered managed policy; use \`aws iam get-policy-version\` output or registerManagedPolicy(arn, document)`, where));
      return;
    }
    policies.push(...documentPolicies(ctx, name, 'file', v, where));
  };
  if (Array.isArray(value)) value.forEach((v, i) => one(v, `${base}[${i}]`));
  else one(value, base);
  return { kind: 'policy-file', id: base, file, source: root, policies };
}

/** `get-policy-version` prints the document URL-encoded (or as JSON text). */
function decodeDocument(doc: string, where: SourceLocation): string {
  const trimmed = doc.trim();
  if (trimmed.startsWith('{')) return trimmed;
  try {
    return decodeURIComponent(trimmed);
  } catch {
    throw new PolicySourceError('PolicyVersion.Document is a string that is neither JSON nor URL-encoded JSON', where);
  }
}
