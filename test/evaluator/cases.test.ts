/**
 * Table-driven semantics cases: every JSON file under test/evaluator/cases/<topic>/ holds a
 * list of cases (or one case), each run against BOTH the fast evaluator and the reference
 * evaluator. A case:
 *
 *   {
 *     "name": "trap: Deny NotAction denies every action it does not list",
 *     "source"?: "https://docs.aws.amazon.com/... (the page the expectation comes from)",
 *     "policies": [ <document> | { "document"?, "name"?, "boundary"?: true, "unresolved"?: "why", "onlyIf"?: "Cond" } ],
 *     "request": { "action": "s3:GetObject", "resource"?: "arn:...", "context"?: { "key": "v" | ["v", ...] } },
 *     "expected": {
 *       "decision": "allowed" | "explicitDeny" | "implicitDeny" | "conditional",
 *       "decidedBy"?: [ { "policy": 0 | "boundary", "statement": 1 } | { "policy": 0, "sid": "Sid" } ],
 *       "dependsOn"?: [ { "kind": "conditionKey", "key": "aws:RequestedRegion" }, ... ]   (partial objects)
 *     }
 *   }
 *
 * Policies are attached to one principal in order (named policy0, policy1, ... unless
 * "name" is given); "boundary": true makes the entry the permissions boundary. Template
 * values that loaders leave unknown are written as { "$unresolved": "!GetAtt X.Arn",
 * "parts"?: ["arn:aws:s3:::", { "unknown": "!Ref B" }, "/*"] }, { "$if": ["Cond", a, b] }
 * and { "$noValue": true }. In a context, a key given as [] is absent from the request; a
 * key left out is unknown. decidedBy and dependsOn list what must be among the result's
 * statements / dependencies (not everything that is).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Choice, NO_VALUE, Unresolved } from '../../src/policy/symbolic';
import type { AttachedPolicy, Principal } from '../../src/policy/types';
import type { Decision, Dependency, EvaluateOptions } from '../../src/evaluator/types';
import { evaluate } from '../../src/evaluator';
import { referenceEvaluate, type ReferenceResult } from '../../src/evaluator/reference';

interface PolicyEntry {
  readonly document?: unknown;
  readonly name?: string;
  readonly boundary?: boolean;
  readonly unresolved?: string;
  readonly onlyIf?: string;
}

type StatementRef = { readonly policy: number | 'boundary'; readonly statement?: number; readonly sid?: string };

export interface SemanticsCase {
  readonly name: string;
  /** The AWS documentation page the expectation comes from. */
  readonly source?: string;
  readonly policies: readonly unknown[];
  readonly request: { readonly action: string; readonly resource?: string; readonly context?: Record<string, string | string[]> };
  readonly expected: {
    readonly decision: Decision;
    readonly decidedBy?: readonly StatementRef[];
    readonly dependsOn?: ReadonlyArray<Partial<Dependency>>;
  };
}

const CASES_DIR = path.join(__dirname, 'cases');

function caseFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? caseFiles(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []))
    .sort();
}

/** Turns the JSON spelling of template unknowns into the loaders' symbolic values. */
function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Record<string, unknown>;
  if ('$unresolved' in o) {
    const parts = o['parts'] as Array<string | { unknown: string }> | undefined;
    return new Unresolved(String(o['$unresolved']), parts);
  }
  if ('$if' in o) {
    const [condition, whenTrue, whenFalse] = o['$if'] as [string, unknown, unknown];
    return new Choice(condition, decode(whenTrue), decode(whenFalse));
  }
  if ('$noValue' in o) return NO_VALUE;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]));
}

function isDocument(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && ('Statement' in entry || 'Version' in entry);
}

/** The case's policies as one principal. */
export function casePrincipal(c: SemanticsCase): Principal {
  const policies: AttachedPolicy[] = [];
  let permissionsBoundary: AttachedPolicy | undefined;
  c.policies.forEach((raw, i) => {
    const entry: PolicyEntry = isDocument(raw) ? { document: raw } : (raw as PolicyEntry);
    const attached: AttachedPolicy = {
      name: entry.name ?? (entry.boundary ? 'boundary' : `policy${i}`),
      origin: entry.boundary ? 'permissions-boundary' : 'document',
      ...(entry.document !== undefined ? { document: decode(entry.document) } : {}),
      ...(entry.unresolved !== undefined ? { unresolved: entry.unresolved } : {}),
      ...(entry.onlyIf !== undefined ? { onlyIf: entry.onlyIf } : {}),
    };
    if (entry.boundary) permissionsBoundary = attached;
    else policies.push(attached);
  });
  return { kind: 'documents', id: c.name, policies, ...(permissionsBoundary ? { permissionsBoundary } : {}) };
}

function policyName(c: SemanticsCase, ref: StatementRef): string {
  if (ref.policy === 'boundary') {
    const b = c.policies.find((p) => !isDocument(p) && (p as PolicyEntry).boundary) as PolicyEntry | undefined;
    return b?.name ?? 'boundary';
  }
  const raw = c.policies[ref.policy];
  return (!isDocument(raw) && (raw as PolicyEntry | undefined)?.name) || `policy${ref.policy}`;
}

interface ComparableStatement {
  readonly policy: string;
  readonly index: number;
  readonly sid?: string;
  readonly boundary?: boolean;
}

function describeRefs(statements: readonly ComparableStatement[]): string[] {
  return statements.map((s) => `${s.boundary ? 'boundary ' : ''}${s.policy}#${s.index}${s.sid ? ` (${s.sid})` : ''}`);
}

function expectDecidedBy(c: SemanticsCase, statements: readonly ComparableStatement[]): void {
  for (const ref of c.expected.decidedBy ?? []) {
    const name = policyName(c, ref);
    const found = statements.some(
      (s) =>
        s.policy === name &&
        Boolean(s.boundary) === (ref.policy === 'boundary') &&
        (ref.statement === undefined || s.index === ref.statement) &&
        (ref.sid === undefined || s.sid === ref.sid),
    );
    if (!found) {
      throw new Error(`expected statement ${JSON.stringify(ref)} (${name}) among the deciding statements, got [${describeRefs(statements).join(', ')}]`);
    }
  }
}

function expectDependsOn(c: SemanticsCase, dependsOn: readonly Dependency[]): void {
  if (!c.expected.dependsOn) return;
  expect(dependsOn).toEqual(expect.arrayContaining(c.expected.dependsOn.map((d) => expect.objectContaining(d))));
}

function options(c: SemanticsCase): EvaluateOptions {
  return {
    ...(c.request.resource !== undefined ? { resource: c.request.resource } : {}),
    ...(c.request.context !== undefined ? { context: c.request.context } : {}),
  };
}

const files = caseFiles(CASES_DIR);
const allCases = files.flatMap((file) => {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as SemanticsCase | SemanticsCase[];
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((c) => ({ topic: path.relative(CASES_DIR, file).replace(/\.json$/, ''), c }));
});

test('the case tree holds at least 120 cases with unique names', () => {
  expect(allCases.length).toBeGreaterThanOrEqual(120);
  const names = allCases.map(({ c }) => c.name);
  expect(new Set(names).size).toBe(names.length);
});

describe.each([...new Set(allCases.map((x) => x.topic))])('%s', (topic) => {
  const cases = allCases.filter((x) => x.topic === topic).map((x) => x.c);

  test.each(cases.map((c) => [c.name, c] as const))('reference: %s', (_name, c) => {
    const result: ReferenceResult = referenceEvaluate(casePrincipal(c), c.request.action, options(c));
    expect(result.decision).toBe(c.expected.decision);
    expectDecidedBy(
      c,
      result.statements.map((s) => ({ policy: s.policy, index: s.index, sid: s.sid, boundary: s.boundary })),
    );
    expectDependsOn(c, result.dependsOn);
  });

  test.each(cases.map((c) => [c.name, c] as const))('fast: %s', (_name, c) => {
    const result = evaluate(casePrincipal(c), c.request.action, options(c));
    expect(result.decision).toBe(c.expected.decision);
    expectDecidedBy(c, result.statements);
    expectDependsOn(c, result.dependsOn);
  });
});
