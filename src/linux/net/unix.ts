// AF_UNIX sockets between guest threads and processes of this emulator, in memory:
// SOCK_STREAM (a byte stream each way), SOCK_SEQPACKET (connected, message boundaries) and
// SOCK_DGRAM (messages, connected or addressed). Names: abstract ones live only here; a
// path name also gets a real socket file (a node server listening on it), so that stat and
// EADDRINUSE behave and host processes can connect (they appear as accepted connections
// backed by node:net). Connecting to a path no guest socket is bound to reaches a host
// socket through node:net. Files travel with SCM_RIGHTS; SO_PASSCRED adds credentials.
import * as fs from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Readable, Stream, Writable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import type { SyscallContext } from '../syscalls.js';
import {
  ECONNREFUSED, ECONNRESET, EINVAL, EISCONN, EMSGSIZE, ENOENT, ENOTCONN, EOPNOTSUPP, EPERM, EPIPE, EPROTOTYPE, EADDRINUSE, errnoFromHost,
} from '../errno.js';
import type { OpenFile } from '../fd-table.js';
import { blockingLoop } from '../file-ops.js';
import { hostPath } from '../paths.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRBAND, POLLWRNORM } from '../readiness.js';
import { type Accepted, GuestSocket, type Maybe, type RecvResult, type SendRequest } from './socket-base.js';
import { AF_UNIX, MSG_PEEK, MSG_WAITALL, SHUT_RD, SHUT_RDWR, SHUT_WR, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, type SockAddr, type UnixAddr, unnamedUnix } from './sockaddr.js';
import { StreamSocket, nonblocking } from './stream.js';

/** Bytes a socket's receive queue holds before senders wait (the kernel's default wmem). */
export const UNIX_QUEUE_LIMIT = 212992;

export interface Creds {
  pid: number;
  uid: number;
  gid: number;
}

interface Message {
  data: Uint8Array;
  fds: OpenFile[] | null;
  from: UnixAddr | null;
  creds: Creds;
}

/** Bound names: 'a:' + abstract name (latin1), 'p:' + absolute host path. */
const names = new Map<string, UnixSocket>();
let autobindCounter = 0;

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

function credsOf(ctx: SyscallContext): Creds {
  return { pid: ctx.proc.pid, uid: ctx.proc.uid, gid: ctx.proc.gid };
}

/** The registry key and, for a path, its host path. */
function keyOf(ctx: SyscallContext, addr: UnixAddr): { key: string; path: string | null } {
  if (addr.abstract) return { key: `a:${latin1(addr.name)}`, path: null };
  const path = resolve(hostPath(ctx, latin1(addr.name)));
  return { key: `p:${path}`, path };
}

export class UnixSocket extends GuestSocket {
  private bound: UnixAddr | null = null;
  private key: string | null = null;
  private boundPath: string | null = null;
  private boundIno = 0n;
  private server: Server | null = null;
  peer: UnixSocket | null = null;
  private connected = false;
  private rx: Message[] = [];
  private rxBytes = 0;
  /** The kernel's sk_shutdown bits: receive / send shut down (by us, or by the peer). */
  private rcvShut = false;
  private sndShut = false;
  closed = false;
  private readonly backlog: GuestSocket[] = [];
  /** Connected to a host socket: every operation goes to this node-backed socket. */
  private delegate: StreamSocket | null = null;

  constructor(
    type: number,
    readonly creds: Creds,
  ) {
    super(AF_UNIX, type, 0);
  }

  /** socketpair: two connected sockets. */
  static pair(ctx: SyscallContext, type: number): [UnixSocket, UnixSocket] {
    const a = new UnixSocket(type, credsOf(ctx));
    const b = new UnixSocket(type, credsOf(ctx));
    a.peer = b;
    b.peer = a;
    a.connected = b.connected = true;
    return [a, b];
  }

  private get messages(): boolean {
    return this.type !== SOCK_STREAM;
  }

  /** The socket bound to `addr`, or -errno as connect/sendto would fail. */
  private static lookup(ctx: SyscallContext, addr: UnixAddr): UnixSocket | { hostPath: string } | number {
    if (addr.name.length === 0 && !addr.abstract) return -EINVAL;
    const { key, path } = keyOf(ctx, addr);
    const s = names.get(key);
    if (path !== null) {
      let st: fs.BigIntStats | undefined;
      try {
        st = fs.statSync(path, { bigint: true });
      } catch (e) {
        return -errnoFromHost(e);
      }
      if (s && !s.closed && s.boundIno === st.ino) return s;
      return st.isSocket() ? { hostPath: path } : -ECONNREFUSED;
    }
    return s && !s.closed ? s : -ECONNREFUSED;
  }

  poll(): number {
    if (this.delegate) return this.delegate.poll();
    if (this.listening) return this.backlog.length > 0 ? POLLIN | POLLRDNORM : 0;
    let ev = 0;
    if (this.soError) ev |= POLLERR;
    if (this.rcvShut && this.sndShut) ev |= POLLHUP;
    if (this.rcvShut) ev |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (this.rx.length > 0) ev |= POLLIN | POLLRDNORM;
    if (this.type !== SOCK_DGRAM && !this.connected) ev |= POLLHUP;
    const target = this.peer;
    const writable = !target || target.closed || target.rxBytes < UNIX_QUEUE_LIMIT;
    if (writable) ev |= POLLOUT | POLLWRNORM | POLLWRBAND;
    return ev;
  }

  bind(ctx: SyscallContext, addr: SockAddr): number | Promise<number> {
    if (this.bound || this.delegate) return -EINVAL;
    let a = addr as UnixAddr;
    if (a.name.length === 0 && !a.abstract) {
      // Autobind: an abstract name of five hex digits.
      do {
        a = { family: AF_UNIX, abstract: true, name: Buffer.from((autobindCounter++ & 0xfffff).toString(16).padStart(5, '0'), 'latin1') };
      } while (names.get(keyOf(ctx, a).key)?.closed === false);
    }
    const { key, path } = keyOf(ctx, a);
    if (path === null) {
      if (names.get(key)?.closed === false) return -EADDRINUSE;
      this.setBound(a, key);
      return 0;
    }
    if (fs.existsSync(path)) return -EADDRINUSE;
    if (!fs.existsSync(dirname(path))) return -ENOENT;
    // A real socket file: a node server listening on the path.
    const server = createServer({ allowHalfOpen: true });
    return new Promise<number>((done) => {
      server.once('error', (e) => done(-errnoFromHost(e)));
      server.listen(path, () => {
        server.removeAllListeners('error');
        server.on('error', () => {});
        server.on('connection', (sock: Socket) => this.hostIncoming(sock));
        this.server = server;
        this.boundPath = path;
        try {
          this.boundIno = fs.statSync(path, { bigint: true }).ino;
        } catch {
          this.boundIno = 0n;
        }
        this.setBound(a, key);
        done(0);
      });
    });
  }

  private setBound(a: UnixAddr, key: string): void {
    this.bound = a;
    this.key = key;
    names.set(key, this);
  }

  /** A host process connected to our path. */
  private hostIncoming(sock: Socket): void {
    if (!this.listening || this.type !== SOCK_STREAM || this.closed) {
      sock.destroy();
      return;
    }
    this.backlog.push(StreamSocket.fromNode(AF_UNIX, 0, sock, { local: this.bound!, peer: unnamedUnix() }));
    this.waiters.wake(POLLIN | POLLRDNORM);
  }

  listen(_ctx: SyscallContext, _backlog: number): number {
    if (this.delegate) return -EINVAL;
    if (this.type === SOCK_DGRAM) return -EOPNOTSUPP;
    if (!this.bound || this.connected) return -EINVAL;
    this.listening = true;
    this.waiters.wake();
    return 0;
  }

  accept(ctx: SyscallContext, file: OpenFile): Maybe<Accepted> {
    if (this.type === SOCK_DGRAM) return -EOPNOTSUPP;
    if (!this.listening) return -EINVAL;
    return blockingLoop(ctx, nonblocking(file, 0), this.waiters, () => {
      const s = this.backlog.shift();
      if (!s) return null;
      return { sock: s, peer: s.peerName() ?? unnamedUnix() };
    }, this.deadline(false));
  }

  connect(ctx: SyscallContext, file: OpenFile, addr: SockAddr | null): number | Promise<number> {
    if (this.delegate) return this.delegate.connect(ctx, file, addr);
    if (this.type === SOCK_DGRAM) {
      if (!addr) {
        this.peer = null;
        return 0;
      }
      const t = UnixSocket.lookup(ctx, addr as UnixAddr);
      if (typeof t === 'number') return t;
      if (!(t instanceof UnixSocket)) return -ECONNREFUSED;
      if (t.type !== this.type) return -EPROTOTYPE;
      this.peer = t;
      return 0;
    }
    if (!addr) return -EINVAL;
    if (this.connected) return -EISCONN;
    if (this.listening) return -EINVAL;
    const t = UnixSocket.lookup(ctx, addr as UnixAddr);
    if (typeof t === 'number') return t;
    if (!(t instanceof UnixSocket)) {
      if (this.type !== SOCK_STREAM) return -ECONNREFUSED;
      // A host socket: node:net carries this connection from now on.
      this.delegate = new StreamSocket(AF_UNIX, 0, this.waiters);
      return this.delegate.startConnect(ctx, file, addr, t.hostPath);
    }
    if (t.type !== this.type) return -EPROTOTYPE;
    if (!t.listening || t.closed) return -ECONNREFUSED;
    // The listener's end of the connection waits in its backlog until accepted.
    const server = new UnixSocket(this.type, t.creds);
    server.bound = t.bound;
    server.peer = this;
    server.connected = true;
    this.peer = server;
    this.connected = true;
    t.backlog.push(server);
    t.waiters.wake(POLLIN | POLLRDNORM);
    this.waiters.wake(POLLOUT | POLLWRNORM);
    return 0;
  }

  send(ctx: SyscallContext, file: OpenFile, req: SendRequest): number | Promise<number> {
    if (this.delegate) return this.delegate.send(ctx, file, req);
    if (this.type === SOCK_STREAM) return this.sendStream(ctx, file, req);
    let target: UnixSocket | null;
    if (this.type === SOCK_SEQPACKET || !req.to) {
      if (!this.peer || (this.type === SOCK_SEQPACKET && !this.connected)) return -ENOTCONN;
      target = this.peer;
    } else {
      const t = UnixSocket.lookup(ctx, req.to as UnixAddr);
      if (typeof t === 'number') return t;
      if (!(t instanceof UnixSocket)) return -ECONNREFUSED;
      target = t;
    }
    if (this.sndShut) return -EPIPE;
    if (target.type !== this.type) return -EPROTOTYPE;
    if (target.closed) {
      if (this.type !== SOCK_DGRAM) return -EPIPE;
      if (target === this.peer) this.peer = null;
      return -ECONNREFUSED;
    }
    if (this.type === SOCK_DGRAM && target.peer && target.peer !== this) return -EPERM;
    if (target.rcvShut) return -EPIPE;
    if (req.data.length > UNIX_QUEUE_LIMIT - 32) return -EMSGSIZE;
    const t = target;
    return blockingLoop(ctx, nonblocking(file, req.flags), t.waiters, () => {
      if (t.closed) return this.type === SOCK_DGRAM ? -ECONNREFUSED : -EPIPE;
      if (t.rx.length > 0 && t.rxBytes + req.data.length > UNIX_QUEUE_LIMIT) return null;
      t.push({ data: req.data, fds: req.fds, from: this.bound, creds: credsOf(ctx) });
      return req.data.length;
    }, this.deadline(true));
  }

  private push(m: Message): void {
    this.rx.push(m);
    this.rxBytes += m.data.length;
    this.waiters.wake(POLLIN | POLLRDNORM);
  }

  private sendStream(ctx: SyscallContext, file: OpenFile, req: SendRequest): number | Promise<number> {
    if (req.to) return this.connected ? -EISCONN : -EOPNOTSUPP;
    if (!this.connected || !this.peer) return -ENOTCONN;
    const peer = this.peer;
    const broken = () => this.sndShut || peer.closed || peer.rcvShut;
    if (broken()) return -EPIPE;
    const data = req.data;
    if (data.length === 0) return 0;
    let sent = 0;
    let fds = req.fds;
    const r = blockingLoop(ctx, nonblocking(file, req.flags), peer.waiters, () => {
      if (broken()) return sent > 0 ? sent : -EPIPE;
      const room = UNIX_QUEUE_LIMIT - peer.rxBytes;
      if (room <= 0) return null;
      const n = Math.min(room, data.length - sent);
      peer.push({ data: data.subarray(sent, sent + n), fds, from: this.bound, creds: credsOf(ctx) });
      fds = null;
      sent += n;
      return sent === data.length ? sent : null;
    }, this.deadline(true));
    // A non-blocking send that filled the queue returns what it wrote.
    const partial = (v: number) => (v < 0 && sent > 0 ? sent : v);
    return typeof r === 'number' ? partial(r) : r.then(partial);
  }

  recv(ctx: SyscallContext, file: OpenFile, max: number, flags: number): Maybe<RecvResult> {
    if (this.delegate) return this.delegate.recv(ctx, file, max, flags);
    if (this.type === SOCK_STREAM && (this.listening || !this.connected)) return -EINVAL;
    if (this.type === SOCK_SEQPACKET && !this.connected) return -ENOTCONN;
    const peek = (flags & MSG_PEEK) !== 0;
    const passcred = this.opts.get('1:16') === 1;
    if (this.messages) {
      return blockingLoop(ctx, nonblocking(file, flags), this.waiters, (): RecvResult | number | null => {
        const m = this.rx[0];
        if (!m) {
          if (this.soError) return this.takeError();
          if (this.rcvShut) return { data: new Uint8Array(0), full: 0, from: null };
          return null;
        }
        if (!peek) this.consume(1, m.data.length);
        const fds = m.fds ? (peek ? m.fds.map(dup) : m.fds) : undefined;
        return { data: m.data.slice(0, max), full: m.data.length, from: m.from, ...(fds ? { fds } : {}), ...(passcred ? { creds: m.creds } : {}) };
      }, this.deadline(false));
    }
    const waitAll = (flags & MSG_WAITALL) !== 0 && !peek;
    const parts: Uint8Array[] = [];
    let got = 0;
    let fds: OpenFile[] | undefined;
    let first: Message | undefined;
    const result = (): RecvResult => {
      const data = Buffer.concat(parts);
      return { data, full: data.length, from: first?.from ?? this.peer?.bound ?? null, ...(fds ? { fds } : {}), ...(passcred && first ? { creds: first.creds } : {}) };
    };
    if (max === 0) return result();
    return blockingLoop(ctx, nonblocking(file, flags), this.waiters, (): RecvResult | number | null => {
      let i = 0;
      while (got < max && i < this.rx.length) {
        const m = this.rx[peek ? i : 0]!;
        first ??= m;
        const n = Math.min(m.data.length, max - got);
        parts.push(m.data.slice(0, n));
        got += n;
        const mfds = m.fds;
        if (mfds) {
          fds = peek ? mfds.map(dup) : mfds;
          if (!peek) m.fds = null;
        }
        if (peek) i++;
        else if (n === m.data.length) this.consume(1, n);
        else {
          m.data = m.data.subarray(n);
          this.consume(0, n);
        }
        if (mfds) break; // a message carrying files ends the read
      }
      if (got > 0 && (!waitAll || got >= max || fds || this.rcvShut)) return result();
      if (got === 0 && this.soError) return this.takeError();
      if (this.rcvShut) return result();
      return null;
    }, this.deadline(false));
  }

  /** Drop `count` messages (and `bytes` bytes) from the queue; senders waiting for room wake. */
  private consume(count: number, bytes: number): void {
    this.rx.splice(0, count);
    this.rxBytes -= bytes;
    this.waiters.wake(POLLOUT | POLLWRNORM);
    this.peer?.waiters.wake(POLLOUT | POLLWRNORM);
  }

  private takeError(): number {
    const e = this.soError;
    this.soError = 0;
    return -e;
  }

  shutdown(how: number): number {
    if (this.delegate) return this.delegate.shutdown(how);
    if (how < SHUT_RD || how > SHUT_RDWR) return -EINVAL;
    if (this.type !== SOCK_DGRAM && !this.connected) return -ENOTCONN;
    if (how !== SHUT_WR) this.rcvShut = true;
    if (how !== SHUT_RD) this.sndShut = true;
    const peer = this.peer;
    if (peer && this.type !== SOCK_DGRAM) {
      if (how !== SHUT_RD) peer.rcvShut = true;
      if (how !== SHUT_WR) peer.sndShut = true;
      peer.waiters.wake();
    }
    this.waiters.wake();
    return 0;
  }

  localName(): SockAddr {
    if (this.delegate) return this.delegate.localName();
    return this.bound ?? unnamedUnix();
  }

  peerName(): SockAddr | null {
    if (this.delegate) return this.delegate.peerName();
    if (!this.peer || (this.type !== SOCK_DGRAM && !this.connected)) return null;
    return this.peer.bound ?? unnamedUnix();
  }

  /** SO_PEERCRED: the credentials of the peer (its creator, or the listener's). */
  peerCreds(): Creds | null {
    if (this.delegate) return null;
    return this.peer && this.connected ? this.peer.creds : null;
  }

  hostStdio(): ReturnType<StreamSocket['hostStdio']> | 'pipe' {
    if (this.delegate) return this.delegate.hostStdio();
    // A connected stream reaches an exec'd program through a host pipe pumped both ways.
    return this.type === SOCK_STREAM && this.connected && this.peer ? 'pipe' : null;
  }

  /**
   * The exec'd program holds this socket through `stream` (node's end of the host pipe for
   * its fd `childFd`: written to for fd 0, read from for fds 1 and 2, both ways above).
   */
  pumpHost(file: OpenFile, stream: Stream, childFd: number): void {
    let open = 0;
    const done = () => {
      if (--open === 0) file.release();
    };
    file.refs++; // until the program's side closes
    if (childFd !== 1 && childFd !== 2) {
      open++;
      const out = stream as Writable;
      out.on('error', () => {});
      void (async () => {
        for (;;) {
          if (this.rxBytes > 0) {
            const parts = this.rx.map((m) => m.data);
            for (const m of this.rx) for (const f of m.fds ?? []) f.release();
            this.consume(this.rx.length, this.rxBytes);
            for (const p of parts) out.write(Buffer.from(p));
          } else if (this.rcvShut || this.closed) break;
          else await this.waiters.next();
        }
        out.end();
        done();
      })();
    }
    if (childFd !== 0) {
      open++;
      const input = stream as Readable;
      input.on('data', (b: Buffer) => {
        const peer = this.peer;
        if (peer && !peer.closed && !peer.rcvShut && !this.sndShut) peer.push({ data: new Uint8Array(b), fds: null, from: this.bound, creds: this.creds });
      });
      input.on('error', () => {});
      input.on('close', done);
    }
  }

  pendingBytes(): number {
    if (this.delegate) return this.delegate.pendingBytes();
    if (this.messages) return this.rx[0]?.data.length ?? 0;
    return this.rxBytes;
  }

  release(): void {
    if (this.delegate) {
      this.delegate.release();
      return;
    }
    this.closed = true;
    if (this.key && names.get(this.key) === this) names.delete(this.key);
    this.closeServer();
    for (const m of this.rx) for (const f of m.fds ?? []) f.release();
    for (const s of this.backlog.splice(0)) s.release();
    const peer = this.peer;
    if (peer && this.type !== SOCK_DGRAM) {
      peer.rcvShut = peer.sndShut = true;
      // Closing with unread data resets the connection.
      if (this.rx.length > 0) peer.soError = ECONNRESET;
      peer.waiters.wake();
    }
    this.rx = [];
    this.rxBytes = 0;
    this.waiters.wake();
  }

  /**
   * Stop the node server without losing the socket file: libuv unlinks the path when it
   * closes, the kernel leaves it. Keep it (or whatever the guest put there since) aside.
   */
  private closeServer(): void {
    const server = this.server;
    const path = this.boundPath;
    this.server = null;
    if (!server || !path) return;
    const aside = `${path}.tsqemu-${process.pid}-${Date.now()}`;
    let moved = false;
    try {
      fs.linkSync(path, aside);
      moved = true;
    } catch {
      // the guest unlinked it already: nothing to keep
    }
    server.close();
    if (moved) {
      try {
        fs.renameSync(aside, path);
      } catch {
        try {
          fs.unlinkSync(aside);
        } catch {
          // nothing more to do
        }
      }
    }
  }
}

/** Another reference to a passed file (MSG_PEEK hands out copies). */
function dup(f: OpenFile): OpenFile {
  f.refs++;
  return f;
}
