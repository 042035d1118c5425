// POSIX per-process timers: timer_create, timer_settime, timer_gettime, timer_getoverrun,
// timer_delete (and their time64 forms). A timer counts on its clock (CLOCK_REALTIME,
// MONOTONIC, BOOTTIME; the CPU-time clocks count this emulator's CPU time, as clock_gettime
// reports it) and on expiry sends its signal (SIGEV_SIGNAL: to the process; SIGEV_THREAD_ID:
// to one thread) with si_code SI_TIMER, the timer id and the sigev_value, or nothing
// (SIGEV_NONE). As in the kernel, a timer never has two signals queued: expiries while its
// signal is still pending are counted as overruns, reported in si_overrun at delivery and by
// timer_getoverrun.
import type { LinuxProcess } from '../process.js';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EINVAL, EOPNOTSUPP } from '../errno.js';
import { sendToProcess, sendToThread } from '../signal-delivery.js';
import { NSIG, SIGALRM, SI_TIMER, type SigInfo } from '../signals.js';
import { StructBuilder, readTimespec, timespecNsecValid, writeTimespec } from '../structs.js';
import { CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_THREAD_CPUTIME_ID, clockNow } from './time.js';

const SIGEV_SIGNAL = 0;
const SIGEV_NONE = 1;
const SIGEV_THREAD = 2;
const SIGEV_THREAD_ID = 4;
const TIMER_ABSTIME = 1;
const CLOCK_REALTIME_ALARM = 8;
const CLOCK_BOOTTIME_ALARM = 9;
/** Clocks that exist but cannot drive timers (MONOTONIC_RAW, the COARSE ones): EOPNOTSUPP. */
const NO_TIMERS = new Set([4, 5, 6]);
const DELAYTIMER_MAX = 0x7fffffff;

interface PosixTimer {
  readonly id: number;
  /** The clock its times are read on. */
  readonly clock: number;
  readonly notify: number;
  readonly signo: number;
  readonly value: number;
  /** SIGEV_THREAD_ID: the thread to signal. */
  readonly tid: number;
  intervalNs: bigint;
  /** Next expiry on `clock` (ns); null while disarmed. */
  deadline: bigint | null;
  handle: NodeJS.Timeout | undefined;
  /** Its signal is queued and not yet delivered. */
  queued: boolean;
  /** Expiries while the signal was queued. */
  overrunPending: number;
  /** Overruns of the last delivered signal (timer_getoverrun). */
  lastOverrun: number;
}

export class PosixTimers {
  private readonly timers = new Map<number, PosixTimer>();
  /** The kernel numbers a process's timers from 0 and does not reuse ids. */
  private nextId = 0;

  constructor(private readonly proc: LinuxProcess) {}

  create(clock: number, ev: { notify: number; signo: number; value: number | null; tid: number }): number {
    const id = this.nextId++;
    this.timers.set(id, {
      id, clock, notify: ev.notify, signo: ev.signo, value: ev.value ?? id, tid: ev.tid,
      intervalNs: 0n, deadline: null, handle: undefined, queued: false, overrunPending: 0, lastOverrun: 0,
    });
    return id;
  }

  get(id: number): PosixTimer | undefined {
    return this.timers.get(id);
  }

  delete(id: number): boolean {
    const t = this.timers.get(id);
    if (!t) return false;
    this.disarm(t);
    this.timers.delete(id);
    return true;
  }

  /** Time left and interval (ns); a timer past due but not yet fired shows 1 ns left, as in the kernel. */
  remaining(t: PosixTimer): { valueNs: bigint; intervalNs: bigint } {
    if (t.deadline === null) return { valueNs: 0n, intervalNs: t.intervalNs };
    const left = t.deadline - clockNow(t.clock)!;
    return { valueNs: left > 0n ? left : 1n, intervalNs: t.intervalNs };
  }

  /** Arm at `deadline` on the timer's clock (null: disarm), re-arming every `intervalNs`. */
  set(t: PosixTimer, deadline: bigint | null, intervalNs: bigint): void {
    this.disarm(t);
    t.intervalNs = intervalNs;
    t.deadline = deadline;
    t.overrunPending = 0;
    if (deadline !== null) this.schedule(t);
  }

  cancelAll(): void {
    for (const t of this.timers.values()) this.disarm(t);
  }

  private disarm(t: PosixTimer): void {
    if (t.handle) clearTimeout(t.handle);
    t.handle = undefined;
    t.deadline = null;
  }

  /** A host timeout for the time left; CPU-time clocks run no faster than wall time, so it re-checks. */
  private schedule(t: PosixTimer): void {
    const left = t.deadline! - clockNow(t.clock)!;
    const ms = left > 0n ? Number((left + 999_999n) / 1_000_000n) : 0;
    t.handle = setTimeout(() => {
      t.handle = undefined;
      if (t.deadline === null) return;
      const now = clockNow(t.clock)!;
      if (now < t.deadline) {
        this.schedule(t);
        return;
      }
      // Every interval that passed counts as one expiry.
      let expiries = 1;
      if (t.intervalNs > 0n) {
        const late = (now - t.deadline) / t.intervalNs;
        expiries += Number(late);
        t.deadline += (late + 1n) * t.intervalNs;
        this.schedule(t);
      } else {
        t.deadline = null;
      }
      this.expire(t, expiries);
    }, ms);
  }

  private expire(t: PosixTimer, expiries: number): void {
    if (t.notify === SIGEV_NONE) return;
    if (t.queued) {
      t.overrunPending = Math.min(DELAYTIMER_MAX, t.overrunPending + expiries);
      return;
    }
    const info: SigInfo = {
      signo: t.signo, code: SI_TIMER, timerId: t.id, overrun: 0, value: t.value,
      dequeued: (i) => {
        i.overrun = t.overrunPending;
        t.lastOverrun = t.overrunPending;
        t.overrunPending = 0;
        t.queued = false;
      },
    };
    t.overrunPending = expiries - 1;
    const thread = t.notify & SIGEV_THREAD_ID ? this.proc.threads.get(t.tid) : undefined;
    if (thread && !thread.exited) t.queued = sendToThread(this.proc, thread, info);
    else t.queued = sendToProcess(this.proc, info);
  }
}

/** The clock a timer may run on, or -errno. */
function timerClock(clock: number): number {
  if (clock === CLOCK_REALTIME_ALARM) return CLOCK_REALTIME;
  if (clock === CLOCK_BOOTTIME_ALARM) return CLOCK_BOOTTIME;
  if (NO_TIMERS.has(clock)) return -EOPNOTSUPP;
  const ok = [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_BOOTTIME];
  return ok.includes(clock) ? clock : -EINVAL;
}

/** struct sigevent (32-bit): sigev_value, sigev_signo, sigev_notify, then _tid for SIGEV_THREAD_ID. */
function readSigevent(ctx: SyscallContext, address: number): { notify: number; signo: number; value: number | null; tid: number } | number {
  if (address === 0) return { notify: SIGEV_SIGNAL, signo: SIGALRM, value: null, tid: 0 };
  const [value, signo, notify, tid] = [0, 4, 8, 12].map((o) => ctx.mem.read32(address + o)) as [number, number, number, number];
  if (notify & SIGEV_THREAD_ID) {
    const t = ctx.proc.threads.get(tid);
    if ((notify & ~SIGEV_THREAD_ID) !== SIGEV_SIGNAL || !t || t.exited) return -EINVAL;
  } else if (notify === SIGEV_NONE) {
    return { notify, signo, value, tid };
  } else if (notify !== SIGEV_SIGNAL && notify !== SIGEV_THREAD) {
    return -EINVAL;
  }
  if (signo <= 0 || signo > NSIG) return -EINVAL;
  return { notify, signo, value, tid };
}

function timerCreate(ctx: SyscallContext, clockId: number, sevp: number, idAddr: number): number {
  const clock = timerClock(clockId);
  if (clock < 0) return clock;
  const ev = readSigevent(ctx, sevp >>> 0);
  if (typeof ev === 'number') return ev;
  // Check that the id can be stored before the timer exists (a fault then leaves none behind).
  ctx.mem.write32(idAddr >>> 0, ctx.mem.read32(idAddr >>> 0));
  const id = ctx.proc.posixTimers.create(clock, ev);
  ctx.mem.write32(idAddr >>> 0, id);
  return 0;
}

/** struct itimerspec: it_interval, then it_value. */
function specSize(time64: boolean): number {
  return time64 ? 16 : 8;
}

function timerSettime(ctx: SyscallContext, id: number, flags: number, newAddr: number, oldAddr: number, time64: boolean): number {
  const timers = ctx.proc.posixTimers;
  const t = timers.get(id);
  if (!t || !newAddr) return -EINVAL;
  const a = newAddr >>> 0;
  const size = specSize(time64);
  if (!timespecNsecValid(ctx.mem, a, time64) || !timespecNsecValid(ctx.mem, a + size, time64)) return -EINVAL;
  const intervalNs = readTimespec(ctx.mem, a, time64);
  const valueNs = readTimespec(ctx.mem, a + size, time64);
  if (intervalNs < 0n || valueNs < 0n) return -EINVAL;
  if (oldAddr) writeItimerspec(ctx, oldAddr >>> 0, timers.remaining(t), time64);
  const deadline = valueNs === 0n ? null : flags & TIMER_ABSTIME ? valueNs : clockNow(t.clock)! + valueNs;
  timers.set(t, deadline, intervalNs);
  return 0;
}

function writeItimerspec(ctx: SyscallContext, address: number, v: { valueNs: bigint; intervalNs: bigint }, time64: boolean): void {
  const size = specSize(time64);
  // Check the whole struct is writable first: nothing is written on a fault.
  new StructBuilder(2 * size).writeTo(ctx.mem, address);
  writeTimespec(ctx.mem, address, v.intervalNs, time64);
  writeTimespec(ctx.mem, address + size, v.valueNs, time64);
}

function timerGettime(ctx: SyscallContext, id: number, addr: number, time64: boolean): number {
  const t = ctx.proc.posixTimers.get(id);
  if (!t) return -EINVAL;
  writeItimerspec(ctx, addr >>> 0, ctx.proc.posixTimers.remaining(t), time64);
  return 0;
}

export const timerSyscalls: SyscallTable = {
  timer_create: (ctx, clock, sevp, idAddr) => timerCreate(ctx, clock, sevp, idAddr),
  timer_settime: (ctx, id, flags, newAddr, oldAddr) => timerSettime(ctx, id, flags, newAddr, oldAddr, false),
  timer_settime64: (ctx, id, flags, newAddr, oldAddr) => timerSettime(ctx, id, flags, newAddr, oldAddr, true),
  timer_gettime: (ctx, id, addr) => timerGettime(ctx, id, addr, false),
  timer_gettime64: (ctx, id, addr) => timerGettime(ctx, id, addr, true),
  timer_getoverrun: (ctx, id) => {
    const t = ctx.proc.posixTimers.get(id);
    return t ? t.lastOverrun : -EINVAL;
  },
  timer_delete: (ctx, id) => (ctx.proc.posixTimers.delete(id) ? 0 : -EINVAL),
};
