/** Matchers on principals loaded from a CloudFormation template (src/loaders). */
import path from 'node:path';
import { loadTemplate } from '../../src/loaders';
import { failureOf } from './helpers';

const template = loadTemplate(path.join(__dirname, 'fixtures', 'connect-roles.yaml'));

describe('.toGrantConsoleTask on a loaded principal', () => {
  test('an AWS managed policy ARN resolves offline', () => {
    expect(template.principal('AuditorRole')).toGrantConsoleTask('Data storage', 'View call recording');
    expect(template.principal('AuditorRole')).toBeReadOnly();
    expect(template.principal('AuditorRole')).toStayWithin('AmazonConnectReadOnlyAccess');
  });

  test('a failure names the template file and line of the deciding statement', () => {
    const message = failureOf(() => expect(template.principal('StorageAdminRole')).toGrantConsoleTask('Data storage', 'Edit call recording'));
    expect(message).toMatch(/connect:DisassociateInstanceStorageConfig \(own\): explicitly denied/);
    expect(message).toMatch(/connect-roles\.yaml:\d+\) Statement\[2\] "NoRecordingDeletes"/);
  });
});

describe('.not.toX on a loaded principal with unresolved parts', () => {
  const app = template.principal('AppRole');

  test('an !ImportValue managed policy ARN makes every negative matcher fail', () => {
    expect(() => expect(app).not.toGrantConsoleTask('Data storage', 'Edit call recording')).toThrow(/SharedReadPolicyArn/);
    expect(() => expect(app).not.toAllowAction('connect:UpdateInstanceAttribute')).toThrow(/SharedReadPolicyArn/);
    expect(() => expect(app).toBeReadOnly()).toThrow(/SharedReadPolicyArn/);
    expect(() => expect(app).toStayWithin('AmazonConnectReadOnlyAccess')).toThrow(/SharedReadPolicyArn/);
  });

  test('and a positive one cannot pass either (the unknown policy could deny)', () => {
    const message = failureOf(() => expect(app).toAllowAction('s3:GetObject'));
    expect(message).toMatch(/depends on: unresolved policy "!ImportValue SharedReadPolicyArn"/);
    expect(message).toMatch(/SharedReadPolicyArn/);
  });
});
