/**
 * `jest-connect-iam/matchers`: registers every matcher on Jest's `expect` (use it in
 * `setupFilesAfterEnv`, or import it from a test file). Works with injected globals and
 * with `injectGlobals: false` (falls back to `@jest/globals`). For a side-effect-free set,
 * import `matchers` from `jest-connect-iam/matchers/matchers` or `jest-connect-iam`.
 */
import { JestConnectIamError } from '../src/errors';
import { matchers } from './matchers';

export { matchers } from './matchers';
export type * from './types';

interface Extendable {
  extend(matchers: object): void;
}

// A local declaration (this file is a module): no dependency on Node's typings.
declare const require: (id: string) => unknown;

function isExtendable(value: unknown): value is Extendable {
  return (typeof value === 'function' || (typeof value === 'object' && value !== null)) && typeof (value as Partial<Extendable>).extend === 'function';
}

function findExpect(): Extendable {
  const global = (globalThis as { expect?: unknown }).expect;
  if (isExtendable(global)) return global;
  try {
    const { expect } = require('@jest/globals') as { expect?: unknown };
    if (isExtendable(expect)) return expect;
  } catch {
    // fall through to the error below
  }
  throw new JestConnectIamError(
    "jest-connect-iam/matchers: unable to find Jest's expect (no global `expect` and `@jest/globals` is not available). " +
      "Load it from Jest's setupFilesAfterEnv, or call expect.extend(matchers) yourself with `import { matchers } from 'jest-connect-iam'`.",
  );
}

findExpect().extend(matchers);
