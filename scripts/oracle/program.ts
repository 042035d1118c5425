// Test programs: a sequence of cases, each "load a random state, run one instruction, dump
// the state with write(1, ...)", assembled straight into an ELF by elf-writer.ts.
//
// Memory map of a test program:
//   CODE_BASE  (R+X)  _start, then one block of code per case, then exit_group(0)
//   INPUT_BASE (R)    one input record per case, laid out like the dump (below)
//   GUARD_BASE (R+W)  zero pages around the state area, so accesses a little outside the
//                     scratch area hit mapped memory that is not compared
//   STATE      (R+W)  the dump area: one record, then the scratch area right after it
//
// A record (input and dump alike), byte offsets:
//   0 r0..r12 | 52 APSR | 56 endianness marker | 60 sp | 64 FPSCR | 68 TPIDRURW | 72 d0..d31 |
//   328 scratch (256 bytes)
//
// Per case, in A32 (the prologue and epilogue are always ARM code):
//   [setend le]
//   r0 = &input.scratch ; r1 = SCRATCH ; { ldm r0!, {r2-r9} ; stm r1!, {r2-r9} } x 8
//   r0 = &input.d ; vldmia r0!, {d0-d15} ; vldmia r0, {d16-d31}
//   r0 = &input ; ldr r1, [r0, #64] ; vmsr fpscr, r1 ; ldr r1, [r0, #52] ; msr APSR_nzcvqg, r1
//   ldr r1, [r0, #68] ; mcr p15, 0, r1, c13, c0, 2   (TPIDRURW, for MRC to read)
//   ldr sp, [r0, #60] ; ldm r0, {r0-r12} ; mov lr, #0
//   A32 case:   [pre] <instruction under test>
//   Thumb case: blx .+4 (lr = its return address) ; Thumb: [pre] <insn> [post]
//               [nop, to align] ; bx pc ; (udf filler) -- back in ARM state
//   mcr p15, 0, r0, c13, c0, 2 (TPIDRURW holds r0: the dump does not include the TPIDRURW
//   a tested MCR writes) ; mov r0, sp ; sp = STATE
//   str r0, [sp, #60] ; mrc p15, 0, r0, c13, c0, 2
//   stm sp, {r0-r12} ; mrs r0, APSR ; str r0, [sp, #52] ; vmrs r0, fpscr ; str r0, [sp, #64]
//   add r0, sp, #72 ; vstmia r0!, {d0-d15} ; vstmia r0, {d16-d31}
//   r0 = ENDIAN_MARKER ; str r0, [sp, #56]   (tells how the dump was stored)
//   mov r0, #1 ; mov r1, sp ; movw r2, #RECORD_SIZE ; mov r7, #4 ; svc 0
import { PF_R, PF_W, PF_X, writeElf } from './elf-writer.js';

export const CODE_BASE = 0x10000;
export const INPUT_BASE = 0x200000;
export const GUARD_BASE = 0x7e000;
export const GUARD_SIZE = 0x6000;
export const STATE = 0x80000;
export const OFF_APSR = 52;
export const OFF_MARKER = 56;
export const OFF_SP = 60;
export const OFF_FPSCR = 64;
export const OFF_TPIDRURW = 68;
export const OFF_DREGS = 72;
export const DREGS_BYTES = 32 * 8;
export const REGS_BYTES = OFF_DREGS + DREGS_BYTES;
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
  sp: number;
  fpscr: number;
  /** User read/write thread ID register (MRC p15 c13 c0 2 reads it). */
  tpidrurw: number;
  /** d0..d31 as little-endian bytes (DREGS_BYTES). */
  dregs: Uint8Array;
  scratch: Uint8Array; // SCRATCH_SIZE bytes
}

/**
 * One case. A32: `pre`, `insn` are A32 words. Thumb: every entry is one Thumb instruction,
 * a halfword (<= 0xffff) or a 32-bit one written first-halfword-high (0xHHHHLLLL, always
 * > 0xffff since a T32 first halfword is >= 0xe800); `post` follows the instruction under
 * test (the rest of an IT block).
 */
export interface TestCase {
  insn: number;
  input: CaseInput;
  thumb?: boolean;
  /** Instructions run just before the one under test (an LDREX before STREX, an IT). */
  pre?: number[];
  /** Thumb only: instructions run right after it (the rest of its IT block). */
  post?: number[];
}

export interface CaseOutput {
  regs: number[];
  apsr: number;
  sp: number;
  fpscr: number;
  dregs: Uint8Array;
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
  /** Address right after the case's tested code (after `post`). */
  caseEnd: number[];
  /** lr as the tested code sees it (0 in A32; the BLX return address in Thumb). */
  caseLr: number[];
  entry: number;
}

/** Bytes of one Thumb instruction as written in a TestCase. */
export function thumbSize(insn: number): 2 | 4 {
  return insn > 0xffff ? 4 : 2;
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
const addImm = (d: number, n: number, v: number) => (AL | 0x02800000 | (n << 16) | (d << 12) | v) >>> 0;
/** VLDMIA/VSTMIA Rn{!}, {d0-d15} (high: {d16-d31}). */
const vldm16 = (n: number, high: boolean, wb: boolean) => (AL | 0x0c900b20 | (high ? 1 << 22 : 0) | (wb ? 1 << 21 : 0) | (1 << 23) | (n << 16)) >>> 0;
const vstm16 = (n: number, high: boolean, wb: boolean) => (vldm16(n, high, wb) & ~(1 << 20)) >>> 0;
const vmsrFpscr = (t: number) => (AL | 0x0ee10a10 | (t << 12)) >>> 0;
const vmrsFpscr = (t: number) => (AL | 0x0ef10a10 | (t << 12)) >>> 0;
const mcrTpidrurw = (t: number) => (AL | 0x0e0d0f50 | (t << 12)) >>> 0;
const mrcTpidrurw = (t: number) => (AL | 0x0e1d0f50 | (t << 12)) >>> 0;
const SVC0 = 0xef000000;
const SETEND_LE = 0xf1010000;
/** BLX to the next word, switching to Thumb: lr = the address of that word. */
const BLX_NEXT = 0xfaffffff;
const T_NOP = 0xbf00;
const T_BX_PC = 0x4778;
const T_UDF = 0xde00;
const SP = 13;

function load32(d: number, v: number): number[] {
  return [movw(d, v & 0xffff), movt(d, v)];
}

/** Words of the per-case prologue; the instruction under test goes right after. */
function prologue(inputAddress: number, resetEndian: boolean): number[] {
  const w = resetEndian ? [SETEND_LE] : [];
  w.push(...load32(0, inputAddress + REGS_BYTES), ...load32(1, SCRATCH));
  for (let i = 0; i < SCRATCH_SIZE / 32; i++) w.push(ldmWb(0, 0x3fc), stmWb(1, 0x3fc));
  w.push(...load32(0, inputAddress + OFF_DREGS), vldm16(0, false, true), vldm16(0, true, false));
  w.push(...load32(0, inputAddress), ldrImm(1, 0, OFF_FPSCR), vmsrFpscr(1), ldrImm(1, 0, OFF_APSR), msrApsrNzcvqg(1), ldrImm(1, 0, OFF_TPIDRURW), mcrTpidrurw(1));
  w.push(ldrImm(SP, 0, OFF_SP), ldm(0, 0x1fff), movImm(14, 0));
  return w;
}

function epilogue(): number[] {
  return [
    mcrTpidrurw(0), movReg(0, SP), ...load32(SP, STATE), strImm(0, SP, OFF_SP), mrcTpidrurw(0),
    stm(SP, 0x1fff), mrsApsr(0), strImm(0, SP, OFF_APSR), vmrsFpscr(0), strImm(0, SP, OFF_FPSCR),
    addImm(0, SP, OFF_DREGS), vstm16(0, false, true), vstm16(0, true, false),
    ...load32(0, ENDIAN_MARKER), strImm(0, SP, OFF_MARKER),
    movImm(0, 1), movReg(1, SP), movw(2, RECORD_SIZE), movImm(7, 4), SVC0,
  ];
}

export function encodeInput(input: CaseInput): Uint8Array {
  const out = new Uint8Array(RECORD_SIZE);
  const v = new DataView(out.buffer);
  input.regs.forEach((r, i) => v.setUint32(i * 4, r >>> 0, true));
  v.setUint32(OFF_APSR, input.apsr >>> 0, true);
  v.setUint32(OFF_MARKER, ENDIAN_MARKER, true);
  v.setUint32(OFF_SP, input.sp >>> 0, true);
  v.setUint32(OFF_FPSCR, input.fpscr >>> 0, true);
  v.setUint32(OFF_TPIDRURW, input.tpidrurw >>> 0, true);
  out.set(input.dregs, OFF_DREGS);
  out.set(input.scratch, REGS_BYTES);
  return out;
}

/** Code under construction as halfwords (ARM words take two). */
class CodeBuffer {
  readonly half: number[] = [];
  get address(): number {
    return CODE_BASE + this.half.length * 2;
  }
  word(...ws: number[]): void {
    for (const w of ws) this.half.push(w & 0xffff, w >>> 16);
  }
  thumb(...insns: number[]): void {
    for (const i of insns) {
      if (thumbSize(i) === 4) this.half.push(i >>> 16, i & 0xffff);
      else this.half.push(i);
    }
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.half.length * 2);
    const v = new DataView(out.buffer);
    this.half.forEach((h, i) => v.setUint16(i * 2, h, true));
    return out;
  }
}

export function buildProgram(cases: readonly TestCase[], opts: BuildOptions = {}): BuiltProgram {
  const code = new CodeBuffer();
  code.word(...load32(SP, STATE));
  const built: Omit<BuiltProgram, 'elf' | 'entry'> = { insnAddress: [], caseStart: [], caseEnd: [], caseLr: [] };
  cases.forEach((c, k) => {
    code.word(...prologue(INPUT_BASE + k * RECORD_SIZE, opts.resetEndian ?? false));
    if (c.thumb) {
      code.word(BLX_NEXT);
      built.caseLr.push(code.address);
      built.caseStart.push(code.address);
      code.thumb(...(c.pre ?? []));
      built.insnAddress.push(code.address);
      code.thumb(c.insn, ...(c.post ?? []));
      built.caseEnd.push(code.address);
      if (code.address % 4) code.thumb(T_NOP);
      code.thumb(T_BX_PC, T_UDF);
    } else {
      built.caseLr.push(0);
      built.caseStart.push(code.address);
      code.word(...(c.pre ?? []));
      built.insnAddress.push(code.address);
      code.word(c.insn >>> 0);
      built.caseEnd.push(code.address);
    }
    code.word(...epilogue());
  });
  code.word(movImm(0, 0), movImm(7, 248), SVC0);
  const inputs = new Uint8Array(Math.max(1, cases.length) * RECORD_SIZE);
  cases.forEach((c, k) => inputs.set(encodeInput(c.input), k * RECORD_SIZE));
  const elf = writeElf({
    entry: CODE_BASE,
    segments: [
      { address: CODE_BASE, bytes: code.bytes(), flags: PF_R | PF_X },
      { address: INPUT_BASE, bytes: inputs, flags: PF_R },
      { address: GUARD_BASE, bytes: new Uint8Array(0), memSize: GUARD_SIZE, flags: PF_R | PF_W },
    ],
  });
  return { elf, entry: CODE_BASE, ...built };
}

/** Decode one dump record (as stored little-endian, or big-endian when `bigEndian`). */
export function decodeRecord(bytes: Uint8Array, bigEndian = false): CaseOutput {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = !bigEndian;
  const regs: number[] = [];
  for (let i = 0; i < 13; i++) regs.push(v.getUint32(i * 4, le));
  const rec: CaseOutput = {
    regs,
    apsr: v.getUint32(OFF_APSR, le),
    sp: v.getUint32(OFF_SP, le),
    fpscr: v.getUint32(OFF_FPSCR, le),
    dregs: bytes.slice(OFF_DREGS, OFF_DREGS + DREGS_BYTES),
    scratch: bytes.slice(REGS_BYTES, RECORD_SIZE),
  };
  if (bigEndian) rec.bigEndian = true;
  return rec;
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
    const bigEndian = v.getUint32(off + OFF_MARKER, false) === ENDIAN_MARKER;
    out.push(decodeRecord(stdout.subarray(off, off + RECORD_SIZE), bigEndian));
  }
  return out;
}
