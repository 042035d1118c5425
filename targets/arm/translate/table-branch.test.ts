// TBB/TBH on a table after the instruction: its cases become the block's successors, so a
// region holds the whole switch (an interpreter's dispatch stays inside one region).
import { describe, expect, test } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ } from '../../../src/memory/guest-memory.js';
import { translateThumbBlock } from './thumb-block.js';
import { arm } from '../index.js';

const BASE = 0x10000;
const NOP = 0xbf00;

/** Successors of the Thumb block at BASE made of `halfwords` (then NOPs). */
function successorsOf(halfwords: number[]): number[] {
  const mem = new GuestMemory();
  mem.protect(BASE, 0x1000, PROT_READ | PROT_EXEC);
  mem.u16.fill(NOP, BASE >>> 1, (BASE + 0x1000) >>> 1);
  halfwords.forEach((h, i) => (mem.u16[(BASE >>> 1) + i] = h));
  const env = { mem, cpu: arm.cpuModels.find((m) => m.name === 'max')!, maxInsns: 16, wantAsm: false };
  return translateThumbBlock(BASE | 1, env).successors.map((k) => k >>> 0);
}

describe('jump tables', () => {
  test('TBB [pc, r1]: each byte entry up to the first case (the padding byte is no entry)', () => {
    // tbb [pc, r1]; .byte 2, 3, 4, 0 (pad): cases at +8, +10, +12
    expect(successorsOf([0xe8df, 0xf001, 0x0302, 0x0004])).toEqual([BASE + 8 + 1, BASE + 10 + 1, BASE + 12 + 1]);
  });

  test('TBH [pc, r1, lsl #1]: halfword entries, repeated cases once', () => {
    // tbh [pc, r1, lsl #1]; .hword 3, 3, 4: cases at +10 (twice) and +12; the table ends at +10
    expect(successorsOf([0xe8df, 0xf011, 0x0003, 0x0003, 0x0004])).toEqual([BASE + 10 + 1, BASE + 12 + 1]);
  });

  test('a table elsewhere (TBB [r2, r1]) adds nothing: its address is known only at run time', () => {
    expect(successorsOf([0xe8d2, 0xf001, 0x0302, 0x0004])).toEqual([]);
  });

  test('an entry pointing into the table ends it', () => {
    // tbb [pc, r1]; .byte 3, 0 (into the table), 5: only +10
    expect(successorsOf([0xe8df, 0xf001, 0x0003, 0x0005])).toEqual([BASE + 10 + 1]);
  });
});
