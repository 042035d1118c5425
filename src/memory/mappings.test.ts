// The mapping table behind /proc/self/maps: entries are replaced, cut and split the way
// mmap/munmap change VMAs, file offsets follow the cuts, and unmapping pages forgets them.
import { describe, expect, test } from 'vitest';
import { GuestMemory, PROT_READ } from './guest-memory.js';
import { MappingTable } from './mappings.js';

const FILE = { path: '/lib/libc.so.6', dev: 0xfe00n, inode: 42n };

describe('mapping table', () => {
  test('set replaces what it overlaps; clear splits an entry and moves the file offset', () => {
    const t = new MappingTable();
    t.set(0x10000, 0x20000, { file: FILE, offset: 0x1000 });
    t.set(0x30000, 0x31000, { offset: 0, name: '[heap]' });
    t.clear(0x14000, 0x15000);
    expect(t.list().map((e) => [e.start, e.end, e.info.offset])).toEqual([
      [0x10000, 0x14000, 0x1000],
      [0x15000, 0x20000, 0x6000],
      [0x30000, 0x31000, 0],
    ]);
    t.set(0x12000, 0x31000, { offset: 0, name: '[stack]' });
    expect(t.list().map((e) => [e.start, e.end, e.info.name])).toEqual([
      [0x10000, 0x12000, undefined],
      [0x12000, 0x31000, '[stack]'],
    ]);
    expect(t.at(0x11fff)?.info.file).toBe(FILE);
    expect(t.at(0x31000)).toBeUndefined();
  });

  test('slice clips, move carries entries to the new place', () => {
    const t = new MappingTable();
    t.set(0x10000, 0x14000, { file: FILE, offset: 0 });
    expect(t.slice(0x11000, 0x12000)).toEqual([{ start: 0x11000, end: 0x12000, info: { file: FILE, offset: 0x1000 } }]);
    t.move(0x10000, 0x4000, 0x50000);
    expect(t.at(0x10000)).toBeUndefined();
    expect(t.list()).toEqual([{ start: 0x50000, end: 0x54000, info: { file: FILE, offset: 0 } }]);
  });

  test('unmapping guest pages drops their description; a forked copy keeps its own', () => {
    const mem = new GuestMemory();
    mem.protect(0x10000, 0x4000, PROT_READ);
    mem.mappings.set(0x10000, 0x14000, { file: FILE, offset: 0 });
    const copy = new MappingTable();
    copy.copyFrom(mem.mappings);
    mem.unmap(0x12000, 0x1000);
    expect(mem.mappings.list().map((e) => [e.start, e.end, e.info.offset])).toEqual([
      [0x10000, 0x12000, 0],
      [0x13000, 0x14000, 0x3000],
    ]);
    expect(copy.list()).toHaveLength(1);
  });
});
