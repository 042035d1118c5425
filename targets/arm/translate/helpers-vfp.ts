// Runtime helpers for VFP instructions (V_*). Compiled code calls them with the vCPU's
// Int32 state array and register numbers; they read and write the register file as raw
// words (s<n> = S[B + n], d<n> = S[B + 2n] low word, S[B + 2n + 1] high word), take the
// rounding mode etc. from FPSCR and OR the exception flags they raise into it.
import type { GuestMemory } from '../../../src/memory/guest-memory.js';
import { S as F, VFP_OFFSET } from '../cpu-state.js';
import { RN, fp, fpBegin } from './fp-core.js';
import {
  OP_ADD, OP_DIV, OP_MUL, OP_SUB, SIGN, arith32, arith64, compare32, compare64, fma32, fma64, rHi, rLo, sqrt32, sqrt64,
} from './fp-arith.js';
import { f16ToF32, f32ToF16, f32ToF64, f32ToFixed, f64ToF32, f64ToFixed, fixedToF32, fixedToF64 } from './fp-convert.js';

const B = VFP_OFFSET / 4;
const FPSCR = F.FPSCR;

/** Operation codes of V_s3/V_d3 (emitted as numbers by the translator). */
export const VOP = {
  ADD: 0, SUB: 1, MUL: 2, DIV: 3, NMUL: 4, MLA: 5, MLS: 6, NMLA: 7, NMLS: 8, FMA: 9, FMS: 10, FNMA: 11, FNMS: 12,
} as const;

function end(S: Int32Array): void {
  if (fp.exc !== 0) S[FPSCR] = S[FPSCR]! | fp.exc;
}

/** Sd = Sn <op> Sm. */
export function V_s3(S: Int32Array, op: number, d: number, n: number, m: number): void {
  fpBegin(S[FPSCR]!);
  const a = S[B + n]!;
  const b = S[B + m]!;
  const acc = S[B + d]!;
  let r: number;
  switch (op) {
    case VOP.ADD: r = arith32(OP_ADD, a, b); break;
    case VOP.SUB: r = arith32(OP_SUB, a, b); break;
    case VOP.MUL: r = arith32(OP_MUL, a, b); break;
    case VOP.DIV: r = arith32(OP_DIV, a, b); break;
    case VOP.NMUL: r = arith32(OP_MUL, a, b) ^ SIGN; break;
    case VOP.MLA: r = arith32(OP_ADD, acc, arith32(OP_MUL, a, b)); break;
    case VOP.MLS: r = arith32(OP_ADD, acc, arith32(OP_MUL, a, b) ^ SIGN); break;
    case VOP.NMLA: r = arith32(OP_ADD, acc ^ SIGN, arith32(OP_MUL, a, b) ^ SIGN); break;
    case VOP.NMLS: r = arith32(OP_ADD, acc ^ SIGN, arith32(OP_MUL, a, b)); break;
    case VOP.FMA: r = fma32(acc, a, b); break;
    case VOP.FMS: r = fma32(acc, a ^ SIGN, b); break;
    case VOP.FNMA: r = fma32(acc ^ SIGN, a ^ SIGN, b); break;
    default: r = fma32(acc ^ SIGN, a, b); break; // FNMS
  }
  S[B + d] = r;
  end(S);
}

/** Dd = Dn <op> Dm. */
export function V_d3(S: Int32Array, op: number, d: number, n: number, m: number): void {
  fpBegin(S[FPSCR]!);
  const al = S[B + 2 * n]!;
  const ah = S[B + 2 * n + 1]!;
  const bl = S[B + 2 * m]!;
  const bh = S[B + 2 * m + 1]!;
  const cl = S[B + 2 * d]!;
  const ch = S[B + 2 * d + 1]!;
  switch (op) {
    case VOP.ADD: arith64(OP_ADD, ah, al, bh, bl); break;
    case VOP.SUB: arith64(OP_SUB, ah, al, bh, bl); break;
    case VOP.MUL: arith64(OP_MUL, ah, al, bh, bl); break;
    case VOP.DIV: arith64(OP_DIV, ah, al, bh, bl); break;
    case VOP.NMUL:
      arith64(OP_MUL, ah, al, bh, bl);
      S[B + 2 * d] = rLo;
      S[B + 2 * d + 1] = rHi ^ SIGN;
      return end(S);
    case VOP.MLA: case VOP.MLS: case VOP.NMLA: case VOP.NMLS: {
      arith64(OP_MUL, ah, al, bh, bl);
      const ph = op === VOP.MLS || op === VOP.NMLA ? rHi ^ SIGN : rHi;
      const pl = rLo;
      const dh = op === VOP.NMLA || op === VOP.NMLS ? ch ^ SIGN : ch;
      arith64(OP_ADD, dh, cl, ph, pl);
      break;
    }
    case VOP.FMA: fma64(ch, cl, ah, al, bh, bl); break;
    case VOP.FMS: fma64(ch, cl, ah ^ SIGN, al, bh, bl); break;
    case VOP.FNMA: fma64(ch ^ SIGN, cl, ah ^ SIGN, al, bh, bl); break;
    default: fma64(ch ^ SIGN, cl, ah, al, bh, bl); break; // FNMS
  }
  S[B + 2 * d] = rLo;
  S[B + 2 * d + 1] = rHi;
  end(S);
}

export function V_ssqrt(S: Int32Array, d: number, m: number): void {
  fpBegin(S[FPSCR]!);
  S[B + d] = sqrt32(S[B + m]!);
  end(S);
}

export function V_dsqrt(S: Int32Array, d: number, m: number): void {
  fpBegin(S[FPSCR]!);
  sqrt64(S[B + 2 * m + 1]!, S[B + 2 * m]!);
  S[B + 2 * d] = rLo;
  S[B + 2 * d + 1] = rHi;
  end(S);
}

/** VCMP{E} Sd, Sm (zero: compare with +0): FPSCR.NZCV. */
export function V_scmp(S: Int32Array, d: number, m: number, signalAll: number, zero: number): void {
  fpBegin(S[FPSCR]!);
  const nzcv = compare32(S[B + d]!, zero ? 0 : S[B + m]!, signalAll !== 0);
  S[FPSCR] = (S[FPSCR]! & 0x0fffffff) | (nzcv << 28) | fp.exc;
}

export function V_dcmp(S: Int32Array, d: number, m: number, signalAll: number, zero: number): void {
  fpBegin(S[FPSCR]!);
  const nzcv = zero
    ? compare64(S[B + 2 * d + 1]!, S[B + 2 * d]!, 0, 0, signalAll !== 0)
    : compare64(S[B + 2 * d + 1]!, S[B + 2 * d]!, S[B + 2 * m + 1]!, S[B + 2 * m]!, signalAll !== 0);
  S[FPSCR] = (S[FPSCR]! & 0x0fffffff) | (nzcv << 28) | fp.exc;
}

/** VCVT.F64.F32 Dd, Sm. */
export function V_cvt_ds(S: Int32Array, d: number, m: number): void {
  fpBegin(S[FPSCR]!);
  f32ToF64(S[B + m]!);
  S[B + 2 * d] = rLo;
  S[B + 2 * d + 1] = rHi;
  end(S);
}

/** VCVT.F32.F64 Sd, Dm. */
export function V_cvt_sd(S: Int32Array, d: number, m: number): void {
  fpBegin(S[FPSCR]!);
  S[B + d] = f64ToF32(S[B + 2 * m + 1]!, S[B + 2 * m]!);
  end(S);
}

/** VCVT{B,T}.F32.F16 Sd, Sm (top: the upper half of Sm). */
export function V_cvt_f32_f16(S: Int32Array, d: number, m: number, top: number): void {
  fpBegin(S[FPSCR]!);
  const v = S[B + m]!;
  S[B + d] = f16ToF32(top ? v >>> 16 : v);
  end(S);
}

/** VCVT{B,T}.F16.F32 Sd, Sm: writes one half of Sd, keeping the other. */
export function V_cvt_f16_f32(S: Int32Array, d: number, m: number, top: number): void {
  fpBegin(S[FPSCR]!);
  const h = f32ToF16(S[B + m]!);
  const old = S[B + d]!;
  S[B + d] = top ? (old & 0xffff) | (h << 16) : (old & ~0xffff) | h;
  end(S);
}

/** VCVT{R}.{S,U}32.F32 Sd, Sm. */
export function V_cvt_int_s(S: Int32Array, d: number, m: number, unsigned: number, roundZero: number): void {
  fpBegin(S[FPSCR]!);
  S[B + d] = f32ToFixed(S[B + m]!, 0, unsigned !== 0, 32, roundZero !== 0);
  end(S);
}

/** VCVT{R}.{S,U}32.F64 Sd, Dm. */
export function V_cvt_int_d(S: Int32Array, d: number, m: number, unsigned: number, roundZero: number): void {
  fpBegin(S[FPSCR]!);
  S[B + d] = f64ToFixed(S[B + 2 * m + 1]!, S[B + 2 * m]!, 0, unsigned !== 0, 32, roundZero !== 0);
  end(S);
}

/** VCVT.F32.{S,U}32 Sd, Sm. */
export function V_cvt_s_int(S: Int32Array, d: number, m: number, unsigned: number): void {
  fpBegin(S[FPSCR]!);
  S[B + d] = fixedToF32(S[B + m]!, 0, unsigned !== 0, 32, fp.rmode);
  end(S);
}

/** VCVT.F64.{S,U}32 Dd, Sm (always exact). */
export function V_cvt_d_int(S: Int32Array, d: number, m: number, unsigned: number): void {
  fpBegin(S[FPSCR]!);
  fixedToF64(S[B + m]!, 0, unsigned !== 0, 32, fp.rmode);
  S[B + 2 * d] = rLo;
  S[B + 2 * d + 1] = rHi;
  end(S);
}

/** VCVT.{S,U}{16,32}.F32 Sd, Sd, #fbits (round toward zero; 16-bit results extended). */
export function V_cvt_fixed_s(S: Int32Array, d: number, unsigned: number, size: number, fbits: number): void {
  fpBegin(S[FPSCR]!);
  S[B + d] = f32ToFixed(S[B + d]!, fbits, unsigned !== 0, size, true);
  end(S);
}

/** VCVT.{S,U}{16,32}.F64 Dd, Dd, #fbits: the result fills Dd, sign- or zero-extended. */
export function V_cvt_fixed_d(S: Int32Array, d: number, unsigned: number, size: number, fbits: number): void {
  fpBegin(S[FPSCR]!);
  const r = f64ToFixed(S[B + 2 * d + 1]!, S[B + 2 * d]!, fbits, unsigned !== 0, size, true);
  S[B + 2 * d] = r;
  S[B + 2 * d + 1] = unsigned ? 0 : r >> 31;
  end(S);
}

/** VCVT.F32.{S,U}{16,32} Sd, Sd, #fbits (round to nearest whatever FPSCR.RMode says). */
export function V_cvt_s_fixed(S: Int32Array, d: number, unsigned: number, size: number, fbits: number): void {
  fpBegin(S[FPSCR]!);
  S[B + d] = fixedToF32(S[B + d]!, fbits, unsigned !== 0, size, RN);
  end(S);
}

/** VCVT.F64.{S,U}{16,32} Dd, Dd, #fbits (the source is the low word of Dd). */
export function V_cvt_d_fixed(S: Int32Array, d: number, unsigned: number, size: number, fbits: number): void {
  fpBegin(S[FPSCR]!);
  fixedToF64(S[B + 2 * d]!, fbits, unsigned !== 0, size, RN);
  S[B + 2 * d] = rLo;
  S[B + 2 * d + 1] = rHi;
  end(S);
}

export function vfpHelpers(_mem: GuestMemory): Record<string, unknown> {
  return {
    V_s3, V_d3, V_ssqrt, V_dsqrt, V_scmp, V_dcmp, V_cvt_ds, V_cvt_sd, V_cvt_f32_f16, V_cvt_f16_f32,
    V_cvt_int_s, V_cvt_int_d, V_cvt_s_int, V_cvt_d_int, V_cvt_fixed_s, V_cvt_fixed_d, V_cvt_s_fixed, V_cvt_d_fixed,
  };
}
