// Translate one basic block: fetch, decode through the tables, wrap conditional
// instructions, stop at the first instruction that ends the block. Thumb keys (bit 0 set)
// go to thumb-block.ts.
import { insnMark, type InsnInfo, type TranslateEnv, type TranslatedBlock } from '../../../src/engine/target.js';
import { PROT_EXEC, PROT_READ } from '../../../src/memory/guest-memory.js';
import { a32Decoder, a32Unconditional } from '../decode/a32.js';
import { ArmContext, CONDITION_EXPR, hex, lit } from './context.js';
import { translateThumbBlock } from './thumb-block.js';
import { inKuserPage, isKuserHelperBody } from '../linux/kuser.js';

/** Most instructions in one block when not limited by -one-insn-per-tb. */
const MAX_BLOCK_INSNS = 256;

export function translateArmBlock(key: number, env: TranslateEnv): TranslatedBlock {
  if (key & 1) return translateThumbBlock(key, env);
  const ctx = new ArmContext(env);
  const start = key >>> 0;
  if (start & 2) {
    // An interworking branch left ARM state at a halfword address: alignment fault (SIGBUS).
    const code = `ipc = ${lit(key)}; H_alignmentFault(${lit(key)}, 0);`;
    return { key, end: start + 2, code, successors: [], insnCount: 0, tempCount: 0, asm: [] };
  }
  const code: string[] = [];
  const asm: string[] = [];
  const insns: InsnInfo[] = [];
  const limit = Math.min(env.maxInsns, MAX_BLOCK_INSNS);
  let pc = start;
  let count = 0;
  /** Plugin counts batched over the last instructions, applied before falling through. */
  const pushEnd = () => {
    const end = env.instrument ? env.instrument.end() : env.wantInsns ? insnMark('end') : '';
    if (end) code.push(end);
  };
  for (;;) {
    if (!env.mem.rangeHas(pc, 4, PROT_READ | PROT_EXEC)) {
      if (count === 0) {
        // The block's first instruction cannot be fetched: SIGSEGV at this PC.
        code.push(`ipc = ${lit(pc)}; fetchFault(${lit(pc)});`);
        return { key, end: pc + 4, code: code.join('\n'), successors: [], insnCount: 0, tempCount: ctx.maxTemps, asm };
      }
      break; // end the block before it; the next block faults precisely
    }
    const insn = env.mem.u32[pc >>> 2]!;
    ctx.beginInsn(pc, insn, 4);
    const cond = insn >>> 28;
    const decoder = cond === 0xf ? a32Unconditional : a32Decoder;
    // The kuser page is the kernel's code: its get_tls reads TPIDRURO with an MRC on every
    // CPU model (an ARMv5 kernel reads a word it keeps per thread instead; same result).
    const hit = decoder.decode(insn, inKuserPage(pc) ? () => true : (f) => ctx.hasFeature(f));
    let ok = false;
    if (hit) ok = hit.row.translate(ctx, hit.fields);
    if (env.wantAsm || env.wantInsns) {
      const info = { pc, thumb: false };
      const disasm = () => (hit ? hit.row.disasm(hit.fields, info) : 'undefined');
      if (env.wantAsm) asm.push(`0x${hex8(pc)}:  ${hex8(insn)}  ${disasm()}`);
      if (env.wantInsns) insns.push({ address: pc, key: pc, size: 4, disasm, ...(isKuserHelperBody(pc) ? { hidden: true } : {}) });
    }
    if (!ok) {
      // UNDEFINED: discard what the translator emitted, raise SIGILL here.
      ctx.takeLines();
      ctx.ended = false;
      ctx.exitUndefined();
    }
    const lines = ctx.takeLines();
    // plugin callbacks and counters run before the instruction, whatever its condition
    const before = env.instrument ? env.instrument.before(count, lines) : env.wantInsns ? insnMark(count) : '';
    if (before) code.push(before);
    count++;
    if (cond < 0xe) {
      code.push(`if (${CONDITION_EXPR[cond]}) {`, ...lines.map((l) => '  ' + l), '}');
    } else {
      code.push(...lines);
    }
    pc = (pc + 4) >>> 0;
    if (ctx.ended) {
      if (cond < 0xe) {
        // conditional branch/exit: the not-taken path falls through
        ctx.successors.push(pc | 0);
        pushEnd();
        code.push(`pc = ${lit(pc)}; continue dispatch;`);
      }
      break;
    }
    // Like qemu-arm, a block never continues into the next page (block counts match its).
    if (count >= limit || (pc & 0xfff) === 0) {
      ctx.successors.push(pc | 0);
      pushEnd();
      code.push(`pc = ${lit(pc)}; continue dispatch;`);
      break;
    }
    ctx.ended = false;
  }
  if (!ctx.ended && !code[code.length - 1]!.includes('continue dispatch')) {
    ctx.successors.push(pc | 0);
    pushEnd();
    code.push(`pc = ${lit(pc)}; continue dispatch;`);
  }
  const block: TranslatedBlock = { key, end: pc, code: code.join('\n'), successors: ctx.successors, insnCount: count, tempCount: ctx.maxTemps, asm };
  if (env.wantInsns) block.insns = insns;
  return block;
}

function hex8(v: number): string {
  return hex(v).slice(2).padStart(8, '0');
}
