// A minimal static ELF32 little-endian EM_ARM executable (ET_EXEC, EABI5), written from
// code words and data bytes, so oracle test programs need no cross toolchain.
//
// Layout of the file: ELF header (52 bytes), program headers (32 bytes each), then each
// segment's bytes at a file offset congruent to its address modulo the page size.

export const EM_ARM = 40;
export const EF_ARM_EABI_VER5 = 0x05000000;

const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
const PAGE = 0x1000;
const EHDR_SIZE = 52;
const PHDR_SIZE = 32;

export interface ElfSegment {
  /** Guest virtual address (the file offset is chosen to match it modulo 4 KiB). */
  address: number;
  bytes: Uint8Array;
  /** Size in memory; the part past bytes.length is zero (bss). Defaults to bytes.length. */
  memSize?: number;
  /** PF_R | PF_W | PF_X. */
  flags: number;
}

export interface ElfImageSpec {
  entry: number;
  segments: readonly ElfSegment[];
  flags?: number;
}

/** Code words (little-endian) as segment bytes. */
export function wordsToBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return out;
}

export function writeElf(spec: ElfImageSpec): Uint8Array {
  const phnum = spec.segments.length;
  const offsets: number[] = [];
  let cursor = EHDR_SIZE + PHDR_SIZE * phnum;
  for (const seg of spec.segments) {
    // smallest offset >= cursor with offset % PAGE === address % PAGE
    const want = seg.address % PAGE;
    let off = cursor - (cursor % PAGE) + want;
    if (off < cursor) off += PAGE;
    offsets.push(off);
    cursor = off + seg.bytes.length;
  }
  const file = new Uint8Array(cursor);
  const v = new DataView(file.buffer);
  // e_ident
  file.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */, 0 /* SYSV */], 0);
  v.setUint16(16, 2, true); // e_type ET_EXEC
  v.setUint16(18, EM_ARM, true);
  v.setUint32(20, 1, true); // e_version
  v.setUint32(24, spec.entry >>> 0, true);
  v.setUint32(28, EHDR_SIZE, true); // e_phoff
  v.setUint32(32, 0, true); // e_shoff: no sections
  v.setUint32(36, (spec.flags ?? EF_ARM_EABI_VER5) >>> 0, true);
  v.setUint16(40, EHDR_SIZE, true); // e_ehsize
  v.setUint16(42, PHDR_SIZE, true);
  v.setUint16(44, phnum, true);
  v.setUint16(46, 40, true); // e_shentsize
  v.setUint16(48, 0, true); // e_shnum
  v.setUint16(50, 0, true); // e_shstrndx
  spec.segments.forEach((seg, i) => {
    const p = EHDR_SIZE + PHDR_SIZE * i;
    v.setUint32(p, PT_LOAD, true);
    v.setUint32(p + 4, offsets[i]!, true);
    v.setUint32(p + 8, seg.address >>> 0, true); // p_vaddr
    v.setUint32(p + 12, seg.address >>> 0, true); // p_paddr
    v.setUint32(p + 16, seg.bytes.length, true); // p_filesz
    v.setUint32(p + 20, Math.max(seg.memSize ?? 0, seg.bytes.length), true);
    v.setUint32(p + 24, seg.flags, true);
    v.setUint32(p + 28, PAGE, true); // p_align
    file.set(seg.bytes, offsets[i]!);
  });
  return file;
}
