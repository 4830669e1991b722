import { UnknownCatalogEntryError, UsageError } from '../../src/errors';
import { managedPolicy } from '../../src/managed';
import { editDenied, editor, editorOwnOnly, regionBound, role, roleWithUnresolvedPolicy, roleWithUnresolvedValue, unrelated, viewer } from './fixtures';
import { failureOf, notSubjects } from './helpers';

describe('.toGrantConsoleTask', () => {
  test('passes when every action, prerequisites included, is allowed', () => {
    expect(editor).toGrantConsoleTask('Data storage', 'Edit call recording');
    expect(viewer).toGrantConsoleTask('Data storage', 'View call recording');
  });

  test.each([
    ['a policy document', editor],
    ['an array of documents', [viewer, editorOwnOnly]],
    ['a principal', role(editor)],
  ])('accepts %s', (_label, subject) => {
    expect(subject).toGrantConsoleTask('Data storage', 'Edit call recording');
  });

  test('accepts a managed policy', () => {
    expect(managedPolicy('AmazonConnectReadOnlyAccess')).toGrantConsoleTask('Data storage', 'View call recording');
  });

  test('fails when a prerequisite is missing, and says which', () => {
    const message = failureOf(() => expect(editorOwnOnly).toGrantConsoleTask('Data storage', 'Edit call recording'));
    expect(message).toMatch(/connect:ListInstances, ds:DescribeDirectories \(prerequisite from home\/instance-access\)/);
    expect(message).toMatchSnapshot();
  });

  test('prerequisites: false checks only the task\'s own actions', () => {
    expect(editorOwnOnly).toGrantConsoleTask('Data storage', 'Edit call recording', { prerequisites: false });
  });

  test('fails on an explicit deny, naming the deny statement', () => {
    const message = failureOf(() => expect(role(editDenied)).toGrantConsoleTask('Data storage', 'Edit call recording'));
    expect(message).toMatch(/connect:UpdateInstanceStorageConfig \(own\): explicitly denied/);
    expect(message).toMatch(/"NoStorageEdits"/);
    expect(message).toMatchSnapshot();
  });

  test('fails when nothing allows, showing the closest statements', () => {
    const message = failureOf(() => expect(unrelated).toGrantConsoleTask('Flows', 'View Lambda functions'));
    expect(message).toMatchSnapshot();
  });

  test('many actions missing for the same reason are shown once, with a count', () => {
    const message = failureOf(() => expect(unrelated).toGrantConsoleTask('Telephony', 'Enable/disable outbound campaigns'));
    expect(message).toMatch(/and \d+ more \(prerequisite|and \d+ more: not allowed/);
    expect(message).toMatchSnapshot();
  });

  test('fails on conditional, saying what it depends on and how to pin it', () => {
    const message = failureOf(() => expect(regionBound).toGrantConsoleTask('Data storage', 'View call recording'));
    expect(message).toMatch(/aws:RequestedRegion/);
    expect(message).toMatch(/context: \{ 'aws:RequestedRegion'/);
    expect(message).toMatchSnapshot();
  });

  test('passes once the condition is pinned with context', () => {
    expect(regionBound).toGrantConsoleTask('Data storage', 'View call recording', { context: { 'aws:RequestedRegion': 'eu-west-2' } });
  });

  test('an unresolved policy blocks a pass (it could deny)', () => {
    expect(() => expect(roleWithUnresolvedPolicy()).toGrantConsoleTask('Data storage', 'View call recording')).toThrow(/SharedPolicy/);
  });

  test('an unknown task throws with the closest names', () => {
    expect(() => expect(editor).toGrantConsoleTask('Data storage', 'Edit call recordings')).toThrow(UnknownCatalogEntryError);
    expect(() => expect(editor).toGrantConsoleTask('Data storage', 'Edit call recordings')).toThrow(/Edit call recording/);
    expect(() => expect(editor).toGrantConsoleTask('Data storag', 'Edit call recording')).toThrow(UnknownCatalogEntryError);
  });

  test.each(notSubjects)('refuses %s as the received value', (_label, subject) => {
    expect(() => expect(subject).toGrantConsoleTask('Data storage', 'Edit call recording')).toThrow(UsageError);
    expect(() => expect(subject).toGrantConsoleTask('Data storage', 'Edit call recording')).toThrow(/policy document/);
  });

  test('refuses a wrong option name or type', () => {
    // @ts-expect-error wrong option name on purpose
    expect(() => expect(editor).toGrantConsoleTask('Data storage', 'Edit call recording', { prerequisite: false })).toThrow(/unknown option 'prerequisite'/);
    // @ts-expect-error wrong option type on purpose
    expect(() => expect(editor).toGrantConsoleTask('Data storage', 'Edit call recording', { resource: 1 })).toThrow(/option 'resource' must be a string/);
    // @ts-expect-error missing task on purpose
    expect(() => expect(editor).toGrantConsoleTask('Data storage')).toThrow(/task/);
  });
});

describe('.not.toGrantConsoleTask', () => {
  test('passes when some action is certainly not allowed', () => {
    expect(viewer).not.toGrantConsoleTask('Data storage', 'Edit call recording');
    expect(role(editDenied)).not.toGrantConsoleTask('Data storage', 'Edit call recording');
    expect(managedPolicy('AmazonConnectReadOnlyAccess')).not.toGrantConsoleTask('Federations', 'Admin/Emergency federation');
  });

  test('fails when the task is granted, listing the allowing statements', () => {
    const message = failureOf(() => expect(role(editor)).not.toGrantConsoleTask('Data storage', 'View call recording'));
    expect(message).toMatch(/infra\/roles\.yaml:23/);
    expect(message).toMatchSnapshot();
  });

  test('fails on conditional too (conditional fails both directions)', () => {
    const message = failureOf(() => expect(regionBound).not.toGrantConsoleTask('Data storage', 'View call recording'));
    expect(message).toMatch(/not certain/);
    expect(message).toMatchSnapshot();
  });

  test('an unknown task throws, never passes', () => {
    expect(() => expect(viewer).not.toGrantConsoleTask('Data storage', 'Edit call recordings')).toThrow(UnknownCatalogEntryError);
    expect(() => expect(viewer).not.toGrantConsoleTask('Data storage', 'Edit call recordings')).toThrow(/did you mean/);
  });

  test('a subject with an unresolved policy never passes', () => {
    const message = failureOf(() => expect(roleWithUnresolvedPolicy()).not.toGrantConsoleTask('Data storage', 'Edit call recording'));
    expect(message).toMatch(/SharedPolicy/);
    expect(message).toMatchSnapshot();
  });


  test('an unresolved value in an unrelated statement does not block the negative form (the task needs no s3:GetObject)', () => {
    expect(roleWithUnresolvedValue()).not.toGrantConsoleTask('Data storage', 'Edit call recording');
  });

  test.each(notSubjects)('refuses %s as the received value', (_label, subject) => {
    expect(() => expect(subject).not.toGrantConsoleTask('Data storage', 'Edit call recording')).toThrow(UsageError);
  });
});
