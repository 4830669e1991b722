/**
 * Argument checks shared by the matchers. A wrong argument is a usage error (thrown with
 * Jest's "Matcher error" layout), never a failed or passed assertion.
 */
import type { MatcherContext } from 'expect';
import { principalOf } from '../../src/analysis';
import { UsageError } from '../../src/errors';
import { givenResources } from '../../src/evaluator/resources';
import type { Principal } from '../../src/policy/types';

/**
 * The hint line of every message: `expect(received)[.not].toX(expected)`, built when a message or
 * a usage error needs it (a passing assertion never renders it).
 */
export type Hint = () => string;

export function hintOf(ctx: MatcherContext, matcherName: string, expected: string, secondArgument?: string): Hint {
  let text: string | undefined;
  return () =>
    (text ??= ctx.utils.matcherHint(matcherName, undefined, expected, {
      isNot: ctx.isNot,
      promise: ctx.promise,
      ...(secondArgument !== undefined ? { secondArgument } : {}),
    }));
}

function usage(ctx: MatcherContext, hint: Hint, problem: string, label: string, value: unknown): UsageError {
  return new UsageError(ctx.utils.matcherErrorMessage(hint(), problem, ctx.utils.printWithType(label, value, ctx.utils.printReceived)));
}

/** The received subject as a Principal; anything not accepted is a usage error saying what is. */
export function subjectArg(ctx: MatcherContext, hint: Hint, received: unknown, role = 'received'): Principal {
  try {
    return principalOf(received, role);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const color = role === 'received' ? ctx.utils.RECEIVED_COLOR : ctx.utils.EXPECTED_COLOR;
    // toPrincipal's message says what was received and lists what is accepted.
    throw usage(ctx, hint, `${color(role)} value must be a policy subject\n${error.message}`, role === 'received' ? 'Received' : 'Baseline', received);
  }
}

/** A non-empty string argument (page, task, action, managed policy name). */
export function stringArg(ctx: MatcherContext, hint: Hint, value: unknown, name: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw usage(ctx, hint, `${ctx.utils.EXPECTED_COLOR(name)} must be a non-empty string`, name, value);
}

/** `resources`: one ARN, a list of ARNs, or a map by service prefix (console matchers). */
type OptionKind = 'string' | 'boolean' | 'context' | 'stringArray' | 'resources' | 'guardrail';

/** The guardrail options every matcher accepts (their shape is checked by the evaluator, with a UsageError). */
export const GUARDRAIL_OPTIONS = { organization: 'guardrail', session: 'guardrail', resourcePolicies: 'guardrail' } as const;

/**
 * The options object, checked against the options the matcher accepts: an unknown name (a
 * typo such as `resources`) or a wrong type is a usage error, so it cannot silently widen
 * or narrow what is asked.
 */
export function optionsArg<T extends object>(ctx: MatcherContext, hint: Hint, value: unknown, accepted: Readonly<Record<string, OptionKind>>): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage(ctx, hint, `${ctx.utils.EXPECTED_COLOR('options')} must be an object`, 'options', value);
  }
  for (const [key, v] of Object.entries(value)) {
    const kind = accepted[key];
    if (!kind) {
      throw usage(ctx, hint, `unknown option '${key}'; accepted: ${Object.keys(accepted).map((k) => `'${k}'`).join(', ')}`, 'options', value);
    }
    if (v === undefined) continue;
    if (kind === 'resources') {
      try {
        givenResources(v, `option '${key}'`);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        throw usage(ctx, hint, error.message, 'options', value);
      }
      continue;
    }
    const ok =
      kind === 'guardrail' ? (typeof v === 'object' && v !== null) || typeof v === 'string'
      : kind === 'string' ? typeof v === 'string'
      : kind === 'boolean' ? typeof v === 'boolean'
      : kind === 'stringArray' ? Array.isArray(v) && v.every((x) => typeof x === 'string')
      : typeof v === 'object' && v !== null && !Array.isArray(v) &&
        Object.values(v).every((x) => typeof x === 'string' || (Array.isArray(x) && x.every((y) => typeof y === 'string')));
    if (!ok) {
      const expected = kind === 'guardrail' ? 'an object (see docs/evaluator.md, "Guardrails")' : kind === 'context' ? 'an object of strings or string arrays' : kind === 'stringArray' ? 'an array of strings' : `a ${kind}`;
      throw usage(ctx, hint, `option '${key}' must be ${expected}`, 'options', value);
    }
  }
  return value as T;
}
