// ARM EABI struct layouts that differ from other 32-bit targets: EABI aligns 64-bit members
// to 8 bytes, so struct stat64 is 104 bytes (96 on i386), and struct statfs64 is packed to
// 4-byte alignment (84 bytes).
import type { GuestMemory } from '../../../src/memory/guest-memory.js';
import type { GuestStatfs } from '../../../src/linux/abi.js';
import { StructBuilder, nsecOf, secOf, type GuestStat } from '../../../src/linux/structs.js';

export const STAT64_SIZE = 104;

/** Offsets of struct stat64 (ARM EABI). */
export const STAT64 = {
  st_dev: 0, // u64
  __st_ino: 12, // u32 (low bits of the inode)
  st_mode: 16,
  st_nlink: 20,
  st_uid: 24,
  st_gid: 28,
  st_rdev: 32, // u64
  st_size: 48, // i64
  st_blksize: 56,
  st_blocks: 64, // u64
  st_atime: 72,
  st_atime_nsec: 76,
  st_mtime: 80,
  st_mtime_nsec: 84,
  st_ctime: 88,
  st_ctime_nsec: 92,
  st_ino: 96, // u64
} as const;

export function writeArmStat64(mem: GuestMemory, address: number, st: GuestStat): void {
  const b = new StructBuilder(STAT64_SIZE);
  const o = STAT64;
  b.u64(o.st_dev, st.dev).u32(o.__st_ino, Number(st.ino & 0xffffffffn)).u32(o.st_mode, st.mode).u32(o.st_nlink, st.nlink);
  b.u32(o.st_uid, st.uid).u32(o.st_gid, st.gid).u64(o.st_rdev, st.rdev).u64(o.st_size, st.size);
  b.u32(o.st_blksize, st.blksize).u64(o.st_blocks, st.blocks);
  b.u32(o.st_atime, Number(BigInt.asUintN(32, secOf(st.atimeNs)))).u32(o.st_atime_nsec, nsecOf(st.atimeNs));
  b.u32(o.st_mtime, Number(BigInt.asUintN(32, secOf(st.mtimeNs)))).u32(o.st_mtime_nsec, nsecOf(st.mtimeNs));
  b.u32(o.st_ctime, Number(BigInt.asUintN(32, secOf(st.ctimeNs)))).u32(o.st_ctime_nsec, nsecOf(st.ctimeNs));
  b.u64(o.st_ino, st.ino);
  b.writeTo(mem, address);
}

export const STATFS64_SIZE = 84;

/** struct statfs64 (ARM EABI, packed to 4): f_type, f_bsize, then u64 counts from offset 8. */
export function writeArmStatfs64(mem: GuestMemory, address: number, s: GuestStatfs): void {
  const b = new StructBuilder(STATFS64_SIZE);
  b.u32(0, s.type).u32(4, s.bsize).u64(8, s.blocks).u64(16, s.bfree).u64(24, s.bavail).u64(32, s.files).u64(40, s.ffree);
  b.u32(48, 0).u32(52, 0); // f_fsid
  b.u32(56, s.namelen).u32(60, s.frsize).u32(64, s.flags);
  b.writeTo(mem, address);
}
