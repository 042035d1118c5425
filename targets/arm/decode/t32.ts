// The T32 (32-bit Thumb-2) instruction table. Patterns are 32 bits: the first halfword in
// bits 31:16, the second in 15:0. Rows by class live in t32-*.ts; the coprocessor space
// (MRC/MCR p15 and VFP) is shared with A32: a T32 coprocessor encoding is the A32 one with
// the condition field 1110, so every A32 row in that space (a32.ts, including the VFP rows
// of vfp.ts) becomes a T32 row with `cccc` fixed to 1110.
import { Decoder, type InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';
import type { ThumbContext } from '../translate/it.js';
import { a32Rows } from './a32.js';
import { t32DataProcessingRows } from './t32-data-processing.js';
import { t32LoadStoreRows } from './t32-load-store.js';
import { t32MiscRows } from './t32-misc.js';

/** A32 rows in the coprocessor space: cccc 110x (LDC/STC, VLDR/VSTM...) or cccc 1110 (CDP/MRC/MCR, VFP data). */
function isCoprocessorRow(r: InsnRow<ArmContext>): boolean {
  return /^cccc11(0|10)/.test(r.pattern.replace(/\s+/g, ''));
}

/** The A32 coprocessor rows with the condition fixed to AL: their T32 encodings. */
export function coprocessorRows(rows: readonly InsnRow<ArmContext>[]): InsnRow<ThumbContext>[] {
  return rows.filter(isCoprocessorRow).map((r) => ({
    ...r,
    name: `${r.name}_t32`,
    pattern: '1110' + r.pattern.replace(/\s+/g, '').slice(4),
    // the A32 disassembly prints the condition field c: inside an IT block, the IT condition
    disasm: (f, info) => r.disasm(info.itCond === undefined ? f : { ...f, c: info.itCond }, info),
  }));
}

export const t32Rows: readonly InsnRow<ThumbContext>[] = [
  ...t32DataProcessingRows,
  ...t32LoadStoreRows,
  ...t32MiscRows,
  ...coprocessorRows(a32Rows),
];

export const t32Decoder = new Decoder(t32Rows, 32);
