/**
 * The real dumps in ../shared/corpus/account-authorization (see its SOURCES.md) load, with a table of
 * the principals and policies found. Skipped, with the reason in the test name, when ../shared is absent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkReadOnly, evaluate, loadAccountAuthorizationDetails, loadFile } from '../../../src';

const DIR = path.resolve(__dirname, '../../../../shared/corpus/account-authorization');
const present = fs.existsSync(DIR);
const corpus = (name: string, fn: () => void): void => {
  if (present) test(name, fn);
  else test.skip(`${name} [skipped: needs ../shared/corpus/account-authorization next to the repo]`, fn);
};

/** [file, account, roles, users, groups, Policies[], AWS managed among them, service-linked roles, roles with RoleLastUsed, attachments on principals, notes by kind] */
const TABLE: ReadonlyArray<readonly [string, string, number, number, number, number, number, number, number, number, Record<string, number>]> = [
  ['salesforce__cloudsplaining__examples__files__example.json', '200611803367', 75, 41, 3, 56, 12, 8, 25, 135, { 'managed-policy-version': 10 }],
  ['salesforce__cloudsplaining__test__files__example-authz-details.json', '012345678901', 3, 3, 2, 32, 30, 0, 1, 15, { 'managed-policy-version': 18 }],
  ['salesforce__cloudsplaining__test__files__example_authz_v2.json', '012345678901', 2, 1, 1, 2, 0, 0, 0, 4, { 'bundled-managed-policy': 1 }],
];

describe('the corpus dumps (needs ../shared)', () => {
  for (const [file, account, roles, users, groups, policies, aws, slr, lastUsed, attachments, notes] of TABLE) {
    corpus(`${file}: ${roles} roles, ${users} users, ${groups} groups, ${policies} managed policies`, () => {
      const a = loadAccountAuthorizationDetails(path.join(DIR, file));
      const byKind: Record<string, number> = {};
      for (const n of a.notes) byKind[n.kind] = (byKind[n.kind] ?? 0) + 1;
      expect([a.account, a.roles.length, a.users.length, a.groups.length, a.policies.length, a.policies.filter((p) => p.owner === 'aws').length, a.roles.filter((r) => r.serviceLinked).length, a.roles.filter((r) => r.lastUsed).length, a.principals.reduce((n, p) => n + p.policies.length, 0), byKind]).toEqual([
        account, roles, users, groups, policies, aws, slr, lastUsed, attachments, notes,
      ]);
      // Every attached policy of these dumps is resolved (in the file or bundled): nothing is unknown.
      expect(a.principals.flatMap((p) => p.policies.filter((x) => x.unresolved !== undefined))).toEqual([]);
      expect(loadFile(path.join(DIR, file)).kind).toBe('account');
    });
  }

  corpus('example_authz_v2: AdministratorAccess, attached to the group but not in Policies, comes from the bundle', () => {
    const a = loadAccountAuthorizationDetails(path.join(DIR, 'salesforce__cloudsplaining__test__files__example_authz_v2.json'));
    const user = a.principal('BlakeBortles');
    expect(user.policies.map((p) => [p.name, p.origin, p.versionId])).toEqual([['AdministratorAccess (group GOAT)', 'group', 'v1']]);
    expect(evaluate(user, 'iam:CreateUser').decision).toBe('allowed');
    expect(a.notes[0]!.message).toMatch(/AdministratorAccess is attached but it is not in the dump: the bundled v1 version is used/);
  });

  corpus('example-authz-details: a user and a group share the name biden; the user inherits the group', () => {
    const a = loadAccountAuthorizationDetails(path.join(DIR, 'salesforce__cloudsplaining__test__files__example-authz-details.json'));
    expect(() => a.principal('biden')).toThrow(/names 2 principals/);
    const user = a.select({ name: 'biden', kind: 'user' })[0]!;
    expect(user.policies.map((p) => p.name)).toEqual(['InsecureUserPolicy', 'AWSLambdaFullAccess', 'InlinePolicyForBidenGroup (group biden)', 'AmazonRDSFullAccess (group biden)']);
    // AWSCodeCommitPowerUser has two versions in the file; only the default one is evaluated.
    const codeCommit = a.policies.find((p) => p.name === 'AWSCodeCommitPowerUser')!;
    expect(codeCommit.versions).toHaveLength(2);
    expect(checkReadOnly(user).pass).toBe(false);
  });

  corpus('example.json: the 8 service-linked roles are marked and selectable by path', () => {
    const a = loadAccountAuthorizationDetails(path.join(DIR, 'salesforce__cloudsplaining__examples__files__example.json'));
    const slr = a.select({ path: '/aws-service-role/' });
    expect(slr).toHaveLength(8);
    expect(slr.every((r) => r.serviceLinked === true && r.kind === 'role')).toBe(true);
  });
});
