// The inline forms of vfp-inline.ts against the helper calls they replace: on the same
// state, the rewritten expression must return what the helper returns and leave the same
// register words and FPSCR, whether IXC is already set (inline case) or not (helper).
// Operands come from the edge-heavy generators (zeros, subnormals, range edges, NaNs).
import { describe, expect, test } from 'vitest';
import { S as ST, VFP_OFFSET } from '../cpu-state.js';
import { VF_add64r, VF_mac64r, VF_mul64r } from './vfp-fast.js';
import { inlineVfpArithmetic, VFP_INLINE_LOCALS } from './vfp-inline.js';
import { F64_EDGES, Rng, randF64 } from './vfp-testkit.js';

const D0 = VFP_OFFSET / 8; // index of d0 in the Float64 view
const IXC = 1 << 4;
const CASES = 20000;

type Expr = (S: Int32Array, D: Float64Array) => number;

function compile(call: string): { inline: Expr; helper: Expr; rewritten: string } {
  const rewritten = inlineVfpArithmetic(call);
  const params = ['S', 'D', 'VF_add64r', 'VF_mul64r', 'VF_mac64r'];
  const make = (body: string) => {
    const f = new Function(...params, `let ${VFP_INLINE_LOCALS.map((l) => `${l} = 0`).join(', ')}; return ${body};`);
    return (S: Int32Array, D: Float64Array) => f(S, D, VF_add64r, VF_mul64r, VF_mac64r) as number;
  };
  return { inline: make(rewritten), helper: make(call), rewritten };
}

function operand(r: Rng): number {
  const [hi, lo] = r.below(6) === 0 ? r.pick(F64_EDGES) : randF64(r);
  const v = new Float64Array(new Int32Array([lo, hi]).buffer)[0]!;
  return v;
}

const d = D0 + 1;
const n = D0 + 2;
const m = D0 + 3;
const CALLS = [
  `VF_add64r(S, D, ${d}, ${n}, ${m}, 0)`,
  `VF_add64r(S, D, ${d}, ${n}, ${m}, 1)`,
  `VF_mul64r(S, D, ${d}, ${n}, ${m})`,
  `VF_mac64r(S, D, ${d}, ${n}, ${m}, 0, 0)`,
  `VF_mac64r(S, D, ${d}, ${n}, ${m}, 1, 0)`,
  `VF_mac64r(S, D, ${d}, ${n}, ${m}, 0, 1)`,
  `VF_mac64r(S, D, ${d}, ${n}, ${m}, 1, 1)`,
  `VF_mul64r(S, D, ${d}, ${d}, ${m})`, // destination is an operand
];

describe('inline VFP arithmetic agrees with the vfp-fast helpers', () => {
  for (const call of CALLS) {
    test(call, () => {
      const { inline, helper, rewritten } = compile(call);
      expect(rewritten).not.toBe(call);
      const r = new Rng(call.length * 7919 + call.charCodeAt(3));
      let inlined = 0;
      for (let i = 0; i < CASES; i++) {
        const a = new Int32Array(512);
        const fa = new Float64Array(a.buffer);
        fa[d] = operand(r);
        fa[n] = operand(r);
        fa[m] = operand(r);
        a[ST.FPSCR] = i % 4 === 0 ? 0 : IXC;
        const b = a.slice();
        const fb = new Float64Array(b.buffer);
        const got = inline(a, fa);
        const want = helper(b, fb);
        const where = `${call} on ${fb[d]} ${fb[n]} ${fb[m]}`;
        expect([got, a[2 * d], a[2 * d + 1], a[ST.FPSCR]], where).toEqual([want, b[2 * d], b[2 * d + 1], b[ST.FPSCR]]);
        if (got === 1 && b[ST.FPSCR] === IXC) inlined++;
      }
      // most cases with IXC set are in range: the inline case is really exercised
      expect(inlined).toBeGreaterThan(CASES / 4);
    });
  }

  test('only these calls, with literal register numbers, are rewritten', () => {
    expect(inlineVfpArithmetic('VF_div64r(S, D, 1, 2, 3)')).toBe('VF_div64r(S, D, 1, 2, 3)');
    expect(inlineVfpArithmetic('VF_add64r(S, D, t0, 2, 3, 0)')).toBe('VF_add64r(S, D, t0, 2, 3, 0)');
    expect(inlineVfpArithmetic('VF_add32r(S, F, 1, 2, 3, 0)')).toBe('VF_add32r(S, F, 1, 2, 3, 0)');
  });
});
