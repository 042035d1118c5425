/* Shared by the benchmark programs: a scale argument and a deterministic generator.
 * Each program prints one checksum line so a wrong emulator is caught, not timed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline int bench_scale(int argc, char **argv, int dflt) {
    return argc > 1 ? atoi(argv[1]) : dflt;
}

/* xorshift32: the same stream on every host */
static uint32_t bench_rng_state = 2463534242u;
static inline uint32_t bench_rand(void) {
    uint32_t x = bench_rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return bench_rng_state = x;
}
