/* setjmp_longjmp: nested setjmp/longjmp, callee-saved register restoration,
 * longjmp(env, 0) turning into 1, and sigsetjmp/siglongjmp with a mask. */
#include <stdio.h>
#include <setjmp.h>
#include <signal.h>

static jmp_buf outer, inner;
static int depth_reached;

static void __attribute__((noinline)) dive(int depth)
{
    volatile int local[16];
    for (int i = 0; i < 16; i++)
        local[i] = depth * 100 + i;
    depth_reached = depth;
    if (depth == 10)
        longjmp(inner, depth + local[5]);
    if (depth < 1000)
        dive(depth + 1);
}

static int __attribute__((noinline)) level2(void)
{
    int r = setjmp(inner);
    if (r == 0) {
        dive(0);
        return -1;
    }
    printf("inner setjmp returned %d (depth %d)\n", r, depth_reached);
    longjmp(outer, r * 2);
}

static int __attribute__((noinline)) compute(int seed)
{
    /* keep many values live across a setjmp so callee-saved registers matter */
    register int a = seed + 1, b = seed * 3, c = seed ^ 0x55, d = seed - 7, e = seed << 2, f = seed | 0x100;
    jmp_buf env;
    volatile int stage = 0;
    if (setjmp(env) == 0) {
        stage = 1;
        a += 1; /* may or may not be visible after longjmp; not printed */
        longjmp(env, 0);
    }
    stage++;
    return stage * 1000 + ((b + c + d + e + f) & 0xfff);
    (void)a;
}

int main(void)
{
    volatile int counter = 0;
    int r = setjmp(outer);
    counter++;
    if (r == 0) {
        printf("outer setjmp first return 0\n");
        level2();
        printf("not reached\n");
    } else {
        printf("outer setjmp returned %d, counter=%d\n", r, counter);
    }

    printf("compute(5)=%d compute(77)=%d\n", compute(5), compute(77));

    /* longjmp(env, 0) must make setjmp return 1 */
    jmp_buf z;
    volatile int times = 0;
    int zr = setjmp(z);
    times++;
    if (times < 3)
        longjmp(z, 0);
    printf("setjmp after longjmp(0) returned %d, times=%d\n", zr, times);

    /* a loop built from longjmp */
    jmp_buf loop;
    volatile int i = 0;
    volatile unsigned sum = 0;
    setjmp(loop);
    if (i < 100) {
        sum += i * i;
        i++;
        longjmp(loop, 1);
    }
    printf("longjmp loop sum=%u\n", sum);

    /* sigsetjmp with mask saving */
    sigjmp_buf sj;
    sigset_t set, cur;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    if (sigsetjmp(sj, 1) == 0) {
        sigprocmask(SIG_BLOCK, &set, NULL);
        sigprocmask(SIG_BLOCK, NULL, &cur);
        printf("before siglongjmp SIGUSR1 blocked=%d\n", sigismember(&cur, SIGUSR1));
        siglongjmp(sj, 7);
    }
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("after siglongjmp SIGUSR1 blocked=%d\n", sigismember(&cur, SIGUSR1));
    return 0;
}
