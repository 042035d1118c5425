/* Mandelbrot set escape counts in double precision: compare-and-branch on VFP flags. */
#include "common.h"

int main(int argc, char **argv) {
    int size = bench_scale(argc, argv, 800);
    long total = 0;
    for (int py = 0; py < size; py++) {
        double ci = 2.0 * py / size - 1.0;
        for (int px = 0; px < size; px++) {
            double cr = 2.5 * px / size - 2.0, zr = 0, zi = 0;
            int k = 0;
            while (k < 100 && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = t;
                k++;
            }
            total += k;
        }
    }
    printf("mandelbrot %dx%d: %ld iterations\n", size, size, total);
    return 0;
}
