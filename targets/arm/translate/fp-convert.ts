// VFP conversions: single <-> double, half <-> single (IEEE or alternative half precision),
// floating point <-> 32-bit integer and <-> 16/32-bit fixed point, with ARM's saturation,
// NaN and flag rules.
import {
  F16, F16_AHP, F32, F64, FPSCR_IOC, FPSCR_IXC, FPSCR_OFC, RM, RN, RP, RZ, doubleFromWords, floatFromBits, fp, overflowed, pow2, roundTo,
} from './fp-core.js';
import { QNAN32, SIGN, bits32, flush32, flush64, isNaN32, isNaN64, isSNaN32, isSNaN64, setD, setWords } from './fp-arith.js';

// ---- single <-> double ----

export function f32ToF64(a: number): void {
  a = flush32(a);
  if (isNaN32(a)) {
    if (isSNaN32(a)) fp.exc |= FPSCR_IOC;
    if (fp.dn) return setD(NaN);
    // quieted NaN, payload moved to the top of the double fraction
    const frac = a & 0x7fffff;
    setWords((a & SIGN) | 0x7ff80000 | (frac >>> 3), frac << 29);
    return;
  }
  setD(floatFromBits(a)); // exact
}

export function f64ToF32(hi: number, lo: number): number {
  if (flush64(hi, lo)) return hi & SIGN;
  if (isNaN64(hi, lo)) {
    if (isSNaN64(hi, lo)) fp.exc |= FPSCR_IOC;
    if (fp.dn) return QNAN32;
    return (hi & SIGN) | 0x7fc00000 | ((hi & 0xfffff) << 3) | (lo >>> 29);
  }
  const x = doubleFromWords(hi, lo);
  if (x === 0 || x === Infinity || x === -Infinity) return bits32(x);
  return bits32(roundTo(x, 0, 0, 0, F32));
}

// ---- half <-> single ----

/** Half-precision bits (low 16) to single-precision bits; FZ does not apply. */
export function f16ToF32(h: number): number {
  h &= 0xffff;
  const s = (h & 0x8000) << 16;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f && !fp.ahp) {
    if (m === 0) return s | 0x7f800000;
    if ((m & 0x200) === 0) fp.exc |= FPSCR_IOC;
    if (fp.dn) return QNAN32;
    return s | 0x7fc00000 | (m << 13);
  }
  if (e === 0) {
    if (m === 0) return s;
    return s | bits32(m * 5.960464477539063e-8); // m * 2^-24, exact in single precision
  }
  return s | ((e - 15 + 127) << 23) | (m << 13);
}

/** Single-precision bits to half-precision bits (low 16); FZ applies to the input only. */
export function f32ToF16(a: number): number {
  a = flush32(a);
  const s = (a >>> 16) & 0x8000;
  if (isNaN32(a)) {
    if (fp.ahp) {
      fp.exc |= FPSCR_IOC;
      return s;
    }
    if (isSNaN32(a)) fp.exc |= FPSCR_IOC;
    if (fp.dn) return 0x7e00;
    return s | 0x7e00 | ((a >>> 13) & 0x3ff);
  }
  if ((a & 0x7fffffff) === 0x7f800000) {
    if (fp.ahp) {
      fp.exc |= FPSCR_IOC;
      return s | 0x7fff;
    }
    return s | 0x7c00;
  }
  if ((a & 0x7fffffff) === 0) return s;
  const fmt = fp.ahp ? F16_AHP : F16;
  const r = Math.abs(roundTo(floatFromBits(a), 0, 0, 0, fmt));
  if (overflowed) {
    if (fp.ahp) {
      fp.exc = (fp.exc & ~(FPSCR_OFC | FPSCR_IXC)) | FPSCR_IOC;
      return s | 0x7fff;
    }
    return r === Infinity ? s | 0x7c00 : s | 0x7bff;
  }
  if (r === 0) return s;
  if (r < 6.103515625e-5) return s | (r / 5.960464477539063e-8); // subnormal: r / 2^-24
  const e = Math.floor(Math.log2(r));
  const exp = r >= pow2(e + 1) ? e + 1 : r < pow2(e) ? e - 1 : e;
  return s | ((exp + 15) << 10) | (r / pow2(exp - 10) - 1024);
}

// ---- floating point -> integer / fixed point ----

/** Round a finite double to an integral value in `mode` (exact). */
function roundIntegral(x: number, mode: number): number {
  const fl = Math.floor(x);
  const fr = x - fl;
  if (fr === 0) return x;
  switch (mode) {
    case RN: return fr > 0.5 ? fl + 1 : fr < 0.5 ? fl : fl % 2 === 0 ? fl : fl + 1;
    case RP: return fl + 1;
    case RM: return fl;
    default: return x < 0 ? fl + 1 : fl;
  }
}

/**
 * FPToFixed for a value already unpacked (not NaN): x * 2^fbits rounded in `mode`,
 * saturated to a `size`-bit signed or unsigned integer. Returns the int32 result.
 */
function toFixed(x: number, fbits: number, unsigned: boolean, size: number, mode: number): number {
  const max = unsigned ? 2 ** size - 1 : 2 ** (size - 1) - 1;
  const min = unsigned ? 0 : -(2 ** (size - 1));
  if (x === Infinity || x === -Infinity) {
    fp.exc |= FPSCR_IOC;
    return (x > 0 ? max : min) | 0;
  }
  const v = fbits === 0 ? x : x * pow2(fbits);
  const r = roundIntegral(v, mode);
  if (r > max || r < min) {
    fp.exc |= FPSCR_IOC;
    return (r > max ? max : min) | 0;
  }
  if (r !== v) fp.exc |= FPSCR_IXC;
  return r | 0;
}

/** Single to int/fixed; `roundZero` selects round toward zero instead of FPSCR.RMode. */
export function f32ToFixed(a: number, fbits: number, unsigned: boolean, size: number, roundZero: boolean): number {
  a = flush32(a);
  if (isNaN32(a)) {
    fp.exc |= FPSCR_IOC;
    return 0;
  }
  return toFixed(floatFromBits(a), fbits, unsigned, size, roundZero ? RZ : fp.rmode);
}

export function f64ToFixed(hi: number, lo: number, fbits: number, unsigned: boolean, size: number, roundZero: boolean): number {
  if (flush64(hi, lo)) {
    hi &= SIGN;
    lo = 0;
  }
  if (isNaN64(hi, lo)) {
    fp.exc |= FPSCR_IOC;
    return 0;
  }
  return toFixed(doubleFromWords(hi, lo), fbits, unsigned, size, roundZero ? RZ : fp.rmode);
}

// ---- integer / fixed point -> floating point ----

/** The integer value of the low `size` bits of v (signed or unsigned). */
function fixedValue(v: number, unsigned: boolean, size: number): number {
  if (size === 16) return unsigned ? v & 0xffff : (v << 16) >> 16;
  return unsigned ? v >>> 0 : v | 0;
}

/**
 * FixedToFP. VCVT from integer rounds as FPSCR says; the fixed-point form (fbits given by
 * the instruction) always rounds to nearest, as the v7 pseudocode and qemu-arm do.
 */
export function fixedToF32(v: number, fbits: number, unsigned: boolean, size: number, mode: number): number {
  const n = fixedValue(v, unsigned, size);
  if (n === 0) return 0;
  return bits32(roundTo(n, 0, 0, -fbits, F32, mode));
}

export function fixedToF64(v: number, fbits: number, unsigned: boolean, size: number, mode: number): void {
  const n = fixedValue(v, unsigned, size);
  setD(n === 0 ? 0 : roundTo(n, 0, 0, -fbits, F64, mode));
}
