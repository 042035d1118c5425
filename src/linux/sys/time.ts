// Clocks and sleeping. Sleeps park the vCPU on a timer (the event loop keeps running).
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EINTR, EINVAL } from '../errno.js';
import { INTERRUPTED, interruptible } from '../signal-delivery.js';
import { readTimespec, timespecNsecValid, writeTimespec, writeTimeval, StructBuilder } from '../structs.js';

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_PROCESS_CPUTIME_ID = 2;
export const CLOCK_THREAD_CPUTIME_ID = 3;
export const CLOCK_MONOTONIC_RAW = 4;
export const CLOCK_REALTIME_COARSE = 5;
export const CLOCK_MONOTONIC_COARSE = 6;
export const CLOCK_BOOTTIME = 7;
const TIMER_ABSTIME = 1;

/** Wall clock in ns: Date.now() anchored once, advanced by the monotonic high-resolution clock. */
const realtimeOffset = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

export function clockNow(clock: number): bigint | null {
  switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      return process.hrtime.bigint() + realtimeOffset;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
      return process.hrtime.bigint();
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID: {
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
    default:
      return null;
  }
}

function clockGettime(ctx: SyscallContext, clock: number, ts: number, time64: boolean): number {
  const now = clockNow(clock);
  if (now === null) return -EINVAL;
  writeTimespec(ctx.mem, ts >>> 0, now, time64);
  return 0;
}

function clockGetres(ctx: SyscallContext, clock: number, ts: number, time64: boolean): number {
  if (clockNow(clock) === null) return -EINVAL;
  const coarse = clock === CLOCK_REALTIME_COARSE || clock === CLOCK_MONOTONIC_COARSE;
  if (ts) writeTimespec(ctx.mem, ts >>> 0, coarse ? 4_000_000n : 1n, time64);
  return 0;
}

const sleepMs = (ns: bigint) => new Promise<void>((r) => setTimeout(r, Number(ns / 1_000_000n)));

async function sleepUntil(clock: number, deadline: bigint): Promise<void> {
  for (;;) {
    const left = deadline - clockNow(clock)!;
    if (left <= 0n) return;
    await sleepMs(left > 1_000_000n ? left : 1_000_000n);
  }
}

function clockNanosleep(ctx: SyscallContext, clock: number, flags: number, req: number, rem: number, time64: boolean): number | Promise<number> {
  if (clock === CLOCK_THREAD_CPUTIME_ID || clockNow(clock) === null) return -EINVAL;
  if (!timespecNsecValid(ctx.mem, req >>> 0, time64)) return -EINVAL;
  const t = readTimespec(ctx.mem, req >>> 0, time64);
  const deadline = flags & TIMER_ABSTIME ? t : clockNow(clock)! + t;
  return interruptible(ctx.proc, ctx.thread, sleepUntil(clock, deadline)).then((r) => {
    const relative = rem && !(flags & TIMER_ABSTIME);
    if (r === INTERRUPTED) {
      // A handler runs: EINTR with the time still left (a sleep is never silently restarted here).
      if (relative) writeTimespec(ctx.mem, rem >>> 0, deadline > clockNow(clock)! ? deadline - clockNow(clock)! : 0n, time64);
      return -EINTR;
    }
    if (relative) writeTimespec(ctx.mem, rem >>> 0, 0n, time64);
    return 0;
  });
}

export const timeSyscalls: SyscallTable = {
  clock_gettime: (ctx, clock, ts) => clockGettime(ctx, clock, ts, false),
  clock_gettime64: (ctx, clock, ts) => clockGettime(ctx, clock, ts, true),
  clock_getres: (ctx, clock, ts) => clockGetres(ctx, clock, ts, false),
  clock_getres_time64: (ctx, clock, ts) => clockGetres(ctx, clock, ts, true),
  gettimeofday: (ctx, tv, tz) => {
    if (tv) writeTimeval(ctx.mem, tv >>> 0, clockNow(CLOCK_REALTIME)!);
    if (tz) new StructBuilder(8).writeTo(ctx.mem, tz >>> 0); // UTC, no DST
    return 0;
  },
  time: (ctx, t) => {
    const sec = Number(clockNow(CLOCK_REALTIME)! / 1_000_000_000n);
    if (t) ctx.mem.write32(t >>> 0, sec);
    return sec;
  },
  nanosleep: (ctx, req, rem) => clockNanosleep(ctx, CLOCK_MONOTONIC, 0, req, rem, false),
  clock_nanosleep: (ctx, clock, flags, req, rem) => clockNanosleep(ctx, clock, flags, req, rem, false),
  clock_nanosleep_time64: (ctx, clock, flags, req, rem) => clockNanosleep(ctx, clock, flags, req, rem, true),
  times: (ctx, buf) => {
    // struct tms in clock ticks (USER_HZ = 100); the return value is ticks since boot.
    const u = process.cpuUsage();
    if (buf) new StructBuilder(16).u32(0, Math.floor(u.user / 10000)).u32(4, Math.floor(u.system / 10000)).writeTo(ctx.mem, buf >>> 0);
    return Number((process.hrtime.bigint() / 10_000_000n) & 0x7fffffffn);
  },
};
