// FEAT_TLBIRANGE (EL1&0, 4 KiB granule): 16 pages of a window are mapped to
// frames A and read (so the TLB holds them), remapped to frames B without a
// TLBI (the old frames stay visible: stale), then range TLBIs invalidate
// subsets: RVAE1 (ASID + range), RVAAE1IS, RVALE1OS with SCALE = 1, a reserved
// TG = 0b00, RVAALE1. The reads of a step are done before anything is printed,
// so the console's own accesses cannot evict entries in between.
//
// Diffed with QEMU, this prints what the architecture determines: after each
// range TLBI, the pages in its range read B (new); every page reads A or B.
// Pages outside the range may read A (kept) or B: the architecture allows
// over-invalidation, and QEMU 7.2 flushes its whole TLB for any range longer
// than its TLB array in bytes (cputlb's tlb_flush_range_locked), so only
// armlab's own mmu_tlbi_range_exact (same program, EXACT=1) checks that
// exactly the range died and everything else stayed stale.
// Also prints ID_AA64ISAR0_EL1.TLB (2: TLBIOS + TLBIRANGE).
#include "common.h"
#ifndef EXACT
#define EXACT 0
#endif

#define PTE_VALID 1ULL
#define PTE_TABLE 2ULL
#define PTE_PAGE 3ULL
#define PTE_NORMAL (1ULL << 2)
#define PTE_SH (3ULL << 8)
#define PTE_AF (1ULL << 10)
#define PTE_NG (1ULL << 11)
#define PTE_UXN (1ULL << 54)
#define PTE_PXN (1ULL << 53)

#define NPAGES 16
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l2w[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint8_t frames[2 * NPAGES][4096] __attribute__((aligned(4096)));

/* Window: pages 0x80.. of the first 2 MiB of the third GiB, through a new L2 and L3 table.
 * Not inside the GiBs the runtime maps with blocks: QEMU flushes a whole TLB when a range
 * meets the region where it has cached block ("large page") entries, which the
 * architecture permits but which would hide what a range TLBI removes. */
#define WIN 0x80080000ULL
#define ASID 5ULL

static uint64_t frame_pa(int i) { return (uint64_t)frames[i]; }

static void map_all(int set) {
    for (int k = 0; k < NPAGES; k++)
        l3[0x80 + k] = frame_pa(set * NPAGES + k) | PTE_PAGE | PTE_NORMAL | PTE_SH | PTE_AF | PTE_NG | PTE_UXN | PTE_PXN;
    __asm__ volatile("dsb ish" ::: "memory");
}

static void read_all(char *out) {
    for (int k = 0; k < NPAGES; k++) {
        uint64_t v = *(volatile uint64_t *)(WIN + k * 4096ULL);
        out[k] = (v >> 8) == 0xa ? 'A' : (v >> 8) == 0xb ? 'B' : '?';
    }
    out[NPAGES] = 0;
}

/* Range operand: ASID [63:48], TG [47:46], SCALE [45:44], NUM [43:39], TTL [38:37], BaseADDR [36:0]. */
static uint64_t rop(uint64_t asid, uint64_t tg, uint64_t scale, uint64_t num, uint64_t va) {
    return (asid << 48) | (tg << 46) | (scale << 44) | (num << 39) | ((va >> 12) & ((1ULL << 37) - 1));
}

/* SYS #0, C8, CRm, #op2, Xt: range TLBIs without requiring an assembler that knows them. */
#define RVAE1(x) __asm__ volatile("sys #0, c8, c6, #1, %0" : : "r"(x) : "memory")
#define RVAAE1IS(x) __asm__ volatile("sys #0, c8, c2, #3, %0" : : "r"(x) : "memory")
#define RVALE1OS(x) __asm__ volatile("sys #0, c8, c5, #5, %0" : : "r"(x) : "memory")
#define RVAAE1(x) __asm__ volatile("sys #0, c8, c6, #3, %0" : : "r"(x) : "memory")
#define RVAALE1(x) __asm__ volatile("sys #0, c8, c6, #7, %0" : : "r"(x) : "memory")
#define SYNC() __asm__ volatile("dsb ish\n isb" ::: "memory")

int main(void) {
    printf("ID_AA64ISAR0_EL1.TLB = %lu\n", (READ_SYSREG(id_aa64isar0_el1) >> 56) & 0xf);
    uint64_t *rt_l1 = (uint64_t *)(READ_SYSREG(ttbr0_el1) & 0xfffffffff000ULL);
    memcpy(l1, rt_l1, sizeof l1);
    uint64_t *rt_l2 = (uint64_t *)(rt_l1[1] & 0xfffffffff000ULL);
    memcpy(l2, rt_l2, sizeof l2);
    l1[1] = (uint64_t)l2 | PTE_TABLE | PTE_VALID;
    for (int i = 0; i < 2 * NPAGES; i++)
        for (int j = 0; j < 4096; j += 8) *(uint64_t *)&frames[i][j] = ((i < NPAGES ? 0xaULL : 0xbULL) << 8) | (i % NPAGES);
    map_all(0);
    l2w[0] = (uint64_t)l3 | PTE_TABLE | PTE_VALID;
    l1[2] = (uint64_t)l2w | PTE_TABLE | PTE_VALID;
    __asm__ volatile("dsb ishst" ::: "memory");
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1 | (ASID << 48));
    ISB();
    __asm__ volatile("tlbi vmalle1\n dsb nsh\n isb" ::: "memory");

    char s[7][NPAGES + 1];
    read_all(s[0]);             /* fill the TLB with frames A */
    map_all(1);                 /* remap to frames B, no TLBI */
    read_all(s[1]);             /* stale: all A */
    RVAE1(rop(ASID, 1, 0, 1, WIN + 2 * 4096)); /* 4 pages from page 2 */
    SYNC();
    read_all(s[2]);
    RVAAE1IS(rop(0, 1, 0, 0, WIN + 8 * 4096)); /* 2 pages from page 8, any ASID */
    SYNC();
    read_all(s[3]);
    RVALE1OS(rop(ASID, 1, 1, 0, WIN + 14 * 4096)); /* SCALE 1: 64 pages from page 14 */
    SYNC();
    read_all(s[4]);
    RVAAE1(rop(0, 0, 0, 3, WIN)); /* TG = 0b00 (reserved): nothing required */
    SYNC();
    read_all(s[5]);
    RVAALE1(rop(0, 1, 0, 0, WIN + 0 * 4096)); /* 2 pages from page 0 */
    SYNC();
    read_all(s[6]);

    static const char *what[] = {"mapped A, read", "remapped to B, no TLBI", "RVAE1 ASID 5, pages 2-5",
                                 "RVAAE1IS pages 8-9", "RVALE1OS SCALE=1 from page 14", "RVAAE1 TG=0 (reserved)",
                                 "RVAALE1 pages 0-1"};
    /* The range of each step [first, last] (pages), -1 for none. */
    static const int first[] = {-1, -1, 2, 8, 14, -1, 0}, last[] = {-1, -1, 5, 9, 15, -1, 1};
    /* Exactly what a TLB that keeps every entry until a TLBI names it reads. */
    static const char *exact[] = {"AAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAA", "AABBBBAAAAAAAAAA", "AABBBBAABBAAAAAA",
                                  "AABBBBAABBAAAABB", "AABBBBAABBAAAABB", "BBBBBBAABBAAAABB"};
    int fails = 0;
    for (int i = 0; i < 7; i++) {
        if (EXACT) {
            printf("%-32s %s\n", what[i], s[i]);
            if (strcmp(s[i], exact[i]) != 0) {
                printf("FAIL %s: expected %s\n", what[i], exact[i]);
                fails++;
            }
            continue;
        }
        char in[NPAGES + 1] = "";
        int n = 0, odd = 0;
        for (int k = 0; k < NPAGES; k++) {
            if (k >= first[i] && k <= last[i]) in[n++] = s[i][k];
            if (s[i][k] == '?') odd++;
        }
        in[n] = 0;
        if (i < 2)
            printf("%-32s %s\n", what[i], s[i]);
        else
            printf("%-32s range %s, other pages A or B: %s\n", what[i], n ? in : "(none)", odd ? "no" : "yes");
    }
    __asm__ volatile("tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
    read_all(s[0]);
    printf("%-32s %s\n", "VMALLE1", s[0]);
    WRITE_SYSREG(ttbr0_el1, (uint64_t)rt_l1);
    __asm__ volatile("isb\n tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
    if (EXACT) printf(fails ? "FAIL\n" : "PASS\n");
    printf("done\n");
    return fails;
}
