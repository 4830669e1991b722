/**
 * The rules file, as Jest tests: one test per rule and principal (so `jest --shard` splits them).
 */
import * as path from 'node:path';
import { fromRules } from 'jest-connect-iam/presets';

fromRules(path.join(__dirname, '../jest-connect-iam.rules.yaml'));
