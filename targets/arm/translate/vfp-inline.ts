// Hot regions run the commonest double-precision operations (VADD/VSUB, VMUL, VMLA & co.)
// inline once FPSCR.IXC is set: the vfp-fast.ts helpers are calls V8 stops inlining into
// a large region, and with IXC already set (sticky; set by a program's first inexact
// operation) their work is the host operation plus range checks. The inline form takes
// exactly the helper's fast case and calls the helper for everything else (IXC clear, a
// zero, NaN, infinity, a magnitude outside the checked range), so results and flags are
// the helper's. The translator's mode test (rounding, flush-to-zero, ...) stays in front.
import { S } from '../cpu-state.js';

const IXC = 1 << 4;
/** vfp-fast.ts's inRange bounds: within them a product and its error neither under- nor overflow. */
const LO = '1e-250';
const HI = '1e250';

const ARGS = String.raw`S, D, (\d+), (\d+), (\d+)`;
const ADD = new RegExp(String.raw`\bVF_add64r\(${ARGS}, ([01])\)`, 'g');
const MUL = new RegExp(String.raw`\bVF_mul64r\(${ARGS}\)`, 'g');
const MAC = new RegExp(String.raw`\bVF_mac64r\(${ARGS}, ([01]), ([01])\)`, 'g');

/** The locals the inline forms use (declared by the region when the rewrite applies). */
export const VFP_INLINE_LOCALS = ['VX', 'VY', 'VP', 'VR'];

const ixcSet = `(S[${S.FPSCR}] & ${IXC}) !== 0`;
const inRange = (v: string): string => `(${v} > ${LO} ? ${v} < ${HI} : ${v} < -${LO} && ${v} > -${HI})`;
/** VX * VY into VP, true when the helper would take it unchanged (both operands and product in range). */
const product = (n: string, m: string): string => `(VX = D[${n}], VY = D[${m}], VP = VX * VY, ${inRange('VX')} && ${inRange('VY')} && ${inRange('VP')})`;

export function inlineVfpArithmetic(code: string): string {
  if (!code.includes('VF_')) return code;
  return code
    .replace(ADD, (call, d: string, n: string, m: string, neg: string) => {
      const sum = `(VR = D[${n}] ${neg === '1' ? '-' : '+'} D[${m}]) - VR === 0`;
      return `(${ixcSet} && ${sum} ? (D[${d}] = VR, 1) : ${call})`;
    })
    .replace(MUL, (call, d: string, n: string, m: string) => `(${ixcSet} && ${product(n, m)} ? (D[${d}] = VP, 1) : ${call})`)
    .replace(MAC, (call, d: string, n: string, m: string, negAcc: string, negProduct: string) => {
      const acc = negAcc === '1' ? `-D[${d}]` : `D[${d}]`;
      const sum = `(VR = ${acc} ${negProduct === '1' ? '-' : '+'} VP) - VR === 0`;
      return `(${ixcSet} && ${product(n, m)} && ${sum} ? (D[${d}] = VR, 1) : ${call})`;
    });
}
