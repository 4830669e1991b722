/**
 * Bounded tests (hang guards, not speed measurements: figures are in bench/hardening.bench.js):
 * a 10,000-statement policy and a 5,000-character `*a*a*...b` pattern (as Action, Resource and a
 * StringLike condition value, and as the action name a user passes to a matcher) stay fast
 * through the package's entry points: the matchers via `expect`, the loaders, and the CLI.
 * test/evaluator/scale.test.ts covers `evaluate` alone.
 */
import * as path from 'node:path';
import { UnknownActionError, loadPolicyFile } from '../../src';
import { cli, outcomeOf, tempDir, writeTree } from './helpers';

/** Hang guards are Jest timeouts (12x this), not timed assertions: a slow, loaded machine passes, a hang fails. */
const HANG_GUARD_MS = 5_000;

function bounded(name: string, fn: () => void, guardMs = HANG_GUARD_MS): void {
  test(
    name,
    () => {
      fn();
      // a hang fails by the timeout below; speed is measured by npm run bench, never asserted
    },
    guardMs * 12,
  );
}

const PATTERN = '*a'.repeat(2500) + 'b';

/** 10,000 statements, each narrow and conditional, plus a Deny; the shape of a generated policy. */
const big = {
  Version: '2012-10-17',
  Statement: [
    ...Array.from({ length: 9_999 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: 'Allow',
      Action: [`connect:Describe${i}*`, `s3:Get${i}?`, 'connect:ListInstances'],
      Resource: i % 2 ? `arn:aws:connect:*:*:instance/${i}/*` : '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
    })),
    { Sid: 'NoDelete', Effect: 'Deny', Action: 'connect:Delete*', Resource: '*' },
  ],
};

/** The 5,000-character pattern in every place a pattern goes. */
const wild = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ActionPattern', Effect: 'Allow', Action: `connect:${PATTERN}`, Resource: '*' },
    { Sid: 'ResourcePattern', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${PATTERN}` },
    { Sid: 'ConditionPattern', Effect: 'Allow', Action: 'connect:Describe*', Resource: '*', Condition: { StringLike: { 'aws:userid': [PATTERN, PATTERN] } } },
    { Sid: 'NotActionPattern', Effect: 'Deny', NotAction: `iam:${PATTERN}`, Resource: '*', Condition: { StringNotLike: { 'aws:PrincipalTag/team': PATTERN } } },
  ],
};
/** 10,000 statements of real read actions: read-only and within AmazonConnectReadOnlyAccess. */
const bigReadOnly = {
  Version: '2012-10-17',
  Statement: Array.from({ length: 10_000 }, (_, i) => ({
    Effect: 'Allow',
    Action: [['connect:Describe*', 'connect:List*', 'ds:DescribeDirectories'][i % 3]!],
    Resource: i % 2 ? `arn:aws:connect:*:*:instance/${i}/*` : '*',
    ...(i % 5 ? { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } } : {}),
  })),
};
const region = { context: { 'aws:RequestedRegion': 'eu-west-1' } };

describe('a 10,000-statement policy stays fast through the matchers', () => {
  bounded('toAllowAction, .not.toAllowAction, toGrantConsoleTask and a console page', () => {
    expect(big).toAllowAction('connect:ListInstances', region);
    expect(big).not.toAllowAction('connect:DeleteInstance', region);
    expect(big).not.toAllowAction('kms:CreateGrant', region);
    expect(outcomeOf(() => expect(big).toGrantConsoleTask('Home', 'List instance', region)).kind).toBe('fail'); // ds:DescribeDirectories
    expect(outcomeOf(() => expect(big).toGrantConsolePage('Data storage', region)).kind).toBe('fail');
  });

  bounded('toBeReadOnly (every action of the IAM action list)', () => {
    expect(bigReadOnly).toBeReadOnly();
    // patterns that match no known action have no known access level: fail closed
    expect(outcomeOf(() => expect(big).toBeReadOnly()).kind).toBe('fail');
    expect(outcomeOf(() => expect(big).toStayWithin('AmazonConnectReadOnlyAccess')).kind).toBe('fail');
  });

  // A wider guard: toStayWithin evaluates each of the ~110 actions the subject allows, and each
  // matches about 3,300 of the statements, which the evaluator explains one by one: about 7 s
  // here (bench/hardening.bench.js prints it). Known slow, not a hang; see the report.
  bounded('toStayWithin on 10,000 statements of read actions (each action matched by 3,300 of them)', () => {
    expect(bigReadOnly).toStayWithin('AmazonConnectReadOnlyAccess');
  }, 30_000);

  bounded('loaded from a JSON file and a YAML file (the limit is 10,000 statements)', () => {
    const dir = tempDir();
    const json = JSON.stringify(big);
    writeTree(dir, { 'big.json': json, 'big.yaml': json.replace(/^\{/, '{ ').replace(/\}$/, ' }') });
    for (const f of ['big.json', 'big.yaml']) {
      const p = loadPolicyFile(path.join(dir, f));
      expect(p).toAllowAction('connect:ListInstances', region);
      expect(p).not.toAllowAction('connect:DeleteInstance', region);
    }
  });

  bounded('jest-connect-iam check over a repo holding it', () => {
    const dir = writeTree(tempDir(), {
      'policies/big.json': JSON.stringify(big),
      'jest-connect-iam.rules.yaml': 'version: 1\nrules:\n  - name: no-delete\n    context: { aws:RequestedRegion: eu-west-1 }\n    expect: { notAllowActions: [connect:Delete*], allowActions: [connect:ListInstances] }\n',
    });
    const r = cli(['check', '--cwd', dir, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('a 5,000-character *a*a*...b pattern stays fast (no backtracking)', () => {
  bounded('as Action, Resource, StringLike and StringNotLike value: every matcher', () => {
    const longUser = { context: { 'aws:userid': 'a'.repeat(5_000), 'aws:PrincipalTag/team': 'a'.repeat(4_999) } };
    expect(wild).not.toAllowAction('connect:DescribeInstance', longUser); // no b at the end: no match; the Deny applies
    expect(outcomeOf(() => expect(wild).toAllowAction('connect:DescribeInstance')).kind).toBe('fail'); // conditional
    expect(outcomeOf(() => expect(wild).toBeReadOnly()).kind).toBe('fail');
    expect(outcomeOf(() => expect(wild).toStayWithin('AmazonConnectReadOnlyAccess')).kind).toBe('fail');
    expect(outcomeOf(() => expect(wild).toGrantConsolePage('Data storage')).kind).toBe('fail');
  });

  // closestNames used to compute a full edit distance of such a name against every IAM action
  // name (about 7 s); src/util/suggest.ts compares at most 200 characters since commit 5dc2c18.
  bounded('as the action name given to toAllowAction: an unknown action, with suggestions, at once', () => {
    const o = outcomeOf(() => expect(wild).toAllowAction(`connect:${PATTERN}x`));
    expect(o.kind).toBe('error');
    if (o.kind === 'error') expect(o.error).toBeInstanceOf(UnknownActionError);
    const bare = outcomeOf(() => expect(wild).not.toAllowAction(`${'*a'.repeat(2500)}q`));
    expect(bare.kind).toBe('error');
  });
});
