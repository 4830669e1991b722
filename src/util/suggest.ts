/**
 * Closest-name suggestions for unknown names ("did you mean ...?"). One implementation,
 * used by the catalog, the IAM action data, managed policies, principals, rules and CLI.
 */

/** Damerau-free Levenshtein distance, case-insensitive, O(a*b) with two rows. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  if (!s.length) return t.length;
  if (!t.length) return s.length;
  let prev = new Array<number>(t.length + 1);
  let cur = new Array<number>(t.length + 1);
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      // Plain comparisons: Math.min is many times slower inside Jest's sandboxed realm.
      const substitution = prev[j - 1]! + (s.charCodeAt(i - 1) === t.charCodeAt(j - 1) ? 0 : 1);
      const deletion = prev[j]! + 1;
      const insertion = cur[j - 1]! + 1;
      let best = substitution < deletion ? substitution : deletion;
      if (insertion < best) best = insertion;
      cur[j] = best;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length]!;
}

/**
 * The names closest to `input`, best first. A candidate that contains the input (or is
 * contained in it) ranks ahead of one that is merely a few edits away.
 */
export function closestNames(input: string, candidates: Iterable<string>, max = 3): string[] {
  // A name longer than any real one cannot be "a few edits away": compare its first part only, so
  // a hostile 5,000-character name costs no more than a long real one.
  const needle = input.trim().toLowerCase().slice(0, MAX_COMPARED);
  const scored: Array<{ name: string; score: number }> = [];
  const seen = new Set<string>();
  for (const name of candidates) {
    if (seen.has(name)) continue;
    seen.add(name);
    const hay = name.toLowerCase();
    const contains = needle.length >= 3 && (hay.includes(needle) || needle.includes(hay));
    const limit = Math.max(3, Math.ceil(Math.max(needle.length, hay.length) * 0.4));
    // The distance is at least the difference in length: skip the quadratic work when that is already too far.
    if (!contains && Math.abs(needle.length - hay.length) > limit) continue;
    const distance = editDistance(needle, hay);
    if (!contains && distance > limit) continue;
    scored.push({ name, score: contains ? distance / 4 : distance });
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, max).map((s) => s.name);
}

/** How much of an unknown name is compared (longer than any IAM action, task or policy name). */
const MAX_COMPARED = 200;
