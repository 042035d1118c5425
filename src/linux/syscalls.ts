// The syscall registry: handlers are keyed by NAME (grouped by area in sys/*.ts); the target's
// generated number table turns the guest's syscall number into that name. A handler returns
// a result ≥ 0 or -errno, synchronously or as a promise (the vCPU is parked until it
// settles: DESIGN.md rule 6). Host faults on guest pointers (GUEST_FAULT) become -EFAULT.
import type { GuestMemory } from '../memory/guest-memory.js';
import { isGuestFault } from '../memory/guest-memory.js';
import type { Vcpu } from '../engine/vcpu.js';
import type { LinuxAbi } from './abi.js';
import type { LinuxProcess } from './process.js';
import type { GuestThread } from './thread.js';
import { EFAULT, ENOSYS } from './errno.js';

export interface SyscallContext {
  proc: LinuxProcess;
  mem: GuestMemory;
  vcpu: Vcpu;
  abi: LinuxAbi;
  /** The calling guest thread (its signal mask, tid, ...). */
  thread: GuestThread;
}

export type SyscallResult = number | Promise<number>;

/** Returned by sigreturn: the registers came back from the signal frame, r0 included. */
export const SYSCALL_NO_RESULT = -0x40000000;

/** Arguments arrive as int32 register values; use `>>> 0` for addresses and sizes. */
export type SyscallHandler = (ctx: SyscallContext, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number) => SyscallResult;

export type SyscallTable = Record<string, SyscallHandler>;

/**
 * Thrown (never returned) by a handler to end the guest: exit/exit_group, or a fatal signal.
 * The exec loop catches it and resolves run() with `status`.
 */
export class GuestExit {
  constructor(readonly status: number) {}
}

/** Thrown by exit(2) in a thread that is not the last one: that thread ends, the process goes on. */
export class ThreadExit {}

export interface ResolvedSyscall {
  nr: number;
  name: string | undefined;
  handler: SyscallHandler | undefined;
  /** One of the target's private syscalls (LinuxAbi.privateSyscalls). */
  private: boolean;
}

export class SyscallRegistry {
  private readonly byNumber = new Map<number, ResolvedSyscall>();
  private readonly handlers = new Map<string, SyscallHandler>();

  constructor(
    private readonly abi: LinuxAbi,
    tables: readonly SyscallTable[],
  ) {
    for (const table of [...tables, abi.privateSyscalls]) {
      for (const [name, handler] of Object.entries(table)) this.handlers.set(name, handler);
    }
  }

  resolve(nr: number): ResolvedSyscall {
    let r = this.byNumber.get(nr);
    if (!r) {
      const name = this.abi.syscallNames.get(nr);
      const isPrivate = name !== undefined && Object.hasOwn(this.abi.privateSyscalls, name);
      r = { nr, name, handler: name === undefined ? undefined : this.handlers.get(name), private: isPrivate };
      this.byNumber.set(nr, r);
    }
    return r;
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  /** Call the handler for `sys` with the 6 argument registers; faults become -EFAULT. */
  call(sys: ResolvedSyscall, ctx: SyscallContext, a: readonly number[]): SyscallResult {
    const handler = sys.handler;
    if (!handler) return -ENOSYS;
    try {
      const r = handler(ctx, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!);
      if (typeof r === 'number') return r;
      return r.catch(faultToErrno);
    } catch (e) {
      return faultToErrno(e);
    }
  }
}

function faultToErrno(e: unknown): number {
  if (isGuestFault(e)) return -EFAULT;
  throw e;
}

/** Combine a 64-bit argument from two 32-bit registers (low word first, little-endian ABI). */
export function arg64(lo: number, hi: number): number {
  return (hi | 0) * 2 ** 32 + (lo >>> 0);
}
