/* Dense double-precision matrix multiply (i-k-j order): VFP multiply-accumulate streams. */
#include "common.h"

enum { N = 160 };
static double a[N][N], b[N][N], c[N][N];

int main(int argc, char **argv) {
    int rounds = bench_scale(argc, argv, 40);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)(bench_rand() % 1000) / 100.0;
            b[i][j] = (double)(bench_rand() % 1000) / 100.0;
        }
    double trace = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) c[i][j] = 0;
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++) {
                double aik = a[i][k];
                for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
            }
        for (int i = 0; i < N; i++) trace += c[i][i];
        a[r % N][r % N] += 1.0;
    }
    printf("matmul %d x %dx%d: trace %.6f\n", rounds, N, N, trace);
    return 0;
}
