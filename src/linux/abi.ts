// What a target supplies to the Linux layer: syscall numbering and calling convention,
// process start state, auxv values, special pages, struct layouts and flag encodings that
// differ between architectures, and its private syscalls.
import type { GuestMemory } from '../memory/guest-memory.js';
import type { CpuModel } from '../engine/target.js';
import type { GuestStat } from './structs.js';
import type { SyscallTable } from './syscalls.js';

/** statfs64 values in target-neutral form. */
export interface GuestStatfs {
  type: number;
  bsize: number;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
  namelen: number;
  frsize: number;
  flags: number;
}

/**
 * Guest values of the open(2) flags that differ between architectures (the rest use the
 * asm-generic values: O_CREAT 0x40, O_EXCL 0x80, O_NOCTTY 0x100, O_TRUNC 0x200,
 * O_APPEND 0x400, O_NONBLOCK 0x800, O_DSYNC 0x1000, O_NOATIME 0x40000, O_CLOEXEC 0x80000,
 * O_PATH 0x200000, __O_TMPFILE 0x400000, __O_SYNC 0x100000).
 */
export interface OpenFlagEncoding {
  O_DIRECTORY: number;
  O_NOFOLLOW: number;
  O_DIRECT: number;
  O_LARGEFILE: number;
}

export interface LinuxAbi {
  /** Syscall number -> name (generated from the kernel's syscall table). */
  syscallNames: ReadonlyMap<number, string>;
  syscallNumber(state: Int32Array): number;
  /** Argument i (0..5) of the syscall being made, as an int32. */
  syscallArg(state: Int32Array, i: number): number;
  setSyscallResult(state: Int32Array, value: number): void;
  /** 64-bit syscall arguments start at an even argument index (ARM EABI pads before them). */
  alignsRegPairs: boolean;
  /** Registers at process start: PC key from entry, SP, and whatever the ABI zeroes. */
  initThread(state: Int32Array, entry: number, sp: number): void;
  /** AT_HWCAP / AT_HWCAP2 / AT_PLATFORM for a CPU model. */
  hwcap(cpu: CpuModel): number;
  hwcap2(cpu: CpuModel): number;
  platform(cpu: CpuModel): string;
  /** uname().machine, e.g. "armv7l". */
  unameMachine(cpu: CpuModel): string;
  /** Map pages the kernel provides (ARM: the kuser helper page at 0xffff0000). */
  mapSpecialPages(mem: GuestMemory): void;
  /** Set the thread pointer (TLS) register; used by clone(CLONE_SETTLS). */
  setTls(state: Int32Array, value: number): void;
  /** Highest guest address + 1 for the initial stack top. */
  stackTop: number;
  /** struct stat64 as this target lays it out. */
  stat64Size: number;
  writeStat64(mem: GuestMemory, address: number, st: GuestStat): void;
  /** struct statfs64 as this target lays it out. */
  statfs64Size: number;
  writeStatfs64(mem: GuestMemory, address: number, st: GuestStatfs): void;
  openFlags: OpenFlagEncoding;
  /** Target-private syscalls by name (ARM: set_tls, cacheflush, ...). */
  privateSyscalls: SyscallTable;
}
