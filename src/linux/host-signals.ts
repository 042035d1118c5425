// Host signals delivered to the guest, as qemu-arm forwards them: Ctrl-C (SIGINT), SIGTERM,
// SIGHUP, ... sent to tsqemu become the same signal sent to the guest process, which runs
// its handler or takes the default action (ending with 128 + n). Node's own reactions
// (exit on SIGINT/SIGTERM) are replaced for as long as the guest runs.
import { constants } from 'node:os';
import type { LinuxProcess } from './process.js';
import { sendToProcess } from './signal-delivery.js';
import { SI_USER } from './signals.js';

/** Host signals forwarded (the ones a terminal, a shell or a supervisor sends). */
const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGWINCH', 'SIGCONT'];

/** Start forwarding; returns the function that stops it. */
export function forwardHostSignals(proc: LinuxProcess): () => void {
  const listeners = FORWARDED.map((name) => {
    const signo = constants.signals[name];
    const listener = () => sendToProcess(proc, { signo, code: SI_USER, pid: 0, uid: 0 });
    process.on(name, listener);
    return () => process.off(name, listener);
  });
  return () => {
    for (const off of listeners) off();
  };
}
