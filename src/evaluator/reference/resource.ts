/**
 * Action and Resource elements for the reference evaluator.
 *
 * The request's resource is one of:
 *  - a literal "*": the action takes no resource (connect:ListInstances); AWS puts "*" in the
 *    request, so a pattern grants it only if it matches the one-character string "*";
 *  - the resource types of the action: the caller did not name a resource ("*" = whatever
 *    resource the console acts on), so the answer is "yes" when the patterns cover every
 *    ARN of every resource type of the action, "no" when no pattern can match any of them,
 *    "maybe" in between;
 *  - a pattern the caller gave (an ARN, possibly with wildcards): "yes" when a pattern
 *    contains it, "no" when no pattern can match any ARN it stands for, "maybe" otherwise.
 */
import type { IamResourceType } from '../../iam/types';
import { isUnresolved } from '../../policy/symbolic';
import type { Dependency } from '../types';
import { contains, hasHole, holesAsStars, intersects, lowerCasePattern, matches, narrowResourcePattern, SEG, STAR, wildcardPattern, type Pattern, type Token } from './glob';
import { triAny, fromBoolean, type Tri } from './tri';
import { policyPattern, type RequestContext } from './values';

export type ResourceTarget =
  | { readonly kind: 'literal-star' }
  | { readonly kind: 'types'; readonly types: readonly Pattern[] }
  | { readonly kind: 'pattern'; readonly pattern: Pattern };

export function resourceTarget(resource: string | undefined, resourceTypes: readonly IamResourceType[] | undefined): ResourceTarget {
  if (resourceTypes !== undefined && resourceTypes.length === 0) return { kind: 'literal-star' };
  if (resource !== undefined && resource !== '*') return { kind: 'pattern', pattern: narrowResourcePattern(wildcardPattern(resource)) };
  if (resourceTypes === undefined) return { kind: 'pattern', pattern: [STAR] };
  return { kind: 'types', types: resourceTypes.map((t) => typeGlob(t.arn)) };
}

/**
 * "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}" -> the ARNs of that
 * type: partition "aws"; region, account and the identifiers AWS generates (a placeholder
 * name ending in "Id") any text without ":" (they never hold one); any other placeholder any
 * text, with ":" only when it ends its segment (an S3 object key, a Lambda function name with
 * its ":qualifier"), as a segment-final `*` in a Resource pattern.
 */
export function typeGlob(format: string): Pattern {
  const out: Token[] = [];
  let i = 0;
  while (i < format.length) {
    if (format.startsWith('${', i)) {
      const close = format.indexOf('}', i);
      const name = format.slice(i + 2, close);
      const endsSegment = close + 1 === format.length || format[close + 1] === ':';
      if (name === 'Partition') out.push(...'aws');
      else if (name === 'Region' || name === 'Account' || name.endsWith('Id')) out.push(SEG);
      else out.push(endsSegment ? STAR : SEG);
      i = close + 1;
    } else {
      out.push(format[i] === '*' ? STAR : format[i]!);
      i++;
    }
  }
  return out;
}

/** The element's values as a list (a single value, a list, or one unresolved value). */
export function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined) return [];
  return [value];
}

/** Does any Action/NotAction pattern match the action? Case-insensitive, `*` and `?`. */
export function actionMatched(patterns: readonly unknown[], action: string, deps: Dependency[]): Tri {
  const wanted = action.toLowerCase();
  const local: Dependency[] = [];
  const result = triAny(
    patterns.map((p): Tri => {
      const pattern = policyPattern(p, { wildcards: true, variables: false, context: {} }, local);
      if (pattern === null) return 'no';
      const lower = lowerCasePattern(pattern);
      if (hasHole(lower)) return matches(holesAsStars(lower), wanted) ? 'maybe' : 'no';
      return fromBoolean(matches(lower, wanted));
    }),
  );
  if (result === 'maybe') deps.push(...local);
  return result;
}

/** Do the Resource/NotResource patterns cover the request's resource? */
export function resourceCovered(
  values: readonly unknown[],
  target: ResourceTarget,
  scope: { readonly variables: boolean; readonly context: RequestContext },
  deps: Dependency[],
): Tri {
  const local: Dependency[] = [];
  const certain: Pattern[] = []; // fully known patterns
  const possible: Pattern[] = []; // every pattern, holes read as `*`
  for (const value of values) {
    const pattern = policyPattern(value, { wildcards: true, variables: scope.variables, context: scope.context }, local);
    if (pattern === null) continue; // matches nothing
    if (hasHole(pattern)) possible.push(holesAsStars(pattern)); // a hole may hold ":" too
    else {
      certain.push(narrowResourcePattern(pattern)); // matches for certain
      possible.push(pattern); // the wide reading: may match
    }
    if (!isUnresolved(value)) local.push({ kind: 'resource', pattern: String(value) });
  }
  let result: Tri;
  if (target.kind === 'literal-star') {
    if (certain.some((p) => matches(p, '*'))) result = 'yes';
    else result = possible.some((p) => matches(p, '*')) ? 'maybe' : 'no';
  } else if (target.kind === 'pattern') {
    if (certain.some((p) => contains(p, target.pattern))) result = 'yes';
    else result = possible.some((p) => intersects(p, target.pattern)) ? 'maybe' : 'no';
  } else {
    if (target.types.every((t) => certain.some((p) => contains(p, t)))) result = 'yes';
    else result = target.types.some((t) => possible.some((p) => intersects(p, t))) ? 'maybe' : 'no';
  }
  if (result === 'maybe') deps.push(...local);
  return result;
}
