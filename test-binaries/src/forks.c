/* forks: a fork-heavy program. 40 children forked in waves, each computing a value from
 * its own copy of memory and handing it back through a pipe and its exit status; a child
 * writing to memory does not change the parent's copy; a chain of processes passing a token
 * through pipes; a child killed by a signal (WIFSIGNALED, WTERMSIG); kill from the parent to
 * a child blocked in pause(); wait order independent of scheduling. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int shared_before_fork = 100;

static long work(int n)
{
    long s = 0;
    for (int i = 1; i <= 1000 * (n + 1); i++)
        s += i % (n + 7);
    return s;
}

int main(void)
{
    /* 1. waves of children: result by pipe and by exit status */
    long total = 0;
    int status_sum = 0;
    for (int wave = 0; wave < 5; wave++) {
        int fds[8][2];
        pid_t pids[8];
        for (int i = 0; i < 8; i++) {
            int n = wave * 8 + i;
            if (pipe(fds[i]) != 0) return 1;
            pids[i] = fork();
            if (pids[i] == 0) {
                close(fds[i][0]);
                shared_before_fork = n; /* the child's own copy */
                long v = work(n);
                if (write(fds[i][1], &v, sizeof v) != sizeof v) _exit(99);
                _exit(n % 50);
            }
            close(fds[i][1]);
        }
        for (int i = 0; i < 8; i++) {
            long v = 0;
            if (read(fds[i][0], &v, sizeof v) != sizeof v) return 2;
            close(fds[i][0]);
            int st;
            waitpid(pids[i], &st, 0);
            total += v;
            status_sum += WEXITSTATUS(st);
        }
    }
    printf("40 children: total %ld, exit statuses sum %d, parent's copy still %d\n", total, status_sum, shared_before_fork);

    /* 2. a chain of 6 processes passing a token through pipes */
    int in[2];
    if (pipe(in) != 0) return 1;
    int first_write = in[1];
    int prev_read = in[0];
    pid_t chain[6];
    for (int i = 0; i < 6; i++) {
        int next[2];
        if (pipe(next) != 0) return 1;
        chain[i] = fork();
        if (chain[i] == 0) {
            close(next[0]);
            close(first_write);
            int token;
            if (read(prev_read, &token, sizeof token) != sizeof token) _exit(98);
            token = token * 2 + i;
            if (write(next[1], &token, sizeof token) != sizeof token) _exit(97);
            _exit(0);
        }
        close(prev_read);
        close(next[1]);
        prev_read = next[0];
    }
    int token = 1;
    if (write(first_write, &token, sizeof token) != sizeof token) return 3;
    close(first_write);
    if (read(prev_read, &token, sizeof token) != sizeof token) return 4;
    for (int i = 0; i < 6; i++)
        waitpid(chain[i], NULL, 0);
    printf("token after the chain: %d\n", token);

    /* 3. a child killed by a signal, and one killed by its parent */
    pid_t p = fork();
    if (p == 0) {
        signal(SIGSEGV, SIG_DFL);
        raise(SIGUSR1);
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    printf("raise(SIGUSR1) child: signaled %d signal %d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    int ready[2];
    if (pipe(ready) != 0) return 1;
    p = fork();
    if (p == 0) {
        close(ready[0]);
        if (write(ready[1], "r", 1) != 1) _exit(96);
        for (;;)
            pause();
    }
    close(ready[1]);
    char c;
    if (read(ready[0], &c, 1) != 1) return 5;
    kill(p, SIGTERM);
    waitpid(p, &st, 0);
    printf("killed child: signaled %d signal %d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return 0;
}
