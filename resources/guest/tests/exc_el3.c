// Entered at EL3 (QEMU -M virt,secure=on: no PSCI emulation, no EL2); the
// runtime sets SCR_EL3 (NS, RW) and drops to Non-secure EL1. SMC from EL1 is
// taken to the runtime's EL3 vectors (ESR_EL3 EC 0x17, ELR after the SMC),
// HVC is UNDEFINED at EL1 (no EL2), and the runtime's EL3 handler implements
// PSCI SYSTEM_OFF as semihosting exit(0).
//! qemu: secure
#include "common.h"

static volatile uint64_t h_esr, h_elr, h_count, h_scr;

static int el3_hook(rt_frame *f, int el) {
    h_esr = f->esr;
    h_elr = f->elr;
    h_scr = READ_SYSREG(scr_el3);
    h_count++;
    if (ESR_EC(f->esr) == 0x17 && f->x[0] == 0x1234) {
        f->x[0] = 0x3e1300 | (f->esr & 0xffff);
        f->x[1] = el;
        return RT_RESUME;
    }
    return RT_UNHANDLED; /* the runtime's minimal PSCI */
}

static int el1_handler(rt_frame *f) {
    printf("  EL1 exception: ESR=%08lx EC=%02x\n", f->esr, ESR_EC(f->esr));
    return RT_SKIP;
}

int main(void) {
    printf("entry EL%d, running at EL%lu\n", rt_entry_el(), READ_SYSREG(CurrentEL) >> 2);
    rt_set_high_handler(el3_hook);
    rt_set_sync_handler(el1_handler);
    for (uint64_t fn = 0x1234; fn != 0; fn = fn == 0x1234 ? 0x84000000 : 0) {
        register uint64_t x0 __asm__("x0") = fn;
        register uint64_t x1 __asm__("x1") = 0;
        uint64_t pc;
        __asm__ volatile("adr %2, 1f\n 1: smc #0x77" : "+r"(x0), "+r"(x1), "=r"(pc) : : "x2", "x3", "memory");
        printf("smc fn=%lx -> x0=%lx x1=%lx; ESR_EL3=%08lx ELR-pc=%ld SCR_EL3.NS=%lu RW=%lu\n", fn, x0, x1, h_esr,
               (long)(h_elr - pc), h_scr & 1, (h_scr >> 10) & 1);
    }
    register uint64_t x0 __asm__("x0") = 0x84000000;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    printf("hvc -> x0=%lx (EL3 hook calls: %lu)\n", x0, h_count);
    printf("powering off via PSCI (SMC to the runtime's EL3)\n");
    rt_psci_off();
}
