// Guest signal state, as the kernel keeps it: dispositions (rt_sigaction) and a pending set
// shared by the process; a blocked mask, a pending set and an alternate stack per thread.
// Signal numbers, default actions, sigaction flags and siginfo are the asm-generic ones every
// 32-bit target tsqemu runs uses. Delivery is in signal-delivery.ts; the frame a handler
// sees is the target's (LinuxAbi.signals).
import type { GuestSigaction } from './structs.js';

export const NSIG = 64;

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGWINCH = 28;
export const SIGSYS = 31;

export const SIG_DFL = 0;
export const SIG_IGN = 1;

/** Names as strace prints them, index = signal number. */
export const SIGNAL_NAMES: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/** glibc strsignal() text, which qemu-arm prints in "uncaught target signal" messages. */
const DESCRIPTIONS: readonly string[] = [
  '', 'Hangup', 'Interrupt', 'Quit', 'Illegal instruction', 'Trace/breakpoint trap', 'Aborted', 'Bus error',
  'Floating point exception', 'Killed', 'User defined signal 1', 'Segmentation fault', 'User defined signal 2',
  'Broken pipe', 'Alarm clock', 'Terminated', 'Stack fault', 'Child exited', 'Continued', 'Stopped (signal)',
  'Stopped', 'Stopped (tty input)', 'Stopped (tty output)', 'Urgent I/O condition', 'CPU time limit exceeded',
  'File size limit exceeded', 'Virtual timer expired', 'Profiling timer expired', 'Window changed', 'I/O possible',
  'Power failure', 'Bad system call',
];

export function signalDescription(sig: number): string {
  if (sig >= 32 && sig <= NSIG) return `Real-time signal ${sig - 32}`;
  return DESCRIPTIONS[sig] ?? `Unknown signal ${sig}`;
}

export type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'cont';

export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
    case SIGXCPU: case SIGXFSZ: case SIGSYS:
      return 'core';
    case SIGCHLD: case SIGURG: case SIGWINCH:
      return 'ignore';
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
      return 'stop';
    case SIGCONT:
      return 'cont';
    default:
      return 'term';
  }
}

/** qemu-arm's stderr line for a guest killed by a core-dumping signal ('' for others). */
export function fatalSignalMessage(sig: number): string {
  if (defaultAction(sig) !== 'core') return '';
  return `qemu: uncaught target signal ${sig} (${signalDescription(sig)}) - core dumped\n`;
}

/** sigaction sa_flags (asm-generic values, ARM's too). */
export const SA_NOCLDSTOP = 0x00000001;
export const SA_NOCLDWAIT = 0x00000002;
export const SA_SIGINFO = 0x00000004;
export const SA_RESTORER = 0x04000000;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;

/** sigaltstack ss_flags. */
export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const MINSIGSTKSZ = 2048;

/** si_code values. */
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_QUEUE = -1;
export const SI_TIMER = -2;
export const SI_TKILL = -6;
export const ILL_ILLOPN = 2;
export const FPE_INTDIV = 1;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const TRAP_BRKPT = 1;
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;
export const CLD_DUMPED = 3;

/** A signal set as [signals 1-32, signals 33-64], bit (sig-1) of the 64. */
export type SigSet = [number, number];

export const emptySet = (): SigSet => [0, 0];

export function sigHas(set: SigSet, sig: number): boolean {
  return sig >= 1 && sig <= NSIG && ((set[(sig - 1) >> 5]! >>> ((sig - 1) & 31)) & 1) === 1;
}

export function sigWith(set: SigSet, sig: number): SigSet {
  const out: SigSet = [set[0], set[1]];
  out[(sig - 1) >> 5] = (out[(sig - 1) >> 5]! | (1 << ((sig - 1) & 31))) >>> 0;
  return out;
}

export function sigUnion(a: SigSet, b: SigSet): SigSet {
  return [(a[0] | b[0]) >>> 0, (a[1] | b[1]) >>> 0];
}

export function sigMinus(a: SigSet, b: SigSet): SigSet {
  return [(a[0] & ~b[0]) >>> 0, (a[1] & ~b[1]) >>> 0];
}

/** SIGKILL and SIGSTOP can never be blocked: drop them from a mask the guest asks for. */
export function blockable(set: SigSet): SigSet {
  return [(set[0] & ~((1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1)))) >>> 0, set[1] >>> 0];
}

/**
 * What a signal carries to an SA_SIGINFO handler (struct siginfo, 32-bit layout): the
 * fields present depend on how it was sent.
 */
export interface SigInfo {
  signo: number;
  code: number;
  errno?: number;
  /** kill, tkill, sigqueue, SIGCHLD: the sender (child). */
  pid?: number;
  uid?: number;
  /** SIGCHLD: exit status or signal. */
  status?: number;
  /** Faults: the faulting address. */
  addr?: number;
  /** sigqueue / POSIX timers: the value. */
  value?: number;
  /** POSIX timers: timer id and overrun count. */
  timerId?: number;
  overrun?: number;
  /**
   * Called when the signal leaves the pending queue (delivered, taken by sigtimedwait, or
   * discarded), before its fields are read: a POSIX timer fills in its overrun count here.
   */
  dequeued?: (info: SigInfo) => void;
}

export const SIGINFO_SIZE = 128;

/** struct siginfo offsets (32-bit): the union starts at 12; its members overlap. */
const SIGINFO_FIELDS: readonly [Exclude<keyof SigInfo, 'dequeued'>, number][] = [
  ['signo', 0], ['errno', 4], ['code', 8],
  ['pid', 12], ['uid', 16], ['status', 20],
  ['addr', 12],
  ['timerId', 12], ['overrun', 16], ['value', 20],
];

export function encodeSiginfo(info: SigInfo): Uint8Array {
  const bytes = new Uint8Array(SIGINFO_SIZE);
  const view = new DataView(bytes.buffer);
  for (const [field, offset] of SIGINFO_FIELDS) {
    const v = info[field];
    if (v !== undefined) view.setUint32(offset, v >>> 0, true);
  }
  return bytes;
}

/** sigaltstack state. */
export interface AltStack {
  sp: number;
  flags: number;
  size: number;
}

/**
 * Signals waiting for delivery. Standard signals (below 32) are a set: sending one already
 * pending is a no-op. Real-time signals queue, each with its own siginfo.
 */
export class PendingSignals {
  private readonly queues = new Map<number, SigInfo[]>();

  /** Queue `info`; false if it was merged into the same standard signal already pending. */
  add(info: SigInfo): boolean {
    const q = this.queues.get(info.signo);
    if (!q) this.queues.set(info.signo, [info]);
    else if (info.signo >= 32) q.push(info);
    else return false;
    return true;
  }

  has(sig: number): boolean {
    return this.queues.has(sig);
  }

  /** Pending signals as a set. */
  set(): SigSet {
    let out = emptySet();
    for (const sig of this.queues.keys()) out = sigWith(out, sig);
    return out;
  }

  /** The signal to deliver next among those not in `blocked`: synchronous faults first, then the lowest number. */
  next(blocked: SigSet): number {
    let best = 0;
    for (const sig of this.queues.keys()) {
      if (sigHas(blocked, sig)) continue;
      if (best === 0 || rank(sig) < rank(best)) best = sig;
    }
    return best;
  }

  take(sig: number): SigInfo | undefined {
    const q = this.queues.get(sig);
    if (!q) return undefined;
    const info = q.shift();
    if (q.length === 0) this.queues.delete(sig);
    info?.dequeued?.(info);
    return info;
  }

  /** Forget a pending signal (its disposition became "ignore"). */
  discard(sig: number): void {
    for (const info of this.queues.get(sig) ?? []) info.dequeued?.(info);
    this.queues.delete(sig);
  }
}

const SYNCHRONOUS = new Set([SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS]);

function rank(sig: number): number {
  return SYNCHRONOUS.has(sig) ? sig - 64 : sig;
}

/** Process-wide signal state: one disposition per signal, and signals sent to the process. */
export class SignalState {
  /** Index = signal number (1..64). */
  readonly actions: GuestSigaction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0, restorer: 0, mask: [0, 0] as [number, number] }));
  readonly pending = new PendingSignals();

  /** True if `sig` arriving now is dropped: ignored, or default action "ignore". */
  isIgnored(sig: number): boolean {
    const a = this.actions[sig]!;
    if (a.handler === SIG_IGN) return sig !== SIGKILL && sig !== SIGSTOP;
    if (a.handler !== SIG_DFL) return false;
    const d = defaultAction(sig);
    return d === 'ignore' || d === 'cont';
  }
}

/** A thread's own signal state. */
export class ThreadSignals {
  blocked: SigSet = emptySet();
  readonly pending = new PendingSignals();
  altStack: AltStack = { sp: 0, flags: SS_DISABLE, size: 0 };
  /**
   * sigsuspend / pselect: the mask to put back once a handler has run (the handler's frame
   * saves this one, not the temporary mask).
   */
  savedMask: SigSet | null = null;

  /** True if `sp` lies on the enabled alternate stack. */
  onAltStack(sp: number): boolean {
    const a = this.altStack;
    const offset = (sp - a.sp) >>> 0;
    return (a.flags & SS_DISABLE) === 0 && offset > 0 && offset <= a.size;
  }
}
