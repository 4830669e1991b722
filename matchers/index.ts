/**
 * `jest-connect-iam/matchers`: registers every matcher on Jest's `expect` (use it in
 * `setupFilesAfterEnv`, or import it from a test file). Works with injected globals and
 * with `injectGlobals: false` (falls back to `@jest/globals`). For a side-effect-free set,
 * import `matchers` from `jest-connect-iam` and call `expect.extend(matchers)` yourself.
 */
import { findExpect } from './internal/register';
import { matchers } from './matchers';

export { matchers } from './matchers';
export type * from './types';

// A local declaration (this file is a module): no dependency on Node's typings.
declare const require: (id: string) => unknown;

findExpect(globalThis, () => require('@jest/globals')).extend(matchers);
