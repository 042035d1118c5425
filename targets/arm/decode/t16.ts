// The T16 (16-bit Thumb) instruction table: one row per encoding (name, pattern,
// translator, disassembly), reaching the A32 translators wherever the operation is the same.
// Data-processing rows set the flags only outside IT blocks (the "s" forms), except the
// compares, which always do, and the high-register ADD/MOV, which never do.
// Disassembly follows GNU objdump: "adds r0, r1, #1" outside IT, "addeq r0, r1, #1" inside.
import { Decoder, type DisasmInfo, type Fields, type InsnRow } from './pattern.js';
import type { ThumbContext } from '../translate/it.js';
import { itSuffix, translateIt } from '../translate/it.js';
import { cond, imm, op, reg, regList, target } from '../disasm/format.js';
import { immComment } from './a32-data-processing.js';
import { AluOp, aluOp } from '../translate/data-processing.js';
import { shiftByImm, shiftByReg } from '../translate/shift.js';
import * as ls from '../translate/load-store.js';
import { translateBlxReg, translateBx } from '../translate/branch.js';
import { mulAcc } from '../translate/multiply.js';
import { extend, reverse } from '../translate/media.js';
import { translateBkpt, translateNop, translateSetend, translateSvc } from '../translate/misc.js';
import {
  plain, regOperand, signExtend, thumbBranch, thumbCondBranch, translateAdr, translateCbz,
} from '../translate/thumb.js';

export type ThumbRow = InsnRow<ThumbContext>;

/** Condition suffix of an instruction inside an IT block ('' outside). */
export function itc(info: { itCond?: number }): string {
  return cond(info.itCond);
}

/** "s" for T16 flag-setting forms outside IT blocks, then the IT condition. */
function sc(info: DisasmInfo): string {
  return info.itCond === undefined ? 's' : itc(info);
}

/** T16 data processing sets flags only outside IT blocks. */
const flags = (ctx: ThumbContext) => !ctx.inIt;

function row(name: string, pattern: string, translate: ThumbRow['translate'], disasm: ThumbRow['disasm'], feature?: string): ThumbRow {
  const r: ThumbRow = { name, pattern, translate, disasm };
  if (feature !== undefined) r.feature = feature;
  return r;
}

const SHIFTS = ['lsl', 'lsr', 'asr'];

/** LSL/LSR/ASR{S} Rd, Rm, #imm5 (LSL #0 is MOVS Rd, Rm). */
function shiftImmRows(): ThumbRow[] {
  return SHIFTS.map((name, type) =>
    row(`${name.toUpperCase()}_imm`, `000 ${type.toString(2).padStart(2, '0')} iiiii mmm ddd`,
      (ctx, f) => aluOp(ctx, AluOp.MOV, flags(ctx), f.d!, 0, shiftByImm(ctx, f.m!, type, f.i!)),
      (f, info) => {
        if (type === 0 && f.i === 0) return op(`mov${sc(info)}`, `${reg(f.d!)}, ${reg(f.m!)}`);
        return op(name + sc(info), `${reg(f.d!)}, ${reg(f.m!)}, ${imm(f.i === 0 ? 32 : f.i!)}`);
      }),
  );
}

/** The 16 "data processing" operations: 010000 oooo mmm ddd. */
function dataProcessingRows(): ThumbRow[] {
  type Spec = [string, (ctx: ThumbContext, f: Fields) => boolean, (f: Fields, info: DisasmInfo) => string];
  const dn = (name: string) => (f: Fields, info: DisasmInfo) => op(name + sc(info), `${reg(f.d!)}, ${reg(f.m!)}`);
  const alu = (o: AluOp) => (ctx: ThumbContext, f: Fields) => aluOp(ctx, o, flags(ctx), f.d!, f.d!, regOperand(ctx, f.m!));
  const shift = (type: number) => (ctx: ThumbContext, f: Fields) => aluOp(ctx, AluOp.MOV, flags(ctx), f.d!, 0, shiftByReg(ctx, f.d!, type, f.m!));
  const cmp = (o: AluOp, name: string): [Spec[1], Spec[2]] => [
    (ctx, f) => aluOp(ctx, o, true, 0, f.d!, regOperand(ctx, f.m!)),
    (f, info) => op(name + itc(info), `${reg(f.d!)}, ${reg(f.m!)}`),
  ];
  const specs: Spec[] = [
    ['AND', alu(AluOp.AND), dn('and')],
    ['EOR', alu(AluOp.EOR), dn('eor')],
    ['LSL', shift(0), dn('lsl')],
    ['LSR', shift(1), dn('lsr')],
    ['ASR', shift(2), dn('asr')],
    ['ADC', alu(AluOp.ADC), dn('adc')],
    ['SBC', alu(AluOp.SBC), dn('sbc')],
    ['ROR', shift(3), dn('ror')],
    ['TST', ...cmp(AluOp.TST, 'tst')],
    // RSB{S} Rd, Rn, #0 (objdump: negs)
    ['RSB', (ctx, f) => aluOp(ctx, AluOp.RSB, flags(ctx), f.d!, f.m!, plain('0')), dn('neg')],
    ['CMP', ...cmp(AluOp.CMP, 'cmp')],
    ['CMN', ...cmp(AluOp.CMN, 'cmn')],
    ['ORR', alu(AluOp.ORR), dn('orr')],
    // MUL{S} Rdm, Rn, Rdm: N, Z from the result, C and V unchanged
    ['MUL', (ctx, f) => mulAcc(ctx, { d: f.d!, a: 0, n: f.m!, m: f.d!, s: flags(ctx) ? 1 : 0, x: 0, y: 0 }, 'none'), dn('mul')],
    ['BIC', alu(AluOp.BIC), dn('bic')],
    ['MVN', (ctx, f) => aluOp(ctx, AluOp.MVN, flags(ctx), f.d!, 0, regOperand(ctx, f.m!)), dn('mvn')],
  ];
  return specs.map(([name, translate, disasm], o) => row(`${name}_dp`, `010000 ${o.toString(2).padStart(4, '0')} mmm ddd`, translate, disasm));
}

/** Load/store (register offset): 0101 ooo mmm nnn ttt. */
function loadStoreRegRows(): ThumbRow[] {
  const forms: [string, ThumbRow['translate']][] = [
    ['str', ls.translateStrReg], ['strh', ls.translateStrhReg], ['strb', ls.translateStrbReg], ['ldrsb', ls.translateLdrsbReg],
    ['ldr', ls.translateLdrReg], ['ldrh', ls.translateLdrhReg], ['ldrb', ls.translateLdrbReg], ['ldrsh', ls.translateLdrshReg],
  ];
  return forms.map(([name, t], o) =>
    row(`${name.toUpperCase()}_reg`, `0101 ${o.toString(2).padStart(3, '0')} mmm nnn ttt`,
      (ctx, f) => t(ctx, { P: 1, U: 1, W: 0, n: f.n!, T: f.t!, m: f.m!, t: 0, i: 0 }),
      (f, info) => op(name + itc(info), `${reg(f.t!)}, [${reg(f.n!)}, ${reg(f.m!)}]`)),
  );
}

/** "[rn, #imm]" / "[rn]" of an immediate-offset access. */
function immAddr(n: number, offset: number): string {
  // objdump puts the hex comment after the closing bracket: "[sp, #72]\t@ 0x48"
  const [value, comment] = immComment(offset).split('\t');
  return `[${reg(n)}, ${value}]` + (comment === undefined ? '' : `\t${comment}`);
}

/** Load/store (immediate offset, scaled): word imm5*4, byte imm5, halfword imm5*2, SP imm8*4. */
function loadStoreImmRows(): ThumbRow[] {
  const forms: [string, string, number, ThumbRow['translate']][] = [
    ['STR', '0110 0', 4, ls.translateStrImm], ['LDR', '0110 1', 4, ls.translateLdrImm],
    ['STRB', '0111 0', 1, ls.translateStrbImm], ['LDRB', '0111 1', 1, ls.translateLdrbImm],
    ['STRH', '1000 0', 2, ls.translateStrhImm], ['LDRH', '1000 1', 2, ls.translateLdrhImm],
  ];
  const rows = forms.map(([name, bits, scale, t]) =>
    row(`${name}_imm`, `${bits} vvvvv nnn ttt`,
      (ctx, f) => t(ctx, { P: 1, U: 1, W: 0, n: f.n!, T: f.t!, v: f.v! * scale }),
      (f, info) => op(name.toLowerCase() + itc(info), `${reg(f.t!)}, ${immAddr(f.n!, f.v! * scale)}`)),
  );
  rows.push(
    row('STR_sp', '1001 0 ttt vvvvvvvv', (ctx, f) => ls.translateStrImm(ctx, { P: 1, U: 1, W: 0, n: 13, T: f.t!, v: f.v! * 4 }),
      (f, info) => op('str' + itc(info), `${reg(f.t!)}, ${immAddr(13, f.v! * 4)}`)),
    row('LDR_sp', '1001 1 ttt vvvvvvvv', (ctx, f) => ls.translateLdrImm(ctx, { P: 1, U: 1, W: 0, n: 13, T: f.t!, v: f.v! * 4 }),
      (f, info) => op('ldr' + itc(info), `${reg(f.t!)}, ${immAddr(13, f.v! * 4)}`)),
    // LDR Rt, <label>: [Align(PC, 4) + imm8 * 4]
    row('LDR_lit', '01001 ttt vvvvvvvv', (ctx, f) => ls.translateLdrImm(ctx, { P: 1, U: 1, W: 0, n: 15, T: f.t!, v: f.v! * 4 }),
      (f, info) => op('ldr' + itc(info), `${reg(f.t!)}, [pc, ${imm(f.v! * 4)}]\t@ ${target(((info.pc + 4) & ~3) + f.v! * 4)}`)),
  );
  return rows;
}

const HINTS = ['nop', 'yield', 'wfe', 'wfi', 'sev'];
const EXTENDS = ['sxth', 'sxtb', 'uxth', 'uxtb'] as const;

/** Miscellaneous 16-bit instructions: 1011 xxxx xxxx xxxx. */
function miscRows(): ThumbRow[] {
  const rows: ThumbRow[] = [
    // ADD SP, SP, #imm7*4 / SUB SP, SP, #imm7*4
    row('ADD_sp_imm', '1011 0000 0 vvvvvvv', (ctx, f) => aluOp(ctx, AluOp.ADD, false, 13, 13, plain(String(f.v! * 4))),
      (f, info) => op('add' + itc(info), `sp, ${imm(f.v! * 4)}`)),
    row('SUB_sp_imm', '1011 0000 1 vvvvvvv', (ctx, f) => aluOp(ctx, AluOp.SUB, false, 13, 13, plain(String(f.v! * 4))),
      (f, info) => op('sub' + itc(info), `sp, ${imm(f.v! * 4)}`)),
    // CBZ/CBNZ Rn, <label>
    row('CBZ', '1011 o0i1 vvvvv nnn', translateCbz,
      (f, info) => op(f.o ? 'cbnz' : 'cbz', `${reg(f.n!)}, ${target(info.pc + 4 + ((f.i! << 6) | (f.v! << 1)))}`), 'v6t2'),
    // PUSH {<registers>} = STMDB SP!, <registers>; POP = LDMIA SP!, <registers> (interworking to pc)
    row('PUSH', '1011 010 M llllllll', (ctx, f) => ls.translateStm(ctx, { P: 1, U: 0, W: 1, n: 13, l: f.l! | (f.M! << 14) }),
      (f, info) => op('push' + itc(info), regList(f.l! | (f.M! << 14)))),
    row('POP', '1011 110 P llllllll', (ctx, f) => ls.translateLdm(ctx, { P: 0, U: 1, W: 1, n: 13, l: f.l! | (f.P! << 15) }),
      (f, info) => op('pop' + itc(info), regList(f.l! | (f.P! << 15)))),
    // SETEND <endian> / CPS<effect> <iflags> (no effect in user mode)
    row('SETEND', '1011 0110 0101 E000', translateSetend, (f) => op('setend', f.E ? 'be' : 'le'), 'v6'),
    row('CPS', '1011 0110 011 m 0 aif', translateNop,
      (f) => op(f.m ? 'cpsid' : 'cpsie', (f.a ? 'a' : '') + (f.i ? 'i' : '') + (f.f ? 'f' : '')), 'v6'),
    // BKPT #<imm8>
    row('BKPT', '1011 1110 vvvvvvvv', translateBkpt, (f) => op('bkpt', `0x${f.v!.toString(16).padStart(4, '0')}`), 'v5'),
    // IT{x{y{z}}} <firstcond>
    row('IT', '1011 1111 cccc mmmm', (ctx, f) => (f.m === 0 ? translateNop() : translateIt(ctx, f)),
      (f) => op('it' + itSuffix(f.c!, f.m!), cond(f.c) || 'al'), 'v6t2'),
    // NOP/YIELD/WFE/WFI/SEV (other hint numbers execute as NOP)
    row('HINT', '1011 1111 hhhh 0000', translateNop,
      (f, info) => (HINTS[f.h!] ?? 'nop') + itc(info) + (HINTS[f.h!] ? '' : `\t{${f.h}}`), 'v6t2'),
  ];
  EXTENDS.forEach((kind, o) =>
    rows.push(row(kind.toUpperCase(), `1011 0010 ${o.toString(2).padStart(2, '0')} mmm ddd`,
      (ctx, f) => extend(ctx, kind, f.d!, 15, f.m!, 0), (f, info) => op(kind + itc(info), `${reg(f.d!)}, ${reg(f.m!)}`), 'v6')),
  );
  const revs: [string, 'rev' | 'rev16' | 'revsh'][] = [['00', 'rev'], ['01', 'rev16'], ['11', 'revsh']];
  for (const [bits, kind] of revs) {
    rows.push(row(kind.toUpperCase(), `1011 1010 ${bits} mmm ddd`, (ctx, f) => reverse(ctx, kind, f.d!, f.m!),
      (f, info) => op(kind + itc(info), `${reg(f.d!)}, ${reg(f.m!)}`), 'v6'));
  }
  return rows;
}

export const t16Rows: ThumbRow[] = [
  ...shiftImmRows(),
  // ADD/SUB{S} Rd, Rn, Rm / #imm3
  row('ADD_reg', '0001100 mmm nnn ddd', (ctx, f) => aluOp(ctx, AluOp.ADD, flags(ctx), f.d!, f.n!, regOperand(ctx, f.m!)),
    (f, info) => op('add' + sc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${reg(f.m!)}`)),
  row('SUB_reg', '0001101 mmm nnn ddd', (ctx, f) => aluOp(ctx, AluOp.SUB, flags(ctx), f.d!, f.n!, regOperand(ctx, f.m!)),
    (f, info) => op('sub' + sc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${reg(f.m!)}`)),
  row('ADD_imm3', '0001110 vvv nnn ddd', (ctx, f) => aluOp(ctx, AluOp.ADD, flags(ctx), f.d!, f.n!, plain(String(f.v))),
    (f, info) => op('add' + sc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${imm(f.v!)}`)),
  row('SUB_imm3', '0001111 vvv nnn ddd', (ctx, f) => aluOp(ctx, AluOp.SUB, flags(ctx), f.d!, f.n!, plain(String(f.v))),
    (f, info) => op('sub' + sc(info), `${reg(f.d!)}, ${reg(f.n!)}, ${imm(f.v!)}`)),
  // MOV{S} Rd, #imm8 / CMP Rn, #imm8 / ADD{S} Rdn, #imm8 / SUB{S} Rdn, #imm8
  row('MOV_imm8', '00100 ddd vvvvvvvv', (ctx, f) => aluOp(ctx, AluOp.MOV, flags(ctx), f.d!, 0, plain(String(f.v))),
    (f, info) => op('mov' + sc(info), `${reg(f.d!)}, ${immComment(f.v!)}`)),
  row('CMP_imm8', '00101 ddd vvvvvvvv', (ctx, f) => aluOp(ctx, AluOp.CMP, true, 0, f.d!, plain(String(f.v))),
    (f, info) => op('cmp' + itc(info), `${reg(f.d!)}, ${immComment(f.v!)}`)),
  row('ADD_imm8', '00110 ddd vvvvvvvv', (ctx, f) => aluOp(ctx, AluOp.ADD, flags(ctx), f.d!, f.d!, plain(String(f.v))),
    (f, info) => op('add' + sc(info), `${reg(f.d!)}, ${immComment(f.v!)}`)),
  row('SUB_imm8', '00111 ddd vvvvvvvv', (ctx, f) => aluOp(ctx, AluOp.SUB, flags(ctx), f.d!, f.d!, plain(String(f.v))),
    (f, info) => op('sub' + sc(info), `${reg(f.d!)}, ${immComment(f.v!)}`)),
  ...dataProcessingRows(),
  // ---- special data processing and branch/exchange: 010001 oo ----
  // ADD Rdn, Rm (high registers, no flags; Rdn = pc branches)
  row('ADD_hi', '010001 00 D mmmm ddd', (ctx, f) => {
    const d = (f.D! << 3) | f.d!;
    return aluOp(ctx, AluOp.ADD, false, d, d, regOperand(ctx, f.m!));
  }, (f, info) => op('add' + itc(info), `${reg((f.D! << 3) | f.d!)}, ${reg(f.m!)}`)),
  row('CMP_hi', '010001 01 N mmmm nnn', (ctx, f) => aluOp(ctx, AluOp.CMP, true, 0, (f.N! << 3) | f.n!, regOperand(ctx, f.m!)),
    (f, info) => op('cmp' + itc(info), `${reg((f.N! << 3) | f.n!)}, ${reg(f.m!)}`)),
  // MOV Rd, Rm (no flags; Rd = pc branches, staying in Thumb)
  row('MOV_hi', '010001 10 D mmmm ddd', (ctx, f) => aluOp(ctx, AluOp.MOV, false, (f.D! << 3) | f.d!, 0, regOperand(ctx, f.m!)),
    (f, info) => op('mov' + itc(info), `${reg((f.D! << 3) | f.d!)}, ${reg(f.m!)}`)),
  row('BX', '010001 110 mmmm 000', (ctx, f) => translateBx(ctx, { m: f.m! }), (f, info) => op('bx' + itc(info), reg(f.m!))),
  row('BLX_reg', '010001 111 mmmm 000', (ctx, f) => f.m !== 15 && translateBlxReg(ctx, { m: f.m! }),
    (f, info) => op('blx' + itc(info), reg(f.m!)), 'v5'),
  ...loadStoreRegRows(),
  ...loadStoreImmRows(),
  // ADR Rd, <label> (objdump: add Rd, pc, #imm) / ADD Rd, SP, #imm8*4
  row('ADR', '10100 ddd vvvvvvvv', (ctx, f) => translateAdr(ctx, f.d!, f.v! * 4),
    (f, info) => op('add' + itc(info), `${reg(f.d!)}, pc, ${imm(f.v! * 4)}\t@ (adr ${reg(f.d!)}, ${target(((info.pc + 4) & ~3) + f.v! * 4)})`)),
  row('ADD_sp_rd', '10101 ddd vvvvvvvv', (ctx, f) => aluOp(ctx, AluOp.ADD, false, f.d!, 13, plain(String(f.v! * 4))),
    (f, info) => op('add' + itc(info), `${reg(f.d!)}, sp, ${immComment(f.v! * 4)}`)),
  ...miscRows(),
  // STMIA Rn!, <registers> / LDMIA Rn{!}, <registers> (writeback unless Rn is loaded)
  row('STM', '1100 0 nnn llllllll', (ctx, f) => ls.translateStm(ctx, { P: 0, U: 1, W: 1, n: f.n!, l: f.l! }),
    (f, info) => op('stmia' + itc(info), `${reg(f.n!)}!, ${regList(f.l!)}`)),
  row('LDM', '1100 1 nnn llllllll', (ctx, f) => ls.translateLdm(ctx, { P: 0, U: 1, W: (f.l! >> f.n!) & 1 ? 0 : 1, n: f.n!, l: f.l! }),
    (f, info) => op('ldmia' + itc(info), `${reg(f.n!)}${(f.l! >> f.n!) & 1 ? '' : '!'}, ${regList(f.l!)}`)),
  // B<c> <label> (cond 1110 is UDF, 1111 is SVC)
  row('B_cond', '1101 cccc vvvvvvvv', (ctx, f) => f.c! < 14 && thumbCondBranch(ctx, f.c!, signExtend(f.v!, 8) * 2),
    (f, info) => op(`b${cond(f.c)}.n`, target(info.pc + 4 + signExtend(f.v!, 8) * 2))),
  // UDF #<imm8> (permanently undefined)
  row('UDF', '1101 1110 vvvvvvvv', () => false, (f) => op('udf', imm(f.v!))),
  // SVC #<imm8>
  row('SVC', '1101 1111 vvvvvvvv', translateSvc, (f, info) => op('svc' + itc(info), String(f.v))),
  // B <label>
  row('B', '11100 vvvvvvvvvvv', (ctx, f) => thumbBranch(ctx, signExtend(f.v!, 11) * 2),
    (f, info) => op(`b${itc(info)}.n`, target(info.pc + 4 + signExtend(f.v!, 11) * 2))),
];

export const t16Decoder = new Decoder(t16Rows, 16);
