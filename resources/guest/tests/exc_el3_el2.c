// Entered at EL3 with EL2 present (QEMU -M virt,secure=on,virtualization=on):
// the runtime configures EL2 from EL3 (HCR_EL2.RW, CPTR_EL2, SCR_EL3.HCE) and
// drops straight to EL1. HVC goes to the runtime's EL2 vectors, SMC to EL3.
//! qemu: secure virtualization
#include "common.h"

static volatile uint64_t h_esr[4], h_el[4], h_count;

static int hook(rt_frame *f, int el) {
    if (h_count < 4) {
        h_esr[h_count] = f->esr;
        h_el[h_count] = (uint64_t)el;
    }
    h_count++;
    return RT_UNHANDLED;
}

int main(void) {
    printf("entry EL%d, running at EL%lu\n", rt_entry_el(), READ_SYSREG(CurrentEL) >> 2);
    rt_set_high_handler(hook);
    register uint64_t x0 __asm__("x0") = 0;
    __asm__ volatile("hvc #0x2a" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    printf("hvc #0x2a -> %lx\n", x0);
    x0 = 0x84000000;
    __asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    printf("smc PSCI_VERSION -> %lx\n", x0);
    for (unsigned i = 0; i < h_count && i < 4; i++) printf("taken to EL%lu ESR=%08lx\n", h_el[i], h_esr[i]);
    rt_psci_off();
}
