// Random instruction streams from the decode tables themselves: for each row, encodings that
// match its mask/value with random bits elsewhere, register fields kept where the harness
// needs them (r13 is the dump pointer, r14/r15 stay intact), re-rolled until the decoder
// picks that same row (which also finds rows shadowed by others), plus a random input state
// per case: core registers, flags, sp, FPSCR mode bits, d0-d31 and the scratch memory.
import { extractFields } from '../../targets/arm/decode/pattern.js';
import { F32_EDGES, F64_EDGES, randF32, randF64 } from '../../targets/arm/translate/vfp-testkit.js';
import { Rng } from './rng.js';
import { DREGS_BYTES, SCRATCH, SCRATCH_SIZE, type CaseInput, type TestCase } from './program.js';
import { decodeInsn, decodeThumb, skipReason, type Isa, type OracleRow } from './rows.js';

/**
 * 4-bit field letters that name a core register, as the row files document them: n, d, m,
 * s, a, t and T (A32/T32 integer rows; in A32 a lower-case 2-bit `t` is a shift type and is
 * not 4 bits wide). In VFP rows only t and u (and n of the loads/stores) are core registers.
 */
const REGISTER_LETTERS = new Set(['n', 'd', 'm', 's', 't', 'a', 'T']);
const VFP_CORE_LETTERS = new Set(['t', 'u']);
const isVfp = (r: OracleRow) => r.cls === 'vfp' || r.cls === 'vfp-t32';
const isVfpLoadStore = (name: string) => /^V(LDR|LDM|STR|STM)/.test(name);

function setField(insn: number, bits: readonly number[], value: number): number {
  // bits are most significant first
  for (let i = 0; i < bits.length; i++) {
    const bit = bits[i]!;
    const b = (value >>> (bits.length - 1 - i)) & 1;
    insn = b ? insn | (1 << bit) : insn & ~(1 << bit);
  }
  return insn >>> 0;
}

function isContiguous(bits: readonly number[]): boolean {
  return bits.every((b, i) => i === 0 || b === bits[i - 1]! - 1);
}

/** A 4-bit core register field of this row? */
function isCoreRegisterField(r: OracleRow, spec: { name: string; bits: number[] }): boolean {
  if (spec.bits.length !== 4 || !isContiguous(spec.bits)) return false;
  if (isVfp(r)) return VFP_CORE_LETTERS.has(spec.name) || (spec.name === 'n' && isVfpLoadStore(r.row.name));
  return REGISTER_LETTERS.has(spec.name);
}

/** Register-list field: A32 16 bits / T32 13 bits (r0-r12) / T16 8 bits. */
function isRegListField(r: OracleRow, spec: { name: string; bits: number[] }): boolean {
  return spec.name === 'l' && !isVfp(r) && (spec.bits.length === 16 || spec.bits.length === 13 || spec.bits.length === 8);
}

const bitCount = (v: number) => {
  let n = 0;
  for (; v; v &= v - 1) n++;
  return n;
};

/**
 * Encodings whose result the architecture leaves UNPREDICTABLE (qemu and tsqemu may both be
 * "right"); re-rolled unless allowUnpredictable. Returns a reason or undefined.
 */
export function unpredictable(r: OracleRow, f: Record<string, number>): string | undefined {
  const name = r.row.name.replace(/_t32$/, '');
  const { n, t, T, m, d, a, l } = f;
  // 64-bit results into one register pair: RdHi == RdLo
  if (/^(UMULL|UMLAL|SMULL|SMLAL|UMAAL|SMLALxy|SMLALD|SMLSLD)$/.test(name) && d === a) return 'RdHi == RdLo';
  if (isVfp(r)) return vfpUnpredictable(name, f);
  if (r.isa === 't16') return t16Unpredictable(name, f);
  if (r.isa === 't32') {
    // the register named twice (Rm in both halfwords) must be the same
    if (/^(REV_w|REV16_w|REVSH_w|RBIT|CLZ)$/.test(name) && n !== m) return 'T32 Rm fields differ';
    if (name === 'MSR' && f['m'] === 0) return 'MSR with an empty mask';
    // ThumbExpandImm: a repeated-byte pattern of a zero byte
    const modifiedImm = /^11110i0/.test(r.row.pattern.replace(/\s+/g, ''));
    if (modifiedImm && f['i']! >>> 10 === 0 && (f['i']! >>> 8) & 3 && (f['i']! & 0xff) === 0) return 'T32 modified immediate 00XY with imm8 == 0';
  }
  const loadStore = r.cls === 'load-store' || r.cls === 't32-load-store';
  if (!loadStore) return undefined;
  // the transfer register: A32 calls it T (t is a shift type there), T32 t (T is Rt2)
  const rt = r.isa === 'a32' ? T : t;
  const rt2 = r.isa === 'a32' ? (T !== undefined ? T + 1 : undefined) : T;
  const pair = /^(LDRD|STRD|LDREXD|STREXD)/.test(name);
  const wback = f['W'] === 1 || f['P'] === 0 || /_(wb|post)$/.test(name) || /T$/.test(name) && r.isa === 'a32';
  if (r.isa === 'a32' && pair && T !== undefined && (T & 1 || T > 10)) return 'Rt odd, or Rt2 beyond r11';
  if (r.isa === 't32' && pair && t === T && /^LD/.test(name)) return 'LDRD/LDREXD with Rt == Rt2';
  if (n !== undefined && rt !== undefined && wback && !/^(LDM|STM)/.test(name)) {
    if (n === rt || (pair && n === rt2)) return 'writeback with Rn == Rt';
  }
  if (r.isa === 'a32' && /^LDR/.test(name) && pair && m !== undefined && T !== undefined && (m === T || m === T + 1)) return 'LDRD with Rm == Rt or Rt2';
  if (/^(LDM|STM)/.test(name) && l !== undefined && n !== undefined) {
    const list = r.isa === 't32' ? l | ((f['M'] ?? 0) << 14) : l;
    if (list === 0) return 'empty register list';
    if (r.isa === 't32' && bitCount(list) < 2) return 'T32 LDM/STM with fewer than two registers';
    if (f['W'] === 1 && list & (1 << n)) {
      if (/^LDM/.test(name) || r.isa === 't32') return 'writeback with Rn in the list';
      if (list & ((1 << n) - 1)) return 'STM writeback with Rn in the list, not lowest';
    }
  }
  if (/^STREX/.test(name) && d !== undefined && (d === n || d === rt || (pair && d === rt2))) return 'STREX status register overlaps';
  if (/^SWP/.test(name) && n !== undefined && (n === T || n === m)) return 'SWP with Rn == Rt or Rt2';
  return undefined;
}

function t16Unpredictable(name: string, f: Record<string, number>): string | undefined {
  const { n, l } = f;
  if (name === 'CMP_hi') {
    const rn = (f['N']! << 3) | n!;
    if (rn < 8 && f['m']! < 8) return 'CMP (high) with two low registers';
    if (rn === 15 || f['m'] === 15) return 'CMP (high) with pc';
  }
  if ((name === 'ADD_hi' || name === 'MOV_hi') && f['m'] === 15 && ((f['D']! << 3) | f['d']!) === 15) return 'pc to pc';
  if (name === 'LDM' || name === 'STM') {
    if (l === 0) return 'empty register list';
    if (name === 'STM' && l! & (1 << n!) && l! & ((1 << n!) - 1)) return 'STM with Rn in the list, not lowest';
  }
  if ((name === 'PUSH' || name === 'POP') && l === 0 && !f['M'] && !f['P']) return 'empty register list';
  if (name === 'IT') {
    if (f['c'] === 15) return 'IT with firstcond 1111';
    if (f['c'] === 14 && bitCount(f['m']!) !== 1) return 'IT AL with an else';
  }
  return undefined;
}

function vfpUnpredictable(name: string, f: Record<string, number>): string | undefined {
  const { t, u } = f;
  if ((name === 'VMOV_two_singles' || name === 'VMOV_double') && f['o'] === 1 && t === u) return 'VMOV to two core registers with Rt == Rt2';
  if (name === 'VMOV_two_singles' && ((f['m']! << 1) | f['M']!) === 31) return 'VMOV two singles from s31';
  if (name === 'VLDM_VSTM') {
    const imm8 = f['i']!;
    const double = f['z'] === 1;
    const first = double ? (f['D']! << 4) | f['d']! : (f['d']! << 1) | f['D']!;
    const count = double ? imm8 >>> 1 : imm8;
    if (count === 0 || first + count > 32 || (double && count > 16)) return 'VLDM/VSTM register count';
    if (double && imm8 & 1) return 'FLDMX/FSTMX';
  }
  if (name === 'VCVT_fixed' && f['x'] === 0 && ((f['i']! << 1) | f['j']!) > 16) return 'VCVT fixed: negative fraction bits';
  if ((name === 'VMSR' || name === 'VMRS') && t === 15 && !(name === 'VMRS' && f['r'] === 1)) return 'Rt == pc';
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
  if (r.isa !== 'a32') return false;
  if (name === 'MSR_reg') return (f['m']! & 2) !== 0;
  if (name === 'MSR_imm' && (f['m']! & 2) !== 0) {
    const rot = f['r']! * 2;
    const v = rot === 0 ? f['v']! : ((f['v']! >>> rot) | (f['v']! << (32 - rot))) >>> 0;
    return (v & (1 << 9)) !== 0;
  }
  return false;
}

/** Harness limits: encodings that would break the case frame rather than test anything. */
function breaksHarness(r: OracleRow, f: Record<string, number>): string | undefined {
  const name = r.row.name;
  if (r.isa === 't16') {
    if ((name === 'ADD_hi' || name === 'MOV_hi') && ((f['D']! << 3) | f['d']!) === 15) return 'writes pc (a branch)';
    if (name === 'POP' && f['P'] === 1) return 'pops pc (a branch)';
    if (name === 'LDR_lit' && f['v']! * 4 < 16) return 'literal next to the instruction';
  }
  if (r.isa === 't32') {
    if (/^LDM/.test(name) && f['P'] === 1) return 'loads pc (a branch)';
    // a literal load right next to the tested instruction would read the harness's stop
    // marker in direct mode (the program's own bx pc otherwise): keep literal targets away
    if (/_lit$/.test(name) && f['i']! < 16) return 'literal next to the instruction';
  }
  return undefined;
}

/**
 * Encodings that are valid but mostly waste a case (qemu and tsqemu both raise SIGILL):
 * re-rolled 85% of the time so that some still check the SIGILL path.
 */
function degenerate(r: OracleRow, f: Record<string, number>): boolean {
  const name = r.row.name.replace(/_t32$/, '');
  // system registers other than FPSCR are privileged (SIGILL) on VFPv3 and later
  if (name === 'VMSR' || name === 'VMRS') return f['r'] !== 1;
  // A32 MRS/MSR of the SPSR: UNDEFINED in user mode
  if (r.isa === 'a32' && /^(MRS|MSR_imm|MSR_reg)$/.test(name)) return f['R'] === 1;
  // bit-field lsb (A32: l, T32: i) and width - 1 / msb (w) past bit 31
  const lsb = r.isa === 'a32' ? f['l'] : f['i'];
  const w = f['w'];
  if (lsb === undefined || w === undefined) return false;
  if (/^[SU]BFX$/.test(name)) return lsb + w > 31;
  if (/^BF[IC]$/.test(name)) return w < lsb;
  return false;
}

/** A random encoding of `r` that decodes back to it; undefined when none is found. */
export function randomEncoding(r: OracleRow, rng: Rng, opts: { allowUnpredictable?: boolean } = {}): number | undefined {
  const { row } = r;
  if (r.cls === 'undecoded' || r.cls === 't16-undecoded' || r.cls === 't32-undecoded') return randomUndecoded(r.isa, rng);
  const widthMask = row.width === 16 ? 0xffff : 0xffffffff;
  for (let attempt = 0; attempt < 500; attempt++) {
    let insn = (((rng.u32() & widthMask) & ~row.mask) | row.value) >>> 0;
    for (const spec of row.fieldSpecs) {
      if (r.isa === 'a32' && spec.name === 'c' && spec.bits.length === 4 && spec.bits[0] === 31) {
        insn = setField(insn, spec.bits, rng.chance(0.5) ? 14 : rng.below(15));
      } else if (isCoreRegisterField(r, spec)) {
        const allowPc = isVfp(r) && spec.name === 't' && r.row.name.startsWith('VMRS') && rng.chance(0.3);
        insn = setField(insn, spec.bits, allowPc ? 15 : rng.below(13));
      } else if (isRegListField(r, spec)) {
        let list = rng.u32() & (spec.bits.length === 8 ? 0xff : 0x1fff);
        if (rng.chance(0.3)) list &= rng.u32(); // sparser lists
        insn = setField(insn, spec.bits, list);
      }
    }
    // VMSR/VMRS: mostly FPSCR (the other system registers are privileged: SIGILL)
    const sysReg = /^VM(SR|RS)/.test(row.name) ? row.fieldSpecs.find((s) => s.name === 'r') : undefined;
    if (sysReg && rng.chance(0.8)) insn = setField(insn, sysReg.bits, 1);
    const hit = decodeInsn(r.isa, insn);
    if (!hit || hit.row.name !== row.name || hit.row.pattern !== row.pattern) continue;
    const f = extractFields(row, insn);
    if (!opts.allowUnpredictable && unpredictable(r, f) !== undefined) continue;
    if (unsupported(r, f) || breaksHarness(r, f) !== undefined) continue;
    if (degenerate(r, f) && rng.chance(0.85)) continue;
    return insn;
  }
  return undefined;
}

/** A word (or halfword) no row decodes; register-looking nibbles mostly kept below r13. */
function randomUndecoded(isa: Isa, rng: Rng): number | undefined {
  for (let attempt = 0; attempt < 20000; attempt++) {
    let insn: number;
    if (isa === 't16') {
      insn = rng.below(0xe800);
    } else if (isa === 't32') {
      insn = (((0xe800 + rng.below(0x1800)) << 16) | (rng.u32() & 0xffff)) >>> 0;
    } else {
      insn = rng.u32();
      const cond = rng.chance(0.15) ? 15 : rng.chance(0.5) ? 14 : rng.below(15);
      insn = ((insn & 0x0fffffff) | (cond << 28)) >>> 0;
      if (rng.chance(0.8)) {
        // Rn, Rd, Rs, Rm positions: r0-r12, so an executed word rarely hits sp/pc
        for (const shift of [16, 12, 8, 0]) insn = ((insn & ~(0xf << shift)) | (rng.below(13) << shift)) >>> 0;
      }
      // qemu-arm emulates the old FPA coprocessor (cp1/cp2, NWFPE) in linux-user; EABI
      // kernels do not, and tsqemu follows the kernel (SIGILL): not worth a case
      if ((insn & 0x0c000000) === 0x0c000000 && ((insn >>> 8) & 0xf) >= 1 && ((insn >>> 8) & 0xf) <= 2) continue;
    }
    if (decodeInsn(isa, insn) === undefined && unpredictableUndecoded(isa, insn) === undefined) return insn;
  }
  return undefined;
}

/**
 * Words no tsqemu row decodes that the architecture calls UNPREDICTABLE, not UNDEFINED:
 * tsqemu's SIGILL is a permitted choice there, while qemu-arm executes them somehow. Not
 * generated (a word here would not point at a missing row).
 */
export function unpredictableUndecoded(isa: Isa, insn: number): string | undefined {
  if (isa === 't16' && (insn & 0xff00) === 0x4700 && insn & 7) return 'BX/BLX with nonzero (0) bits';
  // HLT #0x3c (Thumb) / HLT #0xf000 (A32) is qemu's semihosting trap: qemu-arm ends the
  // program ("Unsupported SemiHosting SWI") instead of raising SIGILL
  if ((isa === 't16' && insn === 0xbabc) || (isa === 'a32' && (insn & 0x0fffffff) === 0x010f0070)) return 'qemu semihosting trap';
  // ARMv8.2 half-precision VLDR/VSTR (coprocessor 9): qemu-arm 7.2 decodes them even for
  // VFPv4 models without FP16 arithmetic, where the architecture has nothing there
  const coproc = isa === 'a32' ? insn : isa === 't32' && insn >>> 28 === 0xe ? insn : undefined;
  if (coproc !== undefined && (coproc & 0x0f000f00) === 0x0d000900) return 'ARMv8.2 VLDR/VSTR.16 (qemu decodes it)';
  if (isa === 't32') {
    const hw1 = insn >>> 16;
    if ((hw1 & 0xffc0) === 0xe880 || (hw1 & 0xffc0) === 0xe900) {
      // LDM/STM (IA, DB): sp in the list, pc in a store list, pc and lr both loaded, one register
      const load = (hw1 & 0x10) !== 0;
      const list = insn & 0xffff;
      if (list & 0x2000 || (!load && list & 0x8000) || (load && (list & 0xc000) === 0xc000) || bitCount(list) < 2) return 'T32 LDM/STM register list';
    }
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

const isLoadStore = (r: OracleRow) =>
  r.cls === 'load-store' || r.cls === 't32-load-store' || /^(LD|ST|SWP|PLD|PLI|PUSH|POP|NOP_|VLD|VST)/i.test(r.row.name);

/** Point the base register of a load/store at the scratch area and keep its index small. */
function pointRegisters(r: OracleRow, insn: number, regs: number[], rng: Rng): void {
  const f = extractFields(r.row, insn);
  const t16Index = r.isa === 't16' && /_reg$/.test(r.row.name);
  const m = f['m'];
  const n = f['n'];
  if (m !== undefined && m < 13 && !/^SWP/.test(r.row.name) && (r.row.fieldSpecs.find((s) => s.name === 'm')!.bits.length >= 4 || t16Index)) {
    regs[m] = rng.chance(0.8) ? rng.range(0, 16) * (rng.chance(0.7) ? 4 : 1) : rng.pick([0, 1, 2, 3, 4, 0xfffffffc, 0xffffffff]);
  }
  // VFP loads/stores need word alignment: mostly aligned bases there
  if (n !== undefined && n < 13) regs[n] = /^V(LD|ST)/.test(r.row.name) && rng.chance(0.9) ? scratchPointer(rng) & ~3 : scratchPointer(rng);
  // occasionally a second pointer-looking register for other roles
  for (let i = 0; i < 13; i++) if (rng.chance(0.05) && i !== m) regs[i] = scratchPointer(rng);
}

/** A double or a pair of singles with an interesting value, as 8 little-endian bytes. */
function randomDreg(rng: Rng, out: DataView, off: number): void {
  // vfp-testkit's generators want next()/below()/pick()
  const r = { next: () => rng.u32() | 0, below: (n: number) => rng.below(n), pick: <T,>(xs: readonly T[]) => rng.pick(xs) };
  const k = rng.below(10);
  if (k < 4) {
    const [hi, lo] = k === 0 ? rng.pick(F64_EDGES) : randF64(r as never);
    out.setUint32(off, lo >>> 0, true);
    out.setUint32(off + 4, hi >>> 0, true);
  } else if (k < 8) {
    for (const o of [0, 4]) out.setUint32(off + o, (rng.chance(0.3) ? rng.pick(F32_EDGES) : randF32(r as never)) >>> 0, true);
  } else {
    // integers for the conversions from int / fixed point
    for (const o of [0, 4]) out.setUint32(off + o, randomValue(rng), true);
  }
}

/**
 * FPSCR: random NZCV, rounding mode, FZ, DN and AHP; cumulative exception flags usually
 * clear (so a case shows which ones it raises), sometimes random.
 */
function randomFpscr(rng: Rng): number {
  let v = rng.u32() & 0xf7c00000; // NZCV, AHP, DN, FZ, RMode (QC, Len and Stride clear)
  if (rng.chance(0.2)) v |= rng.u32() & 0x9f;
  return v >>> 0;
}

export function randomInput(r: OracleRow, insns: readonly number[], rng: Rng): CaseInput {
  const regs = Array.from({ length: 13 }, () => randomValue(rng));
  insns.forEach((insn) => {
    const hit = r.isa === 'a32' ? { row: r.row } : decodeThumb(insn);
    const owner: OracleRow | undefined = hit ? { isa: r.isa === 'a32' ? 'a32' : insn > 0xffff ? 't32' : 't16', cls: r.cls, row: hit.row } : undefined;
    if (owner && isLoadStore(owner)) pointRegisters(owner, insn, regs, rng);
  });
  const apsr = ((rng.u32() & 0xf8000000) | ((rng.u32() & 0xf) << 16)) >>> 0;
  const dregs = new Uint8Array(DREGS_BYTES);
  const dv = new DataView(dregs.buffer);
  for (let i = 0; i < 32; i++) randomDreg(rng, dv, i * 8);
  // sp: word aligned inside the scratch area, room above and below for PUSH/POP
  const sp = (SCRATCH + 64 + rng.below(33) * 4) >>> 0;
  return { regs, apsr, sp, fpscr: randomFpscr(rng), tpidrurw: randomValue(rng), dregs, scratch: rng.bytes(SCRATCH_SIZE) };
}

export interface RowCases {
  row: OracleRow;
  cases: TestCase[];
  /** Set when no encoding of this row decodes back to it (shadowed, or feature-gated). */
  unreachable?: boolean;
}

/** Thumb rows an IT block may hold (the oracle's own pool for IT cases). */
let itPool: OracleRow[] | undefined;

function itBlockPool(all: readonly OracleRow[]): OracleRow[] {
  itPool ??= all.filter(
    (r) => r.isa !== 'a32' && skipReason(r) === undefined && !/undecoded/.test(r.cls) && r.cls !== 'it' && !/^(SETEND|CPS)/.test(r.row.name),
  );
  return itPool;
}

/** IT<x> firstcond with a block of `len` instructions; `elses` marks the E positions. */
function itEncoding(firstcond: number, len: number, rng: Rng): number {
  let mask = 1 << (4 - len);
  for (let i = 1; i < len; i++) {
    const bit = firstcond === 14 ? firstcond & 1 : rng.below(2);
    mask |= bit << (4 - i);
  }
  return 0xbf00 | (firstcond << 4) | mask;
}

export function generateCases(r: OracleRow, count: number, seed: number, opts: { allowUnpredictable?: boolean; all?: readonly OracleRow[] } = {}): RowCases {
  const rng = Rng.derive(seed, `${r.isa}|${r.row.name}|${r.row.pattern}`);
  const cases: TestCase[] = [];
  const thumb = r.isa !== 'a32';
  for (let i = 0; i < count; i++) {
    if (r.cls === 'it') {
      const pool = itBlockPool(opts.all ?? []);
      const len = rng.range(1, 4);
      const firstcond = rng.chance(0.1) ? 14 : rng.below(14);
      const it = itEncoding(firstcond, len, rng);
      const block: number[] = [];
      for (let k = 0; k < len; k++) {
        const row = rng.pick(pool);
        const insn = randomEncoding(row, rng, opts);
        if (insn !== undefined) block.push(insn);
        else k--;
      }
      cases.push({ thumb, insn: it, post: block, input: randomInput(r, block, rng) });
      continue;
    }
    const insn = randomEncoding(r, rng, opts);
    if (insn === undefined) return { row: r, cases, unreachable: cases.length === 0 };
    const c: TestCase = { insn, input: randomInput(r, [insn], rng) };
    if (thumb) c.thumb = true;
    const pre = exclusivePreamble(r, insn, rng);
    if (pre) c.pre = pre;
    // a quarter of the Thumb cases run as the single instruction of an IT block
    if (thumb && !/undecoded/.test(r.cls) && !/^(SETEND|CPS|IT$)/.test(r.row.name) && rng.chance(0.25)) {
      c.pre = [...(pre ?? []), itEncoding(rng.below(15), 1, rng)];
    }
    cases.push(c);
  }
  return { row: r, cases };
}

/** LDREX{B,H,D} opcode bits 23:20 by STREX row size suffix (A32). */
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
  const a32 = r.isa === 'a32';
  const rt = a32 ? f['T']! : f['t']!;
  const rt2 = pair ? (a32 ? rt + 1 : f['T']!) : -1;
  const used = new Set([f['n'], f['d'], rt, rt2]);
  const free: number[] = [];
  for (let t = 0; t < 13; t += pair ? 2 : 1) if (!used.has(t) && !(pair && used.has(t + 1)) && !(pair && t + 1 > 12)) free.push(t);
  if (!free.length) return undefined;
  const t = rng.pick(free);
  if (a32) {
    const cond = insn & 0xf0000000;
    return [(cond | (0x1 << 24) | (LDREX_OPS[m[1]!]! << 20) | (f['n']! << 16) | (t << 12) | 0xf9f) >>> 0];
  }
  // T32: LDREX Rt, [Rn] / LDREXB / LDREXH / LDREXD Rt, Rt2, [Rn]
  const n = f['n']!;
  if (m[1] === '') return [(0xe8500f00 | (n << 16) | (t << 12)) >>> 0];
  if (m[1] === 'D') return [(0xe8d0007f | (n << 16) | (t << 12) | ((t + 1) << 8)) >>> 0];
  return [(0xe8d00f4f | (m[1] === 'H' ? 0x10 : 0) | (n << 16) | (t << 12)) >>> 0];
}
