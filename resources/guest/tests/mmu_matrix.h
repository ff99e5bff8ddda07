/*
 * Shared driver for the mmu_matrix_* programs: for one configuration
 * (granule, output format, TCR.IPS, TTBR0/TTBR1 VA sizes) it builds tables
 * with rt/pt.c, switches TTBR0/TTBR1/TCR_EL1, and for both VA ranges and every
 * level that may hold a leaf prints AT S1E1R/W and S1E0R/W results (PAR_EL1)
 * and the ESR/FAR of provoked faults:
 *   - a RAM alias (read through it, write through it, read back directly),
 *   - output addresses with high bits set (PAR must carry all of them),
 *   - an output address just beyond the IPS (Address size fault at the leaf level),
 *   - AF=0 with TCR.HA=0 (Access flag fault), an invalid descriptor (Translation
 *     fault at that level), a block where the granule allows none (Translation),
 *   - a table descriptor pointing beyond the IPS (Address size fault at its level),
 *   - AP/APTable/UXN/PXN permissions, instruction fetches, Device/NC attributes,
 *   - the TTBR base beyond the IPS (Address size fault, level 0), EPD1, VAs
 *     outside both ranges.
 * Tables and test frames sit in the first 128 MiB of RAM (QEMU's default -m).
 */
#ifndef MMU_MATRIX_H
#define MMU_MATRIX_H
#include "common.h"
#include "pt.h"

typedef struct {
    unsigned grain; /* 12, 14, 16 (both ranges) */
    unsigned fmt;   /* PT_FMT48, PT_LPA (64K, IPS 52), PT_DS (4K/16K LPA2) */
    unsigned ips;   /* TCR_EL1.IPS in bits: 32..52 */
    unsigned t0;    /* TTBR0 VA bits (>= 31: the identity map lives there) */
    unsigned t1;    /* TTBR1 VA bits */
} mcfg;

#define M_ARENA0 0x44000000ULL
#define M_ARENA1 0x45000000ULL
#define M_ARENA_SIZE 0x01000000ULL
#define M_FRAME 0x46123000ULL /* a 4K page of test data */

static unsigned m_ips_enc(unsigned bits) {
    static const unsigned b[] = {32, 36, 40, 42, 44, 48, 52};
    for (unsigned i = 0; i < 7; i++)
        if (b[i] == bits) return i;
    return 0;
}

static uint64_t m_tcr(const mcfg *c) {
    uint64_t tg0 = c->grain == 12 ? 0 : c->grain == 16 ? 1 : 2;
    uint64_t tg1 = c->grain == 12 ? 2 : c->grain == 16 ? 3 : 1;
    uint64_t t = (64 - c->t0) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (tg0 << 14);
    t |= (uint64_t)(64 - c->t1) << 16 | (1ULL << 24) | (1ULL << 26) | (3ULL << 28) | (tg1 << 30);
    t |= (uint64_t)m_ips_enc(c->ips) << 32;
    if (c->fmt == PT_DS) t |= 1ULL << 59;
    return t;
}

/* Largest OA the format can express for this IPS. */
static unsigned m_oa_bits(const mcfg *c) {
    unsigned max = c->fmt == PT_FMT48 ? 48 : 52;
    return c->ips < max ? c->ips : max;
}

typedef struct {
    uint64_t cur, end;
    int full;
} m_cursor;

/* A fresh S-aligned region of S bytes, or 0 when the range is used up. */
static uint64_t m_take(m_cursor *k, unsigned shift) {
    uint64_t s = 1ULL << shift;
    if (k->full) return 0;
    uint64_t a = (k->cur + s - 1) & ~(s - 1);
    uint64_t last = a + s - 1;
    if (a < k->cur || last < a || last > k->end) return 0;
    if (last == ~0ULL)
        k->full = 1;
    else
        k->cur = last + 1;
    return a;
}

static void m_read(const char *what, uint64_t va) {
    uint64_t v = pt_read64(va);
    printf("  read %-10s", what);
    if (pt_esr)
        pt_print_fault();
    else
        printf(" = %016lx", v);
    printf("\n");
}

static void m_write(const char *what, uint64_t va, uint64_t v) {
    pt_write64(va, v);
    printf("  write %-9s", what);
    pt_print_fault();
    printf("\n");
}

static const uint64_t M_RAM = PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF | PT_UXN;

static void m_perms(const mcfg *c, pt_t *t, const char *rname, m_cursor *k) {
    char lab[24];
    /* permissions on pages */
    printf(" %s permissions\n", rname);
    uint64_t P = 1ULL << c->grain;
    uint64_t base = m_take(k, pt_shift(c->grain, 2));
    if (!base) return;
    uint64_t fpage = M_FRAME & ~(P - 1), off = M_FRAME - fpage;
    static const struct { const char *name; uint64_t attr; } perms[] = {
        {"rw-el1", 0}, {"ro-el1", PT_AP_RO}, {"rw-el0", PT_AP_EL0}, {"ro-el0", PT_AP_EL0 | PT_AP_RO},
    };
    for (unsigned i = 0; i < 4; i++) {
        uint64_t va = base + i * P;
        pt_map(t, va, fpage, 3, M_RAM | perms[i].attr);
        rt_snprintf(lab, sizeof lab, "  %s", perms[i].name);
        pt_show_at(lab, va + off);
        m_write(perms[i].name, va + off + 0x28, 0x3333);
    }
    /* APTable in the table descriptor at level 2 (leaf AP = EL0 RW): 1 no EL0, 2 read-only, 3 both */
    for (unsigned ap = 1; ap < 4 && t->start <= 2; ap++) {
        uint64_t r = m_take(k, pt_shift(c->grain, 2));
        if (!r) break;
        pt_map(t, r, fpage, 3, M_RAM | PT_AP_EL0);
        *pt_slot(t, r, 2) |= PT_APTABLE(ap);
        rt_snprintf(lab, sizeof lab, "  aptbl%u", ap);
        pt_show_at(lab, r + off);
    }
    /* instruction fetches at EL1 */
    uint64_t code = (uint64_t)pt_ret_magic, cpage = code & ~(P - 1);
    static const struct { const char *name; uint64_t attr; } xs[] = {
        {"x uxn", PT_UXN}, {"x pxn", PT_PXN}, {"x el0w", PT_AP_EL0}, {"x el0ro", PT_AP_EL0 | PT_AP_RO},
    };
    for (unsigned i = 0; i < 4; i++) {
        uint64_t va = base + (4 + i) * P;
        pt_map(t, va, cpage, 3, PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF | xs[i].attr);
        pt_tlbi_all();
        uint64_t r = pt_exec(va + (code - cpage));
        printf("  exec %-8s = %lx", xs[i].name, r);
        pt_print_fault();
        printf("\n");
    }
    /* Device memory: unaligned accesses fault (alignment), Normal ones don't */
    uint64_t dv = base + 8 * P;
    pt_map(t, dv, fpage, 3, PT_ATTR(PT_DEV_GNRE) | PT_AF | PT_UXN | PT_PXN);
    pt_map(t, dv + P, fpage, 3, PT_ATTR(PT_NC) | PT_AF | PT_UXN | PT_PXN);
    pt_tlbi_all();
    pt_show_at("  dev", dv + off);
    pt_show_at("  nc", dv + P + off);
    m_read("dev", dv + off + 8);
    /* An unaligned access to Device memory is an Alignment fault (Arm ARM B2.5.2);
     * QEMU 7.2 does not check it: that case is in mmu_selfcheck_52.c. */
    m_read("nc+1", dv + P + off + 9);
    m_read("ram+3", base + off + 3);
}

static void m_range(const mcfg *c, pt_t *t, const char *rname, m_cursor *k) {
    const unsigned oab = m_oa_bits(c);
    char lab[24];
    volatile uint64_t *fr = (volatile uint64_t *)M_FRAME;
    m_perms(c, t, rname, k);
    /* smallest leaves first: the start level's huge regions may not fit */
    for (int L = 3; L >= t->start; L--) {
        unsigned sh = pt_shift(c->grain, L);
        uint64_t S = 1ULL << sh;
        int leaf = L == 3 || pt_block_ok(c->grain, L, c->fmt);
        printf(" %s level %d (%lx bytes, %s)\n", rname, L, S, L == 3 ? "page" : leaf ? "block" : "no block");
        uint64_t va;
        /* an invalid descriptor at level L */
        if ((va = m_take(k, sh))) {
            pt_slot(t, va, L);
            rt_snprintf(lab, sizeof lab, "  inv L%d", L);
            pt_show_at(lab, va + 0x40);
            m_read("invalid", va + 0x40);
        }
        /* A block descriptor where the granule allows none must give a Translation
         * fault at L (AArch64.BlockDescSupported). QEMU 7.2 takes it as a block
         * (and aborts for a 4K level -1 one): those cases are in mmu_selfcheck_52.c. */
        if (leaf) {
            /* RAM alias */
            if ((va = m_take(k, sh))) {
                uint64_t oa = M_FRAME & ~(S - 1);
                pt_map(t, va, oa, L, M_RAM);
                uint64_t v = va + (M_FRAME - oa);
                rt_snprintf(lab, sizeof lab, "  ram L%d", L);
                pt_show_at(lab, v + 0x18);
                fr[3] = 0x1111000000000000ULL | v;
                m_read("alias", v + 0x18);
                m_write("alias", v + 0x20, 0x2222000000000000ULL | (uint64_t)L);
                printf("  direct   %016lx\n", fr[4]);
            }
            /* high output addresses */
            if ((va = m_take(k, sh))) {
                uint64_t oa = 0xfedcba9876543000ULL & ((1ULL << oab) - 1) & ~(S - 1);
                pt_map(t, va, oa, L, M_RAM);
                rt_snprintf(lab, sizeof lab, "  hi  L%d", L);
                pt_show_at(lab, va + S - 0x1000 + 0x88);
            }
            if ((va = m_take(k, sh))) {
                uint64_t oa = ((1ULL << oab) - 1) & ~(S - 1);
                pt_map(t, va, oa, L, PT_ATTR(PT_DEV) | PT_AF | PT_NG);
                rt_snprintf(lab, sizeof lab, "  top L%d", L);
                pt_show_at(lab, va + 8);
            }
            /* output address beyond the IPS */
            if (sh < c->ips && c->ips < (c->fmt == PT_FMT48 ? 48u : 52u) && (va = m_take(k, sh))) {
                pt_map(t, va, (1ULL << c->ips) | (M_FRAME & ~(S - 1) & ((1ULL << c->ips) - 1)), L, M_RAM);
                rt_snprintf(lab, sizeof lab, "  ips L%d", L);
                pt_show_at(lab, va + 0x10);
                m_read("beyond ips", va + 0x10);
            }
            /* access flag clear, TCR.HA = 0 */
            if ((va = m_take(k, sh))) {
                pt_map(t, va, M_FRAME & ~(S - 1), L, M_RAM & ~PT_AF);
                rt_snprintf(lab, sizeof lab, "  af0 L%d", L);
                pt_show_at(lab, va + 0x20);
                m_write("af=0", va + 0x20, 1);
            }
        }
        /* a table descriptor at L whose next-level address is beyond the IPS */
        if (L < 3 && c->ips < (c->fmt == PT_FMT48 ? 48u : 52u) && (va = m_take(k, sh))) {
            volatile uint64_t *s = pt_slot(t, va, L);
            *s = pt_oa(c->fmt, (1ULL << c->ips) | 0x40000000ULL) | PT_TABLE;
            rt_snprintf(lab, sizeof lab, "  tbl L%d", L);
            pt_show_at(lab, va);
        }
    }

}

static void m_run(const mcfg *c) {
    static const char *const fmts[] = {"48", "lpa", "ds"};
    uint64_t tcr = m_tcr(c);
    printf("== granule %uK fmt %s ips %u va0 %u va1 %u tcr %016lx\n", 1u << (c->grain - 10), fmts[c->fmt], c->ips, c->t0,
           c->t1, tcr);
    if ((uint64_t)__image_end > M_ARENA0) {
        printf("image overlaps the table arena\n");
        rt_exit(95);
    }
    volatile uint64_t *fr = (volatile uint64_t *)M_FRAME;
    for (int i = 0; i < 16; i++) fr[i] = 0xf0f0000000000000ULL | (uint64_t)i;
    pt_t t0, t1;
    pt_init(&t0, c->grain, c->t0, c->fmt, M_ARENA0, M_ARENA_SIZE);
    pt_init(&t1, c->grain, c->t1, c->fmt, M_ARENA1, M_ARENA_SIZE);
    pt_identity(&t0, 0x08000000ULL, 0);
    printf(" start levels: ttbr0 %d ttbr1 %d\n", t0.start, t1.start);
    pt_el1_switch(PT_MAIR, tcr, pt_ttbr(&t0, 0), pt_ttbr(&t1, 0));

    m_cursor k0 = {1ULL << (c->t0 - 1), (1ULL << c->t0) - 1, 0};
    m_range(c, &t0, "ttbr0", &k0);
    m_cursor k1 = {~0ULL << c->t1, ~0ULL, 0};
    m_range(c, &t1, "ttbr1", &k1);
    pt_tlbi_all();

    printf(" range checks\n");
    pt_show_at("  va0 top", (1ULL << c->t0) - 8);
    pt_show_at("  va0 out", 1ULL << c->t0);
    pt_show_at("  va1 bot", ~0ULL << c->t1);
    pt_show_at("  va1 out", (~0ULL << c->t1) - 8);
    m_read("out0", 1ULL << c->t0);
    /* TTBR1 base beyond the IPS: Address size fault, level 0 */
    if (c->ips < (c->fmt == PT_FMT48 ? 48u : 52u)) {
        pt_el1_switch(PT_MAIR, tcr, pt_ttbr(&t0, 0), pt_ttbr(&t1, 0) | (1ULL << c->ips));
        pt_show_at("  ttb ips", ~0ULL << c->t1);
    }
    /* EPD1: no walks for TTBR1 */
    pt_el1_switch(PT_MAIR, tcr | (1ULL << 23), pt_ttbr(&t0, 0), pt_ttbr(&t1, 0));
    pt_show_at("  epd1", ~0ULL << c->t1);
    pt_el1_restore();
}

#endif
