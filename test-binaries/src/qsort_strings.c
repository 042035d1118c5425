/* qsort_strings: qsort on ints and strings plus a tour of <string.h>,
 * strtol/strtoul, snprintf and sscanf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <errno.h>
#include <limits.h>

/* the truncating strncat below is deliberate */
#pragma GCC diagnostic ignored "-Wstringop-truncation"

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_len_then_str(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return strcmp(x, y);
}

static int sign(int v) { return (v > 0) - (v < 0); }

int main(void)
{
    /* ints */
    int a[40];
    uint32_t s = 7;
    for (int i = 0; i < 40; i++) {
        s = s * 1664525u + 1013904223u;
        a[i] = (int)(s >> 16) - 32768;
    }
    qsort(a, 40, sizeof a[0], cmp_int);
    printf("ints:");
    for (int i = 0; i < 40; i++)
        printf(" %d", a[i]);
    printf("\n");
    int key = a[17];
    int *found = bsearch(&key, a, 40, sizeof a[0], cmp_int);
    printf("bsearch(%d) -> index %d\n", key, found ? (int)(found - a) : -1);

    /* strings */
    const char *words[] = { "pear", "apple", "fig", "banana", "Cherry", "date", "apricot",
                            "kiwi", "zucchini", "", "grape", "applesauce", "Apple", "melon" };
    size_t nw = sizeof words / sizeof words[0];
    const char *sorted[sizeof words / sizeof words[0]];
    memcpy(sorted, words, sizeof words);
    qsort(sorted, nw, sizeof sorted[0], cmp_str);
    printf("strcmp order:");
    for (size_t i = 0; i < nw; i++)
        printf(" '%s'", sorted[i]);
    printf("\n");
    qsort(sorted, nw, sizeof sorted[0], cmp_len_then_str);
    printf("length order:");
    for (size_t i = 0; i < nw; i++)
        printf(" '%s'", sorted[i]);
    printf("\n");

    /* string.h */
    char buf[128];
    strcpy(buf, "Hello");
    strcat(buf, ", ");
    strcat(buf, "world");
    strncat(buf, "!!!!!", 1); /* appends a single '!' */
    printf("buf='%s' strlen=%zu\n", buf, strlen(buf));
    printf("strchr(o)=%d strrchr(o)=%d strchr(z)=%s\n", (int)(strchr(buf, 'o') - buf),
           (int)(strrchr(buf, 'o') - buf), strchr(buf, 'z') ? "found" : "NULL");
    printf("strstr(world)=%d strstr(xyz)=%s strstr('')=%d\n", (int)(strstr(buf, "world") - buf),
           strstr(buf, "xyz") ? "found" : "NULL", (int)(strstr(buf, "") - buf));
    printf("strcmp signs: %d %d %d strncmp=%d\n", sign(strcmp("abc", "abd")), sign(strcmp("b", "a")),
           sign(strcmp("same", "same")), sign(strncmp("abcdef", "abcxyz", 3)));
    printf("memcmp signs: %d %d %d\n", sign(memcmp("\x01\x80", "\x01\x7f", 2)),
           sign(memcmp("aaa", "aab", 3)), sign(memcmp("xyz", "xyz", 3)));
    printf("strspn=%zu strcspn=%zu\n", strspn("aabbccdd", "ab"), strcspn("hello world", " "));

    char mv[32] = "0123456789abcdefghij";
    memmove(mv + 4, mv, 10);          /* overlapping forward */
    printf("memmove fwd: %s\n", mv);
    memmove(mv, mv + 6, 10);          /* overlapping backward */
    printf("memmove back: %s\n", mv);
    memset(mv + 3, '#', 5);
    printf("memset: %s\n", mv);

    /* larger memcpy/memset/memchr with odd alignments */
    static unsigned char big1[4099], big2[4099];
    for (int i = 0; i < 4099; i++)
        big1[i] = (unsigned char)(i * 7 + 3);
    uint32_t h = 0;
    for (int off = 0; off < 8; off++) {
        memset(big2, 0, sizeof big2);
        memcpy(big2 + off, big1 + (7 - off), 4000 + off);
        for (int i = 0; i < 4099; i++)
            h = h * 31u + big2[i];
    }
    unsigned char *mc = memchr(big1 + 1, 0x03, 4098);
    printf("memcpy hash=%08x memchr=%d\n", h, mc ? (int)(mc - big1) : -1);

    /* strtok and strdup */
    char toks[] = "  alpha,beta;;gamma , delta ";
    char *save = NULL;
    printf("tokens:");
    for (char *t = strtok_r(toks, " ,;", &save); t; t = strtok_r(NULL, " ,;", &save)) {
        char *d = strdup(t);
        printf(" <%s>", d);
        free(d);
    }
    printf("\n");

    /* strtol / strtoul */
    const char *nums[] = { "42", "-17", "  +99xyz", "0x1F", "0777", "zz", "2147483647", "2147483648",
                           "-2147483649", "4294967295", "0b101" };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char *end;
        errno = 0;
        long v = strtol(nums[i], &end, 0);
        int e1 = errno;
        errno = 0;
        unsigned long u = strtoul(nums[i], NULL, 10);
        int e2 = errno;
        printf("strtol('%s',0)=%ld end+%d erange=%d strtoul10=%lu erange=%d\n", nums[i], v,
               (int)(end - nums[i]), e1 == ERANGE, u, e2 == ERANGE);
    }
    printf("strtol base36 'zz'=%ld base2 '1011'=%ld strtoll=%lld strtoull=%llu\n",
           strtol("zz", NULL, 36), strtol("1011", NULL, 2), strtoll("-9223372036854775807", NULL, 10),
           strtoull("18446744073709551615", NULL, 10));
    printf("atoi=%d atol=%ld\n", atoi("  -123abc"), atol("99999"));

    /* snprintf / sscanf */
    char line[64];
    snprintf(line, sizeof line, "%d %s %x %c %lld", -5, "word", 0xabc, 'Q', -1234567890123LL);
    int i1, i2;
    char w[16], c;
    long long l1;
    int got = sscanf(line, "%d %15s %x %c %lld", &i1, w, &i2, &c, &l1);
    printf("sscanf('%s') got=%d: %d %s %d %c %lld\n", line, got, i1, w, i2, c, l1);
    unsigned u1;
    char rest[16];
    got = sscanf("key=value;123", "%15[^=]=%15[^;];%u", w, rest, &u1);
    printf("sscanf scanset got=%d key=%s val=%s num=%u\n", got, w, rest, u1);
    double dv;
    got = sscanf("3.25e2", "%lf", &dv);
    printf("sscanf float got=%d %.3f\n", got, dv);
    return 0;
}
