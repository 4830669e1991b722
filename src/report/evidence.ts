/**
 * Plain-text evidence for evaluation results: which statements decided, which almost
 * applied and why they missed, what a conditional answer depends on and how to pin it.
 * No colours and no Jest: the matchers add colour through `EvidenceStyle`, the CLI and
 * reports print the text as is. Every line is rendered from the evaluator's result data.
 */
import { terraformLink } from '../evaluator/explain';
import type {
  ConditionExplain,
  Dependency,
  EvaluationResult,
  MismatchReason,
  StatementExplain,
} from '../evaluator/types';
import type { ReadOnlyResult, StatementGroup, StayWithinResult, UnresolvedPart } from '../analysis/types';
import { describeUnresolvedPart } from '../analysis/unresolved';

/** Colour hooks (identity by default). */
export interface EvidenceStyle {
  /** An action name. */
  readonly action?: (text: string) => string;
  /** A decision that is what the reader wanted. */
  readonly good?: (text: string) => string;
  /** A decision or element that decided a failure. */
  readonly bad?: (text: string) => string;
  /** Secondary detail (locations, counts). */
  readonly dim?: (text: string) => string;
}

export interface EvidenceOptions {
  /**
   * Prefix of every line.
   * @default ''
   */
  readonly indent?: string;
  /**
   * At most this many deciding (or closest) statements per action.
   * @default 3
   */
  readonly maxStatements?: number;
  readonly style?: EvidenceStyle;
  /**
   * Which decisions the reader wanted: 'allowed' (a positive assertion) or 'denied' (a
   * negative one). Only colours depend on it.
   * @default 'allowed'
   */
  readonly wanted?: 'allowed' | 'denied';
  /**
   * Which front end shows the text, so "to pin it" names options that exist there.
   * @default 'api'
   */
  readonly pinFor?: PinFrontEnd;
  /**
   * Leave the `resource` option out of "to pin it" hints: for console tasks, whose resource
   * option spans services, the caller shows one combined hint (ConsoleTaskResult.resourcePin).
   * @default false
   */
  readonly omitResourcePin?: boolean;
}

/** One action's evidence plus how it relates to what was asked. */
export interface ActionEvidence {
  readonly result: EvaluationResult;
  /** 'own' or 'prerequisite' for console tasks. */
  readonly role?: 'own' | 'prerequisite';
  /** For prerequisites: the task id it comes from. */
  readonly from?: string;
  /** For console pages: the task the action belongs to. */
  readonly task?: string;
}

export interface EvidenceListOptions extends EvidenceOptions {
  /**
   * Line budget for the whole list: past it, remaining actions are summarised with counts.
   * @default 30
   */
  readonly maxLines?: number;
}

const id = (text: string): string => text;

function styleOf(opts: EvidenceOptions): Required<EvidenceStyle> {
  const s = opts.style ?? {};
  return { action: s.action ?? id, good: s.good ?? id, bad: s.bad ?? id, dim: s.dim ?? id };
}

const DECISION_TEXT: Record<EvaluationResult['decision'], string> = {
  allowed: 'allowed',
  explicitDeny: 'explicitly denied',
  implicitDeny: 'not allowed (implicit deny)',
  conditional: 'conditional',
};

/** "allowed", "explicitly denied", "not allowed (implicit deny)", "conditional". */
export function describeDecision(decision: EvaluationResult['decision']): string {
  return DECISION_TEXT[decision];
}

/**
 * Where the statement is, when a file is known: `file:line`, else `file` and the JSON path.
 * (A bare JSON path repeats `Statement[i]`, so it is left out.)
 */
export function describeLocation(st: StatementExplain): string | undefined {
  const loc = st.location;
  if (!loc?.file) return undefined;
  // Terraform: the address and attribute name the value; the .tf line is added when known.
  if (loc.address !== undefined) return loc.line !== undefined ? `${loc.file}:${loc.line} ${loc.address}` : `${loc.file} ${loc.address}`;
  if (loc.line !== undefined) return `${loc.file}:${loc.line}`;
  // A path inside the document only repeats `Statement[i]`; a path from a template root says where the document is.
  return loc.path && !/^Statement\b/.test(loc.path) ? `${loc.file} ${loc.path}` : loc.file;
}

/** `policy "Admin" (admin.json:12) Statement[2] "AllowAll"`: which statement, in words a reader can find. */
export function describeStatementRef(st: StatementExplain): string {
  const where = describeLocation(st);
  if (st.guardrail) {
    const label = st.guardrail.kind === 'resourcePolicy' ? (st.guardrail.service === 'kms' ? 'key policy' : st.guardrail.service === 's3' ? 'bucket policy' : 'resource policy') : GUARDRAIL_LABEL[st.guardrail.kind];
    const level = st.guardrail.level ? ` attached at ${st.guardrail.level}` : '';
    return `${label} "${st.policy}"${level}${where ? ` (${where})` : ''} Statement[${st.index}]${st.sid ? ` "${st.sid}"` : ''}`;
  }
  const boundary = st.boundary ? 'permissions boundary ' : '';
  const version = st.policyVersion !== undefined ? ` ${st.policyVersion}` : '';
  return `${boundary}policy "${st.policy}"${version}${where ? ` (${where})` : ''} Statement[${st.index}]${st.sid ? ` "${st.sid}"` : ''}`;
}

function describeCondition(c: ConditionExplain): string {
  const result = c.result === 'unknown' ? 'unknown (not in context)' : c.result ? 'true' : 'false';
  const given = c.contextValue ? ` given ${JSON.stringify(c.contextValue)}` : '';
  return `${c.operator} ${c.key} ${JSON.stringify(c.values)}: ${result}${given}`;
}

/** The elements that matched or failed: `Action "connect:*" matched; Resource "*" matched; Condition ...`. */
export function describeElements(st: StatementExplain, opts: { readonly omitAction?: boolean; readonly onlyMatched?: boolean } = {}): string {
  const parts: string[] = [];
  if (st.action && !opts.omitAction && !(opts.onlyMatched && !st.action.matched)) {
    const what = st.action.element === 'NotAction' ? (st.action.matched ? 'does not exclude it' : 'excludes it') : st.action.matched ? 'matched' : 'did not match';
    parts.push(`${st.action.element}${st.action.pattern !== undefined ? ` "${st.action.pattern}"` : ''} ${what}`);
  }
  if (st.resource && !(opts.onlyMatched && st.resource.matched === false)) {
    const r = st.resource;
    const what = r.matched === 'partial' ? 'covers only part of it' : r.matched ? 'matched' : r.element === 'NotResource' ? 'excludes it' : 'did not match';
    parts.push(`${r.element}${r.pattern !== undefined ? ` "${r.pattern}"` : ''} ${what}`);
  }
  for (const c of st.conditions ?? []) if (!(opts.onlyMatched && c.result === false)) parts.push(`Condition ${describeCondition(c)}`);
  return parts.join('; ');
}

const MISMATCH_TEXT: Record<MismatchReason, (st: StatementExplain, r: EvaluationResult) => string> = {
  actionNotMatched: () => 'no Action pattern matches it',
  actionExcluded: (st) => `NotAction${st.action?.pattern ? ` "${st.action.pattern}"` : ''} excludes it`,
  resourceNotMatched: (st, r) => `Resource${st.resource?.pattern ? ` "${st.resource.pattern}"` : ''} does not cover ${r.resource}`,
  resourceExcluded: (st, r) => `NotResource${st.resource?.pattern ? ` "${st.resource.pattern}"` : ''} excludes ${r.resource}`,
  resourceTypeMismatch: (st, r) => `Resource${st.resource?.pattern ? ` "${st.resource.pattern}"` : ''} cannot match any resource type of ${r.action}`,
  actionTakesNoResource: (_st, r) => `${r.action} takes no resource: only Resource "*" grants it`,
  conditionFailed: (st) => {
    const failed = (st.conditions ?? []).filter((c) => c.result === false);
    return failed.length ? `Condition ${failed.map(describeCondition).join('; ')}` : 'a condition is false for the given context';
  },
};

/** Why a statement did not apply, in words. */
export function describeMismatch(st: StatementExplain, result: EvaluationResult): string | undefined {
  return st.mismatch ? MISMATCH_TEXT[st.mismatch](st, result) : undefined;
}

/** One dependency in words: "condition key aws:RequestedRegion (StringEquals)". */
export function describeDependency(d: Dependency): string {
  switch (d.kind) {
    case 'conditionKey':
      return `condition key ${d.key} (${d.operator})`;
    case 'policyVariable':
      return `policy variable ${d.variable}`;
    case 'resource':
      return `narrower resource ${d.pattern}`;
    case 'unresolvedValue':
      return `unresolved value ${d.description}`;
    case 'templateCondition':
      return terraformLink(d.condition) ? `whether ${d.condition}` : `template condition ${d.condition}`;
    case 'unresolvedPolicy':
      return `unresolved policy "${d.policy}" (${d.reason})`;
    case 'guardrail':
      return `${GUARDRAIL_LABEL[d.guardrail]} "${d.policy}"${d.level ? ` at ${d.level}` : ''} (${d.reason})`;
  }
}

const GUARDRAIL_LABEL = { scp: 'SCP', rcp: 'RCP', session: 'session policy', resourcePolicy: 'resource policy' } as const;

/**
 * Where a hint is shown, so that it names options that exist there: 'api' (matchers and the
 * engine: matcher options and loader options), 'cli' (explain, matrix: command-line options),
 * 'rules' (check and the presets: the rules file's keys; check also takes the command-line ones).
 */
export type PinFrontEnd = 'api' | 'cli' | 'rules';

const PSEUDO = /^(?:!Ref )?AWS::(AccountId|Region|StackName|Partition)$/;


/** What an unresolved value is, from its description: a pseudo parameter, a parameter, or a deploy-time value. */
function unresolvedInput(description: string): { kind: 'pseudo' | 'parameter'; name: string } | { kind: 'deploy' } {
  const pseudo = PSEUDO.exec(description);
  if (pseudo) return { kind: 'pseudo', name: pseudo[1]! };
  const ref = /^(?:!Ref )?([A-Za-z0-9]+)$/.exec(description);
  if (ref) return { kind: 'parameter', name: ref[1]! };
  return { kind: 'deploy' };
}

function objectText(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{ ${entries.map(([k, v]) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `'${k}'`}: ${v}`).join(', ')} }`;
}

/**
 * How to pin a conditional answer, with options that exist in the front end where the hint is
 * shown: the request (`context`, `resource`), the template's deploy-time values (`parameters`,
 * `pseudo`, `conditions`) and unresolved policies (`registerManagedPolicy`). A value known only
 * after deployment (`!GetAtt`, `!ImportValue`, a resource's `Ref`) is said to be so: no option
 * gives it. Undefined when there is nothing to say.
 */
export function pinHint(deps: readonly Dependency[], how: PinFrontEnd | { readonly frontEnd?: PinFrontEnd; readonly omitResource?: boolean } = 'api'): string | undefined {
  const frontEnd: PinFrontEnd = typeof how === 'string' ? how : how.frontEnd ?? 'api';
  const omitResource = typeof how === 'string' ? false : how.omitResource === true;
  const keys = new Set<string>();
  let resource: string | undefined;
  const parameters = new Set<string>();
  const pseudo = new Set<string>();
  const conditions = new Set<string>();
  const deploy = new Set<string>();
  const policies = new Set<string>();
  const guardrailFixes = new Set<string>();
  const links = new Set<string>();
  for (const d of deps) {
    if (d.kind === 'conditionKey') keys.add(d.key);
    else if (d.kind === 'policyVariable') keys.add(d.variable.replace(/^\$\{|\}$/g, ''));
    else if (d.kind === 'resource') { if (!omitResource) resource ??= d.pattern; }
    else if (d.kind === 'unresolvedPolicy') policies.add(d.policy);
    else if (d.kind === 'unresolvedValue') {
      const input = unresolvedInput(d.description);
      if (input.kind === 'pseudo') pseudo.add(input.name);
      else if (input.kind === 'parameter') parameters.add(input.name);
      else deploy.add(d.description);
    } else if (d.kind === 'guardrail') guardrailFixes.add(guardrailFix(d));
    else if (terraformLink(d.condition)) links.add(d.condition);
    else for (const c of d.condition.split(' and ')) conditions.add(c.replace(/^!/, ''));
  }
  const out: string[] = [];
  if (frontEnd === 'cli') {
    const flags = [
      ...[...keys].map((k) => `--context ${k}=…`),
      ...(resource !== undefined ? [`--resource '${resource}'`] : []),
      ...[...parameters].map((p) => `--param ${p}=…`),
      ...[...pseudo].map((p) => `--pseudo ${p}=…`),
      ...[...conditions].map((c) => `--condition ${c}=true|false`),
    ];
    if (flags.length) out.push(`run again with ${flags.join(' ')}`);
    if (policies.size) out.push(`the document of ${[...policies].map((p) => `"${p}"`).join(', ')} is not in the scanned files (registerManagedPolicy(arn, document) in a test gives it)`);
  } else if (frontEnd === 'rules') {
    const rule = [
      ...(keys.size ? [`context: ${objectText([...keys].map((k) => [k, '…']))}`] : []),
      ...(resource !== undefined ? [`resource: '${resource}'`] : []),
    ];
    if (rule.length) out.push(`give the rule ${rule.join(', ')}`);
    const file = [
      ...(parameters.size ? [`parameters: ${objectText([...parameters].map((p) => [p, '…']))}`] : []),
      ...(pseudo.size ? [`pseudo: ${objectText([...pseudo].map((p) => [p, '…']))}`] : []),
      ...(conditions.size ? [`conditions: ${objectText([...conditions].map((c) => [c, 'true | false']))}`] : []),
    ];
    if (file.length) {
      const flags = [...[...parameters].map((p) => `--param ${p}=…`), ...[...pseudo].map((p) => `--pseudo ${p}=…`), ...[...conditions].map((c) => `--condition ${c}=true|false`)];
      out.push(`give the rules file (or a templates: entry, or the preset's options) ${file.join(', ')} (check also takes ${flags.join(' ')})`);
    }
    if (policies.size) out.push(`the document of ${[...policies].map((p) => `"${p}"`).join(', ')} is not in the scanned files (registerManagedPolicy(arn, document) in a test file gives it)`);
  } else {
    const options = [
      ...(keys.size ? [`context: ${objectText([...keys].map((k) => [k, "'…'"]))}`] : []),
      ...(resource !== undefined ? [`resource: '${resource}'`] : []),
    ];
    if (options.length) out.push(`pass { ${options.join(', ')} }`);
    const loader = [
      ...(parameters.size ? [`parameters: ${objectText([...parameters].map((p) => [p, "'…'"]))}`] : []),
      ...(pseudo.size ? [`pseudo: ${objectText([...pseudo].map((p) => [p, "'…'"]))}`] : []),
      ...(conditions.size ? [`conditions: ${objectText([...conditions].map((c) => [c, 'true | false']))}`] : []),
    ];
    if (loader.length) out.push(`load the template with { ${loader.join(', ')} }`);
    for (const p of policies) out.push(`register policy "${p}" (registerManagedPolicy(arn, document)) or load it`);
  }
  if (parameters.size) out.push(`(a Ref to a resource rather than a parameter is known only after deployment)`);
  if (deploy.size) out.push(`${[...deploy].join(', ')} ${deploy.size === 1 ? 'is' : 'are'} known only after deployment: no option gives ${deploy.size === 1 ? 'it' : 'them'}`);
  for (const c of links) {
    const link = terraformLink(c)!;
    const after = /known only after apply/.test(link.why);
    // The example names the resource's own argument: role, role_name, roles (a list), ...
    const argument = link.attribute.slice(link.attribute.lastIndexOf('.') + 1);
    const ref = `aws_iam_${link.kind}.<name>.name`;
    const example = `${argument} = ${argument.endsWith('s') ? `[${ref}]` : ref}`;
    out.push(`${link.attribute} ${after ? 'is known only after apply: no option gives it' : `could not be followed (${link.why})`}; write it as a reference to the ${link.kind}'s resource (e.g. ${example}) so the link is followed`);
  }
  out.push(...guardrailFixes);
  return out.length ? out.join('; ') : undefined;
}

function guardrailFix(d: Extract<Dependency, { kind: 'guardrail' }>): string {
  switch (d.guardrail) {
    case 'scp':
      return `give the document of SCP "${d.policy}" (organization: { scps: [...] }, loadOrganizationPolicy)`;
    case 'rcp':
      return `give the document of RCP "${d.policy}" (organization: { rcps: [...] }, loadOrganizationPolicy)`;
    case 'session':
      return `give the document of session policy "${d.policy}" (session option)`;
    case 'resourcePolicy':
      return `for resource policy "${d.policy}": ${d.reason}`;
  }
}

function roleText(item: ActionEvidence): string {
  const bits: string[] = [];
  if (item.task) bits.push(`task ${item.task}`);
  if (item.role === 'own') bits.push('own');
  if (item.role === 'prerequisite') bits.push(`prerequisite${item.from ? ` from ${item.from}` : ''}`);
  return bits.length ? ` (${bits.join(', ')})` : '';
}

/**
 * `a, b (own), c, d (prerequisite from x)`: runs of actions with the same role share it; past
 * `max` names, `and N more`.
 */
function namesWithRoles(items: readonly ActionEvidence[], s: Required<EvidenceStyle>, max = 8): string {
  const runs: Array<{ role: string; names: string[] }> = [];
  for (const item of items.slice(0, max)) {
    const role = roleText(item);
    const last = runs[runs.length - 1];
    if (last && last.role === role) last.names.push(s.action(item.result.action));
    else runs.push({ role, names: [s.action(item.result.action)] });
  }
  const more = items.length > max ? ` and ${items.length - max} more` : '';
  return runs.map((r) => `${r.names.join(', ')}${r.role}`).join(', ') + more;
}

/** Whether the decision is what the reader wanted (for colours only). */
function isWanted(decision: EvaluationResult['decision'], wanted: 'allowed' | 'denied'): boolean {
  return wanted === 'allowed' ? decision === 'allowed' : decision === 'explicitDeny' || decision === 'implicitDeny';
}

/** `: allowed`, ` on arn:…: conditional`: the end of an action's headline. */
function outcome(result: EvaluationResult, wanted: 'allowed' | 'denied', s: Required<EvidenceStyle>): string {
  const decision = describeDecision(result.decision);
  const resource = result.resource === '*' ? '' : s.dim(` on ${result.resource}`);
  return `${resource}: ${isWanted(result.decision, wanted) ? s.good(decision) : s.bad(decision)}`;
}

/**
 * The evidence for one action: a headline (action, role, decision) and numbered lines for
 * the deciding statements; for a denial with no deciding statement, the closest statements
 * and why each missed; for a conditional answer, what it depends on and how to pin it.
 */
export function renderEvaluationEvidence(result: EvaluationResult, opts: EvidenceOptions & { readonly item?: ActionEvidence } = {}): string[] {
  const s = styleOf(opts);
  const indent = opts.indent ?? '';
  const max = opts.maxStatements ?? 3;
  const wanted = opts.wanted ?? 'allowed';
  const lines = [`${indent}${s.action(result.action)}${opts.item ? roleText(opts.item) : ''}${outcome(result, wanted, s)}`];
  const sub = `${indent}  `;
  for (const note of result.guardrails ?? []) lines.push(`${sub}${note.effect === 'notApplicable' ? s.dim(note.sentence) : note.effect === 'allowedAlone' || note.effect === 'enablesIam' ? s.good(note.sentence) : s.bad(note.sentence)}`);
  const numbered = (list: readonly StatementExplain[], withMismatch: boolean): void => {
    list.slice(0, max).forEach((st, i) => {
      const miss = withMismatch ? describeMismatch(st, result) : undefined;
      const elements = describeElements(st, { onlyMatched: miss !== undefined });
      lines.push(
        `${sub}${i + 1}. ${describeStatementRef(st)}: ${st.effect}${elements ? `; ${elements}` : ''}` +
          (miss ? ` ${s.bad(`-> missed: ${miss}`)}` : ''),
      );
    });
    if (list.length > max) lines.push(`${sub}${s.dim(`… and ${list.length - max} more statement${list.length - max === 1 ? '' : 's'}`)}`);
  };
  if (result.statements.length) {
    numbered(result.statements, false);
  } else if (result.decision === 'implicitDeny') {
    if (result.closest.length) {
      lines.push(`${sub}no statement allows it; closest:`);
      numbered(result.closest, true);
    } else {
      lines.push(`${sub}no statement allows it, and no statement mentions it`);
    }
  } else if (result.reasons[0]) {
    lines.push(`${sub}${result.reasons[0]}`);
  }
  if (result.decision === 'conditional') {
    if (result.dependsOn.length) lines.push(`${sub}depends on: ${result.dependsOn.map(describeDependency).join(', ')}`);
    else if (result.reasons[0]) lines.push(`${sub}${result.reasons[0]}`);
    const pin = pinHint(result.dependsOn, { frontEnd: opts.pinFor ?? 'api', omitResource: opts.omitResourcePin === true });
    if (pin) lines.push(`${sub}to pin it: ${pin}`);
  }
  return lines;
}

/**
 * The console-task resource hint: `pass { resource: { connect: 'arn:…', s3: 'arn:…' } }`
 * from ConsoleTaskResult.resourcePin (one ARN per service as a string, several as a list).
 */
export function resourcePinHint(pin: Readonly<Record<string, readonly string[]>> | undefined): string | undefined {
  if (!pin) return undefined;
  const entries = Object.entries(pin).filter(([, list]) => list.length > 0);
  if (!entries.length) return undefined;
  const value = (list: readonly string[]): string => (list.length === 1 ? `'${list[0]}'` : `[${list.map((r) => `'${r}'`).join(', ')}]`);
  return `pass { resource: { ${entries.map(([service, list]) => `${service}: ${value(list)}`).join(', ')} } }`;
}

/**
 * Evidence for several actions within a line budget: each action in full while it fits,
 * then one summary line with counts per decision for the rest.
 */
export function renderEvidenceList(items: readonly ActionEvidence[], opts: EvidenceListOptions = {}): string[] {
  const budget = opts.maxLines ?? 30;
  const indent = opts.indent ?? '';
  const s = styleOf(opts);
  // Actions with the same decision and the same evidence lines are shown once, together.
  const groups: Array<{ items: ActionEvidence[]; head: string; body: string[] }> = [];
  const byKey = new Map<string, { items: ActionEvidence[]; head: string; body: string[] }>();
  for (const item of items) {
    const [head = '', ...body] = renderEvaluationEvidence(item.result, { ...opts, item });
    const key = `${item.result.decision}\u0000${item.result.resource}\u0000${body.join('\n')}`;
    const found = byKey.get(key);
    if (found) found.items.push(item);
    else {
      const group = { items: [item], head, body };
      byKey.set(key, group);
      groups.push(group);
    }
  }
  const out: string[] = [];
  let shown = 0;
  for (const g of groups) {
    const head =
      g.items.length === 1
        ? g.head
        : `${indent}${namesWithRoles(g.items, s)}${outcome(g.items[0]!.result, opts.wanted ?? 'allowed', s)}`;
    if (shown > 0 && out.length + 1 + g.body.length > budget) break;
    out.push(head, ...g.body);
    shown++;
  }
  const rest = groups.slice(shown).flatMap((g) => g.items);
  if (rest.length) {
    const counts = new Map<string, number>();
    for (const item of rest) counts.set(item.result.decision, (counts.get(item.result.decision) ?? 0) + 1);
    const summary = [...counts].map(([d, n]) => `${n} ${describeDecision(d as EvaluationResult['decision'])}`).join(', ');
    const names = rest.slice(0, 5).map((i) => i.result.action).join(', ');
    out.push(`${indent}… and ${rest.length} more action${rest.length === 1 ? '' : 's'} (${summary}): ${names}${rest.length > 5 ? ', …' : ''}`);
  }
  return out;
}

/** `a, b, c and 12 more`. */
export function listWithMore(names: readonly string[], max = 6): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Unknown parts of a subject, one numbered line each. */
export function renderUnresolvedParts(parts: readonly UnresolvedPart[], opts: EvidenceOptions & { readonly max?: number } = {}): string[] {
  const indent = opts.indent ?? '';
  const max = opts.max ?? 5;
  const lines = parts.slice(0, max).map((p, i) => `${indent}${i + 1}. ${describeUnresolvedPart(p)}`);
  if (parts.length > max) lines.push(`${indent}… and ${parts.length - max} more`);
  return lines;
}

/**
 * Offending actions grouped by the statement that allows them: the statement (numbered, with
 * the elements that matched), then how many actions it allows and the first names.
 */
export function renderStatementGroups(
  groups: readonly StatementGroup[],
  opts: EvidenceOptions & { readonly maxGroups?: number; readonly maxNames?: number } = {},
): string[] {
  const s = styleOf(opts);
  const indent = opts.indent ?? '';
  const maxGroups = opts.maxGroups ?? 5;
  const lines: string[] = [];
  groups.slice(0, maxGroups).forEach((g, i) => {
    const elements = describeElements(g.statement, { omitAction: true });
    lines.push(`${indent}${i + 1}. ${describeStatementRef(g.statement)}: ${g.statement.effect}${elements ? `; ${elements}` : ''}`);
    const counts = [g.allowed ? `${g.allowed} allowed` : '', g.conditional ? `${g.conditional} conditional` : ''].filter(Boolean).join(', ');
    lines.push(`${indent}   ${s.bad(`${g.actions.length} action${g.actions.length === 1 ? '' : 's'}`)} (${counts}): ${listWithMore(g.actions.map((a) => s.action(a)), opts.maxNames ?? 6)}`);
  });
  if (groups.length > maxGroups) lines.push(`${indent}${s.dim(`… and ${groups.length - maxGroups} more statements`)}`);
  return lines;
}

/** The evidence of a failed checkReadOnly (plain text unless a style is given). */
export function renderReadOnlyEvidence(result: ReadOnlyResult, opts: EvidenceListOptions = {}): string[] {
  const indent = opts.indent ?? '';
  const lines: string[] = [];
  if (result.byStatement.length) {
    lines.push(`${indent}Non-read actions by statement:`);
    lines.push(...renderStatementGroups(result.byStatement, { ...opts, indent: `${indent}  `, maxGroups: 4 }));
  }
  // Certain on a narrower resource (checkReadOnly re-evaluated it there): say where.
  const narrower = result.offending.filter((o) => o.decision === 'allowed' && o.result.resource !== '*');
  if (narrower.length) lines.push(`${indent}Allowed with certainty on a narrower resource:`);
  for (const o of narrower.slice(0, 4)) lines.push(`${indent}  ${styleOf(opts).bad('allows')} ${styleOf(opts).action(o.action)} on ${o.result.resource}`);
  if (narrower.length > 4) lines.push(`${indent}  ${styleOf(opts).dim(`… and ${narrower.length - 4} more actions allowed on narrower resources`)}`);
  const conditional = result.offending.filter((o) => o.decision === 'conditional');
  if (conditional.length) {
    lines.push(`${indent}Conditional (may be allowed):`);
    lines.push(...renderEvidenceList(conditional.map((o) => ({ result: o.result })), { ...opts, indent: `${indent}  `, maxLines: 8, maxStatements: 1 }));
  }
  lines.push(...renderAnalysisParts(result, opts, indent));
  return lines;
}

/** The evidence of a failed checkStayWithin (plain text unless a style is given). */
export function renderStayWithinEvidence(result: StayWithinResult, opts: EvidenceListOptions = {}): string[] {
  const s = styleOf(opts);
  const indent = opts.indent ?? '';
  const lines: string[] = [];
  if (result.byStatement.length) {
    lines.push(`${indent}Actions beyond ${result.baseline}, by statement:`);
    lines.push(...renderStatementGroups(result.byStatement, { ...opts, indent: `${indent}  `, maxGroups: 4 }));
  }
  if (result.newAccess.length) {
    // Definite new access first; actions with the same explanation share one line.
    const ordered = [...result.newAccess].sort((a, b) => Number(a.kind !== 'definite') - Number(b.kind !== 'definite'));
    const byWhy = new Map<string, { kind: string; why: string; actions: string[]; pin?: string }>();
    for (const n of ordered) {
      const key = `${n.kind}\u0000${n.why}`;
      let g = byWhy.get(key);
      if (!g) byWhy.set(key, (g = { kind: n.kind, why: n.why, actions: [], pin: n.subject.decision === 'conditional' ? pinHint(n.subject.dependsOn, opts.pinFor) : undefined }));
      g.actions.push(n.action);
    }
    const groups = [...byWhy.values()];
    lines.push(`${indent}Why:`);
    for (const g of groups.slice(0, 4)) {
      lines.push(`${indent}  ${listWithMore(g.actions.map((a) => s.action(a)), 4)}: ${s.bad(g.kind === 'definite' ? 'new access' : 'possible new access')}: ${g.why}`);
      if (g.pin) lines.push(`${indent}    to pin the subject: ${g.pin}`);
    }
    if (groups.length > 4) lines.push(`${indent}  ${s.dim(`… and ${groups.length - 4} more explanations`)}`);
  }
  lines.push(...renderAnalysisParts(result, opts, indent));
  return lines;
}

/** What both analyses report after their findings: unknown parts, unknown action patterns, accepted actions. */
function renderAnalysisParts(result: ReadOnlyResult | StayWithinResult, opts: EvidenceListOptions, indent: string): string[] {
  const lines: string[] = [];
  if (result.unresolved.length) {
    lines.push(`${indent}Unknown parts (nothing they might grant can be ruled out):`);
    lines.push(...renderUnresolvedParts(result.unresolved, { ...opts, indent: `${indent}  ` }));
  }
  for (const u of result.unknownPatterns.slice(0, 3)) {
    lines.push(`${indent}Unknown action: policy "${u.policy}" Statement[${u.index}] allows '${u.pattern}', which is not in the IAM action data`);
  }
  if (result.accepted.length) lines.push(`${indent}Accepted by the allow option: ${listWithMore(result.accepted)}`);
  return lines;
}
