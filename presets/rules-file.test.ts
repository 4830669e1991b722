/**
 * The test file that `preset: 'jest-connect-iam'` runs: the rules file at the project's
 * rootDir (jest-connect-iam.rules.yaml), one test per rule and principal, no test code in
 * the consumer's repository. Compiled to dist/presets/rules-file.test.js.
 */
import { findRulesFile, RulesFileNotFoundError } from '../src/rules/parse';
import { fromRules } from './index';
import { jestApi, RuleViolationError } from './register';

const ROOT_GLOBAL = '__JEST_CONNECT_IAM_ROOT_DIR__';
const root = (globalThis as Record<string, unknown>)[ROOT_GLOBAL];
const rootDir = typeof root === 'string' ? root : process.cwd();

let rulesFile: string | undefined;
try {
  rulesFile = process.env.JEST_CONNECT_IAM_RULES ?? findRulesFile(rootDir);
} catch (err) {
  if (!(err instanceof RulesFileNotFoundError)) throw err;
  const { test } = jestApi();
  test('jest-connect-iam: rules file', () => {
    throw new RuleViolationError(err.message);
  });
}
if (rulesFile !== undefined) fromRules(rulesFile, { cwd: rootDir });
