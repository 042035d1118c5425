// Process identity and limits: exit, ids, uname, rlimits, sysinfo, scheduling, prctl.
import { cpus, freemem, hostname, loadavg, release, totalmem, uptime, version } from 'node:os';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EFAULT, EINVAL, ENOSYS, EPERM } from '../errno.js';
import { RLIM64_INFINITY, readRlimit64, writeRlimit32, writeRlimit64, writeSysinfo, writeUtsname } from '../structs.js';

const RLIMIT_STACK = 3;
const RLIMIT_NOFILE = 7;
const RLIM_NLIMITS = 16;

/** Guest resource limits (start as qemu-arm reports them: the host's, with a few fixed). */
export class Rlimits {
  private readonly values: { cur: bigint; max: bigint }[] = Array.from({ length: RLIM_NLIMITS }, () => ({ cur: RLIM64_INFINITY, max: RLIM64_INFINITY }));

  constructor() {
    this.values[RLIMIT_STACK] = { cur: 8n * 1024n * 1024n, max: RLIM64_INFINITY };
    this.values[RLIMIT_NOFILE] = { cur: 1024n, max: 1024n };
  }

  get(resource: number): { cur: bigint; max: bigint } | undefined {
    return this.values[resource];
  }

  set(resource: number, v: { cur: bigint; max: bigint }): number {
    const old = this.values[resource];
    if (!old) return -EINVAL;
    if (v.cur > v.max) return -EINVAL;
    if (v.max > old.max) return -EPERM;
    // The address-space limit cannot apply to emulated memory; remember it only.
    this.values[resource] = v;
    return 0;
  }
}

function prlimit(ctx: SyscallContext, pid: number, resource: number, newAddr: number, oldAddr: number): number {
  if (pid !== 0 && pid !== ctx.proc.pid) return -EPERM;
  const cur = ctx.proc.rlimits.get(resource);
  if (!cur) return -EINVAL;
  const newVal = newAddr ? readRlimit64(ctx.mem, newAddr >>> 0) : null;
  if (oldAddr) writeRlimit64(ctx.mem, oldAddr >>> 0, cur.cur, cur.max);
  return newVal ? ctx.proc.rlimits.set(resource, newVal) : 0;
}

export const processSyscalls: SyscallTable = {
  getpid: (ctx) => ctx.proc.pid,
  getppid: (ctx) => ctx.proc.parent?.pid ?? process.ppid,
  getpgrp: (ctx) => ctx.proc.pid,
  getpgid: (ctx) => ctx.proc.pid,
  getsid: (ctx) => ctx.proc.pid,
  setsid: () => -EPERM,
  setpgid: () => 0,
  getuid32: (ctx) => ctx.proc.uid,
  geteuid32: (ctx) => ctx.proc.uid,
  getgid32: (ctx) => ctx.proc.gid,
  getegid32: (ctx) => ctx.proc.gid,
  // 16-bit ids: values above 65535 read as the overflow id 65534.
  getuid: (ctx) => (ctx.proc.uid > 0xffff ? 65534 : ctx.proc.uid),
  geteuid: (ctx) => (ctx.proc.uid > 0xffff ? 65534 : ctx.proc.uid),
  getgid: (ctx) => (ctx.proc.gid > 0xffff ? 65534 : ctx.proc.gid),
  getegid: (ctx) => (ctx.proc.gid > 0xffff ? 65534 : ctx.proc.gid),
  getresuid32: (ctx, r, e, s) => {
    for (const a of [r, e, s]) ctx.mem.write32(a >>> 0, ctx.proc.uid);
    return 0;
  },
  getresgid32: (ctx, r, e, s) => {
    for (const a of [r, e, s]) ctx.mem.write32(a >>> 0, ctx.proc.gid);
    return 0;
  },
  // Changing ids: allowed only to the ids the process already has (an unprivileged host).
  setuid32: (ctx, uid) => (uid >>> 0 === ctx.proc.uid ? 0 : -EPERM),
  setgid32: (ctx, gid) => (gid >>> 0 === ctx.proc.gid ? 0 : -EPERM),
  setuid: (ctx, uid) => ((uid & 0xffff) === ctx.proc.uid ? 0 : -EPERM),
  setgid: (ctx, gid) => ((gid & 0xffff) === ctx.proc.gid ? 0 : -EPERM),
  setreuid32: (ctx, r, e) => ([r, e].every((v) => v === -1 || v >>> 0 === ctx.proc.uid) ? 0 : -EPERM),
  setregid32: (ctx, r, e) => ([r, e].every((v) => v === -1 || v >>> 0 === ctx.proc.gid) ? 0 : -EPERM),
  setresuid32: (ctx, r, e, s) => ([r, e, s].every((v) => v === -1 || v >>> 0 === ctx.proc.uid) ? 0 : -EPERM),
  setresgid32: (ctx, r, e, s) => ([r, e, s].every((v) => v === -1 || v >>> 0 === ctx.proc.gid) ? 0 : -EPERM),
  getgroups32: (ctx, size, list) => {
    if (size === 0) return 1;
    ctx.mem.write32(list >>> 0, ctx.proc.gid);
    return 1;
  },
  rseq: () => -ENOSYS,
  uname: (ctx, buf) => {
    writeUtsname(ctx.mem, buf >>> 0, {
      sysname: 'Linux',
      nodename: hostname(),
      release: ctx.proc.unameRelease,
      version: version(),
      machine: ctx.abi.unameMachine(ctx.proc.cpu),
      domainname: '(none)',
    });
    return 0;
  },
  prlimit64: (ctx, pid, resource, newAddr, oldAddr) => prlimit(ctx, pid, resource, newAddr, oldAddr),
  ugetrlimit: (ctx, resource, addr) => {
    const v = ctx.proc.rlimits.get(resource);
    if (!v) return -EINVAL;
    writeRlimit32(ctx.mem, addr >>> 0, v.cur, v.max);
    return 0;
  },
  getrlimit: (ctx, resource, addr) => {
    const v = ctx.proc.rlimits.get(resource);
    if (!v) return -EINVAL;
    writeRlimit32(ctx.mem, addr >>> 0, v.cur, v.max);
    return 0;
  },
  setrlimit: (ctx, resource, addr) => {
    const cur = ctx.mem.read32(addr >>> 0) >>> 0;
    const max = ctx.mem.read32((addr >>> 0) + 4) >>> 0;
    const big = (v: number) => (v === 0xffffffff ? RLIM64_INFINITY : BigInt(v));
    return ctx.proc.rlimits.set(resource, { cur: big(cur), max: big(max) });
  },
  sysinfo: (ctx, buf) => {
    const unit = 4096;
    writeSysinfo(ctx.mem, buf >>> 0, {
      uptime: Math.floor(uptime()),
      loads: loadavg().map((l) => Math.round(l * 65536)),
      totalram: Math.min(0xffffffff, Math.floor(totalmem() / unit)),
      freeram: Math.min(0xffffffff, Math.floor(freemem() / unit)),
      procs: 1,
      memUnit: unit,
    });
    return 0;
  },
  sched_yield: async () => {
    await new Promise<void>((r) => setImmediate(r));
    return 0;
  },
  sched_getaffinity: (ctx, pid, size, mask) => {
    if (pid !== 0 && pid !== ctx.proc.pid) return -3; // ESRCH
    const n = Math.max(1, cpus().length);
    const bytes = Math.ceil(n / 32) * 4;
    if ((size >>> 0) < bytes || (size & 3) !== 0) return -EINVAL;
    const out = new Uint8Array(bytes);
    for (let i = 0; i < n; i++) out[i >> 3]! |= 1 << (i & 7);
    ctx.mem.writeBytes(mask >>> 0, out);
    return bytes;
  },
  sched_setaffinity: () => 0,
  getcpu: (ctx, cpu, node) => {
    if (cpu) ctx.mem.write32(cpu >>> 0, 0);
    if (node) ctx.mem.write32(node >>> 0, 0);
    return 0;
  },
  getpriority: () => 20,
  setpriority: () => 0,
  personality: (_ctx, persona) => (persona === -1 || persona === 0xffffffff ? 0 : 0),
  prctl: (ctx, option, arg2) => {
    const PR_SET_NAME = 15;
    const PR_GET_NAME = 16;
    if (option === PR_SET_NAME) {
      ctx.proc.commName = ctx.mem.readCString(arg2 >>> 0, 16);
      return 0;
    }
    if (option === PR_GET_NAME) {
      const b = new Uint8Array(16);
      b.set(Buffer.from(ctx.proc.commName).subarray(0, 15));
      ctx.mem.writeBytes(arg2 >>> 0, b);
      return 0;
    }
    ctx.proc.log.log('unimp', `prctl: unsupported option ${option}\n`);
    return -EINVAL;
  },
  getrusage: (ctx, _who, buf) => {
    // struct rusage: ru_utime, ru_stime (timevals), then 14 longs; report CPU times only.
    const u = process.cpuUsage();
    const b = new Uint8Array(72);
    const v = new DataView(b.buffer);
    v.setUint32(0, Math.floor(u.user / 1e6), true);
    v.setUint32(4, u.user % 1e6, true);
    v.setUint32(8, Math.floor(u.system / 1e6), true);
    v.setUint32(12, u.system % 1e6, true);
    if (!buf) return -EFAULT;
    ctx.mem.writeBytes(buf >>> 0, b);
    return 0;
  },
};

/** Host kernel release, as qemu-arm reports it (no -r option yet). */
export function hostRelease(): string {
  return release();
}
