/**
 * The Jest test environment of `preset: 'jest-connect-iam'`: Node's, plus the project's
 * rootDir handed to the shipped rules test file (Jest gives a test file no other way to
 * learn it). Jest loads an environment through its default export, so this module assigns
 * `module.exports` (`export =`, CommonJS) rather than using `export default`.
 */
import { TestEnvironment } from 'jest-environment-node';
import { PARSER_GLOBAL, prepareTerraform } from '../src/loaders/terraform/hcl';

type Config = ConstructorParameters<typeof TestEnvironment>[0];
type Context = ConstructorParameters<typeof TestEnvironment>[1];

class JestConnectIamEnvironment extends TestEnvironment {
  constructor(config: Config, context: Context) {
    super(config, context);
    (this.global as Record<string, unknown>)['__JEST_CONNECT_IAM_ROOT_DIR__'] = config.projectConfig.rootDir;
  }

  /**
   * Loads the HCL parser (asynchronous WebAssembly) before the test file is collected, so the
   * synchronous scans of presets and rules can read Terraform roots without a plan. The parser
   * reaches the test file's own module registry through a global (see hcl.ts).
   */
  override async setup(): Promise<void> {
    await super.setup();
    await prepareTerraform().catch(() => undefined);
    const g = globalThis as Record<string, unknown>;
    if (g[PARSER_GLOBAL] !== undefined) (this.global as Record<string, unknown>)[PARSER_GLOBAL] = g[PARSER_GLOBAL];
  }
}

export = JestConnectIamEnvironment;
