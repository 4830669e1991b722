#!/usr/bin/env node
// Terraform figures (issue 11), against dist/. Run with `npm run bench` (or `node bench/run.js terraform`).
// Printed, not asserted.
//
// 1. A generated 100 MB plan (`terraform show -json` format 1.2: planned_values with child modules,
//    resource_changes with before/after/after_unknown, configuration) of which a few hundred resources are
//    IAM and the rest S3/Lambda/CloudWatch: loadTerraformPlan against the floor of reading the file and
//    JSON.parse-ing it. Each side runs in its own fresh process, so peak RSS (maxRSS) is its own.
// 2. `check` over a Terraform repo (a root with a local module and the plan beside it, a rules file).
// 3. `check` over a Terraform repo of .tf sources only (no plan): 200 roles over a local module with for_each
//    and count, loaded by loadTerraform, against the floor of parsing the same .tf files (HCL parser only).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const dist = path.join(__dirname, '..', 'dist', 'src');
// The shipped bin (package.json "bin").
const BIN = path.join(__dirname, '..', require('../package.json').bin['jest-connect-iam']);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-bench-tf-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const P = 'registry.terraform.io/hashicorp/aws';
const doc = (actions) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

/** Write a plan of about `targetBytes` to `file` in pieces (the generator itself keeps little in memory). */
function writeBigPlan(file, targetBytes) {
  const fd = fs.openSync(file, 'w');
  const w = (s) => fs.writeSync(fd, s);
  const filler = 'x'.repeat(2000);
  const resources = [];
  const changes = [];
  const flush = (list) => {
    const s = list.join(',');
    list.length = 0;
    return s;
  };
  // IAM: 200 roles in 20 module instances, each with an inline policy and an AWS managed attachment.
  const iam = [];
  const iamChanges = [];
  for (let m = 0; m < 20; m++) {
    const mod = `module.team["t${m}"]`;
    for (let i = 0; i < 10; i++) {
      const role = { address: `${mod}.aws_iam_role.r[${i}]`, mode: 'managed', type: 'aws_iam_role', name: 'r', index: i, provider_name: P, schema_version: 0, values: { name: `t${m}-r${i}`, path: '/', tags: { team: `t${m}` }, tags_all: { team: `t${m}` }, permissions_boundary: null }, sensitive_values: {} };
      const pol = { address: `${mod}.aws_iam_role_policy.p[${i}]`, mode: 'managed', type: 'aws_iam_role_policy', name: 'p', index: i, provider_name: P, schema_version: 0, values: { name: `p${i}`, role: `t${m}-r${i}`, policy: doc(['connect:ListInstances', 'connect:DescribeInstance']) }, sensitive_values: {} };
      const att = { address: `${mod}.aws_iam_role_policy_attachment.ro[${i}]`, mode: 'managed', type: 'aws_iam_role_policy_attachment', name: 'ro', index: i, provider_name: P, schema_version: 0, values: { role: `t${m}-r${i}`, policy_arn: 'arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess' }, sensitive_values: {} };
      for (const r of [role, pol, att]) {
        iam.push(r);
        iamChanges.push({ address: r.address, module_address: mod, mode: 'managed', type: r.type, name: r.name, index: i, provider_name: P, change: { actions: ['create'], before: null, after: r.values, after_unknown: { id: true, arn: true }, before_sensitive: false, after_sensitive: {} } });
      }
    }
  }
  w('{"format_version":"1.2","terraform_version":"1.9.8","variables":{"stage":{"value":"prod"}},"planned_values":{"root_module":{"resources":[');
  // Non-IAM resources: about half of the bytes in planned_values, half in resource_changes (before + after).
  const per = 2 * (filler.length + 300);
  const count = Math.max(1, Math.floor(targetBytes / per / 1.23));
  let first = true;
  for (let i = 0; i < count; i++) {
    resources.push(JSON.stringify({ address: `aws_s3_object.o[${i}]`, mode: 'managed', type: 'aws_s3_object', name: 'o', index: i, provider_name: P, schema_version: 0, values: { bucket: 'b', key: `k${i}`, content: filler, tags: { n: String(i) } }, sensitive_values: {} }));
    if (resources.length >= 1000) {
      w((first ? '' : ',') + flush(resources));
      first = false;
    }
  }
  if (resources.length) w((first ? '' : ',') + flush(resources));
  w('],"child_modules":[');
  for (let m = 0; m < 20; m++) {
    const mod = `module.team["t${m}"]`;
    w((m ? ',' : '') + JSON.stringify({ address: mod, resources: iam.filter((r) => r.address.startsWith(mod + '.')) }));
  }
  w(']}},"resource_changes":[');
  w(iamChanges.map((c) => JSON.stringify(c)).join(','));
  for (let i = 0; i < count; i++) {
    const after = { bucket: 'b', key: `k${i}`, content: filler };
    changes.push(JSON.stringify({ address: `aws_s3_object.o[${i}]`, mode: 'managed', type: 'aws_s3_object', name: 'o', index: i, provider_name: P, change: { actions: ['update'], before: { ...after, content: filler.slice(0, 1000) }, after, after_unknown: { etag: true }, before_sensitive: {}, after_sensitive: {} } }));
    if (changes.length >= 1000) w(',' + flush(changes));
  }
  if (changes.length) w(',' + flush(changes));
  const teamModule = {
    resources: [
      { address: 'aws_iam_role.r', mode: 'managed', type: 'aws_iam_role', name: 'r', provider_config_key: 'aws', expressions: { name: { references: ['var.team'] } }, schema_version: 0, count_expression: { constant_value: 10 } },
      { address: 'aws_iam_role_policy.p', mode: 'managed', type: 'aws_iam_role_policy', name: 'p', provider_config_key: 'aws', expressions: { role: { references: ['aws_iam_role.r[count.index].name', 'aws_iam_role.r'] }, policy: { constant_value: doc(['connect:ListInstances', 'connect:DescribeInstance']) } }, schema_version: 0, count_expression: { constant_value: 10 } },
      { address: 'aws_iam_role_policy_attachment.ro', mode: 'managed', type: 'aws_iam_role_policy_attachment', name: 'ro', provider_config_key: 'aws', expressions: { role: { references: ['aws_iam_role.r[count.index].name', 'aws_iam_role.r'] }, policy_arn: { constant_value: 'arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess' } }, schema_version: 0, count_expression: { constant_value: 10 } },
    ],
  };
  const config = { provider_config: { aws: { name: 'aws', full_name: P } }, root_module: { resources: [{ address: 'aws_s3_object.o', mode: 'managed', type: 'aws_s3_object', name: 'o', provider_config_key: 'aws', expressions: { bucket: { constant_value: 'b' } }, schema_version: 0, count_expression: { constant_value: count } }], module_calls: { team: { source: './modules/team', for_each_expression: {}, module: teamModule } } } };
  w(`],"configuration":${JSON.stringify(config)},"timestamp":"2026-11-30T09:00:00Z","applyable":true,"complete":true,"errored":false}`);
  fs.closeSync(fd);
  return { roles: 200, nonIam: count };
}

/** Run `code` in a fresh node process; returns its printed JSON plus wall time and peak RSS. */
function child(code) {
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr || r.stdout);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const measure = (body) => `
  const t = process.hrtime.bigint();
  const out = (() => { ${body} })();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, out }));
`;

const planFile = path.join(tmp, 'plan.json');
const gen = writeBigPlan(planFile, 100 * 1024 * 1024);
const mb = fs.statSync(planFile).size / 1024 / 1024;
console.log(`generated plan: ${mb.toFixed(1)} MB, ${gen.roles} IAM roles (+ policies and attachments) in 20 module instances, ${gen.nonIam} S3 objects`);
const baseline = child(measure('return 0;'));
const runs = 3;
const floor = [];
const load = [];
for (let i = 0; i < runs; i++) {
  floor.push(child(measure(`const v = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(planFile)}, 'utf8')); return Object.keys(v).length;`)));
  load.push(child(measure(`const { loadTerraformPlan } = require(${JSON.stringify(path.join(dist, 'loaders'))}); const p = loadTerraformPlan(${JSON.stringify(planFile)}, { sources: false }); return p.principals.length;`)));
}
const med = (xs, k) => [...xs].map((x) => x[k]).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`node baseline (empty process): peak RSS ${baseline.maxRssMb.toFixed(0)} MB`);
console.log(`read + JSON.parse (floor):      ${med(floor, 'ms').toFixed(0)} ms, peak RSS ${med(floor, 'maxRssMb').toFixed(0)} MB  (median of ${runs} fresh processes)`);
console.log(`loadTerraformPlan:              ${med(load, 'ms').toFixed(0)} ms, peak RSS ${med(load, 'maxRssMb').toFixed(0)} MB, ${load[0].out} principals (includes loading the package)`);
console.log(`  -> time ${(med(load, 'ms') / med(floor, 'ms')).toFixed(2)}x the floor; peak RSS ${(med(load, 'maxRssMb') / med(floor, 'maxRssMb')).toFixed(2)}x the floor's, ${(med(load, 'maxRssMb') - baseline.maxRssMb).toFixed(0)} MB above an empty process for a ${mb.toFixed(0)} MB plan`);

// 2. check over a Terraform repo: the examples' Terraform root plus the big plan's root.
const repo = path.join(tmp, 'repo');
fs.mkdirSync(path.join(repo, 'infra', 'connect', 'modules', 'team'), { recursive: true });
fs.copyFileSync(planFile, path.join(repo, 'infra', 'connect', 'plan.json'));
fs.writeFileSync(path.join(repo, 'infra', 'connect', 'main.tf'), 'module "team" {\n  source   = "./modules/team"\n  for_each = toset(var.teams)\n  team     = each.key\n}\n');
fs.writeFileSync(path.join(repo, 'infra', 'connect', 'modules', 'team', 'main.tf'), 'variable "team" {}\n\nresource "aws_iam_role" "r" {\n  count = 10\n  name  = "${var.team}-r${count.index}"\n}\n\nresource "aws_iam_role_policy" "p" {\n  count  = 10\n  role   = aws_iam_role.r[count.index].name\n  policy = jsonencode({})\n}\n\nresource "aws_iam_role_policy_attachment" "ro" {\n  count      = 10\n  role       = aws_iam_role.r[count.index].name\n  policy_arn = "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"\n}\n');
fs.writeFileSync(path.join(repo, 'jest-connect-iam.rules.yaml'), 'version: 1\nrules:\n  - name: teams-read-only\n    select:\n      principals: ["module.team[*].aws_iam_role.r[*]"]\n    expect:\n      readOnly: true\n      stayWithin: AmazonConnectReadOnlyAccess\n      notGrantConsoleTasks: [Federations / Admin/Emergency federation]\n');
const t = process.hrtime.bigint();
const r = spawnSync(process.execPath, [BIN, 'check', '--cwd', repo, '--quiet'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const checkMs = Number(process.hrtime.bigint() - t) / 1e6;
const summary = (r.stdout.match(/Result: .*/) || ['(no result line)'])[0];
console.log(`check over a Terraform repo (one root, local module, the ${mb.toFixed(0)} MB plan, 200 roles x 3 checks): ${checkMs.toFixed(0)} ms, exit ${r.status}; ${summary}`);

// 3. Sources only (no plan): 20 teams (for_each over a local module) x 10 roles (count), each with a
//    jsonencode policy, a policy document, and an AWS managed attachment; a rules file over every role.
const srcRepo = path.join(tmp, 'src-repo');
const srcRoot = path.join(srcRepo, 'infra', 'connect');
fs.mkdirSync(path.join(srcRoot, 'modules', 'team'), { recursive: true });
const teams = Array.from({ length: 20 }, (_, i) => `"t${i}"`).join(', ');
fs.writeFileSync(path.join(srcRoot, 'main.tf'), `variable "teams" {\n  default = [${teams}]\n}\n\nmodule "team" {\n  source   = "./modules/team"\n  for_each = toset(var.teams)\n  team     = each.key\n}\n`);
fs.writeFileSync(path.join(srcRoot, 'terraform.tfvars'), `teams = [${teams}]\n`);
fs.writeFileSync(
  path.join(srcRoot, 'modules', 'team', 'main.tf'),
  `variable "team" {}

locals {
  read = ["connect:ListInstances", "connect:DescribeInstance"]
}

resource "aws_iam_role" "r" {
  count = 10
  name  = "\${var.team}-r\${count.index}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "connect.amazonaws.com" } }]
  })
  tags = { team = var.team }
}

data "aws_iam_policy_document" "extra" {
  statement {
    actions   = ["connect:ListQueues", "connect:DescribeQueue"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "p" {
  count  = 10
  name   = "p\${count.index}"
  role   = aws_iam_role.r[count.index].name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = local.read, Resource = "*" }] })
}

resource "aws_iam_role_policy" "extra" {
  count  = 10
  name   = "extra\${count.index}"
  role   = aws_iam_role.r[count.index].id
  policy = data.aws_iam_policy_document.extra.json
}

resource "aws_iam_role_policy_attachment" "ro" {
  count      = 10
  role       = aws_iam_role.r[count.index].name
  policy_arn = "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"
}
`,
);
fs.writeFileSync(path.join(srcRepo, 'jest-connect-iam.rules.yaml'), 'version: 1\nrules:\n  - name: teams-read-only\n    select:\n      principals: ["module.team[*].aws_iam_role.r[*]"]\n    expect:\n      readOnly: true\n      stayWithin: AmazonConnectReadOnlyAccess\n      notGrantConsoleTasks: [Federations / Admin/Emergency federation]\n');
const tfFiles = [path.join(srcRoot, 'main.tf'), path.join(srcRoot, 'modules', 'team', 'main.tf')];
const asyncMeasure = (body) => `
  (async () => {
    const t = process.hrtime.bigint();
    const out = await (async () => { ${body} })();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(JSON.stringify({ ms, out }));
  })();
`;
const hcl = JSON.stringify(path.join(dist, 'loaders', 'terraform', 'hcl'));
console.log(`load average: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
const srcParse = [];
const srcLoad = [];
const srcCheck = [];
for (let i = 0; i < runs; i++) {
  // Floor: load the parser and parse the same files (what any reader of .tf sources pays).
  srcParse.push(child(asyncMeasure(`const h = require(${hcl}); await h.prepareTerraform(); const fs = require('node:fs'); let n = 0; for (const f of ${JSON.stringify(tfFiles)}) n += h.parseHcl(fs.readFileSync(f, 'utf8'), f, 100).root.children.length; return n;`)));
  srcLoad.push(child(asyncMeasure(`const { loadTerraform } = require(${JSON.stringify(path.join(dist, 'loaders', 'terraform', 'sources'))}); const r = await loadTerraform(${JSON.stringify(srcRoot)}); return r.principals.length;`)));
  const t0 = process.hrtime.bigint();
  const rr = spawnSync(process.execPath, [BIN, 'check', '--cwd', srcRepo, '--quiet'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  srcCheck.push({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: rr.status, summary: (rr.stdout.match(/Result: .*/) || ['(no result line)'])[0] });
}
console.log(`sources only: parser init + parse of the ${tfFiles.length} .tf files (floor): ${med(srcParse, 'ms').toFixed(0)} ms (median of ${runs} fresh processes)`);
console.log(`loadTerraform (200 roles, 20 module instances x count 10):      ${med(srcLoad, 'ms').toFixed(0)} ms, ${srcLoad[0].out} principals -> ${(med(srcLoad, 'ms') / med(srcParse, 'ms')).toFixed(2)}x the floor`);
console.log(`check over the sources-only repo (bin, 200 roles x 3 checks):   ${med(srcCheck, 'ms').toFixed(0)} ms, exit ${srcCheck[0].status}; ${srcCheck[0].summary} -> ${(med(srcCheck, 'ms') / med(srcParse, 'ms')).toFixed(2)}x the floor`);
