// Misc: SVC, BKPT, UDF (and the Linux breakpoint), hints/barriers, MRS/MSR, TLS registers,
// CP15 barriers, CLZ, CPS, SETEND, other coprocessor accesses.
import { describe, expect, test } from 'vitest';
import { CODE_BASE, flagString, runA32 } from '../testing/run-a32.js';
import { EXIT_BREAKPOINT, EXIT_SYSCALL, EXIT_UNDEFINED } from '../../../src/engine/exits.js';
import { S } from '../cpu-state.js';

const MOV_R0_1 = 0xe3a00001;

describe('exceptions', () => {
  test('svc exits with pc after the svc, whatever the immediate', () => {
    const r = runA32([0xef123456, MOV_R0_1]);
    expect([r.exit, r.pc, r.state[0]]).toEqual([EXIT_SYSCALL, CODE_BASE + 4, 0]);
  });
  test('bkpt raises a breakpoint at its own address', () => {
    const r = runA32([MOV_R0_1, 0xe1200172]);
    expect([r.exit, r.pc, r.state[0]]).toEqual([EXIT_BREAKPOINT, CODE_BASE + 4, 1]);
  });
  test('udf is UNDEFINED; 0xe7f001f0 is the Linux breakpoint (SIGTRAP in qemu-arm)', () => {
    expect(runA32([0xe7f000f0]).exit).toBe(EXIT_UNDEFINED);
    expect(runA32([0xe7f001f0]).exit).toBe(EXIT_BREAKPOINT);
  });
});

describe('hints and barriers are NOPs', () => {
  test.each([
    ['nop', 0xe320f000], ['yield', 0xe320f001], ['wfe', 0xe320f002], ['wfi', 0xe320f003], ['sev', 0xe320f004],
    ['unallocated hint', 0xe320f0a5], ['dbg', 0xe320f0f3], ['dmb ish', 0xf57ff05b], ['dsb sy', 0xf57ff04f], ['isb sy', 0xf57ff06f],
    ['cp15 dmb', 0xee070fba], ['cp15 dsb', 0xee070f9a], ['cp15 isb', 0xee070f95], ['cpsid i', 0xf10c0080], ['cps #19', 0xf1020013],
    ['setend le', 0xf1010000],
    // unallocated memory hints, "treat as NOP" (the oracle found them raising SIGILL)
    ['memory hint 1111 0100 x001', 0xf41e53d4], ['memory hint 1111 0100 x001', 0xf49b5925], ['memory hint 1111 0110 x001', 0xf6912345],
  ])('%s', (_name, word) => {
    const r = runA32([word, MOV_R0_1]);
    expect([r.exit, r.state[0]]).toEqual([EXIT_SYSCALL, 1]);
  });
  test('setend be is UNDEFINED (big-endian data is not supported)', () => {
    expect(runA32([0xf1010200]).exit).toBe(EXIT_UNDEFINED);
  });
});

describe('MRS / MSR', () => {
  test('mrs reads flags, Q, GE and user mode 0x10 (as qemu-arm)', () => {
    expect(runA32([0xe10f0000]).state[0]).toBe(0x10);
    const r = runA32([0xe10f0000], { flags: { N: true, Z: true, C: true, V: true, Q: true, GE: 0xa } });
    expect(r.state[0]! >>> 0).toBe(0xf80a0010);
  });

  test('msr APSR_nzcvq, #imm then mrs', () => {
    const r = runA32([0xe328f33e, 0xe10f0000]); // msr CPSR_f, #0xf8000000; mrs r0
    expect(r.state[0]! >>> 0).toBe(0xf8000010);
    expect(flagString(r.state)).toBe('NZCV');
    expect(r.state[S.QF]).toBe(1);
  });

  test('round trip every flag pattern through msr/mrs', () => {
    for (let nzcvq = 0; nzcvq < 32; nzcvq++) {
      for (const ge of [0, 5, 15]) {
        const v = ((nzcvq << 27) | (ge << 16)) >>> 0;
        const r = runA32([0xe12cf001, 0xe10f0000], { regs: { 1: v | 0 } }); // msr CPSR_fs, r1; mrs r0
        expect(r.state[0]! >>> 0, v.toString(16)).toBe((v | 0x10) >>> 0);
      }
    }
  });

  test('field masks: _g writes only GE, _f only NZCVQ; control bits are ignored', () => {
    let r = runA32([0xe124f001, 0xe10f0000], { regs: { 1: -1 } }); // msr CPSR_s, r1
    expect(r.state[0]! >>> 0).toBe(0x000f0010);
    r = runA32([0xe128f001, 0xe10f0000], { regs: { 1: -1 } }); // msr CPSR_f, r1
    expect(r.state[0]! >>> 0).toBe(0xf8000010);
    r = runA32([0xe12ff001, 0xe10f0000], { regs: { 1: 0x000001df } }); // msr CPSR_fsxc, r1 (mode, A, I, F)
    expect(r.state[0]! >>> 0).toBe(0x10);
  });

  test('flags written by msr steer a following conditional', () => {
    const r = runA32([0xe328f101, 0x63a00001]); // msr CPSR_f, #0x40000000 (Z only); movvs r0, #1
    expect(flagString(r.state)).toBe('-Z--');
    expect(r.state[0]).toBe(0);
    const r2 = runA32([0xe328f101, 0x03a00001]); // msr CPSR_f, #0x40000000; moveq r0, #1
    expect(r2.state[0]).toBe(1);
  });

  test('SPSR accesses are UNDEFINED in user mode (as qemu-arm)', () => {
    expect(runA32([0xe14f0000]).exit).toBe(EXIT_UNDEFINED);
    expect(runA32([0xe169f000]).exit).toBe(EXIT_UNDEFINED);
  });
});

describe('CP15 user registers', () => {
  test('TPIDRURO reads the TLS value (0 on a fresh vCPU)', () => {
    const r = runA32([0xee1d0f70], { regs: { 0: 5 } });
    expect(r.state[0]).toBe(0);
  });

  test('TPIDRURW write then read; TPIDRURO write is UNDEFINED', () => {
    const r = runA32([0xee0d1f50, 0xee1d0f50], { regs: { 1: 0x12345678 } });
    expect([r.state[0], r.state[S.TPIDRURW]]).toEqual([0x12345678, 0x12345678]);
    expect(runA32([0xee0d1f70]).exit).toBe(EXIT_UNDEFINED);
  });

  test('mrc into APSR_nzcv sets the flags from the top bits', () => {
    const r = runA32([0xee0d1f50, 0xee1dff50], { regs: { 1: 0x60000000 } }); // mcr TPIDRURW; mrc APSR_nzcv, TPIDRURW
    expect(flagString(r.state)).toBe('-ZC-');
  });

  test('other coprocessor registers are UNDEFINED', () => {
    expect(runA32([0xee110f10]).exit).toBe(EXIT_UNDEFINED); // mrc p15, 0, r0, c1, c0, 0 (SCTLR)
    expect(runA32([0xec510f1e]).exit).toBe(EXIT_UNDEFINED); // mrrc p15, 1, r0, r1, c14 (CNTVCT: SIGILL in qemu-arm)
  });
});

describe('CLZ', () => {
  test.each([[0, 32], [1, 31], [0x80000000 | 0, 0], [0x00010000, 15], [-1, 0]])('clz(%s) = %i', (v, n) => {
    expect(runA32([0xe16f0f11], { regs: { 1: v } }).state[0]).toBe(n);
  });
  test('available on ARMv5 (arm926)', () => {
    expect(runA32([0xe16f0f11], { regs: { 1: 1 }, cpu: 'arm926' }).state[0]).toBe(31);
  });
});
