/**
 * Table-driven guardrail cases: every JSON file under test/evaluator/guardrails/cases/ holds a
 * list of cases, each run against BOTH the fast evaluator (src/evaluator/guardrails) and the
 * reference evaluator (src/evaluator/reference/guardrails.ts). A case:
 *
 *   {
 *     "name": "...",
 *     "source": "<the AWS documentation page the expectation follows>",
 *     "principal": { "kind": "role", "id": "Admin", "path"?, "arn"?, "account"?, "serviceLinked"?,
 *                    "policies": [ <document> ], "boundary"?: <document> },
 *     "request": { "action": "...", "resource"?: "arn:...", "context"?: { ... } },
 *     "organization"?, "session"?, "resourcePolicies"?: as the evaluate options take them,
 *     "expected": { "decision": "...", "mentions"?: [ "text the evidence must contain", ... ] }
 *   }
 *
 * `mentions` are looked for in the rendered evidence (src/report/evidence.ts) of the fast
 * evaluator's result: the guardrail that decided must be named there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../../../src/evaluator';
import { referenceEvaluate } from '../../../src/evaluator/reference';
import type { Decision, EvaluateOptions } from '../../../src/evaluator/types';
import type { AttachedPolicy, Principal } from '../../../src/policy/types';
import { renderEvaluationEvidence } from '../../../src/report/evidence';

interface GuardrailCase {
  readonly name: string;
  readonly source: string;
  readonly principal: { kind?: Principal['kind']; id?: string; path?: string; arn?: string; account?: string; serviceLinked?: boolean; name?: string; policies: unknown[]; boundary?: unknown };
  readonly request: { action: string; resource?: string; context?: Record<string, string | string[]> };
  readonly organization?: EvaluateOptions['organization'];
  readonly session?: EvaluateOptions['session'];
  readonly resourcePolicies?: EvaluateOptions['resourcePolicies'];
  readonly expected: { decision: Decision; mentions?: string[] };
}

const DIR = path.join(__dirname, 'cases');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

function principalOf(c: GuardrailCase): Principal {
  const p = c.principal;
  const policies: AttachedPolicy[] = p.policies.map((d, i) => ({ name: `policy${i}`, origin: 'document', document: d }));
  return {
    kind: p.kind ?? 'role',
    id: p.id ?? 'Principal',
    policies,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.path !== undefined ? { path: p.path } : {}),
    ...(p.arn !== undefined ? { arn: p.arn } : {}),
    ...(p.account !== undefined ? { account: p.account } : {}),
    ...(p.serviceLinked !== undefined ? { serviceLinked: p.serviceLinked } : {}),
    ...(p.boundary !== undefined ? { permissionsBoundary: { name: 'boundary', origin: 'permissions-boundary', document: p.boundary } } : {}),
  } as Principal;
}

test('every guardrail case file has cases and every case cites an AWS page', () => {
  expect(files.length).toBeGreaterThanOrEqual(6);
  for (const f of files) {
    const cases = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as GuardrailCase[];
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(c.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  }
});

for (const f of files) {
  const cases = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as GuardrailCase[];
  describe(f.replace(/\.json$/, ''), () => {
    test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const principal = principalOf(c);
      const options: EvaluateOptions = {
        ...(c.request.resource !== undefined ? { resource: c.request.resource } : {}),
        ...(c.request.context !== undefined ? { context: c.request.context } : {}),
        ...(c.organization !== undefined ? { organization: c.organization } : {}),
        ...(c.session !== undefined ? { session: c.session } : {}),
        ...(c.resourcePolicies !== undefined ? { resourcePolicies: c.resourcePolicies } : {}),
      };
      const fast = evaluate(principal, c.request.action, options);
      const reference = referenceEvaluate(principal, c.request.action, options);
      const evidence = renderEvaluationEvidence(fast).join('\n');
      expect({ fast: fast.decision, reference: reference.decision, evidence }).toEqual({ fast: c.expected.decision, reference: c.expected.decision, evidence: expect.any(String) });
      for (const m of c.expected.mentions ?? []) expect(evidence).toContain(m);
    });
  });
}
