/** Validate and expand a user's list of accepted actions (`allow` options). */
import { assertKnownAction } from '../iam';
import { UsageError } from '../errors';

/**
 * Every real action the names or patterns match (lower-case names). An unknown name throws
 * UnknownActionError with the closest names; a non-string entry throws UsageError.
 */
export function acceptedActions(allow: readonly unknown[] | undefined, option = 'allow'): ReadonlySet<string> {
  const out = new Set<string>();
  if (allow === undefined) return out;
  if (!Array.isArray(allow)) throw new UsageError(`Option '${option}' must be an array of IAM action names, got ${typeof allow}.`);
  for (const name of allow) {
    if (typeof name !== 'string') throw new UsageError(`Option '${option}' must list IAM action names (strings), got ${typeof name}.`);
    for (const action of assertKnownAction(name)) out.add(action.name.toLowerCase());
  }
  return out;
}
