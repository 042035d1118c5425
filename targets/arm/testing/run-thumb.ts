// Test harness for Thumb code: like run-a32.ts, but the code is halfwords (or raw bytes)
// placed at CODE_BASE and entered in Thumb state (key CODE_BASE | 1) unless told otherwise.
// runThumb appends a Thumb `svc #0` (0xdf00); the run stops at the first exit that is not
// "next". Engine limits can be set to force block boundaries (maxInsnsPerBlock = 1 is
// -one-insn-per-tb).
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/guest-memory.js';
import { Engine } from '../../../src/engine/engine.js';
import { Vcpu } from '../../../src/engine/vcpu.js';
import { EXIT_NEXT } from '../../../src/engine/exits.js';
import { S } from '../cpu-state.js';
import { CODE_BASE, DATA_BASE, DATA_SIZE, initialVcpu, testEngine, type CoreInit, type RunResult } from './run-a32.js';

export const THUMB_SVC_0 = 0xdf00;
/** Bytes of code space mapped at CODE_BASE. */
export const CODE_SIZE = 0x2000;

export interface ThumbInit extends CoreInit {
  cpu?: string;
  setup?: (mem: GuestMemory) => void;
  /** Most instructions per block (1: -one-insn-per-tb). Default 256. */
  maxInsnsPerBlock?: number;
  /** Most blocks per region (1: -d nochain). Default 16. */
  maxBlocksPerRegion?: number;
  /** Entry key (default CODE_BASE | 1). */
  entry?: number;
  /** Initial IT state (S[ITSTATE]). */
  itState?: number;
}

let shared: GuestMemory | undefined;

function freshMemory(): GuestMemory {
  if (!shared) shared = new GuestMemory();
  const mem = shared;
  mem.unmap(CODE_BASE, CODE_SIZE);
  mem.unmap(DATA_BASE, DATA_SIZE);
  mem.protect(CODE_BASE, CODE_SIZE, PROT_READ | PROT_EXEC);
  mem.protect(DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE);
  return mem;
}

/** Run raw code bytes placed at CODE_BASE. */
export function runCode(bytes: Uint8Array, init: ThumbInit = {}): RunResult & { engine: Engine; vcpu: Vcpu } {
  const mem = freshMemory();
  mem.u8.set(bytes, CODE_BASE);
  init.setup?.(mem);
  const maxInsns = init.maxInsnsPerBlock ?? 256;
  const engine = testEngine(mem, init.cpu, maxInsns, init.maxBlocksPerRegion ?? (maxInsns === 1 ? 1 : 16));
  const vcpu = initialVcpu(init);
  const st = vcpu.state;
  st[S.ITSTATE] = init.itState ?? 0;
  st[S.pc] = init.entry ?? CODE_BASE | 1;
  let exit = EXIT_NEXT;
  for (let guard = 0; guard < 1000 && exit === EXIT_NEXT; guard++) exit = engine.run(vcpu);
  return { exit, state: st, mem, pc: st[S.pc]!, engine, vcpu };
}

/** Halfwords as little-endian bytes. */
export function halfwordBytes(halfwords: readonly number[]): Uint8Array {
  const out = new Uint8Array(halfwords.length * 2);
  halfwords.forEach((h, i) => {
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = (h >>> 8) & 0xff;
  });
  return out;
}

/**
 * Run Thumb halfwords (a 32-bit instruction is two entries, first halfword first) followed
 * by `svc #0`, from CODE_BASE in Thumb state.
 */
export function runThumb(halfwords: readonly number[], init: ThumbInit = {}): RunResult & { engine: Engine; vcpu: Vcpu } {
  return runCode(halfwordBytes([...halfwords, THUMB_SVC_0]), init);
}

/** A 32-bit Thumb instruction written as 0xHHHHLLLL (first halfword high) as two halfwords. */
export function t32(insn: number): [number, number] {
  return [insn >>> 16, insn & 0xffff];
}
