import { catalog } from '../../src/catalog';
import { UnknownCatalogEntryError, UsageError } from '../../src/errors';
import { managedPolicy } from '../../src/managed';
import { regionBound, role, roleWithUnresolvedPolicy, roleWithUnresolvedValue, unrelated, viewer } from './fixtures';
import { failureOf, notSubjects } from './helpers';

const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] };

describe('.toGrantConsolePage', () => {
  test.each(catalog.pages.map((p) => [p.name]))('AdministratorAccess grants every task on page %s', (page) => {
    expect(managedPolicy('AdministratorAccess')).toGrantConsolePage(page);
  });

  test.each([
    ['a policy document', admin],
    ['an array of documents', [viewer, admin]],
    ['a principal', role(admin)],
  ])('accepts %s', (_label, subject) => {
    expect(subject).toGrantConsolePage('Data storage');
  });

  test('fails when some task is not granted, naming the tasks and actions', () => {
    const message = failureOf(() => expect(viewer).toGrantConsolePage('Data storage'));
    expect(message).toMatch(/Edit call recording \(not granted\)/);
    expect(message).toMatch(/connect:AssociateInstanceStorageConfig, [^\n]*\(task Edit call recording, own\)[^\n]*: not allowed/);
    expect(message.split('\n').length).toBeLessThanOrEqual(40);
    expect(message).toMatchSnapshot();
  });

  test('fails on conditional', () => {
    expect(() => expect(regionBound).toGrantConsolePage('Data storage')).toThrow(/aws:RequestedRegion/);
  });

  test('an unknown page throws with the closest names', () => {
    expect(() => expect(admin).toGrantConsolePage('Data storag')).toThrow(UnknownCatalogEntryError);
    expect(() => expect(admin).toGrantConsolePage('Data storag')).toThrow(/Data storage/);
  });

  test.each(notSubjects)('refuses %s as the received value', (_label, subject) => {
    expect(() => expect(subject).toGrantConsolePage('Data storage')).toThrow(UsageError);
  });

  test('refuses a wrong option name', () => {
    // @ts-expect-error wrong option name on purpose
    expect(() => expect(admin).toGrantConsolePage('Data storage', { resources: 'arn:aws:connect:*:*:instance/*' })).toThrow(/unknown option 'resources'/);
  });
});

describe('.not.toGrantConsolePage', () => {
  test('passes when no task on the page is granted', () => {
    expect(unrelated).not.toGrantConsolePage('Data storage');
    expect(viewer).not.toGrantConsolePage('Federations');
    expect(role(viewer)).not.toGrantConsolePage('Flows');
  });

  test('fails while any task on the page is granted (read strictly: not "some task missing")', () => {
    const message = failureOf(() => expect(viewer).not.toGrantConsolePage('Data storage'));
    expect(message).toMatch(/no task on console page "Data storage" granted/);
    expect(message).toMatchSnapshot();
  });

  test('fails on conditional', () => {
    expect(() => expect(regionBound).not.toGrantConsolePage('Data storage')).toThrow(/not certain/);
  });

  test('an unknown page throws, never passes', () => {
    expect(() => expect(unrelated).not.toGrantConsolePage('Data storag')).toThrow(UnknownCatalogEntryError);
  });

  test('an unknown part fails it where it can change the answer, and only there', () => {
    expect(() => expect(roleWithUnresolvedPolicy()).not.toGrantConsolePage('Federations')).toThrow(/SharedPolicy/);
    // An unresolved Resource on an s3:GetObject statement: no Federations task needs s3:GetObject.
    expect(roleWithUnresolvedValue()).not.toGrantConsolePage('Federations');
  });
});
