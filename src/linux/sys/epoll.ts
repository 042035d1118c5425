// epoll: epoll_create/epoll_create1, epoll_ctl, epoll_wait/epoll_pwait/epoll_pwait2.
// An epoll instance watches (file, fd) items. Each item subscribes to its file's wait queue;
// a wake puts it on the ready list (in wake order, as the kernel's ready list). epoll_wait
// takes items off that list, reports those whose events hold now, and puts level-triggered
// ones back at the end; edge-triggered (EPOLLET) ones wait for their next wake, one-shot
// (EPOLLONESHOT) ones are disabled until EPOLL_CTL_MOD. struct epoll_event is
// { u32 events; u64 data; }: 16 bytes where the ABI aligns 64-bit members to 8 (ARM EABI:
// data at offset 8), 12 bytes packed otherwise (i386, ARM OABI).
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import type { LinuxAbi } from '../abi.js';
import { EBADF, EEXIST, EINTR, EINVAL, ELOOP, ENOENT, EPERM } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { type FileOps, installOpsFile, opsOf } from '../file-ops.js';
import { O_CLOEXEC, O_RDWR } from '../open-flags.js';
import { INTERRUPTED } from '../signal-delivery.js';
import { POLLERR, POLLHUP, READ_EVENTS, fileEvents, fileQueue, waitOn } from '../readiness.js';
import { StructBuilder, readTimespec } from '../structs.js';
import { WaitQueue } from '../wait-queue.js';
import { withSigmask } from './poll.js';

const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLL_CTL_MOD = 3;
export const EPOLLEXCLUSIVE = 1 << 28;
export const EPOLLWAKEUP = 1 << 29;
export const EPOLLONESHOT = 1 << 30;
export const EPOLLET = 1 << 31;
/** Flags of an item that are not poll events. */
const PRIVATE_BITS = (EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET) >>> 0;
const EPOLL_CLOEXEC = O_CLOEXEC;
const EP_MAX_EVENTS = Math.floor(0x7fffffff / 16);

/** Layout of struct epoll_event for `abi`. */
function eventLayout(abi: LinuxAbi): { size: number; dataOffset: number } {
  // The same rule that makes EABI pad 64-bit register pairs aligns 64-bit struct members.
  return abi.alignsRegPairs ? { size: 16, dataOffset: 8 } : { size: 12, dataOffset: 4 };
}

interface Item {
  fd: number;
  file: OpenFile;
  /** Requested events plus EPOLLERR|EPOLLHUP and the private flags (0 events: a spent one-shot). */
  events: number;
  data: bigint;
  /** On the ready list. */
  linked: boolean;
  unsubscribe: () => void;
}

export class Epoll implements FileOps {
  readonly name = 'anon_inode:[eventpoll]';
  readonly mode = 0o600;
  private readonly waiters = new WaitQueue();
  private readonly items = new Map<OpenFile, Map<number, Item>>();
  private ready: Item[] = [];

  private find(file: OpenFile, fd: number): Item | undefined {
    return this.items.get(file)?.get(fd);
  }

  private link(item: Item): void {
    if (item.linked) return;
    item.linked = true;
    this.ready.push(item);
  }

  /** True if `other` is this instance or watches it (directly or through nested instances). */
  reaches(other: Epoll, depth = 0): boolean {
    if (other === this) return true;
    if (depth > 5) return true;
    for (const byFd of this.items.values()) {
      for (const item of byFd.values()) {
        const ops = item.file.ops;
        if (ops instanceof Epoll && ops.reaches(other, depth + 1)) return true;
      }
    }
    return false;
  }

  add(ctx: SyscallContext, fd: number, file: OpenFile, events: number, data: bigint): number {
    if (this.find(file, fd)) return -EEXIST;
    if (file.ops instanceof Epoll && file.ops.reaches(this)) return -ELOOP;
    const item: Item = { fd, file, events: (events | POLLERR | POLLHUP) >>> 0, data, linked: false, unsubscribe: () => {} };
    const queue = fileQueue(file, ctx);
    if (queue) {
      item.unsubscribe = queue.subscribe((key) => {
        if (!(item.events & ~PRIVATE_BITS)) return; // a spent one-shot item
        if (key && !(key & item.events)) return;
        this.link(item);
        this.waiters.wake(READ_EVENTS);
      });
    }
    let byFd = this.items.get(file);
    if (!byFd) this.items.set(file, (byFd = new Map()));
    byFd.set(fd, item);
    if (fileEvents(file, ctx) & item.events) {
      this.link(item);
      this.waiters.wake(READ_EVENTS);
    }
    return 0;
  }

  modify(ctx: SyscallContext, fd: number, file: OpenFile, events: number, data: bigint): number {
    const item = this.find(file, fd);
    if (!item) return -ENOENT;
    item.events = (events | POLLERR | POLLHUP) >>> 0;
    item.data = data;
    if (fileEvents(file, ctx) & item.events) {
      this.link(item);
      this.waiters.wake(READ_EVENTS);
    }
    return 0;
  }

  remove(fd: number, file: OpenFile): number {
    const item = this.find(file, fd);
    if (!item) return -ENOENT;
    this.drop(item);
    return 0;
  }

  private drop(item: Item): void {
    item.unsubscribe();
    const byFd = this.items.get(item.file);
    byFd?.delete(item.fd);
    if (byFd?.size === 0) this.items.delete(item.file);
    if (item.linked) {
      item.linked = false;
      this.ready = this.ready.filter((i) => i !== item);
    }
  }

  /**
   * Take up to `max` ready events off the ready list (the kernel's ep_send_events order):
   * items not ready are dropped, level-triggered ones go back to the end, items past `max`
   * stay in front.
   */
  harvest(ctx: SyscallContext, max: number): { events: number; data: bigint }[] {
    const out: { events: number; data: bigint }[] = [];
    const tx = this.ready;
    this.ready = [];
    let i = 0;
    for (; i < tx.length && out.length < max; i++) {
      const item = tx[i]!;
      item.linked = false;
      if (item.file.refs <= 0) {
        // Its file was closed everywhere: the kernel drops the item at the last close.
        this.drop(item);
        continue;
      }
      const revents = fileEvents(item.file, ctx) & item.events & ~PRIVATE_BITS;
      if (!revents) continue;
      out.push({ events: revents >>> 0, data: item.data });
      if (item.events & EPOLLONESHOT) item.events &= PRIVATE_BITS;
      else if (!(item.events & EPOLLET)) {
        item.linked = true;
        this.ready.push(item);
      }
    }
    this.ready = [...tx.slice(i), ...this.ready];
    return out;
  }

  poll(_file: OpenFile, ctx: SyscallContext): number {
    // Ready if a listed item's events hold; listed items that are not ready leave the list.
    this.ready = this.ready.filter((item) => {
      const ok = item.file.refs > 0 && (fileEvents(item.file, ctx) & item.events & ~PRIVATE_BITS) !== 0;
      if (!ok) item.linked = false;
      return ok;
    });
    return this.ready.length > 0 ? READ_EVENTS : 0;
  }

  queue(): WaitQueue {
    return this.waiters;
  }

  release(): void {
    for (const byFd of this.items.values()) for (const item of byFd.values()) item.unsubscribe();
    this.items.clear();
    this.ready = [];
  }
}

function epollCreate(ctx: SyscallContext, flags: number): number {
  if (flags & ~EPOLL_CLOEXEC) return -EINVAL;
  return installOpsFile(ctx, new Epoll(), 'anon', O_RDWR, (flags & EPOLL_CLOEXEC) !== 0);
}

function epollCtl(ctx: SyscallContext, epfd: number, op: number, fd: number, eventAddr: number): number {
  let events = 0;
  let data = 0n;
  if (op !== EPOLL_CTL_DEL) {
    const { dataOffset } = eventLayout(ctx.abi);
    events = ctx.mem.read32(eventAddr >>> 0) >>> 0;
    data = BigInt(ctx.mem.read32((eventAddr >>> 0) + dataOffset) >>> 0) | (BigInt(ctx.mem.read32((eventAddr >>> 0) + dataOffset + 4) >>> 0) << 32n);
  }
  const epSlot = ctx.proc.fds.get(epfd);
  const target = ctx.proc.fds.get(fd);
  if (!epSlot || !target) return -EBADF;
  const file = target.file;
  // Files that cannot be polled (regular files, directories) cannot be watched.
  if (file.kind === 'file' || file.kind === 'dir') return -EPERM;
  const ep = epSlot.file.ops;
  if (!(ep instanceof Epoll) || file === epSlot.file) return -EINVAL;
  switch (op) {
    case EPOLL_CTL_ADD:
      return ep.add(ctx, fd, file, events, data);
    case EPOLL_CTL_MOD:
      return events & EPOLLEXCLUSIVE ? -EINVAL : ep.modify(ctx, fd, file, events, data);
    case EPOLL_CTL_DEL:
      return ep.remove(fd, file);
    default:
      return -EINVAL;
  }
}

async function epollWait(ctx: SyscallContext, epfd: number, eventsAddr: number, maxevents: number, timeoutNs: bigint | null): Promise<number> {
  if (maxevents <= 0 || maxevents > EP_MAX_EVENTS) return -EINVAL;
  const ep = opsOf(ctx, epfd, Epoll);
  if (typeof ep === 'number') return ep;
  const deadline = timeoutNs === null ? Infinity : performance.now() + Number(timeoutNs) / 1e6;
  const { size, dataOffset } = eventLayout(ctx.abi);
  for (;;) {
    const got = ep.ops.harvest(ctx, maxevents);
    if (got.length > 0) {
      const b = new StructBuilder(size * got.length);
      got.forEach((e, i) => b.u32(i * size, e.events).u64(i * size + dataOffset, e.data));
      b.writeTo(ctx.mem, eventsAddr >>> 0);
      return got.length;
    }
    if (performance.now() >= deadline) return 0;
    if ((await waitOn(ctx.proc, ctx.thread, [ep.ops.queue()], deadline)) === INTERRUPTED) return -EINTR;
  }
}

const msTimeout = (timeout: number): bigint | null => (timeout < 0 ? null : BigInt(timeout) * 1_000_000n);

export const epollSyscalls: SyscallTable = {
  epoll_create: (ctx, size) => (size <= 0 ? -EINVAL : epollCreate(ctx, 0)),
  epoll_create1: (ctx, flags) => epollCreate(ctx, flags),
  epoll_ctl: (ctx, epfd, op, fd, event) => epollCtl(ctx, epfd, op, fd, event),
  epoll_wait: (ctx, epfd, events, max, timeout) => epollWait(ctx, epfd, events, max, msTimeout(timeout)),
  epoll_pwait: (ctx, epfd, events, max, timeout, sigmask, size) => {
    if (sigmask && size !== 8) return -EINVAL;
    return withSigmask(ctx, sigmask, () => epollWait(ctx, epfd, events, max, msTimeout(timeout)));
  },
  epoll_pwait2: (ctx, epfd, events, max, ts, sigmask, size) => {
    if (sigmask && size !== 8) return -EINVAL;
    const timeout = ts ? readTimespec(ctx.mem, ts >>> 0, true) : null;
    if (timeout !== null && timeout < 0n) return -EINVAL;
    return withSigmask(ctx, sigmask, () => epollWait(ctx, epfd, events, max, timeout));
  },
};
