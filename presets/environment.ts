/**
 * The Jest test environment of `preset: 'jest-connect-iam'`: Node's, plus the project's
 * rootDir handed to the shipped rules test file (Jest gives a test file no other way to
 * learn it).
 */
import { TestEnvironment } from 'jest-environment-node';

type Config = ConstructorParameters<typeof TestEnvironment>[0];
type Context = ConstructorParameters<typeof TestEnvironment>[1];

export const ROOT_GLOBAL = '__JEST_CONNECT_IAM_ROOT_DIR__';

export class JestConnectIamEnvironment extends TestEnvironment {
  constructor(config: Config, context: Context) {
    super(config, context);
    (this.global as Record<string, unknown>)[ROOT_GLOBAL] = config.projectConfig.rootDir;
  }
}

// Jest loads a test environment module by its `TestEnvironment` export (or default / module.exports).
export { JestConnectIamEnvironment as TestEnvironment };
