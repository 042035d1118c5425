// Wait queues: how a file tells whoever waits on it (a blocked read, poll, select, an epoll
// instance watching it) that its state may have changed. A waker does not say what changed;
// waiters look again (readiness is always recomputed from the file's state). A waker may pass
// the poll events the change concerns as a hint (0 = any); epoll uses it to skip edge-
// triggered items the change does not concern.

export class WaitQueue {
  private readonly subs = new Set<(events: number) => void>();

  /** Call `fn` at every wake until the returned function is called. */
  subscribe(fn: (events: number) => void): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }

  get waiting(): boolean {
    return this.subs.size > 0;
  }

  wake(events = 0): void {
    if (this.subs.size === 0) return;
    for (const fn of [...this.subs]) fn(events);
  }

  /** Resolves at the next wake. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      const un = this.subscribe(() => {
        un();
        resolve();
      });
    });
  }
}

/** Per-process queue woken whenever a signal is queued for the process or one of its threads (signalfd). */
const signalQueues = new WeakMap<object, WaitQueue>();

export function signalQueue(proc: object): WaitQueue {
  let q = signalQueues.get(proc);
  if (!q) {
    q = new WaitQueue();
    signalQueues.set(proc, q);
  }
  return q;
}
