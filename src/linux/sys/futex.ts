// futex: waiters park on promises keyed by guest address, in arrival order; FUTEX_WAKE
// resolves the first ones. Guest threads run one at a time, so checking the futex word and
// queueing the waiter is atomic with respect to every other thread, as in the kernel. A wait
// abandoned because a signal interrupted it is dropped from its queue when next seen.
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EAGAIN, EINVAL, ENOSYS, ETIMEDOUT } from '../errno.js';
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

export const futexSyscalls: SyscallTable = {
  futex: (ctx, uaddr, op, val, timeout, uaddr2, val3) => futex(ctx, uaddr, op, val, timeout, uaddr2, val3, false),
  futex_time64: (ctx, uaddr, op, val, timeout, uaddr2, val3) => futex(ctx, uaddr, op, val, timeout, uaddr2, val3, true),
};
