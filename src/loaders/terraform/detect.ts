/**
 * What a scan sees of Terraform: a plan JSON file (detected by its first bytes, so a plan of
 * hundreds of MB is never read as a template), and a Terraform root directory, which is one unit:
 * its `.tf` files and the plan JSON beside them. When a plan is there, it is authoritative and the
 * sources give positions.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { JestConnectIamError, PolicySourceError, formatLocated } from '../../errors';
import { asSourceError } from '../parse';
import type { LoadResult, TemplateOptions } from '../types';
import { loadTerraformPlan, type TerraformPlanOptions } from './plan';
import { looksLikePlanHead, readHead } from './stream';
import { loadTerraformSources } from './sources';

export type TerraformScanOptions = TemplateOptions & Pick<TerraformPlanOptions, 'maxPlanBytes'>;

/** True when the file's first bytes are `terraform show -json` output. */
export function planHeadOf(file: string): boolean {
  try {
    return looksLikePlanHead(readHead(file));
  } catch {
    return false;
  }
}

function asError(e: unknown, file: string): PolicySourceError {
  const err = e instanceof JestConnectIamError ? e : asSourceError(e, file);
  return err instanceof PolicySourceError ? err : new PolicySourceError(err.message, { file });
}

function planOptions(options: TerraformScanOptions, sources?: string): TerraformPlanOptions {
  return {
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.maxStatements !== undefined ? { maxStatements: options.maxStatements } : {}),
    ...(options.maxPlanBytes !== undefined ? { maxPlanBytes: options.maxPlanBytes } : {}),
    ...(options.root !== undefined ? { root: options.root } : {}),
    ...(sources !== undefined ? { sources } : {}),
  };
}

export function loadTerraformPlanFile(file: string, options: TerraformScanOptions = {}, sources?: string, kind: 'terraform-plan' | 'terraform' = 'terraform-plan'): LoadResult {
  try {
    const plan = loadTerraformPlan(file, planOptions(options, sources));
    return { file, kind, principals: plan.principals, terraform: plan, warnings: plan.warnings };
  } catch (e) {
    return { file, kind, principals: [], error: asError(e, file) };
  }
}

/** The plan JSON files directly in a directory (by their first bytes). */
export function planFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json') && planHeadOf(nodePath.join(dir, n))).map((n) => nodePath.join(dir, n));
}

export function hasTerraformFiles(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((n) => n.endsWith('.tf'));
  } catch {
    return false;
  }
}

/** A Terraform root directory as one unit (see the module comment). Never throws. */
export function loadTerraformDirectory(dir: string, options: TerraformScanOptions = {}): LoadResult {
  const plans = planFilesIn(dir);
  const tf = hasTerraformFiles(dir);
  if (!tf && plans.length === 0) {
    return { file: dir, kind: 'not-a-template', principals: [], error: new PolicySourceError('is a directory, not a file (and not a Terraform root: it has no .tf files)', { file: dir }) };
  }
  if (plans.length > 1) {
    return {
      file: dir,
      kind: 'terraform',
      principals: [],
      error: new PolicySourceError(`several plan JSON files (${plans.map((p) => nodePath.basename(p)).join(', ')}): which one describes this root is not known; select one with the files patterns`, { file: dir }),
    };
  }
  if (plans.length === 1) {
    // One unit: its principals are in the directory (their sources name the .tf file or the plan).
    const r = loadTerraformPlanFile(plans[0]!, options, dir, 'terraform');
    return { ...r, file: dir, principals: r.principals.map((p) => ({ ...p, file: dir })) };
  }
  try {
    // Template parameters given to a scan are the root's input variables (strings, as `-var` gives them).
    const loaded = loadTerraformSources(dir, {
      ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
      ...(options.maxStatements !== undefined ? { maxStatements: options.maxStatements } : {}),
      ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
      ...(options.root !== undefined ? { root: options.root } : {}),
      ...(options.parameters ? { variables: options.parameters } : {}),
      ...(options.unknownInputs ? { unknownInputs: options.unknownInputs } : {}),
    });
    return { file: dir, kind: 'terraform', principals: loaded.principals, warnings: loaded.warnings };
  } catch (e) {
    const err = asError(e, dir);
    // The unit is the directory: a problem in one of its files names that file (relative to the root) and its line.
    if (err.file !== undefined && err.file !== dir) {
      const rel = nodePath.relative(dir, err.file) || err.file;
      return { file: dir, kind: 'terraform', principals: [], error: new PolicySourceError(formatLocated(err.problem, { file: rel, ...(err.line !== undefined ? { line: err.line } : {}), ...(err.column !== undefined ? { column: err.column } : {}), ...(err.path ? { path: err.path } : {}) }), { file: dir }) };
    }
    return { file: dir, kind: 'terraform', principals: [], error: err };
  }
}
