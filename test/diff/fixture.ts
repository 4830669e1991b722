/**
 * A fixture repository built in a temporary directory: a history of small commits, each one
 * change a reviewer would meet in an infra pull request. Shared by the diff tests.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: cwd },
  });
}

export function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

export function tempRepo(prefix = 'jci-diff-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

export function commit(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

const TRUST = `      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
`;

export interface TemplateKnobs {
  auditorManaged?: string;
  auditorTelephony?: boolean;
  storageServiceLinked?: boolean;
  enableWrites?: 'true' | 'false';
  reportId?: string;
}

/** infra/connect.yaml, from knobs (the base is the defaults). */
export function template(k: TemplateKnobs = {}): string {
  const auditorManaged = k.auditorManaged ?? 'AmazonConnectReadOnlyAccess';
  return `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  EnableWrites:
    Type: String
    Default: '${k.enableWrites ?? 'false'}'
Conditions:
  WritesOn: !Equals [!Ref EnableWrites, 'true']
Resources:
  AuditorRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: connect-auditor
${TRUST}      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/${auditorManaged}
${k.auditorTelephony ? `      Policies:
        - PolicyName: telephony
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: SwitchTelephony
                Effect: Allow
                Action: connect:UpdateInstanceAttribute
                Resource: '*'
` : ''}  StorageAdminRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: connect-storage-admin
${TRUST}      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AmazonConnect_FullAccess
${k.storageServiceLinked ?? true ? `      Policies:
        - PolicyName: service-linked-role
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: iam:PutRolePolicy
                Resource: arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*
` : ''}  ${k.reportId ?? 'ReportRole'}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: connect-reports
${TRUST}      Policies:
        - PolicyName: reports
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: ReadReports
                Effect: Allow
                Action: s3:GetObject
                Resource: '*'
              - !If
                - WritesOn
                - Sid: WriteReports
                  Effect: Allow
                  Action: [s3:PutObject, s3:DeleteObject]
                  Resource: '*'
                - !Ref AWS::NoValue
`;
}

export const VIEWER = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Sid: 'ViewConnect', Effect: 'Allow', Action: ['connect:Describe*', 'connect:List*', 'ds:DescribeDirectories'], Resource: '*' }],
  },
  null,
  2,
);

export const RULES = `version: 1
rules:
  - name: auditors-read-only
    select: { principals: [AuditorRole] }
    expect:
      readOnly: true
`;

export interface Step {
  readonly name: string;
  readonly sha: string;
}

/** The history: base, then one commit per change. Returns the repo and the commits in order. */
export function buildHistory(dir: string = tempRepo()): { dir: string; steps: Step[] } {
  const steps: Step[] = [];
  write(dir, { 'infra/connect.yaml': template(), 'jest-connect-iam.rules.yaml': RULES, 'README.md': '# infra\n' });
  steps.push({ name: 'base', sha: commit(dir, 'base') });
  write(dir, { 'infra/connect.yaml': template({ auditorTelephony: true }) });
  steps.push({ name: 'gains a task', sha: commit(dir, 'auditor may switch telephony options') });
  write(dir, { 'infra/connect.yaml': template({ auditorTelephony: true, storageServiceLinked: false }) });
  steps.push({ name: 'loses a task', sha: commit(dir, 'storage admin: no more service-linked role policy') });
  write(dir, { 'infra/connect.yaml': template({ auditorTelephony: true, storageServiceLinked: false, auditorManaged: 'AmazonConnect_FullAccess' }) });
  steps.push({ name: 'managed policy ARN', sha: commit(dir, 'auditor: FullAccess instead of ReadOnlyAccess') });
  write(dir, { 'infra/connect.yaml': template({ auditorTelephony: true, storageServiceLinked: false, auditorManaged: 'AmazonConnect_FullAccess', enableWrites: 'true' }) });
  steps.push({ name: '!If flips on', sha: commit(dir, 'EnableWrites defaults to true') });
  write(dir, { 'policies/connect-viewer.json': VIEWER });
  steps.push({ name: 'principal added', sha: commit(dir, 'add a viewer policy') });
  write(dir, { 'infra/connect.yaml': template({ auditorTelephony: true, storageServiceLinked: false, auditorManaged: 'AmazonConnect_FullAccess', enableWrites: 'true', reportId: 'ReportingRole' }) });
  git(dir, 'mv', 'policies/connect-viewer.json', 'policies/viewer.json');
  steps.push({ name: 'rename', sha: commit(dir, 'rename ReportRole to ReportingRole; move the viewer policy') });
  return { dir, steps };
}
