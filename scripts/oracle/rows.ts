// The rows the oracle tests: every row of the A32, T16, T32 and VFP decode tables, grouped
// into classes, plus the pseudo-rows (UNDECODED per instruction set, IT blocks), and the
// decoders that tell which row an encoding belongs to (the same tables tsqemu decodes with).
import { Decoder, compilePattern, type CompiledRow, type InsnRow } from '../../targets/arm/decode/pattern.js';
import { dataProcessingRows } from '../../targets/arm/decode/a32-data-processing.js';
import { branchRows } from '../../targets/arm/decode/a32-branch.js';
import { loadStoreRows } from '../../targets/arm/decode/a32-load-store.js';
import { miscRows } from '../../targets/arm/decode/a32-misc.js';
import { multiplyRows } from '../../targets/arm/decode/a32-multiply.js';
import { mediaRows } from '../../targets/arm/decode/a32-media.js';
import { vfpRows } from '../../targets/arm/decode/vfp.js';
import { a32Rows } from '../../targets/arm/decode/a32.js';
import { t16Rows } from '../../targets/arm/decode/t16.js';
import { coprocessorRows } from '../../targets/arm/decode/t32.js';
import { t32DataProcessingRows } from '../../targets/arm/decode/t32-data-processing.js';
import { t32LoadStoreRows } from '../../targets/arm/decode/t32-load-store.js';
import { t32MiscRows } from '../../targets/arm/decode/t32-misc.js';
import { isThumb32 } from '../../targets/arm/translate/thumb-block.js';
import type { CpuModel } from '../../src/engine/target.js';
import { arm } from '../../targets/arm/index.js';

export type Isa = 'a32' | 't16' | 't32';

/** Instruction sets as the oracle counts them: VFP apart from the integer A32/T32 rows. */
export type IsaGroup = 'A32' | 'T16' | 'T32' | 'VFP';

export type RowClass =
  | 'data-processing' | 'branch' | 'load-store' | 'misc' | 'multiply' | 'media' | 'undecoded'
  | 'vfp' | 'vfp-t32'
  | 't16' | 'it' | 't16-undecoded'
  | 't32-data-processing' | 't32-load-store' | 't32-misc' | 't32-coproc' | 't32-undecoded';

export interface OracleRow {
  isa: Isa;
  cls: RowClass;
  /** The row, compiled with its own width (16 for T16). */
  row: CompiledRow<unknown>;
}

export function isaGroup(r: { isa: Isa; cls: RowClass }): IsaGroup {
  if (r.cls === 'vfp' || r.cls === 'vfp-t32') return 'VFP';
  return r.isa === 'a32' ? 'A32' : r.isa === 't16' || r.cls === 'it' ? 'T16' : 'T32';
}

/** A Thumb instruction (16-bit, or 32-bit first-halfword-high) in the oracle's notation. */
export function isThumbInsn(isa: Isa): boolean {
  return isa !== 'a32';
}

type AnyRow = InsnRow<unknown>;
const asAny = (rows: readonly InsnRow<never>[]): readonly AnyRow[] => rows as unknown as readonly AnyRow[];

/** Words no row decodes: tsqemu raises SIGILL for them, so qemu-arm should too. */
const undecodedRow = (width: number): AnyRow => ({
  name: 'UNDECODED',
  pattern: '-'.repeat(width),
  translate: () => false,
  disasm: () => '(no tsqemu row)',
});

const vfpNames = new Set(vfpRows.map((r) => r.name));
const t32Coproc = asAny(coprocessorRows(a32Rows));

const A32_CLASSES: readonly [RowClass, readonly AnyRow[]][] = [
  ['data-processing', asAny(dataProcessingRows)],
  ['branch', asAny(branchRows)],
  ['load-store', asAny(loadStoreRows)],
  ['misc', asAny(miscRows)],
  ['multiply', asAny(multiplyRows)],
  ['media', asAny(mediaRows)],
  ['vfp', asAny(vfpRows)],
];

const T32_CLASSES: readonly [RowClass, readonly AnyRow[]][] = [
  ['t32-data-processing', asAny(t32DataProcessingRows)],
  ['t32-load-store', asAny(t32LoadStoreRows)],
  ['t32-misc', asAny(t32MiscRows)],
  ['vfp-t32', t32Coproc.filter((r) => vfpNames.has(r.name.replace(/_t32$/, '')))],
  ['t32-coproc', t32Coproc.filter((r) => !vfpNames.has(r.name.replace(/_t32$/, '')))],
];

let cachedRows: OracleRow[] | undefined;

export function allRows(): OracleRow[] {
  cachedRows ??= buildRows();
  return cachedRows;
}

function buildRows(): OracleRow[] {
  const out: OracleRow[] = [];
  for (const [cls, rows] of A32_CLASSES) for (const row of rows) out.push({ isa: 'a32', cls, row: compilePattern(row) });
  out.push({ isa: 'a32', cls: 'undecoded', row: compilePattern(undecodedRow(32)) });
  for (const row of asAny(t16Rows)) out.push({ isa: 't16', cls: row.name === 'IT' ? 'it' : 't16', row: compilePattern(row, 16) });
  out.push({ isa: 't16', cls: 't16-undecoded', row: compilePattern(undecodedRow(16), 16) });
  for (const [cls, rows] of T32_CLASSES) for (const row of rows) out.push({ isa: 't32', cls, row: compilePattern(row) });
  out.push({ isa: 't32', cls: 't32-undecoded', row: compilePattern(undecodedRow(32)) });
  return out;
}

export interface RowFilter {
  cls?: RegExp;
  name?: RegExp;
  /** Instruction-set groups (A32, T16, T32, VFP); all when absent. */
  groups?: readonly IsaGroup[];
}

/** Rows selected by class / name regexes and instruction-set groups. */
export function selectRows(opts: RowFilter = {}): OracleRow[] {
  return allRows().filter(
    (r) => (!opts.cls || opts.cls.test(r.cls)) && (!opts.name || opts.name.test(r.row.name)) && (!opts.groups || opts.groups.includes(isaGroup(r))),
  );
}

export function tsqemuCpu(): CpuModel {
  const name = process.env['ORACLE_TSQEMU_CPU'] ?? arm.defaultCpu;
  const cpu = arm.cpuModels.find((m) => m.name === name);
  if (!cpu) throw new Error(`unknown tsqemu cpu ${name}`);
  return cpu;
}

/** Rows never generated: they change control flow, trap or leave the program. */
const CONTROL_FLOW = /^(B|BL|BX|BLX|BXJ|SVC|BKPT|UDF|HVC|SMC|ERET|RFE|SRS|WFI|WFE|CBZ|TBB|TBH)(_|$)/i;

/** Why a row is not tested (undefined when it is). */
export function skipReason(r: OracleRow): string | undefined {
  if (CONTROL_FLOW.test(r.row.name)) return 'control flow / trap';
  if (r.cls === 'branch') return 'branch class';
  if (r.row.feature !== undefined && !tsqemuCpu().features.has(r.row.feature)) return `feature ${r.row.feature} not in tsqemu cpu`;
  return undefined;
}

// ---- decoding, as tsqemu does it ----

let decoders: { cond: Decoder<unknown>; uncond: Decoder<unknown>; t16: Decoder<unknown>; t32: Decoder<unknown> } | undefined;

function getDecoders() {
  if (!decoders) {
    const a32 = A32_CLASSES.flatMap(([, rows]) => rows);
    const isUncond = (r: AnyRow) => r.pattern.replace(/\s+/g, '').startsWith('1111');
    decoders = {
      cond: new Decoder(a32.filter((r) => !isUncond(r))),
      uncond: new Decoder(a32.filter(isUncond)),
      t16: new Decoder(asAny(t16Rows), 16),
      t32: new Decoder(T32_CLASSES.flatMap(([, rows]) => rows)),
    };
  }
  return decoders;
}

export interface Decoded {
  row: CompiledRow<unknown>;
  fields: Record<string, number>;
}

/** The row tsqemu decodes an encoding to (Thumb: 16-bit value or 32-bit first-halfword-high). */
export function decodeInsn(isa: Isa, insn: number): Decoded | undefined {
  const cpu = tsqemuCpu();
  const has = (f: string) => cpu.features.has(f);
  const d = getDecoders();
  if (isa === 'a32') return (insn >>> 28 === 0xf ? d.uncond : d.cond).decode(insn, has);
  if (isa === 't16') return d.t16.decode(insn, has);
  return d.t32.decode(insn, has);
}

/** Decode a Thumb instruction of either width. */
export function decodeThumb(insn: number): Decoded | undefined {
  return decodeInsn(insn > 0xffff ? 't32' : 't16', insn);
}

/** Is this first halfword the start of a 32-bit Thumb instruction? */
export function isT32FirstHalf(hw1: number): boolean {
  return isThumb32(hw1);
}
