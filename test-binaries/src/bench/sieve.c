/* Sieve of Eratosthenes over a byte array: tight loops of strided byte stores. */
#include "common.h"
#include <string.h>

int main(int argc, char **argv) {
    int rounds = bench_scale(argc, argv, 25);
    enum { N = 4000000 };
    static uint8_t composite[N + 1];
    int count = 0;
    for (int r = 0; r < rounds; r++) {
        memset(composite, 0, sizeof composite);
        count = 0;
        for (int i = 2; i <= N; i++) {
            if (composite[i]) continue;
            count++;
            for (int j = 2 * i; j <= N; j += i) composite[j] = 1;
        }
    }
    printf("sieve %d x primes up to %d: %d\n", rounds, N, count);
    return 0;
}
