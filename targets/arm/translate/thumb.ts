// Thumb-only translators: the modified immediate of T32 (ThumbExpandImm), branches with
// Thumb offsets (B, BL, BLX to ARM, CBZ/CBNZ, TBB/TBH), ADR and ORN. Everything else in the
// T16/T32 tables reaches the A32 translators (data-processing.ts, load-store.ts, ...).
import type { Fields } from '../decode/pattern.js';
import { CONDITION_EXPR, lit } from './context.js';
import { tableBranchTargets } from './jump-tables.js';
import type { ThumbContext } from './it.js';
import { AluOp, aluOp } from './data-processing.js';
import type { ShiftedOperand } from './shift.js';
import { rotr, simple } from './shift.js';

/** The value of ThumbExpandImm(imm12) (for disassembly and constants). */
export function thumbImmValue(imm12: number): number {
  const imm8 = imm12 & 0xff;
  if ((imm12 >> 10) === 0) {
    switch ((imm12 >> 8) & 3) {
      case 0:
        return imm8;
      case 1:
        return (imm8 << 16) | imm8;
      case 2:
        return ((imm8 << 24) | (imm8 << 8)) | 0;
      default:
        return ((imm8 << 24) | (imm8 << 16) | (imm8 << 8) | imm8) | 0;
    }
  }
  return rotr(0x80 | (imm12 & 0x7f), imm12 >> 7);
}

/** ThumbExpandImm_C: the constant, and the carry-out when the rotated form is used. */
export function thumbExpandImm(imm12: number): ShiftedOperand {
  const v = thumbImmValue(imm12);
  return { value: String(v), carry: imm12 >> 10 === 0 ? null : String(v >>> 31) };
}

/** UNPREDICTABLE imm12 patterns (a zero byte replicated): qemu-arm raises SIGILL. */
export function isBadThumbImm(imm12: number): boolean {
  return imm12 >> 10 === 0 && ((imm12 >> 8) & 3) !== 0 && (imm12 & 0xff) === 0;
}

/** A plain operand (a register or constant without shifter carry). */
export function plain(value: string): ShiftedOperand {
  return { value, carry: null };
}

/**
 * ORN{S}<c> Rd, Rn, <operand>: ORR with the operand inverted (the carry comes from the
 * shifter/ThumbExpandImm before the inversion, as the architecture says).
 */
export function ornOp(ctx: ThumbContext, s: boolean, d: number, n: number, b: ShiftedOperand): boolean {
  return aluOp(ctx, AluOp.ORR, s, d, n, { value: `(~${b.value})`, carry: b.carry });
}

/** MOV/MVN or an operation with Rn, on a T32 modified immediate. */
export function aluThumbImm(op: AluOp | 'ORN', s: boolean, d: number, n: number, imm12: number, ctx: ThumbContext): boolean {
  if (isBadThumbImm(imm12)) return false;
  const b = thumbExpandImm(imm12);
  if (op === 'ORN') return ornOp(ctx, s, d, n, b);
  return aluOp(ctx, op, s, d, n, b);
}

// ---- branches ----

/** Sign-extend the low `bits` bits of v. */
export function signExtend(v: number, bits: number): number {
  return (v << (32 - bits)) >> (32 - bits);
}

/** B<c> / B / B.W targets: PC (instruction + 4) + offset, staying in Thumb. */
export function branchTarget(ctx: ThumbContext, offset: number): number {
  return ((ctx.pcValue + offset) | 0) | 1;
}

/** B<c> <label> (T1/T3): the condition is in the encoding; the not-taken path falls through. */
export function thumbCondBranch(ctx: ThumbContext, cond: number, offset: number): boolean {
  if (ctx.inIt) return false; // UNPREDICTABLE inside an IT block: qemu-arm raises SIGILL
  ctx.emit(`if (${CONDITION_EXPR[cond]}) {`);
  ctx.jump(branchTarget(ctx, offset));
  ctx.emit('}');
  ctx.fallsThrough = true;
  return true;
}

/** B <label> (T2/T4) */
export function thumbBranch(ctx: ThumbContext, offset: number): boolean {
  ctx.jump(branchTarget(ctx, offset));
  return true;
}

/** BL <label>: LR = next instruction | 1. */
export function thumbBl(ctx: ThumbContext, offset: number): boolean {
  ctx.setReg(14, String(ctx.nextKey));
  ctx.jump(branchTarget(ctx, offset));
  return true;
}

/** BLX <label>: call ARM code at Align(PC, 4) + offset. */
export function thumbBlxImm(ctx: ThumbContext, offset: number): boolean {
  ctx.setReg(14, String(ctx.nextKey));
  ctx.jump(((ctx.pcValue & ~3) + offset) | 0);
  return true;
}

/** The J1/J2/S offset of B.W (T4), BL and BLX: I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S). */
export function wideBranchOffset(f: Fields): number {
  const s = f.S!;
  const i1 = (f.J! ^ s) ^ 1;
  const i2 = (f.K! ^ s) ^ 1;
  return signExtend((s << 24) | (i1 << 23) | (i2 << 22) | (f.v! << 12) | (f.w! << 1), 25);
}

/** The offset of B<c>.W (T3): S:J2:J1:imm6:imm11:0. */
export function condBranchOffset(f: Fields): number {
  return signExtend((f.S! << 20) | (f.K! << 19) | (f.J! << 18) | (f.v! << 12) | (f.w! << 1), 21);
}

/** CBZ/CBNZ Rn, <label>: compare with zero and branch forward (UNPREDICTABLE in IT blocks; qemu-arm runs it conditionally, so do we). */
export function translateCbz(ctx: ThumbContext, f: Fields): boolean {
  ctx.emit(`if (r${f.n} ${f.o ? '!==' : '==='} 0) {`);
  ctx.jump(branchTarget(ctx, (f.i! << 6) | (f.v! << 1)));
  ctx.emit('}');
  ctx.fallsThrough = true;
  return true;
}

/** TBB [Rn, Rm] / TBH [Rn, Rm, lsl #1]: branch forward by twice the table entry. */
export function translateTableBranch(half: boolean) {
  return (ctx: ThumbContext, f: Fields): boolean => {
    if (f.m === 13 || f.m === 15) return false;
    // A switch's table follows the instruction (Rn = PC): its cases are successors, so a
    // region holds the whole switch and an interpreter's dispatch stays inside it.
    if (f.n === 15) for (const target of tableBranchTargets(ctx, half)) ctx.successors.push(target | 1);
    const n = ctx.reg(f.n!);
    const m = ctx.reg(f.m!);
    const addr = half ? `(${n} + (${m} << 1)) | 0` : `(${n} + ${m}) | 0`;
    const entry = ctx.let(ctx.load(half ? 'ld16' : 'ld8', addr));
    ctx.jumpKey(`((${lit(ctx.pcValue)} + (${entry} << 1)) | 1)`);
    return true;
  };
}

/** ADR Rd, <label>: Align(PC, 4) ± imm (ADD/SUB Rd, PC, #imm). */
export function translateAdr(ctx: ThumbContext, d: number, offset: number): boolean {
  const v = ((ctx.pcValue & ~3) + offset) | 0;
  if (d === 15) return false;
  ctx.setReg(d, lit(v));
  return true;
}

/** ADDW/SUBW Rd, Rn, #imm12 (no flags); Rn = pc is ADR, decoded separately. */
export function translateAddw(ctx: ThumbContext, subtract: boolean, d: number, n: number, imm12: number): boolean {
  if (d === 15) return false;
  return aluOp(ctx, subtract ? AluOp.SUB : AluOp.ADD, false, d, n, plain(String(imm12)));
}

/** Register operand without shift, read once into something safe to repeat. */
export function regOperand(ctx: ThumbContext, m: number): ShiftedOperand {
  return plain(simple(ctx, ctx.reg(m)));
}
