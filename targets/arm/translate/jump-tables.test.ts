// Switch tables after the jump (Thumb TBB/TBH, ARM ADD pc, pc, Rm, LSL #2 + branches):
// their cases become the block's successors, so a region holds the whole switch (an
// interpreter's dispatch stays inside one region).
import { describe, expect, test } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ } from '../../../src/memory/guest-memory.js';
import { translateThumbBlock } from './thumb-block.js';
import { translateArmBlock } from './block.js';
import { arm } from '../index.js';

const BASE = 0x10000;
const NOP = 0xbf00;

function memoryWith(fill: (mem: GuestMemory) => void): GuestMemory {
  const mem = new GuestMemory();
  mem.protect(BASE, 0x1000, PROT_READ | PROT_EXEC);
  fill(mem);
  return mem;
}
const envOf = (mem: GuestMemory) => ({ mem, cpu: arm.cpuModels.find((m) => m.name === 'max')!, maxInsns: 16, wantAsm: false });

/** Successors of the Thumb block at BASE made of `halfwords` (then NOPs). */
function successorsOf(halfwords: number[]): number[] {
  const mem = memoryWith((m) => {
    m.u16.fill(NOP, BASE >>> 1, (BASE + 0x1000) >>> 1);
    halfwords.forEach((h, i) => (m.u16[(BASE >>> 1) + i] = h));
  });
  return translateThumbBlock(BASE | 1, envOf(mem)).successors.map((k) => k >>> 0);
}

/** Successors of the ARM block at BASE made of `words` (then MOV r0, r0), sorted. */
function armSuccessorsOf(words: number[]): number[] {
  const mem = memoryWith((m) => {
    m.u32.fill(0xe1a00000, BASE >>> 2, (BASE + 0x1000) >>> 2);
    words.forEach((w, i) => (m.u32[(BASE >>> 2) + i] = w));
  });
  return translateArmBlock(BASE, envOf(mem)).successors.map((k) => k >>> 0).sort((a, b) => a - b);
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

describe('ARM branch tables', () => {
  const B = 0xea000010; // b somewhere (always)
  test('ADDLS pc, pc, r2, LSL #2: the branches from PC+8 while they are unconditional B', () => {
    // addls pc, pc, r2, lsl #2; b default; b case0; b case1; mov r0, r0
    expect(armSuccessorsOf([0x908ff102, B, B, B])).toEqual([BASE + 4, BASE + 8, BASE + 12]);
  });

  test('another shift, or flags set, is no table', () => {
    expect(armSuccessorsOf([0x908ff182, B, B, B])).toEqual([BASE + 4]); // lsl #3
    expect(armSuccessorsOf([0x909ff102, B, B, B])).toEqual([BASE + 4]); // addsls
  });
});
