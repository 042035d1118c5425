// Test harness: run a few A32 instruction words on a fresh vCPU, without ELF or Linux.
// The words are placed at CODE_BASE followed by `svc #0`; the run stops at the first exit
// that is not "next" (the final svc, a fault, SIGILL, ...). Used by per-class unit tests.
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/guest-memory.js';
import { Engine } from '../../../src/engine/engine.js';
import { Vcpu } from '../../../src/engine/vcpu.js';
import { Logger } from '../../../src/log/log.js';
import { EXIT_NEXT } from '../../../src/engine/exits.js';
import { arm } from '../index.js';
import { S, VFP_OFFSET } from '../cpu-state.js';

/** Index in the state array of the first VFP register word (s0 = low word of d0). */
export const VFP_WORD0 = VFP_OFFSET / 4;

/** VFP state for runA32: up to 64 raw register words (s0..s31 then d16..d31) and FPSCR. */
export interface VfpInit {
  words?: readonly number[];
  fpscr?: number;
}

export const CODE_BASE = 0x10000;
export const DATA_BASE = 0x20000;
export const DATA_SIZE = 0x10000;
export const SVC_0 = 0xef000000;

export interface RunResult {
  exit: number;
  state: Int32Array;
  mem: GuestMemory;
  /** Address of the instruction the run stopped at (after the svc for a syscall exit). */
  pc: number;
}

let shared: GuestMemory | undefined;

/** One 4 GiB buffer reused by all tests in a worker (zeroed ranges each run). */
function freshMemory(): GuestMemory {
  if (!shared) shared = new GuestMemory();
  const mem = shared;
  mem.unmap(CODE_BASE, 0x1000);
  mem.unmap(DATA_BASE, DATA_SIZE);
  mem.protect(CODE_BASE, 0x1000, PROT_READ | PROT_EXEC);
  mem.protect(DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE);
  return mem;
}

export interface CoreInit {
  regs?: Partial<Record<number, number>>;
  flags?: { N?: boolean; Z?: boolean; C?: boolean; V?: boolean; Q?: boolean; GE?: number };
}

/**
 * An engine over `mem` for instruction tests (A32 and Thumb runners share it). Code runs
 * in regions from its first execution (hotRegionHits 0): the region form, with registers in
 * locals and inlined memory accesses, is what hot code runs and what these tests check.
 * (Every program test runs most of its code in the lean cold form.)
 */
export function testEngine(mem: GuestMemory, cpuName: string | undefined, maxInsnsPerBlock: number, maxBlocksPerRegion: number): Engine {
  const cpu = arm.cpuModels.find((m) => m.name === (cpuName ?? arm.defaultCpu))!;
  return new Engine(arm, mem, new Logger(), { cpu, maxInsnsPerBlock, maxBlocksPerRegion, sliceBlocks: 100000, symbolize: () => '', hotRegionHits: 0 });
}

/** A user-mode vCPU with sp at the top of the data area and the given registers and flags. */
export function initialVcpu(init: CoreInit): Vcpu {
  const vcpu = new Vcpu(0, arm);
  const st = vcpu.state;
  st[13] = DATA_BASE + DATA_SIZE - 256;
  for (const [r, v] of Object.entries(init.regs ?? {})) st[Number(r)] = v! | 0;
  const f = init.flags ?? {};
  st[S.NF] = f.N ? -1 : 0;
  st[S.ZF] = f.Z ? 0 : 1;
  st[S.CF] = f.C ? 1 : 0;
  st[S.VF] = f.V ? -1 : 0;
  st[S.QF] = f.Q ? 1 : 0;
  st[S.GE] = f.GE ?? 0;
  st[S.CPSR_OTHER] = 0x10;
  st[S.EXCL_ADDR] = -1;
  return vcpu;
}

export function runA32(
  words: readonly number[],
  init: { regs?: Partial<Record<number, number>>; flags?: { N?: boolean; Z?: boolean; C?: boolean; V?: boolean; Q?: boolean; GE?: number }; cpu?: string; setup?: (mem: GuestMemory) => void; vfp?: VfpInit } = {},
): RunResult {
  const mem = freshMemory();
  const code = [...words, SVC_0];
  code.forEach((w, i) => {
    mem.u32[(CODE_BASE >>> 2) + i] = w >>> 0;
  });
  init.setup?.(mem);
  const engine = testEngine(mem, init.cpu, 256, 16);
  const vcpu = initialVcpu(init);
  const st = vcpu.state;
  st[S.pc] = CODE_BASE;
  if (init.vfp) {
    // raw words: word 2n+k of d<n> (k = 0 low), which is also s<2n+k> for n < 16
    (init.vfp.words ?? []).forEach((w, i) => {
      st[VFP_WORD0 + i] = w | 0;
    });
    st[S.FPSCR] = (init.vfp.fpscr ?? 0) | 0;
  }
  let exit = EXIT_NEXT;
  for (let guard = 0; guard < 1000 && exit === EXIT_NEXT; guard++) exit = engine.run(vcpu);
  return { exit, state: st, mem, pc: st[S.pc]! };
}

/** Flags of a result as a string "NZCV" with '-' for clear bits. */
export function flagString(st: Int32Array): string {
  return (st[S.NF]! < 0 ? 'N' : '-') + (st[S.ZF] === 0 ? 'Z' : '-') + (st[S.CF] ? 'C' : '-') + (st[S.VF]! < 0 ? 'V' : '-');
}
