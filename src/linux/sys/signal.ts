// Signal syscalls: dispositions, masks, the alternate stack, sending (kill, tkill, tgkill,
// sigqueue), waiting (sigsuspend, sigtimedwait, pause) and returning from a handler
// (sigreturn, rt_sigreturn; the frame itself is the target's).
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { SYSCALL_NO_RESULT } from '../syscalls.js';
import { EAGAIN, EINTR, EINVAL, ENOMEM, EPERM, ESRCH, hostCall } from '../errno.js';
import { hasDeliverable, sendToProcess, sendToThread, forceSignal } from '../signal-delivery.js';
import {
  MINSIGSTKSZ, NSIG, SIGKILL, SIGSEGV, SIGSTOP, SI_KERNEL, SI_TKILL, SI_USER, SS_DISABLE, SS_ONSTACK,
  blockable, encodeSiginfo, sigMinus, sigUnion, type AltStack, type SigInfo, type SigSet,
} from '../signals.js';
import { StructBuilder, readSigaction, readTimespec, writeSigaction } from '../structs.js';

const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;
/** sigaltstack: disarm the alternate stack while a handler runs on it (accepted, not emulated). */
const SS_AUTODISARM = 1 << 31;
const SIGSET_SIZE = 8;

function readSigset(ctx: SyscallContext, address: number): SigSet {
  return [ctx.mem.read32(address >>> 0) >>> 0, ctx.mem.read32((address >>> 0) + 4) >>> 0];
}

function writeSigset(ctx: SyscallContext, address: number, set: SigSet): void {
  new StructBuilder(SIGSET_SIZE).u32(0, set[0]).u32(4, set[1]).writeTo(ctx.mem, address >>> 0);
}

const validSignal = (sig: number) => sig >= 1 && sig <= NSIG;

function rtSigaction(ctx: SyscallContext, sig: number, act: number, oact: number, sigsetsize: number): number {
  if (sigsetsize !== SIGSET_SIZE) return -EINVAL;
  if (!validSignal(sig)) return -EINVAL;
  if (act && (sig === SIGKILL || sig === SIGSTOP)) return -EINVAL;
  const signals = ctx.proc.signals;
  const newAct = act ? readSigaction(ctx.mem, act >>> 0) : null;
  if (oact) writeSigaction(ctx.mem, oact >>> 0, signals.actions[sig]!);
  if (newAct) {
    newAct.mask = blockable(newAct.mask);
    signals.actions[sig] = newAct;
    // A signal whose action becomes "ignore" is dropped even if pending (POSIX).
    if (signals.isIgnored(sig)) {
      signals.pending.discard(sig);
      for (const t of ctx.proc.liveThreads()) t.signals.pending.discard(sig);
    }
  }
  return 0;
}

function rtSigprocmask(ctx: SyscallContext, how: number, set: number, oset: number, sigsetsize: number): number {
  if (sigsetsize !== SIGSET_SIZE) return -EINVAL;
  const ts = ctx.thread.signals;
  const old = ts.blocked;
  let next: SigSet | null = null;
  if (set) {
    const s = readSigset(ctx, set);
    if (how === SIG_BLOCK) next = sigUnion(old, s);
    else if (how === SIG_UNBLOCK) next = sigMinus(old, s);
    else if (how === SIG_SETMASK) next = s;
    else return -EINVAL;
  }
  if (oset) writeSigset(ctx, oset, old);
  if (next) ts.blocked = blockable(next);
  return 0;
}

function sigaltstack(ctx: SyscallContext, ss: number, oss: number): number {
  const ts = ctx.thread.signals;
  const sp = ctx.abi.signals.stackPointer(ctx.vcpu.state);
  const onStack = ts.onAltStack(sp);
  if (oss) {
    const a = ts.altStack;
    const flags = onStack ? SS_ONSTACK : a.flags & SS_DISABLE ? SS_DISABLE : a.flags;
    new StructBuilder(12).u32(0, a.sp).u32(4, flags).u32(8, a.size).writeTo(ctx.mem, oss >>> 0);
  }
  if (ss) {
    const next: AltStack = { sp: ctx.mem.read32(ss >>> 0) >>> 0, flags: ctx.mem.read32((ss >>> 0) + 4), size: ctx.mem.read32((ss >>> 0) + 8) >>> 0 };
    const r = setAltStack(ctx, next, onStack);
    if (r !== 0) return r;
  }
  return 0;
}

/** sigaltstack's checks and update (also used by rt_sigreturn with the frame's uc_stack). */
function setAltStack(ctx: SyscallContext, next: AltStack, onStack: boolean): number {
  if (onStack) return -EPERM;
  const mode = next.flags & ~SS_AUTODISARM;
  if (mode !== 0 && mode !== SS_DISABLE && mode !== SS_ONSTACK) return -EINVAL;
  if (mode === SS_DISABLE) {
    ctx.thread.signals.altStack = { sp: 0, flags: SS_DISABLE, size: 0 };
    return 0;
  }
  if (next.size < MINSIGSTKSZ) return -ENOMEM;
  ctx.thread.signals.altStack = { sp: next.sp, flags: next.flags & SS_AUTODISARM, size: next.size };
  return 0;
}

function sender(ctx: SyscallContext, signo: number, code: number): SigInfo {
  return { signo, code, pid: ctx.proc.pid, uid: ctx.proc.uid };
}

function kill(ctx: SyscallContext, pid: number, sig: number): number {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const self = ctx.proc.pid;
  // The guest is its own process group and session: 0, -1 and -pid all reach only itself.
  if (pid === self || pid === 0 || pid === -1 || pid === -self) {
    if (sig !== 0) sendToProcess(ctx.proc, sender(ctx, sig, SI_USER));
    return 0;
  }
  // A child this emulator runs (fork, vfork) has a pid the host does not know.
  const child = ctx.proc.children.process(pid);
  if (child) {
    if (sig !== 0) sendToProcess(child, sender(ctx, sig, SI_USER));
    return 0;
  }
  return hostCall(() => {
    process.kill(pid, sig);
    return 0;
  });
}

/** tkill / tgkill: a signal for one thread of this process. */
function threadKill(ctx: SyscallContext, tid: number, sig: number, info: SigInfo): number {
  if (sig < 0 || sig > NSIG || tid <= 0) return -EINVAL;
  const thread = ctx.proc.threads.get(tid);
  if (!thread || thread.exited) return -ESRCH;
  if (sig !== 0) sendToThread(ctx.proc, thread, info);
  return 0;
}

/** sigqueue's siginfo from the guest: code and value are the sender's. */
function queuedInfo(ctx: SyscallContext, sig: number, uinfo: number): SigInfo | number {
  const code = ctx.mem.read32((uinfo >>> 0) + 8);
  // Only the kernel may send SI_USER or kernel codes (>= 0) with a forged sender.
  if (code >= 0 || code === SI_TKILL) return -EPERM;
  return { signo: sig, code, pid: ctx.mem.read32((uinfo >>> 0) + 12), uid: ctx.mem.read32((uinfo >>> 0) + 16), value: ctx.mem.read32((uinfo >>> 0) + 20) };
}

/** Park until a signal is deliverable to the calling thread; -EINTR (the handler runs first). */
async function waitForSignal(ctx: SyscallContext): Promise<number> {
  while (!hasDeliverable(ctx.proc, ctx.thread)) await ctx.thread.nextSignal().promise;
  return -EINTR;
}

function rtSigsuspend(ctx: SyscallContext, mask: number, sigsetsize: number): number | Promise<number> {
  if (sigsetsize !== SIGSET_SIZE) return -EINVAL;
  const ts = ctx.thread.signals;
  const set = readSigset(ctx, mask);
  // The handler's frame saves the mask from before the call; sigreturn puts it back.
  ts.savedMask = ts.blocked;
  ts.blocked = blockable(set);
  return waitForSignal(ctx);
}

async function rtSigtimedwait(ctx: SyscallContext, setAddr: number, infoAddr: number, timeout: number, sigsetsize: number, time64: boolean): Promise<number> {
  if (sigsetsize !== SIGSET_SIZE) return -EINVAL;
  const want = blockable(readSigset(ctx, setAddr));
  const notWanted: SigSet = [~want[0] >>> 0, ~want[1] >>> 0];
  const deadline = timeout ? performance.now() + Number(readTimespec(ctx.mem, timeout >>> 0, time64)) / 1e6 : Infinity;
  const ts = ctx.thread.signals;
  for (;;) {
    const fromThread = ts.pending.next(notWanted);
    const sig = fromThread || ctx.proc.signals.pending.next(notWanted);
    if (sig !== 0) {
      const info = (fromThread ? ts.pending : ctx.proc.signals.pending).take(sig)!;
      if (infoAddr) ctx.mem.writeBytes(infoAddr >>> 0, encodeSiginfo(info));
      return sig;
    }
    if (hasDeliverable(ctx.proc, ctx.thread)) return -EINTR;
    const left = deadline - performance.now();
    if (left <= 0) return -EAGAIN;
    // While waiting, the awaited signals count as unblocked so that sending one wakes us.
    const blocked = ts.blocked;
    ts.blocked = sigMinus(blocked, want);
    const signal = ctx.thread.nextSignal();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([signal.promise, new Promise<void>((r) => (timer = setTimeout(r, Number.isFinite(left) ? left : 2 ** 31 - 1)))]);
    clearTimeout(timer);
    signal.cancel();
    ts.blocked = blocked;
  }
}

/** sigreturn / rt_sigreturn: the registers, mask (and alternate stack) saved in the frame. */
function sigreturn(ctx: SyscallContext, rt: boolean): number {
  const trampolineKey = ctx.vcpu.pc;
  const restored = ctx.abi.signals.restoreFrame(ctx.mem, ctx.vcpu, rt);
  if (!restored) {
    ctx.proc.log.log('int', `${rt ? 'rt_sigreturn' : 'sigreturn'}: bad signal frame\n`);
    forceSignal(ctx.proc, ctx.thread, { signo: SIGSEGV, code: SI_KERNEL });
    return SYSCALL_NO_RESULT;
  }
  ctx.thread.signals.blocked = blockable(restored.mask);
  if (restored.altStack) setAltStack(ctx, restored.altStack, ctx.thread.signals.onAltStack(ctx.abi.signals.stackPointer(ctx.vcpu.state)));
  ctx.proc.reportDiscontinuity(ctx.vcpu, 'interrupt', trampolineKey, ctx.vcpu.pc);
  return SYSCALL_NO_RESULT;
}

export const signalSyscalls: SyscallTable = {
  rt_sigaction: (ctx, sig, act, oact, size) => rtSigaction(ctx, sig, act, oact, size),
  rt_sigprocmask: (ctx, how, set, oset, size) => rtSigprocmask(ctx, how, set, oset, size),
  rt_sigpending: (ctx, set, size) => {
    if (size !== SIGSET_SIZE) return -EINVAL;
    const pending = sigUnion(ctx.thread.signals.pending.set(), ctx.proc.signals.pending.set());
    // Only blocked signals can be seen pending (the others are delivered at once).
    writeSigset(ctx, set, [pending[0] & ctx.thread.signals.blocked[0], pending[1] & ctx.thread.signals.blocked[1]]);
    return 0;
  },
  rt_sigsuspend: (ctx, mask, size) => rtSigsuspend(ctx, mask, size),
  rt_sigtimedwait: (ctx, set, info, timeout, size) => rtSigtimedwait(ctx, set, info, timeout, size, false),
  rt_sigtimedwait_time64: (ctx, set, info, timeout, size) => rtSigtimedwait(ctx, set, info, timeout, size, true),
  pause: (ctx) => waitForSignal(ctx),
  sigaltstack: (ctx, ss, oss) => sigaltstack(ctx, ss, oss),
  kill: (ctx, pid, sig) => kill(ctx, pid, sig),
  tkill: (ctx, tid, sig) => threadKill(ctx, tid, sig, sender(ctx, sig, SI_TKILL)),
  tgkill: (ctx, tgid, tid, sig) => (tgid !== ctx.proc.pid ? -ESRCH : threadKill(ctx, tid, sig, sender(ctx, sig, SI_TKILL))),
  rt_sigqueueinfo: (ctx, pid, sig, uinfo) => {
    if (!validSignal(sig)) return -EINVAL;
    if (pid !== ctx.proc.pid) return -EPERM;
    const info = queuedInfo(ctx, sig, uinfo);
    if (typeof info === 'number') return info;
    sendToProcess(ctx.proc, info);
    return 0;
  },
  rt_tgsigqueueinfo: (ctx, tgid, tid, sig, uinfo) => {
    if (!validSignal(sig)) return -EINVAL;
    if (tgid !== ctx.proc.pid) return -ESRCH;
    const info = queuedInfo(ctx, sig, uinfo);
    return typeof info === 'number' ? info : threadKill(ctx, tid, sig, info);
  },
  sigreturn: (ctx) => sigreturn(ctx, false),
  rt_sigreturn: (ctx) => sigreturn(ctx, true),
};
