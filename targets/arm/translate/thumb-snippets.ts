// Thumb snippets for the qemu-arm differential test (thumb-oracle.test.ts). Each runs with
// several register/flag sets; r7 is free to use (the dump sets it itself).
import type { Snippet } from '../testing/thumb-oracle.js';

const INV: Record<string, string> = {
  eq: 'ne', ne: 'eq', cs: 'cc', cc: 'cs', mi: 'pl', pl: 'mi', vs: 'vc', vc: 'vs', hi: 'ls', ls: 'hi', ge: 'lt', lt: 'ge', gt: 'le', le: 'gt',
};

export const THUMB_SNIPPETS: Snippet[] = [
  // ---- T16 data processing ----
  { name: 't16 shifts imm', body: 'lsls r0, r1, #3\nlsrs r2, r3, #1\nasrs r4, r3, #31\nlsrs r5, r2, #32\nasrs r6, r3, #32\nmovs r8, r8' },
  { name: 't16 add/sub reg/imm3/imm8', body: 'adds r0, r1, r2\nsubs r3, r4, r5\nadds r5, r6, #7\nsubs r6, r1, #1\nadds r2, #255\nsubs r4, #1\nmovs r1, #0' },
  { name: 't16 cmp forms', body: 'cmp r0, #0\nmrs r8, APSR\ncmp r1, r2\nmrs r9, APSR\ncmn r3, r4\nmrs r10, APSR\ncmp r8, r3\nmrs r11, APSR\ntst r5, r6' },
  { name: 't16 logical', body: 'ands r0, r1\neors r2, r3\norrs r4, r5\nbics r6, r1\nmvns r5, r2\ntst r0, r0' },
  { name: 't16 adc sbc neg', body: 'adcs r0, r1\nsbcs r2, r3\nnegs r4, r5\nadcs r6, r6\nsbcs r1, r1' },
  { name: 't16 register shifts', body: 'lsls r0, r1\nlsrs r2, r3\nasrs r4, r5\nrors r6, r1\nmovs r1, #33\nmovs r3, #0x80\nlsls r3, r1\nrors r5, r1' },
  { name: 't16 mul', body: 'muls r0, r1\nmuls r2, r3' },
  { name: 't16 high registers', body: 'add r8, r1\nadd r0, r9\nmov r10, r2\nmov r3, r11\ncmp r10, r2\nadd r12, sp\nadd r1, pc' },
  { name: 't16 extend and reverse', body: 'sxth r0, r1\nsxtb r2, r3\nuxth r4, r5\nuxtb r6, r8\nrev r8, r1\nrev16 r9, r2\nrevsh r10, r3' },
  { name: 't16 sp arithmetic', body: 'sub sp, #16\nadd r0, sp, #8\nadd sp, #12\nadd r1, sp, #0\nadd sp, #4\nsub r1, r1, r0' },
  // ---- T16 loads and stores ----
  {
    name: 't16 loads/stores reg and imm',
    body: [
      'mov r6, sp', 'subs r6, #64', 'movs r0, #0x81', 'str r1, [r6, #4]', 'strh r2, [r6, #10]', 'strb r0, [r6, #12]',
      'movs r4, #4', 'ldr r3, [r6, r4]', 'ldrh r5, [r6, #10]', 'ldrb r8, [r6, #12]', 'movs r4, #12',
      'ldrsb r0, [r6, r4]', 'movs r4, #10', 'ldrsh r1, [r6, r4]', 'str r2, [r6, r4]', 'ldr r2, [r6, #8]', 'ldrh r4, [r6, #12]',
      'movs r4, #20', 'strb r3, [r6, r4]', 'ldr r4, [r6, #20]', 'ldr r0, [r6, #10]', // unaligned word
    ].join('\n'),
  },
  { name: 't16 sp-relative', body: 'sub sp, #8\nstr r1, [sp, #4]\nstr r2, [sp]\nldr r3, [sp, #4]\nldr r4, [sp]\nadd sp, #8' },
  { name: 't16 ldr literal and adr', body: 'ldr r0, lit1\nadr r1, lit1\nldr r2, [r1]\nb 1f\n.balign 4\nlit1: .word 0xcafef00d\n1:\nldr r3, =0x12345678' },
  { name: 't16 push/pop', body: 'push {r0, r1, r2, lr}\nmovs r0, #0\nmovs r1, #0\npop {r3, r4, r5, r6}\npush {r4}\npop {r8}' },
  { name: 't16 stm/ldm', body: 'mov r6, sp\nsubs r6, #32\nmov r5, r6\nstmia r6!, {r0, r1, r2}\nldmia r5!, {r3, r4}\nldmia r5, {r0, r5}\nsub r6, r6, r5' },
  { name: 't16 ldm with base in list', body: 'mov r6, sp\nsubs r6, #32\nstr r1, [r6]\nstr r2, [r6, #4]\nldmia r6, {r5, r6}' },
  // ---- branches ----
  { name: 't16 b and b<c> loop', body: 'movs r0, #10\nmovs r1, #0\n1: adds r1, r1, r0\nsubs r0, #1\nbne 1b\nb 2f\nmovs r1, #99\n2:\ncmp r1, #55\nbeq 3f\nmovs r2, #1\n3:' },
  { name: 't16 cbz/cbnz', body: 'movs r0, #0\ncbz r0, 1f\nmovs r2, #1\n1: cbnz r0, 2f\nmovs r3, #5\n2: movs r0, #3\n3: subs r0, #1\ncbz r0, 4f\nadds r4, #1\nb 3b\n4:' },
  { name: 't16 bl / bx lr', body: 'bl 1f\nmovs r1, #7\nb 2f\n1: mov r2, lr\nmovs r0, #9\nbx lr\n2: subs r2, r2, r0' },
  { name: 't16 blx reg / mov pc', body: 'adr r0, 1f\nadds r0, #1\nblx r0\nb 2f\n.balign 4\n1: movs r3, #3\nmov r8, lr\nbx lr\n2: adr r1, 3f\nadds r1, #1\nmov pc, r1\nmovs r3, #77\n.balign 4\n3: mov r4, lr' },
  { name: 't16 add pc (computed jump)', body: 'movs r1, #4\nadd pc, r1\nmovs r0, #1\nmovs r0, #2\nmovs r0, #3\nmovs r2, #4' },
  // ---- IT blocks ----
  ...['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'].map((c) => ({
    name: `it ${c}`,
    body: `cmp r1, r2\nite ${c}\nmov${c} r0, #1\nmov${INV[c]} r0, #2\nitt ${c}\nadd${c} r3, r3, #1\nsub${c} r4, r4, #1`,
  })),
  { name: 'it: flag setting only outside IT', body: 'cmp r0, r0\nitttt eq\naddeq r0, r1, r2\nsubeq r3, r1, #1\nlsleq r4, r1, #1\nmoveq r5, #0\nadds r6, r1, r2' },
  { name: 'it: cmp inside changes later conditions', body: 'cmp r0, r0\nittet eq\ncmpeq r1, r2\naddeq r3, #1\naddne r4, #1\nmovseq r5, #0' },
  { name: 'it: 4 slots with else pattern', body: 'cmp r1, r2\nitete gt\nmovgt r0, #1\nmovle r0, #2\nmovgt r3, #3\nmovle r3, #4\nite lt\nmovlt r5, #5\nmovge r5, #6' },
  { name: 'it: branch as last instruction', body: 'cmp r1, r1\nit eq\nbeq 1f\nmovs r0, #1\n1: cmp r1, r2\nite ne\nmovne r3, #1\nbeq 2f\nmovs r4, #4\n2:' },
  { name: 'it: bx lr / pop pc as last instruction', body: 'bl 1f\nb 3f\n1: cmp r0, r0\nitt eq\nmoveq r5, #5\nbxeq lr\nmovs r5, #6\n3: push {lr}\nbl 4f\nb 5f\n4: push {lr}\ncmp r0, r1\nite eq\npopeq {pc}\npopne {pc}\n5: movs r6, #1' },
  { name: 'it: loads and stores conditional', body: 'sub sp, #16\nstr r1, [sp]\ncmp r2, r3\nitte hi\nldrhi r4, [sp]\nstrhi r2, [sp, #4]\nstrls r3, [sp, #4]\nldr r5, [sp, #4]\nadd sp, #16' },
];

/** T32 (Thumb-2) snippets. */
export const T32_SNIPPETS: Snippet[] = [
  // ---- modified immediates (ThumbExpandImm, with carry) ----
  { name: 't32 modified immediates', body: 'mov.w r0, #0xff\nmov.w r1, #0x00ab00ab\nmov.w r2, #0xab00ab00\nmov.w r3, #0xabababab\nmov.w r4, #0x80000000\nmvn.w r5, #0x3fc\nmovs.w r6, #0xff000000\nmrs r8, APSR\nmovs.w r9, #255\nmrs r10, APSR' },
  { name: 't32 alu immediate', body: 'add.w r0, r1, #0x1000\nadds.w r2, r3, #0xff00\nsub.w r4, r5, #1\nsubs.w r6, r1, #0x80000000\nrsb.w r8, r2, #100\nrsbs.w r9, r3, #0\nadc.w r10, r4, #3\nsbcs.w r11, r5, #0x100\nmrs r12, APSR' },
  { name: 't32 logical immediate', body: 'and.w r0, r1, #0xff\nands.w r2, r3, #0xf0000000\nmrs r4, APSR\norr.w r5, r6, #0x10000\norn r8, r1, #0xff\neors.w r9, r2, #0x55555555\nbic.w r10, r3, #0xf\nbics.w r11, r4, #0x80000000\nmrs r12, APSR' },
  { name: 't32 compares immediate', body: 'cmp.w r1, #0x100\nmrs r0, APSR\ncmn.w r2, #1\nmrs r3, APSR\ntst.w r4, #0x80000000\nmrs r5, APSR\nteq.w r6, #0xff00\nmrs r8, APSR' },
  { name: 't32 addw/subw/adr/movw/movt', body: 'addw r0, r1, #4095\nsubw r2, r3, #1234\nadr.w r4, 1f\nmovw r5, #0xbeef\nmovt r5, #0xdead\nmovw r6, #0\nmovt r8, #0x1234\nsubw r9, sp, #16\n1: nop' },
  // ---- shifted register ----
  { name: 't32 alu shifted register', body: 'add.w r0, r1, r2, lsl #3\nadds.w r3, r4, r5, lsr #1\nsub.w r6, r1, r2, asr #31\nsubs.w r8, r2, r3, ror #7\nrsb r9, r4, r5, lsl #2\nadcs.w r10, r1, r2, rrx\nsbc.w r11, r3, r4, lsr #32\nmrs r12, APSR' },
  { name: 't32 logical shifted register', body: 'ands.w r0, r1, r2, lsl #1\nmrs r8, APSR\norr.w r3, r4, r5, asr #32\norns r6, r1, r2, ror #31\nmrs r9, APSR\neor.w r10, r3, r4\nbics.w r11, r5, r1, lsr #5\nmrs r12, APSR\nmvns.w r2, r3, lsl #4\nmrs r4, APSR' },
  { name: 't32 mov shifts and compares register', body: 'lsl.w r0, r1, #5\nlsrs.w r2, r3, #32\nmrs r8, APSR\nasr.w r4, r5, #3\nrors.w r6, r1, #1\nrrxs r9, r2\nmrs r10, APSR\ncmp.w r3, r4, lsl #1\nmrs r11, APSR\ntst.w r5, r6, ror #8\nmrs r12, APSR' },
  { name: 't32 register-controlled shifts', body: 'lsl.w r0, r1, r2\nlsrs.w r3, r4, r5\nmrs r8, APSR\nasrs.w r6, r1, r9\nmrs r10, APSR\nmovs r11, #40\nror.w r12, r3, r11\nmovs r11, #32\nlsls.w r2, r4, r11\nmrs r11, APSR' },
  // ---- plain binary immediate: saturate and bitfields ----
  { name: 't32 ssat/usat', body: 'ssat r0, #8, r1\nusat r2, #8, r3\nssat r4, #16, r5, lsl #4\nusat r6, #31, r1, asr #3\nssat16 r8, #4, r2\nusat16 r9, #7, r3\nssat r10, #1, r4\nusat r11, #0, r5\nmrs r12, APSR' },
  { name: 't32 bitfields', body: 'ubfx r0, r1, #4, #8\nsbfx r2, r3, #28, #4\nubfx r4, r5, #0, #32\nbfi r6, r1, #8, #12\nbfc r8, #0, #16\nbfi r9, r2, #31, #1\nsbfx r10, r4, #0, #1' },
  // ---- data processing register ----
  { name: 't32 extend', body: 'sxth.w r0, r1, ror #8\nuxtb.w r2, r3, ror #24\nsxtb16 r4, r5\nuxtb16 r6, r1, ror #16\nsxtah r8, r2, r3\nuxtab r9, r4, r5, ror #8\nsxtab16 r10, r1, r2\nuxtah r11, r3, r4, ror #16\nsxtab r12, r5, r1' },
  { name: 't32 parallel add/sub', body: 'sadd16 r0, r1, r2\nuadd8 r3, r4, r5\nmrs r12, APSR\nqsub16 r6, r1, r3\nshasx r8, r2, r4\nuqsax r9, r5, r1\nuhsub8 r10, r2, r3\nssub8 r11, r4, r5' },
  { name: 't32 parallel add/sub 2', body: 'sasx r0, r1, r2\nmrs r12, APSR\nusax r3, r4, r5\nqadd8 r6, r1, r3\nuqadd16 r8, r2, r4\nshadd8 r9, r5, r1\nuhadd16 r10, r2, r3\nusub16 r11, r4, r5' },
  { name: 't32 qadd/rev/rbit/clz/sel', body: 'qadd r0, r1, r2\nqdsub r3, r4, r5\nmrs r12, APSR\nrev.w r6, r1\nrev16.w r8, r2\nrevsh.w r9, r3\nrbit r10, r4\nclz r11, r5\nsadd8 r1, r2, r3\nsel r2, r4, r5' },
  // ---- multiplies and divide ----
  { name: 't32 multiply accumulate', body: 'mul r0, r1, r2\nmla r3, r4, r5, r6\nmls r8, r1, r2, r3\nsmulbt r9, r4, r5\nsmlatt r10, r1, r2, r3\nsmulwb r11, r4, r5\nsmlawt r12, r1, r2, r3\nmrs r6, APSR' },
  { name: 't32 dual and most-significant multiplies', body: 'smuad r0, r1, r2\nsmladx r3, r4, r5, r6\nsmusd r8, r1, r2\nsmlsdx r9, r3, r4, r5\nsmmul r10, r1, r2\nsmmlar r11, r3, r4, r5\nsmmls r12, r1, r2, r3\nusada8 r6, r4, r5, r1\nmrs r1, APSR' },
  { name: 't32 long multiplies', body: 'smull r0, r1, r2, r3\numull r4, r5, r2, r3\nsmlal r6, r8, r4, r5\numlal r9, r10, r1, r2\numaal r11, r12, r3, r4\nsmlalbt r0, r1, r5, r6\nsmlald r2, r3, r8, r9\nsmlsldx r4, r5, r10, r11' },
  { name: 't32 sdiv/udiv', body: '.arch_extension idiv\nsdiv r0, r1, r2\nudiv r3, r4, r5\nmovs r6, #0\nsdiv r8, r1, r6\nudiv r9, r2, r6\nmov r10, #0x80000000\nmov r11, #-1\nsdiv r12, r10, r11' },
  // ---- loads and stores ----
  {
    name: 't32 loads/stores single',
    body: [
      'sub sp, #64', 'mov r6, sp', 'str.w r1, [r6, #4]', 'strh.w r2, [r6, #10]', 'strb.w r3, [r6, #12]', 'str r4, [r6, #-4]',
      'ldr.w r0, [r6, #4]', 'ldrh.w r8, [r6, #10]', 'ldrsh.w r9, [r6, #10]', 'ldrsb.w r10, [r6, #12]', 'ldrb.w r11, [r6, #12]',
      'ldr r12, [r6, #-4]', 'mov r5, #3', 'str.w r2, [r6, r5, lsl #2]', 'ldr.w r1, [r6, r5, lsl #2]', 'ldrsh.w r2, [r6, r5, lsl #1]',
      'ldrt r3, [r6, #4]', 'strbt r4, [r6, #40]', 'ldrbt r4, [r6, #40]', 'add sp, #64',
    ].join('\n'),
  },
  {
    name: 't32 pre/post-indexed writeback',
    body: 'sub sp, #64\nmov r6, sp\nstr r1, [r6, #8]!\nstr r2, [r6], #4\nldr r3, [r6, #-4]!\nldrh r4, [r6], #-2\nstrb r5, [r6, #1]!\nldrsb r8, [r6], #3\nmov r9, sp\nsub r9, r6, r9\nadd sp, #64',
  },
  { name: 't32 literal loads', body: 'ldr.w r0, 1f\nldrh.w r1, 1f\nldrsb.w r2, 1f\nldrd r3, r4, 1f\nldr.w r5, 2f\nb 3f\n.balign 4\n1: .word 0x8081f2f3\n.word 0x12345678\n2: .word 0xdeadbeef\n3: pld [r0, #4]\npli [pc, #8]' },
  { name: 't32 ldrd/strd', body: 'sub sp, #64\nmov r6, sp\nstrd r1, r2, [r6, #8]\nldrd r3, r4, [r6, #8]\nstrd r4, r5, [r6, #16]!\nldrd r8, r9, [r6], #-8\nldrd r10, r11, [r6, #8]\nmov r12, sp\nsub r12, r6, r12\nadd sp, #64' },
  { name: 't32 push.w/pop.w and ldm/stm', body: 'push.w {r0, r1, r2, r8, r9, lr}\nmovs r0, #0\npop.w {r3, r4, r5, r10, r11, r12}\nsub sp, #32\nmov r6, sp\nstmia.w r6!, {r1, r2, r3}\nldmdb r6!, {r8, r9, r10}\nstmdb r6, {r4, r5}\nldmia.w r6, {r0, r1}\nadd sp, #32' },
  { name: 't32 exclusives', body: 'sub sp, #32\nmov r6, sp\nstr r1, [r6]\nldrex r0, [r6]\nstrex r2, r3, [r6]\nldr r4, [r6]\nstrex r5, r1, [r6]\nldrexb r8, [r6]\nstrexb r9, r1, [r6]\nldrexh r10, [r6]\nclrex\nstrexh r11, r2, [r6]\nldrexd r0, r1, [r6]\nstrexd r12, r2, r3, [r6]\nldrd r2, r3, [r6]\nadd sp, #32' },
  // ---- branches ----
  { name: 't32 tbb', body: 'movs r1, #0\nmovs r0, #0\n1: cmp r1, #3\nbeq 6f\ntbb [pc, r1]\n7: .byte (2f-7b)/2, (4f-7b)/2, (5f-7b)/2\n.balign 2\n2: adds r0, #1\nadds r1, #1\nb 1b\n4: adds r0, #10\nadds r1, #1\nb 1b\n5: adds r0, #100\nadds r1, #1\nb 1b\n6:' },
  { name: 't32 tbh', body: 'movs r1, #2\nadr r2, 1f\ntbh [r2, r1, lsl #1]\n.balign 4\n1: .hword (2f-1b)/2+0, (3f-1b)/2, (4f-1b)/2\n2: movs r0, #1\nb 5f\n3: movs r0, #2\nb 5f\n4: movs r0, #3\n5: mov r1, pc' },
  { name: 't32 b.w / beq.w / bl long', body: 'cmp r1, r2\nbeq.w 1f\nmovs r0, #1\n1: b.w 2f\n.space 2048\n2: bl 3f\nb 4f\n.space 4096\n3: mov r3, lr\nbx lr\n4: adr r4, 4b\nsub r3, r3, r4' },
  { name: 't32 msr/mrs', body: 'mrs r0, APSR\nmsr APSR_nzcvq, r1\nmrs r2, APSR\nmsr APSR_g, r3\nmrs r4, APSR\nmsr APSR_nzcvqg, r5\nmrs r6, APSR' },
  { name: 't32 hints and barriers', body: 'nop.w\nyield.w\ndmb ish\ndsb sy\nisb sy\nadds r0, r1, r2' },
  { name: 't32 mrc tls', body: 'mrc p15, 0, r0, c13, c0, 3\nmrc p15, 0, r1, c13, c0, 2' },
  // ---- interworking ----
  {
    name: 'interworking: blx to ARM and bx lr back',
    body: 'blx 1f\nmov r8, lr\nb 2f\n.arm\n.balign 4\n1: add r0, r1, r2\nmov r9, lr\nbx lr\n.thumb\n2: adds r0, #1',
  },
  {
    name: 'interworking: ARM calls Thumb with blx imm and blx reg',
    body: 'adr r0, 1f\nbx r0\n.arm\n.balign 4\n1: blx 2f\nadr r3, 3f+1\nblx r3\nadr r4, 4f+1\nbx r4\n.thumb\n.thumb_func\n2: movs r5, #5\nbx lr\n.thumb_func\n3: movs r6, #6\nmov r9, lr\nbx lr\n.thumb_func\n4: nop',
  },
  {
    name: 'interworking: pop pc / ldr pc / ldm pc to ARM and back',
    body: 'adr r0, 1f\npush {r0}\npop {pc}\n.arm\n.balign 4\n1: adr r1, 2f+1\npush {r1}\npop {pc}\n.thumb\n2: adr r2, 3f\nstr r2, [sp, #-4]!\nldr.w pc, [sp], #4\n.arm\n.balign 4\n3: adr r3, 4f+1\nstmdb sp!, {r2, r3}\nldmia sp!, {r2, pc}\n.thumb\n4: movs r4, #4',
  },
  {
    name: 'vfp in thumb (shared A32 rows, literal, IT)',
    body: '.fpu vfpv3-d16\nvmov s0, r1\nvmov s1, r2\nvadd.f32 s2, s0, s1\nvmov r0, s2\nvldr d2, 1f\nvmov r3, r4, d2\nb 2f\n.balign 8\n1: .double 1.5\n2: vcvt.f64.s32 d3, s1\nvmov r5, r6, d3\nvcmp.f32 s0, s0\nvmrs APSR_nzcv, fpscr\nite eq\nvmoveq r8, s0\nvmovne r8, s1\nmrc p15, 0, r9, c13, c0, 3',
  },
  { name: 'it with t32 instructions', body: 'cmp r1, r2\nitete hi\naddhi.w r0, r1, #0x1000\nsubls.w r0, r2, r3, lsl #2\nmovhi.w r3, #1\nldrdls r4, r5, [sp, #-8]\nit ne\nmovne.w r6, #0xff00ff00' },
];
