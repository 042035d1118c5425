/* sysmisc: a sweep of the smaller syscalls and their errors, in a mkdtemp directory under
 * $TMPDIR (or /tmp) that is removed at the end.
 * Files: chmod/fchmod/fchmodat (and AT_SYMLINK_NOFOLLOW, which glibc does through
 * /proc/self/fd), chown family with unchanged ids, utimensat/futimens/utimes/utime with
 * UTIME_NOW and UTIME_OMIT, fsync/fdatasync, truncate64/ftruncate64 past 4 GiB, fallocate,
 * statfs/fstatfs (32- and 64-bit), symlink/link/linkat, mknod/mkfifo (a FIFO between a
 * forked writer and a reader, both orders of the blocking opens), close_range, flock.
 * Copies: copy_file_range, sendfile64, splice, tee, vmsplice. Process: getrusage, times,
 * getpriority/setpriority/nice, prctl, capget, getgroups, setsid/setpgid/getpgid/getsid in
 * forked children, sched_* queries and changes, membarrier.
 * Printed values do not depend on the user (root or not) or on timing. */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

static char dir[256];

/* A call's result as text, made at once (errno is read right after the call): a number,
 * or the errno's name. Results live in a ring of buffers, so several fit in one printf;
 * calls are made in separate statements because argument order is unspecified in C. */
static const char *err(long r)
{
    static char ring[16][32];
    static int next;
    char *buf = ring[next++ & 15];
    if (r >= 0) {
        snprintf(buf, 32, "%ld", r);
        return buf;
    }
    const char *name;
    switch (errno) {
    case EINVAL: name = "EINVAL"; break;
    case EBADF: name = "EBADF"; break;
    case EPERM: name = "EPERM"; break;
    case ESPIPE: name = "ESPIPE"; break;
    case EEXIST: name = "EEXIST"; break;
    case ENOENT: name = "ENOENT"; break;
    case ESRCH: name = "ESRCH"; break;
    case EOPNOTSUPP: name = "EOPNOTSUPP"; break;
    case EISDIR: name = "EISDIR"; break;
    case ENODEV: name = "ENODEV"; break;
    case EACCES: name = "EACCES"; break;
    case EAGAIN: name = "EAGAIN"; break;
    case ENXIO: name = "ENXIO"; break;
    default:
        snprintf(buf, 32, "errno %d", errno);
        return buf;
    }
    snprintf(buf, 32, "%s", name);
    return buf;
}

static char *at(const char *name)
{
    static char paths[4][512];
    static int next;
    char *p = paths[next++ & 3];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_mode & 07777 : 0xffff;
}

static void test_modes(void)
{
    const char *f = at("file");
    int fd = open(f, O_CREAT | O_RDWR, 0666);
    printf("created mode %o (umask 022)\n", mode_of(f));
    const char *r = err(chmod(f, 0640));
    printf("chmod 640: %s -> %o\n", r, mode_of(f));
    r = err(fchmod(fd, 0600));
    printf("fchmod 600: %s -> %o\n", r, mode_of(f));
    r = err(fchmodat(AT_FDCWD, f, 0444, 0));
    printf("fchmodat 444: %s -> %o\n", r, mode_of(f));
    symlink("file", at("link"));
    r = err(fchmodat(AT_FDCWD, f, 0640, AT_SYMLINK_NOFOLLOW));
    printf("fchmodat nofollow on a file: %s -> %o\n", r, mode_of(f));
    printf("fchmodat nofollow on a symlink: %s\n", err(fchmodat(AT_FDCWD, at("link"), 0600, AT_SYMLINK_NOFOLLOW)));
    printf("chmod missing: %s\n", err(chmod(at("missing"), 0600)));
    const char *a = err(chown(f, getuid(), getgid()));
    const char *b = err(lchown(at("link"), -1, -1));
    const char *c = err(fchown(fd, -1, getgid()));
    const char *d = err(fchownat(AT_FDCWD, at("link"), getuid(), -1, AT_SYMLINK_NOFOLLOW));
    printf("chown unchanged: %s, lchown: %s, fchown: %s, fchownat nofollow: %s\n", a, b, c, d);
    printf("fchownat bad flags: %s\n", err(fchownat(AT_FDCWD, f, -1, -1, 0x8000)));
    close(fd);
}

static void show_times(const char *what, const char *path, int follow)
{
    struct stat st;
    if (follow ? stat(path, &st) : lstat(path, &st)) {
        printf("%s: stat failed\n", what);
        return;
    }
    printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", what, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void test_times(void)
{
    const char *f = at("file");
    /* fractions a double holds exactly, so any implementation can set them to the nanosecond */
    struct timespec ts[2] = { { 1000000000, 500000000 }, { 1200000000, 250000000 } };
    printf("utimensat: %s\n", err(utimensat(AT_FDCWD, f, ts, 0)));
    show_times("  set", f, 1);
    struct timespec omit_now[2] = { { 5, UTIME_OMIT }, { 0, UTIME_OMIT } };
    printf("utimensat both omitted: %s\n", err(utimensat(AT_FDCWD, f, omit_now, 0)));
    show_times("  kept", f, 1);
    time_t before = time(NULL);
    omit_now[1].tv_nsec = UTIME_NOW;
    printf("utimensat atime omitted, mtime now: %s\n", err(utimensat(AT_FDCWD, f, omit_now, 0)));
    struct stat st;
    stat(f, &st);
    time_t after = time(NULL);
    printf("  atime kept: %s, mtime now: %s\n", st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 500000000 ? "yes" : "no",
           st.st_mtim.tv_sec >= before && st.st_mtim.tv_sec <= after ? "yes" : "no");
    int fd = open(f, O_RDONLY);
    struct timespec ts2[2] = { { 1300000000, 125000000 }, { 1400000000, 0 } };
    printf("futimens: %s\n", err(futimens(fd, ts2)));
    show_times("  set", f, 1);
    close(fd);
    struct timeval tv[2] = { { 1500000000, 750000 }, { 1600000000, 500000 } };
    printf("utimes: %s\n", err(utimes(f, tv)));
    show_times("  set", f, 1);
    struct utimbuf ub = { 1700000000, 1700000001 };
    printf("utime: %s\n", err(utime(f, &ub)));
    show_times("  set", f, 1);
    struct timespec lts[2] = { { 1100000000, 0 }, { 1100000000, 500000000 } };
    printf("utimensat nofollow on the symlink: %s\n", err(utimensat(AT_FDCWD, at("link"), lts, AT_SYMLINK_NOFOLLOW)));
    show_times("  link", at("link"), 0);
    show_times("  target unchanged", f, 1);
    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    printf("utimensat bad nsec: %s\n", err(utimensat(AT_FDCWD, f, bad, 0)));
    printf("utimensat missing file: %s\n", err(utimensat(AT_FDCWD, at("missing"), ts, 0)));
    struct timeval badtv[2] = { { 0, 1000000 }, { 0, 0 } };
    printf("utimes bad usec: %s\n", err(utimes(f, badtv)));
}

static long long size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static void test_sizes(void)
{
    const char *f = at("sized");
    int fd = open(f, O_CREAT | O_RDWR, 0644);
    int p[2];
    pipe(p);
    const char *a = err(fsync(fd));
    const char *b = err(fdatasync(fd));
    const char *c = err(fsync(p[1]));
    printf("fsync: %s, fdatasync: %s, fsync on a pipe: %s\n", a, b, c);
    a = err(ftruncate(fd, 5LL << 30));
    printf("ftruncate64 5 GiB: %s -> %lld\n", a, size_of(f));
    a = err(truncate(f, 3));
    printf("truncate64 3: %s -> %lld\n", a, size_of(f));
    a = err(ftruncate(fd, -1));
    b = err(ftruncate(p[1], 0));
    printf("ftruncate negative: %s, on a pipe: %s\n", a, b);
    int ro = open(f, O_RDONLY);
    printf("ftruncate read-only fd: %s\n", err(ftruncate(ro, 0)));

    write(fd, "0123456789abcdef", 16);
    a = err(fallocate(fd, 0, 4096, 4096));
    printf("fallocate extend to 8192: %s -> %lld\n", a, size_of(f));
    a = err(fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 4096));
    printf("fallocate keep size: %s -> %lld\n", a, size_of(f));
    a = err(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4, 4));
    char buf[17] = "";
    pread(fd, buf, 16, 0);
    for (int i = 0; i < 16; i++) if (buf[i] == 0) buf[i] = '.';
    printf("fallocate punch hole: %s -> %s, size %lld\n", a, buf, size_of(f));
    a = err(fallocate(fd, 0, 0, 0));
    b = err(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1));
    c = err(fallocate(p[1], 0, 0, 1));
    const char *d = err(fallocate(ro, 0, 0, 1));
    printf("fallocate errors: len 0 %s, hole without keep size %s, pipe %s, read-only %s\n", a, b, c, d);

    struct statfs64 sa, sb;
    struct { unsigned type, bsize, counts[5], fsid[2], namelen, frsize, flags, spare[4]; } sc;
    statfs64(dir, &sa);
    fstatfs64(fd, &sb);
    a = err(syscall(SYS_statfs, dir, &sc));
    printf("statfs64 = fstatfs64: %s, 32-bit statfs: %s, same type: %s, bsize > 0: %s\n", sa.f_type == sb.f_type && sa.f_bsize == sb.f_bsize ? "yes" : "no", a,
           sc.type == (unsigned)sa.f_type ? "yes" : "no", sa.f_bsize > 0 ? "yes" : "no");
    statfs64("/proc", &sa);
    printf("statfs /proc: %s\n", sa.f_type == 0x9fa0 ? "PROC_SUPER_MAGIC" : "other");
    close(ro);
    close(fd);
    close(p[0]);
    close(p[1]);
}

static void test_links(void)
{
    char buf[64] = "";
    const char *a = err(symlinkat("sized", AT_FDCWD, at("sym2")));
    const char *b = err(readlink(at("sym2"), buf, sizeof buf - 1));
    printf("symlinkat: %s, readlink: %s -> %s\n", a, b, buf);
    a = err(link(at("sized"), at("hard")));
    b = err(linkat(AT_FDCWD, at("sym2"), AT_FDCWD, at("hard2"), AT_SYMLINK_FOLLOW));
    struct stat st;
    stat(at("sized"), &st);
    printf("link: %s, linkat follow: %s, nlink %d\n", a, b, (int)st.st_nlink);
    lstat(at("hard2"), &st);
    printf("linkat follow made a regular file: %s\n", S_ISREG(st.st_mode) ? "yes" : "no");
    a = err(link(at("sized"), at("hard")));
    b = err(symlink("x", at("sym2")));
    printf("link existing: %s, symlink existing: %s\n", a, b);

    a = err(mkfifo(at("fifo"), 0640));
    b = err(mknod(at("fifo2"), S_IFIFO | 0600, 0));
    printf("mkfifo: %s, mknod fifo: %s\n", a, b);
    stat(at("fifo"), &st);
    printf("  is a fifo: %s, mode %o\n", S_ISFIFO(st.st_mode) ? "yes" : "no", st.st_mode & 0777);
    int fd = open(at("fifo2"), O_RDWR);
    write(fd, "through fifo", 12);
    char got[16] = "";
    read(fd, got, 12);
    printf("  read back: %s\n", got);
    close(fd);
    /* blocking opens meet: the reader first, then the writer first (a forked child writes 64 KiB + 6) */
    for (int round = 0; round < 2; round++) {
        pid_t child = fork();
        if (child == 0) {
            if (round == 1) usleep(20000);
            int w = open(at("fifo"), O_WRONLY);
            static char big[65536];
            memset(big, 'x', sizeof big);
            write(w, "fifo: ", 6);
            write(w, big, sizeof big);
            _exit(0);
        }
        if (round == 0) usleep(20000);
        int r = open(at("fifo"), O_RDONLY);
        long total = 0;
        ssize_t n;
        char chunk[4096], head[7] = "";
        while ((n = read(r, chunk, sizeof chunk)) > 0) {
            if (total == 0) memcpy(head, chunk, 6);
            total += n;
        }
        close(r);
        waitpid(child, NULL, 0);
        printf("  %s first: got \"%s\" and %ld bytes in all\n", round == 0 ? "reader" : "writer", head, total);
    }
    errno = 0;
    printf("  nonblocking open for writing without a reader: %s\n", err(open(at("fifo"), O_WRONLY | O_NONBLOCK)));
    a = err(mknodat(AT_FDCWD, at("reg"), S_IFREG | 0600, 0));
    const char *kind = stat(at("reg"), &st) == 0 && S_ISREG(st.st_mode) ? "regular" : "?";
    b = err(mknod(at("fifo"), S_IFIFO | 0600, 0));
    const char *c = err(mknod(at("d"), S_IFDIR | 0700, 0));
    const char *d = err(mknod(at("bad"), 0170000, 0));
    printf("mknod regular: %s -> %s; existing: %s; directory: %s; bad type: %s\n", a, kind, b, c, d);
}

static void fill(int fd, int n)
{
    char buf[256];
    for (int i = 0; i < n; i += 256) {
        for (int j = 0; j < 256; j++) buf[j] = (char)('a' + (i + j) % 26);
        write(fd, buf, n - i < 256 ? n - i : 256);
    }
}

static void test_copies(void)
{
    int a = open(at("a"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    fill(a, 10000);
    int b = open(at("b"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    loff_t in = 0;
    const char *r = err(copy_file_range(a, &in, b, NULL, 20000, 0));
    printf("copy_file_range all: %s, off_in %lld, size %lld\n", r, (long long)in, size_of(at("b")));
    loff_t in2 = 100, out2 = 0;
    r = err(copy_file_range(a, &in2, b, &out2, 50, 0));
    char x[8] = "", y[8] = "";
    pread(b, x, 5, 0);
    pread(a, y, 5, 100);
    printf("copy_file_range 50 at 100: %s, off_in %lld off_out %lld, bytes match: %s\n", r, (long long)in2, (long long)out2, memcmp(x, y, 5) == 0 ? "yes" : "no");
    loff_t o1 = 0, o2 = 10;
    r = err(copy_file_range(a, &o1, a, &o2, 100, 0));
    const char *r2 = err(copy_file_range(a, &o1, b, NULL, 1, 1));
    printf("copy_file_range overlap: %s, flags: %s\n", r, r2);

    int p[2];
    pipe(p);
    long off32 = 26;
    r = err(syscall(SYS_sendfile, p[1], a, &off32, 26));
    char buf[64] = "";
    read(p[0], buf, 26);
    printf("sendfile (32-bit offset) to a pipe: %s, offset %ld, got %.26s, file position %ld\n", r, off32, buf, (long)lseek(a, 0, SEEK_CUR));
    off_t off = 0;
    r = err(sendfile(p[1], a, &off, 3));
    memset(buf, 0, sizeof buf);
    read(p[0], buf, 3);
    printf("sendfile64: %s -> %s, offset %ld\n", r, buf, (long)off);
    lseek(a, 3, SEEK_SET);
    r = err(sendfile(p[1], a, NULL, 5));
    memset(buf, 0, sizeof buf);
    read(p[0], buf, 5);
    printf("sendfile from the position: %s -> %s, position %ld\n", r, buf, (long)lseek(a, 0, SEEK_CUR));
    int app = open(at("b"), O_WRONLY | O_APPEND);
    printf("sendfile to O_APPEND: %s\n", err(sendfile(app, a, NULL, 1)));
    close(app);

    loff_t soff = 52;
    r = err(splice(a, &soff, p[1], NULL, 10, 0));
    loff_t doff = 0;
    int c = open(at("c"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    r2 = err(splice(p[0], NULL, c, &doff, 10, 0));
    memset(buf, 0, sizeof buf);
    pread(c, buf, 10, 0);
    printf("splice file->pipe: %s, pipe->file: %s -> %s, offsets %lld %lld\n", r, r2, buf, (long long)soff, (long long)doff);
    r = err(splice(a, NULL, c, NULL, 1, 0));
    r2 = err(splice(p[0], &soff, c, NULL, 1, 0));
    const char *r3 = err(splice(p[0], NULL, c, NULL, 1, SPLICE_F_NONBLOCK));
    printf("splice file->file: %s, offset on a pipe: %s, empty pipe nonblock: %s\n", r, r2, r3);

    int q[2];
    pipe(q);
    write(p[1], "hello", 5);
    r = err(tee(p[0], q[1], 100, 0));
    char t1[8] = "", t2[8] = "";
    read(q[0], t1, 5);
    read(p[0], t2, 5);
    printf("tee: %s -> copy %s, original %s; tee on a file: %s\n", r, t1, t2, err(tee(a, q[1], 1, 0)));

    struct iovec iov[2] = { { "abc", 3 }, { "def", 3 } };
    r = err(vmsplice(p[1], iov, 2, 0));
    memset(buf, 0, sizeof buf);
    read(p[0], buf, 6);
    printf("vmsplice: %s -> %s\n", r, buf);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
    close(a);
    close(b);
    close(c);
}

static void test_fds(void)
{
    int fd = open(at("a"), O_RDONLY);
    dup2(fd, 50);
    dup2(fd, 51);
    dup2(fd, 52);
    dup2(fd, 60);
    const char *r = err(syscall(SYS_close_range, 50, 52, 0));
    const char *a = err(fcntl(50, F_GETFD));
    const char *b = err(fcntl(51, F_GETFD));
    const char *c = err(fcntl(52, F_GETFD));
    printf("close_range 50-52: %s -> %s %s %s\n", r, a, b, c);
    r = err(syscall(SYS_close_range, 60, 70, 4));
    printf("close_range cloexec: %s -> FD_CLOEXEC %s\n", r, fcntl(60, F_GETFD) == FD_CLOEXEC ? "set" : "clear");
    printf("close_range backwards: %s\n", err(syscall(SYS_close_range, 5, 4, 0)));
    close(60);
    r = err(flock(fd, LOCK_EX));
    a = err(flock(fd, LOCK_UN));
    b = err(flock(fd, 0));
    c = err(flock(99, LOCK_SH));
    printf("flock ex: %s, un: %s, bad: %s, bad fd: %s\n", r, a, b, c);
    close(fd);
}

static void test_process(void)
{
    struct rusage ru;
    const char *a = err(getrusage(RUSAGE_SELF, &ru));
    int maxrss = ru.ru_maxrss > 0;
    const char *b = err(getrusage(RUSAGE_CHILDREN, &ru));
    const char *c = err(getrusage(5, &ru));
    printf("getrusage self: %s, maxrss > 0: %s; children: %s; bad who: %s\n", a, maxrss ? "yes" : "no", b, c);
    struct tms tms;
    printf("times: %s\n", times(&tms) == (clock_t)-1 ? "failed" : "ok");

    int before = getpriority(PRIO_PROCESS, 0);
    a = err(setpriority(PRIO_PROCESS, 0, before + 5));
    int now = getpriority(PRIO_PROCESS, 0);
    printf("setpriority +5: %s, getpriority: +%d", a, now - before);
    now = nice(2);
    long raw = syscall(SYS_getpriority, PRIO_PROCESS, 0);
    printf(", nice(2): +%d, raw getpriority is 20 - nice: %s\n", now - before, raw == 20 - now ? "yes" : "no");
    a = err(setpriority(7, 0, 0));
    b = err(setpriority(PRIO_PROCESS, -5, 0));
    printf("setpriority bad which: %s, no such process: %s\n", a, b);

    char name[16] = "";
    a = err(prctl(PR_SET_NAME, "sysmisc-renamed-long"));
    prctl(PR_GET_NAME, name);
    printf("PR_SET_NAME: %s, PR_GET_NAME: %s\n", a, name);
    int sig = -1;
    a = err(prctl(PR_SET_PDEATHSIG, SIGUSR1));
    prctl(PR_GET_PDEATHSIG, &sig);
    b = err(prctl(PR_SET_PDEATHSIG, 99));
    printf("PR_SET_PDEATHSIG: %s, PR_GET_PDEATHSIG: %d, bad signal: %s\n", a, sig, b);
    a = err(prctl(PR_GET_DUMPABLE));
    b = err(prctl(PR_SET_DUMPABLE, 0));
    c = err(prctl(PR_GET_DUMPABLE));
    const char *d = err(prctl(PR_SET_DUMPABLE, 5));
    prctl(PR_SET_DUMPABLE, 1);
    printf("PR_GET_DUMPABLE: %s, PR_SET_DUMPABLE 0: %s -> %s, bad: %s\n", a, b, c, d);
    a = err(prctl(PR_GET_KEEPCAPS));
    b = err(prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
    c = err(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    d = err(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    printf("PR_GET_KEEPCAPS: %s, PR_SET_NO_NEW_PRIVS bad arg: %s, set: %s -> %s\n", a, b, c, d);
    printf("unknown prctl: %s\n", err(prctl(9999)));

    struct __user_cap_header_struct hdr = { 0, 0 };
    struct __user_cap_data_struct data[2];
    a = err(syscall(SYS_capget, &hdr, data));
    printf("capget bad version: %s, version now %#x\n", a, hdr.version);
    hdr.version = _LINUX_CAPABILITY_VERSION_3;
    a = err(syscall(SYS_capget, &hdr, data));
    printf("capget v3: %s, effective within permitted: %s\n", a,
           (data[0].effective & ~data[0].permitted) == 0 && (data[1].effective & ~data[1].permitted) == 0 ? "yes" : "no");
    hdr.pid = -3;
    printf("capget negative pid: %s\n", err(syscall(SYS_capget, &hdr, data)));

    int n = getgroups(0, NULL);
    gid_t groups[256];
    int same = getgroups(n, groups) == n;
    printf("getgroups: count matches: %s, negative size: %s\n", same ? "yes" : "no", err(syscall(SYS_getgroups32, -1, groups)));
}

static void test_sessions(void)
{
    pid_t child = fork();
    if (child == 0) {
        pid_t sid = setsid();
        int ok = sid == getpid() && getsid(0) == getpid() && getpgrp() == getpid();
        int again = setsid() == -1 && errno == EPERM;
        _exit(ok * 2 + again);
    }
    int status;
    waitpid(child, &status, 0);
    printf("setsid in a child: new session %s, again EPERM %s\n", WEXITSTATUS(status) & 2 ? "yes" : "no", WEXITSTATUS(status) & 1 ? "yes" : "no");

    int go[2];
    pipe(go);
    child = fork();
    if (child == 0) {
        int ok = setpgid(0, 0) == 0 && getpgrp() == getpid();
        char c;
        read(go[0], &c, 1);
        _exit(ok);
    }
    /* the parent sees the child's new group once it is made */
    for (int i = 0; i < 1000 && getpgid(child) != child; i++) usleep(1000);
    int sees = getpgid(child) == child;
    int same = getsid(child) == getsid(0);
    printf("setpgid in a child: parent sees its group: %s, same session: %s\n", sees ? "yes" : "no", same ? "yes" : "no");
    write(go[1], "x", 1);
    waitpid(child, &status, 0);
    printf("  child's own view: %s\n", WEXITSTATUS(status) ? "leader" : "not leader");
    printf("getpgid(0) = getpgrp(): %s, getsid(0) = getsid(getpid()): %s, getpgid(-1): %s\n", getpgid(0) == getpgrp() ? "yes" : "no",
           getsid(0) == getsid(getpid()) ? "yes" : "no", err(getpgid(-1)));
    printf("setpgid negative group: %s\n", err(setpgid(0, -1)));
}

static void test_sched(void)
{
    struct sched_param sp = { 0 };
    const char *a = err(sched_getscheduler(0));
    const char *b = err(sched_getparam(0, &sp));
    printf("sched_getscheduler: %s, sched_getparam: %s priority %d\n", a, b, sp.sched_priority);
    printf("priority range FIFO %d..%d, RR %d..%d, OTHER %d..%d, bad policy: %s\n", sched_get_priority_min(SCHED_FIFO), sched_get_priority_max(SCHED_FIFO),
           sched_get_priority_min(SCHED_RR), sched_get_priority_max(SCHED_RR), sched_get_priority_min(SCHED_OTHER), sched_get_priority_max(SCHED_OTHER),
           err(sched_get_priority_max(99)));
    a = err(sched_setscheduler(0, SCHED_BATCH, &sp));
    b = err(sched_getscheduler(0));
    const char *c = err(sched_setscheduler(0, SCHED_OTHER, &sp));
    const char *d = err(sched_getscheduler(0));
    printf("SCHED_BATCH: %s -> %s; back: %s -> %s\n", a, b, c, d);
    sp.sched_priority = 5;
    a = err(sched_setscheduler(0, SCHED_OTHER, &sp));
    b = err(sched_setscheduler(0, 77, &sp));
    c = err(sched_getscheduler(-1));
    printf("SCHED_OTHER priority 5: %s, bad policy: %s, negative pid: %s\n", a, b, c);
    struct timespec ts;
    a = err(sched_rr_get_interval(0, &ts));
    b = err(sched_yield());
    printf("sched_rr_get_interval: %s, sched_yield: %s\n", a, b);
    cpu_set_t set;
    CPU_ZERO(&set);
    printf("sched_getaffinity: %s CPUs\n", sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0 ? "some" : "no");
    cpu_set_t one;
    CPU_ZERO(&one);
    int first = 0;
    while (!CPU_ISSET(first, &set)) first++;
    CPU_SET(first, &one);
    a = err(sched_setaffinity(0, sizeof one, &one));
    CPU_ZERO(&one);
    sched_getaffinity(0, sizeof one, &one);
    int count = CPU_COUNT(&one);
    CPU_ZERO(&one);
    b = err(sched_setaffinity(0, sizeof one, &one));
    printf("sched_setaffinity to one: %s -> %d CPU; empty set: %s\n", a, count, b);
    sched_setaffinity(0, sizeof set, &set);

    long q = syscall(SYS_membarrier, 0, 0);
    printf("membarrier query has private expedited: %s\n", q > 0 && (q & 8) && (q & 16) ? "yes" : "no");
    a = err(syscall(SYS_membarrier, 8, 0));
    b = err(syscall(SYS_membarrier, 16, 0));
    c = err(syscall(SYS_membarrier, 8, 0));
    d = err(syscall(SYS_membarrier, 1 << 20, 0));
    printf("membarrier private expedited before registering: %s, register: %s, then: %s, bad command: %s\n", a, b, c, d);
}

static void cleanup(void)
{
    const char *names[] = { "file", "link", "sized", "sym2", "hard", "hard2", "fifo", "fifo2", "reg", "a", "b", "c" };
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) unlink(at(names[i]));
    printf("cleanup: %s\n", rmdir(dir) == 0 ? "ok" : strerror(errno));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    umask(022);
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/sysmisc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_modes();
    test_times();
    test_sizes();
    test_links();
    test_copies();
    test_fds();
    test_process();
    test_sessions();
    test_sched();
    cleanup();
    return 0;
}
