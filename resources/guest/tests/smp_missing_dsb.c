// SMP, deliberately wrong: break, TLBI VAE1IS, make — no DSB completes the TLBI before the new entry is written. The checker must report bbm.
#define REMAP(desc) \
    do { \
        l3[0] = 0; \
        __asm__ volatile("dsb ishst\n tlbi vae1is, %0" : : "r"(VA >> 12) : "memory"); \
        l3[0] = (desc); \
        __asm__ volatile("dsb ishst" ::: "memory"); \
    } while (0)
#include "smp_wrong_remap.h"
