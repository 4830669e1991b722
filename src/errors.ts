/**
 * Typed errors for every user-facing problem. Never throw a bare Error at a user.
 */
import type { SourceLocation } from './policy/types';

/** Base class: every error this package throws on purpose is a JestConnectIamError. */
export class JestConnectIamError extends Error {
  override name = 'JestConnectIamError';
}

/** A name the user wrote (page, task, action, managed policy, principal, rule, format) is not known. */
export class UnknownNameError extends JestConnectIamError {
  override name = 'UnknownNameError';
  constructor(
    readonly kind: string,
    readonly value: string,
    readonly suggestions: readonly string[],
    detail?: string,
  ) {
    super(
      `Unknown ${kind} '${value}'` +
        (suggestions.length ? `: did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '.') +
        (detail ? ` ${detail}` : ''),
    );
  }
}

/** An unknown console page or task (findTask). */
export class UnknownCatalogEntryError extends UnknownNameError {
  override name = 'UnknownCatalogEntryError';
}

/** An unknown IAM action or service (not in the IAM action data). */
export class UnknownActionError extends UnknownNameError {
  override name = 'UnknownActionError';
}

/** An unknown managed policy name or ARN. */
export class UnknownManagedPolicyError extends UnknownNameError {
  override name = 'UnknownManagedPolicyError';
}

/**
 * A file (or document) that cannot be read, parsed or understood: names the file, the
 * line and column where known, and the JSON path.
 */
export class PolicySourceError extends JestConnectIamError {
  override name = 'PolicySourceError';
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: string;
  constructor(
    readonly problem: string,
    location: SourceLocation = {},
  ) {
    super(formatLocated(problem, location));
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.path = location.path;
  }
}

/** A policy document whose grammar is invalid (lower-case `allow`, Action with NotAction...). */
export class PolicyValidationError extends PolicySourceError {
  override name = 'PolicyValidationError';
}

/** A matcher or API called with the wrong kind of argument. */
export class UsageError extends JestConnectIamError {
  override name = 'UsageError';
}

/** `file:line:column: path: problem`, leaving out what is not known. */
export function formatLocated(problem: string, location: SourceLocation): string {
  let where = location.file ?? '';
  if (location.file && location.line !== undefined) {
    where += `:${location.line}`;
    if (location.column !== undefined) where += `:${location.column}`;
  }
  const path = location.path ? `${location.path}: ` : '';
  return where ? `${where}: ${path}${problem}` : `${path}${problem}`;
}
