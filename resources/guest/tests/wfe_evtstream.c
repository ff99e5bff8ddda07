// WFE on one CPU woken by the generic timer's event stream alone (Arm ARM D11.1.5: with
// CNTKCTL_EL1.EVNTEN, each 0->1 transition of count bit EVNTI is an event; EVNTI = 15:
// every 2^16 ticks, ~1 ms at 62.5 MHz). No interrupt is enabled and no other CPU runs.
// Deterministic output: the round count. QEMU 7.2 completes WFE at once (it does not
// sleep in WFE: its helper only yields), so the output agrees; with --append 1 (armlab
// only: timing) it also says whether the median wake-up was under 5 ms, which a WFE
// woken only by armlab's WFE cap (50 ms) is not.
//! timeout: 30
#include "common.h"

#define ROUNDS 20

static inline uint64_t cnt(void) {
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

int main(void) {
    uint64_t f, kctl, lat[ROUNDS];
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    __asm__ volatile("mrs %0, cntkctl_el1" : "=r"(kctl));
    __asm__ volatile("msr cntkctl_el1, %0\n isb" ::"r"((kctl & ~0xfcULL) | (15 << 4) | (1 << 2)));
    __asm__ volatile("sevl\n wfe"); /* clear the event register */
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t t = cnt();
        __asm__ volatile("wfe" ::: "memory");
        lat[r] = (cnt() - t) * 1000000 / f;
    }
    __asm__ volatile("msr cntkctl_el1, %0\n isb" ::"r"(kctl));
    printf("event stream rounds: %d\n", ROUNDS);
    if (rt_arg(0)) {
        for (int i = 1; i < ROUNDS; i++)
            for (int j = i; j > 0 && lat[j - 1] > lat[j]; j--) {
                uint64_t t = lat[j];
                lat[j] = lat[j - 1];
                lat[j - 1] = t;
            }
        printf("median wake-up under 5 ms: %s\n", lat[ROUNDS / 2] < 5000 ? "yes" : "no");
    }
    return 0;
}
