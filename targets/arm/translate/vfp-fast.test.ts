// The fast paths of vfp-fast.ts against the full VFP helpers (themselves checked against
// qemu-arm in vfp-qemu.test.ts): wherever a fast path gives an answer, the result bits and
// FPSCR must equal the helper's. The operands come from the edge-heavy generators, so
// ties, exact results, subnormals, the float32 range edges and NaNs all occur.
import { describe, expect, test } from 'vitest';
import { S as ST, VFP_OFFSET } from '../cpu-state.js';
import { VOP, V_d3, V_s3, V_dsqrt, V_ssqrt, V_dcmp, V_scmp } from './helpers-vfp.js';
import { VF_add32, VF_add64, VF_cmp, VF_div32, VF_div64, VF_mul32, VF_mul64, VF_sqrt32, VF_sqrt64 } from './vfp-fast.js';
import { F32_EDGES, F64_EDGES, Rng, randF32, randF64 } from './vfp-testkit.js';

const B = VFP_OFFSET / 4;
const CASES = 20000;

/** A state array with its Float64/Float32 views, as a region sees it. */
function makeState() {
  const buf = new ArrayBuffer(4096);
  return { S: new Int32Array(buf), D: new Float64Array(buf), F: new Float32Array(buf) };
}

type Fast = (S: Int32Array, x: number, y: number) => number;

const OPS64: [string, number, Fast][] = [
  ['add', VOP.ADD, VF_add64],
  ['sub', VOP.SUB, (S, x, y) => VF_add64(S, x, -y)],
  ['mul', VOP.MUL, VF_mul64],
  ['div', VOP.DIV, VF_div64],
];
const OPS32: [string, number, Fast][] = [
  ['add', VOP.ADD, VF_add32],
  ['sub', VOP.SUB, (S, x, y) => VF_add32(S, x, -y)],
  ['mul', VOP.MUL, VF_mul32],
  ['div', VOP.DIV, VF_div32],
];

function operand64(r: Rng): [number, number] {
  return r.below(8) === 0 ? r.pick(F64_EDGES) : randF64(r);
}
function operand32(r: Rng): number {
  return r.below(8) === 0 ? r.pick(F32_EDGES) : randF32(r);
}

describe('VFP fast paths agree with the full helpers', () => {
  for (const [name, op, fast] of OPS64) {
    test(`f64 ${name}`, () => {
      const r = new Rng(0x1234 + op);
      let hits = 0;
      for (let i = 0; i < CASES; i++) {
        const slow = makeState();
        const [ah, al] = operand64(r);
        const [bh, bl] = operand64(r);
        slow.S.set([al, ah, bl, bh], B + 2);
        const quick = makeState();
        quick.S.set(slow.S);
        V_d3(slow.S, op, 0, 1, 2);
        const v = fast(quick.S, quick.D[B / 2 + 1]!, quick.D[B / 2 + 2]!);
        if (v !== v) continue;
        hits++;
        quick.D[B / 2] = v;
        const where = `${name} ${ah >>> 0}:${al >>> 0} ${bh >>> 0}:${bl >>> 0}`;
        expect([quick.S[B], quick.S[B + 1], quick.S[ST.FPSCR]], where).toEqual([slow.S[B], slow.S[B + 1], slow.S[ST.FPSCR]]);
      }
      expect(hits).toBeGreaterThan(CASES / 4);
    });
  }

  for (const [name, op, fast] of OPS32) {
    test(`f32 ${name}`, () => {
      const r = new Rng(0x5678 + op);
      let hits = 0;
      for (let i = 0; i < CASES; i++) {
        const slow = makeState();
        const a = operand32(r);
        const b = operand32(r);
        slow.S.set([a, b], B + 1);
        const quick = makeState();
        quick.S.set(slow.S);
        V_s3(slow.S, op, 0, 1, 2);
        const v = fast(quick.S, quick.F[B + 1]!, quick.F[B + 2]!);
        if (v !== v) continue;
        hits++;
        quick.F[B] = v;
        const where = `${name} ${a >>> 0} ${b >>> 0}`;
        expect([quick.S[B], quick.S[ST.FPSCR]], where).toEqual([slow.S[B], slow.S[ST.FPSCR]]);
      }
      expect(hits).toBeGreaterThan(CASES / 4);
    });
  }

  test('sqrt, both precisions', () => {
    const r = new Rng(99);
    let hits = 0;
    for (let i = 0; i < CASES; i++) {
      const slow = makeState();
      const [h, l] = operand64(r);
      const a = operand32(r);
      slow.S.set([l, h], B + 2);
      slow.S[B + 8] = a;
      const quick = makeState();
      quick.S.set(slow.S);
      V_dsqrt(slow.S, 0, 1);
      V_ssqrt(slow.S, 9, 8);
      const v64 = VF_sqrt64(quick.S, quick.D[B / 2 + 1]!);
      const v32 = VF_sqrt32(quick.S, quick.F[B + 8]!);
      if (v64 !== v64 || v32 !== v32) continue;
      hits++;
      quick.D[B / 2] = v64;
      quick.F[B + 9] = v32;
      expect([quick.S[B], quick.S[B + 1], quick.S[B + 9], quick.S[ST.FPSCR]], `${h >>> 0}:${l >>> 0} ${a >>> 0}`).toEqual([slow.S[B], slow.S[B + 1], slow.S[B + 9], slow.S[ST.FPSCR]]);
    }
    expect(hits).toBeGreaterThan(CASES / 8); // half the operands are negative
  });

  test('compare, both precisions, VCMP and VCMPE', () => {
    const r = new Rng(7);
    let hits = 0;
    for (let i = 0; i < CASES; i++) {
      const slow = makeState();
      const [ah, al] = operand64(r);
      const [bh, bl] = r.below(4) === 0 ? [ah, al] : operand64(r);
      const a = operand32(r);
      const b = r.below(4) === 0 ? a : operand32(r);
      const e = r.below(2);
      slow.S.set([al, ah, bl, bh], B);
      slow.S.set([a, b], B + 8);
      const quick = makeState();
      quick.S.set(slow.S);
      V_dcmp(slow.S, 0, 1, e, 0);
      const ok64 = VF_cmp(quick.S, quick.D[B / 2]!, quick.D[B / 2 + 1]!);
      if (ok64) expect(quick.S[ST.FPSCR], 'f64').toBe(slow.S[ST.FPSCR]);
      V_scmp(slow.S, 8, 9, e, 0);
      const ok32 = VF_cmp(quick.S, quick.F[B + 8]!, quick.F[B + 9]!);
      if (ok64 && ok32) {
        hits++;
        expect(quick.S[ST.FPSCR], 'f32').toBe(slow.S[ST.FPSCR]);
      }
    }
    expect(hits).toBeGreaterThan(CASES / 2);
  });
});
