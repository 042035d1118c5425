/* host_signals: signals sent to the emulator by the host reach the guest (not a case of
 * cases.json: test-binaries/host-signals.test.ts drives it). It prints "ready", spins in a
 * pure busy loop until its SIGINT handler runs (Ctrl-C), prints "waiting" and blocks in
 * pause(), where SIGTERM's default action ends it (exit status 143 as seen by a shell). */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t got_int;

static void on_int(int sig) { (void)sig; got_int = 1; }

int main(void)
{
    signal(SIGINT, on_int);
    printf("ready\n");
    fflush(stdout);
    volatile unsigned long spins = 0;
    while (!got_int)
        spins++;
    printf("SIGINT handled in a busy loop\nwaiting\n");
    fflush(stdout);
    for (;;)
        pause();
}
