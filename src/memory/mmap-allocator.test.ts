import { describe, expect, it } from 'vitest';
import { GuestMemory, PAGE_SIZE, PROT_READ, PROT_WRITE } from './guest-memory.js';
import { MmapAllocator } from './mmap-allocator.js';

const mem = new GuestMemory();
const BASE = 0x40000000;

describe('MmapAllocator', () => {
  it('allocates bottom-up without overlap, reuses holes, honours free hints', () => {
    const a = new MmapAllocator(mem, BASE);
    const x = a.find(3 * PAGE_SIZE);
    expect(x).toBe(BASE);
    a.map(x, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE);
    const y = a.find(1);
    expect(y).toBe(BASE + 3 * PAGE_SIZE);
    a.map(y, 1, PROT_READ);
    // A hole in the middle of x is reused by a small request, not by a larger one.
    a.unmap(x + PAGE_SIZE, PAGE_SIZE);
    expect(a.find(PAGE_SIZE)).toBe(x + PAGE_SIZE);
    expect(a.find(2 * PAGE_SIZE)).toBe(y + PAGE_SIZE);
    // A free hint is used as is; a busy one is not.
    expect(a.find(PAGE_SIZE, 0x50000000)).toBe(0x50000000);
    expect(a.find(PAGE_SIZE, x)).toBe(x + PAGE_SIZE);
    a.unmap(BASE, 8 * PAGE_SIZE);
  });
  it('MAP_FIXED-style map replaces contents with zeros', () => {
    const a = new MmapAllocator(mem, BASE);
    a.map(BASE, PAGE_SIZE, PROT_READ | PROT_WRITE);
    mem.u8[BASE + 5] = 42;
    a.map(BASE, PAGE_SIZE, PROT_READ);
    expect(mem.u8[BASE + 5]).toBe(0);
    expect(mem.pageFlags[BASE / PAGE_SIZE]! & 7).toBe(PROT_READ);
    expect(a.isFree(BASE, PAGE_SIZE)).toBe(false);
    a.unmap(BASE, PAGE_SIZE);
    expect(a.isFree(BASE, PAGE_SIZE)).toBe(true);
  });
  it('falls back below the base and reports a full space', () => {
    const a = new MmapAllocator(mem, 0xfff00000, 0xfff02000);
    mem.protect(0xfff00000, 2 * PAGE_SIZE, PROT_READ);
    const r = a.find(PAGE_SIZE);
    expect(r).toBeGreaterThanOrEqual(0x10000);
    expect(r).toBeLessThan(0xfff00000);
    expect(a.isFree(0xfffff000, 2 * PAGE_SIZE)).toBe(false);
    a.unmap(0xfff00000, 2 * PAGE_SIZE);
  });
});
