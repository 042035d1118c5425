// A32 misc encodings: one row per encoding (name, pattern, translator, disassembly).
// SBZ/SBO bits are fixed in the patterns (qemu-arm raises SIGILL when they are wrong).
import type { Fields, InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';
import { cond, imm, op, reg } from '../disasm/format.js';
import { immComment } from './a32-data-processing.js';
import { rotr } from '../translate/shift.js';
import {
  mrcTls, translateBkpt, translateClrex, translateClz, translateMcrTpidrurw, translateMrs, translateMsrImm,
  translateMsrReg, translateNop, translateSetend, translateSvc, translateUdf,
} from '../translate/misc.js';

const HINTS: Record<number, string> = { 0: 'nop\t{0}', 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev' };

const BARRIER_OPTIONS: Record<number, string> = {
  15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'nsh', 6: 'nshst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld',
};

function hintText(f: Fields): string {
  const h = f.h!;
  if (h >= 0xf0) return op(`dbg${cond(f.c)}`, imm(h & 15));
  const name = HINTS[h];
  if (name === undefined) return op(`nop${cond(f.c)}`, `{${h}}`);
  const [m, rest] = name.split('\t');
  return op(m! + cond(f.c), rest ?? '');
}

/** objdump's PSR field suffix: "CPSR_fsxc" from the 4-bit mask (f s x c). */
function psrName(f: Fields): string {
  const m = f.m!;
  const fields = (m & 8 ? 'f' : '') + (m & 4 ? 's' : '') + (m & 2 ? 'x' : '') + (m & 1 ? 'c' : '');
  return `${f.R ? 'SPSR' : 'CPSR'}_${fields}`;
}

function cp15(name: string, f: Fields, crn: number, crm: number, opc2: number): string {
  const rt = name === 'mrc' && f.t === 15 ? 'APSR_nzcv' : reg(f.t!);
  return op(name + cond(f.c), `15, 0, ${rt}, cr${crn}, cr${crm}, {${opc2}}`);
}

function barrier(name: string) {
  return (f: Fields): string => op(name, BARRIER_OPTIONS[f.o!] ?? imm(f.o!));
}

export const miscRows: InsnRow<ArmContext>[] = [
  // SVC<c> #<imm24>
  { name: 'SVC', pattern: 'cccc 1111 vvvv vvvv vvvv vvvv vvvv vvvv', translate: translateSvc,
    disasm: (f) => op(`svc${cond(f.c)}`, `0x${f.v!.toString(16).padStart(8, '0')}`) },
  // BKPT #<imm16>
  { name: 'BKPT', pattern: 'cccc 0001 0010 vvvv vvvv vvvv 0111 vvvv', translate: translateBkpt,
    disasm: (f) => op('bkpt', `0x${f.v!.toString(16).padStart(4, '0')}`), feature: 'v5' },
  // UDF #<imm16> (permanently undefined; 0xe7f001f0 is Linux's breakpoint)
  { name: 'UDF', pattern: 'cccc 0111 1111 vvvv vvvv vvvv 1111 vvvv', translate: translateUdf,
    disasm: (f) => op(`udf${cond(f.c)}`, immComment(f.v!)) },
  // NOP / YIELD / WFE / WFI / SEV / DBG #<option>; other hint numbers execute as NOP
  { name: 'HINT', pattern: 'cccc 0011 0010 0000 1111 0000 hhhh hhhh', translate: translateNop, disasm: hintText },
  // MRS<c> Rd, APSR
  { name: 'MRS', pattern: 'cccc 0001 0R00 1111 dddd 0000 0000 0000', translate: translateMrs,
    disasm: (f) => op(`mrs${cond(f.c)}`, `${reg(f.d!)}, ${f.R ? 'SPSR' : 'CPSR'}`) },
  // MSR<c> APSR_<fields>, #<const>
  { name: 'MSR_imm', pattern: 'cccc 0011 0R10 mmmm 1111 rrrr vvvv vvvv', translate: translateMsrImm,
    disasm: (f) => op(`msr${cond(f.c)}`, `${psrName(f)}, ${immComment(rotr(f.v!, f.r! * 2))}`) },
  // MSR<c> APSR_<fields>, Rn
  { name: 'MSR_reg', pattern: 'cccc 0001 0R10 mmmm 1111 0000 0000 nnnn', translate: translateMsrReg,
    disasm: (f) => op(`msr${cond(f.c)}`, `${psrName(f)}, ${reg(f.n!)}`) },
  // CLZ<c> Rd, Rm
  { name: 'CLZ', pattern: 'cccc 0001 0110 1111 dddd 1111 0001 mmmm', translate: translateClz,
    disasm: (f) => op(`clz${cond(f.c)}`, `${reg(f.d!)}, ${reg(f.m!)}`), feature: 'v5' },
  // MRC<c> p15, 0, Rt, c13, c0, 3 (TPIDRURO)
  { name: 'MRC_TPIDRURO', pattern: 'cccc 1110 0001 1101 tttt 1111 0111 0000', translate: mrcTls('TPIDRURO'),
    disasm: (f) => cp15('mrc', f, 13, 0, 3), feature: 'v6k' },
  // MRC<c> p15, 0, Rt, c13, c0, 2 (TPIDRURW)
  { name: 'MRC_TPIDRURW', pattern: 'cccc 1110 0001 1101 tttt 1111 0101 0000', translate: mrcTls('TPIDRURW'),
    disasm: (f) => cp15('mrc', f, 13, 0, 2), feature: 'v6k' },
  // MCR<c> p15, 0, Rt, c13, c0, 2 (TPIDRURW)
  { name: 'MCR_TPIDRURW', pattern: 'cccc 1110 0000 1101 tttt 1111 0101 0000', translate: translateMcrTpidrurw,
    disasm: (f) => cp15('mcr', f, 13, 0, 2), feature: 'v6k' },
  // MCR<c> p15, 0, Rt, c7, c10, 5 (CP15DMB) / c7, c10, 4 (CP15DSB) / c7, c5, 4 (CP15ISB)
  { name: 'MCR_CP15DMB', pattern: 'cccc 1110 0000 0111 tttt 1111 1011 1010', translate: translateNop,
    disasm: (f) => cp15('mcr', f, 7, 10, 5), feature: 'v6' },
  { name: 'MCR_CP15DSB', pattern: 'cccc 1110 0000 0111 tttt 1111 1001 1010', translate: translateNop,
    disasm: (f) => cp15('mcr', f, 7, 10, 4), feature: 'v6' },
  { name: 'MCR_CP15ISB', pattern: 'cccc 1110 0000 0111 tttt 1111 1001 0101', translate: translateNop,
    disasm: (f) => cp15('mcr', f, 7, 5, 4), feature: 'v6' },
  // ---- unconditional space ----
  // CLREX
  { name: 'CLREX', pattern: '1111 0101 0111 1111 1111 0000 0001 1111', translate: translateClrex, disasm: () => 'clrex', feature: 'v6k' },
  // DSB / DMB / ISB #<option>
  { name: 'DSB', pattern: '1111 0101 0111 1111 1111 0000 0100 oooo', translate: translateNop, disasm: barrier('dsb'), feature: 'v7' },
  { name: 'DMB', pattern: '1111 0101 0111 1111 1111 0000 0101 oooo', translate: translateNop, disasm: barrier('dmb'), feature: 'v7' },
  { name: 'ISB', pattern: '1111 0101 0111 1111 1111 0000 0110 oooo', translate: translateNop,
    disasm: (f) => op('isb', f.o === 15 ? 'sy' : imm(f.o!)), feature: 'v7' },
  // Unallocated memory hints: the architecture says "treat as NOP" (ARMv7 with the
  // multiprocessing extensions, as Cortex-A7/A9/A15 and qemu-arm)
  { name: 'NOP_memhint_imm', pattern: '1111 0100 -001 ---- ---- ---- ---- ----', translate: translateNop,
    disasm: () => op('nop', '@ unallocated memory hint'), feature: 'v7' },
  { name: 'NOP_memhint_reg', pattern: '1111 0110 -001 ---- ---- ---- ---0 ----', translate: translateNop,
    disasm: () => op('nop', '@ unallocated memory hint'), feature: 'v7' },
  // CPS{IE|ID} <iflags>{, #<mode>} / CPS #<mode>: no effect in user mode (as qemu-arm)
  { name: 'CPS', pattern: '1111 0001 0000 wwM0 0000 000e ee0v vvvv', translate: translateNop,
    disasm: (f) => {
      const flags = (f.e! & 4 ? 'a' : '') + (f.e! & 2 ? 'i' : '') + (f.e! & 1 ? 'f' : '');
      const mode = f.M ? imm(f.v!) : '';
      if (f.w! < 2) return op('cps', mode);
      return op(f.w === 2 ? 'cpsie' : 'cpsid', flags + (mode && `, ${mode}`));
    }, feature: 'v6' },
  // SETEND <endian>
  { name: 'SETEND', pattern: '1111 0001 0000 0001 0000 00E0 0000 0000', translate: translateSetend,
    disasm: (f) => op('setend', f.E ? 'be' : 'le'), feature: 'v6' },
];
