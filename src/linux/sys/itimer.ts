// Interval timers: setitimer/getitimer and alarm. ITIMER_REAL counts wall-clock time and
// sends SIGALRM to the process when it expires (then re-arms with its interval).
// ITIMER_VIRTUAL / ITIMER_PROF would count the process's CPU time; tsqemu approximates both
// with wall-clock time (SIGVTALRM / SIGPROF).
import type { LinuxProcess } from '../process.js';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EINVAL } from '../errno.js';
import { sendToProcess } from '../signal-delivery.js';
import { SIGALRM, SI_KERNEL } from '../signals.js';
import { StructBuilder } from '../structs.js';

const ITIMER_REAL = 0;
const ITIMER_VIRTUAL = 1;
const ITIMER_PROF = 2;
const SIGVTALRM = 26;
const SIGPROF = 27;
const TIMER_SIGNALS = [SIGALRM, SIGVTALRM, SIGPROF];

/** Microseconds; `value` 0 = disarmed. */
interface Itimer {
  intervalUs: number;
  /** Host time (ms, performance.now) when it fires next; 0 when disarmed. */
  deadline: number;
  handle: NodeJS.Timeout | undefined;
}

export class IntervalTimers {
  private readonly timers: Itimer[] = [0, 1, 2].map(() => ({ intervalUs: 0, deadline: 0, handle: undefined }));

  constructor(private readonly proc: LinuxProcess) {}

  /** Time left (µs) and interval of timer `which`. */
  get(which: number): { valueUs: number; intervalUs: number } {
    const t = this.timers[which]!;
    if (t.deadline === 0) return { valueUs: 0, intervalUs: t.intervalUs };
    // An armed timer never reads as 0 left (that means disarmed).
    return { valueUs: Math.max(1, Math.round((t.deadline - performance.now()) * 1000)), intervalUs: t.intervalUs };
  }

  /** Arm (valueUs > 0) or disarm timer `which`; returns its previous setting. */
  set(which: number, valueUs: number, intervalUs: number): { valueUs: number; intervalUs: number } {
    const old = this.get(which);
    const t = this.timers[which]!;
    if (t.handle) clearTimeout(t.handle);
    t.handle = undefined;
    t.intervalUs = intervalUs;
    t.deadline = 0;
    if (valueUs > 0) this.arm(which, valueUs);
    return old;
  }

  private arm(which: number, us: number): void {
    const t = this.timers[which]!;
    t.deadline = performance.now() + us / 1000;
    t.handle = setTimeout(() => {
      t.handle = undefined;
      t.deadline = 0;
      if (t.intervalUs > 0) this.arm(which, t.intervalUs);
      sendToProcess(this.proc, { signo: TIMER_SIGNALS[which]!, code: SI_KERNEL });
    }, us / 1000);
  }

  cancelAll(): void {
    for (const t of this.timers) if (t.handle) clearTimeout(t.handle);
  }
}

/** struct itimerval: it_interval then it_value, each a 32-bit timeval. */
function readItimerval(ctx: SyscallContext, address: number): { valueUs: number; intervalUs: number } | null {
  const w = [0, 4, 8, 12].map((o) => ctx.mem.read32(address + o));
  const [isec, iusec, vsec, vusec] = w as [number, number, number, number];
  if (iusec < 0 || iusec >= 1e6 || vusec < 0 || vusec >= 1e6 || isec < 0 || vsec < 0) return null;
  return { intervalUs: isec * 1e6 + iusec, valueUs: vsec * 1e6 + vusec };
}

function writeItimerval(ctx: SyscallContext, address: number, v: { valueUs: number; intervalUs: number }): void {
  const b = new StructBuilder(16);
  b.u32(0, Math.floor(v.intervalUs / 1e6)).u32(4, v.intervalUs % 1e6);
  b.u32(8, Math.floor(v.valueUs / 1e6)).u32(12, v.valueUs % 1e6);
  b.writeTo(ctx.mem, address);
}

const validWhich = (which: number) => which === ITIMER_REAL || which === ITIMER_VIRTUAL || which === ITIMER_PROF;

export const itimerSyscalls: SyscallTable = {
  setitimer: (ctx, which, newAddr, oldAddr) => {
    if (!validWhich(which)) return -EINVAL;
    const next = newAddr ? readItimerval(ctx, newAddr >>> 0) : { valueUs: 0, intervalUs: 0 };
    if (!next) return -EINVAL;
    const old = ctx.proc.timers.set(which, next.valueUs, next.intervalUs);
    if (oldAddr) writeItimerval(ctx, oldAddr >>> 0, old);
    return 0;
  },
  getitimer: (ctx, which, addr) => {
    if (!validWhich(which)) return -EINVAL;
    writeItimerval(ctx, addr >>> 0, ctx.proc.timers.get(which));
    return 0;
  },
  alarm: (ctx, seconds) => {
    const old = ctx.proc.timers.set(ITIMER_REAL, (seconds >>> 0) * 1e6, 0);
    // Seconds left, rounded to nearest, and never 0 for an armed timer.
    return old.valueUs === 0 ? 0 : Math.max(1, Math.round(old.valueUs / 1e6));
  },
};
