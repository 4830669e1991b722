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
