// The rounding core against an exact BigInt reference (always runs; qemu-arm not needed):
// add, sub, mul, div and fused multiply-add in single and double precision, every rounding
// mode, with the IXC/UFC/OFC flags ARM defines (tininess before rounding).
import { describe, expect, it } from 'vitest';
import { fp, fpBegin } from './fp-core.js';
import { OP_ADD, OP_DIV, OP_MUL, OP_SUB, arith32, arith64, fma32, fma64, rHi, rLo } from './fp-arith.js';
import { F32_EDGES, F64_EDGES, Rng, randF32, randF64 } from './vfp-testkit.js';

interface Fmt {
  p: number;
  emin: number;
  emax: number;
  ebits: number;
}
const F32: Fmt = { p: 24, emin: -126, emax: 127, ebits: 8 };
const F64: Fmt = { p: 53, emin: -1022, emax: 1023, ebits: 11 };

/** A finite value as sign, integer significand and exponent: (-1)^s * m * 2^e. */
interface Exact {
  s: boolean;
  m: bigint;
  e: number;
}

function decode(bits: bigint, f: Fmt): Exact | 'nan' | 'inf' {
  const width = BigInt(f.p - 1 + f.ebits);
  const fracBits = BigInt(f.p - 1);
  const s = ((bits >> width) & 1n) === 1n;
  const ex = Number((bits >> fracBits) & ((1n << BigInt(f.ebits)) - 1n));
  let m = bits & ((1n << fracBits) - 1n);
  if (ex === (1 << f.ebits) - 1) return m === 0n ? 'inf' : 'nan';
  if (ex !== 0) m |= 1n << fracBits;
  const bias = (1 << (f.ebits - 1)) - 1;
  return { s, m, e: (ex === 0 ? 1 : ex) - bias - (f.p - 1) };
}

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** Round (-1)^s * N/D * 2^E (N > 0) to f in mode (0 RN, 1 RP, 2 RM, 3 RZ): bits and flags. */
function roundRef(s: boolean, N: bigint, D: bigint, E: number, f: Fmt, mode: number): { bits: bigint; flags: number } {
  // exponent of N/D: 2^e <= N/D < 2^(e+1)
  let e = bitLength(N) - bitLength(D);
  const ge = (k: number) => (k >= 0 ? N >= D << BigInt(k) : N << BigInt(-k) >= D);
  if (!ge(e)) e -= 1;
  const exp = e + E;
  const tiny = exp < f.emin;
  const q = Math.max(exp, f.emin) - f.p + 1; // quantum exponent
  // N/D * 2^(E - q) = I + r/den
  const shift = E - q;
  const num = shift >= 0 ? N << BigInt(shift) : N;
  const den = shift >= 0 ? D : D << BigInt(-shift);
  let I = num / den;
  const rem = num - I * den;
  const up = (mode === 1 && !s) || (mode === 2 && s);
  const down = mode === 3 || (mode === 1 && s) || (mode === 2 && !s);
  let flags = 0;
  if (rem !== 0n) {
    flags |= 16;
    if (tiny) flags |= 8;
    if (up) I += 1n;
    else if (!down) {
      const twice = rem * 2n;
      if (twice > den || (twice === den && (I & 1n) === 1n)) I += 1n;
    }
  }
  const sign = s ? 1n << BigInt(f.p - 1 + f.ebits) : 0n;
  const bias = (1 << (f.ebits - 1)) - 1;
  const maxExp = (1 << f.ebits) - 1;
  // value = I * 2^q; normalise
  if (I === 0n) return { bits: sign, flags };
  const topExp = bitLength(I) - 1 + q;
  if (topExp > f.emax) {
    flags |= 4 | 16;
    const inf = BigInt(maxExp) << BigInt(f.p - 1);
    return { bits: sign | (down ? inf - 1n : inf), flags };
  }
  if (topExp < f.emin) return { bits: sign | I, flags }; // subnormal: I < 2^(p-1)
  const frac = (I << BigInt(f.p - 1 - (bitLength(I) - 1))) & ((1n << BigInt(f.p - 1)) - 1n);
  return { bits: sign | (BigInt(topExp + bias) << BigInt(f.p - 1)) | frac, flags };
}

/** Exact a + b as sign, N, E (D = 1); null when the sum is exactly zero. */
function addExact(a: Exact, b: Exact): { s: boolean; N: bigint; E: number } | null {
  const E = Math.min(a.e, b.e);
  const va = (a.s ? -a.m : a.m) << BigInt(a.e - E);
  const vb = (b.s ? -b.m : b.m) << BigInt(b.e - E);
  const v = va + vb;
  if (v === 0n) return null;
  return { s: v < 0n, N: v < 0n ? -v : v, E };
}

const u64 = (hi: number, lo: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

type Op = 'add' | 'sub' | 'mul' | 'div' | 'fma';

/** Reference for finite non-zero operands whose result is not an exact zero; null to skip. */
function reference(op: Op, xs: Exact[], f: Fmt, mode: number): { bits: bigint; flags: number } | null {
  const [a, b, c] = xs as [Exact, Exact, Exact | undefined];
  if (op === 'add' || op === 'sub') {
    const r = addExact(a, op === 'sub' ? { ...b, s: !b.s } : b);
    return r && roundRef(r.s, r.N, 1n, r.E, f, mode);
  }
  if (op === 'mul') return roundRef(a.s !== b.s, a.m * b.m, 1n, a.e + b.e, f, mode);
  if (op === 'div') return roundRef(a.s !== b.s, a.m, b.m, a.e - b.e, f, mode);
  // fma: c + a*b
  const r = addExact({ s: a.s !== b.s, m: a.m * b.m, e: a.e + b.e }, c!);
  return r && roundRef(r.s, r.N, 1n, r.E, f, mode);
}

function finiteNonZero(x: Exact | 'nan' | 'inf'): x is Exact {
  return typeof x === 'object' && x.m !== 0n;
}

const OPS: Op[] = ['add', 'sub', 'mul', 'div', 'fma'];
const OPCODE = { add: OP_ADD, sub: OP_SUB, mul: OP_MUL, div: OP_DIV };

describe('rounding core against an exact reference', () => {
  it('double precision: add, sub, mul, div, fma in all modes', () => {
    const r = new Rng(11);
    let checked = 0;
    const failures: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const op = OPS[i % OPS.length]!;
      const mode = (i >> 3) & 3;
      const ops = [0, 1, 2].map(() => (r.below(6) === 0 ? r.pick(F64_EDGES) : randF64(r)));
      if (op === 'fma' && r.below(2)) {
        // near-cancelling addend
        const p = new Float64Array(new Int32Array([ops[0]![1], ops[0]![0], ops[1]![1], ops[1]![0]]).buffer);
        const w = new Int32Array(new Float64Array([-(p[0]! * p[1]!)]).buffer);
        ops[2] = [w[1]!, (w[0]! + r.below(3) - 1) | 0];
      }
      const xs = ops.map(([h, l]) => decode(u64(h, l), F64));
      if (!xs.every(finiteNonZero)) continue;
      const want = reference(op, xs as Exact[], F64, mode);
      if (!want) continue;
      fpBegin(mode << 22);
      if (op === 'fma') fma64(ops[2]![0], ops[2]![1], ops[0]![0], ops[0]![1], ops[1]![0], ops[1]![1]);
      else arith64(OPCODE[op], ops[0]![0], ops[0]![1], ops[1]![0], ops[1]![1]);
      const got = u64(rHi, rLo);
      checked++;
      if (got !== want.bits || fp.exc !== want.flags) {
        failures.push(`${op} mode ${mode} ${ops.map(([h, l]) => u64(h, l).toString(16)).join(' ')}: want ${want.bits.toString(16)}/${want.flags} got ${got.toString(16)}/${fp.exc}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(3000);
  });

  it('single precision: add, sub, mul, div, fma in all modes', () => {
    const r = new Rng(12);
    let checked = 0;
    const failures: string[] = [];
    for (let i = 0; i < 8000; i++) {
      const op = OPS[i % OPS.length]!;
      const mode = (i >> 3) & 3;
      const ops = [0, 1, 2].map(() => (r.below(6) === 0 ? r.pick(F32_EDGES) : randF32(r)));
      const xs = ops.map((b) => decode(BigInt(b >>> 0), F32));
      if (!xs.every(finiteNonZero)) continue;
      const want = reference(op, xs as Exact[], F32, mode);
      if (!want) continue;
      fpBegin(mode << 22);
      const got = op === 'fma' ? fma32(ops[2]!, ops[0]!, ops[1]!) : arith32(OPCODE[op], ops[0]!, ops[1]!);
      checked++;
      if (BigInt(got >>> 0) !== want.bits || fp.exc !== want.flags) {
        failures.push(`${op} mode ${mode} ${ops.map((b) => (b >>> 0).toString(16)).join(' ')}: want ${want.bits.toString(16)}/${want.flags} got ${(got >>> 0).toString(16)}/${fp.exc}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(4000);
  });
});
