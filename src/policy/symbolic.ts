/**
 * Values a loader could not resolve to plain JSON.
 *
 * A template can hold values that are only known at deploy time (`!GetAtt Bucket.Arn`,
 * `!ImportValue Shared-Arn`, a `Ref` to a resource) or choices that depend on a
 * condition whose inputs are unknown (`!If [IsProd, ..., ...]`). Loaders keep those as
 * the instances below inside otherwise plain policy documents; the policy normaliser and
 * the evaluator understand them everywhere a value may appear. They are classes (not
 * plain objects) so that no JSON input can forge one.
 *
 * An unresolved part is never a wildcard: a statement that depends on one makes the
 * evaluator's result `conditional`, and the result names the value.
 */

/** An unknown piece of a string: `${Bucket.Arn}` in `arn:...:${Bucket.Arn}/*`. */
export interface UnknownPart {
  /** What the value is, as a person would write it: "!GetAtt Bucket.Arn", "!Ref MyBucket". */
  readonly unknown: string;
}

/**
 * A value that could not be resolved. When `parts` is given, the value is a string made
 * of known literal fragments and unknown holes (for example from `Fn::Sub` or `Fn::Join`);
 * without `parts` it is wholly unknown (its shape too: it may stand for a list).
 */
export class Unresolved {
  constructor(
    /** Human-readable description: "!GetAtt Bucket.Arn", "!ImportValue Shared-RoleArn". */
    readonly description: string,
    /** Literal fragments and holes, in order, when the value is a partially known string. */
    readonly parts?: ReadonlyArray<string | UnknownPart>,
  ) {}

  toString(): string {
    if (!this.parts) return `<${this.description}>`;
    return this.parts.map((p) => (typeof p === 'string' ? p : `\${${p.unknown}}`)).join('');
  }

  toJSON(): unknown {
    return { unresolved: this.description, ...(this.parts ? { value: this.toString() } : {}) };
  }
}

/** The `AWS::NoValue` marker: the element it stands in is removed. */
export const NO_VALUE: unique symbol = Symbol.for('jest-connect-iam.NoValue');
export type NoValue = typeof NO_VALUE;

/**
 * `Fn::If` on a condition whose value is unknown: both branches are possible. Either
 * branch may be `NO_VALUE` (the element is absent in that branch).
 */
export class Choice {
  constructor(
    /** The name of the template condition, e.g. "IsProduction". */
    readonly condition: string,
    readonly whenTrue: unknown,
    readonly whenFalse: unknown,
  ) {}

  toJSON(): unknown {
    return { 'Fn::If': [this.condition, this.whenTrue, this.whenFalse] };
  }
}

export function isUnresolved(value: unknown): value is Unresolved {
  return value instanceof Unresolved;
}

export function isChoice(value: unknown): value is Choice {
  return value instanceof Choice;
}
