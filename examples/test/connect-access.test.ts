/**
 * What the people in infra/connect-access.yaml can do in the Amazon Connect console.
 * Every matcher, through the package's entry points.
 */
import 'jest-connect-iam/matchers';
import * as path from 'node:path';
import { loadPolicyFile, loadTemplate, managedPolicy } from 'jest-connect-iam';

const template = loadTemplate(path.join(__dirname, '../infra/connect-access.yaml'));

describe('ConnectAdminRole (AmazonConnect_FullAccess + the service-linked role statement)', () => {
  const admin = template.principal('ConnectAdminRole');

  test('can set up the service-linked role and switch telephony options', () => {
    expect(admin).toGrantConsoleTask('Overview', 'Create service-linked role');
    expect(admin).toGrantConsoleTask('Telephony', 'Enable/Disable telephony options');
  });

  test('cannot create an instance or edit call recording: FullAccess has no kms:CreateGrant', () => {
    expect(admin).not.toGrantConsoleTask('Home', 'Create instance');
    expect(admin).not.toGrantConsoleTask('Data storage', 'Edit call recording');
  });

  test('is not read-only', () => {
    expect(admin).not.toAllowAction('iam:CreateUser');
    expect(admin).toAllowAction('connect:UpdateInstanceAttribute');
  });
});

describe('ConnectAuditorRole (AmazonConnectReadOnlyAccess)', () => {
  const auditor = template.principal('connect-auditor-prod'); // by physical name

  test('is read-only and stays within the AWS read-only policy', () => {
    expect(auditor).toBeReadOnly();
    expect(auditor).toStayWithin('AmazonConnectReadOnlyAccess');
  });

  test('sees call recording settings but cannot change them', () => {
    expect(auditor).toGrantConsoleTask('Data storage', 'View call recording');
    expect(auditor).not.toGrantConsoleTask('Data storage', 'Edit call recording');
  });

  test('cannot use the emergency login', () => {
    expect(auditor).not.toGrantConsoleTask('Federations', 'Admin/Emergency federation');
    expect(auditor).not.toAllowAction('connect:AdminGetEmergencyAccessToken');
  });
});

describe('StorageAdminRole (customer managed policy by !Ref, guardrail under !If)', () => {
  const storage = template.principal('StorageAdminRole');

  test('manages every storage setting of the Data storage page', () => {
    expect(storage).toGrantConsolePage('Data storage');
  });

  test('is not a read-only role, unless its storage writes are accepted by name', () => {
    expect(storage).not.toBeReadOnly();
    expect(managedPolicy('AmazonConnectReadOnlyAccess')).toBeReadOnly();
  });
});

describe('policies/storage-admin.json (denies everything outside two regions)', () => {
  const storage = loadPolicyFile(path.join(__dirname, '../policies/storage-admin.json'));

  test('grants Edit call recording in eu-west-2', () => {
    expect(storage).toGrantConsoleTask('Data storage', 'Edit call recording', {
      context: { 'aws:RequestedRegion': 'eu-west-2' },
    });
  });

  test('is denied in us-east-1', () => {
    expect(storage).not.toGrantConsoleTask('Data storage', 'Edit call recording', {
      context: { 'aws:RequestedRegion': 'us-east-1' },
    });
  });

  test('without a region the answer depends on aws:RequestedRegion, so neither direction passes', () => {
    expect(() => expect(storage).toGrantConsoleTask('Data storage', 'Edit call recording')).toThrow(
      /aws:RequestedRegion/,
    );
    expect(() => expect(storage).not.toGrantConsoleTask('Data storage', 'Edit call recording')).toThrow(
      /aws:RequestedRegion/,
    );
  });
});

describe('policies/connect-auditor.json', () => {
  const auditor = loadPolicyFile(path.join(__dirname, '../policies/connect-auditor.json'));

  test('reads every page that needs only reads', () => {
    expect(auditor).toGrantConsoleTask('Home', 'Describe instance');
    expect(auditor).toGrantConsoleTask('Flows', 'View Lambda functions');
    expect(auditor).toBeReadOnly();
  });

  test('a typo in a task name is an error, never a pass, also under .not', () => {
    expect(() => expect(auditor).not.toGrantConsoleTask('Data storage', 'Edit call recordings')).toThrow(
      /did you mean 'Edit call recording'/,
    );
  });
});
