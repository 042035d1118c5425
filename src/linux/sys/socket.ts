// Socket syscalls: socket, socketpair, bind, connect, listen, accept/accept4, getsockname,
// getpeername, send/sendto/sendmsg/sendmmsg, recv/recvfrom/recvmsg/recvmmsg, shutdown,
// setsockopt/getsockopt, and the multiplexed socketcall. AF_UNIX sockets are in memory
// (../net/unix.ts), AF_INET/AF_INET6 TCP uses node:net (../net/stream.ts), UDP node:dgram
// (../net/udp.ts). Other families fail with EAFNOSUPPORT (glibc falls back, e.g. from
// netlink). read/write/fstat/poll/epoll/fcntl reach sockets through their FileOps.
import type { SyscallContext, SyscallTable } from '../syscalls.js';
import {
  EAFNOSUPPORT, EBADF, EDOM, EFAULT, EINVAL, EMSGSIZE, ENOPROTOOPT, ENOTCONN, ENOTSOCK, EOPNOTSUPP, EPERM, EPIPE, EPROTONOSUPPORT, ESOCKTNOSUPPORT,
} from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { installOpsFile } from '../file-ops.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../open-flags.js';
import { sendToThread } from '../signal-delivery.js';
import { SIGPIPE, SI_USER } from '../signals.js';
import { StructBuilder, readIovecs } from '../structs.js';
import { writableView, wroteGuest } from '../guest-buffers.js';
import { GuestSocket, type RecvResult } from '../net/socket-base.js';
import {
  AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP, MSG_CMSG_CLOEXEC, MSG_CTRUNC, MSG_DONTWAIT,
  MSG_NOSIGNAL, MSG_OOB, MSG_TRUNC, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, type SockAddr, readSockaddr,
  encodeSockaddr as encodeFrom, sockaddrFamily, writeSockaddr,
} from '../net/sockaddr.js';
import { StreamSocket } from '../net/stream.js';
import { UdpSocket } from '../net/udp.js';
import { UNIX_QUEUE_LIMIT, UnixSocket } from '../net/unix.js';

const SOCK_NONBLOCK = O_NONBLOCK;
const SOCK_CLOEXEC = O_CLOEXEC;
const SOCK_MAX = 11;
const MAX_FAMILY = 46;

// SOL_SOCKET options (asm-generic numbering).
const SO_DEBUG = 1;
const SO_REUSEADDR = 2;
const SO_TYPE = 3;
const SO_ERROR = 4;
const SO_DONTROUTE = 5;
const SO_BROADCAST = 6;
const SO_SNDBUF = 7;
const SO_RCVBUF = 8;
const SO_KEEPALIVE = 9;
const SO_OOBINLINE = 10;
const SO_NO_CHECK = 11;
const SO_PRIORITY = 12;
const SO_LINGER = 13;
const SO_REUSEPORT = 15;
const SO_PASSCRED = 16;
const SO_PEERCRED = 17;
const SO_RCVLOWAT = 18;
const SO_SNDLOWAT = 19;
const SO_RCVTIMEO_OLD = 20;
const SO_SNDTIMEO_OLD = 21;
const SO_BINDTODEVICE = 25;
const SO_TIMESTAMP_OLD = 29;
const SO_ACCEPTCONN = 30;
const SO_SNDBUFFORCE = 32;
const SO_RCVBUFFORCE = 33;
const SO_PROTOCOL = 38;
const SO_DOMAIN = 39;
const SO_RCVTIMEO_NEW = 66;
const SO_SNDTIMEO_NEW = 67;
const SCM_RIGHTS = 1;
const SCM_CREDENTIALS = 2;
/** Most files one SCM_RIGHTS message may carry. */
const SCM_MAX_FD = 253;
const RMEM_MAX = 212992;
const SOCK_MIN_RCVBUF = 2304;
const SOCK_MIN_SNDBUF = 4608;

/** Flag options of SOL_SOCKET: stored as 0/1. */
const SOCKET_FLAGS = new Set([SO_DEBUG, SO_REUSEADDR, SO_DONTROUTE, SO_BROADCAST, SO_KEEPALIVE, SO_OOBINLINE, SO_NO_CHECK, SO_REUSEPORT, SO_PASSCRED, SO_TIMESTAMP_OLD]);

/** Integer options of other levels and their defaults (what getsockopt says before a set). */
const TCP_OPTIONS: Record<number, number> = { 1: 0, 2: 536, 3: 0, 4: 7200, 5: 75, 6: 9, 7: 6, 8: 60, 9: 0, 10: 0, 12: 1, 18: 0, 25: 0 };
const IP_OPTIONS: Record<number, number> = { 1: 0, 2: 64, 3: 0, 8: 0, 10: 1, 11: 0, 12: 0, 13: 0, 15: 0, 19: 0, 24: 0, 32: 0, 33: 1, 34: 1, 35: 0, 36: 0 };
const IPV6_OPTIONS: Record<number, number> = { 16: 64, 17: 0, 18: 1, 19: 1, 20: 0, 21: 0, 26: 0, 49: 0, 67: 0 };
const UDP_OPTIONS: Record<number, number> = { 1: 0, 100: 0, 101: 0 };

/** The socket open at `fd`: -EBADF, -ENOTSOCK. */
function sockOf(ctx: SyscallContext, fd: number): { file: OpenFile; sock: GuestSocket } | number {
  const slot = ctx.proc.fds.get(fd);
  if (!slot) return -EBADF;
  const ops = slot.file.ops;
  if (!(ops instanceof GuestSocket)) return -ENOTSOCK;
  return { file: slot.file, sock: ops };
}

/** Run `then` on a result that may still be pending. */
function after<T, R>(v: T | Promise<T>, then: (v: T) => R): R | Promise<R> {
  return v instanceof Promise ? v.then(then) : then(v);
}

// ---- creating ----

function newSocket(ctx: SyscallContext, domain: number, type: number, protocol: number): GuestSocket | number {
  const base = type & 0xf;
  if (domain < 0 || domain >= MAX_FAMILY) return -EAFNOSUPPORT;
  if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC) || base <= 0 || base >= SOCK_MAX) return -EINVAL;
  if (domain === AF_UNIX) {
    if (protocol !== 0 && protocol !== AF_UNIX) return -EPROTONOSUPPORT;
    if (base === SOCK_STREAM || base === SOCK_SEQPACKET) return new UnixSocket(base, { pid: ctx.proc.pid, uid: ctx.proc.uid, gid: ctx.proc.gid });
    // Linux makes a SOCK_RAW Unix socket a datagram one.
    if (base === SOCK_DGRAM || base === SOCK_RAW) return new UnixSocket(SOCK_DGRAM, { pid: ctx.proc.pid, uid: ctx.proc.uid, gid: ctx.proc.gid });
    return -ESOCKTNOSUPPORT;
  }
  if (domain === AF_INET || domain === AF_INET6) {
    if (protocol < 0 || protocol >= 256) return -EINVAL;
    if (base === SOCK_STREAM) return protocol === 0 || protocol === IPPROTO_TCP ? new StreamSocket(domain, IPPROTO_TCP) : -EPROTONOSUPPORT;
    if (base === SOCK_DGRAM) return protocol === 0 || protocol === IPPROTO_UDP ? new UdpSocket(domain, IPPROTO_UDP) : -EPROTONOSUPPORT;
    // Raw sockets need privileges the emulator does not pass on.
    if (base === SOCK_RAW) return protocol === 0 ? -EPROTONOSUPPORT : -EPERM;
    return -ESOCKTNOSUPPORT;
  }
  return -EAFNOSUPPORT;
}

function install(ctx: SyscallContext, sock: GuestSocket, flags: number): number {
  return installOpsFile(ctx, sock, 'socket', O_RDWR | (flags & SOCK_NONBLOCK), (flags & SOCK_CLOEXEC) !== 0);
}

function socket(ctx: SyscallContext, domain: number, type: number, protocol: number): number {
  const s = newSocket(ctx, domain, type, protocol);
  return typeof s === 'number' ? s : install(ctx, s, type);
}

function socketpair(ctx: SyscallContext, domain: number, type: number, protocol: number, sv: number): number {
  const probe = newSocket(ctx, domain, type, protocol);
  if (typeof probe === 'number') return probe;
  if (!(probe instanceof UnixSocket)) {
    probe.release();
    return -EOPNOTSUPP;
  }
  const [a, b] = UnixSocket.pair(ctx, probe.type);
  const fa = install(ctx, a, type);
  if (fa < 0) return fa;
  const fb = install(ctx, b, type);
  if (fb < 0) {
    ctx.proc.fds.close(fa);
    return fb;
  }
  try {
    new StructBuilder(8).u32(0, fa).u32(4, fb).writeTo(ctx.mem, sv >>> 0);
  } catch (e) {
    ctx.proc.fds.close(fa);
    ctx.proc.fds.close(fb);
    throw e;
  }
  return 0;
}

// ---- addresses and connections ----

function bind(ctx: SyscallContext, fd: number, addr: number, len: number): number | Promise<number> {
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  const sa = readSockaddr(ctx, addr, len, s.sock.family);
  if (typeof sa === 'number') return sa;
  return s.sock.bind(ctx, sa);
}

function connect(ctx: SyscallContext, fd: number, addr: number, len: number): number | Promise<number> {
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  if (sockaddrFamily(ctx, addr, len) === AF_UNSPEC && s.sock.family !== AF_UNIX) return s.sock.connect(ctx, s.file, null);
  const sa = readSockaddr(ctx, addr, len, s.sock.family);
  if (typeof sa === 'number') return sa;
  return s.sock.connect(ctx, s.file, sa);
}

function listen(ctx: SyscallContext, fd: number, backlog: number): number | Promise<number> {
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  if (s.sock.type !== SOCK_STREAM && s.sock.type !== SOCK_SEQPACKET) return -EOPNOTSUPP;
  return s.sock.listen(ctx, backlog);
}

function accept(ctx: SyscallContext, fd: number, addr: number, lenAddr: number, flags: number): number | Promise<number> {
  if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) return -EINVAL;
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  if (s.sock.type !== SOCK_STREAM && s.sock.type !== SOCK_SEQPACKET) return -EOPNOTSUPP;
  if (addr && (ctx.mem.read32(lenAddr >>> 0) | 0) < 0) return -EINVAL;
  return after(s.sock.accept(ctx, s.file), (r) => {
    if (typeof r === 'number') return r;
    const nfd = install(ctx, r.sock, flags);
    if (nfd < 0) return nfd;
    try {
      writeSockaddr(ctx, addr, lenAddr, r.peer);
    } catch {
      ctx.proc.fds.close(nfd);
      return -EFAULT;
    }
    return nfd;
  });
}

function sockName(ctx: SyscallContext, fd: number, addr: number, lenAddr: number, peer: boolean): number {
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  const sa = peer ? s.sock.peerName() : s.sock.localName();
  if (!sa) return -ENOTCONN;
  if ((ctx.mem.read32(lenAddr >>> 0) | 0) < 0) return -EINVAL;
  if (!addr) return -EFAULT;
  return writeSockaddr(ctx, addr, lenAddr, sa);
}

// ---- sending ----

/** The EPIPE of a send raises SIGPIPE unless MSG_NOSIGNAL. */
function sigpipe(ctx: SyscallContext, r: number, flags: number): number {
  if (r === -EPIPE && !(flags & MSG_NOSIGNAL)) sendToThread(ctx.proc, ctx.thread, { signo: SIGPIPE, code: SI_USER, pid: ctx.proc.pid, uid: ctx.proc.uid });
  return r;
}

function sendData(ctx: SyscallContext, fd: number, data: Uint8Array, flags: number, toAddr: number, toLen: number, fds: OpenFile[] | null): number | Promise<number> {
  const s = sockOf(ctx, fd);
  const dropFds = (r: number) => {
    if (r < 0) for (const f of fds ?? []) f.release();
    return r;
  };
  if (typeof s === 'number') return dropFds(s);
  if (flags & MSG_OOB) return dropFds(-EOPNOTSUPP);
  if (fds && s.sock.family !== AF_UNIX) return dropFds(-EINVAL);
  let to: SockAddr | null = null;
  if (toAddr && s.sock.type !== SOCK_STREAM) {
    const sa = readSockaddr(ctx, toAddr, toLen, s.sock.family);
    if (typeof sa === 'number') return dropFds(sa);
    to = sa;
  } else if (toAddr && s.sock.family === AF_UNIX) {
    const sa = readSockaddr(ctx, toAddr, toLen, AF_UNIX);
    if (typeof sa === 'number') return dropFds(sa);
    to = sa;
  }
  const r = s.sock.send(ctx, s.file, { data: data.slice(), flags, to, fds });
  return after(r, (v) => sigpipe(ctx, dropFds(v), flags));
}

interface MsgHdr {
  name: number;
  namelen: number;
  iov: number;
  iovlen: number;
  control: number;
  controllen: number;
}

function readMsghdr(ctx: SyscallContext, address: number): MsgHdr {
  const a = address >>> 0;
  const m = ctx.mem;
  return { name: m.read32(a) >>> 0, namelen: m.read32(a + 4) | 0, iov: m.read32(a + 8) >>> 0, iovlen: m.read32(a + 12) >>> 0, control: m.read32(a + 16) >>> 0, controllen: m.read32(a + 20) >>> 0 };
}

/** SCM_RIGHTS files of a control buffer (each with a reference taken), or -errno. */
function readRights(ctx: SyscallContext, control: number, len: number): OpenFile[] | null | number {
  let files: OpenFile[] | null = null;
  const fail = (e: number) => {
    for (const f of files ?? []) f.release();
    return e;
  };
  for (let off = 0; off + 12 <= len; ) {
    const clen = ctx.mem.read32(control + off) >>> 0;
    const level = ctx.mem.read32(control + off + 4);
    const type = ctx.mem.read32(control + off + 8);
    if (clen < 12 || off + clen > len) return fail(-EINVAL);
    if (level !== SOL_SOCKET) return fail(-EINVAL);
    if (type === SCM_RIGHTS) {
      const n = (clen - 12) >>> 2;
      if ((files?.length ?? 0) + n > SCM_MAX_FD) return fail(-EINVAL);
      for (let i = 0; i < n; i++) {
        const slot = ctx.proc.fds.get(ctx.mem.read32(control + off + 12 + i * 4));
        if (!slot) return fail(-EBADF);
        slot.file.refs++;
        (files ??= []).push(slot.file);
      }
    } else if (type !== SCM_CREDENTIALS) {
      return fail(-EINVAL);
    }
    off += (clen + 3) & ~3;
  }
  return files;
}

/** The bytes of an iovec array (more than UIO_MAXIOV entries: EMSGSIZE). */
function gather(ctx: SyscallContext, iov: number, count: number): Uint8Array | number {
  if (count > 1024) return -EMSGSIZE;
  return Buffer.concat(readIovecs(ctx.mem, iov, count).map((v) => ctx.mem.readBytes(v.base, v.len)));
}

function sendmsg(ctx: SyscallContext, fd: number, msgAddr: number, flags: number): number | Promise<number> {
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  const h = readMsghdr(ctx, msgAddr);
  const data = gather(ctx, h.iov, h.iovlen);
  if (typeof data === 'number') return data;
  let fds: OpenFile[] | null = null;
  if (h.control && h.controllen) {
    const r = readRights(ctx, h.control, h.controllen);
    if (typeof r === 'number') return r;
    fds = r;
  }
  return sendData(ctx, fd, data, flags, h.name, h.namelen, fds);
}

// ---- receiving ----

/** Files received with SCM_RIGHTS, as new fds in `ctx`'s process (the in-flight references dropped). */
function installRights(ctx: SyscallContext, files: OpenFile[], cloexec: boolean, room: number): { fds: number[]; truncated: boolean } {
  const out: number[] = [];
  let truncated = false;
  for (const f of files) {
    if (out.length < room) {
      const nfd = ctx.proc.fds.alloc(f, cloexec);
      if (nfd >= 0) out.push(nfd);
      else truncated = true;
    } else truncated = true;
    f.release();
  }
  return { fds: out, truncated };
}

interface Received {
  n: number;
  r: RecvResult;
}

function recvData(ctx: SyscallContext, fd: number, max: number, flags: number): Received | number | Promise<Received | number> {
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  if (flags & MSG_OOB) return -EINVAL;
  return after(s.sock.recv(ctx, s.file, max, flags), (r) => {
    if (typeof r === 'number') return r;
    return { n: flags & MSG_TRUNC && s.sock.type !== SOCK_STREAM ? r.full : r.data.length, r };
  });
}

function recvfrom(ctx: SyscallContext, fd: number, buf: number, len: number, flags: number, addr: number, lenAddr: number): number | Promise<number> {
  const max = Math.min(len >>> 0, 0x7ffff000);
  const view = writableView(ctx.mem, buf, max);
  return after(recvData(ctx, fd, max, flags), (got) => {
    if (typeof got === 'number') return got;
    view.set(got.r.data);
    wroteGuest(ctx.mem, buf, got.r.data.length);
    for (const f of got.r.fds ?? []) f.release();
    if (addr) writeSockaddr(ctx, addr, lenAddr, got.r.from);
    return got.n;
  });
}

function recvmsg(ctx: SyscallContext, fd: number, msgAddr: number, flags: number): number | Promise<number> {
  const h = readMsghdr(ctx, msgAddr);
  if (h.iovlen > 1024) return -EMSGSIZE;
  const iovs = readIovecs(ctx.mem, h.iov, h.iovlen);
  const views = iovs.map((v) => writableView(ctx.mem, v.base, v.len));
  const max = Math.min(iovs.reduce((n, v) => n + v.len, 0), 0x7ffff000);
  return after(recvData(ctx, fd, max, flags), (got) => {
    if (typeof got === 'number') return got;
    const r = got.r;
    let done = 0;
    iovs.forEach((v, i) => {
      const n = Math.min(v.len, r.data.length - done);
      if (n <= 0) return;
      views[i]!.set(r.data.subarray(done, done + n));
      wroteGuest(ctx.mem, v.base, n);
      done += n;
    });
    let msgFlags = r.full > r.data.length ? MSG_TRUNC : 0;
    // Control messages: credentials first, then the files.
    const cmsgs: Uint8Array[] = [];
    let room = h.control ? h.controllen : 0;
    if (r.creds) {
      if (room >= 24) {
        cmsgs.push(new StructBuilder(24).u32(0, 24).u32(4, SOL_SOCKET).u32(8, SCM_CREDENTIALS).u32(12, r.creds.pid).u32(16, r.creds.uid).u32(20, r.creds.gid).bytes);
        room -= 24;
      } else msgFlags |= MSG_CTRUNC;
    }
    if (r.fds && r.fds.length > 0) {
      const fit = room >= 16 ? Math.floor((room - 12) / 4) : 0;
      const got2 = installRights(ctx, r.fds, (flags & MSG_CMSG_CLOEXEC) !== 0, fit);
      if (got2.truncated) msgFlags |= MSG_CTRUNC;
      if (got2.fds.length > 0) {
        const b = new StructBuilder(12 + 4 * got2.fds.length).u32(0, 12 + 4 * got2.fds.length).u32(4, SOL_SOCKET).u32(8, SCM_RIGHTS);
        got2.fds.forEach((f, i) => b.u32(12 + i * 4, f));
        cmsgs.push(b.bytes);
      }
    }
    const control = Buffer.concat(cmsgs);
    if (control.length > 0) ctx.mem.writeBytes(h.control, control);
    const a = msgAddr >>> 0;
    if (h.name) {
      const room2 = Math.max(0, h.namelen);
      const bytes = r.from ? encodeFrom(r.from) : new Uint8Array(0);
      ctx.mem.writeBytes(h.name, bytes.subarray(0, Math.min(room2, bytes.length)));
      ctx.mem.write32(a + 4, bytes.length);
    }
    ctx.mem.write32(a + 20, control.length);
    ctx.mem.write32(a + 24, msgFlags);
    return got.n;
  });
}

/** struct mmsghdr: a msghdr and the byte count of that message. */
const MMSGHDR_SIZE = 32;

async function sendmmsg(ctx: SyscallContext, fd: number, vec: number, count: number, flags: number): Promise<number> {
  let sent = 0;
  for (; sent < Math.min(count >>> 0, 1024); sent++) {
    const r = await sendmsg(ctx, fd, (vec >>> 0) + sent * MMSGHDR_SIZE, flags);
    if (r < 0) return sent > 0 ? sent : r;
    ctx.mem.write32((vec >>> 0) + sent * MMSGHDR_SIZE + 28, r);
  }
  return sent;
}

async function recvmmsg(ctx: SyscallContext, fd: number, vec: number, count: number, flags: number): Promise<number> {
  let got = 0;
  const MSG_WAITFORONE = 0x10000;
  for (; got < Math.min(count >>> 0, 1024); got++) {
    // After the first message, MSG_WAITFORONE makes the rest non-blocking.
    const f = got > 0 && flags & MSG_WAITFORONE ? flags | MSG_DONTWAIT : flags;
    const r = await recvmsg(ctx, fd, (vec >>> 0) + got * MMSGHDR_SIZE, f & ~MSG_WAITFORONE);
    if (r < 0) return got > 0 ? got : r;
    ctx.mem.write32((vec >>> 0) + got * MMSGHDR_SIZE + 28, r);
  }
  return got;
}

// ---- shutdown and options ----

function shutdown(ctx: SyscallContext, fd: number, how: number): number {
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  return s.sock.shutdown(how);
}

function protocolOptions(sock: GuestSocket, level: number): Record<number, number> | number {
  if (level === IPPROTO_TCP) return sock instanceof StreamSocket && sock.family !== AF_UNIX ? TCP_OPTIONS : -ENOPROTOOPT;
  if (level === IPPROTO_UDP) return sock instanceof UdpSocket ? UDP_OPTIONS : -ENOPROTOOPT;
  if (level === IPPROTO_IP) return sock.family === AF_INET || sock.family === AF_INET6 ? IP_OPTIONS : -ENOPROTOOPT;
  if (level === IPPROTO_IPV6) return sock.family === AF_INET6 ? IPV6_OPTIONS : -ENOPROTOOPT;
  return -ENOPROTOOPT;
}

function defaultBuf(sock: GuestSocket, name: number): number {
  if (sock instanceof StreamSocket && sock.family !== AF_UNIX) return name === SO_RCVBUF ? 131072 : 16384;
  return name === SO_RCVBUF ? RMEM_MAX : UNIX_QUEUE_LIMIT;
}

function readTimeout(ctx: SyscallContext, addr: number, len: number, wide: boolean): number {
  if (len < (wide ? 16 : 8)) return -EINVAL;
  const a = addr >>> 0;
  const sec = wide ? Number(ctx.mem.read32(a)) + ctx.mem.read32(a + 4) * 2 ** 32 : ctx.mem.read32(a);
  const usec = wide ? ctx.mem.read32(a + 8) : ctx.mem.read32(a + 4);
  if (usec < 0 || usec >= 1_000_000) return -EDOM;
  if (sec < 0) return 0;
  const ms = sec * 1000 + Math.ceil(usec / 1000);
  return ms;
}

function setsockopt(ctx: SyscallContext, fd: number, level: number, name: number, addr: number, len: number): number {
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  const sock = s.sock;
  if (len < 0) return -EINVAL;
  const int = () => (len >= 4 ? ctx.mem.read32(addr >>> 0) | 0 : null);
  if (level === SOL_SOCKET) {
    switch (name) {
      case SO_SNDBUF:
      case SO_RCVBUF:
      case SO_SNDBUFFORCE:
      case SO_RCVBUFFORCE: {
        const v = int();
        if (v === null) return -EINVAL;
        const rcv = name === SO_RCVBUF || name === SO_RCVBUFFORCE;
        const clamped = name === SO_SNDBUF || name === SO_RCVBUF ? Math.min(v >>> 0, RMEM_MAX) : Math.max(v, 0);
        sock.opts.set(`1:${rcv ? SO_RCVBUF : SO_SNDBUF}`, Math.max(clamped * 2, rcv ? SOCK_MIN_RCVBUF : SOCK_MIN_SNDBUF));
        return 0;
      }
      case SO_LINGER:
        if (len < 8) return -EINVAL;
        sock.opts.set('1:13', ctx.mem.read32(addr >>> 0) ? 1 : 0);
        sock.opts.set('1:13:s', ctx.mem.read32((addr >>> 0) + 4) | 0);
        return 0;
      case SO_RCVTIMEO_OLD:
      case SO_SNDTIMEO_OLD:
      case SO_RCVTIMEO_NEW:
      case SO_SNDTIMEO_NEW: {
        const ms = readTimeout(ctx, addr, len, name >= SO_RCVTIMEO_NEW);
        if (ms < 0) return ms;
        if (name === SO_RCVTIMEO_OLD || name === SO_RCVTIMEO_NEW) sock.rcvTimeoMs = ms;
        else sock.sndTimeoMs = ms;
        return 0;
      }
      case SO_PRIORITY:
      case SO_RCVLOWAT: {
        const v = int();
        if (v === null) return -EINVAL;
        sock.opts.set(`1:${name}`, name === SO_RCVLOWAT && v === 0 ? 1 : v);
        return 0;
      }
      case SO_SNDLOWAT:
        return -ENOPROTOOPT;
      case SO_BINDTODEVICE:
        return 0;
      case SO_TYPE:
      case SO_ERROR:
      case SO_ACCEPTCONN:
      case SO_PEERCRED:
      case SO_PROTOCOL:
      case SO_DOMAIN:
        return -ENOPROTOOPT;
      default: {
        if (!SOCKET_FLAGS.has(name)) return -ENOPROTOOPT;
        const v = int();
        if (v === null) return -EINVAL;
        sock.opts.set(`1:${name}`, v ? 1 : 0);
        sock.setProtocolOption(level, name, v ? 1 : 0);
        return 0;
      }
    }
  }
  if (sock.family === AF_UNIX) return -EOPNOTSUPP;
  const table = protocolOptions(sock, level);
  if (typeof table === 'number') return table;
  if (!(name in table)) return -ENOPROTOOPT;
  // IP options may be a single byte; the rest are ints.
  const v = len >= 4 ? ctx.mem.read32(addr >>> 0) | 0 : len >= 1 && level === IPPROTO_IP ? ctx.mem.read8(addr >>> 0) : null;
  if (v === null) return -EINVAL;
  if (level === IPPROTO_TCP && (name === 4 || name === 5) && (v < 1 || v > 32767)) return -EINVAL;
  if (level === IPPROTO_TCP && name === 6 && (v < 1 || v > 127)) return -EINVAL;
  if (level === IPPROTO_IP && name === 2 && (v === -1 ? false : v < 1 || v > 255)) return -EINVAL;
  sock.opts.set(`${level}:${name}`, level === IPPROTO_IP && name === 2 && v === -1 ? 64 : v);
  sock.setProtocolOption(level, name, v);
  return 0;
}

function optionBytes(sock: GuestSocket, level: number, name: number): Uint8Array | number {
  const int = (v: number) => new StructBuilder(4).u32(0, v).bytes;
  if (level === SOL_SOCKET) {
    switch (name) {
      case SO_TYPE:
        return int(sock.type);
      case SO_PROTOCOL:
        return int(sock.protocol);
      case SO_DOMAIN:
        return int(sock.family);
      case SO_ACCEPTCONN:
        return int(sock.listening ? 1 : 0);
      case SO_ERROR: {
        const e = sock.soError;
        sock.soError = 0;
        return int(e);
      }
      case SO_SNDBUF:
      case SO_RCVBUF:
        return int(sock.opts.get(`1:${name}`) ?? defaultBuf(sock, name));
      case SO_LINGER:
        return new StructBuilder(8).u32(0, sock.opts.get('1:13') ?? 0).u32(4, sock.opts.get('1:13:s') ?? 0).bytes;
      case SO_RCVTIMEO_OLD:
      case SO_SNDTIMEO_OLD:
      case SO_RCVTIMEO_NEW:
      case SO_SNDTIMEO_NEW: {
        const ms = name === SO_RCVTIMEO_OLD || name === SO_RCVTIMEO_NEW ? sock.rcvTimeoMs : sock.sndTimeoMs;
        const sec = Math.floor(ms / 1000);
        const usec = (ms % 1000) * 1000;
        return name >= SO_RCVTIMEO_NEW ? new StructBuilder(16).u64(0, sec).u64(8, usec).bytes : new StructBuilder(8).u32(0, sec).u32(4, usec).bytes;
      }
      case SO_PEERCRED: {
        const c = sock instanceof UnixSocket ? sock.peerCreds() : null;
        return new StructBuilder(12).u32(0, c?.pid ?? 0).u32(4, c?.uid ?? -1).u32(8, c?.gid ?? -1).bytes;
      }
      case SO_PRIORITY:
        return int(sock.opts.get('1:12') ?? 0);
      case SO_RCVLOWAT:
      case SO_SNDLOWAT:
        return int(sock.opts.get(`1:${name}`) ?? 1);
      default:
        if (!SOCKET_FLAGS.has(name)) return -ENOPROTOOPT;
        return int(sock.opts.get(`1:${name}`) ?? 0);
    }
  }
  if (sock.family === AF_UNIX) return -EOPNOTSUPP;
  const table = protocolOptions(sock, level);
  if (typeof table === 'number') return table;
  if (!(name in table)) return -ENOPROTOOPT;
  return int(sock.opts.get(`${level}:${name}`) ?? table[name]!);
}

function getsockopt(ctx: SyscallContext, fd: number, level: number, name: number, addr: number, lenAddr: number): number {
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  const len = ctx.mem.read32(lenAddr >>> 0) | 0;
  if (len < 0) return -EINVAL;
  const bytes = optionBytes(s.sock, level, name);
  if (typeof bytes === 'number') return bytes;
  const n = Math.min(len, bytes.length);
  ctx.mem.writeBytes(addr >>> 0, bytes.subarray(0, n));
  ctx.mem.write32(lenAddr >>> 0, n);
  return 0;
}

// ---- the table ----

const recvOnly = (ctx: SyscallContext, fd: number, buf: number, len: number, flags: number) => recvfrom(ctx, fd, buf, len, flags, 0, 0);
const sendOnly = (ctx: SyscallContext, fd: number, buf: number, len: number, flags: number) =>
  sendData(ctx, fd, ctx.mem.readBytes(buf >>> 0, Math.min(len >>> 0, 0x7ffff000)), flags, 0, 0, null);

export const socketSyscalls: SyscallTable = {
  socket: (ctx, domain, type, protocol) => socket(ctx, domain, type, protocol),
  socketpair: (ctx, domain, type, protocol, sv) => socketpair(ctx, domain, type, protocol, sv),
  bind: (ctx, fd, addr, len) => bind(ctx, fd, addr, len),
  connect: (ctx, fd, addr, len) => connect(ctx, fd, addr, len),
  listen: (ctx, fd, backlog) => listen(ctx, fd, backlog),
  accept: (ctx, fd, addr, len) => accept(ctx, fd, addr, len, 0),
  accept4: (ctx, fd, addr, len, flags) => accept(ctx, fd, addr, len, flags),
  getsockname: (ctx, fd, addr, len) => sockName(ctx, fd, addr, len, false),
  getpeername: (ctx, fd, addr, len) => sockName(ctx, fd, addr, len, true),
  send: (ctx, fd, buf, len, flags) => sendOnly(ctx, fd, buf, len, flags),
  sendto: (ctx, fd, buf, len, flags, addr, alen) =>
    sendData(ctx, fd, ctx.mem.readBytes(buf >>> 0, Math.min(len >>> 0, 0x7ffff000)), flags, addr, alen, null),
  sendmsg: (ctx, fd, msg, flags) => sendmsg(ctx, fd, msg, flags),
  sendmmsg: (ctx, fd, vec, count, flags) => sendmmsg(ctx, fd, vec, count, flags),
  recv: (ctx, fd, buf, len, flags) => recvOnly(ctx, fd, buf, len, flags),
  recvfrom: (ctx, fd, buf, len, flags, addr, alen) => recvfrom(ctx, fd, buf, len, flags, addr, alen),
  recvmsg: (ctx, fd, msg, flags) => recvmsg(ctx, fd, msg, flags),
  recvmmsg: (ctx, fd, vec, count, flags) => recvmmsg(ctx, fd, vec, count, flags),
  recvmmsg_time64: (ctx, fd, vec, count, flags) => recvmmsg(ctx, fd, vec, count, flags),
  shutdown: (ctx, fd, how) => shutdown(ctx, fd, how),
  setsockopt: (ctx, fd, level, name, val, len) => setsockopt(ctx, fd, level, name, val, len),
  getsockopt: (ctx, fd, level, name, val, len) => getsockopt(ctx, fd, level, name, val, len),
  // socketcall(call, args): the calls above with their arguments in guest memory.
  socketcall: (ctx, call, args) => {
    const argc = [0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4][call];
    if (argc === undefined || call < 1) return -EINVAL;
    const a = Array.from({ length: 6 }, (_, i) => (i < argc ? ctx.mem.read32((args >>> 0) + i * 4) : 0));
    const name = ['', 'socket', 'bind', 'connect', 'listen', 'accept', 'getsockname', 'getpeername', 'socketpair', 'send', 'recv', 'sendto', 'recvfrom', 'shutdown', 'setsockopt', 'getsockopt', 'sendmsg', 'recvmsg', 'accept4', 'recvmmsg', 'sendmmsg'][call]!;
    return socketSyscalls[name]!(ctx, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!);
  },
};
