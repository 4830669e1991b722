/**
 * The rules file's `organization:` and `resourcePolicies:` sections: parsed with lines,
 * validated by the schema, applied by `check` to the principals they select, and rendered
 * (text evidence and SARIF) from the same result data.
 *   SCP evaluation: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 *   KMS key policies: https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRules, RulesFileError, runRuleSet } from '../../../src/rules';
import { renderSarif } from '../../../src/report/sarif';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-guardrails-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const doc = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
const admin = doc([{ Effect: 'Allow', Action: ['connect:*', 'ds:*', 'kms:*'], Resource: '*' }]);
const regionLock = doc([
  { Sid: 'AllowAll', Effect: 'Allow', Action: '*', Resource: '*' },
  { Sid: 'DenyOutsideEU', Effect: 'Deny', Action: 'connect:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-2'] } } },
]);

const RULES = (extra = ''): string => `
version: 1
organization:
  - name: prod
    appliesTo: { files: roles/prod/*.json }
    scps:
      - name: root
        policies: [FullAWSAccess]
      - name: ou-prod
        policies: [FullAWSAccess, org/region-lock.json]
      - name: account
        policies:
          - FullAWSAccess
${extra}
rules:
  - name: admins-change-telephony
    select: { principals: ['*'] }
    context: { aws:RequestedRegion: us-east-1 }
    expect:
      grantConsoleTasks: [Telephony / Enable/Disable telephony options]
`;

test('check applies the organization to the files it selects, and names the SCP in text and SARIF', () => {
  const dir = repo({ 'roles/prod/admin.json': admin, 'roles/dev/admin.json': admin, 'org/region-lock.json': regionLock });
  const report = runRuleSet(parseRules(RULES(), 'rules.yaml'), { cwd: dir });
  const byFile = new Map(report.outcomes.map((o) => [o.principal.file, o]));
  // The SCP file is a guardrail, not a principal: the scan does not read it as an identity policy.
  expect([...byFile.keys()].sort()).toEqual(['roles/dev/admin.json', 'roles/prod/admin.json']);
  expect(byFile.get('roles/dev/admin.json')?.status).toBe('pass');
  const prod = byFile.get('roles/prod/admin.json')!;
  expect(prod.status).toBe('fail');
  const evidence = prod.checks.flatMap((c) => c.evidence).join('\n');
  expect(evidence).toContain('denied by SCP "DenyOutsideEU"'.replace('"DenyOutsideEU"', '"region-lock"'));
  expect(evidence).toMatch(/SCP "region-lock" attached at ou-prod \(org\/region-lock\.json:\d+\) Statement\[1\] "DenyOutsideEU"/);
  const sarif = renderSarif(report);
  expect(sarif).toContain('region-lock');
  expect(report.exitCode).toBe(1);
});

test('an SCP named but not given makes the rule fail (conditional), naming it', () => {
  const dir = repo({ 'roles/prod/admin.json': admin });
  const rules = RULES().replace('[FullAWSAccess, org/region-lock.json]', '[FullAWSAccess, DenyRegions]');
  const report = runRuleSet(parseRules(rules, 'rules.yaml'), { cwd: dir });
  expect(report.outcomes[0]!.status).toBe('fail');
  expect(report.outcomes[0]!.checks.flatMap((c) => c.evidence).join('\n')).toContain('SCP "DenyRegions" attached at ou-prod is named but not given');
});

test('resourcePolicies: a key policy from a file governs the key it names', () => {
  const key = 'arn:aws:kms:eu-west-2:111122223333:key/k1';
  const dir = repo({
    'roles/admin.json': admin,
    'keys/recordings.json': doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/KeyAdmin' }, Action: 'kms:*', Resource: '*' }]),
  });
  const rules = `
version: 1
resourcePolicies:
  - file: keys/recordings.json
    arn: ${key}
rules:
  - name: admins-grant-on-the-recordings-key
    select: { files: roles/*.json }
    resource: ${key}
    expect:
      allowActions: [kms:CreateGrant]
`;
  const report = runRuleSet(parseRules(rules, 'rules.yaml'), { cwd: dir });
  expect(report.outcomes[0]!.status).toBe('fail');
  expect(report.outcomes[0]!.checks.flatMap((c) => c.evidence).join('\n')).toContain('without that, IAM policies that allow it have no effect');
});

test('a guardrail file that cannot be read is an input error (exit 2), not a pass', () => {
  const dir = repo({ 'roles/prod/admin.json': admin });
  const report = runRuleSet(parseRules(RULES(), 'rules.yaml'), { cwd: dir });
  expect(report.exitCode).toBe(2);
  expect(report.problems.some((p) => p.kind === 'rules-file' && /region-lock\.json/.test(p.message))).toBe(true);
  expect(report.outcomes.every((o) => o.status === 'error')).toBe(true);
});

test('schema: a misspelt key in the organization section is reported with its line', () => {
  const bad = RULES().replace('    scps:', '    scp:');
  let error: unknown;
  try {
    parseRules(bad, 'rules.yaml');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RulesFileError);
  expect((error as RulesFileError).message).toMatch(/rules\.yaml:\d+/);
  expect((error as RulesFileError).message).toMatch(/scp/);
});
