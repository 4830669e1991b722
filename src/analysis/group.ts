/** Group offending actions by the statements that allow them, for summaries. */
import type { EvaluationResult, StatementExplain } from '../evaluator/types';
import type { StatementGroup } from './types';
import { evidenceKeys } from './plain-allows';

interface Item {
  readonly action: string;
  readonly decision: 'allowed' | 'conditional';
  readonly result: EvaluationResult;
}

function keyOf(st: StatementExplain): string {
  return `${st.boundary ? 'B' : 'P'}\u0000${st.policy}\u0000${st.index}`;
}

/** One group per Allow statement that decided (or may decide) an item, largest first. */
export function groupByStatement(items: readonly Item[]): StatementGroup[] {
  const groups = new Map<string, { statement: StatementExplain; actions: Set<string>; allowed: number; conditional: number }>();
  for (const item of items) {
    const seen = new Set<string>();
    // A result whose statements are built when read (plain-allows.ts) gives its keys without
    // building: only the first item of each group is built, for the statement it shows.
    const keys = evidenceKeys(item.result);
    if (keys) {
      keys.forEach((key, i) => {
        if (seen.has(key)) return;
        seen.add(key);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { statement: item.result.statements[i]!, actions: new Set(), allowed: 0, conditional: 0 }));
        g.actions.add(item.action);
        if (item.decision === 'allowed') g.allowed++;
        else g.conditional++;
      });
      continue;
    }
    for (const st of item.result.statements) {
      if (st.effect !== 'Allow' || st.boundary) continue;
      const key = keyOf(st);
      if (seen.has(key)) continue;
      seen.add(key);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { statement: st, actions: new Set(), allowed: 0, conditional: 0 }));
      g.actions.add(item.action);
      if (item.decision === 'allowed') g.allowed++;
      else g.conditional++;
    }
  }
  return [...groups.values()]
    .map((g) => ({ statement: g.statement, actions: [...g.actions].sort(), allowed: g.allowed, conditional: g.conditional }))
    .sort((a, b) => b.actions.length - a.actions.length || a.statement.policy.localeCompare(b.statement.policy) || a.statement.index - b.statement.index);
}
