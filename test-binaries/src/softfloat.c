/* softfloat: float/double arithmetic, conversions and libm on a soft-float
 * ABI. All FP work is done by integer code in libgcc/glibc, so any mismatch
 * points at an integer-instruction bug in the emulator. Printed with %.17g
 * and %a so every bit is visible. */
#include <stdio.h>
#include <math.h>
#include <float.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

static volatile double dv[] = { 0.0, -0.0, 1.0, -1.0, 0.1, 3.0, 1e308, 1e-308, 4.9406564584124654e-324,
                                2.5, -7.75, 123456789.0, 0.3333333333333333 };
#define ND (sizeof dv / sizeof dv[0])

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static uint32_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

int main(void)
{
    /* arithmetic over all pairs, hashed by bit pattern */
    uint64_t h = 1469598103934665603ull;
    for (unsigned i = 0; i < ND; i++)
        for (unsigned j = 0; j < ND; j++) {
            double a = dv[i], b = dv[j];
            double r[4] = { a + b, a - b, a * b, a / b };
            for (int k = 0; k < 4; k++)
                h = (h ^ dbits(r[k])) * 1099511628211ull;
            h = (h ^ (uint64_t)((a < b) | (a == b) << 1 | (a > b) << 2)) * 1099511628211ull;
        }
    printf("double op hash %016llx\n", (unsigned long long)h);

    volatile double a = 1.0, b = 3.0, c = 0.1, z = 0.0;
    printf("1/3 = %.17g %a\n", a / b, a / b);
    printf("0.1+0.2 = %.17g %a\n", c + 0.2, c + 0.2);
    printf("0.1*3 = %.17g  1e308*10 = %g  -1/0 = %g  0/0 is nan: %d\n", c * 3, 1e308 * (b + 7), -a / z,
           isnan(z / z));
    printf("denormal: %a %a %.17g\n", DBL_MIN / (b + 1), 4.9406564584124654e-324 * a, DBL_MIN * 0.5);
    printf("DBL_EPSILON=%a DBL_MAX=%a FLT_MAX=%a\n", DBL_EPSILON, DBL_MAX, (double)FLT_MAX);

    /* float */
    volatile float fa = 1.0f, fb = 3.0f, fc = 16777216.0f;
    float fr = fa / fb;
    printf("float 1/3 = %.9g %a bits=%08x\n", fr, fr, fbits(fr));
    printf("float 2^24+1 = %.9g sum=%.9g prod=%.9g\n", fc + fa, fr + fr + fr, fr * fb);
    uint32_t hf = 2166136261u;
    for (int i = 1; i < 200; i++) {
        float x = (float)i * 0.37f - 20.0f;
        float y = x * x / (fa + (float)i) - x;
        hf = (hf ^ fbits(y)) * 16777619u;
        hf = (hf ^ fbits(sqrtf(fabsf(y)))) * 16777619u;
    }
    printf("float hash %08x\n", hf);

    /* conversions */
    volatile double cv[] = { 0.5, 1.5, 2.5, -0.5, -1.5, 2147483647.9, -2147483648.9, 4294967295.5, 1e10, -1e10,
                             9007199254740993.0, 3.99999 };
    for (unsigned i = 0; i < sizeof cv / sizeof cv[0]; i++) {
        double d = cv[i];
        int32_t si = (d > -2147483649.0 && d < 2147483648.0) ? (int32_t)d : 0;
        uint32_t ui = (d > -1.0 && d < 4294967296.0) ? (uint32_t)d : 0;
        int64_t sl = (int64_t)d;
        float f = (float)d;
        printf("%.17g -> i32 %d u32 %u i64 %lld float %.9g | rint %.1f floor %.1f ceil %.1f round %.1f trunc %.1f lrint %ld\n",
               d, si, ui, (long long)sl, f, rint(d), floor(d), ceil(d), round(d), trunc(d),
               (d > -2e9 && d < 2e9) ? lrint(d) : 0L);
    }
    volatile int64_t big = 0x7fffffffffffffffLL;
    volatile uint64_t ubig = 0xffffffffffffffffULL;
    volatile int32_t i32 = -123456789;
    printf("i64max->double %.17g u64max->double %.17g i32->float %.9g u64->float %.9g\n", (double)big,
           (double)ubig, (float)i32, (float)ubig);
    printf("float->double %.17g double->float %.9g\n", (double)0.1f, (float)0.1);

    /* libm */
    volatile double x = 0.5, y = 2.0;
    printf("sqrt(2)=%.17g sqrt(1e-300)=%.17g\n", sqrt(y), sqrt(1e-300 * x * 2));
    printf("sin(0.5)=%.17g cos(0.5)=%.17g tan(0.5)=%.17g\n", sin(x), cos(x), tan(x));
    printf("exp(0.5)=%.17g log(2)=%.17g log10(2)=%.17g pow(2,0.5)=%.17g\n", exp(x), log(y), log10(y), pow(y, x));
    printf("atan2(1,2)=%.17g hypot(3,4)=%.17g fmod(7.5,2)=%.17g cbrt(27)=%.17g\n", atan2(x * 2, y),
           hypot(3 * x * 2, 4 * x * 2), fmod(7.5 * x * 2, y), cbrt(27 * x * 2));
    int e;
    double m = frexp(48.0 * x, &e);
    printf("frexp(24)=%.17g,%d ldexp(0.75,10)=%.17g modf: ", m, e, ldexp(0.75 * x * 2, 10));
    double ip;
    double fp = modf(-3.25 * x * 2, &ip);
    printf("%.17g %.17g\n", ip, fp);
    printf("sinf(0.5)=%.9g expf(1)=%.9g\n", sinf((float)x), expf((float)(x * 2)));

    /* series: sum of 1/k^2 */
    double s = 0.0;
    for (int k = 1; k <= 100000; k++)
        s += 1.0 / ((double)k * (double)k);
    printf("basel partial sum %.17g\n", s);

    /* strtod / printf round trip */
    const char *strs[] = { "3.14159265358979323846", "1e-320", "-0", "inf", "nan", "0x1.8p3", "1.7976931348623157e308" };
    for (unsigned i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        double d = strtod(strs[i], NULL);
        printf("strtod(%s)=%.17g %a\n", strs[i], d, d);
    }
    return 0;
}
