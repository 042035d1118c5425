// A32 parallel add/subtract (v6): 6 kinds x 6 operations = 36 instructions from one worker.
//   <kind><op><c> <Rd>, <Rn>, <Rm>
//   kinds: S (modulo, sets GE), Q (signed saturating), SH (signed halving),
//          U (modulo, sets GE), UQ (unsigned saturating), UH (unsigned halving)
//   ops:   ADD16, ASX, SAX, SUB16, ADD8, SUB8
// Each lane is computed exactly as a JS number from the extended lanes of Rn and Rm, then
// narrowed per kind. The saturating forms never touch Q; only S and U write GE.
import type { ArmContext } from './context.js';
import { writeRd } from './multiply.js';

export type ParallelKind = 's' | 'q' | 'sh' | 'u' | 'uq' | 'uh';

export interface ParallelOp {
  name: string;
  /** Lane width in bits. */
  bits: 8 | 16;
  /** Per result lane (lowest first): [Rn lane, Rm lane, subtract]. */
  lanes: readonly (readonly [number, number, boolean])[];
}

/** Parallel operations by their op2 field (bits 7:5); 5 and 6 are unallocated. */
export const PARALLEL_OPS: readonly (ParallelOp | undefined)[] = [
  { name: 'add16', bits: 16, lanes: [[0, 0, false], [1, 1, false]] },
  { name: 'asx', bits: 16, lanes: [[0, 1, true], [1, 0, false]] },
  { name: 'sax', bits: 16, lanes: [[0, 1, false], [1, 0, true]] },
  { name: 'sub16', bits: 16, lanes: [[0, 0, true], [1, 1, true]] },
  { name: 'add8', bits: 8, lanes: [[0, 0, false], [1, 1, false], [2, 2, false], [3, 3, false]] },
  undefined,
  undefined,
  { name: 'sub8', bits: 8, lanes: [[0, 0, true], [1, 1, true], [2, 2, true], [3, 3, true]] },
];

/** Parallel kinds by their op1 field (bits 22:20); 0 and 4 are unallocated. */
export const PARALLEL_KINDS: readonly (ParallelKind | undefined)[] = [undefined, 's', 'q', 'sh', undefined, 'u', 'uq', 'uh'];

/** Lane `i` of register expression `v`, sign- or zero-extended. */
function lane(v: string, i: number, bits: number, signed: boolean): string {
  const top = 32 - bits * (i + 1);
  if (signed) return top === 0 ? `(${v} >> ${bits * i})` : `(${v} << ${top} >> ${32 - bits})`;
  if (i * bits + bits === 32) return `(${v} >>> ${bits * i})`;
  return i === 0 ? `(${v} & ${(1 << bits) - 1})` : `((${v} >>> ${bits * i}) & ${(1 << bits) - 1})`;
}

export function parallel(ctx: ArmContext, kind: ParallelKind, o: ParallelOp, d: number, n: number, m: number): boolean {
  const signed = kind === 's' || kind === 'q' || kind === 'sh';
  const bits = o.bits;
  const laneMask = (1 << bits) - 1;
  const rn = ctx.reg(n);
  const rm = ctx.reg(m);
  const values = o.lanes.map(([a, b, sub]) => ctx.let(`${lane(rn, a, bits, signed)} ${sub ? '-' : '+'} ${lane(rm, b, bits, signed)}`));
  const ge: string[] = [];
  values.forEach((v, i) => {
    const sub = o.lanes[i]![2];
    switch (kind) {
      case 's':
      case 'u': {
        // GE: signed result >= 0; unsigned add carries out; unsigned subtract does not borrow
        const geBits = bits === 16 ? 3 << (2 * i) : 1 << i;
        const test = kind === 'u' && !sub ? `${v} > ${laneMask}` : `${v} >= 0`;
        ge.push(`(${test} ? ${geBits} : 0)`);
        break;
      }
      case 'q': {
        const max = laneMask >> 1;
        ctx.emit(`if (${v} > ${max}) ${v} = ${max}; else if (${v} < ${-max - 1}) ${v} = ${-max - 1};`);
        break;
      }
      case 'uq':
        ctx.emit(`if (${v} > ${laneMask}) ${v} = ${laneMask}; else if (${v} < 0) ${v} = 0;`);
        break;
      case 'sh':
      case 'uh':
        // exact sums fit in int32, so an arithmetic shift halves with rounding down
        ctx.emit(`${v} = ${v} >> 1;`);
        break;
    }
  });
  const parts = values.map((v, i) => {
    const shift = bits * i;
    if (shift + bits === 32) return `(${v} << ${shift})`;
    return shift === 0 ? `(${v} & ${laneMask})` : `((${v} & ${laneMask}) << ${shift})`;
  });
  const result = ctx.let(parts.join(' | '));
  if (ge.length > 0) ctx.emit(`S[${ctx.s('GE')}] = ${ge.join(' | ')};`);
  writeRd(ctx, d, result);
  return true;
}
