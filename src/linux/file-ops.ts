// Files that are not host files or pipes: eventfd, timerfd, signalfd, epoll instances and
// sockets. Each carries a FileOps object that the generic I/O paths dispatch to (read, write,
// fstat, poll/select/epoll readiness, close). Blocking operations park the calling vCPU on
// the file's wait queue (DESIGN.md rule 6) and give up their wait when a signal comes.
import type { SyscallContext } from './syscalls.js';
import { OpenFile } from './fd-table.js';
import { WaitQueue } from './wait-queue.js';
import { EAGAIN, EBADF, EINVAL } from './errno.js';
import { O_NONBLOCK } from './open-flags.js';
import { ERESTARTSYS } from './signal-delivery.js';

export interface FileOps {
  /** Name for diagnostics and /proc/self/fd ("anon_inode:[eventfd]", "socket:[N]"). */
  readonly name: string;
  /** st_mode bits for fstat (S_IFSOCK | 0777 for sockets, 0600 for anonymous inodes). */
  readonly mode: number;
  /** Poll events (POLLIN, POLLOUT, POLLHUP, ...) that hold now, as `ctx`'s thread sees them. */
  poll(file: OpenFile, ctx: SyscallContext): number;
  /** The queue woken when those events may have changed. */
  queue(file: OpenFile, ctx: SyscallContext): WaitQueue;
  read?(file: OpenFile, view: Uint8Array, ctx: SyscallContext): number | Promise<number>;
  write?(file: OpenFile, data: Uint8Array, ctx: SyscallContext): number | Promise<number>;
  /** Bytes a read would return now (FIONREAD). */
  pendingBytes?(file: OpenFile): number;
  /** The last guest reference to the open file went away. */
  release?(file: OpenFile): void;
  /**
   * How the file is handed to an exec'd program: a host stream (a TCP connection's node
   * socket; the emulator stops reading it from then on), 'pipe' (a host pipe the emulator
   * pumps with pumpHost), or null (not passed).
   */
  hostStdio?(file: OpenFile): import('node:stream').Stream | 'pipe' | null;
  /** Move bytes between the file and the host pipe `stream` an exec'd program has as `childFd`. */
  pumpHost?(file: OpenFile, stream: import('node:stream').Stream, childFd: number): void;
}

/** The deadline (performance.now() ms) of a blocking call, or Infinity. */
export type Deadline = number;

/**
 * Run `attempt` (null = would block) until it gives a result. Non-blocking files (or
 * `nonblock`) get -EAGAIN at once; otherwise the thread parks on `queue` and tries again
 * after each wake; a wait abandoned for a signal never consumes anything. Past `deadline`
 * (SO_RCVTIMEO, SO_SNDTIMEO) the result is -EAGAIN.
 */
export function retryBlocking(
  ctx: SyscallContext,
  file: OpenFile,
  queue: WaitQueue,
  attempt: () => number | null,
  nonblock = false,
  deadline: Deadline = Infinity,
): number | Promise<number> {
  return blockingLoop(ctx, nonblock || (file.statusFlags & O_NONBLOCK) !== 0, queue, attempt, deadline);
}

/** retryBlocking for any result type: -EAGAIN / ERESTARTSYS come back as numbers. */
export function blockingLoop<T>(ctx: SyscallContext, nonblock: boolean, queue: WaitQueue, attempt: () => T | null, deadline: Deadline = Infinity): T | number | Promise<T | number> {
  const first = attempt();
  if (first !== null) return first;
  if (nonblock) return -EAGAIN;
  const cancelled = ctx.thread.cancelToken();
  return (async () => {
    for (;;) {
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const un = queue.subscribe(() => {
          un();
          clearTimeout(timer);
          resolve();
        });
        if (Number.isFinite(deadline)) {
          timer = setTimeout(() => {
            un();
            resolve();
          }, Math.max(0, deadline - performance.now()));
        }
      });
      if (cancelled()) return ERESTARTSYS;
      const r = attempt();
      if (r !== null) return r;
      if (performance.now() >= deadline) return -EAGAIN;
    }
  })();
}

/** Open a new file with `ops` at the lowest free fd; returns the fd or -EMFILE. */
export function installOpsFile(ctx: SyscallContext, ops: FileOps, kind: 'socket' | 'anon', statusFlags: number, cloexec: boolean): number {
  const file = new OpenFile(-1, kind, statusFlags, '');
  file.ops = ops;
  const fd = ctx.proc.fds.alloc(file, cloexec);
  if (fd < 0) file.release();
  return fd;
}

/** The FileOps of `fd` if it is open and its ops are an instance of `cls`; else -EBADF / -EINVAL. */
export function opsOf<T extends FileOps>(ctx: SyscallContext, fd: number, cls: abstract new (...args: never[]) => T, notThat = -EINVAL): { file: OpenFile; ops: T } | number {
  const slot = ctx.proc.fds.get(fd);
  if (!slot) return -EBADF;
  const ops = slot.file.ops;
  if (!(ops instanceof cls)) return notThat;
  return { file: slot.file, ops };
}
