// A32 saturation: SSAT/USAT/SSAT16/USAT16 (v6) and QADD/QSUB/QDADD/QDSUB (v5TE).
// Saturating sets the sticky Q flag; nothing here clears it.
import type { ArmContext } from './context.js';
import { writeRd } from './multiply.js';

/**
 * Clamp temp `v` (an exact JS number) into [lo, hi]; set Q when it was outside.
 */
function clamp(ctx: ArmContext, v: string, lo: number, hi: number): void {
  const q = `S[${ctx.s('QF')}] = 1;`;
  ctx.emit(`if (${v} > ${hi}) { ${v} = ${hi}; ${q} } else if (${v} < ${lo}) { ${v} = ${lo}; ${q} }`);
}

/** Signed range of `bits` (1..32) bits. */
function signedRange(bits: number): [number, number] {
  const max = 2 ** (bits - 1) - 1;
  return [-max - 1, max];
}

/** Unsigned range of `bits` (0..31) bits. */
function unsignedRange(bits: number): [number, number] {
  return [0, 2 ** bits - 1];
}

// SSAT<c> <Rd>, #<imm>, <Rn>{, <shift>}     USAT<c> <Rd>, #<imm>, <Rn>{, <shift>}
// sh = 0: LSL #amount; sh = 1: ASR #amount, where 0 means ASR #32. satImm is the field value
// (SSAT saturates to satImm + 1 bits, USAT to satImm bits).
export function ssat(ctx: ArmContext, unsigned: boolean, d: number, satImm: number, n: number, sh: number, amount: number): boolean {
  const rn = ctx.reg(n);
  const shifted = sh ? `(${rn} >> ${amount === 0 ? 31 : amount})` : amount === 0 ? rn : `(${rn} << ${amount})`;
  const v = ctx.let(shifted);
  const [lo, hi] = unsigned ? unsignedRange(satImm) : signedRange(satImm + 1);
  if (unsigned || satImm < 31) clamp(ctx, v, lo, hi);
  writeRd(ctx, d, v);
  return true;
}

// SSAT16<c> <Rd>, #<imm>, <Rn>     USAT16<c> <Rd>, #<imm>, <Rn>
// Each signed halfword saturated to satImm + 1 (SSAT16) or satImm (USAT16) bits.
export function ssat16(ctx: ArmContext, unsigned: boolean, d: number, satImm: number, n: number): boolean {
  const rn = ctx.reg(n);
  const low = ctx.let(`${rn} << 16 >> 16`);
  const high = ctx.let(`${rn} >> 16`);
  const [lo, hi] = unsigned ? unsignedRange(satImm) : signedRange(satImm + 1);
  clamp(ctx, low, lo, hi);
  clamp(ctx, high, lo, hi);
  writeRd(ctx, d, ctx.let(`(${low} & 65535) | (${high} << 16)`));
  return true;
}

// QADD<c> <Rd>, <Rm>, <Rn>   QSUB   QDADD (Rm + sat(2 * Rn))   QDSUB (Rm - sat(2 * Rn))
export function qaddsub(ctx: ArmContext, subtract: boolean, double: boolean, d: number, m: number, n: number): boolean {
  const [lo, hi] = signedRange(32);
  let rn = ctx.reg(n);
  if (double) {
    const t = ctx.let(`${rn} * 2`);
    clamp(ctx, t, lo, hi);
    rn = t;
  }
  const v = ctx.let(`${ctx.reg(m)} ${subtract ? '-' : '+'} ${rn}`);
  clamp(ctx, v, lo, hi);
  writeRd(ctx, d, v);
  return true;
}
