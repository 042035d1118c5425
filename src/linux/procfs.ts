// /proc as the guest sees it. The host's /proc describes node, not the guest, so the files
// about the guest process itself are answered here (as qemu-arm does for maps, stat, auxv,
// cmdline and exe): /proc/self, /proc/thread-self, /proc/<pid> and /proc/<pid>/task/<tid>
// with the guest's pid and tids. Those files are made when opened and read from memory.
// /proc/self/fd/N, /dev/fd/N and /dev/std{in,out,err} name GUEST fds. Everything else
// under /proc (sys/, meminfo, the other entries of /proc/self) is the host's.
import { posix } from 'node:path';
import { OpenFile, type DirEntry, type MemoryContent } from './fd-table.js';
import { EACCES, EINVAL, EISDIR, ENOENT, ENOTDIR, ENXIO } from './errno.js';
import { O_ACCMODE, O_RDONLY, O_WRONLY } from './open-flags.js';
import type { LinuxProcess } from './process.js';
import type { GuestThread } from './thread.js';
import type { SyscallContext } from './syscalls.js';
import { DT_DIR, DT_LNK, type GuestStat } from './structs.js';
import { cpuCount, formatMaps, formatStat, formatStatus, nulJoined } from './proc-files.js';

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
/** st_dev of proc files (any fixed value: the host's proc is mounted somewhere else in node's view). */
const PROC_DEV = 0x16n;

/** What a path names in the guest's /proc. */
export type ProcNode =
  | { kind: 'file'; path: string; make: () => Uint8Array }
  | { kind: 'dir'; path: string; entries: () => DirEntry[] }
  /** A guest file descriptor's magic link: /proc/self/fd/N, /dev/fd/N, /dev/stdin... */
  | { kind: 'fd'; fd: number; path: string }
  | { kind: 'exe'; path: string };

/**
 * For a path inside the guest process's own /proc/<pid> directory: the rest of the path
 * after it ('' for the directory itself), and the thread it names; else null.
 */
export function ownProcPath(ctx: SyscallContext, path: string): { rest: string; thread: GuestThread; task: boolean } | null {
  if (!path.startsWith('/proc/')) return null;
  const m = /^\/proc\/(self|thread-self|\d+)(?:\/task\/(\d+))?(\/.*)?$/.exec(path);
  if (!m) return null;
  const proc = ctx.proc;
  let thread = ctx.thread;
  const id = m[1]!;
  if (id !== 'self' && id !== 'thread-self') {
    const t = proc.threads.get(Number(id));
    if (Number(id) !== proc.pid && (!t || t.exited)) return null;
    if (t) thread = t;
  }
  if (m[2] !== undefined) {
    const t = proc.threads.get(Number(m[2]));
    if (!t || t.exited) return null;
    thread = t;
  }
  // /proc/<pid>/task/<tid>, /proc/thread-self and /proc/<tid> of another thread describe the thread.
  const task = m[2] !== undefined || id === 'thread-self' || (id !== 'self' && Number(id) !== proc.pid);
  return { rest: m[3] ?? '', thread, task };
}

const STD_FDS: Record<string, number> = { '/dev/stdin': 0, '/dev/stdout': 1, '/dev/stderr': 2 };

function fdEntries(proc: LinuxProcess): DirEntry[] {
  return proc.fds.openFds().map((fd) => ({ name: Buffer.from(String(fd)), ino: BigInt(0x10000 + fd), type: DT_LNK }));
}

function taskEntries(proc: LinuxProcess): DirEntry[] {
  return proc.liveThreads().map((t) => ({ name: Buffer.from(String(t.tid)), ino: BigInt(0x20000 + t.tid), type: DT_DIR }));
}

/**
 * The /proc node `path` names, if tsqemu answers it (see the header); `symlinks` false for
 * lstat/readlink, where /dev/stdin & co. are the host's plain symlinks.
 */
export function procNode(ctx: SyscallContext, rawPath: string, symlinks = true): ProcNode | null {
  if (!rawPath.startsWith('/proc/') && !rawPath.startsWith('/dev/')) return null;
  const path = posix.normalize(rawPath).replace(/(.)\/$/, '$1');
  const proc = ctx.proc;
  if (path === '/proc/cpuinfo') {
    const text = proc.abi.cpuinfo?.(proc.cpu, cpuCount());
    return text === undefined ? null : { kind: 'file', path, make: () => Buffer.from(text) };
  }
  // A guest fd's link; for a number the guest has not open, the host's (as under qemu-arm,
  // where they are the same: a <(process substitution) fd the emulator inherited, say).
  const fdNode = (fd: number): ProcNode | null => (proc.fds.get(fd) ? { kind: 'fd', fd, path: `/proc/${proc.pid}/fd/${fd}` } : null);
  if (path.startsWith('/dev/')) {
    if (symlinks && STD_FDS[path] !== undefined) return fdNode(STD_FDS[path]!);
    if (path === '/dev/fd') return { kind: 'dir', path: `/proc/${proc.pid}/fd`, entries: () => fdEntries(proc) };
    const m = /^\/dev\/fd\/(\d+)$/.exec(path);
    return m ? fdNode(Number(m[1])) : null;
  }
  const own = ownProcPath(ctx, path);
  if (!own) return null;
  const { rest, thread, task } = own;
  const here = `/proc/${proc.pid}${rest}`;
  const file = (make: () => Uint8Array | string): ProcNode => ({
    kind: 'file',
    path: here,
    make: () => {
      const v = make();
      return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    },
  });
  switch (rest) {
    case '/maps':
      return file(() => formatMaps(proc.mem));
    case '/stat':
      return file(() => formatStat(proc, thread, task));
    case '/status':
      return file(() => formatStatus(proc, thread));
    case '/auxv':
      return file(() => proc.image.auxv);
    case '/cmdline':
      return file(() => nulJoined(proc.argv));
    case '/environ':
      return file(() => nulJoined(proc.image.envp));
    case '/comm':
      return file(() => `${proc.commName}\n`);
    case '/exe':
      return { kind: 'exe', path: here };
    case '/fd':
      return { kind: 'dir', path: here, entries: () => fdEntries(proc) };
    case '/task':
      return { kind: 'dir', path: here, entries: () => taskEntries(proc) };
    default: {
      const m = /^\/fd\/(\d+)$/.exec(rest);
      return m ? fdNode(Number(m[1])) : null;
    }
  }
}

/** procNode for a *at() call: absolute paths, or paths relative to a directory under /proc. */
export function procNodeAt(ctx: SyscallContext, dirfd: number, path: string, symlinks = true): ProcNode | null {
  if (path.startsWith('/')) return procNode(ctx, path, symlinks);
  const dir = ctx.proc.fds.get(dirfd)?.file;
  const base = dir?.memory?.path ?? (dir?.kind === 'dir' ? dir.path : '');
  if (dir && (base.startsWith('/proc/') || base.startsWith('/dev/'))) return procNode(ctx, posix.join(base, path), symlinks);
  return null;
}

function memoryContent(node: ProcNode & { kind: 'file' | 'dir' }): MemoryContent {
  return node.kind === 'file'
    ? { path: node.path, data: node.make(), reopen: () => memoryContent(node) }
    : { path: node.path, entries: node.entries, reopen: () => memoryContent(node) };
}

/** A new open file description on `content` (what open(2) of a /proc file makes). */
function memoryFile(content: MemoryContent, flags: number): OpenFile {
  const file = new OpenFile(-1, content.entries ? 'dir' : 'file', flags, '');
  file.memory = content;
  file.position = 0;
  return file;
}

/**
 * open(2) of a /proc node: a new OpenFile (flags without O_CLOEXEC), a host path to open
 * instead, or -errno. `oDirectory` is the guest's O_DIRECTORY bit.
 */
export function procOpen(ctx: SyscallContext, node: ProcNode, flags: number, oDirectory: number): OpenFile | string | number {
  const accmode = flags & O_ACCMODE;
  switch (node.kind) {
    case 'exe':
      return ctx.proc.exePath;
    case 'file':
      if (flags & oDirectory) return -ENOTDIR;
      if (accmode !== O_RDONLY) return -EACCES;
      return memoryFile(memoryContent(node), flags);
    case 'dir':
      if (accmode !== O_RDONLY) return -EISDIR;
      return memoryFile(memoryContent(node), flags);
    case 'fd':
      return reopenFd(ctx, node.fd, flags);
  }
}

/** open of /proc/self/fd/N: the file guest fd N refers to, opened anew (as the kernel's magic link). */
function reopenFd(ctx: SyscallContext, fd: number, flags: number): OpenFile | string | number {
  const slot = ctx.proc.fds.get(fd);
  if (!slot) return -ENOENT;
  const old = slot.file;
  if (old.memory) return memoryFile(old.memory.reopen(), flags);
  if (old.pipe) {
    const end = (flags & O_ACCMODE) === O_WRONLY ? 'write' : 'read';
    const file = new OpenFile(-1, 'pipe', flags, '', old.pipe, end);
    if (end === 'write') old.pipe.writers++;
    else old.pipe.readers++;
    return file;
  }
  // The host resolves its own magic link for the host fd behind it (deleted files, ttys, host pipes).
  if (old.host >= 0) return `/proc/self/fd/${old.host}`;
  return -ENXIO; // sockets and other files with no path, as the kernel answers
}

/** What readlink of /proc/self/fd/N gives for an open file. */
export function fdLinkTarget(file: OpenFile, hostReadlink: (path: string) => string | null): string {
  if (file.memory) return file.memory.path;
  if (file.ops) return file.ops.name;
  if (file.pipe) return `pipe:[${pipeInode(file.pipe)}]`;
  if (file.path !== '') return file.path;
  if (file.host >= 0) return hostReadlink(`/proc/self/fd/${file.host}`) ?? `anon_inode:[${file.kind}]`;
  return `anon_inode:[${file.kind}]`;
}

const pipeInodes = new WeakMap<object, number>();
let nextPipeInode = 0x3000;

/** A stable inode number for an in-memory pipe (both ends show the same one). */
export function pipeInode(pipe: object): number {
  let ino = pipeInodes.get(pipe);
  if (ino === undefined) {
    ino = nextPipeInode++;
    pipeInodes.set(pipe, ino);
  }
  return ino;
}

/** readlink(2) of a /proc path: the target, -errno, or null for the host's answer. */
export function procReadlink(ctx: SyscallContext, dirfd: number, path: string, hostReadlink: (path: string) => string | null): string | number | null {
  const normal = path.startsWith('/') ? posix.normalize(path).replace(/(.)\/$/, '$1') : path;
  if (normal === '/proc/self') return String(ctx.proc.pid);
  if (normal === '/proc/thread-self') return `${ctx.proc.pid}/task/${ctx.thread.tid}`;
  const node = procNodeAt(ctx, dirfd, path, false);
  if (!node) return null;
  if (node.kind === 'exe') return ctx.proc.exePath;
  if (node.kind !== 'fd') return -EINVAL; // not a symbolic link
  const slot = ctx.proc.fds.get(node.fd);
  if (!slot) return -ENOENT;
  return fdLinkTarget(slot.file, hostReadlink);
}

function syntheticStat(ctx: SyscallContext, mode: number, ino: bigint, size = 0n): GuestStat {
  const now = BigInt(Date.now()) * 1_000_000n;
  const p = ctx.proc;
  return { dev: PROC_DEV, ino, mode, nlink: mode & S_IFDIR ? 2 : 1, uid: p.uid, gid: p.gid, rdev: 0n, size, blksize: 1024, blocks: 0n, atimeNs: now, mtimeNs: now, ctimeNs: now, birthtimeNs: 0n };
}

/** fstat of a file tsqemu made: a read-only proc file of size 0, or a proc directory. */
export function memoryStat(ctx: SyscallContext, content: MemoryContent): GuestStat {
  let ino = 0x1000n;
  for (const c of Buffer.from(content.path)) ino = (ino * 31n + BigInt(c)) & 0xffffffn;
  return syntheticStat(ctx, content.entries ? S_IFDIR | 0o555 : S_IFREG | 0o444, ino);
}

/**
 * lstat of a magic link: /proc/self/exe is lrwxrwxrwx; /proc/self/fd/N shows how the fd is
 * open (r-x for reading, -wx for writing, as the kernel's lr-x------ / l-wx------).
 */
export function linkStat(ctx: SyscallContext, node: ProcNode, target: string): GuestStat {
  let perm = 0o777;
  const file = node.kind === 'fd' ? ctx.proc.fds.get(node.fd)?.file : undefined;
  if (file) {
    const acc = file.statusFlags & O_ACCMODE;
    perm = (acc !== O_WRONLY ? 0o500 : 0) | (acc !== O_RDONLY ? 0o300 : 0);
  }
  return syntheticStat(ctx, S_IFLNK | perm, 0x4000n, BigInt(Buffer.byteLength(target)));
}

/**
 * The host path for a guest path under the guest's own /proc/<pid> (read through the host's
 * /proc/self, which is this emulator's process), or null for any other path.
 */
export function procHostPath(ctx: SyscallContext, path: string): string | null {
  const own = ownProcPath(ctx, path.startsWith('/proc/') ? posix.normalize(path) : path);
  if (!own) return null;
  if (own.rest === '/exe') return ctx.proc.exePath;
  const m = /^\/fd\/(\d+)(\/.*)?$/.exec(own.rest);
  if (m) {
    const host = ctx.proc.fds.get(Number(m[1]))?.file.host ?? -1;
    if (host >= 0) return `/proc/self/fd/${host}${m[2] ?? ''}`;
  }
  return `/proc/self${own.rest}`;
}
