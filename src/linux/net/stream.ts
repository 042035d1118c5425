// Stream sockets backed by node:net: AF_INET/AF_INET6 TCP, and AF_UNIX connections that
// leave the emulator (a guest connecting to a host socket file, or a host process
// connecting to a guest's bound path). Incoming bytes are buffered as node delivers them
// (the node socket is paused while much is unread); blocking calls park the vCPU on the
// socket's wait queue until node's events change its state. bind starts the node server
// at once (so getsockname knows the port); listen() lets accept take its connections.
import * as net from 'node:net';
import type { SyscallContext } from '../syscalls.js';
import {
  EAGAIN, EALREADY, ECONNREFUSED, EINPROGRESS, EINVAL, EISCONN, ENOTCONN, EPIPE, errnoFromHost,
} from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { O_NONBLOCK } from '../open-flags.js';
import { blockingLoop } from '../file-ops.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRNORM } from '../readiness.js';
import { WaitQueue } from '../wait-queue.js';
import { type Accepted, GuestSocket, type Maybe, type RecvResult, type SendRequest } from './socket-base.js';
import {
  AF_INET, AF_INET6, AF_UNIX, MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL, SHUT_RD, SHUT_RDWR, SHUT_WR, SOCK_STREAM, anyAddr, asIpv4, asIpv6,
  type SockAddr, type UnixAddr, unnamedUnix,
} from './sockaddr.js';

/** Unread bytes past which the node socket is paused (and under which it resumes). */
const RX_PAUSE = 1 << 20;
const RX_RESUME = 256 << 10;
/** Bytes queued in node past which a send blocks (or fails with EAGAIN). */
const TX_HIGH = 1 << 20;

type State = 'new' | 'bound' | 'listening' | 'connecting' | 'connected' | 'failed';

export function nonblocking(file: OpenFile, flags: number): boolean {
  return (file.statusFlags & O_NONBLOCK) !== 0 || (flags & MSG_DONTWAIT) !== 0;
}

/** A node address as a guest sockaddr of `family`. */
function nodeAddr(family: number, address: string | undefined, port: number | undefined): SockAddr {
  if (family === AF_INET) return { family: AF_INET, address: asIpv4(address ?? '0.0.0.0'), port: port ?? 0 };
  return { family: AF_INET6, address: asIpv6(address ?? '::'), port: port ?? 0, flowinfo: 0, scopeId: 0 };
}

export class StreamSocket extends GuestSocket {
  private state: State = 'new';
  private sock: net.Socket | null = null;
  private server: net.Server | null = null;
  private bound: SockAddr | null = null;
  /** AF_UNIX: the path this side is known by (bound server), or the path connected to. */
  private unixLocal: UnixAddr | null = null;
  private unixPeer: UnixAddr | null = null;
  /** connect() returned EINPROGRESS and has not been called again since. */
  private connectPending = false;
  private readonly rx: Buffer[] = [];
  private rxBytes = 0;
  private paused = false;
  /** The peer sent FIN. */
  private eof = false;
  private rdShut = false;
  private wrShut = false;
  /** An error (reset) that the next receive reports once. */
  private rxError = 0;
  private readonly backlog: StreamSocket[] = [];
  private closed = false;
  /** Handed to an exec'd program: closing our side must not shut the connection down. */
  private handedOff = false;

  constructor(family: number, protocol: number, waiters?: WaitQueue) {
    super(family, SOCK_STREAM, protocol);
    if (waiters) (this as { waiters: WaitQueue }).waiters = waiters;
  }

  /** A socket for a connection node already has (accepted, or connected for a Unix socket). */
  static fromNode(family: number, protocol: number, sock: net.Socket, unix?: { local: UnixAddr; peer: UnixAddr }, waiters?: WaitQueue): StreamSocket {
    const s = new StreamSocket(family, protocol, waiters);
    s.state = 'connected';
    if (unix) {
      s.unixLocal = unix.local;
      s.unixPeer = unix.peer;
    }
    s.attach(sock);
    return s;
  }

  private attach(sock: net.Socket): void {
    this.sock = sock;
    if (this.opts.get('6:1')) sock.setNoDelay(true);
    if (this.opts.get('1:9')) sock.setKeepAlive(true);
    sock.on('data', (b: Buffer) => {
      if (this.rdShut) return; // shut down for reading: discarded
      this.rx.push(b);
      this.rxBytes += b.length;
      if (this.rxBytes > RX_PAUSE && !this.paused) {
        this.paused = true;
        sock.pause();
      }
      this.waiters.wake(POLLIN | POLLRDNORM);
    });
    sock.on('end', () => {
      this.eof = true;
      this.waiters.wake(POLLIN | POLLRDHUP);
    });
    sock.on('drain', () => this.waiters.wake(POLLOUT | POLLWRNORM));
    sock.on('error', (e: Error) => {
      const errno = errnoFromHost(e);
      if (this.state === 'connecting') {
        this.state = 'failed';
        this.soError = errno;
      } else {
        this.rxError = errno;
        this.soError = errno;
      }
      this.waiters.wake();
    });
    sock.on('close', () => {
      this.eof = true;
      this.waiters.wake();
    });
  }

  poll(): number {
    switch (this.state) {
      case 'listening':
        return this.backlog.length > 0 ? POLLIN | POLLRDNORM : 0;
      case 'connecting':
        return 0;
      case 'new':
      case 'bound':
        return POLLOUT | POLLWRNORM | POLLHUP;
      case 'failed':
        return POLLIN | POLLRDNORM | POLLRDHUP | POLLOUT | POLLWRNORM | POLLHUP | (this.soError ? POLLERR : 0);
      case 'connected': {
        let ev = 0;
        const readShut = this.rdShut || this.eof;
        if (this.rx.length > 0 || readShut || this.rxError) ev |= POLLIN | POLLRDNORM;
        if (readShut) ev |= POLLRDHUP;
        const writable = this.wrShut || this.sock === null || this.sock.destroyed || this.sock.writableLength < TX_HIGH;
        if (writable) ev |= POLLOUT | POLLWRNORM;
        if ((readShut && this.wrShut) || this.sock?.destroyed) ev |= POLLHUP;
        if (this.soError) ev |= POLLERR;
        return ev;
      }
    }
  }

  bind(_ctx: SyscallContext, addr: SockAddr): number | Promise<number> {
    if (this.state !== 'new') return -EINVAL;
    return this.startServer(addr).then((r) => {
      if (r === 0) this.state = 'bound';
      return r;
    });
  }

  /** Listen in node on `addr` (a guest bind): 0 or -errno. */
  private startServer(addr: SockAddr): Promise<number> {
    const server = net.createServer({ allowHalfOpen: true });
    const ipv6Only = this.opts.get('41:26') === 1;
    if (addr.family === AF_UNIX) return Promise.resolve(-EINVAL);
    const host = addr.family === AF_INET6 ? asIpv6(addr.address) : addr.address;
    return new Promise((resolve) => {
      server.once('error', (e) => resolve(-errnoFromHost(e)));
      server.listen({ host, port: addr.port, ipv6Only, backlog: 511 }, () => {
        server.removeAllListeners('error');
        server.on('error', () => {});
        this.server = server;
        const a = server.address() as net.AddressInfo;
        this.bound = nodeAddr(this.family, a.address, a.port);
        server.on('connection', (sock: net.Socket) => this.incoming(sock));
        resolve(0);
      });
    });
  }

  private incoming(sock: net.Socket): void {
    if (this.closed) {
      sock.destroy();
      return;
    }
    this.backlog.push(StreamSocket.fromNode(this.family, this.protocol, sock));
    this.waiters.wake(POLLIN | POLLRDNORM);
  }

  listen(_ctx: SyscallContext, _backlog: number): number | Promise<number> {
    if (this.state === 'listening') return 0;
    if (this.state === 'bound') {
      this.state = 'listening';
      this.listening = true;
      return 0;
    }
    if (this.state !== 'new') return -EINVAL;
    // Not bound: the kernel picks a port on the wildcard address.
    return this.startServer(anyAddr(this.family)).then((r) => {
      if (r === 0) {
        this.state = 'listening';
        this.listening = true;
      }
      return r;
    });
  }

  accept(ctx: SyscallContext, file: OpenFile): Maybe<Accepted> {
    if (this.state !== 'listening') return -EINVAL;
    return blockingLoop(ctx, nonblocking(file, 0), this.waiters, () => {
      const s = this.backlog.shift();
      if (!s) return null;
      return { sock: s, peer: s.peerName() ?? anyAddr(this.family) };
    }, this.deadline(false));
  }

  connect(ctx: SyscallContext, file: OpenFile, addr: SockAddr | null): number | Promise<number> {
    if (this.state === 'listening') return -EISCONN;
    if (this.state === 'connected') {
      if (this.connectPending) {
        this.connectPending = false;
        return 0;
      }
      return -EISCONN;
    }
    if (this.state === 'failed') {
      // The failure is reported once, then the socket can connect again.
      const e = this.soError || ECONNREFUSED;
      this.soError = 0;
      this.state = 'new';
      this.connectPending = false;
      return -e;
    }
    if (this.state === 'connecting') {
      if (nonblocking(file, 0)) return -EALREADY;
      return this.awaitConnect(ctx);
    }
    if (!addr) return 0;
    return this.startConnect(ctx, file, addr);
  }

  /** Connect to `addr` (or a host Unix socket path): -EINPROGRESS, or the blocking result. */
  startConnect(ctx: SyscallContext, file: OpenFile, addr: SockAddr, hostPath?: string): number | Promise<number> {
    const begin = (): number | Promise<number> => {
      const opts: net.NetConnectOpts =
        hostPath !== undefined
          ? { path: hostPath, allowHalfOpen: true }
          : {
              host: addr.family === AF_INET6 ? asIpv6((addr as { address: string }).address) : (addr as { address: string }).address,
              port: (addr as { port: number }).port,
              allowHalfOpen: true,
              ...(this.bound ? { localAddress: (this.bound as { address: string }).address, localPort: (this.bound as { port: number }).port } : {}),
            };
      if (hostPath !== undefined) {
        this.unixLocal = unnamedUnix();
        this.unixPeer = addr as UnixAddr;
      }
      const sock = net.connect(opts);
      this.state = 'connecting';
      this.attach(sock);
      sock.once('connect', () => {
        if (this.state === 'connecting') this.state = 'connected';
        this.waiters.wake(POLLOUT | POLLWRNORM);
      });
      if (nonblocking(file, 0)) {
        this.connectPending = true;
        return -EINPROGRESS;
      }
      return this.awaitConnect(ctx);
    };
    // A socket bound by bind(): its server gives the port back to the connection.
    if (this.server) {
      const server = this.server;
      this.server = null;
      return new Promise<void>((r) => server.close(() => r())).then(begin);
    }
    return begin();
  }

  private awaitConnect(ctx: SyscallContext): number | Promise<number> {
    const r = blockingLoop(ctx, false, this.waiters, () => {
      if (this.state === 'connecting') return null;
      if (this.state === 'connected') {
        this.connectPending = false;
        return 0;
      }
      const e = this.soError || ECONNREFUSED;
      this.soError = 0;
      this.state = 'new';
      return -e;
    }, this.deadline(true));
    // SO_SNDTIMEO ran out: the connection goes on in the background.
    const timedOut = (v: number) => (v === -EAGAIN ? -EINPROGRESS : v);
    return typeof r === 'number' ? timedOut(r) : r.then(timedOut);
  }

  send(ctx: SyscallContext, file: OpenFile, req: SendRequest): number | Promise<number> {
    if (this.state !== 'connected') return this.state === 'failed' ? -EPIPE : -ENOTCONN;
    const sock = this.sock!;
    if (this.wrShut || sock.destroyed || !sock.writable) return -EPIPE;
    if (req.data.length === 0) return 0;
    return blockingLoop(ctx, nonblocking(file, req.flags), this.waiters, () => {
      if (this.wrShut || sock.destroyed || !sock.writable) return -EPIPE;
      if (sock.writableLength >= TX_HIGH) return null;
      sock.write(req.data);
      return req.data.length;
    }, this.deadline(true));
  }

  /** Take up to `max` buffered bytes (leave them with MSG_PEEK). */
  private take(max: number, peek: boolean): Uint8Array {
    const out = Buffer.alloc(Math.min(max, this.rxBytes));
    let done = 0;
    let i = 0;
    while (done < out.length) {
      const c = this.rx[i]!;
      const n = Math.min(c.length, out.length - done);
      c.copy(out, done, 0, n);
      done += n;
      if (peek) {
        i++;
        continue;
      }
      if (n === c.length) this.rx.shift();
      else this.rx[0] = c.subarray(n);
    }
    if (!peek) {
      this.rxBytes -= done;
      if (this.paused && this.rxBytes < RX_RESUME) {
        this.paused = false;
        this.sock?.resume();
      }
    }
    return out;
  }

  recv(ctx: SyscallContext, file: OpenFile, max: number, flags: number): Maybe<RecvResult> {
    if (this.state !== 'connected') return this.state === 'failed' ? this.takeError() : -ENOTCONN;
    const from = this.peerName();
    const result = (data: Uint8Array): RecvResult => ({ data, full: data.length, from });
    if (max === 0) return result(new Uint8Array(0));
    const peek = (flags & MSG_PEEK) !== 0;
    const waitAll = (flags & MSG_WAITALL) !== 0 && !peek;
    const parts: Uint8Array[] = [];
    let got = 0;
    return blockingLoop(ctx, nonblocking(file, flags), this.waiters, (): RecvResult | number | null => {
      if (this.rxBytes > 0) {
        const d = this.take(max - got, peek);
        parts.push(d);
        got += d.length;
        if (!waitAll || got >= max) return result(Buffer.concat(parts));
      }
      if (got > 0 && (this.rdShut || this.eof || this.rxError)) return result(Buffer.concat(parts));
      if (this.rxError) return this.takeError();
      if (this.rdShut || this.eof) return result(new Uint8Array(0));
      return null;
    }, this.deadline(false));
  }

  private takeError(): number {
    const e = this.rxError || this.soError;
    this.rxError = 0;
    this.soError = 0;
    return e ? -e : 0;
  }

  shutdown(how: number): number {
    if (how < SHUT_RD || how > SHUT_RDWR) return -EINVAL;
    if (this.state === 'listening' && how !== SHUT_WR) {
      // Stop listening: blocked accepts fail with EINVAL.
      this.server?.close();
      this.server = null;
      this.state = 'new';
      this.listening = false;
      this.waiters.wake();
      return 0;
    }
    if (this.state !== 'connected') return -ENOTCONN;
    if (how !== SHUT_WR) {
      this.rdShut = true;
      this.rx.length = 0;
      this.rxBytes = 0;
    }
    if (how !== SHUT_RD && !this.wrShut) {
      this.wrShut = true;
      this.sock?.end();
    }
    this.waiters.wake();
    return 0;
  }

  localName(): SockAddr {
    if (this.family === AF_UNIX) return this.unixLocal ?? unnamedUnix();
    if (this.sock && (this.state === 'connected' || this.state === 'connecting') && this.sock.localPort !== undefined) {
      return nodeAddr(this.family, this.sock.localAddress, this.sock.localPort);
    }
    return this.bound ?? anyAddr(this.family);
  }

  peerName(): SockAddr | null {
    if (this.state !== 'connected' || !this.sock) return null;
    if (this.family === AF_UNIX) return this.unixPeer ?? unnamedUnix();
    if (this.sock.remotePort === undefined) return null;
    return nodeAddr(this.family, this.sock.remoteAddress, this.sock.remotePort);
  }

  setProtocolOption(level: number, name: number, value: number): number | null {
    if (level === 6 && name === 1) this.sock?.setNoDelay(value !== 0);
    if (level === 1 && name === 9) this.sock?.setKeepAlive(value !== 0);
    return null;
  }

  pendingBytes(): number {
    return this.rxBytes;
  }

  hostStdio(): net.Socket | null {
    const sock = this.sock;
    if (!sock || sock.destroyed || this.state !== 'connected') return null;
    sock.pause();
    this.paused = true;
    this.handedOff = true;
    return sock;
  }

  release(): void {
    this.closed = true;
    this.server?.close();
    this.server = null;
    for (const s of this.backlog.splice(0)) s.release();
    const sock = this.sock;
    if (!sock) return;
    if (this.state === 'connecting' || sock.destroyed || this.handedOff) {
      sock.destroy();
      return;
    }
    // Unread data makes the kernel reset the connection; otherwise a FIN after the writes.
    if (this.rxBytes > 0 && typeof sock.resetAndDestroy === 'function') sock.resetAndDestroy();
    else sock.end(() => sock.destroy());
    sock.resume();
  }
}
