@ build-march: armv7-a
@ asm_media: freestanding ARMv7-A (ARM state) assembly for the DSP/media and
@ bit-field instructions added in ARMv5TE/v6/v6T2/v7: saturating arithmetic
@ and the sticky Q flag, SSAT/USAT, parallel add/subtract with the GE flags
@ and SEL, USAD8, byte reversal, RBIT, UBFX/SBFX/BFI/BFC, PKHBT/PKHTB,
@ sign/zero extension with rotation, the halfword multiplies (SMLAxy,
@ SMULWy, SMUAD, SMLALD...), SMMUL/SMMLA, UMAAL, MLS, MOVW/MOVT,
@ LDREX/STREX/CLREX, barriers and unaligned loads.
@ Each REPORT line shows r0, r1 and the flags; see asm_report.inc.

#include "asm_report.inc"

        .arch   armv7-a
        .arm

@ set the Q flag (and clear NZCV)
        .macro  SETQ
        msr     cpsr_f, #0x08000000
        .endm

@ load a 32-bit constant with MOVW/MOVT
        .macro  MOV32 reg, val
        movw    \reg, #:lower16:\val
        movt    \reg, #:upper16:\val
        .endm

        .text
        .global _start
_start:
@ ------------------------------------------------------- saturating + Q flag
        FLAGS   0
        MOV32   r2, 0x7fffffff
        mov     r3, #1
        qadd    r0, r2, r3
        mov     r1, r3
        REPORT  "qadd saturate"

        FLAGS   0
        mov     r2, #100
        mov     r3, #23
        qadd    r0, r2, r3
        mov     r1, r3
        REPORT  "qadd no saturation"

        SETQ
        mov     r2, #100
        mov     r3, #23
        qadd    r0, r2, r3
        mov     r1, r3
        REPORT  "qadd Q is sticky"

        FLAGS   0
        mov     r2, #0x80000000
        mov     r3, #1
        qsub    r0, r2, r3
        mov     r1, r3
        REPORT  "qsub saturate"

        FLAGS   0
        mov     r2, #1
        mov     r3, #0x40000000
        qdadd   r0, r2, r3
        mov     r1, r3
        REPORT  "qdadd doubling saturates"

        FLAGS   0
        mov     r2, #0
        mov     r3, #0xc0000000
        qdsub   r0, r2, r3
        mov     r1, r3
        REPORT  "qdsub"

        FLAGS   0
        mov     r2, #300
        ssat    r0, #8, r2
        ldr     r3, =-300
        ssat    r1, #8, r3
        REPORT  "ssat #8 +-300"

        FLAGS   0
        mov     r2, #100
        ssat    r0, #8, r2
        mov     r3, #0x1000
        ssat    r1, #16, r3, lsl #3
        REPORT  "ssat 100, 0x1000 lsl #3"

        FLAGS   0
        mvn     r2, #4
        usat    r0, #8, r2
        mov     r3, #200
        usat    r1, #8, r3
        REPORT  "usat -5, 200"

        FLAGS   0
        MOV32   r2, 0x80000000
        usat    r0, #31, r2, asr #1
        MOV32   r3, 0x00ff0100
        usat    r1, #4, r3, asr #8
        REPORT  "usat asr"

        FLAGS   0
        MOV32   r2, 0x01fffe00
        ssat16  r0, #8, r2
        usat16  r1, #8, r2
        REPORT  "ssat16/usat16"

        FLAGS   0
        MOV32   r2, 0x7f80ff01
        MOV32   r3, 0x01800102
        qadd8   r0, r2, r3
        qsub8   r1, r2, r3
        REPORT  "qadd8/qsub8"

        FLAGS   0
        MOV32   r2, 0xf080ff01
        MOV32   r3, 0x20900102
        uqadd8  r0, r2, r3
        uqsub8  r1, r2, r3
        REPORT  "uqadd8/uqsub8"

        FLAGS   0
        MOV32   r2, 0x7fff8000
        MOV32   r3, 0x00010001
        qadd16  r0, r2, r3
        uqsub16 r1, r3, r2
        REPORT  "qadd16/uqsub16"

        FLAGS   0
        MOV32   r2, 0x7fff8000
        MOV32   r3, 0x00020003
        qasx    r0, r2, r3
        qsax    r1, r2, r3
        REPORT  "qasx/qsax"
        POOL

@ ------------------------------------------------- parallel add/sub, GE, SEL
        FLAGS   0
        MOV32   r2, 0x80ff0102
        MOV32   r3, 0x80010203
        uadd8   r0, r2, r3
        MOV32   r4, 0xaaaaaaaa
        MOV32   r5, 0x55555555
        sel     r1, r4, r5
        REPORT  "uadd8 + sel"

        FLAGS   0
        MOV32   r2, 0x10203040
        MOV32   r3, 0x20203f30
        usub8   r0, r2, r3
        MOV32   r4, 0x11223344
        MOV32   r5, 0xaabbccdd
        sel     r1, r4, r5
        REPORT  "usub8 + sel"

        FLAGS   0
        MOV32   r2, 0x7f80ff01
        MOV32   r3, 0x01800102
        sadd8   r0, r2, r3
        ssub8   r1, r2, r3
        REPORT  "sadd8/ssub8 (GE from ssub8)"

        FLAGS   0
        MOV32   r2, 0x7fff8000
        MOV32   r3, 0x00010001
        sadd16  r0, r2, r3
        mrs     r1, cpsr
        lsr     r1, r1, #16
        and     r1, r1, #15
        REPORT  "sadd16 (r1 = GE)"

        FLAGS   0
        MOV32   r2, 0x00010005
        MOV32   r3, 0x00020003
        ssub16  r0, r2, r3
        uadd16  r1, r2, r3
        REPORT  "ssub16/uadd16 (GE from uadd16)"

        FLAGS   0
        MOV32   r2, 0xfff00010
        MOV32   r3, 0x00200030
        usub16  r0, r2, r3
        mrs     r1, cpsr
        lsr     r1, r1, #16
        and     r1, r1, #15
        REPORT  "usub16 (r1 = GE)"

        FLAGS   0
        MOV32   r2, 0x00100020
        MOV32   r3, 0x00050003
        sasx    r0, r2, r3
        ssax    r1, r2, r3
        REPORT  "sasx/ssax"

        FLAGS   0
        MOV32   r2, 0x00100020
        MOV32   r3, 0x00050030
        uasx    r0, r2, r3
        usax    r1, r2, r3
        REPORT  "uasx/usax"

        FLAGS   0
        MOV32   r2, 0x7f80ff01
        MOV32   r3, 0x01800103
        shadd8  r0, r2, r3
        uhadd8  r1, r2, r3
        REPORT  "shadd8/uhadd8"

        FLAGS   0
        MOV32   r2, 0x80007fff
        MOV32   r3, 0x7fff8000
        shsub16 r0, r2, r3
        uhsub16 r1, r2, r3
        REPORT  "shsub16/uhsub16"

        MOV32   r2, 0x0f0e0d0c
        msr     APSR_g, r2              @ write GE directly from bits 19:16
        MOV32   r4, 0x44332211
        MOV32   r5, 0x88776655
        sel     r0, r4, r5
        mov     r1, #0
        REPORT  "msr APSR_g + sel"

        MOV32   r2, 0x01020304
        MOV32   r3, 0x04030201
        usad8   r0, r2, r3
        mov     r4, #1000
        usada8  r1, r2, r3, r4
        REPORT  "usad8/usada8"

        MOV32   r2, 0x00ff80ff
        MOV32   r3, 0xff0080ff
        usad8   r0, r2, r3
        mov     r1, #0
        REPORT  "usad8 extremes"
        POOL

@ ------------------------------------------------------ bytes and bits
        MOV32   r2, 0x12345678
        rev     r0, r2
        rev16   r1, r2
        REPORT  "rev/rev16"

        MOV32   r2, 0x000080ff
        revsh   r0, r2
        MOV32   r3, 0x00001234
        revsh   r1, r3
        REPORT  "revsh"

        MOV32   r2, 0x12345678
        rbit    r0, r2
        mov     r3, #1
        rbit    r1, r3
        REPORT  "rbit"

        MOV32   r2, 0x000fffff
        clz     r0, r2
        mov     r3, #0
        clz     r1, r3
        REPORT  "clz"

        MOV32   r2, 0xdeadbeef
        ubfx    r0, r2, #4, #8
        sbfx    r1, r2, #4, #8
        REPORT  "ubfx/sbfx #4,#8"

        MOV32   r2, 0xdeadbeef
        ubfx    r0, r2, #0, #32
        sbfx    r1, r2, #31, #1
        REPORT  "ubfx full, sbfx top bit"

        MOV32   r0, 0xffffffff
        mov     r2, #0xabc
        bfi     r0, r2, #8, #12
        MOV32   r1, 0xffffffff
        bfc     r1, #4, #8
        REPORT  "bfi/bfc"

        MOV32   r0, 0x12345678
        MOV32   r2, 0xabcdef01
        bfi     r0, r2, #31, #1
        MOV32   r1, 0x12345678
        bfi     r1, r2, #0, #32
        REPORT  "bfi edges"

        MOV32   r2, 0x1111aaaa
        MOV32   r3, 0x2222bbbb
        pkhbt   r0, r2, r3, lsl #16
        pkhtb   r1, r2, r3, asr #16
        REPORT  "pkhbt/pkhtb"

        MOV32   r2, 0x1111aaaa
        MOV32   r3, 0x8222bbbb
        pkhtb   r0, r2, r3, asr #31
        pkhbt   r1, r2, r3
        REPORT  "pkhtb asr #31, pkhbt no shift"
        POOL

@ ---------------------------------------------------------- extensions
        MOV32   r2, 0x1280ff7f
        sxtb    r0, r2
        uxtb    r1, r2
        REPORT  "sxtb/uxtb"

        MOV32   r2, 0x1280ff7f
        sxtb    r0, r2, ror #8
        sxth    r1, r2, ror #16
        REPORT  "sxtb ror8, sxth ror16"

        MOV32   r2, 0x1280ff7f
        uxth    r0, r2
        sxth    r1, r2
        REPORT  "uxth/sxth"

        MOV32   r2, 0x1280ff7f
        mov     r3, #1000
        sxtab   r0, r3, r2
        uxtah   r1, r3, r2, ror #24
        REPORT  "sxtab/uxtah ror24"

        MOV32   r2, 0x1280ff7f
        mov     r3, #1000
        sxtah   r0, r3, r2
        uxtab   r1, r3, r2, ror #16
        REPORT  "sxtah/uxtab ror16"

        MOV32   r2, 0x1280ff7f
        sxtb16  r0, r2
        uxtb16  r1, r2, ror #8
        REPORT  "sxtb16/uxtb16"

        MOV32   r2, 0x1280ff7f
        MOV32   r3, 0x00010002
        uxtab16 r0, r3, r2
        sxtab16 r1, r3, r2
        REPORT  "uxtab16/sxtab16"

@ --------------------------------------------------- halfword multiplies
        FLAGS   0
        MOV32   r2, 0x0003fffe          @ top 3, bottom -2
        MOV32   r3, 0x7fff0005          @ top 32767, bottom 5
        smulbb  r0, r2, r3
        smultt  r1, r2, r3
        REPORT  "smulbb/smultt"

        FLAGS   0
        MOV32   r2, 0x0003fffe
        MOV32   r3, 0x7fff0005
        smulbt  r0, r2, r3
        smultb  r1, r2, r3
        REPORT  "smulbt/smultb"

        FLAGS   0
        MOV32   r2, 0x00008000
        MOV32   r3, 0x00008000
        MOV32   r4, 0x7fffffff
        smlabb  r0, r2, r3, r4          @ 0x40000000 + 0x7fffffff overflows: Q
        mov     r1, r4
        REPORT  "smlabb overflow sets Q"

        FLAGS   0
        MOV32   r2, 0x00020003
        MOV32   r3, 0x00040005
        mov     r4, #100
        smlatt  r0, r2, r3, r4
        smlabt  r1, r2, r3, r4
        REPORT  "smlatt/smlabt"

        FLAGS   0
        MOV32   r2, 0x40000000
        MOV32   r3, 0x80007fff
        smulwb  r0, r2, r3
        smulwt  r1, r2, r3
        REPORT  "smulwb/smulwt"

        FLAGS   0
        MOV32   r2, 0x7fffffff
        MOV32   r3, 0x00007fff
        MOV32   r4, 0x7fffffff
        smlawb  r0, r2, r3, r4          @ overflow: Q
        mov     r1, r4
        REPORT  "smlawb overflow sets Q"

        FLAGS   0
        mvn     r0, #0                  @ lo
        mov     r1, #0                  @ hi
        MOV32   r2, 0x7fff0002
        MOV32   r3, 0x7fff0003
        smlalbb r0, r1, r2, r3
        REPORT  "smlalbb carry"

        FLAGS   0
        mvn     r0, #0
        mvn     r1, #0
        smlaltt r0, r1, r2, r3
        REPORT  "smlaltt"

        FLAGS   0
        MOV32   r2, 0x80008000
        MOV32   r3, 0x80008000
        smuad   r0, r2, r3              @ 2^30 + 2^30 overflows: Q
        smusd   r1, r2, r3
        REPORT  "smuad overflow/smusd"

        FLAGS   0
        MOV32   r2, 0x00030002
        MOV32   r3, 0x00050007
        smuadx  r0, r2, r3
        smusdx  r1, r2, r3
        REPORT  "smuadx/smusdx"

        FLAGS   0
        MOV32   r2, 0x00030002
        MOV32   r3, 0x00050007
        mov     r4, #1000
        smlad   r0, r2, r3, r4
        smlsd   r1, r2, r3, r4
        REPORT  "smlad/smlsd"

        FLAGS   0
        mvn     r0, #0
        mov     r1, #0
        MOV32   r2, 0x7fff7fff
        MOV32   r3, 0x7fff7fff
        smlald  r0, r1, r2, r3
        REPORT  "smlald"

        FLAGS   0
        mov     r0, #0
        mov     r1, #0
        MOV32   r2, 0x00010002
        MOV32   r3, 0x00640003
        smlsld  r0, r1, r2, r3
        REPORT  "smlsld negative"

        FLAGS   0
        mov     r0, #10
        mov     r1, #0
        smlsldx r0, r1, r2, r3
        REPORT  "smlsldx"
        POOL

@ ----------------------------------------------- most-significant-word mul
        MOV32   r2, 0x40000000
        MOV32   r3, 0x00000006
        smmul   r0, r2, r3
        MOV32   r4, 0x80000001
        smmul   r1, r4, r4
        REPORT  "smmul"

        MOV32   r2, 0x40000000
        MOV32   r3, 0x00000003
        smmulr  r0, r2, r3              @ 0.75 rounds up to 1
        smmul   r1, r2, r3
        REPORT  "smmulr rounding"

        MOV32   r2, 0x40000000
        MOV32   r3, 0xfffffffa          @ -6
        mov     r4, #100
        smmla   r0, r2, r3, r4
        smmls   r1, r2, r3, r4
        REPORT  "smmla/smmls"

        MOV32   r2, 0x40000000
        MOV32   r3, 0x00000003
        mov     r4, #100
        smmlar  r0, r2, r3, r4
        smmlsr  r1, r2, r3, r4
        REPORT  "smmlar/smmlsr"

        mvn     r0, #0
        mvn     r1, #0
        mvn     r2, #0
        mvn     r3, #0
        umaal   r0, r1, r2, r3
        REPORT  "umaal max"

        mov     r0, #5
        mov     r1, #7
        MOV32   r2, 0x10000
        MOV32   r3, 0x10000
        umaal   r0, r1, r2, r3
        REPORT  "umaal"

        mov     r2, #7
        mov     r3, #6
        mov     r4, #100
        mls     r0, r2, r3, r4
        mov     r4, #0
        mls     r1, r2, r3, r4
        REPORT  "mls"

        movw    r0, #0xbeef
        movw    r1, #0x1234
        movt    r1, #0xfedc
        REPORT  "movw/movt"

@ ------------------------------------------------------------- exclusives
        ldr     r2, =excl_word
        mov     r3, #0
        str     r3, [r2]
        mov     r4, #0
1:      ldrex   r0, [r2]
        add     r0, r0, #3
        strex   r1, r0, [r2]
        cmp     r1, #0
        bne     1b
        add     r4, r4, #1
        cmp     r4, #10
        blt     1b
        ldr     r0, [r2]
        mov     r1, r4
        REPORT  "ldrex/strex add loop"

        ldr     r2, =excl_word
        ldrex   r3, [r2]
        clrex
        mov     r4, #99
        strex   r1, r4, [r2]            @ must fail: monitor cleared
        ldr     r0, [r2]
        REPORT  "strex after clrex fails"

        ldr     r2, =excl_word
        mov     r4, #0x1ab
        strex   r1, r4, [r2]            @ no preceding ldrex: fails
        ldr     r0, [r2]
        REPORT  "strex without ldrex fails"

        ldr     r2, =excl_bytes
        ldrexb  r3, [r2]
        add     r3, r3, #1
        strexb  r1, r3, [r2]
        add     r6, r2, #2
        ldrexh  r4, [r6]
        add     r4, r4, #1
        strexh  r5, r4, [r6]
        orr     r1, r1, r5, lsl #4
        ldr     r0, [r2]
        REPORT  "ldrexb/h strexb/h"

        ldr     r2, =excl_dword
        ldrexd  r4, r5, [r2]
        adds    r4, r4, #1
        adc     r5, r5, #0
        strexd  r3, r4, r5, [r2]
        ldrd    r0, r1, [r2]
        orr     r1, r1, r3, lsl #16
        REPORT  "ldrexd/strexd carry"
        POOL

@ ------------------------------------------------------ hints, barriers
        dmb     ish
        dsb     sy
        isb
        nop
        yield
        ldr     r2, =excl_word
        pld     [r2]
        mov     r0, #1
        mov     r1, #2
        REPORT  "barriers and hints"

@ ---------------------------------------------------- unaligned accesses
        ldr     r2, =unaligned_data
        ldr     r0, [r2, #1]
        ldrh    r1, [r2, #3]
        REPORT  "unaligned ldr/ldrh"

        ldr     r2, =unaligned_data
        MOV32   r3, 0xa1b2c3d4
        str     r3, [r2, #5]
        ldr     r0, [r2, #4]
        ldr     r1, [r2, #8]
        REPORT  "unaligned str"

        mov     r0, #0
        b       do_exit

        .ltorg

        .data
        .balign 8
excl_dword:
        .word   0xffffffff, 0x00000010
excl_word:
        .word   0
excl_bytes:
        .word   0x1234ff41
unaligned_data:
        .byte   0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77
        .byte   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
