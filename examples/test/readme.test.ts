/**
 * The README's examples, run. test/readme.test.ts checks that every ```ts block of the README
 * appears, line for line, in a file of examples/test/, so an example that stops working fails here.
 */
import 'jest-connect-iam/matchers';
import * as path from 'node:path';
import { evaluate, checkConsoleTask, findTask, catalog, managedPolicy, registerManagedPolicy } from 'jest-connect-iam';
import { loadPolicyFile, loadTemplate, loadFile } from 'jest-connect-iam';

const repoRoot = path.join(__dirname, '../..');

describe('the three lines at the top of the README', () => {
  const template = loadTemplate(path.join(__dirname, '../infra/connect-access.yaml'));
  const adminRole = template.principal('StorageAdminRole');
  const auditorRole = template.principal('ConnectAuditorRole');

  test('run as written', () => {
expect(adminRole).toGrantConsoleTask('Data storage', 'Edit call recording');
expect(auditorRole).toBeReadOnly();
expect(auditorRole).toStayWithin('AmazonConnectReadOnlyAccess');
  });
});

describe('The engine', () => {
  test('the example runs and its comments are true', () => {
const readOnly = managedPolicy('AmazonConnectReadOnlyAccess'); // { name, arn, versionId, createDate, document, owner }
evaluate(readOnly, 'connect:DescribeInstance');              // { decision: 'allowed', reasons, statements, closest, dependsOn }
evaluate(readOnly, 'connect:AdminGetEmergencyAccessToken');  // decision 'explicitDeny', statements: the Deny with its Sid
checkConsoleTask(readOnly, 'Data storage', 'View call recording'); // { granted: 'yes' | 'no' | 'conditional', actions: [...] }

    expect(readOnly).toMatchObject({ name: 'AmazonConnectReadOnlyAccess', owner: 'aws' });
    expect(evaluate(readOnly, 'connect:DescribeInstance').decision).toBe('allowed');
    const denied = evaluate(readOnly, 'connect:AdminGetEmergencyAccessToken');
    expect(denied.decision).toBe('explicitDeny');
    expect(denied.statements[0]?.sid).toBeTruthy();
    expect(checkConsoleTask(readOnly, 'Data storage', 'View call recording').granted).toBe('yes');
    expect(findTask('Data storage', 'Edit call recording').id).toBe('data-storage/call-recording/edit');
    expect(catalog.tasks).toHaveLength(45);
    expect(typeof registerManagedPolicy).toBe('function');
  });
});

describe('Loaders', () => {
  const cwd = process.cwd();
  beforeAll(() => process.chdir(repoRoot));
  afterAll(() => process.chdir(cwd));

  test('the example runs', () => {
const admin = loadTemplate('examples/infra/connect-access.yaml', {
  parameters: { Stage: 'prod' },
  pseudo: { AccountId: '123456789012' },
}).principal('ConnectAdminRole'); // logical id, physical name or CDK path; unknown -> error with the closest ids
const auditor = loadPolicyFile('examples/policies/connect-auditor.json'); // a document, a list, or get-policy-version output
const scanned = loadFile('examples/jest-connect-iam.rules.yaml'); // { kind: 'not-a-template', ... } for anything else

    expect(admin).toMatchObject({ kind: 'role', id: 'ConnectAdminRole', name: 'connect-admin-prod' });
    expect(auditor.kind).toBe('policy-file');
    expect(scanned.kind).toBe('not-a-template');
  });
});
