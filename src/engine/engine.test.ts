// Engine tests against a toy target, so the core is checked without any real ISA.
// Toy ISA, one 32-bit word per instruction, opcode in the top byte:
//   01 iiiiii  r0 += i            02 aaaaaa  jump to a
//   03 ------  syscall (exit)      04 aaaaaa  store r0 to [a]
//   05 aaaaaa  r0 = load [a]       06 aaaaaa  if r0 != 0 jump to a
import { describe, expect, test } from 'vitest';
import { Engine } from './engine.js';
import { Vcpu } from './vcpu.js';
import { EXIT_FAULT, EXIT_NEXT, EXIT_SYSCALL, EXIT_UNDEFINED } from './exits.js';
import type { Target, TranslateEnv, TranslatedBlock } from './target.js';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory/guest-memory.js';
import { Logger } from '../log/log.js';

function translateToy(key: number, env: TranslateEnv): TranslatedBlock {
  const code: string[] = [];
  const successors: number[] = [];
  let pc = key;
  let count = 0;
  for (;;) {
    const word = env.mem.u32[pc >>> 2]!;
    const op = word >>> 24;
    const arg = word & 0xffffff;
    const next = pc + 4;
    count++;
    if (op === 1) code.push(`r0 = (r0 + ${arg}) | 0;`);
    else if (op === 2) {
      successors.push(arg);
      code.push(`pc = ${arg}; continue dispatch;`);
      break;
    } else if (op === 3) {
      code.push(`pc = ${next}; exit = ${EXIT_SYSCALL}; break dispatch;`);
      break;
    } else if (op === 4) code.push(`ipc = ${pc}; st32(${arg}, r0);`);
    else if (op === 5) code.push(`ipc = ${pc}; r0 = ld32(${arg});`);
    else if (op === 6) {
      successors.push(arg, next);
      code.push(`if (r0 !== 0) { pc = ${arg}; continue dispatch; }`, `pc = ${next}; continue dispatch;`);
      break;
    } else {
      code.push(`pc = ${pc}; exit = ${EXIT_UNDEFINED}; break dispatch;`);
      break;
    }
    pc = next;
    if (count >= env.maxInsns) {
      successors.push(pc);
      code.push(`pc = ${pc}; continue dispatch;`);
      break;
    }
  }
  return { key, end: pc + 4, code: code.join('\n'), successors, insnCount: count, tempCount: 0, asm: [] };
}

const toy: Target = {
  name: 'toy',
  elfMachine: 0,
  cpuModels: [{ name: 'toy', description: 'toy', features: new Set() }],
  defaultCpu: 'toy',
  stateBytes: 64,
  pcIndex: 1,
  cachedLocals: [{ name: 'r0', index: 0 }],
  translateBlock: translateToy,
  runtime: () => ({}),
  keyToAddress: (k) => k >>> 0,
  formatState: (st) => `r0=${st[0]}\n`,
  registerNames: [{ name: 'r0', index: 0 }],
  linux: undefined as never,
};

const CODE = 0x1000;
const DATA = 0x8000;
let mem: GuestMemory | undefined;

function setup(words: number[], opts: { maxInsns?: number; maxBlocks?: number; slice?: number } = {}) {
  mem ??= new GuestMemory();
  mem.unmap(0, 0x10000);
  mem.protect(CODE, 0x1000, PROT_READ | PROT_EXEC | PROT_WRITE);
  mem.protect(DATA, 0x1000, PROT_READ | PROT_WRITE);
  words.forEach((w, i) => (mem!.u32[(CODE >>> 2) + i] = w));
  const engine = new Engine(toy, mem, new Logger(), {
    cpu: toy.cpuModels[0]!,
    maxInsnsPerBlock: opts.maxInsns ?? 64,
    maxBlocksPerRegion: opts.maxBlocks ?? 16,
    sliceBlocks: opts.slice ?? 1000,
    symbolize: () => '',
  });
  const vcpu = new Vcpu(0, toy);
  vcpu.pc = CODE;
  return { engine, vcpu, mem };
}

const add = (i: number) => (1 << 24) | i;
const jump = (a: number) => (2 << 24) | a;
const SYSCALL = 3 << 24;
const store = (a: number) => (4 << 24) | a;
const load = (a: number) => (5 << 24) | a;
const jnz = (a: number) => (6 << 24) | a;

describe('engine', () => {
  test('runs straight-line code to a syscall with registers written back', () => {
    const { engine, vcpu } = setup([add(2), add(3), SYSCALL]);
    expect(engine.run(vcpu)).toBe(EXIT_SYSCALL);
    expect(vcpu.state[0]).toBe(5);
    expect(vcpu.pc).toBe(CODE + 12);
  });

  test('a loop stays inside one region until its slice ends', () => {
    // r0 = -100; loop: r0 += 1; if r0 != 0 goto loop; syscall
    const { engine, vcpu } = setup([add(0), add(1), jnz(CODE + 4), SYSCALL], { maxInsns: 64 });
    vcpu.state[0] = -100;
    expect(engine.run(vcpu)).toBe(EXIT_SYSCALL);
    expect(vcpu.state[0]).toBe(0);
    expect(engine.translatedBlocks).toBeLessThanOrEqual(3);
  });

  test('the time slice ends a long loop with precise state, and resumes', () => {
    const { engine, vcpu } = setup([add(1), jump(CODE)], { slice: 10 });
    expect(engine.run(vcpu)).toBe(EXIT_NEXT);
    expect(vcpu.state[0]).toBe(10);
    expect(vcpu.pc).toBe(CODE);
    expect(engine.run(vcpu)).toBe(EXIT_NEXT);
    expect(vcpu.state[0]).toBe(20);
  });

  test('a block that loops on itself runs as its own JS loop, slice-exact', () => {
    // loop: r0 += 1; if r0 != 0 goto loop (one block branching to itself)
    const { engine, vcpu } = setup([add(1), jnz(CODE), SYSCALL], { slice: 10 });
    vcpu.state[0] = -100;
    expect(engine.run(vcpu)).toBe(EXIT_NEXT);
    expect(vcpu.state[0]).toBe(-90);
    expect(vcpu.pc).toBe(CODE);
    let exit = EXIT_NEXT;
    while (exit === EXIT_NEXT) exit = engine.run(vcpu);
    expect(exit).toBe(EXIT_SYSCALL);
    expect(vcpu.state[0]).toBe(0);
  });

  test('a self-loop that rewrites its own code stops and runs the new code', () => {
    // loop: r0 += 1; [CODE] = r0; if r0 != 0 goto loop. r0 becomes the word add(5), so the
    // store turns the loop's first instruction into add(5): the next iteration must run it.
    const { engine, vcpu } = setup([add(1), store(CODE), jnz(CODE), SYSCALL]);
    vcpu.state[0] = add(5) - 1;
    expect(engine.run(vcpu)).toBe(EXIT_NEXT);
    expect(vcpu.state[0]).toBe(add(5));
    expect(vcpu.pc).toBe(CODE);
    expect(engine.run(vcpu)).toBe(EXIT_NEXT);
    expect(vcpu.state[0]).toBe(add(5) + 5);
  });

  test('one instruction per block and one block per region still give the same result', () => {
    const { engine, vcpu } = setup([add(0), add(1), jnz(CODE + 4), SYSCALL], { maxInsns: 1, maxBlocks: 1 });
    vcpu.state[0] = -5;
    let exit = EXIT_NEXT;
    while (exit === EXIT_NEXT) exit = engine.run(vcpu);
    expect(exit).toBe(EXIT_SYSCALL);
    expect(vcpu.state[0]).toBe(0);
  });

  test('a fault reports the faulting instruction and keeps earlier register writes', () => {
    const { engine, vcpu, mem } = setup([add(7), load(0x30000), add(1), SYSCALL]);
    expect(engine.run(vcpu)).toBe(EXIT_FAULT);
    expect(vcpu.pc).toBe(CODE + 4);
    expect(vcpu.state[0]).toBe(7);
    expect(mem.lastFault).toMatchObject({ address: 0x30000, kind: 'unmapped', write: false });
  });

  test('writing to translated code invalidates it (self-modifying code)', () => {
    // The program overwrites its own first instruction with the value of r0, then jumps back.
    const { engine, vcpu, mem } = setup([add(0), SYSCALL, jump(CODE)]);
    expect(engine.run(vcpu)).toBe(EXIT_SYSCALL);
    expect(vcpu.state[0]).toBe(0);
    // guest-side store of a new instruction through the compiled code path
    mem.u32[(CODE + 12) >>> 2] = store(CODE);
    mem.u32[(CODE + 16) >>> 2] = jump(CODE);
    vcpu.state[0] = add(40);
    vcpu.pc = CODE + 12;
    // the code write stops the running region at its next block boundary (EXIT_NEXT)
    expect(engine.run(vcpu)).toBe(EXIT_NEXT);
    expect(engine.run(vcpu)).toBe(EXIT_SYSCALL);
    // the new first instruction (add 40) ran, not the stale translation of add(0)
    expect(vcpu.state[0]).toBe(add(40) + 40);
  });

  test('host-side writes (syscalls) into code pages invalidate too', () => {
    const { engine, vcpu, mem } = setup([add(1), SYSCALL]);
    engine.run(vcpu);
    expect(vcpu.state[0]).toBe(1);
    mem.writeBytes(CODE, new Uint8Array(new Uint32Array([add(9)]).buffer));
    vcpu.pc = CODE;
    engine.run(vcpu);
    expect(vcpu.state[0]).toBe(10);
  });

  test('a block runs in the lean cold form until it is hot, then in a region, to the same result', () => {
    // A: r0 += 1; jump B.  B: [DATA] = r0; if r0 != 0 goto A.  Then syscall.
    const ops: string[] = [];
    class OpLog extends Logger {
      override log(item: string, text: string): void {
        if (item === 'op') ops.push(text);
      }
    }
    mem ??= new GuestMemory();
    mem.unmap(0, 0x10000);
    mem.protect(CODE, 0x1000, PROT_READ | PROT_EXEC);
    mem.protect(DATA, 0x1000, PROT_READ | PROT_WRITE);
    [add(1), jump(CODE + 8), store(DATA), jnz(CODE), SYSCALL].forEach((w, i) => (mem!.u32[(CODE >>> 2) + i] = w));
    const engine = new Engine(toy, mem, new OpLog(['op']), { cpu: toy.cpuModels[0]!, maxInsnsPerBlock: 64, maxBlocksPerRegion: 16, sliceBlocks: 100_000, symbolize: () => '' });
    const vcpu = new Vcpu(0, toy);
    vcpu.pc = CODE;
    vcpu.state[0] = -1000;
    expect(engine.run(vcpu)).toBe(EXIT_SYSCALL);
    expect(vcpu.state[0]).toBe(0);
    expect(mem.u32[DATA >>> 2]).toBe(0);
    const cold = ops.filter((o) => o.includes('function block_'));
    const hot = ops.filter((o) => o.includes('function region_'));
    // both blocks first compiled alone, registers in S (no locals, no dispatch switch)...
    expect(cold.length).toBeGreaterThanOrEqual(2);
    for (const o of cold) {
      expect(o).toMatch(/S\[0\]/);
      expect(o).not.toMatch(/\blet r0\b|switch \(pc\)/);
    }
    // ...and the loop, once hot, as one region holding both with r0 in a local
    expect(hot.some((o) => o.includes(`case ${CODE}:`) && o.includes(`case ${CODE + 8}:`) && /let r0 = S\[0\]/.test(o))).toBe(true);
  });

  test('Target.blockKey: a mode slot makes a different block at the same PC', () => {
    // state[2] != 0: the block at CODE is keyed CODE + mode * 2^32; it adds 1000, clears the
    // mode and leaves its region with the plain PC, where the ordinary block runs.
    const moded: Target = {
      ...toy,
      stateBytes: 64,
      blockKey: (st) => (st[2] ? (st[1]! >>> 0) + st[2]! * 4294967296 : st[1]!),
      translateBlock: (key, env) => {
        if (key < 4294967296) return translateToy(key, env);
        const code = `r0 = (r0 + 1000) | 0; S[2] = 0; pc = ${key | 0}; exit = ${EXIT_NEXT}; break dispatch;`;
        return { key, end: (key % 4294967296) + 4, code, successors: [], insnCount: 1, tempCount: 0, asm: [] };
      },
    };
    mem ??= new GuestMemory();
    mem.unmap(0, 0x10000);
    mem.protect(CODE, 0x1000, PROT_READ | PROT_EXEC);
    [add(1), SYSCALL].forEach((w, i) => (mem!.u32[(CODE >>> 2) + i] = w));
    const engine = new Engine(moded, mem, new Logger(), { cpu: toy.cpuModels[0]!, maxInsnsPerBlock: 64, maxBlocksPerRegion: 16, sliceBlocks: 1000, symbolize: () => '' });
    const vcpu = new Vcpu(0, moded);
    vcpu.pc = CODE;
    vcpu.state[2] = 3;
    let exit = EXIT_NEXT;
    while (exit === EXIT_NEXT) exit = engine.run(vcpu);
    expect(exit).toBe(EXIT_SYSCALL);
    expect(vcpu.state[0]).toBe(1001);
    expect(engine.translatedBlocks).toBe(2);
  });
});
