import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURE_REPOS, bin, tempDir, writeTree } from './helpers';

const repo = (name: string): string => path.join(FIXTURE_REPOS, name);

describe('check (built bin) on fixture repos', () => {
  test('all-good: exit 0, every principal listed as satisfying its rules', () => {
    const r = bin(['check', '--cwd', repo('all-good')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/role AuditorRole \(connect-auditor\)\s+infra\/connect\.yaml:4: auditors-read-only/);
    expect(r.stdout).toMatch(/Result: 3 hold, 0 violations, 0 suppressed, 0 errors -> exit 0/);
  });

  test('readonly-violation: exit 1; names the template, the line and the statement; the suppressed one shows as suppressed', () => {
    const r = bin(['check', '--cwd', repo('readonly-violation')]);
    expect(r.status).toBe(1);
    const block = r.stdout.split('\n\n').find((b) => b.startsWith('role AuditorRole'))!;
    expect(block).toContain('FAIL auditors-read-only');
    expect(block).toContain('infra/connect.yaml:25');
    expect(block).toContain('"TweakInstance"');
    expect(block).toContain('connect:UpdateInstanceAttribute');
    expect(r.stdout).toMatch(/SUPP auditors-read-only {2}\(suppressed: Legacy flow editor, removed in TICKET-123\)/);
    expect(r.stdout).toMatch(/0 hold, 1 violation, 1 suppressed, 0 errors -> exit 1/);
  });

  test('broken-yaml: the good files are still checked, the broken one is an error with file:line, exit 2', () => {
    const r = bin(['check', '--cwd', repo('broken-yaml')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/error: infra\/broken\.yaml:12:\d+: cannot be read: invalid YAML/);
    expect(r.stdout).toMatch(/3 hold, 0 violations, 0 suppressed, 1 error -> exit 2/);
    expect(r.stdout).toContain('infra/good.yaml:4: everything-lists-instances');
  });

  test('glob-nothing: a files pattern that matches nothing is exit 2 and names the pattern and rule line', () => {
    const r = bin(['check', '--cwd', repo('glob-nothing')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/error: jest-connect-iam\.rules\.yaml:2:\d+: rule 'auditors-read-only': files pattern 'infra\/\*\*\/\*\.yml' matched no file/);
  });

  test('no rules file and none given: exit 2 saying where it looked (stderr), nothing on stdout', () => {
    const dir = tempDir('jci-norules-');
    try {
      const r = bin(['check', '--cwd', dir]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(path.join(fs.realpathSync(dir), 'jest-connect-iam.rules.yaml'));
      expect(r.stderr).toMatch(/Looked for/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--rules points at a rules file elsewhere; an invalid one is exit 2 with its line', () => {
    const dir = tempDir('jci-badrules-');
    try {
      writeTree(dir, { 'r.yaml': "rules:\n  - name: a\n    expect:\n      grantConsoleTasks: ['Data storage / Edit call recordings']\n" });
      const r = bin(['check', '--cwd', repo('all-good'), '--rules', path.join(dir, 'r.yaml')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/r\.yaml:4:\d+: rules\[0\]\.expect\.grantConsoleTasks\[0\]: Unknown .*did you mean 'Edit call recording'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--format json: machine-readable result on stdout, diagnostics on stderr', () => {
    const r = bin(['check', '--cwd', repo('broken-yaml'), '--format', 'json']);
    expect(r.status).toBe(2);
    const json = JSON.parse(r.stdout) as { format: string; exitCode: number; summary: Record<string, number>; problems: unknown[] };
    expect(json).toMatchObject({ format: 'jest-connect-iam/check@1', exitCode: 2, summary: { hold: 3, errors: 1 } });
    expect(r.stderr).toMatch(/error: infra\/broken\.yaml:12:17: cannot be read: invalid YAML/);
  });

  test('--output writes the result to a file; stdout stays empty', () => {
    const dir = tempDir('jci-out-');
    try {
      const out = path.join(dir, 'sub', 'report.txt');
      const r = bin(['check', '--cwd', repo('readonly-violation'), '--output', out, '--quiet']);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(fs.readFileSync(out, 'utf8')).toContain('FAIL auditors-read-only');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('usage errors exit 2 and name the closest valid names', () => {
  test.each([
    [['chek'], /unknown command 'chek': did you mean 'check'/],
    [['check', '--fromat', 'json'], /unknown option '--fromat'.*did you mean --format/],
    [['check', '--format', 'sarf'], /unknown format 'sarf': did you mean 'sarif'/],
    [['matrix', '--format', 'htm'], /unknown format 'htm': did you mean 'html'/],
    [['check', '--cwd'], /--cwd needs a value/],
    [['check', '--cwd', '/nonexistent/dir'], /Directory not found: \/nonexistent\/dir/],
    [['explain', 'a.json'], /'explain' takes <file> <principal> <action\|Page \/ Task>/],
    [['policy'], /needs at least one --task/],
    [['policy', '--task', 'Data storage / Edit call recordings'], /did you mean 'Edit call recording'/],
  ])('%j', (args, message) => {
    const r = bin(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test('no command: usage on stderr, exit 2', () => {
    const r = bin([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Usage: jest-connect-iam <command>/);
  });
});

describe('--help', () => {
  test.each(['check', 'matrix', 'policy', 'explain'])('%s --help prints usage and options on stdout, exit 0', (cmd) => {
    const r = bin([cmd, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: jest-connect-iam ${cmd}`);
    expect(r.stdout).toContain('--help');
    expect(r.stderr).toBe('');
  });

  test('top-level --help lists every command', () => {
    const r = bin(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['check', 'matrix', 'policy', 'explain']) expect(r.stdout).toContain(`  ${c}`);
  });
});

describe('check never leaves the directory and says what it did not read', () => {
  test('a link out of the repo and a link loop: exit 0 for what was read, and a warning naming each unread file', () => {
    const base = tempDir('jci-links-');
    try {
      const dir = path.join(base, 'repo');
      writeTree(dir, {
        'p.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'connect:ListInstances', Resource: '*' }] }),
        'jest-connect-iam.rules.yaml': 'rules:\n  - name: ro\n    expect: { readOnly: true }\n',
      });
      writeTree(base, { 'outside/admin.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) });
      fs.symlinkSync(path.join(base, 'outside', 'admin.json'), path.join(dir, 'admin.json'));
      fs.symlinkSync(path.join(base, 'outside'), path.join(dir, 'linked-dir'));
      fs.symlinkSync(dir, path.join(dir, 'loop'));
      fs.symlinkSync(path.join(dir, 'b.json'), path.join(dir, 'a.json'));
      fs.symlinkSync(path.join(dir, 'a.json'), path.join(dir, 'b.json'));
      const r = bin(['check', '--cwd', dir]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/warning: admin\.json: not read: symbolic link leaves the scanned directory/);
      expect(r.stdout).toMatch(/warning: a\.json: not read: symbolic link loop/);
      expect(r.stdout).toMatch(/Files: \d+ matched, 1 read, 0 not policies or templates, 0 unreadable, 3 skipped/);
      expect(r.stdout).not.toContain('linked-dir');
      const sarif = JSON.parse(bin(['check', '--cwd', dir, '--format', 'sarif']).stdout) as { runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };
      expect(sarif.runs[0]!.results.filter((x) => x.ruleId === 'jest-connect-iam/skipped-file').map((x) => x.level)).toEqual(['warning', 'warning', 'warning']);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('--output into a place that cannot be written', () => {
  test('is exit 2 with the file-system error, not a hang or a stack trace', () => {
    const dir = tempDir('jci-ro-');
    try {
      fs.writeFileSync(path.join(dir, 'file'), '');
      const r = bin(['check', '--cwd', path.join(FIXTURE_REPOS, 'all-good'), '--output', path.join(dir, 'file', 'sub', 'out.txt')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/not a directory/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
