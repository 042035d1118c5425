// Function and object symbols of the guest program (.symtab and .dynsym), for logs
// (-d in_asm "IN: main", -d exec) and plugins.
import type { ElfImage, SectionHeader } from './elf.js';

const STT_OBJECT = 1;
const STT_FUNC = 2;
const STB_LOCAL = 0;
const STB_WEAK = 2;
const SHN_UNDEF = 0;
const ELF32_SYM_SIZE = 16;

export interface GuestSymbol {
  name: string;
  address: number;
  size: number;
  kind: 'func' | 'object';
  /** ELF binding (STB_GNU_UNIQUE counts as global). */
  binding?: 'local' | 'global' | 'weak';
}

export class SymbolTable {
  /** Sorted by address. */
  readonly symbols: readonly GuestSymbol[];
  private readonly starts: Float64Array;

  constructor(symbols: Iterable<GuestSymbol>) {
    const sorted = [...symbols].sort((a, b) => a.address - b.address || b.size - a.size);
    this.symbols = sorted;
    this.starts = Float64Array.from(sorted, (s) => s.address);
  }

  static empty(): SymbolTable {
    return new SymbolTable([]);
  }

  /** Symbols of an ELF image loaded with `loadBias` added to every address. */
  static fromElf(image: ElfImage, loadBias = 0): SymbolTable {
    const found = new Map<string, GuestSymbol>();
    for (const table of image.sections.filter((s) => s.type === 'symtab' || s.type === 'dynsym')) {
      const strtab = image.sections[table.link];
      if (!strtab) continue;
      for (const sym of readSymbols(table, strtab, loadBias)) found.set(`${sym.name}@${sym.address}`, sym);
    }
    return new SymbolTable(found.values());
  }

  /** Name of the symbol containing `address`, or '' when none does. */
  symbolize(address: number): string {
    return this.lookup(address)?.name ?? '';
  }

  lookup(address: number): GuestSymbol | undefined {
    const a = address >>> 0;
    // Last symbol starting at or below a; walk back over same-start/nested ones.
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= a) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
      const s = this.symbols[i]!;
      if (a < s.address + Math.max(s.size, 1)) return s;
    }
    return undefined;
  }

  /** Address of a symbol by name (for tests and plugins). */
  addressOf(name: string): number | undefined {
    return this.symbols.find((s) => s.name === name)?.address;
  }
}

function readSymbols(symtab: SectionHeader, strtab: SectionHeader, loadBias: number): GuestSymbol[] {
  const out: GuestSymbol[] = [];
  const data = symtab.data;
  const names = strtab.data;
  const entsize = symtab.entsize >= ELF32_SYM_SIZE ? symtab.entsize : ELF32_SYM_SIZE;
  for (let off = 0; off + ELF32_SYM_SIZE <= data.length; off += entsize) {
    const info = data[off + 12]!;
    const type = info & 0xf;
    if (type !== STT_FUNC && type !== STT_OBJECT) continue;
    if (data.readUInt16LE(off + 14) === SHN_UNDEF) continue;
    const nameOff = data.readUInt32LE(off);
    const end = names.indexOf(0, nameOff);
    const name = names.toString('utf8', nameOff, end < 0 ? names.length : end);
    if (name === '') continue;
    let address = data.readUInt32LE(off + 4);
    if (type === STT_FUNC) address &= ~1; // Thumb functions have bit 0 set
    const bind = info >> 4;
    const binding = bind === STB_LOCAL ? 'local' : bind === STB_WEAK ? 'weak' : 'global';
    out.push({ name, address: (address + loadBias) >>> 0, size: data.readUInt32LE(off + 8), kind: type === STT_FUNC ? 'func' : 'object', binding });
  }
  return out;
}
