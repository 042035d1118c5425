// signalfd / signalfd4: pending signals as a file. A read takes signals of the mask that are
// pending for the reading thread or its process (as sigtimedwait does) and returns one
// struct signalfd_siginfo (128 bytes) per signal; it blocks while there is none. The
// signals are normally blocked by the guest, so that they stay pending until read.
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EINVAL } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { type FileOps, installOpsFile, opsOf, retryBlocking } from '../file-ops.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../open-flags.js';
import { READ_EVENTS } from '../readiness.js';
import { SIGBUS, SIGCHLD, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, SI_KERNEL, SI_TIMER, SI_USER, blockable, type SigInfo, type SigSet } from '../signals.js';
import { StructBuilder } from '../structs.js';
import { signalQueue, type WaitQueue } from '../wait-queue.js';

const SFD_CLOEXEC = O_CLOEXEC;
const SFD_NONBLOCK = O_NONBLOCK;
export const SIGNALFD_SIGINFO_SIZE = 128;

/**
 * struct signalfd_siginfo for `info`: which fields are filled depends on how the signal was
 * sent (the kernel's siginfo layouts: kill, timer, real-time/queued, child, fault).
 */
export function encodeSignalfdSiginfo(info: SigInfo): Uint8Array {
  const b = new StructBuilder(SIGNALFD_SIGINFO_SIZE);
  b.u32(0, info.signo).u32(4, info.errno ?? 0).u32(8, info.code);
  const code = info.code;
  const kernel = code > SI_USER && code < SI_KERNEL;
  if (kernel && info.signo === SIGCHLD) {
    b.u32(12, info.pid ?? 0).u32(16, info.uid ?? 0).u32(40, info.status ?? 0);
  } else if (kernel && [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP].includes(info.signo)) {
    b.u64(72, (info.addr ?? 0) >>> 0);
  } else if (code === SI_TIMER) {
    b.u32(24, info.timerId ?? 0).u32(32, info.overrun ?? 0).u32(44, info.value ?? 0).u64(48, (info.value ?? 0) >>> 0);
  } else if (code < 0) {
    b.u32(12, info.pid ?? 0).u32(16, info.uid ?? 0).u32(44, info.value ?? 0).u64(48, (info.value ?? 0) >>> 0);
  } else {
    b.u32(12, info.pid ?? 0).u32(16, info.uid ?? 0);
  }
  return b.bytes;
}

export class SignalFd implements FileOps {
  readonly name = 'anon_inode:[signalfd]';
  readonly mode = 0o600;

  constructor(public mask: SigSet) {}

  /** Signals outside the mask, as a "blocked" set for PendingSignals.next. */
  private get others(): SigSet {
    return [~this.mask[0] >>> 0, ~this.mask[1] >>> 0];
  }

  poll(_file: OpenFile, ctx: SyscallContext): number {
    const others = this.others;
    return ctx.thread.signals.pending.next(others) || ctx.proc.signals.pending.next(others) ? READ_EVENTS : 0;
  }

  queue(_file: OpenFile, ctx: SyscallContext): WaitQueue {
    return signalQueue(ctx.proc);
  }

  read(file: OpenFile, view: Uint8Array, ctx: SyscallContext): number | Promise<number> {
    if (view.length < SIGNALFD_SIGINFO_SIZE) return -EINVAL;
    return retryBlocking(ctx, file, signalQueue(ctx.proc), () => {
      const others = this.others;
      const own = ctx.thread.signals.pending;
      const shared = ctx.proc.signals.pending;
      let done = 0;
      while (done + SIGNALFD_SIGINFO_SIZE <= view.length) {
        const fromThread = own.next(others);
        const sig = fromThread || shared.next(others);
        if (sig === 0) break;
        const info = (fromThread ? own : shared).take(sig)!;
        view.set(encodeSignalfdSiginfo(info), done);
        done += SIGNALFD_SIGINFO_SIZE;
      }
      return done > 0 ? done : null;
    });
  }
}

function signalfd(ctx: SyscallContext, fd: number, maskAddr: number, sizemask: number, flags: number): number {
  if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK)) return -EINVAL;
  if (sizemask !== 8) return -EINVAL;
  const mask = blockable([ctx.mem.read32(maskAddr >>> 0) >>> 0, ctx.mem.read32((maskAddr >>> 0) + 4) >>> 0]);
  if (fd !== -1) {
    const s = opsOf(ctx, fd, SignalFd);
    if (typeof s === 'number') return s;
    s.ops.mask = mask;
    signalQueue(ctx.proc).wake();
    return fd;
  }
  return installOpsFile(ctx, new SignalFd(mask), 'anon', O_RDWR | (flags & SFD_NONBLOCK), (flags & SFD_CLOEXEC) !== 0);
}

export const signalfdSyscalls: SyscallTable = {
  signalfd: (ctx, fd, mask, size) => signalfd(ctx, fd, mask, size, 0),
  signalfd4: (ctx, fd, mask, size, flags) => signalfd(ctx, fd, mask, size, flags),
};
