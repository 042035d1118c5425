/* threads: POSIX threads in a static glibc program: clone, futex-based
 * mutexes and condition variables, thread-local storage (TLS through the
 * kuser get_tls helper / TPIDRURO), atomics (kuser cmpxchg helper on ARMv5),
 * join results and thread exit codes. Output is independent of scheduling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <pthread.h>

#define NT 4

static __thread int tls_id = -1;
static __thread char tls_buf[32];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long shared_counter;
static int atomic_counter;
static uint64_t partial[NT];

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    tls_id = id;
    snprintf(tls_buf, sizeof tls_buf, "thread-%d", id);
    uint64_t sum = 0;
    for (uint32_t i = id * 250000u; i < (id + 1) * 250000u; i++)
        sum += (uint64_t)i * i % 1000003u;
    partial[id] = sum;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&lock);
        shared_counter++;
        pthread_mutex_unlock(&lock);
        __sync_fetch_and_add(&atomic_counter, 1);
        if (i % 5000 == 0)
            sched_yield();
    }
    /* TLS must still be ours */
    char expect[32];
    snprintf(expect, sizeof expect, "thread-%d", id);
    int ok = tls_id == id && strcmp(tls_buf, expect) == 0;
    return (void *)(intptr_t)(ok ? 100 + id : -1);
}

/* ping-pong through a condition variable */
static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int turn, rounds_done;

static void *ponger(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&pp_lock);
        while (turn != 1)
            pthread_cond_wait(&pp_cond, &pp_lock);
        turn = 0;
        rounds_done++;
        pthread_cond_signal(&pp_cond);
        pthread_mutex_unlock(&pp_lock);
    }
    return NULL;
}

static void *exiter(void *arg)
{
    pthread_exit((void *)(intptr_t)(7 * (int)(intptr_t)arg));
}

int main(void)
{
    tls_id = 99;
    pthread_t th[NT];
    for (int i = 0; i < NT; i++)
        if (pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    uint64_t total = 0;
    for (int i = 0; i < NT; i++) {
        void *ret;
        pthread_join(th[i], &ret);
        printf("worker %d returned %d, partial %llu\n", i, (int)(intptr_t)ret, (unsigned long long)partial[i]);
        total += partial[i];
    }
    printf("total %llu\n", (unsigned long long)total);
    printf("mutex counter %ld, atomic counter %d\n", shared_counter, atomic_counter);
    printf("main tls_id still %d\n", tls_id);

    pthread_t p;
    pthread_create(&p, NULL, ponger, NULL);
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&pp_lock);
        turn = 1;
        pthread_cond_signal(&pp_cond);
        while (turn != 0)
            pthread_cond_wait(&pp_cond, &pp_lock);
        pthread_mutex_unlock(&pp_lock);
    }
    pthread_join(p, NULL);
    printf("ping-pong rounds %d\n", rounds_done);

    pthread_t e;
    void *ev;
    pthread_create(&e, NULL, exiter, (void *)(intptr_t)6);
    pthread_join(e, &ev);
    printf("pthread_exit value %d\n", (int)(intptr_t)ev);

    int v = 5;
    int old = __sync_val_compare_and_swap(&v, 5, 9);
    int failed = __sync_bool_compare_and_swap(&v, 5, 11);
    printf("cas: old=%d now=%d second=%d\n", old, v, failed);
    return 0;
}
