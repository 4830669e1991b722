/**
 * Grammar checks with JSON-path errors. Each check throws PolicyValidationError naming the
 * file, line and column when the loader recorded them, and the full JSON path (the
 * document's own path in its file, then the path inside the document).
 */
import { PolicyValidationError } from '../errors';
import type { SourceLocation } from './types';

export interface DocumentOrigin {
  /** Where the document is (file, line, and its JSON path in the file). */
  readonly source?: SourceLocation;
  /** Positions inside the document keyed by relative JSON path (`Statement[2].Effect`). */
  readonly locations?: Readonly<Record<string, SourceLocation>>;
  /** The policy's name, for messages. */
  readonly name?: string;
}

/** Join a document-relative path to the document's own path in its file. */
export function fullPath(origin: DocumentOrigin | undefined, relative: string): string {
  const base = origin?.source?.path;
  if (!base) return relative;
  if (!relative) return base;
  return relative.startsWith('[') ? `${base}${relative}` : `${base}.${relative}`;
}

/** Drop the last element of a JSON path: `Statement[2].Effect` -> `Statement[2]` -> `Statement`. */
function parentPath(path: string): string | undefined {
  const dot = path.lastIndexOf('.');
  const bracket = path.lastIndexOf('[');
  const cut = Math.max(dot, bracket);
  if (cut <= 0) return path ? '' : undefined;
  return path.slice(0, cut);
}

/** The best known location of a document-relative path: the path itself or its closest recorded ancestor. */
export function locate(origin: DocumentOrigin | undefined, relative: string): SourceLocation {
  const locations = origin?.locations;
  let found: SourceLocation | undefined;
  if (locations) {
    let p: string | undefined = relative;
    while (p !== undefined) {
      if (Object.prototype.hasOwnProperty.call(locations, p)) {
        found = locations[p];
        break;
      }
      p = p ? parentPath(p) : undefined;
    }
  }
  const src = origin?.source;
  const file = found?.file ?? src?.file;
  const line = found?.line ?? src?.line;
  const column = found ? found.column : src?.column;
  const address = found?.address ?? src?.address;
  return {
    ...(file !== undefined ? { file } : {}),
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined && line !== undefined ? { column } : {}),
    path: fullPath(origin, relative),
    ...(address !== undefined ? { address } : {}),
  };
}

/** Throw a PolicyValidationError at a document-relative path. */
export function fail(origin: DocumentOrigin | undefined, relative: string, problem: string): never {
  const where = origin?.name ? ` (policy '${origin.name}')` : '';
  throw new PolicyValidationError(`${problem}${where}`, locate(origin, relative));
}

export const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal'] as const;
export const DOCUMENT_KEYS = ['Version', 'Id', 'Statement'] as const;
export const VERSIONS = ['2012-10-17', '2008-10-17'] as const;

/** A value quoted for a message, shortened when long. */
export function quote(value: string): string {
  return `'${value.length > 80 ? `${value.slice(0, 60)}...(${value.length} characters)` : value}'`;
}

/** `service:action` or `*`, wildcards allowed; no spaces. */
export function actionProblem(action: string): string | undefined {
  if (action === '') return 'is empty';
  if (/\s/.test(action)) return `${quote(action)} contains white space`;
  if (/^\*+$/.test(action)) return undefined;
  const colon = action.indexOf(':');
  if (colon <= 0 || colon === action.length - 1 || action.indexOf(':', colon + 1) >= 0) {
    return `${quote(action)} is not of the form 'service:Action' (or '*')`;
  }
  return undefined;
}

/** A resource is `*`-only text or an ARN (`arn:...`); anything else is refused. */
export function resourceProblem(resource: string): string | undefined {
  if (resource === '') return 'is empty';
  if (/^[*?]+$/.test(resource)) return undefined;
  if (!resource.startsWith('arn:') && !resource.startsWith('arn${') && !resource.startsWith('${')) {
    return `${quote(resource)} is neither '*' nor an ARN ('arn:partition:service:region:account:resource')`;
  }
  return undefined;
}

/*
 * IAM's own grammar rules, beyond the shape of the JSON. Each is a rule IAM enforces when a policy is
 * created (a template holding a violation fails to deploy), with the AWS page that states it:
 *
 * - Sid: "The Sid element supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and
 *   numbers (0-9)" and "In IAM, the Sid value must be unique within a JSON policy"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html).
 * - Principal / NotPrincipal: "You cannot use the Principal element in an identity-based policy"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html);
 *   "You cannot use the NotPrincipal element in an IAM identity-based policy"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
 * - Condition operators: the names listed on
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 *   spelled as listed ("MalformedPolicyDocument: Invalid Condition type : stringEquals" is IAM's answer
 *   to a lower-case spelling); "You can add IfExists to the end of any condition operator name except
 *   the Null condition" (same page).
 * - Condition keys: `service:keyname` ("Invalid condition key format: ... Use the format
 *   service:keyname", https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html);
 *   key names are not case-sensitive, so the same key twice in one operator block with different
 *   capitalisation is a duplicate ("Duplicate keys with different case", same page).
 *
 * What IAM accepts stays accepted: a missing Version, `Statement` as one object, an empty Sid,
 * key names in any case, keys with more colons (`kms:EncryptionContext:aws:sso:instance-arn`).
 */

/** Undefined when IAM accepts the Sid; else why not. */
export function sidProblem(sid: string): string | undefined {
  if (/^[A-Za-z0-9]*$/.test(sid)) return undefined;
  const bad = [...new Set([...sid].filter((c) => !/[A-Za-z0-9]/.test(c)))].slice(0, 5).map((c) => (c === ' ' ? "' '" : JSON.stringify(c))).join(', ');
  return `Sid ${quote(sid)} contains ${bad}: IAM accepts only ASCII letters and digits (A-Z, a-z, 0-9) in a Sid`;
}

/** The message for a second statement with the same Sid. */
export function duplicateSidProblem(sid: string, firstPath: string): string {
  return `Sid ${quote(sid)} is used twice in one policy (first at ${firstPath}): in IAM a Sid must be unique within the policy`;
}

/** The message for Principal / NotPrincipal in an identity-based policy. */
export function principalProblem(element: string): string {
  return `${element} is not allowed in an identity-based policy (inline, managed, permissions boundary or policy file): ` +
    `IAM refuses the policy ("has prohibited field ${element}"); only trust policies and resource-based policies name a principal`;
}

/**
 * A resolved operator whose spelling differs from IAM's (`stringEquals`, `forAnyValue:StringLike`):
 * the message with the spelling IAM accepts. Undefined when the spelling is IAM's.
 */
export function operatorSpellingProblem(written: string, canonical: string): string | undefined {
  if (written === canonical) return undefined;
  return `unknown condition operator '${written}': condition operator names are case-sensitive in IAM (did you mean '${canonical}'?)`;
}

/** Undefined when the condition key has IAM's `service:keyname` form. */
export function conditionKeyProblem(key: string): string | undefined {
  const colon = key.indexOf(':');
  if (colon > 0 && colon < key.length - 1 && !/\s/.test(key.slice(0, colon))) return undefined;
  return `condition key ${quote(key)} is not of the form 'service:keyname' (for example 'aws:RequestedRegion'): IAM refuses it`;
}

/** Keys of one operator block that repeat an earlier key in another capitalisation: [key, earlier]. */
export function duplicateKeys(keys: readonly string[]): Array<readonly [string, string]> {
  const seen = new Map<string, string>();
  const out: Array<readonly [string, string]> = [];
  for (const k of keys) {
    const lower = k.toLowerCase();
    const first = seen.get(lower);
    if (first !== undefined) out.push([k, first]);
    else seen.set(lower, k);
  }
  return out;
}

export function duplicateKeyProblem(key: string, earlier: string): string {
  return `condition key '${key}' repeats '${earlier}' in the same operator block: condition key names are not case-sensitive, so IAM refuses the duplicate`;
}
