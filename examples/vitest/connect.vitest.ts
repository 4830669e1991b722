/**
 * The matchers in Vitest: `import { matchers } from 'jest-connect-iam/matchers'` has no side effect
 * outside Jest, and `expect.extend(matchers)` registers them on Vitest's expect.
 */
import { describe, expect, test } from 'vitest';
import * as path from 'node:path';
import { matchers, type ConnectIamMatchers } from 'jest-connect-iam/matchers';
import { loadTemplate, managedPolicy } from 'jest-connect-iam';

expect.extend(matchers);

// The same typings interface, merged into Vitest's Assertion.
declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends ConnectIamMatchers<void> {}
}

const template = loadTemplate(path.join(__dirname, '../infra/connect-access.yaml'));

describe('jest-connect-iam matchers under Vitest', () => {
  test('toGrantConsoleTask and .not', () => {
    const auditor = template.principal('ConnectAuditorRole');
    expect(auditor).toGrantConsoleTask('Data storage', 'View call recording');
    expect(auditor).not.toGrantConsoleTask('Data storage', 'Edit call recording');
  });

  test('toBeReadOnly and toStayWithin', () => {
    expect(managedPolicy('AmazonConnectReadOnlyAccess')).toBeReadOnly();
    expect(template.principal('ConnectAuditorRole')).toStayWithin('AmazonConnectReadOnlyAccess');
  });

  test('a failing assertion throws with the evidence', () => {
    const admin = template.principal('ConnectAdminRole');
    expect(() => expect(admin).toGrantConsoleTask('Home', 'Create instance')).toThrow(/kms:CreateGrant/);
  });

  test('an unknown task throws with a suggestion, also under .not', () => {
    const admin = template.principal('ConnectAdminRole');
    expect(() => expect(admin).not.toGrantConsoleTask('Data storage', 'Edit call recordings')).toThrow(
      /did you mean 'Edit call recording'/,
    );
  });
});
