// Disassembly of the data-processing, branch, load/store and misc rows, checked against
// GNU objdump (arm-linux-gnueabi-objdump -d) output for the same words. Deliberate
// differences: LDRD/STRD/LDREXD/STREXD name both registers (UAL), branch targets and
// literal-load comments print absolute addresses, single-register push/pop omit objdump's
// "(str ...)" note. Every word is decoded at address 0x10000.
import { describe, expect, test } from 'vitest';
import { a32Decoder, a32Unconditional } from '../decode/a32.js';

const PC = 0x10000;

export function disasmA32(word: number, pc = PC): string {
  const decoder = word >>> 28 === 15 ? a32Unconditional : a32Decoder;
  const hit = decoder.decode(word >>> 0);
  if (!hit) return '(undefined)';
  return hit.row.disasm(hit.fields, { pc, thumb: false }).replace(/\s+/g, ' ');
}

const OBJDUMP: [number, string][] = [
  [0xe2810004, 'add r0, r1, #4'],
  [0xe2910c01, 'adds r0, r1, #256 @ 0x100'],
  [0x029104ff, 'addseq r0, r1, #-16777216 @ 0xff000000'],
  [0xe24f0008, 'sub r0, pc, #8'],
  [0xe2743000, 'rsbs r3, r4, #0'],
  [0xe1a00001, 'mov r0, r1'],
  [0xe1b00001, 'movs r0, r1'],
  [0xe1a00101, 'lsl r0, r1, #2'],
  [0xe1b00021, 'lsrs r0, r1, #32'],
  [0xe1a001c1, 'asr r0, r1, #3'],
  [0xe1b00041, 'asrs r0, r1, #32'],
  [0xe1a001e1, 'ror r0, r1, #3'],
  [0xe1a00061, 'rrx r0, r1'],
  [0xe1b00061, 'rrxs r0, r1'],
  [0xe1a00211, 'lsl r0, r1, r2'],
  [0xe1b00211, 'lsls r0, r1, r2'],
  [0xe1b00271, 'rors r0, r1, r2'],
  [0xe3e00000, 'mvn r0, #0'],
  [0xe1e00211, 'mvn r0, r1, lsl r2'],
  [0xe3500004, 'cmp r0, #4'],
  [0xe1700001, 'cmn r0, r1'],
  [0xe1100101, 'tst r0, r1, lsl #2'],
  [0xe1300271, 'teq r0, r1, ror r2'],
  [0xe00102c2, 'and r0, r1, r2, asr #5'],
  [0xe1910062, 'orrs r0, r1, r2, rrx'],
  [0xe3c10003, 'bic r0, r1, #3'],
  [0xe0210022, 'eor r0, r1, r2, lsr #32'],
  [0xe0a10002, 'adc r0, r1, r2'],
  [0xe0d10002, 'sbcs r0, r1, r2'],
  [0xe0e10002, 'rsc r0, r1, r2'],
  [0xe1500f81, 'cmp r0, r1, lsl #31'],
  [0xe3010234, 'movw r0, #4660 @ 0x1234'],
  [0xe3450678, 'movt r0, #22136 @ 0x5678'],
  [0xe3000014, 'movw r0, #20'],
  [0xe5310004, 'ldr r0, [r1, #-4]!'],
  [0xe5910064, 'ldr r0, [r1, #100] @ 0x64'],
  [0xe5110064, 'ldr r0, [r1, #-100] @ 0xffffff9c'],
  [0xe4910004, 'ldr r0, [r1], #4'],
  [0xe7910102, 'ldr r0, [r1, r2, lsl #2]'],
  [0xe7310002, 'ldr r0, [r1, -r2]!'],
  [0xe61101c2, 'ldr r0, [r1], -r2, asr #3'],
  [0xe7910062, 'ldr r0, [r1, r2, rrx]'],
  [0xe5d10000, 'ldrb r0, [r1]'],
  [0xe5c10001, 'strb r0, [r1, #1]'],
  [0xe4b10004, 'ldrt r0, [r1], #4'],
  [0xe6f10002, 'ldrbt r0, [r1], r2'],
  [0xe4210004, 'strt r0, [r1], #-4'],
  [0xe1c100b2, 'strh r0, [r1, #2]'],
  [0xe11100b2, 'ldrh r0, [r1, -r2]'],
  [0xe17100f2, 'ldrsh r0, [r1, #-2]!'],
  [0xe09100d2, 'ldrsb r0, [r1], r2'],
  [0xe05100d3, 'ldrsb r0, [r1], #-3'],
  [0xe0f100b2, 'ldrht r0, [r1], #2'],
  [0xe8900006, 'ldm r0, {r1, r2}'],
  [0xe8b00006, 'ldm r0!, {r1, r2}'],
  [0xe92d4010, 'push {r4, lr}'],
  [0xe52d4004, 'push {r4}'],
  [0xe8bd8010, 'pop {r4, pc}'],
  [0xe49d4004, 'pop {r4}'],
  [0xe9900002, 'ldmib r0, {r1}'],
  [0xe820000a, 'stmda r0!, {r1, r3}'],
  [0xe910003e, 'ldmdb r0, {r1, r2, r3, r4, r5}'],
  [0x08900002, 'ldmeq r0, {r1}'],
  [0xe8800002, 'stm r0, {r1}'],
  [0xe89d0003, 'ldm sp, {r0, r1}'],
  [0xe50d0004, 'str r0, [sp, #-4]'],
  [0xe49d0004, 'pop {r0}'],
  [0xe5110000, 'ldr r0, [r1, #-0]'],
  [0xe7810002, 'str r0, [r1, r2]'],
  [0xe1910f9f, 'ldrex r0, [r1]'],
  [0xe1812f90, 'strex r2, r0, [r1]'],
  [0xe1d10f9f, 'ldrexb r0, [r1]'],
  [0xe1e12f90, 'strexh r2, r0, [r1]'],
  [0xf57ff01f, 'clrex'],
  [0xe1020091, 'swp r0, r1, [r2]'],
  [0xe1420091, 'swpb r0, r1, [r2]'],
  [0xf5d0f004, 'pld [r0, #4]'],
  [0xf750f101, 'pld [r0, -r1, lsl #2]'],
  [0xf590f000, 'pldw [r0]'],
  [0xf450f004, 'pli [r0, #-4]'],
  [0xe12fff1e, 'bx lr'],
  [0xe12fff33, 'blx r3'],
  [0xe12fff23, 'bxj r3'],
  [0x112fff1e, 'bxne lr'],
  [0xef000000, 'svc 0x00000000'],
  [0xef123456, 'svc 0x00123456'],
  [0xe1200172, 'bkpt 0x0012'],
  [0xe7f123f4, 'udf #4660 @ 0x1234'],
  [0xe320f000, 'nop {0}'],
  [0xe320f001, 'yield'],
  [0xe320f002, 'wfe'],
  [0xe320f003, 'wfi'],
  [0xe320f004, 'sev'],
  [0xe320f0f3, 'dbg #3'],
  [0xf57ff05b, 'dmb ish'],
  [0xf57ff04f, 'dsb sy'],
  [0xf57ff06f, 'isb sy'],
  [0xf57ff05f, 'dmb sy'],
  [0xe10f0000, 'mrs r0, CPSR'],
  [0xe128f000, 'msr CPSR_f, r0'],
  [0xe328f20f, 'msr CPSR_f, #-268435456 @ 0xf0000000'],
  [0xe124f000, 'msr CPSR_s, r0'],
  [0xe12cf000, 'msr CPSR_fs, r0'],
  [0xe12ff000, 'msr CPSR_fsxc, r0'],
  [0xe321f010, 'msr CPSR_c, #16'],
  [0xee1d0f70, 'mrc 15, 0, r0, cr13, cr0, {3}'],
  [0xee1d0f50, 'mrc 15, 0, r0, cr13, cr0, {2}'],
  [0xee0d0f50, 'mcr 15, 0, r0, cr13, cr0, {2}'],
  [0xee070fba, 'mcr 15, 0, r0, cr7, cr10, {5}'],
  [0xee070f9a, 'mcr 15, 0, r0, cr7, cr10, {4}'],
  [0xee070f95, 'mcr 15, 0, r0, cr7, cr5, {4}'],
  [0xf1010200, 'setend be'],
  [0xf1010000, 'setend le'],
  [0xf10c0080, 'cpsid i'],
  [0xf10a01d0, 'cpsie aif, #16'],
  [0xf1020010, 'cps #16'],
  [0xe16f0f11, 'clz r0, r1'],
  [0x016f0f11, 'clzeq r0, r1'],
  [0xe1c200d8, 'ldrd r0, r1, [r2, #8]'],
  [0xe00200f3, 'strd r0, r1, [r2], -r3'],
  [0xe1b20f9f, 'ldrexd r0, r1, [r2]'],
  [0xe1a24f90, 'strexd r4, r0, r1, [r2]'],
  [0xe59f0008, 'ldr r0, [pc, #8] @ 0x00010010'],
  [0xe15f00b4, 'ldrh r0, [pc, #-4] @ 0x00010004'],
  [0xea00003e, 'b 0x00010100'],
  [0xebfffffc, 'bl 0x0000fff8'],
  [0xfbffffff, 'blx 0x00010006'],
  [0xbafffffe, 'blt 0x00010000'],
];

describe('A32 disassembly matches objdump', () => {
  test.each(OBJDUMP)('%s', (word, text) => {
    expect(disasmA32(word)).toBe(text);
  });
});

describe('unallocated and UNPREDICTABLE-as-UNDEFINED encodings do not decode to a core row', () => {
  const names = (word: number) => {
    const decoder = word >>> 28 === 15 ? a32Unconditional : a32Decoder;
    return decoder.decode(word >>> 0)?.row.name;
  };
  test.each([
    [0xe1a10001, 'mov with Rn != 0'],
    [0xe1101001, 'tst with Rd != 0'],
    [0xe120001e, 'bx with SBO bits clear'],
    [0xe8d00003, 'ldm with S bit (user registers)'],
    [0xe8c00003, 'stm with S bit (user registers)'],
    [0xf8900a00, 'rfe'],
    [0xe3201000, 'hint with bad SBO bits'],
    [0xe1000001, 'mrs with SBZ bits set'],
  ])('0x%s %s', (word, what) => {
    expect(names(word), what).toBeUndefined();
  });
});
