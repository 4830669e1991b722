#!/usr/bin/env node
// `jest-connect-iam check` over generated repos of policy files and templates, each run in a
// cold process: wall time and peak memory (maxRSS), against the floor of a cold process that
// only reads and parses the same files (JSON.parse / yaml). Memory must not grow with the
// number of files: compare 2,500 and 10,000 files. Figures are printed, not asserted.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, require(path.join(ROOT, 'package.json')).bin['jest-connect-iam']); // the shipped bin
const SIZES = (process.env.CHECK_BENCH_SIZES || '2500,10000').split(',').map(Number);

const WRITE = ['connect:UpdateInstanceAttribute', 'connect:CreateQueue', 'connect:DeleteUser', 's3:PutObject'];
const READ = ['connect:Describe*', 'connect:List*', 'connect:Get*', 'ds:DescribeDirectories', 's3:GetObject', 'kms:DescribeKey'];

function policyJson(i) {
  const statements = [
    { Sid: 'Read', Effect: 'Allow', Action: READ.slice(0, 2 + (i % 4)), Resource: '*' },
    { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::bucket-${i}`, `arn:aws:s3:::bucket-${i}/*`] },
  ];
  if (i % 10 === 0) statements.push({ Sid: 'Write', Effect: 'Allow', Action: WRITE[i % WRITE.length], Resource: '*' });
  if (i % 7 === 0) statements.push({ Sid: 'Region', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-2' } } });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

function templateYaml(i) {
  const readOnly = i % 4 === 1; // templates get odd i: half of them are read-only
  return `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: { Type: String, Default: prod }
Resources:
  Role${i}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub 'connect-${i}-\${Env}'
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
          Value: ${readOnly ? 'read-only' : 'admin'}
      Policies:
        - PolicyName: extras-${i}
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Sid: Flows
                Effect: Allow
                Action: [connect:DescribeContactFlow, connect:ListContactFlows]
                Resource: 'arn:aws:connect:eu-west-2:111122223333:instance/*'
${readOnly ? '' : `              - Sid: Admin
                Effect: Allow
                Action: ['${WRITE[i % WRITE.length]}']
                Resource: '*'
`}  Bucket${i}:
    Type: AWS::S3::Bucket
`;
}

const RULES = `rules:
  - name: readers-are-read-only
    select: { tags: { access-level: read-only } }
    expect: { readOnly: true }
  - name: nobody-deletes-instances
    expect: { notAllowActions: [connect:DeleteInstance] }
`;

function generate(dir, n) {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, `team-${i % 50}`);
    if (i < 50) fs.mkdirSync(sub, { recursive: true });
    if (i % 2 === 0) fs.writeFileSync(path.join(sub, `policy-${i}.json`), policyJson(i));
    else fs.writeFileSync(path.join(sub, `stack-${i}.yaml`), templateYaml(i));
  }
  fs.writeFileSync(path.join(dir, 'jest-connect-iam.rules.yaml'), RULES);
}

// A cold child process that runs `body` and prints {ms, maxRssMb} as its last stderr line.
function cold(body, args, nodeArgs = []) {
  const wrapper = `
const t0 = process.hrtime.bigint();
let code = 0;
${body}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stderr.write('\\n' + JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, code }) + '\\n');
`;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...nodeArgs, '-e', wrapper, '--', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, cwd: ROOT });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const last = r.stderr.trim().split('\n').pop();
  let inner;
  try {
    inner = JSON.parse(last);
  } catch {
    throw new Error(`bench child failed (status ${r.status}): ${r.stderr.slice(-2000)}`);
  }
  return { wall, ...inner };
}

const CHECK = `
const { main } = require(${JSON.stringify(MAIN)});
const dir = process.argv[process.argv.length - 1];
code = main(['check', '--cwd', dir, '--quiet', '--output', require('node:path').join(require('node:os').tmpdir(), 'jci-bench-report.txt')], { stdout: process.stdout, stderr: { write() {}, isTTY: false } });
`;

const FLOOR = `
const fs = require('node:fs');
const path = require('node:path');
const YAML = require(${JSON.stringify(require.resolve('yaml', { paths: [ROOT] }))});
const fg = require(${JSON.stringify(require.resolve('fast-glob', { paths: [ROOT] }))});
const dir = process.argv[process.argv.length - 1];
let n = 0;
for (const f of fg.sync(['**/*.{json,yaml,yml,template}'], { cwd: dir, ignore: ['**/node_modules/**', '**/jest-connect-iam.rules.yaml'] })) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  const v = f.endsWith('.json') ? JSON.parse(text) : YAML.parseDocument(text).toJS();
  if (v) n++;
}
if (n === 0) code = 1;
`;

// Live heap after a full GC, sampled at each quarter of the files (same engine, in-process):
// what the run retains, without the garbage V8 lets pile up between collections.
const PROBE = `
const { runRuleSet, parseRules } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'rules'))});
const dir = process.argv[process.argv.length - 1];
process.chdir(dir);
const rules = parseRules(require('node:fs').readFileSync('jest-connect-iam.rules.yaml', 'utf8'), 'jest-connect-iam.rules.yaml');
const samples = [];
runRuleSet(rules, { cwd: dir, loaderPath: (a, r) => r, onFile: (d, t) => {
  if (d % Math.ceil(t / 4) === 0 || d === t) { global.gc(); samples.push(Math.round(process.memoryUsage().heapUsed / 1048576)); }
} });
process.stdout.write(JSON.stringify(samples));
`;

function liveHeap(dir) {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', PROBE, '--', dir], { encoding: 'utf8', cwd: ROOT });
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`heap probe failed: ${r.stderr.slice(-2000)}`);
  }
}

function main() {
  if (!fs.existsSync(MAIN)) throw new Error('build first: npm run build');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-check-bench-'));
  try {
    const rows = [];
    for (const n of SIZES) {
      const dir = path.join(base, `repo-${n}`);
      generate(dir, n);
      const check = cold(CHECK, [dir]);
      const floor = cold(FLOOR, [dir]);
      const report = fs.readFileSync(path.join(os.tmpdir(), 'jci-bench-report.txt'), 'utf8');
      const result = (report.match(/Result: .*/) || ['?'])[0];
      const heap = liveHeap(dir);
      rows.push({ n, check, floor, result, heap });
      console.log(
        `check, ${n} files (${n / 2} policy files + ${n / 2} templates, 2 rules): wall ${(check.wall / 1000).toFixed(2)} s ` +
          `(in-process ${(check.ms / 1000).toFixed(2)} s), peak RSS ${check.maxRssMb.toFixed(0)} MB, exit ${check.code}; ${result}`,
      );
      console.log(
        `  floor (read + parse the same files): wall ${(floor.wall / 1000).toFixed(2)} s, peak RSS ${floor.maxRssMb.toFixed(0)} MB; ` +
          `ratio check/floor: wall ${(check.wall / floor.wall).toFixed(1)}x, in-process ${(check.ms / floor.ms).toFixed(1)}x; ` +
          `per file ${(check.ms / n).toFixed(2)} ms`,
      );
      console.log(`  live heap after GC at 25/50/75/100% of the files: ${heap.join(' / ')} MB`);
    }
    // The same largest run with V8's old space capped: it completes, so the run needs a
    // bounded heap; the higher peak RSS without the cap is V8 sizing its heap to the garbage.
    const big = rows[rows.length - 1];
    const capMb = Number(process.env.CHECK_BENCH_HEAP_CAP_MB || 96);
    const capped = cold(CHECK, [path.join(base, `repo-${big.n}`)], [`--max-old-space-size=${capMb}`]);
    console.log(
      `check, ${big.n} files with --max-old-space-size=${capMb}: exit ${capped.code}, wall ${(capped.wall / 1000).toFixed(2)} s, peak RSS ${capped.maxRssMb.toFixed(0)} MB`,
    );
    if (rows.length >= 2) {
      const a = rows[0];
      const b = rows[rows.length - 1];
      console.log(
        `memory growth ${a.n} -> ${b.n} files (${(b.n / a.n).toFixed(0)}x): check peak RSS ${a.check.maxRssMb.toFixed(0)} -> ${b.check.maxRssMb.toFixed(0)} MB ` +
          `(${(b.check.maxRssMb / a.check.maxRssMb).toFixed(2)}x); floor ${a.floor.maxRssMb.toFixed(0)} -> ${b.floor.maxRssMb.toFixed(0)} MB; ` +
          `live heap at the end ${a.heap[a.heap.length - 1]} -> ${b.heap[b.heap.length - 1]} MB`,
      );
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

main();
