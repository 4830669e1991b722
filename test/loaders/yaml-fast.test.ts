/**
 * The fast YAML reader (src/loaders/cloudformation/yaml-fast.ts) against the `yaml` path
 * (parseYaml): whenever the fast reader answers, the value (types, key order, tags), the place
 * of every container and of every child, and the JSON path of each must be the same; when the
 * `yaml` path refuses a text, the fast reader must have given up. Checked on every fixture,
 * examples/, the ../shared corpus when present, generated templates, and random documents
 * and mutations of them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseYaml } from '../../src/loaders/cloudformation/yaml';
import { parseYamlFast } from '../../src/loaders/cloudformation/yaml-fast';
import { SourceMap, DEFAULT_LIMITS } from '../../src/loaders/source';
import { parseText } from '../../src/loaders/parse';

type Outcome = { ok: true; value: unknown; map: SourceMap } | { ok: false; error: string };

function slow(text: string, maxDepth = DEFAULT_LIMITS.maxDepth): Outcome {
  const map = new SourceMap('f.yaml', text);
  try {
    const r = parseYaml(text, map, maxDepth, DEFAULT_LIMITS.maxAliasCount);
    if (r.multiDocument) return { ok: false, error: 'multi' };
    return { ok: true, value: r.value, map };
  } catch (e) {
    return { ok: false, error: String((e as Error).message) };
  }
}

function fast(text: string, maxDepth = DEFAULT_LIMITS.maxDepth): { value: unknown; map: SourceMap } | undefined {
  const map = new SourceMap('f.yaml', text);
  const r = parseYamlFast(text, map, maxDepth);
  return r ? { value: r.value, map } : undefined;
}

/** Every difference between two readings, as `path: what` lines (empty: the same). */
function differences(a: unknown, am: SourceMap, b: unknown, bm: SourceMap, at = '$', out: string[] = []): string[] {
  if (out.length > 5) return out;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    out.push(`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    return out;
  }
  if (typeof a !== 'object' || a === null) {
    if (!Object.is(a, b)) out.push(`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    return out;
  }
  const la = JSON.stringify(am.locate(a));
  const lb = JSON.stringify(bm.locate(b));
  if (la !== lb) out.push(`${at}: located ${la} vs ${lb}`);
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (JSON.stringify(ka) !== JSON.stringify(kb)) {
    out.push(`${at}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`);
    return out;
  }
  for (const k of ka) {
    const key = Array.isArray(a) ? Number(k) : k;
    const ca = JSON.stringify(am.locateChild(a, key));
    const cb = JSON.stringify(bm.locateChild(b, key));
    if (ca !== cb) out.push(`${at}.${k}: child located ${ca} vs ${cb}`);
    differences((a as Record<string, unknown>)[k], am, (b as Record<string, unknown>)[k], bm, `${at}.${k}`, out);
  }
  // Keys that are not there are not found either way.
  for (const missing of ['nope', 99999]) {
    if (am.locateChild(a, missing) !== undefined || bm.locateChild(b, missing) !== undefined) {
      if (JSON.stringify(am.locateChild(a, missing)) !== JSON.stringify(bm.locateChild(b, missing))) out.push(`${at}: child ${missing} located differently`);
    }
  }
  return out;
}

/** Compare on one text; returns whether the fast reader answered. */
function agree(text: string, maxDepth?: number): boolean {
  const f = fast(text, maxDepth);
  if (!f) return false;
  const s = slow(text, maxDepth);
  if (!s.ok) throw new Error(`the fast reader accepted a text the yaml path refuses (${s.error}):\n${text}`);
  const diff = differences(s.value, s.map, f.value, f.map);
  if (diff.length) throw new Error(`the readings differ:\n${diff.join('\n')}\n--- text:\n${text}`);
  return true;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...filesUnder(p));
    } else if (/\.(ya?ml|template)$/.test(e.name)) out.push(p);
  }
  return out;
}

const ROOT = path.resolve(__dirname, '..', '..');

describe('fast YAML reader agrees with the yaml path', () => {
  test('fixtures and examples: same values and positions whenever the fast reader answers', () => {
    const files = [...filesUnder(path.join(ROOT, 'test')), ...filesUnder(path.join(ROOT, 'examples'))];
    expect(files.length).toBeGreaterThan(20);
    let answered = 0;
    for (const f of files) if (agree(fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, ''))) answered++;
    expect(answered).toBeGreaterThan(10);
  });

  const corpus = path.resolve(ROOT, '..', 'shared', 'corpus', 'templates');
  (fs.existsSync(corpus) ? test : test.skip)('the ../shared corpus templates (needs ../shared): same values and positions', () => {
    // Skipped when ../shared is absent (a fresh clone): the fixtures above stand alone.
    let answered = 0;
    for (const f of filesUnder(corpus)) if (agree(fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, ''))) answered++;
    expect(answered).toBeGreaterThan(0);
  });

  test('a typical template is read the fast way (tags, flow collections, compact items, comments)', () => {
    const text = `# a stack
AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  'AWS::CloudFormation::Interface':
    "Parameter Groups": [a]
Parameters:
  Env: { Type: String, Default: prod }   # inline
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Role1:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub 'connect-1-\${Env}'
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal: { Service: connect.amazonaws.com }
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/AmazonConnectReadOnlyAccess
      Tags:
      - Key: access-level
        Value: "read-only"
      Policies:
        - PolicyName: extras
          PolicyDocument:
            Statement:

              - Sid: Flows
                Effect: !If [IsProd, Deny, Allow]
                Action: [connect:DescribeContactFlow, connect:ListContactFlows]
                Resource:
                  - !GetAtt Bucket.Arn
                  - !Join ['', [!GetAtt Bucket.Arn, '/*']]
                  - !Sub
                    - 'arn:aws:s3:::\${B}/x'
                    - { B: !Ref Bucket }
                Condition:
                  NumericLessThan: { aws:MultiFactorAuthAge: 3600 }
                  StringEquals:
                    aws:PrincipalAccount: 012345678901
                    aws:RequestTag/f: 1.0
                    aws:RequestTag/b: [yes, true, ~, -1.5e3, 0x1F, .inf]
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {Tags: [{Key: "a\\tb", Value: 'it''s'}], Other: [
        1, 2,
        3]}
`;
    expect(agree(text)).toBe(true);
  });

  test('block scalars: literal and folded, clip and strip, tagged, in sequences, with empty lines and comments', () => {
    const texts = [
      'a: |\n  line 1\n  line 2\nb: 1\n',
      'a: |-\n  line 1\n\n  line 3\n\n\nb: 1\n',
      'a: >\n  folded\n  text\n\n  next\n\n\n  para\nb: 2\n',
      'a: >-\n  folded\n  text  \n  x\n',
      'a: !Sub |\n  echo ${AWS::Region}\n  # not a comment\n# a comment\nb: c\n',
      'a:\n  - |\n    x\n  - !Sub |-\n      y\n  - z\n',
      'a:\n  b: | # a comment\n      deeper\n    c\n',
      'Resources:\n  F:\n    Properties:\n      Code:\n        ZipFile: |\n          import json\n          def handler(e, c):\n              return {"a": 1}\n      Handler: index.handler\n',
    ];
    let answered = 0;
    for (const text of texts) if (agree(text)) answered++;
    expect(answered).toBeGreaterThanOrEqual(6);
    for (const text of ['a: |+\n  x\n', 'a: |2\n    x\n', 'a: |\n\n  x\n', 'a: |\n  x', 'a: >\n  x\n    more\n', 'a: |\nb: 1\n']) {
      expect(fast(text)).toBeUndefined();
      agree(text);
    }
  });

  test('values on the line below their key or dash: tags, flows, scalars', () => {
    const texts = [
      'a:\n  !Join\n    - ""\n    - [x, y]\nb: 1\n',
      'a:\n    !Join\n  - ""\n  - [x, y]\n',
      'a:\n  !Ref X\nb:\n  plain value\nc:\n  "quoted"\nd:\n  [1, 2]\ne:\n  |\n    text\n',
      'a:\n  -\n    !GetAtt R.Arn\n  -\n    !If\n      - C\n      - 1\n      - 2\n  -\n    x\n',
      'a:\n  !Ref\n    !Ref X\n',
      'a:\n  plain\n  more\n',
    ];
    let answered = 0;
    for (const text of texts) if (agree(text)) answered++;
    expect(answered).toBeGreaterThanOrEqual(3);
  });

  test('what the fast reader gives up on goes to yaml (anchors, block scalars, multi-line scalars, errors)', () => {
    const given = [
      'a: &x 1\nb: *x\n',
      'a: |+\n  text\n',
      'a: plain\n  continued\n',
      'a:\n  plain\n  continued\n',
      'a:\n  !Ref\n    !Ref X\n',
      'a: "quoted\n  continued"\n',
      '---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      'a:\tb\n',
      'a: 1\r\nb: 2\r\n',
      'a: 1\na: 2\n',
      '1: a\n',
      'a: !Unknown x\n',
      'a: !!str 1\n',
      '? a\n: b\n',
      'a:\n  - 1\n   - 2\n',
      'a:\n    b: 1\n  c: 2\n',
      'a: b: c\n',
      'a: [1, 2,]\n',
      'a: [1\n',
      '',
      '# only a comment\n',
      '  a: 1\n',
      'a:\n  -\n  - 2\n',
      'a:\n  - - 1\n     - 2\n',
      'a: {b}\n',
      'a: [b: c]\n',
      '<<: {a: 1}\n',
    ];
    for (const text of given) {
      expect(fast(text)).toBeUndefined();
    }
  });

  test('nesting past maxDepth is left to yaml (which refuses it with its message)', () => {
    const deep = (n: number): string => Array.from({ length: n }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n') + ' 1\n';
    expect(agree(deep(5), 10)).toBe(true);
    expect(fast(deep(12), 10)).toBeUndefined();
    expect(slow(deep(12), 10).ok).toBe(false);
    const flow = '[' .repeat(12) + ']'.repeat(12);
    expect(fast(`a: ${flow}\n`, 10)).toBeUndefined();
  });

  test('parseText reads plain YAML the fast way and keeps the same format and positions', () => {
    const text = 'Version: 2012-10-17\nStatement:\n  - Effect: Allow\n    Action: connect:ListQueues\n    Resource: "*"\n';
    const p = parseText(text, 'p.yaml', DEFAULT_LIMITS);
    expect(p.format).toBe('yaml');
    expect(p.map.locateChild((p.value as { Statement: unknown[] }).Statement, 0)).toEqual({ file: 'p.yaml', line: 3, column: 5, path: 'Statement[0]' });
  });
});

// ---- random documents ----------------------------------------------------------------------

const scalarText = fc.oneof(
  fc.constantFrom('a', 'Allow', 'connect:List*', 'arn:aws:s3:::b/*', '*', '2012-10-17', 'yes', 'true', 'False', 'null', '~', 'NULL', '0', '-1', '+5', '012', '0o17', '0x1f', '1.0', '1.5', '.5', '1e3', '.inf', '.NaN', 'a b', 'a#b', 'a #b', 'a: b', 'a:b', '${Env}', 'x,y', '[x]', '{x}', '-x', '- x', '?x', ':x', '!x', '&x', '*x', '@x', '`x', '%x', "it's", 'say "hi"', 'back\\slash', 'é', 'a:', '#', ''),
  fc.string({ maxLength: 6 }),
);

const quoteStyle = fc.constantFrom('plain', 'single', 'double');

function renderScalar(s: string, style: string): string {
  if (style === 'single') return `'${s.replace(/'/g, "''")}'`;
  if (style === 'double') return JSON.stringify(s);
  return s;
}

const TAGS = ['!Ref', '!Sub', '!GetAtt', '!If', '!Join', '!Select', '!Equals'];

type Tree = { k: 'scalar'; s: string; style: string; tag?: string } | { k: 'map'; entries: Array<[string, string, Tree]>; flow: boolean; tag?: string } | { k: 'seq'; items: Tree[]; flow: boolean; tag?: string };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('scalar' as const), s: scalarText, style: quoteStyle, tag: fc.option(fc.constantFrom(...TAGS), { nil: undefined }) }),
    fc.record({
      k: fc.constant('map' as const),
      entries: fc.array(fc.tuple(fc.constantFrom('Key', 'Effect', 'a b', 'x:y', '__proto__', 'Fn::If', 'true', '1', 'k#', 'é'), quoteStyle, tie('t')), { minLength: 1, maxLength: 4 }),
      flow: fc.boolean(),
      tag: fc.option(fc.constantFrom(...TAGS), { nil: undefined }),
    }),
    fc.record({ k: fc.constant('seq' as const), items: fc.array(tie('t'), { minLength: 1, maxLength: 4 }), flow: fc.boolean(), tag: fc.option(fc.constantFrom(...TAGS), { nil: undefined }) }),
  ),
})).t;

function renderFlow(t: Tree): string {
  const tag = t.tag ? `${t.tag} ` : '';
  if (t.k === 'scalar') return tag + renderScalar(t.s, t.style);
  if (t.k === 'seq') return `${tag}[${t.items.map(renderFlow).join(', ')}]`;
  return `${tag}{ ${t.entries.map(([k, st, v]) => `${renderScalar(k, st)}: ${renderFlow(v)}`).join(', ')} }`;
}

/** A block node at `indent`: inline (flow or scalar, on the key's line), or lines below (with a tag on the key's line). */
function renderBlock(t: Tree, indent: number, compactSeqItem: boolean): { inline?: string; tag?: string; lines: string[] } {
  const pad = ' '.repeat(indent);
  if (t.k === 'scalar' || t.flow) return { inline: renderFlow(t), lines: [] };
  const lines: string[] = [];
  const compact = compactSeqItem && !t.tag;
  if (t.k === 'map') {
    t.entries.forEach(([k, st, v], i) => {
      const keyText = `${renderScalar(k, st)}:`;
      const child = renderBlock(v, indent + 2, false);
      const head = i === 0 && compact ? '' : pad;
      if (child.inline !== undefined) lines.push(`${head}${keyText} ${child.inline}`);
      else lines.push(`${head}${keyText}${child.tag ? ` ${child.tag}` : ''}`, ...child.lines);
    });
  } else {
    for (const item of t.items) {
      const child = renderBlock(item, indent + 2, true);
      if (child.inline !== undefined) lines.push(`${pad}- ${child.inline}`);
      else if (item.k === 'map' && !item.tag) {
        const [first, ...rest] = child.lines;
        lines.push(`${pad}- ${first}`, ...rest);
      } else lines.push(`${pad}-${child.tag ? ` ${child.tag}` : ''}`, ...child.lines);
    }
  }
  return { ...(t.tag ? { tag: t.tag } : {}), lines };
}

function renderDocument(t: Tree): string {
  if (t.k !== 'map' || t.flow || t.tag) return `root: ${renderFlow(t)}\n`;
  return renderBlock(t, 0, false).lines.join('\n') + '\n';
}

// Fixed seeds: each property also counts how often the fast reader answered (so it is not
// vacuous), and that count must not depend on the run.
describe('fast YAML reader on random documents', () => {
  test('generated documents: the same as the yaml path whenever the fast reader answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(tree, (t) => {
        if (agree(renderDocument(t))) answered++;
      }),
      { numRuns: 600, seed: 20261202 },
    );
    expect(answered).toBeGreaterThan(50);
  });

  test.each([
    ['compact', 'one'],
    ['values below their keys, block scalars', 'two'],
  ])('mutated templates (%s): the same as the yaml path whenever the fast reader answers', (_label, which) => {
    const base = which === 'two' ? `Resources:
  B:
    Properties:
      BucketName:
        !Join
          - ''
          - - !Ref AWS::StackName
            - '-b'
      Items:
        -
          !GetAtt R.Arn
        -
          plain
      Script: !Sub |
        echo \${AWS::Region}
          indented

        done
      Folded: >
        a
        b
`
      : `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub 'r-\${Env}'   # c
      Tags: [{Key: a, Value: "b"}, {Key: c, Value: d}]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, 's3:Put*']
                Resource:
                - !GetAtt B.Arn
                - !Join ['', [!Ref B, '/*']]
  Fn:
    Properties:
      Code: |
        line one
          indented

        after an empty line
      Note: >-
        folded
        text
`;
    expect(agree(base)).toBe(true);
    let answered = 0;
    const pieces = [' ', '  ', '\n', '\n  ', '- ', ': ', ':', '#', ' #', '[', ']', '{', '}', ',', '"', "'", '!Ref ', '!If', '&a ', '*a', '|', '>', '? ', '\\', 'x', '1', '~', '---\n', '\t'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length), fc.nat(3), fc.constantFrom(...pieces)), { minLength: 1, maxLength: 3 }), (edits) => {
        let text = base;
        for (const [at, del, ins] of edits) {
          const i = Math.min(at, text.length);
          text = text.slice(0, i) + ins + text.slice(i + del);
        }
        if (agree(text)) answered++;
      }),
      { numRuns: 1500, seed: 20261202 },
    );
    expect(answered).toBeGreaterThan(200);
  });
});
