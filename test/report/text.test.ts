import { renderCheckText } from '../../src/report/check-text';
import type { CheckReport, Finding } from '../../src/rules/types';

const finding = (i: number): Finding => ({ check: 'notAllowActions', subject: `connect:Describe${i}`, message: `connect:Describe${i} is allowed`, location: { file: 'p.json', line: 3 } });

function report(findings: number): CheckReport {
  return {
    root: '/repo',
    rulesFile: 'jest-connect-iam.rules.yaml',
    rules: [{ name: 'r', select: {}, expect: { notAllowActions: ['connect:Describe*'] } }],
    outcomes: [
      {
        rule: 'r',
        principal: { id: 'p.json', kind: 'policy-file', file: 'p.json', line: 1, key: 'p.json#p.json' },
        status: 'fail',
        checks: [{ check: 'notAllowActions', status: 'non-compliant', findings: Array.from({ length: findings }, (_, i) => finding(i)), evidence: ['evidence line'] }],
        checked: 1,
      },
    ],
    problems: [{ kind: 'skipped-file', severity: 'warning', message: 'not read: symbolic link loop', location: { file: 'loop.json' } }],
    stats: { files: 2, read: 1, notTemplates: 0, unreadable: 0, skipped: 1, principals: 1 },
    exitCode: 1,
  };
}

describe('text report', () => {
  test('groups by principal, shows file:line per finding, caps long finding lists, lists problems and a summary', () => {
    const text = renderCheckText(report(36));
    expect(text).toContain('policy-file p.json  p.json:1\n  FAIL r');
    expect(text).toContain('notAllowActions: connect:Describe0 is allowed  [p.json:3]');
    expect(text).toContain('notAllowActions: ... and 30 more: connect:Describe6, connect:Describe7, connect:Describe8, connect:Describe9, ...');
    expect(text).not.toContain('connect:Describe35 is allowed');
    expect(text).toContain('warning: loop.json: not read: symbolic link loop');
    expect(text).toMatch(/Result: 0 hold, 1 violation, 0 suppressed, 0 errors -> exit 1\n$/);
    expect(text.split('\n').length).toBeLessThan(40);
  });
});
