import { listTaskRefs, parseTaskRef, taskRequirements } from '../../src/catalog';
import { checkConsoleTask, evaluate } from '../../src/evaluator';
import type { PolicyDocument, PolicyStatement } from '../../src/policy/types';
import { leastPrivilegePolicy } from '../../src/rules/least-privilege';
import { bin } from './helpers';

const statementsOf = (doc: PolicyDocument): PolicyStatement[] => (Array.isArray(doc.Statement) ? [...(doc.Statement as readonly PolicyStatement[])] : [doc.Statement as PolicyStatement]);

/** The policy with one action taken out of one statement (the statement dropped when empty). */
function without(doc: PolicyDocument, s: number, action: string): PolicyDocument {
  const statements = statementsOf(doc)
    .map((st, i) => (i === s ? { ...st, Action: (st.Action as string[]).filter((a) => a !== action) } : st))
    .filter((st) => (st.Action as string[]).length > 0);
  return { ...doc, Statement: statements };
}

function grantsAll(doc: PolicyDocument, refs: readonly string[]): boolean {
  return refs.every((ref) => {
    const t = parseTaskRef(ref);
    return checkConsoleTask(doc, t.page, t.id).granted === 'yes';
  });
}

function assertLeastPrivilege(refs: readonly string[], doc: PolicyDocument): void {
  // Grants every requested task (with prerequisites)...
  for (const ref of refs) {
    const [page, task] = [parseTaskRef(ref).page, parseTaskRef(ref).id];
    expect(doc).toGrantConsoleTask(page, task);
  }
  // ...every action in it is needed by some requested task...
  const needed = new Set(refs.flatMap((ref) => {
    const r = taskRequirements(parseTaskRef(ref), { prerequisites: true });
    return [...r.own, ...r.prerequisites].map((a) => a.action);
  }));
  statementsOf(doc).forEach((st) => {
    expect(st.Effect).toBe('Allow');
    for (const a of st.Action as string[]) {
      expect(a).not.toMatch(/[*?]/);
      expect(needed.has(a)).toBe(true);
    }
  });
  // ...and taking any single action out breaks at least one requested task (nothing is unused).
  statementsOf(doc).forEach((st, i) => {
    for (const a of st.Action as string[]) {
      if (grantsAll(without(doc, i, a), refs)) throw new Error(`${a} in statement ${st.Sid} is not needed by ${refs.join(', ')}`);
    }
  });
}

describe('policy: least-privilege policy for console tasks', () => {
  test.each(listTaskRefs().map((r) => [r]))('%s alone: granted, and nothing in the policy is unused', (ref) => {
    assertLeastPrivilege([ref], leastPrivilegePolicy([ref]).document);
  });

  test('the built bin prints it; several tasks combine; the service-linked role is scoped by condition and resource', () => {
    const refs = ['Data storage / Edit call recording', 'Overview / Create service-linked role', 'Flows / Add/remove Lex bots'];
    const r = bin(['policy', ...refs.flatMap((t) => ['--task', t])]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as PolicyDocument;
    assertLeastPrivilege(refs, doc);
    const slr = statementsOf(doc).find((s) => (s.Action as string[]).includes('iam:CreateServiceLinkedRole'))!;
    expect(slr.Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': 'connect.amazonaws.com' } });
    expect((slr.Action as string[])).toEqual(['iam:CreateServiceLinkedRole']);
    const put = statementsOf(doc).find((s) => (s.Action as string[]).includes('iam:PutRolePolicy'))!;
    expect(put.Resource).toBe('arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*');
    // The condition lets the console create Connect's service-linked role and no other service's.
    expect(evaluate(doc, 'iam:CreateServiceLinkedRole', { context: { 'iam:AWSServiceName': 'connect.amazonaws.com' } }).decision).toBe('allowed');
    expect(evaluate(doc, 'iam:CreateServiceLinkedRole', { context: { 'iam:AWSServiceName': 'ec2.amazonaws.com' } }).decision).toBe('implicitDeny');
  });
});
