/* signals2: the parts of signal delivery a handler can observe beyond signals.c.
 * Handlers in Thumb and in ARM state (the armhf build is Thumb; one handler is forced to
 * ARM), installed through the raw rt_sigaction syscall without SA_RESTORER so they return
 * through the kernel's own sigreturn trampolines (all four: ARM/Thumb x sigframe/rt).
 * The ucontext a SA_SIGINFO handler gets: uc_sigmask, uc_stack on an alternate stack, the
 * VFP save area (magic and size) in uc_regspace, and a register changed in uc_mcontext
 * coming back after rt_sigreturn. SA_RESTART against EINTR for a read on an empty pipe,
 * EINTR from nanosleep, SA_NODEFER, SA_RESETHAND, sigqueue values, sigtimedwait (a
 * pending blocked signal, and the timeout), alarm's remaining time. Output does not depend
 * on timing. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int hits, depth, max_depth, last_sig;
static volatile long seen_value;
static volatile unsigned long seen_magic, seen_size, seen_ss_flags, seen_mask_has_self;
static int pipefd[2];

/* The kernel's struct sigaction for rt_sigaction: no SA_RESTORER, so the kernel's trampoline returns. */
struct ksigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask[2];
};

static int raw_sigaction(int sig, void *handler, unsigned long flags)
{
    struct ksigaction k = { handler, flags, 0, { 0, 0 } };
    return syscall(SYS_rt_sigaction, sig, &k, NULL, 8);
}

static void thumb_plain(int sig) { hits++; last_sig = sig; }
static void thumb_info(int sig, siginfo_t *si, void *uc) { (void)uc; hits++; last_sig = sig; seen_value = si->si_code; }
__attribute__((target("arm"))) static void arm_plain(int sig) { hits++; last_sig = sig; }
__attribute__((target("arm"))) static void arm_info(int sig, siginfo_t *si, void *uc) { (void)uc; hits++; last_sig = sig; seen_value = si->si_code; }

static void inspect_uc(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)si;
    unsigned long *regspace = (unsigned long *)uc->uc_regspace;
    seen_magic = regspace[0];
    seen_size = regspace[1];
    seen_ss_flags = uc->uc_stack.ss_flags;
    seen_mask_has_self = sigismember(&uc->uc_sigmask, sig);
    hits++;
}

static void bump_r0(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)sig; (void)si;
    uc->uc_mcontext.arm_r0 = 4242; /* the interrupted syscall's result, as rt_sigreturn restores it */
}

static void feed_pipe(int sig) { (void)sig; hits++; if (write(pipefd[1], "x", 1) != 1) _exit(9); }

static volatile int calls;

static void nodefer(int sig)
{
    depth++;
    if (depth > max_depth) max_depth = depth;
    if (++calls < 3) raise(sig);
    depth--;
}

static void on_value(int sig, siginfo_t *si, void *uc) { (void)sig; (void)uc; seen_value = si->si_value.sival_int; hits++; }

/* How long the blocking calls below wait for SIGALRM: the timer must not fire before the
 * call blocks, or pause() waits for ever (as on Linux). 10 ms was too short for an
 * emulator on a loaded CI machine (a dynamically linked run hung there once). */
#define BLOCKED_USEC 200000

static void arm_alarm(long usec)
{
    struct itimerval it = { { 0, 0 }, { 0, usec } };
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    /* 1. the kernel's trampolines: Thumb and ARM handlers, with and without SA_SIGINFO */
    struct { const char *name; void *fn; unsigned long flags; } tramp[] = {
        { "thumb sigframe", (void *)thumb_plain, 0 },
        { "thumb rt_sigframe", (void *)thumb_info, SA_SIGINFO },
        { "arm sigframe", (void *)arm_plain, 0 },
        { "arm rt_sigframe", (void *)arm_info, SA_SIGINFO },
    };
    for (unsigned i = 0; i < sizeof tramp / sizeof tramp[0]; i++) {
        hits = 0;
        seen_value = 99;
        raw_sigaction(SIGUSR1, tramp[i].fn, tramp[i].flags);
        raise(SIGUSR1);
        raise(SIGUSR1);
        printf("%s: handler bit0=%lu hits=%d sig=%d code=%ld\n", tramp[i].name, (unsigned long)tramp[i].fn & 1, hits, last_sig, seen_value);
    }

    /* 2. what a SA_SIGINFO handler sees in its ucontext, on an alternate stack */
    stack_t ss = { .ss_sp = malloc(65536), .ss_size = 65536, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = inspect_uc;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("ucontext: vfp magic=%#lx size=%lu ss_flags=%lu mask has signal=%lu\n", seen_magic, seen_size, seen_ss_flags, seen_mask_has_self);
    stack_t cur;
    sigaltstack(NULL, &cur);
    printf("sigaltstack after: flags=%d size=%zu\n", cur.ss_flags, cur.ss_size);

    /* 3. a register changed in uc_mcontext comes back: the result of the interrupted pause() */
    sa.sa_sigaction = bump_r0;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);
    arm_alarm(BLOCKED_USEC);
    long r = syscall(SYS_pause);
    printf("pause returned %ld\n", r);

    /* 4. SA_RESTART: a read on an empty pipe survives the handler; without it, EINTR */
    if (pipe(pipefd) != 0) return 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = feed_pipe;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    char c = 0;
    arm_alarm(BLOCKED_USEC);
    ssize_t n = read(pipefd[0], &c, 1);
    printf("read with SA_RESTART: n=%zd c=%c\n", n, c);
    sa.sa_flags = 0;
    sigaction(SIGALRM, &sa, NULL);
    arm_alarm(BLOCKED_USEC);
    errno = 0;
    n = read(pipefd[0], &c, 1);
    printf("read without SA_RESTART: n=%zd errno=%s\n", n, errno == EINTR ? "EINTR" : strerror(errno));
    n = read(pipefd[0], &c, 1);
    printf("byte the handler wrote: n=%zd c=%c\n", n, c);

    /* 5. nanosleep interrupted: EINTR even with SA_RESTART */
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    arm_alarm(BLOCKED_USEC);
    struct timespec ts = { 5, 0 }, rem = { 0, 0 };
    errno = 0;
    int s = nanosleep(&ts, &rem);
    printf("nanosleep: %d errno=%s rem<5s=%d\n", s, errno == EINTR ? "EINTR" : strerror(errno), rem.tv_sec < 5);
    n = read(pipefd[0], &c, 1);

    /* 6. SA_NODEFER lets the handler be interrupted by its own signal */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nodefer;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_NODEFER nesting depth: %d\n", max_depth);
    max_depth = 0;
    calls = 0;
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("deferred nesting depth: %d after %d calls\n", max_depth, calls);

    /* 7. SA_RESETHAND: one delivery, then the default action is back */
    sa.sa_handler = thumb_plain;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    hits = 0;
    raise(SIGUSR2);
    struct sigaction now;
    sigaction(SIGUSR2, NULL, &now);
    printf("SA_RESETHAND: hits=%d now default=%d\n", hits, now.sa_handler == SIG_DFL);

    /* 8. sigqueue carries a value */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_value;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN + 1, &sa, NULL);
    union sigval v = { .sival_int = 31337 };
    sigqueue(getpid(), SIGRTMIN + 1, v);
    printf("sigqueue value: %ld\n", seen_value);

    /* 9. sigtimedwait: takes a blocked pending signal, then times out */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    siginfo_t info;
    struct timespec zero = { 0, 0 }, short_wait = { 0, 20000000 };
    int got = sigtimedwait(&set, &info, &zero);
    printf("sigtimedwait: sig=%d code=%s\n", got, info.si_code == SI_TKILL ? "SI_TKILL" : "other");
    errno = 0;
    got = sigtimedwait(&set, &info, &short_wait);
    printf("sigtimedwait timeout: %d errno=%s\n", got, errno == EAGAIN ? "EAGAIN" : strerror(errno));

    /* 10. alarm reports the seconds left of the previous alarm */
    alarm(100);
    unsigned left = alarm(0);
    printf("alarm left: %u\n", left);
    return 0;
}
