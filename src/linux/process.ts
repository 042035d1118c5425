// A guest Linux process: its fd table, memory map, signal state, and the exec loop that runs
// the main vCPU, services its syscalls and ends it the way qemu-arm does.
import { writeSync } from 'node:fs';
import type { CpuModel, Target } from '../engine/target.js';
import type { Engine } from '../engine/engine.js';
import type { Vcpu } from '../engine/vcpu.js';
import type { GuestMemory } from '../memory/guest-memory.js';
import type { Logger } from '../log/log.js';
import { EXIT_BREAKPOINT, EXIT_FAULT, EXIT_HALT, EXIT_NEXT, EXIT_SYSCALL, EXIT_UNDEFINED } from '../engine/exits.js';
import { DEFAULT_MMAP_BASE, MmapAllocator } from '../memory/mmap-allocator.js';
import type { LinuxAbi } from './abi.js';
import { FdTable } from './fd-table.js';
import type { ProcessObserver } from './observer.js';
import { ILL_ILLOPN, SEGV_ACCERR, SEGV_MAPERR, BUS_ADRALN, SI_USER, SIGBUS, SIGILL, SIGPIPE, SIGSEGV, SIGTRAP, SignalState, TRAP_BRKPT, fatalSignalMessage } from './signals.js';
import { ERESTARTSYS, deliverNext, forceSignal, interruptibleCall, sendToThread } from './signal-delivery.js';
import { forwardHostSignals } from './host-signals.js';
import { GuestThread } from './thread.js';
import { EINTR, EPIPE } from './errno.js';
import { isGuestFault, type FaultKind } from '../memory/guest-memory.js';
import { Strace } from './strace.js';
import { GuestExit, SYSCALL_NO_RESULT, SyscallRegistry, ThreadExit, type SyscallContext, type SyscallTable } from './syscalls.js';
import { fsSyscalls } from './sys/fs.js';
import { fsPathSyscalls } from './sys/fs-path.js';
import { mmSyscalls } from './sys/mm.js';
import { processSyscalls, Rlimits, hostRelease } from './sys/process.js';
import { timeSyscalls } from './sys/time.js';
import { fsMetaSyscalls } from './sys/fs-meta.js';
import { schedSyscalls } from './sys/sched.js';
import { prctlSyscalls } from './sys/prctl.js';
import { copySyscalls } from './sys/copy.js';
import { signalSyscalls } from './sys/signal.js';
import { IntervalTimers, itimerSyscalls } from './sys/itimer.js';
import { PosixTimers, timerSyscalls } from './sys/timer.js';
import { FutexTable, exitRobustList, futexSyscalls } from './sys/futex.js';
import { threadSyscalls } from './sys/thread.js';
import { xattrSyscalls } from './sys/xattr.js';
import { execSyscalls } from './sys/exec.js';
import { pollSyscalls } from './sys/poll.js';
import { eventfdSyscalls } from './sys/eventfd.js';
import { timerfdSyscalls } from './sys/timerfd.js';
import { signalfdSyscalls } from './sys/signalfd.js';
import { epollSyscalls } from './sys/epoll.js';
import { socketSyscalls } from './sys/socket.js';
import { Children, exitEnd, signalEnd, type ChildEnd } from './children.js';
import type { ChildProcess } from 'node:child_process';
import { miscSyscalls } from './sys/misc.js';
import { hostRandom, type RandomSource } from './random.js';
import { EMPTY_IMAGE, bootTicks, hostProcessGroup, realPath, type ProcessImage } from './proc-files.js';

export interface ProcessConfig {
  target: Target;
  mem: GuestMemory;
  engine: Engine;
  log: Logger;
  cpu: CpuModel;
  /** Host path of the guest program (/proc/self/exe names it with symlinks resolved). */
  exePath: string;
  /** Guest argv (argv[0] as the guest sees it). */
  argv: string[];
  /** -L prefix: absolute guest paths that exist under it are opened from there. */
  ldPrefix?: string;
  /** -strace or -d strace. */
  strace: boolean;
  /** Options exec'd ARM programs get besides -L and -cpu (-follow-exec). */
  execOptions?: readonly string[];
  /** Initial program break (end of bss, page-rounded up). */
  brk: number;
  /** Where the mmap allocator starts searching (default 0x40000000). */
  mmapBase?: number;
  /** Sees every syscall (plugins); absent without plugins. */
  observer?: ProcessObserver;
  /** What getrandom(2) draws from (default: the host's CSPRNG; -seed: a seeded stream). */
  random?: RandomSource;
  /** What the loader laid out (auxv, stack and segment addresses) for /proc/self. */
  image?: ProcessImage;
  /**
   * A child process run by this emulator: its parent, pid and files; `vfork` if it shares the
   * parent's memory until it execs or exits (otherwise it has a copy: fork).
   */
  child?: { parent: LinuxProcess; pid: number; fds: FdTable; vfork: boolean };
}

/** Every generic syscall table; the target adds its private ones through its LinuxAbi. */
export const GENERIC_SYSCALLS: readonly SyscallTable[] = [
  fsSyscalls, fsPathSyscalls, mmSyscalls, processSyscalls, timeSyscalls, signalSyscalls, itimerSyscalls, timerSyscalls, fsMetaSyscalls, schedSyscalls, prctlSyscalls, copySyscalls, threadSyscalls, xattrSyscalls, execSyscalls, pollSyscalls, futexSyscalls, miscSyscalls,
  eventfdSyscalls, timerfdSyscalls, signalfdSyscalls, epollSyscalls, socketSyscalls,
];

/** The signal a memory fault raises, and its si_code. */
const FAULT_SIGNALS: Record<FaultKind, { signo: number; code: number }> = {
  unmapped: { signo: SIGSEGV, code: SEGV_MAPERR },
  protection: { signo: SIGSEGV, code: SEGV_ACCERR },
  alignment: { signo: SIGBUS, code: BUS_ADRALN },
};

/** Syscalls that raise SIGPIPE when they fail with EPIPE (a write to a pipe nobody reads). */
// (send, sendto, sendmsg and sendmmsg raise it themselves: not with MSG_NOSIGNAL.)
const RAISES_SIGPIPE = new Set(['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'splice', 'vmsplice', 'sendfile', 'sendfile64']);

/**
 * Blocking syscalls that wait for signals themselves (and return EINTR their own way), or
 * that must not be abandoned half-way (a vfork parent waits for its child to exec).
 */
const SIGNAL_AWARE = new Set(['rt_sigsuspend', 'pause', 'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'nanosleep', 'clock_nanosleep', 'clock_nanosleep_time64', 'clone', 'vfork', 'execve', 'poll', 'ppoll', 'ppoll_time64',
  'select', '_newselect', 'pselect6', 'pselect6_time64', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2',
]);

/** Pids of the children this emulator runs (a vfork child's until it execs: then its host process's). */
let nextChildPid = process.pid + 100000;

export class LinuxProcess {
  readonly target: Target;
  readonly abi: LinuxAbi;
  readonly mem: GuestMemory;
  readonly engine: Engine;
  readonly log: Logger;
  readonly cpu: CpuModel;
  readonly exePath: string;
  readonly argv: readonly string[];
  readonly ldPrefix: string | undefined;
  readonly execOptions: readonly string[];
  readonly fds: FdTable;
  readonly mmap: MmapAllocator;
  readonly signals = new SignalState();
  readonly threads = new Map<number, GuestThread>();
  private readonly byVcpu = new Map<Vcpu, GuestThread>();
  /** Interval timers (setitimer, alarm). */
  readonly timers = new IntervalTimers(this);
  /** POSIX timers (timer_create). */
  readonly posixTimers = new PosixTimers(this);
  /** The signal that ended the process, if one did (a parent's wait4 reports it). */
  killedBy: number | null = null;
  /** Set once the process has ended (exit_group or a fatal signal): every thread stops. */
  exitStatus: number | null = null;
  private finish: (status: number) => void = () => {};
  private fail: (e: unknown) => void = () => {};
  readonly futexes = new FutexTable();
  readonly rlimits = new Rlimits();
  readonly random: RandomSource;
  readonly pid: number;
  readonly children = new Children(this);
  /** Set in a child process this emulator runs (fork, vfork): its parent. */
  readonly parent: LinuxProcess | null;
  /** Set in a vfork child: the process suspended until this one execs or exits. */
  readonly vforkParent: LinuxProcess | null;
  private vforkRelease: ((pid: number) => void) | null = null;
  private readonly cfg: ProcessConfig;
  readonly uid = process.getuid?.() ?? 0;
  readonly gid = process.getgid?.() ?? 0;
  readonly unameRelease = hostRelease();
  readonly brkStart: number;
  brkCur: number;
  commName: string;
  readonly image: ProcessImage;
  /** Process group and session (setpgid, setsid); a child starts in its parent's. */
  pgid: number;
  sid: number;
  /** Nice value (setpriority). */
  nice = 0;
  /** When the process started, in clock ticks since boot (/proc/self/stat starttime). */
  readonly startTicks = bootTicks();
  private readonly registry: SyscallRegistry;
  private readonly strace: Strace | null;
  private readonly observer: ProcessObserver | undefined;

  constructor(cfg: ProcessConfig) {
    this.cfg = cfg;
    this.pid = cfg.child?.pid ?? process.pid;
    this.fds = cfg.child?.fds ?? FdTable.withStdio();
    this.parent = cfg.child?.parent ?? null;
    this.vforkParent = cfg.child?.vfork ? cfg.child.parent : null;
    this.target = cfg.target;
    this.abi = cfg.target.linux;
    this.mem = cfg.mem;
    this.engine = cfg.engine;
    this.log = cfg.log;
    this.cpu = cfg.cpu;
    this.exePath = realPath(cfg.exePath);
    this.argv = cfg.argv;
    this.ldPrefix = cfg.ldPrefix;
    this.execOptions = cfg.execOptions ?? [];
    this.random = cfg.random ?? hostRandom;
    this.brkStart = cfg.brk >>> 0;
    this.brkCur = this.brkStart;
    this.mmap = new MmapAllocator(cfg.mem, cfg.mmapBase ?? DEFAULT_MMAP_BASE);
    this.commName = (cfg.argv[0] ?? cfg.exePath).split('/').pop()!.slice(0, 15);
    this.image = cfg.image ?? EMPTY_IMAGE;
    const ids = cfg.child ? { pgid: cfg.child.parent.pgid, sid: cfg.child.parent.sid, nice: cfg.child.parent.nice } : hostProcessGroup();
    this.pgid = ids.pgid;
    this.sid = ids.sid;
    this.nice = ids.nice;
    this.registry = new SyscallRegistry(this.abi, GENERIC_SYSCALLS);
    this.strace = cfg.strace ? new Strace(cfg.mem, this.abi.openFlags) : null;
    this.observer = cfg.observer;
  }

  /**
   * Run the main vCPU (registers, SP, PC already set by the loader) until the guest exits.
   * Resolves with the host exit status: the guest's exit code & 0xff, or 128 + signal.
   */
  async run(vcpu: Vcpu): Promise<number> {
    const main = this.threadOf(vcpu);
    // Host signals are for the process the user started, not for its children.
    const unforward = this.parent ? () => {} : forwardHostSignals(this);
    // A guest blocked for good (a read nobody will satisfy) waits like it would under Linux,
    // instead of node exiting because its event loop has nothing left to do.
    const keepAlive = setInterval(() => {}, 2 ** 30);
    try {
      return await new Promise<number>((resolve, reject) => {
        this.finish = (status) => {
          if (this.exitStatus === null) this.exitStatus = status;
          resolve(this.exitStatus);
        };
        this.fail = reject;
        this.startThread(main);
      });
    } finally {
      unforward();
      clearInterval(keepAlive);
      this.timers.cancelAll();
      this.posixTimers.cancelAll();
    }
  }

  /**
   * vfork / clone(CLONE_VM | CLONE_VFORK): run `vcpu` as a child process sharing this one's
   * memory, with copies of its files and signal handlers. Resolves with the child's pid once
   * it has exec'd or exited (the parent thread stays parked until then, as under Linux).
   */
  vfork(vcpu: Vcpu, caller: GuestThread): Promise<number> {
    const pid = nextChildPid++;
    const child = this.makeChild(this.cfg, vcpu, caller, pid, true);
    return new Promise((resolve) => {
      child.vforkRelease = resolve;
      // Started from the event loop, after the parent's syscall is parked.
      setImmediate(() => {
        child.run(vcpu).then(
          (status) => {
            if (child.vforkRelease) {
              // exited without exec: a child that ended with _exit(status)
              child.vforkRelease(pid);
              child.vforkRelease = null;
              child.fds.closeAll();
              this.children.ended(pid, child.endState(status));
            }
          },
          (e: unknown) => this.fail(e),
        );
      });
    });
  }

  /**
   * fork / clone without CLONE_VM: a child process with a copy of this one's memory (in a new
   * address space with its own translation cache), files and signal handlers, running
   * `vcpu` concurrently with the parent in this emulator. Returns its pid.
   */
  fork(vcpu: Vcpu, caller: GuestThread, mem: GuestMemory, engine: Engine): number {
    const pid = nextChildPid++;
    // Plugins do not follow a fork (their state cannot be copied): the child's code runs
    // uninstrumented (its engine has no instrumenter), so its syscalls are not reported either.
    const child = this.makeChild({ ...this.cfg, mem, engine, brk: this.brkStart, observer: undefined }, vcpu, caller, pid, false);
    child.brkCur = this.brkCur;
    setImmediate(() => {
      child.run(vcpu).then(
        (status) => {
          child.fds.closeAll();
          this.children.ended(pid, child.endState(status));
        },
        (e: unknown) => this.fail(e),
      );
    });
    return pid;
  }

  /** The parent's pid (getppid): the emulated parent's, else the host process's parent. */
  parentPid(): number {
    return this.parent?.pid ?? process.ppid;
  }

  /** How this process ended, as its parent's wait4 sees it. */
  private endState(status: number): ChildEnd {
    return this.killedBy === null ? exitEnd(status) : signalEnd(this.killedBy);
  }

  /** A child process of this one (fork, vfork) with copies of its files, handlers and mask. */
  private makeChild(cfg: ProcessConfig, vcpu: Vcpu, caller: GuestThread, pid: number, vfork: boolean): LinuxProcess {
    const child = new LinuxProcess({ ...cfg, child: { parent: this, pid, fds: this.fds.copy(), vfork } });
    child.signals.actions.splice(0, child.signals.actions.length, ...this.signals.actions.map((a) => ({ ...a, mask: [a.mask[0], a.mask[1]] as [number, number] })));
    const thread = child.threadOf(vcpu);
    thread.signals.blocked = caller.signals.blocked;
    thread.signals.altStack = { ...caller.signals.altStack };
    this.children.add(pid, child);
    return child;
  }

  /** In a vfork child: the program it exec'd runs as host process `host`; the parent resumes. */
  execedAs(host: ChildProcess): void {
    const parent = this.vforkParent!;
    const pid = host.pid ?? this.pid;
    parent.children.rename(this.pid, pid);
    parent.children.watch(pid, host);
    this.vforkRelease?.(pid);
    this.vforkRelease = null;
  }

  /** Threads that have not exited, main thread first. */
  liveThreads(): GuestThread[] {
    return [...this.threads.values()].filter((t) => !t.exited);
  }

  /** The thread running on `vcpu` (made on first use: the main thread gets the pid as tid). */
  threadOf(vcpu: Vcpu): GuestThread {
    let t = this.byVcpu.get(vcpu);
    if (!t) {
      t = new GuestThread(this.threads.size === 0 ? this.pid : this.pid + this.threads.size, vcpu);
      this.threads.set(t.tid, t);
      this.byVcpu.set(vcpu, t);
    }
    return t;
  }

  /** Index for the next vCPU (plugins and logs number them from 0, the main one). */
  nextVcpuIndex(): number {
    return this.threads.size;
  }

  /** Tell the observer (plugins) that control jumped for a signal; see ProcessObserver. */
  reportDiscontinuity(vcpu: Vcpu, type: 'interrupt' | 'exception', fromKey: number, toKey: number): void {
    this.observer?.discontinuity?.(vcpu, type, this.target.keyToAddress(fromKey), this.target.keyToAddress(toKey));
  }

  /** Start the exec loop of `thread`; exit_group or a fatal signal in it ends the process. */
  startThread(thread: GuestThread): void {
    if (thread.vcpu.index !== 0) this.observer?.threadStart?.(thread.vcpu);
    this.threadLoop(thread).catch((e: unknown) => {
      if (e instanceof ThreadExit) this.endThread(thread);
      else if (e instanceof GuestExit) this.finish(e.status);
      else this.fail(e);
    });
  }

  /** exit(2) of one thread: clear_child_tid is zeroed and its futex woken (pthread_join). */
  private endThread(thread: GuestThread): void {
    thread.exited = true;
    this.observer?.threadExit?.(thread.vcpu);
    exitRobustList(this, thread);
    const tidAddress = thread.clearChildTid;
    if (tidAddress !== 0) {
      try {
        this.mem.write32(tidAddress, 0);
        this.futexes.wake(tidAddress, 1);
      } catch (e) {
        if (!isGuestFault(e)) throw e;
      }
    }
  }

  private async threadLoop(thread: GuestThread): Promise<void> {
    const vcpu = thread.vcpu;
    const ctx: SyscallContext = { proc: this, mem: this.mem, vcpu, abi: this.abi, thread };
    while (this.exitStatus === null) {
      // Signals are acted on before guest code runs again, as on return to user mode.
      while (deliverNext(this, thread));
      const exit = this.engine.run(vcpu);
      switch (exit) {
        case EXIT_NEXT:
          // A slice is thousands of blocks: yielding after each one costs little and lets
          // timers, pipes and other vCPUs make progress.
          await new Promise<void>((r) => setImmediate(r));
          break;
        case EXIT_SYSCALL: {
          const r = this.syscall(ctx);
          if (typeof r !== 'number') await r;
          break;
        }
        case EXIT_FAULT: {
          const f = this.mem.lastFault;
          this.log.log('int', `guest fault at 0x${(f.address >>> 0).toString(16)} (${f.kind}${f.write ? ', write' : ''})\n`);
          const info = FAULT_SIGNALS[f.kind];
          forceSignal(this, thread, { signo: info.signo, code: info.code, addr: f.address });
          break;
        }
        case EXIT_UNDEFINED:
          forceSignal(this, thread, { signo: SIGILL, code: ILL_ILLOPN, addr: this.target.keyToAddress(vcpu.pc) });
          break;
        case EXIT_BREAKPOINT:
          forceSignal(this, thread, { signo: SIGTRAP, code: TRAP_BRKPT, addr: this.target.keyToAddress(vcpu.pc) });
          break;
        case EXIT_HALT:
          writeSync(2, `tsqemu: vCPU ${vcpu.index} halted at 0x${(this.target.keyToAddress(vcpu.pc) >>> 0).toString(16)}\n`);
          throw new GuestExit(1);
        default:
          throw new Error(`unknown exit code ${exit}`);
      }
    }
  }

  /**
   * Service the syscall `vcpu` stopped at (EXIT_SYSCALL): decode, trace, run, store the
   * result in its registers. Returns the result, or a promise of it for a blocking call.
   * Throws GuestExit when the call ends the process.
   */
  handleSyscall(vcpu: Vcpu): number | Promise<number> {
    return this.syscall({ proc: this, mem: this.mem, vcpu, abi: this.abi, thread: this.threadOf(vcpu) });
  }

  private syscall(ctx: SyscallContext): number | Promise<number> {
    const abi = this.abi;
    const state = ctx.vcpu.state;
    const nr = abi.syscallNumber(state);
    const args = [0, 1, 2, 3, 4, 5].map((i) => abi.syscallArg(state, i));
    ctx.thread.origArg0 = args[0]!;
    const sys = this.registry.resolve(nr);
    // Target-private syscalls are handled in the target's CPU loop in qemu-arm: not traced.
    const strace = sys.private ? null : this.strace;
    // The order is qemu-arm's: observer, strace, filter, the call, strace, observer. Like
    // strace, the observer does not see target-private calls (qemu-arm runs them in its CPU loop).
    const observer = sys.private ? undefined : this.observer;
    const raw = observer ? [...args.map((a) => a >>> 0), 0, 0] : [];
    observer?.syscall(ctx.vcpu, nr, raw);
    if (strace) this.log.write(`${this.pid} ${strace.formatCall(nr, sys.name, args)}`);
    const filtered = observer?.syscallFilter(ctx.vcpu, nr, raw);
    if (!sys.handler && filtered === undefined) this.log.log('unimp', `Unsupported syscall: ${nr}\n`);
    let r = filtered ?? this.registry.call(sys, ctx, args);
    // A call that parks can be interrupted by a signal, unless it handles signals itself.
    if (typeof r !== 'number' && !(sys.name !== undefined && SIGNAL_AWARE.has(sys.name))) r = interruptibleCall(this, ctx.thread, r);
    const done = (v: number) => {
      // sigreturn replaced every register: there is no result to store.
      if (v === SYSCALL_NO_RESULT) return v;
      if (strace) this.log.write(strace.formatReturn(sys.name, v, args));
      if (v === ERESTARTSYS) {
        // Woken by a signal: EINTR unless delivery decides to restart (deliverNext).
        ctx.thread.restartPending = true;
        v = -EINTR;
      }
      if (v === -EPIPE && sys.name !== undefined && RAISES_SIGPIPE.has(sys.name)) sendToThread(this, ctx.thread, { signo: SIGPIPE, code: SI_USER, pid: this.pid, uid: this.uid });
      abi.setSyscallResult(state, v);
      observer?.syscallReturn(ctx.vcpu, nr, v);
      return v;
    };
    return typeof r === 'number' ? done(r) : r.then(done);
  }

  /**
   * End the process as the default action of `sig` does: qemu-arm's message for a signal
   * that dumps core, then exit status 128 + sig. Never returns.
   */
  terminateBySignal(sig: number): never {
    this.killedBy = sig;
    const msg = fatalSignalMessage(sig);
    if (msg) writeSync(2, msg);
    throw new GuestExit(128 + sig);
  }
}
