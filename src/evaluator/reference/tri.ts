/**
 * Three-valued (Kleene) logic for the reference evaluator: every question the evaluator
 * asks ("does this pattern match?", "does this condition hold?") is answered yes, no, or
 * maybe (it depends on something the caller did not tell us).
 */
export type Tri = 'yes' | 'no' | 'maybe';

export function triNot(a: Tri): Tri {
  if (a === 'yes') return 'no';
  if (a === 'no') return 'yes';
  return 'maybe';
}

/** "all of them": no if any is no, yes if all are yes (and for an empty list). */
export function triAll(values: readonly Tri[]): Tri {
  let result: Tri = 'yes';
  for (const v of values) {
    if (v === 'no') return 'no';
    if (v === 'maybe') result = 'maybe';
  }
  return result;
}

/** "any of them": yes if any is yes, no if all are no (and for an empty list). */
export function triAny(values: readonly Tri[]): Tri {
  let result: Tri = 'no';
  for (const v of values) {
    if (v === 'yes') return 'yes';
    if (v === 'maybe') result = 'maybe';
  }
  return result;
}

export function fromBoolean(b: boolean): Tri {
  return b ? 'yes' : 'no';
}
