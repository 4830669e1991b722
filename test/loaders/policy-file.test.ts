/** loadPolicyFile: documents, lists, and what the AWS CLI prints. */
import { PolicySourceError } from '../../src/errors';
import { loadPolicyFile } from '../../src/loaders';
import { fixture, tempFile } from './helpers';

describe('loadPolicyFile', () => {
  test('a JSON document: principal kind policy-file, statements with lines', () => {
    const p = loadPolicyFile(fixture('policies', 'connect-admin.json'));
    expect(p).toMatchObject({ kind: 'policy-file', id: 'connect-admin.json', file: fixture('policies', 'connect-admin.json') });
    expect(p.policies).toHaveLength(1);
    const pol = p.policies[0]!;
    expect(pol).toMatchObject({ name: 'connect-admin.json', origin: 'file', source: { line: 1, column: 1, path: '' } });
    expect(pol.locations!['Statement[0]']).toMatchObject({ line: 4, column: 5, path: 'Statement[0]' });
    expect(pol.locations!['Statement[1].NotResource']).toMatchObject({ line: 14, column: 7, path: 'Statement[1].NotResource' });
    expect(pol.locations!['Statement[1].Condition']).toMatchObject({ line: 15 });
  });

  test('the same document in YAML reads the same (Version stays a string)', () => {
    const json = loadPolicyFile(fixture('policies', 'connect-admin.json'));
    const yaml = loadPolicyFile(fixture('policies', 'connect-admin.yaml'));
    expect(yaml.policies[0]!.document).toEqual(json.policies[0]!.document);
    expect(yaml.policies[0]!.locations!['Statement[1].NotResource']).toMatchObject({ line: 13, column: 5 });
  });

  test('a list of documents', () => {
    const p = loadPolicyFile(fixture('policies', 'list.json'));
    expect(p.policies.map((x) => x.name)).toEqual(['list.json[0]', 'list.json[1]']);
    expect(p.policies[0]!.locations!.Statement).toMatchObject({ line: 2, path: '[0].Statement' });
    expect(p.policies[1]!.locations!['Statement[0]']).toMatchObject({ line: 3, path: '[1].Statement[0]' });
  });

  test('`aws iam get-policy-version` output: URL-encoded Document, and Document as an object', () => {
    const enc = loadPolicyFile(fixture('policies', 'get-policy-version.json'));
    expect(enc.policies[0]!.document).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:DescribeUser', Resource: '*' }] });
    expect(enc.policies[0]!.locations!['Statement[0]']).toMatchObject({ line: 3, path: 'PolicyVersion.Document' });
    const obj = loadPolicyFile(fixture('policies', 'get-policy-version-object.json'));
    expect(obj.policies[0]!.document).toEqual(enc.policies[0]!.document);
    expect(obj.policies[0]!.locations!['Statement[0]']).toMatchObject({ path: 'PolicyVersion.Document.Statement[0]' });
  });

  test('`aws iam get-role-policy` output', () => {
    const p = loadPolicyFile(fixture('policies', 'get-role-policy.json'));
    expect(p.policies[0]).toMatchObject({ name: 'agent-inline', origin: 'file' });
  });

  test('`aws iam get-policy` output: an AWS managed policy resolves, a customer one is unresolved', () => {
    expect(loadPolicyFile(fixture('policies', 'get-policy.json')).policies[0]).toMatchObject({ name: 'AmazonConnectReadOnlyAccess', origin: 'managed-arn' });
    const c = loadPolicyFile(fixture('policies', 'get-policy-customer.json')).policies[0]!;
    expect(c.document).toBeUndefined();
    expect(c.unresolved).toMatch(/registerManagedPolicy/);
  });

  test('a template or something else is refused with a clear error', () => {
    expect(() => loadPolicyFile(fixture('templates', 'attachments.yaml'))).toThrow(/CloudFormation template, not a policy document: use loadTemplate\(\)/);
    expect(() => loadPolicyFile(fixture('other', 'package.json'))).toThrow(/not a policy document/);
    expect(() => loadPolicyFile(fixture('other', 'deployment.yaml'))).toThrow(PolicySourceError);
    expect(() => loadPolicyFile(fixture('nope.json'))).toThrow(/cannot read file: ENOENT/);
    expect(() => loadPolicyFile(fixture('policies'))).toThrow(/is a directory/);
  });

  test('grammar errors: a Version that is not a policy version, Statement missing, a statement that is not an object', () => {
    expect(() => loadPolicyFile(tempFile('p.json', '{"Version": "2012-10-18", "Statement": []}'))).toThrow(/Version must be "2012-10-17"/);
    expect(() => loadPolicyFile(tempFile('p.json', '{"Version": "2012-10-17", "Statement": ["x"]}'))).toThrow(/a statement must be an object/);
    expect(() => loadPolicyFile(tempFile('p.json', '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": 3, "Resource": "*"}]}'))).toThrow(/Action must be a string or a list of strings/);
  });
});
