/**
 * The evaluator's memo and its lazy explanation fields (issue 10).
 *
 * - One compiled principal answers the same (action, resource, context, other options) with the
 *   same result object; any input that differs gives its own result, never a cached one.
 * - `reasons` and `closest` are computed when first read, but they are ordinary enumerable
 *   properties for every reader: JSON.stringify, spread copies, Object.keys, toEqual and
 *   snapshots (pretty-format) see the same data as an eagerly built result.
 */
import { format } from 'pretty-format';
import { checkConsoleTask, compilePrincipal, evaluate, evaluateCompiled } from '../../src/evaluator';
import { contextMap } from '../../src/evaluator/request';

const policy = () => ({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Describe', Effect: 'Allow', Action: 'connect:Describe*', Resource: 'arn:aws:connect:*:*:instance/*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } },
    { Sid: 'Buckets', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::recordings/*' },
    { Sid: 'NoDelete', Effect: 'Deny', Action: 'connect:Delete*', Resource: '*' },
  ],
});

/** A result read field by field, as an eagerly built one was. */
function plain(r: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
}

describe('lazy reasons and closest', () => {
  test('the fields are enumerable own accessors; reading computes them once and keeps the value', () => {
    const r = evaluate(policy(), 'kms:Decrypt');
    const d = Object.getOwnPropertyDescriptor(r, 'reasons')!;
    expect(d.enumerable).toBe(true);
    expect(typeof d.get).toBe('function');
    expect(Object.getOwnPropertyDescriptor(r, 'closest')!.enumerable).toBe(true);
    const first = r.reasons;
    expect(r.reasons).toBe(first);
    expect(r.closest).toBe(r.closest);
    expect(r.closest.length).toBeGreaterThan(0);
    expect(first.some((s) => s.startsWith('Closest: '))).toBe(true);
  });

  test('JSON.stringify, spread, Object.keys, toEqual and pretty-format see them without a prior read', () => {
    // Each from its own subject (a fresh compile, a fresh memo), none read before the check.
    const ref = plain(evaluate(policy(), 'kms:Decrypt', { context: { 'aws:RequestedRegion': 'eu-west-1' } }));
    expect(ref['reasons']).toEqual(expect.arrayContaining([expect.stringContaining('No statement allows kms:Decrypt')]));
    expect((ref['closest'] as unknown[]).length).toBeGreaterThan(0);
    const fresh = () => evaluate(policy(), 'kms:Decrypt', { context: { 'aws:RequestedRegion': 'eu-west-1' } });

    expect(JSON.parse(JSON.stringify(fresh()))).toEqual(ref);
    const copy = { ...fresh() };
    expect(Object.getOwnPropertyDescriptor(copy, 'reasons')!.value).toEqual(ref['reasons']);
    expect(Object.getOwnPropertyDescriptor(copy, 'closest')!.value).toEqual(ref['closest']);
    expect(Object.keys(fresh())).toEqual(['action', 'resource', 'decision', 'reasons', 'statements', 'closest', 'dependsOn']);
    expect(fresh()).toEqual(ref);
    expect(fresh()).toStrictEqual(expect.objectContaining({ reasons: ref['reasons'], closest: ref['closest'] }));
    expect(format(fresh())).toBe(format(ref));
  });

  test('the state behind the lazy fields is hidden: no key, no JSON, no copy, no equality difference', () => {
    const r = evaluate(policy(), 'kms:Decrypt');
    expect(Object.keys(r)).toEqual(['action', 'resource', 'decision', 'reasons', 'statements', 'closest', 'dependsOn']);
    expect(Object.getOwnPropertySymbols(r).every((s) => !Object.getOwnPropertyDescriptor(r, s)!.enumerable)).toBe(true);
    const copy = { ...r };
    expect(Object.getOwnPropertySymbols(copy)).toEqual([]);
    expect(copy).toStrictEqual(plain(r));
    expect(r).toStrictEqual(copy);
    expect(Object.getOwnPropertyDescriptor(r, 'reasons')!.get).toBe(Object.getOwnPropertyDescriptor(evaluate(policy(), 's3:GetObject'), 'reasons')!.get);
  });

  test('an allowed and a conditional result: closest stays empty, reasons are there', () => {
    const allowed = evaluate(policy(), 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'eu-west-1' } });
    expect(plain(allowed)['closest']).toEqual([]);
    expect(plain(allowed)['reasons']).toEqual([expect.stringContaining('is allowed by statement'), 'No Deny statement applies.']);
    const conditional = evaluate(policy(), 'connect:DescribeInstance');
    expect(conditional.decision).toBe('conditional');
    expect(JSON.stringify(conditional)).toContain('depends on something not known');
  });

  test('a result is frozen (the memo shares it): an assignment fails and the next asker sees the original', () => {
    const subject = policy();
    const r = evaluate(subject, 'kms:Encrypt') as unknown as { reasons: readonly string[]; decision: string; statements: unknown[]; dependsOn: unknown[] };
    expect(Object.isFrozen(r)).toBe(true);
    expect(() => {
      r.reasons = ['replaced'];
    }).toThrow(TypeError);
    expect(() => {
      r.decision = 'allowed';
    }).toThrow(TypeError);
    const first = r.reasons;
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(r.statements)).toBe(true);
    expect(Object.isFrozen(r.dependsOn)).toBe(true);
    const again = evaluate(subject, 'kms:Encrypt');
    expect(again).toBe(r);
    expect(again.decision).toBe('implicitDeny');
    expect(again.reasons).toBe(first);
    // A copy is the caller's own.
    const copy = { ...again, reasons: ['mine'] };
    expect(copy.reasons).toEqual(['mine']);
    expect(evaluate(subject, 'kms:Encrypt').reasons).toBe(first);
  });

  test('an allowed result and its statements are frozen too; a conditional one with dependencies', () => {
    const subject = policy();
    const allowed = evaluate(subject, 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'eu-west-1' } });
    expect(allowed.statements.length).toBeGreaterThan(0);
    expect(allowed.statements.every((s) => Object.isFrozen(s))).toBe(true);
    const conditional = evaluate(subject, 'connect:DescribeInstance');
    expect(conditional.dependsOn.length).toBeGreaterThan(0);
    expect(Object.isFrozen(conditional.dependsOn)).toBe(true);
    expect(Object.isFrozen(conditional.closest)).toBe(true);
  });
});

describe('the memo', () => {
  test('the same question gives the same result object; console checks share it across tasks', () => {
    const subject = policy();
    const a = evaluate(subject, 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'eu-west-1' } });
    const b = evaluate(subject, 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'eu-west-1' } });
    expect(b).toBe(a);
    // Key order and key case do not matter (the context is case-insensitive).
    const c = evaluate(subject, 'connect:DescribeInstance', { context: { 'AWS:RequestedRegion': 'eu-west-1' } });
    expect(c).toBe(a);
    const t1 = checkConsoleTask(subject, 'Data storage', 'Edit call recording');
    const t2 = checkConsoleTask(subject, 'Data storage', 'Edit call recording');
    expect(t2.actions[0]!.result).toBe(t1.actions[0]!.result);
  });

  test('any input that differs gets its own answer', () => {
    const subject = policy();
    const eu = evaluate(subject, 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'eu-west-1' } });
    const us = evaluate(subject, 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'us-east-1' } });
    const none = evaluate(subject, 'connect:DescribeInstance');
    const list = evaluate(subject, 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': ['eu-west-1'] } });
    expect([eu.decision, us.decision, none.decision]).toEqual(['allowed', 'implicitDeny', 'conditional']);
    expect(list).toBe(eu); // a string is one value: the same context
    // A reused and changed context object is read again.
    const ctx: Record<string, string> = { 'aws:RequestedRegion': 'eu-west-1' };
    expect(evaluate(subject, 'connect:DescribeInstance', { context: ctx }).decision).toBe('allowed');
    ctx['aws:RequestedRegion'] = 'us-east-1';
    expect(evaluate(subject, 'connect:DescribeInstance', { context: ctx }).decision).toBe('implicitDeny');
    // Resource and action (case kept in the result) are part of the key.
    const onBucket = evaluate(subject, 's3:GetObject', { resource: 'arn:aws:s3:::recordings/a.wav' });
    const elsewhere = evaluate(subject, 's3:GetObject', { resource: 'arn:aws:s3:::other/a.wav' });
    expect([onBucket.decision, elsewhere.decision]).toEqual(['allowed', 'implicitDeny']);
    const upper = evaluate(subject, 'S3:GetObject', { resource: 'arn:aws:s3:::recordings/a.wav' });
    expect(upper).not.toBe(onBucket);
    expect(upper.action).toBe('S3:GetObject');
    // A context value that looks like the separator does not collide.
    const odd = evaluate(subject, 'connect:DescribeInstance', { context: { 'aws:RequestedRegion': 'eu-west-1"],["x' } });
    expect(odd.decision).toBe('implicitDeny');
  });

  test('guardrail options are part of the key, by content', () => {
    const compiled = compilePrincipal(policy());
    const ctx = contextMap({ 'aws:RequestedRegion': 'eu-west-1' });
    const ask = (extra: Record<string, unknown>) => evaluateCompiled(compiled, 'connect:DescribeInstance', { ...extra } as never, ctx);
    const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const denyConnect = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'connect:*', Resource: '*' }] };
    const org = (doc: unknown) => ({ organization: { scps: [[{ name: 'root-scp', document: doc }]] } });
    const a = ask(org(allowAll));
    expect(a.decision).toBe('allowed');
    // An equal organization given as a new object: the same result.
    expect(ask(org(JSON.parse(JSON.stringify(allowAll))))).toBe(a);
    // Another SCP document, or no guardrail at all: results of their own.
    const denied = ask(org(denyConnect));
    expect(denied).not.toBe(a);
    expect(denied.decision).toBe('explicitDeny');
    expect(ask({})).not.toBe(a);
  });

  test('a reused context object is compared on every call: a changed value, array element, added or removed key is read again', () => {
    const subject = policy();
    const ctx: Record<string, string | string[]> = { 'aws:RequestedRegion': ['eu-west-1'] };
    const ask = () => evaluate(subject, 'connect:DescribeInstance', { context: ctx }).decision;
    expect(ask()).toBe('allowed');
    (ctx['aws:RequestedRegion'] as string[])[0] = 'us-east-1'; // the same array, changed in place
    expect(ask()).toBe('implicitDeny');
    (ctx['aws:RequestedRegion'] as string[]).push('eu-west-1'); // StringEquals: any value matches
    expect(ask()).toBe('allowed');
    delete ctx['aws:RequestedRegion'];
    expect(ask()).toBe('conditional');
    ctx['AWS:REQUESTEDREGION'] = 'eu-west-1';
    expect(ask()).toBe('allowed');
    ctx['aws:RequestedRegion'] = 'us-east-1'; // two spellings of one key: the later wins, as before
    expect(ask()).toBe(evaluate(policy(), 'connect:DescribeInstance', { context: { ...ctx } }).decision);
  });

  test('a whole console task is memoised per principal and request: the same frozen result; any other request its own', () => {
    const subject = policy();
    const a = checkConsoleTask(subject, 'Data storage', 'Edit call recording', { context: { 'aws:RequestedRegion': 'eu-west-1' } });
    const b = checkConsoleTask(subject, 'Data storage', 'Edit call recording', { context: { 'aws:RequestedRegion': 'eu-west-1' } });
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.actions)).toBe(true);
    expect(a.actions.every((x) => Object.isFrozen(x) && Object.isFrozen(x.result))).toBe(true);
    // Another context, prerequisites, resource or guardrail option: another result.
    expect(checkConsoleTask(subject, 'Data storage', 'Edit call recording')).not.toBe(a);
    const without = checkConsoleTask(subject, 'Data storage', 'Edit call recording', { context: { 'aws:RequestedRegion': 'eu-west-1' }, prerequisites: false });
    expect(without).not.toBe(a);
    expect(without.actions.length).toBeLessThan(a.actions.length);
    const onBucket = checkConsoleTask(subject, 'Data storage', 'Edit call recording', { resource: 'arn:aws:s3:::recordings' });
    expect(onBucket).not.toBe(checkConsoleTask(subject, 'Data storage', 'Edit call recording', { resource: 'arn:aws:s3:::other' }));
    expect(checkConsoleTask(subject, 'Data storage', 'Edit call recording', { resource: 'arn:aws:s3:::recordings' })).toBe(onBucket);
    // The memoised answer equals a fresh one (another subject object compiles anew).
    expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(checkConsoleTask(policy(), 'Data storage', 'Edit call recording', { context: { 'aws:RequestedRegion': 'eu-west-1' } }))));
  });

  test('a bad option or an unknown task still throws on a memoised request', () => {
    const subject = policy();
    checkConsoleTask(subject, 'Data storage', 'Edit call recording', { resource: 'arn:aws:s3:::recordings' });
    expect(() => checkConsoleTask(subject, 'Data storage', 'Edit call recordings!', { resource: 'arn:aws:s3:::recordings' })).toThrow(/console task/);
    expect(() => checkConsoleTask(subject, 'Data storage', 'Edit call recording', { resource: 'arn:aws:sqs:eu-west-1:1:q' } as never)).toThrow(/fits no action/);
    expect(() => checkConsoleTask(subject, 'Data storage', 'Edit call recording', { context: { k: 1 } } as never)).toThrow(/must be a string or an array of strings/);
    expect(() => evaluate(subject, 'connect:DescribeInstance', { context: { k: [1] } } as never)).toThrow(/must be a string or an array of strings/);
  });
});
