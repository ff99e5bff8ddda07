// SMP, deliberately wrong: break (invalid entry), DSB, make — no TLBI at all, so other CPUs keep the old translation. The checker must report bbm and stale-tlb.
#define REMAP(desc) \
    do { \
        l3[0] = 0; \
        __asm__ volatile("dsb ishst\n dsb ish" ::: "memory"); \
        l3[0] = (desc); \
        __asm__ volatile("dsb ishst" ::: "memory"); \
    } while (0)
#include "smp_wrong_remap.h"
