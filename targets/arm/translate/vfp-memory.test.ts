// Doubleword VFP transfers through vfp-memory.ts: the 8-aligned fast path, the word path
// (4-aligned, NaNs), page boundaries and faults, against the values the words must hold.
import { describe, expect, it } from 'vitest';
import { EXIT_FAULT, EXIT_SYSCALL } from '../../../src/engine/exits.js';
import { DATA_BASE, DATA_SIZE, VFP_WORD0, runA32 } from '../testing/run-a32.js';
import { df, enc } from './vfp-testkit.js';

const vldr = (d: number, n: number) => enc('VLDR_VSTR', { L: 1, U: 1, z: 1, n, i: 0, ...df('d', d) });
const vstr = (d: number, n: number) => enc('VLDR_VSTR', { L: 0, U: 1, z: 1, n, i: 0, ...df('d', d) });
const words = (lo: number, hi: number) => [lo >>> 0, hi >>> 0];

describe('VLDR/VSTR of D registers', () => {
  for (const [what, offset] of [['8-aligned', 0x40], ['4-aligned', 0x44]] as const) {
    for (const [kind, lo, hi] of [['a normal double', 0x54442d18, 0x400921fb], ['a signalling NaN', 0x00000001, 0x7ff00000], ['a quiet NaN with payload', 0x12345678, 0xfff81234]] as const) {
      it(`${what}: ${kind} keeps its bits through load and store`, () => {
        const src = DATA_BASE + offset;
        const dst = DATA_BASE + offset + 0x100;
        const r = runA32([vldr(17, 0), vstr(17, 1)], {
          regs: { 0: src, 1: dst },
          setup: (mem) => {
            mem.u32[src >>> 2] = lo;
            mem.u32[(src >>> 2) + 1] = hi;
          },
        });
        expect(r.exit).toBe(EXIT_SYSCALL);
        expect(words(r.state[VFP_WORD0 + 34]!, r.state[VFP_WORD0 + 35]!)).toEqual([lo, hi]);
        expect([r.mem.u32[dst >>> 2], r.mem.u32[(dst >>> 2) + 1]]).toEqual([lo, hi]);
      });
    }
  }

  it('a doubleword across the end of the mapping faults on its second word', () => {
    const last = DATA_BASE + DATA_SIZE - 4;
    const load = runA32([vldr(0, 0)], { regs: { 0: last } });
    expect(load.exit).toBe(EXIT_FAULT);
    expect(load.mem.lastFault.address).toBe(last + 4);
    const store = runA32([vstr(0, 0)], { regs: { 0: last }, vfp: { words: Array.from({ length: 64 }, (_, i) => 0x1000 + i) } });
    expect(store.exit).toBe(EXIT_FAULT);
    expect(store.mem.u32[last >>> 2]).toBe(0x1000); // the first word was stored, as two word accesses do
    expect(store.mem.lastFault).toMatchObject({ address: last + 4, write: true });
  });

  it('VLDMIA/VSTMDB of several D registers with writeback', () => {
    const vldmia = 0xecb02b06; // vldmia r0!, {d2-d4}
    const vstmdb = 0xed212b06; // vstmdb r1!, {d2-d4}
    const r = runA32([vldmia, vstmdb], {
      regs: { 0: DATA_BASE, 1: DATA_BASE + 0x200 },
      setup: (mem) => {
        for (let i = 0; i < 6; i++) mem.u32[(DATA_BASE >>> 2) + i] = 0xa0 + i;
      },
    });
    expect(r.exit).toBe(EXIT_SYSCALL);
    expect([r.state[0], r.state[1]]).toEqual([DATA_BASE + 24, DATA_BASE + 0x200 - 24]);
    expect(Array.from(r.state.slice(VFP_WORD0 + 4, VFP_WORD0 + 10))).toEqual([0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5]);
    expect(Array.from(r.mem.u32.slice((DATA_BASE + 0x200 - 24) >>> 2, (DATA_BASE + 0x200) >>> 2))).toEqual([0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5]);
  });
});
