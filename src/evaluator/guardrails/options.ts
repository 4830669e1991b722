/**
 * The guardrail options, checked and compiled once per options object (a WeakMap keyed by
 * the `organization`, `session` and `resourcePolicies` objects, so a test that passes the
 * same organization to 45 console checks compiles it once).
 */
import { UsageError } from '../../errors';
import { describeType } from '../../policy/normalize';
import { compileLevels, type CompiledLevel } from './levels';
import { checkRcpGrammar } from './rcp';
import { compileResourcePolicy, resourcePolicyList, type CompiledResourcePolicy } from './resource-policy';
import { checkScpGrammar } from './scp';
import { compileSession } from './session';
import type { CompiledGuardrail } from './stage';

export interface CompiledOrganization {
  readonly scps?: readonly CompiledLevel[];
  readonly rcps?: readonly CompiledLevel[];
  readonly managementAccount: boolean;
}

const orgCache = new WeakMap<object, CompiledOrganization>();
const sessionCache = new WeakMap<object, CompiledGuardrail[]>();
const rpCache = new WeakMap<object, CompiledResourcePolicy[]>();

const ORG_KEYS = ['scps', 'rcps', 'managementAccount'];

export function compileOrganization(input: unknown): CompiledOrganization {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new UsageError(`options.organization must be an object { scps?, rcps?, managementAccount? }; received ${describeType(input)}`);
  }
  const cached = orgCache.get(input);
  if (cached) return cached;
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!ORG_KEYS.includes(k)) throw new UsageError(`options.organization: unknown key '${k}' (the keys are scps, rcps and managementAccount)`);
  if (o['managementAccount'] !== undefined && typeof o['managementAccount'] !== 'boolean') throw new UsageError('options.organization.managementAccount must be a boolean');
  const out: CompiledOrganization = {
    managementAccount: o['managementAccount'] === true,
    ...(o['scps'] !== undefined ? { scps: compileLevels(o['scps'], 'options.organization.scps', 'scp', 'scp', (d, p) => checkScpGrammar(d, p)) } : {}),
    ...(o['rcps'] !== undefined ? { rcps: compileLevels(o['rcps'], 'options.organization.rcps', 'rcp', 'rcp', checkRcpGrammar) } : {}),
  };
  orgCache.set(input, out);
  return out;
}

export function compiledSession(input: unknown): CompiledGuardrail[] {
  if (typeof input === 'object' && input !== null) {
    const cached = sessionCache.get(input);
    if (cached) return cached;
    const out = compileSession(input);
    sessionCache.set(input, out);
    return out;
  }
  return compileSession(input);
}

export function compiledResourcePolicies(input: unknown): CompiledResourcePolicy[] {
  if (typeof input !== 'object' || input === null) throw new UsageError(`options.resourcePolicies must be a list of resource policies or an object from resource ARN to policy; received ${describeType(input)}`);
  const cached = rpCache.get(input);
  if (cached) return cached;
  const out = resourcePolicyList(input).map(compileResourcePolicy);
  rpCache.set(input, out);
  return out;
}

/** Whether any guardrail option is given. */
export function hasGuardrails(options: { organization?: unknown; session?: unknown; resourcePolicies?: unknown }): boolean {
  return options.organization !== undefined || options.session !== undefined || options.resourcePolicies !== undefined;
}
