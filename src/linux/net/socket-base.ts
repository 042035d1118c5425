// What every guest socket has: FileOps (read/write are recv/send without flags), the
// operations the socket syscalls dispatch to, socket options kept per socket, SO_ERROR,
// timeouts, and one wait queue woken with POLLIN / POLLOUT hints.
import type { SyscallContext } from '../syscalls.js';
import type { OpenFile } from '../fd-table.js';
import type { FileOps } from '../file-ops.js';
import { pipeInode } from '../procfs.js';
import { WaitQueue } from '../wait-queue.js';
import type { SockAddr } from './sockaddr.js';

export const S_IFSOCK = 0o140000;

/** What a receive hands back (the bytes are a copy, at most the size asked for). */
export interface RecvResult {
  data: Uint8Array;
  /** The message's whole length (datagrams; the same as data.length for streams). */
  full: number;
  from: SockAddr | null;
  /** SCM_RIGHTS: open files passed along (each holds one reference for the receiver). */
  fds?: OpenFile[];
  /** SCM_CREDENTIALS for SO_PASSCRED receivers. */
  creds?: { pid: number; uid: number; gid: number };
}

export interface SendRequest {
  /** A copy of the bytes (the socket may keep it). */
  data: Uint8Array;
  flags: number;
  to: SockAddr | null;
  /** SCM_RIGHTS: files to pass (AF_UNIX only). */
  fds: OpenFile[] | null;
}

export interface Accepted {
  sock: GuestSocket;
  peer: SockAddr;
}

export type Maybe<T> = T | number | Promise<T | number>;

export abstract class GuestSocket implements FileOps {
  readonly mode = S_IFSOCK | 0o777;
  readonly waiters = new WaitQueue();
  /** SO_ERROR: a pending asynchronous error (connect failure, reset), read and cleared by getsockopt. */
  soError = 0;
  /** Integer socket options set by the guest, by `${level}:${name}`. */
  readonly opts = new Map<string, number>();
  /** SO_RCVTIMEO / SO_SNDTIMEO in ms (0: none). */
  rcvTimeoMs = 0;
  sndTimeoMs = 0;
  listening = false;

  constructor(
    readonly family: number,
    readonly type: number,
    readonly protocol: number,
  ) {}

  get name(): string {
    return `socket:[${pipeInode(this)}]`;
  }

  queue(): WaitQueue {
    return this.waiters;
  }

  abstract poll(file: OpenFile, ctx: SyscallContext): number;
  abstract bind(ctx: SyscallContext, addr: SockAddr): number | Promise<number>;
  /** `addr` null: AF_UNSPEC (dissolve a datagram association). */
  abstract connect(ctx: SyscallContext, file: OpenFile, addr: SockAddr | null): number | Promise<number>;
  abstract listen(ctx: SyscallContext, backlog: number): number | Promise<number>;
  abstract accept(ctx: SyscallContext, file: OpenFile): Maybe<Accepted>;
  abstract send(ctx: SyscallContext, file: OpenFile, req: SendRequest): number | Promise<number>;
  abstract recv(ctx: SyscallContext, file: OpenFile, max: number, flags: number): Maybe<RecvResult>;
  abstract shutdown(how: number): number;
  abstract localName(): SockAddr;
  /** The peer's address, or null when not connected (ENOTCONN). */
  abstract peerName(): SockAddr | null;

  /** The last reference to the socket went away (close). */
  abstract release(): void;

  /** A protocol option this socket type handles itself (TCP_NODELAY...); null: not handled. */
  setProtocolOption(_level: number, _name: number, _value: number): number | null {
    return null;
  }

  /** Deadline (performance.now ms) for a receive or send that may block. */
  deadline(send: boolean): number {
    const ms = send ? this.sndTimeoMs : this.rcvTimeoMs;
    return ms > 0 ? performance.now() + ms : Infinity;
  }

  read(file: OpenFile, view: Uint8Array, ctx: SyscallContext): number | Promise<number> {
    const copy = (r: RecvResult | number): number => {
      if (typeof r === 'number') return r;
      view.set(r.data);
      for (const f of r.fds ?? []) f.release(); // read(2) cannot take passed files
      return r.data.length;
    };
    const r = this.recv(ctx, file, view.length, 0);
    return r instanceof Promise ? r.then(copy) : copy(r);
  }

  write(file: OpenFile, data: Uint8Array, ctx: SyscallContext): number | Promise<number> {
    return this.send(ctx, file, { data: data.slice(), flags: 0, to: null, fds: null });
  }
}
