// RAM above 4 GiB through page tables that live above 4 GiB (the QEMU issue
// 2585 bug class: table/descriptor address bits above bit 31 must survive).
// QEMU -m 5G / armlab --mem 5G: RAM 0x40000000-0x17fffffff. For 4K, 16K and
// 64K granules (48-bit VA, IPS 40), the translation tables are allocated at
// 0x1_7xxx_xxxx and 0x1_4xxx_xxxx (TTBR0 and every table descriptor above
// 4 GiB); a VA window maps 4096 pages of RAM above 4 GiB in a scrambled order
// (page i -> frame (i * 2749) mod 4096), plus 2 MiB/32 MiB/512 MiB blocks and
// a 1 GiB block at 0x1_0000_0000. The program writes through the window,
// reads back through an identity map of the same RAM and prints checksums and
// PAR_EL1 values.
//! qemu: mem=5120
//! timeout: 40
#include "common.h"
#include "pt.h"

#define HIGH 0x100000000ULL   /* data frames: 16 MiB at 4 GiB + 0x1000000 */
#define FRAMES (HIGH + 0x1000000ULL)
#define NPAGES 4096
#define WIN 0x0000500000000000ULL
#define IDW 0x0000400000000000ULL /* identity-like view: VA IDW + pa - HIGH */

static void add_runtime_high_map(void) {
    /* the runtime's level-1 table (4K, 39-bit VA): 1 GiB blocks 4-5 GiB and 5-6 GiB */
    volatile uint64_t *l1 = (volatile uint64_t *)(READ_SYSREG(ttbr0_el1) & 0xfffffffff000ULL);
    l1[4] = 0x100000000ULL | 1 | PT_ATTR(1) | PT_SH_IS | PT_AF | PT_UXN;
    l1[5] = 0x140000000ULL | 1 | PT_ATTR(1) | PT_SH_IS | PT_AF | PT_UXN;
    pt_tlbi_all();
}

static void run(unsigned grain, uint64_t arena) {
    uint64_t P = 1ULL << grain;
    printf("granule %uK, tables at %lx\n", 1u << (grain - 10), arena);
    pt_t t;
    pt_init(&t, grain, 48, PT_FMT48, arena, 0x1000000);
    pt_identity(&t, 0x08000000ULL, 0);
    /* identity-like view of 4-6 GiB through level-2 blocks */
    uint64_t bs = 1ULL << pt_shift(grain, 2);
    for (uint64_t a = 0; a < 0x80000000ULL; a += bs)
        pt_map(&t, IDW + a, HIGH + a, 2, PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF | PT_UXN);
    /* scrambled pages: NPAGES granule-sized pages of the window, each to a 4 KiB-aligned frame's granule page */
    uint64_t np = NPAGES * 4096 / P;
    for (uint64_t i = 0; i < np; i++) {
        uint64_t f = (i * 2749) % np;
        pt_map(&t, WIN + i * P, FRAMES + f * P, 3, PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF | PT_UXN);
    }
    /* level-2 blocks over the first 32 MiB at 4 GiB and (4K) a 1 GiB block at level 1, both at 4 GiB */
    for (uint64_t a = 0; a < 0x2000000ULL; a += bs)
        pt_map(&t, WIN + 0x100000000ULL + a, HIGH + a, 2, PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF | PT_UXN);
    if (grain == 12) pt_map(&t, WIN + 0x200000000ULL, HIGH, 1, PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF | PT_UXN);
    printf("  root %lx, %lu KiB of tables\n", t.root, (t.next - arena) >> 10);
    pt_el1_switch(PT_MAIR, 16 | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (uint64_t)(grain == 12 ? 0 : grain == 16 ? 1 : 2) << 14 |
                               (1ULL << 23) | (2ULL << 30) | (2ULL << 32),
                  pt_ttbr(&t, 0), 0);
    static const uint64_t probes[] = {0, 1, 2, 1000, 4095};
    for (unsigned i = 0; i < 5; i++) {
        uint64_t va = WIN + probes[i] * 4096 + 0x18;
        printf("  AT %lx:", va);
        pt_print_par(pt_at(PT_S1E1R, va));
        printf("\n");
    }
    printf("  AT blk %lx:", (unsigned long)(WIN + 0x100000000ULL + 0x1234));
    pt_print_par(pt_at(PT_S1E1W, WIN + 0x100000000ULL + 0x1234));
    printf("\n");
    /* write one line per 512 bytes through the window, read through the identity view */
    uint64_t h = MIX_INIT;
    for (uint64_t off = 0; off < NPAGES * 4096ULL; off += 512) {
        volatile uint64_t *p = (volatile uint64_t *)(WIN + off);
        p[0] = off * 0x9e3779b97f4a7c15ULL ^ grain;
    }
    for (uint64_t i = 0; i < np; i++) {
        uint64_t f = (i * 2749) % np;
        volatile uint64_t *q = (volatile uint64_t *)(IDW + (FRAMES - HIGH) + f * P);
        for (uint64_t o = 0; o < P; o += 512) {
            uint64_t want = (i * P + o) * 0x9e3779b97f4a7c15ULL ^ grain;
            uint64_t got = q[o / 8];
            if (got != want) {
                printf("  MISMATCH page %lu off %lx: %lx != %lx\n", i, o, got, want);
                return;
            }
            h = mix64(h, got);
        }
    }
    printf("  checksum via identity %016lx\n", h);
    /* the block aliases see the same bytes */
    uint64_t h2 = MIX_INIT, h3 = MIX_INIT;
    for (uint64_t off = 0; off < NPAGES * 4096ULL; off += 4096) {
        h2 = mix64(h2, *(volatile uint64_t *)(WIN + 0x100000000ULL + (FRAMES - HIGH) + off));
        if (grain == 12) h3 = mix64(h3, *(volatile uint64_t *)(WIN + 0x200000000ULL + (FRAMES - HIGH) + off));
    }
    printf("  checksum via block %016lx%s", h2, grain == 12 ? ", via 1 GiB block " : "\n");
    if (grain == 12) printf("%016lx\n", h3);
    pt_el1_restore();
}

int main(void) {
    add_runtime_high_map();
    run(12, 0x17f000000ULL);
    run(14, 0x143210000ULL);
    run(16, 0x160000000ULL);
    printf("done\n");
    return 0;
}
