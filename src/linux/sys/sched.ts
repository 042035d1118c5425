// Scheduling as a program can observe it: policies and priorities (sched_*), nice values
// (getpriority, setpriority, nice), CPU affinity, membarrier, sched_yield and getrusage.
// Guest threads all run on the emulator's one host thread, so policies, affinity and
// memory barriers are bookkeeping with the kernel's checks and answers: what was set reads
// back, privileged changes need uid 0, and every barrier is already complete.
import { existsSync } from 'node:fs';
import type { LinuxProcess } from '../process.js';
import type { GuestThread } from '../thread.js';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EACCES, EINVAL, EPERM, ESRCH } from '../errno.js';
import { StructBuilder, writeTimespec } from '../structs.js';
import { cpuCount } from '../proc-files.js';

const SCHED_OTHER = 0;
const SCHED_FIFO = 1;
const SCHED_RR = 2;
const SCHED_BATCH = 3;
const SCHED_IDLE = 5;
const SCHED_DEADLINE = 6;
const SCHED_RESET_ON_FORK = 0x40000000;
const RR_TIMESLICE_NS = 100_000_000n;

interface SchedState {
  policy: number;
  priority: number;
  resetOnFork: boolean;
}

const schedOf = new WeakMap<GuestThread, SchedState>();

function sched(thread: GuestThread): SchedState {
  let s = schedOf.get(thread);
  if (!s) {
    s = { policy: SCHED_OTHER, priority: 0, resetOnFork: false };
    schedOf.set(thread, s);
  }
  return s;
}

const realtime = (policy: number) => policy === SCHED_FIFO || policy === SCHED_RR;

/**
 * The thread `pid` names for the sched_* calls (0: the caller), a host process the guest
 * cannot change ('host'), or -errno.
 */
function schedTarget(ctx: SyscallContext, pid: number): GuestThread | 'host' | number {
  if (pid < 0) return -EINVAL;
  if (pid === 0) return ctx.thread;
  const t = ctx.proc.threads.get(pid);
  if (t && !t.exited) return t;
  return existsSync(`/proc/${pid}`) ? 'host' : -ESRCH;
}

function setScheduler(ctx: SyscallContext, pid: number, policyArg: number | null, param: number): number {
  if (param === 0) return -EINVAL;
  const target = schedTarget(ctx, pid);
  if (typeof target === 'number') return target;
  const priority = ctx.mem.read32(param >>> 0) | 0;
  const current = target === 'host' ? { policy: SCHED_OTHER, priority: 0, resetOnFork: false } : sched(target);
  const resetOnFork = policyArg === null ? current.resetOnFork : (policyArg & SCHED_RESET_ON_FORK) !== 0;
  const policy = policyArg === null ? current.policy : policyArg & ~SCHED_RESET_ON_FORK;
  if (![SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE].includes(policy)) return -EINVAL;
  if (realtime(policy) ? priority < 1 || priority > 99 : priority !== 0) return -EINVAL;
  if (target === 'host' || (realtime(policy) && ctx.proc.uid !== 0)) return -EPERM;
  Object.assign(sched(target), { policy, priority, resetOnFork });
  return 0;
}

// ---- nice values ----

const PRIO_PROCESS = 0;
const PRIO_PGRP = 1;
const PRIO_USER = 2;

/** The process a getpriority/setpriority (which, who) names, or -errno. */
function priorityTarget(ctx: SyscallContext, which: number, who: number): LinuxProcess | number {
  const p = ctx.proc;
  switch (which) {
    case PRIO_PROCESS:
      return who === 0 || who === p.pid || p.threads.has(who) ? p : -ESRCH;
    case PRIO_PGRP:
      return who === 0 || who === p.pgid ? p : -ESRCH;
    case PRIO_USER:
      return who === 0 || who >>> 0 === p.uid ? p : -ESRCH;
    default:
      return -EINVAL;
  }
}

/** Set the nice value (clamped to -20..19); lowering it needs privilege. */
function setNice(proc: LinuxProcess, nice: number, denied: number): number {
  const value = Math.max(-20, Math.min(19, nice));
  if (value < proc.nice && proc.uid !== 0) return -denied;
  proc.nice = value;
  return 0;
}

// ---- membarrier ----

const MEMBARRIER_CMD_GLOBAL = 1;
const MEMBARRIER_CMD_GLOBAL_EXPEDITED = 2;
const MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 4;
const MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8;
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16;
const MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 32;
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64;
const MEMBARRIER_CMD_GET_REGISTRATIONS = 512;
/** What MEMBARRIER_CMD_QUERY reports (no rseq commands: rseq is ENOSYS here, as in qemu-arm). */
const MEMBARRIER_SUPPORTED = 0x7f | MEMBARRIER_CMD_GET_REGISTRATIONS;

const registrations = new WeakMap<LinuxProcess, number>();

function membarrier(ctx: SyscallContext, cmd: number, flags: number): number {
  if (cmd === 0) return flags === 0 ? MEMBARRIER_SUPPORTED : -EINVAL;
  if (flags !== 0) return -EINVAL;
  const registered = registrations.get(ctx.proc) ?? 0;
  const register = (bit: number) => {
    registrations.set(ctx.proc, registered | bit);
    return 0;
  };
  switch (cmd) {
    case MEMBARRIER_CMD_GLOBAL:
    case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
      return 0;
    case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
      return register(cmd);
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
      // Only a process that registered for it may ask (the command's bit doubled is its registration).
      return registered & (cmd << 1) ? 0 : -EPERM;
    case MEMBARRIER_CMD_GET_REGISTRATIONS:
      return registered;
    default:
      return -EINVAL;
  }
}

// ---- affinity ----

const affinityOf = new WeakMap<LinuxProcess, Uint8Array>();

/** Bytes of a CPU mask as sched_getaffinity copies them (whole 32-bit words). */
function maskBytes(): number {
  return Math.ceil(cpuCount() / 32) * 4;
}

function affinity(proc: LinuxProcess): Uint8Array {
  let mask = affinityOf.get(proc);
  if (!mask) {
    mask = new Uint8Array(maskBytes());
    for (let i = 0; i < cpuCount(); i++) mask[i >> 3]! |= 1 << (i & 7);
    affinityOf.set(proc, mask);
  }
  return mask;
}

function affinityTarget(ctx: SyscallContext, pid: number): LinuxProcess | number {
  if (pid === 0 || pid === ctx.proc.pid || ctx.proc.threads.has(pid)) return ctx.proc;
  return -ESRCH;
}

// ---- getrusage ----

const RUSAGE_SELF = 0;
const RUSAGE_CHILDREN = -1;
const RUSAGE_THREAD = 1;

/** struct rusage (32-bit): ru_utime, ru_stime (timevals), then 14 longs from ru_maxrss. */
function getrusage(ctx: SyscallContext, who: number, buf: number): number {
  if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -EINVAL;
  const b = new StructBuilder(72);
  if (who !== RUSAGE_CHILDREN) {
    const r = process.resourceUsage();
    b.u32(0, Math.floor(r.userCPUTime / 1e6)).u32(4, r.userCPUTime % 1e6);
    b.u32(8, Math.floor(r.systemCPUTime / 1e6)).u32(12, r.systemCPUTime % 1e6);
    b.u32(16, r.maxRSS).u32(32, r.minorPageFault).u32(36, r.majorPageFault);
    b.u32(44, r.fsRead).u32(48, r.fsWrite).u32(64, r.voluntaryContextSwitches).u32(68, r.involuntaryContextSwitches);
  }
  b.writeTo(ctx.mem, buf >>> 0);
  return 0;
}

export const schedSyscalls: SyscallTable = {
  sched_yield: async () => {
    await new Promise<void>((r) => setImmediate(r));
    return 0;
  },
  sched_getscheduler: (ctx, pid) => {
    const t = schedTarget(ctx, pid);
    if (typeof t === 'number') return t;
    if (t === 'host') return SCHED_OTHER;
    const s = sched(t);
    return s.policy | (s.resetOnFork ? SCHED_RESET_ON_FORK : 0);
  },
  sched_getparam: (ctx, pid, param) => {
    if (param === 0) return -EINVAL;
    const t = schedTarget(ctx, pid);
    if (typeof t === 'number') return t;
    ctx.mem.write32(param >>> 0, t === 'host' ? 0 : sched(t).priority);
    return 0;
  },
  sched_setscheduler: (ctx, pid, policy, param) => (policy < 0 ? -EINVAL : setScheduler(ctx, pid, policy, param)),
  sched_setparam: (ctx, pid, param) => setScheduler(ctx, pid, null, param),
  sched_get_priority_max: (_ctx, policy) => (realtime(policy) ? 99 : [SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE].includes(policy) ? 0 : -EINVAL),
  sched_get_priority_min: (_ctx, policy) => (realtime(policy) ? 1 : [SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE].includes(policy) ? 0 : -EINVAL),
  sched_rr_get_interval: (ctx, pid, ts) => rrInterval(ctx, pid, ts, false),
  sched_rr_get_interval_time64: (ctx, pid, ts) => rrInterval(ctx, pid, ts, true),
  sched_getaffinity: (ctx, pid, size, maskAddr) => {
    const p = affinityTarget(ctx, pid);
    if (typeof p === 'number') return p;
    const bytes = maskBytes();
    if ((size >>> 0) < bytes || (size & 3) !== 0) return -EINVAL;
    ctx.mem.writeBytes(maskAddr >>> 0, affinity(p));
    return bytes;
  },
  sched_setaffinity: (ctx, pid, size, maskAddr) => {
    const p = affinityTarget(ctx, pid);
    if (typeof p === 'number') return p;
    const given = ctx.mem.readBytes(maskAddr >>> 0, size >>> 0);
    const mask = new Uint8Array(maskBytes());
    for (let i = 0; i < cpuCount(); i++) if (i >> 3 < given.length && given[i >> 3]! & (1 << (i & 7))) mask[i >> 3]! |= 1 << (i & 7);
    if (mask.every((b) => b === 0)) return -EINVAL;
    affinityOf.set(p, mask);
    return 0;
  },
  getcpu: (ctx, cpu, node) => {
    if (cpu) ctx.mem.write32(cpu >>> 0, 0);
    if (node) ctx.mem.write32(node >>> 0, 0);
    return 0;
  },
  // The raw syscall returns 20 - nice (1..40); glibc turns it back into the nice value.
  getpriority: (ctx, which, who) => {
    const p = priorityTarget(ctx, which, who);
    return typeof p === 'number' ? p : 20 - p.nice;
  },
  setpriority: (ctx, which, who, prio) => {
    const p = priorityTarget(ctx, which, who);
    return typeof p === 'number' ? p : setNice(p, prio, EACCES);
  },
  nice: (ctx, inc) => setNice(ctx.proc, ctx.proc.nice + Math.max(-40, Math.min(40, inc)), EPERM),
  membarrier: (ctx, cmd, flags) => membarrier(ctx, cmd, flags),
  getrusage: (ctx, who, buf) => getrusage(ctx, who, buf),
};

function rrInterval(ctx: SyscallContext, pid: number, ts: number, time64: boolean): number {
  const t = schedTarget(ctx, pid);
  if (typeof t === 'number') return t;
  const policy = t === 'host' ? SCHED_OTHER : sched(t).policy;
  writeTimespec(ctx.mem, ts >>> 0, policy === SCHED_FIFO ? 0n : RR_TIMESLICE_NS, time64);
  return 0;
}
