/**
 * A small, independent reader for the seed page's markdown (test helper, not shipped): `##`
 * pages, `###` sections and two-column tables, with the page's glitches normalised the way
 * the catalog documents. Used to cross-check the catalog JSON against the page itself.
 */
export interface SeedRow {
  readonly heading: string;
  readonly section?: string;
  /** First cell, trimmed, as written (escapes kept). */
  readonly row: string;
  readonly rowNumber: number;
  readonly line: number;
  /** Action names as written, in order, duplicates kept. */
  readonly actionsAsWritten: readonly string[];
}

export interface SeedPage {
  readonly headings: readonly { level: 2 | 3; text: string; line: number }[];
  readonly rows: readonly SeedRow[];
}

/** Drops markdown escapes: `connect\-campaigns` -> `connect-campaigns`, `AmazonConnect\_FullAccess`. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

export function readSeedPage(markdown: string): SeedPage {
  const headings: Array<{ level: 2 | 3; text: string; line: number }> = [];
  const rows: SeedRow[] = [];
  let heading = '';
  let section: string | undefined;
  let rowNumber = 0;
  markdown.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const h = /^(#{2,3}) (.*?)(<a name="[^"]*"><\/a>)?\s*$/.exec(raw);
    if (h) {
      const level = h[1]!.length as 2 | 3;
      const text = h[2]!.trim();
      headings.push({ level, text, line });
      if (level === 2) {
        heading = text;
        section = undefined;
      } else section = text;
      rowNumber = 0;
      return;
    }
    if (!raw.startsWith('|') || /^\|\s*(Action\/Use case|---)/.test(raw)) return;
    const cells = raw.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
    rowNumber += 1;
    // "connect: AssociateApprovedOrigin" is one name written with a space after the colon.
    const names = unescapeMarkdown(cells[1] ?? '').replace(/([a-z0-9-]+): (?=[A-Za-z])/g, '$1:').split(/\s+/).filter(Boolean);
    rows.push({ heading, ...(section !== undefined && { section }), row: cells[0]!, rowNumber, line, actionsAsWritten: names });
  });
  return { headings, rows };
}
