// eventfd / eventfd2: a 64-bit counter as a file. write adds to it (blocking while the sum
// would pass 2^64-2), read takes it all (or 1 with EFD_SEMAPHORE), blocking while it is 0.
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EINVAL } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { type FileOps, installOpsFile, retryBlocking } from '../file-ops.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../open-flags.js';
import { POLLERR, READ_EVENTS, WRITE_EVENTS } from '../readiness.js';
import { WaitQueue } from '../wait-queue.js';

export const EFD_SEMAPHORE = 1;
const EFD_CLOEXEC = O_CLOEXEC;
const EFD_NONBLOCK = O_NONBLOCK;
const COUNTER_MAX = 0xfffffffffffffffen;

export class EventFd implements FileOps {
  readonly name = 'anon_inode:[eventfd]';
  readonly mode = 0o600;
  private readonly waiters = new WaitQueue();

  constructor(
    public count: bigint,
    readonly semaphore: boolean,
  ) {}

  poll(): number {
    return (this.count > 0n ? READ_EVENTS : 0) | (this.count < COUNTER_MAX ? WRITE_EVENTS : 0) | (this.count > COUNTER_MAX ? POLLERR : 0);
  }

  queue(): WaitQueue {
    return this.waiters;
  }

  read(file: OpenFile, view: Uint8Array, ctx: SyscallContext): number | Promise<number> {
    if (view.length < 8) return -EINVAL;
    return retryBlocking(ctx, file, this.waiters, () => {
      if (this.count === 0n) return null;
      const v = this.semaphore ? 1n : this.count;
      this.count -= v;
      new DataView(view.buffer, view.byteOffset, 8).setBigUint64(0, v, true);
      this.waiters.wake();
      return 8;
    });
  }

  write(file: OpenFile, data: Uint8Array, ctx: SyscallContext): number | Promise<number> {
    if (data.length < 8) return -EINVAL;
    const v = new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true);
    if (v === 0xffffffffffffffffn) return -EINVAL;
    return retryBlocking(ctx, file, this.waiters, () => {
      if (COUNTER_MAX - this.count < v) return null;
      this.count += v;
      if (v > 0n) this.waiters.wake();
      return 8;
    });
  }

  pendingBytes(): number {
    return this.count > 0n ? 8 : 0;
  }
}

function eventfd(ctx: SyscallContext, initval: number, flags: number): number {
  if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)) return -EINVAL;
  const ops = new EventFd(BigInt(initval >>> 0), (flags & EFD_SEMAPHORE) !== 0);
  return installOpsFile(ctx, ops, 'anon', O_RDWR | (flags & EFD_NONBLOCK), (flags & EFD_CLOEXEC) !== 0);
}

export const eventfdSyscalls: SyscallTable = {
  eventfd: (ctx, initval) => eventfd(ctx, initval, 0),
  eventfd2: (ctx, initval, flags) => eventfd(ctx, initval, flags),
};
