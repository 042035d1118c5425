/* threads2: more of what threaded programs need from clone and futex. 64 short-lived threads
 * created and joined in waves, detached threads, a barrier, a reader-writer lock, POSIX
 * semaphores, pthread_once and thread-specific data, pthread_cond_timedwait timing out,
 * raw futex calls (a wait that times out, EAGAIN on a changed word, FUTEX_CMP_REQUEUE moving
 * waiters to a second word, FUTEX_WAKE_OP), a signal sent to one thread with pthread_kill
 * (its handler sees its own thread id), and gettid differing between threads. Output does
 * not depend on scheduling. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex(int *uaddr, int op, int val, const struct timespec *ts, int *uaddr2, int val3)
{
    return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static void *square(void *arg) { long v = (long)arg; return (void *)(v * v); }

static pthread_barrier_t barrier;
static volatile int before_barrier, after_ok = 1;
static void *barrier_worker(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&before_barrier, 1, __ATOMIC_SEQ_CST);
    pthread_barrier_wait(&barrier);
    if (__atomic_load_n(&before_barrier, __ATOMIC_SEQ_CST) != 4) after_ok = 0;
    return NULL;
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long shared_sum;
static void *rw_worker(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < 500; i++) {
        if (i % 5 == 0) {
            pthread_rwlock_wrlock(&rw);
            shared_sum += id;
            pthread_rwlock_unlock(&rw);
        } else {
            pthread_rwlock_rdlock(&rw);
            volatile long x = shared_sum;
            (void)x;
            pthread_rwlock_unlock(&rw);
        }
    }
    return NULL;
}

static sem_t items, slots;
static int ring[4], head, tail;
static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 100; i++) {
        sem_wait(&slots);
        ring[head++ % 4] = i;
        sem_post(&items);
    }
    return NULL;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_key_t key;
static int destructor_runs;
static void init_once(void) { once_runs++; }
static void destroy(void *p) { (void)p; __atomic_fetch_add(&destructor_runs, 1, __ATOMIC_SEQ_CST); }
static void *tsd_worker(void *arg)
{
    pthread_once(&once, init_once);
    pthread_setspecific(key, arg);
    return (void *)(pthread_getspecific(key) == arg);
}

static volatile int detached_done;
static void *detached(void *arg) { (void)arg; __atomic_fetch_add(&detached_done, 1, __ATOMIC_SEQ_CST); return NULL; }

static int word_a, word_b;
static volatile int waiters_started, waiters_woken;
static void *futex_waiter(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&waiters_started, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&word_a, __ATOMIC_SEQ_CST) == 0)
        futex(&word_a, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    __atomic_fetch_add(&waiters_woken, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static volatile pid_t handler_tid, target_tid;
static volatile int target_ready, target_go;
static void on_usr1(int sig) { (void)sig; handler_tid = gettid(); }
static void *signal_target(void *arg)
{
    (void)arg;
    target_tid = gettid();
    target_ready = 1;
    while (!handler_tid)
        sched_yield();
    return NULL;
}

int main(void)
{
    /* 1. waves of short-lived threads */
    long total = 0;
    for (int wave = 0; wave < 8; wave++) {
        pthread_t t[8];
        for (long i = 0; i < 8; i++)
            pthread_create(&t[i], NULL, square, (void *)(wave * 8 + i));
        for (int i = 0; i < 8; i++) {
            void *r;
            pthread_join(t[i], &r);
            total += (long)r;
        }
    }
    printf("64 threads: sum of squares %ld\n", total);

    /* 2. detached threads */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 4; i++) {
        pthread_t t;
        pthread_create(&t, &attr, detached, NULL);
    }
    while (__atomic_load_n(&detached_done, __ATOMIC_SEQ_CST) < 4)
        sched_yield();
    printf("detached threads done: %d\n", detached_done);

    /* 3. barrier */
    pthread_barrier_init(&barrier, NULL, 4);
    pthread_t b[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&b[i], NULL, barrier_worker, NULL);
    barrier_worker(NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(b[i], NULL);
    printf("barrier: all arrived before any left: %s\n", after_ok ? "yes" : "no");

    /* 4. reader-writer lock */
    pthread_t r[4];
    for (long i = 0; i < 4; i++)
        pthread_create(&r[i], NULL, rw_worker, (void *)(i + 1));
    for (int i = 0; i < 4; i++)
        pthread_join(r[i], NULL);
    printf("rwlock sum: %ld\n", shared_sum);

    /* 5. semaphores: bounded buffer */
    sem_init(&items, 0, 0);
    sem_init(&slots, 0, 4);
    pthread_t p;
    pthread_create(&p, NULL, producer, NULL);
    long consumed = 0;
    for (int i = 0; i < 100; i++) {
        sem_wait(&items);
        consumed += ring[tail++ % 4];
        sem_post(&slots);
    }
    pthread_join(p, NULL);
    printf("semaphores: consumed %ld\n", consumed);

    /* 6. pthread_once and thread-specific data with destructors */
    pthread_key_create(&key, destroy);
    pthread_t k[3];
    int ok = 1;
    for (long i = 0; i < 3; i++)
        pthread_create(&k[i], NULL, tsd_worker, (void *)(i + 1));
    for (int i = 0; i < 3; i++) {
        void *res;
        pthread_join(k[i], &res);
        ok &= res != NULL;
    }
    printf("once ran %d time(s), tsd ok %d, destructors %d\n", once_runs, ok, destructor_runs);

    /* 7. pthread_cond_timedwait that times out */
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 20000000;
    if (deadline.tv_nsec >= 1000000000) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000; }
    pthread_mutex_lock(&m);
    int rc = pthread_cond_timedwait(&c, &m, &deadline);
    pthread_mutex_unlock(&m);
    printf("cond_timedwait: %s\n", rc == ETIMEDOUT ? "ETIMEDOUT" : strerror(rc));

    /* 8. raw futex: timeout, EAGAIN, CMP_REQUEUE, WAKE_OP */
    int w = 0;
    struct timespec tiny = { 0, 10000000 };
    errno = 0;
    long f = futex(&w, FUTEX_WAIT_PRIVATE, 0, &tiny, NULL, 0);
    printf("futex wait timeout: %ld %s\n", f, errno == ETIMEDOUT ? "ETIMEDOUT" : strerror(errno));
    errno = 0;
    f = futex(&w, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
    printf("futex wait on changed word: %ld %s\n", f, errno == EAGAIN ? "EAGAIN" : strerror(errno));
    pthread_t fw[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&fw[i], NULL, futex_waiter, NULL);
    while (__atomic_load_n(&waiters_started, __ATOMIC_SEQ_CST) < 3)
        sched_yield();
    /* wake none, move waiters from word_a to word_b (word_a must still be 0), until all 3
     * have been moved (a waiter may not have reached FUTEX_WAIT yet) */
    long moved = 0;
    for (int tries = 0; moved < 3 && tries < 100000; tries++) {
        moved += futex(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)INT_MAX, &word_b, 0);
        sched_yield();
    }
    errno = 0;
    long bad = futex(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)INT_MAX, &word_b, 1);
    printf("cmp_requeue: moved %ld, with a stale value: %ld %s\n", moved, bad, errno == EAGAIN ? "EAGAIN" : strerror(errno));
    __atomic_store_n(&word_a, 1, __ATOMIC_SEQ_CST);
    /* WAKE_OP: word_b = 1 (SET), wake 1 on word_a (nobody), and 3 on word_b if old == 0 */
    long woke = futex(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)3L, &word_b, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0));
    for (int i = 0; i < 3; i++)
        pthread_join(fw[i], NULL);
    printf("wake_op: woke %ld, word_b=%d, waiters done %d\n", woke, word_b, waiters_woken);

    /* 9. a signal for one thread */
    signal(SIGUSR1, on_usr1);
    pthread_t st;
    pthread_create(&st, NULL, signal_target, NULL);
    while (!target_ready)
        sched_yield();
    pthread_kill(st, SIGUSR1);
    pthread_join(st, NULL);
    printf("pthread_kill: handler ran in the target thread: %s; main tid differs: %s\n",
           handler_tid == target_tid ? "yes" : "no", target_tid != gettid() ? "yes" : "no");
    return 0;
}
