// Mapping an executable's PT_LOAD segments into guest memory the way the Linux kernel
// does: whole pages, file bytes from the page-aligned file offset, bss zeroed from the end
// of the file part (also in its partial page), page protections from p_flags.
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { OutOfGuestMemoryError } from '../errors.js';
import type { MappedFile } from '../memory/mappings.js';
import { PAGE_MASK, PROT_EXEC, PROT_READ, PROT_WRITE, type GuestMemory } from '../memory/guest-memory.js';
import { ET_DYN, PF_R, PF_W, PF_X, PT_LOAD, PT_PHDR, type ElfImage } from './elf.js';

/** Where a static PIE (ET_DYN without PT_INTERP) is loaded: qemu-arm 7.2 uses this base too. */
export const PIE_LOAD_BASE = 0x40000000;

export interface LoadedImage {
  /** Added to every p_vaddr (0 for ET_EXEC). */
  loadBias: number;
  entry: number;
  /** Guest address of the program headers (AT_PHDR), 0 if they are not mapped. */
  phdr: number;
  phnum: number;
  phent: number;
  startCode: number;
  endCode: number;
  startData: number;
  endData: number;
  /** Page-aligned end of the highest segment: the initial program break. */
  brk: number;
  /** [start, end) page ranges that were mapped, for overlap checks. */
  ranges: { start: number; end: number }[];
}

export function pageDown(a: number): number {
  return a - (a & PAGE_MASK);
}

export function pageUp(a: number): number {
  return pageDown(a + PAGE_MASK);
}

export function protFromFlags(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/** Map every PT_LOAD segment of `image`. Returns the addresses the stack and process need. */
export function mapImage(image: ElfImage, mem: GuestMemory, pieBase = PIE_LOAD_BASE): LoadedImage {
  const loads = image.programs.filter((p) => p.type === PT_LOAD);
  const lowest = Math.min(...loads.map((p) => pageDown(p.vaddr)));
  const loadBias = image.type === ET_DYN ? pieBase - lowest : 0;

  let startCode = 2 ** 32;
  let endCode = 0;
  let startData = 0;
  let endData = 0;
  let highest = 0;
  const ranges: { start: number; end: number }[] = [];
  const file = mappedFile(image.path);

  for (const p of loads) {
    const vaddr = p.vaddr + loadBias;
    const start = pageDown(vaddr);
    const end = pageUp(vaddr + p.memsz);
    if (end > 2 ** 32 || end < start) throw new OutOfGuestMemoryError(`${image.path}: segment at 0x${hex(vaddr)} does not fit in the guest address space`);
    if (p.memsz === 0) continue;
    ranges.push({ start, end });

    // File bytes, starting at the page boundary like an mmap of the file would.
    const lead = vaddr - start;
    const fileStart = p.offset - lead;
    if (fileStart >= 0 && p.filesz + lead > 0) {
      mem.poke(start, image.bytes.subarray(fileStart, p.offset + p.filesz));
    } else if (p.filesz > 0) {
      mem.poke(vaddr, image.bytes.subarray(p.offset, p.offset + p.filesz));
    }
    // bss: zero from the end of the file part to the end of the segment's last page.
    if (p.memsz > p.filesz) mem.u8.fill(0, vaddr + p.filesz, end);
    mem.protect(start, end - start, protFromFlags(p.flags));
    // As the kernel maps it: the file's pages, then anonymous pages for the rest of the bss.
    if (p.filesz > 0) mem.mappings.set(start, Math.min(end, pageUp(vaddr + p.filesz)), { file, offset: Math.max(0, fileStart) });

    if (p.flags & PF_X) {
      startCode = Math.min(startCode, vaddr);
      endCode = Math.max(endCode, vaddr + p.filesz);
    }
    if (p.flags & PF_W || !(p.flags & PF_X)) {
      if (startData === 0 || vaddr < startData) startData = vaddr;
      endData = Math.max(endData, vaddr + p.filesz);
    }
    highest = Math.max(highest, end);
  }
  if (startCode === 2 ** 32) startCode = 0;

  return {
    loadBias,
    entry: (image.entry + loadBias) >>> 0,
    phdr: findPhdr(image, loadBias),
    phnum: image.phnum,
    phent: image.phentsize,
    startCode,
    endCode,
    startData,
    endData,
    brk: highest,
    ranges,
  };
}

/** The program file as /proc/self/maps names it: real host path, device and inode. */
function mappedFile(path: string): MappedFile {
  try {
    const st = statSync(path, { bigint: true });
    return { path: realpathSync.native(path), dev: st.dev, inode: st.ino };
  } catch {
    return { path: resolve(path), dev: 0n, inode: 0n };
  }
}

/** AT_PHDR: PT_PHDR if present, else the PT_LOAD whose file range holds the headers. */
function findPhdr(image: ElfImage, loadBias: number): number {
  const phdr = image.programs.find((p) => p.type === PT_PHDR);
  if (phdr) return (phdr.vaddr + loadBias) >>> 0;
  const size = image.phnum * image.phentsize;
  for (const p of image.programs) {
    if (p.type === PT_LOAD && p.offset <= image.phoff && image.phoff + size <= p.offset + p.filesz) {
      return (p.vaddr + loadBias + image.phoff - p.offset) >>> 0;
    }
  }
  return 0;
}

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
