// AT in the EL2 and EL3 translation regimes and through both stages: entered at
// EL3 with EL2 present, main() at EL1 asks the runtime's EL2 (HVC) and EL3 (SMC)
// handlers to run the ATs there and prints the PAR_EL1 values afterwards.
//   EL2 (E2H = 0) and EL3: own tables (4K, 39-bit VA, 40-bit PA), SCTLR_ELx.M on
//   only around the ATs: AT S1E2R/W and S1E3R/W on a RW page, a RO page, an
//   invalid page, an AF = 0 page, a Device-nGnRE page, a 2 MiB block and a VA
//   beyond the 39-bit range.
//   Stage 1+2 (HCR_EL2.VM on only around the ATs, VMID 1): the runtime's EL1&0
//   tables with a stage 2 (4K, 40-bit IPA, start level 1, two concatenated tables)
//   mapping RAM identity except one 2 MiB block read-only and the .el0 region
//   Device-nGnRE (combined attributes in PAR_EL1), and nothing below 1 GiB:
//   AT S12E1R/W and S12E0R/W on EL1 code, the read-only block, the .el0 region
//   and the UART (a stage-2 translation fault).
// PAR_EL1 is printed as pt_print_par does (NS, IMPLEMENTATION DEFINED bits and SH
// for Device/NC left out).
//! qemu: secure virtualization
#include "common.h"
#include "pt.h"

#define MAGIC 0xa7a7ULL
#define WIN 0x80000000ULL /* test window: the third GiB */

static uint8_t arena[512 * 1024] __attribute__((aligned(65536)));
static uint8_t frames[4][4096] __attribute__((aligned(4096)));
static uint64_t ro_block[512] __attribute__((aligned(0x200000))); /* a 2 MiB block of its own */
static pt_t hi_t, s2_t;

enum { NVA = 7, NS12 = 4 };
static const char *const va_names[NVA] = {"rw page", "ro page", "invalid", "AF=0", "device", "2M block", "beyond 39b"};
static uint64_t vas[NVA];
static volatile uint64_t par2[NVA][2], par3[NVA][2], par12[NS12][4];
static uint64_t s12_vas[NS12];
static const char *const s12_names[NS12] = {"EL1 code", "S2 RO block", ".el0 (S2 Device)", "UART (no S2)"};

#define TCR_HI (25ULL | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (2ULL << 16) | (1ULL << 23) | (1ULL << 31))

static void build(void) {
    pt_init(&hi_t, 12, 39, PT_FMT48, (uint64_t)arena, sizeof arena / 2);
    uint64_t bs = 1ULL << 21;
    pt_map(&hi_t, 0x09000000ULL & ~(bs - 1), 0x09000000ULL & ~(bs - 1), 2, PT_ATTR(PT_DEV) | PT_AF | PT_UXN);
    for (uint64_t a = 0x40000000ULL; a < 0x48000000ULL; a += bs) pt_map(&hi_t, a, a, 2, PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF);
    const uint64_t n = PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF;
    vas[0] = WIN;
    pt_map(&hi_t, vas[0], (uint64_t)frames[0], 3, n);
    vas[1] = WIN + 0x1000;
    pt_map(&hi_t, vas[1], (uint64_t)frames[1], 3, n | PT_AP_RO);
    vas[2] = WIN + 0x2000; /* never mapped: the L3 table slot stays 0 */
    vas[3] = WIN + 0x3000;
    pt_map(&hi_t, vas[3], (uint64_t)frames[2], 3, PT_ATTR(PT_NORM) | PT_SH_IS);
    vas[4] = WIN + 0x4000;
    pt_map(&hi_t, vas[4], 0x09000000ULL, 3, PT_ATTR(PT_DEV_GNRE) | PT_AF | PT_UXN);
    vas[5] = WIN + 0x400000 + 0x1234;
    pt_map(&hi_t, WIN + 0x400000, 0x40000000ULL, 2, n);
    vas[6] = 1ULL << 39;

    pt_init_at(&s2_t, 12, 40, PT_FMT48, 1, (uint64_t)arena + sizeof arena / 2, sizeof arena / 2);
    uint64_t ro = (uint64_t)ro_block, el0 = (uint64_t)__el0_start & ~(bs - 1);
    for (uint64_t a = 0x40000000ULL; a < 0x48000000ULL; a += bs) {
        uint64_t at = PT_AF | PT_SH_IS | PT_S2AP(3) | PT_S2_MEMATTR(0xf);
        if (a == ro) at = PT_AF | PT_SH_IS | PT_S2AP(1) | PT_S2_MEMATTR(0xf);
        if (a == el0) at = PT_AF | PT_S2AP(3) | PT_S2_MEMATTR(0x1);
        pt_map(&s2_t, a, a, 2, at);
    }
    s12_vas[0] = (uint64_t)build;
    s12_vas[1] = ro + 0x88;
    s12_vas[2] = (uint64_t)__el0_start + 0x10;
    s12_vas[3] = 0x09000000ULL;
    __asm__ volatile("dsb ish" ::: "memory");
}

#define AT(op, va) __asm__ volatile("at " op ", %0\n isb" : : "r"(va) : "memory")

static void run_el2(void) {
    WRITE_SYSREG(mair_el2, PT_MAIR);
    WRITE_SYSREG(tcr_el2, TCR_HI);
    WRITE_SYSREG(ttbr0_el2, hi_t.root);
    __asm__ volatile("isb\n tlbi alle2\n dsb nsh\n isb" ::: "memory");
    uint64_t sctlr = READ_SYSREG(sctlr_el2);
    WRITE_SYSREG(sctlr_el2, sctlr | 1);
    __asm__ volatile("isb" ::: "memory");
    for (int i = 0; i < NVA; i++) {
        AT("s1e2r", vas[i]);
        par2[i][0] = READ_SYSREG(par_el1);
        AT("s1e2w", vas[i]);
        par2[i][1] = READ_SYSREG(par_el1);
    }
    WRITE_SYSREG(sctlr_el2, sctlr);
    __asm__ volatile("isb\n tlbi alle2\n dsb nsh\n isb" ::: "memory");

    WRITE_SYSREG(vtcr_el2, 24ULL | (1ULL << 6) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (2ULL << 16) | (1ULL << 31));
    WRITE_SYSREG(vttbr_el2, s2_t.root | (1ULL << 48));
    uint64_t hcr = READ_SYSREG(hcr_el2);
    WRITE_SYSREG(hcr_el2, hcr | 1);
    __asm__ volatile("isb\n tlbi vmalls12e1\n dsb nsh\n isb" ::: "memory");
    for (int i = 0; i < NS12; i++) {
        AT("s12e1r", s12_vas[i]);
        par12[i][0] = READ_SYSREG(par_el1);
        AT("s12e1w", s12_vas[i]);
        par12[i][1] = READ_SYSREG(par_el1);
        AT("s12e0r", s12_vas[i]);
        par12[i][2] = READ_SYSREG(par_el1);
        AT("s12e0w", s12_vas[i]);
        par12[i][3] = READ_SYSREG(par_el1);
    }
    WRITE_SYSREG(hcr_el2, hcr);
    __asm__ volatile("isb\n tlbi alle1\n dsb nsh\n isb" ::: "memory");
}

static void run_el3(void) {
    WRITE_SYSREG(mair_el3, PT_MAIR);
    WRITE_SYSREG(tcr_el3, TCR_HI);
    WRITE_SYSREG(ttbr0_el3, hi_t.root);
    __asm__ volatile("isb\n tlbi alle3\n dsb nsh\n isb" ::: "memory");
    uint64_t sctlr = READ_SYSREG(sctlr_el3);
    WRITE_SYSREG(sctlr_el3, sctlr | 1);
    __asm__ volatile("isb" ::: "memory");
    for (int i = 0; i < NVA; i++) {
        AT("s1e3r", vas[i]);
        par3[i][0] = READ_SYSREG(par_el1);
        AT("s1e3w", vas[i]);
        par3[i][1] = READ_SYSREG(par_el1);
    }
    WRITE_SYSREG(sctlr_el3, sctlr);
    __asm__ volatile("isb\n tlbi alle3\n dsb nsh\n isb" ::: "memory");
}

static int hook(rt_frame *f, int el) {
    unsigned ec = ESR_EC(f->esr);
    if (f->x[0] == MAGIC && ((el == 2 && ec == 0x16) || (el == 3 && ec == 0x17))) {
        if (el == 2)
            run_el2();
        else
            run_el3();
        f->x[0] = 0;
        return RT_RESUME;
    }
    return RT_UNHANDLED;
}

int main(void) {
    printf("entry EL%d, running at EL%lu\n", rt_entry_el(), READ_SYSREG(CurrentEL) >> 2);
    build();
    rt_set_high_handler(hook);
    register uint64_t x0 __asm__("x0") = MAGIC;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    x0 = MAGIC;
    __asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    for (int i = 0; i < NVA; i++) {
        printf("%-10s S1E2R", va_names[i]);
        pt_print_par(par2[i][0]);
        printf(" S1E2W");
        pt_print_par(par2[i][1]);
        printf("\n%-10s S1E3R", "");
        pt_print_par(par3[i][0]);
        printf(" S1E3W");
        pt_print_par(par3[i][1]);
        printf("\n");
    }
    static const char *const ops[4] = {"S12E1R", "S12E1W", "S12E0R", "S12E0W"};
    for (int i = 0; i < NS12; i++) {
        printf("%s:\n", s12_names[i]);
        for (int k = 0; k < 4; k++) {
            printf("  %s", ops[k]);
            pt_print_par(par12[i][k]);
            printf("\n");
        }
    }
    printf("done\n");
    rt_psci_off();
}
