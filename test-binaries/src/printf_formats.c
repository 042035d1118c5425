/* printf_formats: exercises glibc's vfprintf with integer, string, char and
 * (soft-float) floating-point conversions. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

/* the truncating snprintf below is deliberate */
#pragma GCC diagnostic ignored "-Wformat-truncation"

int main(void)
{
    int ints[] = { 0, 1, -1, 42, -42, 123456789, INT_MAX, INT_MIN };
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        int v = ints[i];
        printf("d=%d i=%i u=%u x=%x X=%X o=%o\n", v, v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v);
        printf("  [%8d] [%-8d] [%08d] [%+d] [% d] [%.3d] [%#x] [%#o] [%#X]\n", v, v, v, v, v, v,
               (unsigned)v, (unsigned)v, (unsigned)v);
    }

    long long ll[] = { 0LL, 1LL, -1LL, 1234567890123LL, LLONG_MAX, LLONG_MIN, 0x123456789abcdefLL };
    for (unsigned i = 0; i < sizeof ll / sizeof ll[0]; i++)
        printf("lld=%lld llu=%llu llx=%llx llo=%llo [%20lld] [%-20llx|]\n", ll[i],
               (unsigned long long)ll[i], (unsigned long long)ll[i], (unsigned long long)ll[i],
               ll[i], (unsigned long long)ll[i]);

    signed char sc = -5;
    unsigned char uc = 250;
    short sh = -12345;
    unsigned short ush = 65000;
    printf("hhd=%hhd hhu=%hhu hd=%hd hu=%hu hhd(300)=%hhd\n", sc, uc, sh, ush, 300);
    printf("ld=%ld lu=%lu zu=%zu zd=%zd jd=%jd td=%td\n", -7L, 7UL, (size_t)4096, (ssize_t)-4096,
           (intmax_t)-99, (ptrdiff_t)-3);

    printf("c=[%c] [%3c] [%-3c]\n", 'A', 'B', 'C');
    printf("s=[%s] [%10s] [%-10s] [%.3s] [%5.2s] [%-5.2s] [%.0s]\n", "hello", "right", "left",
           "truncate", "abc", "abc", "gone");
    printf("star=[%*d] [%-*d] [%.*f] [%*.*s]\n", 6, 42, 6, 42, 3, 3.14159265, 8, 2, "xyz");

    double ds[] = { 0.0, -0.0, 1.0, -1.5, 3.14159265358979, 1e-10, 123456789.125, 1e100, 6.02214076e23, 0.1, 2.5, 3.5 };
    for (unsigned i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        double d = ds[i];
        printf("f=%f e=%e g=%g | %.2f %.0f %10.3e %-12.4g| %G %E %+.1f %#.0f %#g\n", d, d, d, d, d, d, d,
               d, d, d, d, d);
    }
    printf("g-small=%g g-big=%g g-int=%g g-prec=%.10g %.17g\n", 0.0001, 1e15, 100000.0, 1.0 / 3.0, 0.1);
    printf("round-half-even: %.0f %.0f %.0f %.0f %.1f %.2f\n", 0.5, 1.5, 2.5, -0.5, 0.25, 1.005);

    float f = 1.0f / 3.0f;
    printf("float promoted: %f %.9g %a\n", f, f, f);
    printf("hex float: %a %A %a %a\n", 1.0, -0.5, 255.75, 1e-300);

    printf("percent: 100%% done %%d\n");

    char buf[32];
    int n = snprintf(buf, sizeof buf, "%s-%05d-%x", "snprintf", 77, 0xbeef);
    printf("snprintf -> %d [%s]\n", n, buf);
    n = snprintf(buf, 8, "%s", "this is too long");
    printf("truncated snprintf -> %d [%s]\n", n, buf);

    int count = 0;
    printf("abc%ndef\n", &count);
    printf("%%n counted %d\n", count);

    return 3;
}
