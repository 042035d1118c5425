// A guest Linux process: its fd table, memory map, signal state, and the exec loop that runs
// the main vCPU, services its syscalls and ends it the way qemu-arm does.
import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
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
import { SignalState, SIGBUS, SIGILL, SIGSEGV, SIGTRAP, fatalSignalMessage } from './signals.js';
import { Strace } from './strace.js';
import { GuestExit, SyscallRegistry, type SyscallContext, type SyscallTable } from './syscalls.js';
import { fsSyscalls } from './sys/fs.js';
import { fsPathSyscalls } from './sys/fs-path.js';
import { mmSyscalls } from './sys/mm.js';
import { processSyscalls, Rlimits, hostRelease } from './sys/process.js';
import { timeSyscalls } from './sys/time.js';
import { signalSyscalls } from './sys/signal.js';
import { FutexTable, futexSyscalls } from './sys/futex.js';
import { miscSyscalls } from './sys/misc.js';
import { hostRandom, type RandomSource } from './random.js';

export interface ProcessConfig {
  target: Target;
  mem: GuestMemory;
  engine: Engine;
  log: Logger;
  cpu: CpuModel;
  /** Host path of the guest program (for /proc/self/exe). */
  exePath: string;
  /** Guest argv (argv[0] as the guest sees it). */
  argv: string[];
  /** -L prefix: absolute guest paths that exist under it are opened from there. */
  ldPrefix?: string;
  /** -strace or -d strace. */
  strace: boolean;
  /** Initial program break (end of bss, page-rounded up). */
  brk: number;
  /** Where the mmap allocator starts searching (default 0x40000000). */
  mmapBase?: number;
  /** Sees every syscall (plugins); absent without plugins. */
  observer?: ProcessObserver;
  /** What getrandom(2) draws from (default: the host's CSPRNG; -seed: a seeded stream). */
  random?: RandomSource;
}

/** Every generic syscall table; the target adds its private ones through its LinuxAbi. */
export const GENERIC_SYSCALLS: readonly SyscallTable[] = [
  fsSyscalls, fsPathSyscalls, mmSyscalls, processSyscalls, timeSyscalls, signalSyscalls, futexSyscalls, miscSyscalls,
];

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
  readonly fds = FdTable.withStdio();
  readonly mmap: MmapAllocator;
  readonly signals = new SignalState();
  readonly futexes = new FutexTable();
  readonly rlimits = new Rlimits();
  readonly random: RandomSource;
  readonly pid = process.pid;
  readonly uid = process.getuid?.() ?? 0;
  readonly gid = process.getgid?.() ?? 0;
  readonly unameRelease = hostRelease();
  readonly brkStart: number;
  brkCur: number;
  clearChildTid = 0;
  commName: string;
  private readonly registry: SyscallRegistry;
  private readonly strace: Strace | null;
  private readonly observer: ProcessObserver | undefined;

  constructor(cfg: ProcessConfig) {
    this.target = cfg.target;
    this.abi = cfg.target.linux;
    this.mem = cfg.mem;
    this.engine = cfg.engine;
    this.log = cfg.log;
    this.cpu = cfg.cpu;
    this.exePath = resolve(cfg.exePath);
    this.argv = cfg.argv;
    this.ldPrefix = cfg.ldPrefix;
    this.random = cfg.random ?? hostRandom;
    this.brkStart = cfg.brk >>> 0;
    this.brkCur = this.brkStart;
    this.mmap = new MmapAllocator(cfg.mem, cfg.mmapBase ?? DEFAULT_MMAP_BASE);
    this.commName = (cfg.argv[0] ?? cfg.exePath).split('/').pop()!.slice(0, 15);
    this.registry = new SyscallRegistry(this.abi, GENERIC_SYSCALLS);
    this.strace = cfg.strace ? new Strace(cfg.mem, this.abi.openFlags) : null;
    this.observer = cfg.observer;
  }

  /**
   * Run the main vCPU (registers, SP, PC already set by the loader) until the guest exits.
   * Resolves with the host exit status: the guest's exit code & 0xff, or 128 + signal.
   */
  async run(vcpu: Vcpu): Promise<number> {
    try {
      await this.loop(vcpu);
      return 0; // not reached: the loop only ends by GuestExit
    } catch (e) {
      if (e instanceof GuestExit) return e.status;
      throw e;
    }
  }

  private async loop(vcpu: Vcpu): Promise<void> {
    const ctx: SyscallContext = { proc: this, mem: this.mem, vcpu, abi: this.abi };
    for (;;) {
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
        case EXIT_FAULT:
          this.log.log('int', `guest fault at 0x${(this.mem.lastFault.address >>> 0).toString(16)} (${this.mem.lastFault.kind}${this.mem.lastFault.write ? ', write' : ''})\n`);
          return this.terminateBySignal(this.mem.lastFault.kind === 'alignment' ? SIGBUS : SIGSEGV);
        case EXIT_UNDEFINED:
          return this.terminateBySignal(SIGILL);
        case EXIT_BREAKPOINT:
          return this.terminateBySignal(SIGTRAP);
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
    return this.syscall({ proc: this, mem: this.mem, vcpu, abi: this.abi });
  }

  private syscall(ctx: SyscallContext): number | Promise<number> {
    const abi = this.abi;
    const state = ctx.vcpu.state;
    const nr = abi.syscallNumber(state);
    const args = [0, 1, 2, 3, 4, 5].map((i) => abi.syscallArg(state, i));
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
    const r = filtered ?? this.registry.call(sys, ctx, args);
    const done = (v: number) => {
      if (strace) this.log.write(strace.formatReturn(sys.name, v, args));
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
    const msg = fatalSignalMessage(sig);
    if (msg) writeSync(2, msg);
    throw new GuestExit(128 + sig);
  }
}
