/* sockets: AF_UNIX socketpairs (stream, datagram, seqpacket), SCM_RIGHTS and SO_PASSCRED,
 * shutdown and EPIPE/SIGPIPE, a Unix stream server on a path with a client thread and a
 * forked client, abstract and autobound names, TCP on 127.0.0.1 (port 0, a client thread,
 * a 1 MiB transfer, nonblocking connect and accept, ECONNREFUSED, MSG_PEEK, options), UDP
 * on 127.0.0.1, and the errors of bad calls. Port numbers and pids are never printed.
 * With an argument: posix_spawn that program (cat) with a socket as its stdin and stdout. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

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

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig)
{
    (void)sig;
    sigpipes++;
}

static void test_socketpair_stream(void)
{
    int sv[2];
    check("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    char buf[64];
    check("write one way", write(sv[0], "hello", 5), 5);
    check("read it", read(sv[1], buf, sizeof buf), 5);
    check("send the other way", send(sv[1], "world!", 6, 0), 6);
    check("recv it", recv(sv[0], buf, sizeof buf, 0), 6);
    check("  bytes", memcmp(buf, "world!", 6), 0);

    /* a stream joins writes */
    write(sv[0], "ab", 2);
    write(sv[0], "cd", 2);
    int avail = -1;
    ioctl(sv[1], FIONREAD, &avail);
    check("FIONREAD", avail, 4);
    check("stream joins writes", read(sv[1], buf, sizeof buf), 4);
    check_err("MSG_DONTWAIT on empty", recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);

    struct stat st;
    fstat(sv[0], &st);
    check("fstat: S_ISSOCK", S_ISSOCK(st.st_mode), 1);
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    check_err("O_NONBLOCK read", read(sv[1], buf, 1), EAGAIN);
    fcntl(sv[1], F_SETFL, 0);

    struct pollfd pf[2] = { { sv[0], POLLIN | POLLOUT, 0 }, { sv[1], POLLIN | POLLOUT, 0 } };
    check("poll: both writable", poll(pf, 2, 0), 2);
    check("  revents", pf[0].revents, POLLOUT);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(sv[1], &r);
    struct timeval tv = { 0, 0 };
    check("select: nothing to read", select(sv[1] + 1, &r, NULL, NULL, &tv), 0);

    /* shutdown(SHUT_WR): the peer reads EOF, can still write back */
    check("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR), 0);
    check("peer reads EOF", read(sv[1], buf, sizeof buf), 0);
    pf[1].events = POLLIN | POLLRDHUP;
    poll(&pf[1], 1, 0);
    check("  POLLRDHUP", (pf[1].revents & (POLLIN | POLLRDHUP)) == (POLLIN | POLLRDHUP), 1);
    check("peer still writes back", write(sv[1], "x", 1), 1);
    check("  and it arrives", read(sv[0], buf, 1), 1);
    check_err("write after SHUT_WR, MSG_NOSIGNAL", send(sv[0], "y", 1, MSG_NOSIGNAL), EPIPE);

    /* the peer closes: EPIPE and SIGPIPE */
    signal(SIGPIPE, on_sigpipe);
    close(sv[0]);
    sigpipes = 0;
    check_err("write to a closed peer", write(sv[1], "z", 1), EPIPE);
    check("  SIGPIPE", sigpipes, 1);
    check_err("send MSG_NOSIGNAL", send(sv[1], "z", 1, MSG_NOSIGNAL), EPIPE);
    check("  no SIGPIPE", sigpipes, 1);
    pf[1].events = POLLIN;
    poll(&pf[1], 1, 0);
    check("  POLLHUP", (pf[1].revents & POLLHUP) != 0, 1);
    signal(SIGPIPE, SIG_DFL);
    close(sv[1]);

    /* filling a nonblocking stream */
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    static char big[65536];
    long total = 0, n;
    while ((n = write(sv[0], big, sizeof big)) > 0)
        total += n;
    check_err("full stream: EAGAIN", n, EAGAIN);
    pf[0].fd = sv[0];
    pf[0].events = POLLOUT;
    check("  not writable", poll(pf, 1, 0), 0);
    long got = 0;
    while ((n = read(sv[1], big, sizeof big)) > 0)
        got += n;
    check("  everything written is read", got == total, 1);
    check("  writable again", poll(pf, 1, 0), 1);
    close(sv[0]);
    close(sv[1]);
}

static void test_socketpair_dgram(void)
{
    int sv[2];
    char buf[16];
    check("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
    send(sv[0], "abc", 3, 0);
    send(sv[0], "defgh", 5, 0);
    check("datagrams keep boundaries", recv(sv[1], buf, sizeof buf, 0), 3);
    check("  second", recv(sv[1], buf, sizeof buf, 0), 5);
    send(sv[0], "0123456789", 10, 0);
    check("truncated to the buffer", recv(sv[1], buf, 4, 0), 4);
    check_err("  the rest is gone", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    send(sv[0], "0123456789", 10, 0);
    check("MSG_TRUNC: real length", recv(sv[1], buf, 4, MSG_TRUNC), 10);
    send(sv[0], "0123456789", 10, 0);
    struct iovec iov = { buf, 4 };
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    check("recvmsg truncated", recvmsg(sv[1], &mh, 0), 4);
    check("  msg_flags MSG_TRUNC", (mh.msg_flags & MSG_TRUNC) != 0, 1);
    send(sv[0], "", 0, 0);
    check("empty datagram", recv(sv[1], buf, sizeof buf, 0), 0);
    send(sv[0], "peek", 4, 0);
    check("MSG_PEEK", recv(sv[1], buf, sizeof buf, MSG_PEEK), 4);
    check("  still there", recv(sv[1], buf, sizeof buf, 0), 4);
    close(sv[0]);
    close(sv[1]);

    check("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    send(sv[0], "one", 3, 0);
    send(sv[0], "three", 5, 0);
    check("seqpacket boundaries", recv(sv[1], buf, sizeof buf, 0), 3);
    check("  second", recv(sv[1], buf, sizeof buf, 0), 5);
    close(sv[0]);
    check("seqpacket EOF", recv(sv[1], buf, sizeof buf, 0), 0);
    close(sv[1]);
}

static void test_rights(void)
{
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    /* pass the pipe's read end */
    char data = 'R';
    struct iovec iov = { &data, 1 };
    union {
        char buf[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = ctl.buf;
    mh.msg_controllen = CMSG_SPACE(sizeof(int));
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &p[0], sizeof(int));
    check("sendmsg SCM_RIGHTS", sendmsg(sv[0], &mh, 0), 1);
    close(p[0]);

    char got;
    iov.iov_base = &got;
    memset(&ctl, 0, sizeof ctl);
    mh.msg_control = ctl.buf;
    mh.msg_controllen = sizeof ctl.buf;
    check("recvmsg", recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC), 1);
    c = CMSG_FIRSTHDR(&mh);
    check("  one SCM_RIGHTS message", c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS, 1);
    check("  msg_controllen", (long)mh.msg_controllen, (long)CMSG_SPACE(sizeof(int)));
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    check("  MSG_CMSG_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
    write(p[1], "via", 3);
    char buf[8];
    check("  the passed pipe works", read(fd, buf, sizeof buf), 3);
    close(fd);

    /* no room for the files: MSG_CTRUNC, and they are closed */
    mh.msg_control = ctl.buf;
    mh.msg_controllen = CMSG_SPACE(sizeof(int));
    c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &p[1], sizeof(int));
    iov.iov_base = &data;
    sendmsg(sv[0], &mh, 0);
    iov.iov_base = &got;
    mh.msg_control = NULL;
    mh.msg_controllen = 0;
    check("recvmsg without control room", recvmsg(sv[1], &mh, 0), 1);
    check("  MSG_CTRUNC", (mh.msg_flags & MSG_CTRUNC) != 0, 1);

    /* a bad fd in SCM_RIGHTS */
    mh.msg_control = ctl.buf;
    mh.msg_controllen = CMSG_SPACE(sizeof(int));
    c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    int bad = 999;
    memcpy(CMSG_DATA(c), &bad, sizeof(int));
    iov.iov_base = &data;
    check_err("SCM_RIGHTS with a closed fd", sendmsg(sv[0], &mh, 0), EBADF);

    /* SO_PASSCRED */
    int one = 1;
    check("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one), 0);
    send(sv[0], "c", 1, 0);
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } cred;
    mh.msg_control = cred.buf;
    mh.msg_controllen = sizeof cred.buf;
    iov.iov_base = &got;
    check("recvmsg with credentials", recvmsg(sv[1], &mh, 0), 1);
    c = CMSG_FIRSTHDR(&mh);
    struct ucred uc = { 0, 0, 0 };
    if (c)
        memcpy(&uc, cred.buf + CMSG_LEN(0), sizeof uc);
    check("  SCM_CREDENTIALS", c ? c->cmsg_type : -1, SCM_CREDENTIALS);
    check("  pid, uid, gid", uc.pid == getpid() && uc.uid == getuid() && uc.gid == getgid(), 1);
    socklen_t len = sizeof uc;
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &len);
    check("SO_PEERCRED", len == sizeof uc && uc.pid == getpid() && uc.uid == getuid(), 1);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

/* ---- a Unix stream server on a path ---- */

static char sock_path[200];

static int unix_connect(const char *path)
{
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, path);
    if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) {
        int e = errno;
        close(c);
        errno = e;
        return -1;
    }
    return c;
}

static void *unix_client(void *arg)
{
    (void)arg;
    int c = unix_connect(sock_path);
    char buf[32];
    write(c, "ping", 4);
    long n = read(c, buf, sizeof buf);
    printf("client thread got %ld bytes: %.*s\n", n, (int)n, buf);
    close(c);
    return NULL;
}

static void serve_one(int s, const char *who)
{
    struct sockaddr_un peer;
    socklen_t len = sizeof peer;
    int a = accept(s, (struct sockaddr *)&peer, &len);
    printf("%s: accepted, peer address length %d\n", who, (int)len);
    char buf[32];
    long n = read(a, buf, sizeof buf);
    printf("%s: server got %ld bytes: %.*s\n", who, n, (int)n, buf);
    write(a, "pong", 4);
    check("  EOF when the client closes", read(a, buf, sizeof buf), 0);
    close(a);
}

static void test_unix_server(void)
{
    const char *tmp = getenv("TMPDIR");
    char dir[160];
    snprintf(dir, sizeof dir, "%s/tsqemu-sockets-XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return;
    }
    snprintf(sock_path, sizeof sock_path, "%s/server.sock", dir);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, sock_path);
    check_err("connect before anyone binds", unix_connect(sock_path), ENOENT);
    check("bind to a path", bind(s, (struct sockaddr *)&a, sizeof a), 0);
    struct stat st;
    check("  a socket file exists", stat(sock_path, &st) == 0 && S_ISSOCK(st.st_mode), 1);
    struct sockaddr_un got;
    socklen_t len = sizeof got;
    getsockname(s, (struct sockaddr *)&got, &len);
    check("  getsockname: the path", strcmp(got.sun_path, sock_path), 0);
    check("  length includes the NUL", (long)len, (long)(offsetof(struct sockaddr_un, sun_path) + strlen(sock_path) + 1));
    check_err("connect before listen", unix_connect(sock_path), ECONNREFUSED);
    check("listen", listen(s, 4), 0);
    int t = socket(AF_UNIX, SOCK_STREAM, 0);
    check_err("bind the same path again", bind(t, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
    close(t);

    pthread_t th;
    pthread_create(&th, NULL, unix_client, NULL);
    serve_one(s, "thread");
    pthread_join(th, NULL);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int c = unix_connect(sock_path);
        char buf[32];
        write(c, "fork", 4);
        long n = read(c, buf, sizeof buf);
        printf("forked client got %ld bytes: %.*s\n", n, (int)n, buf);
        close(c);
        fflush(stdout);
        _exit(0);
    }
    serve_one(s, "fork");
    int status;
    waitpid(pid, &status, 0);
    check("forked client exited 0", WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);

    /* nonblocking accept */
    fcntl(s, F_SETFL, O_NONBLOCK);
    check_err("accept with nothing pending", accept(s, NULL, NULL), EAGAIN);
    close(s);
    check("the socket file stays after close", stat(sock_path, &st) == 0 && S_ISSOCK(st.st_mode), 1);
    check("unlink it", unlink(sock_path), 0);
    rmdir(dir);

    /* abstract and autobound names */
    s = socket(AF_UNIX, SOCK_DGRAM, 0);
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    check("autobind (address length 2)", bind(s, (struct sockaddr *)&a, sizeof(sa_family_t)), 0);
    len = sizeof got;
    getsockname(s, (struct sockaddr *)&got, &len);
    check("  an abstract name of 5 hex digits", (long)len, (long)(sizeof(sa_family_t) + 6));
    check("  starting with NUL", got.sun_path[0], 0);
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    check("sendto the autobound name", sendto(u, "dg", 2, 0, (struct sockaddr *)&got, len), 2);
    struct sockaddr_un from;
    socklen_t flen = sizeof from;
    char buf[8];
    check("recvfrom", recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen), 2);
    check("  unnamed sender: address length 0", (long)flen, 0);
    close(u);
    close(s);
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, "\0tsqemu-abstract-test", 21);
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    check("bind an abstract name", bind(s, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 21), 0);
    listen(s, 1);
    int c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    check("connect to it (nonblocking, completes at once)", connect(c, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 21), 0);
    int acc = accept4(s, NULL, NULL, SOCK_CLOEXEC);
    check("accept4 SOCK_CLOEXEC", fcntl(acc, F_GETFD), FD_CLOEXEC);
    check("  accepted socket is blocking", fcntl(acc, F_GETFL) & O_NONBLOCK, 0);
    len = sizeof got;
    getsockname(acc, (struct sockaddr *)&got, &len);
    check("  shares the listener's name", len == offsetof(struct sockaddr_un, sun_path) + 21 && memcmp(got.sun_path, a.sun_path, 21) == 0, 1);
    close(acc);
    close(c);
    close(s);
}

/* ---- TCP on 127.0.0.1 ---- */

static struct sockaddr_in server_addr;
#define BIG (1 << 20)

static void *tcp_client(void *arg)
{
    (void)arg;
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&server_addr, sizeof server_addr) < 0) {
        perror("connect");
        return NULL;
    }
    unsigned char *data = malloc(BIG);
    for (int i = 0; i < BIG; i++)
        data[i] = (unsigned char)(i * 7 + (i >> 9));
    long done = 0;
    while (done < BIG) {
        long n = write(c, data + done, BIG - done);
        if (n <= 0)
            break;
        done += n;
    }
    shutdown(c, SHUT_WR);
    char buf[16];
    long n = read(c, buf, sizeof buf);
    printf("tcp client got the reply: %.*s\n", (int)n, buf);
    close(c);
    free(data);
    return NULL;
}

static void test_tcp(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    check("SO_REUSEADDR", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;
    server_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server_addr.sin_port = 0;
    check("bind 127.0.0.1:0", bind(s, (struct sockaddr *)&server_addr, sizeof server_addr), 0);
    socklen_t len = sizeof server_addr;
    getsockname(s, (struct sockaddr *)&server_addr, &len);
    check("  getsockname: a port was chosen", server_addr.sin_port != 0, 1);
    check("  and the address", server_addr.sin_addr.s_addr == htonl(INADDR_LOOPBACK), 1);
    check("listen", listen(s, 8), 0);
    int v;
    len = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
    check("  SO_ACCEPTCONN", v, 1);

    int ep = epoll_create1(0);
    struct epoll_event ev = { EPOLLIN, { .fd = s } }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    pthread_t th;
    pthread_create(&th, NULL, tcp_client, NULL);
    check("epoll: a connection is pending", epoll_wait(ep, &out, 1, 5000), 1);
    struct sockaddr_in peer;
    len = sizeof peer;
    int a = accept(s, (struct sockaddr *)&peer, &len);
    check("accept", a >= 0, 1);
    check("  peer is 127.0.0.1", peer.sin_family == AF_INET && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && len == sizeof peer, 1);
    struct sockaddr_in pn;
    len = sizeof pn;
    getpeername(a, (struct sockaddr *)&pn, &len);
    check("  getpeername agrees", pn.sin_port == peer.sin_port, 1);
    check("TCP_NODELAY", setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), 0);
    len = sizeof v;
    getsockopt(a, IPPROTO_TCP, TCP_NODELAY, &v, &len);
    check("  reads back", v != 0, 1);

    unsigned char *data = malloc(BIG);
    long got = 0, n;
    unsigned sum = 0, want = 0;
    while ((n = read(a, data, BIG)) > 0) {
        for (long i = 0; i < n; i++)
            sum = sum * 31 + data[i];
        got += n;
    }
    for (int i = 0; i < BIG; i++)
        want = want * 31 + (unsigned char)(i * 7 + (i >> 9));
    check("1 MiB received up to EOF", got, BIG);
    check("  checksum", sum == want, 1);
    write(a, "thanks", 6);
    close(a);
    pthread_join(th, NULL);
    free(data);
    close(ep);

    /* MSG_PEEK, MSG_WAITALL, nonblocking connect */
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(c, (struct sockaddr *)&server_addr, sizeof server_addr);
    check("nonblocking connect", r == 0 || errno == EINPROGRESS, 1);
    struct pollfd pf = { c, POLLOUT, 0 };
    check("  poll: writable once connected", poll(&pf, 1, 5000), 1);
    len = sizeof v;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len);
    check("  SO_ERROR 0", v, 0);
    a = accept(s, NULL, NULL);
    fcntl(c, F_SETFL, 0);
    write(a, "abcdef", 6);
    char buf[16];
    check("MSG_PEEK", recv(c, buf, 3, MSG_PEEK), 3);
    check("MSG_WAITALL", recv(c, buf, 6, MSG_WAITALL), 6);
    check("  bytes", memcmp(buf, "abcdef", 6), 0);
    check_err("MSG_DONTWAIT on empty", recv(c, buf, 1, MSG_DONTWAIT), EAGAIN);
    close(a);
    check("EOF after the peer closes", read(c, buf, sizeof buf), 0);
    close(c);

    /* refused: a port nobody listens on */
    int t = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in closed = server_addr;
    close(s);
    check_err("connect to a closed port", connect(t, (struct sockaddr *)&closed, sizeof closed), ECONNREFUSED);
    close(t);

    /* options */
    t = socket(AF_INET, SOCK_STREAM, 0);
    len = sizeof v;
    getsockopt(t, SOL_SOCKET, SO_TYPE, &v, &len);
    check("SO_TYPE", v, SOCK_STREAM);
    len = sizeof v;
    getsockopt(t, SOL_SOCKET, SO_PROTOCOL, &v, &len);
    check("SO_PROTOCOL", v, IPPROTO_TCP);
    len = sizeof v;
    getsockopt(t, SOL_SOCKET, SO_DOMAIN, &v, &len);
    check("SO_DOMAIN", v, AF_INET);
    v = 4096;
    setsockopt(t, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
    len = sizeof v;
    getsockopt(t, SOL_SOCKET, SO_RCVBUF, &v, &len);
    check("SO_RCVBUF doubles", v, 8192);
    struct linger lg = { 1, 5 };
    setsockopt(t, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    memset(&lg, 0, sizeof lg);
    len = sizeof lg;
    getsockopt(t, SOL_SOCKET, SO_LINGER, &lg, &len);
    check("SO_LINGER", lg.l_onoff && lg.l_linger == 5 && len == sizeof lg, 1);
    struct timeval tv = { 0, 50000 };
    check("SO_RCVTIMEO", setsockopt(t, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    check_err("unknown option", getsockopt(t, SOL_SOCKET, 999, &v, &len), ENOPROTOOPT);
    check_err("recv on an unconnected socket", recv(t, buf, 1, 0), ENOTCONN);
    check_err("getpeername unconnected", getpeername(t, (struct sockaddr *)&pn, &len), ENOTCONN);
    close(t);
}

static void test_udp(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in aa, ba;
    memset(&aa, 0, sizeof aa);
    aa.sin_family = AF_INET;
    aa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ba = aa;
    check("udp bind a", bind(a, (struct sockaddr *)&aa, sizeof aa), 0);
    check("udp bind b", bind(b, (struct sockaddr *)&ba, sizeof ba), 0);
    socklen_t len = sizeof aa;
    getsockname(a, (struct sockaddr *)&aa, &len);
    len = sizeof ba;
    getsockname(b, (struct sockaddr *)&ba, &len);
    check("sendto", sendto(a, "datagram", 8, 0, (struct sockaddr *)&ba, sizeof ba), 8);
    char buf[32];
    struct sockaddr_in from;
    len = sizeof from;
    check("recvfrom", recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &len), 8);
    check("  from a's port", from.sin_port == aa.sin_port && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), 1);
    sendto(a, "0123456789", 10, 0, (struct sockaddr *)&ba, sizeof ba);
    check("truncated with MSG_TRUNC", recv(b, buf, 4, MSG_TRUNC), 10);
    check_err("nothing left", recv(b, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    check_err("send without an address", send(a, "x", 1, 0), EDESTADDRREQ);
    check_err("getpeername unconnected", getpeername(a, (struct sockaddr *)&from, &len), ENOTCONN);
    check("connect a to b", connect(a, (struct sockaddr *)&ba, sizeof ba), 0);
    check("send", send(a, "conn", 4, 0), 4);
    struct pollfd pf = { b, POLLIN, 0 };
    check("poll sees it", poll(&pf, 1, 5000), 1);
    check("recv", recv(b, buf, sizeof buf, 0), 4);
    len = sizeof from;
    check("getpeername connected", getpeername(a, (struct sockaddr *)&from, &len) == 0 && from.sin_port == ba.sin_port, 1);
    int unbound = socket(AF_INET, SOCK_DGRAM, 0);
    check("sendto from an unbound socket", sendto(unbound, "auto", 4, 0, (struct sockaddr *)&ba, sizeof ba), 4);
    struct sockaddr_in ua;
    len = sizeof ua;
    getsockname(unbound, (struct sockaddr *)&ua, &len);
    check("  it got a port", ua.sin_port != 0, 1);
    len = sizeof from;
    recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
    check("  the receiver sees that port", from.sin_port == ua.sin_port, 1);
    check_err("listen on UDP", listen(b, 1), EOPNOTSUPP);
    close(unbound);
    close(a);
    close(b);
}

static void test_errors(void)
{
    int p[2];
    pipe(p);
    char buf[4];
    check_err("recv on a pipe", recv(p[0], buf, 1, 0), ENOTSOCK);
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    check_err("getsockname on a pipe", getsockname(p[0], (struct sockaddr *)&sa, &salen), ENOTSOCK);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    check_err("bind on a closed fd", bind(99, (struct sockaddr *)&sa, sizeof sa), EBADF);
    close(p[0]);
    close(p[1]);
    check_err("socket: family 3", socket(3, SOCK_STREAM, 0), EAFNOSUPPORT);
    check_err("socket: bad type", socket(AF_INET, 11, 0), EINVAL);
    check_err("socket: inet seqpacket", socket(AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT);
    check_err("socket: stream over UDP", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
    check_err("socket: unix RDM", socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
    int sv[2];
    check_err("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
    int r = socket(AF_NETLINK, SOCK_RAW, 0);
    printf("netlink: %s\n", r >= 0 || errno == EAFNOSUPPORT ? "a socket or EAFNOSUPPORT" : "unexpected");
    if (r >= 0)
        close(r);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    check_err("bind with a short address", bind(s, (struct sockaddr *)&a, 8), EINVAL);
    check_err("accept without listen", accept(s, NULL, NULL), EINVAL);
    struct sockaddr_un un;
    memset(&un, 0, sizeof un);
    un.sun_family = AF_UNIX;
    check_err("bind: another family", bind(s, (struct sockaddr *)&un, sizeof un), EAFNOSUPPORT);
    close(s);
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    check_err("listen on an unbound Unix socket", listen(s, 1), EINVAL);
    check_err("Unix socket: TCP option", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &r, sizeof r), EOPNOTSUPP);
    check_err("recv on an unconnected Unix stream", recv(s, buf, 1, 0), EINVAL);
    check_err("send on an unconnected Unix stream", send(s, buf, 1, MSG_NOSIGNAL), ENOTCONN);
    close(s);
}

/* A program spawned with one end of a socketpair as its stdin and stdout (argv[1]: cat). */
static void test_spawn(char **argv)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
    posix_spawn_file_actions_addclose(&fa, sv[0]);
    posix_spawn_file_actions_addclose(&fa, sv[1]);
    pid_t pid;
    check("posix_spawn with a socket as stdin and stdout", posix_spawn(&pid, argv[1], &fa, NULL, argv + 1, environ), 0);
    close(sv[1]);
    check("write to it", write(sv[0], "through a socket\n", 17), 17);
    shutdown(sv[0], SHUT_WR);
    char buf[64];
    long n, total = 0;
    while ((n = read(sv[0], buf + total, sizeof buf - total)) > 0)
        total += n;
    printf("read back %ld bytes: %.*s", total, (int)total, buf);
    int status;
    waitpid(pid, &status, 0);
    check("  it exited 0", WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
    close(sv[0]);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1) {
        test_spawn(argv);
        return 0;
    }
    test_socketpair_stream();
    test_socketpair_dgram();
    test_rights();
    test_unix_server();
    test_tcp();
    test_udp();
    test_errors();
    printf("done\n");
    return 0;
}
