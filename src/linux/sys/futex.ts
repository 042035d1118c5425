// futex: waiters park on promises keyed by guest address, in arrival order; FUTEX_WAKE
// resolves the first ones. Guest threads run one at a time, so checking the futex word and
// queueing the waiter is atomic with respect to every other thread, as in the kernel. A wait
// abandoned because a signal interrupted it is dropped from its queue when next seen.
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EAGAIN, EINVAL, ENOSYS, ESRCH, ETIMEDOUT } from '../errno.js';
import { isGuestFault } from '../../memory/guest-memory.js';
import type { LinuxProcess } from '../process.js';
import type { GuestThread } from '../thread.js';
import { readTimespec } from '../structs.js';
import { clockNow, CLOCK_MONOTONIC, CLOCK_REALTIME } from './time.js';

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_CMD_MASK = 0x7f;
const FUTEX_CLOCK_REALTIME = 256;

interface Waiter {
  bitset: number;
  wake: () => void;
  /** True once the waiting syscall was interrupted by a signal (it must not count as woken). */
  cancelled: () => boolean;
}

export class FutexTable {
  private readonly waiters = new Map<number, Waiter[]>();

  /** Park until woken (true) or until `timeoutMs` passes (false; null = no timeout). */
  wait(address: number, bitset: number, timeoutMs: number | null, cancelled: () => boolean = () => false): Promise<boolean> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const w: Waiter = {
        bitset,
        cancelled,
        wake: () => {
          if (timer) clearTimeout(timer);
          resolve(true);
        },
      };
      const list = this.waiters.get(address) ?? [];
      list.push(w);
      this.waiters.set(address, list);
      if (timeoutMs !== null) {
        timer = setTimeout(() => {
          this.remove(address, w);
          resolve(false);
        }, Math.max(0, timeoutMs));
      }
    });
  }

  private remove(address: number, w: Waiter): void {
    const list = this.waiters.get(address);
    if (!list) return;
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.waiters.delete(address);
  }

  wake(address: number, count: number, bitset = -1): number {
    const list = this.waiters.get(address);
    if (!list) return 0;
    let woken = 0;
    for (const w of [...list]) {
      if (woken >= count) break;
      if (w.cancelled()) {
        this.remove(address, w);
        continue;
      }
      if ((w.bitset & bitset) === 0) continue;
      this.remove(address, w);
      w.wake();
      woken++;
    }
    return woken;
  }

  requeue(from: number, to: number, wakeCount: number, moveCount: number): number {
    const woken = this.wake(from, wakeCount);
    const list = (this.waiters.get(from) ?? []).filter((w) => !w.cancelled());
    const moved = list.splice(0, moveCount);
    if (list.length === 0) this.waiters.delete(from);
    else this.waiters.set(from, list);
    if (moved.length > 0) this.waiters.set(to, [...(this.waiters.get(to) ?? []), ...moved]);
    return woken + moved.length;
  }
}

function futexOp(op: number, oldval: number, operand: number): number {
  const shift = (op >>> 28) & 8 ? 1 << operand : operand;
  switch ((op >>> 28) & 7) {
    case 0: return shift;
    case 1: return (oldval + shift) | 0;
    case 2: return oldval | shift;
    case 3: return oldval & ~shift;
    default: return oldval ^ shift;
  }
}

function futexCmp(cmp: number, oldval: number, arg: number): boolean {
  switch (cmp) {
    case 0: return oldval === arg;
    case 1: return oldval !== arg;
    case 2: return oldval < arg;
    case 3: return oldval <= arg;
    case 4: return oldval > arg;
    default: return oldval >= arg;
  }
}

function futex(ctx: SyscallContext, uaddr: number, op: number, val: number, timeout: number, uaddr2: number, val3: number, time64: boolean): number | Promise<number> {
  const addr = uaddr >>> 0;
  const table = ctx.proc.futexes;
  const cmd = op & FUTEX_CMD_MASK;
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      const bitset = cmd === FUTEX_WAIT ? -1 : val3;
      if (bitset === 0) return -EINVAL;
      if (ctx.mem.read32(addr) !== val) return -EAGAIN;
      let ms: number | null = null;
      if (timeout) {
        const t = readTimespec(ctx.mem, timeout >>> 0, time64);
        if (cmd === FUTEX_WAIT) ms = Number(t / 1_000_000n);
        else {
          const clock = op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
          ms = Number((t - clockNow(clock)!) / 1_000_000n);
        }
      }
      return table.wait(addr, bitset, ms, ctx.thread.cancelToken()).then((woken) => (woken ? 0 : -ETIMEDOUT));
    }
    case FUTEX_WAKE:
      return table.wake(addr, val);
    case FUTEX_WAKE_BITSET:
      return val3 === 0 ? -EINVAL : table.wake(addr, val, val3);
    case FUTEX_REQUEUE:
      return table.requeue(addr, uaddr2 >>> 0, val, timeout >>> 0);
    case FUTEX_CMP_REQUEUE:
      if (ctx.mem.read32(addr) !== val3) return -EAGAIN;
      return table.requeue(addr, uaddr2 >>> 0, val, timeout >>> 0);
    case FUTEX_WAKE_OP: {
      const a2 = uaddr2 >>> 0;
      const old = ctx.mem.read32(a2);
      ctx.mem.write32(a2, futexOp(val3, old, (val3 << 8) >> 20));
      let n = table.wake(addr, val);
      if (futexCmp((val3 >>> 24) & 15, old, (val3 << 20) >> 20)) n += table.wake(a2, timeout >>> 0);
      return n;
    }
    default:
      ctx.proc.log.log('unimp', `futex: unsupported op ${cmd}\n`);
      return -ENOSYS;
  }
}

// Robust futexes (Documentation/robust-futexes.txt): a thread registers the head of a list
// of the futexes (robust mutexes) it holds; when it exits, each one whose owner TID is still
// its own gets FUTEX_OWNER_DIED and one waiter is woken, so the next locker gets EOWNERDEAD.
// qemu-arm 7.2 answers ENOSYS instead (and a waiter then hangs); this is the kernel's behaviour.

/** sizeof(struct robust_list_head) on 32-bit targets: next, futex_offset, list_op_pending. */
const ROBUST_LIST_HEAD_SIZE = 12;
/** How many entries the kernel walks at most (a loop in the list must not hang the exit). */
const ROBUST_LIST_LIMIT = 2048;
const FUTEX_WAITERS = 0x80000000;
const FUTEX_OWNER_DIED = 0x40000000;
const FUTEX_TID_MASK = 0x3fffffff;

/** The futex at `uaddr` of a thread that died: mark it if the thread still owned it, wake a waiter. */
function futexDeath(proc: LinuxProcess, uaddr: number, tid: number, pi: boolean, pendingOp: boolean): void {
  const mem = proc.mem;
  if (uaddr & 3) return;
  const uval = mem.read32(uaddr) >>> 0;
  // An unlock was in progress and already done: a waiter may need the wakeup it would have got.
  if (pendingOp && !pi && uval === 0) {
    proc.futexes.wake(uaddr, 1);
    return;
  }
  if ((uval & FUTEX_TID_MASK) !== tid) return;
  mem.write32(uaddr, (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED);
  if (!pi && uval & FUTEX_WAITERS) proc.futexes.wake(uaddr, 1);
}

/** At thread exit: walk its robust list as the kernel's exit_robust_list does. */
export function exitRobustList(proc: LinuxProcess, thread: GuestThread): void {
  const head = thread.robustList.head;
  if (head === 0) return;
  const mem = proc.mem;
  try {
    const fetch = (address: number) => {
      const v = mem.read32(address) >>> 0;
      return { entry: (v & ~1) >>> 0, pi: (v & 1) !== 0 };
    };
    let { entry, pi } = fetch(head);
    const offset = mem.read32(head + 4) | 0;
    const pending = fetch(head + 8);
    for (let limit = ROBUST_LIST_LIMIT; entry !== head && limit > 0; limit--) {
      const next = fetch(entry);
      if (entry !== pending.entry) futexDeath(proc, (entry + offset) >>> 0, thread.tid, pi, false);
      ({ entry, pi } = next);
    }
    if (pending.entry !== 0) futexDeath(proc, (pending.entry + offset) >>> 0, thread.tid, pending.pi, true);
  } catch (e) {
    // A list in unmapped memory ends the walk, as the kernel's fault does.
    if (!isGuestFault(e)) throw e;
  }
}

function getRobustList(ctx: SyscallContext, pid: number, headAddr: number, lenAddr: number): number {
  const thread = pid === 0 ? ctx.thread : ctx.proc.threads.get(pid);
  if (!thread || thread.exited) return -ESRCH;
  ctx.mem.write32(lenAddr >>> 0, ROBUST_LIST_HEAD_SIZE);
  ctx.mem.write32(headAddr >>> 0, thread.robustList.head);
  return 0;
}

export const futexSyscalls: SyscallTable = {
  set_robust_list: (ctx, head, len) => {
    if (len >>> 0 !== ROBUST_LIST_HEAD_SIZE) return -EINVAL;
    ctx.thread.robustList = { head: head >>> 0, len: ROBUST_LIST_HEAD_SIZE };
    return 0;
  },
  get_robust_list: (ctx, pid, headAddr, lenAddr) => getRobustList(ctx, pid, headAddr, lenAddr),
  futex: (ctx, uaddr, op, val, timeout, uaddr2, val3) => futex(ctx, uaddr, op, val, timeout, uaddr2, val3, false),
  futex_time64: (ctx, uaddr, op, val, timeout, uaddr2, val3) => futex(ctx, uaddr, op, val, timeout, uaddr2, val3, true),
};
