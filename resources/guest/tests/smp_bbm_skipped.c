// SMP, deliberately wrong: valid → valid with a new output address (no break), then TLBI VAE1IS + DSB ISH. The checker must report bbm.
#define REMAP(desc) \
    do { \
        l3[0] = (desc); \
        __asm__ volatile("dsb ishst\n tlbi vae1is, %0\n dsb ish" : : "r"(VA >> 12) : "memory"); \
    } while (0)
#include "smp_wrong_remap.h"
