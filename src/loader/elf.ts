// Reading a guest ELF executable: the identification and header are checked here (so
// every refusal names its cause), then elfy parses program and section headers.
import { readFileSync } from 'node:fs';
import elfy from 'elfy';
import type { ElfyHeader } from 'elfy';
import { CannotOpenProgramError, InvalidElfError, NotExecutableError, hostErrorReason } from '../errors.js';

export const ET_EXEC = 2;
export const ET_DYN = 3;

export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

const ELF32_EHDR_SIZE = 52;
const ELF32_PHDR_SIZE = 32;
const ELF32_SHDR_SIZE = 40;

const PROGRAM_TYPES: Record<string, number> = { load: PT_LOAD, dynamic: 2, interp: PT_INTERP, note: 4, phdr: PT_PHDR, tls: 7, gnu_stack: 0x6474e551, gnu_relro: 0x6474e552 };

const MACHINE_NAMES: Record<number, string> = {
  2: 'SPARC',
  3: 'x86',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM',
  43: 'SPARC V9',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

export function machineName(machine: number): string {
  return MACHINE_NAMES[machine] ?? `machine ${machine}`;
}

export interface ProgramHeader {
  /** PT_* number (0 when elfy does not know the type). */
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  /** PF_R | PF_W | PF_X. */
  flags: number;
  align: number;
}

export interface SectionHeader {
  name: string;
  /** SHT_* as elfy names it ('symtab', 'dynsym', 'strtab', ...) or the raw number. */
  type: string | number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
  data: Buffer;
}

export interface ElfImage {
  path: string;
  bytes: Buffer;
  /** ET_EXEC or ET_DYN. */
  type: number;
  machine: number;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  programs: ProgramHeader[];
  /** Empty when the file has no (or damaged) section headers: they are only for symbols. */
  sections: SectionHeader[];
  /** PT_INTERP contents, e.g. "/lib/ld-linux-armhf.so.3". */
  interpreter: string | undefined;
}

/** Read and check the program file. Throws a TsqemuError naming the problem. */
export function readElf(path: string, machine: number): ElfImage {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CannotOpenProgramError(path, hostErrorReason(e));
  }
  return parseElf(path, bytes, machine);
}

export function parseElf(path: string, bytes: Buffer, machine: number): ElfImage {
  const bad = (detail: string): never => {
    throw new InvalidElfError(path, detail);
  };
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    const detail = bytes.length >= 2 && bytes[0] === 0x23 && bytes[1] === 0x21 ? 'a script, not an ELF file' : 'not an ELF file';
    throw new NotExecutableError(path, detail);
  }
  if (bytes.length < 16) bad('truncated ELF identification');
  if (bytes[4] === 2) bad('64-bit ELF; this emulator runs 32-bit programs');
  if (bytes[4] !== 1) bad(`unknown ELF class ${bytes[4]}`);
  if (bytes[5] === 2) bad('big-endian; this emulator runs little-endian programs');
  if (bytes[5] !== 1) bad(`unknown ELF byte order ${bytes[5]}`);
  if (bytes.length < ELF32_EHDR_SIZE) bad(`truncated ELF header (${bytes.length} bytes)`);
  const fileMachine = bytes.readUInt16LE(18);
  if (fileMachine !== machine) bad(`${machineName(fileMachine)} program; this emulator runs ${machineName(machine)} programs`);
  const type = bytes.readUInt16LE(16);
  if (type !== ET_EXEC && type !== ET_DYN) bad(type === 1 ? 'a relocatable object file, not an executable' : type === 4 ? 'a core dump, not an executable' : `ELF type ${type} is not an executable`);

  const parser = new elfy.Parser();
  const header: ElfyHeader = parser.parseHeader(bytes);
  if (header.phnum === 0) bad('no program headers');
  if (header.phentsize !== ELF32_PHDR_SIZE) bad(`program header entry size ${header.phentsize}, expected ${ELF32_PHDR_SIZE}`);
  const phEnd = header.phoff + header.phnum * header.phentsize;
  if (phEnd > bytes.length) bad(`truncated: program headers end at offset ${phEnd}, file has ${bytes.length} bytes`);

  const programs: ProgramHeader[] = parser.parsePrograms(bytes, header).map((p) => ({
    type: p.type === undefined ? 0 : (PROGRAM_TYPES[p.type] ?? 0),
    offset: p.offset,
    vaddr: p.vaddr,
    filesz: p.filesz,
    memsz: p.memsz,
    flags: (p.flags['r'] ? PF_R : 0) | (p.flags['w'] ? PF_W : 0) | (p.flags['x'] ? PF_X : 0),
    align: p.align,
  }));

  let interpreter: string | undefined;
  for (const p of programs) {
    if (p.type === PT_LOAD || p.type === PT_INTERP) {
      if (p.offset + p.filesz > bytes.length) bad(`truncated: segment at offset ${p.offset} needs ${p.filesz} bytes, file has ${bytes.length}`);
    }
    if (p.type === PT_LOAD) {
      if (p.filesz > p.memsz) bad(`segment at 0x${hex(p.vaddr)} has file size larger than memory size`);
      if (p.vaddr + p.memsz > 2 ** 32) bad(`segment at 0x${hex(p.vaddr)} extends past the 4 GiB address space`);
    }
    if (p.type === PT_INTERP) {
      const raw = bytes.subarray(p.offset, p.offset + p.filesz);
      const nul = raw.indexOf(0);
      interpreter = raw.subarray(0, nul < 0 ? raw.length : nul).toString('utf8');
    }
  }
  if (!programs.some((p) => p.type === PT_LOAD)) bad('no loadable segments');

  return {
    path,
    bytes,
    type,
    machine: fileMachine,
    entry: header.entry,
    phoff: header.phoff,
    phentsize: header.phentsize,
    phnum: header.phnum,
    programs,
    sections: readSections(parser, bytes, header),
    interpreter,
  };
}

/** Section headers for the symbol table; a file without usable ones just has no symbols. */
function readSections(parser: InstanceType<typeof elfy.Parser>, bytes: Buffer, header: ElfyHeader): SectionHeader[] {
  if (header.shoff === 0 || header.shnum === 0 || header.shentsize !== ELF32_SHDR_SIZE) return [];
  if (header.shoff + header.shnum * header.shentsize > bytes.length) return [];
  try {
    const raw = parser.parseSections(bytes, header);
    const names = raw[header.shstrndx];
    return raw.map((s) => ({
      name: names && typeof s.name === 'number' ? parser.resolveStr(names.data, s.name) : String(s.name),
      type: s.type,
      addr: s.addr,
      offset: s.off,
      size: s.size,
      link: s.link,
      entsize: s.entsize,
      data: s.data,
    }));
  } catch {
    return [];
  }
}

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
