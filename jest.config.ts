import * as path from 'node:path';
import type { Config } from 'jest';

const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
};

const common: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/examples/node_modules/'],
};

const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/globals/'],
      setupFilesAfterEnv: ['<rootDir>/matchers/index.ts'],
    },
    {
      ...common,
      displayName: 'globals',
      injectGlobals: false,
      testMatch: ['<rootDir>/test/globals/**/*.test.ts'],
    },
    {
      // examples/ is a consumer repo: it imports the BUILT package by its name (npm test builds first).
      ...common,
      displayName: 'examples',
      rootDir: path.join(__dirname, 'examples'),
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // What a consumer sets to scan Terraform roots without a plan in presets and fromRules:
      // testEnvironment: 'jest-connect-iam/environment' (it loads the HCL parser before collection).
      testEnvironment: path.join(__dirname, 'dist/presets/environment.js'),
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.jest.json' }] },
      moduleNameMapper: {
        // the files package.json ships (dist/bundle, see scripts/bundle.js)
        '^jest-connect-iam$': '<rootDir>/../dist/bundle/index.js',
        '^jest-connect-iam/(matchers|presets)$': '<rootDir>/../dist/bundle/$1.js',
      },
    },
    {
      ...common,
      displayName: 'fuzz',
      testMatch: ['<rootDir>/test/**/*.fuzz.ts'],
    },
  ],
};

export default config;
