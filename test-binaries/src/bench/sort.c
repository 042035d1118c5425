/* Merge sort and insertion sort of generated integers: compares, branches, loads/stores. */
#include "common.h"

static void insertion(int32_t *a, int n) {
    for (int i = 1; i < n; i++) {
        int32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void merge_sort(int32_t *a, int32_t *tmp, int n) {
    if (n <= 16) { insertion(a, n); return; }
    int h = n / 2;
    merge_sort(a, tmp, h);
    merge_sort(a + h, tmp, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < h) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    for (k = 0; k < n; k++) a[k] = tmp[k];
}

int main(int argc, char **argv) {
    int rounds = bench_scale(argc, argv, 12);
    enum { N = 1 << 18 };
    static int32_t a[N], tmp[N];
    uint32_t sum = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < N; i++) a[i] = (int32_t)bench_rand();
        merge_sort(a, tmp, N);
        for (int i = 1; i < N; i++) if (a[i - 1] > a[i]) { printf("not sorted\n"); return 1; }
        sum = sum * 31 + (uint32_t)a[N / 2] + (uint32_t)a[N / 3];
    }
    printf("sort %d x %d ints: %08x\n", rounds, N, sum);
    return 0;
}
