// SMP, deliberately wrong: break, TLBI VAE1IS, DSB ISHST, make — a DSB …ST does not complete TLB maintenance (Arm ARM B2.3.12: only reads-and-writes DSBs do). The checker must report bbm.
#define REMAP(desc) \
    do { \
        l3[0] = 0; \
        __asm__ volatile("dsb ishst\n tlbi vae1is, %0\n dsb ishst" : : "r"(VA >> 12) : "memory"); \
        l3[0] = (desc); \
        __asm__ volatile("dsb ishst" ::: "memory"); \
    } while (0)
#include "smp_wrong_remap.h"
