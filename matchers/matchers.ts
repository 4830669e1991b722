/**
 * Every matcher, with no side effect: `expect.extend(matchers)` on any `expect`
 * (`@jest/globals`, a custom instance, other runners).
 */
import { toAllowAction } from './toAllowAction';
import { toBeReadOnly } from './toBeReadOnly';
import { toGrantConsolePage } from './toGrantConsolePage';
import { toGrantConsoleTask } from './toGrantConsoleTask';
import { toMatchAccount } from './toMatchAccount';
import { toStayWithin } from './toStayWithin';
import type { ConnectIamMatcherImplementations } from './types';

export const matchers: ConnectIamMatcherImplementations = {
  toAllowAction,
  toBeReadOnly,
  toGrantConsolePage,
  toGrantConsoleTask,
  toMatchAccount,
  toStayWithin,
};
