// prctl and capabilities (capget/capset). What a process sets reads back, with the
// kernel's argument checks; options the emulator cannot honour (seccomp filters, PR_SET_MM)
// or that this architecture lacks (PR_GET_TSC, PR_GET_UNALIGN, ...) answer EINVAL as a
// kernel without them does. Capabilities start as the emulator process's own (the host's
// /proc/self/status), as qemu-arm passes capget through.
import type { LinuxProcess } from '../process.js';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EINVAL, EPERM, ESRCH } from '../errno.js';
import { NSIG } from '../signals.js';
import { hostCapabilities } from '../proc-files.js';

interface PrctlState {
  pdeathsig: number;
  dumpable: number;
  keepcaps: number;
  timerslackNs: number;
  childSubreaper: number;
  noNewPrivs: number;
  thpDisable: number;
  securebits: number;
}

interface Capabilities {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  bounding: bigint;
}

const DEFAULT_TIMERSLACK_NS = 50_000;
const CAP_LAST_CAP = 40;

const prctlStates = new WeakMap<LinuxProcess, PrctlState>();
const capabilities = new WeakMap<LinuxProcess, Capabilities>();

function state(proc: LinuxProcess): PrctlState {
  let s = prctlStates.get(proc);
  if (!s) {
    const parent = proc.parent ? prctlStates.get(proc.parent) : undefined;
    // A child keeps its parent's settings, except the death signal (cleared by fork).
    s = parent ? { ...parent, pdeathsig: 0 } : { pdeathsig: 0, dumpable: 1, keepcaps: 0, timerslackNs: DEFAULT_TIMERSLACK_NS, childSubreaper: 0, noNewPrivs: 0, thpDisable: 0, securebits: 0 };
    prctlStates.set(proc, s);
  }
  return s;
}

function caps(proc: LinuxProcess): Capabilities {
  let c = capabilities.get(proc);
  if (!c) {
    c = (proc.parent && capabilities.get(proc.parent)) ?? hostCapabilities() ?? { effective: 0n, permitted: 0n, inheritable: 0n, bounding: (1n << BigInt(CAP_LAST_CAP + 1)) - 1n };
    c = { ...c };
    capabilities.set(proc, c);
  }
  return c;
}

const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;
const PR_GET_KEEPCAPS = 7;
const PR_SET_KEEPCAPS = 8;
const PR_GET_TIMING = 13;
const PR_SET_TIMING = 14;
const PR_SET_NAME = 15;
const PR_GET_NAME = 16;
const PR_GET_SECCOMP = 21;
const PR_CAPBSET_READ = 23;
const PR_CAPBSET_DROP = 24;
const PR_GET_SECUREBITS = 27;
const PR_SET_SECUREBITS = 28;
const PR_SET_TIMERSLACK = 29;
const PR_GET_TIMERSLACK = 30;
const PR_TASK_PERF_EVENTS_DISABLE = 31;
const PR_TASK_PERF_EVENTS_ENABLE = 32;
const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_GET_NO_NEW_PRIVS = 39;
const PR_GET_TID_ADDRESS = 40;
const PR_SET_THP_DISABLE = 41;
const PR_GET_THP_DISABLE = 42;
const PR_CAP_AMBIENT = 47;
const PR_CAP_AMBIENT_IS_SET = 1;
const PR_CAP_AMBIENT_CLEAR_ALL = 4;
const PR_GET_AUXV = 0x41555856;

function prctl(ctx: SyscallContext, option: number, arg2: number, arg3: number, arg4: number, arg5: number): number {
  const proc = ctx.proc;
  const s = state(proc);
  const put = (value: number) => {
    ctx.mem.write32(arg2 >>> 0, value);
    return 0;
  };
  const noExtra = arg3 === 0 && arg4 === 0 && arg5 === 0;
  switch (option) {
    case PR_SET_PDEATHSIG:
      if (arg2 < 0 || arg2 > NSIG) return -EINVAL;
      s.pdeathsig = arg2;
      return 0;
    case PR_GET_PDEATHSIG:
      return put(s.pdeathsig);
    case PR_GET_DUMPABLE:
      return s.dumpable;
    case PR_SET_DUMPABLE:
      if (arg2 !== 0 && arg2 !== 1) return -EINVAL;
      s.dumpable = arg2;
      return 0;
    case PR_GET_KEEPCAPS:
      return s.keepcaps;
    case PR_SET_KEEPCAPS:
      if (arg2 !== 0 && arg2 !== 1) return -EINVAL;
      s.keepcaps = arg2;
      return 0;
    case PR_GET_TIMING:
      return 0; // PR_TIMING_STATISTICAL
    case PR_SET_TIMING:
      return arg2 === 0 ? 0 : -EINVAL;
    case PR_SET_NAME:
      proc.commName = Buffer.from(ctx.mem.readCStringBytes(arg2 >>> 0, 16).subarray(0, 15)).toString('latin1');
      return 0;
    case PR_GET_NAME: {
      const b = new Uint8Array(16);
      b.set(Buffer.from(proc.commName, 'latin1').subarray(0, 15));
      ctx.mem.writeBytes(arg2 >>> 0, b);
      return 0;
    }
    case PR_GET_SECCOMP:
      return 0;
    case PR_CAPBSET_READ:
      if (arg2 < 0 || arg2 > CAP_LAST_CAP) return -EINVAL;
      return Number((caps(proc).bounding >> BigInt(arg2)) & 1n);
    case PR_CAPBSET_DROP:
      if (arg2 < 0 || arg2 > CAP_LAST_CAP) return -EINVAL;
      if (proc.uid !== 0) return -EPERM;
      caps(proc).bounding &= ~(1n << BigInt(arg2));
      return 0;
    case PR_GET_SECUREBITS:
      return s.securebits;
    case PR_SET_SECUREBITS:
      if (proc.uid !== 0) return -EPERM;
      s.securebits = arg2;
      return 0;
    case PR_SET_TIMERSLACK:
      s.timerslackNs = arg2 === 0 ? DEFAULT_TIMERSLACK_NS : arg2 >>> 0;
      return 0;
    case PR_GET_TIMERSLACK:
      return s.timerslackNs;
    case PR_TASK_PERF_EVENTS_DISABLE:
    case PR_TASK_PERF_EVENTS_ENABLE:
      return 0;
    case PR_SET_CHILD_SUBREAPER:
      s.childSubreaper = arg2 !== 0 ? 1 : 0;
      return 0;
    case PR_GET_CHILD_SUBREAPER:
      return put(s.childSubreaper);
    case PR_SET_NO_NEW_PRIVS:
      if (arg2 !== 1 || !noExtra) return -EINVAL;
      s.noNewPrivs = 1;
      return 0;
    case PR_GET_NO_NEW_PRIVS:
      if (arg2 !== 0 || !noExtra) return -EINVAL;
      return s.noNewPrivs;
    case PR_GET_TID_ADDRESS:
      return put(ctx.thread.clearChildTid);
    case PR_SET_THP_DISABLE:
      if (!noExtra) return -EINVAL;
      s.thpDisable = arg2 !== 0 ? 1 : 0;
      return 0;
    case PR_GET_THP_DISABLE:
      if (arg2 !== 0 || !noExtra) return -EINVAL;
      return s.thpDisable;
    case PR_CAP_AMBIENT:
      // No ambient capabilities are ever raised here.
      if (arg2 === PR_CAP_AMBIENT_IS_SET) return arg3 < 0 || arg3 > CAP_LAST_CAP ? -EINVAL : 0;
      if (arg2 === PR_CAP_AMBIENT_CLEAR_ALL) return arg3 === 0 && arg4 === 0 && arg5 === 0 ? 0 : -EINVAL;
      return arg2 === 2 || arg2 === 3 ? -EPERM : -EINVAL;
    case PR_GET_AUXV: {
      if (arg4 !== 0 || arg5 !== 0) return -EINVAL;
      const auxv = proc.image.auxv;
      const n = Math.min(auxv.length, arg3 >>> 0);
      if (n > 0) ctx.mem.writeBytes(arg2 >>> 0, auxv.subarray(0, n));
      return auxv.length;
    }
    default:
      proc.log.log('unimp', `prctl: unsupported option ${option}\n`);
      return -EINVAL;
  }
}

// ---- capget / capset ----

const CAP_V1 = 0x19980330;
const CAP_V2 = 0x20071026;
const CAP_V3 = 0x20080522;

/** The number of 32-bit data structs for a header version, or -EINVAL (the kernel's preferred version written back). */
function capWords(ctx: SyscallContext, header: number): number {
  const version = ctx.mem.read32(header) >>> 0;
  if (version === CAP_V1) return 1;
  if (version === CAP_V2 || version === CAP_V3) return 2;
  ctx.mem.write32(header, CAP_V3);
  return -EINVAL;
}

function capget(ctx: SyscallContext, header: number, data: number): number {
  const words = capWords(ctx, header >>> 0);
  // Probing the version (no data pointer) succeeds either way.
  if (data === 0) return 0;
  if (words < 0) return words;
  const pid = ctx.mem.read32((header >>> 0) + 4) | 0;
  if (pid < 0) return -EINVAL;
  let c: Capabilities | null;
  if (pid === 0 || pid === ctx.proc.pid || ctx.proc.threads.has(pid)) c = caps(ctx.proc);
  else c = hostCapabilities(pid);
  if (!c) return -ESRCH;
  for (let i = 0; i < words; i++) {
    const shift = BigInt(32 * i);
    const word = (v: bigint) => Number((v >> shift) & 0xffffffffn);
    const at = (data >>> 0) + 12 * i;
    ctx.mem.write32(at, word(c.effective));
    ctx.mem.write32(at + 4, word(c.permitted));
    ctx.mem.write32(at + 8, word(c.inheritable));
  }
  return 0;
}

function capset(ctx: SyscallContext, header: number, data: number): number {
  const words = capWords(ctx, header >>> 0);
  if (words < 0) return words;
  const pid = ctx.mem.read32((header >>> 0) + 4) | 0;
  if (pid !== 0 && pid !== ctx.proc.pid) return -EPERM;
  let effective = 0n;
  let permitted = 0n;
  let inheritable = 0n;
  for (let i = 0; i < words; i++) {
    const at = (data >>> 0) + 12 * i;
    const shift = BigInt(32 * i);
    effective |= BigInt(ctx.mem.read32(at) >>> 0) << shift;
    permitted |= BigInt(ctx.mem.read32(at + 4) >>> 0) << shift;
    inheritable |= BigInt(ctx.mem.read32(at + 8) >>> 0) << shift;
  }
  const c = caps(ctx.proc);
  // The kernel's rules: no new permitted capabilities, effective within permitted, and
  // inheritable within the old inheritable and permitted sets (and the bounding set).
  if (permitted & ~c.permitted) return -EPERM;
  if (effective & ~permitted) return -EPERM;
  if (inheritable & ~(c.inheritable | c.permitted) || inheritable & ~(c.inheritable | c.bounding)) return -EPERM;
  Object.assign(c, { effective, permitted, inheritable });
  return 0;
}

export const prctlSyscalls: SyscallTable = {
  prctl: (ctx, option, arg2, arg3, arg4, arg5) => prctl(ctx, option, arg2, arg3, arg4, arg5),
  capget: (ctx, header, data) => capget(ctx, header, data),
  capset: (ctx, header, data) => capset(ctx, header, data),
};
