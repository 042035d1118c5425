// /proc/self/maps lines in the kernel's format, made from page flags and the mapping table.
import { describe, expect, test } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory/guest-memory.js';
import { formatMaps, formatMapsLine, mapsLines, nulJoined } from './proc-files.js';

const PROG = { path: '/nonexistent/prog', dev: 0xfe01n, inode: 3416390n };

describe('/proc/self/maps', () => {
  test('a line: zero-padded addresses and offset, major:minor, inode, the name from column 73', () => {
    const line = formatMapsLine({ start: 0x10000, end: 0x87000, prot: PROT_READ | PROT_EXEC, offset: 0, info: { file: { ...PROG, path: '/bin/sh' }, offset: 0 } });
    expect(line).toBe(`00010000-00087000 r-xp 00000000 fe:01 3416390${' '.repeat(28)}/bin/sh\n`);
    expect(line.indexOf('/bin/sh')).toBe(73);
    // anonymous memory: no name, the kernel's trailing space
    expect(formatMapsLine({ start: 0x8b000, end: 0x8d000, prot: PROT_READ | PROT_WRITE, offset: 0, info: undefined })).toBe('0008b000-0008d000 rw-p 00000000 00:00 0 \n');
    expect(formatMapsLine({ start: 0x40000000, end: 0x40001000, prot: PROT_READ | PROT_WRITE, offset: 0, info: { offset: 0, shared: true, name: '/dev/zero (deleted)' } })).toMatch(/^40000000-40001000 rw-s .* \/dev\/zero \(deleted\)\n$/);
  });

  test('lines split where protection, file offsets or names change, and merge plain anonymous runs', () => {
    const mem = new GuestMemory();
    mem.protect(0x10000, 0x3000, PROT_READ | PROT_EXEC);
    mem.protect(0x13000, 0x1000, PROT_READ);
    mem.protect(0x14000, 0x2000, PROT_READ | PROT_WRITE);
    mem.mappings.set(0x10000, 0x15000, { file: PROG, offset: 0 });
    mem.protect(0x16000, 0x2000, PROT_READ | PROT_WRITE); // bss tail + [heap] right after
    mem.mappings.set(0x17000, 0x18000, { offset: 0, name: '[heap]' });
    mem.protect(0x40000000, 0x1000, PROT_READ | PROT_WRITE);
    mem.protect(0x40001000, 0x1000, PROT_READ | PROT_WRITE);
    const lines = mapsLines(mem).map((l) => [l.start.toString(16), l.end.toString(16), l.prot, l.offset, l.info?.name ?? l.info?.file?.path ?? '']);
    expect(lines).toEqual([
      ['10000', '13000', 5, 0, PROG.path],
      ['13000', '14000', 1, 0x3000, PROG.path],
      ['14000', '15000', 3, 0x4000, PROG.path],
      ['15000', '17000', 3, 0, ''],
      ['17000', '18000', 3, 0, '[heap]'],
      ['40000000', '40002000', 3, 0, ''],
    ]);
    // an unlinked file is marked as the kernel marks it
    expect(formatMaps(mem).split('\n')[0]).toMatch(/ \/nonexistent\/prog \(deleted\)$/);
  });

  test('cmdline and environ are NUL-terminated strings', () => {
    expect(Buffer.from(nulJoined(['./a', 'b c'])).toString('latin1')).toBe('./a\0b c\0');
  });
});
