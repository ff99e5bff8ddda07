// FEAT_PAN2 (EL1&0, the runtime's tables): AT S1E1R/S1E1W ignore PSTATE.PAN,
// AT S1E1RP/S1E1WP honour it. For an EL0-accessible page (the runtime's .el0
// region, AP = 01), an EL1-only page and an unmapped VA, with PAN = 0 and 1,
// prints PAR_EL1 (F, FST or PA and ATTR) after each of the four AT forms, and
// what a load at EL1 does with PAN = 1 (a Permission fault at level 2: the
// runtime maps .el0 with a 2 MiB block).
// Also prints ID_AA64MMFR1_EL1.PAN (>= 2 for AT S1E1RP/WP).
//! cflags: -march=armv8.2-a
#include "common.h"

static int faults;
static int fault_handler(rt_frame *f) {
    if (++faults > 8) rt_exit(3);
    printf("  fault: EC=%02x ISS=%07lx FAR=%011lx\n", ESR_EC(f->esr), f->esr & 0x1ffffff, f->far);
    return RT_SKIP;
}

static uint64_t at(int op, uint64_t va) {
    switch (op) {
    case 0: __asm__ volatile("at s1e1r, %0" : : "r"(va)); break;
    case 1: __asm__ volatile("at s1e1w, %0" : : "r"(va)); break;
    case 2: __asm__ volatile("at s1e1rp, %0" : : "r"(va)); break;
    default: __asm__ volatile("at s1e1wp, %0" : : "r"(va)); break;
    }
    ISB();
    return READ_SYSREG(par_el1);
}

static void show(const char *what, uint64_t va) {
    static const char *ops[] = {"S1E1R", "S1E1W", "S1E1RP", "S1E1WP"};
    printf("%-8s", what);
    for (int i = 0; i < 4; i++) {
        uint64_t par = at(i, va);
        if (par & 1)
            printf(" %s F FST=%02lx", ops[i], (par >> 1) & 0x3f);
        else
            printf(" %s PA=%09lx ATTR=%02lx", ops[i], (unsigned long)(par & 0xfffffffff000ULL), (unsigned long)(par >> 56));
    }
    printf("\n");
}

static void all(void) {
    show("el0", (uint64_t)__el0_start + 0x10);
    show("el1", (uint64_t)__image_start + 0x10);
    show("none", 0x80000000ULL);
}

int main(void) {
    printf("ID_AA64MMFR1_EL1.PAN >= 2: %s\n", ((READ_SYSREG(id_aa64mmfr1_el1) >> 20) & 0xf) >= 2 ? "yes" : "no");
    rt_set_sync_handler(fault_handler);
    __asm__ volatile("msr pan, #0\n isb");
    printf("PAN = 0\n");
    all();
    __asm__ volatile("msr pan, #1\n isb");
    printf("PAN = 1\n");
    all();
    printf("load from the EL0 page at EL1 with PAN = 1:\n");
    uint64_t v = *(volatile uint64_t *)((uint64_t)__el0_start + 0x10);
    (void)v;
    __asm__ volatile("msr pan, #0\n isb");
    printf("done\n");
    return 0;
}
