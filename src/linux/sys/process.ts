// Process identity and limits: ids (pid, process group, session, user and group ids,
// supplementary groups), uname, rlimits, sysinfo. Scheduling is in sched.ts, prctl in prctl.ts.
import { readFileSync } from 'node:fs';
import { freemem, hostname, loadavg, release, totalmem, uptime, version } from 'node:os';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import type { LinuxProcess } from '../process.js';
import { hostStatFields } from '../proc-files.js';
import { EINVAL, ENOSYS, EPERM, ESRCH } from '../errno.js';
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

/** getpgid/getsid: of this process, of a child it runs, or of a host process; -ESRCH if none. */
function processIds(ctx: SyscallContext, pid: number, which: 'pgid' | 'sid'): number {
  const p = ctx.proc;
  if (pid === 0 || pid === p.pid || p.threads.has(pid)) return p[which];
  if (pid < 0) return -ESRCH;
  const child = p.children.process(pid);
  if (child) return child[which];
  const fields = hostStatFields(pid);
  return fields.length > 6 ? Number(fields[which === 'pgid' ? 5 : 6]) : -ESRCH;
}

/** setpgid: this process or a child it runs joins (or starts) a group of its session. */
function setpgid(ctx: SyscallContext, pid: number, pgid: number): number {
  const self = ctx.proc;
  if (pgid < 0) return -EINVAL;
  const target = pid === 0 || pid === self.pid ? self : self.children.process(pid);
  if (!target) return -ESRCH;
  const group = pgid === 0 ? target.pid : pgid;
  if (target.sid === target.pid || target.sid !== self.sid) return -EPERM;
  // The group must be the target's own or one that exists in the same session.
  const members = [self, ...self.children.running()];
  if (group !== target.pid && !members.some((m) => m.pgid === group && m.sid === target.sid)) return -EPERM;
  target.pgid = group;
  return 0;
}

/** Supplementary groups (the host's at start; setgroups needs uid 0). */
const groupLists = new WeakMap<LinuxProcess, number[]>();

function groupsOf(proc: LinuxProcess): number[] {
  let g = groupLists.get(proc);
  if (!g) {
    g = proc.parent ? [...groupsOf(proc.parent)] : hostGroups();
    groupLists.set(proc, g);
  }
  return g;
}

const NGROUPS_MAX = 65536;

/** The emulator's supplementary groups as the kernel lists them (node's getgroups adds the egid). */
function hostGroups(): number[] {
  try {
    const line = /^Groups:(.*)$/m.exec(readFileSync('/proc/self/status', 'latin1'));
    if (line) return line[1]!.trim().split(/\s+/).filter((g) => g !== '').map(Number);
  } catch {
    // no /proc: node's list
  }
  return process.getgroups?.() ?? [];
}

function getgroups(ctx: SyscallContext, size: number, list: number, ids16: boolean): number {
  const groups = groupsOf(ctx.proc);
  if (size < 0) return -EINVAL;
  if (size === 0) return groups.length;
  if (size < groups.length) return -EINVAL;
  groups.forEach((g, i) => {
    if (ids16) ctx.mem.write16((list >>> 0) + 2 * i, g > 0xffff ? 65534 : g);
    else ctx.mem.write32((list >>> 0) + 4 * i, g);
  });
  return groups.length;
}

function setgroups(ctx: SyscallContext, size: number, list: number, ids16: boolean): number {
  if (size < 0 || size > NGROUPS_MAX) return -EINVAL;
  if (ctx.proc.uid !== 0) return -EPERM;
  const groups = Array.from({ length: size }, (_, i) => (ids16 ? ctx.mem.read16((list >>> 0) + 2 * i) : ctx.mem.read32((list >>> 0) + 4 * i) >>> 0));
  groupLists.set(ctx.proc, groups.sort((a, b) => a - b));
  return 0;
}

export const processSyscalls: SyscallTable = {
  getpid: (ctx) => ctx.proc.pid,
  getppid: (ctx) => ctx.proc.parentPid(),
  getpgrp: (ctx) => ctx.proc.pgid,
  getpgid: (ctx, pid) => processIds(ctx, pid, 'pgid'),
  getsid: (ctx, pid) => processIds(ctx, pid, 'sid'),
  setsid: (ctx) => {
    const p = ctx.proc;
    // A process group leader cannot start a session (its group would span two).
    if (p.pgid === p.pid) return -EPERM;
    p.sid = p.pgid = p.pid;
    return p.pid;
  },
  setpgid: (ctx, pid, pgid) => setpgid(ctx, pid, pgid),
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
  getgroups32: (ctx, size, list) => getgroups(ctx, size, list, false),
  getgroups: (ctx, size, list) => getgroups(ctx, size, list, true),
  setgroups32: (ctx, size, list) => setgroups(ctx, size, list, false),
  setgroups: (ctx, size, list) => setgroups(ctx, size, list, true),
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
  personality: (_ctx, persona) => (persona === -1 || persona === 0xffffffff ? 0 : 0),
};

/** Host kernel release, as qemu-arm reports it (no -r option yet). */
export function hostRelease(): string {
  return release();
}
