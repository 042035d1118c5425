// Doubleword VFP loads and stores (VLDR/VSTR/VLDM/VSTM of D registers) in one helper call:
// an 8-aligned access to a readable (writable, code-free) page moves the double through
// the guest memory's Float64Array view straight into the register file's, which also spares
// the CPU a 64-bit read of two 32-bit writes. Anything else (4-aligned only, a page
// boundary, a slow page, a NaN whose payload a float copy might not keep) moves the two
// words as the architecture defines the access: two word-aligned 32-bit accesses.
import { PAGE_CODE, PROT_READ, PROT_WRITE, type GuestMemory } from '../../../src/memory/guest-memory.js';

export function vfpMemoryHelpers(mem: GuestMemory): Record<string, unknown> {
  const pf = mem.pageFlags;
  const i32 = mem.i32;
  const f64 = mem.f64;
  const WRITABLE = PROT_WRITE | PAGE_CODE;

  const alignmentFault = (a: number, write: boolean): never => mem.alignmentFault(a, write);

  function readWord(a: number): number {
    return pf[a >>> 12]! & PROT_READ ? i32[a >>> 2]! : mem.slowRead32(a) | 0;
  }

  function writeWord(a: number, v: number): void {
    if ((pf[a >>> 12]! & WRITABLE) === PROT_WRITE) i32[a >>> 2] = v;
    else mem.slowWrite32(a, v);
  }

  return {
    /** The Float64 view, for the fast case the translator emits inline (its page test: memoryViews). */
    VM_f64: f64,
    /** D register `i` of the Float64 view (words 2i, 2i+1 of S) = the doubleword at `a`. */
    VM_ld64(S: Int32Array, D: Float64Array, i: number, a: number): void {
      a >>>= 0;
      if ((a & 7) === 0 && pf[a >>> 12]! & PROT_READ) {
        const v = f64[a >>> 3]!;
        if (v === v) {
          D[i] = v;
          return;
        }
      }
      if (a & 3) alignmentFault(a, false);
      const lo = readWord(a);
      const hi = readWord((a + 4) >>> 0);
      S[2 * i] = lo;
      S[2 * i + 1] = hi;
    },
    /** The doubleword at `a` = D register `i`. */
    VM_st64(S: Int32Array, D: Float64Array, i: number, a: number): void {
      a >>>= 0;
      if ((a & 7) === 0 && (pf[a >>> 12]! & WRITABLE) === PROT_WRITE) {
        const v = D[i]!;
        if (v === v) {
          f64[a >>> 3] = v;
          return;
        }
      }
      if (a & 3) alignmentFault(a, true);
      writeWord(a, S[2 * i]!);
      writeWord((a + 4) >>> 0, S[2 * i + 1]!);
    },
  };
}
