// poll, ppoll and the select family (select, _newselect, pselect6, pselect6_time64), on the
// readiness model of ../readiness.ts. With nothing ready a call parks until a file of its
// set changes, the timeout passes or a signal arrives (then EINTR: these calls are never
// restarted, as in Linux when a handler runs).
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EBADF, EFAULT, EINTR, EINVAL } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { FD_LIMIT } from '../fd-table.js';
import { INTERRUPTED } from '../signal-delivery.js';
import { blockable } from '../signals.js';
import { readTimespec, secOf, nsecOf, StructBuilder, writeTimespec } from '../structs.js';
import type { WaitQueue } from '../wait-queue.js';
import {
  POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDBAND, POLLRDNORM, POLLWRBAND, POLLWRNORM, fileEvents, fileQueue, waitOn,
} from '../readiness.js';

const MAX_POLL_FDS = 1 << 20;

/** Host time in ms (performance.now) after `ns` from now; Infinity for no timeout. */
function deadlineAfter(ns: bigint | null): number {
  return ns === null ? Infinity : performance.now() + Number(ns) / 1e6;
}

/** Nanoseconds left until `deadline` (never negative). */
function leftNs(deadline: number): bigint {
  return BigInt(Math.max(0, Math.round((deadline - performance.now()) * 1e6)));
}

/** The wait queues of the open files among `files` (duplicates removed by waitOn). */
function queuesOf(ctx: SyscallContext, files: readonly (OpenFile | undefined)[]): WaitQueue[] {
  const out: WaitQueue[] = [];
  for (const f of files) {
    const q = f ? fileQueue(f, ctx) : null;
    if (q) out.push(q);
  }
  return out;
}

// ---- poll / ppoll ----

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
      revents = slot ? fileEvents(slot.file, ctx) & (p.events | POLLERR | POLLHUP) : POLLNVAL;
    }
    ctx.mem.write16(address + i * 8 + 6, revents);
    if (revents) ready++;
  });
  return ready;
}

async function poll(ctx: SyscallContext, address: number, nfds: number, timeoutNs: bigint | null): Promise<number> {
  if (nfds >>> 0 > MAX_POLL_FDS) return -EINVAL;
  const fds: PollFd[] = [];
  for (let i = 0; i < nfds >>> 0; i++) {
    fds.push({ fd: ctx.mem.read32((address >>> 0) + i * 8), events: ctx.mem.read16((address >>> 0) + i * 8 + 4) });
  }
  const deadline = deadlineAfter(timeoutNs);
  for (;;) {
    const ready = scan(ctx, address >>> 0, fds);
    if (ready > 0 || performance.now() >= deadline) return ready;
    const queues = queuesOf(ctx, fds.map((p) => ctx.proc.fds.get(p.fd)?.file));
    if ((await waitOn(ctx.proc, ctx.thread, queues, deadline)) === INTERRUPTED) return -EINTR;
  }
}

/** Run `call` with the thread's signal mask replaced by the guest's sigset at `sigmask` (ppoll, pselect6, epoll_pwait). */
export function withSigmask(ctx: SyscallContext, sigmask: number, call: () => Promise<number>): Promise<number> {
  if (!sigmask) return call();
  // The mask applies while waiting; a handler that runs sees the old one restored after it.
  const t = ctx.thread.signals;
  const old = t.blocked;
  t.blocked = blockable([ctx.mem.read32(sigmask >>> 0) >>> 0, ctx.mem.read32((sigmask >>> 0) + 4) >>> 0]);
  return call().then((r) => {
    if (r === -EINTR) t.savedMask = old;
    else t.blocked = old;
    return r;
  });
}

/** A timespec timeout as nanoseconds, or -EINVAL for a negative or malformed one. */
function timespecTimeout(ctx: SyscallContext, address: number, time64: boolean): bigint | null | number {
  if (!address) return null;
  const b = ctx.mem.readBytes(address >>> 0, time64 ? 16 : 8);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const sec = time64 ? v.getBigInt64(0, true) : BigInt(v.getInt32(0, true));
  const nsec = time64 ? v.getBigInt64(8, true) : BigInt(v.getInt32(4, true));
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -EINVAL;
  return readTimespec(ctx.mem, address >>> 0, time64);
}

function ppoll(ctx: SyscallContext, fds: number, nfds: number, ts: number, sigmask: number, sigsetsize: number, time64: boolean): Promise<number> | number {
  const timeout = timespecTimeout(ctx, ts, time64);
  if (typeof timeout === 'number') return timeout;
  if (sigmask && sigsetsize !== 8) return -EINVAL;
  const deadline = deadlineAfter(timeout);
  return withSigmask(ctx, sigmask, () => poll(ctx, fds, nfds, timeout)).then((r) => {
    // Linux writes the time left back (also when interrupted).
    if (ts) writeTimespec(ctx.mem, ts >>> 0, leftNs(deadline), time64);
    return r;
  });
}

// ---- select family ----

/** What select counts as readable, writable and exceptional. */
const SELECT_IN = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
const SELECT_OUT = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
const SELECT_EX = POLLPRI;
const SELECT_MASKS = [SELECT_IN, SELECT_OUT, SELECT_EX];

/** fd_set bitmaps (arrays of 32-bit words, bit fd%32 of word fd/32) for fds below n; null for a NULL set. */
function readFdSet(ctx: SyscallContext, address: number, words: number): Uint32Array | null {
  if (!address) return null;
  const out = new Uint32Array(words);
  for (let i = 0; i < words; i++) out[i] = ctx.mem.read32((address >>> 0) + i * 4) >>> 0;
  return out;
}

/**
 * select over fds 0..nfds-1 of the three sets at `addrs` (0 = none). Ready bits replace the
 * sets' contents; returns the number of bits set, or -errno (sets untouched).
 */
async function select(ctx: SyscallContext, nfds: number, addrs: readonly [number, number, number], deadline: number): Promise<number> {
  if (nfds < 0) return -EINVAL;
  const n = Math.min(nfds, FD_LIMIT);
  const words = (n + 31) >>> 5;
  const sets = addrs.map((a) => readFdSet(ctx, a, words));
  // The fds asked about, with a 3-bit mask of which sets name them.
  const asked: { fd: number; file: OpenFile; want: number }[] = [];
  for (let fd = 0; fd < n; fd++) {
    let want = 0;
    sets.forEach((s, k) => {
      if (s && (s[fd >>> 5]! >>> (fd & 31)) & 1) want |= 1 << k;
    });
    if (!want) continue;
    const slot = ctx.proc.fds.get(fd);
    if (!slot) return -EBADF;
    asked.push({ fd, file: slot.file, want });
  }
  for (;;) {
    const out = sets.map((s) => (s ? new Uint32Array(words) : null));
    let count = 0;
    for (const a of asked) {
      const ev = fileEvents(a.file, ctx);
      for (let k = 0; k < 3; k++) {
        if (a.want & (1 << k) && ev & SELECT_MASKS[k]!) {
          out[k]![a.fd >>> 5]! |= 1 << (a.fd & 31);
          count++;
        }
      }
    }
    if (count > 0 || performance.now() >= deadline) {
      out.forEach((s, k) => {
        if (!s) return;
        const b = new StructBuilder(words * 4);
        s.forEach((w, i) => b.u32(i * 4, w));
        b.writeTo(ctx.mem, addrs[k]! >>> 0);
      });
      return count;
    }
    if ((await waitOn(ctx.proc, ctx.thread, queuesOf(ctx, asked.map((a) => a.file)), deadline)) === INTERRUPTED) return -EINTR;
  }
}

/** select / _newselect with a struct timeval timeout, which gets the time left written back. */
function selectTimeval(ctx: SyscallContext, nfds: number, r: number, w: number, e: number, tv: number): number | Promise<number> {
  let timeout: bigint | null = null;
  if (tv) {
    const sec = ctx.mem.read32(tv >>> 0);
    const usec = ctx.mem.read32((tv >>> 0) + 4);
    if (sec < 0 || usec < 0) return -EINVAL;
    // Linux normalises an out-of-range tv_usec instead of refusing it.
    timeout = BigInt(sec) * 1_000_000_000n + BigInt(usec) * 1000n;
  }
  const deadline = deadlineAfter(timeout);
  return select(ctx, nfds, [r, w, e], deadline).then((res) => {
    if (tv) {
      const left = leftNs(deadline);
      new StructBuilder(8).u32(0, Number(secOf(left))).u32(4, Math.floor(nsecOf(left) / 1000)).writeTo(ctx.mem, tv >>> 0);
    }
    return res;
  });
}

/** pselect6: a timespec timeout (written back) and a {sigset pointer, size} pair for the mask. */
function pselect6(ctx: SyscallContext, nfds: number, r: number, w: number, e: number, ts: number, sig: number, time64: boolean): number | Promise<number> {
  const timeout = timespecTimeout(ctx, ts, time64);
  if (typeof timeout === 'number') return timeout;
  let sigmask = 0;
  if (sig) {
    sigmask = ctx.mem.read32(sig >>> 0) >>> 0;
    if (sigmask && ctx.mem.read32((sig >>> 0) + 4) !== 8) return -EINVAL;
  }
  const deadline = deadlineAfter(timeout);
  return withSigmask(ctx, sigmask, () => select(ctx, nfds, [r, w, e], deadline)).then((res) => {
    if (ts) writeTimespec(ctx.mem, ts >>> 0, leftNs(deadline), time64);
    return res;
  });
}

export const pollSyscalls: SyscallTable = {
  poll: (ctx, fds, nfds, timeout) => poll(ctx, fds, nfds, timeout < 0 ? null : BigInt(timeout) * 1_000_000n),
  ppoll: (ctx, fds, nfds, ts, sigmask, size) => ppoll(ctx, fds, nfds, ts, sigmask, size, false),
  ppoll_time64: (ctx, fds, nfds, ts, sigmask, size) => ppoll(ctx, fds, nfds, ts, sigmask, size, true),
  // The old select takes one pointer to its five arguments (as qemu-arm does for ARM's nr 82).
  select: (ctx, args) => {
    const a = args >>> 0;
    if (a === 0) return -EFAULT;
    return selectTimeval(ctx, ctx.mem.read32(a), ctx.mem.read32(a + 4), ctx.mem.read32(a + 8), ctx.mem.read32(a + 12), ctx.mem.read32(a + 16));
  },
  _newselect: (ctx, nfds, r, w, e, tv) => selectTimeval(ctx, nfds, r, w, e, tv),
  pselect6: (ctx, nfds, r, w, e, ts, sig) => pselect6(ctx, nfds, r, w, e, ts, sig, false),
  pselect6_time64: (ctx, nfds, r, w, e, ts, sig) => pselect6(ctx, nfds, r, w, e, ts, sig, true),
};
