/** cdk.out directories and in-memory CDK stacks. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PolicySourceError, UnknownNameError, UsageError } from '../../src/errors';
import { fromCdkStack, loadCdkOut } from '../../src/loaders';
import { fixture } from './helpers';

describe('loadCdkOut', () => {
  const out = loadCdkOut(fixture('cdk.out'));

  test('every stack: top-level stacks, stage assemblies and nested stacks', () => {
    expect(out.stacks.map((s) => [s.stackName, s.nested, path.relative(fixture('cdk.out'), s.file)])).toEqual([
      ['ConnectStack', false, 'ConnectStack.template.json'],
      ['ProdConnectStack', false, path.join('assembly-Prod', 'ProdConnectStack.template.json')],
      ['ConnectStackNestedABCD1234', true, 'ConnectStackNestedABCD1234.nested.template.json'],
    ]);
    expect(out.principals.map((p) => p.id)).toEqual(['AgentRoleA1B2C3D4', 'AgentRoleA1B2C3D4', 'SupervisorRole1234ABCD']);
  });

  test('principal(): by Stack/LogicalId, construct path, physical name; an id in several stacks must name the stack', () => {
    const agent = out.principal('ConnectStack/AgentRoleA1B2C3D4');
    expect(agent.policies.map((p) => [p.origin, p.name])).toEqual([
      ['managed-arn', 'AWSLambdaBasicExecutionRole'],
      ['policy-resource', 'DefaultPolicy'],
    ]);
    expect(out.principal('ConnectStack/AgentRole')).toBe(agent);
    expect(out.principal('ConnectStack/AgentRole/Resource')).toBe(agent);
    expect(out.principal('supervisor').id).toBe('SupervisorRole1234ABCD');
    expect(out.principal('ProdConnectStack/AgentRoleA1B2C3D4').policies[0]!.name).toBe('AmazonConnectReadOnlyAccess');
    expect(() => out.principal('AgentRoleA1B2C3D4')).toThrow(UnknownNameError);
    expect(() => out.principal('AgentRoleA1B2C3D4')).toThrow(/in several stacks/);
    expect(() => out.principal('Supervisr')).toThrow(/did you mean/);
  });

  test('a directory without manifest.json is read template by template; a missing one is an error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-cdk-'));
    fs.copyFileSync(fixture('cdk.out', 'ConnectStack.template.json'), path.join(dir, 'ConnectStack.template.json'));
    const r = loadCdkOut(dir);
    expect(r.stacks.map((s) => s.stackName)).toEqual(['ConnectStack']);
    expect(r.warnings[0]).toMatch(/no manifest.json/);
    expect(() => loadCdkOut(path.join(dir, 'nope'))).toThrow(PolicySourceError);
  });

  test('a manifest that points outside the assembly is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-cdk-'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: '../../etc/passwd' } } } }));
    expect(() => loadCdkOut(dir)).toThrow(/points outside the cloud assembly/);
  });
});

describe('fromCdkStack', () => {
  test('anything but a Stack is a UsageError', () => {
    expect(() => fromCdkStack({})).toThrow(UsageError);
  });

  test('an in-memory stack is synthesised and read with its lines', () => {
    // aws-cdk-lib is a dev dependency here; for users it is an optional peer dependency.
    const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const iam = require('aws-cdk-lib/aws-iam') as typeof import('aws-cdk-lib/aws-iam');
    const app = new cdk.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'jci-cdk-app-')) });
    const stack = new cdk.Stack(app, 'AgentStack');
    const role = new iam.Role(stack, 'Agent', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName: 'agent-role' });
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonConnectReadOnlyAccess'));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['connect:StartOutboundVoiceContact'], resources: ['*'] }));
    const t = fromCdkStack(stack);
    const p = t.principal('AgentStack/Agent');
    expect(p).toBe(t.principal('agent-role'));
    expect(p.policies.map((x) => [x.origin, x.name])).toEqual([
      ['managed-arn', 'AmazonConnectReadOnlyAccess'],
      ['policy-resource', expect.stringMatching(/^AgentDefaultPolicy/)],
    ]);
    expect(p.policies[1]!.locations!['Statement[0]']!.line).toBeGreaterThan(1);
    expect(t.file.endsWith('AgentStack.template.json')).toBe(true);
  }, 60_000);
});

describe('fromCdkStack without aws-cdk-lib', () => {
  test('says how to install it', () => {
    jest.isolateModules(() => {
      jest.doMock('aws-cdk-lib', () => {
        throw new Error("Cannot find module 'aws-cdk-lib'");
      });
      const { fromCdkStack: isolated } = require('../../src/loaders') as typeof import('../../src/loaders');
      const errors = require('../../src/errors') as typeof import('../../src/errors');
      expect(() => isolated({})).toThrow(errors.UsageError);
      expect(() => isolated({})).toThrow(/needs aws-cdk-lib \(an optional peer dependency\): npm i -D aws-cdk-lib constructs/);
    });
  });
});
