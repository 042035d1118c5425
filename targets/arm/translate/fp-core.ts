// Software floating point core for VFP: bit views, the FPSCR mode/flag state of the current
// operation, exact error-free transformations and ONE rounding routine for every result
// format (f16, f32, f64) and every FPSCR rounding mode.
//
// JavaScript arithmetic rounds to nearest-even in double precision only. Every operation
// here first expresses its exact result as  V = (hi + lo + eps) * 2^scale  where hi and lo
// are doubles with hi = RN(hi + lo) and eps is an infinitesimal of sign eps (-1, 0, +1)
// that only decides ties and exactness. roundTo() then rounds V to the target format
// exactly once, in the mode FPSCR.RMode selects, with ARM's flags: tininess is detected
// before rounding, underflow is signalled only when the result is inexact, and FZ flushes
// a tiny result to zero with UFC alone.

// ---- FPSCR bits ----
export const FPSCR_IOC = 1 << 0;
export const FPSCR_DZC = 1 << 1;
export const FPSCR_OFC = 1 << 2;
export const FPSCR_UFC = 1 << 3;
export const FPSCR_IXC = 1 << 4;
export const FPSCR_IDC = 1 << 7;
export const FPSCR_FZ = 1 << 24;
export const FPSCR_DN = 1 << 25;
export const FPSCR_AHP = 1 << 26;
export const RMODE_SHIFT = 22;
export const RN = 0;
export const RP = 1;
export const RM = 2;
export const RZ = 3;

/** Mode bits of the running operation and the exception flags it raised. */
export const fp = {
  rmode: RN,
  fz: false,
  dn: false,
  ahp: false,
  exc: 0,
};

/** Load the mode bits from an FPSCR value and clear the pending flags. */
export function fpBegin(fpscr: number): void {
  fp.rmode = (fpscr >>> RMODE_SHIFT) & 3;
  fp.fz = (fpscr & FPSCR_FZ) !== 0;
  fp.dn = (fpscr & FPSCR_DN) !== 0;
  fp.ahp = (fpscr & FPSCR_AHP) !== 0;
  fp.exc = 0;
}

// ---- bit views (scratch, never allocated per operation) ----
const f64 = new Float64Array(1);
const w64 = new Int32Array(f64.buffer); // [lo, hi] on little-endian hosts
const f32 = new Float32Array(1);
const w32 = new Int32Array(f32.buffer);

export function doubleFromWords(hi: number, lo: number): number {
  w64[0] = lo;
  w64[1] = hi;
  return f64[0]!;
}

/** Words of a double: hiWord(x) / loWord(x) read the scratch after wordsOf(x). */
export function wordsOf(x: number): void {
  f64[0] = x;
}
export function hiWord(): number {
  return w64[1]!;
}
export function loWord(): number {
  return w64[0]!;
}

/** Value of non-NaN float32 bits. */
export function floatFromBits(b: number): number {
  w32[0] = b;
  return f32[0]!;
}

/** Bits of a number that is exactly representable as float32 (or an infinity). */
export function bitsOfFloat(x: number): number {
  f32[0] = x;
  return w32[0]!;
}

/** 2^e as a double, exact for -1074 <= e <= 1023. */
export function pow2(e: number): number {
  if (e >= -1022) return doubleFromWords((e + 1023) << 20, 0);
  const k = e + 1074; // bit position in the subnormal significand
  return k >= 32 ? doubleFromWords(1 << (k - 32), 0) : doubleFromWords(0, 1 << k);
}

/** Unbiased exponent of a positive normal double. */
function exponentOf(x: number): number {
  f64[0] = x;
  return ((w64[1]! >>> 20) & 0x7ff) - 1023;
}

function isPowerOfTwo(x: number): boolean {
  f64[0] = x;
  return (w64[1]! & 0xfffff) === 0 && w64[0] === 0;
}

// ---- error-free transformations ----

/** Results of twoSum/twoProduct: the rounded value and its exact error. */
export let errHi = 0;
export let errLo = 0;

/** a + b = errHi + errLo exactly, errHi = RN(a + b) (no overflow). */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  errLo = (a - (s - bb)) + (b - bb);
  errHi = s;
}

const SPLITTER = 134217729; // 2^27 + 1

/** a * b = errHi + errLo exactly for |a|, |b| in [2^-500, 2^500] (Veltkamp/Dekker). */
export function twoProduct(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  errLo = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  errHi = p;
}

/** Normalised significand/exponent: x = frMant * 2^frExp with |frMant| in [1, 2). */
export let frMant = 0;
export let frExp = 0;

export function split(x: number): void {
  let e = 0;
  let a = Math.abs(x);
  if (a < 2.2250738585072014e-308) {
    a *= 18446744073709551616; // 2^64
    e = -64;
  }
  const k = exponentOf(a);
  frExp = e + k;
  frMant = (x < 0 ? -a : a) * pow2(-k);
}

// ---- formats ----

export interface FloatFormat {
  /** Precision in bits, including the implicit one. */
  p: number;
  emin: number;
  emax: number;
  /** FZ applies to results of this format. */
  flushable: boolean;
}

export const F16: FloatFormat = { p: 11, emin: -14, emax: 15, flushable: false };
export const F16_AHP: FloatFormat = { p: 11, emin: -14, emax: 16, flushable: false };
export const F32: FloatFormat = { p: 24, emin: -126, emax: 127, flushable: true };
export const F64: FloatFormat = { p: 53, emin: -1022, emax: 1023, flushable: true };

/** Set when roundTo() overflowed (the AHP half conversion turns that into IOC). */
export let overflowed = false;

/**
 * Round V = (hi + lo + eps) * 2^scale to `fmt` in mode `mode`, raising IXC/UFC/OFC in
 * fp.exc. hi is finite and non-zero, hi = RN(hi + lo), eps in {-1, 0, 1}.
 * Returns the rounded value as a double (exact in the format), or +-Infinity on overflow.
 */
export function roundTo(hi: number, lo: number, eps: number, scale: number, fmt: FloatFormat, mode: number = fp.rmode): number {
  overflowed = false;
  const neg = hi < 0;
  if (neg) {
    hi = -hi;
    lo = -lo;
    eps = -eps;
  }
  if (hi < 1e-290) {
    hi *= 1.6069380442589903e60; // 2^200
    lo *= 1.6069380442589903e60;
    scale -= 200;
  }
  let e = exponentOf(hi);
  if (isPowerOfTwo(hi) && (lo < 0 || (lo === 0 && eps < 0))) e -= 1;
  const et = e + scale;
  // magnitude up: round away from zero; down: toward zero
  const up = (mode === RP && !neg) || (mode === RM && neg);
  const down = mode === RZ || (mode === RP && neg) || (mode === RM && !neg);
  const tiny = et < fmt.emin;
  if (tiny && fmt.flushable && fp.fz) {
    fp.exc |= FPSCR_UFC;
    return neg ? -0 : 0;
  }
  if (et > fmt.emax) return overflow(neg, down, fmt);
  if (et < fmt.emin - fmt.p) {
    // below half the smallest subnormal
    fp.exc |= FPSCR_UFC | FPSCR_IXC;
    const r = up ? pow2(fmt.emin - fmt.p + 1) : 0;
    return neg ? -r : r;
  }
  const qe = Math.max(et, fmt.emin) - (fmt.p - 1);
  const q = pow2(qe - scale);
  const x = hi / q;
  let y = lo / q;
  if (y === 0 && lo !== 0) eps = lo > 0 ? 1 : -1;
  const fl = Math.floor(x);
  const fr = x - fl;
  // F = fr + y + eps (in units of the result's last place), F in (-1/2 - eps, 1)
  let r: number;
  let sign0: number; // sign of F
  if (fr > 0) sign0 = 1;
  else sign0 = y > 0 ? 1 : y < 0 ? -1 : eps;
  if (sign0 === 0) {
    r = fl;
  } else if (sign0 < 0) {
    if (down) r = fl - 1;
    else if (up) r = fl;
    else {
      // nearest: compare F with -1/2
      const c = y + 0.5;
      const s = c > 0 ? 1 : c < 0 ? -1 : eps;
      r = s > 0 ? fl : s < 0 ? fl - 1 : fl % 2 === 0 ? fl : fl - 1;
    }
  } else if (down) {
    r = fl;
  } else if (up) {
    r = fl + 1;
  } else {
    const d = fr - 0.5;
    const c = d + y;
    const s = c > 0 ? 1 : c < 0 ? -1 : eps;
    r = s > 0 ? fl + 1 : s < 0 ? fl : fl % 2 === 0 ? fl : fl + 1;
  }
  if (sign0 !== 0) {
    fp.exc |= FPSCR_IXC;
    if (tiny) fp.exc |= FPSCR_UFC;
  }
  if (r >= 2 ** fmt.p && qe + fmt.p > fmt.emax) return overflow(neg, down, fmt);
  const m = r * pow2(qe);
  return neg ? -m : m;
}

/** Overflowed result: +-Inf, or the largest finite value when rounding toward zero (down). */
export function overflow(neg: boolean, down: boolean, fmt: FloatFormat): number {
  overflowed = true;
  fp.exc |= FPSCR_OFC | FPSCR_IXC;
  const m = down ? (2 - 2 ** (1 - fmt.p)) * 2 ** fmt.emax : Infinity;
  return neg ? -m : m;
}

/** Signed zero for an exact zero sum of operands of opposite signs (IEEE 754 6.3). */
export function exactZeroSum(): number {
  return fp.rmode === RM ? -0 : 0;
}
