// Runtime helpers that compiled ARM code calls by fixed name (H_*), for operations too
// awkward to emit inline. Each is a plain function of int32 arguments. Instruction-class
// files may add their own helper modules; index.ts merges them into the runtime.
import { GUEST_FAULT, type GuestMemory } from '../../../src/memory/guest-memory.js';

export function coreHelpers(mem: GuestMemory): Record<string, unknown> {
  return {
    /** The first instruction of a block cannot be fetched: SIGSEGV at `address`. */
    fetchFault(address: number): never {
      mem.lastFault.address = address >>> 0;
      mem.lastFault.kind = mem.isMapped(address >>> 12) ? 'protection' : 'unmapped';
      mem.lastFault.write = false;
      throw GUEST_FAULT;
    },
    /** An access that needs more alignment than the memory accessors check (LDREXD/STREXD: 8). */
    H_alignmentFault(address: number, write: number): never {
      return mem.alignmentFault(address, write !== 0);
    },
  };
}
