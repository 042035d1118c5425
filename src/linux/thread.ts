// A guest thread: one vCPU plus what the kernel keeps per task (thread id, signal mask and
// pending set, alternate stack, clear_child_tid) and what the exec loop needs to park it.
import type { Vcpu } from '../engine/vcpu.js';
import { ThreadSignals } from './signals.js';

export class GuestThread {
  readonly signals = new ThreadSignals();
  /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits. */
  clearChildTid = 0;
  /** set_robust_list: the head of the robust futex list walked when the thread exits (0: none). */
  robustList = { head: 0, len: 0 };
  /** The syscall's first argument register as it was on entry (restarting needs it back). */
  origArg0 = 0;
  /** The last syscall returned -ERESTARTSYS: restart it or make it EINTR at delivery. */
  restartPending = false;
  /** Count of blocking syscalls made; `cancelledUpTo` marks those abandoned for a signal. */
  private callSeq = 0;
  private cancelledUpTo = 0;
  /** Called when a signal becomes deliverable to this thread while it is parked. */
  private wakers: (() => void)[] = [];
  exited = false;

  constructor(
    readonly tid: number,
    readonly vcpu: Vcpu,
  ) {}

  /**
   * For a blocking call about to park: a function that turns true once the call has been
   * abandoned because a signal interrupted it (it must then leave guest state untouched).
   */
  cancelToken(): () => boolean {
    const seq = ++this.callSeq;
    return () => this.cancelledUpTo >= seq;
  }

  /** The blocking call in progress was interrupted by a signal. */
  cancelBlockedCall(): void {
    this.cancelledUpTo = this.callSeq;
  }

  /** A promise that settles at the next signal sent to this thread (or its process). */
  nextSignal(): { promise: Promise<void>; cancel: () => void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.wakers.push(wake);
    return {
      promise,
      cancel: () => {
        const i = this.wakers.indexOf(wake);
        if (i >= 0) this.wakers.splice(i, 1);
      },
    };
  }

  /** A signal arrived: stop the running region and wake a parked wait. */
  kick(): void {
    this.vcpu.interrupt();
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }
}
