// HVC and SMC at EL1 on QEMU virt without EL2/EL3 (the default): the board's
// PSCI implementation answers every HVC (conduit HVC) — PSCI_VERSION,
// PSCI_FEATURES, an unknown function id (NOT_SUPPORTED), and an HVC with a
// non-zero immediate; SMC is UNDEFINED (EC 0). Ends with PSCI SYSTEM_OFF
// (exit status 0) instead of returning from main.
#include "common.h"

static uint64_t hvc0(uint64_t fn, uint64_t a1) {
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "memory");
    return x0;
}
static uint64_t hvc1(uint64_t fn) {
    register uint64_t x0 __asm__("x0") = fn;
    __asm__ volatile("hvc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    return x0;
}
static uint64_t smc0(uint64_t fn) {
    register uint64_t x0 __asm__("x0") = fn;
    __asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    return x0;
}

static int handler(rt_frame *f) {
    printf("  exception: ESR=%08lx EC=%02x\n", f->esr, ESR_EC(f->esr));
    return RT_SKIP;
}

int main(void) {
    rt_set_sync_handler(handler);
    printf("entry EL%d\n", rt_entry_el());
    printf("hvc PSCI_VERSION -> %lx\n", hvc0(0x84000000, 0));
    printf("hvc PSCI_FEATURES(SYSTEM_OFF) -> %lx\n", hvc0(0x8400000a, 0x84000008));
    printf("hvc PSCI_FEATURES(0xc4000003 CPU_ON) -> %lx\n", hvc0(0x8400000a, 0xc4000003));
    printf("hvc PSCI_FEATURES(0x84000077) -> %lx\n", hvc0(0x8400000a, 0x84000077));
    printf("hvc fn 0x12345678 -> %lx\n", hvc0(0x12345678, 0));
    printf("hvc #1 PSCI_VERSION -> %lx\n", hvc1(0x84000000));
    printf("smc PSCI_VERSION -> %lx\n", smc0(0x84000000));
    printf("powering off via PSCI\n");
    rt_psci_off();
}
