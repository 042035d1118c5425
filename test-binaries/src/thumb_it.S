@ build-march: armv7-a
@ build-set: armhf
@ thumb_it: freestanding Thumb-2 assembly (no libc) checking IT blocks and the
@ Thumb-only control flow: every condition code in an IT block against every
@ NZCV combination, IT/ITE/ITTEE patterns with flag-setting instructions
@ inside, the T16 rule that data processing sets flags only outside IT blocks,
@ a branch as the last instruction of an IT block, TBB/TBH switches, CBZ/CBNZ
@ loops, wide branches and T32 modified immediates.
@ Each TREPORT line shows r0, r1 and the flags; see thumb_report.inc.

#include "thumb_report.inc"

@ r0 |= bit if condition c holds (one IT block per condition)
        .macro  CONDBIT c, bit
        it      \c
        orr\c   r0, r0, #(1 << \bit)
        .endm

        .text
        .thumb
        .global _start
        .thumb_func
_start:
@ ------------------------------------------------ conditions x flag combos
        movs    r6, #0                  @ NZCV combination 0..15
1:      lsls    r1, r6, #28
        movs    r0, #0
        msr     APSR_nzcvq, r1
        CONDBIT eq, 0
        CONDBIT ne, 1
        CONDBIT cs, 2
        CONDBIT cc, 3
        CONDBIT mi, 4
        CONDBIT pl, 5
        CONDBIT vs, 6
        CONDBIT vc, 7
        CONDBIT hi, 8
        CONDBIT ls, 9
        CONDBIT ge, 10
        CONDBIT lt, 11
        CONDBIT gt, 12
        CONDBIT le, 13
        mov     r1, r6
        TREPORT "conditions"
        adds    r6, #1
        cmp     r6, #16
        bne     1b

@ ------------------------------------------------ IT patterns
        movs    r0, #5
        movs    r1, #7
        cmp     r0, r1
        ittee   lt
        addlt   r0, r0, #10             @ taken
        cmplt   r0, r1                  @ taken: 15 vs 7 -> gt
        movge   r1, #1                  @ condition ge now holds
        addge   r1, r1, #2
        TREPORT "ittee lt with cmp inside"
        movs    r0, #0
        movs    r1, #0
        cmp     r0, #0
        itete   eq
        addeq   r0, r0, #1
        addne   r0, r0, #2
        addeq   r1, r1, #4
        addne   r1, r1, #8
        TREPORT "itete eq"

@ ------------------------------------------------ T16 flags inside IT
        movs    r0, #0
        cmp     r0, #0                  @ Z set, C set
        itt     eq
        subeq   r0, r0, #1              @ 16-bit SUBS encoding: no flags in IT
        moveq   r1, #0                  @ 16-bit MOVS encoding: no flags in IT
        TREPORT "t16 in it: flags unchanged"
        movs    r1, #1
        subs    r0, r1, #2              @ outside IT: sets flags
        TREPORT "t16 outside it: flags set"
        cmp     r1, #1
        it      eq
        addseq.w r0, r1, #-1            @ T32 with S: sets flags inside IT
        TREPORT "t32 adds in it"

@ ------------------------------------------------ branch as last in IT
        movs    r0, #0
        movs    r1, #3
2:      adds    r0, r0, r1
        subs    r1, #1
        it      ne
        bne     2b
        TREPORT "it + bne loop"
        movs    r0, #1
        cmp     r0, #1
        itt     eq
        moveq   r1, #42
        beq.w   3f
        movs    r1, #0
3:      TREPORT "it + beq.w"

@ ------------------------------------------------ TBB / TBH
        movs    r4, #0                  @ case index
        movs    r5, #0                  @ accumulator
4:      cmp     r4, #4
        bhs     9f
        tbb     [pc, r4]
5:      .byte   (6f - 5b) / 2, (7f - 5b) / 2, (8f - 5b) / 2, (7f - 5b) / 2
6:      adds    r5, #1
        b       10f
7:      adds    r5, #16
        b       10f
8:      lsls    r5, r5, #4
10:     adds    r4, #1
        b       4b
9:      mov     r0, r5
        mov     r1, r4
        TREPORT "tbb switch"
        movs    r4, #2
        adr     r3, 11f
        tbh     [r3, r4, lsl #1]
        .balign 4
11:     .hword  (12f - 11b) / 2, (13f - 11b) / 2, (14f - 11b) / 2
12:     movs    r0, #1
        b       15f
13:     movs    r0, #2
        b       15f
14:     movw    r0, #0xbeef
15:     movs    r1, #0
        TREPORT "tbh switch"

@ ------------------------------------------------ CBZ / CBNZ
        movs    r0, #0
        movs    r1, #10
16:     cbz     r1, 17f
        add     r0, r0, r1
        subs    r1, #1
        b       16b
17:     cbnz    r0, 18f
        movs    r0, #0                  @ not reached
18:     TREPORT "cbz/cbnz loop"

@ ------------------------------------------------ T32 modified immediates
        mov.w   r0, #0x00ab00ab
        mvn.w   r1, #0xab00ab00
        TREPORT "imm: 00XY00XY / ~XY00XY00"
        mov.w   r0, #0xcdcdcdcd
        movs.w  r1, #0x80000000         @ rotated form: C from bit 31
        TREPORT "imm: XYXYXYXY / rotated (carry)"
        orrs.w  r0, r0, #0x3fc          @ rotated form, bit 31 clear: C cleared
        bic.w   r1, r0, #0xff
        TREPORT "imm: orrs / bic"

        movs    r0, #0
        b.w     tdo_exit
