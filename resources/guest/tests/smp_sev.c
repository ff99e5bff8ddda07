// SMP events: CPU 1 sleeps in WFE until CPU 0 (1) sets a flag and executes SEV, or
// (2) stores to a location CPU 1 has marked with LDXR (clearing its exclusive monitor
// generates an event: Linux's smp_cond_load_* relies on it), 20 rounds each; and
// (3) SEVL then WFE completes at once; (4) with the event stream on (CNTKCTL_EL1.EVNTEN,
// EVNTI = 15: an event every 2^16 ticks, ~1 ms at 62.5 MHz) a lone WFE wakes. Deterministic
// output: the round counts.
// With --append 1 (armlab only: timing) it also says whether the median wake-up was
// under 2 ms (a WFE woken only by its 10 ms cap is not).
//! timeout: 60
#include "common.h"

#define ROUNDS 20
static volatile uint32_t flag, started, woke;
static volatile uint64_t twake[2][ROUNDS + 1];

static inline uint64_t cnt(void) {
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static void waiter(uint64_t a) {
    (void)a;
    for (uint32_t r = 1; r <= ROUNDS; r++) { /* (1) SEV */
        started = r;
        while (flag != r) __asm__ volatile("wfe" ::: "memory");
        twake[0][r] = cnt();
    }
    for (uint32_t r = ROUNDS + 1; r <= 2 * ROUNDS; r++) { /* (2) monitor: LDXR, then WFE until the value changes */
        started = r;
        for (;;) {
            uint32_t v;
            __asm__ volatile("ldxr %w0, [%1]" : "=&r"(v) : "r"(&flag) : "memory");
            if (v == r) break;
            __asm__ volatile("wfe" ::: "memory");
        }
        twake[1][r - ROUNDS] = cnt();
    }
    woke = 1;
}

static uint64_t median(uint64_t *d, int n) {
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && d[j - 1] > d[j]; j--) {
            uint64_t t = d[j];
            d[j] = d[j - 1];
            d[j - 1] = t;
        }
    return d[n / 2];
}

int main(void) {
    if (rt_cpu_count() < 2) {
        printf("needs 2 cpus\n");
        return 0;
    }
    uint64_t f;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    __asm__ volatile("sevl\n wfe"); /* (3) completes at once */
    printf("sevl+wfe: ok\n");
    rt_cpu_start(1, waiter, 0);
    uint64_t lat[2][ROUNDS];
    for (uint32_t r = 1; r <= 2 * ROUNDS; r++) {
        while (started != r) {
        }
        uint64_t t = cnt();
        while (cnt() - t < f / 1000) { /* 1 ms: the waiter is asleep */
        }
        uint64_t tset = cnt();
        if (r <= ROUNDS) {
            flag = r;
            __asm__ volatile("dsb ish\n sev" ::: "memory");
        } else {
            __atomic_store_n(&flag, r, __ATOMIC_RELEASE); /* no SEV: the monitor event wakes it */
        }
        volatile uint64_t *tw = r <= ROUNDS ? &twake[0][r] : &twake[1][r - ROUNDS];
        while (*tw == 0) {
        }
        lat[r > ROUNDS][(r - 1) % ROUNDS] = (*tw - tset) * 1000000 / f;
    }
    while (!woke) {
    }
    printf("sev rounds: %d\nmonitor rounds: %d\n", ROUNDS, ROUNDS);
    /* (4) the event stream */
    uint64_t kctl;
    __asm__ volatile("mrs %0, cntkctl_el1" : "=r"(kctl));
    __asm__ volatile("msr cntkctl_el1, %0\n isb" ::"r"((kctl & ~0xfcULL) | (15 << 4) | (1 << 2)));
    uint64_t slat[ROUNDS];
    __asm__ volatile("sevl\n wfe"); /* clear the event register */
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t t = cnt();
        __asm__ volatile("wfe" ::: "memory");
        slat[r] = (cnt() - t) * 1000000 / f;
    }
    __asm__ volatile("msr cntkctl_el1, %0\n isb" ::"r"(kctl));
    printf("event stream rounds: %d\n", ROUNDS);
    if (rt_arg(0)) {
        printf("event stream median wake-up under 5 ms: %s\n", median(slat, ROUNDS) < 5000 ? "yes" : "no");
        printf("sev median wake-up under 2 ms: %s\n", median(lat[0], ROUNDS) < 2000 ? "yes" : "no");
        printf("monitor median wake-up under 2 ms: %s\n", median(lat[1], ROUNDS) < 2000 ? "yes" : "no");
    }
    return 0;
}
