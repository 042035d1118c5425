// -d items and the -D file. Log output is written synchronously so it interleaves with the
// guest's own output in the order things happened.
import { closeSync, openSync, writeSync } from 'node:fs';

export const LOG_ITEMS: readonly { name: string; help: string }[] = [
  { name: 'out_asm', help: 'show generated host code (the compiled JavaScript region)' },
  { name: 'in_asm', help: 'show target assembly code for each compiled TB' },
  { name: 'op', help: 'show the generated JavaScript for each compiled region' },
  { name: 'int', help: 'show interrupts/exceptions (guest signals)' },
  { name: 'exec', help: 'show trace before each executed TB (lots of logs)' },
  { name: 'cpu', help: 'show CPU registers before entering a TB (lots of logs)' },
  { name: 'nochain', help: 'do not chain compiled TBs so that "exec" and "cpu" show complete traces' },
  { name: 'page', help: 'dump pages at beginning of user mode emulation' },
  { name: 'unimp', help: 'log unimplemented functionality' },
  { name: 'guest_errors', help: 'log when the guest OS does something invalid (eg accessing a non-existent register)' },
  { name: 'strace', help: 'log every user-mode syscall, its input, and its result' },
  { name: 'plugin', help: 'output from TCG plugins' },
  { name: 'jit', help: 'at exit: blocks translated, regions compiled, JS size, translation and compile time (tsqemu)' },
];

/** The -D file name with '%d' replaced by the pid. */
export function logFileName(pattern: string, pid: number = process.pid): string {
  return pattern.replaceAll('%d', String(pid));
}

export class Logger {
  private readonly items: Set<string>;
  private fd: number;
  private ownsFd: boolean;

  constructor(items: Iterable<string> = [], file?: string) {
    this.items = new Set(items);
    if (file !== undefined) {
      // as QEMU's -D: '%d' in the name is this process's pid (one log per process)
      this.fd = openSync(logFileName(file), 'w');
      this.ownsFd = true;
    } else {
      this.fd = 2;
      this.ownsFd = false;
    }
  }

  enabled(item: string): boolean {
    return this.items.has(item);
  }

  write(text: string): void {
    writeAll(this.fd, text);
  }

  /** Write only if the item is enabled. */
  log(item: string, text: string): void {
    if (this.items.has(item)) writeAll(this.fd, text);
  }

  close(): void {
    if (this.ownsFd) closeSync(this.fd);
    this.ownsFd = false;
    this.fd = 2;
  }
}

/**
 * Write all of `text` even when the fd is a non-blocking pipe that is full (stderr piped to
 * a slow reader): retry partial writes, and wait a moment on EAGAIN instead of failing.
 */
function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      if ((e as { code?: string }).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** Parse a -d argument ("in_asm,exec"); returns unknown names separately. */
export function parseLogItems(spec: string): { items: string[]; unknown: string[] } {
  const known = new Set(LOG_ITEMS.map((i) => i.name));
  const items: string[] = [];
  const unknown: string[] = [];
  for (const raw of spec.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (name === 'all') items.push(...known);
    else if (known.has(name)) items.push(name);
    else unknown.push(name);
  }
  return { items, unknown };
}
