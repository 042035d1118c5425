// The initial process stack, laid out like qemu-arm 7.2 lays it out (the kernel's
// create_elf_tables() differs in the details; qemu-arm is the reference, and string
// alignment decides which paths glibc's strlen & co. take, so instruction counts only
// agree with the same layout):
//
//   top ->  8 bytes of zeros
//           argv strings, envp strings, execfn string   (ascending addresses)
//           AT_PLATFORM string, its size rounded up to 4
//           AT_RANDOM 16 bytes, at a 16-byte aligned address
//           (padding to 16 bytes)
//   sp  ->  argc, argv[0..argc-1], 0, envp[0..n-1], 0, auxv pairs ..., AT_NULL 0
import type { EnvChange } from '../cli/options.js';
import { OutOfGuestMemoryError } from '../errors.js';
import { PROT_READ, PROT_WRITE, type GuestMemory } from '../memory/guest-memory.js';
import { SeededRandom, randomBytesFrom } from '../linux/random.js';

export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_HWCAP2 = 26;
export const AT_EXECFN = 31;

/** An auxv value that is the address of something this module puts on the stack. */
export type StackRef = 'platform' | 'random' | 'execfn';

export interface StackInput {
  /** Highest stack address + 1 (page-aligned). */
  top: number;
  size: number;
  argv: readonly string[];
  envp: readonly string[];
  execFn: string;
  platform: string;
  /** The 16 AT_RANDOM bytes. */
  random: Uint8Array;
  /** auxv entries in order, without AT_NULL. */
  auxv: readonly (readonly [number, number | StackRef])[];
}

export interface StackLayout {
  sp: number;
  /** Lowest mapped stack address. */
  limit: number;
  argvStart: number;
  envStart: number;
  auxvStart: number;
  /** Addresses of the strings and the random bytes. */
  platform: number;
  random: number;
  execFn: number;
  /** Where the argv and envp strings lie ([start, end), as /proc/self/stat's arg_start & co.). */
  argStrings: { start: number; end: number };
  envStrings: { start: number; end: number };
}

/** Map the stack region and write argv/envp/auxv. */
export function buildStack(mem: GuestMemory, input: StackInput): StackLayout {
  const limit = input.top - input.size;
  if (limit < 0) throw new OutOfGuestMemoryError(`stack size ${input.size} does not fit below 0x${input.top.toString(16)}`);
  mem.protect(limit, input.size, PROT_READ | PROT_WRITE);

  const encode = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.of(0)]);
  const argvBytes = input.argv.map(encode);
  const envBytes = input.envp.map(encode);
  const execBytes = encode(input.execFn);
  const platformBytes = encode(input.platform);
  const stringBytes = [...argvBytes, ...envBytes, execBytes].reduce((n, b) => n + b.length, 0);
  const words = 1 + (input.argv.length + 1) + (input.envp.length + 1) + 2 * (input.auxv.length + 1);
  const needed = 8 + stringBytes + platformBytes.length + 3 + 16 + 15 + 16 + 4 * words;
  if (needed > input.size) throw new OutOfGuestMemoryError(`argument list too long for a ${input.size}-byte stack (needs ${needed} bytes)`);

  let p = input.top - 8;
  p -= stringBytes;
  const stringsStart = p;
  const place = (b: Buffer): number => {
    const at = p;
    mem.poke(at, b);
    p += b.length;
    return at;
  };
  const argvAddrs = argvBytes.map(place);
  const envAddrs = envBytes.map(place);
  const envEnd = p;
  const execFn = place(execBytes);

  p = stringsStart - ((platformBytes.length + 3) & ~3);
  const platform = p;
  mem.poke(platform, platformBytes);
  p = ((p - 16) & ~15) >>> 0;
  const random = p;
  mem.poke(random, input.random.subarray(0, 16));

  const sp = ((p - 4 * words) & ~15) >>> 0;
  const refs: Record<StackRef, number> = { platform, random, execfn: execFn };
  const table: number[] = [input.argv.length, ...argvAddrs, 0, ...envAddrs, 0];
  for (const [type, value] of input.auxv) table.push(type, typeof value === 'number' ? value : refs[value]);
  table.push(AT_NULL, 0);
  for (let i = 0; i < table.length; i++) mem.i32[(sp >>> 2) + i] = table[i]! | 0;

  const argvStart = sp + 4;
  const envStart = argvStart + 4 * (input.argv.length + 1);
  return {
    sp,
    limit,
    argvStart,
    envStart,
    auxvStart: envStart + 4 * (input.envp.length + 1),
    platform,
    random,
    execFn,
    argStrings: { start: stringsStart, end: envAddrs[0] ?? envEnd },
    envStrings: { start: envAddrs[0] ?? envEnd, end: envEnd },
  };
}

/** The 16 AT_RANDOM bytes for a -seed value: the first bytes of the seed's stream. */
export function seededRandomBytes(seed: bigint): Uint8Array {
  return randomBytesFrom(new SeededRandom(seed), 16);
}

/**
 * The guest environment as qemu-arm builds it: the host's, then each -E/-U change in
 * order. Like qemu's list (each entry added at the head), the result comes out in reverse
 * order of insertion, so a guest sees the same `environ` order under both.
 */
export function guestEnvironment(host: Readonly<Record<string, string | undefined>>, changes: readonly EnvChange[]): string[] {
  const list: { name: string; text: string }[] = [];
  const remove = (name: string): void => {
    const i = list.findIndex((e) => e.name === name);
    if (i >= 0) list.splice(i, 1);
  };
  for (const [name, value] of Object.entries(host)) {
    if (value === undefined) continue;
    remove(name);
    list.unshift({ name, text: `${name}=${value}` });
  }
  for (const c of changes) {
    remove(c.name);
    if (c.op === 'set') list.unshift({ name: c.name, text: `${c.name}=${c.value}` });
  }
  return list.map((e) => e.text);
}
