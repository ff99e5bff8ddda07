// FEAT_VHE: the EL2&0 translation regime (entered at EL2; the runtime drops to EL1).
// Through HVC calls the runtime's EL2 handler (this test's hook) first probes the
// E2H = 0 state (CNTVCT subtracts CNTVOFF_EL2), then sets
// HCR_EL2.{E2H,TGE} and, using only the EL1 register encodings (redirected to the EL2
// registers), builds EL2&0 tables for TTBR0_EL2 (identity RAM and UART, an EL0 code
// and data page, non-global, ASID 7) and TTBR1_EL2 (a page and a 1 GiB alias of RAM in
// the upper VA range), turns the MMU on through SCTLR_EL1's encoding, prints PAR_EL1
// for AT S1E2R / S1E0R / S1E0W, reads through both VA ranges, uses the _EL12/_EL02
// aliases and the EL2 virtual timer, drops to EL0 (TGE: the EL2&0 regime) and takes
// an SVC, a permission fault and an IRQ (the EL2 physical timer, programmed through
// CNTP_*_EL0, PPI 26) back to EL2. Results are printed at EL1 afterwards.
// Not probed here: _EL12 at EL2 with E2H = 0, UNDEFINED in the Arm ARM, which QEMU 7.2
// lets through (later QEMU UNDEFs it); test/unit/vhe.test.ts pins it.
//! qemu: virtualization
//! cflags: -march=armv8.1-a -mgeneral-regs-only
#include "common.h"
#include "gic.h"

#define HCR_RW (1ULL << 31)
#define HCR_TGE (1ULL << 27)
#define HCR_E2H (1ULL << 34)

#define D_BLOCK 1ULL
#define D_TABLE 3ULL
#define D_PAGE 3ULL
#define D_ATTR(i) ((uint64_t)(i) << 2)
#define D_AP_EL0 (1ULL << 6) /* AP[1]: EL0 access */
#define D_AP_RO (1ULL << 7)  /* AP[2]: read-only */
#define D_ISH (3ULL << 8)
#define D_AF (1ULL << 10)
#define D_NG (1ULL << 11)
#define D_PXN (1ULL << 53)
#define D_UXN (1ULL << 54)

#define UPPER_BASE 0xffffff8000000000ULL /* first VA of the TTBR1_EL2 range (T1SZ = 25) */
#define UPPER_PAGE (UPPER_BASE + 0x1000)
#define UPPER_RAM (UPPER_BASE + 0x40000000ULL) /* 1 GiB block: PA 0x40000000 */
#define EL0_CODE 0x80000000ULL
#define EL0_DATA 0x80001000ULL
#define EL0_HOLE 0x80002000ULL

static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l2_lo[512] __attribute__((aligned(4096)));
static uint64_t l3_lo[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2_hi[512] __attribute__((aligned(4096)));
static uint64_t l3_hi[512] __attribute__((aligned(4096)));
static uint64_t upper_page[512] __attribute__((aligned(4096)));
static uint64_t el0_data[512] __attribute__((aligned(4096)));
static volatile uint64_t marker = 0x1111222233334444ULL;

/* EL0 code (its own page, mapped at EL0_CODE): x1 = [x0]; [x0 + 8] = x1 + 1; svc #0x77;
 * vhe_el0_spin: b . (until an interrupt). */
extern char vhe_el0_page[], vhe_el0_spin[];
/* vhe_run_el0(va, arg, sp): ERET to EL0 at va with x0 = arg; returns when EL0 traps to EL2. */
extern uint64_t vhe_run_el0(uint64_t va, uint64_t arg, uint64_t sp);
extern char vhe_vectors[], rt_vectors_el1[];
/* What the vector saw: ESR (INTID for an IRQ), ELR, FAR, SPSR (through the EL1 encodings), x0, x1. */
uint64_t vhe_trap[6];
uint64_t vhe_saved[14];

__asm__(".pushsection .text\n"
        ".balign 4096\n"
        ".global vhe_el0_page\n"
        "vhe_el0_page:\n"
        "    ldr x1, [x0]\n"
        "    add x2, x1, #1\n"
        "    str x2, [x0, #8]\n"
        "    svc #0x77\n"
        "    b .\n"
        ".global vhe_el0_spin\n"
        "vhe_el0_spin:\n"
        "    b .\n"
        ".balign 4096\n"
        ".global vhe_run_el0\n"
        "vhe_run_el0:\n"
        "    adrp x9, vhe_saved\n"
        "    add x9, x9, :lo12:vhe_saved\n"
        "    stp x19, x20, [x9, #0]\n"
        "    stp x21, x22, [x9, #16]\n"
        "    stp x23, x24, [x9, #32]\n"
        "    stp x25, x26, [x9, #48]\n"
        "    stp x27, x28, [x9, #64]\n"
        "    stp x29, x30, [x9, #80]\n"
        "    mov x10, sp\n"
        "    str x10, [x9, #96]\n"
        "    msr elr_el1, x0\n"   /* ELR_EL2 */
        "    msr spsr_el1, xzr\n" /* SPSR_EL2: EL0t */
        "    msr sp_el0, x2\n"
        "    mov x0, x1\n"
        "    eret\n"
        ".balign 2048\n"
        ".global vhe_vectors\n"
        "vhe_vectors:\n"
        "    .fill 0x400 / 4, 4, 0xd4200000\n" /* current-EL slots: BRK #0 */
        "    b vhe_el0_trapped\n"                /* lower EL, AArch64, synchronous */
        "    .fill (0x480 - 0x404) / 4, 4, 0xd4200000\n"
        "    b vhe_el0_irq\n" /* lower EL, AArch64, IRQ */
        "    .fill (0x800 - 0x484) / 4, 4, 0xd4200000\n"
        "vhe_el0_irq:\n"
        "    adrp x9, vhe_trap\n"
        "    add x9, x9, :lo12:vhe_trap\n"
        "    mrs x10, s3_0_c12_c12_0\n" /* ICC_IAR1_EL1 */
        "    mrs x11, elr_el1\n"
        "    stp x10, x11, [x9, #0]\n"
        "    mrs x11, spsr_el1\n"
        "    stp xzr, x11, [x9, #16]\n"
        "    stp x0, x1, [x9, #32]\n"
        "    msr cntp_ctl_el0, xzr\n" /* CNTHP_CTL_EL2 */
        "    isb\n"
        "    msr s3_0_c12_c12_1, x10\n" /* ICC_EOIR1_EL1 */
        "    isb\n"
        "    b vhe_el0_restore\n"
        "vhe_el0_trapped:\n"
        "    adrp x9, vhe_trap\n"
        "    add x9, x9, :lo12:vhe_trap\n"
        "    mrs x10, esr_el1\n" /* ESR_EL2 */
        "    mrs x11, elr_el1\n" /* ELR_EL2 */
        "    stp x10, x11, [x9, #0]\n"
        "    mrs x10, far_el1\n"  /* FAR_EL2 */
        "    mrs x11, spsr_el1\n" /* SPSR_EL2 */
        "    stp x10, x11, [x9, #16]\n"
        "    stp x0, x1, [x9, #32]\n"
        "vhe_el0_restore:\n"
        "    adrp x9, vhe_saved\n"
        "    add x9, x9, :lo12:vhe_saved\n"
        "    ldr x10, [x9, #96]\n"
        "    mov sp, x10\n"
        "    ldp x19, x20, [x9, #0]\n"
        "    ldp x21, x22, [x9, #16]\n"
        "    ldp x23, x24, [x9, #32]\n"
        "    ldp x25, x26, [x9, #48]\n"
        "    ldp x27, x28, [x9, #64]\n"
        "    ldp x29, x30, [x9, #80]\n"
        "    ret\n"
        ".popsection\n");

/* Results, printed at EL1. */
static volatile uint64_t probe_vh, probe_voff_e2h0;
static volatile uint64_t r_hcr, r_fpen, r_ctx2, r_sctlr12_m, r_vbar12_ok, r_vbar_ok;
static volatile uint64_t r_par[8];
static volatile uint64_t r_upper_read, r_alias_read, r_ident_read, r_voff_e2h1;
static volatile uint64_t r_cnthv_ctl, r_cnthv_cval, r_cntv02_ctl, r_asid_read;
static volatile uint64_t r_svc[6], r_abort[6], r_irq[6], r_el0_wrote, r_after_hcr, r_mmu_was_on, r_cnthp_after;

static uint64_t at_s1e2r(uint64_t va) {
    __asm__ volatile("at s1e2r, %0\n isb" : : "r"(va) : "memory");
    return READ_SYSREG(par_el1);
}
static uint64_t at_s1e0r(uint64_t va) {
    __asm__ volatile("at s1e0r, %0\n isb" : : "r"(va) : "memory");
    return READ_SYSREG(par_el1);
}
static uint64_t at_s1e0w(uint64_t va) {
    __asm__ volatile("at s1e0w, %0\n isb" : : "r"(va) : "memory");
    return READ_SYSREG(par_el1);
}

/* EL2, E2H = 0: CNTVCT_EL0 is CNTPCT_EL0 - CNTVOFF_EL2. */
static void probe_e2h0(void) {
    probe_vh = (READ_SYSREG(id_aa64mmfr1_el1) >> 8) & 0xf;
    WRITE_SYSREG(cntvoff_el2, 1ULL << 40);
    ISB();
    uint64_t p = READ_SYSREG(cntpct_el0), vc = READ_SYSREG(cntvct_el0);
    probe_voff_e2h0 = (p - vc + (1ULL << 39)) >> 40; /* 1: the offset applies */
    WRITE_SYSREG(cntvoff_el2, 0);
    ISB();
}

static void build_tables(void) {
    uint64_t normal = D_ATTR(1) | D_ISH | D_AF;
    /* TTBR0_EL2: 0-1 GiB Device (UART), 1-2 GiB RAM, 2 GiB + 4K pages for EL0. */
    l1_lo[0] = 0x00000000ULL | D_BLOCK | D_ATTR(0) | D_AF | D_PXN | D_UXN;
    l1_lo[1] = 0x40000000ULL | D_BLOCK | normal;
    l1_lo[2] = (uint64_t)l2_lo | D_TABLE;
    l2_lo[0] = (uint64_t)l3_lo | D_TABLE;
    l3_lo[0] = (uint64_t)vhe_el0_page | D_PAGE | normal | D_NG | D_AP_EL0 | D_AP_RO;
    l3_lo[1] = (uint64_t)el0_data | D_PAGE | normal | D_NG | D_AP_EL0 | D_PXN | D_UXN;
    /* TTBR1_EL2: a page at UPPER_PAGE, RAM again at UPPER_RAM (both global, EL2 only). */
    l1_hi[0] = (uint64_t)l2_hi | D_TABLE;
    l2_hi[0] = (uint64_t)l3_hi | D_TABLE;
    l3_hi[1] = (uint64_t)upper_page | D_PAGE | normal | D_PXN | D_UXN;
    l1_hi[1] = 0x40000000ULL | D_BLOCK | normal | D_PXN | D_UXN;
}

/* Everything at EL2 with E2H = 1; only EL1 encodings (redirected) for the EL2 registers. */
static void run_el20(void) {
    uint64_t old_vbar = READ_SYSREG(vbar_el2), old_cptr = READ_SYSREG(cptr_el2);
    uint64_t hcr = HCR_RW | HCR_TGE | HCR_E2H;
    /* CPTR_EL2 takes its E2H layout at once: FPEN = 0b11 in the same breath. */
    __asm__ volatile("msr hcr_el2, %0\n isb\n"
                     "mrs x9, cpacr_el1\n orr x9, x9, #(3 << 20)\n msr cpacr_el1, x9\n isb"
                     :
                     : "r"(hcr)
                     : "x9", "memory");
    r_hcr = READ_SYSREG(hcr_el2) & (HCR_E2H | HCR_TGE);
    r_fpen = (READ_SYSREG(cptr_el2) >> 20) & 3;
    WRITE_SYSREG(contextidr_el1, 0x1234); /* CONTEXTIDR_EL2 */
    WRITE_SYSREG(contextidr_el12, 0x5678);
    r_ctx2 = READ_SYSREG(contextidr_el2);
    r_sctlr12_m = READ_SYSREG(sctlr_el12) & 1;
    r_vbar12_ok = READ_SYSREG(vbar_el12) == (uint64_t)rt_vectors_el1;
    r_vbar_ok = READ_SYSREG(vbar_el1) == old_vbar;

    /* CNTVCT_EL0 at EL2 with E2H = 1 ignores CNTVOFF_EL2. */
    WRITE_SYSREG(cntvoff_el2, 1ULL << 40);
    ISB();
    uint64_t p = READ_SYSREG(cntpct_el0), vc = READ_SYSREG(cntvct_el0);
    r_voff_e2h1 = (p - vc + (1ULL << 39)) >> 40; /* 0: no offset */
    WRITE_SYSREG(cntvoff_el2, 0);

    /* The EL2 virtual timer through CNTV_*_EL0; the EL1 one through _EL02. */
    WRITE_SYSREG(cntv_cval_el0, ~0ULL);
    WRITE_SYSREG(cntv_ctl_el0, 3); /* ENABLE | IMASK */
    r_cnthv_ctl = READ_SYSREG(cnthv_ctl_el2);
    r_cnthv_cval = READ_SYSREG(cnthv_cval_el2);
    r_cntv02_ctl = READ_SYSREG(cntv_ctl_el02);
    WRITE_SYSREG(cntv_ctl_el0, 0);

    build_tables();
    DSB();
    /* TCR_EL2, E2H layout: T0SZ = T1SZ = 25, 4K granules, WBWA Inner Shareable walks, IPS 40 bits, 8-bit ASIDs from TTBR0. */
    WRITE_SYSREG(tcr_el1, 25ULL | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (25ULL << 16) | (1ULL << 24) | (1ULL << 26) |
                              (3ULL << 28) | (2ULL << 30) | (2ULL << 32));
    WRITE_SYSREG(mair_el1, 0xff00ULL); /* attr0 Device-nGnRnE, attr1 Normal WB */
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1_lo | (7ULL << 48));
    WRITE_SYSREG(ttbr1_el1, (uint64_t)l1_hi);
    __asm__ volatile("isb\n tlbi alle2\n dsb nsh\n isb" ::: "memory");
    uint64_t sctlr = READ_SYSREG(sctlr_el1); /* SCTLR_EL2 */
    sctlr = (sctlr | 1 | (1 << 2) | (1 << 12) | (1 << 23)) & ~(uint64_t)2; /* M, C, I, SPAN; not A */
    WRITE_SYSREG(sctlr_el1, sctlr);
    ISB();
    r_mmu_was_on = READ_SYSREG(sctlr_el2) & 1;

    /* AT: EL2 through both ranges, EL0 (the host's EL0 regime). */
    r_par[0] = at_s1e2r(UPPER_PAGE + 0x18);
    r_par[1] = at_s1e2r((uint64_t)&marker);
    r_par[2] = at_s1e2r(EL0_HOLE);
    r_par[3] = at_s1e0r(EL0_CODE);
    r_par[4] = at_s1e0r(EL0_DATA);
    r_par[5] = at_s1e0r(UPPER_PAGE);
    r_par[6] = at_s1e0w(EL0_CODE);
    r_par[7] = at_s1e0r((uint64_t)&marker);

    /* Reads through both VA ranges. */
    volatile uint64_t *ident = upper_page;
    ident[3] = 0xabcdef0123456789ULL;
    DSB();
    r_upper_read = *(volatile uint64_t *)(UPPER_PAGE + 0x18);
    *(volatile uint64_t *)(UPPER_PAGE + 0x20) = 0x0fedcba987654321ULL;
    DSB();
    r_ident_read = ident[4];
    r_alias_read = *(volatile uint64_t *)(UPPER_RAM + ((uint64_t)&marker - 0x40000000ULL));

    /* A new ASID for TTBR0_EL2: the non-global page is walked again. */
    el0_data[0] = 41;
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1_lo | (8ULL << 48));
    ISB();
    r_asid_read = *(volatile uint64_t *)EL0_DATA;

    /* EL0 under {E2H,TGE} = {1,1}: an SVC, then a permission fault, both taken to EL2. */
    WRITE_SYSREG(vbar_el1, (uint64_t)vhe_vectors); /* VBAR_EL2 */
    ISB();
    vhe_run_el0(EL0_CODE, EL0_DATA, EL0_DATA + 0x1000);
    for (int i = 0; i < 6; i++) r_svc[i] = vhe_trap[i];
    r_el0_wrote = el0_data[1];
    vhe_run_el0(EL0_CODE, UPPER_PAGE, EL0_DATA + 0x1000);
    for (int i = 0; i < 6; i++) r_abort[i] = vhe_trap[i];

    /* EL0 spins; the EL2 physical timer (CNTP_* at EL2 with E2H = 1) interrupts it; TGE routes the IRQ to EL2. */
    wr32(GICR + 0x14, 0);
    while (rd32(GICR + 0x14) & 4) {
    }
    wr32(GICD + 0x0, 2);
    wr32(SGI_BASE + 0x80, 0xffffffff);
    wr8(SGI_BASE + 0x400 + 26, 0xa0);
    wr32(SGI_BASE + 0x100, 1u << 26);
    WR(PMR, 0xf0);
    WR(IGRPEN1, 1);
    WRITE_SYSREG(cntp_tval_el0, READ_SYSREG(cntfrq_el0) / 1000);
    WRITE_SYSREG(cntp_ctl_el0, 1);
    ISB();
    vhe_run_el0(EL0_CODE + (uint64_t)(vhe_el0_spin - vhe_el0_page), 0, EL0_DATA + 0x1000);
    for (int i = 0; i < 6; i++) r_irq[i] = vhe_trap[i];
    r_cnthp_after = READ_SYSREG(cnthp_ctl_el2);
    wr32(SGI_BASE + 0x180, 1u << 26);
    WR(IGRPEN1, 0);
    ISB();
    WRITE_SYSREG(vbar_el1, old_vbar);

    /* Back to E2H = 0 with the EL2 MMU off, as the runtime expects. */
    WRITE_SYSREG(sctlr_el1, sctlr & ~(uint64_t)1);
    ISB();
    WRITE_SYSREG(hcr_el2, HCR_RW);
    ISB();
    WRITE_SYSREG(cptr_el2, old_cptr);
    __asm__ volatile("isb\n tlbi alle2\n dsb nsh\n isb" ::: "memory");
    r_after_hcr = READ_SYSREG(hcr_el2) & (HCR_E2H | HCR_TGE);
}

static int el2_hook(rt_frame *f, int el) {
    if (ESR_EC(f->esr) != 0x16) return RT_UNHANDLED;
    unsigned imm = f->esr & 0xffff;
    if (imm == 1) probe_e2h0();
    else if (imm == 2) run_el20();
    else return RT_UNHANDLED;
    f->x[0] = 0;
    return RT_RESUME;
}

static void show_par(const char *what, uint64_t par) {
    if (par & 1)
        printf("%-28s PAR_EL1=%016lx fault FST=%02lx S=%lu PTW=%lu\n", what, par, (par >> 1) & 0x3f, (par >> 9) & 1,
               (par >> 8) & 1);
    else
        printf("%-28s PAR_EL1=%016lx PA+%lx ATTR=%02lx SH=%lu\n", what, par, (uint64_t)((par & 0xfffffffff000ULL) - 0x40000000ULL),
               par >> 56, (par >> 7) & 3);
}

static void show_trap(const char *what, volatile uint64_t *t) {
    printf("%-28s ESR=%08lx EC=%02lx ELR=EL0_CODE+%lx SPSR=%lx x0=%lx\n", what, t[0], t[0] >> 26, (uint64_t)(t[1] - EL0_CODE), t[3],
           t[4] == EL0_DATA ? (uint64_t)0xda7a : t[4]);
}

int main(void) {
    printf("entry EL%d, running at EL%lu\n", rt_entry_el(), READ_SYSREG(CurrentEL) >> 2);
    rt_set_high_handler(el2_hook);
    rt_set_sync_handler(record_and_skip);

    uint64_t v;
    __asm__ volatile("mrs %0, sctlr_el12" : "=r"(v) : : "memory");
    printf("EL1: mrs sctlr_el12 -> EC=%02x (count %lu)\n", ESR_EC(last_esr), exc_count);

    __asm__ volatile("hvc #1" ::: "x0", "memory");
    printf("EL2, E2H=0: ID_AA64MMFR1.VH=%lu\n", probe_vh);
    printf("EL2, E2H=0: CNTVCT = CNTPCT - CNTVOFF (2^40 units): %lu\n", probe_voff_e2h0);

    __asm__ volatile("hvc #2" ::: "x0", "memory");
    printf("HCR_EL2.{E2H,TGE} while in EL2&0: %lx, after: %lx\n", r_hcr, r_after_hcr);
    printf("CPACR_EL1 at EL2 -> CPTR_EL2.FPEN=%lx\n", r_fpen);
    printf("CONTEXTIDR_EL1 at EL2 -> CONTEXTIDR_EL2=%lx; CONTEXTIDR_EL12 -> EL1's=%lx\n", r_ctx2,
           READ_SYSREG(contextidr_el1));
    printf("SCTLR_EL12.M (EL1's MMU)=%lu; VBAR_EL1 at EL2 is VBAR_EL2: %lu; VBAR_EL12 is EL1's: %lu\n", r_sctlr12_m,
           r_vbar_ok, r_vbar12_ok);
    printf("CNTVCT at EL2 with E2H=1 ignores CNTVOFF (2^40 units): %lu\n", r_voff_e2h1);
    printf("CNTV_CTL_EL0 at EL2 -> CNTHV_CTL_EL2=%lx CNTHV_CVAL_EL2=%lx; CNTV_CTL_EL02=%lx\n", r_cnthv_ctl, r_cnthv_cval,
           r_cntv02_ctl);
    printf("SCTLR_EL2.M set through SCTLR_EL1: %lu\n", r_mmu_was_on);
    show_par("AT S1E2R upper page", r_par[0]);
    show_par("AT S1E2R identity RAM", r_par[1]);
    show_par("AT S1E2R unmapped", r_par[2]);
    show_par("AT S1E0R EL0 code", r_par[3]);
    show_par("AT S1E0R EL0 data", r_par[4]);
    show_par("AT S1E0R upper page (EL2)", r_par[5]);
    show_par("AT S1E0W EL0 code (RO)", r_par[6]);
    show_par("AT S1E0R identity RAM", r_par[7]);
    printf("upper VA read %lx, identity read %lx, upper RAM alias read %lx\n", r_upper_read, r_ident_read, r_alias_read);
    printf("EL0 page after ASID change: %lu\n", r_asid_read);
    show_trap("EL0 svc #0x77", r_svc);
    printf("EL0 stored %lu; x1 at the trap %lu\n", r_el0_wrote, r_svc[5]);
    show_trap("EL0 load of the EL2 page", r_abort);
    printf("  FAR=%lx (upper page: %d)\n", r_abort[2], r_abort[2] == UPPER_PAGE);
    printf("%-28s INTID=%lu ELR=EL0_CODE+%lx SPSR=%lx; CNTHP_CTL_EL2 after=%lx\n", "EL0 spin, EL2 timer IRQ", r_irq[0],
           (uint64_t)(r_irq[1] - EL0_CODE), r_irq[3], r_cnthp_after);
    return 0;
}
