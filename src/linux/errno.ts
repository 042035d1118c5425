// Linux errno values (asm-generic numbering, used by ARM and most targets) and the mapping
// from Node.js host errors to them. Syscall handlers return -errno.

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const ETXTBSY = 26;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EMLINK = 31;
export const EPIPE = 32;
export const EDOM = 33;
export const ERANGE = 34;
export const EDEADLK = 35;
export const ENAMETOOLONG = 36;
export const ENOLCK = 37;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ELOOP = 40;
export const ENODATA = 61;
export const ETIME = 62;
export const EOVERFLOW = 75;
export const EILSEQ = 84;
export const ENOTSOCK = 88;
export const EDESTADDRREQ = 89;
export const EMSGSIZE = 90;
export const EPROTOTYPE = 91;
export const ENOPROTOOPT = 92;
export const EPROTONOSUPPORT = 93;
export const ESOCKTNOSUPPORT = 94;
export const EOPNOTSUPP = 95;
export const EAFNOSUPPORT = 97;
export const EADDRINUSE = 98;
export const EADDRNOTAVAIL = 99;
export const ENETDOWN = 100;
export const ENETUNREACH = 101;
export const ECONNABORTED = 103;
export const ENOBUFS = 105;
export const EISCONN = 106;
export const ESHUTDOWN = 108;
export const EHOSTUNREACH = 113;
export const ECONNREFUSED = 111;
export const ETIMEDOUT = 110;
export const ECONNRESET = 104;
export const ENOTCONN = 107;
export const EALREADY = 114;
export const EINPROGRESS = 115;
export const ENOTSUP = EOPNOTSUPP;

/** Node's err.code strings (libuv names equal the POSIX names) → Linux errno. */
const BY_CODE: Record<string, number> = {
  EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF, ECHILD, EAGAIN, ENOMEM,
  EACCES, EFAULT, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE,
  ENOTTY, ETXTBSY, EFBIG, ENOSPC, ESPIPE, EROFS, EMLINK, EPIPE, EDOM, ERANGE, EDEADLK,
  ENAMETOOLONG, ENOLCK, ENOSYS, ENOTEMPTY, ELOOP, ENODATA, ETIME, EOVERFLOW, EILSEQ,
  ENOTSOCK, EOPNOTSUPP, ENOTSUP, EADDRINUSE, ECONNREFUSED, ETIMEDOUT, ECONNRESET, ENOTCONN,
  EALREADY, EINPROGRESS, EWOULDBLOCK: EAGAIN, EDESTADDRREQ, EMSGSIZE, EPROTOTYPE, ENOPROTOOPT,
  EPROTONOSUPPORT, ESOCKTNOSUPPORT, EAFNOSUPPORT, EADDRNOTAVAIL, ENETDOWN, ENETUNREACH, ECONNABORTED,
  ENOBUFS, EISCONN, ESHUTDOWN, EHOSTUNREACH,
};

/**
 * The Linux errno for a host error thrown by node:fs and friends: by err.code first, then by
 * err.errno (negative libuv numbers are -errno of the host, which on Linux hosts is the same
 * numbering). Anything unrecognised becomes EIO.
 */
export function errnoFromHost(err: unknown): number {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code in BY_CODE) return BY_CODE[code]!;
    const errno = (err as { errno?: unknown }).errno;
    if (typeof errno === 'number' && errno !== 0 && process.platform === 'linux') return Math.abs(errno);
  }
  return EIO;
}

/** Run a host call; a thrown host error becomes -errno. */
export function hostCall(fn: () => number): number {
  try {
    return fn();
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'guestFault' in e) throw e;
    return -errnoFromHost(e);
  }
}

/** glibc's strerror() text, which qemu-arm -strace prints after "errno=N". */
const MESSAGES: Record<number, string> = {
  [EPERM]: 'Operation not permitted',
  [ENOENT]: 'No such file or directory',
  [ESRCH]: 'No such process',
  [EINTR]: 'Interrupted system call',
  [EIO]: 'Input/output error',
  [ENXIO]: 'No such device or address',
  [E2BIG]: 'Argument list too long',
  [ENOEXEC]: 'Exec format error',
  [EBADF]: 'Bad file descriptor',
  [ECHILD]: 'No child processes',
  [EAGAIN]: 'Resource temporarily unavailable',
  [ENOMEM]: 'Cannot allocate memory',
  [EACCES]: 'Permission denied',
  [EFAULT]: 'Bad address',
  [EBUSY]: 'Device or resource busy',
  [EEXIST]: 'File exists',
  [EXDEV]: 'Invalid cross-device link',
  [ENODEV]: 'No such device',
  [ENOTDIR]: 'Not a directory',
  [EISDIR]: 'Is a directory',
  [EINVAL]: 'Invalid argument',
  [ENFILE]: 'Too many open files in system',
  [EMFILE]: 'Too many open files',
  [ENOTTY]: 'Inappropriate ioctl for device',
  [ETXTBSY]: 'Text file busy',
  [EFBIG]: 'File too large',
  [ENOSPC]: 'No space left on device',
  [ESPIPE]: 'Illegal seek',
  [EROFS]: 'Read-only file system',
  [EMLINK]: 'Too many links',
  [EPIPE]: 'Broken pipe',
  [EDOM]: 'Numerical argument out of domain',
  [ERANGE]: 'Numerical result out of range',
  [EDEADLK]: 'Resource deadlock avoided',
  [ENAMETOOLONG]: 'File name too long',
  [ENOLCK]: 'No locks available',
  [ENOSYS]: 'Function not implemented',
  [ENOTEMPTY]: 'Directory not empty',
  [ELOOP]: 'Too many levels of symbolic links',
  [ENODATA]: 'No data available',
  [ETIME]: 'Timer expired',
  [EOVERFLOW]: 'Value too large for defined data type',
  [EILSEQ]: 'Invalid or incomplete multibyte or wide character',
  [ENOTSOCK]: 'Socket operation on non-socket',
  [EOPNOTSUPP]: 'Operation not supported',
  [EDESTADDRREQ]: 'Destination address required',
  [EMSGSIZE]: 'Message too long',
  [EPROTOTYPE]: 'Protocol wrong type for socket',
  [ENOPROTOOPT]: 'Protocol not available',
  [EPROTONOSUPPORT]: 'Protocol not supported',
  [ESOCKTNOSUPPORT]: 'Socket type not supported',
  [EAFNOSUPPORT]: 'Address family not supported by protocol',
  [EADDRNOTAVAIL]: 'Cannot assign requested address',
  [ENETDOWN]: 'Network is down',
  [ENETUNREACH]: 'Network is unreachable',
  [ECONNABORTED]: 'Software caused connection abort',
  [ENOBUFS]: 'No buffer space available',
  [EISCONN]: 'Transport endpoint is already connected',
  [ESHUTDOWN]: 'Cannot send after transport endpoint shutdown',
  [EHOSTUNREACH]: 'No route to host',
  [EADDRINUSE]: 'Address already in use',
  [ECONNRESET]: 'Connection reset by peer',
  [ENOTCONN]: 'Transport endpoint is not connected',
  [ETIMEDOUT]: 'Connection timed out',
  [ECONNREFUSED]: 'Connection refused',
  [EALREADY]: 'Operation already in progress',
  [EINPROGRESS]: 'Operation now in progress',
};

export function errnoMessage(errno: number): string {
  return MESSAGES[errno] ?? `Unknown error ${errno}`;
}
