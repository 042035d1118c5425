/* bench_sort: sorts pseudo-random 32-bit keys with a hand-written quicksort,
 * a bottom-up merge sort, and libc qsort, then checks they agree.
 * argv[1] = element count (default 1,000,000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static void isort(uint32_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint32_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void quick(uint32_t *a, long n)
{
    while (n > 16) {
        uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint32_t p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i >= j)
                break;
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* recurse into the smaller side */
        if (j + 1 < n - j - 1) {
            quick(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            quick(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    isort(a, n);
}

static void merge_sort(uint32_t *a, uint32_t *tmp, long n)
{
    for (long w = 1; w < n; w *= 2) {
        for (long lo = 0; lo < n; lo += 2 * w) {
            long mid = lo + w < n ? lo + w : n;
            long hi = lo + 2 * w < n ? lo + 2 * w : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static uint32_t checksum(const uint32_t *a, long n)
{
    uint32_t h = 2166136261u;
    for (long i = 0; i < n; i++)
        h = (h ^ a[i]) * 16777619u;
    return h;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
    uint32_t *orig = malloc(n * sizeof *orig), *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b),
             *c = malloc(n * sizeof *c), *tmp = malloc(n * sizeof *tmp);
    if (!orig || !a || !b || !c || !tmp) {
        printf("malloc failed\n");
        return 1;
    }
    uint64_t s = 88172645463325252ull;
    for (long i = 0; i < n; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        orig[i] = (uint32_t)(s >> 32) % (uint32_t)(n * 4 + 1); /* some duplicates */
    }
    memcpy(a, orig, n * sizeof *a);
    memcpy(b, orig, n * sizeof *b);
    memcpy(c, orig, n * sizeof *c);
    printf("n=%ld input checksum %08x\n", n, checksum(orig, n));
    quick(a, n);
    merge_sort(b, tmp, n);
    qsort(c, n, sizeof *c, cmp_u32);
    int sorted = 1;
    for (long i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            sorted = 0;
    printf("quicksort checksum %08x sorted=%d\n", checksum(a, n), sorted);
    printf("mergesort %s, qsort %s\n", memcmp(a, b, n * sizeof *a) ? "DIFFERS" : "agrees",
           memcmp(a, c, n * sizeof *a) ? "DIFFERS" : "agrees");
    printf("min %u median %u max %u\n", a[0], a[n / 2], a[n - 1]);
    long distinct = n > 0;
    for (long i = 1; i < n; i++)
        distinct += a[i] != a[i - 1];
    printf("distinct %ld\n", distinct);
    return 0;
}
