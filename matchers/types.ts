/**
 * The typings of every matcher: ONE interface, merged into Jest's global `jest.Matchers`
 * (for `@types/jest` users) and into the `expect` module's `Matchers` (for
 * `import { expect } from '@jest/globals'` users). The implementation map's type is derived
 * from it, so a matcher added to one and not the other fails compilation.
 */
import type { MatcherFunction } from 'expect';
import type { ResourceOption } from '../src/evaluator/resources';
import type { EvaluateOptions } from '../src/evaluator/types';
import type { GuardrailOptions } from '../src/evaluator/guardrails/types';
import type { ManagedPolicy } from '../src/managed/types';
import type { PolicySubject } from '../src/policy/types';

/** What a matcher receives (and what toStayWithin accepts as a baseline besides a name). */
export type ConnectIamSubject = PolicySubject | ManagedPolicy;

/**
 * Options of toAllowAction (and, through ConsoleTaskOptions, of the console matchers). The
 * guardrail options: `organization` ({ scps, rcps, managementAccount }), `session` (session
 * policies) and `resourcePolicies` (KMS key and S3 bucket policies): see docs/evaluator.md.
 */
export interface AllowActionOptions extends GuardrailOptions {
  /**
   * The resource asked about.
   * @default '*' (any resource: a statement covering only part of it makes the answer conditional)
   */
  readonly resource?: string;
  /** Request context: condition keys and policy variables. */
  readonly context?: EvaluateOptions['context'];
}

/** Options of toGrantConsoleTask and toGrantConsolePage. */
export interface ConsoleTaskOptions extends Omit<AllowActionOptions, 'resource'> {
  /**
   * The resources the task is asked about: one ARN (or pattern), a list of them, or a map by
   * service prefix (`{ connect: 'arn:…:instance/abcd', s3: 'arn:aws:s3:::recordings', kms: 'arn:…:key/k1' }`).
   * Each applies only to the actions whose resource types it fits; every other action stays
   * at "any resource". A resource that fits no action of the task is a usage error.
   * @default every action at "any resource" (the catalog's resource)
   */
  readonly resource?: ResourceOption;
  /**
   * Also require the prerequisites (the View task an edit task builds on, and reaching the
   * instance from the home page).
   * @default true
   */
  readonly prerequisites?: boolean;
}

/** Options of toBeReadOnly: judged on the effective allow set after the guardrails given. */
export interface ReadOnlyMatcherOptions extends GuardrailOptions {
  /**
   * Non-read actions (names or wildcard patterns) to accept; each must match a real action.
   * @default []
   */
  readonly allow?: readonly string[];
}

/** Options of toStayWithin: the subject's effective allow set after the guardrails given (the baseline is judged as it is). */
export interface StayWithinMatcherOptions extends GuardrailOptions {
  /**
   * Actions (names or wildcard patterns) the subject may have beyond the baseline.
   * @default []
   */
  readonly allow?: readonly string[];
  /** Request context (condition keys, policy variables) for both the subject and the baseline. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/** The matchers, as a user calls them. `R` is Jest's return type. */
export interface ConnectIamMatchers<R = unknown> {
  /** Every action of the console task (and of its prerequisites) is allowed with certainty. */
  toGrantConsoleTask(page: string, task: string, options?: ConsoleTaskOptions): R;
  /** Every task on the console page (all sections) is granted with certainty. `.not`: no task is granted, with certainty. */
  toGrantConsolePage(page: string, options?: ConsoleTaskOptions): R;
  /** Every real action the name or pattern matches is allowed with certainty. `.not`: none is allowed or conditional. */
  toAllowAction(action: string, options?: AllowActionOptions): R;
  /** Allows (or may allow) no Write, Permissions management or Tagging action, on any resource. */
  toBeReadOnly(options?: ReadOnlyMatcherOptions): R;
  /** Allows nothing the baseline (a managed policy name, or any subject) does not allow. */
  toStayWithin(baseline: string | ConnectIamSubject, options?: StayWithinMatcherOptions): R;
  /**
   * Grants what the account principal (loadAccountAuthorizationDetails(...).principal(name)) grants:
   * the same console tasks and non-read actions, and no action beyond it either way.
   */
  toMatchAccount(accountPrincipal: ConnectIamSubject): R;
}

/** The implementation map, derived from the interface (key or parameter drift fails compilation). */
export type ConnectIamMatcherImplementations = {
  readonly [K in keyof ConnectIamMatchers]: MatcherFunction<Parameters<ConnectIamMatchers[K]>>;
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends ConnectIamMatchers<R> {}
  }
}

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends ConnectIamMatchers<R> {}
}
