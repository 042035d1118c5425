// timerfd_create / timerfd_settime / timerfd_gettime: a timer as a file. read returns the
// number of expirations since the last read (u64), blocking until there is one. Expirations
// are counted from the clock when looked at; a host timer only wakes whoever waits (read,
// poll, select, epoll) at the next expiry. Times are kept on the monotonic clock; a
// CLOCK_REALTIME absolute time is converted with the current offset between the two.
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EINVAL } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { type FileOps, installOpsFile, opsOf, retryBlocking } from '../file-ops.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../open-flags.js';
import { READ_EVENTS } from '../readiness.js';
import { StructBuilder, secOf, nsecOf } from '../structs.js';
import { WaitQueue } from '../wait-queue.js';
import { CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_REALTIME, clockNow } from './time.js';

const CLOCK_REALTIME_ALARM = 8;
const CLOCK_BOOTTIME_ALARM = 9;
const TFD_TIMER_ABSTIME = 1;
const TFD_TIMER_CANCEL_ON_SET = 2;
const TFD_CLOEXEC = O_CLOEXEC;
const TFD_NONBLOCK = O_NONBLOCK;

const monoNow = (): bigint => clockNow(CLOCK_MONOTONIC)!;

export class TimerFd implements FileOps {
  readonly name = 'anon_inode:[timerfd]';
  readonly mode = 0o600;
  private readonly waiters = new WaitQueue();
  /** Next expiry on the monotonic clock (ns); 0 = disarmed. */
  private next = 0n;
  private interval = 0n;
  /** Expirations not yet read. */
  private ticks = 0n;
  private host: NodeJS.Timeout | undefined;

  constructor(readonly clock: number) {}

  /** Count the expirations that have happened by now. */
  private update(): void {
    if (this.next === 0n) return;
    const now = monoNow();
    if (now < this.next) return;
    if (this.interval > 0n) {
      const n = 1n + (now - this.next) / this.interval;
      this.ticks += n;
      this.next += n * this.interval;
    } else {
      this.ticks += 1n;
      this.next = 0n;
    }
  }

  /** A host timer that wakes the waiters at the next expiry. */
  private schedule(): void {
    clearTimeout(this.host);
    this.host = undefined;
    if (this.next === 0n) return;
    const ms = Math.max(0, Math.ceil(Number(this.next - monoNow()) / 1e6));
    this.host = setTimeout(() => {
      this.host = undefined;
      const before = this.ticks;
      this.update();
      if (this.ticks !== before) this.waiters.wake();
      this.schedule();
    }, ms);
    this.host.unref();
  }

  /** Time to the next expiry and the interval (both 0 when disarmed). */
  get(): { value: bigint; interval: bigint } {
    this.update();
    if (this.next === 0n) return { value: 0n, interval: this.interval };
    const left = this.next - monoNow();
    return { value: left > 0n ? left : 1n, interval: this.interval };
  }

  /** Arm (value > 0) or disarm; `absolute` values are times on this timer's clock. */
  set(value: bigint, interval: bigint, absolute: boolean): void {
    this.ticks = 0n;
    this.interval = interval;
    if (value === 0n) {
      this.next = 0n;
    } else {
      this.next = absolute ? value - (clockNow(this.clock)! - monoNow()) : monoNow() + value;
      if (this.next <= 0n) this.next = 1n; // long past, but armed: it has expired
    }
    this.schedule();
    this.waiters.wake();
  }

  poll(): number {
    this.update();
    return this.ticks > 0n ? READ_EVENTS : 0;
  }

  queue(): WaitQueue {
    return this.waiters;
  }

  read(file: OpenFile, view: Uint8Array, ctx: SyscallContext): number | Promise<number> {
    if (view.length < 8) return -EINVAL;
    return retryBlocking(ctx, file, this.waiters, () => {
      this.update();
      if (this.ticks === 0n) return null;
      new DataView(view.buffer, view.byteOffset, 8).setBigUint64(0, this.ticks, true);
      this.ticks = 0n;
      return 8;
    });
  }

  pendingBytes(): number {
    return this.poll() ? 8 : 0;
  }

  release(): void {
    clearTimeout(this.host);
    this.next = 0n;
  }
}

function timerfdCreate(ctx: SyscallContext, clock: number, flags: number): number {
  if (![CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM].includes(clock)) return -EINVAL;
  if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK)) return -EINVAL;
  const base = clock === CLOCK_REALTIME_ALARM ? CLOCK_REALTIME : clock === CLOCK_BOOTTIME_ALARM ? CLOCK_BOOTTIME : clock;
  return installOpsFile(ctx, new TimerFd(base), 'anon', O_RDWR | (flags & TFD_NONBLOCK), (flags & TFD_CLOEXEC) !== 0);
}

/** struct itimerspec {it_interval, it_value}: timespecs of 8 (32-bit time_t) or 16 bytes. */
function readItimerspec(ctx: SyscallContext, address: number, time64: boolean): { interval: bigint; value: bigint } | null {
  const size = time64 ? 16 : 8;
  const b = ctx.mem.readBytes(address >>> 0, size * 2);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ts = (off: number): bigint | null => {
    const sec = time64 ? v.getBigInt64(off, true) : BigInt(v.getInt32(off, true));
    const nsec = time64 ? v.getBigInt64(off + 8, true) : BigInt(v.getInt32(off + 4, true));
    if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return null;
    return sec * 1_000_000_000n + nsec;
  };
  const interval = ts(0);
  const value = ts(size);
  return interval === null || value === null ? null : { interval, value };
}

function writeItimerspec(ctx: SyscallContext, address: number, t: { interval: bigint; value: bigint }, time64: boolean): void {
  const size = time64 ? 16 : 8;
  const b = new StructBuilder(size * 2);
  [t.interval, t.value].forEach((ns, i) => {
    if (time64) b.u64(i * size, secOf(ns)).u64(i * size + 8, nsecOf(ns));
    else b.u32(i * size, Number(secOf(ns))).u32(i * size + 4, nsecOf(ns));
  });
  b.writeTo(ctx.mem, address >>> 0);
}

function timerfdSettime(ctx: SyscallContext, fd: number, flags: number, newAddr: number, oldAddr: number, time64: boolean): number {
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) return -EINVAL;
  const t = opsOf(ctx, fd, TimerFd);
  if (typeof t === 'number') return t;
  const spec = readItimerspec(ctx, newAddr, time64);
  if (!spec) return -EINVAL;
  if (oldAddr) writeItimerspec(ctx, oldAddr, t.ops.get(), time64);
  t.ops.set(spec.value, spec.interval, (flags & TFD_TIMER_ABSTIME) !== 0);
  return 0;
}

function timerfdGettime(ctx: SyscallContext, fd: number, curr: number, time64: boolean): number {
  const t = opsOf(ctx, fd, TimerFd);
  if (typeof t === 'number') return t;
  writeItimerspec(ctx, curr, t.ops.get(), time64);
  return 0;
}

export const timerfdSyscalls: SyscallTable = {
  timerfd_create: (ctx, clock, flags) => timerfdCreate(ctx, clock, flags),
  timerfd_settime: (ctx, fd, flags, n, o) => timerfdSettime(ctx, fd, flags, n, o, false),
  timerfd_settime64: (ctx, fd, flags, n, o) => timerfdSettime(ctx, fd, flags, n, o, true),
  timerfd_gettime: (ctx, fd, curr) => timerfdGettime(ctx, fd, curr, false),
  timerfd_gettime64: (ctx, fd, curr) => timerfdGettime(ctx, fd, curr, true),
};
