/**
 * The side-effect entry (`jest-connect-iam/matchers`) with injectGlobals: false: there is no
 * global `expect`, so it registers on `@jest/globals`' expect.
 */
import { expect, test } from '@jest/globals';
import '../../matchers';
import { viewer } from '../matchers/fixtures';

test('importing matchers/index registers on @jest/globals when no global expect exists', () => {
  expect((globalThis as { expect?: unknown }).expect).toBeUndefined();
  expect(viewer).toGrantConsoleTask('Data storage', 'View call recording');
  expect(viewer).not.toAllowAction('connect:UpdateInstanceStorageConfig');
});
