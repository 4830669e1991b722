/**
 * Property tests for Resource/NotResource patterns, against AWS's page "IAM JSON policy
 * elements: Resource"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards):
 * wildcards go within the colon-separated segments, and "If the `*` wildcard is the last
 * character of a resource ARN segment, it can expand to match beyond the colon boundaries".
 *
 * The oracle is a regular expression written straight from that sentence: the narrow
 * reading (a segment-final `*` is `.*`, any other `*` is `[^:]*`, `?` is `[^:]`) says "matches
 * for certain"; the wide reading (every `*` is `.*`, `?` is `.`) says "may match"; the page
 * does not settle the difference, so the evaluator answers `maybe` there.
 *
 * 1. resourceMatch agrees with the oracle on generated ARNs.
 * 2. resourceRelation (containment and intersection of pattern languages) never claims what
 *    brute-force matching on generated ARNs refutes.
 * 3. Through the public entry point: for two patterns where one's language contains the
 *    other's, the broader one never matches less, in Allow, in Deny and in NotResource, on
 *    given ARNs and on the default resource.
 */
import fc from 'fast-check';
import { evaluate, type Decision } from '../../src/index';
import { parseResourcePattern, resourceMatch, resourceRelation } from '../../src/evaluator/arn';

const SEED = 20261201;

function escape(ch: string): string {
  return /[\\^$.|?*+()[\]{}/-]/.test(ch) ? `\\${ch}` : ch;
}

/** The documented rule as a regular expression (narrow: only segment-final stars cross colons). */
function oracle(pattern: string, reading: 'narrow' | 'wide'): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    const final = i + 1 === pattern.length || pattern[i + 1] === ':';
    if (ch === '*') out += reading === 'wide' || final ? '.*' : '[^:]*';
    else if (ch === '?') out += reading === 'wide' ? '.' : '[^:]';
    else out += escape(ch);
  }
  return new RegExp(`^${out}$`, 's');
}

function expected(pattern: string, text: string): 'yes' | 'maybe' | 'no' {
  if (oracle(pattern, 'narrow').test(text)) return 'yes';
  return oracle(pattern, 'wide').test(text) ? 'maybe' : 'no';
}

const BASES = [
  'arn:aws:connect:us-east-1:111122223333:instance/abc',
  'arn:aws:connect:eu-west-2:444455556666:instance/abc/queue/q1',
  'arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s',
  'arn:aws:s3:::b/a:b.txt',
  'arn:aws:s3:::b/x.txt',
  'arn:aws:lambda:us-east-1:111122223333:function:f:1',
];

/**
 * A pattern made from a base ARN by replacing a few ranges after its `arn:` with `*`, `?` or
 * nothing (the policy grammar wants a Resource to be `*` or to start with `arn:`).
 */
const editedArb: fc.Arbitrary<string> = fc
  .record({
    base: fc.constantFrom(...BASES),
    edits: fc.array(fc.record({ at: fc.nat(), len: fc.integer({ min: 0, max: 12 }), by: fc.constantFrom('*', '*', '*', '?', '', '**', '*?') }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ base, edits }) => {
    let s = base;
    for (const e of edits) {
      const at = 4 + (e.at % (s.length - 3));
      s = s.slice(0, at) + e.by + s.slice(Math.min(s.length, at + (e.by === '?' ? 1 : e.len)));
    }
    return s;
  });
const patternArb: fc.Arbitrary<string> = fc.oneof({ weight: 20, arbitrary: editedArb }, { weight: 1, arbitrary: fc.constantFrom('*', 'arn:*', 'arn:aws:*', 'arn:aws:connect:*') });

const FILL = ['', 'a', 'b/c', 'x:y', ':', 'us-east-1:111122223333', 'abc'];

/** Strings of the pattern's narrow language (each wildcard filled in), plus near misses. */
function samples(pattern: string, picks: readonly number[]): string[] {
  const out: string[] = [];
  for (let round = 0; round < 3; round++) {
    let s = '';
    let k = round;
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i]!;
      const final = i + 1 === pattern.length || pattern[i + 1] === ':';
      const pick = picks[(k++ + i) % Math.max(picks.length, 1)] ?? 0;
      if (ch === '*') {
        const options = final || round === 2 ? FILL : FILL.filter((f) => !f.includes(':'));
        s += options[pick % options.length]!;
      } else if (ch === '?') s += round === 2 ? ':' : 'q';
      else s += ch;
    }
    out.push(s);
  }
  return out;
}

const picksArb = fc.array(fc.nat(), { minLength: 1, maxLength: 8 });

test('resourceMatch agrees with the documented rule on generated ARNs', () => {
  fc.assert(
    fc.property(patternArb, patternArb, picksArb, (p, q, picks) => {
      const compiled = parseResourcePattern(p);
      for (const t of [...BASES, ...samples(p, picks), ...samples(q, picks)]) {
        expect([p, t, resourceMatch(compiled, t)]).toEqual([p, t, expected(p, t)]);
      }
    }),
    { seed: SEED, numRuns: 1500 },
  );
});

test('containment and intersection never claim what brute-force matching refutes', () => {
  let covers = 0;
  let disjoint = 0;
  fc.assert(
    fc.property(patternArb, patternArb, picksArb, (p, q, picks) => {
      const relation = resourceRelation(parseResourcePattern(p), parseResourcePattern(q));
      if (relation === 'covers') covers++;
      if (relation === 'disjoint') disjoint++;
      const texts = [...BASES, ...samples(q, picks), ...samples(p, picks)];
      for (const t of texts) {
        if (!oracle(q, 'narrow').test(t)) continue; // t is one of the ARNs q stands for
        if (relation === 'covers') expect([p, q, t, oracle(p, 'narrow').test(t)]).toEqual([p, q, t, true]);
        if (relation === 'disjoint') expect([p, q, t, oracle(p, 'wide').test(t)]).toEqual([p, q, t, false]);
      }
      // q's own language is always covered by q and never disjoint from it.
      expect(resourceRelation(parseResourcePattern(q), parseResourcePattern(q))).not.toBe('disjoint');
    }),
    { seed: SEED, numRuns: 1500 },
  );
  // The generator reaches both certain answers, not only "overlaps".
  expect(covers).toBeGreaterThan(20);
  expect(disjoint).toBeGreaterThan(20);
});

/** A narrower pattern: one wildcard of `p` made more specific (no colon added or removed). */
function narrower(p: string, pick: number, by: number): string | undefined {
  const wild = [...p].flatMap((ch, i) => (ch === '*' || ch === '?' ? [i] : []));
  if (!wild.length) return undefined;
  const i = wild[pick % wild.length]!;
  const options = p[i] === '*' ? ['', 'a', 'abc', '?', '/', '*b', 'instance/*'] : ['a', 'q', '/'];
  const out = p.slice(0, i) + options[by % options.length]! + p.slice(i + 1);
  return out.startsWith('arn:') || /^[*?]+$/.test(out) ? out : undefined; // what the policy grammar accepts
}

const ALLOW_RANK: Record<Decision, number> = { implicitDeny: 0, explicitDeny: 0, conditional: 1, allowed: 2 };
const DENY_RANK: Record<Decision, number> = { allowed: 0, implicitDeny: 0, conditional: 1, explicitDeny: 2 };

function decide(element: 'Resource' | 'NotResource', effect: 'Allow' | 'Deny', pattern: string, action: string, resource: string | undefined): Decision {
  const statements: unknown[] = [{ Effect: effect, Action: action, [element]: pattern }];
  if (effect === 'Deny') statements.unshift({ Effect: 'Allow', Action: '*', Resource: '*' });
  const doc = { Version: '2012-10-17', Statement: statements };
  return evaluate(doc, action, resource !== undefined ? { resource } : {}).decision;
}

const ACTIONS = ['connect:DescribeInstance', 'connect:DescribeQueue', 'logs:PutLogEvents', 's3:GetObject', 'lambda:InvokeFunction'];

test('the broader pattern never matches less: Allow, Deny and NotResource (public entry point)', () => {
  let checked = 0;
  fc.assert(
    fc.property(patternArb, fc.nat(), fc.nat(), picksArb, fc.constantFrom(...ACTIONS), fc.boolean(), (broad, pick, by, picks, action, given) => {
      const narrow = narrower(broad, pick, by);
      if (narrow === undefined) return;
      checked++;
      const resources = given ? [...samples(narrow, picks), BASES[picks[0]! % BASES.length]!] : [undefined];
      for (const resource of resources) {
        const where = `${broad} ⊇ ${narrow}, ${action} on ${resource ?? '(default)'}`;
        const allowB = decide('Resource', 'Allow', broad, action, resource);
        const allowN = decide('Resource', 'Allow', narrow, action, resource);
        expect([where, ALLOW_RANK[allowB] >= ALLOW_RANK[allowN]]).toEqual([where, true]);
        const denyB = decide('Resource', 'Deny', broad, action, resource);
        const denyN = decide('Resource', 'Deny', narrow, action, resource);
        expect([where, DENY_RANK[denyB] >= DENY_RANK[denyN]]).toEqual([where, true]);
        // NotResource: the broader pattern excludes more, so it allows no more.
        const notB = decide('NotResource', 'Allow', broad, action, resource);
        const notN = decide('NotResource', 'Allow', narrow, action, resource);
        expect([where, ALLOW_RANK[notB] <= ALLOW_RANK[notN]]).toEqual([where, true]);
      }
    }),
    { seed: SEED, numRuns: 600 },
  );
  expect(checked).toBeGreaterThan(300);
});

test('the examples from the issue (public entry point)', () => {
  const instance = 'arn:aws:connect:us-east-1:123456789012:instance/abc';
  const deny = (pattern: string): Decision =>
    evaluate(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'connect:*', Resource: pattern }] },
      'connect:DescribeInstance',
      { resource: instance },
    ).decision;
  expect(deny('arn:aws:connect:*:instance/*')).toBe('explicitDeny');
  expect(deny('arn:aws:connect:*:instance/abc')).toBe('explicitDeny');
  const allowLogs = evaluate({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: 'arn:aws:logs:*:log-group:*' }] }, 'logs:PutRetentionPolicy');
  expect(allowLogs.decision).toBe('allowed');
});
