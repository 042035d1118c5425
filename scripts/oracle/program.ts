// Test programs: a sequence of cases, each "load a random state, run one instruction, dump
// the state with write(1, ...)", assembled straight into an ELF by elf-writer.ts.
//
// Memory map of a test program:
//   CODE_BASE  (R+X)  _start, then one block of code per case, then exit_group(0)
//   INPUT_BASE (R)    one input record per case: r0..r12, APSR, pristine scratch bytes
//   GUARD_BASE (R+W)  zero pages around the state area, so accesses a little outside the
//                     scratch area hit mapped memory that is not compared
//   STATE      (R+W)  the dump area r13 points to: r0..r12, APSR, then the scratch area
//
// Per case (r13 = STATE throughout):
//   movw/movt r0, &input.scratch ; movw/movt r1, SCRATCH
//   { ldm r0!, {r2-r9} ; stm r1!, {r2-r9} } x SCRATCH_SIZE/32     reset the scratch area
//   movw/movt r0, &input ; ldr r1, [r0, #52] ; msr APSR_nzcvqg, r1
//   ldm r0, {r0-r12} ; mov lr, #0
//   [pre instructions, e.g. the LDREX that arms a STREX]
//   <instruction under test>
//   stm sp, {r0-r12} ; mrs r0, APSR ; str r0, [sp, #52]
//   movw/movt r0, #ENDIAN_MARKER ; str r0, [sp, #56]   (tells how the dump was stored)
//   mov r0, #1 ; mov r1, sp ; movw r2, #RECORD_SIZE ; mov r7, #4 ; svc 0
import { PF_R, PF_W, PF_X, wordsToBytes, writeElf } from './elf-writer.js';

export const CODE_BASE = 0x10000;
export const INPUT_BASE = 0x200000;
export const GUARD_BASE = 0x7e000;
export const GUARD_SIZE = 0x6000;
export const STATE = 0x80000;
export const REGS_BYTES = 60; // r0..r12, APSR, endianness marker
/** Stored after APSR: reads back byte-swapped when the case left CPSR.E set. */
export const ENDIAN_MARKER = 0x11223344;
export const SCRATCH = STATE + REGS_BYTES;
export const SCRATCH_SIZE = 256;
export const RECORD_SIZE = REGS_BYTES + SCRATCH_SIZE;
/** APSR bits an MSR APSR_nzcvqg can set and every model keeps: NZCVQ and GE[3:0]. */
export const APSR_MASK = 0xf80f0000;

export interface CaseInput {
  regs: number[]; // r0..r12, uint32
  apsr: number; // NZCVQ + GE bits
  scratch: Uint8Array; // SCRATCH_SIZE bytes
}

export interface TestCase {
  insn: number;
  input: CaseInput;
  /** Instructions run just before the one under test (e.g. LDREX before STREX). */
  pre?: number[];
}

export interface CaseOutput {
  regs: number[];
  apsr: number;
  scratch: Uint8Array;
  /** The dump was stored big-endian (the case left CPSR.E set); regs/apsr are already swapped back. */
  bigEndian?: boolean;
}

export interface BuildOptions {
  /** Start every case with SETEND LE, so a case that sets CPSR.E cannot leak into the next. */
  resetEndian?: boolean;
}

export interface BuiltProgram {
  elf: Uint8Array;
  /** Address of each case's instruction under test. */
  insnAddress: number[];
  /** Address where each case's tested code starts (its `pre` instructions, else insnAddress). */
  caseStart: number[];
  entry: number;
}

// ---- the few A32 encodings the prologue/epilogue need (cond = AL) ----
const AL = 0xe0000000;
const movw = (d: number, v: number) => (AL | 0x03000000 | (((v >>> 12) & 0xf) << 16) | (d << 12) | (v & 0xfff)) >>> 0;
const movt = (d: number, v: number) => (AL | 0x03400000 | (((v >>> 28) & 0xf) << 16) | (d << 12) | ((v >>> 16) & 0xfff)) >>> 0;
const ldmWb = (n: number, list: number) => (AL | 0x08b00000 | (n << 16) | list) >>> 0;
const stmWb = (n: number, list: number) => (AL | 0x08a00000 | (n << 16) | list) >>> 0;
const ldm = (n: number, list: number) => (AL | 0x08900000 | (n << 16) | list) >>> 0;
const stm = (n: number, list: number) => (AL | 0x08800000 | (n << 16) | list) >>> 0;
const ldrImm = (t: number, n: number, off: number) => (AL | 0x05900000 | (n << 16) | (t << 12) | off) >>> 0;
const strImm = (t: number, n: number, off: number) => (AL | 0x05800000 | (n << 16) | (t << 12) | off) >>> 0;
const msrApsrNzcvqg = (n: number) => (AL | 0x012cf000 | n) >>> 0;
const mrsApsr = (d: number) => (AL | 0x010f0000 | (d << 12)) >>> 0;
const movImm = (d: number, v: number) => (AL | 0x03a00000 | (d << 12) | v) >>> 0;
const movReg = (d: number, m: number) => (AL | 0x01a00000 | (d << 12) | m) >>> 0;
const SVC0 = 0xef000000;
const SETEND_LE = 0xf1010000;
const SP = 13;

function load32(d: number, v: number): number[] {
  return [movw(d, v & 0xffff), movt(d, v)];
}

/** Words of the per-case prologue; the instruction under test goes right after. */
function prologue(inputAddress: number, resetEndian: boolean): number[] {
  const w = resetEndian ? [SETEND_LE] : [];
  w.push(...load32(0, inputAddress + REGS_BYTES), ...load32(1, SCRATCH));
  for (let i = 0; i < SCRATCH_SIZE / 32; i++) w.push(ldmWb(0, 0x3fc), stmWb(1, 0x3fc));
  w.push(...load32(0, inputAddress), ldrImm(1, 0, 52), msrApsrNzcvqg(1), ldm(0, 0x1fff), movImm(14, 0));
  return w;
}

function epilogue(): number[] {
  return [stm(SP, 0x1fff), mrsApsr(0), strImm(0, SP, 52), ...load32(0, ENDIAN_MARKER), strImm(0, SP, 56), movImm(0, 1), movReg(1, SP), movw(2, RECORD_SIZE), movImm(7, 4), SVC0];
}

export function encodeInput(input: CaseInput): Uint8Array {
  const out = new Uint8Array(RECORD_SIZE);
  const v = new DataView(out.buffer);
  input.regs.forEach((r, i) => v.setUint32(i * 4, r >>> 0, true));
  v.setUint32(52, input.apsr >>> 0, true);
  v.setUint32(56, ENDIAN_MARKER, true);
  out.set(input.scratch, REGS_BYTES);
  return out;
}

export function buildProgram(cases: readonly TestCase[], opts: BuildOptions = {}): BuiltProgram {
  const words: number[] = [...load32(SP, STATE)];
  const insnAddress: number[] = [];
  const caseStart: number[] = [];
  cases.forEach((c, k) => {
    words.push(...prologue(INPUT_BASE + k * RECORD_SIZE, opts.resetEndian ?? false));
    caseStart.push(CODE_BASE + words.length * 4);
    words.push(...(c.pre ?? []));
    insnAddress.push(CODE_BASE + words.length * 4);
    words.push(c.insn >>> 0, ...epilogue());
  });
  words.push(movImm(0, 0), movImm(7, 248), SVC0);
  const inputs = new Uint8Array(Math.max(1, cases.length) * RECORD_SIZE);
  cases.forEach((c, k) => inputs.set(encodeInput(c.input), k * RECORD_SIZE));
  const elf = writeElf({
    entry: CODE_BASE,
    segments: [
      { address: CODE_BASE, bytes: wordsToBytes(words), flags: PF_R | PF_X },
      { address: INPUT_BASE, bytes: inputs, flags: PF_R },
      { address: GUARD_BASE, bytes: new Uint8Array(0), memSize: GUARD_SIZE, flags: PF_R | PF_W },
    ],
  });
  return { elf, insnAddress, caseStart, entry: CODE_BASE };
}

/**
 * Split a program's stdout into complete case records (a trailing partial record is dropped).
 * A record whose marker word reads byte-swapped was stored with CPSR.E set: its words are
 * read big-endian.
 */
export function parseOutput(stdout: Uint8Array): CaseOutput[] {
  const out: CaseOutput[] = [];
  const v = new DataView(stdout.buffer, stdout.byteOffset, stdout.byteLength);
  for (let off = 0; off + RECORD_SIZE <= stdout.length; off += RECORD_SIZE) {
    const bigEndian = v.getUint32(off + 56, false) === ENDIAN_MARKER;
    const regs: number[] = [];
    for (let i = 0; i < 13; i++) regs.push(v.getUint32(off + i * 4, !bigEndian));
    const rec: CaseOutput = { regs, apsr: v.getUint32(off + 52, !bigEndian), scratch: stdout.slice(off + REGS_BYTES, off + RECORD_SIZE) };
    if (bigEndian) rec.bigEndian = true;
    out.push(rec);
  }
  return out;
}
