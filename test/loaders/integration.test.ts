/** Loaded principals through the evaluator: decisions name the file and line of the deciding statement. */
import { evaluate } from '../../src/evaluator/evaluate';
import { loadTemplate } from '../../src/loaders';
import { fixture } from './helpers';

describe('loaders + evaluator', () => {
  const t = loadTemplate(fixture('templates', 'attachments.yaml'));

  test('an allow names the template file, line and JSON path of the deciding statement', () => {
    const r = evaluate(t.principal('AuditorRole'), 'connect:ListQueues');
    expect(r.decision).toBe('allowed');
    expect(r.statements[0]!.location).toMatchObject({
      file: fixture('templates', 'attachments.yaml'),
      line: 101,
      path: 'Resources.RolePolicy.Properties.PolicyDocument.Statement[0]',
    });
  });

  test('an unresolved customer managed policy makes a would-be deny conditional, never a clean "not allowed"', () => {
    const r = evaluate(t.principal('AdminRole'), 'iam:CreateUser');
    expect(r.decision).not.toBe('implicitDeny');
  });

  test('an ARN with an unknown part is not a wildcard: conditional, naming the value', () => {
    const long = loadTemplate(fixture('templates', 'long-forms.template'));
    const r = evaluate(long.principal('LongRole'), 'connect:DescribeInstance', { resource: 'arn:aws:connect:eu-west-1:111122223333:instance/dev-1' });
    expect(r.decision).toBe('conditional');
    expect(JSON.stringify(r.dependsOn)).toMatch(/AWS::(Region|AccountId)/);
    const known = loadTemplate(fixture('templates', 'long-forms.template'), { pseudo: { Region: 'eu-west-1', AccountId: '111122223333' } });
    expect(evaluate(known.principal('LongRole'), 'connect:DescribeInstance', { resource: 'arn:aws:connect:eu-west-1:111122223333:instance/dev-1' }).decision).toBe('allowed');
    expect(evaluate(known.principal('LongRole'), 'connect:DescribeInstance', { resource: 'arn:aws:connect:eu-west-1:999999999999:instance/dev-1' }).decision).not.toBe('allowed');
  });

  test('a policy under an unknown condition (onlyIf) does not grant with certainty', () => {
    const r = evaluate(t.principal('MaybeRole'), 'connect:DescribeInstance');
    expect(r.decision).toBe('conditional');
  });
});
