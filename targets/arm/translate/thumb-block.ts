// Translate one Thumb block: fetch halfwords (a 32-bit instruction when the first
// halfword's top five bits are 11101, 11110 or 11111), decode through the T16/T32 tables,
// wrap the instructions of IT blocks in their conditions, keep the IT state (it.ts).
//
// Keys: address | 1; a block entered mid-IT has the key (address | 1) + ITSTATE * 2^32.
import { insnMark, type InsnInfo, type TranslateEnv, type TranslatedBlock } from '../../../src/engine/target.js';
import { EXIT_NEXT } from '../../../src/engine/exits.js';
import { PROT_EXEC, PROT_READ } from '../../../src/memory/guest-memory.js';
import { S } from '../cpu-state.js';
import { t16Decoder } from '../decode/t16.js';
import { t32Decoder } from '../decode/t32.js';
import { CONDITION_EXPR, hex, lit } from './context.js';
import { ThumbContext, advanceIt, itCondition } from './it.js';

/** Most instructions in one block when not limited by -one-insn-per-tb. */
const MAX_BLOCK_INSNS = 256;
const TWO_32 = 4294967296;

/** True when a first halfword starts a 32-bit instruction. */
export function isThumb32(hw1: number): boolean {
  return hw1 >>> 11 >= 0x1d;
}

/** Decode one Thumb instruction (16-bit: insn < 0x10000; 32-bit: hw1 << 16 | hw2). */
export function decodeThumb(insn: number, size: number, hasFeature: (f: string) => boolean) {
  return size === 2 ? t16Decoder.decode(insn, hasFeature) : t32Decoder.decode(insn, hasFeature);
}

export function translateThumbBlock(key: number, env: TranslateEnv): TranslatedBlock {
  const ctx = new ThumbContext(env);
  const entryIt = key >= TWO_32 ? Math.floor(key / TWO_32) & 0xff : 0;
  ctx.leaveRegion = entryIt !== 0;
  const start = (key & ~1) >>> 0;
  const code: string[] = [];
  const asm: string[] = [];
  const insns: InsnInfo[] = [];
  const limit = Math.min(env.maxInsns, MAX_BLOCK_INSNS);
  const mem = env.mem;
  const canFetch = (a: number) => mem.rangeHas(a >>> 0, 2, PROT_READ | PROT_EXEC);
  let it = entryIt;
  /** The value S[ITSTATE] holds at this point of the block. */
  let stateIt = entryIt;
  let pc = start;
  let count = 0;
  const setIt = (v: number) => {
    if (v !== stateIt) code.push(`S[${S.ITSTATE}] = ${v};`);
    stateIt = v;
  };
  /** Continue at `next` with IT state `nextIt` (mid-IT: leave the region). */
  const fallThrough = (next: number, nextIt: number) => {
    const nextKey = lit(next | 1);
    // plugin counts batched over the last instructions
    const end = env.instrument ? env.instrument.end() : env.wantInsns ? insnMark('end') : '';
    if (end) code.push(end);
    if (nextIt !== 0) {
      code.push(`S[${S.ITSTATE}] = ${nextIt}; pc = ${nextKey}; exit = ${EXIT_NEXT}; break dispatch;`);
      return;
    }
    if (stateIt !== 0) code.push(`S[${S.ITSTATE}] = 0;`);
    if (ctx.leaveRegion) {
      code.push(`pc = ${nextKey}; exit = ${EXIT_NEXT}; break dispatch;`);
    } else {
      ctx.successors.push(next | 1);
      code.push(`pc = ${nextKey}; continue dispatch;`);
    }
  };
  for (;;) {
    const fault = !canFetch(pc) ? pc : null;
    const hw1 = fault === null ? mem.u16[pc >>> 1]! : 0;
    const size = fault === null && isThumb32(hw1) ? 4 : 2;
    const fault2 = fault ?? (size === 4 && !canFetch(pc + 2) ? pc + 2 : null);
    if (fault2 !== null) {
      if (count === 0) {
        // The block's first instruction cannot be fetched: SIGSEGV at the PC (the address of
        // the missing halfword in the fault details).
        code.push(`ipc = ${lit(pc | 1)}; fetchFault(${lit(fault2)});`);
        return { key, end: pc + size, code: code.join('\n'), successors: [], insnCount: 0, tempCount: ctx.maxTemps, asm };
      }
      fallThrough(pc, it); // the next block faults precisely
      break;
    }
    const insn = size === 4 ? ((hw1 << 16) | mem.u16[(pc + 2) >>> 1]!) >>> 0 : hw1;
    ctx.beginInsn(pc, insn, size);
    ctx.it = it;
    ctx.itNext = advanceIt(it);
    ctx.fallsThrough = false;
    const cond = itCondition(it);
    const hit = decodeThumb(insn, size, (f) => ctx.hasFeature(f));
    let ok = false;
    if (hit) ok = hit.row.translate(ctx, hit.fields);
    if (env.wantAsm || env.wantInsns) {
      const info = it & 15 ? { pc, thumb: true, itCond: cond } : { pc, thumb: true };
      const disasm = () => (hit ? hit.row.disasm(hit.fields, info) : 'undefined');
      if (env.wantAsm) {
        const bytes = size === 4 ? `${hex4(insn >>> 16)} ${hex4(insn & 0xffff)}` : `${hex4(insn)}     `;
        asm.push(`0x${hex(pc).slice(2).padStart(8, '0')}:  ${bytes}  ${disasm()}`);
      }
      if (env.wantInsns) insns.push({ address: pc, key: pc | 1, size, disasm });
    }
    if (!ok) {
      // UNDEFINED: discard what the translator emitted, raise SIGILL here.
      ctx.takeLines();
      ctx.ended = false;
      ctx.fallsThrough = false;
      ctx.exitUndefined();
    }
    const lines = ctx.takeLines();
    setIt(it); // a fault or exit inside the instruction reports its own IT state
    // plugin callbacks and counters run before the instruction, whatever its condition
    const before = env.instrument ? env.instrument.before(count, lines) : env.wantInsns ? insnMark(count) : '';
    if (before) code.push(before);
    count++;
    if (cond < 14) code.push(`if (${CONDITION_EXPR[cond]}) {`, ...lines.map((l) => '  ' + l), '}');
    else code.push(...lines);
    const nextIt = ctx.itNext;
    pc = (pc + size) >>> 0;
    it = nextIt;
    if (ctx.ended) {
      // a conditional exit (IT condition, B<c>, CBZ): the other path falls through
      if (cond < 14 || ctx.fallsThrough) fallThrough(pc, it);
      break;
    }
    // Like qemu-arm, a block never continues into the next page, nor takes a 32-bit
    // instruction that straddles into it (block counts match its).
    const pageOffset = pc & 0xfff;
    const straddles = pageOffset === 0xffe && canFetch(pc) && isThumb32(mem.u16[pc >>> 1]!);
    if (count >= limit || pageOffset === 0 || straddles) {
      fallThrough(pc, it);
      break;
    }
    ctx.ended = false;
  }
  const block: TranslatedBlock = {
    key,
    end: pc,
    code: code.join('\n'),
    successors: ctx.leaveRegion ? [] : ctx.successors,
    insnCount: count,
    tempCount: ctx.maxTemps,
    asm,
  };
  if (env.wantInsns) block.insns = insns;
  return block;
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}
