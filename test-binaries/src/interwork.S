@ build-march: armv7-a
@ build-set: armhf
@ interwork: freestanding assembly (no libc) switching between ARM and Thumb
@ state every way the architecture allows: BLX immediate both ways, BLX/BX
@ register, BX LR back, POP {pc} and LDR pc / LDM pc returns across states,
@ MOV pc in Thumb (stays Thumb), Thumb BL with LR = next | 1, and an ARM
@ ADD pc that interworks (ARMv7 ALUWritePC). The ARM side reports r0, r1 and
@ the flags after each step; see asm_report.inc.

#include "asm_report.inc"

        .text
        .arm
        .global _start
_start:
        mov     r0, #1
        blx     t_add100                @ ARM -> Thumb (BLX imm), back with BX LR
        mov     r1, lr
        REPORT  "blx imm to thumb, bx lr back"

        ldr     r4, =t_add100           @ a Thumb function symbol: bit 0 set
        mov     r0, #2
        blx     r4                      @ ARM -> Thumb (BLX reg)
        REPORT  "blx reg to thumb"

        mov     r0, #3
        blx     t_calls_arm             @ Thumb calls ARM with BLX imm and BL-free BX
        REPORT  "thumb calls arm both ways"

        mov     r0, #4
        blx     t_pop_pc                @ Thumb returns with POP {pc}
        REPORT  "thumb returns with pop pc"

        mov     r0, #5
        blx     t_ldr_pc                @ Thumb returns with LDR pc, [sp], #4
        REPORT  "thumb returns with ldr pc"

        mov     r0, #6
        blx     t_mov_pc                @ MOV pc, Rm in Thumb stays in Thumb
        REPORT  "thumb mov pc stays thumb"

        mov     r0, #7
        ldr     r4, =t_add100
        adr     lr, 1f
        add     pc, r4, #0              @ ARMv7: an ALU write to pc interworks
1:      REPORT  "arm add pc interworks"

        mov     r0, #8
        blx     t_bl_lr                 @ Thumb BL sets LR = next | 1
        REPORT  "thumb bl sets lr | 1"

        mov     r0, #9
        bl      a_ldm_to_thumb          @ ARM LDM {.., pc} into Thumb code
        REPORT  "arm ldm pc to thumb"

        mov     r0, #0
        b       do_exit
        .ltorg

@ ARM helper: r0 += 1000, return with BX LR (to Thumb or ARM)
        .arm
a_add1000:
        add     r0, r0, #1000
        bx      lr

@ ARM: pop into pc a Thumb address (bit 0 set)
a_ldm_to_thumb:
        push    {r4, lr}
        adr     r1, t_finish_ldm + 1
        push    {r0, r1}
        pop     {r0, pc}                @ to Thumb; it returns with POP {r4, pc}

        .thumb
        .thumb_func
t_add100:
        adds    r0, #100
        bx      lr

        .thumb_func
t_calls_arm:
        push    {lr}
        blx     a_add1000               @ Thumb -> ARM (BLX imm, target aligned)
        adr     r2, a_add1000
        blx     r2                      @ Thumb -> ARM (BLX reg, even address)
        pop     {pc}

        .thumb_func
t_pop_pc:
        push    {r4, lr}
        adds    r0, #40
        pop     {r4, pc}                @ LR is an ARM address: back to ARM

        .thumb_func
t_ldr_pc:
        str     lr, [sp, #-4]!
        adds    r0, #50
        ldr     pc, [sp], #4

        .thumb_func
t_mov_pc:
        adr     r1, 1f
        adds    r1, #1
        mov     pc, r1
        .balign 4
1:      adds    r0, #60
        bx      lr

        .thumb_func
t_bl_lr:
        push    {r4, lr}
        bl      2f
        pop     {r4, pc}
2:      mov     r1, lr                  @ odd: the return is Thumb
        adr     r2, t_bl_lr
        sub     r1, r1, r2              @ offset of the return | 1
        bx      lr

        .thumb_func
t_finish_ldm:
        adds    r0, #90
        pop     {r4, pc}
