/**
 * The Jest test environment of `preset: 'jest-connect-iam'`: Node's, plus the project's
 * rootDir handed to the shipped rules test file (Jest gives a test file no other way to
 * learn it). Jest loads an environment through its default export, so this module assigns
 * `module.exports` (`export =`, CommonJS) rather than using `export default`.
 */
import { TestEnvironment } from 'jest-environment-node';

type Config = ConstructorParameters<typeof TestEnvironment>[0];
type Context = ConstructorParameters<typeof TestEnvironment>[1];

class JestConnectIamEnvironment extends TestEnvironment {
  constructor(config: Config, context: Context) {
    super(config, context);
    (this.global as Record<string, unknown>)['__JEST_CONNECT_IAM_ROOT_DIR__'] = config.projectConfig.rootDir;
  }
}

export = JestConnectIamEnvironment;
