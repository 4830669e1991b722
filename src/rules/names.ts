/**
 * Every name a rule's expectations use must be real: console pages and tasks (catalog),
 * IAM actions (IAM action data; wildcards must match at least one real action) and managed
 * policies. An unknown name is an input error with suggestions, never a silent pass.
 */
import { parseTaskRef } from '../catalog';
import { UnknownNameError } from '../errors';
import { assertKnownAction } from '../iam';
import { managedPolicy } from '../managed';
import type { JsonPath } from './json-schema';
import type { Expectations } from './types';

export interface NameIssue {
  /** Path relative to the rule's `expect`. */
  readonly path: JsonPath;
  readonly message: string;
}

function attempt(path: JsonPath, issues: NameIssue[], fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof UnknownNameError || err instanceof Error) issues.push({ path, message: err.message });
    else issues.push({ path, message: String(err) });
  }
}

export function validateNames(expect: Expectations): NameIssue[] {
  const issues: NameIssue[] = [];
  const tasks = (key: 'grantConsoleTasks' | 'notGrantConsoleTasks'): void => {
    expect[key]?.forEach((ref, i) => attempt([key, i], issues, () => parseTaskRef(ref)));
  };
  const actions = (key: 'allowActions' | 'notAllowActions'): void => {
    expect[key]?.forEach((a, i) => attempt([key, i], issues, () => assertKnownAction(a)));
  };
  tasks('grantConsoleTasks');
  tasks('notGrantConsoleTasks');
  actions('allowActions');
  actions('notAllowActions');
  if (typeof expect.readOnly === 'object') {
    expect.readOnly.allow?.forEach((a, i) => attempt(['readOnly', 'allow', i], issues, () => assertKnownAction(a)));
  }
  if (expect.stayWithin !== undefined) {
    const baseline = expect.stayWithin;
    attempt(['stayWithin'], issues, () => managedPolicy(baseline));
  }
  return issues;
}
