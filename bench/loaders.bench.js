#!/usr/bin/env node
// Loader figures (issue 4), against dist/. Run with `npm run bench` (or `node bench/run.js loaders`).
// Printed, not asserted. The floor is what any loader must pay: read the file and YAML-parse it
// (yaml's parse() of the same text, JSON files included). Target: loading within 1.5x of the floor.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const YAML = require('yaml');

const dist = path.join(__dirname, '..', 'dist', 'src');
const { loadFile } = require(path.join(dist, 'loaders'));

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}
const f2 = (n) => n.toFixed(2);


// The floor parses with the CloudFormation short tags registered (as any CloudFormation-aware
// YAML read must), YAML 1.2 core schema, no alias limit, then converts to plain JS (toJS).
const SHORT_TAGS = ['!Ref', '!Condition', '!Sub', '!GetAtt', '!Join', '!If', '!Select', '!Split', '!FindInMap', '!Equals', '!And', '!Or', '!Not', '!ImportValue', '!Base64', '!Cidr', '!GetAZs', '!Transform', '!Length', '!ToJsonString', '!ForEach'];
const customTags = SHORT_TAGS.flatMap((tag) => [
  { tag, resolve: (s) => ({ [tag]: s }) },
  { tag, collection: 'seq', nodeClass: YAML.YAMLSeq, resolve: (v) => v },
  { tag, collection: 'map', nodeClass: YAML.YAMLMap, resolve: (v) => v },
]);
/** Medians of `runs` alternating timings of a and b (after warm-up). */
function timedPair(a, b, runs) {
  a();
  b();
  const xa = [];
  const xb = [];
  for (let i = 0; i < runs; i++) {
    if (global.gc) global.gc();
    let t = process.hrtime.bigint();
    a();
    xa.push(ms(t));
    if (global.gc) global.gc();
    t = process.hrtime.bigint();
    b();
    xb.push(ms(t));
  }
  return [median(xa), median(xb)];
}

const floor = (file) => YAML.parse(fs.readFileSync(file, 'utf8'), { schema: 'core', version: '1.2', maxAliasCount: -1, prettyErrors: false, uniqueKeys: false, logLevel: 'error', customTags });
const floorSafe = (file) => {
  try {
    floor(file);
  } catch {
    // an invalid file still costs its read and parse attempt
  }
};
const load = (file) => loadFile(file);

function report(label, files, runs) {
  const loadTimes = [];
  const floorTimes = [];
  let errors = 0;
  let principals = 0;
  for (const f of files) {
    const r = load(f);
    if (r.error) errors++;
    principals += r.principals.length;
    // Interleaved so both see the same machine load and GC state.
    const [l, fl] = timedPair(() => load(f), () => floorSafe(f), runs);
    loadTimes.push(l);
    floorTimes.push(fl);
  }
  const sumLoad = loadTimes.reduce((a, b) => a + b, 0);
  const sumFloor = floorTimes.reduce((a, b) => a + b, 0);
  const ratios = loadTimes.map((t, i) => t / floorTimes[i]);
  console.log(`${label}: ${files.length} file(s), ${principals} principals, ${errors} with an error`);
  console.log(`  loadFile     per template: median ${f2(median(loadTimes))} ms, p95 ${f2(quantile(loadTimes, 0.95))} ms, total ${f2(sumLoad)} ms`);
  console.log(`  floor (read + YAML.parse): median ${f2(median(floorTimes))} ms, p95 ${f2(quantile(floorTimes, 0.95))} ms, total ${f2(sumFloor)} ms`);
  console.log(`  loadFile / floor: ${f2(sumLoad / sumFloor)}x over the total; per file median ${f2(median(ratios))}x, p95 ${f2(quantile(ratios, 0.95))}x (target <= 1.5x)`);
}

// 1. The corpus (../shared/corpus/templates), when present.
const corpus = path.resolve(__dirname, '..', '..', 'shared', 'corpus', 'templates');
if (fs.existsSync(corpus)) {
  const files = fs.readdirSync(corpus).sort().map((f) => path.join(corpus, f));
  report('corpus', files, 15);
} else {
  console.log(`corpus: skipped (${corpus} not present)`);
}

// 2. A generated 5,000-resource template: roles with inline policies and intrinsics, managed
// policies attached through Roles, SAM-free plain CloudFormation, plus non-IAM resources.
function generated(n) {
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Parameters:', '  Env: {Type: String, Default: prod}', 'Conditions:', '  IsProd: !Equals [!Ref Env, prod]', 'Resources:'];
  for (let i = 0; i < n; i++) {
    switch (i % 5) {
      case 0:
        lines.push(
          `  Role${i}:`,
          '    Type: AWS::IAM::Role',
          '    Properties:',
          `      RoleName: !Sub "\${Env}-role-${i}"`,
          '      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]}',
          '      ManagedPolicyArns: [!Sub "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]',
          '      Policies:',
          `        - PolicyName: inline-${i}`,
          '          PolicyDocument:',
          '            Version: "2012-10-17"',
          '            Statement:',
          '              - Effect: Allow',
          '                Action: [connect:Describe*, connect:List*]',
          `                Resource: !Sub "arn:aws:connect:\${AWS::Region}:\${AWS::AccountId}:instance/${i}/*"`,
          '              - Effect: !If [IsProd, Deny, Allow]',
          '                Action: connect:Delete*',
          `                Resource: !GetAtt Bucket${i + 1}.Arn`,
        );
        break;
      case 1:
        lines.push(`  Bucket${i}:`, '    Type: AWS::S3::Bucket', '    Properties:', `      BucketName: !Sub "\${AWS::StackName}-bucket-${i}"`, '      Tags: [{Key: n, Value: "' + i + '"}]');
        break;
      case 2:
        lines.push(
          `  Managed${i}:`,
          '    Type: AWS::IAM::ManagedPolicy',
          '    Properties:',
          `      Roles: [!Ref Role${i - 2}]`,
          '      PolicyDocument:',
          '        Version: "2012-10-17"',
          '        Statement:',
          '          - Effect: Allow',
          '            Action: s3:GetObject',
          `            Resource: !Join ["", ["arn:aws:s3:::", !Ref Bucket${i - 1}, "/*"]]`,
        );
        break;
      case 3:
        lines.push(`  Queue${i}:`, '    Type: AWS::SQS::Queue', '    Properties:', `      QueueName: q-${i}`, '      VisibilityTimeout: 30');
        break;
      default:
        lines.push(`  Topic${i}:`, '    Type: AWS::SNS::Topic', '    Properties:', `      TopicName: t-${i}`);
    }
  }
  return lines.join('\n') + '\n';
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-bench-'));
const big = path.join(dir, 'big.yaml');
fs.writeFileSync(big, generated(5000));
console.log(`generated template: ${(fs.statSync(big).size / 1024).toFixed(0)} KiB`);
report('generated 5,000-resource template (YAML)', [big], 5);
fs.rmSync(dir, { recursive: true, force: true });
