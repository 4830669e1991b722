/**
 * Compile-only: the matcher typings in the jest-global style. Every call below either compiles or
 * is marked @ts-expect-error (and an unneeded @ts-expect-error is itself an error).
 */

import '../../../matchers';
import { managedPolicy } from '../../../src/managed';
import type { PolicyDocument, Principal } from '../../../src/policy/types';

declare const doc: PolicyDocument;
declare const role: Principal;

export function usage(): void {
  expect(doc).toGrantConsoleTask('Data storage', 'Edit call recording');
  expect(role).not.toGrantConsoleTask('Data storage', 'Edit call recording', { prerequisites: false });
  expect([doc, doc]).toGrantConsoleTask('Data storage', 'Edit call recording', { context: { 'aws:RequestedRegion': ['eu-west-2'] }, resource: '*' });
  expect(doc).toGrantConsolePage('Data storage');
  expect(doc).toGrantConsolePage('Data storage', { prerequisites: true });
  expect(doc).toAllowAction('connect:DescribeInstance', { resource: 'arn:aws:connect:eu-west-2:111122223333:instance/abc' });
  expect(managedPolicy('AmazonConnectReadOnlyAccess')).toBeReadOnly();
  expect(doc).toBeReadOnly({ allow: ['connect:UpdateInstanceAttribute'] });
  expect(doc).toStayWithin('AmazonConnectReadOnlyAccess');
  expect(doc).toStayWithin(managedPolicy('AmazonConnectReadOnlyAccess'), { allow: ['connect:Tag*'] });
  expect(doc).toStayWithin(role);
  expect(role).toMatchAccount(role);

  // @ts-expect-error missing task
  expect(doc).toGrantConsoleTask('Data storage');
  // @ts-expect-error wrong option name (prerequisite for prerequisites)
  expect(doc).toGrantConsoleTask('Data storage', 'Edit call recording', { prerequisite: false });
  // @ts-expect-error wrong option type
  expect(doc).toGrantConsoleTask('Data storage', 'Edit call recording', { prerequisites: 'no' });
  // @ts-expect-error wrong option name on a page
  expect(doc).toGrantConsolePage('Data storage', { resources: '*' });
  // @ts-expect-error missing action
  expect(doc).toAllowAction();
  // @ts-expect-error prerequisites is not an option of toAllowAction
  expect(doc).toAllowAction('connect:DescribeInstance', { prerequisites: false });
  // @ts-expect-error allow must be a list
  expect(doc).toBeReadOnly({ allow: 'connect:UpdateInstanceAttribute' });
  // @ts-expect-error missing baseline
  expect(doc).toStayWithin();
  // @ts-expect-error a number is not a baseline
  expect(doc).toStayWithin(42);
  // @ts-expect-error no such matcher
  expect(doc).toGrantConsoleTasks('Data storage', 'Edit call recording');
}

/** `as const` literals are PolicyDocuments (readonly arrays and objects), and a wrong one is still refused. */
export function asConst(): void {
  const literal = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: ['connect:ListInstances', 'connect:DescribeInstance'], Resource: '*' },
      { Effect: 'Deny', NotAction: 'connect:List*', Resource: ['arn:aws:connect:*:*:instance/*'], Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-2', 'eu-central-1'] }, Bool: { 'aws:SecureTransport': false } } },
    ],
  } as const;
  const typed: PolicyDocument = literal;
  const list: readonly PolicyDocument[] = [literal, { Statement: { Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' } } as const];
  expect(typed).toBeReadOnly();
  expect(list).toGrantConsoleTask('Home', 'List instance');
  // @ts-expect-error Effect is case-sensitive
  const lower: PolicyDocument = { Statement: [{ Effect: 'allow', Action: 'connect:ListInstances', Resource: '*' }] } as const;
  // @ts-expect-error Action holds strings
  const numbers: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: [1, 2], Resource: '*' }] } as const;
  void lower;
  void numbers;
}
