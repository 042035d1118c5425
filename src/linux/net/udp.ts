// AF_INET/AF_INET6 datagram sockets (UDP) backed by node:dgram. Received datagrams queue
// here (dropped past the receive buffer, as the kernel drops them); a receive takes one,
// truncated to the buffer. bind/connect wait for node; an unbound socket is bound to an
// ephemeral port on its first send or connect, as the kernel does.
import * as dgram from 'node:dgram';
import type { SyscallContext } from '../syscalls.js';
import { EDESTADDRREQ, EINVAL, EISCONN, EMSGSIZE, ENOTCONN, EOPNOTSUPP, EPIPE, errnoFromHost } from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { blockingLoop } from '../file-ops.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRNORM } from '../readiness.js';
import { type Accepted, GuestSocket, type Maybe, type RecvResult, type SendRequest } from './socket-base.js';
import { AF_INET, AF_INET6, MSG_PEEK, SHUT_RD, SHUT_RDWR, SHUT_WR, SOCK_DGRAM, anyAddr, asIpv4, asIpv6, type SockAddr } from './sockaddr.js';
import { nonblocking } from './stream.js';

/** Bytes of unread datagrams kept (the kernel's default rmem); later ones are dropped. */
const RX_LIMIT = 212992;
const MAX_UDP4 = 65507;
const MAX_UDP6 = 65527;

function inetAddr(family: number, address: string, port: number): SockAddr {
  if (family === AF_INET) return { family: AF_INET, address: asIpv4(address), port };
  return { family: AF_INET6, address: asIpv6(address), port, flowinfo: 0, scopeId: 0 };
}

const hostOf = (family: number, a: SockAddr) => (family === AF_INET6 ? asIpv6((a as { address: string }).address) : (a as { address: string }).address);
const portOf = (a: SockAddr) => (a as { port: number }).port;

export class UdpSocket extends GuestSocket {
  private sock: dgram.Socket | null = null;
  private bound: SockAddr | null = null;
  private peer: SockAddr | null = null;
  private rx: { data: Buffer; from: SockAddr }[] = [];
  private rxBytes = 0;
  private rdShut = false;
  private wrShut = false;

  constructor(family: number, protocol: number) {
    super(family, SOCK_DGRAM, protocol);
  }

  private socket(): dgram.Socket {
    if (this.sock) return this.sock;
    const sock = dgram.createSocket({
      type: this.family === AF_INET6 ? 'udp6' : 'udp4',
      reuseAddr: this.opts.get('1:2') === 1 || this.opts.get('1:15') === 1,
      ipv6Only: this.opts.get('41:26') === 1,
    });
    sock.on('message', (msg: Buffer, rinfo: dgram.RemoteInfo) => {
      if (this.rdShut || this.rxBytes + msg.length > RX_LIMIT) return;
      this.rx.push({ data: msg, from: inetAddr(this.family, rinfo.address, rinfo.port) });
      this.rxBytes += msg.length;
      this.waiters.wake(POLLIN | POLLRDNORM);
    });
    sock.on('error', (e) => {
      this.soError = errnoFromHost(e);
      this.waiters.wake();
    });
    if (this.opts.get('1:6') === 1) sock.once('listening', () => sock.setBroadcast(true));
    this.sock = sock;
    return sock;
  }

  /** Bind in node: 0 or -errno. */
  private doBind(addr: SockAddr): Promise<number> {
    const sock = this.socket();
    return new Promise((resolve) => {
      const onError = (e: Error) => resolve(-errnoFromHost(e));
      sock.once('error', onError);
      sock.bind({ port: portOf(addr), address: hostOf(this.family, addr), exclusive: true }, () => {
        sock.removeListener('error', onError);
        const a = sock.address();
        this.bound = inetAddr(this.family, a.address, a.port);
        resolve(0);
      });
    });
  }

  private whenBound<T>(then: () => T | Promise<T>): T | Promise<T | number> {
    if (this.bound) return then();
    return this.doBind(anyAddr(this.family)).then((r) => (r < 0 ? r : then()));
  }

  poll(): number {
    let ev = POLLOUT | POLLWRNORM;
    if (this.rx.length > 0) ev |= POLLIN | POLLRDNORM;
    if (this.rdShut) ev |= POLLIN | POLLRDNORM | POLLRDHUP;
    if (this.rdShut && this.wrShut) ev |= POLLHUP;
    if (this.soError) ev |= POLLERR;
    return ev;
  }

  bind(_ctx: SyscallContext, addr: SockAddr): number | Promise<number> {
    if (this.bound) return -EINVAL;
    return this.doBind(addr);
  }

  connect(_ctx: SyscallContext, _file: OpenFile, addr: SockAddr | null): number | Promise<number> {
    if (!addr) {
      if (this.peer) this.sock?.disconnect();
      this.peer = null;
      return 0;
    }
    return this.whenBound(() => {
      const sock = this.socket();
      if (this.peer) {
        sock.disconnect();
        this.peer = null;
      }
      return new Promise<number>((resolve) => {
        const onError = (e: Error) => resolve(-errnoFromHost(e));
        sock.once('error', onError);
        sock.connect(portOf(addr), hostOf(this.family, addr), () => {
          sock.removeListener('error', onError);
          this.peer = addr;
          const a = sock.address();
          this.bound = inetAddr(this.family, a.address, a.port);
          resolve(0);
        });
      });
    });
  }

  listen(): number {
    return -EOPNOTSUPP;
  }

  accept(): Maybe<Accepted> {
    return -EOPNOTSUPP;
  }

  send(_ctx: SyscallContext, _file: OpenFile, req: SendRequest): number | Promise<number> {
    if (this.wrShut) return -EPIPE;
    if (req.to && this.peer) return -EISCONN;
    const dest = req.to ?? this.peer;
    if (!dest) return -EDESTADDRREQ;
    if (req.data.length > (this.family === AF_INET6 ? MAX_UDP6 : MAX_UDP4)) return -EMSGSIZE;
    return this.whenBound(() => {
      const sock = this.socket();
      const done = (e: Error | null) => {
        if (e) {
          this.soError = errnoFromHost(e);
          this.waiters.wake();
        }
      };
      if (this.peer) sock.send(req.data, done);
      else sock.send(req.data, portOf(dest), hostOf(this.family, dest), done);
      return req.data.length;
    });
  }

  recv(ctx: SyscallContext, file: OpenFile, max: number, flags: number): Maybe<RecvResult> {
    const peek = (flags & MSG_PEEK) !== 0;
    return blockingLoop(ctx, nonblocking(file, flags), this.waiters, (): RecvResult | number | null => {
      const m = this.rx[0];
      if (!m) return this.rdShut ? { data: new Uint8Array(0), full: 0, from: null } : null;
      if (!peek) {
        this.rx.shift();
        this.rxBytes -= m.data.length;
      }
      return { data: m.data.subarray(0, max).slice(), full: m.data.length, from: m.from };
    }, this.deadline(false));
  }

  shutdown(how: number): number {
    if (how < SHUT_RD || how > SHUT_RDWR) return -EINVAL;
    if (!this.peer) return -ENOTCONN;
    if (how !== SHUT_WR) this.rdShut = true;
    if (how !== SHUT_RD) this.wrShut = true;
    this.waiters.wake();
    return 0;
  }

  localName(): SockAddr {
    return this.bound ?? anyAddr(this.family);
  }

  peerName(): SockAddr | null {
    return this.peer;
  }

  pendingBytes(): number {
    return this.rx[0]?.data.length ?? 0;
  }

  release(): void {
    try {
      this.sock?.close();
    } catch {
      // not bound yet: nothing open in node
    }
    this.sock = null;
  }
}
