// File metadata and space: ownership (the chown family, 16- and 32-bit ids), timestamps
// (utimensat, utimes, utime, futimesat), fallocate, the 32-bit statfs, mknod for FIFOs and
// regular files, close_range, and the advice calls (fadvise, readahead, sync_file_range,
// flock) that change nothing a program can observe. Errors follow the kernel's checks.
import { spawnSync } from 'node:child_process';
import {
  chownSync, closeSync, fchownSync, fstatSync, ftruncateSync, futimesSync, lchownSync, lstatSync, lutimesSync, openSync, statSync, statfsSync,
  utimesSync, writeSync, constants as fsConstants,
} from 'node:fs';
import { dirname } from 'node:path';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { arg64 } from '../syscalls.js';
import { EACCES, EBADF, EEXIST, EFAULT, EFBIG, EINVAL, EISDIR, ENODEV, ENOENT, ENOTDIR, EOPNOTSUPP, EOVERFLOW, EPERM, ESPIPE, hostCall } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { O_ACCMODE, O_RDONLY } from '../open-flags.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, guestPath, resolveAt } from '../paths.js';
import { StructBuilder } from '../structs.js';
import { clockNow, CLOCK_REALTIME } from './time.js';
import { at } from './fs-path.js';

const S_IFMT = 0o170000;
const S_IFSOCK = 0o140000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFBLK = 0o060000;
const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;

// ---- ownership ----

/** A 16-bit id argument: 0xffff means "leave unchanged" (-1). */
const id16 = (v: number): number => ((v & 0xffff) === 0xffff ? -1 : v & 0xffff);
const id32 = (v: number): number => (v === -1 ? -1 : v >>> 0);

function fileOf(ctx: SyscallContext, fd: number): OpenFile | undefined {
  return ctx.proc.fds.get(fd)?.file;
}

/** fchown on a guest fd: host files only (in-memory pipes and sockets have no host inode to change). */
function fchown(ctx: SyscallContext, fd: number, uid: number, gid: number): number {
  const file = fileOf(ctx, fd);
  if (!file) return -EBADF;
  if (file.host < 0) return file.memory ? -EPERM : 0;
  return hostCall(() => {
    fchownSync(file.host, uid, gid);
    return 0;
  });
}

function fchownat(ctx: SyscallContext, dirfd: number, pathAddr: number, uid: number, gid: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  if (flags & AT_EMPTY_PATH && guestPath(ctx, pathAddr) === '') {
    if (dirfd === AT_FDCWD) return hostCall(() => (chownSync('.', uid, gid), 0));
    return fchown(ctx, dirfd, uid, gid);
  }
  return at(ctx, dirfd, pathAddr, (p) => (flags & AT_SYMLINK_NOFOLLOW ? lchownSync(p, uid, gid) : chownSync(p, uid, gid)));
}

// ---- timestamps ----

const UTIME_NOW = 0x3fffffff;
const UTIME_OMIT = 0x3ffffffe;

/** A time to set: seconds + nanoseconds, or now / omit. */
type TimeArg = { sec: number; nsec: number } | 'now' | 'omit';

/**
 * Set the access and modification times of a host path or fd. node takes them as double
 * seconds, so below-microsecond digits of a far-from-zero time are rounded.
 */
function setTimes(target: { path: string; follow: boolean } | { fd: number }, times: readonly [TimeArg, TimeArg]): number {
  if (times[0] === 'omit' && times[1] === 'omit') return 0;
  return hostCall(() => {
    const now = Number(clockNow(CLOCK_REALTIME)!) / 1e9;
    let current: { atimeMs: number; mtimeMs: number } | null = null;
    const value = (t: TimeArg, which: 'atimeMs' | 'mtimeMs'): number => {
      if (t === 'now') return now;
      if (t === 'omit') {
        current ??= 'fd' in target ? fstatSync(target.fd) : target.follow ? statSync(target.path) : lstatSync(target.path);
        return current[which] / 1000;
      }
      return t.sec + t.nsec / 1e9;
    };
    const atime = value(times[0], 'atimeMs');
    const mtime = value(times[1], 'mtimeMs');
    if ('fd' in target) futimesSync(target.fd, atime, mtime);
    else if (target.follow) utimesSync(target.path, atime, mtime);
    else lutimesSync(target.path, atime, mtime);
    return 0;
  });
}

/** struct timespec[2] of utimensat (32- or 64-bit time_t), null → both now; -EINVAL for a bad tv_nsec. */
function readUtimens(ctx: SyscallContext, address: number, time64: boolean): [TimeArg, TimeArg] | number {
  if (address === 0) return ['now', 'now'];
  const size = time64 ? 16 : 8;
  const b = ctx.mem.readBytes(address, 2 * size);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: TimeArg[] = [];
  for (let i = 0; i < 2; i++) {
    const sec = time64 ? Number(v.getBigInt64(i * size, true)) : v.getInt32(i * size, true);
    const nsec = time64 ? v.getUint32(i * size + 8, true) : v.getInt32(i * size + 4, true);
    if (nsec === UTIME_NOW) out.push('now');
    else if (nsec === UTIME_OMIT) out.push('omit');
    else if (nsec < 0 || nsec >= 1e9) return -EINVAL;
    else out.push({ sec, nsec });
  }
  return out as [TimeArg, TimeArg];
}

/** struct timeval[2] (utimes, futimesat), null → both now. */
function readTimevals(ctx: SyscallContext, address: number): [TimeArg, TimeArg] | number {
  if (address === 0) return ['now', 'now'];
  const out: TimeArg[] = [];
  for (let i = 0; i < 2; i++) {
    const sec = ctx.mem.read32(address + 8 * i) | 0;
    const usec = ctx.mem.read32(address + 8 * i + 4) | 0;
    if (usec < 0 || usec >= 1e6) return -EINVAL;
    out.push({ sec, nsec: usec * 1000 });
  }
  return out as [TimeArg, TimeArg];
}

function utimesAt(ctx: SyscallContext, dirfd: number, pathAddr: number, times: [TimeArg, TimeArg] | number, flags: number): number {
  if (typeof times === 'number') return times;
  if (times[0] === 'omit' && times[1] === 'omit') return 0;
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  if (pathAddr === 0 && dirfd === AT_FDCWD) return -EFAULT;
  const path = pathAddr === 0 ? '' : guestPath(ctx, pathAddr);
  if (path === '') {
    // utimensat(fd, NULL, ...) is futimens; an empty path needs AT_EMPTY_PATH.
    if (pathAddr !== 0 && !(flags & AT_EMPTY_PATH)) return -ENOENT;
    if (pathAddr === 0 && flags & AT_SYMLINK_NOFOLLOW) return -EINVAL;
    if (dirfd === AT_FDCWD) return setTimes({ path: '.', follow: true }, times);
    const file = fileOf(ctx, dirfd);
    if (!file) return -EBADF;
    if (file.host < 0) return 0;
    return setTimes({ fd: file.host }, times);
  }
  const host = resolveAt(ctx, dirfd, path);
  if (typeof host === 'number') return host;
  return setTimes({ path: host, follow: (flags & AT_SYMLINK_NOFOLLOW) === 0 }, times);
}

// ---- fallocate ----

const FALLOC_FL_KEEP_SIZE = 0x01;
const FALLOC_FL_PUNCH_HOLE = 0x02;
const FALLOC_FL_ZERO_RANGE = 0x10;

/** Write zeros over [start, end) of host fd `host`. */
function zeroRange(host: number, start: number, end: number): void {
  const zeros = new Uint8Array(Math.min(1 << 16, Math.max(0, end - start)));
  for (let pos = start; pos < end; ) pos += writeSync(host, zeros, 0, Math.min(zeros.length, end - pos), pos);
}

/**
 * fallocate: the size and content a program sees (blocks are not reserved on the host).
 * Mode 0 extends the file, PUNCH_HOLE|KEEP_SIZE and ZERO_RANGE write zeros.
 */
function fallocate(ctx: SyscallContext, fd: number, mode: number, offset: number, len: number): number {
  const file = fileOf(ctx, fd);
  if (!file) return -EBADF;
  if (offset < 0 || len <= 0) return -EINVAL;
  const known = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE;
  if (mode & ~known || (mode & FALLOC_FL_PUNCH_HOLE && mode & FALLOC_FL_ZERO_RANGE)) return -EOPNOTSUPP;
  if (mode & FALLOC_FL_PUNCH_HOLE && !(mode & FALLOC_FL_KEEP_SIZE)) return -EOPNOTSUPP;
  if ((file.statusFlags & O_ACCMODE) === O_RDONLY) return -EBADF;
  if (file.pipe || file.kind === 'pipe') return -ESPIPE;
  if (file.kind === 'dir') return -EISDIR;
  if (file.kind !== 'file' || file.host < 0) return -ENODEV;
  if (offset + len > Number.MAX_SAFE_INTEGER) return -EFBIG;
  return hostCall(() => {
    const size = Number(fstatSync(file.host).size);
    const end = offset + len;
    if (mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) zeroRange(file.host, offset, Math.min(end, size));
    if (!(mode & FALLOC_FL_KEEP_SIZE) && end > size) ftruncateSync(file.host, end);
    return 0;
  });
}

// ---- statfs (the 32-bit struct) ----

/** struct statfs with 32-bit fields (64 bytes); EOVERFLOW when a count does not fit, as the kernel checks. */
function statfs32(ctx: SyscallContext, path: string | number, buf: number): number {
  if (typeof path === 'number') return path;
  return hostCall(() => {
    const s = statfsSync(path, { bigint: true });
    const counts = [s.blocks, s.bfree, s.bavail, s.files, s.ffree];
    if (counts.some((c) => c > 0xffffffffn && c !== 0xffffffffffffffffn)) return -EOVERFLOW;
    const b = new StructBuilder(64).u32(0, Number(s.type)).u32(4, Number(s.bsize));
    counts.forEach((c, i) => b.u32(8 + 4 * i, Number(c & 0xffffffffn)));
    b.u32(36, 255).u32(40, Number(s.bsize));
    b.writeTo(ctx.mem, buf >>> 0);
    return 0;
  });
}

// ---- mknod ----

/** Create a FIFO or device node with the host's mkfifo(1) / mknod(1) (node has no mknod). */
function runCreator(command: string, args: string[]): number {
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'latin1' });
  if (r.error) return -EPERM;
  if (r.status === 0) return 0;
  return /Permission denied/.test(r.stderr) ? -EACCES : /File exists/.test(r.stderr) ? -EEXIST : -EPERM;
}

function mknodAt(ctx: SyscallContext, dirfd: number, pathAddr: number, mode: number, dev: number): number {
  const path = resolveAt(ctx, dirfd, guestPath(ctx, pathAddr));
  if (typeof path === 'number') return path;
  const type = mode & S_IFMT;
  if (type === S_IFDIR) return -EPERM;
  if (![0, S_IFREG, S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK].includes(type)) return -EINVAL;
  // The checks the kernel makes on the way: parent directory, existing name.
  const parent = hostCall(() => (statSync(dirname(path)).isDirectory() ? 0 : -ENOTDIR));
  if (parent < 0) return parent;
  if (hostCall(() => (lstatSync(path), 0)) === 0) return -EEXIST;
  const perm = (mode & 0o7777 & ~process.umask()).toString(8);
  switch (type) {
    case 0:
    case S_IFREG:
      return hostCall(() => {
        closeSync(openSync(path, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, mode & 0o7777));
        return 0;
      });
    case S_IFIFO:
      return runCreator('mkfifo', ['-m', perm, '--', path]);
    case S_IFCHR:
    case S_IFBLK: {
      if (ctx.proc.uid !== 0) return -EPERM;
      const major = (dev >>> 8) & 0xfff;
      const minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
      return runCreator('mknod', ['-m', perm, '--', path, type === S_IFCHR ? 'c' : 'b', String(major), String(minor)]);
    }
    default:
      // A socket inode outside bind(2): not supported here.
      return -EPERM;
  }
}

// ---- advice that changes nothing observable ----

/** The checks fadvise/sync_file_range make: a valid fd, not a pipe. */
function adviceTarget(ctx: SyscallContext, fd: number): number {
  const file = fileOf(ctx, fd);
  if (!file) return -EBADF;
  if (file.pipe || file.kind === 'pipe') return -ESPIPE;
  return 0;
}

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;

const CLOSE_RANGE_UNSHARE = 2;
const CLOSE_RANGE_CLOEXEC = 4;

/** close_range: close (or mark close-on-exec) every open fd in [first, last]. */
function closeRange(ctx: SyscallContext, first: number, last: number, flags: number): number {
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first >>> 0 > last >>> 0) return -EINVAL;
  const fds = ctx.proc.fds;
  for (const fd of fds.openFds()) {
    if (fd < first >>> 0 || fd > last >>> 0) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) fds.get(fd)!.cloexec = true;
    else fds.close(fd);
  }
  return 0;
}

export const fsMetaSyscalls: SyscallTable = {
  close_range: (ctx, first, last, flags) => closeRange(ctx, first, last, flags),
  chown: (ctx, path, uid, gid) => at(ctx, AT_FDCWD, path, (p) => chownSync(p, id16(uid), id16(gid))),
  lchown: (ctx, path, uid, gid) => at(ctx, AT_FDCWD, path, (p) => lchownSync(p, id16(uid), id16(gid))),
  fchown: (ctx, fd, uid, gid) => fchown(ctx, fd, id16(uid), id16(gid)),
  chown32: (ctx, path, uid, gid) => at(ctx, AT_FDCWD, path, (p) => chownSync(p, id32(uid), id32(gid))),
  lchown32: (ctx, path, uid, gid) => at(ctx, AT_FDCWD, path, (p) => lchownSync(p, id32(uid), id32(gid))),
  fchown32: (ctx, fd, uid, gid) => fchown(ctx, fd, id32(uid), id32(gid)),
  fchownat: (ctx, dirfd, path, uid, gid, flags) => fchownat(ctx, dirfd, path, id32(uid), id32(gid), flags),
  utimensat: (ctx, dirfd, path, times, flags) => utimesAt(ctx, dirfd, path, readUtimens(ctx, times >>> 0, false), flags),
  utimensat_time64: (ctx, dirfd, path, times, flags) => utimesAt(ctx, dirfd, path, readUtimens(ctx, times >>> 0, true), flags),
  utimes: (ctx, path, times) => (path === 0 ? -EFAULT : utimesAt(ctx, AT_FDCWD, path, readTimevals(ctx, times >>> 0), 0)),
  futimesat: (ctx, dirfd, path, times) => utimesAt(ctx, dirfd, path, readTimevals(ctx, times >>> 0), 0),
  utime: (ctx, path, buf) => {
    // struct utimbuf: actime, modtime (seconds).
    const times: [TimeArg, TimeArg] = buf === 0 ? ['now', 'now'] : [{ sec: ctx.mem.read32(buf >>> 0) | 0, nsec: 0 }, { sec: ctx.mem.read32((buf >>> 0) + 4) | 0, nsec: 0 }];
    return utimesAt(ctx, AT_FDCWD, path, times, 0);
  },
  fallocate: (ctx, fd, mode, a2, a3, a4, a5) => fallocate(ctx, fd, mode, arg64(a2, a3), arg64(a4, a5)),
  statfs: (ctx, path, buf) => statfs32(ctx, resolveAt(ctx, AT_FDCWD, guestPath(ctx, path)), buf),
  fstatfs: (ctx, fd, buf) => {
    const file = fileOf(ctx, fd);
    if (!file) return -EBADF;
    return statfs32(ctx, file.memory ? '/proc' : file.path || '/', buf);
  },
  mknod: (ctx, path, mode, dev) => mknodAt(ctx, AT_FDCWD, path, mode, dev),
  mknodat: (ctx, dirfd, path, mode, dev) => mknodAt(ctx, dirfd, path, mode, dev),
  // ARM's argument order: fd, advice, offset (64), len (64).
  arm_fadvise64_64: (ctx, fd, advice) => (adviceTarget(ctx, fd) < 0 ? adviceTarget(ctx, fd) : advice >>> 0 > 5 ? -EINVAL : 0),
  readahead: (ctx, fd) => {
    const file = fileOf(ctx, fd);
    if (!file) return -EBADF;
    return file.kind === 'file' ? 0 : -EINVAL;
  },
  // ARM's argument order: fd, flags, offset (64), nbytes (64).
  arm_sync_file_range: (ctx, fd, flags, a2, a3, a4, a5) => {
    if (flags & ~7 || arg64(a2, a3) < 0 || arg64(a4, a5) < 0) return -EINVAL;
    return adviceTarget(ctx, fd);
  },
  // Advisory locks: the emulator's processes do not contend with each other through them yet.
  flock: (ctx, fd, op) => {
    if (!fileOf(ctx, fd)) return -EBADF;
    const kind = op & ~LOCK_NB;
    return kind === LOCK_SH || kind === LOCK_EX || kind === LOCK_UN ? 0 : -EINVAL;
  },
};
