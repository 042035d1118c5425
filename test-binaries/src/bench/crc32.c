/* Table-driven CRC-32 over a generated buffer: byte loads, table lookups, shifts. */
#include "common.h"

static uint32_t table[256];

static void make_table(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc) {
    crc = ~crc;
    while (n--) crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int main(int argc, char **argv) {
    int passes = bench_scale(argc, argv, 300);
    enum { SIZE = 1 << 20 };
    static uint8_t buf[SIZE];
    for (size_t i = 0; i < SIZE; i++) buf[i] = (uint8_t)bench_rand();
    make_table();
    uint32_t crc = 0;
    for (int i = 0; i < passes; i++) crc = crc32(buf, SIZE, crc);
    printf("crc32 %d x 1 MiB: %08x\n", passes, crc);
    return 0;
}
