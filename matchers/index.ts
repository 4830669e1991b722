/**
 * `jest-connect-iam/matchers`: registers every matcher on Jest's `expect` (use it in
 * `setupFilesAfterEnv`, or import it from a test file). Works with injected globals and
 * with `injectGlobals: false` (falls back to `@jest/globals`). Outside Jest, with no global
 * `expect`, importing `{ matchers }` from here has no side effect: call `expect.extend(matchers)`
 * on the runner's own `expect` (Vitest, @jest/globals).
 */
import { registrationTarget } from './internal/register';
import { matchers } from './matchers';

export { matchers } from './matchers';
export type * from './types';

// Local declarations (this file is a module): no dependency on Node's typings.
declare const require: (id: string) => unknown;
declare const process: { env: Record<string, string | undefined> } | undefined;

const insideJest = typeof process !== 'undefined' && process.env.JEST_WORKER_ID !== undefined;
registrationTarget(globalThis, () => require('@jest/globals'), insideJest)?.extend(matchers);
