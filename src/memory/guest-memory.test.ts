// Guest memory page bookkeeping: unmapping defers the zeroing of a page's bytes to its next
// mapping (so a freed arena is not committed by the host just to hold zeros), and a page
// mapped again always reads zeros.
import { describe, expect, test } from 'vitest';
import { GuestMemory, PAGE_MAPPED, PAGE_SIZE, PAGE_STALE, PROT_READ, PROT_WRITE } from './guest-memory.js';

const BASE = 0x10000000;

describe('guest memory pages', () => {
  const mem = new GuestMemory();

  test('an unmapped page faults, keeps its bytes until remapped, then reads zeros', () => {
    mem.protect(BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
    mem.u32[BASE >>> 2] = 0xdeadbeef;
    mem.u32[(BASE + PAGE_SIZE) >>> 2] = 0x12345678;
    mem.unmap(BASE, 2 * PAGE_SIZE);
    const page = BASE / PAGE_SIZE;
    expect(mem.pageFlags[page]).toBe(PAGE_STALE);
    expect(mem.isMapped(page)).toBe(false);
    expect(mem.rangeHas(BASE, 4, PROT_READ)).toBe(false);
    mem.protect(BASE, PAGE_SIZE, PROT_READ);
    expect(mem.pageFlags[page]).toBe(PAGE_MAPPED | PROT_READ);
    expect(mem.u32[BASE >>> 2]).toBe(0);
    // the second page is still unmapped and still stale; mapping it zeroes it too
    expect(mem.pageFlags[page + 1]).toBe(PAGE_STALE);
    mem.protect(BASE + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
    expect(mem.u32[(BASE + PAGE_SIZE) >>> 2]).toBe(0);
  });

  test('unmapping pages that were never mapped leaves them plain unmapped', () => {
    mem.unmap(BASE + 16 * PAGE_SIZE, 4 * PAGE_SIZE);
    expect(mem.pageFlags[BASE / PAGE_SIZE + 16]).toBe(0);
  });

  test('changing the protection of a mapped page keeps its bytes', () => {
    mem.protect(BASE + 32 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
    mem.u32[(BASE + 32 * PAGE_SIZE) >>> 2] = 7;
    mem.protect(BASE + 32 * PAGE_SIZE, PAGE_SIZE, PROT_READ);
    expect(mem.u32[(BASE + 32 * PAGE_SIZE) >>> 2]).toBe(7);
  });
});
