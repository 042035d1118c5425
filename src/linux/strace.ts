// -strace: one line per syscall in qemu-arm's format,
//   "PID name(arg,arg,...) = result"   or   " = -1 errno=N (message)"
// driven by a table from syscall name to argument formats. Syscalls qemu-arm's own table
// lacks print "PID Unknown syscall N"; names with no entry here print six signed decimals.
import type { GuestMemory } from '../memory/guest-memory.js';
import { isGuestFault } from '../memory/guest-memory.js';
import type { OpenFlagEncoding } from './abi.js';
import { errnoMessage } from './errno.js';
import { openFlagNames, O_CREAT } from './open-flags.js';
import { SIGNAL_NAMES } from './signals.js';

/**
 * Argument formats:
 *   d signed decimal   x %#x hex   p pointer (NULL or 0x%08x)   s string   o octal mode
 *   at dirfd   oflags open flags   omode mode only with O_CREAT   prot   mflags mmap flags
 *   sig signal   how sigprocmask how   clock clock id   amode access mode   whence
 *   fcntl command (+ its argument)   ioctl request   futex op   atflags   smask statx mask
 *   ts / ts64 struct timespec contents
 *   sockdomain socktype sockproto socket(2)'s arguments   sockaddr struct sockaddr (and its
 *   length, the next argument, which is then 'skip')   lenptr a socklen_t pointer as [N]
 */
type ArgFormat =
  | 'd' | 'x' | 'p' | 's' | 'o' | 'at' | 'oflags' | 'omode' | 'prot' | 'mflags' | 'sig' | 'how' | 'clock'
  | 'amode' | 'whence' | 'fcntl' | 'ioctl' | 'futex' | 'atflags' | 'smask' | 'ts' | 'ts64' | 'trailing-comma'
  | 'sockdomain' | 'socktype' | 'sockproto' | 'sockaddr' | 'skip' | 'lenptr';

interface StraceEntry {
  args?: readonly ArgFormat[];
  /** 'addr': success printed as 0x%08x (brk, mmap); 'none': never returns (exit). */
  ret?: 'addr' | 'none';
  /** Printed after the result on success: the struct a pointer argument now holds. */
  after?: { arg: number; format: 'ts' | 'ts64' };
}

const E = (args?: readonly ArgFormat[], extra: Omit<StraceEntry, 'args'> = {}): StraceEntry => ({ ...(args ? { args } : {}), ...extra });

/** Syscalls qemu-arm 7.2 -strace does not know: printed as "Unknown syscall N". */
const QEMU_UNKNOWN = new Set(['rseq', 'get_tls', 'pselect6_time64', 'epoll_pwait2', 'timerfd_gettime64', 'timerfd_settime64', 'recvmmsg_time64']);

export const STRACE_TABLE: Record<string, StraceEntry> = {
  exit: E(['d'], { ret: 'none' }),
  exit_group: E(['d'], { ret: 'none' }),
  read: E(['d', 'x', 'd']),
  write: E(['d', 'x', 'd']),
  readv: E(['d', 'x', 'x']),
  writev: E(['d', 'x', 'x']),
  pread64: E(),
  pwrite64: E(),
  open: E(['s', 'oflags', 'omode']),
  openat: E(['at', 's', 'oflags', 'omode']),
  close: E(['d']),
  lseek: E(['d', 'd', 'whence']),
  _llseek: E(['d', 'd', 'd', 'p', 'whence']),
  stat64: E(['s', 'p']),
  lstat64: E(['s', 'p']),
  fstat64: E(['d', 'p']),
  fstatat64: E(['at', 's', 'p', 'atflags']),
  statx: E(['at', 's', 'atflags', 'smask', 'p']),
  getdents64: E(['d', 'x', 'd']),
  mmap2: E(['p', 'd', 'prot', 'mflags', 'd', 'd'], { ret: 'addr' }),
  mmap: E(['p'], { ret: 'addr' }),
  munmap: E(['p', 'd']),
  mprotect: E(['p', 'd', 'prot']),
  mremap: E(['p', 'd', 'd', 'x', 'p'], { ret: 'addr' }),
  madvise: E(['p', 'd', 'd']),
  brk: E(['p'], { ret: 'addr' }),
  uname: E(['x']),
  getpid: E([]),
  getppid: E([]),
  gettid: E([]),
  getuid32: E(),
  geteuid32: E(),
  getgid32: E(),
  getegid32: E(),
  set_tid_address: E(),
  set_robust_list: E(),
  clock_gettime: E(['clock', 'p'], { after: { arg: 1, format: 'ts' } }),
  clock_gettime64: E(['clock', 'p'], { after: { arg: 1, format: 'ts64' } }),
  clock_getres: E(['clock', 'p']),
  clock_getres_time64: E(['clock', 'p']),
  gettimeofday: E(['p', 'p']),
  time: E(['p']),
  nanosleep: E(['ts', 'p']),
  clock_nanosleep: E(['clock', 'd', 'ts', 'ts']),
  clock_nanosleep_time64: E(['clock', 'd', 'ts64', 'ts64']),
  getrandom: E(['x', 'd', 'd']),
  ioctl: E(['d', 'ioctl', 'x']),
  fcntl: E(['d', 'fcntl']),
  fcntl64: E(['d', 'fcntl']),
  dup: E(['d']),
  dup2: E(['d', 'd']),
  dup3: E(['d', 'd', 'd']),
  pipe: E(),
  pipe2: E(),
  access: E(['s', 'amode']),
  faccessat: E(['at', 's', 'amode']),
  faccessat2: E(['at', 's', 'amode', 'atflags']),
  readlink: E(['s', 'p', 'd']),
  readlinkat: E(['at', 's', 'p', 'd']),
  getcwd: E(['x', 'd']),
  chdir: E(['s']),
  fchdir: E(['d']),
  mkdir: E(['s', 'o']),
  mkdirat: E(['at', 's', 'o']),
  unlink: E(['s']),
  unlinkat: E(['at', 's', 'atflags']),
  rmdir: E(['s', 'trailing-comma']),
  rename: E(['s', 's']),
  renameat: E(['at', 's', 'at', 's']),
  renameat2: E(['at', 's', 'at', 's', 'x']),
  umask: E(['o']),
  prlimit64: E(),
  ugetrlimit: E(),
  getrlimit: E(),
  sysinfo: E(),
  sched_yield: E(),
  sched_getaffinity: E(),
  rt_sigaction: E(['sig', 'p', 'p']),
  rt_sigprocmask: E(['how', 'p', 'p']),
  sigaltstack: E(['p', 'p']),
  futex: E(['p', 'futex', 'd', 'p', 'p', 'd']),
  futex_time64: E(['p', 'futex', 'd', 'p', 'p', 'd']),
  kill: E(['d', 'sig']),
  tgkill: E(['d', 'd', 'sig']),
  tkill: E(['d', 'sig']),
  getcpu: E(['p', 'p', 'p']),
  statfs64: E(['s', 'd', 'p']),
  fstatfs64: E(['d', 'd', 'p']),
  ftruncate: E(['d', 'd']),
  ftruncate64: E(),
  truncate: E(['s', 'd']),
  fsync: E(['d']),
  fdatasync: E(['d']),
  chmod: E(['s', 'o']),
  fchmod: E(['d', 'o']),
  fchmodat: E(['at', 's', 'o']),
  symlink: E(['s', 's']),
  symlinkat: E(['s', 'at', 's']),
  link: E(['s', 's']),
  linkat: E(['at', 's', 'at', 's', 'atflags']),
  set_tls: E(),
  cacheflush: E(),
  socket: E(['sockdomain', 'socktype', 'sockproto']),
  bind: E(['d', 'sockaddr', 'skip']),
  connect: E(['d', 'x', 'd']),
  listen: E(['d', 'd']),
  accept: E(['d', 'p', 'lenptr']),
  recvmsg: E(['d', 'x', 'x']),
  eventfd: E(['d']),
  eventfd2: E(['d', 'd']),
  epoll_create: E(['d']),
  epoll_create1: E(['d']),
};

const hex = (v: number) => (v >>> 0).toString(16);
const ptr = (v: number) => (v === 0 ? 'NULL' : `0x${hex(v).padStart(8, '0')}`);
const altHex = (v: number) => (v === 0 ? '0' : `0x${hex(v)}`);

function flagList(v: number, names: readonly [number, string][], zero: string): string {
  if (v === 0) return zero;
  const out: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of names) {
    if ((rest & bit) === bit && bit !== 0) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) out.push(altHex(rest));
  return out.join('|');
}

const PROT_NAMES: [number, string][] = [[4, 'PROT_EXEC'], [1, 'PROT_READ'], [2, 'PROT_WRITE'], [0x01000000, 'PROT_GROWSDOWN'], [0x02000000, 'PROT_GROWSUP']];
const MAP_NAMES: [number, string][] = [
  [0x20, 'MAP_ANONYMOUS'], [0x800, 'MAP_DENYWRITE'], [0x1000, 'MAP_EXECUTABLE'], [0x10, 'MAP_FIXED'], [0x100000, 'MAP_FIXED_NOREPLACE'],
  [0x100, 'MAP_GROWSDOWN'], [0x40000, 'MAP_HUGETLB'], [0x2000, 'MAP_LOCKED'], [0x10000, 'MAP_NONBLOCK'], [0x4000, 'MAP_NORESERVE'],
  [0x8000, 'MAP_POPULATE'], [0x20000, 'MAP_STACK'],
];
const AT_NAMES: [number, string][] = [[0x1000, 'AT_EMPTY_PATH'], [0x800, 'AT_NO_AUTOMOUNT'], [0x200, 'AT_REMOVEDIR'], [0x400, 'AT_SYMLINK_FOLLOW'], [0x100, 'AT_SYMLINK_NOFOLLOW']];
const CLOCKS = ['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID', 'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_MONOTONIC_RAW', 'CLOCK_REALTIME_COARSE', 'CLOCK_MONOTONIC_COARSE', 'CLOCK_BOOTTIME'];
const FCNTL: Record<number, [string, 'none' | 'd' | 'oflags' | 'p']> = {
  0: ['F_DUPFD', 'd'], 1: ['F_GETFD', 'none'], 2: ['F_SETFD', 'd'], 3: ['F_GETFL', 'none'], 4: ['F_SETFL', 'oflags'],
  5: ['F_GETLK', 'p'], 6: ['F_SETLK', 'p'], 7: ['F_SETLKW', 'p'], 12: ['F_GETLK64', 'p'], 13: ['F_SETLK64', 'p'], 14: ['F_SETLKW64', 'p'],
  1030: ['F_DUPFD_CLOEXEC', 'd'], 1032: ['F_GETPIPE_SZ', 'none'],
};
const IOCTLS: Record<number, string> = { 0x5401: 'TCGETS', 0x5402: 'TCSETS', 0x5403: 'TCSETSW', 0x5404: 'TCSETSF', 0x540f: 'TIOCGPGRP', 0x5413: 'TIOCGWINSZ', 0x541b: 'FIONREAD', 0x5421: 'FIONBIO' };
const FUTEX_OPS = ['FUTEX_WAIT', 'FUTEX_WAKE', 'FUTEX_FD', 'FUTEX_REQUEUE', 'FUTEX_CMP_REQUEUE', 'FUTEX_WAKE_OP', 'FUTEX_LOCK_PI', 'FUTEX_UNLOCK_PI', 'FUTEX_TRYLOCK_PI', 'FUTEX_WAIT_BITSET', 'FUTEX_WAKE_BITSET'];

const SOCK_DOMAINS: Record<number, string> = { 1: 'PF_UNIX', 2: 'PF_INET', 16: 'PF_NETLINK', 17: 'PF_PACKET' };
const SOCK_TYPES: Record<number, string> = { 1: 'SOCK_STREAM', 2: 'SOCK_DGRAM', 3: 'SOCK_RAW', 4: 'SOCK_RDM', 5: 'SOCK_SEQPACKET', 10: 'SOCK_PACKET' };
const IP_PROTOCOLS: Record<number, string> = { 0: 'IPPROTO_IP', 6: 'IPPROTO_TCP', 17: 'IPPROTO_UDP', 255: 'IPPROTO_RAW' };
const NETLINK_PROTOCOLS: Record<number, string> = { 0: 'NETLINK_ROUTE' };

/** A struct sockaddr as qemu-arm prints it (Unix and IPv4 by field, others as raw sa_data bytes). */
function sockaddr(mem: GuestMemory, address: number): string {
  if (address === 0) return 'NULL';
  try {
    const family = mem.read16(address >>> 0);
    if (family === 1) return `{sun_family=AF_UNIX,sun_path="${mem.readCString((address >>> 0) + 2, 108)}"}`;
    if (family === 2) {
      const b = mem.readBytes((address >>> 0) + 2, 6);
      return `{sin_family=AF_INET,sin_port=htons(${(b[0]! << 8) | b[1]!}),sin_addr=inet_addr("${b[2]}.${b[3]}.${b[4]}.${b[5]}")}`;
    }
    const data = [...mem.readBytes((address >>> 0) + 2, 14)].map((x) => x.toString(16).padStart(2, '0'));
    return `{sa_family=${family}, sa_data={${data.join(', ')}}}`;
  } catch (e) {
    if (isGuestFault(e)) return ptr(address);
    throw e;
  }
}

function quoted(mem: GuestMemory, address: number): string {
  if (address === 0) return 'NULL';
  try {
    return `"${mem.readCString(address >>> 0, 4096)}"`;
  } catch (e) {
    if (isGuestFault(e)) return ptr(address);
    throw e;
  }
}

function timespec(mem: GuestMemory, address: number, time64: boolean): string {
  if (address === 0) return 'NULL';
  try {
    const sec = time64 ? mem.read32(address) : mem.read32(address);
    const nsec = time64 ? mem.read32(address + 8) : mem.read32(address + 4);
    return `{tv_sec = ${sec},tv_nsec = ${nsec}}`;
  } catch (e) {
    if (isGuestFault(e)) return ptr(address);
    throw e;
  }
}

export class Strace {
  constructor(
    private readonly mem: GuestMemory,
    private readonly openFlags: OpenFlagEncoding,
  ) {}

  /** "name(args)" (or "Unknown syscall N") for a call about to be made, without the pid. */
  formatCall(nr: number, name: string | undefined, a: readonly number[]): string {
    if (name === undefined || QEMU_UNKNOWN.has(name)) return `Unknown syscall ${nr}\n`;
    const entry = STRACE_TABLE[name];
    if (!entry?.args) return `${name}(${a.slice(0, 6).map((v) => String(v | 0)).join(',')})`;
    const parts: string[] = [];
    const fmts = entry.args;
    for (let i = 0; i < fmts.length; i++) {
      const s = this.formatArg(fmts[i]!, a[i]! | 0, a, i);
      if (s !== null) parts.push(s);
    }
    const text = `${name}(${parts.join(',')})`;
    return entry.ret === 'none' ? text + '\n' : text;
  }

  /** " = result" for the call formatCall described ('' for calls printed as unknown). */
  formatReturn(name: string | undefined, ret: number, a: readonly number[]): string {
    if (name === undefined || QEMU_UNKNOWN.has(name)) return '';
    if (ret < 0 && ret >= -4095) return ` = -1 errno=${-ret} (${errnoMessage(-ret)})\n`;
    const entry = STRACE_TABLE[name];
    let text = entry?.ret === 'addr' ? ` = 0x${hex(ret).padStart(8, '0')}` : ` = ${ret}`;
    if (entry?.after && ret === 0) text += ` (${timespec(this.mem, a[entry.after.arg]! >>> 0, entry.after.format === 'ts64')})`;
    return text + '\n';
  }

  private formatArg(f: ArgFormat, v: number, a: readonly number[], i: number): string | null {
    switch (f) {
      case 'd': return String(v);
      case 'x': return altHex(v);
      case 'p': return ptr(v);
      case 's': return quoted(this.mem, v);
      case 'o': return '0' + (v >>> 0).toString(8);
      case 'at': return v === -100 ? 'AT_FDCWD' : String(v);
      case 'oflags': return openFlagNames(v, this.openFlags);
      case 'omode': return (a[i - 1]! & O_CREAT) !== 0 ? '0' + (v >>> 0).toString(8) : null;
      case 'prot': return flagList(v, PROT_NAMES, 'PROT_NONE');
      case 'mflags': {
        const type = ['', 'MAP_SHARED', 'MAP_PRIVATE', 'MAP_SHARED_VALIDATE'][v & 3] ?? '';
        const rest = flagList(v & ~3, MAP_NAMES, '');
        return [type, rest].filter((s) => s !== '').join('|') || '0';
      }
      case 'sig': return SIGNAL_NAMES[v] || String(v);
      case 'how': return ['SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK'][v] ?? String(v);
      case 'clock': return CLOCKS[v] ?? String(v);
      case 'amode': return flagList(v, [[4, 'R_OK'], [2, 'W_OK'], [1, 'X_OK']], 'F_OK');
      case 'whence': return ['SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'SEEK_DATA', 'SEEK_HOLE'][v] ?? String(v);
      case 'fcntl': {
        const c = FCNTL[v];
        if (!c) return `${v},${altHex(a[i + 1]!)}`;
        const arg = a[i + 1]! | 0;
        if (c[1] === 'none') return c[0];
        if (c[1] === 'd') return `${c[0]},${arg}`;
        if (c[1] === 'oflags') return `${c[0]},${openFlagNames(arg, this.openFlags)}`;
        return `${c[0]},${ptr(arg)}`;
      }
      case 'ioctl': return IOCTLS[v >>> 0] ?? altHex(v);
      case 'futex': {
        const cmd = FUTEX_OPS[v & 0x7f] ?? String(v & 0x7f);
        return (v & 128 ? 'FUTEX_PRIVATE_FLAG|' : '') + (v & 256 ? 'FUTEX_CLOCK_REALTIME|' : '') + cmd;
      }
      case 'atflags': return flagList(v, AT_NAMES, '0');
      case 'smask': return (v >>> 0) === 0x7ff ? 'STATX_BASIC_STATS' : altHex(v);
      case 'ts': return timespec(this.mem, v, false);
      case 'ts64': return timespec(this.mem, v, true);
      case 'trailing-comma': return ''; // qemu-arm prints rmdir("path",)
      case 'sockdomain': return SOCK_DOMAINS[v] ?? String(v);
      case 'socktype': {
        // qemu-arm prints nothing for a type it does not know.
        const base = SOCK_TYPES[v & 0xf] ?? '';
        return base + (v & 0x80000 ? '|SOCK_CLOEXEC' : '') + (v & 0x800 ? '|SOCK_NONBLOCK' : '');
      }
      case 'sockproto': {
        if (a[0] === 17 || (a[0] === 2 && (a[1]! & 0xf) === 10)) return String(v);
        if (a[0] === 16) return NETLINK_PROTOCOLS[v] ?? String(v);
        return IP_PROTOCOLS[v] ?? String(v);
      }
      case 'sockaddr': return `${sockaddr(this.mem, v)}, ${a[i + 1]! | 0}`;
      case 'skip': return null;
      case 'lenptr': {
        if (v === 0) return 'NULL';
        try {
          return `[${this.mem.read32(v >>> 0)}]`;
        } catch (e) {
          if (isGuestFault(e)) return ptr(v);
          throw e;
        }
      }
    }
  }
}
