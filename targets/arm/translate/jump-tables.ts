// The cases of a compiler's switch tables, read at translation as extra successors of the
// jump, so that a region holds the whole switch and an interpreter's dispatch stays inside
// one region instead of leaving it at every jump. Only region growth uses these: the jump
// itself reads its table (or computes its target) when it runs.
import { PROT_EXEC, PROT_READ } from '../../../src/memory/guest-memory.js';
import type { ArmContext } from './context.js';

/** Most entries read from one table (TBB's byte index reaches 256). */
const MAX_TABLE_ENTRIES = 256;

/**
 * TBB [pc, Rm] / TBH [pc, Rm, lsl #1]: the addresses of the table's cases. The table's
 * length is not in the instruction (a compare before it bounds the index): it ends at the
 * first case's code at the latest, which follows it.
 */
export function tableBranchTargets(ctx: ArmContext, half: boolean): number[] {
  const mem = ctx.env.mem;
  const start = ctx.pcValue >>> 0;
  const size = half ? 2 : 1;
  const targets: number[] = [];
  let end = start + MAX_TABLE_ENTRIES * size;
  for (let at = start; at + size <= end; at += size) {
    if (!mem.rangeHas(at, size, PROT_READ)) break;
    const entry = half ? mem.u8[at]! | (mem.u8[at + 1]! << 8) : mem.u8[at]!;
    const target = start + entry * 2;
    if (target <= at) break; // into the table itself: not a table entry
    end = Math.min(end, target);
    if (!targets.includes(target)) targets.push(target);
  }
  return targets;
}

/** B<always> <label>: cond 1110, bits 27-24 1010. */
const isUnconditionalBranch = (word: number): boolean => (word & 0xff000000) >>> 0 === 0xea000000;

/**
 * ADD pc, pc, Rm, LSL #2 in ARM state (GCC's switch: a compare, this, then one B per case
 * from PC+8): the addresses of those branches, as long as branches follow.
 */
export function branchTableTargets(ctx: ArmContext): number[] {
  const mem = ctx.env.mem;
  const start = ctx.pcValue >>> 0;
  const targets: number[] = [];
  for (let at = start; targets.length < MAX_TABLE_ENTRIES; at += 4) {
    if (!mem.rangeHas(at, 4, PROT_READ | PROT_EXEC) || !isUnconditionalBranch(mem.u32[at >>> 2]!)) break;
    targets.push(at);
  }
  return targets;
}
