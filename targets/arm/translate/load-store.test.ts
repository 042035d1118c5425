// Loads and stores: all sizes and addressing forms, writeback rules, LDM/STM modes,
// exclusives, SWP, alignment faults and precise faults that leave registers unchanged.
import { describe, expect, test } from 'vitest';
import { CODE_BASE, DATA_BASE, DATA_SIZE, runA32 } from '../testing/run-a32.js';
import { EXIT_FAULT, EXIT_SYSCALL, EXIT_UNDEFINED } from '../../../src/engine/exits.js';
import type { GuestMemory } from '../../../src/memory/guest-memory.js';
import { S } from '../cpu-state.js';

const D = DATA_BASE + 0x100;
const WORDS = [0x11223344, 0x55667788, 0x99aabbcc | 0, 0xddeeff00 | 0, 0x80818283 | 0, 0x01020304];

/** Fill data at D (word i at D + 4i) before the run. */
function data(mem: GuestMemory): void {
  WORDS.forEach((w, i) => {
    mem.u32[(D >>> 2) + i] = w >>> 0;
  });
}
const run = (words: number[], regs: Record<number, number> = {}, more: Parameters<typeof runA32>[1] = {}) =>
  runA32(words, { setup: data, ...more, regs: { 1: D, ...regs } });
const word = (mem: GuestMemory, a: number) => mem.u32[a >>> 2]! | 0;

describe('LDR/STR word and byte', () => {
  test('immediate offset forms', () => {
    let r = run([0xe5910000]); // ldr r0, [r1]
    expect([r.state[0], r.state[1]]).toEqual([0x11223344, D]);
    r = run([0xe5b10004]); // ldr r0, [r1, #4]!
    expect([r.state[0], r.state[1]]).toEqual([0x55667788, D + 4]);
    r = run([0xe4110004]); // ldr r0, [r1], #-4
    expect([r.state[0], r.state[1]]).toEqual([0x11223344, D - 4]);
    r = run([0xe4b10004]); // ldrt r0, [r1], #4 (user mode: same as ldr post-indexed)
    expect([r.state[0], r.state[1]]).toEqual([0x11223344, D + 4]);
  });

  test('register offset forms', () => {
    let r = run([0xe7910102], { 2: 2 }); // ldr r0, [r1, r2, lsl #2]
    expect([r.state[0], r.state[1]]).toEqual([0x99aabbcc | 0, D]);
    r = run([0xe7310002], { 1: D + 8, 2: 4 }); // ldr r0, [r1, -r2]!
    expect([r.state[0], r.state[1]]).toEqual([0x55667788, D + 4]);
    r = run([0xe69100c2], { 2: 16 }); // ldr r0, [r1], r2, asr #1
    expect([r.state[0], r.state[1]]).toEqual([0x11223344, D + 8]);
  });

  test('bytes and halfwords, zero and sign extended', () => {
    const cases: [number, number][] = [
      [0xe5d10003, 0x11], // ldrb r0, [r1, #3]
      [0xe1d100d3, 0x11], // ldrsb r0, [r1, #3]
      [0xe1d100b2, 0x1122], // ldrh r0, [r1, #2]
      [0xe1d100f2, 0x1122], // ldrsh r0, [r1, #2]
    ];
    for (const [w, v] of cases) expect(run([w]).state[0]).toBe(v);
    // the same loads from the negative word at D + 12 (0xddeeff00)
    const neg: [number, number][] = [[0xe5d10003, 0xdd], [0xe1d100d3, 0xdd - 256], [0xe1d100b2, 0xddee], [0xe1d100f2, 0xddee - 65536]];
    for (const [w, v] of neg) expect(run([w], { 1: D + 12 }).state[0]).toBe(v);
    expect(run([0xe19100d2], { 2: 13 }).state[0]).toBe(-1); // ldrsb r0, [r1, r2]: 0xff
  });

  test('unaligned LDR and LDRH load the bytes (no rotation, no fault)', () => {
    expect(run([0xe5910000], { 1: D + 1 }).state[0]).toBe(0x88112233 | 0);
    expect(run([0xe1d100b0], { 1: D + 3 }).state[0]).toBe(0x8811); // ldrh r0, [r1]
    const r = run([0xe5810000], { 0: 0xaabbccdd | 0, 1: D + 2 }); // str r0, [r1] unaligned
    expect([word(r.mem, D), word(r.mem, D + 4)]).toEqual([0xccdd3344 | 0, 0x5566aabb]);
  });

  test('stores of every size', () => {
    let r = run([0xe5210004], { 0: 0x12345678 }); // str r0, [r1, #-4]!
    expect([word(r.mem, D - 4), r.state[1]]).toEqual([0x12345678, D - 4]);
    r = run([0xe5c10001], { 0: 0x1ff }); // strb r0, [r1, #1]
    expect(word(r.mem, D)).toBe(0x1122ff44);
    r = run([0xe0c100b2], { 0: 0x1abcd }); // strh r0, [r1], #2
    expect([word(r.mem, D), r.state[1]]).toEqual([0x1122abcd, D + 2]);
    r = run([0xe0e100b2], { 0: 0xbeef }); // strht r0, [r1], #2
    expect([word(r.mem, D), r.state[1]]).toEqual([0x1122beef, D + 2]);
  });

  test('pc as base reads address + 8; str pc stores address + 8', () => {
    const r = runA32([0xe51f0004, 0xe581f000], { regs: { 1: D } }); // ldr r0, [pc, #-4]; str pc, [r1]
    expect(r.state[0]).toBe(0xe581f000 | 0);
    expect(word(r.mem, D)).toBe(CODE_BASE + 4 + 8);
  });

  test('load with writeback into the base: the loaded value wins', () => {
    expect(run([0xe5b11004]).state[1]).toBe(0x55667788); // ldr r1, [r1, #4]!
    expect(run([0xe4911004]).state[1]).toBe(0x11223344); // ldr r1, [r1], #4
  });

  test('ldr pc interworks', () => {
    const r = run([0xe591f000], {}, { setup: (m) => { data(m); m.u32[D >>> 2] = CODE_BASE + 0x21; m.u16[(CODE_BASE + 0x20) >>> 1] = 0xdf00; } }); // ldr pc, [r1]
    expect(r.state[15]).toBe(CODE_BASE + 0x23); // past the Thumb svc at the target
  });
});

describe('LDRD/STRD', () => {
  test('load, store, writeback, register offset', () => {
    let r = run([0xe1c120d8]); // ldrd r2, r3, [r1, #8]
    expect([r.state[2], r.state[3]]).toEqual([0x99aabbcc | 0, 0xddeeff00 | 0]);
    r = run([0xe16120f8], { 1: D + 8, 2: 7, 3: 9 }); // strd r2, r3, [r1, #-8]!
    expect([word(r.mem, D), word(r.mem, D + 4), r.state[1]]).toEqual([7, 9, D]);
    r = run([0xe08120d4], { 4: 16 }); // ldrd r2, r3, [r1], r4
    expect([r.state[2], r.state[3], r.state[1]]).toEqual([0x11223344, 0x55667788, D + 16]);
  });
  test('word-aligned is enough; halfword-aligned faults (SIGBUS in qemu-arm)', () => {
    expect(run([0xe1c120d0], { 1: D + 4 }).state[2]).toBe(0x55667788); // ldrd r2, r3, [r1]
    const r = run([0xe1c120d0], { 1: D + 2, 2: 5, 3: 6 });
    expect(r.exit).toBe(EXIT_FAULT);
    expect(r.mem.lastFault.kind).toBe('alignment');
    expect([r.state[2], r.state[3]]).toEqual([5, 6]);
    expect(run([0xe1c120f0], { 1: D + 2 }).exit).toBe(EXIT_FAULT); // strd
  });
  test('odd Rt is UNDEFINED (as qemu-arm)', () => {
    expect(run([0xe1c110d0]).exit).toBe(EXIT_UNDEFINED); // ldrd r1, r2, [r1]
  });
});

describe('LDM/STM', () => {
  test('all four load modes', () => {
    let r = run([0xe891001c]); // ldm r1, {r2, r3, r4}
    expect([r.state[2], r.state[3], r.state[4], r.state[1]]).toEqual([WORDS[0], WORDS[1], WORDS[2], D]);
    r = run([0xe9b1000c]); // ldmib r1!, {r2, r3}
    expect([r.state[2], r.state[3], r.state[1]]).toEqual([WORDS[1], WORDS[2], D + 8]);
    r = run([0xe811000c], { 1: D + 8 }); // ldmda r1, {r2, r3}
    expect([r.state[2], r.state[3], r.state[1]]).toEqual([WORDS[1], WORDS[2], D + 8]);
    r = run([0xe931000c], { 1: D + 8 }); // ldmdb r1!, {r2, r3}
    expect([r.state[2], r.state[3], r.state[1]]).toEqual([WORDS[0], WORDS[1], D]);
  });

  test('all four store modes', () => {
    const regs = { 2: 0xa, 3: 0xb };
    let r = run([0xe8a1000c], regs); // stmia r1!, {r2, r3}
    expect([word(r.mem, D), word(r.mem, D + 4), r.state[1]]).toEqual([0xa, 0xb, D + 8]);
    r = run([0xe981000c], regs); // stmib r1, {r2, r3}
    expect([word(r.mem, D + 4), word(r.mem, D + 8), r.state[1]]).toEqual([0xa, 0xb, D]);
    r = run([0xe821000c], regs); // stmda r1!, {r2, r3}
    expect([word(r.mem, D - 4), word(r.mem, D), r.state[1]]).toEqual([0xa, 0xb, D - 8]);
    r = run([0xe901000c], regs); // stmdb r1, {r2, r3}
    expect([word(r.mem, D - 8), word(r.mem, D - 4), r.state[1]]).toEqual([0xa, 0xb, D]);
  });

  test('push/pop round trip, pop into pc', () => {
    const sp = DATA_BASE + DATA_SIZE - 256;
    let r = runA32([0xe92d4003, 0xe8bd001c], { regs: { 0: 1, 1: 2, 14: 3 } }); // push {r0, r1, lr}; pop {r2, r3, r4}
    expect([r.state[2], r.state[3], r.state[4], r.state[13]]).toEqual([1, 2, 3, sp]);
    r = runA32([0xe92d4001, 0xe3a00000, 0xe8bd8001], { regs: { 0: 7, 14: CODE_BASE + 12 } }); // push {r0, lr}; mov r0, #0; pop {r0, pc}
    expect([r.state[0], r.state[13], r.pc]).toEqual([7, sp, CODE_BASE + 16]); // returns to the final svc
    expect(r.exit).toBe(EXIT_SYSCALL);
  });

  test('base in the list', () => {
    let r = run([0xe8910006]); // ldm r1, {r1, r2}: loaded value
    expect([r.state[1], r.state[2]]).toEqual([WORDS[0], WORDS[1]]);
    r = run([0xe8a10006], { 2: 5 }); // stm r1!, {r1, r2}: original base stored
    expect([word(r.mem, D), r.state[1]]).toEqual([D, D + 8]);
    r = run([0xe8a10003], { 0: 5 }); // stm r1!, {r0, r1}: original base stored (qemu-arm)
    expect([word(r.mem, D + 4), r.state[1]]).toEqual([D, D + 8]);
  });

  test('a list inside one page (moved inline) and one across a page boundary (word by word) agree', () => {
    const values = { 2: 0x0a0b0c0d, 3: -2, 4: 0x7fffffff };
    const pageEnd = DATA_BASE + 0x1000;
    for (const base of [pageEnd - 12, pageEnd - 8, pageEnd - 4]) {
      const st = runA32([0xe881001c], { regs: { 1: base, ...values } }); // stm r1, {r2, r3, r4}
      expect([0, 4, 8].map((o) => word(st.mem, base + o))).toEqual([0x0a0b0c0d, -2, 0x7fffffff]);
      const ld = runA32([0xe8b100e0], { regs: { 1: base }, setup: (mem) => [0, 4, 8].forEach((o, i) => (mem.u32[(base + o) >>> 2] = 100 + i)) }); // ldm r1!, {r5, r6, r7}
      expect([ld.state[5], ld.state[6], ld.state[7], ld.state[1]]).toEqual([100, 101, 102, base + 12]);
    }
  });

  test('ldm and stm at an address that is not word-aligned raise an alignment fault', () => {
    for (const insn of [0xe891000c, 0xe881000c]) {
      const r = run([insn], { 1: D + 2 });
      expect(r.exit).toBe(EXIT_FAULT);
      expect(r.mem.lastFault).toMatchObject({ kind: 'alignment' });
    }
  });

  test('UNDEFINED forms (as qemu-arm): empty list, pc base, ARMv7 ldm writeback with base in list, S bit', () => {
    for (const w of [0xe8910000, 0xe8810000, 0xe89f0003, 0xe8b10003, 0xe8d10003, 0xe8c10003]) {
      expect(run([w]).exit, w.toString(16)).toBe(EXIT_UNDEFINED);
    }
    // before ARMv7 the loaded base wins
    expect(run([0xe8b10003], {}, { cpu: 'arm1136' }).state[1]).toBe(WORDS[1]);
  });

  test('unaligned base faults (SIGBUS in qemu-arm) with registers unchanged', () => {
    const r = run([0xe891000c], { 1: D + 1, 2: 5, 3: 6 });
    expect(r.exit).toBe(EXIT_FAULT);
    expect(r.mem.lastFault.kind).toBe('alignment');
    expect([r.state[2], r.state[3], r.pc]).toEqual([5, 6, CODE_BASE]);
  });
});

describe('exclusives', () => {
  test('ldrex/strex succeed, plain strex fails', () => {
    let r = run([0xe1910f9f, 0xe1812f93], { 3: 42 }); // ldrex r0, [r1]; strex r2, r3, [r1]
    expect([r.state[0], r.state[2], word(r.mem, D), r.state[S.EXCL_ADDR]]).toEqual([WORDS[0], 0, 42, -1]);
    r = run([0xe1812f93], { 3: 42 }); // strex without ldrex
    expect([r.state[2], word(r.mem, D)]).toEqual([1, WORDS[0]]);
    r = run([0xe1910f9f, 0xf57ff01f, 0xe1812f93], { 3: 42 }); // clrex in between
    expect([r.state[2], word(r.mem, D)]).toEqual([1, WORDS[0]]);
    r = run([0xe1910f9f, 0xe1812f93, 0xe1812f93], { 3: 42 }); // second strex fails: monitor closed
    expect(r.state[2]).toBe(1);
  });

  test('strex fails when memory changed since ldrex, or at another address', () => {
    let r = run([0xe1910f9f, 0xe5814000, 0xe1812f93], { 3: 42, 4: 9 }); // ldrex; str r4, [r1]; strex
    expect([r.state[2], word(r.mem, D)]).toEqual([1, 9]);
    r = run([0xe1910f9f, 0xe2811004, 0xe1812f93], { 3: 42 }); // ldrex; add r1, r1, #4; strex
    expect([r.state[2], word(r.mem, D + 4)]).toEqual([1, WORDS[1]]);
  });

  test('strex with Rd = Rt or Rd = Rn is UNDEFINED (as qemu-arm)', () => {
    expect(run([0xe1810f90]).exit).toBe(EXIT_UNDEFINED); // strex r0, r0, [r1]
    expect(run([0xe1811f90]).exit).toBe(EXIT_UNDEFINED); // strex r1, r0, [r1]
  });

  test('byte, halfword and doubleword', () => {
    let r = run([0xe1d10f9f, 0xe1c12f93], { 3: 0x1ff }); // ldrexb; strexb
    expect([r.state[0], r.state[2], word(r.mem, D)]).toEqual([0x44, 0, 0x112233ff]);
    r = run([0xe1f10f9f, 0xe1e12f93], { 3: 0x1beef }); // ldrexh; strexh
    expect([r.state[0], r.state[2], word(r.mem, D)]).toEqual([0x3344, 0, 0x1122beef]);
    r = run([0xe1b14f9f, 0xe1a12f94], { 4: 0, 5: 0 }); // ldrexd r4, r5; strexd r2, r4, r5
    expect([r.state[4], r.state[5], r.state[2]]).toEqual([WORDS[0], WORDS[1], 0]);
    r = run([0xe1b14f9f, 0xe2844001, 0xe1a12f94]); // ldrexd; add r4, r4, #1; strexd
    expect([r.state[2], word(r.mem, D)]).toEqual([0, WORDS[0]! + 1]);
  });

  test('alignment: ldrex needs 4, ldrexh 2, ldrexd 8 (SIGBUS in qemu-arm)', () => {
    expect(run([0xe1910f9f], { 1: D + 2 }).exit).toBe(EXIT_FAULT);
    expect(run([0xe1f10f9f], { 1: D + 1 }).exit).toBe(EXIT_FAULT);
    const r = run([0xe1b14f9f], { 1: D + 4 });
    expect([r.exit, r.mem.lastFault.kind, r.mem.lastFault.address]).toEqual([EXIT_FAULT, 'alignment', D + 4]);
    expect(run([0xe1d10f9f], { 1: D + 3 }).state[0]).toBe(0x11); // ldrexb: any address
  });
});

describe('SWP/SWPB', () => {
  test('swap word and byte', () => {
    let r = run([0xe1010092], { 2: 7 }); // swp r0, r2, [r1]
    expect([r.state[0], word(r.mem, D)]).toEqual([WORDS[0], 7]);
    r = run([0xe1410092], { 2: 0x107 }); // swpb r0, r2, [r1]
    expect([r.state[0], word(r.mem, D)]).toEqual([0x44, 0x11223307]);
    expect(run([0xe1010092], { 1: D + 2 }).exit).toBe(EXIT_FAULT); // swp needs alignment
    r = run([0xe1011092], { 2: 7 }); // swp r1, r2, [r1]: loaded value (qemu-arm)
    expect([r.state[1], word(r.mem, D)]).toEqual([WORDS[0], 7]);
  });
});

describe('preload hints', () => {
  test('pld, pli, pldw are NOPs, even at unmapped addresses', () => {
    const r = run([0xf5d1f000, 0xf6d1f002, 0xf511f008, 0xe3a00001], { 1: 0x40000000 });
    expect([r.exit, r.state[0]]).toEqual([EXIT_SYSCALL, 1]);
  });
});

describe('faults are precise', () => {
  test('load from an unmapped address: pc = the load, registers unchanged', () => {
    // mov r5, #1; ldr r0, [r1, #4]!; mov r5, #2
    const r = runA32([0xe3a05001, 0xe5b10004, 0xe3a05002], { regs: { 0: 3, 1: 0x40000000 } });
    expect(r.exit).toBe(EXIT_FAULT);
    expect(r.pc).toBe(CODE_BASE + 4);
    expect([r.state[0], r.state[1], r.state[5]]).toEqual([3, 0x40000000, 1]);
    expect(r.mem.lastFault).toMatchObject({ address: 0x40000004, kind: 'unmapped', write: false });
  });

  test('ldm whose second word is unmapped leaves every register unchanged', () => {
    const last = DATA_BASE + DATA_SIZE - 4;
    const r = runA32([0xe8b1000c], { regs: { 1: last, 2: 5, 3: 6 } }); // ldm r1!, {r2, r3}
    expect(r.exit).toBe(EXIT_FAULT);
    expect([r.state[1], r.state[2], r.state[3]]).toEqual([last, 5, 6]);
  });

  test('stm whose second word is unmapped stores the first, then faults at the stm', () => {
    const last = DATA_BASE + DATA_SIZE - 4;
    const r = runA32([0xe881000c], { regs: { 1: last, 2: 5, 3: 6 } }); // stm r1, {r2, r3}
    expect(r.exit).toBe(EXIT_FAULT);
    expect(r.pc).toBe(CODE_BASE);
    expect(word(r.mem, last)).toBe(5);
    expect(r.mem.lastFault).toMatchObject({ address: last + 4, kind: 'unmapped', write: true });
  });

  test('conditional load not taken does not fault', () => {
    const r = runA32([0x05910000, 0xe3a00007], { regs: { 1: 0x40000000 }, flags: { Z: false } }); // ldreq r0, [r1]
    expect([r.exit, r.state[0]]).toEqual([EXIT_SYSCALL, 7]);
  });
});
