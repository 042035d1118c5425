// Signal syscalls. Dispositions and the mask are recorded; delivery to guest handlers comes
// later. A signal the process sends itself whose action is fatal ends it like qemu-arm.
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EINVAL, EPERM, ESRCH, hostCall } from '../errno.js';
import { NSIG, SIGKILL, SIGSTOP, SIG_IGN, defaultAction } from '../signals.js';
import { StructBuilder, readSigaction, writeSigaction } from '../structs.js';

const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;
const SS_DISABLE = 2;
const MINSIGSTKSZ = 2048;

function rtSigaction(ctx: SyscallContext, sig: number, act: number, oact: number, sigsetsize: number): number {
  if (sigsetsize !== 8) return -EINVAL;
  if (sig < 1 || sig > NSIG) return -EINVAL;
  if (act && (sig === SIGKILL || sig === SIGSTOP)) return -EINVAL;
  const signals = ctx.proc.signals;
  const newAct = act ? readSigaction(ctx.mem, act >>> 0) : null;
  if (oact) writeSigaction(ctx.mem, oact >>> 0, signals.actions[sig]!);
  if (newAct) {
    // SIGKILL and SIGSTOP can never be blocked by a handler's mask.
    newAct.mask[0] &= ~((1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1)));
    signals.actions[sig] = newAct;
  }
  return 0;
}

function rtSigprocmask(ctx: SyscallContext, how: number, set: number, oset: number, sigsetsize: number): number {
  if (sigsetsize !== 8) return -EINVAL;
  const signals = ctx.proc.signals;
  const old = signals.blocked;
  let next: [number, number] | null = null;
  if (set) {
    const lo = ctx.mem.read32(set >>> 0) >>> 0;
    const hi = ctx.mem.read32((set >>> 0) + 4) >>> 0;
    if (how === SIG_BLOCK) next = [(old[0] | lo) >>> 0, (old[1] | hi) >>> 0];
    else if (how === SIG_UNBLOCK) next = [(old[0] & ~lo) >>> 0, (old[1] & ~hi) >>> 0];
    else if (how === SIG_SETMASK) next = [lo, hi];
    else return -EINVAL;
  }
  if (oset) new StructBuilder(8).u32(0, old[0]).u32(4, old[1]).writeTo(ctx.mem, oset >>> 0);
  if (next) {
    next[0] = (next[0] & ~((1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1)))) >>> 0;
    signals.blocked = next;
  }
  return 0;
}

/** A signal sent to this process. */
export function signalSelf(ctx: SyscallContext, sig: number): number {
  if (sig === 0) return 0;
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const signals = ctx.proc.signals;
  if (signals.isFatal(sig)) ctx.proc.terminateBySignal(sig);
  const action = signals.actions[sig]!;
  if (action.handler === SIG_IGN || defaultAction(sig) === 'ignore' || defaultAction(sig) === 'cont') return 0;
  ctx.proc.log.log('unimp', `signal ${sig} to a guest handler: delivery not implemented, dropped\n`);
  return 0;
}

function killOther(pid: number, sig: number): number {
  if (pid <= 0) return -EPERM;
  return hostCall(() => {
    process.kill(pid, sig);
    return 0;
  });
}

export const signalSyscalls: SyscallTable = {
  rt_sigaction: (ctx, sig, act, oact, size) => rtSigaction(ctx, sig, act, oact, size),
  rt_sigprocmask: (ctx, how, set, oset, size) => rtSigprocmask(ctx, how, set, oset, size),
  sigaltstack: (ctx, ss, oss) => {
    const alt = ctx.proc.signals.altStack;
    if (oss) new StructBuilder(12).u32(0, alt.sp).u32(4, alt.flags).u32(8, alt.size).writeTo(ctx.mem, oss >>> 0);
    if (ss) {
      const sp = ctx.mem.read32(ss >>> 0) >>> 0;
      const flags = ctx.mem.read32((ss >>> 0) + 4);
      const size = ctx.mem.read32((ss >>> 0) + 8) >>> 0;
      if (flags & ~SS_DISABLE) return -EINVAL;
      if (!(flags & SS_DISABLE) && size < MINSIGSTKSZ) return -12; // ENOMEM
      ctx.proc.signals.altStack = flags & SS_DISABLE ? { sp: 0, flags: SS_DISABLE, size: 0 } : { sp, flags: 0, size };
    }
    return 0;
  },
  kill: (ctx, pid, sig) => (pid === ctx.proc.pid || pid === 0 || pid === -ctx.proc.pid ? signalSelf(ctx, sig) : killOther(pid, sig)),
  tgkill: (ctx, tgid, tid, sig) => (tgid === ctx.proc.pid && tid === ctx.proc.pid ? signalSelf(ctx, sig) : -ESRCH),
  tkill: (ctx, tid, sig) => (tid === ctx.proc.pid ? signalSelf(ctx, sig) : -ESRCH),
  rt_sigpending: (ctx, set) => {
    new StructBuilder(8).writeTo(ctx.mem, set >>> 0);
    return 0;
  },
};
