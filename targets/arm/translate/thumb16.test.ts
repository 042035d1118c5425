// Thumb block translation: IT state across block boundaries, exits inside IT blocks,
// fetches across pages, UNDEFINED encodings. (Instruction semantics are checked against
// qemu-arm in thumb-oracle.test.ts.)
import { describe, expect, test } from 'vitest';
import { runThumb, t32 } from '../testing/run-thumb.js';
import { CODE_BASE, DATA_BASE, flagString } from '../testing/run-a32.js';
import { EXIT_BREAKPOINT, EXIT_FAULT, EXIT_NEXT, EXIT_SYSCALL, EXIT_UNDEFINED } from '../../../src/engine/exits.js';
import { PROT_EXEC, PROT_READ } from '../../../src/memory/guest-memory.js';
import { S } from '../cpu-state.js';
import { advanceIt, itSuffix } from './it.js';

const CMP_R0_0 = 0x2800;
const ITE_EQ = 0xbf0c;
const MOVEQ_R1_1 = 0x2101; // movs r1, #1 outside IT
const MOVNE_R1_2 = 0x2102;

describe('IT state machine', () => {
  test('advance and suffixes', () => {
    expect(advanceIt(0x0c)).toBe(0x18); // ite eq: second slot is ne, last
    expect(advanceIt(0x18)).toBe(0);
    expect(itSuffix(0, 0b1100)).toBe('e');
    expect(itSuffix(1, 0b0101)).toBe('ete');
    expect(itSuffix(0, 0b1000)).toBe('');
  });
});

describe('T16 data processing', () => {
  test('movs/adds/subs set flags outside IT', () => {
    // movs r0, #200; adds r1, r0, #3; subs r2, r1, r1
    const r = runThumb([0x20c8, 0x1cc1, 0x1a4a]);
    expect(r.exit).toBe(EXIT_SYSCALL);
    expect([r.state[0], r.state[1], r.state[2]]).toEqual([200, 203, 0]);
    expect(flagString(r.state)).toBe('-ZC-');
    expect(r.pc).toBe((CODE_BASE + 8) | 1);
    expect(r.state[S.ITSTATE]).toBe(0);
  });

  test('inside an IT block the same encodings leave the flags alone', () => {
    // cmp r0, #0 (Z); ite eq; moveq r1, #1 (no flags); movne r1, #2
    for (const maxInsnsPerBlock of [256, 1]) {
      const r = runThumb([CMP_R0_0, ITE_EQ, MOVEQ_R1_1, MOVNE_R1_2], { maxInsnsPerBlock });
      expect([r.exit, r.state[1], flagString(r.state), r.state[S.ITSTATE]]).toEqual([EXIT_SYSCALL, 1, '-ZC-', 0]);
    }
  });
});

describe('IT blocks across block boundaries', () => {
  test('svc inside an IT block returns to the rest of the block', () => {
    // cmp r0, #0; itt eq; svceq 0; moveq r2, #5 ; (then svc 0 of the harness)
    const r = runThumb([CMP_R0_0, 0xbf04, 0xdf00, 0x2205]);
    expect(r.exit).toBe(EXIT_SYSCALL);
    expect(r.pc).toBe((CODE_BASE + 6) | 1);
    expect(r.state[S.ITSTATE]).toBe(0x08); // eq, last slot
    // resume: the block at the same PC mid-IT is a different block
    let exit = EXIT_NEXT;
    while (exit === EXIT_NEXT) exit = r.engine.run(r.vcpu);
    expect(exit).toBe(EXIT_SYSCALL);
    expect(r.state[2]).toBe(5);
    expect(r.state[S.ITSTATE]).toBe(0);
    expect(r.vcpu.pc).toBe((CODE_BASE + 10) | 1);
  });

  test('a not-taken svc inside an IT block falls through in the block', () => {
    const r = runThumb([CMP_R0_0, 0xbf04, 0xdf00, 0x2205], { regs: { 0: 1 } });
    expect([r.exit, r.pc, r.state[2], r.state[S.ITSTATE]]).toEqual([EXIT_SYSCALL, (CODE_BASE + 10) | 1, 0, 0]);
  });

  test('a block entered mid-IT (key beyond int32) runs the remaining slots conditionally', () => {
    // state as after "itte ne" and one instruction: ne then eq; Z set so ne fails
    // movs r1, #1; movs r2, #2; movs r3, #3
    const it = advanceIt(0x1a); // itte ne = firstcond 0001, mask 1010
    const r = runThumb([0x2101, 0x2202, 0x2303], { itState: it, flags: { Z: true } });
    expect([r.exit, r.state[1], r.state[2], r.state[3], r.state[S.ITSTATE]]).toEqual([EXIT_SYSCALL, 0, 2, 3, 0]);
  });

  test('a fault inside an IT block reports its own IT state', () => {
    // cmp r0, #0; itt eq; ldreq r1, [r2]; moveq r3, #1   (r2 unmapped)
    const r = runThumb([CMP_R0_0, 0xbf04, 0x6811, 0x2301], { regs: { 2: 0x700000 } });
    expect(r.exit).toBe(EXIT_FAULT);
    expect(r.pc).toBe((CODE_BASE + 4) | 1);
    expect(r.state[S.ITSTATE]).toBe(0x04);
  });

  test('a loop back into a mid-IT entry never reuses the wrong block', () => {
    // 0: movs r0, #3 ; 2: subs r0, #1 ; 4: cmp r0, #0 ; 6: ite ne ; 8: bne 2 (b.n) ; a: movs r4, #9
    // with one instruction per block every slot is its own (IT-keyed) block
    for (const maxInsnsPerBlock of [1, 2, 256]) {
      const r = runThumb([0x2003, 0x3801, CMP_R0_0, 0xbf14, 0xe7fb, 0x2409], { maxInsnsPerBlock, maxBlocksPerRegion: 16 });
      expect([r.exit, r.state[0], r.state[4]]).toEqual([EXIT_SYSCALL, 0, 9]);
    }
  });
});

describe('fetch and decode', () => {
  test('a 32-bit instruction whose second halfword is on an unmapped page faults at its PC', () => {
    const r = runThumb([], {
      entry: (CODE_BASE + 0x1ffe) | 1,
      setup: (m) => {
        m.u16[(CODE_BASE + 0x1ffe) >>> 1] = 0xf04f; // mov.w r0, #... (first half)
      },
    });
    expect(r.exit).toBe(EXIT_FAULT);
    expect(r.pc).toBe((CODE_BASE + 0x1ffe) | 1);
    expect(r.mem.lastFault.address).toBe(CODE_BASE + 0x2000);
  });

  test('a block runs across a page boundary when both pages are executable', () => {
    const r = runThumb([], {
      entry: (DATA_BASE - 4) | 1,
      setup: (m) => {
        m.protect(DATA_BASE - 0x1000, 0x1000, PROT_READ | PROT_EXEC);
        m.protect(DATA_BASE, 0x1000, PROT_READ | PROT_EXEC);
        [0x2001, ...t32(0xf04f0102), 0xdf00].forEach((h, i) => (m.u16[((DATA_BASE - 4) >>> 1) + i] = h)); // movs r0,#1; mov.w r1,#2; svc
      },
    });
    expect([r.exit, r.state[0], r.state[1]]).toEqual([EXIT_SYSCALL, 1, 2]);
  });

  test('UNDEFINED: udf, b<c> inside IT, blx with H = 1, unallocated T32 space', () => {
    expect(runThumb([0xde01]).exit).toBe(EXIT_UNDEFINED);
    expect(runThumb([CMP_R0_0, 0xbf08, 0xd000]).exit).toBe(EXIT_UNDEFINED); // it eq; beq
    expect(runThumb(t32(0xf000e801)).exit).toBe(EXIT_UNDEFINED); // blx with H = 1
    expect(runThumb(t32(0xf7f0a000)).exit).toBe(EXIT_UNDEFINED); // udf.w #0
    const r = runThumb(t32(0xf000e801));
    expect(r.pc).toBe(CODE_BASE | 1);
  });

  test('bkpt raises SIGTRAP at its address', () => {
    const r = runThumb([0x2001, 0xbe05]);
    expect([r.exit, r.pc, r.state[0]]).toEqual([EXIT_BREAKPOINT, (CODE_BASE + 2) | 1, 1]);
  });

  test('sdiv/udiv follow the idiv feature', () => {
    const sdiv = t32(0xfb91f0f2); // sdiv r0, r1, r2
    expect(runThumb(sdiv, { regs: { 1: -9, 2: 2 } }).state[0]).toBe(-4);
    expect(runThumb(sdiv, { cpu: 'cortex-a8' }).exit).toBe(EXIT_UNDEFINED);
  });

  test('T32 is UNDEFINED without thumb2 (ARMv6K), BL is not', () => {
    expect(runThumb(t32(0xf04f0001), { cpu: 'arm1136' }).exit).toBe(EXIT_UNDEFINED);
    const r = runThumb([...t32(0xf000f801), 0xdf00, 0x2007], { cpu: 'arm1136' }); // bl +2; svc; movs r0, #7
    expect([r.exit, r.state[0], r.state[14]]).toEqual([EXIT_SYSCALL, 7, (CODE_BASE + 4) | 1]);
  });
});
