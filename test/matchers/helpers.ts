/** Helpers for matcher tests: run an assertion and get its failure message without colours. */
import { UsageError } from '../../src/errors';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** A typical failure message stays under this many lines (past it, the renderer summarises). */
export const MAX_MESSAGE_LINES = 40;

/**
 * The message of a FAILED assertion (not a thrown usage error), colours stripped. Every
 * message checked here must also keep within MAX_MESSAGE_LINES.
 */
export function failureOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'matcherResult' in error) {
      const message = stripAnsi(String((error as { message?: unknown }).message));
      const lines = message.split('\n').length;
      if (lines > MAX_MESSAGE_LINES) throw new UsageError(`failure message has ${lines} lines (more than ${MAX_MESSAGE_LINES}):\n${message}`);
      return message;
    }
    throw error;
  }
  throw new UsageError('expected the assertion to fail, but it passed');
}

/** Things a matcher must refuse, each with what the error has to say. */
export const notSubjects: ReadonlyArray<[string, unknown]> = [
  ['a string (a managed policy name)', 'AmazonConnectReadOnlyAccess'],
  ['a number', 42],
  ['null', null],
  ['undefined', undefined],
  ['an object without Statement', { Version: '2012-10-17' }],
  ['an empty array', []],
];
