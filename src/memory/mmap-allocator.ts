// Finds free guest page ranges for mmap, bottom-up (first fit) from a base address, like the
// kernel's legacy bottom-up layout: searching [base, limit) first and then [minAddress, base).
// "Free" means no PAGE_MAPPED flag, so the loader's segments, the stack, brk pages and the
// kuser page are all respected without separate bookkeeping. A hint (the lowest address
// that may be free) keeps repeated allocations from rescanning the same mapped pages.
import { GuestMemory, PAGE_MAPPED, PAGE_MASK, PAGE_SHIFT, PAGE_SIZE } from './guest-memory.js';

export const DEFAULT_MMAP_BASE = 0x40000000;
/** Like the kernel's mmap_min_addr: nothing is placed below 64 KiB. */
export const MMAP_MIN_ADDR = 0x10000;

export function pageAlignUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

export class MmapAllocator {
  /** Lowest page ≥ base that may be free. */
  private hintPage: number;

  constructor(
    private readonly mem: GuestMemory,
    readonly base = DEFAULT_MMAP_BASE,
    /** End of the search range (exclusive): the kuser page and above are the kernel's. */
    readonly limit = 0xffff0000,
  ) {
    this.hintPage = base >>> PAGE_SHIFT;
  }

  /** True if no page of [start, start+length) is mapped and the range is inside 4 GiB. */
  isFree(start: number, length: number): boolean {
    if (length <= 0) return true;
    if (start + length > 2 ** 32) return false;
    const flags = this.mem.pageFlags;
    const last = (start + length - 1) >>> PAGE_SHIFT;
    for (let p = start >>> PAGE_SHIFT; p <= last; p++) if (flags[p]! & PAGE_MAPPED) return false;
    return true;
  }

  /**
   * A free, page-aligned range of `length` bytes: at `hint` if that range is free (as the
   * kernel honours a non-fixed hint), else the first fit at or above base, else below it.
   * Returns -1 when the address space is full.
   */
  find(length: number, hint = 0): number {
    const size = pageAlignUp(length);
    if (size === 0 || size > 2 ** 32) return -1;
    if (hint !== 0 && (hint & PAGE_MASK) === 0 && hint >= MMAP_MIN_ADDR && hint + size <= this.limit && this.isFree(hint, size)) return hint;
    const pages = size >>> PAGE_SHIFT;
    const above = this.scan(this.hintPage, this.limit >>> PAGE_SHIFT, pages);
    if (above >= 0) return above * PAGE_SIZE;
    const below = this.scan(MMAP_MIN_ADDR >>> PAGE_SHIFT, this.base >>> PAGE_SHIFT, pages);
    return below >= 0 ? below * PAGE_SIZE : -1;
  }

  private scan(firstPage: number, endPage: number, pages: number): number {
    const flags = this.mem.pageFlags;
    const fromHint = firstPage === this.hintPage;
    let leading = true;
    let run = 0;
    for (let p = firstPage; p < endPage; p++) {
      if (flags[p]! & PAGE_MAPPED) {
        run = 0;
        if (leading && fromHint) this.hintPage = p + 1;
        continue;
      }
      leading = false;
      if (++run === pages) return p - pages + 1;
    }
    return -1;
  }

  /** Map [start, start+length) with `prot` (PROT_* bits), replacing whatever was there. */
  map(start: number, length: number, prot: number): void {
    const size = pageAlignUp(length);
    this.mem.unmap(start, size);
    this.mem.protect(start, size, prot);
  }

  /** Unmap [start, start+length) (pages read as zero if mapped again). */
  unmap(start: number, length: number): void {
    const size = pageAlignUp(length);
    this.mem.unmap(start, size);
    const page = start >>> PAGE_SHIFT;
    if (page >= this.base >>> PAGE_SHIFT && page < this.hintPage) this.hintPage = page;
  }
}
