/* memcpy, memset, memmove and memcmp of various sizes: libc's block copy routines. */
#include "common.h"
#include <string.h>

int main(int argc, char **argv) {
    int rounds = bench_scale(argc, argv, 15000);
    enum { SIZE = 256 * 1024 };
    static uint8_t src[SIZE], dst[SIZE];
    for (size_t i = 0; i < SIZE; i++) src[i] = (uint8_t)bench_rand();
    uint32_t sum = 0;
    for (int r = 0; r < rounds; r++) {
        memcpy(dst, src, SIZE);
        memset(dst + (r & 1023), r & 255, SIZE / 2);
        memmove(dst + 3, dst, SIZE / 4);
        for (size_t len = 1; len < 4096; len = len * 2 + 1) memcpy(dst + len, src + (r & 63), len);
        sum = sum * 33 + dst[(r * 7919) % SIZE] + (uint32_t)(memcmp(dst, src, SIZE) > 0);
    }
    printf("memops %d x %d KiB: %08x\n", rounds, SIZE / 1024, sum);
    return 0;
}
