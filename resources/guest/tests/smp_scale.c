// SMP scaling: every CPU runs the same independent integer loop (no sharing) and
// CPU 0 prints the per-CPU results once all are done. The iteration count comes
// from the command line (--append N) so a benchmark can time 1 vs N vCPUs; N + 10^12 runs
// the loop on CPU 0 only, the others left off (the symmetric baseline: the same SMP machine
// with one busy vCPU).
#include "common.h"

static uint64_t result[RT_MAX_CPUS];
static uint32_t done[RT_MAX_CPUS];
static uint64_t iters;

static void work(uint64_t cpu) {
    uint64_t x = cpu + 1, y = 0x9e3779b97f4a7c15ULL;
    for (uint64_t i = 0; i < iters; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        y ^= x >> 29;
        y = (y << 7) | (y >> 57);
    }
    result[cpu] = x ^ y;
    __atomic_store_n(&done[cpu], 1, __ATOMIC_RELEASE);
}

int main(void) {
    iters = rt_arg(100000);
    int n = rt_cpu_count();
    if (iters >= 1000000000000ULL) {
        iters -= 1000000000000ULL;
        n = 1;
    }
    for (int c = 1; c < n; c++) rt_cpu_start(c, work, (uint64_t)c);
    work(0);
    for (int c = 1; c < n; c++)
        while (!__atomic_load_n(&done[c], __ATOMIC_ACQUIRE)) {
        }
    printf("cpus %d iterations %lu\n", n, iters);
    for (int c = 0; c < n; c++) printf("cpu%d %016lx\n", c, result[c]);
    return 0;
}
