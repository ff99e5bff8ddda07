// "Real C" at -O2: a quicksort (median of three, insertion sort for small
// ranges) and a merge sort of pseudo-random 64-bit and 32-bit arrays, with
// checksums before/after and sortedness checks; qsort-style comparator calls.
#include "common.h"

typedef int (*cmp_fn)(const void *, const void *);

static void swap_bytes(char *a, char *b, size_t n) {
    while (n--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void my_qsort(void *base, size_t n, size_t sz, cmp_fn cmp) {
    char *b = base;
    while (n > 8) {
        char *lo = b, *mid = b + (n / 2) * sz, *hi = b + (n - 1) * sz;
        if (cmp(mid, lo) < 0) swap_bytes(mid, lo, sz);
        if (cmp(hi, mid) < 0) {
            swap_bytes(hi, mid, sz);
            if (cmp(mid, lo) < 0) swap_bytes(mid, lo, sz);
        }
        swap_bytes(mid, hi - sz, sz);
        char *pivot = hi - sz, *i = lo, *j = pivot;
        for (;;) {
            do i += sz; while (cmp(i, pivot) < 0);
            do j -= sz; while (cmp(pivot, j) < 0);
            if (i >= j) break;
            swap_bytes(i, j, sz);
        }
        swap_bytes(i, pivot, sz);
        size_t left = (size_t)(i - b) / sz, right = n - left - 1;
        if (left < right) {
            my_qsort(b, left, sz, cmp);
            b = i + sz;
            n = right;
        } else {
            my_qsort(i + sz, right, sz, cmp);
            n = left;
        }
    }
    for (size_t k = 1; k < n; k++)
        for (size_t m = k; m > 0 && cmp(b + (m - 1) * sz, b + m * sz) > 0; m--) swap_bytes(b + (m - 1) * sz, b + m * sz, sz);
}

static unsigned long ncmp;
static int cmp_u64(const void *a, const void *b) {
    ncmp++;
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}
static int cmp_i32_desc(const void *a, const void *b) {
    ncmp++;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return y < x ? -1 : y > x;
}

static void merge_sort(int64_t *a, int64_t *tmp, size_t n) {
    if (n < 2) return;
    size_t h = n / 2;
    merge_sort(a, tmp, h);
    merge_sort(a + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < h) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

#define N 20000
static uint64_t a64[N];
static int32_t a32[N];
static int64_t m64[N], tmp[N];

int main(void) {
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    uint64_t sum = 0, h0 = MIX_INIT;
    for (int i = 0; i < N; i++) {
        a64[i] = rt_rand64(&s);
        a32[i] = (int32_t)(rt_rand64(&s) >> 32) % 1000; /* many duplicates */
        m64[i] = (int64_t)rt_rand64(&s);
        sum += a64[i];
        h0 = mix64(h0, a64[i]);
    }
    printf("input: sum %016lx hash %016lx first %016lx\n", sum, h0, a64[0]);
    my_qsort(a64, N, sizeof *a64, cmp_u64);
    uint64_t sum2 = 0, h1 = MIX_INIT;
    int sorted = 1;
    for (int i = 0; i < N; i++) {
        sum2 += a64[i];
        h1 = mix64(h1, a64[i]);
        if (i && a64[i - 1] > a64[i]) sorted = 0;
    }
    printf("u64 qsort: sorted %d sum %016lx hash %016lx comparisons %lu\n", sorted, sum2, h1, ncmp);
    printf("  min %016lx median %016lx max %016lx\n", a64[0], a64[N / 2], a64[N - 1]);
    ncmp = 0;
    my_qsort(a32, N, sizeof *a32, cmp_i32_desc);
    sorted = 1;
    uint64_t h2 = MIX_INIT;
    for (int i = 0; i < N; i++) {
        h2 = mix64(h2, (uint32_t)a32[i]);
        if (i && a32[i - 1] < a32[i]) sorted = 0;
    }
    printf("i32 qsort desc: sorted %d hash %016lx comparisons %lu first %d last %d\n", sorted, h2, ncmp, a32[0],
           a32[N - 1]);
    merge_sort(m64, tmp, N);
    sorted = 1;
    uint64_t h3 = MIX_INIT;
    for (int i = 0; i < N; i++) {
        h3 = mix64(h3, (uint64_t)m64[i]);
        if (i && m64[i - 1] > m64[i]) sorted = 0;
    }
    printf("i64 merge sort: sorted %d hash %016lx min %ld max %ld\n", sorted, h3, (long)m64[0], (long)m64[N - 1]);
    return 0;
}
