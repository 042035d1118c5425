// Guest struct layouts that are the same for every 32-bit little-endian Linux target tsqemu
// cares about (ARM EABI, i386 where alignment does not differ): timespec, timeval, iovec,
// linux_dirent64, statx, utsname, rlimit, sysinfo, sigaction (rt form). Layouts that are
// target-specific (stat64 on ARM EABI aligns 64-bit fields) come from the target's LinuxAbi.
//
// Writers build the bytes in a host buffer and copy them with mem.writeBytes, which checks
// the guest range (GUEST_FAULT → -EFAULT in the dispatcher) and invalidates translated code.
import type { GuestMemory } from '../memory/guest-memory.js';

/** A host stat result in target-neutral form (BigInt fields as Node returns them). */
export interface GuestStat {
  dev: bigint;
  ino: bigint;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: bigint;
  size: bigint;
  blksize: number;
  blocks: bigint;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  birthtimeNs: bigint;
}

export function guestStatFromHost(s: import('node:fs').BigIntStats): GuestStat {
  return {
    dev: s.dev,
    ino: s.ino,
    mode: Number(s.mode),
    nlink: Number(s.nlink),
    uid: Number(s.uid),
    gid: Number(s.gid),
    rdev: s.rdev,
    size: s.size,
    blksize: Number(s.blksize),
    blocks: s.blocks,
    atimeNs: s.atimeNs,
    mtimeNs: s.mtimeNs,
    ctimeNs: s.ctimeNs,
    birthtimeNs: s.birthtimeNs,
  };
}

/** A little-endian byte builder for one struct. */
export class StructBuilder {
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(off: number, v: number): this {
    this.view.setUint8(off, v & 0xff);
    return this;
  }
  u16(off: number, v: number): this {
    this.view.setUint16(off, v & 0xffff, true);
    return this;
  }
  u32(off: number, v: number): this {
    this.view.setUint32(off, v >>> 0, true);
    return this;
  }
  u64(off: number, v: bigint | number): this {
    this.view.setBigUint64(off, BigInt.asUintN(64, BigInt(v)), true);
    return this;
  }
  str(off: number, s: string, max: number): this {
    const b = Buffer.from(s, 'utf8').subarray(0, max - 1);
    this.bytes.set(b, off);
    return this;
  }
  writeTo(mem: GuestMemory, address: number): void {
    mem.writeBytes(address, this.bytes);
  }
}

const NS = 1_000_000_000n;
export const secOf = (ns: bigint): bigint => (ns >= 0n ? ns / NS : -((-ns + NS - 1n) / NS));
export const nsecOf = (ns: bigint): number => Number(ns - secOf(ns) * NS);

// ---- time ----

export const TIMESPEC32_SIZE = 8;
export const TIMESPEC64_SIZE = 16;

/**
 * Read a struct timespec (32-bit time_t) or __kernel_timespec (64-bit) as nanoseconds. In
 * the 64-bit form a 32-bit program's tv_nsec is 32 bits followed by padding, which the
 * kernel ignores for compat tasks (glibc leaves it uninitialised).
 */
export function readTimespec(mem: GuestMemory, address: number, time64: boolean): bigint {
  const b = mem.readBytes(address, time64 ? TIMESPEC64_SIZE : TIMESPEC32_SIZE);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (time64) return v.getBigInt64(0, true) * NS + BigInt(v.getUint32(8, true));
  return BigInt(v.getInt32(0, true)) * NS + BigInt(v.getInt32(4, true));
}

export function timespecNsecValid(mem: GuestMemory, address: number, time64: boolean): boolean {
  const b = mem.readBytes(address, time64 ? TIMESPEC64_SIZE : TIMESPEC32_SIZE);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const nsec = time64 ? v.getUint32(8, true) : v.getInt32(4, true);
  const sec = time64 ? v.getBigInt64(0, true) : BigInt(v.getInt32(0, true));
  return nsec >= 0 && nsec < 1e9 && sec >= 0n;
}

export function writeTimespec(mem: GuestMemory, address: number, ns: bigint, time64: boolean): void {
  if (time64) new StructBuilder(16).u64(0, secOf(ns)).u64(8, nsecOf(ns)).writeTo(mem, address);
  else new StructBuilder(8).u32(0, Number(BigInt.asIntN(32, secOf(ns)))).u32(4, nsecOf(ns)).writeTo(mem, address);
}

/** struct timeval (32-bit): tv_sec, tv_usec. */
export function writeTimeval(mem: GuestMemory, address: number, ns: bigint): void {
  new StructBuilder(8).u32(0, Number(BigInt.asIntN(32, secOf(ns)))).u32(4, Math.floor(nsecOf(ns) / 1000)).writeTo(mem, address);
}

// ---- iovec ----

export interface Iovec {
  base: number;
  len: number;
}

/** struct iovec[count]: { void *iov_base; size_t iov_len; } (8 bytes each). */
export function readIovecs(mem: GuestMemory, address: number, count: number): Iovec[] {
  const out: Iovec[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ base: mem.read32(address + i * 8) >>> 0, len: mem.read32(address + i * 8 + 4) >>> 0 });
  }
  return out;
}

// ---- statx (generic layout, 256 bytes) ----

export const STATX_SIZE = 256;
export const STATX_BASIC_STATS = 0x7ff;
export const STATX_BTIME = 0x800;

export function devMajor(dev: bigint): number {
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)) >>> 0;
}
export function devMinor(dev: bigint): number {
  return Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn)) >>> 0;
}

export function writeStatx(mem: GuestMemory, address: number, st: GuestStat): void {
  const b = new StructBuilder(STATX_SIZE);
  b.u32(0, STATX_BASIC_STATS | STATX_BTIME).u32(4, st.blksize).u64(8, 0);
  b.u32(16, st.nlink).u32(20, st.uid).u32(24, st.gid).u16(28, st.mode);
  b.u64(32, st.ino).u64(40, st.size).u64(48, st.blocks).u64(56, 0);
  const ts = (off: number, ns: bigint) => b.u64(off, secOf(ns)).u32(off + 8, nsecOf(ns));
  ts(64, st.atimeNs);
  ts(80, st.birthtimeNs);
  ts(96, st.ctimeNs);
  ts(112, st.mtimeNs);
  b.u32(128, devMajor(st.rdev)).u32(132, devMinor(st.rdev));
  b.u32(136, devMajor(st.dev)).u32(140, devMinor(st.dev));
  b.writeTo(mem, address);
}

// ---- linux_dirent64 ----

/** d_type values. */
export const DT_UNKNOWN = 0;
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_BLK = 6;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;

/** Bytes of one linux_dirent64 record (u64 ino, i64 off, u16 reclen, u8 type, name, NUL; 8-aligned). */
export function dirent64Size(nameBytes: number): number {
  return (19 + nameBytes + 1 + 7) & ~7;
}

export function encodeDirent64(ino: bigint, off: bigint, type: number, name: Uint8Array): Uint8Array {
  const size = dirent64Size(name.length);
  const b = new StructBuilder(size);
  b.u64(0, ino).u64(8, off).u16(16, size).u8(18, type);
  b.bytes.set(name, 19);
  return b.bytes;
}

// ---- utsname: six 65-byte fields ----

export const UTSNAME_SIZE = 6 * 65;

export function writeUtsname(mem: GuestMemory, address: number, u: { sysname: string; nodename: string; release: string; version: string; machine: string; domainname: string }): void {
  const b = new StructBuilder(UTSNAME_SIZE);
  [u.sysname, u.nodename, u.release, u.version, u.machine, u.domainname].forEach((s, i) => b.str(i * 65, s, 65));
  b.writeTo(mem, address);
}

// ---- rlimit ----

export const RLIM64_INFINITY = 0xffffffffffffffffn;

export function writeRlimit64(mem: GuestMemory, address: number, cur: bigint, max: bigint): void {
  new StructBuilder(16).u64(0, cur).u64(8, max).writeTo(mem, address);
}

/** struct rlimit with 32-bit fields (ugetrlimit): values above 32 bits become RLIM_INFINITY. */
export function writeRlimit32(mem: GuestMemory, address: number, cur: bigint, max: bigint): void {
  const clamp = (v: bigint) => (v >= 0xffffffffn ? 0xffffffff : Number(v));
  new StructBuilder(8).u32(0, clamp(cur)).u32(4, clamp(max)).writeTo(mem, address);
}

export function readRlimit64(mem: GuestMemory, address: number): { cur: bigint; max: bigint } {
  const b = mem.readBytes(address, 16);
  const v = new DataView(b.buffer, b.byteOffset, 16);
  return { cur: v.getBigUint64(0, true), max: v.getBigUint64(8, true) };
}

// ---- sysinfo (32-bit longs, 64 bytes) ----

export const SYSINFO_SIZE = 64;

export function writeSysinfo(
  mem: GuestMemory,
  address: number,
  s: { uptime: number; loads: number[]; totalram: number; freeram: number; procs: number; memUnit: number },
): void {
  const b = new StructBuilder(SYSINFO_SIZE);
  b.u32(0, s.uptime);
  s.loads.slice(0, 3).forEach((l, i) => b.u32(4 + i * 4, l));
  b.u32(16, s.totalram).u32(20, s.freeram).u32(24, 0).u32(28, 0).u32(32, 0).u32(36, 0);
  b.u16(40, s.procs).u32(44, 0).u32(48, 0).u32(52, s.memUnit);
  b.writeTo(mem, address);
}

// ---- struct sigaction as rt_sigaction takes it (ARM, i386 and most 32-bit targets) ----

export interface GuestSigaction {
  handler: number;
  flags: number;
  restorer: number;
  /** The 64-bit mask as [low word, high word]. */
  mask: [number, number];
}

export const SIGACTION_SIZE = 20;

export function readSigaction(mem: GuestMemory, address: number): GuestSigaction {
  return {
    handler: mem.read32(address) >>> 0,
    flags: mem.read32(address + 4) >>> 0,
    restorer: mem.read32(address + 8) >>> 0,
    mask: [mem.read32(address + 12) >>> 0, mem.read32(address + 16) >>> 0],
  };
}

export function writeSigaction(mem: GuestMemory, address: number, a: GuestSigaction): void {
  new StructBuilder(SIGACTION_SIZE).u32(0, a.handler).u32(4, a.flags).u32(8, a.restorer).u32(12, a.mask[0]).u32(16, a.mask[1]).writeTo(mem, address);
}
