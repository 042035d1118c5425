// Operand printers for the disassembly column of the tables, in GNU objdump's ARM syntax
// (lower-case mnemonics, "r0".."r12", "sp", "lr", "pc", "#imm").
import { CONDITION_NAMES } from '../translate/context.js';

export const REG_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];

export function reg(n: number): string {
  return REG_NAMES[n & 15]!;
}

/** Condition suffix: "" for AL, "eq", "ne", ... */
export function cond(c: number | undefined): string {
  return c === undefined ? '' : CONDITION_NAMES[c & 15]!;
}

/** "#<n>" in decimal, as objdump prints immediates. */
export function imm(v: number): string {
  return `#${v}`;
}

/** Unsigned hex immediate "#0x..." for large constants. */
export function immHex(v: number): string {
  return `#0x${(v >>> 0).toString(16)}`;
}

/** Mnemonic padded like objdump ("mov\t" becomes fixed width for readable columns). */
export function op(mnemonic: string, operands: string): string {
  return operands === '' ? mnemonic : `${mnemonic.padEnd(7)} ${operands}`;
}

/** Register list "{r0, r4, r5, lr}" from a 16-bit mask (objdump lists every register). */
export function regList(mask: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i++) if (mask & (1 << i)) parts.push(reg(i));
  return `{${parts.join(', ')}}`;
}

const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];

/** Immediate shift suffix for a register operand: "", ", lsl #2", ", rrx", ", lsr #32". */
export function shiftImm(type: number, amount: number): string {
  if (type === 0 && amount === 0) return '';
  if (type === 3 && amount === 0) return ', rrx';
  if ((type === 1 || type === 2) && amount === 0) amount = 32;
  return `, ${SHIFT_NAMES[type]} #${amount}`;
}

/** Register-specified shift suffix: ", lsl r3". */
export function shiftReg(type: number, rs: number): string {
  return `, ${SHIFT_NAMES[type]} ${reg(rs)}`;
}

/** Branch target "0x00010234" (objdump prints the absolute address). */
export function target(address: number): string {
  return `0x${(address >>> 0).toString(16).padStart(8, '0')}`;
}
