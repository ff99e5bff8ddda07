// Entered at EL2 (QEMU -M virt,virtualization=on); the runtime drops to EL1.
// HVC from EL1 is taken to the runtime's EL2 vectors (ESR_EL2 EC 0x16, imm16,
// ELR_EL2 after the HVC); SMC from EL1 goes to QEMU's PSCI (conduit SMC when
// EL2 exists). Through HVC calls the EL2 handler sets HCR_EL2 traps and the
// test checks them: TSC (SMC -> EL2, EC 0x17, ELR at the SMC), TWI (WFI ->
// EL2, EC 0x01), TVM (MSR SCTLR_EL1 -> EL2, EC 0x18), TID3 (MRS ID_AA64PFR0_EL1
// -> EL2, emulated value). Exits with PSCI SYSTEM_OFF through SMC.
//! qemu: virtualization
#include "common.h"

static volatile uint64_t h_esr, h_elr, h_count;

#define HCR_TWI (1ULL << 13)
#define HCR_TSC (1ULL << 19)
#define HCR_TID3 (1ULL << 18)
#define HCR_TVM (1ULL << 26)

/* Runs at EL2 with the EL2 MMU off: keep it to register and global accesses. */
static int el2_hook(rt_frame *f, int el) {
    unsigned ec = ESR_EC(f->esr);
    h_esr = f->esr;
    h_elr = f->elr;
    h_count++;
    if (ec == 0x16) {
        unsigned imm = f->esr & 0xffff;
        uint64_t hcr = READ_SYSREG(hcr_el2);
        if (imm == 1) hcr |= f->x[1];
        else if (imm == 2) hcr &= ~f->x[1];
        else return RT_UNHANDLED; /* the runtime's default reply */
        WRITE_SYSREG(hcr_el2, hcr);
        ISB();
        f->x[0] = hcr & (HCR_TWI | HCR_TSC | HCR_TID3 | HCR_TVM | (1ULL << 31));
        return RT_RESUME;
    }
    if (ec == 0x17) { /* trapped SMC: preferred return is the SMC itself */
        f->x[0] = 0x5c0000 | (f->esr & 0xffff);
        return RT_SKIP;
    }
    if (ec == 0x01) return RT_SKIP; /* WFI/WFE */
    if (ec == 0x18) {
        unsigned rt = (f->esr >> 5) & 31;
        if ((f->esr & 1) && rt != 31) f->x[rt] = 0xfeed000000000000ULL | (f->esr & 0x3ffc1e);
        return RT_SKIP;
    }
    return RT_UNHANDLED;
}

static uint64_t hvc(unsigned imm, uint64_t x1);
#define HVC(imm, a1)                                                                          \
    ({                                                                                        \
        register uint64_t _x0 __asm__("x0") = 0;                                              \
        register uint64_t _x1 __asm__("x1") = (a1);                                           \
        __asm__ volatile("adr x9, 1f\n 1: hvc #" #imm "\n sub %2, x9, #0" : "+r"(_x0), "+r"(_x1), "=r"(pc) : : "x9", "memory"); \
        _x0;                                                                                  \
    })

static void show(const char *what, uint64_t pc) {
    if (!h_count) {
        printf("%-24s not trapped\n", what);
        return;
    }
    printf("%-24s ESR_EL2=%08lx EC=%02x ISS=%07lx ELR-pc=%ld\n", what, h_esr, ESR_EC(h_esr), h_esr & 0x1ffffff,
           (long)(h_elr - pc));
    h_count = 0;
}

static uint64_t smc_call(uint64_t fn, uint64_t *pc) {
    register uint64_t x0 __asm__("x0") = fn;
    uint64_t p;
    __asm__ volatile("adr %1, 1f\n 1: smc #0x33" : "+r"(x0), "=r"(p) : : "x1", "x2", "x3", "memory");
    *pc = p;
    return x0;
}

int main(void) {
    uint64_t pc = 0, r;
    printf("entry EL%d, running at EL%lu\n", rt_entry_el(), READ_SYSREG(CurrentEL) >> 2);
    rt_set_high_handler(el2_hook);
    r = HVC(0x42, 0);
    printf("hvc #0x42 -> %lx\n", r);
    show("hvc #0x42", pc);
    r = HVC(0xffff, 0);
    printf("hvc #0xffff -> %lx\n", r);
    show("hvc #0xffff", pc);
    r = smc_call(0x84000000, &pc);
    printf("smc PSCI_VERSION -> %lx\n", r);
    show("smc (no TSC)", pc);

    r = HVC(1, HCR_TSC | HCR_TWI | HCR_TID3 | HCR_TVM);
    show("hvc #1 set traps", pc);
    printf("hcr_el2 traps now %lx\n", r);
    r = smc_call(0x84000000, &pc);
    printf("smc with TSC -> %lx\n", r);
    show("smc with TSC", pc);
    __asm__ volatile("adr %0, 1f\n 1: wfi" : "=r"(pc) : : "memory");
    show("wfi with TWI", pc);
    uint64_t sctlr = READ_SYSREG(sctlr_el1);
    __asm__ volatile("adr %0, 1f\n 1: msr sctlr_el1, %1" : "=&r"(pc) : "r"(sctlr) : "memory");
    show("msr sctlr_el1 with TVM", pc);
    uint64_t id;
    __asm__ volatile("adr %0, 1f\n 1: mrs %1, id_aa64pfr0_el1" : "=&r"(pc), "=r"(id) : : "memory");
    show("mrs pfr0 with TID3", pc);
    printf("id_aa64pfr0_el1 as emulated by EL2: %lx\n", id);
    __asm__ volatile("adr %0, 1f\n 1: mrs %1, sctlr_el1" : "=&r"(pc), "=r"(id) : : "memory");
    show("mrs sctlr_el1 with TVM", pc);
    r = HVC(2, HCR_TSC | HCR_TWI | HCR_TID3 | HCR_TVM);
    show("hvc #2 clear traps", pc);
    printf("hcr_el2 traps now %lx\n", r);
    printf("powering off via PSCI (SMC)\n");
    rt_psci_off();
}
