/**
 * The `check` report as SARIF 2.1.0, for code-scanning tools that annotate pull requests:
 * one result per finding at the file and line of the deciding statement (or of the
 * principal), suppressed violations carry a `suppressions` entry with the reason, and input
 * problems (unreadable files, unknown names) are results of their own rules.
 */
import type { SourceLocation } from '../policy/types';
import type { CheckReport, Problem, ProblemKind } from '../rules/types';

const TOOL_URI = 'https://www.npmjs.com/package/jest-connect-iam';

export interface SarifOptions {
  /** Tool version written into the log. */
  readonly version?: string;
}

/** A file path as a relative URI reference (forward slashes, each segment percent-encoded). */
export function toUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function sarifLocation(loc: SourceLocation | undefined, fallbackFile?: string): unknown[] {
  const file = loc?.file ?? fallbackFile;
  if (!file) return [];
  const region =
    loc?.line !== undefined && loc.line >= 1
      ? { region: { startLine: loc.line, ...(loc.column !== undefined && loc.column >= 1 ? { startColumn: loc.column } : {}) } }
      : {};
  return [{ physicalLocation: { artifactLocation: { uri: toUri(file), uriBaseId: '%SRCROOT%' }, ...region } }];
}

const PROBLEM_TEXT: Record<ProblemKind, string> = {
  'rules-file': 'The rules file is invalid',
  'unreadable-file': 'A selected file could not be read or parsed',
  'no-files': 'A files pattern matched no file',
  'no-principals': 'A rule selected no principal',
  'unknown-principal': 'A rule names a principal that does not exist',
  'unknown-suppression': 'A suppression names no principal its rule selects',
  'unused-suppression': 'A suppression is no longer needed',
  'skipped-file': 'A matched file was not read',
  'not-a-template': 'A matched file is neither a policy nor a template',
  'loader-warning': 'The loader noticed something about a template',
  'external-attachment': 'A policy in another file attaches to a checked principal',
  'unknown-input': 'A template parameter or condition value names nothing a scanned template declares',
};

export function renderSarif(report: CheckReport, options: SarifOptions = {}): string {
  const rules: Array<Record<string, unknown>> = report.rules.map((r) => ({
    id: r.name,
    name: r.name,
    shortDescription: { text: r.description ?? `jest-connect-iam rule ${r.name}` },
    fullDescription: { text: `${r.description ?? r.name}. Expectations: ${Object.keys(r.expect).join(', ')}.` },
    defaultConfiguration: { level: 'error' },
    helpUri: TOOL_URI,
  }));
  const index = new Map<string, number>(report.rules.map((r, i) => [r.name, i]));
  const problemRule = (kind: ProblemKind): number => {
    const id = `jest-connect-iam/${kind}`;
    let i = index.get(id);
    if (i === undefined) {
      i = rules.length;
      rules.push({ id, name: kind, shortDescription: { text: PROBLEM_TEXT[kind] }, defaultConfiguration: { level: 'error' }, helpUri: TOOL_URI });
      index.set(id, i);
    }
    return i;
  };

  const results: unknown[] = [];
  for (const o of report.outcomes) {
    if (o.status === 'pass') continue;
    const ruleIndex = index.get(o.rule)!;
    for (const c of o.checks) {
      for (const f of c.findings) {
        results.push({
          ruleId: o.rule,
          ruleIndex,
          level: 'error',
          kind: 'fail',
          message: {
            text: `${o.principal.kind} ${o.principal.id} (${o.principal.file}): ${f.message}` + (c.evidence.length ? `\n${c.evidence.join('\n')}` : ''),
          },
          locations: sarifLocation(f.location, o.principal.file),
          partialFingerprints: { 'jestConnectIam/v1': `${o.rule}|${o.principal.key}|${c.check}|${f.subject}` },
          properties: { principal: o.principal.key, check: c.check, subject: f.subject },
          ...(o.status === 'suppressed'
            ? { suppressions: [{ kind: 'external', status: 'accepted', justification: o.suppression?.reason ?? '' }] }
            : {}),
        });
      }
    }
  }
  const addProblem = (p: Problem): void => {
    if (p.severity === 'note') return;
    const ruleIndex = problemRule(p.kind);
    results.push({
      ruleId: `jest-connect-iam/${p.kind}`,
      ruleIndex,
      level: p.severity === 'error' ? 'error' : 'warning',
      message: { text: p.message },
      locations: sarifLocation(p.location),
    });
  };
  report.problems.forEach(addProblem);

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'jest-connect-iam',
            informationUri: TOOL_URI,
            ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri(report.root) } },
        invocations: [
          {
            executionSuccessful: report.exitCode !== 2,
            exitCode: report.exitCode,
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function rootUri(root: string): string {
  const posix = root.replace(/\\/g, '/');
  const withSlash = posix.endsWith('/') ? posix : `${posix}/`;
  return `file://${withSlash.startsWith('/') ? '' : '/'}${withSlash.split('/').map(encodeURIComponent).join('/')}`;
}
