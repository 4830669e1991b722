/**
 * Fail-closed guarantees of the matchers, table-driven: every matcher form x every kind of
 * unknown a principal can carry (test/trust/unknowns.ts), through `expect` as a user meets it
 * (matchers registered by setupFilesAfterEnv) on principals loaded from real templates.
 *
 * Each kind comes in three variants of the same template; the controls prove that a failure on
 * `unknown` is caused by the unknown: negative forms pass on `absent`, positive forms pass on
 * `certain`, and both fail on `unknown`, with a message that names what the answer depends on.
 */
import * as path from 'node:path';
import { loadTemplate } from '../../src';
import type { Principal } from '../../src';
import { outcomeOf, tempDir } from './helpers';
import { TARGET, UNKNOWN_KINDS, writeUnknownTemplates, type UnknownKind, type Variant } from './unknowns';

interface Form {
  readonly name: string;
  readonly run: (p: Principal, kind: UnknownKind) => void;
}

export const NEGATIVE_FORMS: readonly Form[] = [
  { name: '.not.toGrantConsoleTask', run: (p) => expect(p).not.toGrantConsoleTask(...TARGET.task) },
  { name: '.not.toGrantConsolePage', run: (p) => expect(p).not.toGrantConsolePage(TARGET.page) },
  { name: '.not.toAllowAction', run: (p) => expect(p).not.toAllowAction(TARGET.action) },
  { name: 'toBeReadOnly', run: (p, k) => expect(p).toBeReadOnly(k.readOnlyAllow ? { allow: [...k.readOnlyAllow] } : undefined) },
  { name: 'toStayWithin', run: (p, k) => expect(p).toStayWithin(k.baseline ?? TARGET.baseline) },
];

export const POSITIVE_FORMS: readonly Form[] = [
  { name: 'toGrantConsoleTask', run: (p) => expect(p).toGrantConsoleTask(...TARGET.task) },
  { name: 'toGrantConsolePage', run: (p) => expect(p).toGrantConsolePage(TARGET.page) },
  { name: 'toAllowAction', run: (p) => expect(p).toAllowAction(TARGET.action) },
];

const dir = tempDir();
const written = writeUnknownTemplates(dir, ['unknown', 'absent', 'certain']);
const principalOf = (kind: UnknownKind, variant: Variant): Principal => {
  const rel = `infra/${kind.id}-${variant}.yaml`;
  const entry = written.get(rel)!;
  return loadTemplate(path.join(dir, rel)).principal(entry.principal);
};
const kinds = UNKNOWN_KINDS.filter((k) => !k.scanOnly);

describe('a negative assertion never passes when any input was unknown, unparsed, unresolved or conditional', () => {
  describe.each(kinds.map((k) => [k.title, k] as const))('unknown: %s', (_title, kind) => {
    const unknown = principalOf(kind, 'unknown');
    const control = principalOf(kind, 'absent');
    test.each(NEGATIVE_FORMS.map((f) => [f.name, f] as const))('%s fails (and passes on the control without the unknown)', (_name, form) => {
      expect(outcomeOf(() => form.run(control, kind))).toEqual({ kind: 'pass' });
      const o = outcomeOf(() => form.run(unknown, kind));
      expect(o.kind).toBe('fail');
      if (o.kind === 'fail') expect(o.message).toMatch(kind.mentions);
    });
  });
});

describe('a positive assertion never passes on a conditional decision', () => {
  describe.each(kinds.map((k) => [k.title, k] as const))('unknown: %s', (_title, kind) => {
    const unknown = principalOf(kind, 'unknown');
    const control = principalOf(kind, 'certain');
    test.each(POSITIVE_FORMS.map((f) => [f.name, f] as const))('%s fails (and passes on the control with the unknown made certain)', (_name, form) => {
      expect(outcomeOf(() => form.run(control, kind))).toEqual({ kind: 'pass' });
      const o = outcomeOf(() => form.run(unknown, kind));
      expect(o.kind).toBe('fail');
      if (o.kind === 'fail') expect(o.message).toMatch(kind.mentions);
    });
  });
});

/**
 * More places an unknown hides (test/trust/more-unknowns.yaml): an unresolved permissions
 * boundary, a managed policy ARN or a whole Policies list under Fn::If, an AWS::IAM::Policy with
 * an unknown resource-level Condition, a group from another stack, an unresolved element of an
 * Action list, a Deny whose NotAction or presence is unknown, an unresolved PolicyDocument.
 * Neither direction of the action matcher passes, and the analyses fail.
 */
describe('a negative assertion never passes, and a positive one never passes on conditional: more unknowns', () => {
  const template = loadTemplate(path.join(__dirname, 'more-unknowns.yaml'));
  const ids = ['Bounded', 'CondManaged', 'CondPolicyRole', 'ExtGroupUser', 'UnknownAction', 'DenyNotActionUnknown', 'DenyIf', 'PolicyNameUnknownDoc', 'CondRole'];
  test('every principal of the template is in the table', () => {
    expect(template.principals.map((p) => p.id).sort()).toEqual([...ids, 'SubAccount'].sort());
  });
  test.each(ids.map((id) => [id]))('%s: toAllowAction and .not.toAllowAction both fail, so do the task matchers; toBeReadOnly fails', (id) => {
    const p = template.principal(id);
    expect(outcomeOf(() => expect(p).toAllowAction(TARGET.action)).kind).toBe('fail');
    expect(outcomeOf(() => expect(p).not.toAllowAction(TARGET.action)).kind).toBe('fail');
    expect(outcomeOf(() => expect(p).toGrantConsoleTask(...TARGET.task)).kind).toBe('fail');
    expect(outcomeOf(() => expect(p).not.toGrantConsoleTask(...TARGET.task)).kind).toBe('fail');
    expect(outcomeOf(() => expect(p).toBeReadOnly()).kind).toBe('fail');
  });
  test('a template macro (a transform the loader does not apply) may rewrite any policy: negative forms fail', () => {
    const p = loadTemplate(path.join(__dirname, 'macro.yaml')).principal('Viewer');
    expect(outcomeOf(() => expect(p).not.toAllowAction('connect:DeleteInstance')).kind).toBe('fail');
    expect(outcomeOf(() => expect(p).toBeReadOnly()).kind).toBe('fail');
    expect(outcomeOf(() => expect(p).toStayWithin(TARGET.baseline)).kind).toBe('fail');
  });
  // Same-account model (issue 9 item 7): ${AWS::AccountId} is the stack's own account, so
  // `arn:aws:connect:*:${AWS::AccountId}:instance/*` covers the console's instances (test/loaders/same-account.test.ts);
  // a literal account may or may not be the stack's account until pseudo.AccountId is given.
  test('a literal account against the stack\'s unknown account is not a match: the instance-level action is conditional', () => {
    const p = template.principal('SubAccount');
    expect(outcomeOf(() => expect(p).toAllowAction(TARGET.action)).kind).toBe('fail');
    expect(outcomeOf(() => expect(p).not.toAllowAction(TARGET.action)).kind).toBe('fail');
    expect(outcomeOf(() => expect(p).toBeReadOnly()).kind).toBe('fail');
  });
});
