// armlab-only, self-checking (QEMU's virt board cannot place RAM above 2^48,
// and QEMU 7.2 is wrong in the second part).
//
// 1. 52-bit output addresses in real RAM (a region at HI, above 2^48, with
//    PA[51:48] = 0xE so that PA[51:50] is non-zero): for 4K and 16K with
//    FEAT_LPA2 (TCR_EL1.DS=1) and 64K with FEAT_LPA/LVA (IPS=52), 52-bit VAs,
//    translation tables *in* that region (TTBR BADDR[51:48] in TTBR[5:2],
//    table addresses with bits above 48 in every table descriptor), a leaf at
//    every legal level mapping the same data page. Checks, computed from the
//    tables: PAR_EL1 after AT S1E1R/W has PA[51:12] in PAR[51:12] (PA[51:48]
//    in PAR[51:48]) and ATTR = MAIR attr; data written through one alias reads
//    back through the others and through the MMU-off (flat) view.
// 2. Rules QEMU 7.2 gets wrong (mmu_matrix_* leave these cases out):
//    - AArch64.BlockDescSupported: a block descriptor (bits[1:0] = 01) is a leaf
//      only at 4K levels 1, 2 (and 0 with DS=1), 16K level 2 (and 1 with DS=1),
//      64K levels 2 and 1 (PAMax 52); elsewhere it is invalid: Translation fault
//      at that level (QEMU maps a 4K level-0 / 16K level-0/1 block, and aborts on
//      a 4K level -1 one with DS=1).
//    - Arm ARM B2.5.2: an unaligned access to any type of Device memory gives an
//      Alignment fault (DFSC 0b100001) whatever SCTLR_EL1.A (QEMU 7.2 performs it).
//! only: armlab
//! armlab: --ram 4M@0xEDCB000000000
#include "common.h"
#include "pt.h"

#define HI 0xEDCB000000000ULL          /* PA[51:48] = 0xE */
#define HI_DATA (HI + 0x230000ULL)      /* 64K-aligned data page */

static int fails;
#define CHECK(cond, ...)                                                                                                   \
    do {                                                                                                                   \
        if (!(cond)) {                                                                                                     \
            printf("FAIL ");                                                                                               \
            printf(__VA_ARGS__);                                                                                           \
            printf("\n");                                                                                                  \
            fails++;                                                                                                       \
        }                                                                                                                  \
    } while (0)

static uint64_t tcr_for(unsigned grain, unsigned fmt, unsigned va, unsigned ips_enc) {
    uint64_t tg0 = grain == 12 ? 0 : grain == 16 ? 1 : 2;
    uint64_t t = (64 - va) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (tg0 << 14) | (1ULL << 23) | (2ULL << 30);
    t |= (uint64_t)ips_enc << 32;
    if (fmt == PT_DS) t |= 1ULL << 59;
    return t;
}

static void high_pa(unsigned grain, unsigned fmt) {
    printf("52-bit PA: granule %uK %s\n", 1u << (grain - 10), fmt == PT_DS ? "LPA2" : "LPA");
    pt_mmu_off(); /* HI is only reachable flat until our tables are in place */
    volatile uint64_t *data = (volatile uint64_t *)HI_DATA;
    for (int i = 0; i < 64; i++) data[i] = 0x5200000000000000ULL | (uint64_t)i;
    pt_t t;
    pt_init(&t, grain, 52, fmt, HI, 0x200000);
    pt_identity(&t, 0x08000000ULL, 0);
    CHECK(t.root >= (1ULL << 48), "root %lx not above 2^48", t.root);
    uint64_t vas[5];
    int levels[5], n = 0;
    uint64_t step = 1ULL << pt_shift(grain, t.start);
    for (int L = t.start; L <= 3; L++) {
        if (L < 3 && !pt_block_ok(grain, L, fmt)) continue;
        uint64_t S = 1ULL << pt_shift(grain, L), oa = HI_DATA & ~(S - 1);
        uint64_t va = (1ULL << 51) + (uint64_t)n * step;
        volatile uint64_t *d = pt_map(&t, va, oa, L, PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF | PT_UXN);
        CHECK(pt_desc_addr(fmt, pt_shift(grain, L), *d) == oa, "descriptor %lx does not encode %lx", *d, oa);
        vas[n] = va + (HI_DATA - oa);
        levels[n++] = L;
    }
    uint64_t ttbr = pt_ttbr(&t, 0);
    CHECK((ttbr & 0x3c) == ((t.root >> 48) & 0xf) << 2, "TTBR %lx BADDR[51:48]", ttbr);
    pt_el1_switch(PT_MAIR, tcr_for(grain, fmt, 52, 6), ttbr, 0);
    pt_mmu_on();
    for (int i = 0; i < n; i++) {
        uint64_t va = vas[i] + 0x128;
        uint64_t want = (HI_DATA + 0x128) & ~0xfffULL;
        uint64_t r = pt_at(PT_S1E1R, va), w = pt_at(PT_S1E1W, va);
        printf("  level %d VA %016lx PAR %016lx\n", levels[i], va, (unsigned long)(r & ~0x380ULL & 0xff0fffffffffffffULL));
        CHECK(!(r & 1) && (r & 0x000ffffffffff000ULL) == want && (r >> 56) == 0xff, "AT S1E1R %lx: PAR %lx, want PA %lx",
              va, r, want);
        CHECK(!(w & 1) && (w & 0x000ffffffffff000ULL) == want, "AT S1E1W %lx: PAR %lx", va, w);
        CHECK(((r >> 48) & 0xf) == 0xe, "PAR[51:48] = %lx", (r >> 48) & 0xf);
        uint64_t v = pt_read64(vas[i] + 8 * i);
        CHECK(!pt_esr && v == (0x5200000000000000ULL | (uint64_t)i), "read via level-%d alias: %lx esr %lx", levels[i], v, pt_esr);
    }
    /* write through the last (smallest) alias, read through every other */
    pt_write64(vas[n - 1] + 0x100, 0xa11a5000000000ULL | grain);
    CHECK(!pt_esr, "write via alias faulted: %lx", pt_esr);
    for (int i = 0; i < n; i++) {
        uint64_t v = pt_read64(vas[i] + 0x100);
        CHECK(v == (0xa11a5000000000ULL | grain), "level-%d alias reads %lx after the write", levels[i], v);
    }
    /* and a fault above the mapped windows reports the full 52-bit FAR */
    uint64_t hole = (1ULL << 51) + (uint64_t)n * step + 0x1238;
    pt_read64(hole);
    CHECK(pt_esr == (0x96000000ULL | (t.start < 0 ? 0x2bu : 4u + (unsigned)t.start)), "hole: ESR %lx", pt_esr);
    CHECK(pt_far == hole, "hole: FAR %lx", pt_far);
    pt_el1_restore();
    pt_mmu_off();
    uint64_t flat = *(volatile uint64_t *)(HI_DATA + 0x100);
    pt_mmu_on();
    CHECK(flat == (0xa11a5000000000ULL | grain), "flat view %lx", flat);
}

/* part 2: low tables in the default RAM */
#define ARENA 0x44000000ULL

static void bad_block(unsigned grain, unsigned fmt, unsigned va_bits, int level) {
    pt_t t;
    pt_init(&t, grain, va_bits, fmt, ARENA, 0x1000000);
    pt_identity(&t, 0x08000000ULL, 0);
    uint64_t va = 1ULL << (va_bits - 1);
    volatile uint64_t *s = pt_slot(&t, va, level);
    *s = pt_oa(fmt, 0) | 1 | PT_ATTR(PT_NORM) | PT_AF; /* block-type descriptor at `level` */
    pt_el1_switch(PT_MAIR, tcr_for(grain, fmt, va_bits, fmt == PT_FMT48 ? 5 : 6), pt_ttbr(&t, 0), 0);
    uint64_t par = pt_at(PT_S1E1R, va + 0x40000000ULL);
    pt_read64(va + 0x40000000ULL);
    pt_el1_restore();
    unsigned want = level < 0 ? 0x2b : 4 + (unsigned)level;
    printf("block at %uK level %d%s: PAR %lx ESR %lx\n", 1u << (grain - 10), level, fmt == PT_DS ? " DS=1" : "", par & 0x7f, pt_esr);
    CHECK((par & 1) && ((par >> 1) & 0x3f) == want, "AT: PAR %lx, want FST %x", par, want);
    CHECK(pt_esr == (0x96000000ULL | want), "read: ESR %lx, want DFSC %x", pt_esr, want);
}

static void device_unaligned(void) {
    pt_t t;
    pt_init(&t, 12, 39, PT_FMT48, ARENA, 0x1000000);
    pt_identity(&t, 0x08000000ULL, 0);
    uint64_t page = 0x46000000ULL, va = 0x4000000000ULL;
    *(volatile uint64_t *)page = 0x0123456789abcdefULL;
    *(volatile uint64_t *)(page + 8) = 0xfedcba9876543210ULL;
    pt_map(&t, va, page, 3, PT_ATTR(PT_DEV_GNRE) | PT_AF | PT_UXN | PT_PXN);
    pt_map(&t, va + 0x1000, page, 3, PT_ATTR(PT_DEV) | PT_AF | PT_UXN | PT_PXN);
    pt_el1_switch(PT_MAIR, tcr_for(12, PT_FMT48, 39, 5), pt_ttbr(&t, 0), 0);
    uint64_t v = pt_read64(va + 8);
    CHECK(!pt_esr && v == 0xfedcba9876543210ULL, "aligned Device read: %lx esr %lx", v, pt_esr);
    static const uint64_t offs[] = {1, 4, 0x1003, 0x1007};
    for (unsigned i = 0; i < 4; i++) {
        pt_read64(va + offs[i]);
        printf("unaligned Device read at +%lx: ESR %lx FAR %lx\n", offs[i], pt_esr, pt_far);
        CHECK(pt_esr == 0x96000021ULL && pt_far == va + offs[i], "want an Alignment fault, ESR 96000021 FAR %lx", va + offs[i]);
    }
    pt_read32_at(va + 2);
    CHECK(pt_esr == 0x96000021ULL, "unaligned 32-bit Device read: ESR %lx", pt_esr);
    pt_write64(va + 0x1009, 0);
    CHECK(pt_esr == 0x96000061ULL, "unaligned Device write: ESR %lx (want WnR, DFSC 21)", pt_esr);
    pt_el1_restore();
}

int main(void) {
    high_pa(12, PT_DS);
    high_pa(14, PT_DS);
    high_pa(16, PT_LPA);
    bad_block(12, PT_FMT48, 48, 0);
    bad_block(14, PT_FMT48, 48, 0);
    bad_block(14, PT_FMT48, 47, 1);
    bad_block(12, PT_DS, 52, -1);
    bad_block(14, PT_DS, 52, 0);
    device_unaligned();
    if (fails) {
        printf("%d check(s) failed\n", fails);
        return 1;
    }
    printf("PASS\n");
    return 0;
}
