/* spawn: child processes as libc makes them. posix_spawn (clone with CLONE_VM|CLONE_VFORK,
 * then execve) of an ARM program with its stdout on a pipe we read, waitpid's status,
 * vfork + _exit, execve of a missing file (ENOENT, the child reports it), SIGCHLD, waitpid
 * with WNOHANG and ECHILD. The program to spawn is argv[1] (an ARM binary printing a line). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t chld;
static void on_chld(int sig) { (void)sig; chld++; }

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    signal(SIGCHLD, on_chld);

    /* 1. posix_spawn with stdout on a pipe */
    int p[2];
    if (pipe(p) != 0) return 1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    pid_t pid;
    char *cargv[] = { argv[1], NULL };
    int rc = posix_spawn(&pid, argv[1], &fa, NULL, cargv, environ);
    close(p[1]);
    char buf[256];
    ssize_t n, total = 0;
    while ((n = read(p[0], buf + total, sizeof buf - 1 - total)) > 0)
        total += n;
    buf[total] = 0;
    int status = -1;
    pid_t w = waitpid(pid, &status, 0);
    printf("posix_spawn: rc=%d child said: %s", rc, buf);
    printf("waitpid: same pid %d, exited %d, code %d\n", w == pid, WIFEXITED(status), WEXITSTATUS(status));

    /* 2. vfork + _exit */
    pid = vfork();
    if (pid == 0)
        _exit(7);
    w = waitpid(pid, &status, 0);
    printf("vfork: same pid %d, exited %d, code %d\n", w == pid, WIFEXITED(status), WEXITSTATUS(status));

    /* 3. execve of a missing file fails in the child */
    pid = vfork();
    if (pid == 0) {
        char *nargv[] = { "missing", NULL };
        execve("/nonexistent/program", nargv, environ);
        _exit(errno == ENOENT ? 42 : 43);
    }
    waitpid(pid, &status, 0);
    printf("execve of a missing file: child exit %d (42 = ENOENT)\n", WEXITSTATUS(status));

    /* 4. no children left */
    errno = 0;
    w = waitpid(-1, &status, WNOHANG);
    printf("waitpid with no children: %d %s; SIGCHLD seen: %s\n", (int)w, errno == ECHILD ? "ECHILD" : strerror(errno), chld > 0 ? "yes" : "no");
    return 0;
}
