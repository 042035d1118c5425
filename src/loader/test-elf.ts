// Test helper: build small 32-bit ELF files in memory, so loader tests need no binaries.

export interface FakeSegment {
  vaddr: number;
  /** PF_R | PF_W | PF_X */
  flags: number;
  data: Uint8Array;
  memsz?: number;
  /** PT_* (default PT_LOAD). */
  type?: number;
}

export interface FakeSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_FUNC = 2, STT_OBJECT = 1 */
  type: number;
}

export interface FakeElf {
  elfClass?: number;
  endian?: number;
  type?: number;
  machine?: number;
  entry?: number;
  segments: FakeSegment[];
  interpreter?: string;
  symbols?: FakeSymbol[];
}

export function makeElf(spec: FakeElf): Buffer {
  const segs = [...spec.segments];
  if (spec.interpreter !== undefined) segs.unshift({ type: 3, vaddr: 0, flags: 4, data: Buffer.from(`${spec.interpreter}\0`) });
  const phoff = 52;
  const chunks: { offset: number; data: Uint8Array }[] = [];
  const phdrs = Buffer.alloc(32 * segs.length);
  let next = 0x1000;
  segs.forEach((s, i) => {
    const offset = s.type === 3 ? phoff + 32 * segs.length : next + (s.vaddr & 0xfff);
    if (s.type !== 3) next = (offset + s.data.length + 0xfff) & ~0xfff;
    chunks.push({ offset, data: s.data });
    const o = 32 * i;
    phdrs.writeUInt32LE(s.type ?? 1, o);
    phdrs.writeUInt32LE(offset, o + 4);
    phdrs.writeUInt32LE(s.vaddr, o + 8);
    phdrs.writeUInt32LE(s.vaddr, o + 12);
    phdrs.writeUInt32LE(s.data.length, o + 16);
    phdrs.writeUInt32LE(s.memsz ?? s.data.length, o + 20);
    phdrs.writeUInt32LE(s.flags, o + 24);
    phdrs.writeUInt32LE(s.type === 3 ? 1 : 0x1000, o + 28);
  });

  let shoff = 0;
  let shnum = 0;
  let shstrndx = 0;
  if (spec.symbols) {
    const strtab: number[] = [0];
    const addStr = (s: string): number => {
      const at = strtab.length;
      strtab.push(...Buffer.from(s), 0);
      return at;
    };
    const symtab = Buffer.alloc(16 * (spec.symbols.length + 1));
    spec.symbols.forEach((sym, i) => {
      const o = 16 * (i + 1);
      symtab.writeUInt32LE(addStr(sym.name), o);
      symtab.writeUInt32LE(sym.value, o + 4);
      symtab.writeUInt32LE(sym.size, o + 8);
      symtab[o + 12] = (1 << 4) | sym.type; // STB_GLOBAL
      symtab.writeUInt16LE(1, o + 14);
    });
    const shstr = Buffer.from('\0.symtab\0.strtab\0.shstrtab\0');
    const symOff = next;
    const strOff = symOff + symtab.length;
    const shstrOff = strOff + strtab.length;
    chunks.push({ offset: symOff, data: symtab }, { offset: strOff, data: Buffer.from(strtab) }, { offset: shstrOff, data: shstr });
    shoff = (shstrOff + shstr.length + 3) & ~3;
    const sh = Buffer.alloc(40 * 4);
    const section = (i: number, name: number, type: number, off: number, size: number, link: number, entsize: number): void => {
      const o = 40 * i;
      sh.writeUInt32LE(name, o);
      sh.writeUInt32LE(type, o + 4);
      sh.writeUInt32LE(off, o + 16);
      sh.writeUInt32LE(size, o + 20);
      sh.writeUInt32LE(link, o + 24);
      sh.writeUInt32LE(entsize, o + 36);
    };
    section(1, 1, 2, symOff, symtab.length, 2, 16);
    section(2, 9, 3, strOff, strtab.length, 0, 0);
    section(3, 17, 3, shstrOff, shstr.length, 0, 0);
    chunks.push({ offset: shoff, data: sh });
    shnum = 4;
    shstrndx = 3;
  }

  const size = Math.max(phoff + phdrs.length, ...chunks.map((c) => c.offset + c.data.length));
  const out = Buffer.alloc(size);
  out.set([0x7f, 0x45, 0x4c, 0x46, spec.elfClass ?? 1, spec.endian ?? 1, 1], 0);
  out.writeUInt16LE(spec.type ?? 2, 16);
  out.writeUInt16LE(spec.machine ?? 40, 18);
  out.writeUInt32LE(1, 20);
  out.writeUInt32LE(spec.entry ?? spec.segments[0]?.vaddr ?? 0, 24);
  out.writeUInt32LE(phoff, 28);
  out.writeUInt32LE(shoff, 32);
  out.writeUInt16LE(52, 40);
  out.writeUInt16LE(32, 42);
  out.writeUInt16LE(segs.length, 44);
  out.writeUInt16LE(40, 46);
  out.writeUInt16LE(shnum, 48);
  out.writeUInt16LE(shstrndx, 50);
  out.set(phdrs, phoff);
  for (const c of chunks) out.set(c.data, c.offset);
  return out;
}
