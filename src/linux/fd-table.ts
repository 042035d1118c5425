// Guest file descriptors. A guest fd names an open file description (OpenFile) shared by
// dup'ed fds, as in the kernel; the description owns one host fd (node:fs has no dup, so
// sharing the description is also how dup shares the file offset) or, for pipes, an
// in-memory PipeBuffer. Guest fds 0, 1, 2 start as the host's own stdio; host fds 0-2 are
// never closed (the logger and the host process keep using them).
import { closeSync, fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import { EBADF, EMFILE } from './errno.js';
import type { FileOps } from './file-ops.js';
import { WaitQueue } from './wait-queue.js';

/** 'socket' and 'anon' (eventfd, timerfd, signalfd, epoll) are in-emulator files with FileOps. */
export type FileKind = 'file' | 'dir' | 'tty' | 'pipe' | 'socket' | 'anon' | 'other';

/** An in-memory pipe (pipe/pipe2): a byte queue with reader/writer counts and waiters. */
export class PipeBuffer {
  private chunks: Uint8Array[] = [];
  private size = 0;
  readers = 0;
  writers = 0;
  /** Woken when data arrives or an end closes. */
  readonly queue = new WaitQueue();

  get available(): number {
    return this.size;
  }

  write(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data.slice());
    this.size += data.length;
    this.wake();
  }

  /** Copy up to dest.length bytes out; returns the count (0 when empty). */
  read(dest: Uint8Array): number {
    let done = 0;
    while (done < dest.length && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const n = Math.min(c.length, dest.length - done);
      dest.set(c.subarray(0, n), done);
      done += n;
      if (n === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(n);
    }
    this.size -= done;
    return done;
  }

  /** Copy up to dest.length bytes out without taking them (tee); returns the count. */
  peek(dest: Uint8Array): number {
    let done = 0;
    for (const c of this.chunks) {
      if (done >= dest.length) break;
      const n = Math.min(c.length, dest.length - done);
      dest.set(c.subarray(0, n), done);
      done += n;
    }
    return done;
  }

  /** Resolves when data arrives or the last writer closes. */
  waitReadable(): Promise<void> {
    return this.queue.next();
  }

  wake(): void {
    this.queue.wake();
  }
}

/** A directory entry as getdents64 returns it. */
export interface DirEntry {
  name: Uint8Array;
  ino: bigint;
  type: number;
}

/**
 * Content tsqemu makes itself instead of a host file (/proc/self/maps, /proc/self/fd/, ...):
 * the bytes of a file, or a directory's entries, made when the file is opened.
 */
export interface MemoryContent {
  /** The guest path it was opened as (what /proc/self/fd/N names). */
  readonly path: string;
  /** A file's bytes (absent for a directory). */
  readonly data?: Uint8Array;
  /** A directory's entries, made afresh at each rewind. */
  readonly entries?: () => DirEntry[];
  /** The same file opened again (open of /proc/self/fd/N): content made anew. */
  reopen(): MemoryContent;
}

export class OpenFile {
  refs = 0;
  /** Set for files tsqemu makes itself (host is -1, pipe is null). */
  memory: MemoryContent | null = null;
  /** getdents64 state: entries not yet returned (built on first call). */
  dirEntries: DirEntry[] | null = null;
  dirPos = 0;
  /** Offset for regular files and directories (node:fs has no lseek); null = the host fd's own offset. */
  position: number | null = null;
  /** Set for sockets, eventfd, timerfd, signalfd and epoll instances (kind 'socket' / 'anon'). */
  ops: FileOps | null = null;

  constructor(
    /** Host fd, or -1 for in-memory files (pipes). */
    readonly host: number,
    readonly kind: FileKind,
    /** Guest open status flags (O_ACCMODE, O_APPEND, O_NONBLOCK, ...), not O_CLOEXEC. */
    public statusFlags: number,
    /** Host path it was opened with (for fchdir, /proc/self/fd, getdents64); '' if none. */
    readonly path: string,
    readonly pipe: PipeBuffer | null = null,
    /** For pipes: which end. */
    readonly pipeEnd: 'read' | 'write' | null = null,
  ) {}

  release(): void {
    if (--this.refs > 0) return;
    this.ops?.release?.(this);
    if (this.pipe) {
      if (this.pipeEnd === 'read') this.pipe.readers--;
      else this.pipe.writers--;
      this.pipe.wake();
    }
    if (this.host > 2) {
      try {
        closeSync(this.host);
      } catch {
        // already gone; nothing to report at close time
      }
    }
  }
}

export interface FdSlot {
  file: OpenFile;
  cloexec: boolean;
}

export const FD_LIMIT = 1024;

function hostKind(fd: number): FileKind {
  try {
    const st = fstatSync(fd);
    // /dev/null is a character device too: only a real terminal is a tty (TCGETS → ENOTTY).
    if (st.isCharacterDevice()) return isatty(fd) ? 'tty' : 'other';
    if (st.isFIFO() || st.isSocket()) return 'pipe';
    if (st.isDirectory()) return 'dir';
    if (st.isFile()) return 'file';
  } catch {
    // not open on the host: treat as other
  }
  return 'other';
}

export class FdTable {
  private readonly slots: (FdSlot | undefined)[] = [];

  /** A table with guest fds 0, 1, 2 bound to the host's stdio (when open on the host). */
  static withStdio(): FdTable {
    const t = new FdTable();
    for (let fd = 0; fd <= 2; fd++) {
      const kind = hostKind(fd);
      const accmode = fd === 0 ? 0 : 1;
      t.install(fd, new OpenFile(fd, kind, kind === 'tty' ? 2 : accmode, ''), false);
    }
    return t;
  }

  get(fd: number): FdSlot | undefined {
    return fd >= 0 ? this.slots[fd] : undefined;
  }

  /** Bind `file` to the lowest free fd ≥ min; returns it, or -EMFILE. */
  alloc(file: OpenFile, cloexec: boolean, min = 0): number {
    let fd = Math.max(0, min);
    while (fd < FD_LIMIT && this.slots[fd] !== undefined) fd++;
    if (fd >= FD_LIMIT) return -EMFILE;
    this.install(fd, file, cloexec);
    return fd;
  }

  /** Bind `file` to exactly `fd`, closing what was there (dup2/dup3). */
  install(fd: number, file: OpenFile, cloexec: boolean): void {
    file.refs++;
    const old = this.slots[fd];
    this.slots[fd] = { file, cloexec };
    old?.file.release();
  }

  close(fd: number): number {
    const slot = this.get(fd);
    if (!slot) return -EBADF;
    this.slots[fd] = undefined;
    slot.file.release();
    return 0;
  }

  /** A copy sharing every open file (a child process's table: fork, vfork without CLONE_FILES). */
  copy(): FdTable {
    const t = new FdTable();
    this.slots.forEach((s, fd) => {
      if (s) t.install(fd, s.file, s.cloexec);
    });
    return t;
  }

  /** Close every fd (a process handing its files over to an exec'd program, or exiting). */
  closeAll(): void {
    for (const fd of this.openFds()) this.close(fd);
  }

  /** Guest fds in use, ascending (for /proc/self/fd and exec). */
  openFds(): number[] {
    const out: number[] = [];
    this.slots.forEach((s, i) => {
      if (s) out.push(i);
    });
    return out;
  }
}
