/**
 * HCL parsing for `.tf` sources: web-tree-sitter (MIT) with the tree-sitter-hcl grammar
 * (@tree-sitter-grammars/tree-sitter-hcl, Apache-2.0, which ships `tree-sitter-hcl.wasm`).
 * See docs/terraform.md for why this parser (positions for every node, error recovery).
 *
 * WebAssembly initialises asynchronously, once per process: `prepareTerraform()` does it. After
 * that, parsing is synchronous, so the sync paths (`loadFile`, scans, presets) can read `.tf`
 * sources. The tree is copied into plain `HclNode`s right away and the tree-sitter tree freed.
 */
import { JestConnectIamError, PolicySourceError } from '../../errors';

/** A syntax node: tree-sitter's type, its position (1-based line and column) and children. */
export interface HclNode {
  readonly type: string;
  readonly named: boolean;
  /** UTF-16 offsets into the file text. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly children: readonly HclNode[];
  /** The named children (no punctuation tokens). */
  readonly kids: readonly HclNode[];
  /** The field name tree-sitter gives this child (`key`, `val`), if any. */
  readonly field?: string;
}

export interface ParsedHcl {
  readonly file: string;
  readonly text: string;
  readonly root: HclNode;
}

/** The sync paths were reached before `prepareTerraform()`. */
export class TerraformNotPreparedError extends JestConnectIamError {
  override name = 'TerraformNotPreparedError';
}

interface TsNode {
  type: string;
  isNamed: boolean;
  isMissing: boolean;
  isError: boolean;
  hasError: boolean;
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  childCount: number;
  child(i: number): TsNode | null;
  fieldNameForChild(i: number): string | null;
  text: string;
}
interface TsParser {
  parse(text: string): { rootNode: TsNode; delete(): void } | null;
  setLanguage(l: unknown): void;
}

/** The prepared parser, per process. A Jest environment hands it to the test file's module registry through this global. */
export const PARSER_GLOBAL = '__JEST_CONNECT_IAM_TERRAFORM_PARSER__';
const GLOBAL_KEY = PARSER_GLOBAL;
let parser: TsParser | undefined;
let preparing: Promise<void> | undefined;
/** Why the last prepareTerraform() failed, for the sync path's message. */
let lastFailure: string | undefined;

function shared(): TsParser | undefined {
  if (parser) return parser;
  const g = (globalThis as Record<string, unknown>)[GLOBAL_KEY];
  if (g && typeof (g as TsParser).parse === 'function') parser = g as TsParser;
  return parser;
}

/**
 * Load the HCL parser (WebAssembly, asynchronous, about 50-100 ms once per process). Needed
 * before the synchronous paths read `.tf` sources without a plan: `loadFile` of a Terraform root,
 * scans (`check`, `matrix`, presets, `fromRules`). `loadTerraform` calls it itself; the CLI and
 * the Jest preset's environment call it before a scan. Calling it again is free.
 */
export function prepareTerraform(): Promise<void> {
  if (shared()) return Promise.resolve();
  preparing ??= (async () => {
    // Required here, not at the top: a process that never reads .tf sources never loads the WebAssembly.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('web-tree-sitter') as { Parser: { init(o?: { wasmBinary?: Uint8Array }): Promise<void>; new (): TsParser }; Language: { load(p: string | Uint8Array): Promise<unknown> } };
    // Both .wasm files are read here and handed over as bytes: web-tree-sitter would otherwise use a
    // dynamic import() to read them, which a Jest (vm) context refuses.
    const fs = require('node:fs') as typeof import('node:fs');
    await ts.Parser.init({ wasmBinary: fs.readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')) });
    const language = await ts.Language.load(fs.readFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm')));
    const p = new ts.Parser();
    p.setLanguage(language);
    parser = p;
    (globalThis as Record<string, unknown>)[GLOBAL_KEY] = p;
  })().catch((e: unknown) => {
    preparing = undefined;
    lastFailure = e instanceof Error ? e.message : String(e);
    throw new JestConnectIamError(`cannot load the HCL parser (web-tree-sitter, @tree-sitter-grammars/tree-sitter-hcl): ${e instanceof Error ? e.message : String(e)}`);
  });
  return preparing;
}

/** True once `prepareTerraform()` has finished (in this process or this Jest environment). */
export function terraformPrepared(): boolean {
  return shared() !== undefined;
}

export const NOT_PREPARED =
  "reading .tf sources without a plan needs the HCL parser, which loads asynchronously: call `await prepareTerraform()` (from 'jest-connect-iam') once before loadFile or a scan, or use `await loadTerraform(dir)`. The CLI and `preset: 'jest-connect-iam'` do this themselves; in a Jest config of your own, use `testEnvironment: 'jest-connect-iam/environment'` (it prepares the parser before the test file is collected)";

/** Parse one file's text. Syntax errors are PolicySourceErrors with file:line:column. */
export function parseHcl(text: string, file: string, maxDepth: number): ParsedHcl {
  const p = shared();
  if (!p) throw new TerraformNotPreparedError(lastFailure ? `reading .tf sources without a plan needs the HCL parser, which could not be loaded: ${lastFailure}` : NOT_PREPARED);
  const tree = p.parse(text);
  if (!tree) throw new PolicySourceError('the HCL parser returned no tree', { file });
  try {
    const rootTs = tree.rootNode;
    if (rootTs.hasError) throw syntaxError(rootTs, file);
    // HCL nests several syntax nodes per value (expression > collection_value > object > object_elem).
    const limit = maxDepth * 8 + 16;
    const copy = (n: TsNode, depth: number, field?: string): HclNode => {
      if (depth > limit) throw new PolicySourceError(`nesting deeper than the limit (option maxDepth ${maxDepth})`, { file, line: n.startPosition.row + 1, column: n.startPosition.column + 1 });
      const children: HclNode[] = [];
      for (let i = 0; i < n.childCount; i++) {
        const c = n.child(i);
        if (c) children.push(copy(c, depth + 1, n.fieldNameForChild(i) ?? undefined));
      }
      return {
        type: n.type,
        named: n.isNamed,
        start: n.startIndex,
        end: n.endIndex,
        line: n.startPosition.row + 1,
        column: n.startPosition.column + 1,
        children,
        kids: children.filter((c) => c.named),
        ...(field ? { field } : {}),
      };
    };
    return { file, text, root: copy(rootTs, 0) };
  } finally {
    tree.delete();
  }
}

function syntaxError(root: TsNode, file: string): PolicySourceError {
  // The first ERROR or MISSING node, depth first.
  const stack: TsNode[] = [root];
  let found: TsNode | undefined;
  while (stack.length && !found) {
    const n = stack.shift()!;
    if (n.isError || n.isMissing) {
      found = n;
      break;
    }
    const kids: TsNode[] = [];
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i);
      if (c && (c.hasError || c.isMissing || c.isError)) kids.push(c);
    }
    stack.unshift(...kids);
  }
  const at = found ?? root;
  const loc = { file, line: at.startPosition.row + 1, column: at.startPosition.column + 1 };
  if (found?.isMissing) return new PolicySourceError(`HCL syntax error: missing ${JSON.stringify(found.type)}`, loc);
  const near = (found?.text ?? '').split('\n')[0]!.slice(0, 40);
  return new PolicySourceError(`HCL syntax error${near ? ` near ${JSON.stringify(near)}` : ''}`, loc);
}
