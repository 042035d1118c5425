// Zero-copy views of guest memory for host I/O. A view for the host to fill (read(2) into
// guest memory) is checked for PROT_WRITE first; after filling, translated code on those
// pages is invalidated (the guest may read code from a file into executable memory).
import { GuestMemory, PAGE_CODE, PAGE_SHIFT, PROT_WRITE } from '../memory/guest-memory.js';

/** A writable view of [address, address+length), or faults (GUEST_FAULT → -EFAULT). */
export function writableView(mem: GuestMemory, address: number, length: number): Uint8Array {
  address >>>= 0;
  if (!mem.rangeHas(address, length, PROT_WRITE)) mem.fault(address, true);
  return mem.u8.subarray(address, address + length);
}

/** Call after the host wrote `length` bytes at `address` through a view. */
export function wroteGuest(mem: GuestMemory, address: number, length: number): void {
  if (length <= 0) return;
  address >>>= 0;
  const last = (address + length - 1) >>> PAGE_SHIFT;
  for (let p = address >>> PAGE_SHIFT; p <= last; p++) {
    if (mem.pageFlags[p]! & PAGE_CODE) {
      mem.onCodeWrite(address, length);
      return;
    }
  }
}
