/**
 * toMatchAccount on the drift fixture pair (test/fixtures/drift): a repo role against the account's
 * role of the same name. Passes only when nothing differs with certainty; `.not` only when a
 * difference is certain; an unknown side fails both.
 */
import * as path from 'node:path';
import { loadAccountAuthorizationDetails, loadTemplate } from '../../src';

const PAIR = path.join(__dirname, '..', 'fixtures', 'drift');
const account = loadAccountAuthorizationDetails(path.join(PAIR, 'account.json'));
const repo = loadTemplate(path.join(PAIR, 'repo', 'infra', 'connect.yaml'));

const failure = (fn: () => void): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message.replace(/\u001b\[[0-9;]*m/g, '');
  }
  throw new Error('expected the assertion to fail');
};

describe('toMatchAccount', () => {
  test('an unchanged role matches; .not fails with "the same policy documents"', () => {
    expect(repo.principal('ConnectAdminRole')).toMatchAccount(account.principal('connect-admin'));
    expect(failure(() => expect(repo.principal('ConnectAdminRole')).not.toMatchAccount(account.principal('connect-admin')))).toMatch(/Received: the same policy documents as the account/);
  });

  test('access added in the account: fails with the differences as evidence; .not passes', () => {
    const msg = failure(() => expect(repo.principal('ConnectAuditorRole')).toMatchAccount(account.principal('connect-auditor')));
    expect(msg).toMatch(/expect\(received\)\.toMatchAccount\(accountPrincipal\)/);
    expect(msg).toMatch(/Expected: grants what arn:aws:iam::111122223333:role\/connect-auditor grants in the account/);
    expect(msg).toMatch(/Received: The account grants 2 console tasks the repo does not: Telephony \/ Enable\/disable telephony options/);
    expect(msg).toMatch(/Differences:\n {2}console tasks only the account grants: .*\n {2}non-read actions only the account allows: connect:UpdateInstanceAttribute\n {2}the account allows beyond the repo: connect:UpdateInstanceAttribute/);
    expect(msg).toMatch(/policies only in the account: IncidentHotfix/);
    expect(repo.principal('ConnectAuditorRole')).not.toMatchAccount(account.principal('connect-auditor'));
  });

  test('access removed in the account', () => {
    const msg = failure(() => expect(repo.principal('StorageAdminRole')).toMatchAccount(account.principal('connect-storage-admin')));
    expect(msg).toMatch(/console tasks only the repo grants: Data storage \/ Edit call recording/);
    expect(msg).toMatch(/the repo allows beyond the account: kms:CreateGrant/);
    expect(repo.principal('StorageAdminRole')).not.toMatchAccount(account.principal('connect-storage-admin'));
  });

  test('an unknown repo value fails both directions and says it is unknown, not drift', () => {
    const pos = failure(() => expect(repo.principal('ExportRole')).toMatchAccount(account.principal('connect-export')));
    const neg = failure(() => expect(repo.principal('ExportRole')).not.toMatchAccount(account.principal('connect-export')));
    for (const msg of [pos, neg]) {
      expect(msg).toMatch(/The answer is not certain, so this fails both with and without \.not/);
      expect(msg).toMatch(/unknown \(not drift; one side is conditional or unknown\): s3:PutObject/);
      expect(msg).toMatch(/unknown parts of the repo side:\n {4}1\. policy "export" Statement\[0\]\.Resource: unresolved value !Sub/);
    }
  });

  test('an account principal with a document missing from the dump is unknown too', () => {
    const dump = loadAccountAuthorizationDetails(path.join(__dirname, '..', 'loaders', 'account', 'fixtures', 'merged.json'));
    const role = dump.principal('MissingPolicyRole');
    expect(failure(() => expect({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:List*', Resource: '*' }] }).not.toMatchAccount(role))).toMatch(/unknown parts of the account side:\n {4}1\. policy "FilteredOut": document unknown/);
  });

  test('a wrong argument is a usage error, not a failed assertion', () => {
    expect(() => expect(repo.principal('ConnectAdminRole')).toMatchAccount('connect-admin' as never)).toThrow(/accountPrincipal value must be a policy subject/);
  });
});
