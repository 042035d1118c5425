// Guest open(2) flags → host (node:fs) flags. Most flags use the asm-generic values on every
// target; O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE differ (ARM: 0x4000, 0x8000,
// 0x10000, 0x20000; x86: 0x10000, 0x20000, 0x4000, 0x8000) and come from the target's ABI.
import { constants as c } from 'node:fs';
import type { OpenFlagEncoding } from './abi.js';

export const O_ACCMODE = 3;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0x40;
export const O_EXCL = 0x80;
export const O_NOCTTY = 0x100;
export const O_TRUNC = 0x200;
export const O_APPEND = 0x400;
export const O_NONBLOCK = 0x800;
export const O_DSYNC = 0x1000;
export const FASYNC = 0x2000;
export const O_NOATIME = 0x40000;
export const O_CLOEXEC = 0x80000;
export const O_SYNC = 0x101000;
export const O_PATH = 0x200000;
export const O_TMPFILE_BASE = 0x400000;

/** Host value of a flag node:fs may not expose (Linux hosts: asm-generic x86 values). */
const HOST_O_PATH = 0x200000;
const HOST_O_TMPFILE_BASE = 0x400000;

export function hostOpenFlags(flags: number, enc: OpenFlagEncoding): number {
  let h = flags & O_ACCMODE;
  const map: [number, number | undefined][] = [
    [O_CREAT, c.O_CREAT],
    [O_EXCL, c.O_EXCL],
    [O_NOCTTY, c.O_NOCTTY],
    [O_TRUNC, c.O_TRUNC],
    [O_APPEND, c.O_APPEND],
    [O_NONBLOCK, c.O_NONBLOCK],
    [O_DSYNC, c.O_DSYNC],
    [O_NOATIME, c.O_NOATIME],
    [enc.O_DIRECTORY, c.O_DIRECTORY],
    [enc.O_NOFOLLOW, c.O_NOFOLLOW],
  ];
  for (const [guest, host] of map) if (flags & guest && host !== undefined) h |= host;
  if ((flags & O_SYNC) === O_SYNC && c.O_SYNC !== undefined) h |= c.O_SYNC;
  if (process.platform === 'linux') {
    if (flags & O_PATH) h |= HOST_O_PATH;
    if (flags & O_TMPFILE_BASE) h |= HOST_O_TMPFILE_BASE;
  }
  // O_DIRECT is dropped: its alignment rules would break reads into arbitrary guest memory.
  // O_LARGEFILE means nothing to a 64-bit host.
  return h;
}

/** Names for strace, in qemu's order. */
export function openFlagNames(flags: number, enc: OpenFlagEncoding): string {
  const acc = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][flags & O_ACCMODE]!;
  const bits: [number, string][] = [
    [O_APPEND, 'O_APPEND'],
    [O_CREAT, 'O_CREAT'],
    [enc.O_DIRECTORY, 'O_DIRECTORY'],
    [O_EXCL, 'O_EXCL'],
    [enc.O_LARGEFILE, 'O_LARGEFILE'],
    [O_NOCTTY, 'O_NOCTTY'],
    [enc.O_NOFOLLOW, 'O_NOFOLLOW'],
    [O_NONBLOCK, 'O_NONBLOCK'],
    [O_DSYNC, 'O_DSYNC'],
    [O_SYNC & ~O_DSYNC, 'O_SYNC'],
    [O_TRUNC, 'O_TRUNC'],
    [enc.O_DIRECT, 'O_DIRECT'],
    [O_NOATIME, 'O_NOATIME'],
    [O_CLOEXEC, 'O_CLOEXEC'],
    [O_PATH, 'O_PATH'],
  ];
  const out = [acc];
  for (const [v, n] of bits) if (flags & v) out.push(n);
  return out.join('|');
}
