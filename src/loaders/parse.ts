/**
 * Text -> value with a SourceMap. JSON-looking content (first character `{` or `[`) is read as
 * strict JSON, whatever the file is called, because a YAML parser would accept JSON with
 * trailing commas; everything else is YAML with CloudFormation tags.
 */
import { JestConnectIamError, PolicySourceError } from '../errors';
import { parseJson } from './json';
import { SourceMap, readSourceFile, type LoadLimits } from './source';
import { parseYaml } from './cloudformation/yaml';
import { parseYamlFast } from './cloudformation/yaml-fast';

export interface Parsed {
  readonly value: unknown;
  readonly map: SourceMap;
  readonly format: 'json' | 'yaml';
  /** Several YAML documents in one file (Kubernetes manifests): never a CloudFormation template. */
  readonly multiDocument?: boolean;
}

export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    return c === 123 || c === 91;
  }
  return false;
}

export function parseText(text: string, file: string | undefined, limits: Required<LoadLimits>): Parsed {
  const map = new SourceMap(file, text);
  try {
    if (looksLikeJson(text)) return { value: parseJson(text, map, limits.maxDepth), map, format: 'json' };
    // Plain YAML the fast way (the same values and positions); anything else with `yaml`.
    const fast = parseYamlFast(text, map, limits.maxDepth);
    if (fast) return { value: fast.value, map, format: 'yaml' };
    const r = parseYaml(text, map, limits.maxDepth, limits.maxAliasCount);
    return { value: r.value, map, format: 'yaml', ...(r.multiDocument ? { multiDocument: true } : {}) };
  } catch (e) {
    throw asSourceError(e, file);
  }
}

export function parseFile(file: string, limits: Required<LoadLimits>, root?: string): Parsed {
  return parseText(readSourceFile(file, limits, root), file, limits);
}

/** Anything thrown while loading becomes one of the package's typed errors. */
export function asSourceError(e: unknown, file: string | undefined): JestConnectIamError {
  if (e instanceof JestConnectIamError) return e;
  if (e instanceof RangeError) return new PolicySourceError('input nested too deeply to read', { file });
  const message = e instanceof Error ? e.message : String(e);
  return new PolicySourceError(`could not read: ${message}`, { file });
}
