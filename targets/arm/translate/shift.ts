// Shifter operands: a register shifted by an immediate (DecodeImmShift, incl. RRX and
// LSR/ASR #32) or by the bottom byte of another register, each with its carry-out.
//
// Every function returns JS expressions over registers, temps and CF. They are evaluated
// before the instruction writes any register or flag: callers compute the result into a
// temp first, then CF (whose expression may read the old CF), then N/Z, then Rd.
import type { ArmContext } from './context.js';

export const SHIFT_LSL = 0;
export const SHIFT_LSR = 1;
export const SHIFT_ASR = 2;
export const SHIFT_ROR = 3;

export interface ShiftedOperand {
  /** int32 expression of the operand. */
  value: string;
  /** 0/1 expression of the shifter carry-out, or null when the shifter leaves C unchanged. */
  carry: string | null;
}

/** True for an identifier or an integer literal: safe to repeat in generated code. */
export function isSimple(expr: string): boolean {
  return /^(?:[A-Za-z_]\w*|-?\d+)$/.test(expr);
}

/** The expression itself if simple, else a temp holding it. */
export function simple(ctx: ArmContext, expr: string): string {
  return isSimple(expr) ? expr : ctx.let(expr);
}

/** ARMExpandImm_C: imm8 rotated right by 2*rot; carry-out is bit 31 when rot != 0. */
export function expandImm(rot: number, imm8: number): ShiftedOperand {
  const v = rotr(imm8, rot * 2);
  return { value: String(v), carry: rot === 0 ? null : String(v >>> 31) };
}

/** The value of an A32 modified immediate (for disassembly and constants). */
export function rotr(v: number, n: number): number {
  n &= 31;
  return n === 0 ? v | 0 : ((v >>> n) | (v << (32 - n))) | 0;
}

/** Rm shifted by an immediate: type 0-3 with imm5 as encoded (0 means 32 for LSR/ASR, RRX for ROR). */
export function shiftByImm(ctx: ArmContext, m: number, type: number, imm5: number): ShiftedOperand {
  const r = ctx.reg(m);
  if (/^-?\d+$/.test(r)) return constShiftByImm(Number(r), type, imm5);
  switch (type) {
    case SHIFT_LSL:
      if (imm5 === 0) return { value: r, carry: null };
      return { value: `(${r} << ${imm5})`, carry: `((${r} >>> ${32 - imm5}) & 1)` };
    case SHIFT_LSR:
      if (imm5 === 0) return { value: '0', carry: `(${r} >>> 31)` };
      return { value: `(${r} >>> ${imm5} | 0)`, carry: `((${r} >>> ${imm5 - 1}) & 1)` };
    case SHIFT_ASR:
      if (imm5 === 0) return { value: `(${r} >> 31)`, carry: `(${r} >>> 31)` };
      return { value: `(${r} >> ${imm5})`, carry: `((${r} >>> ${imm5 - 1}) & 1)` };
    default:
      if (imm5 === 0) return { value: `((CF << 31) | (${r} >>> 1))`, carry: `(${r} & 1)` };
      return { value: `((${r} >>> ${imm5}) | (${r} << ${32 - imm5}))`, carry: `((${r} >>> ${imm5 - 1}) & 1)` };
  }
}

/** Shift of a constant (Rm = pc): folded at translation time except RRX, which reads C. */
function constShiftByImm(v: number, type: number, imm5: number): ShiftedOperand {
  const bit = (n: number) => String((v >>> n) & 1);
  switch (type) {
    case SHIFT_LSL:
      if (imm5 === 0) return { value: String(v | 0), carry: null };
      return { value: String(v << imm5), carry: bit(32 - imm5) };
    case SHIFT_LSR:
      if (imm5 === 0) return { value: '0', carry: bit(31) };
      return { value: String((v >>> imm5) | 0), carry: bit(imm5 - 1) };
    case SHIFT_ASR:
      if (imm5 === 0) return { value: String(v >> 31), carry: bit(31) };
      return { value: String(v >> imm5), carry: bit(imm5 - 1) };
    default:
      if (imm5 === 0) return { value: `((CF << 31) | ${(v >>> 1) | 0})`, carry: bit(0) };
      return { value: String(rotr(v, imm5)), carry: bit(imm5 - 1) };
  }
}

/**
 * Rm shifted by the bottom byte of Rs. Amounts of 0 leave the value and C unchanged; 32 and
 * above follow the architecture (LSL/LSR give 0, ASR gives the sign, ROR wraps mod 32).
 * JS shift counts are taken mod 32, which the expressions below rely on where noted.
 */
export function shiftByReg(ctx: ArmContext, m: number, type: number, s: number): ShiftedOperand {
  const r = simple(ctx, ctx.reg(m));
  const a = ctx.let(`${ctx.reg(s)} & 255`);
  switch (type) {
    case SHIFT_LSL:
      // amount 32: (r >>> 0) & 1 is bit 0, the last bit shifted out
      return { value: `(${a} < 32 ? ${r} << ${a} : 0)`, carry: `(${a} === 0 ? CF : ${a} <= 32 ? (${r} >>> (32 - ${a})) & 1 : 0)` };
    case SHIFT_LSR:
      return { value: `(${a} < 32 ? ${r} >>> ${a} | 0 : 0)`, carry: `(${a} === 0 ? CF : ${a} <= 32 ? (${r} >>> (${a} - 1)) & 1 : 0)` };
    case SHIFT_ASR:
      return { value: `(${r} >> (${a} < 32 ? ${a} : 31))`, carry: `(${a} === 0 ? CF : (${r} >>> (${a} < 32 ? ${a} - 1 : 31)) & 1)` };
    default:
      // JS masks both counts to 5 bits, so amounts that are multiples of 32 give r unchanged
      return { value: `((${r} >>> ${a}) | (${r} << (32 - ${a})))`, carry: `(${a} === 0 ? CF : (${r} >>> ((${a} - 1) & 31)) & 1)` };
  }
}
