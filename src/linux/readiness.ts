// Readiness of guest files, shared by poll/ppoll, select/pselect6 and epoll: which poll
// events hold now for an open file, and which wait queue tells when that may change.
// In-memory pipes report their real state; files with FileOps (sockets, eventfd, timerfd,
// signalfd, epoll) report theirs; host files, ttys and host pipes are reported ready, since
// node:fs cannot ask the host without reading (a read that then has nothing to give parks
// like a blocking read).
import type { OpenFile } from './fd-table.js';
import type { LinuxProcess } from './process.js';
import type { SyscallContext } from './syscalls.js';
import type { GuestThread } from './thread.js';
import type { WaitQueue } from './wait-queue.js';
import { INTERRUPTED, interruptible } from './signal-delivery.js';

export const POLLIN = 0x001;
export const POLLPRI = 0x002;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;
export const POLLRDNORM = 0x040;
export const POLLRDBAND = 0x080;
export const POLLWRNORM = 0x100;
export const POLLWRBAND = 0x200;
export const POLLRDHUP = 0x2000;
export const READ_EVENTS = POLLIN | POLLRDNORM;
export const WRITE_EVENTS = POLLOUT | POLLWRNORM;

/** The events that hold now for `file` (before masking by what was asked). */
export function fileEvents(file: OpenFile, ctx: SyscallContext): number {
  if (file.ops) return file.ops.poll(file, ctx);
  const pipe = file.pipe;
  if (!pipe) return READ_EVENTS | WRITE_EVENTS;
  if (file.pipeEnd === 'read') return (pipe.available > 0 ? READ_EVENTS : 0) | (pipe.writers === 0 ? POLLHUP : 0);
  return pipe.readers === 0 ? POLLERR : WRITE_EVENTS;
}

/** The queue woken when `file`'s events may change; null for files that are always ready. */
export function fileQueue(file: OpenFile, ctx: SyscallContext): WaitQueue | null {
  if (file.ops) return file.ops.queue(file, ctx);
  return file.pipe?.queue ?? null;
}

export type WaitOutcome = 'woken' | 'timeout' | typeof INTERRUPTED;

/**
 * Park `thread` until one of `queues` is woken, `deadline` (performance.now() ms; Infinity =
 * none) passes, or a signal becomes deliverable to it. Subscriptions end when it returns.
 */
export async function waitOn(proc: LinuxProcess, thread: GuestThread, queues: readonly WaitQueue[], deadline: number): Promise<WaitOutcome> {
  let unsubs: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const woken = new Promise<WaitOutcome>((resolve) => {
      unsubs = [...new Set(queues)].map((q) => q.subscribe(() => resolve('woken')));
      if (Number.isFinite(deadline)) timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - performance.now()));
    });
    return await interruptible(proc, thread, woken);
  } finally {
    for (const un of unsubs) un();
    clearTimeout(timer);
  }
}
