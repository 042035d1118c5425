// Branches: B, BL (LR), BLX immediate (to Thumb), BX/BLX/BXJ register, conditional branches.
import { describe, expect, test } from 'vitest';
import { CODE_BASE, runA32 } from '../testing/run-a32.js';
import { EXIT_SYSCALL } from '../../../src/engine/exits.js';

const MOV_R0_1 = 0xe3a00001;
const MOV_R1_2 = 0xe3a01002;

describe('B / BL', () => {
  test('b skips the instructions between', () => {
    // b .+16; mov r0, #1; mov r0, #1; mov r0, #1; mov r1, #2
    const r = runA32([0xea000002, MOV_R0_1, MOV_R0_1, MOV_R0_1, MOV_R1_2]);
    expect([r.exit, r.state[0], r.state[1]]).toEqual([EXIT_SYSCALL, 0, 2]);
  });

  test('backward branch loop', () => {
    // subs r0, r0, #1; bne .-4 (0x1afffffd branches to the subs)
    const r = runA32([0xe2500001, 0x1afffffd, MOV_R1_2], { regs: { 0: 100 } });
    expect([r.state[0], r.state[1]]).toEqual([0, 2]);
  });

  test('bl sets lr to the next instruction', () => {
    const r = runA32([0xeb000002, MOV_R0_1, MOV_R0_1, MOV_R0_1, MOV_R1_2]);
    expect([r.state[14], r.state[0], r.state[1]]).toEqual([CODE_BASE + 4, 0, 2]);
  });

  test('conditional bl not taken leaves lr alone', () => {
    const r = runA32([0x0b000002, MOV_R0_1], { regs: { 14: 77 }, flags: { Z: false } }); // bleq
    expect([r.state[14], r.state[0]]).toEqual([77, 1]);
  });

  test('blx immediate calls Thumb code: lr = next, pc key = target | 1', () => {
    const r = runA32([0xfa000002], { setup: (m) => { m.u16[(CODE_BASE + 16) >>> 1] = 0xdf00; } });
    expect(r.state[14]).toBe(CODE_BASE + 4);
    expect(r.exit).toBe(EXIT_SYSCALL); // the Thumb svc #0 placed at the target
    expect(r.pc).toBe(CODE_BASE + 18 + 1);
  });

  test('blx immediate with H = 1 adds 2 to the target', () => {
    const r = runA32([0xfb000002], { setup: (m) => { m.u16[(CODE_BASE + 18) >>> 1] = 0xdf00; } });
    expect(r.pc).toBe(CODE_BASE + 20 + 1);
  });
});

describe('BX / BLX / BXJ register', () => {
  test('bx to ARM code', () => {
    const r = runA32([0xe12fff13, MOV_R0_1, MOV_R1_2], { regs: { 3: CODE_BASE + 8 } });
    expect([r.state[0], r.state[1]]).toEqual([0, 2]);
  });

  test('bx to an odd address switches to Thumb', () => {
    const r = runA32([0xe12fff13], { regs: { 3: CODE_BASE + 0x41 }, setup: (m) => { m.u16[(CODE_BASE + 0x40) >>> 1] = 0xdf00; } });
    expect(r.pc).toBe(CODE_BASE + 0x43); // past the Thumb svc #0 at the target
  });

  test('blx r3 sets lr; blx lr reads lr before writing it', () => {
    let r = runA32([0xe12fff33, MOV_R0_1, MOV_R1_2], { regs: { 3: CODE_BASE + 8 } });
    expect([r.state[14], r.state[0], r.state[1]]).toEqual([CODE_BASE + 4, 0, 2]);
    r = runA32([0xe12fff3e, MOV_R0_1, MOV_R1_2], { regs: { 14: CODE_BASE + 8 } });
    expect([r.state[14], r.state[0], r.state[1]]).toEqual([CODE_BASE + 4, 0, 2]);
  });

  test('bxj acts as bx (no Jazelle)', () => {
    const r = runA32([0xe12fff23, MOV_R0_1, MOV_R1_2], { regs: { 3: CODE_BASE + 8 } });
    expect([r.state[0], r.state[1]]).toEqual([0, 2]);
  });

  test('call and return', () => {
    // bl f; mov r1, #2; svc 0 ... f: mov r0, #1; bx lr
    const r = runA32([0xeb000001, MOV_R1_2, 0xef000000, MOV_R0_1, 0xe12fff1e]);
    expect([r.exit, r.state[0], r.state[1], r.pc]).toEqual([EXIT_SYSCALL, 1, 2, CODE_BASE + 12]);
  });
});
