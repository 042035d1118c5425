// Option values shared by the oracle's command line and its vitest entry.
import type { IsaGroup } from './rows.js';

const GROUPS: readonly IsaGroup[] = ['A32', 'T16', 'T32', 'VFP'];

/** "A32,vfp" -> ['A32', 'VFP'] (case-insensitive). */
export function parseGroups(text: string): IsaGroup[] {
  return text.split(',').map((g) => {
    const hit = GROUPS.find((x) => x === g.trim().toUpperCase());
    if (!hit) throw new Error(`unknown instruction set ${g} (A32, T16, T32, VFP)`);
    return hit;
  });
}
