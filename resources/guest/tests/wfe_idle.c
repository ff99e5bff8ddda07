// A WFE loop with no wake source armlab models (no interrupt, no event stream, no other
// CPU): it waits for `--append MS` milliseconds of CNTVCT, waking only through WFE's
// spurious completions (armlab's WFE cap). Measures the host CPU time an idle WFE waiter
// costs (docs/smp.md). Default 0 ms: prints the number of WFEs only when asked.
//! timeout: 30
#include "common.h"

int main(void) {
    uint64_t f, t0, t, n = 0;
    uint64_t ms = rt_arg(0);
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(t0));
    do {
        __asm__ volatile("wfe" ::: "memory");
        n++;
        __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(t));
    } while ((t - t0) * 1000 < ms * f);
    printf("wfe idle: done\n");
    if (ms) printf("wfes: %llu\n", (unsigned long long)n);
    return 0;
}
