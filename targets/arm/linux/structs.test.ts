import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_READ, PROT_WRITE } from '../../../src/memory/guest-memory.js';
import type { GuestStat } from '../../../src/linux/structs.js';
import { STAT64, STAT64_SIZE, writeArmStat64 } from './structs.js';

const mem = new GuestMemory();
mem.protect(0x10000, 0x1000, PROT_READ | PROT_WRITE);

describe('ARM EABI struct stat64', () => {
  it('has the EABI offsets (64-bit members 8-aligned, 104 bytes)', () => {
    expect(STAT64_SIZE).toBe(104);
    expect(STAT64.st_size).toBe(48);
    expect(STAT64.st_blocks).toBe(64);
    expect(STAT64.st_ino).toBe(96);
  });
  it('packs every field where glibc reads it', () => {
    const st: GuestStat = {
      dev: 0x803n, ino: 0x1_2345_6789n, mode: 0o100644, nlink: 3, uid: 1000, gid: 100, rdev: 0x501n, size: 0x1_0000_0010n,
      blksize: 4096, blocks: 24n, atimeNs: 1_700_000_000_123_456_789n, mtimeNs: 5_000_000_007n, ctimeNs: 9n, birthtimeNs: 0n,
    };
    writeArmStat64(mem, 0x10000, st);
    const v = new DataView(mem.buffer, 0x10000, 104);
    expect(v.getBigUint64(0, true)).toBe(0x803n);
    expect(v.getUint32(12, true)).toBe(0x23456789);
    expect(v.getUint32(16, true)).toBe(0o100644);
    expect(v.getUint32(20, true)).toBe(3);
    expect(v.getUint32(24, true)).toBe(1000);
    expect(v.getUint32(28, true)).toBe(100);
    expect(v.getBigUint64(32, true)).toBe(0x501n);
    expect(v.getBigInt64(48, true)).toBe(0x1_0000_0010n);
    expect(v.getUint32(56, true)).toBe(4096);
    expect(v.getBigUint64(64, true)).toBe(24n);
    expect(v.getUint32(72, true)).toBe(1_700_000_000);
    expect(v.getUint32(76, true)).toBe(123_456_789);
    expect(v.getUint32(80, true)).toBe(5);
    expect(v.getUint32(84, true)).toBe(7);
    expect(v.getUint32(92, true)).toBe(9);
    expect(v.getBigUint64(96, true)).toBe(0x1_2345_6789n);
  });
});
