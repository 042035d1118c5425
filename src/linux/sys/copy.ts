// Copies between files without a user buffer: sendfile/sendfile64, copy_file_range, splice,
// tee, vmsplice. The bytes go through a host buffer with the same read and write paths as
// read(2) and write(2) (in-memory pipes, host files, sockets), with the kernel's argument
// checks: which ends may be pipes, which offsets are allowed, O_APPEND, overlapping ranges.
import { fstatSync } from 'node:fs';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EAGAIN, EBADF, EINVAL, EISDIR, EOVERFLOW, ESPIPE, hostCall } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { O_APPEND, O_NONBLOCK } from '../open-flags.js';
import { StructBuilder } from '../structs.js';
import { ERESTARTSYS } from '../signal-delivery.js';
import { fileRead, fileWrite, fsSyscalls, isReadable, isWritable } from './fs.js';

/** Linux caps one transfer at this many bytes. */
const MAX_RW = 0x7ffff000;
const CHUNK = 1 << 16;

const isPipe = (f: OpenFile): boolean => f.pipe !== null || f.kind === 'pipe';

/** A 64-bit loff_t (or a 32-bit off_t) at `address`. */
function readOffset(ctx: SyscallContext, address: number, wide: boolean): number {
  const lo = ctx.mem.read32(address) >>> 0;
  return wide ? (ctx.mem.read32(address + 4) | 0) * 2 ** 32 + lo : ctx.mem.read32(address) | 0;
}

function writeOffset(ctx: SyscallContext, address: number, value: number, wide: boolean): void {
  if (wide) new StructBuilder(8).u64(0, value).writeTo(ctx.mem, address);
  else ctx.mem.write32(address, value);
}

/**
 * Move up to `count` bytes from `src` (at `srcOff`, or its position when null) to `dst`
 * (likewise). A short read from a pipe or socket ends the transfer, as the kernel's loop
 * does; an error after some bytes moved reports those bytes. Returns the count or -errno.
 */
async function transfer(ctx: SyscallContext, src: OpenFile, srcOff: number | null, dst: OpenFile, dstOff: number | null, count: number, nonblock: boolean): Promise<number> {
  let total = 0;
  const buf = new Uint8Array(Math.min(CHUNK, Math.max(1, count)));
  while (total < count) {
    const want = Math.min(buf.length, count - total);
    // SPLICE_F_NONBLOCK: an empty pipe does not make the call wait.
    if (nonblock && src.pipe && src.pipe.available === 0 && src.pipe.writers > 0) return total > 0 ? total : -EAGAIN;
    const n = await fileRead(ctx, src, buf.subarray(0, want), srcOff === null ? null : srcOff + total);
    if (n < 0) return total > 0 ? total : n;
    if (n === 0) break;
    let written = 0;
    while (written < n) {
      const w = await fileWrite(ctx, dst, buf.subarray(written, n), dstOff === null ? null : dstOff + total + written);
      if (w < 0) return total + written > 0 ? total + written : w;
      written += w;
    }
    total += n;
    if (n < want && src.kind !== 'file') break;
  }
  return total;
}

function sendfile(ctx: SyscallContext, outFd: number, inFd: number, offsetAddr: number, count: number, wide: boolean): number | Promise<number> {
  const input = ctx.proc.fds.get(inFd)?.file;
  const output = ctx.proc.fds.get(outFd)?.file;
  if (!input || !isReadable(input) || !output || !isWritable(output)) return -EBADF;
  if (output.statusFlags & O_APPEND) return -EINVAL;
  if (input.kind === 'dir') return -EINVAL;
  const n = Math.min(count >>> 0, MAX_RW);
  let offset: number | null = null;
  if (offsetAddr) {
    if (input.position === null) return -ESPIPE;
    offset = readOffset(ctx, offsetAddr >>> 0, wide);
    if (offset < 0) return -EINVAL;
    if (!wide && offset + n > 0x7fffffff) return -EOVERFLOW;
  }
  return transfer(ctx, input, offset, output, null, n, false).then((r) => {
    if (offsetAddr && r > 0) writeOffset(ctx, offsetAddr >>> 0, offset! + r, wide);
    return r;
  });
}

/** Whether two host files are the same inode (copy_file_range's overlap check). */
function sameInode(a: OpenFile, b: OpenFile): boolean {
  if (a.host < 0 || b.host < 0) return false;
  const sa = fstatSync(a.host, { bigint: true });
  const sb = fstatSync(b.host, { bigint: true });
  return sa.dev === sb.dev && sa.ino === sb.ino;
}

function copyFileRange(ctx: SyscallContext, inFd: number, offInAddr: number, outFd: number, offOutAddr: number, len: number, flags: number): number | Promise<number> {
  if (flags !== 0) return -EINVAL;
  const input = ctx.proc.fds.get(inFd)?.file;
  const output = ctx.proc.fds.get(outFd)?.file;
  if (!input || !isReadable(input) || !output || !isWritable(output) || output.statusFlags & O_APPEND) return -EBADF;
  if (input.kind === 'dir' || output.kind === 'dir') return -EISDIR;
  if (input.kind !== 'file' || output.kind !== 'file' || input.host < 0 || output.host < 0) return -EINVAL;
  const offIn = offInAddr ? readOffset(ctx, offInAddr >>> 0, true) : input.position!;
  const offOut = offOutAddr ? readOffset(ctx, offOutAddr >>> 0, true) : output.position!;
  if (offIn < 0 || offOut < 0) return -EINVAL;
  const n = Math.min(len >>> 0, MAX_RW);
  const overlap = hostCall(() => (sameInode(input, output) && offIn < offOut + n && offOut < offIn + n ? 1 : 0));
  if (overlap !== 0) return overlap < 0 ? overlap : -EINVAL;
  return transfer(ctx, input, offIn, output, offOut, n, false).then((r) => {
    if (r > 0) {
      if (offInAddr) writeOffset(ctx, offInAddr >>> 0, offIn + r, true);
      else input.position = offIn + r;
      if (offOutAddr) writeOffset(ctx, offOutAddr >>> 0, offOut + r, true);
      else output.position = offOut + r;
    }
    return r;
  });
}

const SPLICE_F_NONBLOCK = 2;
const SPLICE_FLAGS = 0xf;

function splice(ctx: SyscallContext, inFd: number, offInAddr: number, outFd: number, offOutAddr: number, len: number, flags: number): number | Promise<number> {
  if (flags & ~SPLICE_FLAGS) return -EINVAL;
  const input = ctx.proc.fds.get(inFd)?.file;
  const output = ctx.proc.fds.get(outFd)?.file;
  if (!input || !isReadable(input) || !output || !isWritable(output)) return -EBADF;
  if (!isPipe(input) && !isPipe(output)) return -EINVAL;
  if (input.pipe && input.pipe === output.pipe) return -EINVAL;
  if ((offInAddr && isPipe(input)) || (offOutAddr && isPipe(output))) return -ESPIPE;
  if (output.statusFlags & O_APPEND && !isPipe(output)) return -EINVAL;
  const n = Math.min(len >>> 0, MAX_RW);
  if (n === 0) return 0;
  const offIn = offInAddr ? readOffset(ctx, offInAddr >>> 0, true) : null;
  const offOut = offOutAddr ? readOffset(ctx, offOutAddr >>> 0, true) : null;
  if ((offIn !== null && (offIn < 0 || input.position === null)) || (offOut !== null && (offOut < 0 || output.position === null))) return -EINVAL;
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0 || ((input.statusFlags | output.statusFlags) & O_NONBLOCK) !== 0;
  // Into a pipe: at most a pipe's worth at a time, as the kernel's pipe buffer holds.
  return transfer(ctx, input, offIn, output, offOut, isPipe(output) ? Math.min(n, CHUNK) : n, nonblock).then((r) => {
    if (r > 0 && offIn !== null) writeOffset(ctx, offInAddr >>> 0, offIn + r, true);
    if (r > 0 && offOut !== null) writeOffset(ctx, offOutAddr >>> 0, offOut + r, true);
    return r;
  });
}

/** tee: copy what one in-memory pipe holds into another without taking it out. */
async function tee(ctx: SyscallContext, inFd: number, outFd: number, len: number, flags: number): Promise<number> {
  if (flags & ~SPLICE_FLAGS) return -EINVAL;
  const input = ctx.proc.fds.get(inFd)?.file;
  const output = ctx.proc.fds.get(outFd)?.file;
  if (!input || !isReadable(input) || !output || !isWritable(output)) return -EBADF;
  // Host pipes (the emulator's own stdin, say) cannot be read without consuming.
  if (!input.pipe || !output.pipe || input.pipe === output.pipe) return -EINVAL;
  const n = Math.min(len >>> 0, CHUNK);
  if (n === 0) return 0;
  const pipe = input.pipe;
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0 || (input.statusFlags & O_NONBLOCK) !== 0;
  const cancelled = ctx.thread.cancelToken();
  while (pipe.available === 0) {
    if (pipe.writers === 0) return 0;
    if (nonblock) return -EAGAIN;
    await pipe.waitReadable();
    if (cancelled()) return ERESTARTSYS;
  }
  const buf = new Uint8Array(Math.min(n, pipe.available));
  const got = pipe.peek(buf);
  return fileWrite(ctx, output, buf.subarray(0, got), null);
}

export const copySyscalls: SyscallTable = {
  sendfile: (ctx, outFd, inFd, offset, count) => sendfile(ctx, outFd, inFd, offset, count, false),
  sendfile64: (ctx, outFd, inFd, offset, count) => sendfile(ctx, outFd, inFd, offset, count, true),
  copy_file_range: (ctx, inFd, offIn, outFd, offOut, len, flags) => copyFileRange(ctx, inFd, offIn, outFd, offOut, len, flags),
  splice: (ctx, inFd, offIn, outFd, offOut, len, flags) => splice(ctx, inFd, offIn, outFd, offOut, len, flags),
  tee: (ctx, inFd, outFd, len, flags) => tee(ctx, inFd, outFd, len, flags),
  // vmsplice: user memory into a pipe (its write end) or out of it (its read end): writev / readv.
  vmsplice: (ctx, fd, iov, count, flags) => {
    const file = ctx.proc.fds.get(fd)?.file;
    if (!file || !isPipe(file)) return -EBADF;
    if (flags & ~SPLICE_FLAGS) return -EINVAL;
    return isWritable(file) ? fsSyscalls['writev']!(ctx, fd, iov, count, 0, 0, 0) : fsSyscalls['readv']!(ctx, fd, iov, count, 0, 0, 0);
  },
};
