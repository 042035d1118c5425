// Types for the parts of elfy (a CommonJS ELF parser without its own types) tsqemu uses.
declare module 'elfy' {
  export interface ElfyHeader {
    class: string;
    endian: string;
    type: string | undefined;
    machine: string | undefined;
    entry: number;
    phoff: number;
    shoff: number;
    flags: number;
    ehsize: number;
    phentsize: number;
    phnum: number;
    shentsize: number;
    shnum: number;
    shstrndx: number;
  }
  export interface ElfyProgram {
    type: string | undefined;
    offset: number;
    vaddr: number;
    paddr: number;
    filesz: number;
    memsz: number;
    flags: Record<string, boolean>;
    align: number;
    data: Buffer;
  }
  export interface ElfySection {
    name: number | string;
    type: string | number;
    flags: Record<string, boolean>;
    addr: number;
    off: number;
    size: number;
    link: number;
    info: number;
    addralign: number;
    entsize: number;
    data: Buffer;
  }
  export class Parser {
    parseHeader(buf: Buffer): ElfyHeader;
    parsePrograms(buf: Buffer, header: ElfyHeader): ElfyProgram[];
    parseSections(buf: Buffer, header: ElfyHeader): ElfySection[];
    resolveStr(strtab: Buffer, off: number): string;
  }
  const elfy: { Parser: typeof Parser; parse(buf: Buffer): ElfyHeader & { body: { programs: ElfyProgram[]; sections: ElfySection[] } } };
  export default elfy;
}
