// VFP arithmetic with ARM semantics: NaN propagation (FPProcessNaNs order, quieting,
// FPSCR.DN), flush-to-zero of inputs (IDC), invalid operations, division by zero, and one
// correctly rounded result per operation (fused multiply-add included).
//
// Single precision works on raw bits (int32) in and out; double precision takes the two
// words of each operand (hi, lo) and leaves its result in rHi/rLo, so NaN payloads never
// travel through a JS number (x87/SSE conversions may quiet a signalling NaN).
// The *Core functions work on values once NaNs are out of the way; they return a JS NaN
// for an invalid operation, which the callers turn into the default NaN.
import {
  F32, F64, FPSCR_DZC, FPSCR_IDC, FPSCR_IOC, FPSCR_IXC, RN, doubleFromWords, errHi, errLo, exactZeroSum, floatFromBits, bitsOfFloat,
  fp, frExp, frMant, hiWord, loWord, pow2, roundTo, split, twoProduct, twoSum, wordsOf, type FloatFormat,
} from './fp-core.js';

export const SIGN = 0x80000000 | 0;
export const QNAN32 = 0x7fc00000;
export const QNAN64_HI = 0x7ff80000;

// ---- classification ----

export function isNaN32(b: number): boolean {
  return (b & 0x7fffffff) > 0x7f800000;
}

export function isSNaN32(b: number): boolean {
  return isNaN32(b) && (b & 0x400000) === 0;
}

export function isNaN64(hi: number, lo: number): boolean {
  const e = hi & 0x7fffffff;
  return e > 0x7ff00000 || (e === 0x7ff00000 && lo !== 0);
}

export function isSNaN64(hi: number, lo: number): boolean {
  return isNaN64(hi, lo) && (hi & 0x80000) === 0;
}

/** FZ: a denormal input becomes a zero of the same sign, raising IDC. */
export function flush32(b: number): number {
  if (fp.fz && (b & 0x7f800000) === 0 && (b & 0x7fffff) !== 0) {
    fp.exc |= FPSCR_IDC;
    return b & SIGN;
  }
  return b;
}

/** FZ for a double: returns the (possibly flushed) high word; the low word is then 0. */
export function flush64(hi: number, lo: number): boolean {
  if (fp.fz && (hi & 0x7ff00000) === 0 && ((hi & 0xfffff) | lo) !== 0) {
    fp.exc |= FPSCR_IDC;
    return true;
  }
  return false;
}

// ---- NaN propagation ----

/** FPProcessNaNs: the first signalling NaN quietened, else the first quiet NaN. */
function nan2_32(a: number, b: number): number {
  let r: number;
  if (isSNaN32(a)) r = a;
  else if (isSNaN32(b)) r = b;
  else r = isNaN32(a) ? a : b;
  if (isSNaN32(a) || isSNaN32(b)) fp.exc |= FPSCR_IOC;
  return fp.dn ? QNAN32 : r | 0x400000;
}

/** FPProcessNaNs3 in ARM's operand order (addend first for fused multiply-add). */
function nan3_32(a: number, b: number, c: number): number {
  let r: number;
  if (isSNaN32(a)) r = a;
  else if (isSNaN32(b)) r = b;
  else if (isSNaN32(c)) r = c;
  else r = isNaN32(a) ? a : isNaN32(b) ? b : c;
  if (isSNaN32(a) || isSNaN32(b) || isSNaN32(c)) fp.exc |= FPSCR_IOC;
  return fp.dn ? QNAN32 : r | 0x400000;
}

/** Double result words. */
export let rHi = 0;
export let rLo = 0;

function nan64(hi: number, lo: number, signalling: boolean): void {
  if (signalling) fp.exc |= FPSCR_IOC;
  if (fp.dn) {
    rHi = QNAN64_HI;
    rLo = 0;
  } else {
    rHi = hi | 0x80000;
    rLo = lo;
  }
}

function nan2_64(ah: number, al: number, bh: number, bl: number): void {
  const sa = isSNaN64(ah, al);
  const sb = isSNaN64(bh, bl);
  if (sa) nan64(ah, al, true);
  else if (sb) nan64(bh, bl, true);
  else if (isNaN64(ah, al)) nan64(ah, al, false);
  else nan64(bh, bl, false);
}

function nan3_64(ah: number, al: number, bh: number, bl: number, ch: number, cl: number): void {
  if (isSNaN64(ah, al)) nan64(ah, al, true);
  else if (isSNaN64(bh, bl)) nan64(bh, bl, true);
  else if (isSNaN64(ch, cl)) nan64(ch, cl, true);
  else if (isNaN64(ah, al)) nan64(ah, al, false);
  else if (isNaN64(bh, bl)) nan64(bh, bl, false);
  else nan64(ch, cl, false);
}

/** A double value (NaN = default NaN from an invalid operation) into rHi/rLo. */
export function setD(x: number): void {
  if (x !== x) {
    rHi = QNAN64_HI;
    rLo = 0;
    return;
  }
  wordsOf(x);
  rHi = hiWord();
  rLo = loWord();
}

/** Double result given as words (NaN payloads). */
export function setWords(hi: number, lo: number): void {
  rHi = hi;
  rLo = lo;
}

/** Bits of a float32 result value (NaN = default NaN). */
export function bits32(x: number): number {
  return x !== x ? QNAN32 : bitsOfFloat(x);
}

function invalid(): number {
  fp.exc |= FPSCR_IOC;
  return NaN;
}

function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

// ---- value-level operations (operands are not NaN, already flushed) ----

export function addCore(x: number, y: number, fmt: FloatFormat): number {
  const xi = x === Infinity || x === -Infinity;
  const yi = y === Infinity || y === -Infinity;
  if (xi || yi) {
    if (xi && yi && x !== y) return invalid();
    return xi ? x : y;
  }
  if (x === 0 || y === 0) {
    if (x === 0 && y === 0) return isNegative(x) === isNegative(y) ? x : exactZeroSum();
    return x === 0 ? y : x;
  }
  // TwoSum's intermediates can overflow near the top of the range: work at 1/4 scale then
  // (exact, unless the other operand is so small it only acts as a sticky bit).
  let scale = 0;
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (ax >= 4.49423283715579e307 || ay >= 4.49423283715579e307) {
    if (ax < 1e-270) return roundTo(y, 0, sign(x), 0, fmt);
    if (ay < 1e-270) return roundTo(x, 0, sign(y), 0, fmt);
    x *= 0.25;
    y *= 0.25;
    scale = 2;
  }
  twoSum(x, y);
  if (errHi === 0) return exactZeroSum();
  return roundTo(errHi, errLo, 0, scale, fmt);
}

export function mulCore(x: number, y: number, fmt: FloatFormat): number {
  const inf = x === Infinity || x === -Infinity || y === Infinity || y === -Infinity;
  const neg = isNegative(x) !== isNegative(y);
  if (inf) {
    if (x === 0 || y === 0) return invalid();
    return neg ? -Infinity : Infinity;
  }
  if (x === 0 || y === 0) return neg ? -0 : 0;
  split(x);
  const mx = frMant;
  const ex = frExp;
  split(y);
  twoProduct(mx, frMant);
  return roundTo(errHi, errLo, 0, ex + frExp, fmt);
}

export function divCore(x: number, y: number, fmt: FloatFormat): number {
  const xi = x === Infinity || x === -Infinity;
  const yi = y === Infinity || y === -Infinity;
  const neg = isNegative(x) !== isNegative(y);
  if ((xi && yi) || (x === 0 && y === 0)) return invalid();
  if (xi) return neg ? -Infinity : Infinity;
  if (yi || x === 0) return neg ? -0 : 0;
  if (y === 0) {
    fp.exc |= FPSCR_DZC;
    return neg ? -Infinity : Infinity;
  }
  split(x);
  const mx = frMant;
  const ex = frExp;
  split(y);
  const my = frMant;
  const q = mx / my;
  twoProduct(q, my);
  const r = (mx - errHi) - errLo; // exact remainder mx - q*my
  return roundTo(q, 0, sign(r) * sign(my), ex - frExp, fmt);
}

export function sqrtCore(x: number, fmt: FloatFormat): number {
  if (x === 0 || x === Infinity) return x;
  if (x < 0) return invalid();
  split(x);
  let m = frMant;
  let e = frExp;
  if (e & 1) {
    m *= 2;
    e -= 1;
  }
  const s = Math.sqrt(m);
  twoProduct(s, s);
  const r = (m - errHi) - errLo;
  return roundTo(s, 0, sign(r), e / 2, fmt);
}

/** z + x*y with a single rounding. */
export function fmaCore(z: number, x: number, y: number, fmt: FloatFormat): number {
  const xi = x === Infinity || x === -Infinity;
  const yi = y === Infinity || y === -Infinity;
  const zi = z === Infinity || z === -Infinity;
  const pneg = isNegative(x) !== isNegative(y);
  if (xi || yi) {
    if (x === 0 || y === 0) return invalid();
    if (zi && isNegative(z) !== pneg) return invalid();
    return pneg ? -Infinity : Infinity;
  }
  if (zi) return z;
  if (x === 0 || y === 0) {
    if (z === 0) return isNegative(z) === pneg ? z : exactZeroSum();
    return z;
  }
  split(x);
  const mx = frMant;
  const ex = frExp;
  split(y);
  twoProduct(mx, frMant);
  const ph = errHi;
  const pl = errLo;
  const sp = ex + frExp;
  if (z === 0) return roundTo(ph, pl, 0, sp, fmt);
  split(z);
  const mz = frMant;
  const ez = frExp;
  const d = ez - sp;
  if (d > 110) return roundTo(mz, 0, sign(ph), ez, fmt);
  if (d < -110) return roundTo(ph, pl, sign(mz), sp, fmt);
  const c = mz * pow2(d);
  twoSum(ph, c);
  const s1 = errHi;
  const e1 = errLo;
  twoSum(pl, e1);
  const s2 = errHi;
  const e2 = errLo;
  twoSum(s1, s2);
  const h = errHi;
  const l = errLo;
  twoSum(l, e2);
  const l2 = errHi;
  const e3 = errLo;
  twoSum(h, l2);
  if (errHi === 0) {
    if (errLo === 0 && e3 === 0) return exactZeroSum();
    return roundTo(errLo !== 0 ? errLo : e3, 0, 0, sp, fmt);
  }
  return roundTo(errHi, errLo, sign(e3), sp, fmt);
}

/**
 * Round-to-nearest fast path for ADD/SUB/MUL/DIV: the host's own rounding, with IXC from
 * the exact error term. Only taken when operands and result are normal and far from
 * overflow, and error-free transformations cannot underflow; otherwise returns NaN and the
 * caller takes the general path. For single precision the double result is rounded again
 * to float32, which is innocuous for these four operations (53 >= 2 * 24 + 2).
 */
function fastNearest(op: number, x: number, y: number, single: boolean): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (!(ax > 1e-250 && ax < 1e250 && ay > 1e-250 && ay < 1e250)) return NaN;
  let v: number;
  let exact: boolean;
  switch (op) {
    case OP_ADD:
    case OP_SUB: {
      const yy = op === OP_ADD ? y : -y;
      twoSum(x, yy);
      v = errHi;
      exact = errLo === 0;
      break;
    }
    case OP_MUL:
      twoProduct(x, y);
      v = errHi;
      exact = errLo === 0;
      break;
    default: {
      v = x / y;
      twoProduct(v, y);
      exact = x - errHi - errLo === 0;
    }
  }
  const av = Math.abs(v);
  if (single) {
    if (!(av > 1.1754943508222875e-38 && av <= 3.4028234663852886e38)) return NaN;
    const r = Math.fround(v);
    if (r === Infinity || r === -Infinity) return NaN;
    if (!exact || r !== v) fp.exc |= FPSCR_IXC;
    return r;
  }
  if (!(av > 1e-250 && av < 1e300)) return NaN;
  if (!exact) fp.exc |= FPSCR_IXC;
  return v;
}

// ---- single precision on bits ----

export const OP_ADD = 0;
export const OP_SUB = 1;
export const OP_MUL = 2;
export const OP_DIV = 3;

/** Sn op Sm for ADD/SUB/MUL/DIV on raw bits. */
export function arith32(op: number, a: number, b: number): number {
  a = flush32(a);
  b = flush32(b);
  if (isNaN32(a) || isNaN32(b)) return nan2_32(a, b);
  const x = floatFromBits(a);
  const y = floatFromBits(b);
  if (fp.rmode === RN) {
    const r = fastNearest(op, x, y, true);
    if (r === r) return bitsOfFloat(r);
  }
  switch (op) {
    case OP_ADD: return bits32(addCore(x, y, F32));
    case OP_SUB: return bits32(addCore(x, -y, F32));
    case OP_MUL: return bits32(mulCore(x, y, F32));
    default: return bits32(divCore(x, y, F32));
  }
}

export function sqrt32(a: number): number {
  a = flush32(a);
  if (isNaN32(a)) return nan2_32(a, a);
  return bits32(sqrtCore(floatFromBits(a), F32));
}

/** FPMulAdd(addend, op1, op2) on raw bits. */
export function fma32(addend: number, a: number, b: number): number {
  addend = flush32(addend);
  a = flush32(a);
  b = flush32(b);
  const x = floatFromBits(a);
  const y = floatFromBits(b);
  if (isNaN32(addend) || isNaN32(a) || isNaN32(b)) {
    const r = nan3_32(addend, a, b);
    // (inf * 0) + qNaN is an invalid operation giving the default NaN
    if (!isSNaN32(addend) && isNaN32(addend) && infTimesZero(a, b, x, y)) return invalid32();
    return r;
  }
  return bits32(fmaCore(floatFromBits(addend), x, y, F32));
}

function infTimesZero(a: number, b: number, x: number, y: number): boolean {
  if (isNaN32(a) || isNaN32(b)) return false;
  return (Math.abs(x) === Infinity && y === 0) || (x === 0 && Math.abs(y) === Infinity);
}

function invalid32(): number {
  fp.exc |= FPSCR_IOC;
  return QNAN32;
}

/** VCMP: the NZCV nibble; quiet compares signal only for signalling NaNs. */
export function compare32(a: number, b: number, signalAll: boolean): number {
  a = flush32(a);
  b = flush32(b);
  if (isNaN32(a) || isNaN32(b)) {
    if (signalAll || isSNaN32(a) || isSNaN32(b)) fp.exc |= FPSCR_IOC;
    return 0x3;
  }
  return compareValues(floatFromBits(a), floatFromBits(b));
}

function compareValues(x: number, y: number): number {
  return x < y ? 0x8 : x === y ? 0x6 : 0x2;
}

// ---- double precision on words (result in rHi/rLo) ----

export function arith64(op: number, ah: number, al: number, bh: number, bl: number): void {
  if (flush64(ah, al)) {
    ah &= SIGN;
    al = 0;
  }
  if (flush64(bh, bl)) {
    bh &= SIGN;
    bl = 0;
  }
  if (isNaN64(ah, al) || isNaN64(bh, bl)) return nan2_64(ah, al, bh, bl);
  const x = doubleFromWords(ah, al);
  const y = doubleFromWords(bh, bl);
  if (fp.rmode === RN) {
    const r = fastNearest(op, x, y, false);
    if (r === r) return setD(r);
  }
  switch (op) {
    case OP_ADD: return setD(addCore(x, y, F64));
    case OP_SUB: return setD(addCore(x, -y, F64));
    case OP_MUL: return setD(mulCore(x, y, F64));
    default: return setD(divCore(x, y, F64));
  }
}

export function sqrt64(ah: number, al: number): void {
  if (flush64(ah, al)) {
    ah &= SIGN;
    al = 0;
  }
  if (isNaN64(ah, al)) return nan2_64(ah, al, ah, al);
  setD(sqrtCore(doubleFromWords(ah, al), F64));
}

export function fma64(ch: number, cl: number, ah: number, al: number, bh: number, bl: number): void {
  if (flush64(ch, cl)) {
    ch &= SIGN;
    cl = 0;
  }
  if (flush64(ah, al)) {
    ah &= SIGN;
    al = 0;
  }
  if (flush64(bh, bl)) {
    bh &= SIGN;
    bl = 0;
  }
  const x = doubleFromWords(ah, al);
  const y = doubleFromWords(bh, bl);
  if (isNaN64(ch, cl) || isNaN64(ah, al) || isNaN64(bh, bl)) {
    nan3_64(ch, cl, ah, al, bh, bl);
    const qnanAddend = isNaN64(ch, cl) && !isSNaN64(ch, cl);
    const infZero = !isNaN64(ah, al) && !isNaN64(bh, bl) && ((Math.abs(x) === Infinity && y === 0) || (x === 0 && Math.abs(y) === Infinity));
    if (qnanAddend && infZero) {
      fp.exc |= FPSCR_IOC;
      rHi = QNAN64_HI;
      rLo = 0;
    }
    return;
  }
  setD(fmaCore(doubleFromWords(ch, cl), x, y, F64));
}

export function compare64(ah: number, al: number, bh: number, bl: number, signalAll: boolean): number {
  if (flush64(ah, al)) {
    ah &= SIGN;
    al = 0;
  }
  if (flush64(bh, bl)) {
    bh &= SIGN;
    bl = 0;
  }
  if (isNaN64(ah, al) || isNaN64(bh, bl)) {
    if (signalAll || isSNaN64(ah, al) || isSNaN64(bh, bl)) fp.exc |= FPSCR_IOC;
    return 0x3;
  }
  return compareValues(doubleFromWords(ah, al), doubleFromWords(bh, bl));
}
