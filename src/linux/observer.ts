// What the Linux layer tells an observer (the plugin host) about a guest process: each
// syscall on its way in and out, with the chance to answer it instead of running it. The
// process calls these only when an observer is configured, so without plugins nothing runs.
import type { Vcpu } from '../engine/vcpu.js';

export interface ProcessObserver {
  /** Before the syscall (and before -strace prints it). `args` are the raw unsigned register values. */
  syscall(vcpu: Vcpu, nr: number, args: readonly number[]): void;
  /** After -strace printed the call: a number here is the result, and the real syscall is skipped. */
  syscallFilter(vcpu: Vcpu, nr: number, args: readonly number[]): number | undefined;
  /** After the result is stored in the guest's registers (not for exit/exit_group). */
  syscallReturn(vcpu: Vcpu, nr: number, result: number): void;
  /** A new guest thread starts on its own vCPU (the main one is announced by whoever starts it). */
  threadStart?(vcpu: Vcpu): void;
  /** A guest thread exited (exit(2), not exit_group). */
  threadExit?(vcpu: Vcpu): void;
  /**
   * Control left the instruction stream for a signal: delivery to a handler ('exception' for
   * a fault of the instruction at `from`, 'interrupt' for any other signal) and the handler's
   * return through sigreturn ('interrupt'); guest addresses.
   */
  discontinuity?(vcpu: Vcpu, type: 'interrupt' | 'exception', from: number, to: number): void;
}
