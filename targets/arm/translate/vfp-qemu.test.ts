// Differential tests of the VFP class against qemu-arm (-cpu cortex-a15): each batch is one
// assembled program that loads a VFP/core state, runs the instruction, and writes the
// registers, APSR and FPSCR back; tsqemu runs the same words from the same state.
// Skipped (with the reason printed) when qemu-arm or the cross assembler is missing.
import { describe, expect, it } from 'vitest';
import {
  F32_EDGES, F64_EDGES, FPSCR_MODES, Rng, compareWithQemu, df, enc, oracleUnavailable, randF32, randF64, sf, type VfpCase,
} from './vfp-testkit.js';

/** VFP_ORACLE_SCALE=10 multiplies the random case counts (for a deeper local run). */
const SCALE = Number(process.env['VFP_ORACLE_SCALE'] ?? 1);
const unavailable = oracleUnavailable();
if (unavailable) console.log(`vfp-qemu tests skipped: ${unavailable}`);

function check(cases: VfpCase[]): void {
  const { mismatches, count } = compareWithQemu(cases);
  if (mismatches.length > 0) console.log(`${mismatches.length}/${count} mismatches:\n${mismatches.slice(0, 25).join('\n')}`);
  expect(mismatches.length).toBe(0);
}

const THREE_OPS: [string, Record<string, number>][] = [
  ['VADD', {}], ['VSUB', {}], ['VMUL', {}], ['VNMUL', {}], ['VDIV', {}], ['VMLA_VMLS', { o: 0 }], ['VMLA_VMLS', { o: 1 }],
  ['VNMLA_VNMLS', { o: 0 }], ['VNMLA_VNMLS', { o: 1 }], ['VFMA_VFMS', { o: 0 }], ['VFMA_VFMS', { o: 1 }],
  ['VFNMA_VFNMS', { o: 0 }], ['VFNMA_VFNMS', { o: 1 }],
];

/** Operand triples: edges crossed, then random values, then near-cancelling fma inputs. */
function triples32(r: Rng, n: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const k = r.below(4);
    const a = k === 0 ? r.pick(F32_EDGES) : randF32(r);
    let b = k === 1 ? r.pick(F32_EDGES) : randF32(r);
    let c = k === 2 ? r.pick(F32_EDGES) : randF32(r);
    if (r.below(3) === 0) {
      // b close to a in exponent (rounding of sums), c close to -(a*b)
      b = (a & 0x80000000) ^ ((r.below(2) << 31) | ((((a >>> 23) & 0xff) + r.below(5) - 2) << 23)) | (r.next() & 0x7fffff);
      const f = new Float32Array([new Float32Array(new Int32Array([a]).buffer)[0]! * new Float32Array(new Int32Array([b]).buffer)[0]!]);
      c = (new Int32Array(f.buffer)[0]! ^ 0x80000000) + r.below(5) - 2;
    }
    out.push([c, a, b]);
  }
  return out;
}

function triples64(r: Rng, n: number): number[][] {
  const out: number[][] = [];
  const d = new Float64Array(1);
  const w = new Int32Array(d.buffer);
  for (let i = 0; i < n; i++) {
    const k = r.below(4);
    const a = k === 0 ? r.pick(F64_EDGES) : randF64(r);
    let b = k === 1 ? r.pick(F64_EDGES) : randF64(r);
    let c = k === 2 ? r.pick(F64_EDGES) : randF64(r);
    if (r.below(3) === 0) {
      const ea = (a[0] >>> 20) & 0x7ff;
      b = [(r.below(2) << 31) | (Math.max(1, Math.min(2046, ea + r.below(5) - 2)) << 20) | (r.next() & 0xfffff), r.next() | 0];
      w[0] = a[1];
      w[1] = a[0];
      const x = d[0]!;
      w[0] = b[1];
      w[1] = b[0];
      d[0] = -(x * d[0]!);
      c = [w[1]!, (w[0]! + r.below(5) - 2) | 0];
    }
    out.push([c[1], c[0], a[1], a[0], b[1], b[0]]);
  }
  return out;
}

/** A double with a short random significand (so exact ties happen) and exponent e, as [hi, lo]. */
function shortF64(r: Rng, e: number): [number, number] {
  const bits = r.below(53);
  let hi = r.next() & 0xfffff;
  let lo = r.next() | 0;
  if (bits < 20) {
    hi &= ~((1 << (20 - bits)) - 1);
    lo = 0;
  } else if (bits < 52) {
    lo &= ~((2 ** (52 - bits) - 1) | 0);
  }
  return [(r.below(2) << 31) | ((e + 1023) << 20) | hi, lo];
}

function shortF32(r: Rng, e: number): number {
  const bits = r.below(24);
  return (r.below(2) << 31) | ((e + 127) << 23) | (r.next() & 0x7fffff & ~((1 << (23 - bits)) - 1));
}

/** Operands whose products/quotients/sums land near the subnormal and overflow thresholds. */
function hardCases(r: Rng, n: number, double: boolean): number[][] {
  const out: number[][] = [];
  const [emin, emax] = double ? [-1022, 1023] : [-126, 127];
  const p = double ? 53 : 24;
  for (let i = 0; i < n; i++) {
    const k = r.below(4);
    let ea: number;
    let eb: number;
    if (k === 0) {
      // product near or below the smallest normal
      ea = -r.below(-emin);
      eb = emin - ea - r.below(p + 3) + 1;
    } else if (k === 1) {
      // product near overflow
      ea = r.below(emax);
      eb = emax - ea + r.below(3) - 1;
    } else if (k === 2) {
      // quotient near the smallest normal: a tiny / b > 1
      eb = r.below(p + 2);
      ea = emin + eb - r.below(p + 2) + 1;
    } else {
      ea = emin + r.below(4);
      eb = r.below(3) - 1;
    }
    ea = Math.max(emin, Math.min(emax, ea));
    eb = Math.max(emin, Math.min(emax, eb));
    const ec = r.below(2) ? emin + r.below(3) : ea + eb + r.below(5) - 2;
    const cE = Math.max(emin, Math.min(emax, ec));
    if (double) {
      const a = shortF64(r, ea);
      const b = shortF64(r, eb);
      let c = shortF64(r, cE);
      if (r.below(4) === 0) c = [r.below(2) << 31 | (r.next() & 0xfffff), r.next() | 0]; // subnormal addend
      out.push([c[1], c[0], a[1], a[0], b[1], b[0]]);
    } else {
      let c = shortF32(r, cE);
      if (r.below(4) === 0) c = (r.below(2) << 31) | (r.next() & 0x7fffff);
      out.push([c, shortF32(r, ea), shortF32(r, eb)]);
    }
  }
  return out;
}

describe.skipIf(unavailable !== undefined)('VFP against qemu-arm', () => {
  it('arithmetic near the underflow and overflow thresholds, with exact ties', () => {
    const r = new Rng(9);
    const cases: VfpCase[] = [];
    for (const [name, extra] of THREE_OPS) {
      const w32 = enc(name, { ...extra, ...sf('d', 0), ...sf('n', 1), ...sf('m', 2) });
      for (const t of hardCases(r, 150 * SCALE, false)) cases.push({ words: [w32], vfp: t, fpscr: r.pick(FPSCR_MODES) });
      const w64 = enc(name, { ...extra, z: 1, ...df('d', 0), ...df('n', 1), ...df('m', 2) });
      for (const t of hardCases(r, 150 * SCALE, true)) cases.push({ words: [w64], vfp: t, fpscr: r.pick(FPSCR_MODES) });
    }
    for (const t of hardCases(r, 200 * SCALE, true)) {
      cases.push({ words: [enc('VCVT_precision', { z: 1, ...sf('d', 0), ...df('m', 1) })], vfp: t, fpscr: r.pick(FPSCR_MODES) });
      cases.push({ words: [enc('VSQRT', { z: 1, ...df('d', 0), ...df('m', 1) })], vfp: t, fpscr: r.pick(FPSCR_MODES) });
    }
    check(cases);
  });

  it('single-precision arithmetic (all rounding modes, FZ, DN)', () => {
    const r = new Rng(1);
    const cases: VfpCase[] = [];
    for (const [name, extra] of THREE_OPS) {
      const word = enc(name, { ...extra, ...sf('d', 0), ...sf('n', 1), ...sf('m', 2) });
      for (const t of triples32(r, 260 * SCALE)) cases.push({ words: [word], vfp: t, fpscr: r.pick(FPSCR_MODES) });
    }
    check(cases);
  });

  it('double-precision arithmetic (all rounding modes, FZ, DN)', () => {
    const r = new Rng(2);
    const cases: VfpCase[] = [];
    for (const [name, extra] of THREE_OPS) {
      const word = enc(name, { ...extra, z: 1, ...df('d', 0), ...df('n', 1), ...df('m', 2) });
      for (const t of triples64(r, 260 * SCALE)) cases.push({ words: [word], vfp: t, fpscr: r.pick(FPSCR_MODES) });
    }
    check(cases);
  });

  it('high registers, VSQRT, VABS, VNEG, VMOV', () => {
    const r = new Rng(3);
    const cases: VfpCase[] = [];
    const words = Array.from({ length: 64 }, () => r.next() | 0);
    cases.push({ words: [enc('VADD', { z: 1, ...df('d', 31), ...df('n', 17), ...df('m', 16) })], vfp: words, fpscr: 0 });
    cases.push({ words: [enc('VMUL', { ...sf('d', 31), ...sf('n', 17), ...sf('m', 30) })], vfp: words, fpscr: 0 });
    for (const name of ['VSQRT', 'VABS', 'VNEG', 'VMOV_reg']) {
      for (let i = 0; i < 150 * SCALE; i++) {
        const a = i < F32_EDGES.length ? F32_EDGES[i]! : randF32(r);
        cases.push({ words: [enc(name, { ...sf('d', 0), ...sf('m', 1) })], vfp: [r.next() | 0, a], fpscr: r.pick(FPSCR_MODES) });
        const [h, l] = i < F64_EDGES.length ? F64_EDGES[i]! : randF64(r);
        cases.push({ words: [enc(name, { z: 1, ...df('d', 0), ...df('m', 1) })], vfp: [0, 0, l, h], fpscr: r.pick(FPSCR_MODES) });
      }
    }
    check(cases);
  });

  it('VCMP, VCMPE (register and zero) and VMRS APSR_nzcv', () => {
    const r = new Rng(4);
    const cases: VfpCase[] = [];
    const vmrsFlags = enc('VMRS', { r: 1, t: 15 });
    for (let i = 0; i < 400 * SCALE; i++) {
      const E = i & 1;
      const zero = (i >> 1) & 1;
      const fpscr = r.pick(FPSCR_MODES) | (r.below(2) ? 0 : 0x10);
      const a = r.below(2) ? r.pick(F32_EDGES) : randF32(r);
      const b = r.below(3) ? r.pick(F32_EDGES) : a;
      const w32 = zero ? enc('VCMP_zero', { E, ...sf('d', 0) }) : enc('VCMP', { E, ...sf('d', 0), ...sf('m', 1) });
      cases.push({ words: [w32, vmrsFlags], vfp: [a, b], fpscr, nzcv: r.below(16) });
      const x = r.below(2) ? r.pick(F64_EDGES) : randF64(r);
      const y = r.below(3) ? r.pick(F64_EDGES) : x;
      const w64 = zero ? enc('VCMP_zero', { E, z: 1, ...df('d', 0) }) : enc('VCMP', { E, z: 1, ...df('d', 0), ...df('m', 1) });
      cases.push({ words: [w64, vmrsFlags], vfp: [x[1], x[0], y[1], y[0]], fpscr, nzcv: r.below(16) });
    }
    check(cases);
  });

  it('VCVT between float and integer, and between precisions', () => {
    const r = new Rng(5);
    const cases: VfpCase[] = [];
    const ints = [0, 1, -1, 0x7fffffff, 0x80000000, 0x7fffffc0, 0x7fffffbf, 0x01000001, 0x00ffffff, 0xfffffff, 0x80000001, 12345678, 0xffffff80];
    const near = [0.5, -0.5, 1.5, 2.5, -1.5, -2.5, 0.49999997, 2147483647.5, 2147483648, -2147483648.5, -2147483649, 4294967295.5, 4294967296, -0.75];
    const f32bits = (x: number) => new Int32Array(new Float32Array([x]).buffer)[0]!;
    for (let i = 0; i < 240 * SCALE; i++) {
      const fpscr = FPSCR_MODES[i % FPSCR_MODES.length]!;
      const a = i < F32_EDGES.length ? F32_EDGES[i]! : i < 80 ? f32bits(near[i % near.length]!) : randF32(r);
      const [h, l] = i < F64_EDGES.length ? F64_EDGES[i]! : randF64(r);
      const dnear = new Int32Array(new Float64Array([near[i % near.length]!]).buffer);
      const [H, L] = i >= F64_EDGES.length && i < 90 ? [dnear[1]!, dnear[0]!] : [h, l];
      for (const s of [0, 1])
        for (const rz of [0, 1]) {
          cases.push({ words: [enc('VCVT_to_int', { s, r: rz, ...sf('d', 0), ...sf('m', 1) })], vfp: [0, a], fpscr });
          cases.push({ words: [enc('VCVT_to_int', { s, r: rz, z: 1, ...sf('d', 0), ...df('m', 1) })], vfp: [0, 0, L, H], fpscr });
        }
      const n = i < ints.length ? ints[i]! : r.next() >> r.below(32);
      for (const s of [0, 1]) {
        cases.push({ words: [enc('VCVT_from_int', { s, ...sf('d', 0), ...sf('m', 1) })], vfp: [0, n], fpscr });
        cases.push({ words: [enc('VCVT_from_int', { s, z: 1, ...df('d', 0), ...sf('m', 2) })], vfp: [0, 0, n], fpscr });
      }
      cases.push({ words: [enc('VCVT_precision', { ...df('d', 0), ...sf('m', 2) })], vfp: [0, 0, a], fpscr });
      cases.push({ words: [enc('VCVT_precision', { z: 1, ...sf('d', 0), ...df('m', 1) })], vfp: [0, 0, L, H], fpscr });
    }
    check(cases);
  });

  it('VCVT fixed point (16/32-bit, signed/unsigned, all fraction widths)', () => {
    const r = new Rng(6);
    const cases: VfpCase[] = [];
    for (let i = 0; i < 500 * SCALE; i++) {
      const fpscr = r.pick(FPSCR_MODES);
      const x = r.below(2);
      const imm = r.below(x ? 32 : 17);
      const fields = { x, i: imm >> 1, j: imm & 1, U: r.below(2), o: r.below(2) };
      const a = r.below(3) === 0 ? r.pick(F32_EDGES) : r.below(2) ? randF32(r) : r.next() | 0;
      cases.push({ words: [enc('VCVT_fixed', { ...fields, ...sf('d', 1) })], vfp: [0, a], fpscr });
      const [h, l] = r.below(3) === 0 ? r.pick(F64_EDGES) : r.below(2) ? randF64(r) : [r.next() | 0, r.next() | 0];
      cases.push({ words: [enc('VCVT_fixed', { ...fields, z: 1, ...df('d', 1) })], vfp: [0, 0, l, h], fpscr });
    }
    check(cases);
  });

  it('VCVTB/VCVTT half precision (IEEE and AHP)', () => {
    const r = new Rng(7);
    const cases: VfpCase[] = [];
    const halves = [0, 0x8000, 0x3c00, 0x7bff, 0x0400, 0x03ff, 0x0001, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0xfe55, 0x7fff, 0x3555];
    for (let i = 0; i < 600 * SCALE; i++) {
      const fpscr = r.pick(FPSCR_MODES) | (r.below(2) ? 0x4000000 : 0);
      const fields = { o: r.below(2), T: r.below(2), ...sf('d', 0), ...sf('m', 1) };
      let src: number;
      if (fields.o) src = i < F32_EDGES.length ? F32_EDGES[i]! : randF32(r);
      else src = ((r.below(2) ? r.pick(halves) : r.next() & 0xffff) << 16) | (r.below(2) ? r.pick(halves) : r.next() & 0xffff);
      if (fields.o && r.below(2)) src = (src & 0x80000000) | ((0x66 + r.below(30)) << 23) | (r.next() & 0x7fffff);
      cases.push({ words: [enc('VCVT_half', fields)], vfp: [r.next() | 0, src], fpscr });
    }
    check(cases);
  });

  it('VMOV immediate, core transfers, VMSR/VMRS FPSCR', () => {
    const r = new Rng(8);
    const cases: VfpCase[] = [];
    for (let imm = 0; imm < 256; imm++) {
      cases.push({ words: [enc('VMOV_imm', { h: imm >> 4, l: imm & 15, ...sf('d', 3) })], vfp: [], fpscr: 0 });
      cases.push({ words: [enc('VMOV_imm', { h: imm >> 4, l: imm & 15, z: 1, ...df('d', 17) })], vfp: [], fpscr: 0 });
    }
    const vfp = Array.from({ length: 64 }, () => r.next() | 0);
    const regs = Array.from({ length: 12 }, () => r.next() | 0);
    for (let k = 0; k < 32; k++) {
      cases.push({ words: [enc('VMOV_single', { o: 1, t: k % 12, n: k >> 1, N: k & 1 })], vfp, fpscr: 0, regs });
      cases.push({ words: [enc('VMOV_single', { o: 0, t: k % 12, n: k >> 1, N: k & 1 })], vfp, fpscr: 0, regs });
      cases.push({ words: [enc('VMOV_double', { o: 1, t: k % 6, u: 6 + (k % 5), ...{ m: k & 15, M: k >> 4 } })], vfp, fpscr: 0, regs });
      cases.push({ words: [enc('VMOV_double', { o: 0, t: k % 12, u: (k * 5) % 12, ...{ m: k & 15, M: k >> 4 } })], vfp, fpscr: 0, regs });
      if (k < 31) {
        cases.push({ words: [enc('VMOV_two_singles', { o: 1, t: k % 6, u: 6 + (k % 5), ...sf('m', k) })], vfp, fpscr: 0, regs });
        cases.push({ words: [enc('VMOV_two_singles', { o: 0, t: k % 12, u: (k * 7) % 12, ...sf('m', k) })], vfp, fpscr: 0, regs });
      }
      cases.push({ words: [enc('VMOV_to_scalar', { x: k & 1, t: k % 12, d: (k * 3) & 15, D: k >> 4 })], vfp, fpscr: 0, regs });
      cases.push({ words: [enc('VMOV_from_scalar', { x: k & 1, t: k % 12, n: (k * 3) & 15, N: k >> 4 })], vfp, fpscr: 0, regs });
    }
    for (let k = 0; k < 64; k++) {
      const v = k === 0 ? -1 : r.next() & ~0x370000;
      cases.push({ words: [enc('VMSR', { r: 1, t: 3 }), enc('VMRS', { r: 1, t: 5 }), enc('VMRS', { r: 1, t: 15 })], vfp: [], fpscr: 0, regs: [0, 0, 0, v] });
    }
    check(cases);
  });
});
