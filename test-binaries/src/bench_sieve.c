/* bench_sieve: sieve of Eratosthenes (byte array) plus a segmented bit-sieve;
 * counts primes and checksums them. argv[1] = limit (default 20,000,000),
 * argv[2] = how many times the byte sieve is repeated (default 4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

int main(int argc, char **argv)
{
    uint32_t limit = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 20000000u;
    unsigned passes = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 4;
    if (passes == 0)
        passes = 1;
    unsigned char *comp = calloc(limit + 1, 1);
    if (!comp) {
        printf("calloc failed\n");
        return 1;
    }
    uint32_t count = 0, last = 0, first_count = 0;
    uint64_t sum = 0;
    int stable = 1;
    for (unsigned p = 0; p < passes; p++) {
        memset(comp, 0, limit + 1);
        for (uint32_t i = 2; (uint64_t)i * i <= limit; i++)
            if (!comp[i])
                for (uint32_t j = i * i; j <= limit; j += i)
                    comp[j] = 1;
        count = 0;
        sum = 0;
        for (uint32_t i = 2; i <= limit; i++)
            if (!comp[i]) {
                count++;
                sum += i;
                last = i;
            }
        if (p == 0)
            first_count = count;
        else if (count != first_count)
            stable = 0;
    }
    printf("%u passes %s\n", passes, stable ? "agree" : "DISAGREE");
    printf("byte sieve: %u primes <= %u, sum %llu, largest %u\n", count, limit, (unsigned long long)sum, last);

    /* odd-only bit sieve */
    uint32_t nbits = limit / 2 + 1;
    uint32_t *bits = calloc((nbits + 31) / 32, 4);
    for (uint32_t i = 3; (uint64_t)i * i <= limit; i += 2)
        if (!(bits[i / 2 / 32] >> (i / 2 % 32) & 1))
            for (uint32_t j = i * i / 2; j < nbits; j += i)
                bits[j / 32] |= 1u << (j % 32);
    uint32_t count2 = limit >= 2;
    for (uint32_t k = 1; k < nbits; k++) {
        uint32_t v = 2 * k + 1;
        if (v > limit)
            break;
        if (!(bits[k / 32] >> (k % 32) & 1))
            count2++;
    }
    printf("bit sieve: %u primes (%s)\n", count2, count2 == count ? "agree" : "DISAGREE");

    /* twin primes */
    uint32_t twins = 0;
    for (uint32_t i = 3; i + 2 <= limit; i += 2)
        if (!comp[i] && !comp[i + 2])
            twins++;
    printf("twin prime pairs: %u\n", twins);
    free(bits);
    free(comp);
    return count2 == count && stable ? 0 : 1;
}
