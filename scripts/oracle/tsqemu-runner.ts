// Run oracle programs inside this process on tsqemu's engine, without the CLI or Linux layer.
//
// Two ways:
//   runProgramInProcess  loads every PT_LOAD of a static ELF and runs it from its entry,
//                        implementing write(1, ...) and exit_group itself: the same program
//                        qemu-arm ran, byte for byte.
//   runCasesDirect       loads the same ELF, but runs each case alone: a UDF after the
//                        instruction stops it, the input state is set straight into the
//                        vCPU (no prologue), and it runs only the case's own
//                        instruction and reads the state back. It needs nothing from tsqemu
//                        but the instruction under test, so a bug in LDM/MSR/MRS/SVC cannot
//                        hide or masquerade as a bug elsewhere.
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { Engine } from '../../src/engine/engine.js';
import { Vcpu } from '../../src/engine/vcpu.js';
import { Logger } from '../../src/log/log.js';
import { EXIT_BREAKPOINT, EXIT_FAULT, EXIT_NEXT, EXIT_SYSCALL, EXIT_UNDEFINED, exitNames } from '../../src/engine/exits.js';
import { arm } from '../../targets/arm/index.js';
import { S, VFP_OFFSET, readCpsr, writeCpsrFlags } from '../../targets/arm/cpu-state.js';
import type { ProgramResult } from './qemu.js';
import { DREGS_BYTES, ENDIAN_MARKER, OFF_APSR, OFF_DREGS, OFF_FPSCR, OFF_MARKER, OFF_SP, SCRATCH, SCRATCH_SIZE, STATE, thumbSize, type BuiltProgram, type CaseOutput, type TestCase } from './program.js';

const UDF = 0xe7f000f0;
const THUMB_UDF = 0xde00;
const SLICE_BLOCKS = 100000;
/**
 * Where qemu-arm 7.2 puts a static program's stack (-d page): a guard page at 0x40000000,
 * 8 MiB of stack above it and one more page below. Mapping the same ranges makes a wild
 * load/store that lands there behave alike on both sides.
 */
const QEMU_STACK = { start: 0x40001000, size: 0x800000, below: 0x3ffff000 };

/** Harness-level observations about tsqemu itself (printed once in the report). */
export const harnessNotes = new Set<string>();

let shared: GuestMemory | undefined;
let mapped: { start: number; length: number }[] = [];

/** One 4 GiB buffer per process; ranges mapped by the previous run are unmapped (zeroed). */
function freshMemory(): GuestMemory {
  shared ??= new GuestMemory();
  for (const r of mapped) shared.unmap(r.start, r.length);
  mapped = [];
  return shared;
}

function map(mem: GuestMemory, start: number, length: number, prot: number): void {
  const s = (start & ~0xfff) >>> 0;
  const len = Math.ceil((start + length) / 0x1000) * 0x1000 - s;
  const after = (s + len) >>> 12;
  const wasMapped = mem.isMapped(after);
  mem.protect(s, len, prot);
  mapped.push({ start: s, length: len });
  if (!wasMapped && mem.isMapped(after)) {
    // GuestMemory.protect() mapped the page after a page-aligned range: undo it so that
    // instruction results are not blamed for it, and say so once
    mem.pageFlags[after] = 0;
    harnessNotes.add('GuestMemory.protect(start, length) also maps the page after a page-aligned range (off by one); the oracle runner undoes it');
  }
}

/**
 * qemu-arm 7.2's commpage: 0xffff0000, readable, all zero but the kuser helper version (5)
 * at 0xffff0ffc. A wild load that wraps around to it reads the same on both sides.
 */
const QEMU_COMMPAGE = 0xffff0000;

function mapQemuStack(mem: GuestMemory): void {
  map(mem, QEMU_STACK.below, 0x1000, PROT_READ | PROT_WRITE);
  map(mem, QEMU_STACK.start, QEMU_STACK.size, PROT_READ | PROT_WRITE);
  map(mem, QEMU_COMMPAGE, 0x1000, PROT_READ);
  mem.u32[(QEMU_COMMPAGE + 0xffc) >>> 2] = 5;
}

interface LoadSegment {
  address: number;
  fileOffset: number;
  fileSize: number;
  memSize: number;
  flags: number;
}

function parseElf(elf: Uint8Array): { entry: number; segments: LoadSegment[] } {
  const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  if (v.getUint32(0, false) !== 0x7f454c46 || elf[4] !== 1 || elf[5] !== 1) throw new Error('not an ELF32 little-endian file');
  const phoff = v.getUint32(28, true);
  const phentsize = v.getUint16(42, true);
  const phnum = v.getUint16(44, true);
  const segments: LoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (v.getUint32(p, true) !== 1) continue;
    segments.push({
      fileOffset: v.getUint32(p + 4, true),
      address: v.getUint32(p + 8, true),
      fileSize: v.getUint32(p + 16, true),
      memSize: v.getUint32(p + 20, true),
      flags: v.getUint32(p + 24, true),
    });
  }
  return { entry: v.getUint32(24, true), segments };
}

function loadElf(mem: GuestMemory, elf: Uint8Array, skipExec = false): number {
  const { entry, segments } = parseElf(elf);
  for (const seg of segments) {
    const prot = (seg.flags & 4 ? PROT_READ : 0) | (seg.flags & 2 ? PROT_WRITE : 0) | (seg.flags & 1 ? PROT_EXEC : 0);
    map(mem, seg.address, seg.memSize, prot);
    if (skipExec && seg.flags & 1) continue;
    mem.u8.set(elf.subarray(seg.fileOffset, seg.fileOffset + seg.fileSize), seg.address);
  }
  return entry;
}

function newEngine(mem: GuestMemory, cpuName: string, singleInsn: boolean): Engine {
  const cpu = arm.cpuModels.find((m) => m.name === cpuName);
  if (!cpu) throw new Error(`unknown tsqemu cpu ${cpuName}`);
  return new Engine(arm, mem, new Logger(), {
    cpu,
    maxInsnsPerBlock: singleInsn ? 1 : 256,
    maxBlocksPerRegion: singleInsn ? 1 : 16,
    sliceBlocks: SLICE_BLOCKS,
    symbolize: () => '',
  });
}

function resetVcpu(st: Int32Array): void {
  st.fill(0);
  st[S.ZF] = 1;
  st[S.CPSR_OTHER] = 0x10;
  st[S.EXCL_ADDR] = -1;
}

/** Signal name for a stop that kills the process. */
function signalFor(exit: number, mem: GuestMemory): string {
  if (exit === EXIT_FAULT) return mem.lastFault.kind === 'alignment' ? 'SIGBUS' : 'SIGSEGV';
  if (exit === EXIT_UNDEFINED) return 'SIGILL';
  if (exit === EXIT_BREAKPOINT) return 'SIGTRAP';
  return `exit-${exitNames[exit] ?? exit}`;
}

/** Run a whole static program (only write and exit_group are served). */
export function runProgramInProcess(elf: Uint8Array, cpu = arm.defaultCpu, maxBlocks = 5_000_000): ProgramResult {
  const mem = freshMemory();
  const entry = loadElf(mem, elf, false);
  mapQemuStack(mem);
  const engine = newEngine(mem, cpu, false);
  const vcpu = new Vcpu(0, arm);
  const st = vcpu.state;
  resetVcpu(st);
  st[13] = QEMU_STACK.start + QEMU_STACK.size - 0x100;
  st[S.pc] = entry;
  const chunks: Uint8Array[] = [];
  let stderr = '';
  const finish = (exitStatus: number | null, signal: string | null): ProgramResult => {
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const stdout = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      stdout.set(c, off);
      off += c.length;
    }
    return { stdout, exitStatus, signal, stderr };
  };
  // maxBlocks bounds a runaway guest: only slices that used up their budget count
  for (let slices = 0; slices * SLICE_BLOCKS < maxBlocks; ) {
    const exit = engine.run(vcpu);
    if (exit === EXIT_NEXT) {
      slices++;
      continue;
    }
    if (exit !== EXIT_SYSCALL) return finish(null, signalFor(exit, mem));
    const nr = st[7]!;
    if (nr === 4) {
      const [fd, buf, len] = [st[0]!, st[1]! >>> 0, st[2]! >>> 0];
      if (!mem.rangeHas(buf, len, PROT_READ)) {
        st[0] = -14; // EFAULT
      } else {
        const bytes = mem.u8.slice(buf, buf + len);
        if (fd === 1) chunks.push(bytes);
        else stderr += Buffer.from(bytes).toString('utf8');
        st[0] = len;
      }
    } else if (nr === 248 || nr === 1) {
      return finish(st[0]! & 0xff, null);
    } else {
      st[0] = -38; // ENOSYS
    }
  }
  return finish(null, 'timeout');
}

export interface DirectResult {
  outputs: CaseOutput[];
  /** Signal of the case that stopped the run (index outputs.length), like a killed program. */
  signal: string | null;
  /** Anything odd about the run besides a signal (e.g. r13/r14/PC changed). */
  notes: string[];
}

/** Write the case's instructions (A32 words, or Thumb halfwords) at its addresses. */
function placeCode(mem: GuestMemory, c: TestCase, start: number): void {
  if (!c.thumb) {
    [...(c.pre ?? []), c.insn].forEach((w, i) => (mem.u32[(start >>> 2) + i] = w >>> 0));
    return;
  }
  let a = start;
  for (const insn of [...(c.pre ?? []), c.insn, ...(c.post ?? [])]) {
    if (thumbSize(insn) === 4) {
      mem.u16[a >>> 1] = insn >>> 16;
      mem.u16[(a + 2) >>> 1] = insn & 0xffff;
    } else {
      mem.u16[a >>> 1] = insn;
    }
    a += thumbSize(insn);
  }
}

/** The dump the program's epilogue would leave in the state area. */
function storeDump(mem: GuestMemory, out: CaseOutput): void {
  const v = new DataView(mem.u8.buffer, STATE, OFF_DREGS + DREGS_BYTES);
  out.regs.forEach((r, i) => v.setUint32(i * 4, r, true));
  v.setUint32(OFF_APSR, out.apsr, true);
  v.setUint32(OFF_MARKER, ENDIAN_MARKER, true);
  v.setUint32(OFF_SP, out.sp, true);
  v.setUint32(OFF_FPSCR, out.fpscr, true);
  mem.u8.set(out.dregs, STATE + OFF_DREGS);
}

/**
 * Run cases one instruction at a time. Memory is the program's data as the ELF defines it,
 * and it carries over from case to case just as in the real program (the state area holds
 * the previous dump; stores outside the scratch area stay).
 */
export function runCasesDirect(elf: Uint8Array, cases: readonly TestCase[], prog: Omit<BuiltProgram, 'elf'>, cpu = arm.defaultCpu): DirectResult {
  const mem = freshMemory();
  loadElf(mem, elf, false); // the code too: a wild load may read it, as in qemu
  mapQemuStack(mem);
  const engine = newEngine(mem, cpu, false);
  const vcpu = new Vcpu(0, arm);
  const st = vcpu.state;
  const fpBytes = new Uint8Array(st.buffer, st.byteOffset + VFP_OFFSET, DREGS_BYTES);
  const outputs: CaseOutput[] = [];
  const notes: string[] = [];
  for (let k = 0; k < cases.length; k++) {
    const c = cases[k]!;
    const addr = prog.insnAddress[k]!;
    const start = prog.caseStart[k]!;
    const end = prog.caseEnd[k]!;
    placeCode(mem, c, start);
    // stop right after the tested code with UDF; the word it hides is put back below
    const hidden = mem.u32[end >>> 2]!;
    const hiddenNext = mem.u32[(end >>> 2) + 1]!;
    if (c.thumb) mem.u16[end >>> 1] = THUMB_UDF;
    else mem.u32[end >>> 2] = UDF;
    mem.u8.set(c.input.scratch.subarray(0, SCRATCH_SIZE), SCRATCH);
    resetVcpu(st);
    for (let i = 0; i < 13; i++) st[i] = c.input.regs[i]! | 0;
    st[13] = c.input.sp | 0;
    st[14] = prog.caseLr[k]! | 0;
    writeCpsrFlags(st, c.input.apsr, 0xf80f0000);
    st[S.FPSCR] = c.input.fpscr | 0;
    st[S.TPIDRURW] = c.input.tpidrurw | 0;
    fpBytes.set(c.input.dregs);
    st[S.pc] = c.thumb ? start | 1 : start;
    let exit = EXIT_NEXT;
    for (let guard = 0; guard < 100 && exit === EXIT_NEXT; guard++) exit = engine.run(vcpu);
    mem.u32[end >>> 2] = hidden;
    mem.u32[(end >>> 2) + 1] = hiddenNext;
    const pc = (st[S.pc]! >>> 0) & ~1;
    const completed = (exit === EXIT_UNDEFINED || exit === EXIT_BREAKPOINT) && pc === end;
    if (!completed) {
      if (exit === EXIT_FAULT || exit === EXIT_UNDEFINED || exit === EXIT_BREAKPOINT) {
        if (pc < start || pc >= end) notes.push(`case ${k}: ${exitNames[exit]} reported at 0x${pc.toString(16)}, instruction at 0x${addr.toString(16)}`);
        return { outputs, signal: signalFor(exit, mem), notes };
      }
      notes.push(`case ${k}: stopped with ${exitNames[exit] ?? exit} at 0x${pc.toString(16)} (instruction at 0x${addr.toString(16)})`);
      return { outputs, signal: `exit-${exitNames[exit] ?? exit}`, notes };
    }
    if (st[14] !== (prog.caseLr[k]! | 0)) notes.push(`case ${k}: r14 changed to 0x${(st[14]! >>> 0).toString(16)}`);
    if (st[S.ITSTATE]) notes.push(`case ${k}: ended inside an IT block (ITSTATE 0x${st[S.ITSTATE]!.toString(16)})`);
    const out: CaseOutput = {
      regs: Array.from({ length: 13 }, (_, i) => st[i]! >>> 0),
      apsr: readCpsr(st) >>> 0,
      sp: st[13]! >>> 0,
      fpscr: st[S.FPSCR]! >>> 0,
      dregs: fpBytes.slice(),
      scratch: mem.u8.slice(SCRATCH, SCRATCH + SCRATCH_SIZE),
    };
    // the epilogue runs in ARM state: the dumped APSR has T clear
    out.apsr = (out.apsr & ~0x20) >>> 0;
    storeDump(mem, out);
    outputs.push(out);
  }
  return { outputs, signal: null, notes };
}
