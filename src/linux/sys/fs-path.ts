// Path-based and metadata syscalls: the stat family, getdents64, readlink, cwd, directory
// and link management, permissions, truncation, sync, statfs.
import {
  accessSync, chmodSync, fchmodSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, linkSync, lstatSync,
  mkdirSync, readdirSync, readlinkSync, renameSync, rmdirSync, statSync, statfsSync, symlinkSync, truncateSync, unlinkSync,
  existsSync, realpathSync, type BigIntStats,
} from 'node:fs';
import { join } from 'node:path';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { arg64 } from '../syscalls.js';
import { EBADF, EEXIST, EINVAL, ENOENT, ENOTDIR, ERANGE, hostCall } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, guestPath, resolveAt } from '../paths.js';
import { linkStat, memoryStat, pipeInode, procNodeAt, procReadlink } from '../procfs.js';
import {
  DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK, DT_UNKNOWN, dirent64Size, encodeDirent64, guestStatFromHost, writeStatx,
  type GuestStat,
} from '../structs.js';
import { writableView, wroteGuest } from '../guest-buffers.js';

const S_IFIFO = 0o010000;

/** stat of an open guest fd (in-memory pipes get a synthetic FIFO). */
export function statFd(ctx: SyscallContext, fd: number): GuestStat | number {
  const slot = ctx.proc.fds.get(fd);
  if (!slot) return -EBADF;
  const file = slot.file;
  if (file.memory) return memoryStat(ctx, file.memory);
  if (file.ops) {
    // Sockets and anonymous inodes (eventfd, timerfd, signalfd, epoll): no size, no times.
    const z = 0n;
    return { dev: file.kind === 'socket' ? 8n : 14n, ino: BigInt(pipeInode(file.ops)), mode: file.ops.mode, nlink: 1, uid: ctx.proc.uid, gid: ctx.proc.gid, rdev: z, size: z, blksize: 4096, blocks: z, atimeNs: z, mtimeNs: z, ctimeNs: z, birthtimeNs: z };
  }
  if (file.pipe) {
    const z = 0n;
    return { dev: 12n, ino: BigInt(pipeInode(file.pipe)), mode: S_IFIFO | 0o600, nlink: 1, uid: ctx.proc.uid, gid: ctx.proc.gid, rdev: z, size: z, blksize: 4096, blocks: z, atimeNs: z, mtimeNs: z, ctimeNs: z, birthtimeNs: z };
  }
  try {
    return guestStatFromHost(fstatSync(file.host, { bigint: true }));
  } catch (e) {
    return hostCall(() => {
      throw e;
    });
  }
}

export function statPath(path: string, follow: boolean): GuestStat | number {
  let st: BigIntStats | undefined;
  const r = hostCall(() => {
    st = follow ? statSync(path, { bigint: true }) : lstatSync(path, { bigint: true });
    return 0;
  });
  return r < 0 ? r : guestStatFromHost(st!);
}

/** stat for (dirfd, path, flags) as fstatat64/statx take them. */
function statAt(ctx: SyscallContext, dirfd: number, pathAddr: number, flags: number): GuestStat | number {
  const p = guestPath(ctx, pathAddr);
  if (p === '') {
    if (!(flags & AT_EMPTY_PATH)) return -ENOENT;
    if (dirfd === AT_FDCWD) return statPath('.', true);
    return statFd(ctx, dirfd);
  }
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  const node = procNodeAt(ctx, dirfd, p, follow);
  if (node?.kind === 'fd' || node?.kind === 'exe') {
    if (!follow) {
      const target = procReadlink(ctx, dirfd, p, hostReadlink);
      return typeof target === 'string' ? linkStat(ctx, node, target) : (target ?? -ENOENT);
    }
    if (node.kind === 'exe') return statPath(ctx.proc.exePath, true);
    return ctx.proc.fds.get(node.fd) ? statFd(ctx, node.fd) : -ENOENT;
  }
  const path = resolveAt(ctx, dirfd, p);
  if (typeof path === 'number') return path;
  return statPath(path, follow);
}

/** readlink on the host, or null if it fails. */
function hostReadlink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

function putStat64(ctx: SyscallContext, st: GuestStat | number, buf: number): number {
  if (typeof st === 'number') return st;
  ctx.abi.writeStat64(ctx.mem, buf >>> 0, st);
  return 0;
}

function direntType(d: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): number {
  if (d.isFile()) return DT_REG;
  if (d.isDirectory()) return DT_DIR;
  if (d.isSymbolicLink()) return DT_LNK;
  if (d.isFIFO()) return DT_FIFO;
  if (d.isSocket()) return DT_SOCK;
  if (d.isCharacterDevice()) return DT_CHR;
  if (d.isBlockDevice()) return DT_BLK;
  return DT_UNKNOWN;
}

function loadDir(file: OpenFile): void {
  if (file.memory?.entries) {
    const self = { name: Buffer.from('.'), ino: 1n, type: DT_DIR };
    file.dirEntries = [self, { ...self, name: Buffer.from('..') }, ...file.memory.entries()];
    return;
  }
  const inode = (p: string): bigint => {
    try {
      return lstatSync(p, { bigint: true }).ino;
    } catch {
      return 0n;
    }
  };
  const entries: { name: Uint8Array; ino: bigint; type: number }[] = [
    { name: Buffer.from('.'), ino: inode(file.path), type: DT_DIR },
    { name: Buffer.from('..'), ino: inode(join(file.path, '..')), type: DT_DIR },
  ];
  for (const d of readdirSync(file.path, { withFileTypes: true, encoding: 'buffer' })) {
    const name = d.name as unknown as Buffer;
    entries.push({ name, ino: inode(join(file.path, name.toString())), type: direntType(d) });
  }
  file.dirEntries = entries;
}

function getdents64(ctx: SyscallContext, fd: number, dirp: number, count: number): number {
  const slot = ctx.proc.fds.get(fd);
  if (!slot) return -EBADF;
  const file = slot.file;
  if (file.kind !== 'dir' || (file.path === '' && !file.memory)) return -ENOTDIR;
  if (!file.dirEntries || (file.dirPos === 0 && file.position === 0)) {
    const r = hostCall(() => {
      loadDir(file);
      return 0;
    });
    if (r < 0) return r;
  }
  const entries = file.dirEntries!;
  const out: Uint8Array[] = [];
  let used = 0;
  while (file.dirPos < entries.length) {
    const e = entries[file.dirPos]!;
    const size = dirent64Size(e.name.length);
    if (used + size > (count >>> 0)) {
      if (used === 0) return -EINVAL;
      break;
    }
    out.push(encodeDirent64(e.ino, BigInt(file.dirPos + 1), e.type, e.name));
    used += size;
    file.dirPos++;
  }
  file.position = file.dirPos;
  ctx.mem.writeBytes(dirp >>> 0, Buffer.concat(out));
  return used;
}

function readlinkAt(ctx: SyscallContext, dirfd: number, pathAddr: number, buf: number, size: number): number {
  if (size <= 0) return -EINVAL;
  const p = guestPath(ctx, pathAddr);
  let target: Buffer;
  const proc = procReadlink(ctx, dirfd, p, hostReadlink);
  if (typeof proc === 'number') return proc;
  if (proc !== null) {
    target = Buffer.from(proc);
  } else {
    const path = resolveAt(ctx, dirfd, p);
    if (typeof path === 'number') return path;
    let t: Buffer | undefined;
    const r = hostCall(() => {
      t = readlinkSync(path, { encoding: 'buffer' });
      return 0;
    });
    if (r < 0) return r;
    target = t!;
  }
  const n = Math.min(target.length, size >>> 0);
  ctx.mem.writeBytes(buf >>> 0, target.subarray(0, n));
  return n;
}

/** Run `fn` on the host path of (dirfd, guest path at pathAddr); host errors become -errno. */
export function at(ctx: SyscallContext, dirfd: number, pathAddr: number, fn: (path: string) => void): number {
  const path = resolveAt(ctx, dirfd, guestPath(ctx, pathAddr));
  if (typeof path === 'number') return path;
  return hostCall(() => {
    fn(path);
    return 0;
  });
}

function renameAt2(ctx: SyscallContext, olddir: number, oldAddr: number, newdir: number, newAddr: number, flags: number): number {
  const from = resolveAt(ctx, olddir, guestPath(ctx, oldAddr));
  if (typeof from === 'number') return from;
  const to = resolveAt(ctx, newdir, guestPath(ctx, newAddr));
  if (typeof to === 'number') return to;
  const RENAME_NOREPLACE = 1;
  if (flags & ~RENAME_NOREPLACE) return -EINVAL;
  if (flags & RENAME_NOREPLACE && existsSync(to)) return -EEXIST;
  return hostCall(() => {
    renameSync(from, to);
    return 0;
  });
}

function accessAt(ctx: SyscallContext, dirfd: number, pathAddr: number, mode: number): number {
  if (mode & ~7) return -EINVAL;
  return at(ctx, dirfd, pathAddr, (p) => accessSync(p, mode));
}

function fdHost(ctx: SyscallContext, fd: number): number {
  const slot = ctx.proc.fds.get(fd);
  if (!slot) return -EBADF;
  // In-memory pipes, /proc files, sockets and the like cannot be truncated or synced.
  if (slot.file.host < 0) return -EINVAL;
  return slot.file.host;
}

/** Run `fn` on the host fd behind guest `fd`: -EBADF if none, -EINVAL for a pipe or an in-emulator file. */
export function onFd(ctx: SyscallContext, fd: number, fn: (host: number) => void): number {
  const host = fdHost(ctx, fd);
  if (host < 0) return host;
  return hostCall(() => {
    fn(host);
    return 0;
  });
}

function statfs64(ctx: SyscallContext, path: string | number, size: number, buf: number): number {
  if (typeof path === 'number') return path;
  if ((size >>> 0) < ctx.abi.statfs64Size) return -EINVAL;
  return hostCall(() => {
    const s = statfsSync(path, { bigint: true });
    ctx.abi.writeStatfs64(ctx.mem, buf >>> 0, {
      type: Number(s.type), bsize: Number(s.bsize), blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree,
      namelen: 255, frsize: Number(s.bsize), flags: 0,
    });
    return 0;
  });
}

function truncateLength(ctx: SyscallContext, a1: number, a2: number, a3: number): number {
  return ctx.abi.alignsRegPairs ? arg64(a2, a3) : arg64(a1, a2);
}

export const fsPathSyscalls: SyscallTable = {
  stat64: (ctx, path, buf) => putStat64(ctx, statAt(ctx, AT_FDCWD, path, 0), buf),
  lstat64: (ctx, path, buf) => putStat64(ctx, statAt(ctx, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW), buf),
  fstat64: (ctx, fd, buf) => putStat64(ctx, statFd(ctx, fd), buf),
  fstatat64: (ctx, dirfd, path, buf, flags) => putStat64(ctx, statAt(ctx, dirfd, path, flags), buf),
  statx: (ctx, dirfd, path, flags, _mask, buf) => {
    const st = statAt(ctx, dirfd, path, flags);
    if (typeof st === 'number') return st;
    writeStatx(ctx.mem, buf >>> 0, st);
    return 0;
  },
  getdents64: (ctx, fd, dirp, count) => getdents64(ctx, fd, dirp, count),
  readlink: (ctx, path, buf, size) => readlinkAt(ctx, AT_FDCWD, path, buf, size),
  readlinkat: (ctx, dirfd, path, buf, size) => readlinkAt(ctx, dirfd, path, buf, size),
  getcwd: (ctx, buf, size) => {
    const cwd = Buffer.from(process.cwd() + '\0');
    if ((size >>> 0) < cwd.length) return -ERANGE;
    const view = writableView(ctx.mem, buf, cwd.length);
    view.set(cwd);
    wroteGuest(ctx.mem, buf, cwd.length);
    return cwd.length;
  },
  chdir: (ctx, path) => at(ctx, AT_FDCWD, path, (p) => process.chdir(p)),
  fchdir: (ctx, fd) => {
    const slot = ctx.proc.fds.get(fd);
    if (!slot) return -EBADF;
    if (slot.file.kind !== 'dir' || slot.file.path === '') return -ENOTDIR;
    return hostCall(() => {
      process.chdir(slot.file.path);
      return 0;
    });
  },
  mkdir: (ctx, path, mode) => at(ctx, AT_FDCWD, path, (p) => mkdirSync(p, mode & 0o7777)),
  mkdirat: (ctx, dirfd, path, mode) => at(ctx, dirfd, path, (p) => mkdirSync(p, mode & 0o7777)),
  rmdir: (ctx, path) => at(ctx, AT_FDCWD, path, (p) => rmdirSync(p)),
  unlink: (ctx, path) => at(ctx, AT_FDCWD, path, (p) => unlinkSync(p)),
  unlinkat: (ctx, dirfd, path, flags) => {
    if (flags & ~AT_REMOVEDIR) return -EINVAL;
    return at(ctx, dirfd, path, (p) => (flags & AT_REMOVEDIR ? rmdirSync(p) : unlinkSync(p)));
  },
  rename: (ctx, from, to) => renameAt2(ctx, AT_FDCWD, from, AT_FDCWD, to, 0),
  renameat: (ctx, od, from, nd, to) => renameAt2(ctx, od, from, nd, to, 0),
  renameat2: (ctx, od, from, nd, to, flags) => renameAt2(ctx, od, from, nd, to, flags),
  access: (ctx, path, mode) => accessAt(ctx, AT_FDCWD, path, mode),
  faccessat: (ctx, dirfd, path, mode) => accessAt(ctx, dirfd, path, mode),
  faccessat2: (ctx, dirfd, path, mode) => accessAt(ctx, dirfd, path, mode),
  chmod: (ctx, path, mode) => at(ctx, AT_FDCWD, path, (p) => chmodSync(p, mode & 0o7777)),
  fchmodat: (ctx, dirfd, path, mode) => at(ctx, dirfd, path, (p) => chmodSync(p, mode & 0o7777)),
  fchmod: (ctx, fd, mode) => onFd(ctx, fd, (h) => fchmodSync(h, mode & 0o7777)),
  symlink: (ctx, target, path) => {
    const t = guestPath(ctx, target);
    return at(ctx, AT_FDCWD, path, (p) => symlinkSync(t, p));
  },
  symlinkat: (ctx, target, dirfd, path) => {
    const t = guestPath(ctx, target);
    return at(ctx, dirfd, path, (p) => symlinkSync(t, p));
  },
  link: (ctx, from, to) => {
    const src = resolveAt(ctx, AT_FDCWD, guestPath(ctx, from));
    if (typeof src === 'number') return src;
    return at(ctx, AT_FDCWD, to, (p) => linkSync(src, p));
  },
  linkat: (ctx, od, from, nd, to, flags) => {
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    const src = resolveAt(ctx, od, guestPath(ctx, from));
    if (typeof src === 'number') return src;
    // link(2) itself never follows a symlink; AT_SYMLINK_FOLLOW links what it points to.
    return at(ctx, nd, to, (p) => linkSync(flags & AT_SYMLINK_FOLLOW ? realpathSync(src) : src, p));
  },
  umask: (_ctx, mask) => process.umask(mask & 0o777),
  // Lengths: unsigned for ftruncate, signed for the others (negative: EINVAL; node would clamp them to 0).
  ftruncate: (ctx, fd, length) => onFd(ctx, fd, (h) => ftruncateSync(h, length >>> 0)),
  ftruncate64: (ctx, fd, a1, a2, a3) => (truncateLength(ctx, a1, a2, a3) < 0 ? -EINVAL : onFd(ctx, fd, (h) => ftruncateSync(h, truncateLength(ctx, a1, a2, a3)))),
  truncate: (ctx, path, length) => (length < 0 ? -EINVAL : at(ctx, AT_FDCWD, path, (p) => truncateSync(p, length))),
  truncate64: (ctx, path, a1, a2, a3) => (truncateLength(ctx, a1, a2, a3) < 0 ? -EINVAL : at(ctx, AT_FDCWD, path, (p) => truncateSync(p, truncateLength(ctx, a1, a2, a3)))),
  fsync: (ctx, fd) => onFd(ctx, fd, (h) => (h > 2 ? fsyncSync(h) : undefined)),
  fdatasync: (ctx, fd) => onFd(ctx, fd, (h) => (h > 2 ? fdatasyncSync(h) : undefined)),
  statfs64: (ctx, path, size, buf) => statfs64(ctx, resolveAt(ctx, AT_FDCWD, guestPath(ctx, path)), size, buf),
  fstatfs64: (ctx, fd, size, buf) => {
    const slot = ctx.proc.fds.get(fd);
    if (!slot) return -EBADF;
    return statfs64(ctx, slot.file.memory ? '/proc' : slot.file.path || '/', size, buf);
  },
};
