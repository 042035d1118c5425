// T32 branches and miscellaneous control (B/B<c>.W, BL, BLX to ARM, MSR/MRS, hints,
// barriers, CLREX, UDF.W), data processing (register) (extend, parallel add/subtract,
// QADD..., REV/RBIT/CLZ/SEL), multiply and long multiply/divide. Rows reach the A32
// workers (misc.ts, media.ts, parallel.ts, saturate.ts, multiply.ts).
import type { Fields, InsnRow } from './pattern.js';
import type { ThumbContext } from '../translate/it.js';
import { cond, imm, op, reg, target } from '../disasm/format.js';
import * as M from '../translate/multiply.js';
import type { MulArgs } from '../translate/multiply.js';
import { translateBx } from '../translate/branch.js';
import { translateClrex, translateClz, translateMrs, translateMsrReg, translateNop } from '../translate/misc.js';
import { extend, reverse, sel, usad8, type ExtendOp } from '../translate/media.js';
import { PARALLEL_KINDS, PARALLEL_OPS, parallel } from '../translate/parallel.js';
import { qaddsub } from '../translate/saturate.js';
import { condBranchOffset, thumbBl, thumbBlxImm, thumbBranch, thumbCondBranch, wideBranchOffset } from '../translate/thumb.js';
import { itc } from './t16.js';

type Row = InsnRow<ThumbContext>;

function row(name: string, pattern: string, translate: Row['translate'], disasm: Row['disasm'], feature = 'thumb2'): Row {
  return { name, pattern, translate, disasm, feature };
}

const HINTS = ['nop', 'yield', 'wfe', 'wfi', 'sev'];
const BARRIER_OPTIONS: Record<number, string> = {
  15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'nsh', 6: 'nshst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld',
};

function branchRows(): Row[] {
  return [
    // B<c>.W <label> (cond 111x is the miscellaneous control space)
    row('B_cond_w', '11110 S cccc vvvvvv 10 J 0 K wwwwwwwwwww', (ctx, f) => f.c! < 14 && thumbCondBranch(ctx, f.c!, condBranchOffset(f)),
      (f, info) => op(`b${cond(f.c)}.w`, target(info.pc + 4 + condBranchOffset(f)))),
    // B.W <label>
    row('B_w', '11110 S vvvvvvvvvv 10 J 1 K wwwwwwwwwww', (ctx, f) => thumbBranch(ctx, wideBranchOffset(f)),
      (f, info) => op(`b${itc(info)}.w`, target(info.pc + 4 + wideBranchOffset(f)))),
    // BL <label> (v4T: also without thumb2)
    row('BL', '11110 S vvvvvvvvvv 11 J 1 K wwwwwwwwwww', (ctx, f) => thumbBl(ctx, wideBranchOffset(f)),
      (f, info) => op(`bl${itc(info)}`, target(info.pc + 4 + wideBranchOffset(f))), 'thumb'),
    // BLX <label>: to ARM state at Align(PC, 4) + offset (H = 1 is UNDEFINED)
    row('BLX_imm', '11110 S vvvvvvvvvv 11 J 0 K wwwwwwwwww 0', (ctx, f) => thumbBlxImm(ctx, wideBranchOffset({ ...f, w: f.w! << 1 })),
      (f, info) => op(`blx${itc(info)}`, target(((info.pc + 4) & ~3) + wideBranchOffset({ ...f, w: f.w! << 1 }))), 'v5'),
  ];
}

function controlRows(): Row[] {
  const psr = (mask: number) => 'CPSR_' + (mask & 8 ? 'f' : '') + (mask & 4 ? 's' : '');
  return [
    // MSR<c> APSR_<fields>, Rn (mask bits 11:10: nzcvq, g; bits 9:8 select system fields)
    row('MSR', '1111 0011 1000 nnnn 1000 mm00 0000 0000', (ctx, f) => f.m !== 0 && translateMsrReg(ctx, { R: 0, n: f.n!, m: f.m! << 2 }),
      (f, info) => op('msr' + itc(info), `${psr(f.m! << 2)}, ${reg(f.n!)}`)),
    // MRS<c> Rd, APSR
    row('MRS', '1111 0011 1110 1111 1000 dddd 0000 0000', (ctx, f) => f.d !== 13 && translateMrs(ctx, { R: 0, d: f.d! }),
      (f, info) => op('mrs' + itc(info), `${reg(f.d!)}, CPSR`)),
    // NOP.W / YIELD.W / WFE.W / WFI.W / SEV.W / DBG #<option>
    row('HINT_w', '1111 0011 1010 1111 1000 0000 hhhh hhhh', translateNop, (f, info) => {
      const h = f.h!;
      if (h >= 0xf0) return op('dbg' + itc(info), imm(h & 15));
      return HINTS[h] ? `${HINTS[h]}${itc(info)}.w` : op('nop' + itc(info) + '.w', `{${h}}`);
    }),
    // CLREX / DSB / DMB / ISB
    row('CLREX', '1111 0011 1011 1111 1000 1111 0010 1111', translateClrex, () => 'clrex', 'v7'),
    row('DSB', '1111 0011 1011 1111 1000 1111 0100 oooo', translateNop, (f) => op('dsb', BARRIER_OPTIONS[f.o!] ?? imm(f.o!)), 'v7'),
    row('DMB', '1111 0011 1011 1111 1000 1111 0101 oooo', translateNop, (f) => op('dmb', BARRIER_OPTIONS[f.o!] ?? imm(f.o!)), 'v7'),
    row('ISB', '1111 0011 1011 1111 1000 1111 0110 oooo', translateNop, (f) => op('isb', f.o === 15 ? 'sy' : imm(f.o!)), 'v7'),
    // BXJ<c> Rm: no Jazelle, so BX
    row('BXJ', '1111 0011 1100 mmmm 1000 1111 0000 0000', (ctx, f) => translateBx(ctx, { m: f.m! }), (f, info) => op('bxj' + itc(info), reg(f.m!))),
    // UDF.W #<imm16>
    row('UDF_w', '1111 0111 1111 iiii 1010 iiii iiii iiii', () => false, (f) => op('udf.w', imm(f.i!))),
  ];
}

/** Extend (and add): 1111 1010 0ooo nnnn 1111 dddd 10rr mmmm; Rn = pc: no add. */
function extendRows(): Row[] {
  const ops: [string, ExtendOp][] = [['000', 'sxth'], ['001', 'uxth'], ['010', 'sxtb16'], ['011', 'uxtb16'], ['100', 'sxtb'], ['101', 'uxtb']];
  const ror = (r: number) => (r ? `, ror #${r * 8}` : '');
  return ops.flatMap(([o, kind]) => {
    const add = kind.replace('xt', 'xta');
    const wide = kind.length === 4; // sxth/uxth/sxtb/uxtb have 16-bit forms
    return [
      row(kind.toUpperCase() + '_w', `1111 1010 0${o} 1111 1111 dddd 10rr mmmm`, (ctx, f) => extend(ctx, kind, f.d!, 15, f.m!, f.r!),
        (f, info) => op(kind + itc(info) + (wide ? '.w' : ''), `${reg(f.d!)}, ${reg(f.m!)}${ror(f.r!)}`)),
      row(add.toUpperCase(), `1111 1010 0${o} nnnn 1111 dddd 10rr mmmm`, (ctx, f) => extend(ctx, kind, f.d!, f.n!, f.m!, f.r!),
        (f, info) => op(add + itc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${reg(f.m!)}${ror(f.r!)}`)),
    ];
  });
}

/** Parallel add/subtract: 1111 1010 1ooo nnnn 1111 dddd 0kkk mmmm. */
function parallelRows(): Row[] {
  // T32 op1 (hw1 6:4) -> the A32 op2 index of PARALLEL_OPS; prefix (hw2 6:4) + 1 -> PARALLEL_KINDS
  const opIndex: Record<string, number> = { '001': 0, '010': 1, '110': 2, '101': 3, '000': 4, '100': 7 };
  const rows: Row[] = [];
  for (const [o, index] of Object.entries(opIndex)) {
    const pop = PARALLEL_OPS[index]!;
    for (let k = 0; k < 7; k++) {
      const kind = PARALLEL_KINDS[k + 1];
      if (kind === undefined || k === 3) continue;
      const name = kind + pop.name;
      rows.push(row(name.toUpperCase(), `1111 1010 1${o} nnnn 1111 dddd 0${k.toString(2).padStart(3, '0')} mmmm`,
        (ctx, f) => parallel(ctx, kind, pop, f.d!, f.n!, f.m!),
        (f, info) => op(name + itc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${reg(f.m!)}`)));
    }
  }
  return rows;
}

/** Miscellaneous operations: 1111 1010 10oo nnnn 1111 dddd 10pp mmmm. */
function miscOpRows(): Row[] {
  const dmn = (name: string) => (f: Fields, info: { itCond?: number }) => op(name + itc(info), `${reg(f.d!)}, ${reg(f.m!)}, ${reg(f.n!)}`);
  const dm = (name: string, wide = false) => (f: Fields, info: { itCond?: number }) => op(name + itc(info) + (wide ? '.w' : ''), `${reg(f.d!)}, ${reg(f.m!)}`);
  // Rm is encoded twice (hw1 and hw2) for the one-operand forms; they must agree
  const same = (t: (ctx: ThumbContext, f: Fields) => boolean) => (ctx: ThumbContext, f: Fields) => f.n === f.m && t(ctx, f);
  return [
    row('QADD', '1111 1010 1000 nnnn 1111 dddd 1000 mmmm', (ctx, f) => qaddsub(ctx, false, false, f.d!, f.m!, f.n!), dmn('qadd')),
    row('QDADD', '1111 1010 1000 nnnn 1111 dddd 1001 mmmm', (ctx, f) => qaddsub(ctx, false, true, f.d!, f.m!, f.n!), dmn('qdadd')),
    row('QSUB', '1111 1010 1000 nnnn 1111 dddd 1010 mmmm', (ctx, f) => qaddsub(ctx, true, false, f.d!, f.m!, f.n!), dmn('qsub')),
    row('QDSUB', '1111 1010 1000 nnnn 1111 dddd 1011 mmmm', (ctx, f) => qaddsub(ctx, true, true, f.d!, f.m!, f.n!), dmn('qdsub')),
    row('REV_w', '1111 1010 1001 nnnn 1111 dddd 1000 mmmm', same((ctx, f) => reverse(ctx, 'rev', f.d!, f.m!)), dm('rev', true)),
    row('REV16_w', '1111 1010 1001 nnnn 1111 dddd 1001 mmmm', same((ctx, f) => reverse(ctx, 'rev16', f.d!, f.m!)), dm('rev16', true)),
    row('RBIT', '1111 1010 1001 nnnn 1111 dddd 1010 mmmm', same((ctx, f) => reverse(ctx, 'rbit', f.d!, f.m!)), dm('rbit')),
    row('REVSH_w', '1111 1010 1001 nnnn 1111 dddd 1011 mmmm', same((ctx, f) => reverse(ctx, 'revsh', f.d!, f.m!)), dm('revsh', true)),
    row('SEL', '1111 1010 1010 nnnn 1111 dddd 1000 mmmm', (ctx, f) => sel(ctx, f.d!, f.n!, f.m!),
      (f, info) => op('sel' + itc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${reg(f.m!)}`)),
    row('CLZ', '1111 1010 1011 nnnn 1111 dddd 1000 mmmm', same((ctx, f) => translateClz(ctx, { d: f.d!, m: f.m! })), dm('clz')),
  ];
}

// ---- multiplies: fields d = Rd/RdHi, a = Ra/RdLo, n, m, x/y halves (x also X/R) ----

function mulRow(name: string, pattern: string, translate: (ctx: ThumbContext, a: MulArgs) => boolean, text: (a: MulArgs) => string, operands: 'dnm' | 'dnma' | 'long', feature = 'thumb2', wide = ''): Row {
  const args = (f: Fields): MulArgs => ({ d: f.d!, a: f.a ?? 0, n: f.n!, m: f.m!, s: 0, x: f.x ?? 0, y: f.y ?? 0 });
  return row(name, pattern, (ctx, f) => translate(ctx, args(f)), (f, info) => {
    const a = args(f);
    const ops = operands === 'dnm' ? `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}`
      : operands === 'dnma' ? `${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}, ${reg(a.a)}`
      : `${reg(a.a)}, ${reg(a.d)}, ${reg(a.n)}, ${reg(a.m)}`;
    return op(text(a) + itc(info) + wide, ops);
  }, feature);
}

const bt = (v: number) => (v ? 't' : 'b');
const xs = (base: string, suffix: string) => (a: MulArgs) => base + (a.x ? suffix : '');
const fixed = (base: string) => () => base;

function multiplyRows(): Row[] {
  return [
    mulRow('MUL_w', '1111 1011 0000 nnnn 1111 dddd 0000 mmmm', (c, a) => M.mulAcc(c, a, 'none'), fixed('mul'), 'dnm', 'thumb2', '.w'),
    mulRow('MLA', '1111 1011 0000 nnnn aaaa dddd 0000 mmmm', (c, a) => M.mulAcc(c, a, 'add'), fixed('mla'), 'dnma'),
    mulRow('MLS', '1111 1011 0000 nnnn aaaa dddd 0001 mmmm', (c, a) => M.mulAcc(c, a, 'sub'), fixed('mls'), 'dnma'),
    mulRow('SMULxy', '1111 1011 0001 nnnn 1111 dddd 00xy mmmm', (c, a) => M.smulxy(c, a, false), (a) => `smul${bt(a.x)}${bt(a.y)}`, 'dnm'),
    mulRow('SMLAxy', '1111 1011 0001 nnnn aaaa dddd 00xy mmmm', (c, a) => M.smulxy(c, a, true), (a) => `smla${bt(a.x)}${bt(a.y)}`, 'dnma'),
    mulRow('SMUAD', '1111 1011 0010 nnnn 1111 dddd 000x mmmm', (c, a) => M.smlad(c, a, false, false), xs('smuad', 'x'), 'dnm'),
    mulRow('SMLAD', '1111 1011 0010 nnnn aaaa dddd 000x mmmm', (c, a) => M.smlad(c, a, false, true), xs('smlad', 'x'), 'dnma'),
    mulRow('SMULWy', '1111 1011 0011 nnnn 1111 dddd 000y mmmm', (c, a) => M.smulwy(c, a, false), (a) => `smulw${bt(a.y)}`, 'dnm'),
    mulRow('SMLAWy', '1111 1011 0011 nnnn aaaa dddd 000y mmmm', (c, a) => M.smulwy(c, a, true), (a) => `smlaw${bt(a.y)}`, 'dnma'),
    mulRow('SMUSD', '1111 1011 0100 nnnn 1111 dddd 000x mmmm', (c, a) => M.smlad(c, a, true, false), xs('smusd', 'x'), 'dnm'),
    mulRow('SMLSD', '1111 1011 0100 nnnn aaaa dddd 000x mmmm', (c, a) => M.smlad(c, a, true, true), xs('smlsd', 'x'), 'dnma'),
    mulRow('SMMUL', '1111 1011 0101 nnnn 1111 dddd 000x mmmm', (c, a) => M.smmla(c, a, 'mul'), xs('smmul', 'r'), 'dnm'),
    mulRow('SMMLA', '1111 1011 0101 nnnn aaaa dddd 000x mmmm', (c, a) => M.smmla(c, a, 'add'), xs('smmla', 'r'), 'dnma'),
    mulRow('SMMLS', '1111 1011 0110 nnnn aaaa dddd 000x mmmm', (c, a) => M.smmla(c, a, 'sub'), xs('smmls', 'r'), 'dnma'),
    mulRow('USAD8', '1111 1011 0111 nnnn 1111 dddd 0000 mmmm', (c, a) => usad8(c, a.d, a.n, a.m, 15), fixed('usad8'), 'dnm'),
    mulRow('USADA8', '1111 1011 0111 nnnn aaaa dddd 0000 mmmm', (c, a) => usad8(c, a.d, a.n, a.m, a.a), fixed('usada8'), 'dnma'),
    // long multiplies (a = RdLo, d = RdHi) and divide
    mulRow('SMULL', '1111 1011 1000 nnnn aaaa dddd 0000 mmmm', (c, a) => M.mulLong(c, a, true, false), fixed('smull'), 'long'),
    mulRow('SDIV', '1111 1011 1001 nnnn 1111 dddd 1111 mmmm', (c, a) => M.divide(c, a, true), fixed('sdiv'), 'dnm', 'idiv'),
    mulRow('UMULL', '1111 1011 1010 nnnn aaaa dddd 0000 mmmm', (c, a) => M.mulLong(c, a, false, false), fixed('umull'), 'long'),
    mulRow('UDIV', '1111 1011 1011 nnnn 1111 dddd 1111 mmmm', (c, a) => M.divide(c, a, false), fixed('udiv'), 'dnm', 'idiv'),
    mulRow('SMLAL', '1111 1011 1100 nnnn aaaa dddd 0000 mmmm', (c, a) => M.mulLong(c, a, true, true), fixed('smlal'), 'long'),
    mulRow('SMLALxy', '1111 1011 1100 nnnn aaaa dddd 10xy mmmm', (c, a) => M.smlalxy(c, a), (a) => `smlal${bt(a.x)}${bt(a.y)}`, 'long'),
    mulRow('SMLALD', '1111 1011 1100 nnnn aaaa dddd 110x mmmm', (c, a) => M.smlald(c, a, false), xs('smlald', 'x'), 'long'),
    mulRow('SMLSLD', '1111 1011 1101 nnnn aaaa dddd 110x mmmm', (c, a) => M.smlald(c, a, true), xs('smlsld', 'x'), 'long'),
    mulRow('UMLAL', '1111 1011 1110 nnnn aaaa dddd 0000 mmmm', (c, a) => M.mulLong(c, a, false, true), fixed('umlal'), 'long'),
    mulRow('UMAAL', '1111 1011 1110 nnnn aaaa dddd 0110 mmmm', (c, a) => M.umaal(c, a), fixed('umaal'), 'long'),
  ];
}

export const t32MiscRows: Row[] = [
  ...branchRows(),
  ...controlRows(),
  ...extendRows(),
  ...parallelRows(),
  ...miscOpRows(),
  ...multiplyRows(),
];
