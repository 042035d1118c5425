/* fileio: file and directory system calls. Works inside a fresh mkdtemp
 * directory under $TMPDIR (or /tmp) and removes it again. Nothing printed
 * depends on the directory name, timestamps, inode numbers or the umask. */
#define _FILE_OFFSET_BITS 64 /* see README: 32-bit readdir vs 64-bit ext4 hash offsets */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

static char dir[2048];

static void path(char *out, const char *name)
{
    snprintf(out, PATH_MAX, "%s/%s", dir, name);
}

static int fail(const char *what)
{
    printf("FAIL %s: %s\n", what, strerror(errno));
    return 1;
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *label)
{
    DIR *d = opendir(dir);
    if (!d)
        return fail("opendir");
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        char t = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_UNKNOWN ? '?' : 'o';
        /* some filesystems report DT_UNKNOWN; normalise through lstat */
        if (t == '?') {
            char p[PATH_MAX];
            struct stat st;
            path(p, e->d_name);
            if (lstat(p, &st) == 0)
                t = S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : 'o';
        }
        size_t len = strlen(e->d_name);
        names[n] = malloc(len + 3);
        names[n][0] = t;
        names[n][1] = ':';
        memcpy(names[n] + 2, e->d_name, len + 1);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmpstr);
    printf("%s (%d entries):", label, n);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    return 0;
}

int main(void)
{
    umask(022);
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    snprintf(dir, sizeof dir, "%s/tsqemu-fileio-XXXXXX", tmp);
    if (!mkdtemp(dir))
        return fail("mkdtemp");
    printf("mkdtemp ok\n");

    struct stat st;
    if (stat(dir, &st) != 0)
        return fail("stat dir");
    printf("dir: isdir=%d mode=%03o\n", S_ISDIR(st.st_mode), st.st_mode & 0777);

    char p1[PATH_MAX], p2[PATH_MAX], p3[PATH_MAX];
    path(p1, "alpha.txt");
    int fd = open(p1, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0)
        return fail("open alpha");
    const char *msg = "The quick brown fox jumps over the lazy dog\n";
    ssize_t w = write(fd, msg, strlen(msg));
    printf("write -> %zd\n", w);
    off_t off = lseek(fd, 100, SEEK_SET);
    w = write(fd, "END", 3);
    printf("lseek(100) -> %ld, write -> %zd\n", (long)off, w);
    if (fstat(fd, &st) != 0)
        return fail("fstat");
    printf("fstat: size=%ld isreg=%d mode=%03o nlink=%ld\n", (long)st.st_size, S_ISREG(st.st_mode),
           st.st_mode & 0777, (long)st.st_nlink);
    close(fd);

    fd = open(p1, O_RDWR);
    if (fd < 0)
        return fail("open alpha rdwr");
    char buf[256];
    memset(buf, '.', sizeof buf);
    ssize_t r = read(fd, buf, 10);
    buf[r] = 0;
    printf("read 10 -> %zd [%s]\n", r, buf);
    off = lseek(fd, -3, SEEK_END);
    r = read(fd, buf, sizeof buf);
    buf[r] = 0;
    printf("lseek(-3,END) -> %ld read -> %zd [%s]\n", (long)off, r, buf);
    r = read(fd, buf, sizeof buf);
    printf("read at EOF -> %zd\n", r);
    r = pread(fd, buf, 5, 4);
    buf[r] = 0;
    printf("pread(5,@4) -> %zd [%s]\n", r, buf);
    lseek(fd, 44, SEEK_SET);
    r = read(fd, buf, 56);
    int zeros = 0;
    for (int i = 0; i < r; i++)
        zeros += buf[i] == 0;
    printf("hole read -> %zd zeros=%d\n", r, zeros);
    w = pwrite(fd, "QUICK", 5, 4);
    off = lseek(fd, 0, SEEK_CUR);
    printf("pwrite -> %zd, offset unchanged=%ld\n", w, (long)off);
    struct iovec iov[3] = { { "one ", 4 }, { "two ", 4 }, { "three\n", 6 } };
    lseek(fd, 0, SEEK_END);
    w = writev(fd, iov, 3);
    printf("writev -> %zd\n", w);
    if (ftruncate(fd, 50) != 0)
        return fail("ftruncate");
    fstat(fd, &st);
    printf("after ftruncate size=%ld\n", (long)st.st_size);
    lseek(fd, 0, SEEK_SET);
    char a[8] = { 0 }, b[8] = { 0 };
    struct iovec riov[2] = { { a, 4 }, { b, 6 } };
    r = readv(fd, riov, 2);
    printf("readv -> %zd [%s|%s]\n", r, a, b);
    int fd2 = dup(fd);
    off = lseek(fd2, 0, SEEK_CUR);
    printf("dup shares offset: %ld\n", (long)off);
    int fl = fcntl(fd, F_GETFL);
    printf("fcntl GETFL accmode=%d\n", fl & O_ACCMODE);
    close(fd2);
    close(fd);

    /* stdio on top */
    path(p2, "beta.txt");
    FILE *f = fopen(p2, "w");
    if (!f)
        return fail("fopen");
    for (int i = 0; i < 5; i++)
        fprintf(f, "line %d: %d\n", i, i * i);
    fclose(f);
    f = fopen(p2, "r");
    char line[64];
    int nlines = 0;
    while (fgets(line, sizeof line, f)) {
        nlines++;
        if (nlines == 3)
            printf("third line: %s", line);
    }
    fclose(f);
    printf("lines=%d\n", nlines);

    path(p3, "sub");
    if (mkdir(p3, 0755) != 0)
        return fail("mkdir");
    printf("mkdir existing -> %s\n", mkdir(p3, 0755) == 0 ? "ok" : (errno == EEXIST ? "EEXIST" : "other"));
    if (list_dir("listing 1"))
        return 1;

    /* rename, access, errors */
    char p4[PATH_MAX];
    path(p4, "gamma.txt");
    if (rename(p1, p4) != 0)
        return fail("rename");
    printf("access old=%s new=%s\n", access(p1, F_OK) == 0 ? "yes" : "no", access(p4, R_OK | W_OK) == 0 ? "yes" : "no");
    errno = 0;
    int rc = open(p1, O_RDONLY);
    printf("open missing -> %d errno=%s\n", rc, errno == ENOENT ? "ENOENT" : "other");
    rc = rmdir(dir);
    printf("rmdir non-empty -> %d errno=%s\n", rc, errno == ENOTEMPTY || errno == EEXIST ? "ENOTEMPTY" : "other");
    if (stat(p4, &st) != 0)
        return fail("stat gamma");
    printf("stat gamma size=%ld\n", (long)st.st_size);
    if (chmod(p4, 0600) != 0)
        return fail("chmod");
    stat(p4, &st);
    printf("after chmod mode=%03o\n", st.st_mode & 0777);

    /* chdir / getcwd / relative paths */
    char cwd_before[PATH_MAX], cwd[PATH_MAX], real[PATH_MAX];
    if (!getcwd(cwd_before, sizeof cwd_before))
        return fail("getcwd before");
    if (chdir(dir) != 0)
        return fail("chdir");
    if (!getcwd(cwd, sizeof cwd) || !realpath(dir, real))
        return fail("getcwd");
    printf("getcwd matches: %s\n", strcmp(cwd, real) == 0 ? "yes" : "no");
    fd = open("sub/delta", O_CREAT | O_WRONLY | O_EXCL, 0666);
    printf("relative create: %s\n", fd >= 0 ? "ok" : "failed");
    close(fd);
    fd = open("sub/delta", O_CREAT | O_WRONLY | O_EXCL, 0666);
    printf("O_EXCL again: %s\n", fd < 0 && errno == EEXIST ? "EEXIST" : "unexpected");
    stat("sub/delta", &st);
    printf("umask applied mode=%03o\n", st.st_mode & 0777);
    if (link("gamma.txt", "sub/hard") == 0) {
        stat("gamma.txt", &st);
        printf("hard link nlink=%ld\n", (long)st.st_nlink);
        unlink("sub/hard");
    }
    if (symlink("gamma.txt", "sym") == 0) {
        char tgt[64];
        ssize_t n = readlink("sym", tgt, sizeof tgt - 1);
        tgt[n < 0 ? 0 : n] = 0;
        lstat("sym", &st);
        printf("symlink -> [%s] islnk=%d\n", tgt, S_ISLNK(st.st_mode));
    }
    if (list_dir("listing 2"))
        return 1;

    /* cleanup */
    unlink("sym");
    unlink("sub/delta");
    if (rmdir("sub") != 0)
        return fail("rmdir sub");
    unlink("gamma.txt");
    unlink("beta.txt");
    if (chdir(cwd_before) != 0)
        return fail("chdir back");
    if (list_dir("listing 3"))
        return 1;
    if (rmdir(dir) != 0)
        return fail("rmdir");
    printf("cleanup: dir exists=%s\n", stat(dir, &st) == 0 ? "yes" : "no");
    return 0;
}
