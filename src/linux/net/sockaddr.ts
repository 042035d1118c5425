// Socket constants (asm-generic values, which ARM uses) and socket addresses: struct
// sockaddr_un / sockaddr_in / sockaddr_in6 in guest memory, to and from a host-neutral form.
import type { SyscallContext } from '../syscalls.js';
import { EAFNOSUPPORT, EINVAL } from '../errno.js';

export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_RDM = 4;
export const SOCK_SEQPACKET = 5;
export const SOCK_TYPE_MASK = 0xf;

export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;

export const SOL_SOCKET = 1;

export const MSG_OOB = 0x1;
export const MSG_PEEK = 0x2;
export const MSG_CTRUNC = 0x8;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
export const MSG_EOR = 0x80;
export const MSG_WAITALL = 0x100;
export const MSG_NOSIGNAL = 0x4000;
export const MSG_CMSG_CLOEXEC = 0x40000000;

export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

export const UNIX_PATH_MAX = 108;
export const SOCKADDR_UN_SIZE = 110;
export const SOCKADDR_IN_SIZE = 16;
export const SOCKADDR_IN6_SIZE = 28;
/** The shortest sockaddr_in6 the kernel accepts (RFC 2133, without sin6_scope_id). */
const SOCKADDR_IN6_MIN = 24;

export type UnixAddr = {
  family: typeof AF_UNIX;
  /** The name: a path (no NUL), or an abstract name (its bytes after the leading NUL); empty when unnamed. */
  name: Uint8Array;
  abstract: boolean;
};
export type InetAddr = { family: typeof AF_INET; port: number; /** dotted quad */ address: string };
export type Inet6Addr = { family: typeof AF_INET6; port: number; /** textual IPv6 */ address: string; flowinfo: number; scopeId: number };
export type SockAddr = UnixAddr | InetAddr | Inet6Addr;

export const unnamedUnix = (): UnixAddr => ({ family: AF_UNIX, name: new Uint8Array(0), abstract: false });

// ---- IP address text <-> bytes ----

export function ipv4ToBytes(s: string): Uint8Array {
  return Uint8Array.from(s.split('.').map((p) => Number(p) & 0xff));
}

export function bytesToIpv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

export function ipv6ToBytes(s: string): Uint8Array {
  let text = s.replace(/%.*$/, '');
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parts = text.split('::');
  const hex = (t: string | undefined) => (t ? t.split(':').map((h) => parseInt(h, 16) || 0) : []);
  const head = hex(parts[0]);
  const tail = hex(parts[1]);
  const groups = parts.length > 1 ? [...head, ...new Array<number>(Math.max(0, 8 - head.length - tail.length)).fill(0), ...tail] : head;
  const out = new Uint8Array(16);
  groups.slice(0, 8).forEach((g, i) => {
    out[i * 2] = (g >> 8) & 0xff;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

export function bytesToIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((b[i * 2]! << 8) | b[i * 2 + 1]!);
  // IPv4-mapped addresses as ::ffff:a.b.c.d (node accepts and prints that form).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${bytesToIpv4(b.subarray(12))}`;
  // Compress the longest run of zero groups.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** An IPv4 address as an AF_INET6 socket sees it (::ffff:a.b.c.d); IPv6 text unchanged. */
export function asIpv6(address: string): string {
  return address.includes(':') ? address : `::ffff:${address}`;
}

/** An address node reports for an AF_INET socket (strip ::ffff:). */
export function asIpv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

// ---- guest memory ----

/**
 * Read the sockaddr at `address` (`len` bytes) for a socket of family `family`: the address,
 * or -errno (EINVAL for a short address, EAFNOSUPPORT for another family).
 */
export function readSockaddr(ctx: SyscallContext, address: number, len: number, family: number): SockAddr | number {
  if (len < 0 || len > 128) return -EINVAL;
  if (len < 2) return -EINVAL;
  const b = ctx.mem.readBytes(address >>> 0, len).slice();
  const v = new DataView(b.buffer);
  const fam = v.getUint16(0, true);
  if (family === AF_UNIX) {
    if (fam !== AF_UNIX) return -EINVAL;
    if (len > SOCKADDR_UN_SIZE) return -EINVAL;
    const path = b.subarray(2);
    if (path.length > 0 && path[0] === 0) return { family: AF_UNIX, name: path.slice(1), abstract: true };
    const nul = path.indexOf(0);
    return { family: AF_UNIX, name: (nul < 0 ? path : path.subarray(0, nul)).slice(), abstract: false };
  }
  if (family === AF_INET) {
    if (len < SOCKADDR_IN_SIZE) return -EINVAL;
    if (fam !== AF_INET) return fam === AF_UNSPEC ? { family: AF_INET, port: v.getUint16(2, false), address: bytesToIpv4(b.subarray(4, 8)) } : -EAFNOSUPPORT;
    return { family: AF_INET, port: v.getUint16(2, false), address: bytesToIpv4(b.subarray(4, 8)) };
  }
  if (family === AF_INET6) {
    if (len < SOCKADDR_IN6_MIN) return -EINVAL;
    if (fam !== AF_INET6) return -EAFNOSUPPORT;
    return {
      family: AF_INET6, port: v.getUint16(2, false), flowinfo: v.getUint32(4, false), address: bytesToIpv6(b.subarray(8, 24)),
      scopeId: len >= SOCKADDR_IN6_SIZE ? v.getUint32(24, true) : 0,
    };
  }
  return -EAFNOSUPPORT;
}

/** The family field of a sockaddr (AF_UNSPEC checks for connect). */
export function sockaddrFamily(ctx: SyscallContext, address: number, len: number): number {
  return len >= 2 ? ctx.mem.read16(address >>> 0) : -1;
}

/** The bytes of `sa` as the kernel returns them (its length is the address length). */
export function encodeSockaddr(sa: SockAddr): Uint8Array {
  if (sa.family === AF_UNIX) {
    if (sa.name.length === 0 && !sa.abstract) return Uint8Array.of(AF_UNIX, 0);
    // A path name comes back with its NUL; an abstract one as bound (leading NUL, no terminator).
    const out = new Uint8Array(2 + (sa.abstract ? 1 + sa.name.length : sa.name.length + 1));
    out[0] = AF_UNIX;
    out.set(sa.name, sa.abstract ? 3 : 2);
    return out;
  }
  if (sa.family === AF_INET) {
    const out = new Uint8Array(SOCKADDR_IN_SIZE);
    const v = new DataView(out.buffer);
    v.setUint16(0, AF_INET, true);
    v.setUint16(2, sa.port, false);
    out.set(ipv4ToBytes(asIpv4(sa.address)), 4);
    return out;
  }
  const out = new Uint8Array(SOCKADDR_IN6_SIZE);
  const v = new DataView(out.buffer);
  v.setUint16(0, AF_INET6, true);
  v.setUint16(2, sa.port, false);
  v.setUint32(4, sa.flowinfo, false);
  out.set(ipv6ToBytes(asIpv6(sa.address)), 8);
  v.setUint32(24, sa.scopeId, true);
  return out;
}

/**
 * Store `sa` for the guest (accept, getsockname, recvfrom): at most *lenAddr bytes go to
 * `address`, *lenAddr becomes the full length. A NULL `address` stores nothing.
 */
export function writeSockaddr(ctx: SyscallContext, address: number, lenAddr: number, sa: SockAddr | null): number {
  if (!address) return 0;
  const room = ctx.mem.read32(lenAddr >>> 0) | 0;
  if (room < 0) return -EINVAL;
  const bytes = sa ? encodeSockaddr(sa) : new Uint8Array(0);
  ctx.mem.writeBytes(address >>> 0, bytes.subarray(0, Math.min(room, bytes.length)));
  ctx.mem.write32(lenAddr >>> 0, bytes.length);
  return 0;
}

/** The wildcard address of `family` with port 0 (an unbound socket's name). */
export function anyAddr(family: number): SockAddr {
  if (family === AF_INET) return { family: AF_INET, port: 0, address: '0.0.0.0' };
  if (family === AF_INET6) return { family: AF_INET6, port: 0, address: '::', flowinfo: 0, scopeId: 0 };
  return unnamedUnix();
}
