/* cpu_heavy: SHA-256 and CRC-32 over a generated buffer hashed several
 * times over as one stream: argv[1] = buffer size in KiB (default 4096),
 * argv[2] = number of passes (default 16, i.e. 64 MiB hashed). Also a
 * benchmark. Both algorithms are
 * implemented here from their specifications (FIPS 180-4; reflected CRC-32
 * with polynomial 0xEDB88320), and checked against known test vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char block[64];
    unsigned fill;
};

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256_init(struct sha256 *s)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->fill = 0;
}

static void sha256_update(struct sha256 *s, const unsigned char *p, size_t n)
{
    s->len += n;
    while (n > 0) {
        if (s->fill == 0 && n >= 64) {
            sha256_block(s->h, p);
            p += 64;
            n -= 64;
            continue;
        }
        size_t take = 64 - s->fill;
        if (take > n)
            take = n;
        memcpy(s->block + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill == 64) {
            sha256_block(s->h, s->block);
            s->fill = 0;
        }
    }
}

static void sha256_final(struct sha256 *s, char hex[65])
{
    uint64_t bits = s->len * 8;
    unsigned char pad[72] = { 0x80 };
    size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;
    for (int i = 0; i < 8; i++)
        pad[padlen + i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(s, pad, padlen + 8);
    for (int i = 0; i < 8; i++)
        sprintf(hex + 8 * i, "%08x", s->h[i]);
}

static uint32_t crc_table[256];

static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* bitwise CRC (no table) over a small prefix, as a cross-check */
static uint32_t crc32_slow(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

int main(int argc, char **argv)
{
    size_t kib = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 4096;
    size_t n = kib * 1024;
    unsigned passes = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 16;
    char hex[65];
    struct sha256 s;

    crc32_init();

    /* known answers */
    sha256_init(&s);
    sha256_update(&s, (const unsigned char *)"abc", 3);
    sha256_final(&s, hex);
    printf("sha256(\"abc\") = %s\n", hex);
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_init(&s);
    sha256_update(&s, (const unsigned char *)two, strlen(two));
    sha256_final(&s, hex);
    printf("sha256(448-bit msg) = %s\n", hex);
    printf("crc32(\"123456789\") = %08x\n", crc32(0, (const unsigned char *)"123456789", 9));

    unsigned char *buf = malloc(n ? n : 1);
    if (!buf) {
        printf("malloc failed\n");
        return 1;
    }
    uint32_t x = 0x2545f491u;
    for (size_t i = 0; i < n; i++) {
        /* xorshift32 */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)(x >> 24);
    }

    sha256_init(&s);
    uint32_t c1 = 0, c2 = 0;
    for (unsigned p = 0; p < passes; p++) {
        /* feed in uneven chunks to exercise the buffering path */
        size_t pos = 0, step = 1 + p;
        while (pos < n) {
            size_t take = step > n - pos ? n - pos : step;
            sha256_update(&s, buf + pos, take);
            pos += take;
            step = step * 3 + 1;
            if (step > 100000)
                step = 7;
        }
        c1 = crc32(c1, buf, n);
        c2 = crc32(crc32(c2, buf, n / 3), buf + n / 3, n - n / 3);
    }
    sha256_final(&s, hex);
    size_t small = n < 65536 ? n : 65536;
    int slow_ok = crc32_slow(buf, small) == crc32(0, buf, small);
    printf("buffer %zu KiB x %u passes\n", kib, passes);
    printf("sha256 = %s\n", hex);
    printf("crc32 = %08x (incremental %s, bitwise cross-check %s)\n", c1, c1 == c2 ? "ok" : "MISMATCH",
           slow_ok ? "ok" : "MISMATCH");
    free(buf);
    return 0;
}
