/**
 * Turn a rule set into Jest tests: one test per (rule, principal), so failures are ordinary
 * test failures. Files are loaded while the tests are collected (Jest needs the test names
 * up front); the checks run inside each test.
 *
 * Nothing passes silently: a file that cannot be read is a failing test with the loader's
 * error; a files pattern that matches nothing, a principal name that matches nothing, a
 * rule that selects nothing and a suppression that names no selected principal are failing
 * tests; a file that was found but not read (a symbolic link out of the root) is a skipped
 * test whose name says why.
 */
import * as path from 'node:path';
import { JestConnectIamError, PolicySourceError } from '../src/errors';
import type { Principal, SourceLocation } from '../src/policy/types';
import { RuleRun, type PlannedFile } from '../src/rules/run';
import type { RuleOutcome, RuleSet } from '../src/rules/types';
import { principalHeader, renderOutcomeLines, locationText } from '../src/report/check-text';

interface JestTest {
  (name: string, fn: () => void): void;
  skip(name: string, fn?: () => void): void;
}
interface JestApi {
  readonly describe: (name: string, fn: () => void) => void;
  readonly test: JestTest;
}

/** The Jest globals, injected or from @jest/globals (injectGlobals: false). */
export function jestApi(): JestApi {
  const g = globalThis as { describe?: unknown; test?: unknown };
  if (typeof g.describe === 'function' && typeof g.test === 'function') return g as unknown as JestApi;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@jest/globals') as JestApi;
  } catch {
    throw new PresetUsageError('jest-connect-iam presets must be called at the top level of a Jest test file (no Jest `describe`/`test` found).');
  }
}

export class PresetUsageError extends JestConnectIamError {
  override name = 'PresetUsageError';
}

/** A violated rule (or an input problem) reported as a test failure, without an internal stack. */
export class RuleViolationError extends JestConnectIamError {
  override name = 'RuleViolationError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

export interface RegisterOptions {
  /** Directory the rules' globs are relative to. */
  readonly cwd: string;
  /** Title of the enclosing describe block. */
  readonly title: string;
}

function outcomeMessage(o: RuleOutcome): string {
  // The verdict of each failed check (src/verdict: the function the matchers use too).
  const verdicts = o.checks.filter((c) => c.verdict !== undefined).map((c) => `  verdict of ${c.check}: ${c.verdict}${c.verdict === 'conditional' ? ' (not certain: what it depends on is named below)' : ''}`);
  return [principalHeader(o), ...verdicts, ...renderOutcomeLines(o)].join('\n');
}

function fail(message: string): () => void {
  return () => {
    throw new RuleViolationError(message);
  };
}

/**
 * A file that could not be read fails its test with the loader's own error: its class says it
 * is an input error (PolicySourceError, PolicyValidationError...), and its message names the
 * location once (the loader's message already starts with file:line:column).
 */
function inputFailure(error: Error, where: string): () => void {
  return () => {
    const message = error instanceof PolicySourceError || error.message.startsWith(where) ? error.message : `${where}: ${error.message}`;
    let thrown: Error;
    if (error instanceof PolicySourceError) {
      const Ctor = error.constructor as new (problem: string, location: SourceLocation) => PolicySourceError;
      thrown = new Ctor(error.problem, { ...(error.file !== undefined ? { file: error.file } : {}), ...(error.line !== undefined ? { line: error.line } : {}), ...(error.column !== undefined ? { column: error.column } : {}), ...(error.path !== undefined ? { path: error.path } : {}) });
    } else {
      thrown = new PolicySourceError(message, {});
    }
    // No internal stack: the location in the message is the useful part.
    thrown.stack = `${thrown.name}: ${thrown.message}`;
    throw thrown;
  };
}

/** A policy in another file attaches to this principal: no verdict about it is possible. */
function assertNoExternalAttachment(run: RuleRun, file: PlannedFile, principal: Principal): void {
  const external = run.externalAttachmentFor(principal, file.entry.path);
  if (external) {
    throw new RuleViolationError(
      `${external.source} in ${external.file} attaches to ${external.kind} ${external.target}: this check could not include it, so no verdict is possible`,
    );
  }
}

/** Register the tests for a rule set in the current Jest test file. */
export function registerRuleSet(ruleSet: RuleSet, options: RegisterOptions): void {
  const { describe, test } = jestApi();
  const run = new RuleRun(ruleSet, {
    cwd: options.cwd,
    loaderPath: (abs) => path.relative(process.cwd(), abs) || abs,
  });
  describe(options.title, () => {
    for (const p of run.problems.filter((x) => x.kind === 'no-files')) {
      test(`${p.message}`, fail(`${p.message}\nA files pattern that matches nothing is an error: fix the pattern (it is probably a typo).`));
    }
    const planned: Array<{ file: PlannedFile; principal: Principal; rule: number }> = [];
    for (const file of run.files) {
      const loaded = run.load(file);
      if (loaded.kind === 'error') {
        const where = locationText(loaded.location) || file.entry.path;
        test(`${file.entry.path}: cannot be read`, inputFailure(loaded.error, where));
        continue;
      }
      if (loaded.kind === 'skipped') {
        test.skip(`${file.entry.path}: not read (${loaded.reason})`, () => undefined);
        continue;
      }
      if (loaded.kind !== 'principals') continue;
      for (const principal of loaded.principals) {
        for (const r of run.select(file, principal)) planned.push({ file, principal, rule: r });
      }
    }
    for (const { file, principal, rule } of planned) {
      const name = run.ruleSet.rules[rule]!.name;
      const label = `${name} › ${principal.kind} ${principal.id} (${file.entry.path})`;
      const suppression = run.suppressionFor(file, principal, rule);
      if (suppression) {
        // Checked now so the test name can say whether the suppression is still needed.
        const outcome = run.check(file, principal, rule);
        const state =
          outcome.status === 'suppressed' ? `suppressed: ${suppression.reason}`
          : outcome.status === 'pass' ? 'suppression unused: the principal complies, remove it'
          : outcome.status === 'fail' ? 'suppression does not cover every violation'
          : 'error';
        test(`${label} [${state}]`, () => {
          assertNoExternalAttachment(run, file, principal);
          if (outcome.status === 'error' || outcome.status === 'fail') throw new RuleViolationError(outcomeMessage(outcome));
        });
        continue;
      }
      test(label, () => {
        assertNoExternalAttachment(run, file, principal);
        const outcome = run.check(file, principal, rule);
        if (outcome.status === 'fail' || outcome.status === 'error') throw new RuleViolationError(outcomeMessage(outcome));
      });
    }
    for (const p of run.selectionProblems()) {
      test(p.message, fail(`${p.location ? `${locationText(p.location)}: ` : ''}${p.message}`));
    }
    if (run.stats.files > 0 && run.stats.read === 0 && run.stats.unreadable === 0) {
      const msg = `no policy or template among the ${run.stats.files} matched files (${run.stats.notTemplates} are not policies or templates)`;
      test(msg, fail(msg));
    }
    for (const p of run.inputProblems()) {
      test(p.message, fail(`${p.location ? `${locationText(p.location)}: ` : ''}${p.message}`));
    }
    run.suppressionProblems();
  });
}
