// What a target supplies to the Linux layer: syscall numbering and calling convention,
// process start state, auxv values, special pages, struct layouts and flag encodings that
// differ between architectures, and its private syscalls.
import type { GuestMemory } from '../memory/guest-memory.js';
import type { CpuModel } from '../engine/target.js';
import type { Vcpu } from '../engine/vcpu.js';
import type { AltStack, SigSet } from './signals.js';
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

/** What the generic signal code asks the target to push for one handler invocation. */
export interface SignalFrameRequest {
  sig: number;
  /** struct siginfo bytes (SA_SIGINFO frames copy them in). */
  info: Uint8Array;
  handler: number;
  /** sa_flags: SA_SIGINFO picks the rt frame, SA_RESTORER the return path. */
  flags: number;
  restorer: number;
  /** The blocked mask sigreturn puts back. */
  mask: SigSet;
  /** Stack pointer to build the frame below (the alternate stack's top when switching to it). */
  sp: number;
  /** The thread's alternate stack as uc_stack reports it (flags include SS_ONSTACK if on it). */
  altStack: AltStack;
}

export interface RestoredSignalFrame {
  mask: SigSet;
  /** rt frames: uc_stack, to apply as sigaltstack does. */
  altStack?: AltStack;
}

/** Signal delivery as the target's kernel does it: frame layout, trampolines, sigreturn. */
export interface TargetSignals {
  stackPointer(state: Int32Array): number;
  setStackPointer(state: Int32Array, sp: number): void;
  /** Push the frame for `req` and point the registers at the handler; false if the frame cannot be written. */
  setupFrame(mem: GuestMemory, vcpu: Vcpu, req: SignalFrameRequest): boolean;
  /** sigreturn (rt = false) / rt_sigreturn: registers back from the frame at SP; null for a bad frame. */
  restoreFrame(mem: GuestMemory, vcpu: Vcpu, rt: boolean): RestoredSignalFrame | null;
  /** Make the syscall instruction run again, its first argument register back to `origArg0`. */
  restartSyscall(state: Int32Array, origArg0: number): void;
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
  /** /proc/cpuinfo as this target's kernel writes it for `cpus` CPUs of model `cpu` (absent: the host's). */
  cpuinfo?(cpu: CpuModel, cpus: number): string;
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
  signals: TargetSignals;
}
