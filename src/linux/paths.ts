// Guest path → host path: *at() directory fds, the -L prefix, and the guest's own /proc
// entries (procfs.ts), which must describe the guest rather than node.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { EBADF, ENOTDIR } from './errno.js';
import type { SyscallContext } from './syscalls.js';
import { procHostPath } from './procfs.js';

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_NO_AUTOMOUNT = 0x800;
export const AT_EMPTY_PATH = 0x1000;
export const AT_EACCESS = 0x200;

/**
 * The host path for a guest path: the guest's own /proc/<pid> entries → the host's
 * /proc/self ones (/proc/self/exe → the guest program); with -L, an absolute path that
 * exists under the prefix is taken from there (as qemu's path()).
 */
export function hostPath(ctx: SyscallContext, path: string): string {
  if (path.startsWith('/proc/')) {
    const own = procHostPath(ctx, path);
    if (own !== null) return own;
  }
  return prefixedPath(ctx.proc.ldPrefix, path);
}

/** An absolute guest path under the -L prefix if it exists there, else the path itself. */
export function prefixedPath(prefix: string | undefined, path: string): string {
  if (prefix && path.startsWith('/') && path !== '/') {
    const p = prefix + path;
    if (existsSync(p)) return p;
  }
  return path;
}

/** Read a guest path argument (faults → -EFAULT via the dispatcher). */
export function guestPath(ctx: SyscallContext, address: number): string {
  return ctx.mem.readCString(address >>> 0, 4096);
}

/** Resolve `path` relative to `dirfd` (AT_FDCWD or an open directory); host path or -errno. */
export function resolveAt(ctx: SyscallContext, dirfd: number, path: string): string | number {
  if (isAbsolute(path) || dirfd === AT_FDCWD) return hostPath(ctx, path);
  const slot = ctx.proc.fds.get(dirfd);
  if (!slot) return -EBADF;
  if (slot.file.kind !== 'dir' || slot.file.path === '') return -ENOTDIR;
  return path === '' ? slot.file.path : join(slot.file.path, path);
}
