import { Glob, contains, globRelation, intersects } from '../../src/evaluator/wildcard';
import { parseResourcePattern, resourceMatch, resourceMatches, resourceRelation, resourceTypePattern } from '../../src/evaluator/arn';

const g = (p: string): Glob => Glob.parse(p);

describe('Glob.matches', () => {
  test.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['a*', 'abc', true],
    ['a*', 'ba', false],
    ['*c', 'abc', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['*b*b*', 'abab', true],
    ['*b*b*', 'ab', false],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXcYb', false],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['??', 'ab', true],
    ['??', 'abc', false],
    ['*?', '', false],
  ])('%s matches %s: %s', (pattern, text, expected) => {
    expect(g(pattern).matches(text)).toBe(expected);
  });

  test('case folding is the caller\'s: parse(..., true) lower-cases the pattern', () => {
    expect(Glob.parse('Connect:Describe*', true).matches('connect:describeinstance')).toBe(true);
    expect(Glob.parse('Connect:Describe*').matches('connect:describeinstance')).toBe(false);
  });

  test('a literal star (from ${*}) is not a wildcard', () => {
    const literal = Glob.literalOf('a*');
    expect(literal.matches('a*')).toBe(true);
    expect(literal.matches('ab')).toBe(false);
    expect(literal.toString()).toBe('a${*}');
  });

  test('a 5,000-character *a*a*...b pattern answers at once (no backtracking)', () => {
    const pattern = g('*a'.repeat(2500) + 'b');
    const text = 'a'.repeat(3000);
    expect(pattern.matches(text)).toBe(false);
    expect(pattern.matches('a'.repeat(2500) + 'b')).toBe(true);
    expect(intersects(pattern, g('a*'))).toBe(true);
    expect(intersects(pattern, g('*c'))).toBe(false);
    expect(contains(pattern, g('a'.repeat(2499) + 'b'))).toBe(false);
    // a hang fails by the test's timeout; speed is measured in bench/, not asserted
  }, 60_000);
});

describe('intersects', () => {
  test.each([
    ['a*', '*b', true],
    ['a*', 'b*', false],
    ['a?c', 'ab?', true],
    ['a?c', 'abd', false],
    ['*x*', '*y*', true],
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['a*c', 'a*d', false],
    ['??', '???', false],
    ['?*', '', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(intersects(g(a), g(b))).toBe(expected);
    expect(intersects(g(b), g(a))).toBe(expected);
  });
});

describe('contains (outer ⊇ inner)', () => {
  test.each([
    ['*', 'a*', true],
    ['a*', 'ab*', true],
    ['ab*', 'a*', false],
    ['a*', 'a', true],
    ['a?*', 'a*?', true],
    ['*a*', '*a*a*', true],
    ['*a*a*', '*a*', false],
    ['a?c', 'abc', true],
    ['a?c', 'a?c', true],
    ['abc', 'a?c', false],
    ['a*c', 'a*b*c', true],
    ['x*', 'a*', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(contains(g(outer), g(inner))).toBe(expected);
  });

  test('relation', () => {
    expect(globRelation(g('a*'), g('ab*'))).toBe('covers');
    expect(globRelation(g('ab*'), g('a*'))).toBe('overlaps');
    expect(globRelation(g('b*'), g('a*'))).toBe('disjoint');
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// ("Using wildcards in resource ARNs"): wildcards go within the colon-separated segments, and
// "If the `*` wildcard is the last character of a resource ARN segment, it can expand to match
// beyond the colon boundaries".
describe('ARN patterns', () => {
  const r = parseResourcePattern;
  test('a segment-final star crosses colons; the rest of the pattern is matched segment by segment', () => {
    expect(resourceMatches(r('arn:aws:connect:*:*:instance/*'), 'arn:aws:connect:us-east-1:123456789012:instance/abc')).toBe(true);
    expect(resourceMatches(r('arn:aws:connect:*:instance/*'), 'arn:aws:connect:us-east-1:123456789012:instance/abc')).toBe(true);
    expect(resourceMatches(r('arn:aws:logs:*:log-group:*'), 'arn:aws:logs:us-east-1:1:log-group:/aws/connect/x')).toBe(true);
    expect(resourceMatches(r('arn:aws:connect:*:123:instance/*'), 'arn:aws:connect:us-east-1:999:instance/abc')).toBe(false);
    expect(resourceMatches(r('arn:aws:connect:us-*:*:*'), 'arn:aws:connect:eu-west-1:1:instance/x')).toBe(false);
    expect(resourceMatches(r('arn:aws:logs:*:*:log-group:/aws/connect/*'), 'arn:aws:logs:us-east-1:1:log-group:/aws/connect/x:log-stream:y')).toBe(true);
  });

  test('a short pattern: its last star runs over the remaining segments; without one it is the whole text', () => {
    expect(resourceMatches(r('arn:aws:s3*'), 'arn:aws:s3:::bucket')).toBe(true);
    expect(resourceMatches(r('arn:*'), 'arn:aws:connect:us-east-1:1:instance/x')).toBe(true);
    expect(resourceMatches(r('arn:aws:connect'), 'arn:aws:connect:us-east-1:1:instance/x')).toBe(false);
    expect(resourceMatches(r('*'), 'anything:at:all')).toBe(true);
  });

  test('a mid-segment star or a ? against a colon: the page does not say, so the match is "maybe"', () => {
    expect(resourceMatch(r('arn:aws:s3:::b/*.txt'), 'arn:aws:s3:::b/x.txt')).toBe('yes');
    expect(resourceMatch(r('arn:aws:s3:::b/*.txt'), 'arn:aws:s3:::b/a:b.txt')).toBe('maybe');
    expect(resourceMatch(r('arn:aws:s3:::b/a?b'), 'arn:aws:s3:::b/a:b')).toBe('maybe');
    expect(resourceMatch(r('arn:aws:s3:::b/a?b'), 'arn:aws:s3:::b/axb')).toBe('yes');
    expect(resourceMatch(r('arn:aws:s3:::b/*.txt'), 'arn:aws:s3:::b/a:b.csv')).toBe('no');
    expect(resourceMatch(r('*instance/*'), 'arn:aws:connect:us-east-1:1:instance/x')).toBe('maybe');
  });

  test('relations', () => {
    const types = resourceTypePattern('arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}', 'aws');
    expect(resourceRelation(r('*'), types)).toBe('covers');
    expect(resourceRelation(r('arn:aws:connect:*:*:instance/*'), types)).toBe('covers');
    expect(resourceRelation(r('arn:aws:connect:*:instance/*'), types)).toBe('covers');
    expect(resourceRelation(r('arn:aws:connect:*'), types)).toBe('covers');
    expect(resourceRelation(r('arn:aws:connect:*:*:*'), types)).toBe('covers');
    expect(resourceRelation(r('arn:aws:connect:us-east-1:*:instance/*'), types)).toBe('overlaps');
    expect(resourceRelation(r('arn:aws:connect:*:instance/abc'), types)).toBe('overlaps');
    expect(resourceRelation(r('arn:aws:s3:::bucket/*'), types)).toBe('disjoint');
    // An instance ID never holds a colon, so a phone-number pattern cannot reach an instance ARN.
    expect(resourceRelation(r('arn:aws:connect:*:*:phone-number/*'), types)).toBe('disjoint');
    expect(resourceRelation(r('arn:aws:connect:*:*:instance/abc'), r('arn:aws:connect:us-east-1:1:instance/abc'))).toBe('covers');
    expect(resourceRelation(r('arn:aws:connect:*:instance/abc'), r('arn:aws:connect:us-east-1:1:instance/abc'))).toBe('covers');
    expect(resourceRelation(r('arn:aws:connect:*:*:instance/abc'), r('arn:aws:connect:us-east-1:1:instance/xyz'))).toBe('disjoint');
    // Mid-segment stars: certain only where both readings agree.
    expect(resourceRelation(r('*instance/*'), types)).toBe('overlaps');
    expect(resourceRelation(r('*bucket'), types)).toBe('overlaps');
    expect(resourceRelation(r('*bucket'), r('arn:aws:connect:*:*:instance/abc'))).toBe('disjoint');
  });

  test('resource-type formats: identifiers never hold a colon, a trailing name may', () => {
    const object = resourceTypePattern('arn:${Partition}:s3:::${BucketName}/${ObjectName}', 'aws');
    expect(resourceRelation(r('arn:aws:s3:::b/x:y'), object)).toBe('overlaps');
    const fn = resourceTypePattern('arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}', 'aws');
    expect(resourceRelation(r('arn:aws:lambda:*:*:function:f:*'), fn)).toBe('overlaps');
    const instance = resourceTypePattern('arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}', 'aws');
    expect(resourceRelation(r('arn:aws:connect:*:*:instance/abc:x'), instance)).toBe('disjoint');
  });
});
