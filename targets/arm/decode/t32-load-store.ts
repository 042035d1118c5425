// T32 loads and stores: single (imm12, imm8 with P/U/W, T variants, register, literal,
// preload hints), multiple (LDM/STM IA/DB, PUSH.W/POP.W), dual (LDRD/STRD incl. literal),
// exclusive (LDREX*/STREX*) and table branch (TBB/TBH). Rows reach load-store.ts.
// Field letters: n Rn, t Rt, T Rt2, d Rd (exclusive status), m Rm, i imm, P U W, l list.
import type { DisasmInfo, Fields, InsnRow } from './pattern.js';
import type { ThumbContext } from '../translate/it.js';
import { imm, op, reg, regList, target } from '../disasm/format.js';
import * as ls from '../translate/load-store.js';
import { translateNop } from '../translate/misc.js';
import { translateTableBranch } from '../translate/thumb.js';
import { itc } from './t16.js';

type Row = InsnRow<ThumbContext>;
type Translate = Row['translate'];

function row(name: string, pattern: string, translate: Translate, disasm: Row['disasm'], feature = 'thumb2'): Row {
  return { name, pattern, translate, disasm, feature };
}

interface SingleSpec {
  name: string;
  /** hw1 bits 8 (sign), 6:5 (size), 4 (load). */
  S: string;
  sz: string;
  L: string;
  imm: Translate;
  reg: Translate;
  /** Preload hint that replaces the load when Rt = pc. */
  hint?: string;
}

const SINGLE: SingleSpec[] = [
  { name: 'strb', S: '0', sz: '00', L: '0', imm: ls.translateStrbImm, reg: ls.translateStrbReg },
  { name: 'strh', S: '0', sz: '01', L: '0', imm: ls.translateStrhImm, reg: ls.translateStrhReg },
  { name: 'str', S: '0', sz: '10', L: '0', imm: ls.translateStrImm, reg: ls.translateStrReg },
  { name: 'ldrb', S: '0', sz: '00', L: '1', imm: ls.translateLdrbImm, reg: ls.translateLdrbReg, hint: 'pld' },
  { name: 'ldrh', S: '0', sz: '01', L: '1', imm: ls.translateLdrhImm, reg: ls.translateLdrhReg, hint: 'pldw' },
  { name: 'ldr', S: '0', sz: '10', L: '1', imm: ls.translateLdrImm, reg: ls.translateLdrReg },
  { name: 'ldrsb', S: '1', sz: '00', L: '1', imm: ls.translateLdrsbImm, reg: ls.translateLdrsbReg, hint: 'pli' },
  { name: 'ldrsh', S: '1', sz: '01', L: '1', imm: ls.translateLdrshImm, reg: ls.translateLdrshReg, hint: 'nop' },
];

/** Stores with Rn = pc are UNDEFINED. */
function guard(spec: SingleSpec, t: Translate): Translate {
  return spec.L === '0' ? (ctx, f) => f.n !== 15 && t(ctx, f) : t;
}

function addrImm(n: number, offset: number, P: number, W: number, info: DisasmInfo): string {
  const text = !P ? `[${reg(n)}], ${imm(offset)}` : offset === 0 && !W ? `[${reg(n)}]` : `[${reg(n)}, ${imm(offset)}]${W ? '!' : ''}`;
  if (n === 15) return `${text}\t@ ${target(((info.pc + 4) & ~3) + offset)}`;
  return P && offset > 32 ? `${text}\t@ 0x${(offset >>> 0).toString(16)}` : text;
}

function singleRows(): Row[] {
  const rows: Row[] = [];
  for (const spec of SINGLE) {
    const hw1 = `1111 100${spec.S} `;
    const tail = `${spec.sz}${spec.L}`;
    const upper = spec.name.toUpperCase();
    const tI = guard(spec, spec.imm);
    // <op>.W Rt, [Rn, #imm12]
    rows.push(row(`${upper}_imm12`, `${hw1}1 ${tail} nnnn tttt iiiiiiiiiiii`,
      (ctx, f) => tI(ctx, { P: 1, U: 1, W: 0, n: f.n!, T: f.t!, v: f.i! }),
      (f, info) => op(spec.name + itc(info) + '.w', `${reg(f.t!)}, ${addrImm(f.n!, f.i!, 1, 0, info)}`)));
    // <op> Rt, [Rn, #-imm8] / [Rn], #±imm8 / [Rn, #±imm8]! ; <op>T Rt, [Rn, #imm8]
    rows.push(row(`${upper}_imm8_neg`, `${hw1}0 ${tail} nnnn tttt 1100 iiiiiiii`,
      (ctx, f) => tI(ctx, { P: 1, U: 0, W: 0, n: f.n!, T: f.t!, v: f.i! }),
      (f, info) => op(spec.name + itc(info) + '.w', `${reg(f.t!)}, ${addrImm(f.n!, -f.i!, 1, 0, info)}`)));
    rows.push(row(`${upper}T`, `${hw1}0 ${tail} nnnn tttt 1110 iiiiiiii`,
      (ctx, f) => tI(ctx, { P: 1, U: 1, W: 0, n: f.n!, T: f.t!, v: f.i! }),
      (f, info) => op(spec.name + 't' + itc(info), `${reg(f.t!)}, ${addrImm(f.n!, f.i!, 1, 0, info)}`)));
    rows.push(row(`${upper}_imm8_wb`, `${hw1}0 ${tail} nnnn tttt 1PU1 iiiiiiii`,
      (ctx, f) => tI(ctx, { P: f.P!, U: f.U!, W: 1, n: f.n!, T: f.t!, v: f.i! }),
      (f, info) => op(spec.name + itc(info) + '.w', `${reg(f.t!)}, ${addrImm(f.n!, f.U ? f.i! : -f.i!, f.P!, 1, info)}`)));
    // <op>.W Rt, [Rn, Rm{, LSL #imm2}]
    rows.push(row(`${upper}_reg`, `${hw1}0 ${tail} nnnn tttt 0000 00ii mmmm`,
      (ctx, f) => guard(spec, spec.reg)(ctx, { P: 1, U: 1, W: 0, n: f.n!, T: f.t!, m: f.m!, t: 0, i: f.i! }),
      (f, info) => op(spec.name + itc(info) + '.w', `${reg(f.t!)}, [${reg(f.n!)}, ${reg(f.m!)}${f.i ? `, lsl #${f.i}` : ''}]`)));
    if (spec.L === '1') {
      // <op>.W Rt, <label>: [Align(PC, 4) ± imm12]
      rows.push(row(`${upper}_lit`, `${hw1}U ${tail} 1111 tttt iiiiiiiiiiii`,
        (ctx, f) => spec.imm(ctx, { P: 1, U: f.U!, W: 0, n: 15, T: f.t!, v: f.i! }),
        (f, info) => op(spec.name + itc(info) + '.w', `${reg(f.t!)}, ${addrImm(15, f.U ? f.i! : -f.i!, 1, 0, info)}`)));
    }
    if (spec.hint) {
      const h = spec.hint;
      const feature = h === 'pld' ? 'thumb2' : 'v7';
      rows.push(
        row(`${h.toUpperCase()}_imm12`, `${hw1}1 ${tail} nnnn 1111 iiiiiiiiiiii`, translateNop,
          (f, info) => op(h, addrImm(f.n!, f.i!, 1, 0, info)), feature),
        row(`${h.toUpperCase()}_imm8`, `${hw1}0 ${tail} nnnn 1111 1100 iiiiiiii`, translateNop,
          (f, info) => op(h, addrImm(f.n!, -f.i!, 1, 0, info)), feature),
        row(`${h.toUpperCase()}_reg`, `${hw1}0 ${tail} nnnn 1111 0000 00ii mmmm`, translateNop,
          (f) => op(h, `[${reg(f.n!)}, ${reg(f.m!)}${f.i ? `, lsl #${f.i}` : ''}]`), feature),
        row(`${h.toUpperCase()}_lit`, `${hw1}U ${tail} 1111 1111 iiiiiiiiiiii`, translateNop,
          (f, info) => op(h, addrImm(15, f.U ? f.i! : -f.i!, 1, 0, info)), feature),
      );
    }
  }
  return rows;
}

function multipleRows(): Row[] {
  const list = (f: Fields) => f.l! | (f.M! << 14) | ((f.P ?? 0) << 15);
  const wb = (f: Fields) => (f.W ? '!' : '');
  return [
    // STM{IA}.W Rn{!}, <registers> / STMDB Rn{!} (PUSH.W)
    row('STM_w', '1110 1000 10W0 nnnn 0M0l llll llll llll', (ctx, f) => ls.translateStm(ctx, { P: 0, U: 1, W: f.W!, n: f.n!, l: list(f) }),
      (f, info) => op('stmia' + itc(info) + '.w', `${reg(f.n!)}${wb(f)}, ${regList(list(f))}`)),
    row('STMDB', '1110 1001 00W0 nnnn 0M0l llll llll llll', (ctx, f) => ls.translateStm(ctx, { P: 1, U: 0, W: f.W!, n: f.n!, l: list(f) }),
      (f, info) => op('stmdb' + itc(info), `${reg(f.n!)}${wb(f)}, ${regList(list(f))}`)),
    // LDM{IA}.W Rn{!}, <registers> (POP.W) / LDMDB Rn{!}; pc in the list interworks
    row('LDM_w', '1110 1000 10W1 nnnn PM0l llll llll llll', (ctx, f) => !(f.P && f.M) && ls.translateLdm(ctx, { P: 0, U: 1, W: f.W!, n: f.n!, l: list(f) }),
      (f, info) => op('ldmia' + itc(info) + '.w', `${reg(f.n!)}${wb(f)}, ${regList(list(f))}`)),
    row('LDMDB', '1110 1001 00W1 nnnn PM0l llll llll llll', (ctx, f) => !(f.P && f.M) && ls.translateLdm(ctx, { P: 1, U: 0, W: f.W!, n: f.n!, l: list(f) }),
      (f, info) => op('ldmdb' + itc(info), `${reg(f.n!)}${wb(f)}, ${regList(list(f))}`)),
  ];
}

function dualRows(): Row[] {
  const args = (f: Fields, P: number, W: number) => ({ P, U: f.U!, W, n: f.n!, T: f.t!, T2: f.T!, v: f.i! * 4 });
  const text = (name: string, P: number, W: number) => (f: Fields, info: DisasmInfo) =>
    op(name + itc(info), `${reg(f.t!)}, ${reg(f.T!)}, ${addrImm(f.n!, (f.U ? 1 : -1) * f.i! * 4, P, W, info)}`);
  // LDRD/STRD Rt, Rt2, [Rn, #±imm8*4]{!} / [Rn], #±imm8*4 / <label>
  // Rt = Rt2, a pc destination, or a literal with writeback are UNPREDICTABLE: SIGILL
  const ldrd = (P: number, W: number): Translate => (ctx, f) =>
    f.t !== f.T && f.t !== 15 && f.T !== 15 && (f.n !== 15 || W === 0) && ls.translateLdrdImm(ctx, args(f, P, W));
  const strd = (P: number, W: number): Translate => (ctx, f) => f.n !== 15 && ls.translateStrdImm(ctx, args(f, P, W));
  return [
    row('STRD_pre', '1110 1001 U1W0 nnnn tttt TTTT iiiiiiii', (ctx, f) => strd(1, f.W!)(ctx, f), (f, info) => text('strd', 1, f.W!)(f, info)),
    row('STRD_post', '1110 1000 U110 nnnn tttt TTTT iiiiiiii', strd(0, 1), text('strd', 0, 1)),
    row('LDRD_pre', '1110 1001 U1W1 nnnn tttt TTTT iiiiiiii', (ctx, f) => ldrd(1, f.W!)(ctx, f), (f, info) => text('ldrd', 1, f.W!)(f, info)),
    row('LDRD_post', '1110 1000 U111 nnnn tttt TTTT iiiiiiii', ldrd(0, 1), text('ldrd', 0, 1)),
  ];
}

function exclusiveRows(): Row[] {
  const addr = (f: Fields) => (f.i ? `[${reg(f.n!)}, ${imm(f.i * 4)}]` : `[${reg(f.n!)}]`);
  const rows: Row[] = [
    // LDREX Rt, [Rn{, #imm8*4}] / STREX Rd, Rt, [Rn{, #imm8*4}]
    row('LDREX', '1110 1000 0101 nnnn tttt 1111 iiiiiiii', (ctx, f) => ls.translateLdrex('w')(ctx, { n: f.n!, T: f.t!, v: f.i! * 4 }),
      (f, info) => op('ldrex' + itc(info), `${reg(f.t!)}, ${addr(f)}`)),
    row('STREX', '1110 1000 0100 nnnn tttt dddd iiiiiiii', (ctx, f) => ls.translateStrex('w')(ctx, { n: f.n!, T: f.t!, d: f.d!, v: f.i! * 4 }),
      (f, info) => op('strex' + itc(info), `${reg(f.d!)}, ${reg(f.t!)}, ${addr(f)}`)),
    // LDREXD Rt, Rt2, [Rn] / STREXD Rd, Rt, Rt2, [Rn]
    row('LDREXD', '1110 1000 1101 nnnn tttt TTTT 0111 1111', (ctx, f) => ls.translateLdrexd(ctx, { n: f.n!, T: f.t!, T2: f.T! }),
      (f, info) => op('ldrexd' + itc(info), `${reg(f.t!)}, ${reg(f.T!)}, [${reg(f.n!)}]`)),
    row('STREXD', '1110 1000 1100 nnnn tttt TTTT 0111 dddd', (ctx, f) => ls.translateStrexd(ctx, { n: f.n!, T: f.t!, T2: f.T!, d: f.d! }),
      (f, info) => op('strexd' + itc(info), `${reg(f.d!)}, ${reg(f.t!)}, ${reg(f.T!)}, [${reg(f.n!)}]`)),
    // TBB [Rn, Rm] / TBH [Rn, Rm, lsl #1]
    row('TBB', '1110 1000 1101 nnnn 1111 0000 0000 mmmm', translateTableBranch(false),
      (f, info) => op('tbb' + itc(info), `[${reg(f.n!)}, ${reg(f.m!)}]`)),
    row('TBH', '1110 1000 1101 nnnn 1111 0000 0001 mmmm', translateTableBranch(true),
      (f, info) => op('tbh' + itc(info), `[${reg(f.n!)}, ${reg(f.m!)}, lsl #1]`)),
  ];
  for (const [suffix, size, bits] of [['b', 'b', '0100'], ['h', 'h', '0101']] as const) {
    rows.push(
      row(`LDREX${suffix.toUpperCase()}`, `1110 1000 1101 nnnn tttt 1111 ${bits} 1111`, (ctx, f) => ls.translateLdrex(size)(ctx, { n: f.n!, T: f.t! }),
        (f, info) => op(`ldrex${suffix}` + itc(info), `${reg(f.t!)}, [${reg(f.n!)}]`)),
      row(`STREX${suffix.toUpperCase()}`, `1110 1000 1100 nnnn tttt 1111 ${bits} dddd`, (ctx, f) => ls.translateStrex(size)(ctx, { n: f.n!, T: f.t!, d: f.d! }),
        (f, info) => op(`strex${suffix}` + itc(info), `${reg(f.d!)}, ${reg(f.t!)}, [${reg(f.n!)}]`)),
    );
  }
  return rows;
}

export const t32LoadStoreRows: Row[] = [...singleRows(), ...multipleRows(), ...dualRows(), ...exclusiveRows()];
