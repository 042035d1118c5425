/* io_events: readiness and event files. select/pselect (timeouts written back, EBADF,
 * EINTR with a pselect mask), poll on the new files, eventfd (counter, EFD_SEMAPHORE,
 * EFD_NONBLOCK, overflow), timerfd (one-shot, interval, TFD_TIMER_ABSTIME, gettime),
 * signalfd (kill and sigqueue info, real-time queueing, mask update), epoll (level- and
 * edge-triggered, one-shot, ready-list order, maxevents, errors, EPOLLHUP, nesting in poll,
 * epoll_pwait EINTR). Blocking calls are woken by a second thread. Only deterministic
 * facts are printed (no times, no pids). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void check(const char *what, long got, long want)
{
    if (got == want)
        printf("%s: ok\n", what);
    else
        printf("%s: got %ld want %ld (errno %d)\n", what, got, want, errno);
}

static void check_err(const char *what, long r, int err)
{
    if (r == -1 && errno == err)
        printf("%s: errno %d ok\n", what, err);
    else
        printf("%s: got %ld errno %d, want errno %d\n", what, r, errno, err);
}

static void msleep(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* A helper thread: sleeps, then runs one action. */
struct delayed {
    int ms;
    void (*fn)(void *);
    void *arg;
};

static void *delayed_main(void *p)
{
    struct delayed *d = p;
    msleep(d->ms);
    d->fn(d->arg);
    return NULL;
}

static pthread_t later(struct delayed *d)
{
    pthread_t t;
    pthread_create(&t, NULL, delayed_main, d);
    return t;
}

static void write_byte(void *arg)
{
    int fd = *(int *)arg;
    if (write(fd, "x", 1) != 1)
        abort();
}

static void efd_add(void *arg)
{
    uint64_t v = 5;
    if (write(*(int *)arg, &v, 8) != 8)
        abort();
}

static void kill_usr1(void *arg)
{
    (void)arg;
    kill(getpid(), SIGUSR1);
}

static volatile sig_atomic_t handled;
static void on_signal(int sig)
{
    (void)sig;
    handled++;
}

static void test_select(void)
{
    int p[2];
    pipe(p);
    fd_set r, w;
    struct timeval tv = { 0, 0 };
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    check("select empty pipe, zero timeout", select(p[0] + 1, &r, NULL, NULL, &tv), 0);
    check("select cleared the set", FD_ISSET(p[0], &r), 0);

    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv.tv_sec = 0;
    tv.tv_usec = 30000;
    check("select times out", select(p[0] + 1, &r, NULL, NULL, &tv), 0);
    check("select wrote back the time left", tv.tv_sec == 0 && tv.tv_usec == 0, 1);

    write(p[1], "ab", 2);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &r);
    FD_SET(p[1], &w);
    check("select read+write ready", select(p[1] + 1, &r, &w, NULL, NULL), 2);
    check("  read end readable", FD_ISSET(p[0], &r) != 0, 1);
    check("  write end not readable", FD_ISSET(p[1], &r) != 0, 0);
    check("  write end writable", FD_ISSET(p[1], &w) != 0, 1);
    char buf[4];
    read(p[0], buf, 2);

    /* blocking select woken by another thread */
    struct delayed d = { 30, write_byte, &p[1] };
    pthread_t t = later(&d);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    check("select woken by a thread's write", select(p[0] + 1, &r, NULL, NULL, NULL), 1);
    pthread_join(t, NULL);
    read(p[0], buf, 1);

    FD_ZERO(&r);
    FD_SET(40, &r);
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    check_err("select on a closed fd", select(41, &r, NULL, NULL, &tv), EBADF);
    check_err("select with nfds < 0", select(-1, NULL, NULL, NULL, &tv), EINVAL);

    /* pselect: the mask unblocks a pending signal, the handler runs, EINTR */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, empty, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR1);
    handled = 0;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timespec ts = { 5, 0 };
    check_err("pselect EINTR", pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty), EINTR);
    check("  handler ran once", handled, 1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    check("  mask restored", sigismember(&now, SIGUSR1), 1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(p[0]);
    close(p[1]);
}

static void test_eventfd(void)
{
    uint64_t v;
    int e = eventfd(3, 0);
    check("eventfd read initial value", read(e, &v, 8), 8);
    check("  value", (long)v, 3);
    v = 2;
    write(e, &v, 8);
    v = 5;
    write(e, &v, 8);
    read(e, &v, 8);
    check("eventfd writes add up", (long)v, 7);
    check_err("eventfd short read", read(e, &v, 4), EINVAL);
    v = UINT64_MAX;
    check_err("eventfd write of 2^64-1", write(e, &v, 8), EINVAL);

    struct pollfd pf = { e, POLLIN | POLLOUT, 0 };
    check("poll empty eventfd", poll(&pf, 1, 0), 1);
    check("  revents", pf.revents, POLLOUT);
    v = 1;
    write(e, &v, 8);
    poll(&pf, 1, 0);
    check("  revents after write", pf.revents, POLLIN | POLLOUT);
    read(e, &v, 8);

    /* blocking read woken by another thread */
    struct delayed d = { 30, efd_add, &e };
    pthread_t t = later(&d);
    check("eventfd blocking read", read(e, &v, 8), 8);
    check("  value from the thread", (long)v, 5);
    pthread_join(t, NULL);
    close(e);

    int s = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
    long total = 0;
    for (int i = 0; i < 3; i++) {
        read(s, &v, 8);
        total += (long)v;
    }
    check("semaphore reads 1 each time", total, 3);
    check_err("semaphore empty, nonblocking", read(s, &v, 8), EAGAIN);
    v = UINT64_MAX - 1;
    check("eventfd write to the maximum", write(s, &v, 8), 8);
    pf.fd = s;
    pf.events = POLLOUT;
    check("  full counter is not writable", poll(&pf, 1, 0), 0);
    v = 1;
    check_err("  overflowing write, nonblocking", write(s, &v, 8), EAGAIN);
    check("  F_GETFL has O_NONBLOCK", (fcntl(s, F_GETFL) & O_NONBLOCK) != 0, 1);
    close(s);
    check_err("eventfd bad flags", eventfd(0, 0x4), EINVAL);
    int c = eventfd(0, EFD_CLOEXEC);
    check("EFD_CLOEXEC sets FD_CLOEXEC", fcntl(c, F_GETFD), FD_CLOEXEC);
    close(c);
}

static void test_timerfd(void)
{
    uint64_t n;
    struct itimerspec its, cur;
    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    timerfd_gettime(t, &cur);
    check("timerfd disarmed", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, 1);

    memset(&its, 0, sizeof its);
    its.it_value.tv_nsec = 100 * 1000000;
    check("timerfd_settime one-shot", timerfd_settime(t, 0, &its, NULL), 0);
    struct pollfd pf = { t, POLLIN, 0 };
    check("  not expired yet", poll(&pf, 1, 0), 0);
    check("  blocking read", read(t, &n, 8), 8);
    check("  one expiration", (long)n, 1);
    timerfd_gettime(t, &cur);
    check("  disarmed after expiring", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, 1);

    its.it_interval.tv_nsec = 10 * 1000000;
    its.it_value.tv_nsec = 10 * 1000000;
    timerfd_settime(t, 0, &its, NULL);
    timerfd_gettime(t, &cur);
    check("interval timer: interval reads back", cur.it_interval.tv_nsec, 10 * 1000000);
    check("  time left within the first period", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 10 * 1000000, 1);
    msleep(65);
    read(t, &n, 8);
    check("  several expirations counted", n >= 3, 1);
    read(t, &n, 8);
    check("  next read blocks until one more", n >= 1, 1);
    memset(&its, 0, sizeof its);
    struct itimerspec old;
    timerfd_settime(t, 0, &its, &old);
    check("  disarm returns the old interval", old.it_interval.tv_nsec, 10 * 1000000);
    close(t);

    t = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    check_err("nonblocking read before expiry", read(t, &n, 8), EAGAIN);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    memset(&its, 0, sizeof its);
    its.it_value = now;
    its.it_value.tv_nsec += 20 * 1000000;
    if (its.it_value.tv_nsec >= 1000000000) {
        its.it_value.tv_sec++;
        its.it_value.tv_nsec -= 1000000000;
    }
    check("TFD_TIMER_ABSTIME on CLOCK_REALTIME", timerfd_settime(t, TFD_TIMER_ABSTIME, &its, NULL), 0);
    pf.fd = t;
    check("  poll waits for it", poll(&pf, 1, 1000), 1);
    check("  read", read(t, &n, 8), 8);
    check("  one expiration", (long)n, 1);
    its.it_value.tv_sec = 1;
    check("absolute time in the past expires at once", timerfd_settime(t, TFD_TIMER_ABSTIME, &its, NULL), 0);
    check("  read", read(t, &n, 8), 8);
    check_err("timerfd short read", read(t, &n, 4), EINVAL);
    close(t);

    check_err("timerfd bad clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
    check_err("timerfd bad flags", timerfd_create(CLOCK_MONOTONIC, 1), EINVAL);
    t = timerfd_create(CLOCK_MONOTONIC, 0);
    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = 1000000000;
    check_err("timerfd_settime bad nsec", timerfd_settime(t, 0, &its, NULL), EINVAL);
    int e = eventfd(0, 0);
    its.it_value.tv_nsec = 1;
    check_err("timerfd_settime on an eventfd", timerfd_settime(e, 0, &its, NULL), EINVAL);
    check_err("timerfd_gettime on a closed fd", timerfd_gettime(77, &cur), EBADF);
    close(e);
    close(t);
}

static void test_signalfd(void)
{
    sigset_t mask, old;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &mask, &old);
    int s = signalfd(-1, &mask, SFD_NONBLOCK);
    struct signalfd_siginfo si[4];
    check_err("signalfd nothing pending", read(s, si, sizeof si), EAGAIN);
    check_err("signalfd short buffer", read(s, si, 100), EINVAL);

    kill(getpid(), SIGUSR2);
    union sigval val = { .sival_int = 42 };
    sigqueue(getpid(), SIGUSR1, val);
    struct pollfd pf = { s, POLLIN, 0 };
    check("poll sees pending signals", poll(&pf, 1, 0), 1);
    check("read two siginfos", read(s, si, sizeof si), 2 * (long)sizeof si[0]);
    check("  first is SIGUSR1", si[0].ssi_signo, SIGUSR1);
    check("  from sigqueue", si[0].ssi_code, SI_QUEUE);
    check("  with its value", si[0].ssi_int, 42);
    check("  sender pid", si[0].ssi_pid == (uint32_t)getpid(), 1);
    check("  then SIGUSR2", si[1].ssi_signo, SIGUSR2);
    check("  from kill", si[1].ssi_code, SI_USER);
    check("  sender uid", si[1].ssi_uid == getuid(), 1);
    check("consumed: nothing pending", poll(&pf, 1, 0), 0);

    val.sival_int = 1;
    sigqueue(getpid(), SIGRTMIN, val);
    val.sival_int = 2;
    sigqueue(getpid(), SIGRTMIN, val);
    check("real-time signals queue: one per read", read(s, si, sizeof si[0]), sizeof si[0]);
    check("  first value", si[0].ssi_int, 1);
    read(s, si, sizeof si[0]);
    check("  second value", si[0].ssi_int, 2);

    /* mask update: SIGUSR2 only */
    sigset_t only2;
    sigemptyset(&only2);
    sigaddset(&only2, SIGUSR2);
    check("signalfd mask update returns the fd", signalfd(s, &only2, 0), s);
    kill(getpid(), SIGUSR1);
    check_err("  SIGUSR1 no longer read", read(s, si, sizeof si), EAGAIN);
    sigset_t pending;
    sigpending(&pending);
    check("  but still pending", sigismember(&pending, SIGUSR1), 1);
    int sig;
    sigwait(&mask, &sig);
    check("  sigwait takes it", sig, SIGUSR1);
    close(s);

    /* blocking read woken by a signal another thread sends */
    s = signalfd(-1, &mask, SFD_CLOEXEC);
    struct delayed d = { 30, kill_usr1, NULL };
    pthread_t t = later(&d);
    check("blocking signalfd read", read(s, si, sizeof si), sizeof si[0]);
    check("  SIGUSR1", si[0].ssi_signo, SIGUSR1);
    pthread_join(t, NULL);
    close(s);
    check_err("signalfd bad size", signalfd(-1, &mask, 4), EINVAL);
    int e = eventfd(0, 0);
    check_err("signalfd on an eventfd", signalfd(e, &mask, 0), EINVAL);
    close(e);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static int ep_wait(int ep, struct epoll_event *ev, int max, int timeout)
{
    memset(ev, 0, sizeof *ev * max);
    return epoll_wait(ep, ev, max, timeout);
}

static void test_epoll(void)
{
    struct epoll_event ev, out[4];
    printf("sizeof(struct epoll_event) = %d\n", (int)sizeof(struct epoll_event));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    check("epoll_create1 EPOLL_CLOEXEC", fcntl(ep, F_GETFD), FD_CLOEXEC);
    int p[2];
    pipe(p);
    ev.events = EPOLLIN;
    ev.data.u64 = 0x1122334455667788ULL;
    check("epoll_ctl ADD pipe", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0);
    check("nothing ready", ep_wait(ep, out, 4, 0), 0);
    write(p[1], "x", 1);
    check("pipe readable", ep_wait(ep, out, 4, 0), 1);
    check("  events", out[0].events, EPOLLIN);
    check("  data", out[0].data.u64 == 0x1122334455667788ULL, 1);
    check("level-triggered: again", ep_wait(ep, out, 4, 0), 1);
    check_err("ADD twice", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);

    /* one-shot */
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u32 = 7;
    check("MOD to one-shot", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0);
    check("  reported once", ep_wait(ep, out, 4, 0), 1);
    check("  data", out[0].data.u32, 7);
    check("  then disabled", ep_wait(ep, out, 4, 0), 0);
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    check("  re-armed by MOD", ep_wait(ep, out, 4, 0), 1);
    check("DEL", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), 0);
    check_err("DEL again", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
    check_err("MOD missing", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT);

    /* edge-triggered */
    int e = eventfd(0, EFD_NONBLOCK);
    ev.events = EPOLLIN | EPOLLET;
    ev.data.fd = e;
    epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
    check("ET: nothing yet", ep_wait(ep, out, 4, 0), 0);
    uint64_t v = 1;
    write(e, &v, 8);
    check("ET: one event per write", ep_wait(ep, out, 4, 0), 1);
    check("  fd in data", out[0].data.fd, e);
    check("ET: not again without a new write", ep_wait(ep, out, 4, 0), 0);
    write(e, &v, 8);
    check("ET: a new write, a new event", ep_wait(ep, out, 4, 0), 1);
    epoll_ctl(ep, EPOLL_CTL_DEL, e, NULL);
    read(e, &v, 8);

    /* ready-list order and maxevents */
    int a = eventfd(0, 0), b = eventfd(0, 0);
    ev.events = EPOLLIN;
    ev.data.u32 = 'a';
    epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev);
    ev.data.u32 = 'b';
    epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev);
    write(b, &v, 8);
    write(a, &v, 8);
    int n = ep_wait(ep, out, 4, 0);
    printf("order: %d events:", n);
    for (int i = 0; i < n; i++)
        printf(" %c", (char)out[i].data.u32);
    printf("\n");
    printf("maxevents 1:");
    for (int i = 0; i < 4; i++) {
        ep_wait(ep, out, 1, 0);
        printf(" %c", (char)out[0].data.u32);
    }
    printf("\n");
    epoll_ctl(ep, EPOLL_CTL_DEL, a, NULL);
    epoll_ctl(ep, EPOLL_CTL_DEL, b, NULL);

    /* closing the only fd of a watched file removes it */
    ev.data.u32 = 'b';
    epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev);
    close(b);
    check("closed fd is dropped", ep_wait(ep, out, 4, 0), 0);
    close(a);

    /* EPOLLHUP when the write end closes */
    ev.events = EPOLLIN;
    ev.data.u32 = 1;
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    char c;
    read(p[0], &c, 1);
    close(p[1]);
    check("write end closed", ep_wait(ep, out, 4, 0), 1);
    check("  EPOLLHUP", out[0].events, EPOLLHUP);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
    close(p[0]);

    /* blocking wait on a timerfd, the epoll fd itself in poll */
    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    ev.events = EPOLLIN;
    ev.data.u32 = 99;
    epoll_ctl(ep, EPOLL_CTL_ADD, t, &ev);
    struct pollfd pf = { ep, POLLIN, 0 };
    check("poll on an idle epoll fd", poll(&pf, 1, 0), 0);
    struct itimerspec its = { { 0, 0 }, { 0, 30 * 1000000 } };
    timerfd_settime(t, 0, &its, NULL);
    check("poll on the epoll fd waits for the timer", poll(&pf, 1, 2000), 1);
    check("epoll_wait -1 sees the timer", ep_wait(ep, out, 4, -1), 1);
    check("  data", out[0].data.u32, 99);
    uint64_t ticks;
    read(t, &ticks, 8);
    check("drained: nothing ready", ep_wait(ep, out, 4, 0), 0);

    /* a thread's write wakes a blocked epoll_wait */
    int q = eventfd(0, 0);
    ev.data.u32 = 5;
    epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev);
    struct delayed d = { 30, efd_add, &q };
    pthread_t th = later(&d);
    check("epoll_wait woken by a thread", ep_wait(ep, out, 4, 5000), 1);
    check("  data", out[0].data.u32, 5);
    pthread_join(th, NULL);
    read(q, &v, 8);

    /* errors */
    int f = open("/proc/self/exe", O_RDONLY);
    check_err("regular file", epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev), EPERM);
    close(f);
    check_err("epoll in itself", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
    check_err("epoll_ctl on a non-epoll fd", epoll_ctl(q, EPOLL_CTL_ADD, ep, &ev), EINVAL);
    check_err("bad op", epoll_ctl(ep, 9, q, &ev), EINVAL);
    check_err("maxevents 0", epoll_wait(ep, out, 0, 0), EINVAL);
    check_err("epoll_wait on an eventfd", epoll_wait(q, out, 1, 0), EINVAL);
    check_err("epoll_create size 0", epoll_create(0), EINVAL);
    check_err("epoll_create1 bad flags", epoll_create1(1), EINVAL);

    /* epoll_pwait: the mask lets a pending signal in */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t block, empty, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR2);
    handled = 0;
    check_err("epoll_pwait EINTR", epoll_pwait(ep, out, 4, 5000, &empty), EINTR);
    check("  handler ran", handled, 1);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* nested: an epoll fd inside another */
    int outer = epoll_create(1);
    ev.events = EPOLLIN;
    ev.data.u32 = 1234;
    check("nest an epoll fd", epoll_ctl(outer, EPOLL_CTL_ADD, ep, &ev), 0);
    check_err("  and back: a loop", epoll_ctl(ep, EPOLL_CTL_ADD, outer, &ev), ELOOP);
    check("  inner idle", ep_wait(outer, out, 4, 0), 0);
    write(q, &v, 8);
    check("  inner ready", ep_wait(outer, out, 4, 0), 1);
    check("  data", out[0].data.u32, 1234);
    close(outer);
    close(q);
    close(t);
    close(ep);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_select();
    test_eventfd();
    test_timerfd();
    test_signalfd();
    test_epoll();
    printf("done\n");
    return 0;
}
