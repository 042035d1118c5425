// Threads and processes: clone with CLONE_VM | CLONE_THREAD makes a new vCPU sharing the
// process's memory, files and signal handlers; vfork and fork make child processes (see
// LinuxProcess.vfork/fork); exit ends one thread (waking a pthread_join through
// clear_child_tid), exit_group the whole process. Threads are scheduled round-robin by the
// exec loop: each runs a time slice, then yields to the next (DESIGN.md rule 6).
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { GuestExit, ThreadExit } from '../syscalls.js';
import { EINVAL, ENOSYS } from '../errno.js';
import { Vcpu } from '../../engine/vcpu.js';
import { Engine } from '../../engine/engine.js';
import { GuestMemory, PAGE_CODE, PAGE_MAPPED, PAGE_SIZE } from '../../memory/guest-memory.js';

const CLONE_VM = 0x00000100;
const CLONE_FS = 0x00000200;
const CLONE_FILES = 0x00000400;
const CLONE_SIGHAND = 0x00000800;
const CLONE_VFORK = 0x00004000;
const CLONE_THREAD = 0x00010000;
const CLONE_SETTLS = 0x00080000;
const CLONE_PARENT_SETTID = 0x00100000;
const CLONE_CHILD_CLEARTID = 0x00200000;
const CLONE_CHILD_SETTID = 0x01000000;
/** What glibc's pthread_create passes (besides the TID flags): a thread in every sense. */
const THREAD_FLAGS = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;

/**
 * clone(flags, newsp, parent_tidptr, tls, child_tidptr): the ARM (CLONE_BACKWARDS) order.
 * Only threads for now; a new process (fork) is refused with ENOSYS.
 */
function clone(ctx: SyscallContext, flags: number, newsp: number, ptid: number, tls: number, ctid: number): number | Promise<number> {
  if ((flags & (CLONE_VM | CLONE_VFORK)) === (CLONE_VM | CLONE_VFORK) && !(flags & CLONE_THREAD)) return vfork(ctx, newsp);
  if (!(flags & (CLONE_VM | CLONE_THREAD))) return fork(ctx, flags, newsp, ptid, ctid);
  if ((flags & THREAD_FLAGS) !== THREAD_FLAGS || flags & CLONE_VFORK) {
    ctx.proc.log.log('unimp', `clone: flags 0x${(flags >>> 0).toString(16)} (a new process) not supported yet\n`);
    return -ENOSYS;
  }
  if (!newsp) return -EINVAL;
  const proc = ctx.proc;
  const parent = ctx.vcpu;
  const vcpu = new Vcpu(proc.nextVcpuIndex(), parent.target);
  // The child starts as a copy of the parent at the instruction after the SVC, returning 0.
  new Uint8Array(vcpu.stateBuffer).set(new Uint8Array(parent.stateBuffer));
  proc.abi.setSyscallResult(vcpu.state, 0);
  proc.abi.signals.setStackPointer(vcpu.state, newsp);
  if (flags & CLONE_SETTLS) proc.abi.setTls(vcpu.state, tls);
  const child = proc.threadOf(vcpu);
  child.signals.blocked = ctx.thread.signals.blocked;
  if (flags & CLONE_PARENT_SETTID) ctx.mem.write32(ptid >>> 0, child.tid);
  if (flags & CLONE_CHILD_SETTID) ctx.mem.write32(ctid >>> 0, child.tid);
  if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = ctid >>> 0;
  // Started from the event loop, after the parent has its result.
  setImmediate(() => proc.startThread(child));
  return child.tid;
}

/** vfork: a child process on a copy of the registers (and newsp, if given), sharing memory. */
function vfork(ctx: SyscallContext, newsp: number): Promise<number> {
  const vcpu = new Vcpu(0, ctx.vcpu.target);
  new Uint8Array(vcpu.stateBuffer).set(new Uint8Array(ctx.vcpu.stateBuffer));
  ctx.abi.setSyscallResult(vcpu.state, 0);
  if (newsp) ctx.abi.signals.setStackPointer(vcpu.state, newsp);
  return ctx.proc.vfork(vcpu, ctx.thread);
}

/**
 * fork / clone without CLONE_VM: a child process with a copy of the address space (mapped
 * pages and their protections), run by this emulator beside the parent.
 */
function fork(ctx: SyscallContext, flags: number, newsp: number, ptid: number, ctid: number): number {
  const parent = ctx.proc;
  const mem = copyAddressSpace(parent.mem);
  const engine = new Engine(parent.target, mem, parent.log, { ...parent.engine.options, instrumenter: undefined });
  const vcpu = new Vcpu(0, ctx.vcpu.target);
  new Uint8Array(vcpu.stateBuffer).set(new Uint8Array(ctx.vcpu.stateBuffer));
  ctx.abi.setSyscallResult(vcpu.state, 0);
  if (newsp) ctx.abi.signals.setStackPointer(vcpu.state, newsp);
  const pid = parent.fork(vcpu, ctx.thread, mem, engine);
  if (flags & CLONE_PARENT_SETTID) ctx.mem.write32(ptid >>> 0, pid);
  if (flags & CLONE_CHILD_SETTID) mem.write32(ctid >>> 0, pid);
  return pid;
}

/** A new address space holding a copy of every mapped page of `mem`, with the same protections. */
function copyAddressSpace(mem: GuestMemory): GuestMemory {
  const copy = new GuestMemory();
  const flags = mem.pageFlags;
  for (let page = 0; page < flags.length; page++) {
    const f = flags[page]!;
    if (!(f & PAGE_MAPPED)) continue;
    const start = page * PAGE_SIZE;
    copy.u8.set(mem.u8.subarray(start, start + PAGE_SIZE), start);
    copy.pageFlags[page] = f & ~PAGE_CODE; // nothing is translated in the new space yet
  }
  copy.mappings.copyFrom(mem.mappings);
  return copy;
}

export const threadSyscalls: SyscallTable = {
  vfork: (ctx) => vfork(ctx, 0),
  fork: (ctx) => fork(ctx, 0, 0, 0, 0),
  clone: (ctx, flags, newsp, ptid, tls, ctid) => clone(ctx, flags, newsp, ptid, tls, ctid),
  exit: (ctx, status) => {
    // The last thread's exit ends the process; any other just ends itself.
    if (ctx.proc.liveThreads().length <= 1) throw new GuestExit(status & 0xff);
    throw new ThreadExit();
  },
  exit_group: (_ctx, status) => {
    throw new GuestExit(status & 0xff);
  },
  gettid: (ctx) => ctx.thread.tid,
  set_tid_address: (ctx, addr) => {
    ctx.thread.clearChildTid = addr >>> 0;
    return ctx.thread.tid;
  },
};
