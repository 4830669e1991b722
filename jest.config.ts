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
      ...common,
      displayName: 'fuzz',
      testMatch: ['<rootDir>/test/**/*.fuzz.ts'],
    },
  ],
};

export default config;
