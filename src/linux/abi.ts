// What a target supplies to the Linux layer: syscall numbering and calling convention,
// process start state, auxv values, special pages, and struct layouts.
import type { GuestMemory } from '../memory/guest-memory.js';
import type { CpuModel } from '../engine/target.js';

export interface LinuxAbi {
  /** Syscall number -> name (generated from the kernel's syscall table). */
  syscallNames: ReadonlyMap<number, string>;
  syscallNumber(state: Int32Array): number;
  /** Argument i (0..5) of the syscall being made, as an int32. */
  syscallArg(state: Int32Array, i: number): number;
  setSyscallResult(state: Int32Array, value: number): void;
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
}
