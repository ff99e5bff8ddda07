// Stage-2 matrix (entered at EL2; EL1 runs with the runtime's stage-1 identity
// map plus level-1 blocks that send VAs 4-7 GiB to a high IPA window). For
// 4K (IPA 40 and 42 bits, start level 1: 2 and 8 concatenated tables), 16K
// (IPA 40, start level 2: 16 concatenated tables) and 64K (IPA 44, start
// level 2: 4 concatenated tables), all built with rt/pt.c: stage-2 pages and
// blocks at every legal level in the top 4 GiB of the IPA space, then from
// EL1: reads through them, AT S1E1R (IPA) and, through HVC, AT S12E1R (PA)
// from EL2, and the stage-2 faults taken to EL2 (ESR_EL2, FAR_EL2, HPFAR_EL2):
// translation at a level, access flag, S2AP write permission, an output
// address beyond VTCR_EL2.PS.
//! qemu: virtualization
#include "common.h"
#include "pt.h"

#define ARENA 0x44000000ULL
#define FRAME 0x46124000ULL
#define VA_WIN 0x100000000ULL /* VA 4 GiB: L1 entries 4..7 of the runtime's table */

static volatile uint64_t h_esr, h_far, h_hpfar, h_count, h_par;

static int el2_hook(rt_frame *f, int el) {
    unsigned ec = ESR_EC(f->esr);
    if (ec == 0x16) {
        unsigned imm = f->esr & 0xffff;
        if (imm == 3) { /* x1 = VTCR, x2 = VTTBR */
            WRITE_SYSREG(vtcr_el2, f->x[1]);
            WRITE_SYSREG(vttbr_el2, f->x[2]);
            ISB();
            WRITE_SYSREG(hcr_el2, READ_SYSREG(hcr_el2) | 1);
            __asm__ volatile("isb\n tlbi alle1\n dsb nsh\n isb" ::: "memory");
            return RT_RESUME;
        }
        if (imm == 4) {
            WRITE_SYSREG(hcr_el2, READ_SYSREG(hcr_el2) & ~1ULL);
            __asm__ volatile("isb\n tlbi alle1\n dsb nsh\n isb" ::: "memory");
            return RT_RESUME;
        }
        if (imm == 6) { /* AT S12E1R x1 */
            __asm__ volatile("at s12e1r, %0\n isb" : : "r"(f->x[1]));
            f->x[0] = READ_SYSREG(par_el1);
            return RT_RESUME;
        }
        if (imm == 7) { /* AT S12E1W x1 */
            __asm__ volatile("at s12e1w, %0\n isb" : : "r"(f->x[1]));
            f->x[0] = READ_SYSREG(par_el1);
            return RT_RESUME;
        }
        return RT_UNHANDLED;
    }
    if (ec == 0x24 || ec == 0x20) {
        h_esr = f->esr;
        h_far = READ_SYSREG(far_el2);
        h_hpfar = READ_SYSREG(hpfar_el2);
        h_count++;
        return RT_SKIP;
    }
    return RT_UNHANDLED;
}

static uint64_t hvc3(uint64_t vtcr, uint64_t vttbr) {
    register uint64_t x0 __asm__("x0") = 0, x1 __asm__("x1") = vtcr, x2 __asm__("x2") = vttbr;
    __asm__ volatile("hvc #3" : "+r"(x0), "+r"(x1), "+r"(x2) : : "memory");
    return x0;
}
static void hvc4(void) {
    register uint64_t x0 __asm__("x0") = 0;
    __asm__ volatile("hvc #4" : "+r"(x0) : : "memory");
}
static uint64_t at12(int w, uint64_t va) {
    register uint64_t x0 __asm__("x0") = 0, x1 __asm__("x1") = va;
    if (w)
        __asm__ volatile("hvc #7" : "+r"(x0), "+r"(x1) : : "memory");
    else
        __asm__ volatile("hvc #6" : "+r"(x0), "+r"(x1) : : "memory");
    return x0;
}

static void probe(const char *what, uint64_t va, int write) {
    h_count = 0;
    uint64_t v = 0;
    if (write)
        *(volatile uint64_t *)va = 0x5700000000000000ULL | va;
    else
        v = *(volatile uint64_t *)va;
    printf("  %-10s %lx:", what, va);
    printf(" S1E1R");
    pt_print_par(pt_at(PT_S1E1R, va));
    printf(" S12E1R");
    pt_print_par(at12(0, va));
    printf(" S12E1W");
    pt_print_par(at12(1, va));
    printf("\n");
    if (h_count)
        printf("    ESR_EL2=%08lx FAR_EL2=%lx HPFAR_EL2=%lx\n", h_esr, h_far, h_hpfar);
    else if (!write)
        printf("    read %016lx\n", v);
    else
        printf("    written\n");
}

typedef struct {
    unsigned grain, ipa, ps_enc, ps, sl0;
    int start;
} s2cfg;

static void run(const s2cfg *c) {
    volatile uint64_t *rt_l1 = (volatile uint64_t *)(READ_SYSREG(ttbr0_el1) & 0xfffffffff000ULL);
    pt_t t;
    pt_init_at(&t, c->grain, c->ipa, PT_FMT48, c->start, ARENA, 0x1000000);
    uint64_t tg = c->grain == 12 ? 0 : c->grain == 16 ? 1 : 2;
    uint64_t vtcr = (64 - c->ipa) | ((uint64_t)c->sl0 << 6) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (tg << 14) |
                    ((uint64_t)c->ps_enc << 16) | (1ULL << 31);
    printf("== stage 2: granule %uK IPA %u start level %d, %u concatenated tables, VTCR %lx\n", 1u << (c->grain - 10), c->ipa,
           t.start, t.concat, vtcr);
    const uint64_t S2N = PT_S2_MEMATTR(0xf) | PT_S2AP(3) | PT_SH_IS | PT_AF;
    /* identity: UART and RAM with level-2 blocks */
    uint64_t bs = 1ULL << pt_shift(c->grain, 2);
    pt_map(&t, 0x09000000ULL & ~(bs - 1), 0x09000000ULL & ~(bs - 1), 2, PT_S2_MEMATTR(0) | PT_S2AP(3) | PT_AF | PT_S2_XN);
    for (uint64_t a = 0x40000000ULL; a < 0x48000000ULL; a += bs) pt_map(&t, a, a, 2, S2N);
    /* the IPA window: the top 4 GiB of the IPA space; VA 4+k GiB -> IPA W + k GiB at stage 1 */
    uint64_t W = (1ULL << c->ipa) - 0x100000000ULL;
    for (int k = 0; k < 4; k++)
        rt_l1[4 + k] = (W + ((uint64_t)k << 30)) | 1 | PT_ATTR(1) | PT_SH_IS | PT_AF | PT_UXN;
    uint64_t G = 1ULL << c->grain;
    uint64_t page = FRAME & ~(G - 1);
    uint64_t blk = FRAME & ~(bs - 1);
    int n = 0;
    pt_map(&t, W + 0 * G, page, 3, S2N);                     /* page */
    pt_map(&t, W + 1 * G, page, 3, S2N & ~PT_AF);            /* AF = 0 */
    pt_map(&t, W + 2 * G, page, 3, S2N & ~PT_S2AP(2));       /* read-only */
    pt_map(&t, W + 3 * G, 1ULL << c->ps, 3, S2N);            /* OA beyond VTCR_EL2.PS */
    pt_slot(&t, W + 4 * G, 3);                               /* invalid at level 3 */
    pt_map(&t, W + 0x40000000ULL, blk, 2, S2N);              /* level-2 block */
    pt_map(&t, W + 0x40000000ULL + bs, blk, 2, S2N | PT_S2_XN); /* level-2 block, XN */
    if (pt_block_ok(c->grain, 1, PT_FMT48) && c->start <= 1) {
        pt_map(&t, W + 0x80000000ULL, 0x40000000ULL & ~((1ULL << pt_shift(c->grain, 1)) - 1), 1, S2N); /* level-1 block */
        n = 1;
    }
    __asm__ volatile("dsb ish" ::: "memory");
    /* TCR_EL1.IPS: 48 bits so that stage 1 may output the high IPAs */
    uint64_t tcr1 = READ_SYSREG(tcr_el1);
    WRITE_SYSREG(tcr_el1, (tcr1 & ~(7ULL << 32)) | (5ULL << 32));
    hvc3(vtcr, t.root);
    pt_tlbi_all();
    uint64_t fo = FRAME - page;
    *(volatile uint64_t *)(FRAME + 0x10) = 0x5200000000000000ULL | c->ipa;
    probe("page", VA_WIN + 0 * G + fo + 0x10, 0);
    probe("af0", VA_WIN + 1 * G + fo + 0x10, 0);
    probe("ro read", VA_WIN + 2 * G + fo + 0x10, 0);
    probe("ro write", VA_WIN + 2 * G + fo + 0x18, 1);
    probe("oa>ps", VA_WIN + 3 * G + 0x20, 0);
    probe("inv L3", VA_WIN + 4 * G + 0x20, 0);
    probe("inv L2", VA_WIN + 0x20000000ULL + 0x20, 0);
    probe("blk L2", VA_WIN + 0x40000000ULL + (FRAME - blk) + 0x10, 0);
    probe("blk L2 w", VA_WIN + 0x40000000ULL + (FRAME - blk) + 0x30, 1);
    printf("  frame after write: %lx\n", *(volatile uint64_t *)(FRAME + 0x30));
    if (n) probe("blk L1", VA_WIN + 0x80000000ULL + (FRAME - 0x40000000ULL) + 0x10, 0);
    probe("inv top", VA_WIN + 0xc0000000ULL + 0x40, 0);
    /* Not here: a stage-2 fault on the stage-1 table walk (S1PTW). QEMU 7.2 reports
     * the level of the stage-1 lookup (DFSC 0x06 for the level-2 table read) where
     * the architecture reports the stage-2 fault's own level (AArch64.S1Walk returns
     * the FaultRecord of AArch64.S2Translate; here level 1): see mmu_selfcheck_s2.c.
     * Also, AT S1E1R at EL1 must take such a fault to EL2 as a Data Abort (ISS CM=1,
     * WnR=1 for AccessType_AT in AArch64.FaultSyndrome); QEMU does, armlab writes PAR. */
    hvc4();
    for (int k = 0; k < 4; k++) rt_l1[4 + k] = 0;
    WRITE_SYSREG(tcr_el1, tcr1);
    pt_tlbi_all();
}

static const s2cfg cfgs[] = {
    {12, 40, 2, 40, 1, 1},
    {12, 42, 4, 44, 1, 1},
    {14, 40, 2, 40, 1, 2},
    {16, 44, 4, 44, 1, 2},
};

int main(void) {
    printf("entry EL%d\n", rt_entry_el());
    rt_set_high_handler(el2_hook);
    for (unsigned i = 0; i < ARRAY_SIZE(cfgs); i++) run(&cfgs[i]);
    printf("done\n");
    rt_psci_off();
}
