// Child processes of a guest process and how it waits for them (wait4, waitid). A child
// is either a vfork child still sharing the parent's memory (until it execs or exits) or a
// host process running tsqemu-arm for the program it exec'd. Its end is recorded as a
// kernel wait status and announced with SIGCHLD.
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { LinuxProcess } from './process.js';
import { sendToProcess } from './signal-delivery.js';
import { CLD_EXITED, CLD_KILLED, SIGCHLD } from './signals.js';

export interface ChildEnd {
  /** The kernel's wait status: exit code << 8, or the signal number. */
  status: number;
  /** For SIGCHLD / waitid: CLD_EXITED or CLD_KILLED, and the exit code or signal. */
  code: number;
  value: number;
}

interface Child {
  pid: number;
  end: ChildEnd | null;
  /** Run by this emulator (fork, vfork before exec): where signals for it go. */
  proc: LinuxProcess | null;
}

export class Children {
  private readonly children = new Map<number, Child>();
  private waiters: (() => void)[] = [];

  constructor(private readonly proc: LinuxProcess) {}

  add(pid: number, proc: LinuxProcess | null = null): void {
    this.children.set(pid, { pid, end: null, proc });
  }

  /** The running child process with this pid, if this emulator runs it. */
  process(pid: number): LinuxProcess | null {
    const c = this.children.get(pid);
    return c && !c.end ? c.proc : null;
  }

  /** The children this emulator runs that have not ended. */
  running(): LinuxProcess[] {
    return [...this.children.values()].flatMap((c) => (!c.end && c.proc ? [c.proc] : []));
  }

  /** A vfork child took a new pid when it exec'd (the host child's). */
  rename(oldPid: number, newPid: number): void {
    const c = this.children.get(oldPid);
    if (!c) return;
    this.children.delete(oldPid);
    c.pid = newPid;
    c.proc = null; // now a host process: signals reach it through the host
    this.children.set(newPid, c);
  }

  /** The child ended: remember its status, wake waiters, send SIGCHLD. */
  ended(pid: number, end: ChildEnd): void {
    const c = this.children.get(pid);
    if (!c || c.end) return;
    c.end = end;
    // Waiters first: a wait4 parked for this child returns it rather than EINTR.
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
    sendToProcess(this.proc, { signo: SIGCHLD, code: end.code, pid, uid: this.proc.uid, status: end.value });
  }

  /** Follow a host child process until it exits. */
  watch(pid: number, child: ChildProcess): void {
    child.on('exit', (code, signal) => this.ended(pid, hostEnd(code, signal)));
  }

  /**
   * The first ended child matching `pid` (-1 or 0: any), removed unless `keep`; 'none' when
   * no child matches at all (ECHILD), null when matching children are still running.
   */
  reap(pid: number, keep = false): { pid: number; end: ChildEnd } | 'none' | null {
    let any = false;
    for (const c of this.children.values()) {
      if (pid > 0 && c.pid !== pid) continue;
      any = true;
      if (c.end) {
        if (!keep) this.children.delete(c.pid);
        return { pid: c.pid, end: c.end };
      }
    }
    return any ? null : 'none';
  }

  /** Resolves at the next child end. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** A guest ended by signal `sig` as a wait status (no core dump, as under qemu-arm). */
export function signalEnd(sig: number): ChildEnd {
  return { status: sig & 0x7f, code: CLD_KILLED, value: sig };
}

/** A guest exit code as a wait status. */
export function exitEnd(code: number): ChildEnd {
  return { status: (code & 0xff) << 8, code: CLD_EXITED, value: code & 0xff };
}

/**
 * A host tsqemu-arm child's end. A host signal shows as that signal; a guest the child
 * emulator ended by a signal shows as its exit status 128 + n (a shell's $? is the same).
 */
function hostEnd(code: number | null, signal: NodeJS.Signals | null): ChildEnd {
  if (signal) return signalEnd(constants.signals[signal]);
  return exitEnd(code ?? 0);
}
