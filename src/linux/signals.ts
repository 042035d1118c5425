// Guest signal state: dispositions (rt_sigaction), the blocked mask (rt_sigprocmask) and the
// alternate stack (sigaltstack). Delivery to guest handlers comes later; for now a signal
// whose action is the default and terminates the process ends it the way qemu-arm does.
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

export class SignalState {
  /** Index = signal number (1..64). */
  readonly actions: GuestSigaction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0, restorer: 0, mask: [0, 0] as [number, number] }));
  /** Blocked mask, [signals 1-32, signals 33-64] as bit (sig-1). */
  blocked: [number, number] = [0, 0];
  altStack = { sp: 0, flags: 2 /* SS_DISABLE */, size: 0 };

  /** True if `sig` arriving now would end the process (default action term/core). */
  isFatal(sig: number): boolean {
    const a = this.actions[sig];
    if (sig === SIGKILL) return true;
    if (!a || a.handler !== SIG_DFL) return false;
    const d = defaultAction(sig);
    return d === 'term' || d === 'core';
  }
}
