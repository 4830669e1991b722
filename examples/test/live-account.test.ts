/**
 * The live account: a snapshot made with `aws iam get-account-authorization-details` (here
 * examples/account/account.json) loads into the same principals as the templates, so the same
 * matchers run on it, and toMatchAccount says whether the account still holds what the repo says.
 */
import 'jest-connect-iam/matchers';
import * as path from 'node:path';
import { loadAccountAuthorizationDetails, loadTemplate } from 'jest-connect-iam';

const account = loadAccountAuthorizationDetails(path.join(__dirname, '../account/account.json'));
const repo = loadTemplate(path.join(__dirname, '../infra/connect-access.yaml'));

describe('the account snapshot', () => {
  test('the account holds what the template says', () => {
    expect(repo.principal('ConnectAuditorRole')).toMatchAccount(account.principal('connect-auditor-prod'));
    expect(repo.principal('ConnectAdminRole')).toMatchAccount(account.principal('connect-admin-prod'));
  });

  test('the same matchers run on the account', () => {
    expect(account.principal('connect-auditor-prod')).toBeReadOnly();
    expect(account.principal('connect-admin-prod')).toGrantConsoleTask('Overview', 'Create service-linked role');
  });

  test('principals are selected by name, ARN, path or tag', () => {
    expect(account.select({ tags: { 'access-level': 'read-only' } }).map((p) => p.name)).toEqual(['connect-auditor-prod']);
    expect(account.principal('arn:aws:iam::111122223333:role/connect-admin-prod').name).toBe('connect-admin-prod');
  });
});
