// A32 branch encodings: one row per encoding (name, pattern, translator, disassembly).
import type { InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';
import { cond, op, reg, target } from '../disasm/format.js';
import { branchOffset, translateB, translateBl, translateBlxImm, translateBlxReg, translateBx } from '../translate/branch.js';

export const branchRows: InsnRow<ArmContext>[] = [
  // B<c> <label>
  {
    name: 'B',
    pattern: 'cccc 1010 vvvv vvvv vvvv vvvv vvvv vvvv',
    translate: translateB,
    disasm: (f, info) => op(`b${cond(f.c)}`, target(info.pc + 8 + branchOffset(f.v!))),
  },
  // BL<c> <label>
  {
    name: 'BL',
    pattern: 'cccc 1011 vvvv vvvv vvvv vvvv vvvv vvvv',
    translate: translateBl,
    disasm: (f, info) => op(`bl${cond(f.c)}`, target(info.pc + 8 + branchOffset(f.v!))),
  },
  // BLX <label>
  {
    name: 'BLX_imm',
    pattern: '1111 101H vvvv vvvv vvvv vvvv vvvv vvvv',
    translate: translateBlxImm,
    disasm: (f, info) => op('blx', target(info.pc + 8 + branchOffset(f.v!) + f.H! * 2)),
    feature: 'v5',
  },
  // BX<c> Rm
  {
    name: 'BX',
    pattern: 'cccc 0001 0010 1111 1111 1111 0001 mmmm',
    translate: translateBx,
    disasm: (f) => op(`bx${cond(f.c)}`, reg(f.m!)),
    feature: 'v4t',
  },
  // BXJ<c> Rm: no Jazelle, so BX
  {
    name: 'BXJ',
    pattern: 'cccc 0001 0010 1111 1111 1111 0010 mmmm',
    translate: translateBx,
    disasm: (f) => op(`bxj${cond(f.c)}`, reg(f.m!)),
    feature: 'v5te',
  },
  // BLX<c> Rm
  {
    name: 'BLX_reg',
    pattern: 'cccc 0001 0010 1111 1111 1111 0011 mmmm',
    translate: translateBlxReg,
    disasm: (f) => op(`blx${cond(f.c)}`, reg(f.m!)),
    feature: 'v5',
  },
];
