// Sending and delivering guest signals, as the kernel does. A signal is queued on a thread
// (tkill, faults) or on the process (kill, timers, host signals); between blocks and after
// each syscall the exec loop asks deliverNext() to act on one deliverable signal: run its
// handler (the target pushes the frame), drop it, or end the process with the default
// action. A thread parked in a blocking syscall is woken by a deliverable signal; the call
// then returns -ERESTARTSYS and is restarted (SA_RESTART) or fails with EINTR.
import { EINTR } from './errno.js';
import type { LinuxProcess } from './process.js';
import type { GuestThread } from './thread.js';
import { signalQueue } from './wait-queue.js';
import {
  SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SA_SIGINFO, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, SIG_DFL, SIG_IGN, SS_DISABLE, SS_ONSTACK,
  blockable, defaultAction, emptySet, encodeSiginfo, sigHas, sigMinus, sigUnion, sigWith, type SigInfo,
} from './signals.js';

/** Returned by a blocking syscall woken by a signal: restart it (SA_RESTART) or make it EINTR. */
export const ERESTARTSYS = -512;

/**
 * Queue a signal for one thread (tkill, tgkill, synchronous faults). False if `info` was not
 * queued: the signal is ignored, or the same standard signal was already pending.
 */
export function sendToThread(proc: LinuxProcess, thread: GuestThread, info: SigInfo): boolean {
  const sig = info.signo;
  if (!sigHas(thread.signals.blocked, sig) && proc.signals.isIgnored(sig)) return false;
  const queued = thread.signals.pending.add(info);
  if (!sigHas(thread.signals.blocked, sig)) thread.kick();
  signalQueue(proc).wake();
  return queued;
}

/** Queue a signal for the process (kill, timers, host signals); a thread not blocking it is woken. */
export function sendToProcess(proc: LinuxProcess, info: SigInfo): boolean {
  const sig = info.signo;
  const threads = proc.liveThreads();
  const taker = threads.find((t) => !sigHas(t.signals.blocked, sig));
  if (taker && proc.signals.isIgnored(sig)) return false;
  const queued = proc.signals.pending.add(info);
  taker?.kick();
  signalQueue(proc).wake();
  return queued;
}

/**
 * A synchronous signal from the thread's own instruction (fault, undefined instruction,
 * breakpoint): if the guest blocks or ignores it, the default action applies, as the
 * kernel's force_sig does.
 */
export function forceSignal(proc: LinuxProcess, thread: GuestThread, info: SigInfo): void {
  const sig = info.signo;
  const action = proc.signals.actions[sig]!;
  if (sigHas(thread.signals.blocked, sig) || action.handler === SIG_IGN) {
    proc.signals.actions[sig] = { handler: SIG_DFL, flags: 0, restorer: 0, mask: [0, 0] };
    thread.signals.blocked = sigMinus(thread.signals.blocked, sigWith(emptySet(), sig));
  }
  thread.signals.pending.add(info);
}

/** True if a signal is pending for `thread` that it does not block. */
export function hasDeliverable(proc: LinuxProcess, thread: GuestThread): boolean {
  const blocked = thread.signals.blocked;
  return thread.signals.pending.next(blocked) !== 0 || proc.signals.pending.next(blocked) !== 0;
}

export const INTERRUPTED: unique symbol = Symbol('interrupted by a signal');

/** Wait for `p`, unless a deliverable signal for `thread` comes first (or is already pending). */
export async function interruptible<T>(proc: LinuxProcess, thread: GuestThread, p: Promise<T>): Promise<T | typeof INTERRUPTED> {
  if (hasDeliverable(proc, thread)) return INTERRUPTED;
  let done: { value: T } | null = null;
  void p.then((value) => {
    done = { value };
  });
  const signal = thread.nextSignal();
  try {
    const interrupted: Promise<typeof INTERRUPTED> = signal.promise.then(() => INTERRUPTED);
    const r = await Promise.race([p, interrupted]);
    if (r !== INTERRUPTED) return r;
    // The wait and the signal may come from one event (a child's exit completes wait4 and
    // sends SIGCHLD): a call that finished meanwhile keeps its result.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return done === null ? INTERRUPTED : (done as { value: T }).value;
  } finally {
    signal.cancel();
  }
}

/**
 * A blocking syscall's result, unless a signal for `thread` comes first: then the call is
 * abandoned (its cancel token turns true) and the result is -ERESTARTSYS.
 */
export function interruptibleCall(proc: LinuxProcess, thread: GuestThread, call: Promise<number>): Promise<number> {
  return interruptible(proc, thread, call).then((v) => {
    if (v !== INTERRUPTED) return v;
    thread.cancelBlockedCall();
    return ERESTARTSYS;
  });
}

/**
 * Act on the next deliverable signal of `thread`: set up its handler, or apply its default
 * action (which may end the process: throws GuestExit). Returns false when nothing is
 * deliverable; a syscall still waiting to be restarted is restarted then.
 */
export function deliverNext(proc: LinuxProcess, thread: GuestThread): boolean {
  const ts = thread.signals;
  const fromThread = ts.pending.next(ts.blocked);
  const sig = fromThread || proc.signals.pending.next(ts.blocked);
  if (sig === 0) {
    // sigsuspend woken by a signal that ended up ignored: the old mask comes back here.
    if (ts.savedMask) {
      ts.blocked = ts.savedMask;
      ts.savedMask = null;
    }
    if (thread.restartPending) {
      thread.restartPending = false;
      proc.abi.signals.restartSyscall(thread.vcpu.state, thread.origArg0);
    }
    return false;
  }
  const info = (fromThread ? ts.pending : proc.signals.pending).take(sig)!;
  const action = proc.signals.actions[sig]!;
  if (action.handler === SIG_IGN) return true;
  if (action.handler === SIG_DFL) {
    applyDefault(proc, sig);
    return true;
  }

  const state = thread.vcpu.state;
  if (thread.restartPending) {
    thread.restartPending = false;
    if (action.flags & SA_RESTART) proc.abi.signals.restartSyscall(state, thread.origArg0);
    else proc.abi.setSyscallResult(state, -EINTR);
  }
  const sp = proc.abi.signals.stackPointer(state);
  const alt = ts.altStack;
  const onAlt = ts.onAltStack(sp);
  const useAlt = (action.flags & SA_ONSTACK) !== 0 && (alt.flags & SS_DISABLE) === 0 && !onAlt;
  const mask = ts.savedMask ?? ts.blocked;
  ts.savedMask = null;
  const interruptedKey = thread.vcpu.pc;
  const ok = proc.abi.signals.setupFrame(proc.mem, thread.vcpu, {
    sig,
    info: encodeSiginfo(info),
    handler: action.handler,
    flags: action.flags,
    restorer: action.restorer,
    mask,
    sp: useAlt ? (alt.sp + alt.size) >>> 0 : sp,
    altStack: alt.flags & SS_DISABLE ? { sp: 0, flags: SS_DISABLE, size: 0 } : { ...alt, flags: onAlt ? SS_ONSTACK : 0 },
  });
  if (ok) proc.reportDiscontinuity(thread.vcpu, isFault(info) ? 'exception' : 'interrupt', interruptedKey, thread.vcpu.pc);
  if (!ok) {
    // No room for the frame: the kernel's force_sigsegv.
    proc.log.log('int', `signal ${sig}: cannot write the signal frame below 0x${sp.toString(16)}\n`);
    proc.signals.actions[SIGSEGV] = { handler: SIG_DFL, flags: 0, restorer: 0, mask: [0, 0] };
    applyDefault(proc, SIGSEGV);
  }
  let blocked = sigUnion(ts.blocked, action.mask);
  if (!(action.flags & SA_NODEFER)) blocked = sigWith(blocked, sig);
  ts.blocked = blockable(blocked);
  if (action.flags & SA_RESETHAND) proc.signals.actions[sig] = { handler: SIG_DFL, flags: action.flags & ~SA_SIGINFO, restorer: action.restorer, mask: action.mask };
  return true;
}

const FAULT_SIGNALS = new Set([SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE]);

/** A synchronous signal raised by the faulting instruction itself (si_code > 0 from the CPU). */
function isFault(info: SigInfo): boolean {
  return FAULT_SIGNALS.has(info.signo) && info.code > 0 && info.code < 0x80;
}

/** The default action of `sig`: nothing, stop the host process (as qemu-arm), or end the guest. */
function applyDefault(proc: LinuxProcess, sig: number): void {
  switch (defaultAction(sig)) {
    case 'ignore':
    case 'cont':
      return;
    case 'stop':
      // qemu-arm stops itself; SIGCONT from the shell resumes it.
      process.kill(process.pid, 'SIGSTOP');
      return;
    default:
      proc.terminateBySignal(sig);
  }
}
