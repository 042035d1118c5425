// A guest process with no program, for tests that drive the Linux layer one syscall at a
// time: guest memory with a read-write data area, the target's special pages, an engine,
// a LinuxProcess and one vCPU; `call(name, ...args)` sets r7 and r0-r5 as an `svc 0` would.
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../memory/guest-memory.js';
import { Engine } from '../../engine/engine.js';
import { Vcpu } from '../../engine/vcpu.js';
import { Logger } from '../../log/log.js';
import { arm } from '../../../targets/arm/index.js';
import { LinuxProcess, type ProcessConfig } from '../process.js';

/** Start of the read-write data area tests put their buffers in. */
export const DATA = 0x20000;
/** Where the vCPU's pc starts (mapped read+exec when `code` is set). */
export const CODE = 0x10000;

export const NR: Readonly<Record<string, number>> = Object.fromEntries([...arm.linux.syscallNames].map(([n, name]) => [name, n]));

export interface HarnessOptions {
  /** Bytes of the data area (default 0x4000). */
  dataSize?: number;
  /** Map a page of code at CODE. */
  code?: boolean;
  /** CPU model (default: the target's default). */
  cpu?: string;
  /** Process settings beyond the defaults (argv, image, ...). */
  process?: Partial<ProcessConfig>;
}

export function syscallHarness(options: HarnessOptions = {}) {
  const mem = new GuestMemory();
  mem.protect(DATA, options.dataSize ?? 0x4000, PROT_READ | PROT_WRITE);
  if (options.code) mem.protect(CODE, 0x1000, PROT_READ | PROT_EXEC);
  arm.linux.mapSpecialPages(mem);
  const cpu = arm.cpuModels.find((m) => m.name === (options.cpu ?? arm.defaultCpu))!;
  const log = new Logger();
  const engine = new Engine(arm, mem, log, { cpu, maxInsnsPerBlock: 64, maxBlocksPerRegion: 8, sliceBlocks: 10000, symbolize: () => '' });
  const proc = new LinuxProcess({ target: arm, mem, engine, log, cpu, exePath: '/bin/true', argv: ['true'], strace: false, brk: 0x30000, ...options.process });
  const vcpu = new Vcpu(0, arm);
  arm.linux.initThread(vcpu.state, CODE, DATA + 0x3000);
  const call = (name: string, ...args: number[]) => {
    vcpu.state[7] = NR[name]!;
    args.forEach((a, i) => (vcpu.state[i] = a | 0));
    return proc.handleSyscall(vcpu);
  };
  return { mem, proc, vcpu, call };
}
