/** Where matchers/index.ts registers: findExpect with stand-ins for the global and @jest/globals. */
import { findExpect, registrationTarget } from '../../matchers/internal/register';
import { JestConnectIamError } from '../../src/errors';

const fakeExpect = (): { extend: jest.Mock } => ({ extend: jest.fn() });

describe('findExpect', () => {
  test('uses the global expect when present', () => {
    const global = fakeExpect();
    const load = jest.fn();
    expect(findExpect({ expect: global }, load)).toBe(global);
    expect(load).not.toHaveBeenCalled();
  });

  test('falls back to @jest/globals (injectGlobals: false)', () => {
    const fromGlobals = fakeExpect();
    expect(findExpect({}, () => ({ expect: fromGlobals }))).toBe(fromGlobals);
  });

  test.each([
    ['@jest/globals cannot be loaded', () => { throw new Error('Do not import `@jest/globals` outside of the Jest test environment'); }],
    ['@jest/globals has no expect', () => ({})],
  ])('throws a clear error when %s', (_label, load) => {
    expect(() => findExpect({}, load)).toThrow(JestConnectIamError);
    expect(() => findExpect({}, load)).toThrow(/unable to find Jest's expect[\s\S]*expect\.extend\(matchers\)/);
  });

  test('the entry registered every matcher on this project\'s global expect (setupFilesAfterEnv)', () => {
    expect(typeof (expect({ Statement: [] }) as unknown as Record<string, unknown>).toGrantConsoleTask).toBe('function');
  });
});

describe('registrationTarget', () => {
  const noGlobals = () => {
    throw new Error('Do not import `@jest/globals` outside of the Jest test environment');
  };

  test('outside Jest with no global expect: registers nothing and does not throw (importing { matchers } has no side effect)', () => {
    expect(registrationTarget({}, noGlobals, false)).toBeUndefined();
  });

  test('outside Jest with a global expect (e.g. Vitest globals): registers on it', () => {
    const global = { extend: () => undefined };
    expect(registrationTarget({ expect: global }, noGlobals, false)).toBe(global);
  });

  test('inside Jest with neither: throws the clear error instead of registering nothing', () => {
    expect(() => registrationTarget({}, noGlobals, true)).toThrow(/unable to find Jest's expect/);
  });

  test('inside Jest without a global: uses @jest/globals', () => {
    const fromGlobals = { extend: () => undefined };
    expect(registrationTarget({}, () => ({ expect: fromGlobals }), true)).toBe(fromGlobals);
  });
});
