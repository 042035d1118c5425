// Extended attributes. Node has no xattr API, so tsqemu reports what a file system without
// extended attributes does: no attribute to read (ENODATA), an empty list, and setting
// refused (ENOTSUP). Programs such as ls -l (ACLs, SELinux labels) treat these as "none".
import { lstatSync, statSync } from 'node:fs';
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import { EBADF, ENODATA, ENOTSUP, hostCall } from '../errno.js';
import { guestPath, hostPath } from '../paths.js';

/** The file must exist (the kernel looks it up before asking its file system). */
function pathExists(ctx: SyscallContext, pathAddr: number, follow: boolean): number {
  const path = hostPath(ctx, guestPath(ctx, pathAddr));
  return hostCall(() => {
    (follow ? statSync : lstatSync)(path);
    return 0;
  });
}

function fdExists(ctx: SyscallContext, fd: number): number {
  return ctx.proc.fds.get(fd) ? 0 : -EBADF;
}

/** Run the check, then answer `result` if it passed. */
const then = (check: number, result: number): number => (check < 0 ? check : result);

export const xattrSyscalls: SyscallTable = {
  getxattr: (ctx, path) => then(pathExists(ctx, path, true), -ENODATA),
  lgetxattr: (ctx, path) => then(pathExists(ctx, path, false), -ENODATA),
  fgetxattr: (ctx, fd) => then(fdExists(ctx, fd), -ENODATA),
  listxattr: (ctx, path) => then(pathExists(ctx, path, true), 0),
  llistxattr: (ctx, path) => then(pathExists(ctx, path, false), 0),
  flistxattr: (ctx, fd) => then(fdExists(ctx, fd), 0),
  setxattr: (ctx, path) => then(pathExists(ctx, path, true), -ENOTSUP),
  lsetxattr: (ctx, path) => then(pathExists(ctx, path, false), -ENOTSUP),
  fsetxattr: (ctx, fd) => then(fdExists(ctx, fd), -ENOTSUP),
  removexattr: (ctx, path) => then(pathExists(ctx, path, true), -ENODATA),
  lremovexattr: (ctx, path) => then(pathExists(ctx, path, false), -ENODATA),
  fremovexattr: (ctx, fd) => then(fdExists(ctx, fd), -ENODATA),
};
