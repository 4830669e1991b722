/** Find the `expect` to register on: the global one, else `@jest/globals`' (injectGlobals: false). */
import { JestConnectIamError } from '../../src/errors';

export interface Extendable {
  extend(matchers: object): void;
}

function isExtendable(value: unknown): value is Extendable {
  return (typeof value === 'function' || (typeof value === 'object' && value !== null)) && typeof (value as Partial<Extendable>).extend === 'function';
}

/**
 * Where the side-effect entry registers. Inside Jest (`insideJest`): the global `expect`, else
 * `@jest/globals`' one, else a clear error (a setup that silently registered nothing would only
 * show up later as "toGrantConsoleTask is not a function"). Outside Jest (Vitest, node): the global
 * `expect` if the runner provides one, else nothing: importing `{ matchers }` from the entry then
 * has no side effect, for `expect.extend(matchers)` by hand.
 */
export function registrationTarget(
  globalObject: object,
  loadJestGlobals: () => unknown,
  insideJest: boolean,
): Extendable | undefined {
  const global = (globalObject as { expect?: unknown }).expect;
  if (isExtendable(global)) return global;
  if (!insideJest) return undefined;
  return findExpect(globalObject, loadJestGlobals);
}

/**
 * `globalThis.expect` when present, else `loadJestGlobals().expect`; throws a clear error when
 * neither is an `expect` with `extend`. The loader is a parameter so tests can stand in for it.
 */
export function findExpect(globalObject: object, loadJestGlobals: () => unknown): Extendable {
  const global = (globalObject as { expect?: unknown }).expect;
  if (isExtendable(global)) return global;
  let loaded: unknown;
  try {
    loaded = loadJestGlobals();
  } catch {
    loaded = undefined; // not inside Jest: fall through to the error below
  }
  const expect = typeof loaded === 'object' && loaded !== null ? (loaded as { expect?: unknown }).expect : undefined;
  if (isExtendable(expect)) return expect;
  throw new JestConnectIamError(
    "jest-connect-iam/matchers: unable to find Jest's expect (no global `expect`, and `@jest/globals` is not available). " +
      "Load it from Jest's setupFilesAfterEnv, or register the side-effect-free set yourself: expect.extend(matchers) with `matchers` from 'jest-connect-iam/matchers'.",
  );
}
