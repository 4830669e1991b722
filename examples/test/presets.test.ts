/**
 * The presets, as the README shows them: each registers one test per principal it selects.
 */
import * as path from 'node:path';
import { readOnlyRoles, noNewAccess, consoleTasks, fromRules } from 'jest-connect-iam/presets';

const cwd = path.join(__dirname, '..'); // globs are relative to it (default: process.cwd())
readOnlyRoles({ cwd, files: 'infra/**/*.yaml', principals: 'ConnectAuditorRole' });
noNewAccess({ cwd, principals: '*Auditor*', baseline: 'AmazonConnectReadOnlyAccess' });
consoleTasks({ cwd, expectations: { StorageAdminRole: { grant: ['Data storage / Edit call recording'] } } });
fromRules(path.join(cwd, 'jest-connect-iam.rules.yaml'));
