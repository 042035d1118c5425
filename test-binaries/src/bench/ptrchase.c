/* Pointer chasing through a random cyclic permutation: dependent loads, cache misses. */
#include "common.h"

int main(int argc, char **argv) {
    int steps_m = bench_scale(argc, argv, 30);
    enum { N = 1 << 20 };
    static uint32_t next[N];
    for (uint32_t i = 0; i < N; i++) next[i] = i;
    /* Sattolo's algorithm: one cycle through every element */
    for (uint32_t i = N - 1; i > 0; i--) {
        uint32_t j = bench_rand() % i;
        uint32_t t = next[i]; next[i] = next[j]; next[j] = t;
    }
    uint32_t p = 0, sum = 0;
    for (long s = 0; s < (long)steps_m * 1000000; s++) { p = next[p]; sum += p; }
    printf("ptrchase %dM steps: %08x %u\n", steps_m, sum, p);
    return 0;
}
