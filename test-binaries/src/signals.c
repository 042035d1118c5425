/* signals: signal delivery and return (rt_sigreturn). Synchronous signals
 * from raise/kill, blocking and pending sets, a handler interrupted by another
 * signal, SIGSEGV (unmapped and write-protected) recovered with siglongjmp,
 * SIGILL from an undefined instruction, a handler on an alternate stack,
 * registers surviving a handler, and an interval timer interrupting both a
 * blocking sigsuspend and a pure busy loop (so the JIT must check for
 * pending signals inside loops). Output does not depend on timing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <setjmp.h>
#include <unistd.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/time.h>

static volatile sig_atomic_t got_usr1, got_usr2, got_alrm, order_pos;
static volatile int order[8];
static volatile int last_code, last_pid_ok;
static sigjmp_buf recover;
static volatile uintptr_t fault_addr;
static volatile int fault_code;
static char *altstack;
static volatile int on_altstack;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_usr1++;
    last_code = si->si_code;
    last_pid_ok = si->si_pid == getpid();
    if (order_pos < 8)
        order[order_pos++] = sig;
}

static void on_usr2(int sig)
{
    got_usr2++;
    if (order_pos < 8)
        order[order_pos++] = sig;
}

static void nest_usr1(int sig)
{
    if (order_pos < 8)
        order[order_pos++] = sig;
    raise(SIGUSR2); /* SIGUSR2 not blocked: runs nested, before we return */
    if (order_pos < 8)
        order[order_pos++] = -sig;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    fault_addr = (uintptr_t)si->si_addr;
    fault_code = si->si_code;
    siglongjmp(recover, sig);
}

static void on_alt(int sig)
{
    char probe;
    (void)sig;
    on_altstack = &probe >= altstack && &probe < altstack + 65536;
}

static void on_alrm(int sig)
{
    (void)sig;
    got_alrm++;
}

static void print_order(const char *label)
{
    printf("%s:", label);
    for (int i = 0; i < order_pos; i++)
        printf(" %s%s", order[i] < 0 ? "end-" : "", abs(order[i]) == SIGUSR1 ? "USR1" : abs(order[i]) == SIGUSR2 ? "USR2" : "?");
    printf("\n");
    order_pos = 0;
}

static int __attribute__((noinline)) work_across_signal(int seed)
{
    /* many live values across a signal delivery */
    int a = seed, b = seed * 3, c = seed + 11, d = seed ^ 0x5a5a, e = seed * seed, f = seed - 99, g = ~seed;
    raise(SIGUSR1);
    return a + b * 2 + c * 3 + d * 5 + e * 7 + f * 11 + g * 13;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2); /* so delivery order is fully defined */
    sigaction(SIGUSR1, &sa, NULL);
    struct sigaction sa2;
    memset(&sa2, 0, sizeof sa2);
    sa2.sa_handler = on_usr2;
    sigemptyset(&sa2.sa_mask);
    sigaddset(&sa2.sa_mask, SIGUSR1);
    sigaction(SIGUSR2, &sa2, NULL);

    /* 1. raise and kill */
    raise(SIGUSR1);
    printf("raise: usr1=%d si_code=%s pid_ok=%d\n", got_usr1, last_code == SI_TKILL ? "SI_TKILL" : last_code == SI_USER ? "SI_USER" : "other", last_pid_ok);
    kill(getpid(), SIGUSR1);
    printf("kill: usr1=%d si_code=%s pid_ok=%d\n", got_usr1, last_code == SI_USER ? "SI_USER" : last_code == SI_TKILL ? "SI_TKILL" : "other", last_pid_ok);
    order_pos = 0;

    /* 2. blocked signals stay pending, then are delivered on unblock */
    sigset_t block, pend, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR2);
    raise(SIGUSR1);
    raise(SIGUSR1); /* standard signals do not queue */
    sigpending(&pend);
    printf("pending: usr1=%d usr2=%d delivered so far=%d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2), order_pos);
    sigprocmask(SIG_SETMASK, &old, NULL);
    print_order("after unblock");
    printf("usr1 total=%d usr2 total=%d\n", got_usr1, got_usr2);

    /* 3. nested delivery (SIGUSR2 not blocked in this handler) */
    signal(SIGUSR1, nest_usr1);
    raise(SIGUSR1);
    print_order("nested");

    /* 4. values survive a signal handler */
    sa.sa_sigaction = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    printf("work across signal: %d %d\n", work_across_signal(5), work_across_signal(1234));

    /* 5. SIGSEGV: unmapped address, then write to a read-only page */
    struct sigaction fa;
    memset(&fa, 0, sizeof fa);
    fa.sa_sigaction = on_fault;
    fa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &fa, NULL);
    sigaction(SIGBUS, &fa, NULL);
    sigaction(SIGILL, &fa, NULL);
    int sig = sigsetjmp(recover, 1);
    if (sig == 0) {
        int *volatile bad = (int *)0x10;
        *bad = 1;
        printf("no fault?\n");
    } else {
        printf("fault 1: sig=%s addr=%#lx code=%s\n", sig == SIGSEGV ? "SIGSEGV" : "other", (unsigned long)fault_addr, fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other");
    }
    long pg = sysconf(_SC_PAGESIZE);
    char *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    sig = sigsetjmp(recover, 1);
    if (sig == 0) {
        ((volatile char *)ro)[100] = 1;
        printf("no fault?\n");
    } else {
        printf("fault 2: sig=%s offset=%ld code=%s\n", sig == SIGSEGV ? "SIGSEGV" : "other", (long)(fault_addr - (uintptr_t)ro), fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other");
    }
    /* the mask was restored by siglongjmp: SIGSEGV is deliverable again */
    sig = sigsetjmp(recover, 1);
    if (sig == 0) {
        ((volatile char *)ro)[200] = 1;
    } else {
        printf("fault 3: sig=%s offset=%ld\n", sig == SIGSEGV ? "SIGSEGV" : "other", (long)(fault_addr - (uintptr_t)ro));
    }
    munmap(ro, pg);

    /* 6. SIGILL from a permanently undefined instruction */
    sig = sigsetjmp(recover, 1);
    if (sig == 0) {
        __asm__ volatile(".word 0xe7f000f0"); /* UDF #0 */
        printf("no SIGILL?\n");
    } else {
        printf("undefined instruction: sig=%s\n", sig == SIGILL ? "SIGILL" : "other");
    }

    /* 7. alternate signal stack */
    altstack = malloc(65536);
    stack_t ss = { .ss_sp = altstack, .ss_size = 65536, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    struct sigaction aa;
    memset(&aa, 0, sizeof aa);
    aa.sa_handler = on_alt;
    aa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &aa, NULL);
    raise(SIGUSR2);
    printf("handler ran on alternate stack: %s\n", on_altstack ? "yes" : "no");

    /* 8. interval timer: blocking wait, then a busy loop */
    signal(SIGALRM, on_alrm);
    sigset_t alrm, prev;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alrm, &prev);
    struct itimerval it = { { 0, 0 }, { 0, 20000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    sigset_t wait_mask = prev;
    sigdelset(&wait_mask, SIGALRM);
    while (!got_alrm)
        sigsuspend(&wait_mask);
    sigprocmask(SIG_SETMASK, &prev, NULL);
    printf("sigsuspend woke by SIGALRM: %d\n", got_alrm);

    got_alrm = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    volatile unsigned long spins = 0;
    while (!got_alrm)
        spins++;
    printf("busy loop interrupted by SIGALRM: %d (spun: %s)\n", got_alrm, spins > 0 ? "yes" : "no");

    /* 9. ignored signal, and SIG_DFL for a default-ignore signal */
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    signal(SIGCHLD, SIG_DFL);
    raise(SIGCHLD);
    printf("ignored signals: survived\n");
    return 0;
}
