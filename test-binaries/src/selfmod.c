/* selfmod: generates ARM machine code at run time, runs it, rewrites it and
 * runs it again. Every rewrite is followed by __builtin___clear_cache (the
 * ARM cacheflush system call), as a real program must do. Covers:
 *   - an RWX mapping rewritten in place (immediate patched)
 *   - a W^X style sequence: RW -> mprotect RX -> RW -> RX
 *   - many regenerations of the same address in a loop (translation cache
 *     invalidation under churn)
 *   - code that patches an instruction in its own page while running
 *   - a function copied out of the program's own text */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*fn0)(void);
typedef int (*fn1)(int);

#define MOV_R0_IMM(n) (0xe3a00000u | ((n) & 0xff))  /* mov r0, #n            */
#define ADD_R0_R0_IMM(n) (0xe2800000u | ((n) & 0xff)) /* add r0, r0, #n     */
#define BX_LR 0xe12fff1eu                              /* bx lr                */

static void flush(void *p, size_t len)
{
    __builtin___clear_cache((char *)p, (char *)p + len);
}

/* a position-independent function with known bounds, to be copied */
extern const char tmpl_start[], tmpl_end[];
__asm__(".text\n"
        ".balign 4\n"
        "tmpl_start:\n"
        "    mul r1, r0, r0\n"
        "    add r0, r1, #1\n"
        "    bx lr\n"
        "tmpl_end:\n");

int main(void)
{
    long pagesz = sysconf(_SC_PAGESIZE);
    printf("page size %ld\n", pagesz);

    /* 1. RWX page, patch the immediate in place */
    uint32_t *code = mmap(NULL, pagesz, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    code[0] = MOV_R0_IMM(42);
    code[1] = BX_LR;
    flush(code, 8);
    int r1 = ((fn0)code)();
    code[0] = MOV_R0_IMM(99);
    flush(code, 8);
    int r2 = ((fn0)code)();
    printf("rwx: first=%d second=%d\n", r1, r2);

    /* 2. regenerate the same address many times with different bodies */
    unsigned sum = 0;
    for (int i = 0; i < 300; i++) {
        int n = 1 + i % 7; /* body length varies: n adds */
        code[0] = MOV_R0_IMM(i & 0xff);
        for (int k = 0; k < n; k++)
            code[1 + k] = ADD_R0_R0_IMM(k + 1);
        code[1 + n] = BX_LR;
        flush(code, 4 * (n + 2));
        sum += ((fn0)code)();
    }
    printf("regenerate loop sum=%u\n", sum);

    /* 3. a function with an argument, called repeatedly so it gets hot, then
     *    patched */
    code[0] = 0xe0801000u; /* add r1, r0, r0 */
    code[1] = 0xe1a00001u; /* mov r0, r1     */
    code[2] = BX_LR;
    flush(code, 12);
    int acc = 0;
    for (int i = 0; i < 1000; i++)
        acc += ((fn1)code)(i);
    code[0] = 0xe0010090u; /* mul r1, r0, r0 */
    flush(code, 4);
    int acc2 = 0;
    for (int i = 0; i < 1000; i++)
        acc2 += ((fn1)code)(i);
    printf("hot then patched: double-sum=%d square-sum=%d\n", acc, acc2);

    /* 4. W^X: write while RW, execute while RX */
    uint32_t *wx = mmap(NULL, pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (wx == MAP_FAILED) {
        perror("mmap wx");
        return 1;
    }
    wx[0] = MOV_R0_IMM(7);
    wx[1] = BX_LR;
    flush(wx, 8);
    mprotect(wx, pagesz, PROT_READ | PROT_EXEC);
    int w1 = ((fn0)wx)();
    mprotect(wx, pagesz, PROT_READ | PROT_WRITE);
    wx[0] = MOV_R0_IMM(8);
    flush(wx, 8);
    mprotect(wx, pagesz, PROT_READ | PROT_EXEC);
    int w2 = ((fn0)wx)();
    printf("w^x: first=%d second=%d\n", w1, w2);

    /* 5. generated code that overwrites one of its own later instructions,
     *    then makes the cacheflush system call itself (r7 = 0xf0002) before
     *    falling through to the patched instruction. */
    uint32_t *sp = code;
    int i = 0;
    sp[i++] = 0xe92d4080u; /*  0: push {r7, lr}                              */
    sp[i++] = 0xe59f1024u; /*  4: ldr r1, [pc, #36]   -> word 12 (new insn)  */
    sp[i++] = 0xe58f1010u; /*  8: str r1, [pc, #16]   -> word 8              */
    sp[i++] = 0xe28f000cu; /* 12: add r0, pc, #12     -> r0 = &word 8        */
    sp[i++] = 0xe2801004u; /* 16: add r1, r0, #4                             */
    sp[i++] = 0xe3a02000u; /* 20: mov r2, #0                                 */
    sp[i++] = 0xe59f7014u; /* 24: ldr r7, [pc, #20]   -> word 13 (0xf0002)   */
    sp[i++] = 0xef000000u; /* 28: svc #0  (cacheflush)                       */
    sp[i++] = MOV_R0_IMM(1); /* 32: mov r0, #1  -- gets overwritten          */
    sp[i++] = 0xe8bd4080u; /* 36: pop {r7, lr}                               */
    sp[i++] = BX_LR;       /* 40: bx lr                                      */
    sp[i++] = 0;           /* 44: padding                                    */
    sp[i++] = MOV_R0_IMM(200); /* 48: replacement instruction                */
    sp[i++] = 0x000f0002u; /* 52: __ARM_NR_cacheflush                        */
    flush(sp, 4 * i);
    int s1 = ((fn0)sp)();
    int s2 = sp[8] == MOV_R0_IMM(200);
    sp[8] = MOV_R0_IMM(1); /* reset and run again: must patch again */
    flush(sp, 4 * i);
    int s3 = ((fn0)sp)();
    printf("self-patching code returned %d, patched=%d, again=%d\n", s1, s2, s3);

    /* 6. copy a function out of the program's own text and run the copy */
    size_t len = (size_t)(tmpl_end - tmpl_start);
    memcpy(code, tmpl_start, len);
    flush(code, len);
    printf("copied function (%zu bytes): f(12)=%d f(-3)=%d\n", len, ((fn1)code)(12), ((fn1)code)(-3));

    munmap(code, pagesz);
    munmap(wx, pagesz);
    return 0;
}
