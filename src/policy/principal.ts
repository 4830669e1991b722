/** toPrincipal: every accepted "who" as a Principal. */
import { UsageError } from '../errors';
import { isManagedPolicy } from '../managed/types';
import { describeType } from './normalize';
import { isPrincipal, type AttachedPolicy, type Principal } from './types';

const ACCEPTED =
  'a policy document ({ Statement: [...] }), an array of policy documents, a principal from the loaders ' +
  '(loadPolicyFile, loadTemplate, ...), or a managed policy (managedPolicy(name))';

function looksLikeDocument(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, 'Statement');
}

/**
 * Turn what a user passed as "who" into a Principal. Accepts a policy document, an array
 * of documents, a Principal or a ManagedPolicy; anything else is a UsageError saying what
 * was received and what is accepted. Documents are not validated here (the evaluator does
 * that, with JSON paths).
 */
export function toPrincipal(subject: unknown, label = 'subject'): Principal {
  if (isPrincipal(subject)) return subject;
  if (isManagedPolicy(subject)) {
    const policy: AttachedPolicy = { name: subject.name, origin: 'managed', document: subject.document, source: { file: subject.arn } };
    return { kind: 'managed-policy', id: subject.name, name: subject.name, policies: [policy] };
  }
  if (looksLikeDocument(subject)) {
    return { kind: 'documents', id: 'policy document', policies: [{ name: 'policy document', origin: 'document', document: subject }] };
  }
  if (Array.isArray(subject)) {
    if (subject.length === 0) {
      throw new UsageError(`${label}: received an empty array; expected ${ACCEPTED}. An empty array would grant nothing and prove nothing.`);
    }
    const policies: AttachedPolicy[] = subject.map((doc, i) => {
      if (isManagedPolicy(doc)) return { name: doc.name, origin: 'managed', document: doc.document, source: { file: doc.arn } };
      if (!looksLikeDocument(doc)) {
        throw new UsageError(`${label}[${i}]: received ${describeReceived(doc)}; every element of the array must be a policy document ({ Statement: [...] }) or a managed policy.`);
      }
      return { name: `policy document ${i + 1}`, origin: 'document', document: doc };
    });
    return { kind: 'documents', id: `${policies.length} policy documents`, policies };
  }
  throw new UsageError(`${label}: received ${describeReceived(subject)}; expected ${ACCEPTED}.`);
}

function describeReceived(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `${describeType(value)} (to use a managed policy by name, pass managedPolicy(${JSON.stringify(value)}))`;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value).slice(0, 5);
    return `an object with keys ${keys.length ? keys.map((k) => `'${k}'`).join(', ') : '(none)'} and no Statement`;
  }
  return describeType(value);
}
