// T32 data processing: modified immediate (ThumbExpandImm), plain binary immediate
// (ADDW/SUBW/ADR/MOVW/MOVT, saturate, bitfields), shifted register, register-controlled
// shifts. Rows reach the A32 workers (aluOp, media.ts, saturate.ts).
// Field letters: o op, S set flags, n Rn, d Rd, m Rm, i immediate bits (all concatenated,
// e.g. i:imm3:imm8 = imm12), t shift type, v imm4 of MOVW/MOVT, w saturate/width/msb.
import type { DisasmInfo, Fields, InsnRow } from './pattern.js';
import type { ThumbContext } from '../translate/it.js';
import { imm, op, reg, shiftImm, target } from '../disasm/format.js';
import { immComment } from './a32-data-processing.js';
import { AluOp, aluOp } from '../translate/data-processing.js';
import { shiftByImm, shiftByReg } from '../translate/shift.js';
import { translateMovt, translateMovw } from '../translate/data-processing.js';
import { bitfieldExtract, bitfieldInsert, pack } from '../translate/media.js';
import { ssat, ssat16 } from '../translate/saturate.js';
import { aluThumbImm, ornOp, thumbImmValue, translateAdr, translateAddw } from '../translate/thumb.js';
import { itc } from './t16.js';

type Row = InsnRow<ThumbContext>;

function row(name: string, pattern: string, translate: Row['translate'], disasm: Row['disasm'], feature = 'thumb2'): Row {
  return { name, pattern, translate, disasm, feature };
}

interface AluSpec {
  name: string;
  opc: string;
  op: AluOp | 'ORN';
  /** Compare alias when Rd = pc and S = 1 (TST TEQ CMN CMP). */
  compare?: [string, AluOp];
  /** Move alias when Rn = pc (MOV MVN). */
  move?: [string, AluOp | 'MVN'];
  /** objdump prints ".w" (a 16-bit form exists). */
  wide: boolean;
  /** objdump prints the compare alias with ".w" (all but TEQ). */
  compareWide?: boolean;
}

const ALU: AluSpec[] = [
  { name: 'and', opc: '0000', op: AluOp.AND, compare: ['tst', AluOp.TST], wide: true },
  { name: 'bic', opc: '0001', op: AluOp.BIC, wide: true },
  { name: 'orr', opc: '0010', op: AluOp.ORR, move: ['mov', AluOp.MOV], wide: true },
  { name: 'orn', opc: '0011', op: 'ORN', move: ['mvn', 'MVN'], wide: false },
  { name: 'eor', opc: '0100', op: AluOp.EOR, compare: ['teq', AluOp.TEQ], wide: true, compareWide: false },
  { name: 'add', opc: '1000', op: AluOp.ADD, compare: ['cmn', AluOp.CMN], wide: true },
  { name: 'adc', opc: '1010', op: AluOp.ADC, wide: true },
  { name: 'sbc', opc: '1011', op: AluOp.SBC, wide: true },
  { name: 'sub', opc: '1101', op: AluOp.SUB, compare: ['cmp', AluOp.CMP], wide: true },
  { name: 'rsb', opc: '1110', op: AluOp.RSB, wide: false },
];

const s = (f: Fields) => (f.S ? 's' : '');
/** A modified immediate as objdump prints it: unsigned, with a hex comment beyond 32. */
const uimm = (v: number) => `#${v >>> 0}` + (v >>> 0 > 32 ? `\t@ 0x${(v >>> 0).toString(16)}` : '');
const w = (wide: boolean) => (wide ? '.w' : '');
const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];

/** Modified-immediate rows: 11110 i 0 oooo S nnnn 0 iii dddd iiiiiiii. */
function modifiedImmRows(): Row[] {
  const rows: Row[] = [];
  for (const a of ALU) {
    const value = (f: Fields) => uimm(thumbImmValue(f.i!));
    rows.push(row(`${a.name.toUpperCase()}_imm`, `11110 i 0 ${a.opc} S nnnn 0 iii dddd iiiiiiii`,
      (ctx, f) => aluThumbImm(a.op, f.S === 1, f.d!, f.n!, f.i!, ctx),
      (f, info) => op(a.name + s(f) + itc(info) + w(a.wide), `${reg(f.d!)}, ${reg(f.n!)}, ${value(f)}`)));
    if (a.compare) {
      const [name, cop] = a.compare;
      rows.push(row(`${name.toUpperCase()}_imm`, `11110 i 0 ${a.opc} 1 nnnn 0 iii 1111 iiiiiiii`,
        (ctx, f) => aluThumbImm(cop, true, 0, f.n!, f.i!, ctx),
        (f, info) => op(name + itc(info) + w(a.compareWide ?? true), `${reg(f.n!)}, ${value(f)}`)));
    }
    if (a.move) {
      const [name, mop] = a.move;
      rows.push(row(`${name.toUpperCase()}_imm`, `11110 i 0 ${a.opc} S 1111 0 iii dddd iiiiiiii`,
        (ctx, f) => (mop === 'MVN' ? aluThumbImm(AluOp.MVN, f.S === 1, f.d!, 0, f.i!, ctx) : aluThumbImm(mop, f.S === 1, f.d!, 0, f.i!, ctx)),
        (f, info) => op(name + s(f) + itc(info) + '.w', `${reg(f.d!)}, ${value(f)}`)));
    }
  }
  return rows;
}

/** "r1, lsl #2" style shifted register operand. */
function shifted(f: Fields): string {
  return reg(f.m!) + shiftImm(f.t!, f.i!);
}

/** Shifted-register rows: 11101 01 oooo S nnnn 0 iii dddd ii tt mmmm. */
function shiftedRegRows(): Row[] {
  const rows: Row[] = [];
  for (const a of ALU) {
    rows.push(row(`${a.name.toUpperCase()}_reg`, `11101 01 ${a.opc} S nnnn 0 iii dddd ii tt mmmm`,
      (ctx, f) => {
        const b = shiftByImm(ctx, f.m!, f.t!, f.i!);
        return a.op === 'ORN' ? ornOp(ctx, f.S === 1, f.d!, f.n!, b) : aluOp(ctx, a.op, f.S === 1, f.d!, f.n!, b);
      },
      (f, info) => op(a.name + s(f) + itc(info) + w(a.wide), `${reg(f.d!)}, ${reg(f.n!)}, ${shifted(f)}`)));
    if (a.compare) {
      const [name, cop] = a.compare;
      rows.push(row(`${name.toUpperCase()}_reg`, `11101 01 ${a.opc} 1 nnnn 0 iii 1111 ii tt mmmm`,
        (ctx, f) => aluOp(ctx, cop, true, 0, f.n!, shiftByImm(ctx, f.m!, f.t!, f.i!)),
        (f, info) => op(name + itc(info) + w(a.compareWide ?? true), `${reg(f.n!)}, ${shifted(f)}`)));
    }
    if (a.move) {
      const [name, mop] = a.move;
      rows.push(row(`${name.toUpperCase()}_reg`, `11101 01 ${a.opc} S 1111 0 iii dddd ii tt mmmm`,
        (ctx, f) => aluOp(ctx, mop === 'MVN' ? AluOp.MVN : mop, f.S === 1, f.d!, 0, shiftByImm(ctx, f.m!, f.t!, f.i!)),
        (f, info) => movShiftText(name, f, info)));
    }
  }
  // PKHBT/PKHTB Rd, Rn, Rm{, LSL/ASR #imm}
  rows.push(row('PKH', '11101 01 0110 0 nnnn 0 iii dddd ii T0 mmmm', (ctx, f) => pack(ctx, f.T!, f.d!, f.n!, f.m!, f.i!),
    (f, info) => op((f.T ? 'pkhtb' : 'pkhbt') + itc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${reg(f.m!)}` +
      (f.T ? `, asr #${f.i === 0 ? 32 : f.i}` : f.i ? `, lsl #${f.i}` : ''))));
  return rows;
}

/** MOV{S}.W / MVN{S}.W Rd, Rm{, shift} (objdump prints no shift aliases here). */
function movShiftText(name: string, f: Fields, info: DisasmInfo): string {
  return op(`${name}${s(f)}${itc(info)}.w`, `${reg(f.d!)}, ${shifted(f)}`);
}

/** Register-controlled shifts: LSL/LSR/ASR/ROR{S}.W Rd, Rn, Rm. */
function regShiftRows(): Row[] {
  return SHIFT_NAMES.map((name, t) =>
    row(`${name.toUpperCase()}_reg`, `11111 010 0 ${t.toString(2).padStart(2, '0')} S nnnn 1111 dddd 0000 mmmm`,
      (ctx, f) => aluOp(ctx, AluOp.MOV, f.S === 1, f.d!, 0, shiftByReg(ctx, f.n!, t, f.m!)),
      (f, info) => op(name + s(f) + itc(info) + '.w', `${reg(f.d!)}, ${reg(f.n!)}, ${reg(f.m!)}`)),
  );
}

/** Plain binary immediate rows: 11110 i 1 ooooo nnnn 0 iii dddd iiiiiiii. */
function plainImmRows(): Row[] {
  const sat = (f: Fields) => (f.s ? `, asr #${f.i}` : f.i ? `, lsl #${f.i}` : '');
  const adrTarget = (info: DisasmInfo, offset: number) => target(((info.pc + 4) & ~3) + offset);
  return [
    row('ADDW', '11110 i 1 0000 0 nnnn 0 iii dddd iiiiiiii', (ctx, f) => translateAddw(ctx, false, f.d!, f.n!, f.i!),
      (f, info) => op('addw' + itc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${immComment(f.i!)}`)),
    row('SUBW', '11110 i 1 0101 0 nnnn 0 iii dddd iiiiiiii', (ctx, f) => translateAddw(ctx, true, f.d!, f.n!, f.i!),
      (f, info) => op('subw' + itc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${immComment(f.i!)}`)),
    row('ADR_add', '11110 i 1 0000 0 1111 0 iii dddd iiiiiiii', (ctx, f) => translateAdr(ctx, f.d!, f.i!),
      (f, info) => op('addw' + itc(info), `${reg(f.d!)}, pc, ${immComment(f.i!)}\t@ ${adrTarget(info, f.i!)}`)),
    row('ADR_sub', '11110 i 1 0101 0 1111 0 iii dddd iiiiiiii', (ctx, f) => translateAdr(ctx, f.d!, -f.i!),
      (f, info) => op('subw' + itc(info), `${reg(f.d!)}, pc, ${immComment(f.i!)}\t@ ${adrTarget(info, -f.i!)}`)),
    row('MOVW', '11110 i 1 0010 0 vvvv 0 iii dddd iiiiiiii', (ctx, f) => f.d !== 15 && translateMovw(ctx, { d: f.d!, v: (f.v! << 12) | f.i! }),
      (f, info) => op('movw' + itc(info), `${reg(f.d!)}, ${immComment((f.v! << 12) | f.i!)}`)),
    row('MOVT', '11110 i 1 0110 0 vvvv 0 iii dddd iiiiiiii', (ctx, f) => f.d !== 15 && translateMovt(ctx, { d: f.d!, v: (f.v! << 12) | f.i! }),
      (f, info) => op('movt' + itc(info), `${reg(f.d!)}, ${immComment((f.v! << 12) | f.i!)}`)),
    // SSAT/USAT Rd, #imm, Rn{, LSL/ASR #n} (sh = 1 with a zero shift is SSAT16/USAT16)
    row('SSAT', '11110 0 1 100 s 0 nnnn 0 iii dddd ii 0 wwwww', (ctx, f) => ssat(ctx, false, f.d!, f.w!, f.n!, f.s!, f.i!),
      (f, info) => op('ssat' + itc(info), `${reg(f.d!)}, ${imm(f.w! + 1)}, ${reg(f.n!)}${sat(f)}`)),
    row('USAT', '11110 0 1 110 s 0 nnnn 0 iii dddd ii 0 wwwww', (ctx, f) => ssat(ctx, true, f.d!, f.w!, f.n!, f.s!, f.i!),
      (f, info) => op('usat' + itc(info), `${reg(f.d!)}, ${imm(f.w!)}, ${reg(f.n!)}${sat(f)}`)),
    row('SSAT16', '11110 0 1 1001 0 nnnn 0000 dddd 00 0 wwwww', (ctx, f) => ssat16(ctx, false, f.d!, f.w!, f.n!),
      (f, info) => op('ssat16' + itc(info), `${reg(f.d!)}, ${imm(f.w! + 1)}, ${reg(f.n!)}`)),
    row('USAT16', '11110 0 1 1101 0 nnnn 0000 dddd 00 0 wwwww', (ctx, f) => ssat16(ctx, true, f.d!, f.w!, f.n!),
      (f, info) => op('usat16' + itc(info), `${reg(f.d!)}, ${imm(f.w!)}, ${reg(f.n!)}`)),
    row('SBFX', '11110 0 1 1010 0 nnnn 0 iii dddd ii 0 wwwww', (ctx, f) => bitfieldExtract(ctx, true, f.d!, f.n!, f.i!, f.w!),
      (f, info) => op('sbfx' + itc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${imm(f.i!)}, ${imm(f.w! + 1)}`)),
    row('UBFX', '11110 0 1 1110 0 nnnn 0 iii dddd ii 0 wwwww', (ctx, f) => bitfieldExtract(ctx, false, f.d!, f.n!, f.i!, f.w!),
      (f, info) => op('ubfx' + itc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${imm(f.i!)}, ${imm(f.w! + 1)}`)),
    row('BFI', '11110 0 1 1011 0 nnnn 0 iii dddd ii 0 wwwww', (ctx, f) => bitfieldInsert(ctx, f.d!, f.n!, f.i!, f.w!),
      (f, info) => op('bfi' + itc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${imm(f.i!)}, ${imm(f.w! - f.i! + 1)}`)),
    row('BFC', '11110 0 1 1011 0 1111 0 iii dddd ii 0 wwwww', (ctx, f) => bitfieldInsert(ctx, f.d!, 15, f.i!, f.w!),
      (f, info) => op('bfc' + itc(info), `${reg(f.d!)}, ${imm(f.i!)}, ${imm(f.w! - f.i! + 1)}`)),
  ];
}

export const t32DataProcessingRows: Row[] = [...modifiedImmRows(), ...shiftedRegRows(), ...regShiftRows(), ...plainImmRows()];

