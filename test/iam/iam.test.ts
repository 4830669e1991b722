import {
  accessLevelOverrides,
  accessLevelsConsidered,
  allActions,
  arnFormatToWildcard,
  assertKnownAction,
  compileActionPattern,
  expandActionPattern,
  getAction,
  getService,
  isWriteLike,
  listServices,
  resourceArnPatterns,
} from '../../src/iam';
import { parseAccessLevels } from '../../src/iam/data';
import { UnknownActionError } from '../../src/errors';

function thrown(fn: () => unknown): UnknownActionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UnknownActionError) return e;
    throw e;
  }
  throw new Error('expected UnknownActionError, nothing was thrown');
}

describe('getAction', () => {
  test('finds an action case-insensitively and returns its canonical name', () => {
    const a = getAction('CONNECT:describeinstance');
    expect(a?.name).toBe('connect:DescribeInstance');
    expect(a?.service).toBe('connect');
    expect(a?.accessLevels).toEqual(['Read']);
  });
  test('returns undefined for unknown names, wildcards and malformed names', () => {
    expect(getAction('connect:DescribeInstanceAttributes')).toBeUndefined();
    expect(getAction('connect:Describe*')).toBeUndefined();
    expect(getAction('DescribeInstance')).toBeUndefined();
    expect(getAction('connect:')).toBeUndefined();
    expect(getAction(':DescribeInstance')).toBeUndefined();
    expect(getAction('connect:DescribeInstance:x')).toBeUndefined();
    expect(getAction('nosuchservice:Foo')).toBeUndefined();
  });
  test('getService gives a service with its actions; unknown gives undefined', () => {
    const s = getService('Connect');
    expect(s?.prefix).toBe('connect');
    expect(s?.title).toBe('Amazon Connect');
    expect(s?.actions.get('listinstances')?.name).toBe('connect:ListInstances');
    expect(getService('conect')).toBeUndefined();
    expect(listServices()).toContain('voiceid');
  });
});

describe('allActions', () => {
  test('holds every service (over 20,000 actions), with unique canonical names', () => {
    const all = allActions();
    expect(all.length).toBeGreaterThan(20000);
    expect(allActions()).toBe(all); // loaded once, same array
    const names = new Set(all.map((a) => a.name.toLowerCase()));
    expect(names.size).toBe(all.length);
    expect(all.filter((a) => !a.name.startsWith(`${a.service}:`))).toEqual([]);
    expect(new Set(all.map((a) => a.service)).size).toBe(listServices().length);
  });
  test('actions are frozen: callers cannot change the shared data', () => {
    const a = getAction('connect:DescribeInstance')!;
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.accessLevels)).toBe(true);
    expect(Object.isFrozen(a.resourceTypes[0])).toBe(true);
  });
  test('every access level in the data is one of the five known levels', () => {
    const known = new Set(['List', 'Read', 'Write', 'Permissions management', 'Tagging']);
    const bad = allActions().filter((a) => a.accessLevels.length === 0 || a.accessLevels.some((l) => !known.has(l)));
    expect(bad).toEqual([]);
  });
});

describe('expandActionPattern', () => {
  const describeCount = [...getService('connect')!.actions.keys()].filter((k) => k.startsWith('describe')).length;

  test('connect:Describe* gives every connect Describe action, and only those', () => {
    const got = expandActionPattern('connect:Describe*');
    expect(got.length).toBe(describeCount);
    expect(got.length).toBeGreaterThan(30);
    for (const a of got) expect(a.name).toMatch(/^connect:Describe/);
    expect(got.map((a) => a.name)).toContain('connect:DescribeInstance');
  });
  test('is case-insensitive in service and action', () => {
    expect(expandActionPattern('CONNECT:describe*').length).toBe(describeCount);
    expect(expandActionPattern('Connect:DescribeINSTANCE').map((a) => a.name)).toEqual(['connect:DescribeInstance']);
  });
  test('? matches exactly one character', () => {
    expect(expandActionPattern('connect:DescribeInstanc?').map((a) => a.name)).toEqual(['connect:DescribeInstance']);
    expect(expandActionPattern('connect:DescribeInstance?')).toEqual([]);
    expect(expandActionPattern('connect:DescribeInstance?????????').map((a) => a.name)).toEqual([
      'connect:DescribeInstanceAttribute',
    ]);
    expect(expandActionPattern('c?nnect:ListInstances').map((a) => a.name)).toEqual(['connect:ListInstances']);
  });
  test('wildcards in the service part and across the colon', () => {
    const names = expandActionPattern('*:DescribeInstance').map((a) => a.name);
    expect(names).toContain('connect:DescribeInstance');
    expect(names.every((n) => n.endsWith(':DescribeInstance'))).toBe(true);
    expect(expandActionPattern('connect*').length).toBe(
      allActions().filter((a) => a.name.toLowerCase().startsWith('connect')).length,
    );
    expect(expandActionPattern('*').length).toBe(allActions().length);
    expect(expandActionPattern('connect:*').length).toBe(getService('connect')!.actions.size);
    expect(expandActionPattern('*nstance:Foo')).toEqual([]);
  });
  test('matches the whole name only', () => {
    expect(expandActionPattern('connect:Describe')).toEqual([]);
    expect(expandActionPattern('onnect:DescribeInstance')).toEqual([]);
    expect(expandActionPattern('connect:Describe*Attribute').map((a) => a.name)).toContain(
      'connect:DescribeInstanceAttribute',
    );
  });
  test('a 5,000-character pattern with many stars finishes (hang guard)', () => {
    const long = '*' + 'a*'.repeat(2500) + 'b';
    expect(expandActionPattern(long)).toEqual([]);
    const long2 = 'connect:' + '*e'.repeat(2500);
    expect(expandActionPattern(long2)).toEqual([]);
  }, 10000);
});

describe('compileActionPattern (glob matcher)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['a*b', 'ab', true],
    ['a*b', 'axxb', true],
    ['a*b', 'axxbc', false],
    ['*ab*ab', 'abab', true],
    ['*ab*ab', 'ababx', false],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['a?c*', 'abc', true],
    ['a?c*', 'ac', false],
    ['*?', '', false],
    ['*', '', true],
    ['**a**', 'xa', true],
    ['*a?a*', 'xaaxa', true],
    ['*a?b', 'aaab', true],
    ['A*', 'abc', true],
  ];
  test.each(cases)('%s matches %s: %s', (pattern, text, expected) => {
    expect(compileActionPattern(pattern).matches(text)).toBe(expected);
  });
  test('agrees with a regular expression on generated cases', () => {
    const alphabet = ['a', 'b', '*', '?'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const pattern = Array.from({ length: rand(7) }, () => alphabet[rand(4)]).join('');
      const text = Array.from({ length: rand(7) }, () => alphabet[rand(2)]).join('');
      const re = new RegExp('^' + pattern.replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
      expect([pattern, text, compileActionPattern(pattern).matches(text)]).toEqual([pattern, text, re.test(text)]);
    }
  });
});

describe('assertKnownAction', () => {
  test('returns the matches of a real pattern', () => {
    expect(assertKnownAction('connect:DescribeInstance').map((a) => a.name)).toEqual(['connect:DescribeInstance']);
    expect(assertKnownAction('connect:Describe*').length).toBeGreaterThan(30);
  });
  test('a near miss suggests the real name of the same service first', () => {
    const e = thrown(() => assertKnownAction('connect:DescribeInstanceAttributes'));
    expect(e.kind).toBe('IAM action');
    expect(e.value).toBe('connect:DescribeInstanceAttributes');
    expect(e.suggestions[0]).toBe('connect:DescribeInstanceAttribute');
    expect(e.suggestions.every((s) => s.startsWith('connect:'))).toBe(true);
    expect(e.message).toContain("did you mean 'connect:DescribeInstanceAttribute'");
  });
  test('connect:GetFederationTokens (in an old managed policy) is not real', () => {
    const e = thrown(() => assertKnownAction('connect:GetFederationTokens'));
    expect(e.suggestions[0]).toBe('connect:GetFederationToken');
  });
  test('an unknown service suggests services, with the action when it exists there', () => {
    const e = thrown(() => assertKnownAction('conect:DescribeInstance'));
    expect(e.suggestions[0]).toBe('connect:DescribeInstance');
    expect(e.message).toContain("There is no IAM service 'conect'");
    const f = thrown(() => assertKnownAction('voiceidd:Nothing'));
    expect(f.suggestions).toContain('voiceid');
  });
  test('a name without a service says how actions are written', () => {
    const e = thrown(() => assertKnownAction('DescribeInstance'));
    expect(e.message).toContain("'service:Action'");
  });
  test('a wildcard that matches nothing throws too', () => {
    const e = thrown(() => assertKnownAction('connect:Nothing*Here'));
    expect(e).toBeInstanceOf(UnknownActionError);
    expect(() => assertKnownAction('connect:Describe')).toThrow(UnknownActionError);
  });
});

describe('access levels', () => {
  test('combined strings become several levels', () => {
    expect(parseAccessLevels('Permissions management, Write')).toEqual(['Permissions management', 'Write']);
    expect(parseAccessLevels('Tagging, Write')).toEqual(['Tagging', 'Write']);
    expect(getAction('iam:PutRolePolicy')?.accessLevels).toEqual(['Permissions management', 'Write']);
    expect(getAction('connect:TagResource')?.accessLevels).toEqual(['Tagging', 'Write']);
  });
  test('an unknown level string is read as Write (never read-only)', () => {
    expect(parseAccessLevels('Something new')).toEqual(['Write']);
    expect(parseAccessLevels('')).toEqual(['Write']);
    expect(parseAccessLevels('Read, Bogus')).toEqual(['Read', 'Write']);
  });
  test('isWriteLike: Write, Permissions management and Tagging; not Read or List', () => {
    expect(isWriteLike('connect:UpdateInstanceAttribute')).toBe(true);
    expect(isWriteLike('iam:PutRolePolicy')).toBe(true);
    expect(isWriteLike('connect:TagResource')).toBe(true);
    expect(isWriteLike('connect:DescribeInstance')).toBe(false);
    expect(isWriteLike('connect:ListInstances')).toBe(false);
    expect(isWriteLike(getAction('connect:AdminGetEmergencyAccessToken')!)).toBe(true);
  });
  test('isWriteLike of an unknown or wildcard name throws', () => {
    expect(() => isWriteLike('connect:Nope')).toThrow(UnknownActionError);
    expect(() => isWriteLike('connect:Describe*')).toThrow(UnknownActionError);
  });
  test('voiceid:RegisterComplianceConsent stays Write, and the list says why', () => {
    expect(getAction('voiceid:RegisterComplianceConsent')?.accessLevels).toEqual(['Write']);
    expect(getAction('voiceid:RegisterComplianceConsent')?.override).toBeUndefined();
    expect(accessLevelsConsidered().map((c) => c.action)).toContain('voiceid:RegisterComplianceConsent');
  });
});

describe('access-level override list', () => {
  const overrides = accessLevelOverrides();
  test('is small and every entry has a reason and a source', () => {
    expect(overrides.length).toBeGreaterThanOrEqual(5);
    expect(overrides.length).toBeLessThanOrEqual(15);
    for (const o of overrides) {
      expect(o.reason.length).toBeGreaterThan(30);
      expect(o.source.length).toBeGreaterThan(5);
      expect(o.to).not.toEqual(o.from);
    }
  });
  test.each(overrides.map((o) => [o.action, o] as const))('%s is a real action and the entry applies', (_n, o) => {
    const action = getAction(o.action);
    expect(action).toBeDefined();
    // If this fails, the data changed the official level: review the entry.
    expect(action!.override?.from).toEqual(o.from);
    expect(action!.accessLevels).toEqual(o.to);
    expect(action!.override?.reason).toBe(o.reason);
  });
  test('a downgraded action is no longer write-like; an upgraded one is', () => {
    expect(isWriteLike('bcm-pricing-calculator:ListTagsForResource')).toBe(false);
    expect(isWriteLike('quicksight:DescribeTopicPermissions')).toBe(false);
    expect(isWriteLike('eks-auth:AssumeRoleForPodIdentity')).toBe(true);
  });
  test('overrides are visible through allActions and expandActionPattern too', () => {
    const fromAll = allActions().find((a) => a.name === 'quicksight:DescribeTopicPermissions');
    expect(fromAll?.accessLevels).toEqual(['Read']);
    expect(expandActionPattern('quicksight:DescribeTopicPermission?')[0]?.override?.from).toEqual([
      'Permissions management',
      'Write',
    ]);
  });
  test('considered entries are real actions at the level they state (not overridden)', () => {
    for (const c of accessLevelsConsidered()) {
      const action = getAction(c.action);
      expect([c.action, action?.accessLevels]).toEqual([c.action, c.level]);
      expect(action?.override).toBeUndefined();
    }
  });
  test('no connect:Get*/Describe*/List* action is write-like (AmazonConnectReadOnlyAccess reads only)', () => {
    const readish = [
      ...expandActionPattern('connect:Get*'),
      ...expandActionPattern('connect:Describe*'),
      ...expandActionPattern('connect:List*'),
    ];
    expect(readish.filter((a) => isWriteLike(a)).map((a) => a.name)).toEqual([]);
  });
});

describe('resourceArnPatterns', () => {
  test('connect:DescribeInstance acts on the instance ARN', () => {
    expect(resourceArnPatterns('connect:DescribeInstance')).toEqual([
      {
        resourceType: 'instance',
        arnFormat: 'arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}',
        wildcard: 'arn:*:connect:*:*:instance/*',
        required: true,
      },
    ]);
  });
  test('connect:ListInstances takes no resource', () => {
    expect(resourceArnPatterns('connect:ListInstances')).toEqual([]);
    expect(getAction('voiceid:RegisterComplianceConsent')?.resourceTypes).toEqual([]);
  });
  test('an action with several resource types lists each', () => {
    const types = resourceArnPatterns('connect:PutUserStatus').map((r) => r.resourceType);
    expect(types).toEqual(expect.arrayContaining(['agent-status', 'instance', 'user']));
  });
  test('resource types resolve to ARN formats for every action', () => {
    const bad = allActions().flatMap((a) => a.resourceTypes.filter((rt) => !rt.arn.startsWith('arn:')).map((rt) => `${a.name} ${rt.name}`));
    expect(bad).toEqual([]);
  });
  test('arnFormatToWildcard replaces placeholders only', () => {
    expect(arnFormatToWildcard('arn:${Partition}:s3:::${BucketName}/${ObjectName}')).toBe('arn:*:s3:::*/*');
  });
  test('unknown action throws', () => {
    expect(() => resourceArnPatterns('connect:DescribeInstances')).toThrow(UnknownActionError);
  });
});
