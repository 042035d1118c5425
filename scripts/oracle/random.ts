// Random A32 instruction streams from the decode table itself: for each row, encodings that
// match its mask/value with random bits elsewhere, register fields kept to r0-r12 (r13 is
// the dump pointer, r14/r15 stay intact), re-rolled until the decoder picks that same row
// (which also finds rows shadowed by others), plus a random input state per case.
import { Decoder, compilePattern, extractFields, type CompiledRow, type InsnRow } from '../../targets/arm/decode/pattern.js';
import { dataProcessingRows } from '../../targets/arm/decode/a32-data-processing.js';
import { branchRows } from '../../targets/arm/decode/a32-branch.js';
import { loadStoreRows } from '../../targets/arm/decode/a32-load-store.js';
import { miscRows } from '../../targets/arm/decode/a32-misc.js';
import { multiplyRows } from '../../targets/arm/decode/a32-multiply.js';
import { mediaRows } from '../../targets/arm/decode/a32-media.js';
import { vfpRows } from '../../targets/arm/decode/vfp.js';
import type { ArmContext } from '../../targets/arm/translate/context.js';
import { arm } from '../../targets/arm/index.js';
import { Rng } from './rng.js';
import { SCRATCH, SCRATCH_SIZE, type CaseInput, type TestCase } from './program.js';

export type RowClass = 'data-processing' | 'branch' | 'load-store' | 'misc' | 'multiply' | 'media' | 'vfp' | 'undecoded';

export interface OracleRow {
  cls: RowClass;
  row: CompiledRow<ArmContext>;
}

const CLASSES: readonly [RowClass, readonly InsnRow<ArmContext>[]][] = [
  ['data-processing', dataProcessingRows],
  ['branch', branchRows],
  ['load-store', loadStoreRows],
  ['misc', miscRows],
  ['multiply', multiplyRows],
  ['media', mediaRows],
  ['vfp', vfpRows],
];

/**
 * 4-bit field letters that name a register, as the row files document them: n, d, m, s, a
 * (data-processing, multiply, media) and T (load-store transfer register; lower-case t is a
 * 2-bit shift type there). Only 4-bit contiguous fields count.
 */
export const REGISTER_LETTERS = new Set(['n', 'd', 'm', 's', 't', 'a', 'T']);
/** 16-bit field letters that are register lists (LDM/STM). */
export const REGLIST_LETTERS = new Set(['l']);

/** Rows never generated: they change control flow, trap or leave the program. */
const CONTROL_FLOW = /^(B|BL|BX|BLX|BXJ|SVC|BKPT|UDF|HVC|SMC|ERET|RFE|SRS|WFI|WFE)(_|$)/i;

/** Why a row is not tested (undefined when it is). */
export function skipReason(r: OracleRow): string | undefined {
  if (CONTROL_FLOW.test(r.row.name)) return 'control flow / trap';
  if (r.cls === 'branch') return 'branch class';
  if (r.cls === 'vfp') return 'VFP rows need the VFP register dump (issue 6)';
  if (r.row.feature !== undefined && !tsqemuCpu().features.has(r.row.feature)) return `feature ${r.row.feature} not in tsqemu cpu`;
  return undefined;
}

function tsqemuCpu() {
  return arm.cpuModels.find((m) => m.name === (process.env['ORACLE_TSQEMU_CPU'] ?? arm.defaultCpu))!;
}

/**
 * A pseudo-row for words no table row decodes: tsqemu raises SIGILL for them, so qemu-arm
 * should too; a word qemu executes points at a missing (or mis-patterned) row.
 */
export const UNDECODED_ROW: InsnRow<ArmContext> = {
  name: 'UNDECODED',
  pattern: '-'.repeat(32),
  translate: () => false,
  disasm: () => '(no tsqemu row)',
};

export function allRows(): OracleRow[] {
  const out: OracleRow[] = [];
  for (const [cls, rows] of CLASSES) for (const row of rows) out.push({ cls, row: compilePattern(row) });
  out.push({ cls: 'undecoded', row: compilePattern(UNDECODED_ROW) });
  return out;
}

/** Rows selected by an optional class regex and name regex. */
export function selectRows(opts: { cls?: RegExp; name?: RegExp } = {}): OracleRow[] {
  return allRows().filter((r) => (!opts.cls || opts.cls.test(r.cls)) && (!opts.name || opts.name.test(r.row.name)));
}

const allDecoderRows = () => CLASSES.flatMap(([, rows]) => rows);
let decoders: { cond: Decoder<ArmContext>; uncond: Decoder<ArmContext> } | undefined;

/** The same split as targets/arm/decode/a32.ts, built from the same rows. */
function getDecoders() {
  if (!decoders) {
    const isUncond = (r: InsnRow<ArmContext>) => r.pattern.replace(/\s+/g, '').startsWith('1111');
    decoders = { cond: new Decoder(allDecoderRows().filter((r) => !isUncond(r))), uncond: new Decoder(allDecoderRows().filter(isUncond)) };
  }
  return decoders;
}

export function decodeA32(insn: number): { row: CompiledRow<ArmContext>; fields: Record<string, number> } | undefined {
  const cpu = tsqemuCpu();
  const d = getDecoders();
  return (insn >>> 28 === 0xf ? d.uncond : d.cond).decode(insn, (f) => cpu.features.has(f));
}

function setField(insn: number, bits: number[], value: number): number {
  // bits are most significant first
  for (let i = 0; i < bits.length; i++) {
    const bit = bits[i]!;
    const b = (value >>> (bits.length - 1 - i)) & 1;
    insn = b ? insn | (1 << bit) : insn & ~(1 << bit);
  }
  return insn >>> 0;
}

function isContiguous(bits: number[]): boolean {
  return bits.every((b, i) => i === 0 || b === bits[i - 1]! - 1);
}

/** Register field? (4 contiguous bits with a register letter.) */
export function isRegisterField(spec: { name: string; bits: number[] }): boolean {
  return spec.bits.length === 4 && isContiguous(spec.bits) && REGISTER_LETTERS.has(spec.name);
}

function isRegListField(spec: { name: string; bits: number[] }): boolean {
  return spec.bits.length === 16 && spec.bits[15] === 0 && REGLIST_LETTERS.has(spec.name);
}

/**
 * Encodings whose result the architecture leaves UNPREDICTABLE (qemu and tsqemu may both be
 * "right"); re-rolled unless ORACLE_UNPREDICTABLE=1. Returns a reason or undefined.
 */
export function unpredictable(r: OracleRow, f: Record<string, number>): string | undefined {
  const name = r.row.name;
  const { n, T, m, d, l } = f;
  // 64-bit results into one register pair: RdHi == RdLo
  if (/^(UMULL|UMLAL|SMULL|SMLAL|UMAAL|SMLALxy|SMLALD|SMLSLD)$/.test(name) && d === a(f)) return 'RdHi == RdLo';
  if (r.cls !== 'load-store') return undefined;
  const pair = /^(LDRD|STRD|LDREXD|STREXD)/.test(name);
  const wback = f['W'] === 1 || f['P'] === 0;
  if (pair && T !== undefined && (T & 1 || T > 10)) return 'Rt odd, or Rt2 beyond r11';
  if (n !== undefined && T !== undefined && wback && !/^(LDM|STM)/.test(name)) {
    if (n === T || (pair && n === T + 1)) return 'writeback with Rn == Rt';
  }
  if (/^LDR/.test(name) && pair && m !== undefined && T !== undefined && (m === T || m === T + 1)) return 'LDRD with Rm == Rt or Rt2';
  if (/^(LDM|STM)$/.test(name) && l !== undefined && n !== undefined) {
    if (l === 0) return 'empty register list';
    if (f['W'] === 1 && l & (1 << n)) {
      if (name === 'LDM') return 'LDM writeback with Rn in the list';
      if (l & ((1 << n) - 1)) return 'STM writeback with Rn in the list, not lowest';
    }
  }
  if (/^STREX/.test(name) && d !== undefined && (d === n || d === T || (pair && T !== undefined && d === T + 1))) return 'STREX status register overlaps';
  if (/^SWP/.test(name) && n !== undefined && (n === T || n === m)) return 'SWP with Rn == Rt or Rt2';
  return undefined;
}

/**
 * Encodings tsqemu deliberately does not support and documents (README "Limitations"):
 * big-endian data, i.e. SETEND BE and MSR writes that may set CPSR.E. tsqemu raises SIGILL
 * for them where qemu-arm switches endianness, so they are never generated.
 */
function unsupported(r: OracleRow, f: Record<string, number>): boolean {
  const name = r.row.name;
  if (name === 'SETEND') return f['E'] === 1;
  if (name === 'MSR_reg') return (f['m']! & 2) !== 0;
  if (name === 'MSR_imm' && (f['m']! & 2) !== 0) {
    const rot = f['r']! * 2;
    const v = rot === 0 ? f['v']! : ((f['v']! >>> rot) | (f['v']! << (32 - rot))) >>> 0;
    return (v & (1 << 9)) !== 0;
  }
  return false;
}

function a(f: Record<string, number>): number | undefined {
  return f['a'];
}

/**
 * Encodings that are valid but mostly waste a case (qemu and tsqemu both raise SIGILL):
 * re-rolled 85% of the time so that some still check the SIGILL path.
 */
function degenerate(r: OracleRow, f: Record<string, number>): boolean {
  const { l, w } = f;
  if (l === undefined || w === undefined) return false;
  if (/^[SU]BFX$/.test(r.row.name)) return l + w > 31;
  if (/^BF[IC]$/.test(r.row.name)) return w < l;
  return false;
}

/** Random encoding of `r` that decodes back to it; undefined when none is found. */
export function randomEncoding(r: OracleRow, rng: Rng, opts: { allowUnpredictable?: boolean } = {}): number | undefined {
  const { row } = r;
  if (r.cls === 'undecoded') return randomUndecoded(rng);
  for (let attempt = 0; attempt < 500; attempt++) {
    let insn = ((rng.u32() & ~row.mask) | row.value) >>> 0;
    for (const spec of row.fieldSpecs) {
      if (spec.name === 'c' && spec.bits.length === 4 && spec.bits[0] === 31) {
        insn = setField(insn, spec.bits, rng.chance(0.5) ? 14 : rng.below(15));
      } else if (isRegisterField(spec)) {
        insn = setField(insn, spec.bits, rng.below(13));
      } else if (isRegListField(spec)) {
        let list = rng.u32() & 0x1fff;
        if (rng.chance(0.3)) list &= rng.u32(); // sparser lists
        insn = setField(insn, spec.bits, list);
      }
    }
    const hit = decodeA32(insn);
    if (!hit || hit.row.name !== row.name || hit.row.pattern !== row.pattern) continue;
    const f = extractFields(row, insn);
    if (!opts.allowUnpredictable && unpredictable(r, f) !== undefined) continue;
    if (unsupported(r, f)) continue;
    if (degenerate(r, f) && rng.chance(0.85)) continue;
    return insn;
  }
  return undefined;
}

const EDGE_VALUES = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x80000001, 0x7ffffffe, 0xffff, 0x8000, 0x7fff, 0x10000, 0xff, 0x80, 0x7f];

function randomValue(rng: Rng): number {
  const k = rng.below(10);
  if (k < 3) return rng.pick(EDGE_VALUES) >>> 0;
  if (k < 5) return rng.below(34); // small shift amounts / counts
  if (k < 6) return (-rng.below(34)) >>> 0;
  if (k < 7) {
    // per-byte / per-halfword edges for the SIMD media instructions
    const parts = [0x00, 0x7f, 0x80, 0xff, 0x01, 0xfe];
    return ((rng.pick(parts) << 24) | (rng.pick(parts) << 16) | (rng.pick(parts) << 8) | rng.pick(parts)) >>> 0;
  }
  return rng.u32();
}

/** An address inside the scratch area: mostly word-aligned, sometimes not. */
function scratchPointer(rng: Rng): number {
  let off = rng.below(SCRATCH_SIZE);
  const k = rng.below(10);
  if (k < 6) off &= ~3;
  else if (k < 8) off &= ~1;
  // keep room for multi-word transfers on either side
  off = Math.min(Math.max(off, 16), SCRATCH_SIZE - 16);
  return (SCRATCH + off) >>> 0;
}

export function randomInput(r: OracleRow, insn: number, rng: Rng): CaseInput {
  const regs = Array.from({ length: 13 }, () => randomValue(rng));
  if (r.cls === 'load-store' || /^(LD|ST|SWP|PLD|PLI)/i.test(r.row.name)) {
    const f = extractFields(r.row, insn);
    // base register: into the scratch area; index register: a small offset
    if (f['m'] !== undefined && f['m'] < 13 && !/^SWP/.test(r.row.name)) regs[f['m']] = rng.chance(0.8) ? rng.range(0, 16) * (rng.chance(0.7) ? 4 : 1) : rng.pick([0, 1, 2, 3, 4, 0xfffffffc, 0xffffffff]);
    if (f['n'] !== undefined && f['n'] < 13) regs[f['n']] = scratchPointer(rng);
    // occasionally a second pointer-looking register for other roles
    for (let i = 0; i < 13; i++) if (rng.chance(0.05) && i !== f['m']) regs[i] = scratchPointer(rng);
  }
  let apsr = (rng.u32() & 0xf8000000) | ((rng.u32() & 0xf) << 16);
  apsr >>>= 0;
  return { regs, apsr, scratch: rng.bytes(SCRATCH_SIZE) };
}

export interface RowCases {
  row: OracleRow;
  cases: TestCase[];
  /** Set when no encoding of this row decodes back to it (shadowed, or feature-gated). */
  unreachable?: boolean;
}

export function generateCases(r: OracleRow, count: number, seed: number, opts: { allowUnpredictable?: boolean } = {}): RowCases {
  const rng = Rng.derive(seed, r.row.name + '|' + r.row.pattern);
  const cases: TestCase[] = [];
  for (let i = 0; i < count; i++) {
    const insn = randomEncoding(r, rng, opts);
    if (insn === undefined) return { row: r, cases, unreachable: cases.length === 0 };
    const c: TestCase = { insn, input: randomInput(r, insn, rng) };
    const pre = exclusivePreamble(r, insn, rng);
    if (pre) c.pre = pre;
    cases.push(c);
  }
  return { row: r, cases };
}

/** A word no row decodes; register-looking nibbles mostly kept below r13. */
function randomUndecoded(rng: Rng): number | undefined {
  for (let attempt = 0; attempt < 5000; attempt++) {
    let insn = rng.u32();
    const cond = rng.chance(0.15) ? 15 : rng.chance(0.5) ? 14 : rng.below(15);
    insn = ((insn & 0x0fffffff) | (cond << 28)) >>> 0;
    if (rng.chance(0.8)) {
      // Rn, Rd, Rs, Rm positions: r0-r12, so an executed word rarely hits sp/pc
      for (const shift of [16, 12, 8, 0]) insn = ((insn & ~(0xf << shift)) | (rng.below(13) << shift)) >>> 0;
    }
    // qemu-arm emulates the old FPA coprocessor (cp1/cp2, NWFPE) in linux-user; EABI
    // kernels do not, and tsqemu follows the kernel (SIGILL): not worth a case
    if ((insn & 0x0c000000) === 0x0c000000 && ((insn >>> 8) & 0xf) >= 1 && ((insn >>> 8) & 0xf) <= 2) continue;
    if (decodeA32(insn) === undefined) return insn;
  }
  return undefined;
}

/** LDREX{B,H,D} opcode bits 23:20 by STREX row size suffix. */
const LDREX_OPS: Record<string, number> = { '': 0x9, B: 0xd, H: 0xf, D: 0xb };

/**
 * For most STREX cases, an LDREX of the same size from the same base first, so the store
 * can succeed (without it every STREX just fails and returns 1). The loaded register is
 * one the STREX does not name.
 */
function exclusivePreamble(r: OracleRow, insn: number, rng: Rng): number[] | undefined {
  const m = /^STREX([BHD]?)$/.exec(r.row.name);
  if (!m || !rng.chance(0.7)) return undefined;
  const f = extractFields(r.row, insn);
  const pair = m[1] === 'D';
  const used = new Set([f['n'], f['d'], f['T'], pair ? f['T']! + 1 : -1]);
  const free: number[] = [];
  for (let t = 0; t < 13; t += pair ? 2 : 1) if (!used.has(t) && !(pair && used.has(t + 1)) && !(pair && t + 1 > 12)) free.push(t);
  if (!free.length) return undefined;
  const t = rng.pick(free);
  const cond = insn & 0xf0000000;
  const ldrex = (cond | (0x1 << 24) | (LDREX_OPS[m[1]!]! << 20) | (f['n']! << 16) | (t << 12) | 0xf9f) >>> 0;
  return [ldrex];
}
