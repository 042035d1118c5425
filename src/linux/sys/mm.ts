// Memory management: mmap2/mmap, munmap, mprotect, mremap, madvise, brk.
// Placement is the MmapAllocator's (bottom-up first fit from the process's mmap base). File
// mappings are read into guest memory at map time: MAP_PRIVATE exactly, MAP_SHARED as a
// private copy for now (writes are not written back; other mappings do not see them).
import { fstatSync, readSync } from 'node:fs';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EACCES, EBADF, EEXIST, EINVAL, ENODEV, ENOMEM, errnoFromHost } from '../errno.js';
import { PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, PROT_READ, PROT_WRITE, type GuestMemory } from '../../memory/guest-memory.js';
import type { MappingInfo } from '../../memory/mappings.js';
import type { OpenFile } from '../fd-table.js';
import { pageAlignUp } from '../../memory/mmap-allocator.js';
import { O_ACCMODE, O_WRONLY } from '../open-flags.js';

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_FIXED_NOREPLACE = 0x100000;

const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const MADV_DONTNEED = 4;

export function doMmap(ctx: SyscallContext, addr: number, length: number, prot: number, flags: number, fd: number, offset: number): number {
  addr >>>= 0;
  length >>>= 0;
  const type = flags & MAP_TYPE;
  if (length === 0 || (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE)) return -EINVAL;
  if (offset % PAGE_SIZE !== 0) return -EINVAL;
  const size = pageAlignUp(length);
  const alloc = ctx.proc.mmap;
  let file = null;
  if (!(flags & MAP_ANONYMOUS)) {
    const slot = ctx.proc.fds.get(fd);
    if (!slot) return -EBADF;
    file = slot.file;
    if (file.pipe || file.memory || file.kind === 'pipe' || file.kind === 'tty' || file.kind === 'dir') return -ENODEV;
    if ((file.statusFlags & O_ACCMODE) === O_WRONLY) return -EACCES;
  }
  let start: number;
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (addr & PAGE_MASK) return -EINVAL;
    if (addr + size > 2 ** 32) return -ENOMEM;
    if (flags & MAP_FIXED_NOREPLACE && !alloc.isFree(addr, size)) return -EEXIST;
    start = addr;
  } else {
    start = alloc.find(size, addr & ~PAGE_MASK);
    if (start < 0) return -ENOMEM;
  }
  alloc.map(start, size, prot & 7);
  ctx.mem.mappings.set(start, start + size, mappingInfo(file, offset, type !== MAP_PRIVATE));
  if (file && file.host >= 0 && file.kind === 'file') {
    // Copy the file's bytes in (bytes past EOF stay zero).
    const view = ctx.mem.u8.subarray(start, start + length);
    let done = 0;
    try {
      while (done < length) {
        const n = readSync(file.host, view, done, length - done, offset + done);
        if (n <= 0) break;
        done += n;
      }
    } catch (e) {
      alloc.unmap(start, size);
      return -errnoFromHost(e);
    }
  }
  return start;
}

/** What /proc/self/maps says a new mapping of `file` (null: anonymous) is. */
function mappingInfo(file: OpenFile | null, offset: number, shared: boolean): MappingInfo {
  if (!file) return shared ? { offset: 0, shared, name: '/dev/zero (deleted)' } : { offset: 0 };
  let dev = 0n;
  let inode = 0n;
  try {
    const st = fstatSync(file.host, { bigint: true });
    dev = st.dev;
    inode = st.ino;
  } catch {
    // not a host file: no device or inode to show
  }
  return { file: { path: file.path, dev, inode }, offset, shared };
}

function doMunmap(ctx: SyscallContext, addr: number, length: number): number {
  addr >>>= 0;
  length >>>= 0;
  if (addr & PAGE_MASK || length === 0 || addr + length > 2 ** 32) return -EINVAL;
  ctx.proc.mmap.unmap(addr, length);
  return 0;
}

function doMprotect(ctx: SyscallContext, addr: number, length: number, prot: number): number {
  addr >>>= 0;
  length >>>= 0;
  if (addr & PAGE_MASK) return -EINVAL;
  if (length === 0) return 0;
  const size = pageAlignUp(length);
  if (addr + size > 2 ** 32) return -ENOMEM;
  const first = addr >>> PAGE_SHIFT;
  for (let p = first; p < first + size / PAGE_SIZE; p++) if (!ctx.mem.isMapped(p)) return -ENOMEM;
  ctx.mem.protect(addr, size, prot & 7);
  return 0;
}

function doMremap(ctx: SyscallContext, oldAddr: number, oldSize: number, newSize: number, flags: number): number {
  oldAddr >>>= 0;
  const oldLen = pageAlignUp(oldSize >>> 0);
  const newLen = pageAlignUp(newSize >>> 0);
  if (oldAddr & PAGE_MASK || newLen === 0 || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) return -EINVAL;
  if (flags & MREMAP_FIXED) return -EINVAL; // not needed by libc yet
  const mem = ctx.mem;
  const alloc = ctx.proc.mmap;
  for (let p = oldAddr >>> PAGE_SHIFT; p < (oldAddr + oldLen) >>> PAGE_SHIFT; p++) if (!mem.isMapped(p)) return -14; // EFAULT
  const prot = mem.pageFlags[oldAddr >>> PAGE_SHIFT]! & 7;
  if (newLen <= oldLen) {
    if (newLen < oldLen) alloc.unmap(oldAddr + newLen, oldLen - newLen);
    return oldAddr;
  }
  if (oldAddr + newLen <= 2 ** 32 && alloc.isFree(oldAddr + oldLen, newLen - oldLen)) {
    mem.protect(oldAddr + oldLen, newLen - oldLen, prot);
    growMapping(mem, oldAddr + oldLen, oldAddr + newLen);
    return oldAddr;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  const dest = alloc.find(newLen);
  if (dest < 0) return -ENOMEM;
  const names = mem.mappings.slice(oldAddr, oldAddr + oldLen);
  alloc.map(dest, newLen, prot);
  mem.u8.copyWithin(dest, oldAddr, oldAddr + oldLen);
  alloc.unmap(oldAddr, oldLen);
  for (const e of names) mem.mappings.set(e.start - oldAddr + dest, e.end - oldAddr + dest, e.info);
  growMapping(mem, dest + oldLen, dest + newLen);
  return dest;
}

/** A mapping grown by mremap: the new part [from, to) continues what ends at `from`. */
function growMapping(mem: GuestMemory, from: number, to: number): void {
  const last = mem.mappings.at(from - 1);
  if (!last) return;
  const info = last.info.file ? { ...last.info, offset: last.info.offset + (from - last.start) } : last.info;
  mem.mappings.set(from, to, info);
}

const HEAP: MappingInfo = { offset: 0, name: '[heap]' };

/** brk: grow or shrink the heap after the program's bss; never into other mappings. */
function doBrk(ctx: SyscallContext, addr: number): number {
  const p = ctx.proc;
  const want = addr >>> 0;
  if (want === 0 || want < p.brkStart) return p.brkCur;
  const curTop = pageAlignUp(p.brkCur);
  const newTop = pageAlignUp(want);
  if (newTop > curTop) {
    if (!p.mmap.isFree(curTop, newTop - curTop) || newTop > p.mmap.limit) return p.brkCur;
    ctx.mem.protect(curTop, newTop - curTop, PROT_READ | PROT_WRITE);
    ctx.mem.mappings.set(curTop, newTop, HEAP);
  } else if (newTop < curTop) {
    ctx.mem.unmap(newTop, curTop - newTop);
  }
  // Bytes between the old and new break in the already-mapped page read as zero.
  if (want > p.brkCur) ctx.mem.u8.fill(0, p.brkCur, Math.min(want, curTop));
  p.brkCur = want;
  return want;
}

export const mmSyscalls: SyscallTable = {
  mmap2: (ctx, addr, length, prot, flags, fd, pgoff) => doMmap(ctx, addr, length, prot, flags, fd, (pgoff >>> 0) * PAGE_SIZE),
  mmap: (ctx, args) => {
    // Old ARM mmap: one pointer to the six arguments; the offset is in bytes.
    const a = Array.from({ length: 6 }, (_, i) => ctx.mem.read32((args >>> 0) + i * 4));
    return doMmap(ctx, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]! >>> 0);
  },
  munmap: (ctx, addr, length) => doMunmap(ctx, addr, length),
  mprotect: (ctx, addr, length, prot) => doMprotect(ctx, addr, length, prot),
  mremap: (ctx, oldAddr, oldSize, newSize, flags) => doMremap(ctx, oldAddr, oldSize, newSize, flags),
  madvise: (ctx, addr, length, advice) => {
    if ((addr >>> 0) & PAGE_MASK) return -EINVAL;
    // MADV_DONTNEED on (private, anonymous) memory: the pages read as zero afterwards.
    if (advice === MADV_DONTNEED) {
      const start = addr >>> 0;
      const end = Math.min(2 ** 32, start + pageAlignUp(length >>> 0));
      for (let a = start; a < end; a += PAGE_SIZE) {
        if (ctx.mem.pageFlags[a >>> PAGE_SHIFT]! & PROT_WRITE) ctx.mem.u8.fill(0, a, a + PAGE_SIZE);
      }
    }
    return 0;
  },
  msync: () => 0,
  mlock: () => 0,
  munlock: () => 0,
  mlockall: () => 0,
  munlockall: () => 0,
  brk: (ctx, addr) => doBrk(ctx, addr),
};
