// A32 multiply class: MUL/MLA/MLS, the 64-bit long multiplies, the v5TE halfword
// multiplies, the v6 dual and most-significant-word multiplies, SDIV/UDIV.
//
// Workers take one argument shape (MulArgs). Every value is read into temps before any
// register is written, so destinations may alias sources. 64-bit high words come from
// H_umulh/H_smulh (helpers-media.ts); accumulation carries are computed on doubles.
import type { Fields } from '../decode/pattern.js';
import type { ArmContext } from './context.js';

/** Register operands of a multiply: d (or RdHi), a (or RdLo), n, m; s = S bit; x, y = halves. */
export interface MulArgs {
  d: number;
  a: number;
  n: number;
  m: number;
  s: number;
  x: number;
  y: number;
}

export function mulArgs(f: Fields): MulArgs {
  return { d: f['d'] ?? 0, a: f['a'] ?? 0, n: f['n'] ?? 0, m: f['m'] ?? 0, s: f['S'] ?? 0, x: f['x'] ?? 0, y: f['y'] ?? 0 };
}

const TWO_32 = '4294967296';

/**
 * Rd = value. Rd = PC is UNPREDICTABLE for every instruction of these classes; qemu-arm
 * branches to the value with bits [1:0] cleared (no interworking), and so do we.
 */
export function writeRd(ctx: ArmContext, d: number, expr: string): void {
  if (d === 15) ctx.writePcBranch(expr);
  else ctx.setReg(d, expr);
}

/** RdLo, RdHi from temps; a PC destination is written last (it ends the block). */
function writePair(ctx: ArmContext, dLo: number, dHi: number, lo: string, hi: string): void {
  if (dLo === 15 && dHi !== 15) {
    writeRd(ctx, dHi, hi);
    writeRd(ctx, dLo, lo);
    return;
  }
  if (dLo !== 15 || dHi !== 15) writeRd(ctx, dLo, lo);
  writeRd(ctx, dHi, hi);
}

/** Set QF (sticky) when the double `wide` does not fit in int32 `narrow`. */
export function setQIfOverflow(ctx: ArmContext, wide: string, narrow: string): void {
  ctx.emit(`if (${wide} !== ${narrow}) S[${ctx.s('QF')}] = 1;`);
}

/** Signed halfword of a register expression: top half if `top`, else the bottom half. */
export function half(v: string, top: number): string {
  return top ? `(${v} >> 16)` : `(${v} << 16 >> 16)`;
}

/** Add the exact (|s| < 2^52) double `s` into the 64-bit value held in temps lo:hi. */
function add64(ctx: ArmContext, lo: string, hi: string, s: string): void {
  const t = ctx.let(`(${lo} >>> 0) + ${s}`);
  ctx.emit(`${hi} = (${hi} + Math.floor(${t} / ${TWO_32})) | 0;`);
  ctx.emit(`${lo} = ${t} | 0;`);
}

// ---- 32-bit results ----

// MUL{S}<c> <Rd>, <Rn>, <Rm>      MLA{S}<c> <Rd>, <Rn>, <Rm>, <Ra>      MLS<c> <Rd>, <Rn>, <Rm>, <Ra>
export function mulAcc(ctx: ArmContext, a: MulArgs, acc: 'none' | 'add' | 'sub'): boolean {
  const p = `Math.imul(${ctx.reg(a.n)}, ${ctx.reg(a.m)})`;
  const expr = acc === 'none' ? p : acc === 'add' ? `(${p} + ${ctx.reg(a.a)}) | 0` : `(${ctx.reg(a.a)} - ${p}) | 0`;
  const t = ctx.let(expr);
  // MULS/MLAS: N and Z from the result; C and V unchanged (ARMv5 and later)
  if (a.s) ctx.setNZ(t);
  writeRd(ctx, a.d, t);
  return true;
}

// ---- 64-bit results: UMULL/UMLAL/SMULL/SMLAL{S}<c> <RdLo>, <RdHi>, <Rn>, <Rm>; UMAAL ----

export function mulLong(ctx: ArmContext, a: MulArgs, signed: boolean, accumulate: boolean): boolean {
  const n = ctx.reg(a.n);
  const m = ctx.reg(a.m);
  const lo = ctx.let(`Math.imul(${n}, ${m})`);
  const hi = ctx.let(`${signed ? 'H_smulh' : 'H_umulh'}(${n}, ${m})`);
  if (accumulate) {
    // (hi:lo) += (RdHi:RdLo)
    const t = ctx.let(`(${lo} >>> 0) + (${ctx.reg(a.a)} >>> 0)`);
    ctx.emit(`${hi} = (${hi} + ${ctx.reg(a.d)} + (${t} > 4294967295 ? 1 : 0)) | 0;`);
    ctx.emit(`${lo} = ${t} | 0;`);
  }
  if (a.s) ctx.emit(`NF = ${hi}; ZF = ${lo} | ${hi};`);
  writePair(ctx, a.a, a.d, lo, hi);
  return true;
}

// UMAAL<c> <RdLo>, <RdHi>, <Rn>, <Rm>: RdHi:RdLo = Rn * Rm + RdHi + RdLo (never overflows)
export function umaal(ctx: ArmContext, a: MulArgs): boolean {
  const n = ctx.reg(a.n);
  const m = ctx.reg(a.m);
  const lo = ctx.let(`Math.imul(${n}, ${m})`);
  const hi = ctx.let(`H_umulh(${n}, ${m})`);
  const t = ctx.let(`(${lo} >>> 0) + (${ctx.reg(a.a)} >>> 0) + (${ctx.reg(a.d)} >>> 0)`);
  ctx.emit(`${hi} = (${hi} + ((${t} / ${TWO_32}) | 0)) | 0;`);
  ctx.emit(`${lo} = ${t} | 0;`);
  writePair(ctx, a.a, a.d, lo, hi);
  return true;
}

// ---- v5TE halfword multiplies ----

// SMUL<x><y><c> <Rd>, <Rn>, <Rm>      SMLA<x><y><c> <Rd>, <Rn>, <Rm>, <Ra> (Q on overflow)
export function smulxy(ctx: ArmContext, a: MulArgs, accumulate: boolean): boolean {
  const p = `Math.imul(${half(ctx.reg(a.n), a.x)}, ${half(ctx.reg(a.m), a.y)})`;
  if (!accumulate) {
    writeRd(ctx, a.d, ctx.let(p));
    return true;
  }
  const wide = ctx.let(`${p} + ${ctx.reg(a.a)}`);
  const r = ctx.let(`${wide} | 0`);
  setQIfOverflow(ctx, wide, r);
  writeRd(ctx, a.d, r);
  return true;
}

// SMULW<y><c> <Rd>, <Rn>, <Rm>      SMLAW<y><c> <Rd>, <Rn>, <Rm>, <Ra> (Q on overflow)
export function smulwy(ctx: ArmContext, a: MulArgs, accumulate: boolean): boolean {
  // 32 x 16 bits is at most 2^46 in magnitude: exact as a double
  const p = `Math.floor(${ctx.reg(a.n)} * ${half(ctx.reg(a.m), a.y)} / 65536)`;
  if (!accumulate) {
    writeRd(ctx, a.d, ctx.let(`${p} | 0`));
    return true;
  }
  const wide = ctx.let(`${p} + ${ctx.reg(a.a)}`);
  const r = ctx.let(`${wide} | 0`);
  setQIfOverflow(ctx, wide, r);
  writeRd(ctx, a.d, r);
  return true;
}

// SMLAL<x><y><c> <RdLo>, <RdHi>, <Rn>, <Rm>
export function smlalxy(ctx: ArmContext, a: MulArgs): boolean {
  const p = ctx.let(`Math.imul(${half(ctx.reg(a.n), a.x)}, ${half(ctx.reg(a.m), a.y)})`);
  const lo = ctx.let(ctx.reg(a.a));
  const hi = ctx.let(ctx.reg(a.d));
  add64(ctx, lo, hi, p);
  writePair(ctx, a.a, a.d, lo, hi);
  return true;
}

// ---- v6 dual 16-bit multiplies (x = 1: Rm's halves swapped) ----

/** Rn.lo * Rm.lo (+|-) Rn.hi * Rm.hi as an exact double expression (|value| <= 2^31). */
function dualProducts(ctx: ArmContext, a: MulArgs, subtract: boolean): string {
  const n = ctx.reg(a.n);
  const m = ctx.reg(a.m);
  const p1 = ctx.let(`Math.imul(${half(n, 0)}, ${half(m, a.x)})`);
  const p2 = ctx.let(`Math.imul(${half(n, 1)}, ${half(m, a.x ^ 1)})`);
  return `${p1} ${subtract ? '-' : '+'} ${p2}`;
}

// SMUAD{X}/SMUSD{X}<c> <Rd>, <Rn>, <Rm>     SMLAD{X}/SMLSD{X}<c> <Rd>, <Rn>, <Rm>, <Ra>
// Q is set when the exact sum does not fit in 32 bits (only the sum, not each step).
export function smlad(ctx: ArmContext, a: MulArgs, subtract: boolean, accumulate: boolean): boolean {
  const sum = dualProducts(ctx, a, subtract);
  const wide = ctx.let(accumulate ? `${sum} + ${ctx.reg(a.a)}` : sum);
  const r = ctx.let(`${wide} | 0`);
  setQIfOverflow(ctx, wide, r);
  writeRd(ctx, a.d, r);
  return true;
}

// SMLALD{X}/SMLSLD{X}<c> <RdLo>, <RdHi>, <Rn>, <Rm>
export function smlald(ctx: ArmContext, a: MulArgs, subtract: boolean): boolean {
  const sum = ctx.let(dualProducts(ctx, a, subtract));
  const lo = ctx.let(ctx.reg(a.a));
  const hi = ctx.let(ctx.reg(a.d));
  add64(ctx, lo, hi, sum);
  writePair(ctx, a.a, a.d, lo, hi);
  return true;
}

// SMMUL{R}<c> <Rd>, <Rn>, <Rm>   SMMLA{R}/SMMLS{R}<c> <Rd>, <Rn>, <Rm>, <Ra>   (x = R bit)
export function smmla(ctx: ArmContext, a: MulArgs, op: 'mul' | 'add' | 'sub'): boolean {
  const n = ctx.reg(a.n);
  const m = ctx.reg(a.m);
  const expr =
    op === 'mul' && !a.x
      ? `H_smulh(${n}, ${m})`
      : `H_smmla(${n}, ${m}, ${op === 'mul' ? '0' : ctx.reg(a.a)}, ${op === 'sub' ? -1 : 1}, ${a.x})`;
  writeRd(ctx, a.d, ctx.let(expr));
  return true;
}

// ---- divide (feature idiv): SDIV/UDIV<c> <Rd>, <Rn>, <Rm> ----
// Division by zero gives 0 (no trap in user mode); INT_MIN / -1 wraps to INT_MIN.
export function divide(ctx: ArmContext, a: MulArgs, signed: boolean): boolean {
  const n = ctx.reg(a.n);
  const m = ctx.let(ctx.reg(a.m));
  const q = signed ? `(${n} / ${m}) | 0` : `((${n} >>> 0) / (${m} >>> 0)) | 0`;
  writeRd(ctx, a.d, ctx.let(`${m} === 0 ? 0 : ${q}`));
  return true;
}
