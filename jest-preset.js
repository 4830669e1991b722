// `preset: 'jest-connect-iam'` in a Jest config runs the rules file at the project's root
// (jest-connect-iam.rules.yaml) with no test file in the project: Jest runs the test file
// shipped in dist/bundle/ (one bundled file), one test per rule and principal. Build first (npm run build) when
// using a git checkout; the published package ships dist/.
'use strict';
const path = require('node:path');

const dist = path.join(__dirname, 'dist', 'bundle');

module.exports = {
  // Jest looks for tests under `roots`; the only test is the shipped rules runner.
  roots: [dist],
  testMatch: ['**/rules-file.test.js'],
  // The runner lives inside node_modules in a consumer's project: do not ignore it.
  testPathIgnorePatterns: [],
  // Hands the project's rootDir to the runner (where the rules file is looked for).
  testEnvironment: path.join(__dirname, 'dist', 'presets', 'environment.js'),
  // Jest's file map leaves node_modules out unless told to keep every file it crawls
  // (it crawls only `roots`, i.e. dist/bundle, so this costs nothing).
  haste: { retainAllFiles: true },
  transform: {},
};
