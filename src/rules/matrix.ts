/**
 * The console matrix: every principal found in a directory against every console task of
 * the catalog: granted ('yes'), 'conditional' or not granted ('no'), each with a short
 * reason. Streams file by file like `check`; files that cannot be read are problems.
 */
import { catalog, findPage, listTaskRefs, parseTaskRef } from '../catalog';
import { checkConsoleTask } from '../evaluator';
import type { Principal } from '../policy/types';
import { describeDependency, describeDecision } from '../report/evidence';
import type { Problem, RuleSet, TemplateInputs } from './types';
import type { GuardrailOptions } from '../evaluator/guardrails/types';
import { RuleRun } from './run';

export interface MatrixTask {
  /** 'Page / Task' as parseTaskRef accepts it. */
  readonly ref: string;
  readonly id: string;
  readonly page: string;
  readonly task: string;
}

export interface MatrixPrincipal {
  readonly key: string;
  readonly id: string;
  readonly name?: string;
  readonly kind: Principal['kind'];
  readonly file: string;
  readonly line?: number;
}

export type MatrixCell = 'yes' | 'conditional' | 'no';

export interface MatrixData {
  readonly root: string;
  readonly tasks: readonly MatrixTask[];
  readonly principals: readonly MatrixPrincipal[];
  /** cells[p][t]: principal p, task t. */
  readonly cells: ReadonlyArray<readonly MatrixCell[]>;
  /** Why a cell is not 'yes' (the first action that is not allowed), same shape as cells. */
  readonly why: ReadonlyArray<ReadonlyArray<string | undefined>>;
  readonly problems: readonly Problem[];
  readonly stats: { readonly files: number; readonly read: number; readonly notTemplates: number; readonly unreadable: number; readonly skipped: number };
}

export interface MatrixOptions {
  readonly cwd: string;
  /** Glob patterns (default: the usual places). */
  readonly files?: readonly string[];
  readonly loaderPath?: (absolute: string, relative: string) => string;
  readonly onFile?: (done: number, total: number, file: string) => void;
  /** The guardrail sections of a rules file (organization, resourcePolicies), applied per principal as `check` does. */
  readonly guardrails?: Pick<RuleSet, 'organization' | 'resourcePolicies'>;
  /** Template inputs for every file (the CLI's --param, --pseudo, --condition). */
  readonly inputs?: TemplateInputs;
}

export function matrixTasks(): MatrixTask[] {
  return listTaskRefs().map((ref) => {
    const t = parseTaskRef(ref);
    return { ref, id: t.id, page: findPage(t.page).name, task: t.name };
  });
}

function cellOf(principal: Principal, task: MatrixTask, guardrails?: GuardrailOptions): { cell: MatrixCell; why?: string } {
  const pageId = parseTaskRef(task.ref).page;
  const r = checkConsoleTask(principal, pageId, task.id, { ...guardrails, prerequisites: true });
  if (r.granted === 'yes') return { cell: 'yes' };
  const first = r.actions.find((a) => a.result.decision !== 'allowed' && (r.granted === 'no' ? a.result.decision !== 'conditional' : true));
  if (!first) return { cell: r.granted };
  const dep = first.result.dependsOn[0];
  const role = first.role === 'prerequisite' ? ` (prerequisite from ${first.from ?? 'another task'})` : '';
  const guard = first.result.guardrails?.find((n) => n.effect !== 'notApplicable');
  return {
    cell: r.granted,
    why: `${first.action}${role}: ${describeDecision(first.result.decision)}${guard ? ` (${guard.sentence})` : ''}${dep ? `; depends on ${describeDependency(dep)}` : ''}`,
  };
}

export function buildMatrix(options: MatrixOptions): MatrixData {
  // A matrix is a rule set of one rule that selects everything and checks nothing.
  const run = new RuleRun(
    { rules: [{ name: 'matrix', select: options.files ? { files: options.files } : {}, expect: {} }], suppressions: [], ...options.guardrails },
    { cwd: options.cwd, ...(options.loaderPath ? { loaderPath: options.loaderPath } : {}), ...(options.inputs ? { inputs: options.inputs } : {}) },
  );
  const tasks = matrixTasks();
  void catalog;
  const principals: MatrixPrincipal[] = [];
  const cells: MatrixCell[][] = [];
  const why: Array<Array<string | undefined>> = [];
  let done = 0;
  for (const file of run.files) {
    const loaded = run.load(file);
    if (loaded.kind === 'principals') {
      for (const p of loaded.principals) {
        principals.push({
          key: `${file.entry.path}#${p.id}`,
          id: p.id,
          ...(p.name !== undefined ? { name: p.name } : {}),
          kind: p.kind,
          file: file.entry.path,
          ...(p.source?.line !== undefined ? { line: p.source.line } : {}),
        });
        const guard = run.guardrailOptions(file, p);
        const row: MatrixCell[] = [];
        const reasons: Array<string | undefined> = [];
        for (const t of tasks) {
          const c = cellOf(p, t, guard);
          row.push(c.cell);
          reasons.push(c.why);
        }
        cells.push(row);
        why.push(reasons);
      }
    }
    done++;
    options.onFile?.(done, run.files.length, file.entry.path);
  }
  run.inputProblems();
  const problems = run.problems.filter((p) => p.kind !== 'no-principals');
  if (principals.length === 0 && !problems.some((p) => p.severity === 'error')) {
    problems.push({ kind: 'no-principals', severity: 'error', message: `no principal found in ${run.root} (${run.stats.files} files matched)` });
  }
  const { files, read, notTemplates, unreadable, skipped } = run.stats;
  return { root: run.root, tasks, principals, cells, why, problems, stats: { files, read, notTemplates, unreadable, skipped } };
}
