// File-descriptor I/O: open/close, read/write and their vector and positional forms, lseek,
// dup, pipe, fcntl, ioctl. Host files are reached through node:fs sync calls directly on
// guest memory views (zero-copy). node:fs has no lseek, so regular files keep their offset
// in the shared OpenFile and every host read/write is positional; ttys, pipes and inherited
// stdio use the host's own offset (position null).
import { constants as fsConstants, fstatSync, openSync, readSync, readlinkSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { isatty } from 'node:tty';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { arg64 } from '../syscalls.js';
import { EAGAIN, EBADF, EINVAL, EISDIR, ENOTTY, ENXIO, EPIPE, ESPIPE, errnoFromHost, hostCall } from '../errno.js';
import { OpenFile, PipeBuffer, type FdSlot, type FileKind } from '../fd-table.js';
import { O_ACCMODE, O_APPEND, O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_WRONLY, hostOpenFlags } from '../open-flags.js';
import { AT_FDCWD, guestPath, resolveAt } from '../paths.js';
import { StructBuilder, readIovecs } from '../structs.js';
import { procNodeAt, procOpen } from '../procfs.js';
import { writableView, wroteGuest } from '../guest-buffers.js';
import { ERESTARTSYS } from '../signal-delivery.js';

/** Linux caps one read/write at this many bytes. */
const MAX_RW = 0x7ffff000;

function slotOf(ctx: SyscallContext, fd: number): FdSlot | undefined {
  return ctx.proc.fds.get(fd);
}

function kindOf(host: number): FileKind {
  const st = fstatSync(host);
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isCharacterDevice()) return isatty(host) ? 'tty' : 'other';
  if (st.isFIFO() || st.isSocket()) return 'pipe';
  return 'other';
}

export function openAt(ctx: SyscallContext, dirfd: number, pathAddr: number, flags: number, mode: number): number | Promise<number> {
  const guest = guestPath(ctx, pathAddr);
  const node = procNodeAt(ctx, dirfd, guest);
  let path: string | number;
  if (node) {
    const r = procOpen(ctx, node, flags & ~O_CLOEXEC, ctx.abi.openFlags.O_DIRECTORY);
    if (r instanceof OpenFile) {
      const fd = ctx.proc.fds.alloc(r, (flags & O_CLOEXEC) !== 0);
      if (fd < 0) r.release();
      return fd;
    }
    path = r;
  } else {
    path = resolveAt(ctx, dirfd, guest);
  }
  if (typeof path === 'number') return path;
  return openHost(ctx, path, flags, mode);
}

/**
 * Named FIFOs (mkfifo) opened by path. Their host fd is non-blocking, so that neither open
 * nor read nor write can stop node while the other end is in this same emulator (a forked
 * child); blocking, when the guest asked for it, is emulated by parking the caller.
 */
const namedFifos = new WeakSet<OpenFile>();
/**
 * FIFOs opened for reading in blocking mode that have not seen a writer yet: the kernel's
 * open would still be waiting for one, so a read waits too instead of reading end-of-file.
 */
const fifosAwaitingWriter = new WeakSet<OpenFile>();

function isFifo(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}

function openHost(ctx: SyscallContext, path: string, flags: number, mode: number): number | Promise<number> {
  const hostFlags = hostOpenFlags(flags, ctx.abi.openFlags);
  const install = (host: number, fifo: boolean): number => {
    let kind: FileKind;
    try {
      kind = kindOf(host);
    } catch {
      kind = 'other';
    }
    const file = new OpenFile(host, kind, flags & ~O_CLOEXEC, openedPath(path, host));
    file.position = kind === 'file' || kind === 'dir' ? 0 : null;
    if (fifo) {
      namedFifos.add(file);
      if ((flags & (O_NONBLOCK | O_ACCMODE)) === O_RDONLY) fifosAwaitingWriter.add(file);
    }
    const fd = ctx.proc.fds.alloc(file, (flags & O_CLOEXEC) !== 0);
    if (fd < 0) file.release();
    return fd;
  };
  if (!isFifo(path)) return hostCall(() => install(openSync(path, hostFlags, mode & 0o7777), false));
  const open = () => install(openSync(path, hostFlags | fsConstants.O_NONBLOCK, mode & 0o7777), true);
  const first = hostCall(open);
  // A blocking open for writing waits for a reader (the host says ENXIO until there is one).
  if (first !== -ENXIO || (flags & O_NONBLOCK) !== 0) return first;
  const cancelled = ctx.thread.cancelToken();
  return (async () => {
    for (;;) {
      await pause(5);
      if (cancelled()) return ERESTARTSYS;
      const r = hostCall(open);
      if (r !== -ENXIO) return r;
    }
  })();
}

/**
 * The path an open file is known by (fchdir, getdents64, /proc/self/fd/N): absolute with
 * symbolic links resolved, as the kernel's magic link names it; '' for pipes and sockets.
 */
function openedPath(path: string, host: number): string {
  try {
    const target = readlinkSync(`/proc/self/fd/${host}`);
    if (target.startsWith('/') && !target.endsWith(' (deleted)')) return target;
    return path.startsWith('/proc/self/fd/') ? '' : resolve(path);
  } catch {
    return path.startsWith('/proc/self/fd/') ? '' : resolve(path);
  }
}

/** Sleep briefly without leaving the event loop idle (retry of a would-block host call). */
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Read from an open file into a guest view. THE place where reads may block: in-memory pipes
 * park the vCPU on a promise; a host fd that reports EAGAIN (a tty or pipe the host opened
 * non-blocking) is polled asynchronously. A blocking host fd (e.g. stdin) still blocks the
 * whole process inside readSync: acceptable for one guest thread, to be made async later.
 */
function readFile(file: OpenFile, view: Uint8Array, position: number | null, cancelled: () => boolean): number | Promise<number> {
  if (view.length === 0) return 0;
  if (file.pipe) return readPipe(file, view, cancelled);
  if (file.kind === 'dir') return -EISDIR;
  if (file.memory) return readMemory(file.memory.data!, view, position ?? 0);
  // A FIFO without a writer yet reads end-of-file on the host; the guest's open would still be waiting.
  const awaitingWriter = (n: number) => n === 0 && fifosAwaitingWriter.has(file) && (file.statusFlags & O_NONBLOCK) === 0;
  const attempt = (): number | null => {
    try {
      const n = readSync(file.host, view, 0, view.length, position);
      if (awaitingWriter(n)) return null;
      fifosAwaitingWriter.delete(file);
      return n;
    } catch (e) {
      const errno = errnoFromHost(e);
      if (errno !== EAGAIN || (file.statusFlags & O_NONBLOCK) !== 0) return -errno;
      fifosAwaitingWriter.delete(file); // a writer is there
      return null;
    }
  };
  const first = attempt();
  if (first !== null) return first;
  return (async () => {
    for (;;) {
      await pause(5);
      if (cancelled()) return ERESTARTSYS;
      const r = attempt();
      if (r !== null) return r;
    }
  })();
}

/** Read from a file tsqemu made (a /proc file) at `position`. */
function readMemory(data: Uint8Array, view: Uint8Array, position: number): number {
  if (position >= data.length) return 0;
  const n = Math.min(view.length, data.length - position);
  view.set(data.subarray(position, position + n));
  return n;
}

/** Size of a regular file (st_size; a /proc file's content length). */
function fileSize(file: OpenFile): number {
  if (file.memory) return file.memory.data?.length ?? 0;
  return Number(fstatSync(file.host).size);
}

function readPipe(file: OpenFile, view: Uint8Array, cancelled: () => boolean): number | Promise<number> {
  const pipe = file.pipe!;
  if (pipe.available > 0) return pipe.read(view);
  if (pipe.writers === 0) return 0;
  if (file.statusFlags & O_NONBLOCK) return -EAGAIN;
  return (async () => {
    while (pipe.available === 0 && pipe.writers > 0) {
      await pipe.waitReadable();
      // Interrupted by a signal meanwhile: the data is left for the next read.
      if (cancelled()) return ERESTARTSYS;
    }
    return pipe.read(view);
  })();
}

function writeFile(file: OpenFile, data: Uint8Array, position: number | null): number | Promise<number> {
  if (file.pipe) {
    if (file.pipe.readers === 0) return -EPIPE; // the syscall layer raises SIGPIPE
    file.pipe.write(data);
    return data.length;
  }
  if (namedFifos.has(file) && (file.statusFlags & O_NONBLOCK) === 0) return writeFifo(file, data);
  let done = 0;
  let spins = 0;
  while (done < data.length) {
    try {
      done += writeSync(file.host, data, done, data.length - done, position === null ? null : position + done);
    } catch (e) {
      const errno = errnoFromHost(e);
      // A host stdout pipe may be non-blocking (node put it so); wait for room like a blocking write.
      if (errno === EAGAIN && (file.statusFlags & O_NONBLOCK) === 0 && spins++ < 100000) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      if (done > 0) return done;
      return -errno;
    }
  }
  return done;
}

/** A blocking write to a named FIFO: waits (parked, not spinning) while it is full. */
function writeFifo(file: OpenFile, data: Uint8Array): number | Promise<number> {
  let done = 0;
  const attempt = (): number | null => {
    try {
      while (done < data.length) done += writeSync(file.host, data, done, data.length - done);
      return done;
    } catch (e) {
      const errno = errnoFromHost(e);
      if (errno === EAGAIN) return null;
      return done > 0 ? done : -errno;
    }
  };
  const first = attempt();
  if (first !== null) return first;
  return (async () => {
    for (;;) {
      await pause(2);
      const r = attempt();
      if (r !== null) return r;
    }
  })();
}

export function isReadable(file: OpenFile): boolean {
  return (file.statusFlags & O_ACCMODE) !== O_WRONLY;
}
export function isWritable(file: OpenFile): boolean {
  return (file.statusFlags & O_ACCMODE) !== O_RDONLY;
}

function doRead(ctx: SyscallContext, fd: number, buf: number, count: number, offset: number | null): number | Promise<number> {
  const slot = slotOf(ctx, fd);
  if (!slot || !isReadable(slot.file)) return -EBADF;
  const len = Math.min(count >>> 0, MAX_RW);
  const view = writableView(ctx.mem, buf, len);
  const finish = (n: number): number => {
    if (n > 0) wroteGuest(ctx.mem, buf, n);
    return n;
  };
  const r = fileRead(ctx, slot.file, view, offset);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

/**
 * Read from an open file into `view` as read(2) (offset null: at the file's position, which
 * moves on) or pread(2) does. The caller checked the access mode. Also for sendfile & co.
 */
export function fileRead(ctx: SyscallContext, file: OpenFile, view: Uint8Array, offset: number | null): number | Promise<number> {
  if (offset !== null && file.position === null) return -ESPIPE;
  const pos = offset ?? file.position;
  const finish = (n: number): number => {
    if (n > 0 && offset === null && file.position !== null) file.position += n;
    return n;
  };
  // Sockets, eventfd, timerfd, signalfd, epoll: their own read (which may park).
  const r = file.ops ? (file.ops.read ? file.ops.read(file, view, ctx) : -EINVAL) : readFile(file, view, pos, ctx.thread.cancelToken());
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

function appendPosition(file: OpenFile): number | null {
  if (file.position === null) return null;
  if (file.statusFlags & O_APPEND) return Number(fstatSync(file.host).size);
  return file.position;
}

function doWrite(ctx: SyscallContext, fd: number, data: Uint8Array, offset: number | null): number | Promise<number> {
  const slot = slotOf(ctx, fd);
  if (!slot || !isWritable(slot.file)) return -EBADF;
  return fileWrite(ctx, slot.file, data, offset);
}

/** Write `data` to an open file as write(2) or pwrite(2) does (the caller checked the access mode). */
export function fileWrite(ctx: SyscallContext, file: OpenFile, data: Uint8Array, offset: number | null): number | Promise<number> {
  if (offset !== null && file.position === null) return -ESPIPE;
  if (file.ops) return file.ops.write ? file.ops.write(file, data, ctx) : -EINVAL;
  const pos = offset ?? appendPosition(file);
  const finish = (n: number): number => {
    if (n > 0 && offset === null && file.position !== null) file.position = pos! + n;
    return n;
  };
  const r = writeFile(file, data, pos);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

/** The 64-bit offset of pread64/pwrite64: register pair (a3,a4) or, padded, (a4,a5). */
function offsetArg(ctx: SyscallContext, a3: number, a4: number, a5: number): number {
  return ctx.abi.alignsRegPairs ? arg64(a4, a5) : arg64(a3, a4);
}

const SEEK_SET = 0;
const SEEK_CUR = 1;
const SEEK_END = 2;

function doSeek(ctx: SyscallContext, fd: number, offset: number, whence: number): number {
  const slot = slotOf(ctx, fd);
  if (!slot) return -EBADF;
  const file = slot.file;
  if (file.pipe || file.kind === 'pipe' || file.kind === 'tty') return -ESPIPE;
  if (file.position === null) return file.kind === 'other' ? 0 : -ESPIPE;
  let base: number;
  if (whence === SEEK_SET) base = 0;
  else if (whence === SEEK_CUR) base = file.position;
  else if (whence === SEEK_END) base = file.kind === 'dir' ? 0 : fileSize(file);
  else return -EINVAL;
  const next = base + offset;
  if (next < 0) return -EINVAL;
  file.position = next;
  if (file.kind === 'dir') file.dirPos = next;
  return next;
}

// fcntl commands (ARM EABI uses the generic numbers, with the 64-bit lock variants at 12-14).
const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_GETLK = 5;
const F_SETLK = 6;
const F_SETLKW = 7;
const F_GETLK64 = 12;
const F_SETLK64 = 13;
const F_SETLKW64 = 14;
const F_DUPFD_CLOEXEC = 1030;
const F_GETPIPE_SZ = 1032;
const FD_CLOEXEC = 1;
/** Status flags F_SETFL may change. */
const SETFL_MASK = O_APPEND | O_NONBLOCK | 0x2000 /* FASYNC */ | 0x40000 /* O_NOATIME */;

function doFcntl(ctx: SyscallContext, fd: number, cmd: number, arg: number): number {
  const slot = slotOf(ctx, fd);
  if (!slot) return -EBADF;
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      if (arg < 0) return -EINVAL;
      return ctx.proc.fds.alloc(slot.file, cmd === F_DUPFD_CLOEXEC, arg);
    case F_GETFD:
      return slot.cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
      slot.cloexec = (arg & FD_CLOEXEC) !== 0;
      return 0;
    case F_GETFL:
      return slot.file.statusFlags;
    case F_SETFL:
      slot.file.statusFlags = (slot.file.statusFlags & ~SETFL_MASK) | (arg & SETFL_MASK);
      return 0;
    case F_GETLK:
    case F_GETLK64: {
      // No other process holds locks we know of: report the region unlocked (l_type = F_UNLCK).
      new StructBuilder(2).u16(0, 2).writeTo(ctx.mem, arg >>> 0);
      return 0;
    }
    case F_SETLK:
    case F_SETLKW:
    case F_SETLK64:
    case F_SETLKW64:
      return 0; // advisory locks between emulated processes: not yet
    case F_GETPIPE_SZ:
      return slot.file.kind === 'pipe' || slot.file.pipe ? 65536 : -EINVAL;
    default:
      ctx.proc.log.log('unimp', `fcntl: unsupported command ${cmd}\n`);
      return -EINVAL;
  }
}

// ioctl requests (generic numbering, as ARM uses).
export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const TCSETSW = 0x5403;
export const TCSETSF = 0x5404;
export const TIOCGPGRP = 0x540f;
export const TIOCGWINSZ = 0x5413;
export const FIONREAD = 0x541b;
export const FIONBIO = 0x5421;

function isTty(file: OpenFile): boolean {
  return file.kind === 'tty' || (file.host >= 0 && file.pipe === null && isatty(file.host));
}

function doIoctl(ctx: SyscallContext, fd: number, req: number, arg: number): number {
  const slot = slotOf(ctx, fd);
  if (!slot) return -EBADF;
  const file = slot.file;
  const addr = arg >>> 0;
  switch (req >>> 0) {
    case TCGETS: {
      if (!isTty(file)) return -ENOTTY;
      // struct termios: c_iflag, c_oflag, c_cflag, c_lflag, c_line, c_cc[19]. node cannot read
      // the host's termios; report a cooked-mode terminal (ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD, ISIG|ICANON|ECHO...).
      const b = new StructBuilder(36).u32(0, 0x500).u32(4, 0x5).u32(8, 0xbf).u32(12, 0x8a3b);
      [3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16].forEach((v, i) => b.u8(17 + i, v));
      b.writeTo(ctx.mem, addr);
      return 0;
    }
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
      return isTty(file) ? 0 : -ENOTTY;
    case TIOCGWINSZ: {
      if (!isTty(file)) return -ENOTTY;
      const rows = Number(process.env.LINES) || 24;
      const cols = Number(process.env.COLUMNS) || 80;
      new StructBuilder(8).u16(0, rows).u16(2, cols).writeTo(ctx.mem, addr);
      return 0;
    }
    case TIOCGPGRP:
      if (!isTty(file)) return -ENOTTY;
      ctx.mem.write32(addr, ctx.proc.pgid);
      return 0;
    case FIONREAD: {
      let n = 0;
      if (file.pipe) n = file.pipe.available;
      else if (file.ops) n = file.ops.pendingBytes?.(file) ?? 0;
      else if (file.kind === 'file' && file.position !== null) n = Math.max(0, fileSize(file) - file.position);
      ctx.mem.write32(addr, n);
      return 0;
    }
    case FIONBIO: {
      const on = ctx.mem.read32(addr) !== 0;
      file.statusFlags = on ? file.statusFlags | O_NONBLOCK : file.statusFlags & ~O_NONBLOCK;
      return 0;
    }
    default:
      ctx.proc.log.log('unimp', `ioctl: unsupported request 0x${(req >>> 0).toString(16)}\n`);
      return -ENOTTY;
  }
}

function makePipe(ctx: SyscallContext, fdsAddr: number, flags: number): number {
  const pipe = new PipeBuffer();
  const nb = flags & O_NONBLOCK;
  const r = new OpenFile(-1, 'pipe', O_RDONLY | nb, '', pipe, 'read');
  const w = new OpenFile(-1, 'pipe', O_WRONLY | nb, '', pipe, 'write');
  pipe.readers = 1;
  pipe.writers = 1;
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = ctx.proc.fds.alloc(r, cloexec);
  if (rfd < 0) return rfd;
  const wfd = ctx.proc.fds.alloc(w, cloexec);
  if (wfd < 0) {
    ctx.proc.fds.close(rfd);
    return wfd;
  }
  try {
    new StructBuilder(8).u32(0, rfd).u32(4, wfd).writeTo(ctx.mem, fdsAddr >>> 0);
  } catch (e) {
    ctx.proc.fds.close(rfd);
    ctx.proc.fds.close(wfd);
    throw e;
  }
  return 0;
}

function dup3(ctx: SyscallContext, oldfd: number, newfd: number, flags: number): number {
  const slot = slotOf(ctx, oldfd);
  if (!slot) return -EBADF;
  if (newfd < 0 || newfd >= 1024) return -EBADF;
  if ((flags & ~O_CLOEXEC) !== 0) return -EINVAL;
  ctx.proc.fds.install(newfd, slot.file, (flags & O_CLOEXEC) !== 0);
  return newfd;
}

export const fsSyscalls: SyscallTable = {
  open: (ctx, path, flags, mode) => openAt(ctx, AT_FDCWD, path, flags, mode),
  openat: (ctx, dirfd, path, flags, mode) => openAt(ctx, dirfd, path, flags, mode),
  creat: (ctx, path, mode) => openAt(ctx, AT_FDCWD, path, 0x41 | 0x200, mode),
  close: (ctx, fd) => ctx.proc.fds.close(fd),
  read: (ctx, fd, buf, count) => doRead(ctx, fd, buf, count, null),
  write: (ctx, fd, buf, count) => doWrite(ctx, fd, ctx.mem.readBytes(buf, Math.min(count >>> 0, MAX_RW)), null),
  pread64: (ctx, fd, buf, count, a3, a4, a5) => doRead(ctx, fd, buf, count, offsetArg(ctx, a3, a4, a5)),
  pwrite64: (ctx, fd, buf, count, a3, a4, a5) => doWrite(ctx, fd, ctx.mem.readBytes(buf, Math.min(count >>> 0, MAX_RW)), offsetArg(ctx, a3, a4, a5)),
  readv: async (ctx, fd, iov, count) => {
    if (count < 0 || count > 1024) return -EINVAL;
    let total = 0;
    for (const v of readIovecs(ctx.mem, iov, count)) {
      if (v.len === 0) continue;
      const n = await doRead(ctx, fd, v.base, v.len, null);
      if (n < 0) return total > 0 ? total : n;
      total += n;
      if (n < v.len) break;
    }
    return total;
  },
  writev: (ctx, fd, iov, count) => {
    if (count < 0 || count > 1024) return -EINVAL;
    const parts = readIovecs(ctx.mem, iov, count).map((v) => ctx.mem.readBytes(v.base, v.len));
    return doWrite(ctx, fd, Buffer.concat(parts), null);
  },
  lseek: (ctx, fd, offset, whence) => {
    const r = doSeek(ctx, fd, offset, whence);
    return r > 0x7fffffff ? -75 /* EOVERFLOW */ : r;
  },
  _llseek: (ctx, fd, hi, lo, result, whence) => {
    const r = doSeek(ctx, fd, arg64(lo, hi), whence);
    if (r < 0) return r;
    new StructBuilder(8).u64(0, r).writeTo(ctx.mem, result >>> 0);
    return 0;
  },
  dup: (ctx, fd) => {
    const slot = slotOf(ctx, fd);
    return slot ? ctx.proc.fds.alloc(slot.file, false) : -EBADF;
  },
  dup2: (ctx, oldfd, newfd) => {
    if (!slotOf(ctx, oldfd)) return -EBADF;
    return oldfd === newfd ? newfd : dup3(ctx, oldfd, newfd, 0);
  },
  dup3: (ctx, oldfd, newfd, flags) => (oldfd === newfd ? -EINVAL : dup3(ctx, oldfd, newfd, flags)),
  pipe: (ctx, fds) => makePipe(ctx, fds, 0),
  pipe2: (ctx, fds, flags) => ((flags & ~(O_CLOEXEC | O_NONBLOCK)) !== 0 ? -EINVAL : makePipe(ctx, fds, flags)),
  fcntl: (ctx, fd, cmd, arg) => doFcntl(ctx, fd, cmd, arg),
  fcntl64: (ctx, fd, cmd, arg) => doFcntl(ctx, fd, cmd, arg),
  ioctl: (ctx, fd, req, arg) => doIoctl(ctx, fd, req, arg),
};
