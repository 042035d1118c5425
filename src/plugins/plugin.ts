// One loaded plugin: who it is (from its registration) and the global event callbacks it
// holds. Each plugin has at most one callback per event, as in QEMU: registering again
// replaces it, registering null removes it.

export type GlobalEvent =
  | 'exit'
  | 'flush'
  | 'vcpuInit'
  | 'vcpuExit'
  | 'vcpuIdle'
  | 'vcpuResume'
  | 'tbTrans'
  | 'syscall'
  | 'syscallReturn'
  | 'syscallFilter'
  | 'discontinuity';

export class LoadedPlugin {
  /** From register(); until then, the name the user typed. */
  name: string;
  apiVersion = 0;
  license = '';
  /** False once reset/uninstall has begun: its callbacks must stop firing. */
  active = true;
  readonly callbacks = new Map<GlobalEvent, (...args: never[]) => unknown>();

  constructor(
    /** Number in load order (0, 1, ...). */
    readonly id: number,
    /** The -plugin value as typed, used in messages until the plugin names itself. */
    readonly typed: string,
    /** Absolute path of the module. */
    readonly path: string,
  ) {
    this.name = typed;
  }
}
