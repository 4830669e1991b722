/**
 * A negative assertion never passes when any input was unknown: that includes the input that
 * SELECTS the principals. A rule or preset that selects principals by tag must not silently
 * leave out a principal whose tag value (or whole tag list) could not be resolved: it could
 * carry the tag once deployed. (test/trust/unknown-tags.yaml: one role tagged read-only that
 * is read-only, and three AdministratorAccess roles whose access-level tag is !Ref, !If or an
 * !ImportValue tag list.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, consumerProject, runJest, tempDir, writeTree } from './helpers';

const TEMPLATE = fs.readFileSync(path.join(__dirname, 'unknown-tags.yaml'), 'utf8');
const RULES = 'version: 1\nrules:\n  - name: ro\n    select: { tags: { access-level: read-only } }\n    expect: { readOnly: true }\n';
const UNKNOWN_TAGGED = ['MaybeReadOnly', 'IfReadOnly', 'TagsUnknown'];

describe('a negative assertion never passes when the tag that selects principals is unknown', () => {
  test('check: the roles whose tag is unknown are checked (violations), not left out: exit is not 0', () => {
    const dir = writeTree(tempDir(), { 'infra/roles.yaml': TEMPLATE, 'jest-connect-iam.rules.yaml': RULES });
    const r = cli(['check', '--cwd', dir, '--quiet', '--format', 'json']);
    expect(r.status).not.toBe(0);
    const json = JSON.parse(r.stdout) as { outcomes: Array<{ principal: { id: string }; status: string }> };
    const checked = new Map(json.outcomes.map((o) => [o.principal.id, o.status]));
    expect(checked.get('Auditor')).toBe('pass');
    for (const id of UNKNOWN_TAGGED) expect({ id, status: checked.get(id) }).toEqual({ id, status: 'fail' });
  });

  test('readOnlyRoles({ tags }): the roles whose tag is unknown get failing tests', () => {
    const dir = consumerProject({
      'jest.config.js': "module.exports = { testEnvironment: 'node' };\n",
      'infra/roles.yaml': TEMPLATE,
      'ro.test.js': "const { readOnlyRoles } = require('jest-connect-iam/presets');\nreadOnlyRoles({ cwd: __dirname, files: 'infra/*.yaml', tags: { 'access-level': 'read-only' } });\n",
    });
    const run = runJest(dir);
    expect(run.status).toBe(1);
    const byId = (id: string): string[] => [...run.tests].filter(([n]) => n.includes(`role ${id} `)).map(([, t]) => t.status);
    expect(byId('Auditor')).toEqual(['passed']);
    for (const id of UNKNOWN_TAGGED) expect({ id, statuses: byId(id) }).toEqual({ id, statuses: ['failed'] });
  });
});
