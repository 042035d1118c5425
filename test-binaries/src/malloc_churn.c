/* malloc_churn: a deterministic LCG drives malloc/calloc/realloc/free over many
 * sizes, including blocks larger than the mmap threshold, so that brk, mmap,
 * munmap and mremap are all exercised. Every live block is filled with a
 * pattern derived from its slot and generation, and checked before it is
 * freed or resized. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <malloc.h>

#define SLOTS 256
#define ROUNDS 4000

static uint32_t lcg_state = 12345u;
static uint32_t rnd(void)
{
    lcg_state = lcg_state * 1103515245u + 12345u;
    return lcg_state >> 8;
}

struct slot {
    unsigned char *p;
    size_t size;
    uint32_t seed;
};

static struct slot slots[SLOTS];
static unsigned long errors;

static unsigned char pat(uint32_t seed, size_t i)
{
    return (unsigned char)((seed + i * 31u + (i >> 8)) & 0xff);
}

static void fill(struct slot *s, size_t from)
{
    for (size_t i = from; i < s->size; i++)
        s->p[i] = pat(s->seed, i);
}

static uint32_t check(const struct slot *s, size_t upto)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < upto && i < s->size; i++) {
        if (s->p[i] != pat(s->seed, i))
            errors++;
        sum = sum * 33u + s->p[i];
    }
    return sum;
}

static size_t pick_size(void)
{
    uint32_t r = rnd();
    switch (r % 16) {
    case 0:
        return 0;
    case 1: case 2: case 3: case 4: case 5:
        return 1 + (rnd() % 64);               /* tiny: tcache/fastbins */
    case 6: case 7: case 8: case 9:
        return 64 + (rnd() % 1024);            /* small bins */
    case 10: case 11: case 12:
        return 1024 + (rnd() % 16384);         /* large bins */
    case 13: case 14:
        return 16384 + (rnd() % (48 * 1024));  /* below mmap threshold */
    default:
        return 129 * 1024 + (rnd() % (64 * 1024)); /* mmap path */
    }
}

int main(void)
{
    /* fixing the threshold disables glibc's dynamic threshold adjustment, so
     * large blocks keep going to mmap */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);

    uint32_t total = 0;
    unsigned long n_malloc = 0, n_calloc = 0, n_realloc = 0, n_free = 0, n_large = 0;
    unsigned long long bytes = 0;

    for (int round = 0; round < ROUNDS; round++) {
        struct slot *s = &slots[rnd() % SLOTS];
        uint32_t op = rnd() % 8;
        if (s->p == NULL) {
            size_t sz = pick_size();
            if (op == 0) {
                s->p = calloc(sz ? sz : 1, 1);
                n_calloc++;
                s->size = sz;
                for (size_t i = 0; i < sz; i++)
                    if (s->p[i] != 0)
                        errors++;
            } else {
                s->p = malloc(sz);
                n_malloc++;
                s->size = sz;
            }
            if (s->p == NULL && sz != 0) {
                printf("allocation of %zu failed\n", sz);
                return 1;
            }
            if (s->p == NULL)  /* malloc(0) may legally return NULL; glibc does not */
                s->p = malloc(1);
            s->seed = rnd();
            fill(s, 0);
            bytes += sz;
            if (sz > 128 * 1024)
                n_large++;
        } else if (op < 3) {
            size_t nsz = pick_size();
            size_t keep = nsz < s->size ? nsz : s->size;
            total += check(s, keep);
            unsigned char *np = realloc(s->p, nsz ? nsz : 1);
            if (np == NULL) {
                printf("realloc to %zu failed\n", nsz);
                return 1;
            }
            n_realloc++;
            s->p = np;
            s->size = nsz;
            total += check(s, keep); /* preserved prefix must survive the move */
            fill(s, keep);
            bytes += nsz;
            if (nsz > 128 * 1024)
                n_large++;
        } else {
            total += check(s, s->size);
            free(s->p);
            n_free++;
            s->p = NULL;
            s->size = 0;
        }
    }

    size_t live = 0, live_bytes = 0;
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].p) {
            total += check(&slots[i], slots[i].size);
            live++;
            live_bytes += slots[i].size;
            free(slots[i].p);
        }
    }

    /* a burst of equal-size allocations, freed in reverse, then in order */
    void *burst[1000];
    for (int i = 0; i < 1000; i++) {
        burst[i] = malloc(48);
        memset(burst[i], i & 0xff, 48);
    }
    for (int i = 999; i >= 0; i -= 2)
        free(burst[i]);
    for (int i = 0; i < 1000; i += 2) {
        if (((unsigned char *)burst[i])[47] != (i & 0xff))
            errors++;
        free(burst[i]);
    }

    /* one very large block: 8 MiB, touched sparsely */
    unsigned char *big = malloc(8u << 20);
    if (!big) {
        printf("8 MiB malloc failed\n");
        return 1;
    }
    for (size_t i = 0; i < (8u << 20); i += 4096)
        big[i] = (unsigned char)(i >> 12);
    uint32_t bigsum = 0;
    for (size_t i = 0; i < (8u << 20); i += 4096)
        bigsum += big[i];
    free(big);

    printf("malloc=%lu calloc=%lu realloc=%lu free=%lu large=%lu\n", n_malloc, n_calloc, n_realloc,
           n_free, n_large);
    printf("bytes requested=%llu live at end=%zu (%zu bytes)\n", bytes, live, live_bytes);
    printf("checksum=%08x bigsum=%u errors=%lu\n", total, bigsum, errors);
    puts(errors ? "FAIL" : "OK");
    return errors ? 1 : 0;
}
