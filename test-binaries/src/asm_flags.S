@ build-march: armv5te
@ asm_flags: freestanding ARM-state assembly (no libc) checking the
@ condition flags and shifter edge cases of the classic ARM instruction set
@ (ARMv5TE): ADD/ADC/SUB/SBC/RSB/RSC carries and overflow, CMP/CMN/TST/TEQ,
@ immediate and register-specified shifts (by 0, 32, >32, >=256) with their
@ carry-out, RRX, rotated-immediate carry, MUL/MLA/UMULL/SMULL/UMLAL/SMLAL
@ flags, CLZ, every condition code against every NZCV combination, PC reads,
@ load/store addressing modes, LDM/STM, LDRD/STRD and BLX.
@ Each REPORT line shows r0, r1 and the flags; see asm_report.inc.

#include "asm_report.inc"

        .text
        .global _start
_start:
@ ---------------------------------------------------------------- add/sub
        FLAGS   0
        ldr     r2, =0x7fffffff
        adds    r0, r2, #1
        mov     r1, r2
        REPORT  "adds overflow"

        FLAGS   0
        mvn     r2, #0
        adds    r0, r2, #1
        mov     r1, r2
        REPORT  "adds carry"

        FLAGS   0
        mov     r2, #0x80000000
        adds    r0, r2, r2
        mov     r1, r2
        REPORT  "adds carry+overflow"

        FLAGS   0xf
        mov     r2, #0
        subs    r0, r2, #1
        mov     r1, r2
        REPORT  "subs borrow"

        FLAGS   0
        mov     r2, #5
        subs    r0, r2, #5
        mov     r1, r2
        REPORT  "subs equal"

        FLAGS   0
        mov     r2, #0x80000000
        subs    r0, r2, #1
        mov     r1, r2
        REPORT  "subs overflow"

        FLAGS   0
        mov     r2, #1
        rsbs    r0, r2, #0
        mov     r1, r2
        REPORT  "rsbs"

        FLAGS   0
        ldr     r2, =0x7fffffff
        mov     r3, #0x80000000
        cmp     r2, r3
        mov     r0, r2
        mov     r1, r3
        REPORT  "cmp max,min"

        FLAGS   0
        mvn     r2, #0
        cmn     r2, #1
        mov     r0, r2
        mov     r1, #1
        REPORT  "cmn -1,1"

        FLAGS   0x3
        mov     r2, #0x80000000
        tst     r2, r2
        mov     r0, r2
        mov     r1, r2
        REPORT  "tst keeps C,V"

        FLAGS   0x3
        ldr     r2, =0x12345678
        teq     r2, r2
        mov     r0, r2
        mov     r1, r2
        REPORT  "teq"

        FLAGS   0
        mvn     r2, #0                  @ lo a
        mov     r3, #1                  @ hi a
        mov     r4, #1                  @ lo b
        mov     r5, #0                  @ hi b
        adds    r0, r2, r4
        adc     r1, r3, r5
        REPORT  "add64 chain"

        FLAGS   0x2
        mvn     r2, #0
        adcs    r0, r2, #0
        mov     r1, #0
        REPORT  "adcs carry in"

        FLAGS   0x2
        ldr     r2, =0x7fffffff
        mov     r3, #0
        adcs    r0, r2, r3
        mov     r1, r3
        REPORT  "adcs overflow"

        FLAGS   0x0
        mov     r2, #5
        sbcs    r0, r2, #5
        mov     r1, r2
        REPORT  "sbcs borrow in"

        FLAGS   0x2
        mov     r2, #5
        sbcs    r0, r2, #5
        mov     r1, r2
        REPORT  "sbcs no borrow"

        FLAGS   0x0
        mov     r2, #0                  @ lo
        mov     r3, #1                  @ hi
        subs    r0, r2, #1
        sbc     r1, r3, #0
        REPORT  "sub64 chain"

        FLAGS   0x2
        mov     r2, #3
        rscs    r0, r2, #10
        mov     r1, r2
        REPORT  "rscs"

        FLAGS   0x0
        mov     r2, #3
        rscs    r0, r2, #10
        mov     r1, r2
        REPORT  "rscs borrow"

        FLAGS   0x0
        ldr     r2, =0x80000000
        mov     r3, #0
        sbcs    r0, r2, r3              @ 0x80000000 - 0 - 1: overflow
        mov     r1, r3
        REPORT  "sbcs overflow"
        POOL

@ ------------------------------------------------------ immediate shifts
        FLAGS   0
        ldr     r2, =0x80000001
        movs    r0, r2, lsl #1
        mov     r1, r2
        REPORT  "lsls #1"

        FLAGS   0
        ldr     r2, =0x80000001
        movs    r0, r2, lsr #1
        mov     r1, r2
        REPORT  "lsrs #1"

        FLAGS   0
        mov     r2, #0x80000000
        movs    r0, r2, lsr #32
        mov     r1, r2
        REPORT  "lsrs #32"

        FLAGS   0
        mov     r2, #0x80000000
        movs    r0, r2, asr #32
        mov     r1, r2
        REPORT  "asrs #32"

        FLAGS   0
        mov     r2, #0x40000000
        movs    r0, r2, asr #31
        mov     r1, r2
        REPORT  "asrs #31"

        FLAGS   0
        mov     r2, #0x1f
        movs    r0, r2, ror #4
        mov     r1, r2
        REPORT  "rors #4"

        FLAGS   0x2
        mov     r2, #1
        movs    r0, r2, rrx
        mov     r1, r2
        REPORT  "rrxs C=1"

        FLAGS   0x0
        mov     r2, #2
        movs    r0, r2, rrx
        mov     r1, r2
        REPORT  "rrxs C=0"

        FLAGS   0x2
        mov     r2, #0
        movs    r0, r2, lsl #0
        mov     r1, r2
        REPORT  "lsls #0 keeps C"

        FLAGS   0x0
        mov     r2, #0x00010000
        mov     r3, #0xff
        adds    r0, r3, r2, lsl #16    @ 0xff + 0 : shifter carry ignored
        mov     r1, r2
        REPORT  "adds shifted operand"

@ --------------------------------------------- register-specified shifts
        FLAGS   0x2
        mov     r2, #0x80000000
        mov     r3, #0
        movs    r0, r2, lsl r3
        mov     r1, r3
        REPORT  "lsl by 0"

        FLAGS   0x0
        mov     r2, #1
        mov     r3, #32
        movs    r0, r2, lsl r3
        mov     r1, r3
        REPORT  "lsl by 32"

        FLAGS   0x2
        mov     r2, #1
        mov     r3, #33
        movs    r0, r2, lsl r3
        mov     r1, r3
        REPORT  "lsl by 33"

        FLAGS   0x2
        mov     r2, #3
        mov     r3, #256
        movs    r0, r2, lsl r3
        mov     r1, r3
        REPORT  "lsl by 256"

        FLAGS   0x0
        mov     r2, #3
        mov     r3, #31
        movs    r0, r2, lsl r3
        mov     r1, r3
        REPORT  "lsl by 31"

        FLAGS   0x0
        mov     r2, #0x80000000
        mov     r3, #32
        movs    r0, r2, lsr r3
        mov     r1, r3
        REPORT  "lsr by 32"

        FLAGS   0x2
        mov     r2, #0x80000000
        mov     r3, #33
        movs    r0, r2, lsr r3
        mov     r1, r3
        REPORT  "lsr by 33"

        FLAGS   0x0
        ldr     r2, =0xdeadbeef
        mov     r3, #0
        movs    r0, r2, lsr r3
        mov     r1, r3
        REPORT  "lsr by 0"

        FLAGS   0x0
        mov     r2, #0x80000000
        mov     r3, #32
        movs    r0, r2, asr r3
        mov     r1, r3
        REPORT  "asr by 32"

        FLAGS   0x2
        ldr     r2, =0x7fffffff
        mov     r3, #40
        movs    r0, r2, asr r3
        mov     r1, r3
        REPORT  "asr by 40"

        FLAGS   0x0
        mov     r2, #0x80000000
        mov     r3, #255
        movs    r0, r2, asr r3
        mov     r1, r3
        REPORT  "asr by 255"

        FLAGS   0x0
        ldr     r2, =0x80000001
        mov     r3, #32
        movs    r0, r2, ror r3
        mov     r1, r3
        REPORT  "ror by 32"

        FLAGS   0x0
        mov     r2, #0xf
        mov     r3, #36
        movs    r0, r2, ror r3
        mov     r1, r3
        REPORT  "ror by 36"

        FLAGS   0x0
        ldr     r2, =0x80000002
        mov     r3, #0
        movs    r0, r2, ror r3
        mov     r1, r3
        REPORT  "ror by 0"

        FLAGS   0x0
        ldr     r2, =0x80000002
        mov     r3, #64
        movs    r0, r2, ror r3
        mov     r1, r3
        REPORT  "ror by 64"

        FLAGS   0x0
        ldr     r2, =0x12345678
        ldr     r3, =0xffffff08        @ only the low byte (8) counts
        mov     r0, r2, ror r3
        mov     r1, r2, lsl r3
        REPORT  "shift uses low byte"
        POOL

@ ------------------------------------------------- logical ops, immediates
        FLAGS   0
        mvn     r2, #0
        mov     r3, #0x80000000
        ands    r0, r2, r3, lsl #1
        mov     r1, r3
        REPORT  "ands shifter carry"

        FLAGS   0
        movs    r0, #0x80000000
        mov     r1, #0
        REPORT  "movs rotated imm C=1"

        FLAGS   0x2
        movs    r0, #0x0000ff00
        mov     r1, #0
        REPORT  "movs rotated imm C=0"

        FLAGS   0x2
        movs    r0, #1
        mov     r1, #0
        REPORT  "movs unrotated keeps C"

        FLAGS   0x1
        mvns    r0, #0
        mov     r1, #0
        REPORT  "mvns"

        FLAGS   0
        mov     r2, #0xff
        bics    r0, r2, #0x0f
        mov     r1, r2
        REPORT  "bics"

        FLAGS   0
        ldr     r2, =0x0f0f0f0f
        mov     r3, #4
        eors    r0, r2, r2, ror r3
        orr     r1, r2, r2, lsl #4
        REPORT  "eors ror reg"

        FLAGS   0
        ldr     r2, =0xf0000000
        ands    r0, r2, #0xf0000000     @ rotated immediate: C from bit 31
        mov     r1, r2
        REPORT  "ands rotated imm"

        FLAGS   0x2
        mov     r2, #7
        teq     r2, #0x80000000         @ C from rotated immediate bit 31
        mov     r0, r2
        mov     r1, #0
        REPORT  "teq rotated imm"

@ --------------------------------------------------------------- multiply
        FLAGS   0x3
        mov     r2, #0x10000
        mov     r3, #0x10000
        muls    r0, r2, r3
        mov     r1, r2
        REPORT  "muls zero keeps C,V"

        FLAGS   0
        mvn     r2, #2                  @ -3
        mov     r3, #5
        muls    r0, r2, r3
        mov     r1, r3
        REPORT  "muls negative"

        mov     r2, #7
        mov     r3, #6
        mov     r4, #100
        mla     r0, r2, r3, r4
        mov     r1, r4
        REPORT  "mla"

        FLAGS   0
        mvn     r2, #0
        mvn     r3, #0
        umulls  r0, r1, r2, r3
        REPORT  "umulls max*max"

        FLAGS   0
        mvn     r2, #0
        mvn     r3, #0
        smulls  r0, r1, r2, r3
        REPORT  "smulls -1*-1"

        FLAGS   0
        mov     r2, #0x80000000
        mov     r3, #0x80000000
        smulls  r0, r1, r2, r3
        REPORT  "smulls min*min"

        FLAGS   0
        mov     r2, #0x80000000
        mov     r3, #3
        smull   r0, r1, r2, r3
        REPORT  "smull min*3"

        FLAGS   0
        mvn     r0, #0
        mov     r1, #0
        mov     r2, #2
        mov     r3, #3
        umlals  r0, r1, r2, r3
        REPORT  "umlals carry"

        FLAGS   0
        mov     r0, #0
        mov     r1, #0
        mvn     r2, #1                  @ -2
        mov     r3, #3
        smlals  r0, r1, r2, r3
        REPORT  "smlals negative"

        FLAGS   0x2
        mov     r2, #0
        ldr     r3, =12345
        umulls  r0, r1, r2, r3
        REPORT  "umulls zero"

@ -------------------------------------------------------------------- clz
        mov     r2, #0
        clz     r0, r2
        mov     r3, #0x00010000
        clz     r1, r3
        REPORT  "clz 0, 0x10000"

        mvn     r2, #0
        clz     r0, r2
        mov     r3, #1
        clz     r1, r3
        REPORT  "clz -1, 1"
        POOL

@ ------------------------------------------- conditions x flag combinations
@ r0 bit k is set when condition k (EQ=0 ... LE=13, AL=14) passed
        mov     r5, #0
cond_loop:
        mov     r6, r5, lsl #28
        mov     r0, #0
        msr     cpsr_f, r6
        orreq   r0, r0, #0x0001
        orrne   r0, r0, #0x0002
        orrcs   r0, r0, #0x0004
        orrcc   r0, r0, #0x0008
        orrmi   r0, r0, #0x0010
        orrpl   r0, r0, #0x0020
        orrvs   r0, r0, #0x0040
        orrvc   r0, r0, #0x0080
        orrhi   r0, r0, #0x0100
        orrls   r0, r0, #0x0200
        orrge   r0, r0, #0x0400
        orrlt   r0, r0, #0x0800
        orrgt   r0, r0, #0x1000
        orrle   r0, r0, #0x2000
        orral   r0, r0, #0x4000
        mov     r1, r5
        REPORT  "cond"
        add     r5, r5, #1
        cmp     r5, #16
        blt     cond_loop

@ conditional flag-setting instructions only change flags when executed
        FLAGS   0x4                     @ Z set
        mov     r0, #1
        subsne  r0, r0, #1              @ not executed: Z stays, r0 stays 1
        addseq  r1, r0, #0x7fffffff     @ executed: N V set, Z cleared
        REPORT  "conditional flag setting"

@ a countdown loop: flags from SUBS drive BNE
        mov     r0, #0
        mov     r1, #1000
1:      add     r0, r0, r1
        subs    r1, r1, #1
        bne     1b
        REPORT  "subs/bne loop"

@ -------------------------------------------------------------- PC reads
2:      mov     r0, pc
        adr     r1, 2b
        sub     r0, r0, r1
        add     r1, pc, #4
        sub     r1, r1, r0
        adr     r2, 2b
        sub     r1, r1, r2
        REPORT  "pc reads +8"

@ ------------------------------------------------------ loads and stores
        ldr     r2, =data
        ldr     r0, [r2], #4            @ post-index
        sub     r1, r2, #0              @ r1 = r2 - data, below
        ldr     r3, =data
        sub     r1, r1, r3
        REPORT  "ldr post-index"

        ldr     r2, =data
        ldr     r0, [r2, #8]!
        ldr     r3, =data
        sub     r1, r2, r3
        REPORT  "ldr pre-index writeback"

        ldr     r2, =data
        ldrb    r0, [r2, #7]
        ldrsb   r1, [r2, #7]
        REPORT  "ldrb/ldrsb 0x80.."

        ldr     r2, =data
        ldrh    r0, [r2, #6]
        ldrsh   r1, [r2, #6]
        REPORT  "ldrh/ldrsh"

        ldr     r2, =data
        mov     r3, #3
        ldr     r0, [r2, r3, lsl #2]
        add     r2, r2, #16
        mov     r3, #12
        ldr     r1, [r2, -r3]
        REPORT  "ldr reg offsets"

        ldr     r2, =scratch
        ldr     r3, =0x11223344
        str     r3, [r2]
        mov     r4, #0xaa
        strb    r4, [r2, #1]
        ldr     r4, =0xbeef
        strh    r4, [r2, #2]
        ldr     r0, [r2]
        ldrb    r1, [r2, #3]
        REPORT  "str/strb/strh mix"

        ldr     r2, =scratch
        mov     r3, #1
        mov     r4, #2
        mov     r5, #3
        mov     r6, #4
        stmia   r2!, {r3-r6}
        ldr     r7, =scratch
        sub     r1, r2, r7
        ldmdb   r2!, {r8-r11}
        add     r0, r8, r9, lsl #4
        add     r0, r0, r10, lsl #8
        add     r0, r0, r11, lsl #12
        sub     r7, r2, r7
        add     r1, r1, r7, lsl #8
        REPORT  "stmia!/ldmdb!"

        ldr     r2, =scratch
        ldr     r4, =0xcafef00d
        ldr     r5, =0x0badc0de
        strd    r4, r5, [r2, #8]
        ldrd    r0, r1, [r2, #8]
        REPORT  "strd/ldrd"

        ldr     r2, =scratch
        mov     r3, #0x55
        stmib   r2, {r3, r4}            @ store at +4, +8
        ldmda   r2, {r0}                @ single register, DA addressing
        ldr     r1, [r2, #4]
        REPORT  "stmib/ldmda"
        POOL

@ -------------------------------------------------------------- branches
        adr     r3, sub_double
        mov     r0, #21
        blx     r3
        mov     r1, #0
        FLAGS   0x4
        bleq    sub_double              @ taken: Z set
        blne    sub_double              @ not taken
        REPORT  "blx reg / conditional bl"

        mov     r0, #0
        ldr     r1, =jump_table
        mov     r2, #2
        ldr     pc, [r1, r2, lsl #2]    @ computed jump through a table
jt0:    mov     r0, #100
        b       jt_done
jt1:    mov     r0, #101
        b       jt_done
jt2:    mov     r0, #102
jt_done:
        mov     r1, #0
        REPORT  "ldr pc jump table"

        mov     r0, #0
        b       exit
sub_double:
        add     r0, r0, r0
        bx      lr
exit:
        b       do_exit

        .ltorg

        .data
        .balign 8
data:
        .word   0x11223344
        .word   0x80ff7f01
        .word   0xdeadbeef
        .word   0x76543210
        .word   0x00000000
jump_table:
        .word   jt0, jt1, jt2
scratch:
        .space  32
