/**
 * loadAccountAuthorizationDetails: `aws iam get-account-authorization-details` output as principals.
 * Fixtures: merged.json (CLI output, documents decoded), pages-url-encoded.json (the same account as
 * two API pages with IsTruncated/Marker and URL-encoded documents), truncated.json (only the first page).
 *
 * AWS's reference for the shape: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * ("The policy documents returned are URL-encoded compliant with RFC 3986"; GroupList holds group names;
 * PolicyVersionList with IsDefaultVersion), and for service-linked roles
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html (path /aws-service-role/).
 */
import * as path from 'node:path';
import {
  PolicySourceError,
  UnknownNameError,
  UsageError,
  checkConsoleTask,
  checkReadOnly,
  evaluate,
  loadAccountAuthorizationDetails,
  loadFile,
  managedPolicy,
  type LoadedAccount,
} from '../../../src';
import { renderEvaluationEvidence } from '../../../src/report/evidence';
import { tempFile } from '../helpers';

const fixture = (name: string): string => path.join(__dirname, 'fixtures', name);
const A = '123456789012';

describe.each([
  ['merged.json (CLI output, decoded documents)', 'merged.json', 1],
  ['pages-url-encoded.json (two API pages, URL-encoded documents)', 'pages-url-encoded.json', 2],
])('%s', (_label, file, pages) => {
  let account: LoadedAccount;
  beforeAll(() => {
    account = loadAccountAuthorizationDetails(fixture(file));
  });

  test('reads every role, user and group, with the account id and page count', () => {
    expect(account.pages).toBe(pages);
    expect(account.account).toBe(A);
    expect(account.roles.map((p) => p.name)).toEqual([
      'ConnectAdminRole',
      'ConnectAuditorRole',
      'BoundedAgentRole',
      'MissingBoundaryRole',
      'MissingPolicyRole',
      'AWSServiceRoleForAmazonConnect_abc123',
    ]);
    expect(account.users.map((p) => p.name)).toEqual(['alice', 'ops']);
    expect(account.groups.map((p) => p.name)).toEqual(['ConnectAdmins', 'ops']);
    expect(account.principals).toHaveLength(10);
    const admin = account.principal('ConnectAdminRole');
    expect(admin).toMatchObject({ kind: 'role', id: `arn:aws:iam::${A}:role/ConnectAdminRole`, arn: `arn:aws:iam::${A}:role/ConnectAdminRole`, path: '/', tags: { 'access-level': 'admin' } });
    expect(admin.lastUsed).toEqual({ date: '2026-11-30T08:15:00Z', region: 'eu-west-2' });
    expect(admin.serviceLinked).toBeUndefined();
  });

  test('inline policies and the default version of attached managed policies; evaluation works on them', () => {
    const admin = account.principal('ConnectAdminRole');
    expect(admin.policies.map((p) => [p.name, p.origin, p.versionId])).toEqual([
      ['EditCallRecording', 'inline', undefined],
      ['AmazonConnect_FullAccess', 'managed-arn', 'v3'],
    ]);
    expect(checkConsoleTask(admin, 'Data storage', 'Edit call recording').granted).toBe('yes');
    // The boundary (v2, the default; v1 allowed "*") cuts everything but connect:* and ds:DescribeDirectories.
    const bounded = account.principal('BoundedAgentRole');
    expect(bounded.permissionsBoundary).toMatchObject({ name: 'ConnectOnlyBoundary', origin: 'permissions-boundary', versionId: 'v2' });
    expect(evaluate(bounded, 'connect:CreateInstance').decision).toBe('allowed');
    expect(evaluate(bounded, 'kinesis:ListStreams').decision).toBe('implicitDeny');
    expect(evaluate(admin, 'kinesis:ListStreams').decision).toBe('allowed');
  });

  test('the account default version of an AWS managed policy is used when it differs from the bundled one, and the difference is reported', () => {
    const admin = account.principal('ConnectAdminRole');
    const full = admin.policies[1]!;
    expect(managedPolicy('AmazonConnect_FullAccess').versionId).toBe('v4');
    // v4 adds iam:CreateServiceLinkedRole for profile.amazonaws.com; the account's v3 does not have it.
    expect(JSON.stringify(full.document)).not.toContain('profile.amazonaws.com');
    expect(account.managedPolicyDifferences).toEqual([
      { name: 'AmazonConnect_FullAccess', arn: 'arn:aws:iam::aws:policy/AmazonConnect_FullAccess', accountVersion: 'v3', bundledVersion: 'v4', sameDocument: false },
    ]);
    expect(account.notes.find((n) => n.kind === 'managed-policy-version')?.message).toMatch(/default version is v3, the bundled one v4; the account's document is used/);
  });

  test('an AWS managed policy attached but missing from the file resolves from the bundled set, with a note', () => {
    const auditor = account.principal('ConnectAuditorRole');
    expect(auditor.path).toBe('/auditors/');
    expect(auditor.policies).toEqual([expect.objectContaining({ name: 'AmazonConnectReadOnlyAccess', versionId: 'v4', document: managedPolicy('AmazonConnectReadOnlyAccess').document })]);
    expect(auditor.policies[0]!.unresolved).toBeUndefined();
    expect(checkReadOnly(auditor).pass).toBe(true);
    const note = account.notes.find((n) => n.kind === 'bundled-managed-policy' && n.subject === 'AmazonConnectReadOnlyAccess');
    expect(note?.message).toMatch(/not in the dump: the bundled v4 version is used/);
  });

  test('a missing boundary or attached document is unresolved (fail-closed) and says why', () => {
    const noBoundary = account.principal('MissingBoundaryRole');
    expect(noBoundary.permissionsBoundary?.unresolved).toMatch(/DeletedBoundary is attached but not in the dump's Policies .*--filter/);
    // The read-only policy alone would be read-only: the unknown boundary makes nothing certain.
    expect(evaluate(noBoundary, 'connect:DescribeInstance').decision).toBe('conditional');
    const missing = account.principal('MissingPolicyRole');
    expect(missing.policies[0]).toMatchObject({ name: 'FilteredOut', unresolved: expect.stringMatching(/without its PolicyVersionList/) });
    expect(checkReadOnly(missing).pass).toBe(false);
    expect(checkReadOnly(missing).reasons.join(' ')).toMatch(/FilteredOut/);
    expect(account.notes.filter((n) => n.kind === 'missing-document').map((n) => n.subject)).toEqual([
      `arn:aws:iam::${A}:policy/DeletedBoundary`,
      `arn:aws:iam::${A}:policy/FilteredOut`,
      'group Departed',
    ]);
  });

  test("group membership maps GroupList names through GroupDetailList; a group not in the file is unresolved", () => {
    const alice = account.principal('alice');
    expect(alice.policies.map((p) => [p.name, p.origin])).toEqual([
      ['AliceSupport', 'inline'],
      ['EditCallRecording (group ConnectAdmins)', 'group'],
      ['AmazonConnect_FullAccess (group ConnectAdmins)', 'group'],
      ['group Departed', 'group'],
    ]);
    expect(alice.policies[3]!.unresolved).toMatch(/group Departed, which is not in the dump's GroupDetailList/);
    expect(alice.tags).toEqual({ team: 'contact-centre' });
    expect(alice.path).toBe('/people/');
  });

  test('service-linked roles (path /aws-service-role/) are marked', () => {
    const slr = account.principal('AWSServiceRoleForAmazonConnect_abc123');
    expect(slr.serviceLinked).toBe(true);
    expect(account.principals.filter((p) => p.serviceLinked).map((p) => p.name)).toEqual(['AWSServiceRoleForAmazonConnect_abc123']);
    expect(slr.policies[0]).toMatchObject({ name: 'AmazonConnectServiceLinkedRolePolicy', arn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonConnectServiceLinkedRolePolicy' });
  });

  test('selection by name, ARN, path and tag', () => {
    const names = (ps: readonly { name?: string }[]): Array<string | undefined> => ps.map((p) => p.name);
    expect(names(account.select({ name: 'Connect*Role' }))).toEqual(['ConnectAdminRole', 'ConnectAuditorRole']);
    expect(names(account.select({ arn: `arn:aws:iam::${A}:user/*` }))).toEqual(['alice', 'ops']);
    expect(names(account.select({ path: '/aws-service-role/' }))).toEqual(['AWSServiceRoleForAmazonConnect_abc123']);
    expect(names(account.select({ tags: { 'access-level': 'read-only' } }))).toEqual(['ConnectAuditorRole']);
    expect(names(account.select({ name: 'ops', kind: 'group' }))).toEqual(['ops']);
    expect(account.principal(`arn:aws:iam::${A}:group/ops`).kind).toBe('group');
    expect(() => account.select({ names: 'x' } as never)).toThrow(/Unknown selector key 'names': did you mean 'name'/);
  });

  test('a name shared by a user and a group is ambiguous; an unknown name suggests the closest', () => {
    expect(() => account.principal('ops')).toThrow(UsageError);
    expect(() => account.principal('ops')).toThrow(/names 2 principals .*user arn:aws:iam::123456789012:user\/ops, group arn:aws:iam::123456789012:group\/ops.*use the ARN/);
    expect(() => account.principal('ConnectAdminRol')).toThrow(UnknownNameError);
    expect(() => account.principal('ConnectAdminRol')).toThrow(/did you mean 'ConnectAdminRole'/);
  });

  test("evidence names the policy, its version and where the statement is in the dump", () => {
    const admin = account.principal('ConnectAdminRole');
    const lines = renderEvaluationEvidence(evaluate(admin, 'connect:CreateInstance'));
    expect(lines[1]).toMatch(new RegExp(`policy "AmazonConnect_FullAccess" v3 \\(.*${file.replace('.', '\\.')}:\\d+\\) Statement\\[0\\]: Allow; Action "connect:\\*" matched`));
    expect(admin.id).toBe(`arn:aws:iam::${A}:role/ConnectAdminRole`);
  });
});

test('the merged document has statement lines from the dump itself', () => {
  const account = loadAccountAuthorizationDetails(fixture('merged.json'));
  const r = evaluate(account.principal('ConnectAdminRole'), 'kms:CreateGrant');
  expect(r.statements[0]!.location).toMatchObject({ line: expect.any(Number), path: 'RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement[0]' });
});

test('a dump whose last page says IsTruncated: true is read, noted as incomplete, and what is missing is unresolved', () => {
  const account = loadAccountAuthorizationDetails(fixture('truncated.json'));
  expect(account.notes[0]).toMatchObject({ kind: 'truncated' });
  const bounded = account.principal('BoundedAgentRole');
  expect(bounded.permissionsBoundary?.unresolved).toMatch(/the dump is truncated/);
  expect(account.roles).toHaveLength(3);
});

describe('loadFile recognises a dump (scans check its principals)', () => {
  test.each(['merged.json', 'pages-url-encoded.json'])('%s', (file) => {
    const r = loadFile(fixture(file));
    expect(r.kind).toBe('account');
    expect(r.error).toBeUndefined();
    expect(r.principals).toHaveLength(10);
    expect(r.account?.managedPolicyDifferences).toHaveLength(1);
  });

  test('a dump with a typo in a top-level key is an error, not "not a template"', () => {
    const file = tempFile('dump.json', JSON.stringify({ RoleDetailList: [], Polices: [] }));
    const r = loadFile(file);
    expect(r.kind).toBe('account');
    expect(r.error?.message).toMatch(/unexpected key 'Polices' .*did you mean 'Policies'/);
  });
});

describe('bad input is a typed error with the JSON path', () => {
  const bad = (value: unknown): PolicySourceError => {
    const file = tempFile('dump.json', JSON.stringify(value, null, 2));
    try {
      loadAccountAuthorizationDetails(file);
    } catch (e) {
      expect(e).toBeInstanceOf(PolicySourceError);
      return e as PolicySourceError;
    }
    throw new Error('expected an error');
  };
  const role = (extra: Record<string, unknown>): Record<string, unknown> => ({ RoleName: 'R', Arn: `arn:aws:iam::${A}:role/R`, Path: '/', ...extra });

  test.each<[string, unknown, RegExp, string | undefined]>([
    ['a list that is not a list', { RoleDetailList: {} }, /RoleDetailList must be a list/, 'RoleDetailList'],
    ['a role without a name', { RoleDetailList: [{ Arn: 'x' }] }, /missing RoleName/, 'RoleDetailList[0]'],
    ['a role name that is a number', { RoleDetailList: [{ RoleName: 5, Arn: 'x' }] }, /RoleName must be a string/, 'RoleDetailList[0].RoleName'],
    ['an inline policy without a document', { RoleDetailList: [role({ RolePolicyList: [{ PolicyName: 'P' }] })] }, /inline policy P has no PolicyDocument/, 'RoleDetailList[0].RolePolicyList[0]'],
    [
      'a document that is neither JSON nor URL-encoded JSON',
      { RoleDetailList: [role({ RolePolicyList: [{ PolicyName: 'P', PolicyDocument: '%E0%A4%A' }] })] },
      /neither JSON nor URL-encoded JSON/,
      'RoleDetailList[0].RolePolicyList[0].PolicyDocument',
    ],
    [
      'an invalid statement inside a URL-encoded document',
      { RoleDetailList: [role({ RolePolicyList: [{ PolicyName: 'P', PolicyDocument: encodeURIComponent('{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}') }] })] },
      /Effect/,
      undefined,
    ],
    ['GroupList entries that are not names', { UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${A}:user/u`, GroupList: [{ GroupName: 'g' }] }] }, /GroupList holds group names/, 'UserDetailList[0].GroupList[0]'],
    [
      'two default versions',
      { Policies: [{ PolicyName: 'P', Arn: `arn:aws:iam::${A}:policy/P`, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: {} }, { VersionId: 'v2', IsDefaultVersion: true, Document: {} }] }] },
      /more than one version marked IsDefaultVersion/,
      'Policies[0].PolicyVersionList[1].IsDefaultVersion',
    ],
    [
      'DefaultVersionId disagreeing with IsDefaultVersion',
      { Policies: [{ PolicyName: 'P', Arn: `arn:aws:iam::${A}:policy/P`, DefaultVersionId: 'v2', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Statement: [] } }] }] },
      /DefaultVersionId is v2 but the version marked IsDefaultVersion is v1/,
      'Policies[0].DefaultVersionId',
    ],
    ['a page that is not a page', [{ RoleDetailList: [] }, 7], /each page must be an object/, '[1]'],
    ['IsTruncated that is not a boolean', { RoleDetailList: [], IsTruncated: 'no' }, /IsTruncated must be true or false/, 'IsTruncated'],
    ['a boundary that is not an object', { RoleDetailList: [role({ PermissionsBoundary: 'arn:aws:iam::aws:policy/X' })] }, /PermissionsBoundary must be an object/, 'RoleDetailList[0].PermissionsBoundary'],
  ])('%s', (_name, value, message, jsonPath) => {
    const e = bad(value);
    expect(e.message).toMatch(message);
    if (jsonPath !== undefined) expect(e.path).toBe(jsonPath);
    expect(e.file).toMatch(/dump\.json$/);
    expect(e.line).toEqual(expect.any(Number));
  });

  test('a file that is not a dump', () => {
    expect(bad({ Version: '2012-10-17', Statement: [] }).message).toMatch(/not an account authorization details dump/);
  });

  test('invalid JSON keeps the parser position', () => {
    const file = tempFile('dump.json', '{"RoleDetailList": [,]}');
    expect(() => loadAccountAuthorizationDetails(file)).toThrow(/dump\.json:1:\d+: RoleDetailList\[0\]: invalid JSON/);
  });
});
