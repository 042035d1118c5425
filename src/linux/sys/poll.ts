// poll and ppoll. In-memory pipes report their real state (data, the other end closed);
// host files, ttys and host pipes are reported ready, since node:fs cannot ask the host
// without reading (a read that then has nothing to give parks like a blocking read). A poll
// with nothing ready parks until a pipe changes, the timeout passes or a signal arrives.
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EINTR, EINVAL } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { INTERRUPTED, interruptible } from '../signal-delivery.js';
import { blockable } from '../signals.js';
import { readTimespec } from '../structs.js';

const POLLIN = 0x001;
const POLLPRI = 0x002;
const POLLOUT = 0x004;
const POLLERR = 0x008;
const POLLHUP = 0x010;
const POLLNVAL = 0x020;
const POLLRDNORM = 0x040;
const POLLWRNORM = 0x100;
const READ_EVENTS = POLLIN | POLLRDNORM;
const WRITE_EVENTS = POLLOUT | POLLWRNORM;
const MAX_POLL_FDS = 1 << 20;

/** The events that hold now for `file` (before masking by what was asked). */
function readiness(file: OpenFile): number {
  const pipe = file.pipe;
  if (!pipe) return READ_EVENTS | WRITE_EVENTS;
  if (file.pipeEnd === 'read') return (pipe.available > 0 ? READ_EVENTS : 0) | (pipe.writers === 0 ? POLLHUP : 0);
  return pipe.readers === 0 ? POLLERR : WRITE_EVENTS;
}

interface PollFd {
  fd: number;
  events: number;
}

/** One pass over the set: revents written back; returns how many fds have events. */
function scan(ctx: SyscallContext, address: number, fds: PollFd[]): number {
  let ready = 0;
  fds.forEach((p, i) => {
    let revents = 0;
    if (p.fd >= 0) {
      const slot = ctx.proc.fds.get(p.fd);
      revents = slot ? readiness(slot.file) & (p.events | POLLERR | POLLHUP) : POLLNVAL;
    }
    ctx.mem.write16(address + i * 8 + 6, revents);
    if (revents) ready++;
  });
  return ready;
}

async function poll(ctx: SyscallContext, address: number, nfds: number, timeoutMs: number | null): Promise<number> {
  if (nfds >>> 0 > MAX_POLL_FDS) return -EINVAL;
  const fds: PollFd[] = [];
  for (let i = 0; i < nfds >>> 0; i++) {
    fds.push({ fd: ctx.mem.read32((address >>> 0) + i * 8), events: ctx.mem.read16((address >>> 0) + i * 8 + 4) & ~POLLPRI });
  }
  const deadline = timeoutMs === null ? Infinity : performance.now() + timeoutMs;
  for (;;) {
    const ready = scan(ctx, address >>> 0, fds);
    if (ready > 0 || performance.now() >= deadline) return ready;
    // Park until a pipe of the set changes, the timeout passes, or a signal comes.
    const pipes = fds.map((p) => ctx.proc.fds.get(p.fd)?.file.pipe).filter((p) => p !== undefined && p !== null);
    let timer: NodeJS.Timeout | undefined;
    const change = Promise.race([
      ...pipes.map((p) => p.waitReadable()),
      new Promise<void>((r) => (timer = setTimeout(r, Number.isFinite(deadline) ? Math.max(0, deadline - performance.now()) : 2 ** 31 - 1))),
    ]);
    const r = await interruptible(ctx.proc, ctx.thread, change);
    clearTimeout(timer);
    if (r === INTERRUPTED) return -EINTR;
  }
}

function ppoll(ctx: SyscallContext, fds: number, nfds: number, ts: number, sigmask: number, time64: boolean): Promise<number> | number {
  const timeoutMs = ts ? Number(readTimespec(ctx.mem, ts >>> 0, time64)) / 1e6 : null;
  if (!sigmask) return poll(ctx, fds, nfds, timeoutMs);
  // The mask applies while waiting; a handler that runs sees the old one restored after it.
  const t = ctx.thread.signals;
  const old = t.blocked;
  t.blocked = blockable([ctx.mem.read32(sigmask >>> 0) >>> 0, ctx.mem.read32((sigmask >>> 0) + 4) >>> 0]);
  return poll(ctx, fds, nfds, timeoutMs).then((r) => {
    if (r === -EINTR) t.savedMask = old;
    else t.blocked = old;
    return r;
  });
}

export const pollSyscalls: SyscallTable = {
  poll: (ctx, fds, nfds, timeout) => poll(ctx, fds, nfds, timeout < 0 ? null : timeout),
  ppoll: (ctx, fds, nfds, ts, sigmask) => ppoll(ctx, fds, nfds, ts, sigmask, false),
  ppoll_time64: (ctx, fds, nfds, ts, sigmask) => ppoll(ctx, fds, nfds, ts, sigmask, true),
};
