/* procfs: what a program learns about itself from /proc, and POSIX timers.
 * /proc/self/maps (every line well-formed; the lines holding main, a global, a local on the
 * stack, a file mapping, an anonymous mapping split by mprotect and gone after munmap),
 * /proc/self/cmdline and /proc/<pid>/cmdline, readlink of /proc/self/exe and
 * /proc/self/fd/N (a file, a pipe, stdout, a closed fd), the /proc/self/fd listing,
 * /proc/self/auxv against getauxval, /proc/self/stat (pid, comm, ppid, start_stack).
 * Timers: SIGEV_SIGNAL with a sigev_value (si_code SI_TIMER), a periodic timer piling up
 * overruns while its signal is blocked, timer_gettime, SIGEV_NONE, SIGEV_THREAD (glibc's
 * helper thread: SIGEV_THREAD_ID underneath), errors.
 * Only what is the same under qemu-arm and the kernel is printed: qemu-arm 7.2 lists its
 * own host fds in /proc/self/fd and lays memory out differently, so the output names
 * properties, not addresses.
 * With argument "robust": robust mutexes whose owner thread exits (EOWNERDEAD), which
 * qemu-arm 7.2 does not support (set_robust_list is ENOSYS there; the waiter hangs).
 * With argument "kernel": what the kernel shows and qemu-arm 7.2 does not (it passes these
 * through from its own host process): the stat state letter, comm after PR_SET_NAME, the
 * exact /proc/self/fd listing, [heap] and [vectors] in maps, an ARM /proc/cpuinfo.
 * test-binaries/procfs.test.ts checks both modes against the kernel's behaviour. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static char maps[1 << 16];
static int initialized_global = 42;

static void read_file(const char *path, char *buf, size_t size, size_t *len)
{
    int fd = open(path, O_RDONLY);
    *len = 0;
    if (fd < 0) {
        printf("open %s: %s\n", path, strerror(errno));
        return;
    }
    ssize_t n;
    /* small reads: the file must read the same in pieces */
    while (*len < size - 1 && (n = read(fd, buf + *len, 1000 < size - 1 - *len ? 1000 : size - 1 - *len)) > 0)
        *len += n;
    buf[*len] = 0;
    close(fd);
}

static void load_maps(void)
{
    size_t len;
    read_file("/proc/self/maps", maps, sizeof maps, &len);
}

/* The maps line whose range holds `a` (copied to `line`), or 0. */
static int line_for(unsigned long a, char *line, size_t size)
{
    char *p = maps;
    while (*p) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        unsigned long lo, hi;
        if (sscanf(p, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi) {
            if (n >= size) n = size - 1;
            memcpy(line, p, n);
            line[n] = 0;
            return 1;
        }
        p += n + (nl ? 1 : 0);
    }
    return 0;
}

static const char *base_name(const char *s)
{
    const char *slash = strrchr(s, '/');
    return slash ? slash + 1 : s;
}

/* "perms offset name" of the line for `a` (name: basename of a path, or [..] as is). */
static void describe(const char *what, unsigned long a)
{
    char line[512], perms[8] = "", dev[16] = "", name[400] = "";
    unsigned long lo, hi, off, inode;
    if (!line_for(a, line, sizeof line)) {
        printf("%s: no line\n", what);
        return;
    }
    int n = sscanf(line, "%lx-%lx %7s %lx %15s %lu %399[^\n]", &lo, &hi, perms, &off, dev, &inode, name);
    const char *nm = n == 7 ? name + strspn(name, " ") : "";
    printf("%s: %s offset=%lx name=%s inode=%s\n", what, perms, off, nm[0] == '[' ? nm : base_name(nm), inode ? "nonzero" : "0");
}

static int well_formed(void)
{
    int lines = 0;
    char *p = maps;
    while (*p) {
        unsigned long lo, hi, off, inode;
        char perms[8], dev[16];
        int used = 0;
        if (sscanf(p, "%lx-%lx %7s %lx %15s %lu%n", &lo, &hi, perms, &off, dev, &inode, &used) != 6 || lo >= hi || strlen(perms) != 4 ||
            !strchr("r-", perms[0]) || !strchr("w-", perms[1]) || !strchr("x-", perms[2]) || !strchr("ps", perms[3]) || dev[2] != ':')
            return -1;
        lines++;
        p = strchr(p, '\n');
        if (!p) return -1;
        p++;
    }
    return lines;
}

static void test_maps(void)
{
    load_maps();
    printf("maps: well-formed: %s\n", well_formed() > 3 ? "yes" : "no");
    describe("maps: main", (unsigned long)&test_maps);
    describe("maps: global", (unsigned long)&initialized_global);
    int local = 0;
    describe("maps: stack", (unsigned long)&local);

    int fd = open("/proc/self/exe", O_RDONLY);
    char *file = mmap(0, 8192, PROT_READ, MAP_PRIVATE, fd, 4096);
    close(fd);
    char *anon = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(anon + 4096, 4096, PROT_READ);
    load_maps();
    describe("maps: file mapping", (unsigned long)file + 4096);
    describe("maps: anon first page", (unsigned long)anon);
    describe("maps: anon mprotected page", (unsigned long)anon + 4096);
    describe("maps: anon last page", (unsigned long)anon + 8192);
    munmap(file, 8192);
    munmap(anon, 3 * 4096);
    load_maps();
    char line[512];
    printf("maps: after munmap: %s %s\n", line_for((unsigned long)file, line, sizeof line) ? "file still there" : "file gone",
           line_for((unsigned long)anon + 4096, line, sizeof line) ? "anon still there" : "anon gone");
}

static void test_cmdline(int argc, char **argv)
{
    char buf[4096], other[4096], path[64];
    size_t len, len2;
    read_file("/proc/self/cmdline", buf, sizeof buf, &len);
    printf("cmdline: argv[0] matches: %s\n", strcmp(buf, argv[0]) == 0 ? "yes" : "no");
    printf("cmdline: args:");
    for (size_t i = strlen(buf) + 1; i < len; i += strlen(buf + i) + 1) printf(" [%s]", buf + i);
    printf(" (argc %d)\n", argc);
    snprintf(path, sizeof path, "/proc/%d/cmdline", getpid());
    read_file(path, other, sizeof other, &len2);
    printf("cmdline: /proc/<pid>/cmdline same: %s\n", len == len2 && memcmp(buf, other, len) == 0 ? "yes" : "no");
}

static const char *link_kind(const char *target)
{
    if (strncmp(target, "pipe:[", 6) == 0) return "pipe";
    if (target[0] == '/') return "path";
    if (strncmp(target, "socket:[", 8) == 0) return "socket";
    return "other";
}

static int read_link(const char *path, char *buf, size_t size)
{
    ssize_t n = readlink(path, buf, size - 1);
    if (n < 0) return -errno;
    buf[n] = 0;
    return 0;
}

static void test_links(const char *argv0)
{
    char target[PATH_MAX], real[PATH_MAX], path[64], target2[PATH_MAX];
    if (read_link("/proc/self/exe", target, sizeof target) == 0 && realpath(argv0, real))
        printf("exe: same as realpath(argv[0]): %s\n", strcmp(target, real) == 0 ? "yes" : "no");
    int fd = open("/proc/self/exe", O_RDONLY);
    char magic[4] = "";
    read(fd, magic, 4);
    printf("exe: opens the ELF file: %s\n", memcmp(magic, "\177ELF", 4) == 0 ? "yes" : "no");
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    read_link(path, target2, sizeof target2);
    printf("fd: link of an open file names it: %s\n", strcmp(target2, target) == 0 ? "yes" : "no");

    read_link("/proc/self/fd/1", target, sizeof target);
    printf("fd: stdout is a %s\n", link_kind(target));
    int p[2];
    pipe(p);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    read_link(path, target, sizeof target);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
    read_link(path, target2, sizeof target2);
    printf("fd: pipe ends: %s %s, same pipe: %s\n", link_kind(target), link_kind(target2), strcmp(target, target2) == 0 ? "yes" : "no");
    /* a pipe end opened again through its link is the same pipe */
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
    int w = open(path, O_WRONLY);
    write(w, "via link", 8);
    close(w);
    char got[16] = "";
    read(p[0], got, 8);
    printf("fd: write through reopened pipe end: %s\n", got);

    struct stat st;
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    printf("fd: stat follows the link to a fifo: %s, lstat is a link: %s\n", stat(path, &st) == 0 && S_ISFIFO(st.st_mode) ? "yes" : "no",
           lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? "yes" : "no");

    int dupfd = dup(fd);
    snprintf(path, sizeof path, "/proc/self/fd/%d", dupfd);
    read_link(path, target, sizeof target);
    printf("fd: dup'ed fd names the same file: %s\n", strcmp(target, target2) != 0 && strcmp(target, real) == 0 ? "yes" : "no");

    /* a number opendir below cannot reuse */
    dup2(p[1], 40);
    close(40);
    close(p[1]);
    int r = read_link("/proc/self/fd/40", target, sizeof target);
    printf("fd: closed fd: %s\n", r == -ENOENT ? "ENOENT" : strerror(-r));

    DIR *d = opendir("/proc/self/fd");
    int seen0 = 0, seen1 = 0, seen2 = 0, seen_fd = 0, seen_closed = 0, all_links = 1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        int n = atoi(e->d_name);
        if (e->d_type != DT_LNK) all_links = 0;
        seen0 |= n == 0;
        seen1 |= n == 1;
        seen2 |= n == 2;
        seen_fd |= n == dupfd;
        seen_closed |= n == 40;
    }
    closedir(d);
    printf("fd listing: 0 1 2 %s, open fd %s, closed fd %s, entries are links: %s\n", seen0 && seen1 && seen2 ? "listed" : "missing",
           seen_fd ? "listed" : "missing", seen_closed ? "listed" : "absent", all_links ? "yes" : "no");
    close(fd);
    close(dupfd);
    close(p[0]);
}

static void test_auxv(void)
{
    unsigned long auxv[512];
    size_t len;
    read_file("/proc/self/auxv", (char *)auxv, sizeof auxv, &len);
    int pairs = 0, terminated = 0, agree = 1;
    unsigned long pagesz = 0;
    for (size_t i = 0; i + 1 < len / sizeof(long); i += 2) {
        if (auxv[i] == AT_NULL) {
            terminated = 1;
            break;
        }
        pairs++;
        if (auxv[i] == AT_PAGESZ) pagesz = auxv[i + 1];
        if (auxv[i] != AT_HWCAP2 && getauxval(auxv[i]) != auxv[i + 1]) agree = 0;
    }
    printf("auxv: AT_PAGESZ=%lu, ends with AT_NULL: %s, %s pairs, all agree with getauxval: %s\n", pagesz, terminated ? "yes" : "no",
           pairs > 10 ? "over 10" : "few", agree ? "yes" : "no");
}

static void test_stat(char **argv)
{
    char buf[1024];
    size_t len;
    read_file("/proc/self/stat", buf, sizeof buf, &len);
    int pid = 0, ppid = 0;
    char comm[64] = "";
    sscanf(buf, "%d (%63[^)])", &pid, comm);
    /* fields from 4 on (after the state letter; qemu-arm 7.2 writes 0 there, the kernel R);
       start_stack is field 28 */
    char *p = strrchr(buf, ')') + 2;
    p += strcspn(p, " ");
    while (*p == ' ') p++;
    unsigned long field[60] = { 0 };
    int nf = 4;
    while (*p && nf < 60) {
        field[nf++] = strtoul(p, &p, 10);
        while (*p == ' ') p++;
    }
    ppid = (int)field[4];
    printf("stat: pid %s, comm %s, ppid %s, start_stack is &argc: %s, at least 44 fields: %s\n", pid == getpid() ? "ok" : "wrong", comm,
           ppid == getppid() ? "ok" : "wrong", field[28] == (unsigned long)argv - sizeof(long) ? "yes" : "no", nf - 1 >= 44 ? "yes" : "no");
}

/* ---- timers ---- */

static volatile int timer_hits, timer_code, timer_value, timer_signo, timer_overrun;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    timer_hits++;
    timer_signo = sig;
    timer_code = si->si_code;
    timer_value = si->si_value.sival_int;
    timer_overrun = si->si_overrun;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

static volatile int thread_notify_value;
static pthread_mutex_t notify_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notify_cond = PTHREAD_COND_INITIALIZER;

static void on_thread_notify(union sigval v)
{
    pthread_mutex_lock(&notify_lock);
    thread_notify_value = v.sival_int;
    pthread_cond_signal(&notify_cond);
    pthread_mutex_unlock(&notify_lock);
}

static void test_timers(void)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGRTMIN + 2, &sa, NULL);

    timer_t t;
    struct sigevent ev = { 0 };
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 1234;
    printf("timer_create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t));
    struct itimerspec its = { { 0, 0 }, { 0, 20000000 } }, cur;
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    timer_settime(t, 0, &its, NULL);
    timer_gettime(t, &cur);
    printf("timer_gettime armed: %s, interval %ld\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 20000000 ? "0 < left <= 20ms" : "wrong",
           cur.it_interval.tv_nsec);
    sigsuspend(&old);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("one-shot: hits=%d signo=%d code=%s value=%d overrun=%d\n", timer_hits, timer_signo, timer_code == SI_TIMER ? "SI_TIMER" : "other", timer_value,
           timer_overrun);
    timer_gettime(t, &cur);
    printf("timer_gettime after expiry: %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);

    /* periodic, signal blocked: expiries pile up as overruns of one queued signal */
    struct itimerspec periodic = { { 0, 2000000 }, { 0, 2000000 } };
    sigprocmask(SIG_BLOCK, &block, &old);
    timer_settime(t, 0, &periodic, NULL);
    sleep_ms(100);
    siginfo_t si;
    int sig = sigwaitinfo(&block, &si);
    int overrun = timer_getoverrun(t);
    struct itimerspec off = { { 0, 0 }, { 0, 0 } }, prev;
    timer_settime(t, 0, &off, &prev);
    printf("periodic: old interval %ld ns, old value %s\n", prev.it_interval.tv_nsec, prev.it_value.tv_nsec > 0 ? "pending" : "zero");
    /* an expiry after sigwaitinfo may be pending: drop it (newer kernels drop it at timer_settime) */
    signal(SIGUSR1, SIG_IGN);
    sigaction(SIGUSR1, &sa, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("periodic: sigwaitinfo=%d code=%s overrun>0: %s, timer_getoverrun agrees: %s\n", sig, si.si_code == SI_TIMER ? "SI_TIMER" : "other",
           si.si_overrun > 0 ? "yes" : "no", overrun == si.si_overrun ? "yes" : "no");
    printf("timer_delete: %d, again: %s\n", timer_delete(t), timer_delete(t) == -1 && errno == EINVAL ? "EINVAL" : "?");

    /* a realtime signal, absolute time on CLOCK_REALTIME */
    timer_hits = 0;
    ev.sigev_signo = SIGRTMIN + 2;
    ev.sigev_value.sival_int = -7;
    timer_create(CLOCK_REALTIME, &ev, &t);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    now.tv_nsec += 10000000;
    if (now.tv_nsec >= 1000000000) {
        now.tv_sec++;
        now.tv_nsec -= 1000000000;
    }
    struct itimerspec abs = { { 0, 0 }, now };
    sigset_t rt, oldrt;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &rt, &oldrt);
    timer_settime(t, TIMER_ABSTIME, &abs, NULL);
    sig = sigwaitinfo(&rt, &si);
    sigprocmask(SIG_SETMASK, &oldrt, NULL);
    printf("abstime realtime: sigwaitinfo=%s code=%s value=%d\n", sig == SIGRTMIN + 2 ? "SIGRTMIN+2" : "?", si.si_code == SI_TIMER ? "SI_TIMER" : "other",
           si.si_value.sival_int);
    timer_delete(t);

    /* SIGEV_NONE: nothing is sent, the time still runs out */
    ev.sigev_notify = SIGEV_NONE;
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    timer_settime(t, 0, &its, NULL);
    timer_gettime(t, &cur);
    int running = cur.it_value.tv_nsec > 0;
    sleep_ms(60);
    timer_gettime(t, &cur);
    printf("SIGEV_NONE: running %s, then %ld %ld, hits %d\n", running ? "yes" : "no", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec, timer_hits);
    timer_delete(t);

    /* SIGEV_THREAD: glibc runs the function in a thread it makes */
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_thread_notify;
    ev.sigev_notify_attributes = NULL;
    ev.sigev_value.sival_int = 77;
    printf("SIGEV_THREAD timer_create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t));
    timer_settime(t, 0, &its, NULL);
    pthread_mutex_lock(&notify_lock);
    while (thread_notify_value == 0) pthread_cond_wait(&notify_cond, &notify_lock);
    pthread_mutex_unlock(&notify_lock);
    printf("SIGEV_THREAD: function got %d\n", thread_notify_value);
    timer_delete(t);

    /* errors */
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    errno = 0;
    printf("bad clock: %s\n", timer_create(99, &ev, &t) == -1 && errno == EINVAL ? "EINVAL" : strerror(errno));
    errno = 0;
    printf("CLOCK_MONOTONIC_RAW: %s\n", timer_create(CLOCK_MONOTONIC_RAW, &ev, &t) == -1 && errno == EOPNOTSUPP ? "EOPNOTSUPP" : strerror(errno));
    ev.sigev_signo = 0;
    errno = 0;
    printf("signal 0: %s\n", timer_create(CLOCK_MONOTONIC, &ev, &t) == -1 && errno == EINVAL ? "EINVAL" : strerror(errno));
    ev.sigev_signo = SIGUSR1;
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    struct itimerspec bad = { { 0, 0 }, { 0, 1000000000 } };
    errno = 0;
    printf("nsec out of range: %s\n", timer_settime(t, 0, &bad, NULL) == -1 && errno == EINVAL ? "EINVAL" : strerror(errno));
    timer_delete(t);
}

/* ---- robust mutexes (argument "robust") ---- */

static pthread_mutex_t robust;
static sem_t locked;

static void *die_holding(void *arg)
{
    pthread_mutex_lock(&robust);
    if (arg) {
        /* the main thread goes to wait for the mutex meanwhile */
        sem_post(&locked);
        sleep_ms(50);
    }
    return NULL; /* exits with the mutex held */
}

static void test_robust(void)
{
    struct robust_list_head *head;
    size_t len;
    long r = syscall(SYS_get_robust_list, 0, &head, &len);
    printf("get_robust_list: %ld len %zu head %s\n", r, len, head ? "set" : "null");
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    pthread_t th;
    pthread_create(&th, NULL, die_holding, NULL);
    pthread_join(th, NULL);
    int e = pthread_mutex_lock(&robust);
    printf("lock after owner died: %s\n", e == EOWNERDEAD ? "EOWNERDEAD" : strerror(e));
    printf("consistent: %d\n", pthread_mutex_consistent(&robust));
    printf("unlock: %d, lock again: %d\n", pthread_mutex_unlock(&robust), pthread_mutex_lock(&robust));
    pthread_mutex_unlock(&robust);
    /* the owner dies while this thread waits for the mutex: the exit wakes it */
    sem_init(&locked, 0, 0);
    pthread_create(&th, NULL, die_holding, &robust);
    sem_wait(&locked);
    e = pthread_mutex_lock(&robust);
    printf("waiter woken by the owner's death: %s\n", e == EOWNERDEAD ? "EOWNERDEAD" : strerror(e));
    pthread_join(th, NULL);
    pthread_mutex_consistent(&robust);
    pthread_mutex_unlock(&robust);
    errno = 0;
    printf("set_robust_list with a bad size: %s\n", syscall(SYS_set_robust_list, head, 4) == -1 && errno == EINVAL ? "EINVAL" : strerror(errno));
}

/* ---- what only the kernel (and tsqemu) show (argument "kernel") ---- */

static void test_kernel_view(void)
{
    char buf[8192];
    size_t len;
    read_file("/proc/self/stat", buf, sizeof buf, &len);
    printf("stat state: %c\n", *(strrchr(buf, ')') + 2));
    prctl(PR_SET_NAME, "renamed");
    read_file("/proc/self/comm", buf, sizeof buf, &len);
    printf("comm after PR_SET_NAME: %s", buf);
    read_file("/proc/self/stat", buf, sizeof buf, &len);
    printf("stat comm: %.*s\n", (int)(strrchr(buf, ')') - strchr(buf, '(') + 1), strchr(buf, '('));

    int fd = open("/proc/self/exe", O_RDONLY);
    dup2(fd, 7);
    close(fd);
    DIR *d = opendir("/proc/self/fd");
    int fds[64], n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (e->d_name[0] != '.') fds[n++] = atoi(e->d_name);
    closedir(d);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (fds[j] < fds[i]) {
                int t = fds[i];
                fds[i] = fds[j];
                fds[j] = t;
            }
    printf("fd listing:");
    for (int i = 0; i < n; i++) printf(" %d", fds[i]);
    printf("\n");

    void *grow = sbrk(3 * 4096);
    memset(grow, 1, 3 * 4096);
    load_maps();
    describe("heap", (unsigned long)grow);
    describe("kuser helpers", 0xffff0fa0UL);

    read_file("/proc/cpuinfo", buf, sizeof buf, &len);
    char *arch = strstr(buf, "CPU architecture: "), *features = strstr(buf, "Features\t: ");
    printf("cpuinfo: %.*s; Features has vfp: %s, idiva: %s\n", arch ? (int)strcspn(arch, "\n") : 0, arch ? arch : "", features && strstr(features, " vfp ") ? "yes" : "no",
           features && strstr(features, " idiva ") ? "yes" : "no");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "robust") == 0) {
        test_robust();
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "kernel") == 0) {
        test_kernel_view();
        return 0;
    }
    test_maps();
    test_cmdline(argc, argv);
    test_links(argv[0]);
    test_auxv();
    test_stat(argv);
    test_timers();
    return 0;
}
