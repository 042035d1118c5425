// A32 data-processing encodings: one row per encoding (name, pattern, translator, disassembly).
// The 16 ALU opcodes each have three rows (imm, reg, rsr) generated from one template.
// SBZ/SBO bits are fixed in the patterns (qemu-arm raises SIGILL when they are wrong).
import type { Fields, InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';
import { cond, imm, op, reg, shiftImm, shiftReg } from '../disasm/format.js';
import { ALU_MNEMONICS, AluOp, aluImm, aluReg, aluRsr, isCompare, isMove, translateMovt, translateMovw } from '../translate/data-processing.js';
import { rotr } from '../translate/shift.js';

/** "#<n>" plus objdump's "\t@ 0x<hex>" comment for values beyond -16..32. */
export function immComment(v: number): string {
  v |= 0;
  return v > 32 || v < -16 ? `${imm(v)}\t@ 0x${(v >>> 0).toString(16)}` : imm(v);
}

const SHIFT_MNEMONICS = ['lsl', 'lsr', 'asr', 'ror'];

function mnemonic(opc: number, f: Fields): string {
  return ALU_MNEMONICS[opc]! + (f.S === 1 && !isCompare(opc) ? 's' : '') + cond(f.c);
}

/** Rd, Rn, / Rn, / Rd, prefix of the operand list. */
function lead(opc: number, f: Fields): string {
  if (isCompare(opc)) return `${reg(f.n!)}, `;
  if (isMove(opc)) return `${reg(f.d!)}, `;
  return `${reg(f.d!)}, ${reg(f.n!)}, `;
}

function disasmImm(opc: number) {
  return (f: Fields): string => op(mnemonic(opc, f), lead(opc, f) + immComment(rotr(f.v!, f.r! * 2)));
}

function disasmReg(opc: number) {
  return (f: Fields): string => {
    if (opc === AluOp.MOV && !(f.t === 0 && f.i === 0)) {
      // lsl/lsr/asr/ror/rrx aliases of MOV with a shifted register, as objdump prints them
      const s = (f.S ? 's' : '') + cond(f.c);
      if (f.t === 3 && f.i === 0) return op(`rrx${s}`, `${reg(f.d!)}, ${reg(f.m!)}`);
      const amount = f.i === 0 ? 32 : f.i!;
      return op(SHIFT_MNEMONICS[f.t!]! + s, `${reg(f.d!)}, ${reg(f.m!)}, ${imm(amount)}`);
    }
    return op(mnemonic(opc, f), lead(opc, f) + reg(f.m!) + shiftImm(f.t!, f.i!));
  };
}

function disasmRsr(opc: number) {
  return (f: Fields): string => {
    if (opc === AluOp.MOV) {
      return op(SHIFT_MNEMONICS[f.t!]! + (f.S ? 's' : '') + cond(f.c), `${reg(f.d!)}, ${reg(f.m!)}, ${reg(f.s!)}`);
    }
    return op(mnemonic(opc, f), lead(opc, f) + reg(f.m!) + shiftReg(f.t!, f.s!));
  };
}

function aluRows(): InsnRow<ArmContext>[] {
  const rows: InsnRow<ArmContext>[] = [];
  for (let opc = 0; opc < 16; opc++) {
    const name = ALU_MNEMONICS[opc]!.toUpperCase();
    const o = opc.toString(2).padStart(4, '0');
    const s = isCompare(opc) ? '1' : 'S';
    const n = isMove(opc) ? '0000' : 'nnnn';
    const d = isCompare(opc) ? '0000' : 'dddd';
    const a = opc as AluOp;
    rows.push(
      { name: `${name}_imm`, pattern: `cccc 001${o} ${s} ${n} ${d} rrrr vvvv vvvv`, translate: aluImm(a), disasm: disasmImm(opc) },
      { name: `${name}_reg`, pattern: `cccc 000${o} ${s} ${n} ${d} iiii itt0 mmmm`, translate: aluReg(a), disasm: disasmReg(opc) },
      { name: `${name}_rsr`, pattern: `cccc 000${o} ${s} ${n} ${d} ssss 0tt1 mmmm`, translate: aluRsr(a), disasm: disasmRsr(opc) },
    );
  }
  return rows;
}

export const dataProcessingRows: InsnRow<ArmContext>[] = [
  ...aluRows(),
  // MOVW<c> Rd, #<imm16>
  {
    name: 'MOVW',
    pattern: 'cccc 0011 0000 vvvv dddd vvvv vvvv vvvv',
    translate: translateMovw,
    disasm: (f) => op(`movw${cond(f.c)}`, `${reg(f.d!)}, ${immComment(f.v!)}`),
    feature: 'v6t2',
  },
  // MOVT<c> Rd, #<imm16>
  {
    name: 'MOVT',
    pattern: 'cccc 0011 0100 vvvv dddd vvvv vvvv vvvv',
    translate: translateMovt,
    disasm: (f) => op(`movt${cond(f.c)}`, `${reg(f.d!)}, ${immComment(f.v!)}`),
    feature: 'v6t2',
  },
];
