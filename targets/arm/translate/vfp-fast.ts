// Fast paths of VFP arithmetic, on JS numbers read straight from the register file's
// Float64Array / Float32Array views (the regions' D and F). They apply when FPSCR selects
// round-to-nearest without flush-to-zero (the C default; the translator tests that inline)
// and the operands and the result are normal numbers or zeros: the host's IEEE double
// result (rounded once more to float32 for single precision, which is innocuous for
// + - * / sqrt) is then ARM's result, and the only flag it can raise is IXC, detected
// exactly with error-free transforms. In every other case (NaN, infinity, overflow,
// underflow, division by zero, subnormals) they return NaN and the caller runs the full
// V_* helper on the untouched register words; flags are sticky, so an IXC already set by a
// fast first step of a two-step operation is one the full helper sets too.
import { S as ST } from '../cpu-state.js';

const FPSCR = ST.FPSCR;
const IXC = 1 << 4;

/** Magnitudes inside which Dekker's product and its error are exact and nothing under/overflows. */
const LO = 1e-250;
const HI = 1e250;
const SPLITTER = 134217729; // 2^27 + 1
/** Float32 normal range. */
const MIN_NORMAL32 = 1.1754943508222875e-38;
const MAX_FLOAT32 = 3.4028234663852886e38;

/** The exact error of a * b (a, b, a * b within [LO, HI]): Veltkamp splitting. */
function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** FPSCR.IXC is sticky: once set, whether this result is exact changes nothing. */
function inexactKnown(S: Int32Array): boolean {
  return (S[FPSCR]! & IXC) !== 0;
}

function inRange(a: number): boolean {
  const m = Math.abs(a);
  return m > LO && m < HI;
}

/** x + y in double precision. Sums are exact when subnormal, so only overflow is excluded. */
export function VF_add64(S: Int32Array, x: number, y: number): number {
  const r = x + y;
  if (r - r !== 0) return NaN; // NaN, infinity or overflow
  if (inexactKnown(S)) return r;
  const bb = r - x;
  if (x - (r - bb) + (y - bb) !== 0) S[FPSCR] = S[FPSCR]! | IXC;
  return r;
}

export function VF_mul64(S: Int32Array, x: number, y: number): number {
  const r = x * y;
  if (x === 0 || y === 0) return r === 0 ? r : NaN; // 0 * inf is invalid
  if (!(inRange(x) && inRange(y) && inRange(r))) return NaN;
  if (!inexactKnown(S) && productError(x, y, r) !== 0) S[FPSCR] = S[FPSCR]! | IXC;
  return r;
}

export function VF_div64(S: Int32Array, x: number, y: number): number {
  if (y === 0 || !inRange(y)) return NaN; // division by zero, or far from the safe range
  const q = x / y;
  if (x === 0) return q;
  if (!(inRange(x) && inRange(q))) return NaN;
  if (inexactKnown(S)) return q;
  const p = q * y;
  if (x - p - productError(q, y, p) !== 0) S[FPSCR] = S[FPSCR]! | IXC;
  return q;
}

export function VF_sqrt64(S: Int32Array, x: number): number {
  if (x === 0) return x; // keeps -0
  if (!inRange(x) || x < 0) return NaN;
  const r = Math.sqrt(x);
  if (inexactKnown(S)) return r;
  const p = r * r;
  if (x - p - productError(r, r, p) !== 0) S[FPSCR] = S[FPSCR]! | IXC;
  return r;
}

/** Round a double that holds the exact or the double-rounded float32 result. */
function toSingle(S: Int32Array, d: number, exact: boolean): number {
  const r = Math.fround(d);
  // ARM detects tininess before rounding: a value that rounds up to the smallest normal
  // underflowed, so the boundary itself goes to the helper too.
  if (Math.abs(d) <= MIN_NORMAL32) return r === 0 && d === 0 ? r : NaN;
  if (Math.abs(r) > MAX_FLOAT32) return NaN; // overflow
  if (!exact || r !== d) S[FPSCR] = S[FPSCR]! | IXC;
  return r;
}

export function VF_add32(S: Int32Array, x: number, y: number): number {
  const d = x + y; // float32 operands: no double overflow, exact unless exponents are far apart
  if (d - d !== 0) return NaN;
  const bb = d - x;
  return toSingle(S, d, x - (d - bb) + (y - bb) === 0);
}

export function VF_mul32(S: Int32Array, x: number, y: number): number {
  const d = x * y; // exact: 24 + 24 significant bits
  if (d - d !== 0) return NaN;
  return toSingle(S, d, true);
}

export function VF_div32(S: Int32Array, x: number, y: number): number {
  if (y === 0 || y - y !== 0) return NaN;
  const d = x / y;
  if (d - d !== 0) return NaN;
  const r = Math.fround(d);
  // r * y is exact in double, so x / y == r exactly when it gives back x
  return toSingle(S, d, r * y === x);
}

export function VF_sqrt32(S: Int32Array, x: number): number {
  if (x === 0) return x;
  if (!(x > 0) || x === Infinity) return NaN;
  const d = Math.sqrt(x);
  const r = Math.fround(d);
  return toSingle(S, d, r * r === x);
}

/**
 * VCMP on two ordered (non-NaN) values: FPSCR.NZCV = 1000 less, 0110 equal, 0010 greater.
 * Returns 0 when an operand is NaN (the helper decides the invalid-operation flag).
 */
export function VF_cmp(S: Int32Array, x: number, y: number): number {
  if (x !== x || y !== y) return 0;
  const nzcv = x < y ? 0x80000000 : x === y ? 0x60000000 : 0x20000000;
  S[FPSCR] = (S[FPSCR]! & 0x0fffffff) | nzcv;
  return 1;
}

// ---- entry points for generated code ----
// They read the operands from the register file (R: the regions' D or F view) and write
// the result there, returning 1, or return 0 with nothing written: the slow path's turn.
// Returning a status rather than the double keeps V8 from boxing a number per call when
// it does not inline the helper into a large region.

// Written out one per operation (not made by a factory) so that each call site inside
// stays monomorphic and V8 can inline the arithmetic.

export function VF_add64r(S: Int32Array, R: Float64Array, d: number, n: number, m: number, negM: number): number {
  const r = VF_add64(S, R[n]!, negM ? -R[m]! : R[m]!);
  return r === r ? ((R[d] = r), 1) : 0;
}
export function VF_mul64r(S: Int32Array, R: Float64Array, d: number, n: number, m: number): number {
  const r = VF_mul64(S, R[n]!, R[m]!);
  return r === r ? ((R[d] = r), 1) : 0;
}
export function VF_div64r(S: Int32Array, R: Float64Array, d: number, n: number, m: number): number {
  const r = VF_div64(S, R[n]!, R[m]!);
  return r === r ? ((R[d] = r), 1) : 0;
}
/** Dd = ±Dd + ±(Dn * Dm), rounded twice (VMLA, VMLS, VNMLA, VNMLS). */
export function VF_mac64r(S: Int32Array, R: Float64Array, d: number, n: number, m: number, negAcc: number, negProduct: number): number {
  const p = VF_mul64(S, R[n]!, R[m]!);
  if (p !== p) return 0;
  const r = VF_add64(S, negAcc ? -R[d]! : R[d]!, negProduct ? -p : p);
  return r === r ? ((R[d] = r), 1) : 0;
}
export function VF_sqrt64r(S: Int32Array, R: Float64Array, d: number, m: number): number {
  const r = VF_sqrt64(S, R[m]!);
  return r === r ? ((R[d] = r), 1) : 0;
}
/** VCMP Dd, Dm (zero: with +0). */
export function VF_cmp64r(S: Int32Array, R: Float64Array, d: number, m: number, zero: number): number {
  return VF_cmp(S, R[d]!, zero ? 0 : R[m]!);
}

export function VF_add32r(S: Int32Array, R: Float32Array, d: number, n: number, m: number, negM: number): number {
  const r = VF_add32(S, R[n]!, negM ? -R[m]! : R[m]!);
  return r === r ? ((R[d] = r), 1) : 0;
}
export function VF_mul32r(S: Int32Array, R: Float32Array, d: number, n: number, m: number): number {
  const r = VF_mul32(S, R[n]!, R[m]!);
  return r === r ? ((R[d] = r), 1) : 0;
}
export function VF_div32r(S: Int32Array, R: Float32Array, d: number, n: number, m: number): number {
  const r = VF_div32(S, R[n]!, R[m]!);
  return r === r ? ((R[d] = r), 1) : 0;
}
export function VF_mac32r(S: Int32Array, R: Float32Array, d: number, n: number, m: number, negAcc: number, negProduct: number): number {
  const p = VF_mul32(S, R[n]!, R[m]!);
  if (p !== p) return 0;
  const r = VF_add32(S, negAcc ? -R[d]! : R[d]!, negProduct ? -p : p);
  return r === r ? ((R[d] = r), 1) : 0;
}
export function VF_sqrt32r(S: Int32Array, R: Float32Array, d: number, m: number): number {
  const r = VF_sqrt32(S, R[m]!);
  return r === r ? ((R[d] = r), 1) : 0;
}
export function VF_cmp32r(S: Int32Array, R: Float32Array, d: number, m: number, zero: number): number {
  return VF_cmp(S, R[d]!, zero ? 0 : R[m]!);
}

export function vfpFastHelpers(): Record<string, unknown> {
  return {
    VF_add64r, VF_mul64r, VF_div64r, VF_mac64r, VF_sqrt64r, VF_cmp64r,
    VF_add32r, VF_mul32r, VF_div32r, VF_mac32r, VF_sqrt32r, VF_cmp32r,
  };
}
