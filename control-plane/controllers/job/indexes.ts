// control-plane/controllers/job/indexes.ts — PURE: the completion index of a pod (annotation, then label) and
// status.completedIndexes in upstream's interval form ("1,3-5,7"): parse and format.
import { COMPLETION_INDEX_KEY, type Pod } from './types.js';

/** The pod's index, or undefined when it has none or it is not a whole number below `completions`. */
export function indexOf(p: Pod, completions: number): number | undefined {
  const raw = p.metadata?.annotations?.[COMPLETION_INDEX_KEY] ?? p.metadata?.labels?.[COMPLETION_INDEX_KEY];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const i = Number(raw);
  return i < completions ? i : undefined;
}

/** "1,3-5" → {1,3,4,5}; pieces that do not parse or lie outside [0, completions) are skipped. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let i = from; i <= to && i < completions; i++) out.add(i);
  }
  return out;
}

/** {1,3,4,5} → "1,3-5" (runs of two are written "3,4", as upstream). */
export function formatIndexes(set: ReadonlySet<number>): string {
  const xs = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${xs[i]}-${xs[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(xs[k]));
    i = j + 1;
  }
  return parts.join(',');
}
