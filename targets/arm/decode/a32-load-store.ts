// A32 load-store encodings: one row per encoding (name, pattern, translator, disassembly).
// Field letters: P pre-index, U add, W writeback, n base, T transfer register, v immediate
// offset, m/t/i offset register, shift type and amount, l register list.
// SBZ/SBO bits are fixed in the patterns (qemu-arm raises SIGILL when they are wrong).
import type { DisasmInfo, Fields, InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';
import { cond, imm, op, reg, regList, shiftImm, target } from '../disasm/format.js';
import { translateNop } from '../translate/misc.js';
import * as ls from '../translate/load-store.js';

type Row = InsnRow<ArmContext>;
type Translate = Row['translate'];

/** "[rn, #-4]!", "[rn], #4", "[pc, #8]\t@ 0x..." for an immediate offset. */
function immAddress(f: Fields, info: DisasmInfo): string {
  const off = f.U ? f.v! : -f.v!;
  const base = reg(f.n!);
  let text: string;
  if (f.P) {
    text = f.v === 0 && f.U ? `[${base}]` : `[${base}, ${f.U ? imm(off) : `#-${f.v}`}]`;
    if (f.W) text += '!';
  } else {
    text = `[${base}], ${f.U ? imm(off) : `#-${f.v}`}`;
  }
  if (f.n === 15 && f.P) return `${text}\t@ ${target(info.pc + 8 + off)}`;
  if (off > 32 || off < -16) return `${text}\t@ 0x${(off >>> 0).toString(16)}`;
  return text;
}

/** "[rn, -rm, lsl #2]!", "[rn], rm" for a register offset. */
function regAddress(f: Fields): string {
  const rm = (f.U ? '' : '-') + reg(f.m!) + shiftImm(f.t ?? 0, f.i ?? 0);
  if (f.P) return `[${reg(f.n!)}, ${rm}]${f.W ? '!' : ''}`;
  return `[${reg(f.n!)}], ${rm}`;
}

/** ldr/ldrb/str/strb, with the T suffix for post-indexed W = 1 and push/pop aliases. */
function wordByteText(name: string, imm12: boolean) {
  return (f: Fields, info: DisasmInfo): string => {
    const c = cond(f.c);
    if (imm12 && f.n === 13 && f.v === 4 && name === 'str' && f.P && !f.U && f.W) return op(`push${c}`, `{${reg(f.T!)}}`);
    if (imm12 && f.n === 13 && f.v === 4 && name === 'ldr' && !f.P && f.U && !f.W) return op(`pop${c}`, `{${reg(f.T!)}}`);
    const mnemonic = name + (!f.P && f.W ? 't' : '') + c;
    return op(mnemonic, `${reg(f.T!)}, ${imm12 ? immAddress(f, info) : regAddress(f)}`);
  };
}

function pairText(name: string, imm8: boolean) {
  return (f: Fields, info: DisasmInfo): string =>
    op(name + cond(f.c), `${reg(f.T!)}, ${reg(f.T! + 1)}, ${imm8 ? immAddress(f, info) : regAddress(f)}`);
}

function halfText(name: string, imm8: boolean) {
  return (f: Fields, info: DisasmInfo): string =>
    op(name + (!f.P && f.W ? 't' : '') + cond(f.c), `${reg(f.T!)}, ${imm8 ? immAddress(f, info) : regAddress(f)}`);
}

function wordByteRows(): Row[] {
  const rows: Row[] = [];
  const forms: [string, string, Translate, Translate][] = [
    ['STR', '0', ls.translateStrImm, ls.translateStrReg],
    ['LDR', '1', ls.translateLdrImm, ls.translateLdrReg],
  ];
  for (const [name, l, timm, treg] of forms) {
    for (const byte of [false, true]) {
      const b = byte ? '1' : '0';
      const n = name + (byte ? 'B' : '');
      const lower = n.toLowerCase();
      const tI = byte ? (name === 'STR' ? ls.translateStrbImm : ls.translateLdrbImm) : timm;
      const tR = byte ? (name === 'STR' ? ls.translateStrbReg : ls.translateLdrbReg) : treg;
      rows.push(
        { name: `${n}_imm`, pattern: `cccc 010P U${b}W${l} nnnn TTTT vvvv vvvv vvvv`, translate: tI, disasm: wordByteText(lower, true) },
        { name: `${n}_reg`, pattern: `cccc 011P U${b}W${l} nnnn TTTT iiii itt0 mmmm`, translate: tR, disasm: wordByteText(lower, false) },
      );
    }
  }
  return rows;
}

/** The "extra" load/stores: halfword, signed byte/halfword, doubleword. */
function extraRows(): Row[] {
  const forms: [string, string, string, Translate, Translate, boolean][] = [
    // name, L bit, bits 7:4, imm translator, reg translator, pair
    ['STRH', '0', '1011', ls.translateStrhImm, ls.translateStrhReg, false],
    ['LDRH', '1', '1011', ls.translateLdrhImm, ls.translateLdrhReg, false],
    ['LDRSB', '1', '1101', ls.translateLdrsbImm, ls.translateLdrsbReg, false],
    ['LDRSH', '1', '1111', ls.translateLdrshImm, ls.translateLdrshReg, false],
    ['LDRD', '0', '1101', ls.translateLdrdImm, ls.translateLdrdReg, true],
    ['STRD', '0', '1111', ls.translateStrdImm, ls.translateStrdReg, true],
  ];
  const rows: Row[] = [];
  for (const [name, l, op2, timm, treg, pair] of forms) {
    const lower = name.toLowerCase();
    const feature = pair ? { feature: 'v5te' } : {};
    rows.push(
      { name: `${name}_imm`, pattern: `cccc 000P U1W${l} nnnn TTTT vvvv ${op2} vvvv`, translate: timm, disasm: pair ? pairText(lower, true) : halfText(lower, true), ...feature },
      { name: `${name}_reg`, pattern: `cccc 000P U0W${l} nnnn TTTT 0000 ${op2} mmmm`, translate: treg, disasm: pair ? pairText(lower, false) : halfText(lower, false), ...feature },
    );
  }
  return rows;
}

const MULTIPLE_MODES = ['da', 'ia', 'db', 'ib']; // by P:U

function multipleText(load: boolean) {
  return (f: Fields): string => {
    const c = cond(f.c);
    const mode = MULTIPLE_MODES[(f.P! << 1) | f.U!]!;
    let count = 0;
    for (let l = f.l!; l; l &= l - 1) count++;
    if (f.n === 13 && f.W) {
      if (load && mode === 'ia') return count >= 2 ? op(`pop${c}`, regList(f.l!)) : op(`ldmfd${c}`, `sp!, ${regList(f.l!)}`);
      if (!load && mode === 'db') return count >= 2 ? op(`push${c}`, regList(f.l!)) : op(`stmfd${c}`, `sp!, ${regList(f.l!)}`);
    }
    // objdump spells STM IA with writeback "stmia", every other IA form "ldm"/"stm"
    const suffix = mode === 'ia' ? (!load && f.W ? 'ia' : '') : mode;
    const mnemonic = (load ? 'ldm' : 'stm') + suffix + c;
    return op(mnemonic, `${reg(f.n!)}${f.W ? '!' : ''}, ${regList(f.l!)}`);
  };
}

function exclusiveRows(): Row[] {
  const sizes: ['' | 'B' | 'H', 'w' | 'b' | 'h', string][] = [['', 'w', '00'], ['B', 'b', '10'], ['H', 'h', '11']];
  const rows: Row[] = [];
  for (const [suffix, size, bits] of sizes) {
    const feature = suffix === '' ? 'v6' : 'v6k';
    rows.push(
      // LDREX{B|H}<c> Rt, [Rn]
      { name: `LDREX${suffix}`, pattern: `cccc 0001 1${bits}1 nnnn TTTT 1111 1001 1111`, translate: ls.translateLdrex(size),
        disasm: (f) => op(`ldrex${suffix.toLowerCase()}${cond(f.c)}`, `${reg(f.T!)}, [${reg(f.n!)}]`), feature },
      // STREX{B|H}<c> Rd, Rt, [Rn]
      { name: `STREX${suffix}`, pattern: `cccc 0001 1${bits}0 nnnn dddd 1111 1001 TTTT`, translate: ls.translateStrex(size),
        disasm: (f) => op(`strex${suffix.toLowerCase()}${cond(f.c)}`, `${reg(f.d!)}, ${reg(f.T!)}, [${reg(f.n!)}]`), feature },
    );
  }
  rows.push(
    // LDREXD<c> Rt, Rt2, [Rn]
    { name: 'LDREXD', pattern: 'cccc 0001 1011 nnnn TTTT 1111 1001 1111', translate: ls.translateLdrexd,
      disasm: (f) => op(`ldrexd${cond(f.c)}`, `${reg(f.T!)}, ${reg(f.T! + 1)}, [${reg(f.n!)}]`), feature: 'v6k' },
    // STREXD<c> Rd, Rt, Rt2, [Rn]
    { name: 'STREXD', pattern: 'cccc 0001 1010 nnnn dddd 1111 1001 TTTT', translate: ls.translateStrexd,
      disasm: (f) => op(`strexd${cond(f.c)}`, `${reg(f.d!)}, ${reg(f.T!)}, ${reg(f.T! + 1)}, [${reg(f.n!)}]`), feature: 'v6k' },
  );
  return rows;
}

/** "[rn, #-4]" / "[rn, -rm, lsl #2]" for the preload hints (always offset addressing). */
function preloadText(name: string, isImm: boolean) {
  return (f: Fields): string => {
    if (isImm) return op(name, f.v === 0 && f.U ? `[${reg(f.n!)}]` : `[${reg(f.n!)}, #${f.U ? '' : '-'}${f.v}]`);
    return op(name, `[${reg(f.n!)}, ${f.U ? '' : '-'}${reg(f.m!)}${shiftImm(f.t!, f.i!)}]`);
  };
}

export const loadStoreRows: Row[] = [
  ...wordByteRows(),
  ...extraRows(),
  // LDM{IA|IB|DA|DB}<c> Rn{!}, <registers> (S = 1, the user-register and exception-return
  // forms, are UNDEFINED in user mode as in qemu-arm: no row)
  { name: 'LDM', pattern: 'cccc 100P U0W1 nnnn llll llll llll llll', translate: ls.translateLdm, disasm: multipleText(true) },
  // STM{IA|IB|DA|DB}<c> Rn{!}, <registers>
  { name: 'STM', pattern: 'cccc 100P U0W0 nnnn llll llll llll llll', translate: ls.translateStm, disasm: multipleText(false) },
  ...exclusiveRows(),
  // SWP{B}<c> Rt, Rt2, [Rn]
  { name: 'SWP', pattern: 'cccc 0001 0000 nnnn TTTT 0000 1001 mmmm', translate: ls.translateSwp(false),
    disasm: (f) => op(`swp${cond(f.c)}`, `${reg(f.T!)}, ${reg(f.m!)}, [${reg(f.n!)}]`) },
  { name: 'SWPB', pattern: 'cccc 0001 0100 nnnn TTTT 0000 1001 mmmm', translate: ls.translateSwp(true),
    disasm: (f) => op(`swpb${cond(f.c)}`, `${reg(f.T!)}, ${reg(f.m!)}, [${reg(f.n!)}]`) },
  // ---- unconditional space: preload hints execute as NOPs ----
  // PLD{W} [Rn, #±imm12] (R = 1: PLD, R = 0: PLDW)
  { name: 'PLD_imm', pattern: '1111 0101 U101 nnnn 1111 vvvv vvvv vvvv', translate: translateNop, disasm: preloadText('pld', true), feature: 'v5te' },
  { name: 'PLDW_imm', pattern: '1111 0101 U001 nnnn 1111 vvvv vvvv vvvv', translate: translateNop, disasm: preloadText('pldw', true), feature: 'v7' },
  { name: 'PLD_reg', pattern: '1111 0111 U101 nnnn 1111 iiii itt0 mmmm', translate: translateNop, disasm: preloadText('pld', false), feature: 'v5te' },
  { name: 'PLDW_reg', pattern: '1111 0111 U001 nnnn 1111 iiii itt0 mmmm', translate: translateNop, disasm: preloadText('pldw', false), feature: 'v7' },
  // PLI [Rn, #±imm12] / [Rn, ±Rm{, <shift>}]
  { name: 'PLI_imm', pattern: '1111 0100 U101 nnnn 1111 vvvv vvvv vvvv', translate: translateNop, disasm: preloadText('pli', true), feature: 'v7' },
  { name: 'PLI_reg', pattern: '1111 0110 U101 nnnn 1111 iiii itt0 mmmm', translate: translateNop, disasm: preloadText('pli', false), feature: 'v7' },
];
