// The T16/T32 tables themselves: row counts, every row decodes its own pattern, and every
// 16-bit encoding plus random 32-bit encodings of every T32 row translate to code that
// compiles (no translator throws, no malformed JS), with and without an IT condition.
import { describe, expect, test } from 'vitest';
import { t16Decoder, t16Rows } from './t16.js';
import { t32Decoder, t32Rows } from './t32.js';
import { compilePattern } from './pattern.js';
import { GuestMemory, PROT_EXEC, PROT_READ } from '../../../src/memory/guest-memory.js';
import { translateThumbBlock } from '../translate/thumb-block.js';
import { arm } from '../index.js';

const BASE = 0x10000;
const mem = new GuestMemory();
mem.protect(BASE, 0x1000, PROT_READ | PROT_EXEC);
const env = { mem, cpu: arm.cpuModels.find((m) => m.name === 'max')!, maxInsns: 4, wantAsm: true };

/** Translate the halfwords at BASE (optionally entered mid-IT) and compile the block. */
function translateAndCompile(halfwords: number[], it = 0): void {
  halfwords.forEach((h, i) => (mem.u16[(BASE >>> 1) + i] = h));
  mem.u16[(BASE >>> 1) + halfwords.length] = 0xdf00;
  const key = it ? (BASE | 1) + it * 4294967296 : BASE | 1;
  const block = translateThumbBlock(key, env);
  const temps = Array.from({ length: block.tempCount }, (_, i) => `t${i} = 0`).join(', ');
  const src = `let r0=0,r1=0,r2=0,r3=0,r4=0,r5=0,r6=0,r7=0,r8=0,r9=0,r10=0,r11=0,r12=0,r13=0,r14=0,NF=0,ZF=0,CF=0,VF=0,pc=0,ipc=0,exit=0${temps ? ', ' + temps : ''};
    dispatch: for (;;) { switch (pc) { case 0: {\n${block.code}\n} } }`;
  new Function('S', 'rt', src);
}

/** A random instance of a pattern (fixed bits kept, others random). */
function instance(pattern: string, width: number, rand: () => number): number {
  const row = compilePattern({ name: 'x', pattern, translate: () => true, disasm: () => '' }, width);
  const r = width === 32 ? rand() >>> 0 : rand() & 0xffff;
  return ((r & ~row.mask) | row.value) >>> 0;
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) | 0);
}

describe('Thumb tables', () => {
  test('row counts', () => {
    expect(t16Rows.length).toBeGreaterThan(70);
    expect(t32Rows.length).toBeGreaterThan(250);
  });

  test('every T16 halfword translates and compiles (outside and inside IT)', () => {
    for (let h = 0; h < 0xe800; h++) {
      translateAndCompile([h]);
      if ((h & 0xff) === 0x5a) translateAndCompile([h], 0x08);
    }
  });

  test('random encodings of every T32 row translate, disassemble and compile', () => {
    const rand = lcg(12345);
    const failures: string[] = [];
    for (const row of [...t32Decoder.rows]) {
      for (let i = 0; i < 24; i++) {
        const insn = instance(row.pattern, 32, rand);
        expect(t32Decoder.decode(insn)).toBeDefined();
        try {
          translateAndCompile([insn >>> 16, insn & 0xffff], i % 3 === 0 ? 0x18 : 0);
        } catch (e) {
          failures.push(`${row.name} ${insn.toString(16)}: ${(e as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test('each T16 row decodes an instance of its own pattern to itself or a more specific row', () => {
    const rand = lcg(7);
    for (const row of t16Decoder.rows) {
      const insn = instance(row.pattern, 16, rand);
      const hit = t16Decoder.decode(insn)!;
      expect(hit.row.specificity).toBeGreaterThanOrEqual(row.specificity);
    }
  });
});
