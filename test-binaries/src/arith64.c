/* arith64: 64-bit integer arithmetic (which on ARMv5 goes through libgcc's
 * __aeabi_ldivmod/__aeabi_uldivmod and friends), 32-bit division (no hardware
 * divider on ARMv5: __aeabi_idiv/__aeabi_uidiv), shifts, and bit builtins.
 * Operands are laundered through volatile so the compiler cannot fold them. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static volatile uint64_t vu[] = {
    0, 1, 2, 3, 7, 10, 0xffffffffu, 0x100000000ull, 0x123456789abcdef0ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xffffffffffffffffull, 1000000007ull, 0xdeadbeefcafebabeull,
};
#define NVU (sizeof vu / sizeof vu[0])

static volatile int32_t v32[] = { 0, 1, -1, 2, -2, 7, -7, 100, -100, 0x7fffffff, (int32_t)0x80000000, 65536, 3 };
#define NV32 (sizeof v32 / sizeof v32[0])

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x100000001b3ull;
    return h;
}

int main(void)
{
    uint64_t h = 0xcbf29ce484222325ull;

    /* unsigned 64-bit */
    for (unsigned i = 0; i < NVU; i++) {
        for (unsigned j = 0; j < NVU; j++) {
            uint64_t a = vu[i], b = vu[j];
            uint64_t m = a * b, s = a + b, d = a - b;
            h = mix(h, m);
            h = mix(h, s);
            h = mix(h, d);
            if (b != 0) {
                uint64_t q = a / b, r = a % b;
                h = mix(h, q);
                h = mix(h, r);
                if (q * b + r != a)
                    printf("udiv identity failed %" PRIx64 " %" PRIx64 "\n", a, b);
            }
        }
    }
    printf("u64 hash %016" PRIx64 "\n", h);

    /* signed 64-bit: avoid INT64_MIN / -1 */
    h = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < NVU; i++) {
        for (unsigned j = 0; j < NVU; j++) {
            int64_t a = (int64_t)vu[i], b = (int64_t)vu[j];
            for (int sa = 0; sa < 2; sa++) {
                for (int sb = 0; sb < 2; sb++) {
                    int64_t x = sa ? (int64_t)(0 - (uint64_t)a) : a;
                    int64_t y = sb ? (int64_t)(0 - (uint64_t)b) : b;
                    if (y == 0 || (x == INT64_MIN && y == -1))
                        continue;
                    int64_t q = x / y, r = x % y;
                    h = mix(h, (uint64_t)q);
                    h = mix(h, (uint64_t)r);
                    if ((uint64_t)q * (uint64_t)y + (uint64_t)r != (uint64_t)x)
                        printf("sdiv identity failed\n");
                }
            }
        }
    }
    printf("s64 hash %016" PRIx64 "\n", h);

    /* a few printed individually */
    volatile int64_t p = -1000000000000LL, q = 7, r = -3;
    printf("%lld/%lld=%lld %%=%lld\n", (long long)p, (long long)q, (long long)(p / q), (long long)(p % q));
    printf("%lld/%lld=%lld %%=%lld\n", (long long)p, (long long)r, (long long)(p / r), (long long)(p % r));
    volatile int64_t mn = INT64_MIN;
    printf("INT64_MIN/2=%lld INT64_MIN%%3=%lld -INT64_MAX/-1=%lld\n", (long long)(mn / 2), (long long)(mn % 3),
           (long long)(-INT64_MAX / (int64_t)-1));
    volatile uint64_t um = UINT64_MAX;
    printf("UINT64_MAX/10=%llu %%10=%llu /0xffffffff=%llu\n", (unsigned long long)(um / 10),
           (unsigned long long)(um % 10), (unsigned long long)(um / 0xffffffffu));
    volatile uint64_t m1 = 0xffffffffull, m2 = 0xffffffffull;
    printf("0xffffffff^2=%016llx\n", (unsigned long long)(m1 * m2));
    volatile int32_t a32 = -123456, b32 = 98765;
    printf("widening s32*s32=%lld u32*u32=%llu\n", (long long)a32 * b32,
           (unsigned long long)(uint32_t)a32 * (uint32_t)b32);

    /* 64-bit shifts by every amount */
    h = 0xcbf29ce484222325ull;
    for (volatile int sh = 0; sh < 64; sh++) {
        uint64_t x = 0x8123456789abcdefull;
        h = mix(h, x << sh);
        h = mix(h, x >> sh);
        h = mix(h, (uint64_t)((int64_t)x >> sh));
        h = mix(h, (x << sh) | (x >> ((64 - sh) & 63)));
    }
    printf("shift hash %016" PRIx64 "\n", h);
    volatile int s1 = 1, s31 = 31, s32v = 32, s33 = 33, s63 = 63;
    uint64_t x = 0xf0000000000000f1ull;
    printf("shl: %llx %llx %llx %llx %llx\n", (unsigned long long)(x << s1), (unsigned long long)(x << s31),
           (unsigned long long)(x << s32v), (unsigned long long)(x << s33), (unsigned long long)(x << s63));
    printf("lsr: %llx %llx %llx %llx %llx\n", (unsigned long long)(x >> s1), (unsigned long long)(x >> s31),
           (unsigned long long)(x >> s32v), (unsigned long long)(x >> s33), (unsigned long long)(x >> s63));
    printf("asr: %llx %llx %llx %llx %llx\n", (unsigned long long)((int64_t)x >> s1),
           (unsigned long long)((int64_t)x >> s31), (unsigned long long)((int64_t)x >> s32v),
           (unsigned long long)((int64_t)x >> s33), (unsigned long long)((int64_t)x >> s63));

    /* 32-bit division by various divisors */
    uint32_t h32 = 2166136261u;
    for (unsigned i = 0; i < NV32; i++) {
        for (unsigned j = 0; j < NV32; j++) {
            int32_t a = v32[i], b = v32[j];
            if (b == 0 || (a == INT32_MIN && b == -1))
                continue;
            h32 = (h32 ^ (uint32_t)(a / b)) * 16777619u;
            h32 = (h32 ^ (uint32_t)(a % b)) * 16777619u;
            h32 = (h32 ^ ((uint32_t)a / (uint32_t)b)) * 16777619u;
            h32 = (h32 ^ ((uint32_t)a % (uint32_t)b)) * 16777619u;
        }
    }
    printf("div32 hash %08x\n", h32);
    volatile int32_t dd = -7, dv3 = 2;
    printf("-7/2=%d -7%%2=%d 7/-2=%d 7%%-2=%d 0x80000000u/3=%u INT32_MIN/-2=%d\n", dd / dv3, dd % dv3,
           -dd / -dv3, -dd % -dv3, 0x80000000u / (uint32_t)(dv3 + 1), (int32_t)v32[10] / -2);
    uint32_t acc = 0;
    for (volatile uint32_t dvs = 1; dvs < 2000; dvs += 37)
        acc += 4000000000u / dvs + 4000000000u % dvs;
    printf("div sweep %u\n", acc);

    /* bit builtins */
    volatile uint32_t bits[] = { 1, 2, 3, 0x80000000u, 0xffffffffu, 0x00f00000u, 0x12345678u, 0x10000u };
    for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        uint32_t b = bits[i];
        printf("%08x clz=%d ctz=%d popcount=%d parity=%d ffs=%d bswap=%08x\n", b, __builtin_clz(b),
               __builtin_ctz(b), __builtin_popcount(b), __builtin_parity(b), __builtin_ffs(b),
               __builtin_bswap32(b));
    }
    volatile uint64_t b64 = 0x0000100000000001ull;
    printf("64: clzll=%d ctzll=%d popcountll=%d bswap64=%016llx\n", __builtin_clzll(b64), __builtin_ctzll(b64),
           __builtin_popcountll(b64), (unsigned long long)__builtin_bswap64(b64));

    /* overflow builtins */
    int32_t res;
    volatile int32_t big = 0x7ffffff0;
    int ov1 = __builtin_add_overflow(big, 100, &res);
    int r1 = res;
    int ov2 = __builtin_mul_overflow(big, 2, &res);
    int64_t res64;
    volatile int64_t big64 = INT64_MAX - 5;
    int ov3 = __builtin_add_overflow(big64, (int64_t)10, &res64);
    printf("overflow: add=%d (%d) mul=%d (%d) add64=%d (%lld)\n", ov1, r1, ov2, res, ov3, (long long)res64);
    return 0;
}
