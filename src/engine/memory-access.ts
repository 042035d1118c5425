// The load/store functions compiled code calls. Each fast path is one page-flag byte test
// plus one typed-array access. V8 inlines these small closures into a region up to its
// inlining budget; hot regions also test simple accesses inline against memoryViews and
// call these only for the slow path (region.ts, inlineMemoryAccesses).
// Values are int32 (loads of bytes/halves are zero- or sign-extended as named).
import { PAGE_SHIFT, PROT_READ, PROT_WRITE, PAGE_CODE } from '../memory/guest-memory.js';
import type { GuestMemory } from '../memory/guest-memory.js';

export interface MemoryAccessors {
  ld8(a: number): number;
  ld8s(a: number): number;
  ld16(a: number): number;
  ld16s(a: number): number;
  ld32(a: number): number;
  /** 32-bit load that requires word alignment (LDM, LDRD, LDREX): misaligned -> alignment fault. */
  ld32w(a: number): number;
  st8(a: number, v: number): void;
  st16(a: number, v: number): void;
  st32(a: number, v: number): void;
  /** 32-bit store that requires word alignment (STM, STRD, STREX). */
  st32w(a: number, v: number): void;
  /** Halfword access requiring halfword alignment (LDREXH/STREXH). */
  ld16h(a: number): number;
  st16h(a: number, v: number): void;
}

/**
 * The page flags and the memory views themselves, for generated code that tests a page
 * inline and then indexes memory directly (hot regions' loads and stores, LDM/STM of a
 * register list, VFP doublewords). Such code writes its page test with pageReadable /
 * pageWritable, the accessors' own conditions.
 */
export function memoryViews(mem: GuestMemory): { M_pf: Uint8Array; M_i32: Int32Array; M_u16: Uint16Array; M_u8: Uint8Array } {
  return { M_pf: mem.pageFlags, M_i32: mem.i32, M_u16: mem.u16, M_u8: mem.u8 };
}

/** JS test (generated code): the page of address expression `a` allows a direct read. */
export function pageReadable(a: string): string {
  return `(M_pf[${a} >>> ${PAGE_SHIFT}] & ${PROT_READ}) !== 0`;
}

/** JS test (generated code): the page of `a` allows a direct write (writable, no translated code). */
export function pageWritable(a: string): string {
  return `(M_pf[${a} >>> ${PAGE_SHIFT}] & ${PROT_WRITE | PAGE_CODE}) === ${PROT_WRITE}`;
}

export function makeMemoryAccessors(mem: GuestMemory): MemoryAccessors {
  const pf = mem.pageFlags;
  const u8 = mem.u8;
  const i8 = mem.i8;
  const u16 = mem.u16;
  const i16 = mem.i16;
  const i32 = mem.i32;
  const W = PROT_WRITE | PAGE_CODE;

  const alignmentFault = (a: number, write: boolean): never => mem.alignmentFault(a, write);

  return {
    ld8(a) {
      a >>>= 0;
      if (pf[a >>> 12]! & PROT_READ) return u8[a]!;
      return mem.slowRead8(a);
    },
    ld8s(a) {
      a >>>= 0;
      if (pf[a >>> 12]! & PROT_READ) return i8[a]!;
      return (mem.slowRead8(a) << 24) >> 24;
    },
    ld16(a) {
      a >>>= 0;
      if ((a & 1) === 0 && pf[a >>> 12]! & PROT_READ) return u16[a >>> 1]!;
      return mem.slowRead16(a);
    },
    ld16s(a) {
      a >>>= 0;
      if ((a & 1) === 0 && pf[a >>> 12]! & PROT_READ) return i16[a >>> 1]!;
      return (mem.slowRead16(a) << 16) >> 16;
    },
    ld32(a) {
      a >>>= 0;
      if ((a & 3) === 0 && pf[a >>> 12]! & PROT_READ) return i32[a >>> 2]!;
      return mem.slowRead32(a) | 0;
    },
    ld32w(a) {
      a >>>= 0;
      if ((a & 3) === 0 && pf[a >>> 12]! & PROT_READ) return i32[a >>> 2]!;
      if (a & 3) alignmentFault(a, false);
      return mem.slowRead32(a) | 0;
    },
    ld16h(a) {
      a >>>= 0;
      if ((a & 1) === 0 && pf[a >>> 12]! & PROT_READ) return u16[a >>> 1]!;
      if (a & 1) alignmentFault(a, false);
      return mem.slowRead16(a);
    },
    st8(a, v) {
      a >>>= 0;
      if ((pf[a >>> 12]! & W) === PROT_WRITE) u8[a] = v;
      else mem.slowWrite8(a, v);
    },
    st16(a, v) {
      a >>>= 0;
      if ((a & 1) === 0 && (pf[a >>> 12]! & W) === PROT_WRITE) u16[a >>> 1] = v;
      else mem.slowWrite16(a, v);
    },
    st16h(a, v) {
      a >>>= 0;
      if ((a & 1) === 0 && (pf[a >>> 12]! & W) === PROT_WRITE) u16[a >>> 1] = v;
      else {
        if (a & 1) alignmentFault(a, true);
        mem.slowWrite16(a, v);
      }
    },
    st32(a, v) {
      a >>>= 0;
      if ((a & 3) === 0 && (pf[a >>> 12]! & W) === PROT_WRITE) i32[a >>> 2] = v;
      else mem.slowWrite32(a, v);
    },
    st32w(a, v) {
      a >>>= 0;
      if ((a & 3) === 0 && (pf[a >>> 12]! & W) === PROT_WRITE) i32[a >>> 2] = v;
      else {
        if (a & 3) alignmentFault(a, true);
        mem.slowWrite32(a, v);
      }
    },
  };
}
