/**
 * Third-party modules loaded on first use, not when the package is imported: `yaml` (72 modules)
 * and `fast-glob` (25 modules with its dependencies) cost a Jest test file about 1 ms per module
 * every time, even when the file reads only JSON or scans nothing.
 */
import type * as YamlModule from 'yaml';
import type FastGlob from 'fast-glob';

let yamlModule: typeof YamlModule | undefined;
let fastGlobModule: typeof FastGlob | undefined;

/** The `yaml` package. */
export function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof YamlModule);
}

/** The `fast-glob` package. */
export function fastGlob(): typeof FastGlob {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (fastGlobModule ??= require('fast-glob') as typeof FastGlob);
}
