// Loading a program: read the ELF file, map it (and its ELF interpreter, from the -L
// prefix, for a dynamically linked program), map the target's special pages, build the
// initial stack. What the process and the engine need comes back in one object.
import { existsSync } from 'node:fs';
import type { CpuModel, Target } from '../engine/target.js';
import { MissingInterpreterError, OutOfGuestMemoryError } from '../errors.js';
import { PAGE_MAPPED, PAGE_SHIFT, PROT_EXEC, PROT_READ, PROT_WRITE, type GuestMemory } from '../memory/guest-memory.js';
import { MmapAllocator } from '../memory/mmap-allocator.js';
import { PT_LOAD, readElf, type ElfImage } from './elf.js';
import { prefixedPath } from '../linux/paths.js';
import { mapImage, pageDown, pageUp, type LoadedImage } from './map.js';
import * as AT from './stack.js';
import { buildStack, type StackLayout } from './stack.js';
import { SymbolTable } from './symbols.js';

export interface LoadRequest {
  path: string;
  argv: readonly string[];
  envp: readonly string[];
  stackSize: number;
  cpu: CpuModel;
  /** 16 bytes for AT_RANDOM. */
  random: Uint8Array;
  /** Host credentials for AT_UID & co. */
  ids: { uid: number; euid: number; gid: number; egid: number };
  /** -L prefix: where the ELF interpreter (and every absolute guest path) is looked up first. */
  ldPrefix?: string | undefined;
}

export interface LoadedProgram {
  image: ElfImage;
  loaded: LoadedImage;
  stack: StackLayout;
  symbols: SymbolTable;
  /** The ELF interpreter (PT_INTERP) of a dynamically linked program, where it was mapped. */
  interp?: { image: ElfImage; loaded: LoadedImage };
  /** Where execution starts: the interpreter's entry if there is one, else the program's. */
  entry: number;
}

export function loadProgram(target: Target, mem: GuestMemory, req: LoadRequest): LoadedProgram {
  const image = readElf(req.path, target.elfMachine);
  const loaded = mapImage(image, mem);
  const interp = image.interpreter === undefined ? undefined : loadInterpreter(target, mem, image.interpreter, req.ldPrefix);
  target.linux.mapSpecialPages(mem);
  const linux = target.linux;
  const stackLow = linux.stackTop - req.stackSize;
  if (loaded.ranges.some((r) => r.start < linux.stackTop && stackLow < r.end)) {
    throw new OutOfGuestMemoryError(`a ${req.stackSize}-byte stack below 0x${linux.stackTop.toString(16)} would overlap the program`);
  }
  const stack = buildStack(mem, {
    top: linux.stackTop,
    size: req.stackSize,
    argv: req.argv,
    envp: req.envp,
    execFn: req.path,
    platform: linux.platform(req.cpu),
    random: req.random,
    auxv: [
      [AT.AT_HWCAP, linux.hwcap(req.cpu)],
      [AT.AT_PAGESZ, 4096],
      [AT.AT_CLKTCK, 100],
      [AT.AT_PHDR, loaded.phdr],
      [AT.AT_PHENT, loaded.phent],
      [AT.AT_PHNUM, loaded.phnum],
      [AT.AT_BASE, interp ? interp.loaded.loadBias : 0],
      [AT.AT_FLAGS, 0],
      [AT.AT_ENTRY, loaded.entry],
      [AT.AT_UID, req.ids.uid],
      [AT.AT_EUID, req.ids.euid],
      [AT.AT_GID, req.ids.gid],
      [AT.AT_EGID, req.ids.egid],
      [AT.AT_SECURE, 0],
      [AT.AT_RANDOM, 'random'],
      [AT.AT_HWCAP2, linux.hwcap2(req.cpu)],
      [AT.AT_EXECFN, 'execfn'],
      [AT.AT_PLATFORM, 'platform'],
    ],
  });
  mem.mappings.set(stack.limit, linux.stackTop, { offset: 0, name: '[stack]' });
  const symbols = SymbolTable.fromElf(image, loaded.loadBias);
  return { image, loaded, stack, symbols, entry: interp ? interp.loaded.entry : loaded.entry, ...(interp ? { interp } : {}) };
}

/**
 * Map the ELF interpreter named by PT_INTERP (e.g. /lib/ld-linux-armhf.so.3), looked up in
 * the -L prefix first. It is position-independent: it goes where an mmap of its whole span
 * would, above the program (the kernel's ELF_ET_DYN_BASE choice does not matter to ld.so).
 */
function loadInterpreter(target: Target, mem: GuestMemory, name: string, prefix: string | undefined): { image: ElfImage; loaded: LoadedImage } {
  const host = prefixedPath(prefix, name);
  if (!existsSync(host)) throw new MissingInterpreterError(name, prefix);
  const image = readElf(host, target.elfMachine);
  const loads = image.programs.filter((p) => p.type === PT_LOAD);
  const low = Math.min(...loads.map((p) => pageDown(p.vaddr)));
  const high = Math.max(...loads.map((p) => pageUp(p.vaddr + p.memsz)));
  const base = new MmapAllocator(mem).find(high - low);
  if (base < 0) throw new OutOfGuestMemoryError(`no room for the ELF interpreter ${name} (${high - low} bytes)`);
  return { image, loaded: mapImage(image, mem, base) };
}

/** `-d page`: the guest page map ("start    end      size     prot") and the image layout, like qemu. */
export function formatPageMap(mem: GuestMemory, prog: LoadedProgram): string {
  const lines = ['page layout changed following binary load', 'start    end      size     prot'];
  const flags = mem.pageFlags;
  const count = flags.length;
  const protOf = (f: number): string => `${f & PROT_READ ? 'r' : '-'}${f & PROT_WRITE ? 'w' : '-'}${f & PROT_EXEC ? 'x' : '-'}`;
  let p = 0;
  while (p < count) {
    const f = flags[p]!;
    if ((f & PAGE_MAPPED) === 0) {
      p++;
      continue;
    }
    const prot = f & 7;
    let q = p + 1;
    while (q < count && (flags[q]! & PAGE_MAPPED) !== 0 && (flags[q]! & 7) === prot) q++;
    const start = p * 2 ** PAGE_SHIFT;
    const end = q * 2 ** PAGE_SHIFT;
    lines.push(`${hex(start)}-${hex(end)} ${hex(end - start)} ${protOf(prot)}`);
    p = q;
  }
  const { loaded, stack } = prog;
  const info: [string, number][] = [
    ['start_brk', 0],
    ['end_code', loaded.endCode],
    ['start_code', loaded.startCode],
    ['start_data', loaded.startData],
    ['end_data', loaded.endData],
    ['start_stack', stack.sp],
    ['brk', loaded.brk],
    ['entry', loaded.entry],
    ['argv_start', stack.argvStart],
    ['env_start', stack.envStart],
    ['auxv_start', stack.auxvStart],
  ];
  for (const [name, value] of info) lines.push(`${name.padEnd(11)} 0x${hex(value)}`);
  return `${lines.join('\n')}\n`;
}

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
