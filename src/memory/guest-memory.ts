// The guest address space: one flat 4 GiB ArrayBuffer (committed lazily by the host OS)
// addressed directly by guest address, plus one flag byte per 4 KiB page. The flag byte
// is the only check on the fast path of every guest load and store (DESIGN.md rule 4).
import { MappingTable } from './mappings.js';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;
const PAGE_COUNT = 1 << (32 - PAGE_SHIFT);

/** Page flag bits. A store is fast only when (flags & (WRITE|CODE)) === WRITE. */
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
/** The page holds translated code: a store to it must invalidate those blocks. */
export const PAGE_CODE = 8;
/** The page is mapped (even PROT_NONE pages are "mapped" for mmap bookkeeping). */
export const PAGE_MAPPED = 16;
/**
 * Unmapped, but its bytes may be non-zero from an earlier mapping: zeroed when mapped again.
 * Zeroing at unmap time instead would make the host commit every page a program ever
 * reserved (a 600 MiB malloc arena freed at exit) just to write zeros to it.
 */
export const PAGE_STALE = 32;

export type FaultKind = 'unmapped' | 'protection' | 'alignment';

/** What the slow path records before it throws GUEST_FAULT. */
export interface FaultInfo {
  address: number;
  kind: FaultKind;
  write: boolean;
}

/**
 * Thrown (as this one preallocated object) by the memory slow path when a guest access
 * faults. Compiled regions catch it, write registers back and exit with the faulting PC;
 * the details are in GuestMemory.lastFault.
 */
export const GUEST_FAULT = { guestFault: true } as const;

export function isGuestFault(e: unknown): boolean {
  return e === GUEST_FAULT;
}

export class GuestMemory {
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  /** One flag byte per page: PROT_* | PAGE_CODE | PAGE_MAPPED. */
  readonly pageFlags: Uint8Array;
  readonly lastFault: FaultInfo = { address: 0, kind: 'unmapped', write: false };
  /** What the mapped ranges are (files, [stack], [heap], ...), for /proc/self/maps. */
  readonly mappings = new MappingTable();
  /** Called when a store hits a page holding translated code (after the store is done). */
  onCodeWrite: (address: number, size: number) => void = () => {};

  constructor() {
    this.buffer = new ArrayBuffer(2 ** 32);
    this.u8 = new Uint8Array(this.buffer);
    this.i8 = new Int8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.i16 = new Int16Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.f32 = new Float32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
    this.pageFlags = new Uint8Array(PAGE_COUNT);
  }

  // ---- page bookkeeping (mmap, mprotect, munmap, loader) ----

  /** Set protection of [start, start+length) (page-rounded); marks pages mapped. Keeps PAGE_CODE. */
  protect(start: number, length: number, prot: number): void {
    const first = start >>> PAGE_SHIFT;
    const last = Math.ceil((start + length) / PAGE_SIZE);
    for (let p = first; p < last && p < PAGE_COUNT; p++) {
      const flags = this.pageFlags[p]!;
      if (flags & PAGE_STALE) this.u8.fill(0, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
      this.pageFlags[p] = (flags & PAGE_CODE) | PAGE_MAPPED | (prot & 7);
    }
  }

  /** Unmap pages; a later mapping reads zeros (PAGE_STALE pages are zeroed by protect). */
  unmap(start: number, length: number): void {
    const first = start >>> PAGE_SHIFT;
    const last = Math.min(PAGE_COUNT, Math.ceil((start + length) / PAGE_SIZE));
    this.mappings.clear(first * PAGE_SIZE, last * PAGE_SIZE);
    for (let p = first; p < last; p++) {
      const flags = this.pageFlags[p]!;
      if (flags & PAGE_CODE) this.onCodeWrite(p * PAGE_SIZE, PAGE_SIZE);
      this.pageFlags[p] = flags & (PAGE_MAPPED | PAGE_STALE) ? PAGE_STALE : 0;
    }
  }

  isMapped(page: number): boolean {
    return (this.pageFlags[page]! & PAGE_MAPPED) !== 0;
  }

  /** True if every page of [start, start+length) is mapped with all bits of `prot`. */
  rangeHas(start: number, length: number, prot: number): boolean {
    if (length === 0) return true;
    const first = start >>> PAGE_SHIFT;
    const last = (start + length - 1) >>> PAGE_SHIFT;
    if (start + length > 2 ** 32) return false;
    for (let p = first; p <= last; p++) {
      const f = this.pageFlags[p]!;
      if ((f & PAGE_MAPPED) === 0 || (f & prot) !== prot) return false;
    }
    return true;
  }

  // ---- slow paths: called by compiled code when the one-byte check fails ----

  fault(address: number, write: boolean): never {
    const f = this.pageFlags[address >>> PAGE_SHIFT]!;
    this.lastFault.address = address >>> 0;
    this.lastFault.kind = f & PAGE_MAPPED ? 'protection' : 'unmapped';
    this.lastFault.write = write;
    throw GUEST_FAULT;
  }

  /** An access that needed more alignment than `address` has (SIGBUS in the guest). */
  alignmentFault(address: number, write: boolean): never {
    this.lastFault.address = address >>> 0;
    this.lastFault.kind = 'alignment';
    this.lastFault.write = write;
    throw GUEST_FAULT;
  }

  private checkRead(a: number, size: number): void {
    if ((this.pageFlags[a >>> PAGE_SHIFT]! & PROT_READ) === 0) this.fault(a, false);
    const end = (a + size - 1) >>> 0;
    if ((this.pageFlags[end >>> PAGE_SHIFT]! & PROT_READ) === 0) this.fault(end, false);
  }

  private checkWrite(a: number, size: number): void {
    const f0 = this.pageFlags[a >>> PAGE_SHIFT]!;
    if ((f0 & PROT_WRITE) === 0) this.fault(a, true);
    const end = (a + size - 1) >>> 0;
    const f1 = this.pageFlags[end >>> PAGE_SHIFT]!;
    if ((f1 & PROT_WRITE) === 0) this.fault(end, true);
  }

  private afterWrite(a: number, size: number): void {
    const end = (a + size - 1) >>> 0;
    if ((this.pageFlags[a >>> PAGE_SHIFT]! | this.pageFlags[end >>> PAGE_SHIFT]!) & PAGE_CODE) {
      this.onCodeWrite(a, size);
    }
  }

  slowRead8(a: number): number {
    a >>>= 0;
    this.checkRead(a, 1);
    return this.u8[a]!;
  }

  slowRead16(a: number): number {
    a >>>= 0;
    this.checkRead(a, 2);
    return this.u8[a]! | (this.u8[(a + 1) >>> 0]! << 8);
  }

  slowRead32(a: number): number {
    a >>>= 0;
    this.checkRead(a, 4);
    const u8 = this.u8;
    return u8[a]! | (u8[(a + 1) >>> 0]! << 8) | (u8[(a + 2) >>> 0]! << 16) | (u8[(a + 3) >>> 0]! << 24);
  }

  slowWrite8(a: number, v: number): void {
    a >>>= 0;
    this.checkWrite(a, 1);
    this.u8[a] = v;
    this.afterWrite(a, 1);
  }

  slowWrite16(a: number, v: number): void {
    a >>>= 0;
    this.checkWrite(a, 2);
    this.u8[a] = v;
    this.u8[(a + 1) >>> 0] = v >>> 8;
    this.afterWrite(a, 2);
  }

  slowWrite32(a: number, v: number): void {
    a >>>= 0;
    this.checkWrite(a, 4);
    const u8 = this.u8;
    u8[a] = v;
    u8[(a + 1) >>> 0] = v >>> 8;
    u8[(a + 2) >>> 0] = v >>> 16;
    u8[(a + 3) >>> 0] = v >>> 24;
    this.afterWrite(a, 4);
  }

  // ---- host-side access (loader, syscalls): checked, throw GUEST_FAULT on bad ranges ----

  /** A view of guest bytes for the host to read (syscalls). Faults if not readable. */
  readBytes(address: number, length: number): Uint8Array {
    address >>>= 0;
    if (!this.rangeHas(address, length, PROT_READ)) this.fault(address, false);
    return this.u8.subarray(address, address + length);
  }

  /** Copy host bytes into guest memory. Faults if not writable; invalidates code it overwrites. */
  writeBytes(address: number, data: Uint8Array): void {
    address >>>= 0;
    if (!this.rangeHas(address, data.length, PROT_WRITE)) this.fault(address, true);
    this.u8.set(data, address);
    if (data.length > 0) this.afterWriteRange(address, data.length);
  }

  private afterWriteRange(a: number, length: number): void {
    const first = a >>> PAGE_SHIFT;
    const last = (a + length - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) {
      if (this.pageFlags[p]! & PAGE_CODE) {
        this.onCodeWrite(a, length);
        return;
      }
    }
  }

  /** Write bytes ignoring protection (the loader filling a read-only segment). */
  poke(address: number, data: Uint8Array): void {
    this.u8.set(data, address >>> 0);
  }

  read32(a: number): number {
    a >>>= 0;
    if ((a & 3) === 0 && this.pageFlags[a >>> PAGE_SHIFT]! & PROT_READ) return this.i32[a >>> 2]!;
    return this.slowRead32(a);
  }

  write32(a: number, v: number): void {
    this.slowWrite32(a, v);
  }

  read16(a: number): number {
    return this.slowRead16(a);
  }

  write16(a: number, v: number): void {
    this.slowWrite16(a, v);
  }

  read8(a: number): number {
    return this.slowRead8(a);
  }

  write8(a: number, v: number): void {
    this.slowWrite8(a, v);
  }

  /** A NUL-terminated string from guest memory (syscall path arguments). */
  readCString(address: number, max = 4096): string {
    address >>>= 0;
    let end = address;
    const limit = address + max;
    for (;;) {
      if (end >= limit) break;
      if ((end & PAGE_MASK) === 0 || end === address) {
        if ((this.pageFlags[end >>> PAGE_SHIFT]! & PROT_READ) === 0) this.fault(end, false);
      }
      if (this.u8[end] === 0) break;
      end++;
    }
    return Buffer.from(this.u8.buffer, address, end - address).toString('utf8');
  }

  /** Raw bytes of a NUL-terminated string (paths may not be UTF-8). */
  readCStringBytes(address: number, max = 4096): Uint8Array {
    address >>>= 0;
    let end = address;
    while (end - address < max) {
      if ((end & PAGE_MASK) === 0 || end === address) {
        if ((this.pageFlags[end >>> PAGE_SHIFT]! & PROT_READ) === 0) this.fault(end, false);
      }
      if (this.u8[end] === 0) break;
      end++;
    }
    return this.u8.slice(address, end);
  }
}
