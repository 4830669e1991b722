/**
 * Policy fixtures for the matcher and analysis tests: written here so a fresh clone's
 * `npm test` stands on its own.
 */
import { Choice, Unresolved } from '../../src/policy/symbolic';
import type { Principal, PolicyDocument } from '../../src/policy/types';

const V = '2012-10-17';

/** Reaching the instance from the home page (the detail-page prerequisite). */
export const INSTANCE_ACCESS = ['connect:ListInstances', 'ds:DescribeDirectories', 'connect:DescribeInstance'];
export const VIEW_CALL_RECORDING = ['connect:DescribeInstance', 'connect:ListInstanceStorageConfigs', 'connect:DescribeInstanceStorageConfig'];
export const EDIT_CALL_RECORDING = [
  'connect:AssociateInstanceStorageConfig',
  'connect:UpdateInstanceStorageConfig',
  'connect:DisassociateInstanceStorageConfig',
  's3:ListAllMyBuckets',
  's3:GetBucketLocation',
  's3:GetBucketAcl',
  's3:CreateBucket',
  'kms:CreateGrant',
  'kms:DescribeKey',
  'kms:ListAliases',
  'kms:RetireGrant',
];

/** Everything to view call recording settings, prerequisites included; read-only. */
export const viewer: PolicyDocument = {
  Version: V,
  Statement: [{ Sid: 'ViewStorage', Effect: 'Allow', Action: [...INSTANCE_ACCESS, ...VIEW_CALL_RECORDING.slice(1)], Resource: '*' }],
};

/** Edit call recording with its own actions only (no View task, no instance access). */
export const editorOwnOnly: PolicyDocument = {
  Version: V,
  Statement: [{ Sid: 'EditStorage', Effect: 'Allow', Action: EDIT_CALL_RECORDING, Resource: '*' }],
};

/** Edit call recording, prerequisites included. */
export const editor: PolicyDocument = {
  Version: V,
  Statement: [
    { Sid: 'ViewStorage', Effect: 'Allow', Action: [...INSTANCE_ACCESS, ...VIEW_CALL_RECORDING.slice(1)], Resource: '*' },
    { Sid: 'EditStorage', Effect: 'Allow', Action: EDIT_CALL_RECORDING, Resource: '*' },
  ],
};

/** Everything in Connect, only in one region (a condition the default context does not give). */
export const regionBound: PolicyDocument = {
  Version: V,
  Statement: [
    { Sid: 'Anything', Effect: 'Allow', Action: ['connect:*', 'ds:DescribeDirectories', 's3:*', 'kms:*'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } } },
  ],
};

/** Everything in Connect, except that editing storage configs is denied. */
export const editDenied: PolicyDocument = {
  Version: V,
  Statement: [
    { Sid: 'All', Effect: 'Allow', Action: ['connect:*', 'ds:DescribeDirectories', 's3:*', 'kms:*'], Resource: '*' },
    { Sid: 'NoStorageEdits', Effect: 'Deny', Action: ['connect:UpdateInstanceStorageConfig'], Resource: '*' },
  ],
};

/** Grants nothing the console needs. */
export const unrelated: PolicyDocument = {
  Version: V,
  Statement: { Sid: 'Logs', Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' },
};

/** A role loaded from a template: view policy from a file with lines, and one policy whose document is unknown. */
export function roleWithUnresolvedPolicy(): Principal {
  return {
    kind: 'role',
    id: 'AuditorRole',
    file: 'infra/auditor.yaml',
    policies: [
      { name: 'ViewPolicy', origin: 'inline', document: viewer, source: { file: 'infra/auditor.yaml', line: 10 }, locations: { 'Statement[0]': { file: 'infra/auditor.yaml', line: 14 } } },
      { name: 'SharedPolicy', origin: 'managed-arn', unresolved: '!ImportValue Shared-PolicyArn: a customer managed policy from another stack' },
    ],
  };
}

/** A role whose only policy has an unresolved value in an unrelated statement's Resource. */
export function roleWithUnresolvedValue(): Principal {
  return {
    kind: 'role',
    id: 'AppRole',
    file: 'infra/app.yaml',
    policies: [
      {
        name: 'AppPolicy',
        origin: 'inline',
        document: {
          Version: V,
          Statement: [
            ...(viewer.Statement as object[]),
            { Sid: 'Bucket', Effect: 'Allow', Action: 's3:GetObject', Resource: new Unresolved('!GetAtt Bucket.Arn') },
          ],
        },
      },
    ],
  };
}

/** A role with an `Fn::If` on an unknown template condition. */
export function roleWithChoice(): Principal {
  return {
    kind: 'role',
    id: 'ChoiceRole',
    policies: [
      {
        name: 'MaybeAdmin',
        origin: 'inline',
        document: { Version: V, Statement: [{ Effect: 'Allow', Action: new Choice('IsProd', 'connect:Describe*', 'connect:*'), Resource: '*' }] },
      },
    ],
  };
}

/** A plain role (as the loaders produce) with file and line locations. */
export function role(document: PolicyDocument, id = 'AdminRole'): Principal {
  return {
    kind: 'role',
    id,
    file: 'infra/roles.yaml',
    policies: [{ name: `${id}Policy`, origin: 'inline', document, source: { file: 'infra/roles.yaml', line: 20 }, locations: { 'Statement[0]': { file: 'infra/roles.yaml', line: 23 }, 'Statement[1]': { file: 'infra/roles.yaml', line: 30 } } }],
  };
}

/**
 * A small "too much" policy for message snapshots: explicit action names only (no wildcards),
 * so the snapshots do not move when the IAM action data gains actions.
 */
export const mixedWriter: PolicyDocument = {
  Version: V,
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: ['connect:DescribeInstance', 'connect:ListInstances'], Resource: '*' },
    { Sid: 'Write', Effect: 'Allow', Action: ['connect:UpdateInstanceAttribute', 'connect:TagResource', 'iam:PutRolePolicy'], Resource: '*' },
    { Sid: 'Reports', Effect: 'Allow', Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::reports/*' },
    { Sid: 'InRegion', Effect: 'Allow', Action: ['connect:CreateInstance'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } } },
  ],
};
