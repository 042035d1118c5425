// The symbol names plugins see: insn.symbol and api.symbolize. An address often lies in
// several ELF symbols at once (glibc defines puts and _IO_puts, write, __write and
// __libc_write at the same address with the same size), so the choice is a documented rule
// rather than whatever the symbol table's order gives (plugins/README.md, "Symbols"):
//
// 1. Only symbols of non-zero size whose [value, value + size) holds the address; of those,
//    the ones starting nearest below it (the innermost).
// 2. Among those: functions before objects, then global before weak before local, then
//    the larger size, then the name in byte (strcmp) order.
//
// That is the order objdump -d uses to label an address, so names match its disassembly
// (`bl 188ac <_IO_puts>`). api.symbolize additionally names a zero-size symbol at exactly
// its own address (glibc's _start) when no sized symbol holds the address.
import type { GuestSymbol, SymbolTable } from '../loader/symbols.js';

const BINDING_RANK = { global: 0, weak: 1, local: 2 } as const;

/** Negative when `a` is the better name for an address both hold. */
export function compareAliases(a: GuestSymbol, b: GuestSymbol): number {
  if (a.kind !== b.kind) return a.kind === 'func' ? -1 : 1;
  const rank = BINDING_RANK[a.binding ?? 'global'] - BINDING_RANK[b.binding ?? 'global'];
  if (rank !== 0) return rank;
  if (a.size !== b.size) return b.size - a.size;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class PluginSymbols {
  /** Symbols of non-zero size, by start address. */
  private readonly sized: readonly GuestSymbol[];
  private readonly starts: Float64Array;
  /** maxEnd[i]: the largest end of sized[0..i], so a backward walk knows when to stop. */
  private readonly maxEnd: Float64Array;
  /** Zero-size symbols: address -> the best name there. */
  private readonly zeroSize = new Map<number, GuestSymbol>();

  constructor(table: SymbolTable) {
    this.sized = table.symbols.filter((s) => s.size > 0).sort((a, b) => a.address - b.address);
    this.starts = Float64Array.from(this.sized, (s) => s.address);
    this.maxEnd = new Float64Array(this.sized.length);
    let end = 0;
    this.sized.forEach((s, i) => (this.maxEnd[i] = end = Math.max(end, s.address + s.size)));
    for (const s of table.symbols) {
      if (s.size !== 0) continue;
      const known = this.zeroSize.get(s.address);
      if (!known || compareAliases(s, known) < 0) this.zeroSize.set(s.address, s);
    }
  }

  /** insn.symbol: the chosen symbol of non-zero size holding `address`, or null. */
  containing(address: number): string | null {
    const a = address >>> 0;
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= a) lo = mid + 1;
      else hi = mid;
    }
    let best: GuestSymbol | undefined;
    for (let i = lo - 1; i >= 0 && this.maxEnd[i]! > a; i--) {
      const s = this.sized[i]!;
      if (best && s.address < best.address) break; // only the innermost start counts
      if (a >= s.address + s.size) continue;
      if (!best || compareAliases(s, best) < 0) best = s;
    }
    return best?.name ?? null;
  }

  /** api.symbolize: as containing(), or else a zero-size symbol at exactly `address`. */
  symbolize(address: number): string | null {
    return this.containing(address) ?? this.zeroSize.get(address >>> 0)?.name ?? null;
  }
}
